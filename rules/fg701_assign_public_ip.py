"""## What it does
Flags a service whose `networkConfiguration.awsvpcConfiguration.assignPublicIp` is `ENABLED`
(Terraform `assign_public_ip = true`, CloudFormation `AssignPublicIp: ENABLED`).

## Why is this bad?
Each task gets a public IP on its own network interface: it is reachable from the internet,
guarded only by its security groups, and it bypasses the load balancer in front of it. Production
tasks belong in private subnets, reaching ECR, Secrets Manager and CloudWatch Logs through a NAT
gateway or, better, VPC interface endpoints.

## Example
```json
{"serviceName": "checkout-api", "launchType": "FARGATE",
 "networkConfiguration": {"awsvpcConfiguration": {
   "subnets": ["subnet-0aaa1111", "subnet-0bbb2222"], "securityGroups": ["sg-0task55555"],
   "assignPublicIp": "ENABLED"}}}
```
Use instead:
```json
{"serviceName": "checkout-api", "launchType": "FARGATE",
 "networkConfiguration": {"awsvpcConfiguration": {
   "subnets": ["subnet-0aaa1111", "subnet-0bbb2222"], "securityGroups": ["sg-0task55555"],
   "assignPublicIp": "DISABLED"}}}
```

## References
- Amazon ECS API Reference, AwsVpcConfiguration:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html
- Amazon ECS Developer Guide, "Amazon ECS interface VPC endpoints (AWS PrivateLink)":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html
- Fargate production guide, section 2 ("awsvpc networking: one ENI and security group per task"):
  "assignPublicIp must be DISABLED for tasks in private subnets – they reach ECR, Secrets Manager,
  and CloudWatch through a NAT gateway or, better, VPC interface endpoints".
"""

from collections.abc import Iterator

from fglint.aws.services import awsvpc_configuration, label
from fglint.model import Service
from fglint.nodes import as_bool, as_str
from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG701",
    name="assign-public-ip",
    summary="Service tasks get public IP addresses",
    severity="warning",
    tags=("networking", "security"),
    security_severity=5.3,
)


def check(ctx: Context) -> Iterator[Violation]:
    for service in ctx.project.of(Service):
        config = awsvpc_configuration(service)
        node = config.get("assignPublicIp") if config else None
        if node is not None and (as_str(node) == "ENABLED" or as_bool(node) is True):
            yield Violation(
                node,
                f"{label(service, True)} assigns each task a public IP: tasks are directly "
                "reachable from the internet, guarded only by their security groups; set "
                "assignPublicIp to DISABLED, place the tasks in private subnets and reach AWS "
                "through a NAT gateway or VPC endpoints",
            )

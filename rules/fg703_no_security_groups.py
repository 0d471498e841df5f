"""## What it does
Flags a service whose `awsvpcConfiguration` lists no `securityGroups`.

## Why is this bad?
Without a security group of its own, each task's network interface gets the VPC's default
security group. That group is shared with whatever else falls back to it, usually admits all
traffic from its other members, and cannot express "only the load balancer may reach the
container port".

## Example
```json
{"serviceName": "checkout-api", "launchType": "FARGATE",
 "networkConfiguration": {"awsvpcConfiguration": {
   "subnets": ["subnet-0aaa1111", "subnet-0bbb2222"]}}}
```
Use instead (a dedicated task security group that admits only the load balancer's group):
```json
{"serviceName": "checkout-api", "launchType": "FARGATE",
 "networkConfiguration": {"awsvpcConfiguration": {
   "subnets": ["subnet-0aaa1111", "subnet-0bbb2222"], "securityGroups": ["sg-0task55555"]}}}
```

## References
- Amazon ECS API Reference, AwsVpcConfiguration:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html
- Amazon VPC User Guide, "Default security groups for your VPCs":
  https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html
- Fargate production guide, section 2 ("awsvpc networking: one ENI and security group per task"):
  each task gets "its own security group(s)", which should "allow inbound only from the ALB's
  security group on the container port".
"""

from collections.abc import Iterator

from fglint.aws.services import awsvpc_configuration, label
from fglint.model import Service
from fglint.nodes import ListNode
from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG703",
    name="no-security-groups",
    summary="Service tasks fall back to the VPC's default security group",
    severity="warning",
    tags=("networking", "security"),
    security_severity=4.0,
)


def check(ctx: Context) -> Iterator[Violation]:
    for service in ctx.project.of(Service):
        config = awsvpc_configuration(service)
        if config is None:
            continue
        groups = config.get("securityGroups")
        if groups is None and service.conditional:
            continue
        if groups is None or (isinstance(groups, ListNode) and not groups.items):
            yield Violation(
                groups if groups is not None else config,
                f"{label(service, True)} lists no security groups: its tasks get the VPC's "
                "default security group, shared with anything else that falls back to it; "
                "attach a task security group that admits only the load balancer's group on "
                "the container port",
            )

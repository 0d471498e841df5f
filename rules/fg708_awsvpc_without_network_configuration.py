"""## What it does
Flags a service that runs awsvpc tasks (a Fargate service, or a task definition with
`networkMode: awsvpc`) but has no `networkConfiguration.awsvpcConfiguration`. An update-service
input that omits it (leaving it unchanged) and a service with an `EXTERNAL` deployment
controller (network settings live on its task sets) are not flagged.

## Why is this bad?
An awsvpc task gets its own network interface, and ECS needs to know which subnets and security
groups to give it. Without a network configuration ECS rejects the service ("Network
Configuration must be provided when networkMode 'awsvpc' is specified").

## Example
```json
{"serviceName": "checkout-api", "taskDefinition": "checkout-api", "launchType": "FARGATE",
 "desiredCount": 2}
```
Use instead:
```json
{"serviceName": "checkout-api", "taskDefinition": "checkout-api", "launchType": "FARGATE",
 "desiredCount": 2,
 "networkConfiguration": {"awsvpcConfiguration": {
   "subnets": ["subnet-0aaa1111", "subnet-0bbb2222"], "securityGroups": ["sg-0task55555"],
   "assignPublicIp": "DISABLED"}}}
```

## References
- Amazon ECS API Reference, CreateService:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html#ECS-CreateService-request-networkConfiguration
- Amazon ECS Developer Guide, "Amazon ECS task networking options for Fargate":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html
- Fargate production guide, section 2 ("awsvpc networking: one ENI and security group per task"): a
  service's network configuration is an `awsvpcConfiguration` with its subnets, security groups and
  `assignPublicIp`.
"""

from collections.abc import Iterator

from fglint.aws.services import awsvpc, controller_type, label, partial
from fglint.model import Service
from fglint.rule import Context, Rule, Violation, related

RULE = Rule(
    code="FG708",
    name="awsvpc-without-network-configuration",
    summary="awsvpc service without a network configuration",
    severity="error",
    tags=("networking", "correctness"),
)


def check(ctx: Context) -> Iterator[Violation]:
    for service in ctx.project.of(Service):
        if partial(service) or awsvpc(service) is not True:
            continue
        if controller_type(service) not in ("ECS", "CODE_DEPLOY"):
            continue
        network = service.node.get("networkConfiguration")
        if network is not None:
            continue
        task = service.task_definition
        mode = task.node.get("networkMode") if task else None
        why = "its task definition uses awsvpc" if mode else "it runs on Fargate"
        yield Violation(
            service.node,
            f"{label(service, True)} has no networkConfiguration, but {why}: ECS rejects the "
            "service; add networkConfiguration.awsvpcConfiguration with private subnets in two "
            "Availability Zones and a task security group",
            related=related(mode, "the task definition's network mode is set here"),
        )

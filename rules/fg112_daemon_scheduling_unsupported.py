"""## What it does
Flags a service with `schedulingStrategy: DAEMON` that runs on Fargate (`launchType: FARGATE` or
a Fargate capacity provider) or whose deployment controller is `CODE_DEPLOY` or `EXTERNAL`.
Only the `REPLICA` strategy is supported there.

## Why is this bad?
ECS rejects the service: a daemon places one task on every container instance, and Fargate has
no container instances. CreateService fails (and a CloudFormation stack rolls back) with
"The daemon scheduling strategy does not support ... launch type FARGATE". Blue/green and
external deployments replace task sets, which a daemon service does not have.

## Example
```json
{"serviceName": "log-shipper", "taskDefinition": "log-shipper", "launchType": "FARGATE",
 "schedulingStrategy": "DAEMON"}
```
Use instead: a replica service with the count you need (or a sidecar container in each task,
which is how per-task agents run on Fargate):
```json
{"serviceName": "log-shipper", "taskDefinition": "log-shipper", "launchType": "FARGATE",
 "schedulingStrategy": "REPLICA", "desiredCount": 2}
```

## References
- Amazon ECS API Reference, CreateService:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html#ECS-CreateService-request-schedulingStrategy
- Amazon ECS Developer Guide, "Amazon ECS services":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_services.html#service_scheduler_daemon
- cfn-lint E3044 (`FargateDeploymentSchedulingStrategy`)
"""

from collections.abc import Iterator

from fglint.model import Service
from fglint.nodes import Node, as_str
from fglint.rule import Context, Rule, Violation, related

RULE = Rule(
    code="FG112",
    name="daemon-scheduling-unsupported",
    summary="DAEMON scheduling on Fargate or with a CODE_DEPLOY / EXTERNAL controller",
    severity="error",
    tags=("fargate", "service"),
)


def why(service: Service) -> tuple[str, Node] | None:
    """What puts the service where DAEMON is not supported, and where it is set."""
    controller = service.node.obj("deploymentController")
    candidates = [(service.node.get("launchType"), "launch type")]
    candidates += [
        (item.get("capacityProvider"), "capacity provider")
        for item in service.node.objects("capacityProviderStrategy")
    ]
    candidates.append((controller.get("type") if controller else None, "deployment controller"))
    for node, what in candidates:
        text = as_str(node) or ""
        fargate = text.startswith("FARGATE") and what != "deployment controller"
        controlled = text in ("CODE_DEPLOY", "EXTERNAL") and what == "deployment controller"
        if node is not None and (fargate or controlled):
            return f"the {text} {what}", node
    return None


def check(ctx: Context) -> Iterator[Violation]:
    for service in ctx.project.of(Service):
        strategy = service.node.get("schedulingStrategy")
        if as_str(strategy) != "DAEMON" or strategy is None:
            continue
        found = why(service)
        if found is None:
            continue
        text, where = found
        yield Violation(
            strategy,
            f"Service `{service.name or '?'}` uses DAEMON scheduling with {text}, which "
            "supports only REPLICA: ECS rejects the service; use REPLICA with a desired count",
            related(where, "set here"),
        )

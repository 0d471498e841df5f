"""## What it does
Checks that a service that runs on Fargate (`launchType: FARGATE`, or a `FARGATE` /
`FARGATE_SPOT` capacity provider) runs a task definition that Fargate accepts: one whose
`requiresCompatibilities` includes `FARGATE`, or, when it declares none, one whose network mode
is `awsvpc` (ECS then validates it for Fargate as well). A task definition that requires only
`EC2` or `EXTERNAL`, or that declares no compatibilities and uses the `bridge`, `host` or
`none` network mode (or none at all, which is `bridge`), is reported at the service's launch
type. A task definition fglint cannot see, or whose settings are expressions, is left alone.

## Why is this bad?
ECS checks the task definition's compatibilities when the service starts tasks: the deployment
fails with "Task definition does not support launch_type FARGATE" and CloudFormation rolls the
stack back, after the rest of the infrastructure has been created.

## Example
```json
{"family": "checkout-api", "requiresCompatibilities": ["EC2"], "networkMode": "awsvpc",
 "cpu": "512", "memory": "1024", "containerDefinitions": [...]}
```
run by a service with `"launchType": "FARGATE"`. Use instead:
```json
{"family": "checkout-api", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
 "cpu": "512", "memory": "1024", "containerDefinitions": [...]}
```

## References
- Amazon ECS API Reference, RegisterTaskDefinition:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html#ECS-RegisterTaskDefinition-request-requiresCompatibilities
- Amazon ECS Developer Guide, "Amazon ECS task definition differences for Fargate":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html
- cfn-lint E3054 (`ServiceFargate`): a FARGATE service's task definition must allow FARGATE
- Fargate production guide, section 1 ("Task definition: sizing and platform version"): its Fargate
  task definition declares `"requiresCompatibilities": ["FARGATE"]` and `"networkMode": "awsvpc"`.
"""

from collections.abc import Iterator

from fglint.model import Service, TaskDefinition
from fglint.nodes import Node, ObjectNode, as_str
from fglint.rule import Context, Rule, Violation, related

RULE = Rule(
    code="FG111",
    name="fargate-incompatible-task-definition",
    summary="Fargate service runs a task definition that does not allow FARGATE",
    severity="error",
    tags=("fargate", "service"),
)


def fargate_setting(service: Service) -> Node | None:
    """The launch type or capacity provider that puts the service on Fargate."""
    launch = service.node.get("launchType")
    if as_str(launch) == "FARGATE":
        return launch
    for item in service.node.objects("capacityProviderStrategy"):
        if (item.str("capacityProvider") or "").startswith("FARGATE"):
            return item.get("capacityProvider")
    return None


def why_not(task: TaskDefinition) -> tuple[str, Node] | None:
    """Why the task definition is not valid for Fargate, and where; None when it is (or when
    that is unknown)."""
    node: ObjectNode = task.node
    compatibilities = task.compatibilities
    if compatibilities:
        if "FARGATE" in compatibilities:
            return None
        listed = ", ".join(sorted(compatibilities))
        return f"requires only {listed}", node.fields["requiresCompatibilities"]
    if compatibilities is None:
        return None
    if "networkMode" not in node:
        return "declares no requiresCompatibilities and no networkMode (bridge)", node
    mode = task.network_mode
    if mode is None or mode == "awsvpc":
        return None
    return f"declares no requiresCompatibilities and networkMode `{mode}`", node.fields[
        "networkMode"
    ]


def check(ctx: Context) -> Iterator[Violation]:
    for service in ctx.project.of(Service):
        task = service.task_definition
        where = fargate_setting(service)
        if task is None or where is None or not task.complete:
            continue
        reason = why_not(task)
        if reason is None:
            continue
        text, there = reason
        yield Violation(
            where,
            f"Service `{service.name or '?'}` runs on Fargate, but task definition "
            f"`{task.name or '?'}` {text}: it is not valid for Fargate and the deployment fails "
            "('does not support launch_type FARGATE'); add FARGATE to requiresCompatibilities "
            "(with networkMode awsvpc)",
            related(there, "the task definition's compatibilities are decided here"),
        )

"""## What it does
Flags a Fargate task definition whose `networkMode` is not `awsvpc`, or that leaves it unset
(the default is `bridge`). A bare container-definitions array has no task-level keys and is not
checked.

## Why is this bad?
Fargate supports only `awsvpc`: each task gets its own network interface and security group.
ECS rejects any other mode at registration (`Fargate only supports network mode 'awsvpc'`).

## Example
```json
{"family": "checkout-api", "requiresCompatibilities": ["FARGATE"], "networkMode": "bridge",
 "containerDefinitions": [{"name": "app", "image": "app:1.4.2"}]}
```
Use instead:
```json
{"family": "checkout-api", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
 "containerDefinitions": [{"name": "app", "image": "app:1.4.2"}]}
```

## References
- Amazon ECS Developer Guide, "Amazon ECS task definition differences for Fargate":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html
- Fargate production guide, section 2 ("awsvpc networking: one ENI and security group per task"):
  "On Fargate the network mode is always awsvpc": each task gets its own elastic network interface,
  private IP and security groups.
"""

from collections.abc import Iterator

from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG104",
    name="fargate-network-mode-not-awsvpc",
    summary="Fargate task whose networkMode is not awsvpc",
    severity="error",
    tags=("networking", "fargate"),
)


def check(ctx: Context) -> Iterator[Violation]:
    for task in ctx.project.task_definitions:
        if not task.fargate or not task.complete:
            continue
        node = task.node.get("networkMode")
        if node is None:
            if task.conditional:
                continue
            yield Violation(
                task.node,
                f"Fargate task `{task.name or '?'}` sets no networkMode, so it defaults to "
                '`bridge`; Fargate requires "networkMode": "awsvpc"',
            )
        elif task.network_mode is not None and task.network_mode != "awsvpc":
            yield Violation(
                node,
                f"Fargate requires networkMode `awsvpc`, not `{task.network_mode}`",
            )

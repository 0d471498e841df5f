"""## What it does
Flags a container without `logConfiguration`.

## Why is this bad?
Without a log driver, what the container writes to stdout and stderr goes nowhere you can read:
on Fargate there is no host to `docker logs` on, so the output of a crash, a failed migration or
a health-check failure is lost. Log routers and short-lived sidecars are no exception: their
output is what you need when they fail.

## Example
```json
{"name": "app", "image": "checkout:1.42.0"}
```
Use instead:
```json
{"name": "app", "image": "checkout:1.42.0",
 "logConfiguration": {"logDriver": "awslogs", "options": {
   "awslogs-group": "/ecs/checkout-api", "awslogs-region": "us-east-1",
   "awslogs-stream-prefix": "app", "mode": "non-blocking", "max-buffer-size": "25m"}}}
```

## References
- Amazon ECS Developer Guide, "Send Amazon ECS logs to CloudWatch":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html
- Fargate production guide, sections 1 and 7 (task definition; observability): its container sends
  its logs to CloudWatch with the awslogs driver, "the simplest path".
"""

from collections.abc import Iterator

from fglint.nodes import Node, ScalarNode
from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG501",
    name="no-log-configuration",
    summary="Container without `logConfiguration`: its output is lost",
    severity="warning",
    tags=("logging", "observability"),
)


def absent(node: Node | None) -> bool:
    """Not set: missing, or an explicit JSON null."""
    return node is None or (isinstance(node, ScalarNode) and node.value is None)


def check(ctx: Context) -> Iterator[Violation]:
    for container in ctx.project.containers():
        if absent(container.node.get("logConfiguration")) and not container.task.conditional:
            yield Violation(
                container.node,
                f"Container `{container.name}` has no `logConfiguration`, so its stdout and "
                "stderr are lost; send them to CloudWatch with the awslogs driver (or FireLens)",
            )

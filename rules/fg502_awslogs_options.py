"""## What it does
Checks that a container logging with the `awslogs` driver sets the options the driver requires:
`awslogs-group` and `awslogs-region`, and on Fargate also `awslogs-stream-prefix`.

## Why is this bad?
The awslogs driver cannot create the container's log stream without them: ECS rejects the task
definition or the container fails to start, and a deploy that looked fine stops at launch. On
Fargate the stream prefix is mandatory (it names the stream `prefix/container/task-id`).

## Example
```json
{"name": "app", "image": "app:1.4.2",
 "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/checkout-api"}}}
```
Use instead:
```json
{"name": "app", "image": "app:1.4.2",
 "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/checkout-api",
   "awslogs-region": "us-east-1", "awslogs-stream-prefix": "app"}}}
```

## References
- Amazon ECS Developer Guide, "Send Amazon ECS logs to CloudWatch":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html
"""

from collections.abc import Iterator

from fglint.aws.data import load
from fglint.nodes import UnknownNode
from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG502",
    name="awslogs-options-missing",
    summary="awslogs without `awslogs-group`, `awslogs-region` or (Fargate) the stream prefix",
    severity="error",
    tags=("logging",),
)


def check(ctx: Context) -> Iterator[Violation]:
    drivers = load("log_drivers")
    for container in ctx.project.containers():
        log = container.node.obj("logConfiguration")
        if log is None or log.str("logDriver") != "awslogs":
            continue
        if isinstance(log.get("options"), UnknownNode):
            continue
        options = log.obj("options")
        present = set(options.fields) if options else set()
        required = list(drivers["awslogs_required"])
        if container.task.fargate:
            required += drivers["awslogs_required_on_fargate"]
        missing = [name for name in required if name not in present]
        if not missing:
            continue
        names = ", ".join(f"`{name}`" for name in missing)
        yield Violation(
            log.key_span("options") if options else log,
            f"awslogs log configuration of container `{container.name}` lacks {names}"
            + (" (required on Fargate)" if missing == ["awslogs-stream-prefix"] else "")
            + "; the container cannot start logging without it",
        )

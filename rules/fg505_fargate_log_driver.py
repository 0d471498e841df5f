"""## What it does
Flags a log driver that Fargate does not support. Fargate supports `awslogs`, `splunk` and
`awsfirelens`; drivers such as `json-file`, `syslog`, `journald`, `gelf` and `fluentd` work only
on EC2 instances. Applies to Fargate tasks (`requiresCompatibilities` contains FARGATE, or a
service runs the task on Fargate).

## Why is this bad?
ECS rejects the task definition for Fargate, or the task fails to start. To ship logs to Fluentd,
Graylog or syslog from Fargate, use FireLens (`awsfirelens`) with a Fluent Bit router.

## Example
```json
"logConfiguration": {"logDriver": "json-file"}
```
Use instead:
```json
"logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/checkout-api",
  "awslogs-region": "us-east-1", "awslogs-stream-prefix": "app"}}
```

## References
- Amazon ECS API Reference, LogConfiguration:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LogConfiguration.html
"""

from collections.abc import Iterator

from fglint.aws.data import load
from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG505",
    name="fargate-log-driver",
    summary="Log driver that Fargate does not support",
    severity="error",
    tags=("logging", "fargate"),
)


def check(ctx: Context) -> Iterator[Violation]:
    supported: list[str] = load("log_drivers")["fargate"]
    for container in ctx.project.containers():
        log = container.node.obj("logConfiguration")
        driver = log.str("logDriver") if log else None
        node = log.get("logDriver") if log else None
        if driver is None or node is None or driver in supported or not container.task.fargate:
            continue
        yield Violation(
            node,
            f"Log driver `{driver}` of container `{container.name}` is not supported on "
            f"Fargate (supported: {', '.join(supported)}); use awslogs, or awsfirelens to "
            "route logs elsewhere",
        )

"""## What it does
Checks the delivery `mode` of a container's log driver (every driver but `awsfirelens`, whose
options configure Fluent Bit instead):
- warning when `mode` is `blocking`;
- note when `mode` is unset: the mode then comes from the account setting `defaultLogDriverMode`
  of whoever runs the task, so the same task definition behaves differently per account;
- note when `mode` is `non-blocking` without `max-buffer-size`: the buffer then takes ECS's
  default (10m) whatever the application's log volume, and a burst larger than it is dropped.

## Why is this bad?
In blocking mode, when the log backend is slow or unreachable, the application's writes to
stdout and stderr block: request threads hang, health checks time out and tasks are replaced,
all because of logging. Non-blocking mode with a bounded buffer keeps the application running
and drops log lines only when the buffer is full.

## Example
```json
"options": {"awslogs-group": "/ecs/checkout-api", "awslogs-region": "us-east-1",
            "awslogs-stream-prefix": "app", "mode": "blocking"}
```
Use instead:
```json
"options": {"awslogs-group": "/ecs/checkout-api", "awslogs-region": "us-east-1",
            "awslogs-stream-prefix": "app", "mode": "non-blocking", "max-buffer-size": "25m"}
```

## References
- Amazon ECS API Reference, LogConfiguration:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LogConfiguration.html
- Amazon ECS Developer Guide, "Access Amazon ECS features with account settings":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-account-settings.html
- Fargate production guide, section 7 ("Observability: Container Insights, structured logs,
  tracing"): "set mode=non-blocking with a bounded max-buffer-size so a slow log backend cannot
  block your application threads". It does not say where an unset `mode` comes from; AWS's account
  settings page above does (`defaultLogDriverMode`), and the note for an unset mode follows it.
"""

import functools
from collections.abc import Iterator

from fglint.model import Container
from fglint.nodes import ObjectNode, UnknownNode
from fglint.rule import Context, Fix, Rule, Verbatim, Violation

RULE = Rule(
    code="FG503",
    name="log-delivery-mode",
    summary="Log driver in blocking mode, or mode / buffer size left to defaults",
    severity="warning",
    tags=("logging", "reliability"),
    fix="safe",
)

MODE = {"mode": "non-blocking", "max-buffer-size": "25m"}


def fix(ctx: Context, log: ObjectNode, container: Container) -> Fix | None:
    """`mode` non-blocking and a 25m buffer, each only where it is not set already."""
    options = log.obj("options")
    wanted = Verbatim(
        MODE
        if options is None
        else {k: v for k, v in MODE.items() if k == "mode" or k not in options}
    )
    if options is None:
        edits = ctx.edits.set(log, "options", wanted)
    else:
        edits = ctx.edits.update(options, wanted, literal=True)
    return Fix.of(
        f'Set "mode": "non-blocking" and "max-buffer-size": "25m" for `{container.name}`',
        edits or (),
    )


def check(ctx: Context) -> Iterator[Violation]:
    for container in ctx.project.containers():
        log = container.node.obj("logConfiguration")
        driver = log.str("logDriver") if log else None
        if log is None or driver is None or driver == "awsfirelens":
            continue
        if isinstance(log.get("options"), UnknownNode):
            continue
        options = log.obj("options")
        mode_node = options.get("mode") if options else None
        mode = options.str("mode") if options else None
        name = container.name
        if mode_node is None:
            yield Violation(
                log.key_span("options") if options else log.key_span("logDriver"),
                f"Log `mode` of container `{name}` is not set, so it depends on the account "
                "setting `defaultLogDriverMode` where the task runs; set "
                '"mode": "non-blocking" with a "max-buffer-size" explicitly',
                severity="note",
                fix=functools.partial(fix, ctx, log, container),
            )
        elif mode == "blocking":
            yield Violation(
                mode_node,
                f"Container `{name}` logs in blocking mode: when the {driver} backend is slow, "
                "the application's writes to stdout/stderr block; use "
                '"mode": "non-blocking" with a "max-buffer-size" such as "25m"',
                fix=functools.partial(fix, ctx, log, container),
            )
        elif mode == "non-blocking" and options and "max-buffer-size" not in options:
            yield Violation(
                mode_node,
                f"Non-blocking logging of container `{name}` has no `max-buffer-size`, so the "
                "buffer takes the default (10m) and a larger burst of logs is dropped; size it "
                'for the application, e.g. "25m"',
                severity="note",
                fix=functools.partial(fix, ctx, log, container),
            )

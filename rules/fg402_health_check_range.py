"""## What it does
Checks the numbers of a container `healthCheck` against what ECS accepts: `interval` 5-300
seconds, `timeout` 2-60 seconds, `retries` 1-10, `startPeriod` 0-300 seconds.

## Why is this bad?
ECS rejects the task definition at registration (`ClientException`), so the deploy stops there;
in Terraform the error surfaces only at `apply`.

## Example
```json
{"name": "app", "image": "app:1.4.2",
 "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"],
                 "interval": 2, "timeout": 90, "retries": 0}}
```
Use instead:
```json
{"name": "app", "image": "app:1.4.2",
 "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"],
                 "interval": 10, "timeout": 5, "retries": 3}}
```

## References
- Amazon ECS API Reference, HealthCheck:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html
"""

from collections.abc import Iterator

from fglint.aws.data import load
from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG402",
    name="health-check-out-of-range",
    summary="Health-check value outside what ECS accepts",
    severity="error",
    tags=("health-checks",),
)


def check(ctx: Context) -> Iterator[Violation]:
    limits = load("health_check_limits")["fields"]
    for container in ctx.project.containers():
        health = container.node.obj("healthCheck")
        if health is None:
            continue
        for field, limit in limits.items():
            value, node = health.int(field), health.get(field)
            if value is None or node is None or limit["min"] <= value <= limit["max"]:
                continue
            unit = " retries" if field == "retries" else " seconds"
            yield Violation(
                node,
                f"Health-check `{field}` {value} of container `{container.name}` is outside "
                f"the {limit['min']}-{limit['max']}{unit} ECS accepts; registration fails",
            )

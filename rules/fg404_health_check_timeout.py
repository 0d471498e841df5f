"""## What it does
Flags a container health check whose `timeout` is not shorter than its `interval` (omitted
values count at their defaults: interval 30 s, timeout 5 s).

## Why is this bad?
A check that may take as long as the interval overlaps the next one: a slow endpoint is then
probed back to back, and the time before ECS declares the container unhealthy is no longer
`interval x retries`. Keep the timeout well under the interval.

## Example
```json
{"name": "app", "image": "app:1.4.2",
 "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"],
                 "interval": 10, "timeout": 10}}
```
Use instead:
```json
{"name": "app", "image": "app:1.4.2",
 "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"],
                 "interval": 10, "timeout": 5}}
```

## References
- Amazon ECS API Reference, HealthCheck:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html
"""

from collections.abc import Iterator

from fglint.aws.data import load
from fglint.rule import Context, Related, Rule, Violation

RULE = Rule(
    code="FG404",
    name="health-check-timeout-too-long",
    summary="Health-check timeout not shorter than its interval",
    severity="warning",
    tags=("health-checks",),
)


def in_range(limit: dict[str, int], value: int) -> bool:
    return limit["min"] <= value <= limit["max"]


def check(ctx: Context) -> Iterator[Violation]:
    limits = load("health_check_limits")["fields"]
    defaults = {field: limit["default"] for field, limit in limits.items()}
    for container in ctx.project.containers():
        health = container.node.obj("healthCheck")
        if health is None:
            continue
        timeout_node, interval_node = health.get("timeout"), health.get("interval")
        if timeout_node is None and interval_node is None:
            continue
        timeout = health.int("timeout") if timeout_node is not None else defaults["timeout"]
        interval = health.int("interval") if interval_node is not None else defaults["interval"]
        if timeout is None or interval is None or timeout < interval:
            continue
        if not (in_range(limits["timeout"], timeout) and in_range(limits["interval"], interval)):
            continue  # FG402 reports values ECS rejects
        where = timeout_node if timeout_node is not None else interval_node
        assert where is not None
        related = (
            (Related(interval_node, "interval set here"),)
            if timeout_node is not None and interval_node is not None
            else ()
        )
        default = "" if interval_node is not None else " (the default)"
        yield Violation(
            where,
            f"Health-check timeout {timeout} s of container `{container.name}` is not shorter "
            f"than its interval {interval} s{default}; make the timeout shorter than the interval",
            related,
        )

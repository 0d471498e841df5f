"""## What it does
Compares the drain grace G you declare for your application (how long it needs after SIGTERM to
finish in-flight work: fglint cannot see it in the configuration) with the `stopTimeout` S of the
containers that serve traffic (30 s when unset), and flags G >= S. Silent until G is configured:

```toml
[tool.fglint.options.FG304]
drain-grace = 25                                    # seconds, every task
drain-grace-per-service = { checkout-api = 45 }     # by service name or task family
```

The containers checked are those a service's load balancer routes to; without a linked load
balancer, the essential containers with port mappings; without those, every essential container
that is not a FireLens log router (when every container definition is written out: one that is
an expression, such as a module's output, may be the one that serves).

## Why is this bad?
ECS sends SIGTERM, waits `stopTimeout`, then sends SIGKILL. If the application needs as long as
that (or longer) to drain, it is killed mid-drain and in-flight requests fail on every deploy,
scale-in and Spot interruption. The Fargate production guide's enterprise scenario fixed its
incident with a drain grace of ~45 s inside a 60 s `stopTimeout`.

## Example
With `drain-grace = 45`:
```json
{"name": "app", "image": "example/app:1.0", "portMappings": [{"containerPort": 8080}]}
```
Use instead (stopTimeout above the drain grace; Fargate allows up to 120 s):
```json
{"name": "app", "image": "example/app:1.0", "portMappings": [{"containerPort": 8080}],
 "stopTimeout": 60}
```

## References
- Amazon ECS API Reference, ContainerDefinition:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html#ECS-Type-ContainerDefinition-stopTimeout
- Fargate production guide, section 5 ("Graceful shutdown: SIGTERM, stopTimeout, and draining"):
  "Your stopTimeout should be >= the time the app needs to drain"; its enterprise scenario's fix:
  "stopTimeout to 60s, drain grace to ~45s".
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from fglint.aws.services import container_at, stop_timeout, traffic_containers
from fglint.model import Container, TaskDefinition
from fglint.rule import Context, Rule, RuleOptions, Violation


@dataclass(frozen=True)
class Options(RuleOptions):
    drain_grace: float | None = None  # seconds, every task
    drain_grace_per_service: dict[str, float] = field(default_factory=dict)  # by name or family


RULE = Rule(
    code="FG304",
    name="drain-grace-exceeds-stop-timeout",
    summary="The app's drain grace does not fit inside the container's stopTimeout",
    severity="warning",
    tags=("lifecycle", "reliability"),
    options=Options(),
)

FARGATE_MAX_STOP_TIMEOUT = 120


def _seconds(value: float | None) -> float | None:
    """A drain grace in seconds; a negative one counts as not given."""
    return value if value is not None and value >= 0 else None


def drain_grace(ctx: Context, task: TaskDefinition) -> tuple[int | float, str] | None:
    """(G, where it was declared): per service name, then per family, then the global value."""
    options = ctx.options_of(Options)
    per = options.drain_grace_per_service
    names = [service.node.str("serviceName") or "" for service in task.services]
    names += [service.name for service in task.services] + [task.family or ""]
    for name in names:
        grace = _seconds(per.get(name)) if name else None
        if grace is not None:
            return grace, f" declared for `{name}`"
    grace = _seconds(options.drain_grace)
    return (grace, "") if grace is not None else None


def draining_containers(task: TaskDefinition) -> list[Container]:
    routed: list[Container] = []
    for service in task.services:
        routed += [c for _, c in traffic_containers(service) if c not in routed]
    if routed:
        return routed
    essential = [c for c in task.containers if c.essential]
    serving = [c for c in essential if c.node.list("portMappings")]
    if serving or not task.all_containers_known:  # an unknown container may be the server
        return serving
    return [c for c in essential if "firelensConfiguration" not in c.node]


def check(ctx: Context) -> Iterator[Violation]:
    for task in ctx.project.task_definitions:
        declared = drain_grace(ctx, task)
        if declared is None:
            continue
        grace, scope = declared
        for container in draining_containers(task):
            timeout, node = stop_timeout(container)
            if timeout is None or grace < timeout:
                continue
            advice = f"set stopTimeout above {grace:g} s"
            if grace >= FARGATE_MAX_STOP_TIMEOUT:
                limit = FARGATE_MAX_STOP_TIMEOUT
                advice = f"shorten the drain grace: Fargate allows stopTimeout {limit} s at most"
            yield Violation(
                node or container_at(container),
                f"The app's drain grace of {grace:g} s{scope} does not fit inside container "
                f"`{container.name}`'s stopTimeout of {timeout} s"
                + ("" if node else " (the default)")
                + f": ECS sends SIGKILL {timeout} s after SIGTERM, before the app has drained; "
                + advice,
            )

"""## What it does
Flags a service that places tasks on `FARGATE_SPOT` (its own capacity provider strategy, or its
cluster's default when it sets neither a launch type nor a strategy) while its task cannot
drain: an essential container starts a shell as PID 1 that does not forward SIGTERM (FG301), or
a load-balanced essential container leaves `stopTimeout` unset (30 s).

## Why is this bad?
A Spot interruption is a graceful stop with a two-minute warning: ECS sends SIGTERM, waits
`stopTimeout`, then SIGKILLs. A shell that swallows SIGTERM turns every interruption into a SIGKILL
with requests in flight. With the 30 s default, the task is killed long before the two minutes are
up, while the load balancer may still be sending it requests. The Fargate production guide (section
8): run Spot only for stateless services that handle SIGTERM cleanly.

## Example
```json
{"name": "app", "essential": true, "command": ["sh", "-c", "java -jar app.jar"]}
```
Use instead:
```json
{"name": "app", "essential": true, "command": ["java", "-jar", "app.jar"], "stopTimeout": 120}
```

## References
- Amazon ECS Developer Guide, "Amazon ECS clusters for Fargate":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html
- AWS re:Post Knowledge Center, Fargate Spot termination notice:
  https://repost.aws/knowledge-center/fargate-spot-termination-notice
- Fargate production guide, sections 5 and 8 (graceful shutdown; cost levers): Spot reclaims a task
  "with a ~2-minute SIGTERM warning" and "uses the same graceful-stop path"; only services
  "that handle SIGTERM cleanly" belong on it.
"""

from collections.abc import Iterator

from fglint.aws.scaling import capacity_strategy, spot_item
from fglint.aws.services import container_at, label, traffic_containers
from fglint.aws.shell import swallows_sigterm
from fglint.model import Service
from fglint.nodes import Node
from fglint.rule import Context, Related, Rule, Violation

RULE = Rule(
    code="FG805",
    name="spot-task-cannot-drain",
    summary="A Fargate Spot service runs a task that cannot drain on interruption",
    severity="warning",
    tags=("capacity", "lifecycle", "reliability"),
)


def spot_at(service: Service) -> Node | None:
    strategy = capacity_strategy(service)
    spot = spot_item(strategy) if strategy is not None else None
    return (spot.get("capacityProvider") or spot) if spot is not None else None


def check(ctx: Context) -> Iterator[Violation]:
    for service in ctx.project.of(Service):
        task = service.task_definition
        at = spot_at(service) if task is not None else None
        if task is None or at is None:
            continue
        own = "capacityProviderStrategy" in service.node
        via = "" if own else " (its cluster's default strategy)"
        on_spot = Related(at, f"{label(service)} places tasks on FARGATE_SPOT here{via}")
        for container in task.containers:
            pid1 = swallows_sigterm(container) if container.essential else None
            if pid1 is not None:
                yield Violation(
                    pid1.start.at,
                    f"Container `{container.name}` runs on Fargate Spot but starts "
                    f"`{pid1.start.shell} -c` as PID 1 {pid1.stays}: a Spot interruption's "
                    "SIGTERM never reaches the application, which is SIGKILLed with requests in "
                    "flight; `exec` it or set linuxParameters.initProcessEnabled",
                    (on_spot,),
                )
        for _, container in traffic_containers(service):
            if container.essential and "stopTimeout" not in container.node:
                yield Violation(
                    container_at(container),
                    f"Load-balanced container `{container.name}` runs on Fargate Spot without "
                    "`stopTimeout`: it is SIGKILLed 30 s after SIGTERM although an interruption "
                    "gives two minutes' notice; set `stopTimeout` (up to 120) to cover the drain",
                    (on_spot,),
                )

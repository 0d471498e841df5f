"""## What it does
Flags a service that places tasks on `FARGATE_SPOT` (its own capacity provider strategy, or its
cluster's default when it sets neither a launch type nor a strategy) while its task definition
runs on a platform Fargate Spot does not offer: a Windows `operatingSystemFamily`, or a pinned
`platformVersion` older than Fargate Spot needs for the task's CPU architecture (1.3.0 for
X86_64, 1.4.0 for ARM64). Linux tasks of either architecture on `LATEST` (the default) run on
Fargate Spot. The platforms live in `schemas/fargate_spot.json`.

## Why is this bad?
ECS cannot place the task on Fargate Spot: every task the strategy sends there fails to start,
so the service never reaches its desired count (with a Spot-only strategy, it runs nothing).
Windows containers on Fargate do not support the Fargate Spot capacity provider at all; Linux
tasks run on it from platform version 1.3.0 (X86_64) or 1.4.0 (ARM64, Graviton).

## Example
```json
{"serviceName": "reports", "taskDefinition": "reports",
 "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "base": 1, "weight": 1},
                              {"capacityProvider": "FARGATE_SPOT", "weight": 3}]}
```
with a task definition that sets
`"runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}`. Use instead:
```json
{"serviceName": "reports", "taskDefinition": "reports",
 "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "base": 1, "weight": 1}]}
```

## References
- Amazon ECS Developer Guide, "Amazon ECS clusters for Fargate":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html
- Amazon ECS API Reference, CapacityProviderStrategyItem:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html
- Fargate production guide, section 8 ("Cost levers: Fargate Spot, capacity providers,
  right-sizing"): it runs Fargate Spot and ARM64 (Graviton) side by side; which platforms Fargate
  Spot offers comes from AWS's pages above (it does not say).
"""

from collections.abc import Iterator

from fglint.aws.data import load
from fglint.aws.scaling import spot_entry
from fglint.aws.services import label
from fglint.model import Service, TaskDefinition
from fglint.nodes import Node, number
from fglint.rule import Context, Related, Rule, Violation

RULE = Rule(
    code="FG806",
    name="spot-unsupported-platform",
    summary="A Fargate Spot service runs a task on a platform Fargate Spot does not offer",
    severity="error",
    tags=("capacity", "fargate"),
)

Platform = tuple[str, Node | None, str, Node | None]  # OS family and its node, architecture and its


def platform_of(task: TaskDefinition) -> Platform | None:
    """The task's OS family and CPU architecture (LINUX and X86_64 when unset); None if unknown."""
    if task.node.get("runtimePlatform") is None:
        return "LINUX", None, "X86_64", None
    platform = task.node.obj("runtimePlatform")
    if platform is None:
        return None
    system_node, arch_node = platform.get("operatingSystemFamily"), platform.get("cpuArchitecture")
    system = platform.str("operatingSystemFamily") if system_node is not None else "LINUX"
    arch = platform.str("cpuArchitecture") if arch_node is not None else "X86_64"
    if system is None or arch is None:
        return None
    return system, system_node, arch, arch_node


def version(text: str) -> tuple[int, ...] | None:
    parts = [number(p, integer=True) if p.isdigit() else None for p in text.split(".")]
    return tuple(p for p in parts if isinstance(p, int)) if None not in parts else None


def pinned_version(service: Service) -> tuple[tuple[int, ...], str, Node] | None:
    """The platform version the service pins (not LATEST), and where; None otherwise."""
    node = service.node.get("platformVersion")
    text = service.node.str("platformVersion")
    parsed = version(text) if text else None
    return (parsed, text, node) if node is not None and text and parsed else None


def service_related(service: Service) -> list[Related]:
    """Where the service is, when the Spot entry is its cluster's (the service shows none)."""
    if "capacityProviderStrategy" in service.node:
        return []
    at = service.node.get("serviceName") or service.node.get("taskDefinition") or service.node
    return [Related(at, f"{label(service)} sets no launch type or strategy of its own")]


def windows_fix(service: Service) -> str:
    if "capacityProviderStrategy" in service.node:
        return "use the `FARGATE` capacity provider only"
    return 'give the service `"launchType": "FARGATE"` or a strategy without `FARGATE_SPOT`'


def problem(service: Service, task: TaskDefinition) -> tuple[str, list[Related]] | None:
    """What keeps the task off Fargate Spot (a message tail) and where; None when nothing."""
    found = platform_of(task)
    if found is None:
        return None
    system, system_node, arch, arch_node = found
    name = task.name or "?"
    platforms = load("fargate_spot")["platforms"]
    if system not in platforms and system_node is not None:
        return (
            f"but its task `{name}` runs on {system}: Windows containers on Fargate do not "
            f"support Fargate Spot, so no task starts there; {windows_fix(service)}",
            [Related(system_node, f"task `{name}` runs on {system} here")],
        )
    needs = platforms.get(system, {}).get(arch)
    pinned = pinned_version(service)
    if needs is None or pinned is None or pinned[0] >= (version(needs) or ()):
        return None
    _, text, pinned_node = pinned
    return (
        f"but Fargate Spot runs {arch} tasks (task `{name}`) on platform version {needs} or "
        f"later, not the pinned {text}, so no task starts there; set "
        f'"platformVersion" to {needs} or LATEST',
        [
            Related(arch_node or task.node, f"task `{name}` runs on {arch} here"),
            Related(pinned_node, f"platform version {text} is pinned here"),
        ],
    )


def check(ctx: Context) -> Iterator[Violation]:
    for service in ctx.project.of(Service):
        task = service.task_definition
        spot = spot_entry(service) if task is not None else None
        found = problem(service, task) if task is not None and spot is not None else None
        if spot is None or found is None:
            continue
        tail, where = found
        via = "" if "capacityProviderStrategy" in service.node else " (its cluster's default)"
        yield Violation(
            spot.get("capacityProvider") or spot,
            f"{label(service, capital=True)} places tasks on `FARGATE_SPOT`{via}, {tail}",
            tuple(where + service_related(service)),
        )

"""## What it does
Checks a rolling deployment's `minimumHealthyPercent` and `maximumPercent` (defaults 100 and
200). A warning when `minimumHealthyPercent` is below 100 (not when, for a known `desiredCount`,
it still rounds up to every task: 50% of one task keeps one). An error when the two leave no
room to replace a task: ECS may run at most floor(desiredCount x maximumPercent / 100) tasks and
must keep ceil(desiredCount x minimumHealthyPercent / 100) of them running, so when the first is
not larger than the second (always the case when `maximumPercent` <= `minimumHealthyPercent`,
e.g. 100/100; for a known `desiredCount`, also e.g. 50/100 with one task) a deployment can
neither start a new task nor stop an old one.

## Why is this bad?
Below 100, ECS stops running tasks before their replacements are healthy, so every deploy drops
capacity (and a bad deploy drops it further). With no room between the two bounds the deployment
never progresses. For a zero-downtime rolling deploy the Fargate production guide's default (section
4) is 100/200: never below the desired count, a full extra set while rolling.

## Example
```json
{"serviceName": "checkout-api", "desiredCount": 4,
 "deploymentConfiguration": {"minimumHealthyPercent": 100, "maximumPercent": 100}}
```
Use instead:
```json
{"serviceName": "checkout-api", "desiredCount": 4,
 "deploymentConfiguration": {"minimumHealthyPercent": 100, "maximumPercent": 200}}
```

## References
- Amazon ECS API Reference, DeploymentConfiguration:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html
- Fargate production guide, section 4 ("Deployments: rolling updates and the circuit breaker"):
  "100/200 is the safe default: never drop below desired count, allow a full extra set while
  rolling".
"""

import math
from collections.abc import Iterator

from fglint.aws.scaling import rolling
from fglint.aws.services import label, partial
from fglint.model import Service
from fglint.nodes import Node, ObjectNode, as_int
from fglint.rule import Context, Rule, Violation, related

RULE = Rule(
    code="FG802",
    name="deployment-percentages-unsafe",
    summary="`minimumHealthyPercent` below 100, or no room between it and `maximumPercent`",
    severity="warning",
    tags=("deployment", "availability"),
)


def percent(config: ObjectNode | None, key: str, default: int) -> tuple[int | None, Node | None]:
    node = config.get(key) if config is not None else None
    return (as_int(node), node) if node is not None else (default, None)


def stuck(low: int, high: int, desired: int | None) -> bool:
    if high <= low:
        return True
    return (
        desired is not None
        and desired > 0
        and desired * high // 100 <= math.ceil(desired * low / 100)
    )


def keeps_all(low: int, desired: int | None) -> bool:
    """With a small desired count ECS rounds the minimum up to every task (50% of 1 is 1)."""
    return desired is not None and desired > 0 and math.ceil(desired * low / 100) >= desired


def no_room(low: int, high: int, desired: int | None) -> str:
    if not desired:
        return f"`maximumPercent` {high} is not above `minimumHealthyPercent` {low}"
    tasks = f"{desired} desired task{'s' if desired != 1 else ''}"
    return (
        f"With {tasks}, `maximumPercent` {high} allows at most {desired * high // 100} running "
        f"and `minimumHealthyPercent` {low} keeps {math.ceil(desired * low / 100)}"
    )


def check(ctx: Context) -> Iterator[Violation]:
    for service in ctx.project.of(Service):
        if not rolling(service) or service.node.str("schedulingStrategy") == "DAEMON":
            continue
        config = service.node.get("deploymentConfiguration")
        if config is not None and not isinstance(config, ObjectNode):
            continue
        if partial(service) and config is None:
            continue
        low, low_node = percent(config, "minimumHealthyPercent", 100)
        high, high_node = percent(config, "maximumPercent", 200)
        if low is None or high is None or (low_node is None and high_node is None):
            continue
        desired = service.node.int("desiredCount")
        if stuck(low, high, desired):
            yield Violation(
                high_node or low_node or service.node,
                f"{no_room(low, high, desired)}: a deployment can neither start a new task nor "
                "stop an old one, and never progresses; use 100/200",
                related(low_node, "the minimum healthy percent is set here") if high_node else (),
                severity="error",
            )
        elif low < 100 and low_node is not None and not keeps_all(low, desired):
            kept = f" (down to {math.ceil(desired * low / 100)} of {desired})" if desired else ""
            yield Violation(
                low_node,
                f"`minimumHealthyPercent` {low} lets {label(service)} stop running tasks"
                f"{kept} before their replacements are healthy: capacity drops on every deploy; "
                "use 100 (with `maximumPercent` 200)",
            )

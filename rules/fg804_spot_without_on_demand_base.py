"""## What it does
Flags a capacity provider strategy (a service's, or a cluster's default) that places tasks on
`FARGATE_SPOT` without an on-demand `FARGATE` entry whose `base` is at least 1.

## Why is this bad?
Fargate Spot can reclaim capacity with a two-minute warning, and a reclaim can take every Spot task
of the service at once; when Spot capacity is short, no new Spot task starts either. A `base` on
`FARGATE` keeps a floor of on-demand tasks that survive it. The Fargate production guide's strategy
(section 8): `FARGATE` base 2, weight 1, then `FARGATE_SPOT` weight 4.

## Example
```json
{"serviceName": "checkout-api", "desiredCount": 4,
 "capacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}]}
```
Use instead:
```json
{"serviceName": "checkout-api", "desiredCount": 4,
 "capacityProviderStrategy": [
   {"capacityProvider": "FARGATE", "base": 2, "weight": 1},
   {"capacityProvider": "FARGATE_SPOT", "weight": 4}]}
```

## References
- Amazon ECS Developer Guide, "Amazon ECS clusters for Fargate":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html
- Fargate production guide, section 8 ("Cost levers: Fargate Spot, capacity providers,
  right-sizing"): "a base of on-demand FARGATE for a guaranteed floor, then FARGATE_SPOT for the
  elastic, interruption-tolerant remainder" (`base=2`).
"""

from collections.abc import Iterator

from fglint.aws.scaling import spot_item
from fglint.model import Cluster, Resource, Service
from fglint.nodes import ListNode, Node, ObjectNode, as_int
from fglint.rule import Context, Rule, Violation, related

RULE = Rule(
    code="FG804",
    name="spot-without-on-demand-base",
    summary="`FARGATE_SPOT` without an on-demand `FARGATE` base of at least 1",
    severity="warning",
    tags=("capacity", "availability"),
)


def strategies(ctx: Context) -> Iterator[tuple[Resource, str, ListNode]]:
    for service in ctx.project.of(Service):
        node = service.node.get("capacityProviderStrategy")
        if isinstance(node, ListNode):
            yield service, f"Service `{service.name}`" if service.name else "This service", node
    for cluster in ctx.project.of(Cluster):
        node = cluster.node.get("defaultCapacityProviderStrategy")
        if isinstance(node, ListNode):
            name = f"cluster `{cluster.name}`" if cluster.name else "this cluster"
            yield cluster, f"The default capacity provider strategy of {name}", node


def on_demand_base(items: list[ObjectNode]) -> tuple[int | None, Node | None]:
    """The largest base on FARGATE (0 when none is set); None when one is unknown."""
    best, where = 0, None
    for item in items:
        if item.str("capacityProvider") != "FARGATE":
            continue
        node = item.get("base")
        base = as_int(node) if node is not None else 0
        if base is None:
            return None, None
        if base >= best:
            best, where = base, node or item
    return best, where


def check(ctx: Context) -> Iterator[Violation]:
    for _, who, node in strategies(ctx):
        if not node.known:
            continue
        items = [item for item in node.items if isinstance(item, ObjectNode)]
        spot = spot_item(items)
        base, where = on_demand_base(items)
        if spot is None or base is None or base >= 1:
            continue
        fix = (
            "give the `FARGATE` entry a `base` of 1 or more"
            if where is not None
            else 'add `{"capacityProvider": "FARGATE", "base": 1}` (or more)'
        )
        yield Violation(
            spot.get("capacityProvider") or spot,
            f"{who} places tasks on `FARGATE_SPOT` without an on-demand "
            f"floor: a Spot reclaim can stop every Spot task at once; {fix}",
            related(where, "the on-demand FARGATE entry has no base of 1 or more"),
        )

"""## What it does
Flags an ECS cluster without Container Insights: no `containerInsights` setting, or one set to
`disabled`. `enabled` and `enhanced` both pass (`enhanced`, the observability tier with
container-level metrics, is what the Fargate production guide recommends, section 7). A
put-cluster-capacity-providers input is not a cluster definition and is not checked; an
update-cluster-settings input only when it turns Container Insights off.

## Why is this bad?
Without Container Insights the cluster reports no per-task or per-service CPU, memory, network
or storage metrics: right-sizing (the Fargate production guide's third cost lever) and incident
diagnosis are guesswork. The account default (`aws ecs put-account-setting-default --name
containerInsights`) may turn it on for new clusters; saying it on the cluster makes it explicit
and reviewable.

## Example
```json
{"clusterName": "prod-cluster"}
```
Use instead:
```json
{"clusterName": "prod-cluster", "settings": [{"name": "containerInsights", "value": "enhanced"}]}
```

## References
- Amazon ECS Developer Guide, "Monitor Amazon ECS containers using Container Insights with enhanced
  observability":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cloudwatch-container-insights.html
- Fargate production guide, section 7 ("Observability: Container Insights, structured logs,
  tracing"): "Turn on Container Insights at the cluster level", with the enhanced tier "for
  container-level granularity"; section 8 right-sizes with Container Insights.
"""

import functools
from collections.abc import Iterator

from fglint.model import Cluster
from fglint.nodes import ListNode, Node, ObjectNode
from fglint.rule import Context, Fix, Rule, Violation

RULE = Rule(
    code="FG506",
    name="container-insights-off",
    summary="Cluster without Container Insights",
    severity="warning",
    tags=("observability",),
    fix="unsafe",
)

ON = {"enabled", "enhanced"}
NOT_DEFINITIONS = {"PutClusterCapacityProvidersRequest", "UpdateClusterSettingsRequest"}
ENHANCED = "Turn on Container Insights (`enhanced`; it is billed)"


def check(ctx: Context) -> Iterator[Violation]:
    for cluster in ctx.project.of(Cluster):
        name = f"cluster `{cluster.name}`" if cluster.name else "this cluster"
        settings = cluster.node.get("settings")
        if isinstance(settings, ListNode):
            insights = [
                item
                for item in settings.items
                if isinstance(item, ObjectNode) and item.str("name") == "containerInsights"
            ]
            if insights:
                value = insights[-1].get("value")
                text = insights[-1].str("value")
                if value is not None and text is not None and text not in ON:
                    yield Violation(
                        value,
                        f"Container Insights is `{text}` on {name}: no per-task or "
                        "per-service metrics; set it to `enhanced` (or `enabled`)",
                        fix=functools.partial(_enhance, ctx, value),
                    )
                continue
            if not settings.known:
                continue
        elif settings is not None:
            continue
        if cluster.shape in NOT_DEFINITIONS or cluster.conditional:
            continue
        yield Violation(
            settings if settings is not None else cluster.node,
            f"{name[0].upper()}{name[1:]} does not turn on Container Insights: add the setting "
            "`containerInsights` = `enhanced` (or `enabled`), unless the account default does",
            fix=None if settings is not None else functools.partial(_add_setting, ctx, cluster),
        )


def _enhance(ctx: Context, value: Node) -> Fix | None:
    return Fix.of(ENHANCED, [ctx.edits.replace(value, "enhanced")], safe=False)


def _add_setting(ctx: Context, cluster: Cluster) -> Fix | None:
    setting = [{"name": "containerInsights", "value": "enhanced"}]
    return Fix.of(ENHANCED, ctx.edits.set(cluster.node, "settings", setting) or (), safe=False)

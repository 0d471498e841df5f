"""## What it does
Flags a target-tracking policy whose `ScaleInCooldown` is shorter than its `ScaleOutCooldown`.
A cooldown left unset counts at its default when the namespace is known (300 s for both on an ECS
service); otherwise both must be written. Silent when `DisableScaleIn` is true.

## Why is this bad?
The Fargate production guide's policy (section 3) is asymmetric: scale out fast (cooldown 60 s),
scale in slowly (300 s). A short scale-in cooldown removes tasks again before the metric has settled
from the last scale-out, so the service oscillates, and each removal is a task drain (connection
resets if shutdown is not perfect). A long scale-out cooldown meanwhile holds back the next
scale-out under a spike.

## Example
```json
{"TargetValue": 70.0, "ScaleInCooldown": 60, "ScaleOutCooldown": 300,
 "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}
```
Use instead:
```json
{"TargetValue": 70.0, "ScaleInCooldown": 300, "ScaleOutCooldown": 60,
 "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}
```

## References
- Application Auto Scaling API Reference, TargetTrackingScalingPolicyConfiguration:
  https://docs.aws.amazon.com/autoscaling/application/APIReference/API_TargetTrackingScalingPolicyConfiguration.html
- Fargate production guide, section 3 ("Service Auto Scaling: target tracking vs step scaling"): its
  target-tracking policy sets `ScaleInCooldown` 300 and `ScaleOutCooldown` 60; "combining aggressive
  scale-in policies is what gets you into flapping".
"""

from collections.abc import Iterator

from fglint.aws.scaling import as_number, namespace, number_text, target_tracking
from fglint.model import ScalingPolicy
from fglint.nodes import Node, ObjectNode
from fglint.rule import Context, Related, Rule, Violation, Where

RULE = Rule(
    code="FG905",
    name="scale-in-cooldown-short",
    summary="Target-tracking scale-in cooldown shorter than the scale-out cooldown",
    severity="warning",
    tags=("scaling", "reliability"),
)

DEFAULT_COOLDOWN = {"ecs": 300.0}  # seconds, for both cooldowns


def cooldown(
    config: ObjectNode, key: str, default: float | None
) -> tuple[float | None, Node | None]:
    node = config.get(key)
    return (as_number(node), node) if node is not None else (default, None)


def check(ctx: Context) -> Iterator[Violation]:
    for policy in ctx.project.of(ScalingPolicy):
        config = target_tracking(policy)
        if config is None:
            continue
        if "DisableScaleIn" in config and config.bool("DisableScaleIn") is not False:
            continue
        default = DEFAULT_COOLDOWN.get(namespace(policy) or "")
        scale_in, in_node = cooldown(config, "ScaleInCooldown", default)
        scale_out, out_node = cooldown(config, "ScaleOutCooldown", default)
        if scale_in is None or scale_out is None or scale_in >= scale_out:
            continue
        where: Where = in_node or config
        out_text = number_text(scale_out) + (" s" if out_node else " s (the default)")
        in_text = number_text(scale_in) + (" s" if in_node else " s (the default)")
        related = (Related(out_node, "the scale-out cooldown is set here"),) if out_node else ()
        yield Violation(
            where,
            f"`ScaleInCooldown` {in_text} is shorter than `ScaleOutCooldown` {out_text}: "
            "the service removes tasks faster than it adds them and flaps; scale in slowly "
            "(e.g. 300 s) and out fast (e.g. 60 s)",
            related,
        )

"""## What it does
Flags a scalable target with more than one policy that can scale in, when at least one of them is
a step-scaling policy with a negative `ScalingAdjustment`. A target-tracking policy can scale in
unless `DisableScaleIn` is true. Policies are grouped by their scalable target (or, when none was
loaded, by the `ResourceId` and `ScalableDimension` they name).

Several target-tracking policies on one target are fine and not flagged: Application Auto Scaling
coordinates them, scaling out when any policy asks and in only when all of them agree (the Fargate
production guide's request-count policy plus a CPU safety net relies on this).

## Why is this bad?
Step policies are not coordinated with the others: a step policy removes tasks on its own alarm
while a target-tracking policy (or another step policy) still wants the capacity, which then adds it
back. The service flaps, and every scale-in drains tasks. The Fargate production guide (section 3):
layering scale-out policies is safe; combining scale-in policies is what gets you into flapping.

## Example
A target-tracking policy that scales in, plus a step policy on a low-CPU alarm:
```json
{"PolicyName": "cpu-low-step", "PolicyType": "StepScaling",
 "StepScalingPolicyConfiguration": {"AdjustmentType": "ChangeInCapacity",
   "StepAdjustments": [{"MetricIntervalUpperBound": 0, "ScalingAdjustment": -1}]}}
```
Use instead: let the target-tracking policy do the scale-in (drop the step policy), or set
`"DisableScaleIn": true` on the target-tracking policy and scale in with the step policy alone.

## References
- Application Auto Scaling User Guide, "Target tracking scaling policies for Application Auto
  Scaling":
  https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html
- Fargate production guide, section 3 ("Service Auto Scaling: target tracking vs step scaling"):
  "When policies disagree, Application Auto Scaling takes the largest desired count, so layering
  scale out policies is safe; combining aggressive scale-in policies is what gets you into
  flapping."
"""

from collections.abc import Iterator

from fglint.aws.scaling import (
    as_number,
    can_scale_in,
    kind,
    scaling_key,
    step_scaling,
    target_tracking,
)
from fglint.model import ScalingPolicy
from fglint.nodes import Node
from fglint.rule import Context, Related, Rule, Violation

RULE = Rule(
    code="FG907",
    name="competing-scale-in",
    summary="A step policy scales in alongside another scale-in policy on the same target",
    severity="warning",
    tags=("scaling", "reliability"),
)


def groups(policies: list[ScalingPolicy]) -> list[list[ScalingPolicy]]:
    by_key: dict[object, list[ScalingPolicy]] = {}
    for policy in policies:
        key = policy.target or scaling_key(
            policy.node.get("ResourceId"), policy.node.get("ScalableDimension")
        )
        if key is not None:
            by_key.setdefault(key, []).append(policy)
    return list(by_key.values())


def scale_in_at(policy: ScalingPolicy) -> Node:
    """The first negative adjustment of a step policy, or the target-tracking configuration."""
    config = step_scaling(policy)
    for step in config.objects("StepAdjustments") if config is not None else []:
        value = as_number(step.get("ScalingAdjustment"))
        node = step.get("ScalingAdjustment")
        if value is not None and value < 0 and node is not None:
            return node
    return target_tracking(policy) or policy.node


def name(policy: ScalingPolicy) -> str:
    return f"`{policy.name}`" if policy.name else "(unnamed)"


def describe(policy: ScalingPolicy) -> str:
    if kind(policy) == "StepScaling":
        return f"step policy {name(policy)} also scales in here"
    return f"target-tracking policy {name(policy)} also scales in (no `DisableScaleIn`)"


def check(ctx: Context) -> Iterator[Violation]:
    for group in groups(list(ctx.project.of(ScalingPolicy))):
        scaling_in = [p for p in group if can_scale_in(p) is True]
        steps = [p for p in scaling_in if kind(p) == "StepScaling"]
        if len(scaling_in) < 2 or not steps:
            continue
        first = steps[0]
        others = [p for p in scaling_in if p is not first]
        yield Violation(
            scale_in_at(first),
            f"Step policy {name(first)} scales in alongside {len(others)} other scale-in "
            f"polic{'y' if len(others) == 1 else 'ies'} on the same scalable target: step "
            "policies are not coordinated with the others, so they fight and the service "
            "flaps; leave scale-in to one policy (or set `DisableScaleIn` on target tracking)",
            tuple(Related(scale_in_at(p), describe(p)) for p in others),
        )

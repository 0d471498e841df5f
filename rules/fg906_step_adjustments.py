"""## What it does
Checks the `StepAdjustments` of a step-scaling policy against Application Auto Scaling's rules:
the intervals (`MetricIntervalLowerBound` to `MetricIntervalUpperBound`, relative to the alarm
threshold) must not overlap or leave a gap; at most one step may be unbounded below and at most
one unbounded above; no step may be unbounded on both sides; a step's lower bound must be below
its upper bound; a positive upper bound requires a step unbounded above, and a negative lower
bound one unbounded below.

## Why is this bad?
Application Auto Scaling rejects such a policy (`put-scaling-policy` fails, a Terraform apply
fails half-way). Where a gap slips through review unnoticed in a template, the metric values in
the gap trigger no scaling at all.

## Example
```json
"StepAdjustments": [
  {"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 1000, "ScalingAdjustment": 2},
  {"MetricIntervalLowerBound": 1500, "ScalingAdjustment": 5}
]
```
Use instead:
```json
"StepAdjustments": [
  {"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 1000, "ScalingAdjustment": 2},
  {"MetricIntervalLowerBound": 1000, "ScalingAdjustment": 5}
]
```

## References
- Application Auto Scaling API Reference, StepAdjustment:
  https://docs.aws.amazon.com/autoscaling/application/APIReference/API_StepAdjustment.html
- Fargate production guide, section 3 ("Service Auto Scaling: target tracking vs step scaling"): its
  step-scaling policy has adjacent steps (0 to 1000: +2; from 1000, unbounded: +5).
"""

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass

from fglint.aws.scaling import as_number, number_text, step_scaling
from fglint.model import ScalingPolicy
from fglint.nodes import ListNode, Node, ObjectNode
from fglint.rule import Context, Related, Rule, Violation

RULE = Rule(
    code="FG906",
    name="step-adjustments-invalid",
    summary="Step adjustments overlap, leave a gap, or have more than one unbounded end",
    severity="error",
    tags=("scaling", "correctness"),
)

LOWER, UPPER = "MetricIntervalLowerBound", "MetricIntervalUpperBound"


@dataclass
class Step:
    node: ObjectNode
    low: float  # -inf when unbounded below
    high: float  # +inf when unbounded above

    def at(self, key: str) -> Node:
        return self.node.get(key) or self.node


def read(node: Node) -> Step | None:
    """None when the step or one of its bounds is not known."""
    if not isinstance(node, ObjectNode):
        return None
    bounds = []
    for key, unbounded in ((LOWER, -math.inf), (UPPER, math.inf)):
        value = node.get(key)
        number = as_number(value) if value is not None else unbounded
        if number is None:
            return None
        bounds.append(number)
    return Step(node, bounds[0], bounds[1])


def show(value: float) -> str:
    return number_text(value) if math.isfinite(value) else "unbounded"


def malformed(steps: list[Step]) -> Iterator[Violation]:
    for step in steps:
        if step.low == -math.inf and step.high == math.inf:
            yield Violation(
                step.node,
                f"A step adjustment cannot be unbounded on both sides: set `{LOWER}` or `{UPPER}`",
            )
        elif step.low >= step.high:
            yield Violation(
                step.at(UPPER),
                f"The step's upper bound {show(step.high)} is not above its lower bound "
                f"{show(step.low)}",
            )


def unbounded_twice(steps: list[Step]) -> Iterator[Violation]:
    for side, key in (("below", LOWER), ("above", UPPER)):
        ends = [s for s in steps if (s.low == -math.inf if side == "below" else s.high == math.inf)]
        for extra in ends[1:]:
            yield Violation(
                extra.node,
                f"More than one step adjustment is unbounded {side} (no `{key}`): only one may be",
                (Related(ends[0].node, f"this step is also unbounded {side}"),),
            )


def gaps_and_overlaps(ordered: list[Step]) -> Iterator[Violation]:
    for before, after in itertools.pairwise(ordered):
        if before.high == after.low or before.high == after.high == math.inf:
            continue
        if before.low == after.low == -math.inf:
            continue  # reported as unbounded twice
        word = "overlaps" if after.low < before.high else "leaves a gap after"
        yield Violation(
            after.at(LOWER),
            f"This step (from {show(after.low)}) {word} the step that ends at "
            f"{show(before.high)}: step intervals must meet exactly, or Application Auto "
            "Scaling rejects the policy",
            (Related(before.at(UPPER), "the other step ends here"),),
        )


def uncovered(ordered: list[Step]) -> Iterator[Violation]:
    """A positive upper bound needs a step unbounded above; a negative lower bound, below."""
    top, bottom = max(ordered, key=lambda s: s.high), ordered[0]
    if math.isfinite(top.high) and top.high > 0:
        yield Violation(
            top.at(UPPER),
            f"No step covers metric values above {show(top.high)}: with a positive upper bound, "
            f"one step must have no `{UPPER}`",
        )
    if math.isfinite(bottom.low) and bottom.low < 0:
        yield Violation(
            bottom.at(LOWER),
            f"No step covers metric values below {show(bottom.low)}: with a negative lower "
            f"bound, one step must have no `{LOWER}`",
        )


def check(ctx: Context) -> Iterator[Violation]:
    for policy in ctx.project.of(ScalingPolicy):
        config = step_scaling(policy)
        items = config.get("StepAdjustments") if config is not None else None
        if not isinstance(items, ListNode) or not items.items:
            continue
        read_steps = [read(item) for item in items]
        steps = [step for step in read_steps if step is not None]
        if len(steps) != len(read_steps):
            continue
        found = list(malformed(steps))
        if found:
            yield from found
            continue
        ordered = sorted(steps, key=lambda s: (s.low, s.high))
        yield from unbounded_twice(steps)
        yield from gaps_and_overlaps(ordered)
        yield from uncovered(ordered)

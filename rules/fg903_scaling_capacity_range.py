"""## What it does
Checks a scalable target's capacity range: an error when `MinCapacity` is greater than
`MaxCapacity`; a warning when the service's `desiredCount` lies outside `[MinCapacity,
MaxCapacity]` (the service is linked by `service/<cluster>/<service>` or by reference).

## Why is this bad?
Application Auto Scaling rejects a minimum above the maximum. A desired count outside the range
means the deployed count and the scaling bounds disagree: registering the target moves the
service into the range at once, and every later deploy of the service definition sets the count
back outside it, a capacity swing on each release (in Terraform, `ignore_changes =
[desired_count]` on the service is the usual companion of a scalable target).

## Example
```json
{"ResourceId": "service/prod-cluster/checkout-api",
 "ScalableDimension": "ecs:service:DesiredCount", "MinCapacity": 40, "MaxCapacity": 4}
```
Use instead:
```json
{"ResourceId": "service/prod-cluster/checkout-api",
 "ScalableDimension": "ecs:service:DesiredCount", "MinCapacity": 4, "MaxCapacity": 40}
```

## References
- Application Auto Scaling API Reference, RegisterScalableTarget:
  https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html
- Fargate production guide, section 3 ("Service Auto Scaling: target tracking vs step scaling"): the
  scalable target bounds the service with `--min-capacity 4` and `--max-capacity 40`.
"""

from collections.abc import Iterator

from fglint.model import ScalableTarget
from fglint.rule import Context, Related, Rule, Violation

RULE = Rule(
    code="FG903",
    name="scaling-capacity-range",
    summary="Scalable target min above max, or the service's desired count outside [min, max]",
    severity="error",
    tags=("scaling", "correctness"),
)


def check(ctx: Context) -> Iterator[Violation]:
    for target in ctx.project.of(ScalableTarget):
        node = target.node
        low, high = node.int("MinCapacity"), node.int("MaxCapacity")
        low_node, high_node = node.get("MinCapacity"), node.get("MaxCapacity")
        if low is not None and high is not None and low > high and low_node and high_node:
            yield Violation(
                low_node,
                f"`MinCapacity` {low} is greater than `MaxCapacity` {high}: Application Auto "
                "Scaling rejects the scalable target",
                (Related(high_node, "the maximum capacity is set here"),),
            )
            continue
        service = target.service
        desired_node = service.node.get("desiredCount") if service else None
        desired = service.node.int("desiredCount") if service else None
        if desired is None or desired_node is None:
            continue
        if low is not None and low_node and desired < low:
            bound, where, word = low, low_node, "minimum"
        elif high is not None and high_node and desired > high:
            bound, where, word = high, high_node, "maximum"
        else:
            continue
        yield Violation(
            desired_node,
            f"`desiredCount` {desired} is outside the scalable target's range: its {word} "
            f"capacity is {bound}; Application Auto Scaling moves the service into the range "
            "and every deploy of this definition sets it back; keep the count inside the range",
            (Related(where, f"the scalable target's {word} capacity is set here"),),
            severity="warning",
        )

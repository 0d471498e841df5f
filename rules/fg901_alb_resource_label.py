"""## What it does
Checks the `ResourceLabel` of an `ALBRequestCountPerTarget` target-tracking policy: it must be
`app/<load-balancer-name>/<load-balancer-id>/targetgroup/<target-group-name>/<target-group-id>`,
the ends of the load balancer's and the target group's ARNs joined by `/`. Flags a label that is
missing, a full ARN, one with the `loadbalancer/` prefix left on, or one without its
`targetgroup/` part. A label built from unknown values (Terraform's
`"${aws_lb.x.arn_suffix}/${aws_lb_target_group.y.arn_suffix}"`) is correct by construction and
is not checked.

## Why is this bad?
The label names the CloudWatch metric the policy tracks. With a wrong label the policy tracks a
metric that has no data points: as the Fargate production guide puts it (section 3), the policy
"silently does nothing", and the service never scales out on load.

## Example
```json
{"TargetValue": 1000.0, "PredefinedMetricSpecification": {
  "PredefinedMetricType": "ALBRequestCountPerTarget",
  "ResourceLabel": "loadbalancer/app/checkout-alb/50dc6c495c0c9188/checkout-tg/6d0ecf831eec9f09"}}
```
Use instead:
```json
{"TargetValue": 1000.0, "PredefinedMetricSpecification": {
  "PredefinedMetricType": "ALBRequestCountPerTarget",
  "ResourceLabel": "app/checkout-alb/50dc6c495c0c9188/targetgroup/checkout-tg/6d0ecf831eec9f09"}}
```

## References
- Application Auto Scaling API Reference, PredefinedMetricSpecification:
  https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PredefinedMetricSpecification.html
- Fargate production guide, section 3 ("Service Auto Scaling: target tracking vs step scaling"):
  "The ResourceLabel is <ALB full name>/<target group full name> ... Get it wrong and the policy
  silently does nothing."
"""

import re
from collections.abc import Iterator

from fglint.aws.scaling import target_tracking
from fglint.model import ScalingPolicy
from fglint.nodes import as_str
from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG901",
    name="alb-resource-label-invalid",
    summary="`ALBRequestCountPerTarget` `ResourceLabel` is not `app/.../targetgroup/...`",
    severity="error",
    tags=("scaling", "correctness"),
)

LABEL = re.compile(r"app/[\w-]+/[0-9a-f]+/targetgroup/[\w-]+/[0-9a-f]+")
FORM = "app/<lb-name>/<lb-id>/targetgroup/<tg-name>/<tg-id>"


def diagnosis(label: str) -> str:
    if label.startswith("arn:"):
        return (
            "it is a full ARN; join the load balancer ARN's part after `loadbalancer/` to the "
            "target group ARN's part from `targetgroup/`"
        )
    if label.startswith("loadbalancer/"):
        return "drop the `loadbalancer/` prefix of the load balancer's ARN"
    if "targetgroup/" not in label:
        return "the `targetgroup/<name>/<id>` part of the target group's ARN is missing"
    return f"it must be `{FORM}`"


def check(ctx: Context) -> Iterator[Violation]:
    for policy in ctx.project.of(ScalingPolicy):
        config = target_tracking(policy)
        spec = config.obj("PredefinedMetricSpecification") if config is not None else None
        if config is None or spec is None:
            continue
        if spec.str("PredefinedMetricType") != "ALBRequestCountPerTarget":
            continue
        node = spec.get("ResourceLabel")
        if node is None:
            yield Violation(
                config.key_span("PredefinedMetricSpecification"),
                "`ALBRequestCountPerTarget` needs a `ResourceLabel` naming the target group: "
                f"`{FORM}`",
            )
            continue
        label = as_str(node)
        if label is None or LABEL.fullmatch(label):
            continue
        yield Violation(
            node,
            f"`ResourceLabel` `{label}` is not `{FORM}`: {diagnosis(label)}; with a wrong label "
            "the policy tracks a metric with no data and never scales",
        )

"""## What it does
Notes a service behind an Application Load Balancer whose only scaling policies are CPU or memory
target tracking (`ECSServiceAverageCPUUtilization`, `ECSServiceAverageMemoryUtilization`). The
policies are found through the service's scalable target, or by a policy's own `ResourceId`
(`service/<cluster>/<service>`). A step policy, a custom metric or `ALBRequestCountPerTarget`
silences it, and so does a gRPC target group (`ProtocolVersion` `GRPC`: the Fargate production guide
keeps CPU tracking for streaming, where request count says little) or a network load balancer's.

## Why is this bad?
CPU and memory lag the load of a request-driven service: an I/O-bound service (waiting on a
database, an HSM, another API) queues requests while its CPU stays low, so it scales late or never.
`ALBRequestCountPerTarget` reacts to the requests themselves, before CPU saturates. This was the
first root cause of the Fargate production guide's incident (enterprise scenario); the fix kept CPU
as a backstop.

## Example
```json
"TargetTrackingScalingPolicyConfiguration": {"TargetValue": 70,
  "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}
```
Use instead (add a request-count policy; keep CPU as a safety net if you like):
```json
"TargetTrackingScalingPolicyConfiguration": {"TargetValue": 1000,
  "PredefinedMetricSpecification": {"PredefinedMetricType": "ALBRequestCountPerTarget",
    "ResourceLabel": "app/checkout-alb/50dc6c495c0c9188/targetgroup/checkout-tg/6d0ecf831eec9f09"}}
```

## References
- Amazon ECS Developer Guide, "Use a target metric to scale Amazon ECS services":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-autoscaling-targettracking.html
- Fargate production guide, section 3 ("Service Auto Scaling: target tracking vs step scaling"): for
  a request-driven service behind an ALB, ALBRequestCountPerTarget "is the cleanest signal ... and
  it reacts before CPU saturates"; its enterprise scenario scaled an I/O-bound service on CPU, which
  "reacted late".
"""

from collections.abc import Iterator

from fglint.aws.scaling import CPU_OR_MEMORY, target_tracking
from fglint.aws.services import label, load_balanced, load_balancers
from fglint.model import ScalingPolicy, Service
from fglint.nodes import Node
from fglint.rule import Context, Related, Rule, Violation

RULE = Rule(
    code="FG904",
    name="scaled-on-cpu-only",
    summary="A load-balanced service scales only on CPU or memory, not on request count",
    severity="note",
    tags=("scaling", "performance"),
)

NOT_ALB = {"TCP", "UDP", "TCP_UDP", "TLS", "GENEVE"}


def behind_alb(service: Service) -> bool:
    """Load balanced through a target group that is not known to be a network load balancer's."""
    if load_balanced(service) is not True:
        return False
    if not any("targetGroupArn" in entry for entry in load_balancers(service) or []):
        return False
    if any(group.node.str("ProtocolVersion") == "GRPC" for group in service.target_groups):
        return False  # Fargate production guide, section 3: CPU tracking suits gRPC streaming
    protocols = {group.node.str("Protocol") for group in service.target_groups}
    return not service.target_groups or not protocols <= NOT_ALB


def cpu_or_memory_only(policies: list[ScalingPolicy]) -> list[tuple[str, Node]] | None:
    """(metric, where it is set) per policy when every policy tracks CPU or memory."""
    found = []
    for policy in policies:
        config = target_tracking(policy)
        spec = config.obj("PredefinedMetricSpecification") if config is not None else None
        metric = spec.str("PredefinedMetricType") if spec is not None else None
        if spec is None or metric is None or metric not in CPU_OR_MEMORY:
            return None
        found.append((metric, spec.get("PredefinedMetricType") or spec))
    return found


def check(ctx: Context) -> Iterator[Violation]:
    for service in ctx.project.of(Service):
        policies = service.scaling_policies
        metrics = cpu_or_memory_only(policies) if policies else None
        if not metrics or not behind_alb(service):
            continue
        names = " and ".join(f"`{m}`" for m in sorted({metric for metric, _ in metrics}))
        balancer = service.node.get("loadBalancers") or service.node
        others = tuple(
            Related(at, f"also `{metric}` target tracking") for metric, at in metrics[1:]
        )
        yield Violation(
            metrics[0][1],
            f"{label(service, capital=True)} is behind a load balancer but scales only on {names}: "
            "they lag an I/O-bound service's load; add an `ALBRequestCountPerTarget` "
            "target-tracking policy (keep CPU as a backstop)",
            (Related(balancer, "the service's load balancer is configured here"), *others),
        )

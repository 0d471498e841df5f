"""## What it does
Checks an ECS scalable target (and a scaling policy for one): in the `ecs` service namespace the
`ResourceId` must be `service/<cluster-name>/<service-name>` and the `ScalableDimension` must be
`ecs:service:DesiredCount`. Flags a service ARN, a missing cluster segment, or another
dimension.

## Why is this bad?
Application Auto Scaling rejects the registration, or registers a target that matches no service,
so the service never scales. A full ARN or `service/<service-name>` alone is the usual slip.

## Example
```json
{"ServiceNamespace": "ecs", "ResourceId": "service/checkout-api",
 "ScalableDimension": "ecs:service:DesiredCount", "MinCapacity": 4, "MaxCapacity": 40}
```
Use instead:
```json
{"ServiceNamespace": "ecs", "ResourceId": "service/prod-cluster/checkout-api",
 "ScalableDimension": "ecs:service:DesiredCount", "MinCapacity": 4, "MaxCapacity": 40}
```

## References
- Application Auto Scaling API Reference, RegisterScalableTarget:
  https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html
- Fargate production guide, section 3 ("Service Auto Scaling: target tracking vs step scaling"): the
  service is registered as a scalable target with `--resource-id service/prod-cluster/checkout-api`
  and `--scalable-dimension ecs:service:DesiredCount`.
"""

from collections.abc import Iterator

from fglint.aws.scaling import service_resource_id
from fglint.model import Resource, ScalableTarget, ScalingPolicy
from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG902",
    name="scalable-target-resource-id",
    summary="ECS scalable target not `service/<cluster>/<service>` with `ecs:service:DesiredCount`",
    severity="error",
    tags=("scaling", "correctness"),
)

DIMENSION = "ecs:service:DesiredCount"


def ecs(resource: Resource) -> bool:
    namespace = resource.node.str("ServiceNamespace")
    if namespace is not None:
        return namespace == "ecs"
    return (resource.node.str("ScalableDimension") or "").startswith("ecs:")


def check(ctx: Context) -> Iterator[Violation]:
    resources: list[Resource] = [*ctx.project.of(ScalableTarget), *ctx.project.of(ScalingPolicy)]
    for resource in resources:
        if not ecs(resource):
            continue
        node = resource.node
        resource_id = node.str("ResourceId")
        if resource_id is not None and service_resource_id(resource_id) is None:
            hint = ""
            if resource_id.startswith("arn:"):
                hint = ": an ARN is not accepted here"
            elif resource_id.count("/") == 1:
                hint = ": the cluster name is missing"
            yield Violation(
                node.get("ResourceId") or node,
                f"`ResourceId` `{resource_id}` is not `service/<cluster-name>/<service-name>`"
                f"{hint}; Application Auto Scaling cannot find the ECS service",
            )
        dimension = node.str("ScalableDimension")
        if dimension is not None and dimension != DIMENSION:
            yield Violation(
                node.get("ScalableDimension") or node,
                f"`ScalableDimension` `{dimension}` is not valid for an ECS service: the only "
                f"dimension is `{DIMENSION}`",
            )

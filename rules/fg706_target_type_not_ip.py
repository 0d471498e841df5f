"""## What it does
Flags a target group of an awsvpc service (every Fargate service) whose `TargetType` is not `ip`,
including a target group that leaves it unset: ELBv2's default is `instance`. The service and
the target group may be in separate files, linked by reference or by the name in the target
group's ARN.

## Why is this bad?
An awsvpc task has its own network interface and registers with the load balancer by IP. ECS
cannot register it in an `instance` target group, so creating or updating the service fails
("target type instance, which is incompatible with the awsvpc network mode").

## Example
```hcl
resource "aws_lb_target_group" "auth" {
  name     = "auth-tg"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = var.vpc_id
}
```
Use instead (the Fargate production guide's fixed target group, from its enterprise scenario):
```hcl
resource "aws_lb_target_group" "auth" {
  name        = "auth-tg"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip" # required for awsvpc/Fargate tasks
  vpc_id      = var.vpc_id
}
```

## References
- Amazon ECS Developer Guide, "Use an Application Load Balancer for Amazon ECS":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/alb.html
- Elastic Load Balancing API Reference, CreateTargetGroup:
  https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
- Fargate production guide, enterprise scenario (a payment service behind an ALB): its fixed target
  group sets `target_type = "ip"`, "required for awsvpc/Fargate tasks".
"""

from collections.abc import Iterator

from fglint.aws.facts import MODIFY_ATTRIBUTES
from fglint.aws.services import awsvpc, label, load_balancers, target_groups_of
from fglint.model import Service
from fglint.nodes import as_str
from fglint.rule import Context, Related, Rule, Violation

RULE = Rule(
    code="FG706",
    name="target-type-not-ip",
    summary="Target group of an awsvpc service does not register targets by IP",
    severity="error",
    tags=("load-balancing", "networking", "correctness"),
)

DEFAULT_KNOWN = ("", "CreateTargetGroupRequest")  # an omitted TargetType means `instance`


def check(ctx: Context) -> Iterator[Violation]:
    seen: set[int] = set()
    for service in ctx.project.of(Service):
        if awsvpc(service) is not True:
            continue
        for entry in load_balancers(service) or []:
            for group in target_groups_of(service, entry):
                node = group.node.get("TargetType")
                value = as_str(node) if node is not None else None
                if node is None and group.shape in DEFAULT_KNOWN:
                    value = "instance"
                if value in (None, "ip") or group.shape == MODIFY_ATTRIBUTES:
                    continue
                where = node or group.node
                if id(where) in seen:
                    continue
                seen.add(id(where))
                default = "" if node else " (the default)"
                yield Violation(
                    where,
                    f"{label(group, True)} has target type `{value}`{default}, but "
                    f"{label(service)} runs awsvpc tasks, which register by IP: ECS "
                    "cannot register them and the service fails to deploy; set TargetType "
                    '(Terraform target_type) to "ip"',
                    related=(
                        Related(
                            entry.get("targetGroupArn") or entry,
                            f"{label(service)} uses the target group here",
                        ),
                    ),
                )

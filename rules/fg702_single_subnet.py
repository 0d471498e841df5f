"""## What it does
Flags a service whose `awsvpcConfiguration.subnets` lists fewer than two subnets, and, when the
subnets' Availability Zones are known (Terraform or CloudFormation subnets, or a
describe-subnets output loaded in the same run), subnets that all sit in one Availability Zone.
A single entry that is an expression is flagged only when it refers to one subnet resource and
not through a splat: in Terraform 0.11 `["${aws_subnet.private.*.id}"]` expands to a whole list,
one subnet per `count` instance.

## Why is this bad?
A service in one subnet lives in one Availability Zone: a zone outage takes all of its tasks down
at once, and ECS cannot spread tasks for resilience. Every new task during a deploy also draws its
IP from that one subnet.

## Example
```json
{"serviceName": "checkout-api", "launchType": "FARGATE",
 "networkConfiguration": {"awsvpcConfiguration": {
   "subnets": ["subnet-0aaa1111"], "securityGroups": ["sg-0task55555"]}}}
```
Use instead (private subnets in different Availability Zones):
```json
{"serviceName": "checkout-api", "launchType": "FARGATE",
 "networkConfiguration": {"awsvpcConfiguration": {
   "subnets": ["subnet-0aaa1111", "subnet-0bbb2222"], "securityGroups": ["sg-0task55555"]}}}
```

## References
- Amazon ECS Developer Guide, "Amazon ECS capacity and availability":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/capacity-availability-best-practice.html
- Fargate production guide, section 2 ("awsvpc networking: one ENI and security group per task"):
  "Spread tasks across at least two private subnets in different AZs".
"""

from collections.abc import Iterator

from fglint.aws.services import awsvpc_configuration, label
from fglint.model import Service
from fglint.nodes import ListNode, as_str, splat
from fglint.rule import Context, Related, Rule, Violation

RULE = Rule(
    code="FG702",
    name="single-subnet",
    summary="Service tasks run in fewer than two subnets or Availability Zones",
    severity="warning",
    tags=("networking", "reliability"),
)


def check(ctx: Context) -> Iterator[Violation]:
    for service in ctx.project.of(Service):
        config = awsvpc_configuration(service)
        node = config.get("subnets") if config else None
        if not isinstance(node, ListNode) or any(as_str(i) == "" or splat(i) for i in node):
            continue
        if not node.items:
            yield Violation(
                node,
                f"{label(service, True)} lists no subnets: ECS cannot place awsvpc tasks without "
                "one; list private subnets in at least two Availability Zones",
            )
            continue
        if len(node) == 1 and (as_str(node.items[0]) or len(service.subnets) == 1):
            yield Violation(
                node,
                f"{label(service, True)} lists one subnet, so all its tasks run in one "
                "Availability Zone: a zone outage stops them all; list private subnets in at "
                "least two Availability Zones",
            )
            continue
        zones = {as_str(s.node.get("AvailabilityZone")) for s in service.subnets}
        if len(service.subnets) != len(node) or None in zones or len(zones) != 1:
            continue
        zone = zones.pop()
        yield Violation(
            node,
            f"{label(service, True)} lists {len(node)} subnets, all in Availability Zone "
            f"{zone}: a zone outage stops every task; add a subnet in another Availability Zone",
            related=tuple(
                Related(s.node.get("AvailabilityZone") or s.node, f"subnet `{s.name}` is in {zone}")
                for s in service.subnets
            ),
        )

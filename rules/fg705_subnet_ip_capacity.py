"""## What it does
Checks that a service's subnets have enough IP addresses for a rolling deploy. Each awsvpc task
takes one IP; during a deploy ECS runs up to `maximumPercent` of the task count (a CodeDeploy
blue/green deploy runs a full second set). Peak tasks = ceil(N x maximumPercent / 100), where N
is the larger of `desiredCount` and the service's scaling `MaxCapacity`; usable IPs per subnet =
2^(32 - prefix) - 5 (AWS reserves five addresses in every subnet). Reported only when every
subnet's CIDR block is known (Terraform or CloudFormation subnets, or a describe-subnets output
loaded in the same run) and so is the count.

## Why is this bad?
When the subnets run out of addresses, new tasks fail to start with "not enough IP addresses
available", the deploy stalls half way and scale-out stops exactly when it is needed. And the
service shares these subnets with everything else placed in them.

## Example
```hcl
resource "aws_subnet" "a" { cidr_block = "10.0.1.0/27" }   # 27 usable IPs
resource "aws_subnet" "b" { cidr_block = "10.0.2.0/27" }   # 27 usable IPs
resource "aws_ecs_service" "api" {
  desired_count = 40                                        # a deploy peaks at 80 tasks
  network_configuration { subnets = [aws_subnet.a.id, aws_subnet.b.id] }
}
```
Use instead: subnets of /24 or larger for a sizeable service (251 usable IPs each), or a lower
`maximumPercent` if the service can deploy in smaller batches.

## References
- Amazon VPC User Guide, "Subnet CIDR blocks":
  https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html
- Amazon ECS Developer Guide, "Amazon ECS task networking options for Fargate":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html
- Fargate production guide, section 2 ("awsvpc networking: one ENI and security group per task"):
  each running task consumes a subnet IP, and a rolling deploy briefly runs more tasks than steady
  state: a 40-task service at maximumPercent 200 needs "up to ~80 task IPs"; "Size subnets
  accordingly". AWS's subnet page is more complete, and fglint follows it: five addresses of
  every subnet are reserved and cannot go to tasks.
"""

import ipaddress
import math
from collections.abc import Iterator

from fglint.aws.services import awsvpc_configuration, controller_type, label
from fglint.model import Service, Subnet
from fglint.nodes import ListNode, Node, as_int, as_str
from fglint.rule import Context, Related, Rule, Violation

RULE = Rule(
    code="FG705",
    name="subnet-ip-capacity",
    summary="Subnets too small for the service's rolling deploy",
    severity="warning",
    tags=("networking", "deployment", "reliability"),
)

RESERVED_PER_SUBNET = 5


def usable_ips(subnet: Subnet) -> tuple[int, str] | None:
    text = as_str(subnet.node.get("CidrBlock"))
    try:
        network = ipaddress.IPv4Network(text or "", strict=False)
    except ValueError:
        return None
    return max(network.num_addresses - RESERVED_PER_SUBNET, 0), str(network)


def task_count(service: Service) -> tuple[int, Node, str] | None:
    """The largest known of desiredCount and the scaling maximum, with where it is set."""
    found: list[tuple[int, Node, str]] = []
    desired = service.node.get("desiredCount")
    if as_int(desired) is not None and desired is not None:
        found.append((as_int(desired) or 0, desired, "desiredCount"))
    for target in service.scalable_targets:
        node = target.node.get("MaxCapacity")
        value = as_int(node)
        if node is not None and value is not None:
            found.append((value, node, "the scaling maximum"))
    return max(found, key=lambda item: item[0]) if found else None


def peak_percent(service: Service) -> tuple[int, str] | None:
    """(percent of the task count running at a deploy's peak, how it is set)."""
    kind = controller_type(service)
    if kind == "CODE_DEPLOY":
        return 200, "200% for a blue/green deploy"
    if kind != "ECS":
        return None
    config = service.node.obj("deploymentConfiguration")
    node = config.get("maximumPercent") if config else None
    if node is None:
        return 200, "maximumPercent 200%, the default"
    value = as_int(node)
    return (value, f"maximumPercent {value}%") if value is not None else None


def check(ctx: Context) -> Iterator[Violation]:
    for service in ctx.project.of(Service):
        config = awsvpc_configuration(service)
        listed = config.get("subnets") if config else None
        if not isinstance(listed, ListNode) or len(service.subnets) != len(listed) or not listed:
            continue
        sizes = [usable_ips(subnet) for subnet in service.subnets]
        count, percent = task_count(service), peak_percent(service)
        if None in sizes or count is None or percent is None:
            continue
        usable = sum(size[0] for size in sizes if size)
        peak = math.ceil(count[0] * percent[0] / 100)
        if peak <= usable:
            continue
        blocks = ", ".join(f"{size[1]}: {size[0]}" for size in sizes if size)
        yield Violation(
            listed,
            f"A deploy of {label(service)} can run {peak} tasks ({count[2]} "
            f"{count[0]} x {percent[1]}), one IP each, but its subnets have {usable} usable "
            f"IPs in all ({blocks}, after the 5 AWS reserves in each), shared with anything "
            "else placed in them: tasks will fail to start for lack of an IP; use larger "
            "subnets (a /24 has 251 usable) or a lower maximumPercent",
            related=(
                Related(count[1], f"{count[2]} is set here"),
                *(
                    Related(s.node.get("CidrBlock") or s.node, f"subnet `{s.name}`'s CIDR block")
                    for s in service.subnets
                ),
            ),
        )

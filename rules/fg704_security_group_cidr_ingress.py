"""## What it does
Looks at the ingress rules of the security groups attached to a service (Terraform and
CloudFormation security groups, or a describe-security-groups output loaded in the same run) and
flags rules that admit traffic by CIDR range. `0.0.0.0/0` and `::/0` are flagged on every
service; other ranges on a service behind a load balancer that has security groups (an ALB), where
the task should admit only the load balancer's security group. A service behind a Network Load
Balancer only (target groups with protocol TCP, UDP, TCP_UDP or TLS) may need CIDR rules and is
flagged only for the world-open ranges.

## Why is this bad?
Each awsvpc task is its own network endpoint. A CIDR rule admits every address in the range,
including hosts that should go through the load balancer, and `0.0.0.0/0` admits the whole
internet to any task with a public IP. Referencing the load balancer's security group admits
exactly the load balancer, wherever its addresses move. The Fargate production guide (section
2): "reference SGs by ID, never CIDR".

## Example
```hcl
resource "aws_security_group" "task" {
  ingress {
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
```
Use instead:
```hcl
resource "aws_security_group" "task" {
  ingress {
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.alb.id]
  }
}
```

## References
- Amazon ECS Developer Guide, "Network security best practices for Amazon ECS":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/security-network.html
- Amazon VPC User Guide, "Security group rules":
  https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
- Fargate production guide, section 2 ("awsvpc networking: one ENI and security group per task"):
  "The task security group should allow inbound only from the ALB's security group on the container
  port ... reference SGs by ID, never CIDR."
"""

from collections.abc import Iterator

from fglint.aws.services import awsvpc_configuration, label, load_balanced
from fglint.model import SecurityGroup, Service
from fglint.nodes import Node, ObjectNode, UnknownNode, as_int, as_str
from fglint.rule import Context, Related, Rule, Violation

RULE = Rule(
    code="FG704",
    name="security-group-cidr-ingress",
    summary="Service security group admits ingress by CIDR instead of the load balancer's group",
    severity="warning",
    tags=("networking", "security"),
    security_severity=6.5,
)

WORLD = ("0.0.0.0/0", "::/0")
NLB_PROTOCOLS = ("TCP", "UDP", "TCP_UDP", "TLS")


def cidrs(permission: ObjectNode) -> Iterator[tuple[str, Node]]:
    for key, field in (("IpRanges", "CidrIp"), ("Ipv6Ranges", "CidrIpv6")):
        for item in permission.objects(key):
            node = item.get(field)
            text = as_str(node)
            if node is not None and text:
                yield text, node


def ports(permission: ObjectNode) -> str:
    low, high = as_int(permission.get("FromPort")), as_int(permission.get("ToPort"))
    if permission.str("IpProtocol") == "-1" or low in (None, -1):
        return "on all ports"
    return f"on port {low}" if low == high or high is None else f"on ports {low}-{high}"


def behind_security_grouped_balancer(service: Service) -> bool:
    """Load balanced, and not only through Network Load Balancer target groups."""
    if load_balanced(service) is not True:
        return False
    protocols = [as_str(g.node.get("Protocol")) for g in service.target_groups]
    return not (protocols and all(p in NLB_PROTOCOLS for p in protocols))


def attachment(service: Service, group: SecurityGroup) -> Node:
    """The service's securityGroups entry that names the group."""
    config = awsvpc_configuration(service)
    for item in config.list("securityGroups") if config else []:
        if isinstance(item, UnknownNode) and item.ref and item.ref == group.address:
            return item
        if as_str(item) and as_str(item) == group.node.str("GroupId"):
            return item
    return config or service.node


def check(ctx: Context) -> Iterator[Violation]:
    seen: set[int] = set()
    for service in ctx.project.of(Service):
        strict = behind_security_grouped_balancer(service)
        for group in service.security_groups:
            for permission in group.node.objects("IpPermissions"):
                for cidr, node in cidrs(permission):
                    if id(node) in seen or not (cidr in WORLD or strict):
                        continue
                    seen.add(id(node))
                    who = "any address" if cidr in WORLD else "every host in that range"
                    yield Violation(
                        node,
                        f"Security group `{group.name}` of {label(service)} admits "
                        f"{cidr} {ports(permission)}, which lets {who} reach the tasks directly; "
                        "admit the load balancer's security group instead (Terraform "
                        "security_groups / source_security_group_id, CloudFormation "
                        "SourceSecurityGroupId)",
                        related=(
                            Related(
                                attachment(service, group),
                                f"the group is attached to {label(service)} here",
                            ),
                        ),
                    )

"""IAM roles and policies, and security groups with their rules (in EC2's `IpPermissions`
shape), from a template: who may do what, and what may reach what. IAM and EC2 keep
CloudFormation's PascalCase."""

from __future__ import annotations

from fglint.frontends.cloudformation.resources import Builder, named
from fglint.model import IamPolicy, IamRole, Resource, SecurityGroup
from fglint.nodes import ListNode, Node, ObjectNode, ScalarNode, UnknownNode


def role(builder: Builder, logical_id: str, properties: ObjectNode) -> None:
    node = builder.root(logical_id, properties)
    name = named(logical_id, properties, "RoleName")
    made = IamRole(node, builder.file, name=name, address=builder.address(logical_id))
    arns = properties.get("ManagedPolicyArns")
    made.managed_policy_arns = arns.items if isinstance(arns, ListNode) else []
    if arns is not None and not isinstance(arns, ListNode):
        made.managed_policy_arns = [arns]
    builder.add(logical_id, made)
    policies = properties.get("Policies")
    for item in policies.items if isinstance(policies, ListNode) else [policies]:
        if item is None:
            continue
        policy_name = item.str("PolicyName") if isinstance(item, ObjectNode) else None
        document = item.get("PolicyDocument") if isinstance(item, ObjectNode) else item
        policy = IamPolicy(as_document(document or item), builder.file, name=policy_name or name)
        policy.roles.append(made.address)
        made.policies.append(policy)
        builder.project.add(policy)


def as_document(node: Node) -> ObjectNode:
    """A policy document; one that is an expression is a document with unknown statements."""
    if isinstance(node, ObjectNode):
        return node
    return ObjectNode(node.span, {"Statement": node}, {"Statement": node.span})


def policy(builder: Builder, logical_id: str, properties: ObjectNode) -> None:
    """`AWS::IAM::Policy` / `ManagedPolicy`, attached to the template's roles it names (by
    reference or by `RoleName`), or that list it in their `ManagedPolicyArns`."""
    document = properties.get("PolicyDocument") or properties
    name = properties.str("PolicyName") or properties.str("ManagedPolicyName") or logical_id
    address = builder.address(logical_id)
    made = IamPolicy(as_document(document), builder.file, name=name, address=address)
    builder.add(logical_id, made)
    for item in properties.list("Roles"):
        found = builder.target(item) or role_named(builder, item)
        if isinstance(found, IamRole):
            attach(made, found)
    for found in [r for r in builder.built.values() if isinstance(r, IamRole)]:
        if any(isinstance(n, UnknownNode) and n.ref == address for n in found.managed_policy_arns):
            attach(made, found)
            found.managed_policy_arns = [
                n for n in found.managed_policy_arns if getattr(n, "ref", None) != address
            ]


def role_named(builder: Builder, node: Node) -> Resource | None:
    name = node.value if isinstance(node, ScalarNode) else None
    roles = [r for r in builder.built.values() if isinstance(r, IamRole)]
    return next((r for r in roles if name and r.node.str("RoleName") == name), None)


def attach(policy: IamPolicy, role: IamRole) -> None:
    if role.address not in policy.roles:
        policy.roles.append(role.address)
        role.policies.append(policy)


def security_group(builder: Builder, logical_id: str, properties: ObjectNode) -> None:
    node = builder.root(logical_id, properties)
    for key, shaped, peer in (
        ("SecurityGroupIngress", "IpPermissions", "SourceSecurityGroupId"),
        ("SecurityGroupEgress", "IpPermissionsEgress", "DestinationSecurityGroupId"),
    ):
        rules = ip_permissions(node.fields.pop(key, None), peer)
        if rules is not None:
            node.fields[shaped] = rules
            node.keys[shaped] = node.keys.pop(key)
    name = named(logical_id, properties, "GroupName")
    address = builder.address(logical_id)
    builder.add(logical_id, SecurityGroup(node, builder.file, name=name, address=address))


def security_group_rule(builder: Builder, logical_id: str, properties: ObjectNode) -> None:
    """A standalone ingress/egress rule joins its group when the group is in the template."""
    group = builder.target(properties.get("GroupId"))
    if not isinstance(group, SecurityGroup):
        return
    egress = builder.types[logical_id] == "AWS::EC2::SecurityGroupEgress"
    key = "IpPermissionsEgress" if egress else "IpPermissions"
    peer = "DestinationSecurityGroupId" if egress else "SourceSecurityGroupId"
    rule = ip_permission(builder.root(logical_id, properties), peer)
    rules = group.node.get(key)
    if rules is None:
        rules = group.node.fields[key] = ListNode(rule.span)
        group.node.keys[key] = rule.span
    if isinstance(rules, ListNode):
        rules.items.append(rule)


def ip_permission(rule: Node, peer: str = "SourceSecurityGroupId") -> Node:
    """A CloudFormation ingress/egress rule in EC2 `IpPermissions` shape."""
    if not isinstance(rule, ObjectNode):
        return rule
    result = ObjectNode(rule.span)
    for key in ("IpProtocol", "FromPort", "ToPort"):
        if key in rule:
            result.fields[key], result.keys[key] = rule.fields[key], rule.key_span(key)
    nested = {
        "CidrIp": ("IpRanges", "CidrIp"),
        "CidrIpv6": ("Ipv6Ranges", "CidrIpv6"),
        peer: ("UserIdGroupPairs", "GroupId"),
        "SourceSecurityGroupName": ("UserIdGroupPairs", "GroupName"),
        "SourcePrefixListId": ("PrefixListIds", "PrefixListId"),
        "DestinationPrefixListId": ("PrefixListIds", "PrefixListId"),
    }
    for key, (outer, inner) in nested.items():
        value = rule.get(key)
        if value is not None:
            entry = ObjectNode(value.span, {inner: value}, {inner: rule.key_span(key)})
            result.fields[outer] = ListNode(value.span, [entry])
            result.keys[outer] = rule.key_span(key)
    return result


def ip_permissions(node: Node | None, peer: str) -> Node | None:
    if isinstance(node, ListNode):
        return ListNode(node.span, [ip_permission(rule, peer) for rule in node.items])
    return node

"""Terraform (HCL) front-end: a module's resources, mapped into the model with exact locations.

A module is a directory: linting one .tf file loads the directory's other .tf files (and its
`terraform.tfvars` / `*.auto.tfvars`) for context, and reports only on the files asked for.
The tables of `tf_resources` map each resource type into the AWS API shape the rules read;
the functions here join what Terraform splits over several resources (a role and its policy
attachments, a security group and its rules, a cluster and its capacity providers).
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from weakref import WeakKeyDictionary

from fglint.files import depend, look, note, read, used
from fglint.frontends.jsonpos import JsonSyntaxError, parse_json
from fglint.frontends.terraform import json_syntax, tables
from fglint.frontends.terraform.module import Definitions, Folders, Instance, Scoped
from fglint.frontends.terraform.parse import HclSyntaxError, check_depth, check_labels, parse
from fglint.frontends.terraform.syntax import Attribute, Block, Body, duplicates
from fglint.model import (
    Cluster,
    ExpressService,
    IamPolicy,
    IamRole,
    Project,
    Resource,
    ScalableTarget,
    ScalingPolicy,
    ScheduledTask,
    SecurityGroup,
    Service,
    SourceFile,
    Subnet,
    TargetGroup,
    TaskDefinition,
    header,
    parse_problem,
)
from fglint.nodes import (
    ListNode,
    Node,
    ObjectNode,
    ScalarNode,
    Span,
    UnknownNode,
    as_str,
    walk,
)

TASK_DEFINITION = "aws_ecs_task_definition."
# `project.settings` entry: folders built as root modules by a run whose result was saved (the
# model cache), besides those built in this process (`Folders.roots`)
BUILT = "terraform.built"
# resource type -> (model class, table)
RESOURCES: dict[str, tuple[type[Resource], tables.Table]] = {
    "aws_ecs_task_definition": (TaskDefinition, tables.TASK_DEFINITION),
    "aws_ecs_service": (Service, tables.SERVICE),
    "aws_ecs_cluster": (Cluster, tables.CLUSTER),
    "aws_lb_target_group": (TargetGroup, tables.TARGET_GROUP),
    "aws_alb_target_group": (TargetGroup, tables.TARGET_GROUP),
    "aws_appautoscaling_target": (ScalableTarget, tables.SCALABLE_TARGET),
    "aws_appautoscaling_policy": (ScalingPolicy, tables.SCALING_POLICY),
    "aws_security_group": (SecurityGroup, tables.SECURITY_GROUP),
    "aws_subnet": (Subnet, tables.SUBNET),
    "aws_iam_role": (IamRole, tables.IAM_ROLE),
    "aws_ecs_express_gateway_service": (ExpressService, tables.EXPRESS_SERVICE),
}


def load(file: SourceFile, project: Project) -> None:
    folders = folders_of(project)
    given = Path(file.abspath).parent
    folder = given.resolve()
    built = folder in folders.roots or str(folder) in project.settings.get(BUILT, ())
    note(project, "built", str(folder), "1" if built else "0")
    if built:
        return  # built already; its files are reported once they are asked for
    folders.roots.add(folder)
    report = {file.abspath} if file.report else set()
    definitions = folders.get(given, report, also=Path(file.abspath))
    file.kind = "terraform"
    load_tfvars(folder, definitions, project)
    build(Instance(definitions, project, folders), project)


_FOLDERS: WeakKeyDictionary[Project, Folders] = WeakKeyDictionary()


def folders_of(project: Project) -> Folders:
    found = _FOLDERS.get(project)
    if found is None:
        found = _FOLDERS[project] = Folders(project, parse_body)
    return found


def parse_body(file: SourceFile, project: Project) -> Body | None:
    file.kind = "terraform"
    if file.abspath.endswith(".json"):
        return json_syntax.read_body(file, project.problems)
    try:
        tree = parse(file.text)
        check_depth(tree, project.limits.depth, file.path)
        check_labels(tree)
    except HclSyntaxError as error:
        span = Span(file.path, error.line, error.col, error.line, error.col + 1)
        project.problems.append(parse_problem(span, error.message))
        return None
    project.problems += duplicates(tree, file)
    return Body.read(tree.children[0], file)


def load_tfvars(folder: Path, definitions: Definitions, project: Project) -> None:
    """`terraform.tfvars`, then `*.auto.tfvars` in name order (later files win), as Terraform,
    then the `--var-file` files in the order given."""
    look(folder, project)
    names = ["terraform.tfvars", "terraform.tfvars.json"]
    auto = sorted(p.name for p in folder.glob("*.auto.tfvars*") if p.suffix in (".tfvars", ".json"))
    paths = [folder / name for name in names + auto]
    paths += [Path(p) for p in project.settings.get("terraform.var_files", [])]
    for path in paths:
        if not os.path.isfile(path):
            depend(path, project)
            continue
        file = next((f for f in project.files if f.abspath == str(path.resolve())), None)
        if file is not None:
            used(file, project)
        file = file or read(path.resolve(), project, report=False)
        if file is None:
            continue
        if path.name.endswith(".json"):
            definitions.tfvars.update(json_tfvars(file))
        else:
            body = parse_body(file, project)
            if body is not None:
                definitions.tfvars.update(body.attrs)


def json_tfvars(file: SourceFile) -> dict[str, Attribute | Node]:
    try:
        root, _ = parse_json(file.text, file.path)
    except JsonSyntaxError:
        return {}
    return dict(root.fields) if isinstance(root, ObjectNode) else {}


def ignores_changes(scope: Scoped, block: Block, argument: str) -> bool:
    """Does `lifecycle { ignore_changes = [...] }` name the argument (or `all`)?"""
    for lifecycle in block.body.blocks_of("lifecycle"):
        attr = lifecycle.body.attrs.get("ignore_changes")
        value = scope.value(attr) if attr is not None else None
        items = value.items if isinstance(value, ListNode) else [value] if value else []
        for item in items:
            text = item.text if isinstance(item, UnknownNode) else as_str(item)
            if text in (argument, "all"):
                return True
    return False


def build(instance: Instance, project: Project) -> None:
    """The instance's resources into the model, then its module calls' resources; nothing when
    one of its preconditions fails."""
    if instance.refused():
        return
    built: dict[Block, Resource] = {}
    for address, block in instance.definitions.blocks():
        kind = RESOURCES.get(block.labels[0])
        if address.startswith("data.") or kind is None:
            continue
        for key, names in instance.expand(block):
            resource = build_one(instance.scoped(names), block, f"{address}{key}", kind)
            resource.header = header(block.key_span, block.file.line(block.key_span.line))
            built.setdefault(block, resource)
            project.add(resource)
    Joiner(instance, project, built).run()
    for calls in instance.children().values():
        for _, child in calls:
            build(child, project)


def build_one(
    scope: Scoped, block: Block, address: str, kind: tuple[type[Resource], tables.Table]
) -> Resource:
    cls, table = kind
    node = ObjectNode(block.span)
    tables.fill(scope, block.body, table, node)
    count = node.get("desiredCount")
    if cls is Service and count is not None and ignores_changes(scope, block, "desired_count"):
        # set at creation only: the live count is whatever scaling made it
        node.fields["desiredCount"] = UnknownNode(count.span, "ignore_changes")
    instance = scope.instance
    name, unique = instance.prefix + address, instance.address_base + address
    if cls is TaskDefinition:
        return TaskDefinition.build(node, block.file, name=name, address=unique)
    return cls(node, block.file, name=name, address=unique)


class Joiner:
    """What Terraform writes as separate resources, joined into the model's objects."""

    def __init__(self, instance: Instance, project: Project, built: dict[Block, Resource]) -> None:
        self.instance = instance
        self.module = instance.scoped()
        self.definitions = instance.definitions
        self.project = project
        self.built = built  # each resource by the block that defines it
        self.documents: dict[Block, ObjectNode] = {}  # data.aws_iam_policy_document blocks
        self.used: set[Block] = set()  # documents that a role or policy holds

    def run(self) -> None:
        for address, block in self.definitions.blocks():
            if block.labels[0] == "aws_iam_policy_document" and address.startswith("data."):
                for _, names in itertools.islice(self.instance.expand(block), 1):
                    self.documents[block] = policy_document(self.instance.scoped(names), block)
        steps = {
            "aws_iam_role": self.role,
            "aws_iam_policy": self.policy,
            "aws_iam_role_policy": self.role_policy,
            "aws_iam_role_policy_attachment": self.attachment,
            "aws_ecs_cluster_capacity_providers": self.capacity_providers,
            "aws_security_group_rule": self.security_group_rule,
            "aws_vpc_security_group_ingress_rule": self.vpc_ingress_rule,
            "aws_vpc_security_group_egress_rule": self.vpc_ingress_rule,
            "aws_cloudwatch_event_target": self.scheduled_task,
            "aws_scheduler_schedule": self.scheduled_task,
            "aws_sfn_state_machine": self.state_machine,
        }
        blocks = [(a, b) for a, b in self.definitions.blocks() if not a.startswith("data.")]
        for first in (True, False):  # policies before attachments
            for address, block in blocks:
                step = steps.get(block.labels[0])
                if step is None or (block.labels[0] == "aws_iam_policy") != first:
                    continue
                for key, names in self.instance.expand(block):
                    self.module = self.instance.scoped(names)
                    step(self.instance.prefix + address + key, block)
                self.module = self.instance.scoped()
        for block, document in self.documents.items():
            if block not in self.used:
                address = "data." + ".".join(block.labels)
                name, unique = self.instance.prefix + address, self.instance.address_base + address
                self.project.add(IamPolicy(document, block.file, name=name, address=unique))

    def target(self, attr: Attribute | None) -> Block | None:
        """The block of the resource an argument refers to, seen from the argument's file."""
        ref = self.module.ref_of(attr)
        return self.definitions.block(ref, attr.file) if ref and attr is not None else None

    def document(self, attr: Attribute | None, span: Span) -> ObjectNode:
        """A policy document: inline JSON, or an `aws_iam_policy_document` data source."""
        block = self.target(attr)
        if block in self.documents:
            self.used.add(block)
            return self.documents[block]
        value = self.module.document(attr) if attr is not None else None
        if isinstance(value, ObjectNode):
            return value
        unknown = value if value is not None else UnknownNode(span, "")
        return ObjectNode(span, {"Statement": unknown}, {"Statement": span})

    def find(self, attr: Attribute | None, cls: type[Resource], key: str) -> Resource | None:
        """The resource an argument names, by reference or by its literal name."""
        block = self.target(attr)
        found = self.built.get(block) if block else None
        if isinstance(found, cls):
            return found
        if attr is None or self.module.ref_of(attr) is not None:
            return None
        name = self.module.value(attr)
        text = name.value if isinstance(name, ScalarNode) else None
        named = [r for r in self.built.values() if isinstance(r, cls) and text]
        named = [r for r in named if r.node.str(key) == text]
        here = [r for r in named if r.file is attr.file]
        return named[0] if len(named) == 1 else (here[0] if len(here) == 1 else None)

    def role(self, address: str, block: Block) -> None:
        role = self.built.get(block)
        if not isinstance(role, IamRole):
            return
        trust = block.body.attrs.get("assume_role_policy")
        if trust is not None:
            role.node.fields["AssumeRolePolicyDocument"] = self.document(trust, trust.span)
        for inline in block.body.blocks_of("inline_policy"):
            attr = inline.body.attrs.get("policy")
            if attr is None:
                continue
            name = f"{address}.inline_policy"
            policy = IamPolicy(self.document(attr, inline.span), block.file, name=name)
            self.attach(policy, role)
            self.project.add(policy)
        arns = block.body.attrs.get("managed_policy_arns")
        if arns is not None:
            value = self.module.value(arns)
            role.managed_policy_arns += value.items if isinstance(value, ListNode) else [value]

    def policy(self, address: str, block: Block) -> None:
        attr = block.body.attrs.get("policy")
        node = self.document(attr, block.span)
        unique = self.instance.address_base + address.removeprefix(self.instance.prefix)
        policy = IamPolicy(node, block.file, name=address, address=unique)
        self.built[block] = policy
        self.project.add(policy)

    def role_policy(self, address: str, block: Block) -> None:
        attr = block.body.attrs.get("policy")
        policy = IamPolicy(self.document(attr, block.span), block.file, name=address)
        policy.address = self.instance.address_base + address.removeprefix(self.instance.prefix)
        role = self.find(block.body.attrs.get("role"), IamRole, "RoleName")
        if isinstance(role, IamRole):
            self.attach(policy, role)
        self.project.add(policy)

    def attachment(self, address: str, block: Block) -> None:
        role = self.find(block.body.attrs.get("role"), IamRole, "RoleName")
        arn = block.body.attrs.get("policy_arn")
        if not isinstance(role, IamRole) or arn is None:
            return
        target = self.target(arn)
        policy = self.built.get(target) if target else None
        if isinstance(policy, IamPolicy):
            self.attach(policy, role)
        else:
            role.managed_policy_arns.append(self.module.value(arn))

    def attach(self, policy: IamPolicy, role: IamRole) -> None:
        if role.address not in policy.roles:
            policy.roles.append(role.address)
        if policy not in role.policies:
            role.policies.append(policy)

    def scheduled_task(self, address: str, block: Block) -> None:
        """An EventBridge target's `ecs_target`, or a schedule's `target.ecs_parameters`."""
        found = block.body.blocks_of("ecs_target")
        for target in block.body.blocks_of("target"):
            found += target.body.blocks_of("ecs_parameters")
        for ecs in found:
            node = ObjectNode(block.span)
            tables.fill(self.module, ecs.body, tables.ECS_TASK_TARGET, node)
            if "TaskDefinitionArn" in node:
                self.add_scheduled(address, block, node)

    def state_machine(self, address: str, block: Block) -> None:
        """A Step Functions state machine whose definition runs `ecs:runTask` with task
        definitions of this module: a job."""
        attr = block.body.attrs.get("definition")
        span = block.span
        text = "\n".join(block.file.lines[span.line - 1 : span.end_line])
        if attr is None or "ecs:runTask" not in text:
            return
        refs = {
            node.ref: node
            for node in walk(self.module.document(attr))
            if isinstance(node, UnknownNode)
            and (node.ref or "").startswith(self.instance.address_base + TASK_DEFINITION)
        }
        for node in refs.values():
            self.add_scheduled(address, block, ObjectNode(span, {"TaskDefinitionArn": node}))

    def add_scheduled(self, address: str, block: Block, node: ObjectNode) -> None:
        unique = self.instance.address_base + address.removeprefix(self.instance.prefix)
        self.project.add(ScheduledTask(node, block.file, name=address, address=unique))

    def capacity_providers(self, address: str, block: Block) -> None:
        cluster = self.find(block.body.attrs.get("cluster_name"), Cluster, "clusterName")
        if cluster is not None:
            tables.fill(self.module, block.body, tables.CLUSTER_CAPACITY_PROVIDERS, cluster.node)

    def security_group_rule(self, address: str, block: Block) -> None:
        kind = self.module.value(block.body.attrs["type"]) if "type" in block.body.attrs else None
        direction = kind.value if isinstance(kind, ScalarNode) else None
        key = {"ingress": "IpPermissions", "egress": "IpPermissionsEgress"}.get(str(direction))
        if key is not None:
            self.add_permission(block, tables.SECURITY_GROUP_RULE, key)

    def vpc_ingress_rule(self, address: str, block: Block) -> None:
        egress = block.labels[0].endswith("egress_rule")
        key = "IpPermissionsEgress" if egress else "IpPermissions"
        self.add_permission(block, tables.VPC_INGRESS_RULE, key)

    def add_permission(self, block: Block, table: tables.Table, key: str) -> None:
        group = self.find(block.body.attrs.get("security_group_id"), SecurityGroup, "")
        if group is None:
            return
        permission = ObjectNode(block.span)
        tables.fill(self.module, block.body, table, permission)
        existing = group.node.get(key)
        if isinstance(existing, ListNode):
            existing.items.append(permission)
        elif existing is None:
            group.node.fields[key] = ListNode(block.span, [permission])
            group.node.keys[key] = block.key_span


def policy_document(module: Scoped, block: Block) -> ObjectNode:
    """`data "aws_iam_policy_document"`: statement blocks in IAM's JSON shape."""
    body = block.body
    document = ObjectNode(block.span)
    version = body.attrs.get("version")
    if version is not None:
        tables.put(document, "Version", module.value(version), version.key_span)
    statements: list[Node] = []
    found, unknown = module.blocks(body, "statement")
    for statement, scope in found:
        node = ObjectNode(statement.span)
        tables.fill(scope, statement.body, tables.POLICY_STATEMENT, node)
        if "Effect" not in node:  # the data source's default
            tables.put(node, "Effect", ScalarNode(statement.key_span, "Allow"), statement.key_span)
        for kind, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
            principals = principal_map(scope, scope.blocks(statement.body, kind))
            dynamic = [b for b in statement.body.blocks_of("dynamic") if b.labels[:1] == [kind]]
            if principals is None and dynamic:  # a resource or trust policy's, none expanded
                principals = UnknownNode(dynamic[0].span, f"dynamic {kind}")
            if principals is not None:
                tables.put(node, key, principals, principals.span)
        condition = condition_map(scope, scope.blocks(statement.body, "condition"))
        if condition is not None:
            tables.put(node, "Condition", condition, condition.span)
        statements.append(node)
    statements += [UnknownNode(b.span, "dynamic statement") for b in unknown]
    for merged in ("source_policy_documents", "override_policy_documents", "source_json"):
        attr = body.attrs.get(merged)
        if attr is not None:  # statements from elsewhere: the document is not fully known
            statements.append(UnknownNode(attr.span, merged))
    span = statements[0].span if statements else block.span
    tables.put(document, "Statement", ListNode(span, statements), span)
    return document


Expanded = tuple[list[tuple[Block, Scoped]], list[Block]]


def principal_map(module: Scoped, expanded: Expanded) -> Node | None:
    blocks, unknown = expanded
    if unknown:
        return UnknownNode(unknown[0].span, "dynamic principals")
    if not blocks:
        return None
    node = ObjectNode(blocks[0][0].span)
    for block, module in blocks:
        kind = block.body.attrs.get("type")
        ids = block.body.attrs.get("identifiers")
        kind_value = module.value(kind) if kind is not None else None
        if ids is None or not isinstance(kind_value, ScalarNode):
            continue
        node.fields[str(kind_value.value)] = module.value(ids)
        node.keys[str(kind_value.value)] = block.key_span
    return node


def condition_map(module: Scoped, expanded: Expanded) -> Node | None:
    blocks, unknown = expanded
    if unknown:
        return UnknownNode(unknown[0].span, "dynamic condition")
    if not blocks:
        return None
    node = ObjectNode(blocks[0][0].span)
    for block, module in blocks:
        attrs = block.body.attrs
        test, variable = (
            module.value(attrs[k]) if k in attrs else None for k in ("test", "variable")
        )
        if not isinstance(test, ScalarNode) or not isinstance(variable, ScalarNode):
            continue
        inner = node.obj(str(test.value)) or ObjectNode(block.span)
        node.fields[str(test.value)] = inner
        node.keys[str(test.value)] = block.key_span
        if "values" in attrs:
            inner.fields[str(variable.value)] = module.value(attrs["values"])
            inner.keys[str(variable.value)] = attrs["values"].key_span
    return node

"""CloudFormation templates, YAML and JSON, into the normalized model.

A template is recognised by its content: a `Resources` mapping whose entries have
`Type: AWS::...`, or `AWSTemplateFormatVersion`. A resource map without the `Resources` key (a
copilot override fragment) counts too. Other YAML (docker-compose, Kubernetes, workflows) is
ignored silently, and so is its syntax unless the file looks like a template.

Intrinsic functions are evaluated as CloudFormation would with the parameters' defaults
(`fglint.evaluate` holds the shared value algebra and functions): `Ref` to a parameter is its
`Default` (or its one `AllowedValues` entry), at the default's location, passed through the `Ref`
(a finding there lists the `Ref` as a related location); `Fn::Sub` and `Fn::Join` keep their
literal parts around what is unknown (partly known strings); `Fn::FindInMap` reads the
`Mappings` entry; `Fn::If` takes the branch its condition (`Fn::Equals`, `Fn::And`, `Fn::Or`,
`Fn::Not`, `Condition`) picks under the defaults; `Fn::Select`, `Fn::Split`, and `Fn::GetAtt` of
an attribute that is a property written in the template (ATTRIBUTES) are evaluated too. What
the template does not decide stays unknown: a parameter without a default, an SSM parameter
type (its default names the SSM parameter), pseudo parameters (`AWS::Region`...), resource
attributes, imports. `Ref X` and `Fn::GetAtt X.Attr` that stay unknown carry the address of X
when X is a resource of the same template, so the linker can follow them; another function
that names exactly one resource carries that one. `Ref AWS::NoValue` is the absence of its
property (or list item), and an undecided `Fn::If` whose branches are the same written-out
value is that value.

A resource whose `Condition` is false with the defaults is absent: not built, and a `Ref` to it
names nothing. One whose condition the defaults do not decide is "maybe present": built as
written and marked `conditional`, so a rule still reports a bad value it sets (if it is created,
the value is deployed) and other resources still see what it adds (a policy it attaches, a group
rule, a scaling policy), but the rules that report a missing setting stay silent on it (a
conditional service is `partial`; FG103, FG104, FG109, FG401, FG501, FG506, FG603, FG703 skip
what it lacks).

Resources become model objects in the AWS API's shape. ECS (task definitions, services,
clusters) is camelCase: the first letter of every key is lowered, except inside map-valued
properties (MAP_VALUED) and for the few keys whose API name differs (RENAMES). ELBv2,
Application Auto Scaling, IAM and EC2 keep their PascalCase; security group rules become EC2
`IpPermissions`. Addresses are `<path>#<logical id>`, so templates in one run never mix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace

from fglint.aws.facts import DEREGISTRATION_DELAY
from fglint.evaluate import functions
from fglint.evaluate.values import passed, render, text, unknown, whole
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
    duplicate_key,
    parse_problem,
)
from fglint.nodes import (
    ListNode,
    Node,
    ObjectNode,
    ScalarNode,
    Span,
    TemplateNode,
    UnknownNode,
    as_bool,
    as_str,
    is_template,
    unknown_templates,
    walk,
)

# Keys whose API spelling is not the CloudFormation name with its first letter lowered.
RENAMES = {
    "ClusterSettings": "settings",
    "EFSVolumeConfiguration": "efsVolumeConfiguration",
    "FilesystemId": "fileSystemId",
    "FSxWindowsFileServerVolumeConfiguration": "fsxWindowsFileServerVolumeConfiguration",
    "IAM": "iam",
    "PlacementStrategies": "placementStrategy",
    "ProxyConfigurationProperties": "properties",
    "S3FilesVolumeConfiguration": "s3filesVolumeConfiguration",
}
# Map-valued properties: their keys are data (log options, labels), kept as written.
MAP_VALUED = {"DockerLabels", "Options", "DriverOpts", "Labels"}

NO_VALUE = "AWS::NoValue"
_SUB_VARIABLE = re.compile(r"\$\{(?!!)([^}.]+)(?:\.[^}]*)?\}")
_SUB = re.compile(r"\$\{([^}]*)\}")
SECTIONS = ("Parameters", "Mappings", "Conditions")
# `Fn::GetAtt` attributes that return a property as written: (type, attribute) -> property.
ATTRIBUTES = {
    ("AWS::SSM::Parameter", "Value"): "Value",
    ("AWS::SSM::Parameter", "Type"): "Type",
    ("AWS::EC2::Subnet", "AvailabilityZone"): "AvailabilityZone",
    ("AWS::EC2::Subnet", "CidrBlock"): "CidrBlock",
    ("AWS::EC2::Subnet", "VpcId"): "VpcId",
    ("AWS::EC2::VPC", "CidrBlock"): "CidrBlock",
    ("AWS::EC2::SecurityGroup", "VpcId"): "VpcId",
}


def load(file: SourceFile, project: Project) -> bool:
    """A YAML template, or a serverless.yml's embedded one (`resources:`). False when the file
    holds no template; a syntax error is FG001 (the loader sends only files that look like one)."""
    from fglint.frontends.cloudformation.yaml_parse import YamlSyntaxError, parse_yaml

    try:
        limits = project.limits
        roots, duplicates = parse_yaml(file.text, file.path, limits.depth, limits.yaml_aliases)
    except YamlSyntaxError as error:
        file.kind = "cloudformation"
        project.problems.append(parse_problem(error.span, error.message, "YAML"))
        return True
    found = [load_template(embedded(unknown_templates(root)), file, project) for root in roots]
    if not any(found):
        return False
    project.problems += [duplicate_key(*duplicate) for duplicate in duplicates]
    return True


def embedded(root: Node) -> Node:
    """The template a serverless.yml holds under `resources:`; any other root as it is."""
    if isinstance(root, ObjectNode) and "service" in root and "provider" in root:
        resources = root.obj("resources")
        if resources is not None:
            return resources
    return root


def load_template(root: Node, file: SourceFile, project: Project) -> bool:
    """Map a parsed template (YAML or JSON) into the model. False when it is not a template."""
    resources = template_resources(root)
    if resources is None:
        return False
    file.kind = "cloudformation"
    _Template(file, project, resources, root).build()
    file.constructs = cdk_paths(resources)
    return True


def cdk_paths(resources: ObjectNode) -> tuple[tuple[int, int, str], ...]:
    """The lines of each resource whose `Metadata` names the CDK construct that made it."""
    found = []
    for logical_id, entry in resources.fields.items():
        metadata = entry.obj("Metadata") if isinstance(entry, ObjectNode) else None
        path = metadata.str("aws:cdk:path") if metadata else None
        if path:
            found.append((resources.key_span(logical_id).line, entry.span.end_line, path))
    return tuple(found)


def _aws_typed(node: Node) -> bool:
    return isinstance(node, ObjectNode) and (node.str("Type") or "").startswith("AWS::")


def template_resources(root: Node) -> ObjectNode | None:
    """The template's resource map; None when `root` is not a CloudFormation template."""
    if not isinstance(root, ObjectNode):
        return None
    resources = root.get("Resources")
    if isinstance(resources, ObjectNode):
        typed = any(map(_aws_typed, resources.fields.values()))
        return resources if typed or "AWSTemplateFormatVersion" in root else None
    if "AWSTemplateFormatVersion" in root:
        return ObjectNode(root.span)
    if root.fields and all(map(_aws_typed, root.fields.values())):
        return root  # a fragment: the resource map alone
    return None


def camel(node: Node) -> Node:
    """CloudFormation PascalCase to the ECS API's camelCase, recursively."""
    if isinstance(node, ListNode):
        return ListNode(node.span, [camel(item) for item in node.items])
    if not isinstance(node, ObjectNode):
        return node
    result = ObjectNode(node.span)
    for key, value in node.fields.items():
        name = RENAMES.get(key) or key[:1].lower() + key[1:]
        result.fields[name] = value if key in MAP_VALUED else camel(value)
        result.keys[name] = node.key_span(key)
    return result


def _one(node: Node, key: str, value: Node) -> ObjectNode:
    return ObjectNode(node.span, {key: value}, {key: node.span})


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
            entry = _one(value, inner, value)
            entry.keys[inner] = rule.key_span(key)
            result.fields[outer] = ListNode(value.span, [entry])
            result.keys[outer] = rule.key_span(key)
    return result


def ip_permissions(node: Node | None, peer: str) -> Node | None:
    if isinstance(node, ListNode):
        return ListNode(node.span, [ip_permission(rule, peer) for rule in node.items])
    return node


class _Template:
    def __init__(
        self, file: SourceFile, project: Project, resources: ObjectNode, top: Node | None = None
    ) -> None:
        self.file = file
        self.project = project
        self.resources = resources
        top = top if isinstance(top, ObjectNode) and top is not resources else None
        sections = {key: top.obj(key) if top else None for key in SECTIONS}
        declared = sections["Parameters"]
        fields = declared.fields if declared else {}
        self.parameters = {k: v for k, v in fields.items() if isinstance(v, ObjectNode)}
        self.mappings = sections["Mappings"] or ObjectNode(resources.span)
        self.conditions = dict(sections["Conditions"].fields if sections["Conditions"] else {})
        self.decided: dict[str, bool | None] = {}
        self.maybe: set[str] = set()  # resources whose condition the defaults do not decide
        self.reading: set[tuple[str, str]] = set()  # GetAtt being evaluated (a cycle is unknown)
        self.entries = {k: v for k, v in resources.fields.items() if isinstance(v, ObjectNode)}
        self.types = {k: v.str("Type") or "" for k, v in self.entries.items()}
        self.built: dict[str, Resource] = {}
        self.mentioned: dict[int, list[str]] = {}  # resources an unknown value names
        self._lines: list[str] | None = None

    # --- intrinsic functions -------------------------------------------------------------

    def address(self, logical_id: str) -> str:
        return f"{self.file.path}#{logical_id}"

    def source(self, span: Span) -> str:
        if self._lines is None:
            self._lines = self.file.lines
        lines = self._lines[span.line - 1 : span.end_line]
        if not lines:
            return ""
        if len(lines) == 1:
            text = lines[0][span.col - 1 : span.end_col - 1]
        else:
            text = "\n".join(
                [lines[0][span.col - 1 :], *lines[1:-1], lines[-1][: span.end_col - 1]]
            )
        text = " ".join(text.split())
        return text if len(text) <= 200 else text[:197] + "..."

    def value(self, node: Node) -> Node | None:
        """The tree with every intrinsic function evaluated, as a new tree (the template is
        not changed); None for `Ref AWS::NoValue`, which removes its key or list item."""
        if isinstance(node, ObjectNode):
            function = _function(node)
            if function is not None:
                return self.call(node, *function)
            result = ObjectNode(node.span, via=node.via)
            for key, item in node.fields.items():
                evaluated = self.value(item)
                if evaluated is not None:
                    result.fields[key], result.keys[key] = evaluated, node.key_span(key)
            return result
        if isinstance(node, ListNode):
            items = [self.value(item) for item in node.items]
            return ListNode(node.span, [item for item in items if item is not None], via=node.via)
        return node

    def call(self, node: ObjectNode, name: str, argument: Node) -> Node | None:
        """One intrinsic function: its value when the template decides it, else unknown. An
        unknown result names the one resource the call refers to (`ref`), if there is one."""
        evaluate = INTRINSICS.get(name)
        if evaluate is None:
            return self.unknown(node, name, argument)
        result = evaluate(self, node, argument)
        if isinstance(result, TemplateNode) and result.ref is None:  # a new partly known string
            targets = sorted(set(self.references(node)))
            if len(targets) == 1:
                result = replace(result, ref=self.address(targets[0]))
            self.mentioned[id(result)] = targets
        return result

    def unknown(self, node: ObjectNode, function: str, value: Node) -> UnknownNode:
        if function in ("Ref", "Fn::GetAtt"):
            targets = self.direct(function, value)
        else:
            targets = sorted(set(self.references(node)))
        ref = self.address(targets[0]) if len(targets) == 1 else None
        result = UnknownNode(node.span, self.source(node.span), ref=ref)
        self.mentioned[id(result)] = sorted(set(self.references(node)))
        return result

    def ref(self, node: ObjectNode, argument: Node) -> Node | None:
        """`Ref`: a parameter's default (passed through the `Ref`), unknown for a resource (with
        its address), a pseudo parameter or a parameter without a default; nothing for
        `AWS::NoValue`."""
        name = as_str(argument)
        if name == NO_VALUE:
            return None
        if name in self.parameters and name not in self.entries:
            return self.parameter(name, node.span, f"passed as `{self.source(node.span)}`")
        return self.unknown(node, "Ref", argument)

    def parameter(self, name: str, where: Span, message: str) -> Node:
        """The value a parameter takes when the stack is created with its default (or with the
        one value it allows), at the default's location; unknown without one. An SSM parameter
        type's default is the parameter's name, not its value: unknown."""
        declared = self.parameters[name]
        kind = declared.str("Type") or "String"
        default = declared.get("Default")
        allowed = declared.list("AllowedValues")
        if default is None and len(allowed) == 1:
            default = allowed[0]
        if not isinstance(default, ScalarNode) or kind.startswith("AWS::SSM::Parameter::"):
            return UnknownNode(where, self.source(where))
        if kind.startswith("List<") or kind == "CommaDelimitedList":
            text = as_str(default)
            if text is None:
                return UnknownNode(where, self.source(where))
            items: list[Node] = [ScalarNode(default.span, i.strip()) for i in text.split(",")]
            default = ListNode(default.span, items)
        return passed(default, where, message)

    def get_att(self, node: ObjectNode, argument: Node) -> Node | None:
        """`Fn::GetAtt` of an attribute that is a property written in the template (ATTRIBUTES):
        that property's value; otherwise unknown, naming the resource."""
        names = self.attribute(argument)
        if names is not None:
            logical_id, attribute = names
            prop = ATTRIBUTES.get((self.types.get(logical_id, ""), attribute))
            entry = self.entries.get(logical_id)
            properties = entry.obj("Properties") if entry is not None else None
            written = properties.get(prop) if properties is not None and prop else None
            if written is not None and (logical_id, attribute) not in self.reading:
                self.reading.add((logical_id, attribute))
                try:
                    found = self.value(written)
                finally:
                    self.reading.discard((logical_id, attribute))
                if found is not None:
                    message = f"read through `{self.source(node.span)}`"
                    return passed(found, node.span, message)
        return self.unknown(node, "Fn::GetAtt", argument)

    def attribute(self, argument: Node) -> tuple[str, str] | None:
        """(logical id, attribute) of `A.B` or `[A, B]`."""
        if isinstance(argument, ScalarNode) and isinstance(argument.value, str):
            logical_id, _, attribute = argument.value.partition(".")
            return (logical_id, attribute) if attribute else None
        if isinstance(argument, ListNode) and len(argument.items) == 2:
            first, second = (as_str(self.value(item)) for item in argument.items)
            return (first, second) if first and second else None
        return None

    def sub(self, node: ObjectNode, argument: Node) -> Node | None:
        """`Fn::Sub`: the string with `${Parameter}`, `${Resource.Attribute}` and the given
        variables substituted, literal parts kept (a partly known string); `${!x}` is `${x}`."""
        template, variables = argument, None
        if isinstance(argument, ListNode) and argument.items:
            template = argument.items[0]
            if len(argument.items) == 2 and isinstance(argument.items[1], ObjectNode):
                variables = argument.items[1]
        string = template.value if isinstance(template, ScalarNode) else None
        if isinstance(template, UnknownNode) and type(template) is UnknownNode:
            string = template.text  # the string itself, made unknown for its `${...}`
        if not isinstance(string, str):
            return self.unknown(node, "Fn::Sub", argument)
        locate = _Locator(template.span, string, self.file.line(template.span.line))
        parts: list[Node] = []
        position = 0
        for match in _SUB.finditer(string):
            parts.append(locate.literal(position, match.start(), string[position : match.start()]))
            position = match.end()
            name = match.group(1)
            where = locate.span(match.start(), match.end())
            if name.startswith("!"):
                parts.append(ScalarNode(where, "${" + name[1:] + "}"))
            else:
                parts.append(self.variable(name.strip(), variables, where, match.group(0)))
        parts.append(locate.literal(position, len(string), string[position:]))
        return _gathered(_readable(text(parts, node.span, string)), parts)

    def variable(self, name: str, variables: ObjectNode | None, where: Span, written: str) -> Node:
        """The value of one `${name}` of a `Fn::Sub`."""
        message = f"passed as `{written}`"
        if variables is not None and name in variables:
            found = self.value(variables.fields[name])
            return passed(found, where, message) if found is not None else unknown(where, written)
        if name in self.parameters and name not in self.entries:
            return self.parameter(name, where, message)
        call = "Fn::GetAtt" if "." in name else "Ref"
        reference = ScalarNode(where, name)
        found = self.call(ObjectNode(where, {call: reference}), call, reference)
        return found if found is not None else unknown(where, written)

    def join(self, node: ObjectNode, argument: Node) -> Node | None:
        """`Fn::Join [separator, list]`, literal parts kept."""
        if not isinstance(argument, ListNode) or len(argument.items) != 2:
            return self.unknown(node, "Fn::Join", argument)
        separator, items = (self.value(item) for item in argument.items)
        if separator is None or items is None:
            return self.unknown(node, "Fn::Join", argument)
        result = functions.call("join", [separator, items], node.span, self.source(node.span))
        parts = items.items if isinstance(items, ListNode) else []
        return _gathered(_readable(result), parts)

    def split(self, node: ObjectNode, argument: Node) -> Node | None:
        """`Fn::Split [separator, text]`."""
        return self.shared(node, "Fn::Split", argument, "split")

    def select(self, node: ObjectNode, argument: Node) -> Node | None:
        """`Fn::Select [index, list]`."""
        return self.shared(node, "Fn::Select", argument, "select")

    def shared(self, node: ObjectNode, name: str, argument: Node, function: str) -> Node:
        """A function of the shared table on the evaluated items of the argument list."""
        items = argument.items if isinstance(argument, ListNode) else []
        values = [self.value(item) for item in items]
        found = [value for value in values if value is not None]
        if len(found) != 2 or len(values) != 2:
            return self.unknown(node, name, argument)
        return functions.call(function, found, node.span, self.source(node.span))

    def find_in_map(self, node: ObjectNode, argument: Node) -> Node | None:
        """`Fn::FindInMap [map, top-level key, second-level key]` with keys the template decides:
        the mapping's entry, read through the call; its `DefaultValue` when the key is absent."""
        items = argument.items if isinstance(argument, ListNode) else []
        keys = [as_str(self.value(item) or ObjectNode(item.span)) for item in items[:3]]
        if len(keys) != 3 or None in keys:
            return self.unknown(node, "Fn::FindInMap", argument)
        found: Node | None = self.mappings
        for key in keys:
            found = found.get(str(key)) if isinstance(found, ObjectNode) else None
        if found is None and len(items) == 4 and isinstance(items[3], ObjectNode):
            found = items[3].get("DefaultValue")
        evaluated = self.value(found) if found is not None else None
        if evaluated is None:
            return self.unknown(node, "Fn::FindInMap", argument)
        return passed(evaluated, node.span, f"read through `{self.source(node.span)}`")

    def if_(self, node: ObjectNode, argument: Node) -> Node | None:
        """`Fn::If [condition, then, else]`: the branch the condition picks under the parameter
        defaults; unknown when the condition is unknown, unless both branches are the same."""
        items = argument.items if isinstance(argument, ListNode) else []
        decided = self.condition(as_str(items[0])) if len(items) == 3 else None
        if decided is None:
            same = _same_branches(argument)
            if same is None:
                return self.unknown(node, "Fn::If", argument)
            return self.value(same[0]) if same[0] is not None else None
        branch = self.value(items[1] if decided else items[2])
        if branch is None:
            return None
        condition = as_str(items[0])
        message = f"chosen by `{condition}`, {'true' if decided else 'false'} with the defaults"
        return passed(branch, node.span, message)

    # --- conditions ------------------------------------------------------------------------

    def condition(self, name: str | None) -> bool | None:
        """A named condition under the parameter defaults; None when it cannot be decided."""
        if name is None or name not in self.conditions:
            return None
        if name not in self.decided:
            self.decided[name] = None  # a condition that refers to itself stays unknown
            self.decided[name] = self.truth(self.conditions[name])
        return self.decided[name]

    def truth(self, node: Node) -> bool | None:
        """A condition function (`Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`)."""
        function = _function(node) if isinstance(node, ObjectNode) else None
        if isinstance(node, ObjectNode) and len(node.fields) == 1 and "Condition" in node:
            function = ("Fn::Condition", node.fields["Condition"])
        if function is None:
            return as_bool(node) if isinstance(node, ScalarNode) else None
        name, argument = function
        items = argument.items if isinstance(argument, ListNode) else []
        if name == "Fn::Condition":
            return self.condition(as_str(argument))
        if name == "Fn::Equals" and len(items) == 2:
            return _equals(*(self.value(item) for item in items))
        if name == "Fn::Not" and len(items) == 1:
            inner = self.truth(items[0])
            return None if inner is None else not inner
        if name in ("Fn::And", "Fn::Or") and items:
            found = [self.truth(item) for item in items]
            decisive = name == "Fn::Or"  # a true Or, a false And
            if decisive in found:
                return decisive
            return None if None in found else not decisive
        return None

    def direct(self, function: str, value: Node) -> list[str]:
        """The resource a `Ref` or `Fn::GetAtt` names (none for a parameter or pseudo parameter)."""
        name: str | None = None
        if isinstance(value, ScalarNode) and isinstance(value.value, str):
            name = value.value if function == "Ref" else value.value.split(".", 1)[0]
        elif isinstance(value, ListNode) and value.items and function == "Fn::GetAtt":
            first = value.items[0]
            if isinstance(first, ScalarNode) and isinstance(first.value, str):
                name = first.value
        return [name] if name in self.entries else []

    def references(self, node: Node) -> list[str]:
        """Every resource that `Ref`, `Fn::GetAtt` or a `Fn::Sub` variable names in the tree."""
        found: list[str] = []
        if isinstance(node, ObjectNode):
            for key, value in node.fields.items():
                if key in ("Ref", "Fn::GetAtt"):
                    found += self.direct(key, value)
                elif key == "Fn::Sub":
                    found += self.substitutions(value)
                else:
                    found += self.references(value)
        elif isinstance(node, ListNode):
            for item in node.items:
                found += self.references(item)
        return found

    def substitutions(self, value: Node) -> list[str]:
        template, variables = value, ObjectNode(value.span)
        if isinstance(value, ListNode) and value.items:
            template = value.items[0]
            if len(value.items) > 1 and isinstance(value.items[1], ObjectNode):
                variables = value.items[1]
        found = self.references(variables)
        text = template.value if isinstance(template, ScalarNode) else None
        if isinstance(template, UnknownNode):
            text = template.text  # the string itself, made unknown for its `${...}`
        if isinstance(text, str):
            for name in _SUB_VARIABLE.findall(text):
                if name in self.entries and name not in variables.fields:
                    found.append(name)
        return found

    # --- resources -------------------------------------------------------------------------

    def build(self) -> None:
        for logical_id, entry in list(self.entries.items()):
            condition = entry.get("Condition")
            decided = self.condition(as_str(condition)) if condition is not None else True
            if decided is False:  # not created with the defaults: absent, nothing refers to it
                del self.entries[logical_id]
            elif decided is None:
                self.maybe.add(logical_id)
        evaluated = {}
        for logical_id, entry in self.entries.items():
            converted = self.value(entry)
            if isinstance(converted, ObjectNode):  # not a whole-resource `Fn::Transform`
                evaluated[logical_id] = converted
        self.entries = evaluated
        for logical_id, entry in self.entries.items():
            builder = BUILDERS.get(self.types[logical_id])
            properties = entry.get("Properties") or ObjectNode(entry.span)
            if builder is not None and isinstance(properties, ObjectNode):
                builder(self, logical_id, properties)
        for logical_id, entry in self.entries.items():
            attach = ATTACHMENTS.get(self.types[logical_id])
            given = entry.get("Properties")
            if attach is not None and isinstance(given, ObjectNode):
                attach(self, logical_id, given)

    def root(self, logical_id: str, node: Node) -> ObjectNode:
        """The resource's node, spanning the resource from its logical id (a finding about a
        missing setting points at the resource's name)."""
        key, entry = self.resources.key_span(logical_id), self.entries[logical_id]
        span = Span(key.path, key.line, key.col, entry.span.end_line, entry.span.end_col)
        fields = node.fields if isinstance(node, ObjectNode) else {}
        keys = node.keys if isinstance(node, ObjectNode) else {}
        return ObjectNode(span, dict(fields), dict(keys))

    def add(self, logical_id: str, resource: Resource) -> None:
        resource.header = self.resources.key_span(logical_id)
        resource.conditional = logical_id in self.maybe
        self.built[logical_id] = resource
        self.project.add(resource)

    def named(self, logical_id: str, properties: ObjectNode, key: str) -> str:
        return properties.str(key) or logical_id

    def target(self, node: Node | None) -> Resource | None:
        """The resource of this template that a reference names."""
        if isinstance(node, UnknownNode) and node.ref:
            return next((r for r in self.built.values() if r.address == node.ref), None)
        return None

    def task_definition(self, logical_id: str, properties: ObjectNode) -> None:
        node = self.root(logical_id, camel(properties))
        name = self.named(logical_id, properties, "Family")
        address = self.address(logical_id)
        self.add(logical_id, TaskDefinition.build(node, self.file, name=name, address=address))

    def ecs(self, cls: type[Resource], name_key: str) -> Callable[[str, ObjectNode], None]:
        def build(logical_id: str, properties: ObjectNode) -> None:
            node = self.root(logical_id, camel(properties))
            name = self.named(logical_id, properties, name_key)
            self.add(logical_id, cls(node, self.file, name=name, address=self.address(logical_id)))

        return build

    def plain(self, cls: type[Resource], name_key: str) -> Callable[[str, ObjectNode], None]:
        def build(logical_id: str, properties: ObjectNode) -> None:
            node = self.root(logical_id, properties)
            name = self.named(logical_id, properties, name_key) if name_key else logical_id
            self.add(logical_id, cls(node, self.file, name=name, address=self.address(logical_id)))

        return build

    def service(self, logical_id: str, properties: ObjectNode) -> None:
        self.ecs(Service, "ServiceName")(logical_id, properties)

    def cluster(self, logical_id: str, properties: ObjectNode) -> None:
        self.ecs(Cluster, "ClusterName")(logical_id, properties)

    def capacity_providers(self, logical_id: str, properties: ObjectNode) -> None:
        """`ClusterCapacityProviderAssociations`: merged into its cluster when that is in the
        template, else a put-cluster-capacity-providers input of its own."""
        node = camel(properties)
        assert isinstance(node, ObjectNode)
        cluster = self.target(properties.get("Cluster"))
        if isinstance(cluster, Cluster):
            for key, value in node.fields.items():
                if key != "cluster":
                    cluster.node.fields[key], cluster.node.keys[key] = value, node.keys[key]
            return
        name = properties.str("Cluster") or logical_id
        shape = "PutClusterCapacityProvidersRequest"
        node = self.root(logical_id, node)
        address = self.address(logical_id)
        self.add(logical_id, Cluster(node, self.file, name=name, address=address, shape=shape))

    def target_group(self, logical_id: str, properties: ObjectNode) -> None:
        node = self.root(logical_id, properties)
        attributes = properties.get("TargetGroupAttributes")
        delay: Node | None = attributes if isinstance(attributes, UnknownNode) else None
        for item in attributes.items if isinstance(attributes, ListNode) else []:
            if not isinstance(item, ObjectNode) or not isinstance(item.get("Key"), ScalarNode):
                delay = delay or UnknownNode(item.span, self.source(item.span))
            elif item.str("Key") == DEREGISTRATION_DELAY and "Value" in item:
                delay = item.fields["Value"]
                node.keys["DeregistrationDelay"] = item.key_span("Value")
        if delay is not None:
            node.fields["DeregistrationDelay"] = delay
            node.keys.setdefault("DeregistrationDelay", delay.span)
        name = self.named(logical_id, properties, "Name")
        address = self.address(logical_id)
        self.add(logical_id, TargetGroup(node, self.file, name=name, address=address))

    def service_reference(self, properties: ObjectNode) -> None:
        """The one service a scaling `ResourceId` expression names (`!Join [/, [service, !Ref
        Cluster, !GetAtt Service.Name]]`) becomes its reference."""
        resource_id = properties.get("ResourceId")
        if isinstance(resource_id, UnknownNode) and resource_id.ref is None:
            named = self.mentioned.get(id(resource_id), [])
            services = [n for n in named if self.types.get(n) == "AWS::ECS::Service"]
            if len(services) == 1:
                resource_id.ref = self.address(services[0])

    def scalable_target(self, logical_id: str, properties: ObjectNode) -> None:
        self.service_reference(properties)
        self.plain(ScalableTarget, "")(logical_id, properties)

    def scaling_policy(self, logical_id: str, properties: ObjectNode) -> None:
        self.service_reference(properties)
        self.plain(ScalingPolicy, "PolicyName")(logical_id, properties)

    def role(self, logical_id: str, properties: ObjectNode) -> None:
        node = self.root(logical_id, properties)
        name = self.named(logical_id, properties, "RoleName")
        role = IamRole(node, self.file, name=name, address=self.address(logical_id))
        arns = properties.get("ManagedPolicyArns")
        role.managed_policy_arns = arns.items if isinstance(arns, ListNode) else []
        if arns is not None and not isinstance(arns, ListNode):
            role.managed_policy_arns = [arns]
        self.add(logical_id, role)
        policies = properties.get("Policies")
        for item in policies.items if isinstance(policies, ListNode) else [policies]:
            if item is None:
                continue
            policy_name = item.str("PolicyName") if isinstance(item, ObjectNode) else None
            document = item.get("PolicyDocument") if isinstance(item, ObjectNode) else item
            policy = IamPolicy(self.document(document or item), self.file, name=policy_name or name)
            policy.roles.append(role.address)
            role.policies.append(policy)
            self.project.add(policy)

    def document(self, node: Node) -> ObjectNode:
        """A policy document; one that is an expression is a document with unknown statements."""
        if isinstance(node, ObjectNode):
            return node
        return ObjectNode(node.span, {"Statement": node}, {"Statement": node.span})

    def policy(self, logical_id: str, properties: ObjectNode) -> None:
        """`AWS::IAM::Policy` / `ManagedPolicy`, attached to the template's roles it names (by
        reference or by `RoleName`), or that list it in their `ManagedPolicyArns`."""
        document = properties.get("PolicyDocument") or properties
        name = properties.str("PolicyName") or properties.str("ManagedPolicyName") or logical_id
        address = self.address(logical_id)
        policy = IamPolicy(self.document(document), self.file, name=name, address=address)
        self.add(logical_id, policy)
        for item in properties.list("Roles"):
            role = self.target(item) or self.role_named(item)
            if isinstance(role, IamRole):
                self.attach(policy, role)
        for role in [r for r in self.built.values() if isinstance(r, IamRole)]:
            if any(
                isinstance(n, UnknownNode) and n.ref == address for n in role.managed_policy_arns
            ):
                self.attach(policy, role)
                role.managed_policy_arns = [
                    n for n in role.managed_policy_arns if getattr(n, "ref", None) != address
                ]

    def role_named(self, node: Node) -> Resource | None:
        name = node.value if isinstance(node, ScalarNode) else None
        roles = [r for r in self.built.values() if isinstance(r, IamRole)]
        return next((r for r in roles if name and r.node.str("RoleName") == name), None)

    @staticmethod
    def attach(policy: IamPolicy, role: IamRole) -> None:
        if role.address not in policy.roles:
            policy.roles.append(role.address)
            role.policies.append(policy)

    def security_group(self, logical_id: str, properties: ObjectNode) -> None:
        node = self.root(logical_id, properties)
        for key, shaped, peer in (
            ("SecurityGroupIngress", "IpPermissions", "SourceSecurityGroupId"),
            ("SecurityGroupEgress", "IpPermissionsEgress", "DestinationSecurityGroupId"),
        ):
            rules = ip_permissions(node.fields.pop(key, None), peer)
            if rules is not None:
                node.fields[shaped] = rules
                node.keys[shaped] = node.keys.pop(key)
        name = self.named(logical_id, properties, "GroupName")
        address = self.address(logical_id)
        self.add(logical_id, SecurityGroup(node, self.file, name=name, address=address))

    def event_rule(self, logical_id: str, properties: ObjectNode) -> None:
        """An EventBridge rule: each target that runs an ECS task (its `EcsParameters`)."""
        for target in properties.objects("Targets"):
            self.scheduled_task(logical_id, target.obj("EcsParameters"))

    def schedule(self, logical_id: str, properties: ObjectNode) -> None:
        """An EventBridge Scheduler schedule whose target runs an ECS task."""
        target = properties.obj("Target")
        self.scheduled_task(logical_id, target.obj("EcsParameters") if target else None)

    def scheduled_task(self, logical_id: str, parameters: ObjectNode | None) -> None:
        if parameters is None or "TaskDefinitionArn" not in parameters:
            return
        node = self.root(logical_id, parameters)
        address = self.address(logical_id)
        self.project.add(ScheduledTask(node, self.file, name=logical_id, address=address))

    def state_machine(self, logical_id: str, properties: ObjectNode) -> None:
        """A Step Functions state machine that runs `ecs:runTask` with task definitions of this
        template (named in its definition or its `DefinitionSubstitutions`): a job."""
        span = properties.span
        if "ecs:runTask" not in "\n".join(self.file.lines[span.line - 1 : span.end_line]):
            return
        found: dict[str, Node] = {}
        for node in walk(properties):
            if not isinstance(node, UnknownNode):
                continue
            for name in [node.ref, *map(self.address, self.mentioned.get(id(node), []))]:
                if name and self.types.get(name.rpartition("#")[2]) == "AWS::ECS::TaskDefinition":
                    found.setdefault(name, UnknownNode(node.span, node.text, ref=name))
        for reference in found.values():
            node = self.root(logical_id, ObjectNode(span, {"TaskDefinitionArn": reference}))
            address = self.address(logical_id)
            self.project.add(ScheduledTask(node, self.file, name=logical_id, address=address))

    def security_group_rule(self, logical_id: str, properties: ObjectNode) -> None:
        """A standalone ingress/egress rule joins its group when the group is in the template."""
        group = self.target(properties.get("GroupId"))
        if not isinstance(group, SecurityGroup):
            return
        egress = self.types[logical_id] == "AWS::EC2::SecurityGroupEgress"
        key = "IpPermissionsEgress" if egress else "IpPermissions"
        peer = "DestinationSecurityGroupId" if egress else "SourceSecurityGroupId"
        rule = ip_permission(self.root(logical_id, properties), peer)
        rules = group.node.get(key)
        if rules is None:
            rules = group.node.fields[key] = ListNode(rule.span)
            group.node.keys[key] = rule.span
        if isinstance(rules, ListNode):
            rules.items.append(rule)


def _function(node: ObjectNode) -> tuple[str, Node] | None:
    """(name, argument) when the object is an intrinsic function call (`{"Ref": X}`)."""
    if len(node.fields) != 1:
        return None
    key, value = next(iter(node.fields.items()))
    return (key, value) if key == "Ref" or key.startswith("Fn::") else None


def _no_value(node: Node) -> bool:
    """`!Ref AWS::NoValue`: the property is absent."""
    if not isinstance(node, ObjectNode):
        return False
    function = _function(node)
    return function is not None and function[0] == "Ref" and as_str(function[1]) == NO_VALUE


def _plain(node: Node) -> bool:
    """A value written out, with no intrinsic function inside."""
    if isinstance(node, ObjectNode):
        return _function(node) is None and all(map(_plain, node.fields.values()))
    if isinstance(node, ListNode):
        return all(map(_plain, node.items))
    return node.known


def _same_branches(value: Node) -> tuple[Node | None] | None:
    """(the value,) of `Fn::If [condition, a, b]` when `a` and `b` are the same known value (or
    both `AWS::NoValue`: None); None when the condition decides."""
    if not isinstance(value, ListNode) or len(value.items) != 3:
        return None
    first, second = value.items[1:]
    if _no_value(first) and _no_value(second):
        return (None,)
    if not (_plain(first) and _plain(second)):
        return None
    if json.dumps(first.to_python(), sort_keys=True) != json.dumps(
        second.to_python(), sort_keys=True
    ):
        return None
    return (first,)


class _Locator:
    """The places of the literal parts of a `Fn::Sub` string: exact when the string is written
    on one line without escapes, else the whole string's place."""

    def __init__(self, span: Span, value: str, line: str) -> None:
        self.whole = span
        self.start: int | None = None
        if span.line == span.end_line and value:
            found = line[span.col - 1 : span.end_col - 1].rfind(value)
            self.start = span.col + found if found >= 0 else None

    def span(self, begin: int, end: int) -> Span:
        if self.start is None:
            return self.whole
        line = self.whole.line
        return Span(self.whole.path, line, self.start + begin, line, self.start + end)

    def literal(self, begin: int, end: int, value: str) -> Node:
        """A literal part; a dynamic reference (`{{resolve:ssm:...}}`) in it is unknown."""
        where = self.span(begin, end)
        return UnknownNode(where, value) if is_template(value) else ScalarNode(where, value)


_REFERENCE_TEXT = re.compile(r'^(?:!Ref |!GetAtt |\{"(?:Ref|Fn::GetAtt)": )"?([\w:.-]+)"?\}?$')


def _readable(node: Node) -> Node:
    """A partly known string as a message shows it, in `Fn::Sub` notation: the literal parts as
    written, each unknown part as `${name}` (`${AWS::Region}`, `${Repo.RepositoryUri}`)."""
    if not isinstance(node, TemplateNode):
        return node
    shown: list[str] = []
    for part in node.parts:
        written = part.text if isinstance(part, UnknownNode) else ""
        found = _REFERENCE_TEXT.match(written)
        if isinstance(part, ScalarNode):
            shown.append(str(part.value))
        else:
            shown.append(
                written if written.startswith("${") else f"${{{found[1] if found else '...'}}}"
            )
    return replace(node, text="".join(shown))


def _gathered(result: Node, parts: list[Node]) -> Node:
    """A string built from parts, with the places its parts came from outside the call (a
    parameter default, a mapping entry) among the places it travelled through."""
    if not isinstance(result, (ScalarNode, TemplateNode)):
        return result
    more: list[tuple[Span, str]] = []
    for part in parts:
        shown = render(part.value) if isinstance(part, ScalarNode) else None
        own = ((part.span, f"`{shown}` is written here"),) if part.via and shown else ()
        for where, message in (*part.via, *own):
            if not _inside(where, result.span) and (where, message) not in more:
                more.append((where, message))
    return replace(result, via=result.via + tuple(more)) if more else result


def _inside(inner: Span, outer: Span) -> bool:
    return inner.path == outer.path and (
        (outer.line, outer.col) <= (inner.line, inner.col)
        and (inner.end_line, inner.end_col) <= (outer.end_line, outer.end_col)
    )


def _equals(first: Node | None, second: Node | None) -> bool | None:
    """`Fn::Equals`: CloudFormation compares the values as strings; None when either is not
    known."""
    if first is None or second is None or not (whole(first) and whole(second)):
        return None
    if isinstance(first, ScalarNode) and isinstance(second, ScalarNode):
        return render(first.value) == render(second.value)
    return json.dumps(first.to_python()) == json.dumps(second.to_python())


Builder = Callable[[_Template, str, ObjectNode], None]

BUILDERS: dict[str, Builder] = {
    "AWS::ECS::TaskDefinition": _Template.task_definition,
    "AWS::ECS::Service": _Template.service,
    "AWS::ECS::Cluster": _Template.cluster,
    "AWS::ElasticLoadBalancingV2::TargetGroup": _Template.target_group,
    "AWS::ApplicationAutoScaling::ScalableTarget": _Template.scalable_target,
    "AWS::ApplicationAutoScaling::ScalingPolicy": _Template.scaling_policy,
    "AWS::IAM::Role": _Template.role,
    "AWS::EC2::SecurityGroup": _Template.security_group,
    "AWS::EC2::Subnet": lambda t, i, p: t.plain(Subnet, "")(i, p),
    "AWS::Events::Rule": _Template.event_rule,
    "AWS::Scheduler::Schedule": _Template.schedule,
    "AWS::StepFunctions::StateMachine": _Template.state_machine,
    "AWS::ECS::ExpressGatewayService": lambda t, i, p: t.add(
        i,
        ExpressService(
            t.root(i, camel(p)), t.file, name=t.named(i, p, "ServiceName"), address=t.address(i)
        ),
    ),
}
# Resources that change another one of the template: built once every resource exists.
ATTACHMENTS: dict[str, Builder] = {
    "AWS::ECS::ClusterCapacityProviderAssociations": _Template.capacity_providers,
    "AWS::IAM::Policy": _Template.policy,
    "AWS::IAM::ManagedPolicy": _Template.policy,
    "AWS::EC2::SecurityGroupIngress": _Template.security_group_rule,
    "AWS::EC2::SecurityGroupEgress": _Template.security_group_rule,
}

Intrinsic = Callable[[_Template, ObjectNode, Node], "Node | None"]

INTRINSICS: dict[str, Intrinsic] = {
    "Ref": _Template.ref,
    "Fn::GetAtt": _Template.get_att,
    "Fn::Sub": _Template.sub,
    "Fn::Join": _Template.join,
    "Fn::Split": _Template.split,
    "Fn::Select": _Template.select,
    "Fn::FindInMap": _Template.find_in_map,
    "Fn::If": _Template.if_,
}

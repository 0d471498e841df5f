"""CloudFormation's intrinsic functions, evaluated as CloudFormation would with the parameters'
defaults (`fglint.evaluate` holds the shared value algebra and functions).

`Ref` to a parameter is its `Default` (or its one `AllowedValues` entry), at the default's
location, passed through the `Ref` (a finding there lists the `Ref` as a related location);
`Fn::Sub` and `Fn::Join` keep their literal parts around what is unknown (partly known strings);
`Fn::FindInMap` reads the `Mappings` entry; `Fn::If` takes the branch its condition picks under
the defaults; `Fn::Select`, `Fn::Split`, and `Fn::GetAtt` of an attribute that is a property
written in the template (ATTRIBUTES) are evaluated too. What the template does not decide stays
unknown: a parameter without a default, an SSM parameter type (its default names the SSM
parameter), pseudo parameters (`AWS::Region`...), resource attributes, imports. `Ref X` and
`Fn::GetAtt X.Attr` that stay unknown carry the address of X when X is a resource of the same
template, so the linker can follow them; another function that names exactly one resource
carries that one. `Ref AWS::NoValue` is the absence of its property (or list item), and an
undecided `Fn::If` whose branches are the same written-out value is that value.
"""

from __future__ import annotations

import json
import operator
import re
from array import array
from collections.abc import Callable
from dataclasses import replace

from fglint.evaluate import functions
from fglint.evaluate.values import passed, text, unknown
from fglint.frontends.cloudformation.conditions import Conditions
from fglint.frontends.cloudformation.references import (
    NO_VALUE,
    direct,
    function_of,
    no_value,
    plain,
    references,
)
from fglint.frontends.cloudformation.strings import Locator, gathered, readable
from fglint.model import LINE_BREAK, SourceFile
from fglint.nodes import (
    ListNode,
    Node,
    ObjectNode,
    ScalarNode,
    Span,
    TemplateNode,
    UnknownNode,
    as_str,
)

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


class Evaluator(Conditions):
    """One template's values with their intrinsic functions evaluated. `entries` are the
    resources as written (those a false condition removes are taken out by the caller);
    `mentioned` keeps, for each unknown value made, the resources its expression names."""

    def __init__(self, file: SourceFile, resources: ObjectNode, top: Node | None = None) -> None:
        self.file = file
        top = top if isinstance(top, ObjectNode) and top is not resources else None
        sections = {key: top.obj(key) if top else None for key in SECTIONS}
        declared = sections["Parameters"]
        fields = declared.fields if declared else {}
        self.parameters = {k: v for k, v in fields.items() if isinstance(v, ObjectNode)}
        self.mappings = sections["Mappings"] or ObjectNode(resources.span)
        named = dict(sections["Conditions"].fields if sections["Conditions"] else {})
        super().__init__(named)
        self.reading: set[tuple[str, str]] = set()  # GetAtt being evaluated (a cycle is unknown)
        self.entries = {k: v for k, v in resources.fields.items() if isinstance(v, ObjectNode)}
        self.types = {k: v.str("Type") or "" for k, v in self.entries.items()}
        self.mentioned: dict[int, list[str]] = {}  # resources an unknown value names
        self._ends: array[int] | None = None  # where each line ends, made when first needed

    def address(self, logical_id: str) -> str:
        return f"{self.file.path}#{logical_id}"

    def lines(self, first: int, last: int) -> list[str]:
        """`file.lines[first - 1 : last]`, without splitting the whole text into lines (a list
        of every line, which the template's evaluation held: 24 MB for an 8 MB template)."""
        text = self.file.text
        if self._ends is None:
            self._ends = array("q", (m.start() for m in LINE_BREAK.finditer(text)))
            self._ends.append(len(text))
        ends = self._ends
        found = []
        for number in range(*slice(first - 1, last).indices(len(ends))):
            start = 0
            if number:
                start = ends[number - 1] + (2 if text.startswith("\r\n", ends[number - 1]) else 1)
            found.append(text[start : ends[number]])
        return found

    def line(self, number: int) -> str:
        """`file.line(number)`, the same way."""
        return "".join(self.lines(number, number)) if number > 0 else ""

    def source(self, span: Span) -> str:
        lines = self.lines(span.line, span.end_line)
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
        """The tree with every intrinsic function evaluated (the template is not changed: what
        has nothing to evaluate is the template's own node, not a copy); None for
        `Ref AWS::NoValue`, which removes its key or list item."""
        if isinstance(node, ObjectNode):
            function = function_of(node)
            if function is not None:
                return self.call(node, *function)
            fields = {key: self.value(item) for key, item in node.fields.items()}
            if all(fields[key] is item for key, item in node.fields.items()):
                return node
            result = ObjectNode(node.span, via=node.via)
            for key, evaluated in fields.items():
                if evaluated is not None:
                    result.fields[key], result.keys[key] = evaluated, node.key_span(key)
            return result
        if isinstance(node, ListNode):
            items = [self.value(item) for item in node.items]
            if all(map(operator.is_, items, node.items)):
                return node
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
            targets = sorted(set(references(node, self.entries)))
            if len(targets) == 1:
                result = replace(result, ref=self.address(targets[0]))
            self.mentioned[id(result)] = targets
        return result

    def unknown(self, node: ObjectNode, function: str, value: Node) -> UnknownNode:
        if function in ("Ref", "Fn::GetAtt"):
            targets = direct(function, value, self.entries)
        else:
            targets = sorted(set(references(node, self.entries)))
        ref = self.address(targets[0]) if len(targets) == 1 else None
        result = UnknownNode(node.span, self.source(node.span), ref=ref)
        self.mentioned[id(result)] = sorted(set(references(node, self.entries)))
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
        locate = Locator(template.span, string, self.line(template.span.line))
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
        return gathered(readable(text(parts, node.span, string)), parts)

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
        return gathered(readable(result), parts)

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
            same = same_branches(argument)
            if same is None:
                return self.unknown(node, "Fn::If", argument)
            return self.value(same[0]) if same[0] is not None else None
        branch = self.value(items[1] if decided else items[2])
        if branch is None:
            return None
        condition = as_str(items[0])
        message = f"chosen by `{condition}`, {'true' if decided else 'false'} with the defaults"
        return passed(branch, node.span, message)


def same_branches(value: Node) -> tuple[Node | None] | None:
    """(the value,) of `Fn::If [condition, a, b]` when `a` and `b` are the same known value (or
    both `AWS::NoValue`: None); None when the condition decides."""
    if not isinstance(value, ListNode) or len(value.items) != 3:
        return None
    first, second = value.items[1:]
    if no_value(first) and no_value(second):
        return (None,)
    if not (plain(first) and plain(second)):
        return None
    if json.dumps(first.to_python(), sort_keys=True) != json.dumps(
        second.to_python(), sort_keys=True
    ):
        return None
    return (first,)


Intrinsic = Callable[[Evaluator, ObjectNode, Node], "Node | None"]

INTRINSICS: dict[str, Intrinsic] = {
    "Ref": Evaluator.ref,
    "Fn::GetAtt": Evaluator.get_att,
    "Fn::Sub": Evaluator.sub,
    "Fn::Join": Evaluator.join,
    "Fn::Split": Evaluator.split,
    "Fn::Select": Evaluator.select,
    "Fn::FindInMap": Evaluator.find_in_map,
    "Fn::If": Evaluator.if_,
}

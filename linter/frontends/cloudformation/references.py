"""What a template's values name, read before anything is evaluated: whether an object is an
intrinsic function call (`{"Ref": X}`, `{"Fn::Sub": ...}`), and which of the template's resources
a `Ref`, a `Fn::GetAtt` or a `Fn::Sub` variable names, so that a value that stays unknown can
still carry the address of the one resource it refers to."""

from __future__ import annotations

import re
from collections.abc import Container

from fglint.nodes import ListNode, Node, ObjectNode, ScalarNode, UnknownNode, as_str

NO_VALUE = "AWS::NoValue"
_SUB_VARIABLE = re.compile(r"\$\{(?!!)([^}.]+)(?:\.[^}]*)?\}")


def function_of(node: ObjectNode) -> tuple[str, Node] | None:
    """(name, argument) when the object is an intrinsic function call (`{"Ref": X}`)."""
    if len(node.fields) != 1:
        return None
    key, value = next(iter(node.fields.items()))
    return (key, value) if key == "Ref" or key.startswith("Fn::") else None


def no_value(node: Node) -> bool:
    """`!Ref AWS::NoValue`: the property is absent."""
    if not isinstance(node, ObjectNode):
        return False
    function = function_of(node)
    return function is not None and function[0] == "Ref" and as_str(function[1]) == NO_VALUE


def plain(node: Node) -> bool:
    """A value written out, with no intrinsic function inside."""
    if isinstance(node, ObjectNode):
        return function_of(node) is None and all(map(plain, node.fields.values()))
    if isinstance(node, ListNode):
        return all(map(plain, node.items))
    return node.known


def direct(function: str, value: Node, resources: Container[str]) -> list[str]:
    """The resource a `Ref` or `Fn::GetAtt` names (none for a parameter or pseudo parameter)."""
    name: str | None = None
    if isinstance(value, ScalarNode) and isinstance(value.value, str):
        name = value.value if function == "Ref" else value.value.split(".", 1)[0]
    elif isinstance(value, ListNode) and value.items and function == "Fn::GetAtt":
        first = value.items[0]
        if isinstance(first, ScalarNode) and isinstance(first.value, str):
            name = first.value
    return [name] if name is not None and name in resources else []


def references(node: Node, resources: Container[str]) -> list[str]:
    """Every resource that `Ref`, `Fn::GetAtt` or a `Fn::Sub` variable names in the tree."""
    found: list[str] = []
    if isinstance(node, ObjectNode):
        for key, value in node.fields.items():
            if key in ("Ref", "Fn::GetAtt"):
                found += direct(key, value, resources)
            elif key == "Fn::Sub":
                found += substitutions(value, resources)
            else:
                found += references(value, resources)
    elif isinstance(node, ListNode):
        for item in node.items:
            found += references(item, resources)
    return found


def substitutions(value: Node, resources: Container[str]) -> list[str]:
    """The resources a `Fn::Sub` names: in its variables, and as `${Resource}` in its string."""
    template, variables = value, ObjectNode(value.span)
    if isinstance(value, ListNode) and value.items:
        template = value.items[0]
        if len(value.items) > 1 and isinstance(value.items[1], ObjectNode):
            variables = value.items[1]
    found = references(variables, resources)
    text = template.value if isinstance(template, ScalarNode) else None
    if isinstance(template, UnknownNode):
        text = template.text  # the string itself, made unknown for its `${...}`
    if isinstance(text, str):
        for name in _SUB_VARIABLE.findall(text):
            if name in resources and name not in variables.fields:
                found.append(name)
    return found

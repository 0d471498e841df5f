"""The value algebra the evaluators share, on located nodes.

A value is a node of `fglint.nodes`: known (`ScalarNode`, `ListNode`, `ObjectNode`), unknown
(`UnknownNode`), or a partly known string (`TemplateNode`). Three unknowns say more than "not
known", so that functions stay exact:

- `Invalid`: an expression Terraform would reject (an attribute a known object lacks, an index
  out of range). `try()` skips it, `can()` is false for it; everywhere else it is unknown.
- `Spread`: a list item that stands for any number of items (`concat(local.a, var.more)` where
  `var.more` is unknown). A list holding one has an unknown length.
- `Encoded`: the JSON (or YAML) text `jsonencode(x)` makes. Its text is unknown to rules (they
  never read JSON as a string), but `structure` keeps `x` with its locations, so a JSON document
  built with `jsonencode` is read as the structure itself.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from typing import TypeVar

from fglint.nodes import (
    ListNode,
    Node,
    ObjectNode,
    ScalarNode,
    Span,
    TemplateNode,
    UnknownNode,
    Via,
)

N = TypeVar("N", bound=Node)


@dataclass(eq=False, slots=True)
class Invalid(UnknownNode):
    """An expression that fails where Terraform evaluates it."""


@dataclass(eq=False, slots=True)
class Spread(UnknownNode):
    """Any number of list items, unknown."""


@dataclass(eq=False, slots=True)
class Encoded(UnknownNode):
    """`jsonencode(x)` / `yamlencode(x)`: text whose structure is `structure`."""

    structure: Node | None = field(default=None)


def unknown(span: Span, text: str = "", ref: str | None = None) -> UnknownNode:
    return UnknownNode(span, text, ref)


def is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.value is None


def scalar(node: Node) -> tuple[bool, object]:
    """(True, value) for a known scalar, (False, None) otherwise."""
    if isinstance(node, ScalarNode):
        return True, node.value
    return False, None


def string(node: Node) -> str | None:
    """The known text of a string, number or bool, rendered as Terraform renders it."""
    return render(node.value) if isinstance(node, ScalarNode) else None


def render(value: object) -> str | None:
    """A scalar inside a string template: `true`, `5`, `1.5`; None for null or a collection."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value) if math.isfinite(value) else None
    if isinstance(value, (int, str)):
        return str(value)
    return None


def number(node: Node) -> int | float | None:
    """A known number (numeric strings convert, as Terraform converts them); None otherwise."""
    if not isinstance(node, ScalarNode) or isinstance(node.value, bool):
        return None
    value = node.value
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            parsed = float(value.strip())
        except ValueError:
            return None
        if not math.isfinite(parsed):
            return None
        return int(parsed) if parsed.is_integer() and "." not in value else parsed
    return None


def truth(node: Node) -> bool | None:
    """A known bool (`"true"`/`"false"` convert, as Terraform converts them); None otherwise."""
    if isinstance(node, ScalarNode):
        if isinstance(node.value, bool):
            return node.value
        if node.value in ("true", "false"):
            return node.value == "true"
    return None


def items_known(node: Node) -> list[Node] | None:
    """The items of a list whose length is known (no `Spread` item); None otherwise."""
    if not isinstance(node, ListNode) or any(isinstance(i, Spread) for i in node.items):
        return None
    return node.items


def whole(node: Node) -> bool:
    """True when the value and everything in it is known."""
    if isinstance(node, ScalarNode):
        return True
    if isinstance(node, ObjectNode):
        return all(whole(value) for value in node.fields.values())
    if isinstance(node, ListNode):
        return all(whole(item) for item in node.items)
    return False


def text(parts: list[Node], span: Span, source: str = "") -> Node:
    """A string made of parts (literals and unknowns): a `ScalarNode` when every part is known,
    a `TemplateNode` otherwise; adjacent literals merge. A collection part makes it unknown."""
    flat: list[Node] = []
    for part in parts:
        if isinstance(part, TemplateNode):
            flat.extend(part.parts)
        elif isinstance(part, ScalarNode):
            rendered = render(part.value)
            if rendered is None:
                return unknown(span, source)
            if rendered:
                flat.append(ScalarNode(part.span, rendered))
        elif isinstance(part, (ObjectNode, ListNode)):
            return unknown(span, source)
        else:
            flat.append(part)
    merged: list[Node] = []
    for part in flat:
        last = merged[-1] if merged else None
        if isinstance(part, ScalarNode) and isinstance(last, ScalarNode):
            merged[-1] = ScalarNode(join_spans(last.span, part.span), f"{last.value}{part.value}")
        else:
            merged.append(part)
    if all(isinstance(part, ScalarNode) for part in merged):
        return ScalarNode(span, "".join(str(p.value) for p in merged))  # type: ignore[attr-defined]
    return TemplateNode(span, source, parts=merged)


def join_spans(first: Span, last: Span) -> Span:
    if first.path != last.path or (last.line, last.col) < (first.line, first.col):
        return first
    return Span(first.path, first.line, first.col, last.end_line, last.end_col)


def at(node: Node, span: Span, source: str = "") -> Node:
    """A computed scalar or unknown placed at `span` (a collection keeps its own locations)."""
    if isinstance(node, UnknownNode):
        return _copy(node, span=span, text=source or node.text)
    if isinstance(node, ScalarNode):
        return ScalarNode(span, node.value, via=node.via)
    return node


def passed(node: Node, where: Span, message: str) -> Node:
    """`node` as it arrives through `where` (a variable, a local, a module argument): the same
    value, with `where` added to the locations it travelled through, in the whole tree. A
    value written on the same line as `where`, or last passed on there, has not travelled."""
    last = node.via[-1][0] if node.via else node.span
    if last.path == where.path and last.line == where.line:
        return node
    return _with_via(node, ((where, message),))


def _with_via(node: Node, more: Via) -> Node:
    if isinstance(node, ObjectNode):
        fields = {key: _with_via(value, more) for key, value in node.fields.items()}
        return ObjectNode(node.span, fields, dict(node.keys), via=node.via + more)
    if isinstance(node, ListNode):
        items = [_with_via(item, more) for item in node.items]
        return ListNode(node.span, items, via=node.via + more)
    return _copy(node, via=node.via + more)


def _copy(node: N, **changes: object) -> N:
    """A shallow copy with some fields changed, for any node class (a front-end's own unknown
    kinds have constructors of their own)."""
    found = copy.copy(node)
    for name, value in changes.items():
        setattr(found, name, value)
    return found


def from_python(value: object, span: Span) -> Node:
    """Plain data as nodes, every one at `span` (a value computed from several places)."""
    if isinstance(value, dict):
        fields = {str(k): from_python(v, span) for k, v in value.items()}
        return ObjectNode(span, fields, dict.fromkeys(fields, span))
    if isinstance(value, (list, tuple)):
        return ListNode(span, [from_python(item, span) for item in value])
    if value is None or isinstance(value, (str, int, float, bool)):
        return ScalarNode(span, value)
    return unknown(span)


def equal(a: Node, b: Node) -> bool | None:
    """Terraform's `==` on two values; None when either side is not wholly known."""
    if not (whole(a) and whole(b)):
        return None
    return _plain(a.to_python()) == _plain(b.to_python())


def _plain(value: object) -> object:
    if isinstance(value, bool) or value is None:
        return ("bool", value)
    if isinstance(value, (int, float)):  # 1 == 1.0, exactly, however large (no float())
        return ("number", value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value

"""Terraform's built-in functions on located values; CloudFormation's `Fn::Join`, `Fn::Split`
and `Fn::Select` use the same ones.

Each function takes its evaluated arguments and the call's location, and returns a value: known
when its arguments decide it, unknown otherwise, never a guess. A function that is not here gives
an unknown value. Results keep the locations of the values they pass through (`lookup` returns
the map's own entry, `concat` the lists' own items); computed scalars sit at the call.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeGuard

from fglint.evaluate.values import (
    Encoded,
    Invalid,
    Spread,
    from_python,
    is_null,
    items_known,
    number,
    render,
    string,
    text,
    truth,
    unknown,
    whole,
)
from fglint.nodes import (
    ListNode,
    Node,
    ObjectNode,
    Scalar,
    ScalarNode,
    Span,
    UnknownNode,
)


@dataclass(frozen=True)
class Call:
    name: str
    args: list[Node]
    span: Span
    source: str = ""

    def unknown(self) -> UnknownNode:
        return unknown(self.span, self.source)

    def invalid(self) -> Invalid:
        return Invalid(self.span, self.source)

    def scalar(self, value: object) -> Node:
        return ScalarNode(self.span, value) if _is_scalar(value) else self.unknown()

    def strings(self) -> list[str] | None:
        found = [string(arg) for arg in self.args]
        return None if None in found else found  # type: ignore[return-value]


def _is_scalar(value: object) -> TypeGuard[Scalar]:
    return value is None or isinstance(value, (str, int, float, bool))


Function = Callable[[Call], Node]
FUNCTIONS: dict[str, Function] = {}


def function(*names: str) -> Callable[[Function], Function]:
    def register(body: Function) -> Function:
        for name in names:
            FUNCTIONS[name] = body
        return body

    return register


def call(name: str, args: list[Node], span: Span, source: str = "") -> Node:
    """The value of `name(args...)`; unknown for a function fglint does not evaluate."""
    body = FUNCTIONS.get(name.removeprefix("provider::terraform::"))
    if body is None:
        return unknown(span, source)
    try:
        return body(Call(name, args, span, source))
    except (ValueError, TypeError, OverflowError, IndexError, ZeroDivisionError, RecursionError):
        return unknown(span, source)


def _arity(c: Call, low: int, high: int | None = None) -> bool:
    return low <= len(c.args) <= (low if high is None else high)


# --- strings ---------------------------------------------------------------------------


@function("join")
def _join(c: Call) -> Node:
    if not _arity(c, 2) or string(c.args[0]) is None:
        return c.unknown()
    separator, items = c.args[0], items_known(c.args[1])
    if items is None:
        return c.unknown()
    parts: list[Node] = []
    for index, item in enumerate(items):
        if index:
            parts.append(separator)
        if isinstance(item, (ObjectNode, ListNode)) or is_null(item):
            return c.invalid()
        parts.append(item)
    return text(parts, c.span, c.source)


@function("split")
def _split(c: Call) -> Node:
    found = c.strings() if _arity(c, 2) else None
    if found is None:
        return c.unknown()
    separator, whole_text = found
    pieces = whole_text.split(separator) if separator else list(whole_text)
    return ListNode(c.span, [ScalarNode(c.span, piece) for piece in pieces])


_VERB = re.compile(r"%(?:\[(\d+)\])?([-+# 0]*\d*(?:\.\d+)?)([a-zA-Z%])")


@function("format")
def _format(c: Call) -> Node:
    if not c.args or string(c.args[0]) is None:
        return c.unknown()
    spec, args = str(string(c.args[0])), c.args[1:]
    parts: list[Node] = []
    pos, next_arg = 0, 0
    for match in _VERB.finditer(spec):
        parts.append(ScalarNode(c.args[0].span, spec[pos : match.start()]))
        pos = match.end()
        index, flags, verb = match.groups()
        if verb == "%":
            parts.append(ScalarNode(c.args[0].span, "%"))
            continue
        chosen = int(index) - 1 if index else next_arg
        next_arg = chosen + 1
        if chosen >= len(args):
            return c.invalid()
        formatted = _verb(args[chosen], verb, flags)
        if formatted is None:
            return c.unknown()
        parts.append(formatted)
    parts.append(ScalarNode(c.args[0].span, spec[pos:]))
    return text(parts, c.span, c.source)


def _verb(arg: Node, verb: str, flags: str) -> Node | None:
    if not isinstance(arg, ScalarNode):
        return (
            arg
            if verb in "sv" and not flags and not isinstance(arg, (ObjectNode, ListNode))
            else None
        )
    if verb in "sv" and not flags:
        rendered = render(arg.value)
        return ScalarNode(arg.span, rendered) if rendered is not None else None
    if verb == "d" and not flags:
        value = number(arg)
        return ScalarNode(arg.span, str(int(value))) if isinstance(value, (int, float)) else None
    if verb == "q" and isinstance(arg.value, str):
        return ScalarNode(arg.span, json.dumps(arg.value))
    return None


def _string_function(body: Callable[[str], str]) -> Function:
    def apply(c: Call) -> Node:
        found = c.strings() if _arity(c, 1) else None
        return c.scalar(body(found[0])) if found is not None else c.unknown()

    return apply


FUNCTIONS.update(
    {
        "lower": _string_function(str.lower),
        "upper": _string_function(str.upper),
        "title": _string_function(str.title),
        "trimspace": _string_function(str.strip),
        "chomp": _string_function(lambda s: s.rstrip("\r\n")),
    }
)


@function("replace")
def _replace(c: Call) -> Node:
    found = c.strings() if _arity(c, 3) else None
    if found is None:
        return c.unknown()
    subject, search, replacement = found
    if len(search) > 1 and search.startswith("/") and search.endswith("/"):
        return c.unknown()  # an RE2 pattern: Python's dialect differs, so never a guess
    return c.scalar(subject.replace(search, replacement))


@function("trimprefix", "trimsuffix", "trim", "startswith", "endswith")
def _affix(c: Call) -> Node:
    found = c.strings() if _arity(c, 2) else None
    if found is None:
        return c.unknown()
    subject, affix = found
    results: dict[str, object] = {
        "trimprefix": subject.removeprefix(affix),
        "trimsuffix": subject.removesuffix(affix),
        "trim": subject.strip(affix),
        "startswith": subject.startswith(affix),
        "endswith": subject.endswith(affix),
    }
    return c.scalar(results[c.name])


@function("substr")
def _substr(c: Call) -> Node:
    subject = string(c.args[0]) if _arity(c, 3) else None
    offset, length = (number(a) for a in c.args[1:3]) if _arity(c, 3) else (None, None)
    if subject is None or not isinstance(offset, int) or not isinstance(length, int):
        return c.unknown()
    start = offset if offset >= 0 else len(subject) + offset
    return c.scalar(subject[start:] if length == -1 else subject[start : start + length])


# --- collections -----------------------------------------------------------------------


@function("merge")
def _merge(c: Call) -> Node:
    result = ObjectNode(c.span)
    for arg in c.args:
        if is_null(arg):
            continue
        if not isinstance(arg, ObjectNode):
            return c.unknown()  # any key may come from an unknown map
        for key, value in arg.fields.items():
            result.fields.pop(key, None)
            result.fields[key] = value
            result.keys[key] = arg.key_span(key)
    return result


@function("concat")
def _concat(c: Call) -> Node:
    items: list[Node] = []
    for arg in c.args:
        if isinstance(arg, ListNode):
            items.extend(arg.items)
        elif isinstance(arg, (ObjectNode, ScalarNode)):
            return c.invalid()
        else:
            items.append(Spread(arg.span, getattr(arg, "text", ""), getattr(arg, "ref", None)))
    return ListNode(c.span, items)


@function("flatten")
def _flatten(c: Call) -> Node:
    if not _arity(c, 1) or not isinstance(c.args[0], ListNode):
        return c.unknown()

    def flat(node: ListNode) -> list[Node]:
        out: list[Node] = []
        for item in node.items:
            if isinstance(item, ListNode):
                out.extend(flat(item))
            elif isinstance(item, UnknownNode):
                out.append(Spread(item.span, item.text, item.ref))  # may be a list itself
            else:
                out.append(item)
        return out

    return ListNode(c.span, flat(c.args[0]))


@function("compact")
def _compact(c: Call) -> Node:
    if not _arity(c, 1) or not isinstance(c.args[0], ListNode):
        return c.unknown()
    kept: list[Node] = []
    for item in c.args[0].items:
        if isinstance(item, ScalarNode) and item.value in (None, ""):
            continue
        kept.append(item if isinstance(item, ScalarNode) else Spread(item.span))
    return ListNode(c.span, kept)


def _distinct_items(items: list[Node]) -> list[Node] | None:
    if not all(whole(item) for item in items):
        return None
    seen: set[str] = set()
    kept: list[Node] = []
    for item in items:
        key = json.dumps(item.to_python(), sort_keys=True)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


@function("distinct", "toset")
def _distinct(c: Call) -> Node:
    items = items_known(c.args[0]) if _arity(c, 1) else None
    kept = _distinct_items(items) if items is not None else None
    if kept is None:
        return c.unknown() if c.name == "distinct" or not _arity(c, 1) else c.args[0]
    return ListNode(c.span, kept)


@function("element")
def _element(c: Call) -> Node:
    items = items_known(c.args[0]) if _arity(c, 2) else None
    index = number(c.args[1]) if _arity(c, 2) else None
    if items is None or not isinstance(index, int):
        return c.unknown()
    if not items:
        return c.invalid()
    return items[index % len(items)]


@function("select")
def _select(c: Call) -> Node:
    """CloudFormation's `Fn::Select [index, list]`: an index outside the list is an error."""
    index = number(c.args[0]) if _arity(c, 2) else None
    items = items_known(c.args[1]) if _arity(c, 2) else None
    if not isinstance(index, int) or items is None:
        return c.unknown()
    return items[index] if 0 <= index < len(items) else c.invalid()


@function("index")
def _index(c: Call) -> Node:
    items = items_known(c.args[0]) if _arity(c, 2) else None
    if items is None or not whole(c.args[1]) or not all(whole(i) for i in items):
        return c.unknown()
    wanted = c.args[1].to_python()
    found = [n for n, item in enumerate(items) if item.to_python() == wanted]
    return c.scalar(found[0]) if found else c.invalid()


@function("slice")
def _slice(c: Call) -> Node:
    items = items_known(c.args[0]) if _arity(c, 3) else None
    start, end = (number(a) for a in c.args[1:3]) if _arity(c, 3) else (None, None)
    if items is None or not isinstance(start, int) or not isinstance(end, int):
        return c.unknown()
    if not 0 <= start <= end <= len(items):
        return c.invalid()
    return ListNode(c.span, items[start:end])


@function("length")
def _length(c: Call) -> Node:
    if not _arity(c, 1):
        return c.unknown()
    arg = c.args[0]
    if isinstance(arg, ObjectNode):
        return c.scalar(len(arg.fields))
    items = items_known(arg)
    if items is not None:
        return c.scalar(len(items))
    subject = string(arg) if isinstance(arg, ScalarNode) else None
    return c.scalar(len(subject)) if subject is not None else c.unknown()


@function("keys", "values")
def _keys(c: Call) -> Node:
    if not _arity(c, 1) or not isinstance(c.args[0], ObjectNode):
        return c.unknown()
    mapping = c.args[0]
    names = sorted(mapping.fields)
    if c.name == "keys":
        return ListNode(c.span, [ScalarNode(mapping.key_span(k), k) for k in names])
    return ListNode(c.span, [mapping.fields[k] for k in names])


@function("lookup")
def _lookup(c: Call) -> Node:
    if not _arity(c, 2, 3) or not isinstance(c.args[0], ObjectNode):
        return c.unknown()
    key = string(c.args[1])
    if key is None:
        return c.unknown()
    if key in c.args[0].fields:
        return c.args[0].fields[key]
    return c.args[2] if len(c.args) == 3 else c.invalid()


@function("contains")
def _contains(c: Call) -> Node:
    items = items_known(c.args[0]) if _arity(c, 2) else None
    if items is None or not whole(c.args[1]):
        return c.unknown()
    wanted = c.args[1].to_python()
    if any(whole(item) and item.to_python() == wanted for item in items):
        return c.scalar(True)
    return c.scalar(False) if all(whole(item) for item in items) else c.unknown()


@function("zipmap")
def _zipmap(c: Call) -> Node:
    names = items_known(c.args[0]) if _arity(c, 2) else None
    values = items_known(c.args[1]) if _arity(c, 2) else None
    if names is None or values is None or len(names) != len(values):
        return c.unknown()
    keys = [string(name) for name in names]
    if None in keys:
        return c.unknown()
    result = ObjectNode(c.span)
    for name, key, value in zip(names, keys, values, strict=True):
        result.fields[str(key)] = value
        result.keys[str(key)] = name.span
    return result


@function("range")
def _range(c: Call) -> Node:
    bounds = [number(arg) for arg in c.args]
    if not 1 <= len(bounds) <= 3 or not all(isinstance(b, int) for b in bounds):
        return c.unknown()
    numbers = range(*bounds)  # type: ignore[arg-type]
    if len(numbers) > 1024:
        return c.unknown()
    return ListNode(c.span, [ScalarNode(c.span, n) for n in numbers])


@function("one")
def _one(c: Call) -> Node:
    items = items_known(c.args[0]) if _arity(c, 1) else None
    if items is None:
        return c.unknown()
    if len(items) > 1:
        return c.invalid()
    return items[0] if items else ScalarNode(c.span, None)


@function("reverse")
def _reverse(c: Call) -> Node:
    items = items_known(c.args[0]) if _arity(c, 1) else None
    return ListNode(c.span, items[::-1]) if items is not None else c.unknown()


@function("sort")
def _sort(c: Call) -> Node:
    items = items_known(c.args[0]) if _arity(c, 1) else None
    texts = [string(item) for item in items] if items is not None else None
    if items is None or texts is None or None in texts:
        return c.unknown()
    order = sorted(range(len(items)), key=lambda n: str(texts[n]))
    return ListNode(c.span, [items[n] for n in order])


@function("coalesce")
def _coalesce(c: Call) -> Node:
    for arg in c.args:
        if not isinstance(arg, ScalarNode):
            return c.unknown()
        if arg.value not in (None, ""):
            return arg
    return c.invalid()


@function("coalescelist")
def _coalescelist(c: Call) -> Node:
    for arg in c.args:
        if not isinstance(arg, ListNode):
            return c.unknown()
        if arg.items and not all(isinstance(i, Spread) for i in arg.items):
            return arg
        if arg.items:
            return c.unknown()
    return c.invalid()


@function("try")
def _try(c: Call) -> Node:
    for arg in c.args:
        if isinstance(arg, Invalid):
            continue
        return arg if whole(arg) else c.unknown()
    return c.invalid()


@function("can")
def _can(c: Call) -> Node:
    if not _arity(c, 1):
        return c.unknown()
    if isinstance(c.args[0], Invalid):
        return c.scalar(False)
    return c.scalar(True) if whole(c.args[0]) else c.unknown()


@function("alltrue", "anytrue")
def _all_any(c: Call) -> Node:
    items = items_known(c.args[0]) if _arity(c, 1) else None
    flags = [truth(item) for item in items] if items is not None else None
    if flags is None or None in flags:
        return c.unknown()
    return c.scalar(all(flags) if c.name == "alltrue" else any(flags))


# --- conversions -----------------------------------------------------------------------


@function("tostring")
def _tostring(c: Call) -> Node:
    if not _arity(c, 1):
        return c.unknown()
    arg = c.args[0]
    if isinstance(arg, (ObjectNode, ListNode)):
        return c.invalid()
    if isinstance(arg, ScalarNode):
        return arg if arg.value is None else ScalarNode(arg.span, render(arg.value), via=arg.via)
    return arg


def _converted(c: Call, convert: Callable[[Node], Scalar]) -> Node:
    """A primitive conversion (`tonumber`, `tobool`): null stays null; a value that does not
    convert is invalid."""
    if not _arity(c, 1) or not isinstance(c.args[0], ScalarNode):
        return c.args[0] if _arity(c, 1) and isinstance(c.args[0], UnknownNode) else c.unknown()
    arg = c.args[0]
    if arg.value is None:
        return arg
    value = convert(arg)
    return ScalarNode(arg.span, value, via=arg.via) if value is not None else c.invalid()


@function("tonumber")
def _tonumber(c: Call) -> Node:
    return _converted(c, number)


@function("tobool")
def _tobool(c: Call) -> Node:
    return _converted(c, truth)


@function("tolist", "tomap", "sensitive", "nonsensitive")
def _identity(c: Call) -> Node:
    return c.args[0] if _arity(c, 1) else c.unknown()


# --- encodings -------------------------------------------------------------------------


@function("jsonencode", "yamlencode")
def _encode(c: Call) -> Node:
    if not _arity(c, 1):
        return c.unknown()
    return Encoded(c.span, c.source, structure=c.args[0] if c.name == "jsonencode" else None)


@function("jsondecode")
def _jsondecode(c: Call) -> Node:
    if not _arity(c, 1):
        return c.unknown()
    arg = c.args[0]
    if isinstance(arg, Encoded) and arg.structure is not None:
        return arg.structure
    subject = string(arg) if isinstance(arg, ScalarNode) else None
    if subject is None:
        return c.unknown()
    try:
        return from_python(json.loads(subject), arg.span)
    except (ValueError, RecursionError):
        return c.invalid()


# --- numbers ---------------------------------------------------------------------------


def _numbers(c: Call) -> list[int | float] | None:
    found: list[int | float] = []
    for arg in c.args:
        value = number(arg)
        if value is None:
            return None
        found.append(value)
    return found


@function("min", "max", "ceil", "floor", "abs", "sum", "signum")
def _math(c: Call) -> Node:
    if c.name == "sum":
        items = items_known(c.args[0]) if _arity(c, 1) else None
        values = [number(item) for item in items] if items is not None else None
        if values is None or None in values:
            return c.unknown()
        return c.scalar(sum(values))  # type: ignore[arg-type]
    found = _numbers(c)
    if not found:
        return c.unknown()
    single: dict[str, Callable[[float], object]] = {
        "ceil": math.ceil,
        "floor": math.floor,
        "abs": abs,
        "signum": lambda x: (x > 0) - (x < 0),
    }
    if c.name in single:
        return c.scalar(single[c.name](found[0])) if len(found) == 1 else c.unknown()
    return c.scalar(min(found) if c.name == "min" else max(found))

"""The located value tree: every parsed value knows where it came from.

Front-ends (JSON, Terraform, CloudFormation) build these nodes; rules read them and report
violations *at* a node. Lines and columns are 1-based; the end is exclusive.
"""

from __future__ import annotations

import builtins
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

Scalar = str | int | float | bool | None


_BITS = 32
_MASK = (1 << _BITS) - 1


class Span:
    """Where a value is: a file, and 1-based line and column of its start and (exclusive) end.

    Every located value has one (a corpus run builds about 150,000), so it is kept small: the
    four numbers are packed into one integer, least significant first end column, column, line,
    and the end line's distance from the line (0 for most values, so the integer stays as short
    as it can). A number that does not fit in 32 bits is kept as the largest that does.
    Hashed by value, and never changed once made."""

    __slots__ = ("_at", "path")

    def __init__(self, path: str, line: int, col: int, end_line: int, end_col: int) -> None:
        self.path = path
        lines = end_line - line
        if (end_col | col | line | lines) >> _BITS:  # a number below 0 or over 32 bits
            end_col, col, line, lines = _fit(end_col), _fit(col), _fit(line), _fit(lines)
        self._at = end_col | col << _BITS | line << 2 * _BITS | lines << 3 * _BITS

    @property
    def line(self) -> int:
        return self._at >> 2 * _BITS & _MASK

    @property
    def col(self) -> int:
        return self._at >> _BITS & _MASK

    @property
    def end_line(self) -> int:
        return (self._at >> 2 * _BITS & _MASK) + (self._at >> 3 * _BITS)

    @property
    def end_col(self) -> int:
        return self._at & _MASK

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Span:
            return NotImplemented
        return self._at == other._at and self.path == other.path

    def __hash__(self) -> int:
        return hash((self.path, self._at))

    def __repr__(self) -> str:
        return (
            f"Span(path={self.path!r}, line={self.line}, col={self.col}, "
            f"end_line={self.end_line}, end_col={self.end_col})"
        )

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"

    def __reduce__(self) -> tuple[type[Span], tuple[str, int, int, int, int]]:
        """Pickled as its five values (the model cache stores about 150,000 spans for the
        corpus)."""
        return (Span, (self.path, self.line, self.col, self.end_line, self.end_col))


def _fit(number: int) -> int:
    return number if 0 <= number <= _MASK else (0 if number < 0 else _MASK)


Via = tuple[tuple[Span, str], ...]


@dataclass(eq=False, slots=True)
class Node:
    span: Span
    # Where an evaluated value travelled before it got here, nearest use last: the places a
    # Terraform variable, local or module argument, or a CloudFormation parameter, passed it on.
    # A finding at the node lists them as related locations.
    via: Via = field(default=(), kw_only=True)

    @property
    def known(self) -> bool:
        """False for a value that cannot be known statically, or one that contains such a value."""
        return True

    def to_python(self) -> object:
        raise NotImplementedError


@dataclass(eq=False, slots=True)
class ScalarNode(Node):
    value: Scalar

    def to_python(self) -> object:
        return self.value


@dataclass(eq=False, slots=True)
class UnknownNode(Node):
    """An expression whose value cannot be known statically (a Terraform reference, a !Ref)."""

    text: str = ""
    ref: str | None = None  # the address of a resource this expression refers to, if any

    @property
    def known(self) -> bool:
        return False

    def to_python(self) -> object:
        return UNKNOWN


def splat(node: Node) -> bool:
    """A reference through a splat (`aws_subnet.private.*.id`, `x[*].id`): any number of values,
    however many items the list that holds it shows (Terraform 0.11's `["${x.*.id}"]`)."""
    return isinstance(node, UnknownNode) and ("[*]" in node.text or ".*" in node.text)


@dataclass(eq=False, slots=True)
class TemplateNode(UnknownNode):
    """A string whose parts are partly known: `"${var.repo}:latest"`, `join(":", [x, "v1"])`,
    `!Sub "${Repo}:latest"`. `parts` are literal `ScalarNode` strings (each at its own span) and
    unknown nodes, in order. Unknown as a whole, so rules stay silent unless they read the parts."""

    parts: list[Node] = field(default_factory=list)

    def suffix(self) -> str:
        """The literal text after the last unknown part."""
        tail: list[str] = []
        for part in reversed(self.parts):
            if not isinstance(part, ScalarNode):
                break
            tail.append(str(part.value))
        return "".join(reversed(tail))

    def prefix(self) -> str:
        """The literal text before the first unknown part."""
        head: list[str] = []
        for part in self.parts:
            if not isinstance(part, ScalarNode):
                break
            head.append(str(part.value))
        return "".join(head)

    def masked(self, filler: str = "\0") -> str:
        """The text with each unknown part replaced by `filler`."""
        return "".join(
            str(part.value) if isinstance(part, ScalarNode) else filler for part in self.parts
        )


@dataclass(eq=False, slots=True)
class ListNode(Node):
    items: list[Node] = field(default_factory=list)

    @property
    def known(self) -> bool:
        return all(item.known for item in self.items)

    def to_python(self) -> object:
        return [item.to_python() for item in self.items]

    def __iter__(self) -> Iterator[Node]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


@dataclass(eq=False, slots=True)
class ObjectNode(Node):
    """An object. `fields` maps a key to its value; `keys` maps a key to the span of the key."""

    fields: dict[str, Node] = field(default_factory=dict)
    keys: dict[str, Span] = field(default_factory=dict)

    @property
    def known(self) -> bool:
        return all(value.known for value in self.fields.values())

    def to_python(self) -> object:
        return {key: value.to_python() for key, value in self.fields.items()}

    def get(self, key: str) -> Node | None:
        return self.fields.get(key)

    def __contains__(self, key: str) -> bool:
        return key in self.fields

    def key_span(self, key: str) -> Span:
        return self.keys.get(key, self.span)

    def obj(self, key: str) -> ObjectNode | None:
        value = self.fields.get(key)
        return value if isinstance(value, ObjectNode) else None

    def list(self, key: str) -> list[Node]:
        value = self.fields.get(key)
        return value.items if isinstance(value, ListNode) else []

    def objects(self, key: builtins.str) -> builtins.list[ObjectNode]:
        return [item for item in self.list(key) if isinstance(item, ObjectNode)]

    def str(self, key: builtins.str) -> builtins.str | None:
        return as_str(self.fields.get(key))

    def int(self, key: builtins.str) -> builtins.int | None:
        return as_int(self.fields.get(key))

    def bool(self, key: builtins.str) -> builtins.bool | None:
        return as_bool(self.fields.get(key))


class LimitExceeded(Exception):
    """Input beyond one of the limits (`fglint.model.Limits`): the file is not linted, and the
    loader reports `message` as an FG001 finding at `span`."""

    def __init__(self, message: str, span: Span) -> None:
        super().__init__(message)
        self.message = message
        self.span = span


DEPTH = 100  # the default nesting limit (`[limits] depth`)
YAML_ALIASES = 10_000  # the default of `[limits] yaml-aliases`
# The default of `[limits] evaluation-depth`: twice `depth`, so that every expression the parser
# admits is evaluated, and a chain of locals stops only when about 200 long
EVALUATION_DEPTH = 200
# The most either depth setting may be: deeper nesting would need more of Python's stack than
# is safe (`fglint.load.make_room`)
MOST_DEPTH = 1000


def too_deep(limit: int, span: Span) -> LimitExceeded:
    return LimitExceeded(
        f"Nested deeper than {limit} levels: not read (`[limits] depth` in the settings "
        "raises the limit)",
        span,
    )


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def end_offset(text: str) -> int:
    """Where input ends as a reader sees it: just after the last character of its last line,
    before a final line break. An error at the end of the file is reported there, on a line that
    exists (as ruff reports an unexpected end of file: astral-sh/ruff#19812), never on the line
    after the final line break, which GitHub annotations and SARIF viewers cannot show."""
    for end in ("\r\n", "\n", "\r"):
        if text.endswith(end):
            return len(text) - len(end)
    return len(text)


def end_position(text: str) -> tuple[int, int]:
    """The 1-based (line, column) of `end_offset`."""
    end = end_offset(text)
    start = max(text.rfind("\n", 0, end), text.rfind("\r", 0, end)) + 1
    return len(_LINE_BREAK.findall(text, 0, end)) + 1, end - start + 1


class _Unknown:
    """Stands in for an unknown value in plain Python data."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()


def as_str(node: Node | None) -> str | None:
    """The node's string value; numbers are rendered as text. None when absent or unknown."""
    if isinstance(node, ScalarNode) and not isinstance(node.value, bool):
        if isinstance(node.value, str):
            return node.value
        if isinstance(node.value, (int, float)):
            return str(node.value)
    return None


# AWS API integers are 64-bit; anything larger is no value AWS accepts, so it is unknown here (and
# arithmetic on it stays in range: a 400-digit count divided as a float overflows).
LARGEST = 2**63
_INTEGER = re.compile(r"[+-]?[0-9]{1,30}")
_DECIMAL = re.compile(
    r"[+-]?(?:[0-9]{1,30}(?:\.[0-9]{0,30})?|\.[0-9]{1,30})(?:[eE][+-]?[0-9]{1,3})?"
)


def number(value: object, integer: builtins.bool = False) -> int | float | None:
    """The one reading of a number: an int, a finite float or a numeric string (ASCII digits,
    one optional sign) within 64-bit range. None (unknown) for anything else: booleans, `inf`,
    `nan`, `--5`, `²`, a 4,301-digit string. With `integer`, a float must be whole and a string
    must be an integer literal ("512", not "512.0")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if _INTEGER.fullmatch(text):
            value = int(text)
        elif not integer and _DECIMAL.fullmatch(text):
            value = float(text)
        else:
            return None
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) >= LARGEST:
            return None
        if integer:
            return int(value) if value.is_integer() else None
        return value
    if isinstance(value, int):
        return value if -LARGEST <= value < LARGEST else None
    return None


def as_number(node: Node | None) -> int | float | None:
    """The node's numeric value (see `number`); None when absent, unknown or not a number."""
    return number(node.value) if isinstance(node, ScalarNode) else None


def as_int(node: Node | None) -> int | None:
    """The node's integer value, accepting numeric strings ("512"). None otherwise."""
    value = number(node.value, integer=True) if isinstance(node, ScalarNode) else None
    return value if isinstance(value, int) else None


def as_bool(node: Node | None) -> bool | None:
    """The node's boolean value, accepting "true"/"false" strings. None otherwise."""
    if not isinstance(node, ScalarNode):
        return None
    if isinstance(node.value, bool):
        return node.value
    if isinstance(node.value, str) and node.value.lower() in ("true", "false"):
        return node.value.lower() == "true"
    return None


def walk(node: Node) -> Iterator[Node]:
    """Every node of a tree, depth first."""
    yield node
    if isinstance(node, ObjectNode):
        for value in node.fields.values():
            yield from walk(value)
    elif isinstance(node, ListNode):
        for item in node.items:
            yield from walk(item)


_TEMPLATE = re.compile(r"\$\{[^}]*\}|\{\{[^}]*\}\}|^<[A-Za-z_][\w -]*>$|^__[A-Z_]+__$")


def is_template(text: str) -> bool:
    """`${VAR}`, `{{var}}`, `<PLACEHOLDER>`: a value filled in by some tool before deploy."""
    return bool(_TEMPLATE.search(text))


def unknown_templates(node: Node) -> Node:
    """The tree with every templated string replaced by an unknown node (rules stay silent)."""
    if isinstance(node, ScalarNode) and isinstance(node.value, str) and is_template(node.value):
        return UnknownNode(node.span, node.value)
    if isinstance(node, ObjectNode):
        for key, value in node.fields.items():
            node.fields[key] = unknown_templates(value)
    elif isinstance(node, ListNode):
        node.items = [unknown_templates(item) for item in node.items]
    return node

"""YAML to located nodes, built from PyYAML's event stream: every key and value keeps its start
and end.

No node graph is composed: the events (libyaml's when installed, PyYAML's own otherwise) become
fglint's nodes as they come, so a large template is held once, not twice. The nesting depth and
what aliases expand to are checked on the same events, and an alias is copied only once the whole
stream has passed those checks: an alias bomb is refused, as yamllint and ruamel do, before
anything is expanded.

Plain scalars are typed as YAML 1.1 resolves them (`256` is an int, `true` a bool, `"256"` stays
a string). CloudFormation's short-form tags (`!Ref X`, `!GetAtt A.B`, `!Sub ...`) become their
long form (`{"Ref": "X"}`, `{"Fn::GetAtt": "A.B"}`) positioned at the tagged value, so that JSON
and YAML templates share one intrinsic-function pass. PyYAML is imported only when YAML is read.
"""

from __future__ import annotations

import re
from array import array
from functools import cache
from sys import intern
from typing import Any

from fglint.nodes import (
    DEPTH,
    YAML_ALIASES,
    LimitExceeded,
    ListNode,
    Node,
    ObjectNode,
    Scalar,
    ScalarNode,
    Span,
    end_offset,
    end_position,
    too_deep,
    walk,
)

Duplicate = tuple[str, Span, Span]
# Where `str.splitlines` breaks lines (a block scalar's end is placed by those lines)
_LINE_BREAK = re.compile("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


class YamlSyntaxError(Exception):
    def __init__(self, message: str, span: Span) -> None:
        super().__init__(message)
        self.message = message
        self.span = span


def _yaml() -> Any:
    import yaml

    return yaml


def long_form(tag: str) -> str:
    """`!Ref` -> `Ref`, `!GetAtt` -> `Fn::GetAtt` (and `!Condition`, a function only inside
    condition functions, -> `Fn::Condition`)."""
    name = tag[1:]
    return name if name == "Ref" else f"Fn::{name}"


def _function(tag: str | None) -> str | None:
    """The long form of a CloudFormation short-form tag; None for no tag or a YAML one."""
    if tag is None or tag == "!" or not tag.startswith("!") or tag.startswith("!!"):
        return None
    return long_form(tag)


class _Open:
    """A mapping or sequence whose end has not come yet. `key` is None while a mapping waits
    for its next key; `size` counts the values it holds so far, aliases expanded."""

    __slots__ = (
        "anchor",
        "as_key",
        "fields",
        "flow",
        "found",
        "function",
        "items",
        "key",
        "key_span",
        "keys",
        "last",
        "size",
        "start",
    )

    def __init__(self, event: Any, mapping: bool, as_key: bool, found: int) -> None:
        self.start = event.start_mark
        self.flow = event.flow_style
        self.function = _function(event.tag)
        self.anchor: _Anchor | None = None
        self.size = 1
        self.as_key = as_key
        self.found = found  # how many duplicate keys were known when it started
        self.items: list[Node] = []
        self.fields: dict[str, Node] | None = {} if mapping else None
        self.keys: dict[str, Span] = {}
        self.key: str | None = None
        self.key_span: Span | None = None
        self.last: Node | None = None


class _Anchor:
    """What an anchor names: its node (None while the collection is still open, or until a
    scalar used as a key is first used as a value), its event and end, its text as a key and
    the duplicate keys found inside it."""

    __slots__ = ("duplicates", "end", "event", "key", "keys", "node", "open")

    def __init__(self, event: Any, collection: bool) -> None:
        self.node: Node | None = None
        self.event = event
        self.end = event.end_mark
        self.key = "?"
        self.duplicates: list[Duplicate] = []
        self.open = collection
        self.keys: list[Span] = []  # its aliases used as keys while it was open: ends unknown


class _Later(ScalarNode):
    """An alias inside the collection it names, which is not built yet: resolved once the
    stream is read (`_Builder.resolve`)."""

    __slots__ = ("anchor",)

    def __init__(self, span: Span, anchor: _Anchor) -> None:
        super().__init__(span, None)
        self.anchor = anchor


class _Builder:
    def __init__(self, text: str, path: str, depth: int, aliases: int) -> None:
        self.text = text
        self.path = path
        self.loader: Any = None
        self.depth = depth
        self.aliases = aliases
        self.yaml = _yaml()
        self.scalar_type = self.yaml.nodes.ScalarNode
        self.roots: list[Node] = []
        self.duplicates: list[Duplicate] = []
        self.open: list[_Open] = []
        self.anchors: dict[str, _Anchor] = {}
        self.sizes: dict[str, int] = {}  # anchor -> how many values it stands for, expanded
        self.added = 0  # values that aliases add
        self.copies: list[tuple[Any, Any]] = []  # (container, slot) of each alias, copied last
        self.failure: Exception | None = None  # the composer's first error, raised at the end
        self.later = False  # an alias inside the collection it names (a `_Later`)
        self.ends: array[int] | None = None  # where each line ends, made when first needed
        # id -> (a key's stand-in span, its span): an alias used as a key inside the collection
        # it names, which ends later
        self.late: dict[int, tuple[Span, Span]] = {}

    def build(self, loader: Any) -> list[Node]:
        """Every document's root. The composer's errors (an undefined alias, a duplicate
        anchor) come after every limit and syntax error, as from a second pass."""
        events = self.yaml.events
        handlers = {
            events.ScalarEvent: self.scalar,
            events.AliasEvent: self.alias,
            events.SequenceStartEvent: self.start,
            events.MappingStartEvent: self.start,
            events.SequenceEndEvent: self.end,
            events.MappingEndEvent: self.end,
            events.DocumentEndEvent: self.document_end,
        }
        self.loader = loader(self.text)
        get, last = self.loader.get_event, events.StreamEndEvent
        try:
            while (event := get()) is not None and type(event) is not last:
                handler = handlers.get(type(event))
                if handler is not None:
                    handler(event)
        finally:
            self.loader.dispose()
        if self.failure is not None:
            raise self.failure
        if self.late:
            self.settle()
        if self.later:
            return [self.resolve(root, set()) for root in self.roots]
        for container, slot in self.copies:
            container[slot] = _copy(container[slot])
        return self.roots

    def settle(self) -> None:
        """Puts the span of each key that stood in for a collection still open (`late`)."""

        def settled(span: Span) -> Span:
            stand_in, whole = self.late.get(id(span), (None, span))
            return whole if stand_in is span else span

        for node in (node for root in self.roots for node in walk(root)):
            if isinstance(node, ObjectNode):
                node.keys = {key: settled(span) for key, span in node.keys.items()}
        self.duplicates = [(key, settled(a), settled(b)) for key, a, b in self.duplicates]

    def resolve(self, node: Node, inside: set[int]) -> Node:
        """A copy of `node` with each alias inside the collection it names replaced by a copy
        of that collection, as PyYAML's node graph (a cycle) would be read: a RecursionError
        when it comes back into itself, as it did when fglint built from that graph. A
        collection used as a key is never read, so a cycle through one is no cycle."""
        if isinstance(node, _Later):
            anchor = node.anchor
            assert anchor.node is not None
            if id(anchor.node) in inside:
                raise RecursionError("a YAML alias inside the node it names")
            self.added += self.sizes[anchor.event.anchor]
            if self.added > self.aliases:
                raise self.bomb(node.span)
            self.duplicates += anchor.duplicates
            node = anchor.node
        if not isinstance(node, (ObjectNode, ListNode)):
            return _copy(node)
        inside.add(id(node))
        copy: Node
        if isinstance(node, ObjectNode):
            fields = {key: self.resolve(value, inside) for key, value in node.fields.items()}
            copy = ObjectNode(node.span, fields, dict(node.keys))
        else:
            copy = ListNode(node.span, [self.resolve(item, inside) for item in node.items])
        inside.discard(id(node))
        return copy

    def bomb(self, span: Span) -> LimitExceeded:
        return LimitExceeded(
            f"YAML aliases expand to more than {self.aliases:,} values: not read (an alias "
            "bomb?); `[limits] yaml-aliases` in the settings raises the limit",
            span,
        )

    def document_end(self, event: Any) -> None:
        self.anchors = {}

    def at_key(self) -> bool:
        """True when the next node is a mapping's key."""
        return bool(self.open) and self.open[-1].fields is not None and self.open[-1].key is None

    def start(self, event: Any) -> None:
        if len(self.open) >= self.depth:
            raise too_deep(self.depth, _at(self.path, event.start_mark))
        mapping = isinstance(event, self.yaml.events.MappingStartEvent)
        collection = _Open(event, mapping, self.at_key(), len(self.duplicates))
        if event.anchor is not None:
            collection.anchor = self.anchor(event, True)
        self.open.append(collection)

    def end(self, event: Any) -> None:
        collection = self.open.pop()
        start, end, flow = collection.start, event.end_mark, collection.flow
        node: Node
        if collection.fields is None:
            items = collection.items
            node = ListNode(self.span(start, end, flow, items[-1] if items else None), items)
        else:
            span = self.span(start, end, flow, collection.last)
            node = ObjectNode(span, collection.fields, collection.keys)
        if collection.function is not None:
            node = _call(collection.function, node)
        anchor = collection.anchor
        if anchor is not None:
            anchor.node, anchor.end, anchor.open = node, end, False
            for key in anchor.keys:
                self.late[id(key)] = (key, self.span(start, end))
            anchor.duplicates = self.duplicates[collection.found :]
            self.sizes[anchor.event.anchor] = collection.size
        if self.open:
            self.open[-1].size += collection.size
        if collection.as_key:  # the key "?", not read further
            del self.duplicates[collection.found :]
            self.key("?", self.span(start, end))
        else:
            self.value(node)

    def scalar(self, event: Any) -> None:
        if event.anchor is not None:
            self.anchored(event)
            return
        if self.open:
            top = self.open[-1]
            top.size += 1
            if top.key is None and top.fields is not None:
                self.key(intern(event.value), self.span(event.start_mark, event.end_mark))
                return
        self.value(self.scalar_node(event))

    def anchored(self, event: Any) -> None:
        """A scalar with an anchor: also what its aliases will stand for."""
        self.sizes[event.anchor] = 1
        if self.open:
            self.open[-1].size += 1
        anchor = self.anchor(event, False)
        anchor.key = intern(event.value)
        if self.at_key():
            self.key(anchor.key, self.span(event.start_mark, event.end_mark))
            return
        anchor.node = self.scalar_node(event)
        self.value(anchor.node)

    def alias(self, event: Any) -> None:
        name = event.anchor
        size = self.sizes.get(name or "", 1)
        self.added += size
        if self.added > self.aliases:
            raise self.bomb(_at(self.path, event.start_mark))
        if self.open:
            self.open[-1].size += size
        anchor = self.anchors.get(name)
        if anchor is not None and anchor.open and self.at_key():  # the key "?", ends later
            start = anchor.event.start_mark
            line, col = start.line + 1, start.column + 1
            anchor.keys.append(Span(self.path, line, col, line, col))
            self.key("?", anchor.keys[-1])
            return
        if anchor is not None and anchor.open:
            self.later = True
            self.value(_Later(_at(self.path, event.start_mark), anchor))
            return
        if anchor is None:
            message = f"found undefined alias {name!r}"
            self.fail(self.yaml.composer.ComposerError(None, None, message, event.start_mark))
            anchor = _Anchor(event, False)
            anchor.node = ScalarNode(_at(self.path, event.start_mark), None)
        if self.at_key():
            self.key(anchor.key, self.span(anchor.event.start_mark, anchor.end))
            return
        if anchor.node is None:  # a scalar used as a key until now
            anchor.node = self.scalar_node(anchor.event)
        self.duplicates += anchor.duplicates
        self.value(anchor.node, alias=True)

    def anchor(self, event: Any, collection: bool) -> _Anchor:
        name = event.anchor
        first = self.anchors.get(name)
        if first is not None:
            self.fail(
                self.yaml.composer.ComposerError(
                    f"found duplicate anchor {name!r}; first occurrence",
                    first.event.start_mark,
                    "second occurrence",
                    event.start_mark,
                )
            )
        anchor = self.anchors[name] = _Anchor(event, collection)
        return anchor

    def fail(self, error: Exception) -> None:
        if self.failure is None:
            self.failure = error

    def key(self, key: str, span: Span) -> None:
        mapping = self.open[-1]
        fields = mapping.fields
        assert fields is not None
        if key in fields:
            self.duplicates.append((key, span, mapping.keys[key]))
            del fields[key]
        mapping.key, mapping.key_span = key, span

    def value(self, node: Node, alias: bool = False) -> None:
        container: Any
        slot: Any
        if not self.open:
            container, slot = self.roots, len(self.roots)
            self.roots.append(node)
        elif (fields := self.open[-1].fields) is None:
            container, slot = self.open[-1].items, len(self.open[-1].items)
            container.append(node)
        else:
            mapping = self.open[-1]
            container, slot = fields, mapping.key
            assert slot is not None and mapping.key_span is not None
            fields[slot] = mapping.last = node
            mapping.keys[slot] = mapping.key_span
            mapping.key = None
        if alias:
            self.copies.append((container, slot))

    def scalar_node(self, event: Any) -> Node:
        span = self.span(event.start_mark, event.end_mark)
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(self.scalar_type, event.value, event.implicit)
        elif (function := _function(tag)) is not None:
            return _call(function, ScalarNode(span, event.value))
        return ScalarNode(span, self.typed(tag, event.value))

    def typed(self, tag: str, value: str) -> Scalar:
        if tag == _STR:
            return value
        kind = tag.rsplit(":", 1)[-1]
        if kind == "str":
            return value
        construct = _CONSTRUCTORS.get(kind)
        if construct is not None:
            node = self.yaml.nodes.ScalarNode(tag, value)
            try:
                typed: Scalar = construct[1](getattr(self.loader, construct[0])(node))
            except (ValueError, self.yaml.YAMLError):
                return value
            return typed
        return None if kind == "null" else value

    def span(self, start: Any, end: Any, flow: bool = True, last: Node | None = None) -> Span:
        """From the node's start to just after its value: a block collection ends with its
        `last` item, a block scalar before the line breaks it keeps."""
        line = start.line + 1
        if last is not None and not flow:
            return Span(self.path, line, start.column + 1, last.span.end_line, last.span.end_col)
        end_line, end_col = end.line, end.column
        while end_col == 0 and end_line > start.line:
            end_line -= 1
            end_col = self.line_length(end_line)
        return Span(self.path, line, start.column + 1, end_line + 1, end_col + 1)

    def line_length(self, line: int) -> int:
        """The length of `text.splitlines()[line]` (0 past the last line), without the list."""
        if self.ends is None:
            self.ends = array("q", (m.start() for m in _LINE_BREAK.finditer(self.text)))
            if not self.text or _LINE_BREAK.fullmatch(self.text, len(self.text) - 1) is None:
                self.ends.append(len(self.text))
        ends = self.ends
        if line >= len(ends):
            return 0
        if line == 0:
            return ends[0]
        previous = ends[line - 1]
        return ends[line] - previous - (2 if self.text.startswith("\r\n", previous) else 1)


_STR = "tag:yaml.org,2002:str"
_CONSTRUCTORS = {
    "int": ("construct_yaml_int", int),
    "float": ("construct_yaml_float", float),
    "bool": ("construct_yaml_bool", bool),
}


def _call(function: str, node: Node) -> ObjectNode:
    """`{"Fn::X": node}` at the node's place."""
    return ObjectNode(node.span, {function: node}, {function: node.span})


def _copy(node: Node) -> Node:
    """A tree equal to `node` and sharing no node with it (spans are shared: never changed)."""
    if isinstance(node, ObjectNode):
        fields = {key: _copy(value) for key, value in node.fields.items()}
        return ObjectNode(node.span, fields, dict(node.keys))
    if isinstance(node, ListNode):
        return ListNode(node.span, [_copy(item) for item in node.items])
    if isinstance(node, ScalarNode):
        return ScalarNode(node.span, node.value)
    return node


def parse_yaml(
    text: str, path: str, depth: int = DEPTH, aliases: int = YAML_ALIASES
) -> tuple[list[Node], list[Duplicate]]:
    """Every document of a YAML stream as located nodes, and the duplicate keys found.

    Raises YamlSyntaxError at the position PyYAML marks, LimitExceeded for nesting deeper than
    `depth` or aliases that would add more than `aliases` values (checked before any alias is
    copied)."""
    yaml = _yaml()
    try:
        return _read(text, path, depth, aliases)
    except yaml.YAMLError as error:
        error.__traceback__ = None  # drops the frames that hold what was built
        mark = getattr(error, "problem_mark", None)
        if "nesting depth" in str(error) and mark is not None:  # libyaml's own limit (1,000)
            raise too_deep(depth, _at(path, mark)) from None
        raise _syntax_error(_pure_python_error(text) or error, path, text) from None


def _read(text: str, path: str, depth: int, aliases: int) -> tuple[list[Node], list[Duplicate]]:
    builder = _Builder(text, path, depth, aliases)
    return builder.build(loader_class()), builder.duplicates


def _at(path: str, mark: Any) -> Span:
    return Span(path, mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2)


def loader_class() -> Any:
    """libyaml's loader when it is installed, else PyYAML's own with libyaml's handling of tabs
    (`_TabScanner`): a file reads the same with either."""
    yaml = _yaml()
    return getattr(yaml, "CSafeLoader", None) or pure_loader()


@cache
def pure_loader() -> Any:
    from yaml.composer import Composer
    from yaml.constructor import SafeConstructor
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.resolver import Resolver
    from yaml.scanner import Scanner

    class TabScanner(Reader, Scanner):
        """libyaml's rule (scanner.c): a tab separates tokens in the flow context and where a
        simple key may not start (after a value indicator, inside a line), and is blank space
        inside a plain scalar; PyYAML's scanner refuses every tab."""

        def scan_to_next_token(self) -> None:
            if self.index == 0 and self.peek() == "\ufeff":
                self.forward()
            while True:
                while self.peek() == " " or (
                    self.peek() == "\t" and (self.flow_level or not self.allow_simple_key)
                ):
                    self.forward()
                if self.peek() == "#":
                    while self.peek() not in "\0\r\n\x85\u2028\u2029":
                        self.forward()
                if not self.line_break():
                    return
                if not self.flow_level:
                    self.allow_simple_key = True

        def scan_plain_spaces(self, indent: int, start_mark: Any) -> list[str] | None:
            length = 0
            while self.peek(length) in " \t":
                length += 1
            whitespaces = self.prefix(length)
            self.forward(length)
            if self.peek() not in "\r\n\x85\u2028\u2029":
                return [whitespaces] if whitespaces else []
            line_break = self.line_break()
            self.allow_simple_key = True
            if self._document_mark():
                return None
            breaks = []
            while self.peek() in " \r\n\x85\u2028\u2029" or (
                self.peek() == "\t" and self.column >= indent
            ):
                if self.peek() in " \t":
                    self.forward()
                    continue
                breaks.append(self.line_break())
                if self._document_mark():
                    return None
            chunks = [line_break] if line_break != "\n" else [] if breaks else [" "]
            return chunks + breaks

        def line_break(self) -> str:
            """PyYAML's untyped scan_line_break: the line break read, "" when there is none."""
            found: str = self.scan_line_break()  # type: ignore[no-untyped-call]
            return found

        def _document_mark(self) -> bool:
            prefix = self.prefix(3)
            return prefix in ("---", "...") and self.peek(3) in "\0 \t\r\n\x85\u2028\u2029"

    class Loader(TabScanner, Parser, Composer, SafeConstructor, Resolver):
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

    return Loader


def _pure_python_error(text: str) -> Exception | None:
    """The first error PyYAML's own parser and composer report, in the composer's words:
    libyaml words some messages differently, and a finding must read the same wherever fglint
    runs. Read from the events, with the composer's two checks of anchors, and nothing built
    (composing a large template held hundreds of megabytes only to find where it breaks)."""
    yaml = _yaml()
    events, error_type = yaml.events, yaml.composer.ComposerError
    anchors: dict[str, Any] = {}  # anchor -> where its node starts, in this document
    try:
        for event in yaml.parse(text, Loader=pure_loader()):
            name = getattr(event, "anchor", None)
            if isinstance(event, events.AliasEvent) and name not in anchors:
                found = f"found undefined alias {name!r}"
                raise error_type(None, None, found, event.start_mark)
            if isinstance(event, events.AliasEvent) or name is None:
                if isinstance(event, events.DocumentEndEvent):
                    anchors = {}
                continue
            if name in anchors:
                first = f"found duplicate anchor {name!r}; first occurrence"
                raise error_type(first, anchors[name], "second occurrence", event.start_mark)
            anchors[name] = event.start_mark
    except yaml.YAMLError as error:
        return error  # type: ignore[no-any-return]
    return None


def _syntax_error(error: Any, path: str, text: str) -> YamlSyntaxError:
    """At the problem's mark; at the context's when the problem is the end of the file (an
    unclosed quote or bracket is reported where it opens)."""
    mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    if mark is None or (context_mark is not None and not text[mark.index :].strip()):
        mark = context_mark or mark
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    context = getattr(error, "context", None)
    message = f"{problem} ({context})" if context else str(problem)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if mark is not None and mark.index >= end_offset(text):  # the end of the file
        line, col = end_position(text)
    return YamlSyntaxError(message, Span(path, line, col, line, col + 1))

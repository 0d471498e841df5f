"""YAML to located nodes, with PyYAML's composer: every key and value keeps its start and end.

Plain scalars are typed as YAML 1.1 resolves them (`256` is an int, `true` a bool, `"256"` stays
a string). CloudFormation's short-form tags (`!Ref X`, `!GetAtt A.B`, `!Sub ...`) become their
long form (`{"Ref": "X"}`, `{"Fn::GetAtt": "A.B"}`) positioned at the tagged value, so that JSON
and YAML templates share one intrinsic-function pass. PyYAML is imported only when YAML is read.
"""

from __future__ import annotations

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
)

Duplicate = tuple[str, Span, Span]


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


class _Builder:
    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.duplicates: list[Duplicate] = []
        yaml = _yaml()
        self.constructor = yaml.SafeLoader("")
        self.yaml = yaml
        self.mapping_type = yaml.nodes.MappingNode
        self.sequence_type = yaml.nodes.SequenceNode

    def span(self, node: Any, last: Node | None = None) -> Span:
        """From the node's start to just after its value: a block collection ends with its
        `last` item, a block scalar before the line breaks it keeps."""
        start = node.start_mark
        if last is not None and not node.flow_style:
            return Span(
                self.path, start.line + 1, start.column + 1, last.span.end_line, last.span.end_col
            )
        line, col = node.end_mark.line, node.end_mark.column
        while col == 0 and line > start.line:
            line -= 1
            col = len(self.lines[line]) if line < len(self.lines) else 0
        return Span(self.path, start.line + 1, start.column + 1, line + 1, col + 1)

    def node(self, node: Any) -> Node:
        tag = node.tag or ""
        if tag.startswith("!") and not tag.startswith("!!"):
            return self.intrinsic(node, tag)
        return self.plain(node)

    def plain(self, node: Any) -> Node:
        if isinstance(node, self.mapping_type):
            return self.mapping(node)
        if isinstance(node, self.sequence_type):
            items = [self.node(item) for item in node.value]
            return ListNode(self.span(node, items[-1] if items else None), items)
        return ScalarNode(self.span(node), self.scalar(node))

    def intrinsic(self, node: Any, tag: str) -> ObjectNode:
        inner: Node
        if isinstance(node, (self.mapping_type, self.sequence_type)):
            inner = self.plain(node)
        else:
            inner = ScalarNode(self.span(node), node.value)
        key = long_form(tag)
        return ObjectNode(inner.span, {key: inner}, {key: inner.span})

    def mapping(self, node: Any) -> ObjectNode:
        fields: dict[str, Node] = {}
        keys: dict[str, Span] = {}
        value: Node | None = None
        for key_node, value_node in node.value:
            key = intern(str(key_node.value)) if not isinstance(key_node.value, list) else "?"
            key_span = self.span(key_node)
            if key in fields:
                self.duplicates.append((key, key_span, keys[key]))
                del fields[key]
            fields[key] = value = self.node(value_node)
            keys[key] = key_span
        return ObjectNode(self.span(node, value), fields, keys)

    def scalar(self, node: Any) -> Scalar:
        kind = node.tag.rsplit(":", 1)[-1]
        if kind == "str":
            return str(node.value)
        try:
            if kind == "int":
                return int(self.constructor.construct_yaml_int(node))
            if kind == "float":
                return float(self.constructor.construct_yaml_float(node))
            if kind == "bool":
                return bool(self.constructor.construct_yaml_bool(node))
        except (ValueError, self.yaml.YAMLError):
            text: str = node.value
            return text
        if kind == "null":
            return None
        return str(node.value)


def parse_yaml(
    text: str, path: str, depth: int = DEPTH, aliases: int = YAML_ALIASES
) -> tuple[list[Node], list[Duplicate]]:
    """Every document of a YAML stream as located nodes, and the duplicate keys found.

    Raises YamlSyntaxError at the position PyYAML marks, LimitExceeded for nesting deeper than
    `depth` or aliases that would add more than `aliases` values (checked before building)."""
    yaml = _yaml()
    loader = loader_class()
    builder = _Builder(text, path)
    try:
        _within_limits(text, path, loader, depth, aliases)
        documents = list(yaml.compose_all(text, Loader=loader))
        roots = [builder.node(doc) for doc in documents if doc is not None]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        if "nesting depth" in str(error) and mark is not None:  # libyaml's own limit (1,000)
            raise too_deep(depth, _at(path, mark)) from None
        raise _syntax_error(_pure_python_error(text) or error, path, text) from None
    return roots, builder.duplicates


def _within_limits(text: str, path: str, loader: Any, depth: int, aliases: int) -> None:
    """Check the nesting depth and what aliases expand to on the event stream, which neither
    parser builds recursively, before anything is composed: an alias bomb (nine levels of ten
    aliases each is 10**9 values) is refused here, as yamllint and ruamel do, not expanded."""
    yaml = _yaml()
    events = yaml.events
    sizes: dict[str, int] = {}  # anchor -> how many values it stands for, expanded
    open_: list[list[Any]] = []  # per open collection: [anchor, values in it so far]
    added = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, events.CollectionStartEvent):
            if len(open_) >= depth:
                raise too_deep(depth, _at(path, event.start_mark))
            open_.append([event.anchor, 1])
            continue
        if isinstance(event, events.CollectionEndEvent):
            anchor, size = open_.pop()
        elif isinstance(event, events.AliasEvent):
            anchor, size = None, sizes.get(event.anchor or "", 1)
            added += size
            if added > aliases:
                raise LimitExceeded(
                    f"YAML aliases expand to more than {aliases:,} values: not read (an alias "
                    "bomb?); `[limits] yaml-aliases` in the settings raises the limit",
                    _at(path, event.start_mark),
                )
        elif isinstance(event, events.ScalarEvent):
            anchor, size = event.anchor, 1
        else:
            continue
        if anchor:
            sizes[anchor] = size
        if open_:
            open_[-1][1] += size


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
    """The error PyYAML's own parser reports: libyaml words some messages differently, and a
    finding must read the same wherever fglint runs."""
    yaml = _yaml()
    try:
        for _ in yaml.compose_all(text, Loader=pure_loader()):
            pass
    except RecursionError:  # PyYAML's composer recurses; the events said where the error is
        return None
    except yaml.YAMLError as error:
        found: Exception = error
        return found
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

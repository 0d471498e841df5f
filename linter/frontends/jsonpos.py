"""A JSON parser that keeps the position of every key and value.

The standard library's `scanstring` decodes strings; a small recursive-descent walker does the
rest. Duplicate keys are recorded (the last one wins, as in `json.loads`), and syntax errors carry
the exact line and column.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from json.decoder import scanstring  # type: ignore[attr-defined]
from sys import intern

from fglint.nodes import (
    DEPTH,
    ListNode,
    Node,
    ObjectNode,
    ScalarNode,
    Span,
    end_offset,
    too_deep,
)

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
_LITERALS: dict[str, object] = {"true": True, "false": False, "null": None}


class JsonSyntaxError(Exception):
    def __init__(self, message: str, span: Span) -> None:
        super().__init__(message)
        self.message = message
        self.span = span


class LineIndex:
    """Turns character offsets into 1-based (line, column) pairs, with a line offset added."""

    def __init__(self, text: str, line_offset: int = 0, col_offset: int = 0) -> None:
        self.starts = [0] + [m.end() for m in re.finditer(r"\r\n|\n|\r", text)]
        self.line_offset = line_offset
        self.col_offset = col_offset

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.starts, offset) - 1
        col = offset - self.starts[index] + 1
        if index == 0:
            col += self.col_offset
        return index + 1 + self.line_offset, col


class _Parser:
    def __init__(self, text: str, path: str, index: LineIndex, depth: int = DEPTH) -> None:
        self.text = text
        self.path = path
        self.index = index
        self.limit = depth
        self.depth = 0
        self.duplicates: list[tuple[str, Span, Span]] = []

    def span(self, start: int, end: int) -> Span:
        line, col = self.index.position(start)
        end_line, end_col = self.index.position(end)
        return Span(self.path, line, col, end_line, end_col)

    def fail(self, message: str, offset: int) -> JsonSyntaxError:
        """At `offset`; an error at the end of the text where the text ends (`end_offset`)."""
        if offset >= len(self.text):
            offset = end_offset(self.text)
        return JsonSyntaxError(message, self.span(offset, offset + 1))

    def skip(self, pos: int) -> int:
        match = _WS.match(self.text, pos)
        return match.end() if match else pos

    def document(self) -> Node:
        pos = self.skip(0)
        node, pos = self.value(pos)
        pos = self.skip(pos)
        if pos != len(self.text):
            raise self.fail("Extra data after the JSON value", pos)
        return node

    def value(self, pos: int) -> tuple[Node, int]:
        if pos >= len(self.text):
            raise self.fail("Expecting value, found end of file", pos)
        char = self.text[pos]
        if char in "{[":
            self.depth += 1
            if self.depth > self.limit:
                raise too_deep(self.limit, self.span(pos, pos + 1))
            found = self.object(pos) if char == "{" else self.array(pos)
            self.depth -= 1
            return found
        if char == '"':
            text, end = self.string(pos)
            return ScalarNode(self.span(pos, end), text), end
        number = _NUMBER.match(self.text, pos)
        if number:
            literal = number.group()
            # An integer too long for int() (4,300 digits) is read as a float: infinity.
            whole = not (number.group(1) or number.group(2)) and len(literal) < 4300
            value: float | int = int(literal) if whole else float(literal)
            return ScalarNode(self.span(pos, number.end()), value), number.end()
        for word, literal_value in _LITERALS.items():
            if self.text.startswith(word, pos):
                end = pos + len(word)
                return ScalarNode(self.span(pos, end), literal_value), end  # type: ignore[arg-type]
        raise self.fail(f"Expecting value, found {char!r}", pos)

    def string(self, pos: int) -> tuple[str, int]:
        try:
            found: tuple[str, int] = scanstring(self.text, pos + 1, True)
            return found
        except ValueError as error:
            offset = getattr(error, "pos", pos)
            message = getattr(error, "msg", str(error))
            raise self.fail(message, offset) from None

    def object(self, start: int) -> tuple[ObjectNode, int]:
        node = ObjectNode(self.span(start, start + 1))
        pos = self.skip(start + 1)
        if self.text.startswith("}", pos):
            node.span = self.span(start, pos + 1)
            return node, pos + 1
        while True:
            if not self.text.startswith('"', pos):
                raise self.fail("Expecting property name enclosed in double quotes", pos)
            key, key_end = self.string(pos)
            key = intern(key)  # keys repeat: one string each (a sixth less memory, dense JSON)
            key_span = self.span(pos, key_end)
            pos = self.skip(key_end)
            if not self.text.startswith(":", pos):
                raise self.fail("Expecting ':' delimiter", pos)
            value, pos = self.value(self.skip(pos + 1))
            if key in node.fields:
                self.duplicates.append((key, key_span, node.keys[key]))
                del node.fields[key]
            node.fields[key] = value
            node.keys[key] = key_span
            pos = self.skip(pos)
            if self.text.startswith(",", pos):
                pos = self.skip(pos + 1)
                continue
            if self.text.startswith("}", pos):
                node.span = self.span(start, pos + 1)
                return node, pos + 1
            raise self.fail("Expecting ',' delimiter or '}'", pos)

    def array(self, start: int) -> tuple[ListNode, int]:
        node = ListNode(self.span(start, start + 1))
        pos = self.skip(start + 1)
        if self.text.startswith("]", pos):
            node.span = self.span(start, pos + 1)
            return node, pos + 1
        while True:
            item, pos = self.value(pos)
            node.items.append(item)
            pos = self.skip(pos)
            if self.text.startswith(",", pos):
                pos = self.skip(pos + 1)
                continue
            if self.text.startswith("]", pos):
                node.span = self.span(start, pos + 1)
                return node, pos + 1
            raise self.fail("Expecting ',' delimiter or ']'", pos)


def parse_json(
    text: str,
    path: str,
    line_offset: int = 0,
    col_offset: int = 0,
    index: LineIndex | None = None,
    depth: int = DEPTH,
) -> tuple[Node, list[tuple[str, Span, Span]]]:
    """Parse `text`; return the root node and the duplicate keys (key, span, first span).

    `line_offset`/`col_offset` place an embedded document (a heredoc) inside its host file;
    `index` places a rendered one (a template) where each of its parts is written.
    Raises JsonSyntaxError with the exact position of the first syntax error, LimitExceeded
    where the nesting passes `depth`.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    parser = _Parser(text, path, index or LineIndex(text, line_offset, col_offset), depth)
    return parser.document(), parser.duplicates

"""Terraform string templates: quoted strings, heredocs and `templatefile()` files.

A template is read into tokens (literal text, `${...}` interpolations, `%{ if }` / `%{ for }`
directives), each placed where it is written; `render` evaluates them into pieces: literal text
at its source location, and the values of interpolations with their own locations (the caller's
literal, a variable default). Pieces make a string (partly known where an interpolation is
unknown), or a JSON document whose values keep their locations (`json_document`).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from fglint.evaluate.values import items_known, passed, text
from fglint.frontends.jsonpos import LineIndex, parse_json
from fglint.frontends.terraform.parse import HclSyntaxError
from fglint.frontends.terraform.syntax import fragment, trees, unescape
from fglint.model import Problem, SourceFile, duplicate_key
from fglint.nodes import ListNode, Node, ObjectNode, ScalarNode, Span, UnknownNode
from lark import Token, Tree


@dataclass
class Literal:
    text: str
    span: Span
    offset: int  # where the text starts in its file; -1 when it does not stand there verbatim


@dataclass
class Interpolation:
    expr: Tree[Any]
    span: Span
    file: SourceFile


@dataclass
class Directive:
    kind: str  # "if", "else", "endif", "for", "endfor"
    span: Span
    expr: Tree[Any] | None = None
    file: SourceFile | None = None
    names: tuple[str, ...] = ()  # `for k, v in ...`: ("k", "v")
    strip_before: bool = False
    strip_after: bool = False


Token_ = Literal | Interpolation | Directive


@dataclass
class Piece:
    """A rendered part: literal text (`node` None) or an interpolation's value."""

    text: str
    span: Span
    offset: int = -1
    node: Node | None = None


@dataclass
class Block:
    """An `if` or `for` directive with the tokens it holds."""

    head: Directive
    body: list[Item] = field(default_factory=list)
    other: list[Item] = field(default_factory=list)  # after `else`


Item = Literal | Interpolation | Block


class Unknowable(Exception):
    """A directive whose condition or collection is unknown: the text is unknown."""


# --- reading ---------------------------------------------------------------------------


def string_tokens(
    tree: Tree[Any], file: SourceFile, span: Callable[[Tree[Any] | Token], Span]
) -> list[Token_]:
    """The tokens of a quoted string from python-hcl2's tree."""
    found: list[Token_] = []
    for part in trees(tree):
        if part.data != "string_part":
            continue
        inner = part.children[0]
        if isinstance(inner, Token):
            raw = str(inner)
            if inner.type in ("ESCAPED_INTERPOLATION", "ESCAPED_DIRECTIVE"):
                raw = raw[1:]
            found.append(
                Literal(unescape(raw), span(inner), -1 if "\\" in raw else inner.start_pos or 0)
            )
        elif inner.data == "interpolation":
            found.extend(_interpolation(inner, found, file, span(inner)))
        else:
            found.append(_directive(inner, span(inner), file))
    return found


def _interpolation(
    tree: Tree[Any], before: list[Token_], file: SourceFile, where: Span
) -> list[Token_]:
    """`${ x }` as tokens; `${~` strips the literal before it, `~}` the one after."""
    expr = next(c for c in _parts(tree) if isinstance(c, Tree))
    marks = [str(t) for t in tree.children if isinstance(t, Token)]
    if marks[1] == "~":
        _strip_last(before)
    tokens: list[Token_] = [Interpolation(expr, where, file)]
    if marks[-2] == "~":
        end = Span(where.path, where.end_line, where.end_col, where.end_line, where.end_col)
        tokens.append(Directive("strip", end))
    return tokens


def _parts(tree: Tree[Any]) -> list[Any]:
    """The children that matter: newlines and comments inside `${ }` and `%{ }` do not."""
    return [
        c for c in tree.children if not (isinstance(c, Tree) and c.data == "new_line_or_comment")
    ]


def _directive(tree: Tree[Any], where: Span, file: SourceFile) -> Directive:
    kind = tree.data.removeprefix("template_").removesuffix("_start")
    words = [str(t) for t in tree.children if isinstance(t, Token)]
    exprs = [c for c in _parts(tree) if isinstance(c, Tree) and c.data != "identifier"]
    names = tuple(
        str(c.children[0]) for c in tree.children if isinstance(c, Tree) and c.data == "identifier"
    )
    strip_before = len(words) > 1 and words[1] == "~"
    strip_after = len(words) > 1 and words[-2] == "~"
    expr = exprs[-1] if exprs else None
    return Directive(kind, where, expr, file, names, strip_before, strip_after)


_OPEN = re.compile(r"\$\$\{|%%\{|\$\{|%\{")
_FOR = re.compile(r"^for\s+([A-Za-z_][\w-]*)(?:\s*,\s*([A-Za-z_][\w-]*))?\s+in\s+(.*)$", re.DOTALL)


def scan(body: str, file: SourceFile, start: int, index: LineIndex) -> list[Token_]:
    """The tokens of a heredoc's body or a template file; `start` is the body's offset in `file`.
    Raises Unknowable for a template it cannot read (an unclosed or unparsable interpolation)."""
    found: list[Token_] = []
    pos = 0

    def where(a: int, b: int) -> Span:
        line, col = index.position(start + a)
        end_line, end_col = index.position(start + b)
        return Span(file.path, line, col, end_line, end_col)

    def literal(a: int, b: int) -> None:
        if b > a:
            raw = body[a:b]
            cooked = raw.replace("$${", "${").replace("%%{", "%{")
            found.append(Literal(cooked, where(a, b), start + a if cooked == raw else -1))

    while True:
        match = _OPEN.search(body, pos)
        if match is None:
            literal(pos, len(body))
            return found
        if match.group() in ("$${", "%%{"):
            literal(pos, match.end())
            pos = match.end()
            continue
        literal(pos, match.start())
        end = closing_brace(body, match.end())
        if end is None:
            raise Unknowable
        inner = body[match.end() : end - 1]
        strip_before, strip_after = inner.startswith("~"), inner.endswith("~")
        inner = inner[1 if strip_before else 0 : len(inner) - (1 if strip_after else 0)]
        offset = match.end() + (1 if strip_before else 0)
        if match.group() == "${":
            if strip_before:
                _strip_last(found)
            expr = _expression(inner, offset, start, index)
            found.append(Interpolation(expr, where(match.start(), end), file))
            if strip_after:
                found.append(Directive("strip", where(end, end)))
        else:
            directive = _scanned_directive(inner, offset, start, index, where(match.start(), end))
            directive.file = file
            found.append(directive)
            directive.strip_before, directive.strip_after = strip_before, strip_after
        pos = end


def _expression(source: str, offset: int, start: int, index: LineIndex) -> Tree[Any]:
    lead = len(source) - len(source.lstrip())
    line, col = index.position(start + offset + lead)
    try:
        return fragment(source.strip(), line, col, start + offset + lead)
    except HclSyntaxError:
        raise Unknowable from None


def _scanned_directive(
    inner: str, offset: int, start: int, index: LineIndex, where: Span
) -> Directive:
    words = inner.strip()
    if words in ("else", "endif", "endfor"):
        return Directive(words, where)
    if words.startswith("if ") or words.startswith("if\t"):
        source = inner[inner.index("if") + 2 :]
        return Directive(
            "if", where, _expression(source, offset + inner.index("if") + 2, start, index)
        )
    matched = _FOR.match(words)
    if matched:
        names = tuple(n for n in matched.groups()[:2] if n)
        source = matched.group(3)
        at = offset + inner.index(source)
        return Directive("for", where, _expression(source, at, start, index), names=names)
    raise Unknowable


def closing_brace(text_: str, pos: int) -> int | None:
    """The offset just past the `}` that closes an interpolation opened before `pos`."""
    depth, quote = 1, False
    while pos < len(text_):
        char = text_[pos]
        if quote:
            if char == "\\":
                pos += 1
            elif char == '"':
                quote = False
        elif char == '"':
            quote = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return pos + 1
        pos += 1
    return None


def _strip_last(found: list[Token_]) -> None:
    if found and isinstance(found[-1], Literal):
        found[-1].text = found[-1].text.rstrip()
        found[-1].offset = -1


# --- rendering -------------------------------------------------------------------------


def nest(tokens: list[Token_]) -> list[Item]:
    """Directives into blocks; strip markers applied to the literals beside them. Raises
    Unknowable for unbalanced directives."""
    for n, token in enumerate(tokens):
        if isinstance(token, Directive):
            if token.strip_before and n and isinstance(tokens[n - 1], Literal):
                _strip_last(tokens[:n])
            nxt = tokens[n + 1] if n + 1 < len(tokens) else None
            if (token.strip_after or token.kind == "strip") and isinstance(nxt, Literal):
                nxt.text, nxt.offset = nxt.text.lstrip(), -1
    root: list[Item] = []
    stack: list[tuple[Block, bool]] = []  # (block, in `else`)
    for token in tokens:
        target = root if not stack else (stack[-1][0].other if stack[-1][1] else stack[-1][0].body)
        if not isinstance(token, Directive):
            target.append(token)
        elif token.kind in ("if", "for"):
            block = Block(token)
            target.append(block)
            stack.append((block, False))
        elif token.kind == "else" and stack and stack[-1][0].head.kind == "if" and not stack[-1][1]:
            stack[-1] = (stack[-1][0], True)
        elif (
            token.kind in ("endif", "endfor") and stack and stack[-1][0].head.kind == token.kind[3:]
        ):
            stack.pop()
        elif token.kind != "strip":
            raise Unknowable
    if stack:
        raise Unknowable
    return root


Evaluate = Callable[[Tree[Any], SourceFile, dict[str, Node]], Node]


def render(items: list[Item], evaluate: Evaluate, names: dict[str, Node]) -> Iterator[Piece]:
    """The pieces of the template; raises Unknowable where a directive cannot be decided."""
    for item in items:
        if isinstance(item, Literal):
            yield Piece(item.text, item.span, item.offset)
        elif isinstance(item, Interpolation):
            value = evaluate(item.expr, item.file, names)
            if type(value) is UnknownNode:  # an unknown stands where it is interpolated
                value = replace(value, span=item.span)
            elif value.known:
                value = passed(value, item.span, "written into the template here")
            yield Piece("", item.span, node=value)
        elif item.head.kind == "if":
            assert item.head.expr is not None and item.head.file is not None
            condition = evaluate(item.head.expr, item.head.file, names)
            if not isinstance(condition, ScalarNode) or not isinstance(condition.value, bool):
                raise Unknowable
            yield from render(item.body if condition.value else item.other, evaluate, names)
        else:
            yield from _loop(item, evaluate, names)


def _loop(block: Block, evaluate: Evaluate, names: dict[str, Node]) -> Iterator[Piece]:
    assert block.head.expr is not None and block.head.file is not None
    collection = evaluate(block.head.expr, block.head.file, names)
    pairs: list[tuple[Node, Node]]
    if isinstance(collection, ObjectNode):
        pairs = [(ScalarNode(collection.key_span(k), k), v) for k, v in collection.fields.items()]
    elif isinstance(collection, ListNode) and items_known(collection) is not None:
        pairs = [(ScalarNode(i.span, n), i) for n, i in enumerate(collection.items)]
    else:
        raise Unknowable
    head = block.head.names
    for key, value in pairs:
        bound = dict(names)
        if len(head) == 2:
            bound[head[0]], bound[head[1]] = key, value
        elif head:
            bound[head[0]] = value
        yield from render(block.body, evaluate, bound)


def as_string(pieces: list[Piece], span: Span, source: str) -> Node:
    """The pieces as one string value, partly known where an interpolation is unknown."""
    parts = [p.node if p.node is not None else ScalarNode(p.span, p.text) for p in pieces]
    return text(parts, span, source)


# --- JSON documents --------------------------------------------------------------------

_HOLE = re.compile("\ue000(\\d+)\ue001")


class _Mapped(LineIndex):
    """Positions in the rendered text, mapped back to where each piece is written."""

    def __init__(self, starts: list[int], pieces: list[Piece], index: LineIndex) -> None:
        self.starts, self.pieces, self.index = starts, pieces, index

    def position(self, offset: int) -> tuple[int, int]:
        n = max(bisect_right(self.starts, offset) - 1, 0)
        piece = self.pieces[n] if self.pieces else None
        if piece is None:
            return 1, 1
        if piece.node is None and piece.offset >= 0:
            return self.index.position(piece.offset + offset - self.starts[n])
        span = piece.node.span if piece.node is not None else piece.span
        return span.line, span.col


def json_document(
    pieces: list[Piece], path: str, index: LineIndex, problems: list[Problem] | None = None
) -> Node:
    """The JSON document the pieces render, each value where it is written: a value that is
    exactly one interpolation is that interpolation's value. Duplicate keys are added to
    `problems` (FG004). Raises JsonSyntaxError."""
    out: list[str] = []
    starts: list[int] = []
    holes: list[Node] = []
    size, quoted = 0, False
    for piece in pieces:
        starts.append(size)
        if piece.node is None:
            chunk = piece.text
            quoted = _quote_state(chunk, quoted)
        else:
            holes.append(piece.node)
            mark = f"\ue000{len(holes) - 1}\ue001"
            chunk = mark if quoted else f'"{mark}"'
        out.append(chunk)
        size += len(chunk)
    root, duplicates = parse_json("".join(out), path, index=_Mapped(starts, pieces, index))
    if problems is not None:
        problems += [duplicate_key(*duplicate) for duplicate in duplicates]
    return _fill(root, holes)


def _quote_state(chunk: str, quoted: bool) -> bool:
    escaped = False
    for char in chunk:
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
    return quoted


def _fill(node: Node, holes: list[Node]) -> Node:
    if isinstance(node, ObjectNode):
        for key, value in node.fields.items():
            node.fields[key] = _fill(value, holes)
        return node
    if isinstance(node, ListNode):
        node.items = [_fill(item, holes) for item in node.items]
        return node
    if not isinstance(node, ScalarNode) or not isinstance(node.value, str):
        return node
    chunks = _HOLE.split(node.value)
    if len(chunks) == 1:
        return node
    if len(chunks) == 3 and not chunks[0] and not chunks[2]:
        return holes[int(chunks[1])]
    parts: list[Node] = []
    for n, chunk in enumerate(chunks):
        if n % 2:
            parts.append(holes[int(chunk)])
        elif chunk:
            parts.append(ScalarNode(node.span, chunk))
    return text(parts, node.span, json.dumps(node.value))

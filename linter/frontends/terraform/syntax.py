"""HCL syntax: bodies, blocks and attributes of python-hcl2's lark tree, and helpers to read it.

Nothing here evaluates: `expressions` gives values to the expressions these hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from fglint.frontends.terraform.parse import parse, span_of
from fglint.model import DUPLICATE_KEY, Problem, SourceFile
from fglint.nodes import Span
from lark import Token, Tree

_ESCAPES = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


@dataclass(eq=False)
class Attribute:
    name: str
    key_span: Span
    expr: Tree[Any]
    file: SourceFile

    @property
    def span(self) -> Span:
        return span_of(self.expr, self.file.path)


@dataclass(eq=False)
class Block:
    type: str
    labels: list[str]
    body: Body
    span: Span
    key_span: Span
    file: SourceFile


@dataclass(eq=False)
class Body:
    """An HCL body: its attributes by name and its blocks in order."""

    file: SourceFile
    attrs: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)

    @classmethod
    def read(cls, tree: Tree[Any], file: SourceFile) -> Body:
        body = cls(file)
        for child in tree.children:
            if not isinstance(child, Tree):
                continue
            if child.data == "attribute":
                name_tree, expr = child.children[0], child.children[-1]
                name = name_of(name_tree)
                body.attrs[name] = Attribute(name, span_of(name_tree, file.path), expr, file)
            elif child.data == "block":
                body.blocks.append(_block(child, file))
        return body

    def blocks_of(self, kind: str) -> list[Block]:
        return [block for block in self.blocks if block.type == kind]


def _block(tree: Tree[Any], file: SourceFile) -> Block:
    parts = [c for c in tree.children if isinstance(c, Tree)]
    head = [p for p in parts if p.data in ("identifier", "keyword", "literal_value", "string")]
    inner = next(p for p in parts if p.data == "body")
    labels = [literal_string(p) if p.data == "string" else name_of(p) for p in head[1:]]
    return Block(
        name_of(head[0]),
        labels,
        Body.read(inner, file),
        span_of(tree, file.path),
        span_of(head[0], file.path),
        file,
    )


def name_of(tree: Tree[Any]) -> str:
    return "".join(str(t) for t in tree.scan_values(lambda v: isinstance(v, Token)))


def literal_string(tree: Tree[Any]) -> str:
    """The text of a string without interpolations (block labels)."""
    return "".join(
        unescape(str(token))
        for part in tree.children
        if isinstance(part, Tree)
        for token in part.children
        if isinstance(token, Token)
    )


def literal_key(tree: Tree[Any]) -> str | None:
    """An object key written as a name or a plain string; None for an expression."""
    inner = unwrap(tree.children[0]) if isinstance(tree.children[0], Tree) else None
    if inner is None:
        return str(tree.children[0])
    if inner.data in ("identifier", "keyword", "literal_value"):
        return name_of(inner)
    plain = all(isinstance(token, Token) for part in trees(inner) for token in part.children)
    return literal_string(inner) if inner.data == "string" and plain else None


def duplicates(tree: Tree[Any], file: SourceFile) -> list[Problem]:
    """FG004 for an argument set twice in one block (Terraform rejects it: "Attribute
    redefined") and for a key written twice in an object constructor (Terraform keeps the last
    value without a warning)."""
    problems: list[Problem] = []
    for node in tree.iter_subtrees_topdown():  # type: ignore[no-untyped-call]
        pairs: list[tuple[Tree[Any], str | None]]
        if node.data == "body":
            attributes = [c.children[0] for c in trees(node) if c.data == "attribute"]
            pairs = [(name, name_of(name)) for name in attributes]
            what = (
                "Argument `{}` is set twice in this block: Terraform rejects the configuration "
                "(Attribute redefined: each argument may be set only once); keep one"
            )
            where = "first set here"
            severity: Literal["error"] | None = "error"
        elif node.data == "object":
            elems = [c.children[0] for c in trees(node) if c.data == "object_elem"]
            pairs = [(key, literal_key(key)) for key in elems]
            what = (
                "Duplicate key `{}`: Terraform keeps this value and silently drops the earlier "
                "one; keep one"
            )
            where = "first defined here"
            severity = None
        else:
            continue
        first: dict[str, Tree[Any]] = {}  # a span is computed only for a duplicate
        for key_tree, name in pairs:
            if name is None:
                continue
            if name in first:
                span = span_of(key_tree, file.path)
                related = ((span_of(first[name], file.path), where),)
                problems.append(Problem(DUPLICATE_KEY, span, what.format(name), related, severity))
            else:
                first[name] = key_tree
    return problems


def unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if len(code) > 1:  # \uNNNN, \UNNNNNNNN; beyond Unicode (HCL rejects it): U+FFFD
            point = int(code[1:], 16)
            return chr(point) if point < 0x110000 else "\ufffd"
        return _SIMPLE_ESCAPES.get(code, "\\" + code)

    return _ESCAPES.sub(one, text) if "\\" in text else text


def unwrap(tree: Tree[Any]) -> Tree[Any]:
    """The expression inside `expr_term` wrappers and parentheses."""
    while isinstance(tree, Tree) and tree.data == "expr_term":
        inner = [
            c for c in tree.children if isinstance(c, Tree) and c.data != "new_line_or_comment"
        ]
        if len(inner) != 1:
            break
        tree = inner[0]
    return tree


def trees(tree: Tree[Any]) -> list[Tree[Any]]:
    return [c for c in tree.children if isinstance(c, Tree)]


def interpolated(tree: Tree[Any]) -> Tree[Any]:
    return next(c for c in tree.children if isinstance(c, Tree))


def function_name(tree: Tree[Any]) -> str:
    return name_of(tree.children[0])


def arguments(tree: Tree[Any]) -> list[Tree[Any]]:
    args = next((c for c in trees(tree) if c.data == "arguments"), None)
    if args is None:
        return []
    return [c for c in trees(args) if c.data != "new_line_or_comment"]


def traversal(tree: Tree[Any]) -> tuple[str, list[tuple[str, Any]]] | None:
    """`a.b[0].c` as ("a", [("attr", "b"), ("index", <tree>), ("attr", "c")])."""
    parts: list[tuple[str, Any]] = []
    tree = unwrap(tree)
    while True:
        if tree.data == "get_attr_expr_term":
            term, get_attr = tree.children[0], tree.children[1]
            parts.insert(0, ("attr", name_of(trees(get_attr)[0])))
        elif tree.data == "index_expr_term":
            term, index = tree.children[0], tree.children[1]
            if index.data == "short_index":
                parts.insert(0, ("index", int(str(index.children[-1]))))
            else:
                parts.insert(0, ("index", next(c for c in trees(index))))
        elif tree.data in ("attr_splat_expr_term", "full_splat_expr_term"):
            term = tree.children[0]
            parts.insert(0, ("splat", None))
        elif tree.data == "identifier":
            return name_of(tree), parts
        else:
            return None
        tree = unwrap(term)


def heredoc_body(raw: str) -> tuple[str, int]:
    """The text between a heredoc's opening line and its closing marker, and its offset."""
    start = raw.index("\n") + 1
    end = raw.rstrip("\r\n").rfind("\n") + 1
    if end < start:
        end = start
    return raw[start:end], start


def dedent(text: str) -> str:
    lines = text.split("\n")
    indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return "\n".join(line[cut:] for line in lines)


def fragment(
    source: str, line: int, col: int, offset: int, columns: list[int] | None = None
) -> Tree[Any]:
    """The expression `source`, written in a file at `line`:`col` (character `offset`), parsed
    on its own with every token placed where it stands in that file. `columns` places a
    one-line source whose characters are not written one for one (a JSON string re-quoted for
    HCL): the column offset, from `col`, of each character. Raises HclSyntaxError."""
    tree = parse(f"_=({source})\n")
    for token in tree.scan_values(lambda v: isinstance(v, Token)):
        if columns is not None and token.line == token.end_line == 1:
            first, last = token.start_pos - 3, max(token.end_pos - 4, token.start_pos - 3)
            token.column = col + columns[min(first, len(columns) - 1)]
            token.end_column = col + columns[min(last, len(columns) - 1)] + 1
        elif token.line == 1:
            token.column += col - 4
            if token.end_line == 1:
                token.end_column += col - 4
        token.line += line - 1
        token.end_line += line - 1
        token.start_pos += offset - 3
        token.end_pos += offset - 3
    attribute = next(t for t in tree.children[0].children if isinstance(t, Tree))
    return unwrap(attribute.children[-1])

"""Terraform's JSON syntax (`*.tf.json`) read into the same bodies, blocks and attributes as
HCL, so that one evaluator reads both.

An argument's JSON value is a Terraform expression (its strings are templates), parsed where it
is written, so every value keeps its exact position. Whether an object is a nested block or a
map argument depends on the resource type: the blocks are those the resource tables map (and
`dynamic`, `lifecycle`, `content` and the policy-document blocks); any other object is a map.
"""

from __future__ import annotations

import json
from typing import Any

from fglint.frontends.jsonpos import JsonSyntaxError, LineIndex, parse_json
from fglint.frontends.terraform import tables
from fglint.frontends.terraform.parse import HclSyntaxError
from fglint.frontends.terraform.syntax import Attribute, Block, Body, fragment
from fglint.frontends.terraform.templates import closing_brace
from fglint.model import Problem, SourceFile, duplicate_key, parse_problem
from fglint.nodes import ListNode, Node, ObjectNode, ScalarNode, Span
from lark import Tree

LABELS = {"resource": 2, "data": 2, "variable": 1, "module": 1, "output": 1, "provider": 1}
ALWAYS_BLOCKS = {"lifecycle", "dynamic", "content", "timeouts", "provisioner", "connection"}
POLICY_BLOCKS = {"statement", "principals", "not_principals", "condition"}


def block_names(table: tables.Table) -> set[str]:
    names: set[str] = set()
    for name, spec in table.items():
        if isinstance(spec, tables.Nested):
            names.add(name)
            names |= block_names(spec.fields)
    return names


def read_body(file: SourceFile, problems: list[Problem]) -> Body | None:
    """The file's top-level body; an FG001 problem and None when it is not valid JSON."""
    try:
        root, duplicates = parse_json(file.text, file.path)
    except JsonSyntaxError as error:
        problems.append(parse_problem(error.span, error.message, "JSON"))
        return None
    problems += [duplicate_key(*duplicate) for duplicate in duplicates]
    if not isinstance(root, ObjectNode):
        return None
    return Reader(file).top(root)


class Reader:
    def __init__(self, file: SourceFile) -> None:
        self.file = file
        self.literal = False
        self.index = LineIndex(file.text)
        self.starts = self.index.starts

    def offset(self, line: int, col: int) -> int:
        return self.starts[line - 1] + col - 1 if 0 < line <= len(self.starts) else 0

    def top(self, root: ObjectNode) -> Body:
        body = Body(self.file)
        for kind, value in root.fields.items():
            if kind == "locals":
                for entry in _objects(value):
                    locals_ = Body(self.file)
                    self.attributes(entry, locals_, set())
                    body.blocks.append(
                        self.block("locals", [], locals_, entry, root.key_span(kind))
                    )
            elif kind in LABELS:
                self.labelled(kind, value, LABELS[kind], [], body, root.key_span(kind))
        return body

    def labelled(
        self, kind: str, value: Node, depth: int, labels: list[str], into: Body, key: Span
    ) -> None:
        """`{"aws_ecs_service": {"api": {...}}}`: labels nest as object keys."""
        if depth == 0:
            for entry in _objects(value):
                into.blocks.append(
                    self.block(kind, labels, self.body(entry, kind, labels), entry, key)
                )
            return
        if isinstance(value, ObjectNode):
            for label, inner in value.fields.items():
                self.labelled(kind, inner, depth - 1, [*labels, label], into, value.key_span(label))

    def block(self, kind: str, labels: list[str], body: Body, node: Node, key: Span) -> Block:
        span = Span(key.path, key.line, key.col, node.span.end_line, node.span.end_col)
        return Block(kind, labels, body, span, key, self.file)

    def body(self, node: ObjectNode, kind: str, labels: list[str], literal: bool = False) -> Body:
        """A block's body; `literal`: its strings are values, not templates (a plan's)."""
        self.literal = literal
        body = Body(self.file)
        blocks = ALWAYS_BLOCKS.copy()
        if kind in ("resource", "data") and labels:
            table = _table(labels[0])
            blocks |= block_names(table) if table else set()
            if labels[0] == "aws_iam_policy_document":
                blocks |= POLICY_BLOCKS
        self.attributes(node, body, blocks)
        return body

    def attributes(self, node: ObjectNode, body: Body, blocks: set[str]) -> None:
        for name, value in node.fields.items():
            key = node.key_span(name)
            if name in blocks and name == "dynamic" and isinstance(value, ObjectNode):
                for label, inner in value.fields.items():
                    for entry in _objects(inner):
                        content = Body(self.file)
                        self.attributes(entry, content, blocks)
                        body.blocks.append(self.block("dynamic", [label], content, entry, key))
            elif name in blocks and isinstance(value, (ObjectNode, ListNode)):
                for entry in _objects(value):
                    nested = Body(self.file)
                    self.attributes(entry, nested, blocks)
                    body.blocks.append(self.block(name, [], nested, entry, key))
            else:
                found = self.expression(value)
                if found is not None:
                    body.attrs[name] = Attribute(name, key, *found)

    def expression(self, node: Node) -> tuple[Tree[Any], SourceFile] | None:
        """The value as an expression, parsed where it is written. A JSON string is a template
        whose interpolations hold code, written without JSON's escapes: it is re-quoted for
        HCL (positions after an escape inside it shift by the escape's length; in a list or
        object holding templates, positions are the value's)."""
        span = node.span
        start = self.offset(span.line, span.col)
        raw = self.file.text[start : self.offset(span.end_line, span.end_col)]
        try:
            if self.literal and isinstance(node, ScalarNode) and isinstance(node.value, str):
                source = hcl_literal(node.value)
                return fragment(source, span.line, span.col, 0), self.scratch(source)
            if isinstance(node, ScalarNode) and isinstance(node.value, str):
                source, columns = hcl_string(raw)
                return fragment(source, span.line, span.col, 0, columns), self.scratch(source)
            if "${" not in raw:
                return fragment(raw, span.line, span.col, start), self.file
            source = hcl_source(node)
            return fragment(source, span.line, span.col, 0), self.scratch(source)
        except HclSyntaxError:
            return None

    def scratch(self, source: str) -> SourceFile:
        """The expression's own text, when it is not the file's (what messages quote)."""
        file = SourceFile(self.file.path, self.file.abspath, source, "terraform")
        file.report = self.file.report
        return file


_JSON_ESCAPES = {
    '"': '"',
    "\\": "\\",
    "/": "/",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
}


def hcl_string(raw: str) -> tuple[str, list[int]]:
    """A JSON string literal (`raw`, quotes included) as an HCL template, and for each of its
    characters the column in `raw` it comes from: literal text keeps HCL escapes, the code in
    `${...}` and `%{...}` is written as JSON decodes it."""
    decoded: list[str] = []
    origin: list[int] = []
    pos = 1
    while pos < len(raw) - 1:
        char = raw[pos]
        if char == "\\" and raw[pos + 1 : pos + 2] == "u":
            decoded.append(chr(int(raw[pos + 2 : pos + 6], 16)))
            origin.append(pos)
            pos += 6
        elif char == "\\":
            decoded.append(_JSON_ESCAPES.get(raw[pos + 1 : pos + 2], raw[pos + 1 : pos + 2]))
            origin.append(pos)
            pos += 2
        else:
            decoded.append(char)
            origin.append(pos)
            pos += 1
    text = "".join(decoded)
    out, columns = ['"'], [0]
    index = 0
    while index < len(text):
        if text.startswith(("${", "%{"), index):
            end = closing_brace(text, index + 2) or len(text)
            out.extend(text[index:end])
            columns.extend(origin[index:end])
            index = end
            continue
        out.append(_HCL_ESCAPES.get(text[index], text[index]))
        columns.append(origin[index])
        index += 1
    out.append('"')
    columns.append(len(raw) - 1)
    source = "".join(out)
    # an escape written as two characters maps both to the character's column
    expanded: list[int] = []
    for piece, column in zip(out, columns, strict=True):
        expanded.extend([column] * len(piece))
    return source, expanded


def hcl_literal(value: str) -> str:
    """A string as an HCL literal: nothing in it is a template."""
    escaped = "".join(_HCL_ESCAPES.get(char, char) for char in value)
    return '"' + escaped.replace("${", "$${").replace("%{", "%%{") + '"'


_HCL_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def hcl_source(node: Node) -> str:
    """A JSON value written as HCL: strings quoted for HCL, their interpolations verbatim."""
    if isinstance(node, ObjectNode):
        fields = (f"{json.dumps(k)} = {hcl_source(v)}" for k, v in node.fields.items())
        return "{" + ", ".join(fields) + "}"
    if isinstance(node, ListNode):
        return "[" + ", ".join(hcl_source(item) for item in node.items) + "]"
    value = node.value if isinstance(node, ScalarNode) else None
    if not isinstance(value, str):
        return json.dumps(value)
    out, pos = ['"'], 0
    while pos < len(value):
        if value.startswith(("${", "%{"), pos):
            end = closing_brace(value, pos + 2) or len(value)
            out.append(value[pos:end])
            pos = end
            continue
        char = value[pos]
        out.append(
            {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char, char)
        )
        pos += 1
    return "".join(out) + '"'


def _objects(node: Node) -> list[ObjectNode]:
    if isinstance(node, ObjectNode):
        return [node]
    if isinstance(node, ListNode):
        return [item for item in node.items if isinstance(item, ObjectNode)]
    return []


def _table(resource_type: str) -> tables.Table | None:
    from fglint.frontends.terraform.build import RESOURCES

    found = RESOURCES.get(resource_type)
    return found[1] if found else None

"""Values of one Terraform module: HCL expressions become located nodes.

Literals are known. References resolve where Terraform's semantics make the value certain:
`var.x` (the variable's default, overridden by `terraform.tfvars` then `*.auto.tfvars` of the
same directory), `local.x`, and attributes of resources of the same module that are written
as literals. A reference to a resource attribute that is computed (`aws_iam_role.x.arn`) is an
unknown node whose `ref` is the resource's address, so the model can link it. Everything else
(`data.*`, module outputs, conditionals, `for` expressions, other functions) is unknown.

In a JSON context (`container_definitions`, `policy`, ...) `jsonencode(<HCL>)` is the structure
itself, a heredoc is parsed as JSON at its own lines, and `file()` / `templatefile()` read the
JSON file beside the module.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from fglint.frontends.jsonpos import JsonSyntaxError, LineIndex, parse_json
from fglint.frontends.terraform.parse import HclSyntaxError, parse, span_of
from fglint.model import DUPLICATE_KEY, Problem, Project, SourceFile, duplicate_key, parse_problem
from fglint.nodes import (
    ListNode,
    Node,
    ObjectNode,
    ScalarNode,
    Span,
    UnknownNode,
    unknown_templates,
)
from lark import Token, Tree

RESOURCE_TYPE = re.compile(r"^[a-z][a-z0-9]*_[a-z0-9_]+$")
NOT_RESOURCES = {"var", "local", "data", "module", "path", "each", "count", "self", "terraform"}
_ESCAPES = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.DOTALL)
D = TypeVar("D", "Attribute", "Block")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


@dataclass(eq=False)
class Attribute:
    name: str
    key_span: Span
    expr: Tree
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
    def read(cls, tree: Tree, file: SourceFile) -> Body:
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


def _block(tree: Tree, file: SourceFile) -> Block:
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


def name_of(tree: Tree) -> str:
    return "".join(str(t) for t in tree.scan_values(lambda v: isinstance(v, Token)))


def literal_string(tree: Tree) -> str:
    """The text of a string without interpolations (block labels)."""
    return "".join(
        unescape(str(token))
        for part in tree.children
        if isinstance(part, Tree)
        for token in part.children
        if isinstance(token, Token)
    )


def literal_key(tree: Tree) -> str | None:
    """An object key written as a name or a plain string; None for an expression."""
    inner = unwrap(tree.children[0]) if isinstance(tree.children[0], Tree) else None
    if inner is None:
        return str(tree.children[0])
    if inner.data in ("identifier", "keyword", "literal_value"):
        return name_of(inner)
    plain = all(isinstance(token, Token) for part in trees(inner) for token in part.children)
    return literal_string(inner) if inner.data == "string" and plain else None


def duplicates(tree: Tree, file: SourceFile) -> list[Problem]:
    """FG004 for an argument set twice in one block (Terraform rejects it: "Attribute
    redefined") and for a key written twice in an object constructor (Terraform keeps the last
    value without a warning)."""
    problems: list[Problem] = []
    for node in tree.iter_subtrees_topdown():
        pairs: list[tuple[Tree, str | None]]
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
        first: dict[str, Tree] = {}  # a span is computed only for a duplicate
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


def render(value: object) -> str | None:
    """A scalar as Terraform renders it inside a string template."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float, str)):
        return str(value)
    return None


def relocate(node: Node, span: Span, text: str) -> Node:
    """A resolved reference's value, placed where the reference is written."""
    if isinstance(node, ScalarNode):
        return ScalarNode(span, node.value)
    if isinstance(node, UnknownNode):
        return UnknownNode(span, text, node.ref)
    return node


def respan(node: Node, span: Span) -> Node:
    """Every node of a tree placed at one span (JSON decoded from a quoted HCL string)."""
    node.span = span
    if isinstance(node, ObjectNode):
        node.keys = dict.fromkeys(node.keys, span)
        for value in node.fields.values():
            respan(value, span)
    elif isinstance(node, ListNode):
        for item in node.items:
            respan(item, span)
    return node


def within(path: Path, roots: list[Path]) -> bool:
    return any(path == root or path.is_relative_to(root) for root in roots)


class Module:
    """One directory of .tf files: variables, locals and resources, and their values."""

    def __init__(self, folder: Path, roots: list[Path], project: Project) -> None:
        self.folder = folder
        self.roots = roots
        self.project = project
        # Every definition of a name, in file order: Terraform rejects a name defined twice in
        # a module, so a folder that does is a set of independent examples (see `pick`).
        self.variables: dict[str, list[Block]] = {}
        self.locals: dict[str, list[Attribute]] = {}
        self.resources: dict[str, list[Block]] = {}  # "aws_x.name" or "data.aws_x.name"
        self.tfvars: dict[str, Attribute | Node] = {}
        self._active: set[int] = set()

    def add_body(self, body: Body) -> None:
        """Add a file's definitions."""
        for block in body.blocks:
            if block.type == "variable" and block.labels:
                self.variables.setdefault(block.labels[0], []).append(block)
            elif block.type == "locals":
                for name, attr in block.body.attrs.items():
                    self.locals.setdefault(name, []).append(attr)
            elif block.type == "resource" and len(block.labels) == 2:
                self.resources.setdefault(".".join(block.labels), []).append(block)
            elif block.type == "data" and len(block.labels) == 2:
                self.resources.setdefault("data." + ".".join(block.labels), []).append(block)

    def add_tfvars(self, values: dict[str, Attribute | Node]) -> None:
        self.tfvars.update(values)

    def blocks(self) -> Iterator[tuple[str, Block]]:
        """Every resource and data block with its address, duplicates included."""
        for address, blocks in self.resources.items():
            for block in blocks:
                yield address, block

    def block(self, address: str, file: SourceFile | None) -> Block | None:
        """The resource or data block an address names, seen from `file`."""
        return pick(self.resources.get(address, []), file)

    def binding(self, root: str, name: str, file: SourceFile) -> Attribute | Node | None:
        """What `var.<name>` (tfvars, else the default) or `local.<name>` is bound to."""
        if root == "local":
            return pick(self.locals.get(name, []), file)
        if name in self.tfvars:
            return self.tfvars[name]
        variable = pick(self.variables.get(name, []), file)
        return variable.body.attrs.get("default") if variable is not None else None

    # -- plain values -------------------------------------------------------------------

    def value(self, attr: Attribute) -> Node:
        return self.eval(attr.expr, attr.file)

    def eval(self, tree: Tree, file: SourceFile) -> Node:
        tree = unwrap(tree)
        span = span_of(tree, file.path)
        kind = tree.data
        if kind == "string":
            return self.string(tree, file)
        if kind in ("int_lit", "float_lit"):
            text = str(tree.children[0])
            whole = kind == "int_lit" and len(text) < 4300  # longer: int() refuses it
            return ScalarNode(span, int(text) if whole else float(text))
        if kind == "literal_value":
            word = str(tree.children[0])
            return ScalarNode(span, {"true": True, "false": False}.get(word))
        if kind == "tuple":
            items = [self.eval(c, file) for c in trees(tree) if c.data != "new_line_or_comment"]
            return ListNode(span, items)
        if kind == "object":
            return self.object_node(tree, file)
        if kind in ("heredoc_template", "heredoc_template_trim"):
            return self.heredoc_string(tree, file)
        if kind == "unary_op":
            return self.negative(tree, file)
        if kind in ("get_attr_expr_term", "index_expr_term"):
            return self.reference(tree, file)
        if kind == "function_call" and function_name(tree) in ("tostring", "tonumber", "tobool"):
            args = arguments(tree)
            if len(args) == 1:
                return relocate(self.eval(args[0], file), span, self.text(tree, file))
        return UnknownNode(span, self.text(tree, file))

    def text(self, tree: Tree, file: SourceFile) -> str:
        meta = tree.meta
        if getattr(meta, "empty", True):
            return ""
        return file.text[meta.start_pos : meta.end_pos]

    def object_node(self, tree: Tree, file: SourceFile) -> ObjectNode:
        node = ObjectNode(span_of(tree, file.path))
        for elem in trees(tree):
            if elem.data != "object_elem":
                continue
            key_tree, value_tree = elem.children[0], elem.children[-1]
            key = self.key(key_tree, file)
            if key is None:
                continue
            node.fields.pop(key, None)
            node.fields[key] = self.eval(value_tree, file)
            node.keys[key] = span_of(key_tree, file.path)
        return node

    def key(self, tree: Tree, file: SourceFile) -> str | None:
        inner = unwrap(tree.children[0]) if isinstance(tree.children[0], Tree) else None
        if inner is None:
            return str(tree.children[0])
        if inner.data in ("identifier", "keyword", "literal_value"):
            return name_of(inner)
        value = self.eval(inner, file)
        return (
            value.value if isinstance(value, ScalarNode) and isinstance(value.value, str) else None
        )

    def negative(self, tree: Tree, file: SourceFile) -> Node:
        span = span_of(tree, file.path)
        operator, operand = str(tree.children[0]), tree.children[1]
        value = self.eval(operand, file)
        literal = value.value if isinstance(value, ScalarNode) else None
        if operator == "-" and isinstance(literal, (int, float)) and not isinstance(literal, bool):
            return ScalarNode(span, -literal)
        if operator == "!" and isinstance(literal, bool):
            return ScalarNode(span, not literal)
        return UnknownNode(span, self.text(tree, file))

    def string(self, tree: Tree, file: SourceFile) -> Node:
        span = span_of(tree, file.path)
        parts = [p.children[0] for p in trees(tree) if p.data == "string_part"]
        if len(parts) == 1 and isinstance(parts[0], Tree) and parts[0].data == "interpolation":
            inner = self.eval(interpolated(parts[0]), file)
            if isinstance(inner, ScalarNode) and not isinstance(inner.value, str):
                inner = ScalarNode(inner.span, render(inner.value))
            return relocate(inner, span, self.text(tree, file))
        pieces: list[str] = []
        for part in parts:
            if isinstance(part, Token):
                text = str(part)
                if part.type in ("ESCAPED_INTERPOLATION", "ESCAPED_DIRECTIVE"):
                    text = text[1:]
                pieces.append(unescape(text))
                continue
            if part.data != "interpolation":
                return UnknownNode(span, self.text(tree, file))
            value = self.eval(interpolated(part), file)
            rendered = render(value.value) if isinstance(value, ScalarNode) else None
            if rendered is None:
                return UnknownNode(span, self.text(tree, file))
            pieces.append(rendered)
        return ScalarNode(span, "".join(pieces))

    def heredoc_string(self, tree: Tree, file: SourceFile) -> Node:
        span = span_of(tree, file.path)
        body, _ = heredoc_body(str(tree.children[0]))
        if "${" in body.replace("$${", "") or "%{" in body.replace("%%{", ""):
            return UnknownNode(span, self.text(tree, file))
        if tree.data == "heredoc_template_trim":
            body = dedent(body)
        return ScalarNode(span, body.replace("$${", "${").replace("%%{", "%{"))

    # -- references -----------------------------------------------------------------------

    @contextmanager
    def _guard(self, key: object) -> Iterator[bool]:
        """False when `key` is already being evaluated (a reference cycle)."""
        ident = id(key)
        if ident in self._active:
            yield False
            return
        self._active.add(ident)
        try:
            yield True
        finally:
            self._active.discard(ident)

    def reference(self, tree: Tree, file: SourceFile) -> Node:
        span = span_of(tree, file.path)
        text = self.text(tree, file)
        found = traversal(tree)
        if found is None:
            return UnknownNode(span, text)
        root, parts = found
        names = [p for kind, p in parts if kind == "attr"]
        first = parts[0][1] if parts and parts[0][0] == "attr" else None
        if root == "path" and first == "module":
            return ScalarNode(span, ".")
        if root in ("var", "local") and isinstance(first, str):
            binding = self.binding(root, first, file)
            if binding is None:
                return UnknownNode(span, text)
            base = self.bound(binding)
            return relocate(self.apply(base, parts[1:], file), span, text)
        if root == "data" and len(names) >= 2 and parts[0][0] == parts[1][0] == "attr":
            return UnknownNode(span, text, f"data.{names[0]}.{names[1]}")
        if root not in NOT_RESOURCES and RESOURCE_TYPE.match(root) and isinstance(first, str):
            address = f"{root}.{first}"
            rest = _after_instance(parts[1:])
            return self.resource_attribute(address, rest, span, text, file)
        return UnknownNode(span, text)

    def bound(self, binding: Attribute | Node) -> Node:
        if isinstance(binding, Node):
            return binding
        with self._guard(binding) as fresh:
            if not fresh:
                return UnknownNode(binding.span, "")
            return self.value(binding)

    def resource_attribute(
        self, address: str, rest: list[tuple[str, Any]], span: Span, text: str, file: SourceFile
    ) -> Node:
        block = self.block(address, file)
        if block is not None and rest and rest[0][0] == "attr":
            attr = block.body.attrs.get(rest[0][1])
            if attr is not None:
                value = self.apply(self.bound(attr), rest[1:], file)
                if value.known and not isinstance(value, (ObjectNode, ListNode)):
                    return relocate(value, span, text)
        return UnknownNode(span, text, address)

    def apply(self, node: Node, parts: list[tuple[str, Any]], file: SourceFile) -> Node:
        """Follow `.attr` and `[index]` into a known value."""
        for kind, part in parts:
            if kind == "attr" and isinstance(node, ObjectNode) and part in node.fields:
                node = node.fields[part]
            elif kind == "index":
                index = (
                    self.eval(part, file) if isinstance(part, Tree) else ScalarNode(node.span, part)
                )
                key = index.value if isinstance(index, ScalarNode) else None
                if isinstance(node, ListNode) and isinstance(key, int) and 0 <= key < len(node):
                    node = node.items[key]
                elif isinstance(node, ObjectNode) and isinstance(key, str) and key in node.fields:
                    node = node.fields[key]
                else:
                    return UnknownNode(node.span, "")
            else:
                return UnknownNode(node.span, "")
        return node

    def ref_of(self, attr: Attribute | None) -> str | None:
        """The address of the resource an attribute refers to (`aws_iam_role.x.name`)."""
        if attr is None:
            return None
        tree = unwrap(attr.expr)
        if tree.data == "string":
            pieces = [p.children[0] for p in trees(tree)]
            if len(pieces) != 1 or not isinstance(pieces[0], Tree):
                return None
            tree = unwrap(interpolated(pieces[0]))
        found = traversal(tree) if tree.data.endswith("_expr_term") else None
        if found is None or not found[1] or found[1][0][0] != "attr":
            return None
        root, parts = found
        if root == "data" and len(parts) > 1:
            return f"data.{parts[0][1]}.{parts[1][1]}"
        if root not in NOT_RESOURCES and RESOURCE_TYPE.match(root):
            return f"{root}.{parts[0][1]}"
        return None

    # -- JSON documents -------------------------------------------------------------------

    def document(self, attr: Attribute) -> Node:
        """The JSON document an attribute holds (`container_definitions`, `policy`)."""
        return self.json(attr.expr, attr.file)

    def json(self, tree: Tree, file: SourceFile) -> Node:
        tree = unwrap(tree)
        span = span_of(tree, file.path)
        if tree.data == "function_call":
            name, args = function_name(tree), arguments(tree)
            if name == "jsonencode" and len(args) == 1:
                # `$${X}` writes a literal `${X}`: a template some later tool fills in
                return unknown_templates(self.eval(args[0], file))
            if name in ("file", "templatefile") and args:
                return self.include(name, args[0], file, span)
            return UnknownNode(span, self.text(tree, file))
        if tree.data in ("heredoc_template", "heredoc_template_trim"):
            return self.heredoc_json(tree, file)
        if tree.data in ("get_attr_expr_term", "index_expr_term"):
            found = traversal(tree)
            if found and found[0] in ("var", "local") and found[1] and found[1][0][0] == "attr":
                root, parts = found
                binding = self.binding(root, parts[0][1], file)
                if isinstance(binding, Attribute) and len(parts) == 1:
                    with self._guard(binding) as fresh:
                        if fresh:
                            return self.json(binding.expr, binding.file)
        value = self.eval(tree, file)
        if isinstance(value, ScalarNode) and isinstance(value.value, str):
            try:
                decoded, _ = parse_json(value.value, file.path)
            except JsonSyntaxError:
                return UnknownNode(value.span, value.value)
            return unknown_templates(respan(decoded, value.span))
        return value

    def heredoc_json(self, tree: Tree, file: SourceFile) -> Node:
        token: Any = tree.children[0]
        span = span_of(tree, file.path)
        body, _ = heredoc_body(str(token))
        return self.parse_embedded(body, file, span, token.line, 0) or UnknownNode(
            span, self.text(tree, file)
        )

    def parse_embedded(
        self, text: str, file: SourceFile, where: Span, line_offset: int, col_offset: int
    ) -> Node | None:
        """JSON holding `${...}` templates; None when it holds directives or is not JSON.

        Each template is masked with filler of its own length, so the JSON parser keeps every
        position; then each masked value is evaluated as Terraform would (unknown if it can't).
        """
        masked = mask_templates(text)
        if masked is None:
            return None
        masked_text, holes = masked
        try:
            root, duplicates = parse_json(masked_text, file.path, line_offset, col_offset)
        except JsonSyntaxError as error:
            if not holes:
                self.project.problems.append(parse_problem(error.span, error.message, "JSON"))
            return None
        self.project.problems += [duplicate_key(*duplicate) for duplicate in duplicates]
        index = LineIndex(text, line_offset, col_offset)
        starts = {index.position(start): (kind, source) for start, kind, source in holes}
        return unknown_templates(self.fill_holes(root, starts, file))

    def fill_holes(
        self, node: Node, holes: dict[tuple[int, int], tuple[str, str]], file: SourceFile
    ) -> Node:
        """Evaluate the values that stand in for masked templates."""
        if isinstance(node, ScalarNode):
            hole = holes.get((node.span.line, node.span.col))
            return self.fragment(hole[0], hole[1], file, node.span) if hole else node
        if isinstance(node, ObjectNode):
            for key, value in node.fields.items():
                node.fields[key] = self.fill_holes(value, holes, file)
        elif isinstance(node, ListNode):
            node.items = [self.fill_holes(item, holes, file) for item in node.items]
        return node

    def fragment(self, kind: str, source: str, file: SourceFile, span: Span) -> Node:
        """A template's value: `${expr}` as a JSON value, or a JSON string's raw content."""
        code = f"_ = {source[2:-1]}\n" if kind == "expr" else f'_ = "{source}"\n'
        try:
            tree = parse(code)
        except HclSyntaxError:
            return UnknownNode(span, source)
        scratch = SourceFile(file.path, file.abspath, code, kind="terraform", report=False)
        attribute = next(iter(Body.read(tree.children[0], scratch).attrs.values()))
        return relocate(self.value(attribute), span, source)

    def include(self, function: str, arg: Tree, file: SourceFile, call: Span) -> Node:
        """`file()` / `templatefile()`: the JSON file they read, inside the scanned root."""
        unknown = UnknownNode(call, self.text(arg, file))
        name = self.eval(arg, file)
        if not isinstance(name, ScalarNode) or not isinstance(name.value, str):
            return unknown
        target = Path(os.path.realpath(self.folder / name.value))
        if not within(target, self.roots) or not target.is_file():
            return unknown
        from fglint.files import display_path

        shown = display_path(target)
        included = self.project.file_at(str(target))
        fresh = included is None
        if included is None:
            try:
                text = target.read_bytes().decode("utf-8-sig")
            except (OSError, UnicodeDecodeError):
                return unknown
            included = SourceFile(shown, str(target), text, kind="json", report=file.report)
            self.project.files.append(included)
        elif file.report:
            included.report = True
        if included.included_from is None:
            included.included_from = call
        if function == "templatefile":
            return self.parse_embedded(included.text, included, call, 0, 0) or unknown
        try:
            root, duplicates = parse_json(included.text, included.path)
        except JsonSyntaxError as error:
            if fresh:
                self.project.problems.append(parse_problem(error.span, error.message, "JSON"))
            return unknown
        if fresh:
            self.project.problems += [duplicate_key(*duplicate) for duplicate in duplicates]
        if not fresh:  # a file read fresh has no resources; one linted on its own may have
            self.project.resources = [r for r in self.project.resources if r.file is not included]
        return unknown_templates(root)


def pick(definitions: list[D], file: SourceFile | None) -> D | None:
    """The definition in `file`, else the only one; None (unknown) when other files define the
    name several times: the folder holds independent examples, and which one is meant is a guess.
    """
    if len(definitions) == 1:
        return definitions[0]
    here = [d for d in definitions if file is not None and d.file.abspath == file.abspath]
    return here[0] if len(here) == 1 else None


def unwrap(tree: Tree) -> Tree:
    """The expression inside `expr_term` wrappers and parentheses."""
    while isinstance(tree, Tree) and tree.data == "expr_term":
        inner = [
            c for c in tree.children if isinstance(c, Tree) and c.data != "new_line_or_comment"
        ]
        if len(inner) != 1:
            break
        tree = inner[0]
    return tree


def trees(tree: Tree) -> list[Tree]:
    return [c for c in tree.children if isinstance(c, Tree)]


def interpolated(tree: Tree) -> Tree:
    return next(c for c in tree.children if isinstance(c, Tree))


def function_name(tree: Tree) -> str:
    return name_of(tree.children[0])


def arguments(tree: Tree) -> list[Tree]:
    args = next((c for c in trees(tree) if c.data == "arguments"), None)
    if args is None:
        return []
    return [c for c in trees(args) if c.data != "new_line_or_comment"]


def traversal(tree: Tree) -> tuple[str, list[tuple[str, Any]]] | None:
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


def _after_instance(parts: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Drop the `[0]` / `["key"]` / `[*]` that picks an instance of a counted resource."""
    if parts and parts[0][0] in ("index", "splat"):
        return parts[1:]
    return parts


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


def mask_templates(text: str) -> tuple[str, list[tuple[int, str, str]]] | None:
    """Replace each `${...}` by filler of the same length, keeping every position.

    Returns the masked text and the holes: ("expr", `${...}`) for a template that stands for a
    whole JSON value (masked as a string literal), ("string", raw content) for a JSON string
    that holds templates, each at its start offset. None when the text holds template
    directives (`%{ if }`, `%{ for }`) or an interpolation over several lines.
    """
    out: list[str] = []
    holes: list[tuple[int, str, str]] = []
    pos, string_start, templated = 0, -1, False
    while pos < len(text):
        char = text[pos]
        if text.startswith(("$${", "%%{"), pos):
            out.append(text[pos : pos + 3])
            pos += 3
            continue
        if text.startswith("%{", pos):
            return None
        if text.startswith("${", pos):
            end = closing_brace(text, pos + 2)
            if end is None or "\n" in text[pos:end]:
                return None
            length = end - pos
            if string_start >= 0:
                out.append("${" + "_" * (length - 3) + "}")
                templated = True
            else:
                out.append('"' + "_" * (length - 2) + '"')
                holes.append((pos, "expr", text[pos:end]))
            pos = end
            continue
        if string_start >= 0 and char == "\\":
            out.append(text[pos : pos + 2])
            pos += 2
            continue
        if char == '"':
            if string_start < 0:
                string_start, templated = pos, False
            else:
                if templated:
                    holes.append((string_start, "string", text[string_start + 1 : pos]))
                string_start = -1
        out.append(char)
        pos += 1
    return "".join(out), holes


def closing_brace(text: str, pos: int) -> int | None:
    """The offset just past the `}` that closes an interpolation opened before `pos`."""
    depth, quote = 1, False
    while pos < len(text):
        char = text[pos]
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

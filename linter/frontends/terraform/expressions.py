"""Terraform expressions into values: what `terraform plan` would know before it asks AWS.

Literals, operators, conditionals, `for` expressions, splats, indexes, string templates and the
built-in functions of `fglint.evaluate.functions` are evaluated; names (`var.`, `local.`,
`module.`, resource attributes) are looked up in a `Names` (a module instance). Whatever
depends on something unknown is unknown, and a string template keeps its literal parts. Every
value keeps the location of the literal it comes from.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any, Protocol

from fglint.evaluate.functions import call
from fglint.evaluate.values import (
    Encoded,
    Invalid,
    equal,
    items_known,
    number,
    string,
    truth,
    unknown,
)
from fglint.frontends.jsonpos import JsonSyntaxError, LineIndex
from fglint.frontends.terraform import templates
from fglint.frontends.terraform.parse import span_of
from fglint.frontends.terraform.syntax import (
    arguments,
    function_name,
    heredoc_body,
    name_of,
    trees,
    unwrap,
)
from fglint.model import PARSE_ERROR, Problem, SourceFile, parse_problem
from fglint.nodes import (
    EVALUATION_DEPTH,
    ListNode,
    Node,
    ObjectNode,
    ScalarNode,
    Span,
    UnknownNode,
    unknown_templates,
)
from lark import Token, Tree

Names = dict[str, Node]  # names bound by `for`, `dynamic`, `count`, `for_each` and templates


class Scope(Protocol):
    """What an expression's names refer to: a module instance."""

    def reference(
        self, root: str, parts: list[tuple[str, Any]], span: Span, source: str, file: SourceFile
    ) -> Node | None: ...

    def read(self, name: Node, span: Span, file: SourceFile) -> SourceFile | None: ...

    @property
    def problems(self) -> list[Problem]: ...


def _arith(body: Callable[[Any, Any], Any]) -> Callable[[Node, Node], object]:
    def apply(a: Node, b: Node) -> object:
        x, y = number(a), number(b)
        return None if x is None or y is None else body(x, y)

    return apply


def _compare(body: Callable[[Any, Any], bool]) -> Callable[[Node, Node], object]:
    return _arith(body)


def _logic(body: Callable[[bool, bool], bool]) -> Callable[[Node, Node], object]:
    def apply(a: Node, b: Node) -> object:
        x, y = truth(a), truth(b)
        return None if x is None or y is None else body(x, y)

    return apply


def _equality(negate: bool) -> Callable[[Node, Node], object]:
    def apply(a: Node, b: Node) -> object:
        same = equal(a, b)
        return None if same is None else same != negate

    return apply


OPERATORS: dict[str, Callable[[Node, Node], object]] = {
    "+": _arith(operator.add),
    "-": _arith(operator.sub),
    "*": _arith(operator.mul),
    "/": _arith(lambda x, y: x / y),
    "%": _arith(lambda x, y: x % y),
    "<": _compare(operator.lt),
    "<=": _compare(operator.le),
    ">": _compare(operator.gt),
    ">=": _compare(operator.ge),
    "==": _equality(False),
    "!=": _equality(True),
    "&&": _logic(lambda x, y: x and y),
    "||": _logic(lambda x, y: x or y),
}


class Evaluator:
    def __init__(self, scope: Scope, limit: int = EVALUATION_DEPTH) -> None:
        self.scope = scope
        self.limit = limit  # `[limits] evaluation-depth`: values computed from values
        self.depth = 0
        self._indexes: dict[int, LineIndex] = {}
        self._too_deep: set[str] = set()  # the files where the limit was reported

    # -- entry points ---------------------------------------------------------------------

    def value(self, tree: Tree[Any], file: SourceFile, names: Names | None = None) -> Node:
        if self.depth >= self.limit:
            return self.beyond_limit(tree, file)
        self.depth += 1
        try:
            return self._value(unwrap(tree), file, names or {})
        except RecursionError:  # modules calling modules, each evaluation nearly as deep
            if self.depth > 1:
                raise
            return self.beyond_limit(tree, file)
        finally:
            self.depth -= 1

    def beyond_limit(self, tree: Tree[Any], file: SourceFile) -> Node:
        """Unknown, with a warning at the first place in the file the limit stopped."""
        span = span_of(tree, file.path)
        if file.path not in self._too_deep:
            self._too_deep.add(file.path)
            message = (
                f"Evaluation nested deeper than {self.limit} levels (a long chain of locals or "
                "variables, or deeply nested expressions): this value is unknown, so findings "
                "that depend on it are missing (`[limits] evaluation-depth` in the settings "
                "raises the limit)"
            )
            self.scope.problems.append(Problem(PARSE_ERROR, span, message, severity="warning"))
        return unknown(span, self.source(tree, file))

    def document(self, tree: Tree[Any], file: SourceFile, names: Names | None = None) -> Node:
        """The JSON document an argument holds (`container_definitions`, `policy`): the
        structure given to `jsonencode`, a heredoc or string parsed as JSON at its own lines,
        a `file()` / `templatefile()` read as JSON."""
        value = self.value(tree, file, names)
        # `$${X}` writes a literal `${X}`: a template some later tool fills in
        return unknown_templates(self.decode(value, tree, file, names or {}))

    def decode(self, value: Node, tree: Tree[Any], file: SourceFile, names: Names) -> Node:
        if isinstance(value, Encoded) and value.structure is not None:
            return value.structure
        inner = unwrap(tree)
        if inner.data in ("heredoc_template", "heredoc_template_trim"):
            found = self.heredoc_json(inner, file, names)
            if found is not None:
                return found
        if isinstance(value, ScalarNode) and isinstance(value.value, str):
            return self.json_text(value.value, value.span, file)
        if isinstance(value, (_FileText, _TemplateText)):
            return value.document
        return value

    def json_text(self, text: str, span: Span, file: SourceFile) -> Node:
        """JSON written in an HCL string: every value at the string's location."""
        piece = templates.Piece(text, span)
        index = _Flat(span)
        try:
            return templates.json_document([piece], file.path, index)
        except JsonSyntaxError:
            return unknown(span, text)

    # -- values ---------------------------------------------------------------------------

    def _value(self, tree: Tree[Any], file: SourceFile, names: Names) -> Node:
        kind = tree.data
        method = getattr(self, "_" + kind, None)
        if method is not None:
            found: Node = method(tree, file, names)
            return found
        if kind in ("get_attr_expr_term", "index_expr_term", "attr_splat_expr_term"):
            return self.traversal(tree, file, names)
        if kind == "full_splat_expr_term":
            return self.traversal(tree, file, names)
        if kind in ("heredoc_template", "heredoc_template_trim"):
            return self.heredoc(tree, file, names)
        return unknown(span_of(tree, file.path), self.source(tree, file))

    def source(self, tree: Tree[Any], file: SourceFile) -> str:
        meta = tree.meta
        if getattr(meta, "empty", True):
            return ""
        return file.text[meta.start_pos : meta.end_pos]

    def _int_lit(self, tree: Tree[Any], file: SourceFile, names: Names) -> Node:
        text = str(tree.children[0])  # longer than 4300 digits: int() refuses it
        return ScalarNode(span_of(tree, file.path), int(text) if len(text) < 4300 else float(text))

    def _float_lit(self, tree: Tree[Any], file: SourceFile, names: Names) -> Node:
        return ScalarNode(span_of(tree, file.path), float(str(tree.children[0])))

    def _literal_value(self, tree: Tree[Any], file: SourceFile, names: Names) -> Node:
        word = str(tree.children[0])
        return ScalarNode(span_of(tree, file.path), {"true": True, "false": False}.get(word))

    def _identifier(self, tree: Tree[Any], file: SourceFile, names: Names) -> Node:
        name = name_of(tree)
        if name in names:
            return names[name]
        return unknown(span_of(tree, file.path), name)

    def _tuple(self, tree: Tree[Any], file: SourceFile, names: Names) -> Node:
        items = [self.value(c, file, names) for c in trees(tree) if c.data != "new_line_or_comment"]
        return ListNode(span_of(tree, file.path), items)

    def _object(self, tree: Tree[Any], file: SourceFile, names: Names) -> Node:
        node = ObjectNode(span_of(tree, file.path))
        for elem in trees(tree):
            if elem.data != "object_elem":
                continue
            key_tree, value_tree = elem.children[0], elem.children[-1]
            key = self.key(key_tree, file, names)
            if key is None:
                return unknown(node.span, self.source(tree, file))  # any key at all
            node.fields.pop(key, None)
            node.fields[key] = self.value(value_tree, file, names)
            node.keys[key] = span_of(key_tree, file.path)
        return node

    def key(self, tree: Tree[Any], file: SourceFile, names: Names) -> str | None:
        inner = unwrap(tree.children[0]) if isinstance(tree.children[0], Tree) else None
        if inner is None:
            return str(tree.children[0])
        if inner.data in ("identifier", "keyword", "literal_value"):
            return name_of(inner)
        return string(self.value(inner, file, names))

    def _unary_op(self, tree: Tree[Any], file: SourceFile, names: Names) -> Node:
        span = span_of(tree, file.path)
        sign, operand = str(tree.children[0]), self.value(tree.children[1], file, names)
        if sign == "-" and number(operand) is not None:
            return ScalarNode(span, -number(operand))  # type: ignore[operator]
        if sign == "!" and truth(operand) is not None:
            return ScalarNode(span, not truth(operand))
        return unknown(span, self.source(tree, file))

    def _binary_op(self, tree: Tree[Any], file: SourceFile, names: Names) -> Node:
        span = span_of(tree, file.path)
        left_tree, term = tree.children[0], tree.children[1]
        sign = name_of(term.children[0])
        left = self.value(left_tree, file, names)
        if sign in ("&&", "||") and truth(left) is (sign == "||"):
            return ScalarNode(span, sign == "||")  # decided by the left side alone
        right = self.value(term.children[-1], file, names)
        body = OPERATORS.get(sign)
        try:
            result = body(left, right) if body is not None else None
        except (ArithmeticError, ValueError):  # `0 / 0`, `1 % 0`: Terraform rejects it
            return Invalid(span, self.source(tree, file))
        if isinstance(result, float) and result.is_integer() and sign != "/":
            result = int(result)
        if not isinstance(result, (bool, int, float)) or result != result:
            return unknown(span, self.source(tree, file))
        return ScalarNode(span, result)

    def _conditional(self, tree: Tree[Any], file: SourceFile, names: Names) -> Node:
        span = span_of(tree, file.path)
        condition, yes, no = [c for c in trees(tree) if c.data != "new_line_or_comment"][:3]
        decided = truth(self.value(condition, file, names))
        if decided is not None:
            return self.value(yes if decided else no, file, names)
        first, second = self.value(yes, file, names), self.value(no, file, names)
        if equal(first, second):
            return first  # the same either way
        return unknown(span, self.source(tree, file))

    def _string(self, tree: Tree[Any], file: SourceFile, names: Names) -> Node:
        span = span_of(tree, file.path)
        tokens = templates.string_tokens(tree, file, lambda t: _span(t, file))
        if len(tokens) == 1 and isinstance(tokens[0], templates.Interpolation):
            return self.value(tokens[0].expr, file, names)  # "${x}" is x itself, of its type
        return self.template(tokens, span, self.source(tree, file), names)

    def template(
        self, tokens: list[templates.Token_], span: Span, source: str, names: Names
    ) -> Node:
        try:
            pieces = list(templates.render(templates.nest(tokens), self.value, names))
        except templates.Unknowable:
            return unknown(span, source)
        return templates.as_string(pieces, span, source)

    def heredoc(self, tree: Tree[Any], file: SourceFile, names: Names) -> Node:
        span = span_of(tree, file.path)
        found = self.heredoc_pieces(tree, file, names)
        if found is None:
            return unknown(span, self.source(tree, file))
        return templates.as_string(found[0], span, self.source(tree, file))

    def heredoc_pieces(
        self, tree: Tree[Any], file: SourceFile, names: Names
    ) -> tuple[list[templates.Piece], LineIndex] | None:
        """The rendered pieces of a heredoc, and where its body's characters are written.
        `<<-EOT` removes the lines' common indentation first."""
        token: Any = tree.children[0]
        body, start = heredoc_body(str(token))
        if tree.data == "heredoc_template_trim":
            lines = body.split("\n")
            indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
            cut = min(indents, default=0)
            if cut:
                body = "\n".join(line[cut:] for line in lines)
                scratch = SourceFile(file.path, file.abspath, body, report=False)
                index: LineIndex = _Indented(body, token.line, cut)
                pieces = self.rendered(body, scratch, 0, names, index)
                return (pieces, index) if pieces is not None else None
        index = self.index(file)
        pieces = self.rendered(body, file, token.start_pos + start, names, index)
        return (pieces, index) if pieces is not None else None

    def rendered(
        self,
        body: str,
        file: SourceFile,
        start: int,
        names: Names,
        index: LineIndex | None = None,
    ) -> list[templates.Piece] | None:
        index = index or self.index(file)
        try:
            tokens = templates.scan(body, file, start, index)
            return list(templates.render(templates.nest(tokens), self.value, names))
        except templates.Unknowable:
            return None

    def index(self, file: SourceFile) -> LineIndex:
        found = self._indexes.get(id(file))
        if found is None:
            found = self._indexes[id(file)] = LineIndex(file.text)
        return found

    def heredoc_json(self, tree: Tree[Any], file: SourceFile, names: Names) -> Node | None:
        found = self.heredoc_pieces(tree, file, names)
        if found is None:
            return None
        pieces, index = found
        try:
            return templates.json_document(pieces, file.path, index, self.scope.problems)
        except JsonSyntaxError as error:
            if all(piece.node is None for piece in pieces):
                self.scope.problems.append(parse_problem(error.span, error.message, "JSON"))
            return None

    # -- for expressions ------------------------------------------------------------------

    def _for_tuple_expr(self, tree: Tree[Any], file: SourceFile, names: Names) -> Node:
        return self.for_expression(tree, file, names, keyed=False)

    def _for_object_expr(self, tree: Tree[Any], file: SourceFile, names: Names) -> Node:
        return self.for_expression(tree, file, names, keyed=True)

    def for_expression(self, tree: Tree[Any], file: SourceFile, names: Names, keyed: bool) -> Node:
        span = span_of(tree, file.path)
        parts = [c for c in trees(tree) if c.data != "new_line_or_comment"]
        intro, rest = parts[0], parts[1:]
        condition = next((c for c in rest if c.data == "for_cond"), None)
        exprs = [c for c in rest if c.data != "for_cond"]
        grouped = any(isinstance(t, Token) and str(t) == "..." for t in tree.children)
        variables = [name_of(c) for c in trees(intro) if c.data == "identifier"]
        collection = self.value(
            [c for c in trees(intro) if c.data != "identifier"][-1], file, names
        )
        found = pairs(collection)
        if found is None or grouped:
            return unknown(span, self.source(tree, file))
        items: list[Node] = []
        result = ObjectNode(span)
        for key, value in found:
            bound = dict(names)
            if len(variables) == 2:
                bound[variables[0]], bound[variables[1]] = key, value
            else:
                bound[variables[0]] = value
            if condition is not None:
                keep = truth(self.value(condition.children[-1], file, bound))
                if keep is None:
                    return unknown(span, self.source(tree, file))
                if not keep:
                    continue
            if not keyed:
                items.append(self.value(exprs[0], file, bound))
                continue
            name = string(self.value(exprs[0], file, bound))
            if name is None:
                return unknown(span, self.source(tree, file))
            result.fields[name] = self.value(exprs[1], file, bound)
            result.keys[name] = span_of(exprs[0], file.path)
        return result if keyed else ListNode(span, items)

    # -- function calls -------------------------------------------------------------------

    def _function_call(self, tree: Tree[Any], file: SourceFile, names: Names) -> Node:
        span = span_of(tree, file.path)
        name = function_name(tree)
        args = [self.value(a, file, names) for a in arguments(tree)]
        expand = any(isinstance(t, Token) and str(t) == "..." for t in _arguments_tokens(tree))
        if expand and args:
            last = args.pop()
            items = items_known(last)
            if items is None:
                return unknown(span, self.source(tree, file))
            args.extend(items)
        if name in ("file", "templatefile"):
            return self.include(name, args, span, file, tree)
        return call(name, args, span, self.source(tree, file))

    def include(
        self, name: str, args: list[Node], span: Span, file: SourceFile, tree: Tree[Any]
    ) -> Node:
        """`file(path)`, `templatefile(path, vars)`: the file's text, read only inside the
        scanned root; a template is rendered with `vars`."""
        source = self.source(tree, file)
        if not args or (name == "templatefile" and len(args) != 2):
            return unknown(span, source)
        read = self.scope.read(args[0], span, file)
        if read is None:
            return unknown(span, source)
        if name == "file":
            return _FileText(span, source, file=read, evaluator=self)
        variables = args[1]
        if not isinstance(variables, ObjectNode):
            return unknown(span, source)
        bound = dict(variables.fields)
        pieces = self.rendered(read.text, read, 0, bound)
        if pieces is None:
            return unknown(span, source)
        return _TemplateText(span, source, pieces=pieces, file=read, evaluator=self)

    # -- references -----------------------------------------------------------------------

    def traversal(self, tree: Tree[Any], file: SourceFile, names: Names) -> Node:
        span = span_of(tree, file.path)
        source = self.source(tree, file)
        found = steps(tree)
        if found is None:
            return unknown(span, source)
        root, parts = found
        if isinstance(root, Tree):  # `[for ...][0]`, `(x[*].y)[0]`: an expression's value
            base = self.value(root, file, names)
            return self.apply(base, parts, file, names, span, source)
        if root in names:
            return self.apply(names[root], parts, file, names, span, source)
        resolved = self.scope.reference(root, self.indexes(parts, file, names), span, source, file)
        return resolved if resolved is not None else unknown(span, source)

    def indexes(
        self, parts: list[tuple[str, Any]], file: SourceFile, names: Names
    ) -> list[tuple[str, Any]]:
        """Index expressions evaluated: ("index", <node>)."""
        out: list[tuple[str, Any]] = []
        for kind, part in parts:
            if kind == "index" and isinstance(part, Tree):
                out.append(("index", self.value(part, file, names)))
            elif kind == "index":
                out.append(("index", ScalarNode(Span(file.path, 1, 1, 1, 1), part)))
            else:
                out.append((kind, part))
        return out

    def apply(
        self,
        node: Node,
        parts: list[tuple[str, Any]],
        file: SourceFile,
        names: Names,
        span: Span,
        source: str,
    ) -> Node:
        return follow(node, self.indexes(parts, file, names), span, source)


def follow(node: Node, parts: list[tuple[str, Any]], span: Span, source: str) -> Node:
    """Follow `.attr`, `[index]` and splats (indexes already evaluated) into a value."""
    for n, (kind, part) in enumerate(parts):
        if kind == "splat":
            if isinstance(node, ScalarNode) and node.value is None:
                return ListNode(span, [])
            items = items_known(node) if isinstance(node, ListNode) else None
            if items is None:
                if isinstance(node, (ObjectNode, ScalarNode)):
                    items = [node]
                else:
                    return unknown(span, source)
            rest = parts[n + 1 :]
            return ListNode(span, [follow(item, rest, span, source) for item in items])
        if isinstance(node, (Invalid, UnknownNode)):
            return node if isinstance(node, Invalid) else unknown(span, source, node.ref)
        key = part if kind == "attr" else None
        if kind == "index":
            key = number(part) if isinstance(node, ListNode) else string(part)
            if key is None:
                return unknown(span, source)
        if isinstance(node, ObjectNode) and isinstance(key, str):
            if key not in node.fields:
                return Invalid(span, source)
            node = node.fields[key]
        elif isinstance(node, ListNode) and isinstance(key, int) and not isinstance(key, bool):
            items = items_known(node)
            if items is None:
                return unknown(span, source)
            if not 0 <= key < len(items):
                return Invalid(span, source)
            node = items[key]
        else:
            return Invalid(span, source)
    return node


def steps(tree: Tree[Any]) -> tuple[str | Tree[Any], list[tuple[str, Any]]] | None:
    """`a.b[0].c` as ("a", [("attr", "b"), ("index", <tree or int>), ("attr", "c")]); splats as
    ("splat", None) followed by what applies to each item. A traversal of something other than
    a name (`(expr)[0]`, `[for ...][0]`) starts at that expression's tree."""
    parts: list[tuple[str, Any]] = []
    tree = unwrap(tree)
    while True:
        if parts and tree.data not in _TRAVERSALS:
            return tree, parts
        kind = tree.data
        if kind == "get_attr_expr_term":
            term, get_attr = tree.children[0], tree.children[1]
            parts.insert(0, ("attr", name_of(trees(get_attr)[0])))
        elif kind == "index_expr_term":
            term, index = tree.children[0], tree.children[1]
            if index.data == "short_index":
                parts.insert(0, ("index", int(str(index.children[-1]))))
            else:
                parts.insert(0, ("index", next(c for c in trees(index))))
        elif kind in ("attr_splat_expr_term", "full_splat_expr_term"):
            term, splat = tree.children[0], tree.children[1]
            inner: list[tuple[str, Any]] = [("splat", None)]
            for step in trees(splat):
                if step.data == "get_attr":
                    inner.append(("attr", name_of(trees(step)[0])))
                elif step.data in ("index", "braces_index", "short_index"):
                    inner.append(("index", next(iter(trees(step)), None)))
            parts[0:0] = inner
        elif kind == "identifier":
            return name_of(tree), parts
        else:
            return None
        if _parenthesized(term):
            return term, parts
        tree = unwrap(term)


_TRAVERSALS = {
    "get_attr_expr_term",
    "index_expr_term",
    "attr_splat_expr_term",
    "full_splat_expr_term",
    "identifier",
}


def _parenthesized(term: Tree[Any]) -> bool:
    return any(isinstance(c, Token) and str(c) == "(" for c in term.children)


def pairs(collection: Node) -> list[tuple[Node, Node]] | None:
    """What a `for` expression or a `dynamic` block iterates: a map's (key, value) entries, a
    list's (index, item); None when the collection or its length is unknown."""
    if isinstance(collection, ObjectNode):
        return [(ScalarNode(collection.key_span(k), k), v) for k, v in collection.fields.items()]
    items = items_known(collection)
    if items is None:
        return None
    return [(ScalarNode(item.span, n), item) for n, item in enumerate(items)]


def _arguments_tokens(tree: Tree[Any]) -> list[Any]:
    args = next((c for c in trees(tree) if c.data == "arguments"), None)
    return list(args.children) if args is not None else []


def _span(part: Tree[Any] | Token, file: SourceFile) -> Span:
    if isinstance(part, Token):
        line, col = part.line or 1, part.column or 1
        return Span(file.path, line, col, part.end_line or line, part.end_column or col)
    return span_of(part, file.path)


class _Indented(LineIndex):
    """Positions in a heredoc body whose lines lost `cut` leading characters."""

    def __init__(self, text: str, line_offset: int, cut: int) -> None:
        super().__init__(text, line_offset)
        self.cut = cut

    def position(self, offset: int) -> tuple[int, int]:
        line, col = super().position(offset)
        return line, col + self.cut


class _Flat(LineIndex):
    """Every position at one span (JSON inside an HCL string)."""

    def __init__(self, span: Span) -> None:
        self.span = span

    def position(self, offset: int) -> tuple[int, int]:
        return self.span.line, self.span.col


class _FileText(Encoded):
    """`file(path)`: text whose JSON document (when it is JSON) is read at its own lines."""

    def __init__(self, span: Span, source: str, file: SourceFile, evaluator: Evaluator) -> None:
        Encoded.__init__(self, span, source)
        self._read = file
        self._evaluator = evaluator

    @property
    def document(self) -> Node:
        piece = templates.Piece(self._read.text, self.span, 0)
        try:
            return templates.json_document(
                [piece], self._read.path, self._evaluator.index(self._read)
            )
        except JsonSyntaxError as error:
            self._evaluator.scope.invalid_json(self._read, error)  # type: ignore[attr-defined]
            return unknown(self.span, self.text)


class _TemplateText(Encoded):
    """`templatefile(path, vars)`: rendered text, partly known, read as JSON when asked."""

    def __init__(
        self,
        span: Span,
        source: str,
        pieces: list[templates.Piece],
        file: SourceFile,
        evaluator: Evaluator,
    ) -> None:
        Encoded.__init__(self, span, source)
        self.pieces, self._read, self._evaluator = pieces, file, evaluator

    @property
    def document(self) -> Node:
        try:
            index = self._evaluator.index(self._read)
            problems = self._evaluator.scope.problems
            return templates.json_document(self.pieces, self._read.path, index, problems)
        except JsonSyntaxError:
            return unknown(self.span, self.text)

    def as_text(self) -> Node:
        return templates.as_string(self.pieces, self.span, self.text)

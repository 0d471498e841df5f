"""Parse HCL into python-hcl2's lark tree, with positions, and a grammar cache of our own.

The grammar is python-hcl2 8.x's with two fixes (`hcl2.lark` beside this file says which).
python-hcl2 ships it without a prebuilt parser: building the LALR tables takes about 3 s, so the
tables are shipped (`shipped.py`) and otherwise cached in the user's cache directory; we never
call `hcl2.parser.parser()`.

Parsing runs lark's tables in a loop of our own (`_Fast`), two to three times as fast as
`Lark.parse` with `propagate_positions`: a run of `?rule`s of one symbol costs one step, and a
tree finds its position only when asked for it. The tree is lark's, node for node, with the same
positions (tests/test_tf_parse.py). Any input that loop does not accept is parsed again by lark
itself, which raises the error. The loop's tables are saved beside lark's grammar cache as plain
data, so a run loads lark's parser only for such input.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from functools import cache, partial
from pathlib import Path
from typing import Any

from fglint.cache import user_cache_dir, write_whole
from fglint.nodes import Span, end_position
from lark import Token, Tree
from lark.tree import Meta


class HclSyntaxError(Exception):
    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


def _cache_file(folder: Path) -> Path:
    from fglint.frontends.terraform.shipped import grammar_digest
    from lark import __version__ as lark_version

    return folder / f"hcl2-{grammar_digest()[:16]}-lark-{lark_version}.grammar"


@cache
def parser() -> Any:
    """The LALR parser of our copy of python-hcl2's grammar, loaded from (or saved to) our cache."""
    from hcl2.postlexer import PostLexer
    from lark import Lark

    options: dict[str, Any] = {
        "parser": "lalr",
        "rel_to": __file__,
        "propagate_positions": True,
        "postlex": PostLexer(),
    }
    folder = user_cache_dir()
    if folder is None:
        return Lark.open("hcl2.lark", **options)
    target = _cache_file(folder)
    if os.path.exists(target):
        return Lark.open("hcl2.lark", cache=str(target), **options)
    # Build into a private file, then move it in place: parallel runs never see half a file.
    handle, scratch = tempfile.mkstemp(dir=folder, suffix=".tmp")
    os.close(handle)
    os.unlink(scratch)
    try:
        built = Lark.open("hcl2.lark", cache=scratch, **options)
        if os.path.exists(scratch):
            os.replace(scratch, target)
    finally:
        if os.path.exists(scratch):
            os.unlink(scratch)
    return built


def parse(text: str) -> Any:
    """The lark tree of `text`. Raises HclSyntaxError at the position lark reports."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

    if not text.endswith("\n"):
        text += "\n"  # the grammar wants a newline after the last attribute
    fast = _fast()
    if fast is not None:
        try:
            return fast.parse(text)
        except _Rejected:
            pass  # lark parses it again and raises the error it reports
    try:
        return parser().parse(text)
    except UnexpectedCharacters as error:
        pos = error.pos_in_stream or 0
        char = text[pos] if pos < len(text) else ""
        raise HclSyntaxError(
            f"Invalid HCL: unexpected character {char!r}", error.line, error.column
        ) from None
    except UnexpectedEOF:
        raise _end_of_file(text) from None
    except UnexpectedInput as error:
        token = getattr(error, "token", None)
        line, col = getattr(error, "line", 1), getattr(error, "column", 1)
        expected = set(getattr(error, "expected", ()) or ())
        shown = (
            str(token).strip().splitlines()[0][:40]
            if token is not None and str(token).strip()
            else ""
        )
        start = getattr(token, "start_pos", 0) or 0
        stray = getattr(token, "type", "") == "STRING_CHARS" and text[start - 1 : start] != '"'
        at_end = token is None or getattr(token, "end_pos", 0) >= len(text) or token.type == "$END"
        if at_end and not stray:
            raise _end_of_file(text) from None
        if expected & VALUE_STARTS and (not shown or stray):
            what = "expected a value"
        elif shown:
            what = f"unexpected `{shown}`"
            if str(token).startswith("\n"):
                line, col = _after_newline(token)
        else:
            what = "unexpected end of line"
        raise HclSyntaxError(f"Invalid HCL: {what}", max(line, 1), max(col, 1)) from None


def _end_of_file(text: str) -> HclSyntaxError:
    return HclSyntaxError(
        "Invalid HCL: unexpected end of file (an unclosed block, bracket or string?)",
        *end_position(text),
    )


VALUE_STARTS = {"DBLQUOTE", "INT_LITERAL", "FLOAT_LITERAL", "LSQB", "LBRACE", "HEREDOC_TEMPLATE"}


def _after_newline(token: Any) -> tuple[int, int]:
    """A token the post-lexer merged with the newline before it: point at its visible part."""
    text = str(token)
    head = text[: len(text) - len(text.lstrip())]
    line = token.line + head.count("\n")
    col = len(head) - head.rfind("\n")
    return line, col


def span_of(item: Any, path: str) -> Span:
    """The span of a lark tree (its meta) or token."""
    if hasattr(item, "meta"):
        meta = item.meta
        return Span(path, meta.line, meta.column, meta.end_line, meta.end_column)
    return Span(path, item.line, item.column, item.end_line, item.end_column)


class _Rejected(Exception):
    """The fast loop met input it does not accept."""


class _Meta(tuple[Any, ...]):
    """A tree's position: from the start of its first token to the end of its last, held as
    (first token, last token)."""

    __slots__ = ()
    empty = False

    @property
    def line(self) -> int:
        return int(self[0].line)

    @property
    def column(self) -> int:
        return int(self[0].column)

    @property
    def start_pos(self) -> int:
        return int(self[0].start_pos)

    @property
    def end_line(self) -> int:
        return int(self[1].end_line)

    @property
    def end_column(self) -> int:
        return int(self[1].end_column)

    @property
    def end_pos(self) -> int:
        return int(self[1].end_pos)


class _Tree(Tree[Any]):
    """A lark tree that finds its position when asked for it. lark's `propagate_positions`
    computes it for every tree while parsing: from its first child's start to its last child's
    end, children without tokens left out. Where the grammar drops no token (checked in
    `_Fast`), that is from its first token to its last."""

    @property
    def meta(self) -> Any:
        if self._meta is None:
            first = _edge_token(self, False)
            found: Any = Meta() if first is None else _Meta((first, _edge_token(self, True)))  # type: ignore[no-untyped-call]
            self._meta = found
        return self._meta


def _edge_token(tree: Tree[Any], last: bool) -> Token | None:
    stack: list[Any] = [tree]
    while stack:
        node = stack.pop()
        if node.__class__ is Token:
            return node
        stack.extend(node.children if last else reversed(node.children))
    return None


Builder = Callable[[list[Any]], Any]
Rule = tuple[int, str, str, tuple[bool, ...], bool]  # size, origin, tree name, inlined, expand1


def _rule(rule: Any) -> Rule:
    """What the loop needs of a lark rule to build its value as lark's tree builder does."""
    expansion = rule.expansion
    if not rule.options.keep_all_tokens and any(s.is_term and s.filter_out for s in expansion):
        raise ValueError(f"{rule} drops a token: positions would differ from lark's")
    if rule.options.empty_indices:
        raise ValueError(f"{rule} has `[optional]` parts, which lark fills with None")
    return (
        len(expansion),
        str(rule.origin.name),  # lark's names are tokens (str subclasses) in a fresh build
        str(rule.alias or rule.options.template_source or rule.origin.name),
        tuple(not sym.is_term and sym.name.startswith("_") for sym in expansion),
        bool(rule.options.expand1) and not rule.alias,
    )


def _builder(rule: Rule) -> Builder | None:
    """The callback that makes a rule's value from its children, as lark's tree builder does:
    `_rule` children inlined, a `?rule` of one child replaced by it. None for a `?rule` of one
    symbol, whose value is its child's. A `_rule`'s value is only ever inlined: a plain list."""
    size, origin, name, inlined, expand1 = rule
    hidden = origin.startswith("_")
    if hidden and expand1:
        raise ValueError(f"{origin}: an inlined rule that may be replaced by its child")
    if not any(inlined):
        if hidden:
            return _same
        if not expand1:
            return partial(_Tree, name)
        if size == 1:
            return None

    def build(children: list[Any]) -> Any:
        kids: list[Any] = []
        for child, inline in zip(children, inlined, strict=True):
            if inline:
                kids = kids + child if kids else child
            else:
                kids.append(child)
        if hidden:
            return kids
        if expand1 and len(kids) == 1:
            return kids[0]
        return _Tree(name, kids)

    return build


def _same(children: list[Any]) -> list[Any]:
    return children


TABLES_FORMAT = 1  # raise when `_tables` changes what it writes


def _tables(lark: Any) -> dict[str, Any]:
    """lark's LALR tables and contextual lexers as plain data: quick to load from a file, and
    free of lark's objects (loading those costs a run on one .tf file a third of its time)."""
    from lark.lexer import UnlessCallback
    from lark.parsers.lalr_analysis import Shift

    frontend = lark.parser
    table = frontend.parser.parser.parse_table
    rules: dict[Any, int] = {}
    states: dict[int, dict[str, int]] = {}
    for state, row in table.states.items():
        # a shift as the state it goes to, a reduce as -1 - the rule's number
        states[int(state)] = {
            str(symbol): int(arg) if action is Shift else -1 - rules.setdefault(arg, len(rules))
            for symbol, (action, arg) in row.items()
        }
    by_lexer: dict[int, int] = {}
    lexers: list[Any] = []
    lexer_of: dict[int, int] = {}
    for state, lexer in frontend.lexer.lexer.lexers.items():
        if id(lexer) not in by_lexer:
            scanner = lexer.scanner
            keywords = {}
            for kind, callback in lexer.callback.items():
                if type(callback) is not UnlessCallback:
                    raise ValueError(f"lexer callback {callback!r} for {kind}")
                keywords[str(kind)] = [
                    (str(m.pattern), int(m.flags)) for m in callback.scanner._mres
                ]
            by_lexer[id(lexer)] = len(lexers)
            lexers.append(
                (
                    [(str(m.pattern), int(m.flags)) for m in scanner._mres],
                    sorted(str(name) for name in lexer.ignore_types),
                    sorted(str(name) for name in lexer.newline_types),
                    keywords,
                )
            )
        lexer_of[int(state)] = by_lexer[id(lexer)]
    return {
        "states": states,
        "rules": [_rule(rule) for rule in rules],
        "start": int(table.start_states["start"]),
        "end": int(table.end_states["start"]),
        "lexers": lexers,
        "lexer_of": lexer_of,
    }


# The end of python-hcl2's STRING_CHARS, `(?:...|...)+`: its branches never match the same
# character, so matching it possessively (`++`, Python 3.11+) finds the same token without the
# regex engine's backtracking stack, which held about 115 bytes per character of a string (a
# 5 MB string literal: 1 GB). The lark fallback still uses the plain pattern.
_STRING_CHARS_END = "|(?:%(?!%?\\{)))+"


def _possessive(pattern: str) -> str:
    if sys.version_info < (3, 11) or _STRING_CHARS_END not in pattern:
        return pattern
    return pattern.replace(_STRING_CHARS_END, _STRING_CHARS_END + "+")


class _Lexer:
    """One of the contextual lexer's scanners: lark's `BasicLexer.next_token`, compiled when
    first used."""

    def __init__(self, spec: Any) -> None:
        import re

        patterns, ignore, newlines, keywords = spec
        self.patterns = [re.compile(_possessive(pattern), flags) for pattern, flags in patterns]
        self.ignore = frozenset(ignore)
        self.newlines = frozenset(newlines)
        self.keywords = {
            kind: [re.compile(pattern, flags) for pattern, flags in found]
            for kind, found in keywords.items()
        }
        self.renamed: dict[str, str] = {}  # a keyword's text -> its terminal (lark's `unless`)

    def match(self, text: str, pos: int) -> Any:
        for pattern in self.patterns:
            found = pattern.match(text, pos)
            if found:
                return found
        return None

    def keyword(self, kind: str, value: str) -> str:
        key = f"{kind}\0{value}"
        if key not in self.renamed:
            self.renamed[key] = next(
                (m.lastgroup or kind for p in self.keywords[kind] if (m := p.fullmatch(value))),
                kind,
            )
        return self.renamed[key]


class _Fast:
    """lark's LALR tables and contextual lexers, run in one tight loop."""

    def __init__(self, tables: dict[str, Any]) -> None:
        from hcl2.postlexer import PostLexer

        self.postlex = PostLexer()
        rules = [(rule[0], rule[1], _builder(rule)) for rule in tables["rules"]]
        self.actions: dict[int, dict[str, Any]] = {}
        self.gotos: dict[int, dict[str, int]] = {}
        for state, row in tables["states"].items():
            self.actions[state] = {
                s: arg if arg >= 0 else rules[-1 - arg] for s, arg in row.items() if s.isupper()
            }
            self.gotos[state] = {s: arg for s, arg in row.items() if not s.isupper()}
        self.chains: dict[tuple[int, int, str], int] = {}
        self.start: int = tables["start"]
        self.end: int = tables["end"]
        self.specs = tables["lexers"]
        self.lexer_of: dict[int, int] = tables["lexer_of"]
        self.compiled: dict[int, _Lexer] = {}
        self.lexers: dict[int, tuple[Any, ...]] = {}  # by parser state, as states are met

    def lexer(self, state: int) -> tuple[Any, ...]:
        number = self.lexer_of[state]
        if number not in self.compiled:
            self.compiled[number] = _Lexer(self.specs[number])
        lexer = self.compiled[number]
        one = lexer.patterns[0].match if len(lexer.patterns) == 1 else None
        found = (one or lexer.match, lexer.ignore, lexer.newlines, lexer.keywords, lexer)
        self.lexers[state] = found
        return found

    def tokens(self, text: str, states: list[int]) -> Iterator[Any]:
        """Tokens as lark's contextual lexer makes them: each with the lexer of the parser's
        state when it is asked for."""
        new = Token._future_new
        lexers = self.lexers
        pos, line, line_start, end = 0, 1, 0, len(text)
        while pos < end:
            state = states[-1]
            match, ignore, newlines, keywords, lexer = (
                lexers[state] if state in lexers else self.lexer(state)
            )
            found = match(text, pos)
            if found is None:
                raise _Rejected
            value, kind = found.group(0), found.lastgroup
            start, start_line, column = pos, line, pos - line_start + 1
            pos += len(value)
            if kind in newlines:
                count = value.count("\n")
                if count:
                    line += count
                    line_start = start + value.rindex("\n") + 1
            if kind in ignore:
                continue
            if kind in keywords:
                kind = lexer.keyword(kind, value)
            col = pos - line_start + 1
            yield new(kind, value, start, start_line, column, line, col, pos)  # type: ignore[no-untyped-call]

    def _chain(self, below: int, top: int, kind: str) -> int:
        while True:
            action = self.actions[top][kind]
            if action.__class__ is int or action[2] is not None:
                return top
            top = self.gotos[below][action[1]]

    def parse(self, text: str) -> Any:
        try:
            return self._run(text)
        except (KeyError, IndexError, AttributeError):
            raise _Rejected from None

    def _run(self, text: str) -> Any:
        actions, gotos = self.actions, self.gotos
        states = [self.start]
        values: list[Any] = []
        token = None
        chains = self.chains
        for token in self.postlex.process(self.tokens(text, states)):
            kind = token.type
            while True:
                action = actions[states[-1]][kind]
                if action.__class__ is int:
                    states.append(action)
                    values.append(token)
                    break
                size, origin, build = action
                if build is None:
                    # `?a: b` reductions in a row keep the value and end in one state, set by
                    # the state below and the lookahead
                    key = (states[-2], states[-1], kind)
                    if key not in chains:
                        chains[key] = self._chain(*key)
                    states[-1] = chains[key]
                    continue
                if size:
                    children = values[-size:]
                    del values[-size:]
                    del states[-size:]
                    values.append(build(children))
                else:
                    values.append(build([]))
                states.append(gotos[states[-1]][origin])
        if token is None:
            raise _Rejected
        while True:
            action = actions[states[-1]]["$END"]
            if action.__class__ is int:
                raise _Rejected
            size, origin, build = action
            if build is None:
                del states[-1]
            else:
                children = values[-size:] if size else []
                del values[len(values) - size :]
                del states[len(states) - size :]
                values.append(build(children))
            states.append(gotos[states[-1]][origin])
            if states[-1] == self.end:
                return values[-1]


def _tables_file(folder: Path) -> Path:
    """Named by everything the tables come from: the grammar's text, lark, this code's format
    and the Python that reads the file (marshal's format is Python's own)."""
    import hashlib
    import sys

    from fglint.frontends.terraform.shipped import GRAMMAR
    from hcl2 import postlexer
    from lark import __version__ as lark_version

    grammar = GRAMMAR.read_bytes()
    postlex = Path(postlexer.__file__).read_bytes()
    digest = hashlib.sha256(grammar + postlex + lark_version.encode()).hexdigest()[:16]
    python = f"{sys.version_info[0]}{sys.version_info[1]}"
    return folder / f"hcl2-tables-{TABLES_FORMAT}-py{python}-{digest}.marshal"


def _load_tables(target: Path | None) -> dict[str, Any] | None:
    import marshal

    if target is None or not os.path.exists(target):
        return None
    try:
        tables = marshal.loads(target.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return tables if isinstance(tables, dict) else None


def _save_tables(target: Path, tables: dict[str, Any]) -> None:
    """Saved whole or not at all (not saved: the next run builds the tables again)."""
    import marshal

    try:
        data = marshal.dumps(tables)
    except ValueError:
        return
    write_whole(target, data)


@cache
def _fast() -> _Fast | None:
    """The loop, with the tables shipped in the package when they fit the installed grammar,
    else from our cache (or from lark, then saved). None when lark's internals are not the ones
    `_tables` reads (a new lark): lark then parses every file."""
    from fglint.frontends.terraform import shipped

    try:
        tables = shipped.load(TABLES_FORMAT)
        if tables is not None:
            return _Fast(tables)
    except (AttributeError, KeyError, TypeError, ValueError, IndexError):
        pass  # not tables this code can run: build them
    folder = user_cache_dir()
    target = _tables_file(folder) if folder is not None else None
    tables = _load_tables(target)
    try:
        if tables is not None:
            return _Fast(tables)
    except (AttributeError, KeyError, TypeError, ValueError, IndexError):
        pass  # a damaged file: build it again
    try:
        tables = _tables(parser())
        fast = _Fast(tables)
    except (AttributeError, KeyError, TypeError, ValueError):
        return None
    if target is not None:
        _save_tables(target, tables)
    return fast


# What a reader sees as one level of nesting: a block's or an object's braces, a tuple's
# brackets, an index, a call's or a grouping's parentheses, an interpolation or a directive
NESTING = frozenset(
    {
        "block",
        "object",
        "tuple",
        "for_tuple_expr",
        "for_object_expr",
        "function_call",
        "braces_index",
        "interpolation",
        "template_if_start",
        "template_for_start",
    }
)
TREE_LEVELS = 6  # tree levels one level of nesting takes at most (4, an interpolation), and room


def check_depth(tree: Any, limit: int, path: str) -> None:
    """Refuse a tree nested deeper than `limit` levels as a reader counts them (NESTING, and
    parentheses) before anything walks it recursively; the finding is at the first level too
    many. Operators, conditions and references chained without brackets nest in the tree too
    (`a + b + c` is `(a + b) + c`): more than `TREE_LEVELS * limit` tree levels of them are
    refused as well."""
    from fglint.nodes import LimitExceeded, too_deep

    most = TREE_LEVELS * limit + 20  # and the file's own frame: `start`, `body`, an attribute
    if _within(tree, limit, most):
        return
    stack = [(tree, 1, 0)]
    while stack:
        node, levels, depth = stack.pop()
        if node.data in NESTING or _grouping(node):
            depth += 1
        if depth > limit:
            raise too_deep(limit, span_of(_first_token(node), path))
        if levels > most:
            raise LimitExceeded(
                f"More than {most} operators, conditions or references chained in one "
                "expression: not read (`[limits] depth` in the settings raises the limit)",
                span_of(_first_token(node), path),
            )
        trees = [child for child in node.children if isinstance(child, Tree)]
        stack.extend((child, levels + 1, depth) for child in reversed(trees))  # file order


def _within(tree: Any, limit: int, most: int) -> bool:
    """Is the tree within both limits? One pass, level by level and without the places
    (`check_depth` walks again, in file order, only to find the first level too many)."""
    level = [(tree, 0)]
    levels = 0
    while level:
        levels += 1
        if levels > most:
            return False
        below: list[tuple[Any, int]] = []
        add = below.append
        for node, depth in level:
            if node.data in NESTING or _grouping(node):
                depth += 1
                if depth > limit:
                    return False
            for child in node.children:
                if isinstance(child, Tree):
                    add((child, depth))
        level = below
    return True


def check_labels(tree: Tree[Any]) -> None:
    """Refuse a block label that holds a template sequence (`resource "x" "${var.name}"`), as
    Terraform does ("Template sequences are not allowed in this string"): at the first one."""
    stack = [tree]
    while stack:
        node = stack.pop()
        trees = [child for child in node.children if isinstance(child, Tree)]
        for label in trees if node.data == "block" else []:
            parts = [p.children[0] for p in label.children if isinstance(p, Tree) and p.children]
            sequence = next((p for p in parts if isinstance(p, Tree)), None)
            if label.data == "string" and sequence is not None:
                token = _first_token(sequence)
                raise HclSyntaxError(
                    f"Invalid HCL: a block label cannot hold a template sequence; write "
                    f"`{token[0]}{token}` for a literal `{token}`",
                    token.line,
                    token.column,
                )
        stack.extend(t for t in reversed(trees) if t.data in ("body", "block"))  # file order


def _grouping(node: Tree[Any]) -> bool:
    """`( expression )`."""
    first = node.children[0] if node.children else None
    return node.data == "expr_term" and isinstance(first, Token) and first.type == "LPAR"


def _first_token(node: Any) -> Any:
    while isinstance(node, Tree) and node.children:
        node = node.children[0]
    return node

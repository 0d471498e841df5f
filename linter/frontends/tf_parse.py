"""Parse HCL into python-hcl2's lark tree, with positions, and a grammar cache of our own.

python-hcl2 8.x ships its grammar without a prebuilt parser: building the LALR tables takes
about 3 s, and `hcl2.parser.parser()` then writes its cache into site-packages (every run pays
again where site-packages is read-only). We build the same parser with the cache in the user's
cache directory instead, and never call `hcl2.parser.parser()`.

Parsing runs lark's tables in a loop of our own (`_Fast`), two to three times as fast as
`Lark.parse` with `propagate_positions`: a run of `?rule`s of one symbol costs one step, and a
tree finds its position only when asked for it. The tree is lark's, node for node, with the same
positions (tests/test_tf_parse.py). Any input that loop does not accept is parsed again by lark
itself, which raises the error.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from functools import cache, partial
from pathlib import Path
from typing import Any

from lark import Token, Tree
from lark.tree import Meta

from ..nodes import Span


class HclSyntaxError(Exception):
    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


def cache_dir() -> Path | None:
    """`$XDG_CACHE_HOME/fglint` or `~/.cache/fglint`; None when neither can be written."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "fglint"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def _cache_file(folder: Path) -> Path:
    from importlib.metadata import version

    from lark import __version__ as lark_version

    return folder / f"hcl2-{version('python-hcl2')}-lark-{lark_version}.grammar"


@cache
def parser() -> Any:
    """The LALR parser of python-hcl2's grammar, loaded from (or saved to) our cache."""
    import hcl2.parser
    from hcl2.postlexer import PostLexer
    from lark import Lark

    options: dict[str, Any] = {
        "parser": "lalr",
        "rel_to": hcl2.parser.__file__,
        "propagate_positions": True,
        "postlex": PostLexer(),
    }
    folder = cache_dir()
    if folder is None:
        return Lark.open("hcl2.lark", **options)
    target = _cache_file(folder)
    if target.exists():
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
    lines = text.rstrip("\n").splitlines() or [""]
    return HclSyntaxError(
        "Invalid HCL: unexpected end of file (an unclosed block, bracket or string?)",
        len(lines),
        len(lines[-1]) + 1,
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


class _Meta(tuple):
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


class _Tree(Tree):
    """A lark tree that finds its position when asked for it. lark's `propagate_positions`
    computes it for every tree while parsing: from its first child's start to its last child's
    end, children without tokens left out. Where the grammar drops no token (checked in
    `_Fast`), that is from its first token to its last."""

    @property
    def meta(self) -> Any:
        if self._meta is None:
            first = _edge_token(self, False)
            found: Any = Meta() if first is None else _Meta((first, _edge_token(self, True)))
            self._meta = found
        return self._meta


def _edge_token(tree: Tree, last: bool) -> Token | None:
    stack: list[Any] = [tree]
    while stack:
        node = stack.pop()
        if node.__class__ is Token:
            return node
        stack.extend(node.children if last else reversed(node.children))
    return None


Builder = Callable[[list[Any]], Any]


def _builder(rule: Any) -> Builder | None:
    """The callback that makes `rule`'s value from its children, as lark's tree builder does
    (`_rule` children inlined, a `?rule` of one child replaced by it); None for a `?rule` of
    one symbol, whose value is its child's."""
    expansion = rule.expansion
    if not rule.options.keep_all_tokens and any(s.is_term and s.filter_out for s in expansion):
        raise ValueError(f"{rule} drops a token: positions would differ from lark's")
    inlined = [not sym.is_term and sym.name.startswith("_") for sym in expansion]
    expand1 = bool(rule.options.expand1) and not rule.alias
    name = rule.alias or rule.options.template_source or rule.origin.name
    if not any(inlined):
        if not expand1:
            return partial(_Tree, name)
        if len(expansion) == 1:
            return None

    def build(children: list[Any]) -> Any:
        kids: list[Any] = []
        for child, inline in zip(children, inlined, strict=True):
            if inline:
                kids = kids + child.children if kids else child.children
            else:
                kids.append(child)
        if expand1 and len(kids) == 1:
            return kids[0]
        return _Tree(name, kids)

    return build


class _Fast:
    """lark's LALR tables and contextual lexers, flattened for one tight loop."""

    def __init__(self, lark: Any) -> None:
        from lark.parsers.lalr_analysis import Shift

        frontend = lark.parser
        table = frontend.parser.parser.parse_table
        self.postlex = frontend.lexer.postlexer
        contextual = frontend.lexer.lexer
        builders: dict[Any, Builder | None] = {}
        self.actions: dict[int, dict[str, Any]] = {}
        self.gotos: dict[int, dict[str, int]] = {}
        for state, row in table.states.items():
            actions: dict[str, Any] = {}
            gotos: dict[str, int] = {}
            for symbol, (action, arg) in row.items():
                if action is Shift:
                    (actions if symbol.isupper() else gotos)[symbol] = arg
                else:
                    if arg not in builders:
                        builders[arg] = _builder(arg)
                    actions[symbol] = (len(arg.expansion), arg.origin.name, builders[arg])
            self.actions[state] = actions
            self.gotos[state] = gotos
        self.chains: dict[tuple[int, int, str], int] = {}
        self.start = table.start_states["start"]
        self.end = table.end_states["start"]
        self.contextual = contextual.lexers
        self.lexers: dict[int, tuple[Any, ...]] = {}  # filled as states are met, as lark does

    def lexer(self, state: int) -> tuple[Any, ...]:
        lexer = self.contextual[state]
        found = (lexer.scanner._mres, lexer.ignore_types, lexer.newline_types, lexer.callback)
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
            if state in lexers:
                patterns, ignore, newlines, callbacks = lexers[state]
            else:
                patterns, ignore, newlines, callbacks = self.lexer(state)
            for pattern in patterns:
                match = pattern.match(text, pos)
                if match:
                    break
            else:
                raise _Rejected
            value, kind = match.group(0), match.lastgroup
            start, start_line, column = pos, line, pos - line_start + 1
            pos += len(value)
            if kind in newlines:
                count = value.count("\n")
                if count:
                    line += count
                    line_start = start + value.rindex("\n") + 1
            if kind in ignore and kind not in callbacks:
                continue
            token = new(kind, value, start, start_line, column, line, pos - line_start + 1, pos)
            if kind in callbacks:
                token = callbacks[kind](token)
            if kind not in ignore:
                yield token

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


@cache
def _fast() -> _Fast | None:
    """None when lark's internals are not the ones this loop reads (a new lark)."""
    try:
        return _Fast(parser())
    except (AttributeError, KeyError, TypeError, ValueError):
        return None

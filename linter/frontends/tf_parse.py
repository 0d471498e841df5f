"""Parse HCL into python-hcl2's lark tree, with positions, and a grammar cache of our own.

python-hcl2 8.x ships its grammar without a prebuilt parser: building the LALR tables takes
about 3 s, and `hcl2.parser.parser()` then writes its cache into site-packages (every run pays
again where site-packages is read-only). We build the same parser with the cache in the user's
cache directory instead, and never call `hcl2.parser.parser()`.
"""

from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

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

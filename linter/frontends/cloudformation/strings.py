"""Partly known strings that `Fn::Sub` and `Fn::Join` build: where each literal part is written,
how a message shows the string (in `Fn::Sub` notation), and the places its parts came from."""

from __future__ import annotations

import re
from dataclasses import replace

from fglint.evaluate.values import render
from fglint.nodes import Node, ScalarNode, Span, TemplateNode, UnknownNode, is_template


class Locator:
    """The places of the literal parts of a `Fn::Sub` string: exact when the string is written
    on one line without escapes, else the whole string's place."""

    def __init__(self, span: Span, value: str, line: str) -> None:
        self.whole = span
        self.start: int | None = None
        if span.line == span.end_line and value:
            found = line[span.col - 1 : span.end_col - 1].rfind(value)
            self.start = span.col + found if found >= 0 else None

    def span(self, begin: int, end: int) -> Span:
        if self.start is None:
            return self.whole
        line = self.whole.line
        return Span(self.whole.path, line, self.start + begin, line, self.start + end)

    def literal(self, begin: int, end: int, value: str) -> Node:
        """A literal part; a dynamic reference (`{{resolve:ssm:...}}`) in it is unknown."""
        where = self.span(begin, end)
        return UnknownNode(where, value) if is_template(value) else ScalarNode(where, value)


_REFERENCE_TEXT = re.compile(r'^(?:!Ref |!GetAtt |\{"(?:Ref|Fn::GetAtt)": )"?([\w:.-]+)"?\}?$')


def readable(node: Node) -> Node:
    """A partly known string as a message shows it, in `Fn::Sub` notation: the literal parts as
    written, each unknown part as `${name}` (`${AWS::Region}`, `${Repo.RepositoryUri}`)."""
    if not isinstance(node, TemplateNode):
        return node
    shown: list[str] = []
    for part in node.parts:
        written = part.text if isinstance(part, UnknownNode) else ""
        found = _REFERENCE_TEXT.match(written)
        if isinstance(part, ScalarNode):
            shown.append(str(part.value))
        else:
            shown.append(
                written if written.startswith("${") else f"${{{found[1] if found else '...'}}}"
            )
    return replace(node, text="".join(shown))


def gathered(result: Node, parts: list[Node]) -> Node:
    """A string built from parts, with the places its parts came from outside the call (a
    parameter default, a mapping entry) among the places it travelled through."""
    if not isinstance(result, (ScalarNode, TemplateNode)):
        return result
    more: list[tuple[Span, str]] = []
    for part in parts:
        shown = render(part.value) if isinstance(part, ScalarNode) else None
        own = ((part.span, f"`{shown}` is written here"),) if part.via and shown else ()
        for where, message in (*part.via, *own):
            if not inside(where, result.span) and (where, message) not in more:
                more.append((where, message))
    return replace(result, via=result.via + tuple(more)) if more else result


def inside(inner: Span, outer: Span) -> bool:
    return inner.path == outer.path and (
        (outer.line, outer.col) <= (inner.line, inner.col)
        and (inner.end_line, inner.end_col) <= (outer.end_line, outer.end_col)
    )

"""A bug in fglint met while loading a file or running a rule becomes an FG005 finding where it
happened, and the run goes on with every other file and rule (isolation)."""

from __future__ import annotations

from types import TracebackType

from fglint.model import Container, Problem, Project, Resource, SourceFile
from fglint.nodes import Node, Span

CODE = "FG005"


def describe(error: BaseException) -> str:
    """`ValueError: message`, on one line and short."""
    text = " ".join(str(error).split())
    text = text if len(text) <= 200 else text[:197] + "..."
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _span_in(value: object) -> Span | None:
    if isinstance(value, Node):
        return value.span
    if isinstance(value, (Resource, Container)):
        return value.node.span
    if isinstance(value, SourceFile):
        return Span(value.path, 1, 1, 1, 1)
    return None


def blame(error: BaseException, paths: set[str] | None = None) -> Span | None:
    """Where the failure happened: the innermost frame of the traceback that holds a located
    value (a node, a resource, a file), in one of `paths` when given."""
    frames: list[TracebackType] = []
    trace = error.__traceback__
    while trace is not None:
        frames.append(trace)
        trace = trace.tb_next
    for frame in reversed(frames):
        for value in frame.tb_frame.f_locals.values():
            span = _span_in(value)
            if span is not None and span.path and (paths is None or span.path in paths):
                return span
    return None


def first_span(project: Project) -> Span | None:
    """The start of the first file reported on, for a failure that has no better place."""
    file = next((f for f in project.files if f.report), None)
    return Span(file.path, 1, 1, 1, 1) if file is not None else None


def problem(error: BaseException, span: Span, doing: str) -> Problem:
    return Problem(
        CODE,
        span,
        f"fglint failed while {doing} ({describe(error)}); what it would have found there is "
        "missing. This is a bug in fglint: please report it with this file",
    )

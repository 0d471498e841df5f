"""What a rule is: metadata, documentation (the module docstring) and a `check` generator.

A rule module in `rules/` looks like this::

    '''## What it does ... ## Why is this bad? ... ## Example ... ## References ...'''
    from fglint.rule import Context, Rule, Violation

    RULE = Rule(code="FG201", name="image-latest-tag", summary="...", severity="warning")

    def check(ctx: Context) -> Iterator[Violation]:
        for container in ctx.project.containers():
            ...
            yield Violation(node, "message")

Rules never compute lines or columns: they report at a node (or a span) and the engine and the
formatters do the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Set
from dataclasses import dataclass, field, fields
from typing import Literal, Protocol, TypeVar, get_type_hints

from fglint.aws.facts import Severity as Severity  # a rule's and a finding's level
from fglint.fix import Edit as Edit  # rules make fixes and import only this module
from fglint.fix import Editor
from fglint.fix import Fix as Fix
from fglint.fix import Verbatim as Verbatim
from fglint.model import Project
from fglint.nodes import Node, Span

Where = Node | Span


@dataclass(frozen=True)
class RuleOptions:
    """What a rule's options derive from: a frozen dataclass whose fields are the options (in
    the settings with dashes: `drain_grace` is `drain-grace`), their defaults what the rule uses
    when the settings say nothing. The settings are checked against the fields' types when they
    are read, so a rule reads its options typed: `ctx.options_of(Options).maximum`."""


OptionsT = TypeVar("OptionsT", bound=RuleOptions)


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    severity: Severity
    tags: tuple[str, ...] = ()
    options: RuleOptions | None = None  # its options with their defaults
    enabled: bool = True  # False: off by default, turned on by --select
    always: bool = False  # True: runs whatever `select` says; only `ignore` turns it off
    precision: str = "high"  # SARIF precision: very-high, high, medium, low
    security_severity: float | None = None  # SARIF security-severity (0-10) for security rules
    fix: Literal["safe", "unsafe"] | None = None  # what its fixes are, when it makes any

    @property
    def defaults(self) -> dict[str, object]:
        """The options by their settings names (`drain-grace`) with their default values."""
        if self.options is None:
            return {}
        return {_setting(f.name): getattr(self.options, f.name) for f in fields(self.options)}

    def option_type(self, name: str) -> object:
        """The declared type of an option (`int`, `int | None`, `dict[str, float]`)."""
        return get_type_hints(type(self.options))[name.replace("-", "_")]


def _setting(name: str) -> str:
    return name.replace("_", "-")


def span_of(where: Where) -> Span:
    return where if isinstance(where, Span) else where.span


@dataclass(frozen=True)
class Related:
    where: Where
    message: str

    @property
    def span(self) -> Span:
        return span_of(self.where)


@dataclass(frozen=True)
class Violation:
    where: Where
    message: str
    related: tuple[Related, ...] = ()
    severity: Severity | None = None  # overrides the rule's default for this one finding
    # text edits that resolve it (see fglint.fix), or a function that makes them (a
    # `functools.partial`): called only by a run that shows or applies fixes
    fix: Fix | Callable[[], Fix | None] | None = None

    @property
    def span(self) -> Span:
        return span_of(self.where)


class Suppression(Protocol):
    """One inline suppression comment, as a rule sees it (made by `engine.suppress`)."""

    @property
    def codes(self) -> Mapping[str, Span]: ...  # code -> its place inside the brackets
    @property
    def whole_file(self) -> bool: ...
    @property
    def used(self) -> Set[str]: ...  # the codes it suppressed a finding of


class Suppressions(Protocol):
    """The run's inline suppressions, as FG002 reads them (made by `engine.suppress`)."""

    @property
    def running(self) -> Set[str]: ...  # the codes of the rules that run
    @property
    def known(self) -> Set[str]: ...  # every rule code fglint has
    def all(self) -> Iterator[Suppression]: ...


@dataclass
class Context:
    project: Project
    options: RuleOptions | None = None  # the rule's options as the settings give them
    suppressions: Suppressions | None = None  # the run's inline suppressions (FG002 reads them)
    _editor: Editor | None = field(default=None, init=False, repr=False)

    @property
    def edits(self) -> Editor:
        """Where a rule makes its fixes: edits in the files' own syntax."""
        if self._editor is None:
            self._editor = Editor(self.project)
        return self._editor

    def options_of(self, kind: type[OptionsT]) -> OptionsT:
        """The running rule's options (`kind`, its Options class), or their defaults."""
        return self.options if isinstance(self.options, kind) else kind()

    def problems(self, code: str) -> Iterator[Violation]:
        """The problems the front-ends recorded under `code` (syntax errors, duplicate keys)."""
        for problem in self.project.problems:
            if problem.code == code:
                related = tuple(Related(span, message) for span, message in problem.related)
                yield Violation(problem.span, problem.message, related, problem.severity)


CheckFunction = Callable[[Context], Iterable[Violation]]


@dataclass(frozen=True)
class LoadedRule:
    meta: Rule
    doc: str
    check: CheckFunction
    module: str

    @property
    def code(self) -> str:
        return self.meta.code


def related(where: Where | None, message: str) -> tuple[Related, ...]:
    """A one-element related-locations tuple, or none when the other end is unknown."""
    return (Related(where, message),) if where is not None else ()

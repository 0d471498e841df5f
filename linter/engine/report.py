"""What a run produced, and all an output needs to render it: the findings, the rules that ran
(their metadata, docs and effective severity), the files read, and timings. Outputs read a
`Report` and nothing else; they never call back into the engine."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property

from fglint.fix import Fix
from fglint.model import SourceFile
from fglint.nodes import Span
from fglint.rule import LoadedRule, Severity


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    severity: Severity
    message: str
    span: Span
    related: tuple[tuple[Span, str], ...] = ()
    fix: Fix | None = None
    construct: str = ""  # the CDK construct path of the resource it is in (`aws:cdk:path`)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.span.path, self.span.line, self.span.col, self.code, self.message)


@dataclass(frozen=True)
class RuleRun:
    """A rule that ran, with the severity its findings carry unless one says otherwise."""

    rule: LoadedRule
    severity: Severity

    @property
    def code(self) -> str:
        return self.rule.code


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]
    rules: tuple[RuleRun, ...]  # sorted by code
    files: tuple[SourceFile, ...]  # every file read: linted, or loaded for context only
    failed: frozenset[str] = frozenset()  # paths that could not be read or parsed (FG001)
    skipped: tuple[tuple[str, str], ...] = ()  # (path, why it is not fglint's) not read
    seconds: dict[str, float] = field(default_factory=dict)  # rule code -> time in its check
    root: str = ""  # the project root: every path is relative to it unless absolute
    hidden: int = 0  # findings not reported because the baseline holds them

    @property
    def linted(self) -> tuple[SourceFile, ...]:
        """The files whose findings are reported."""
        return tuple(file for file in self.files if file.report)

    @property
    def context(self) -> tuple[SourceFile, ...]:
        """Files read for context only (a module's other .tf files): no finding reported."""
        return tuple(file for file in self.files if not file.report)

    @cached_property
    def _rules(self) -> dict[str, RuleRun]:
        return {run.code: run for run in self.rules}

    @cached_property
    def _files(self) -> dict[str, SourceFile]:
        return {file.path: file for file in self.files}

    def rule(self, code: str) -> RuleRun | None:
        return self._rules.get(code)

    def file(self, path: str) -> SourceFile | None:
        return self._files.get(path)


def finding_fingerprints(report: Report) -> list[str]:
    """One fingerprint per finding of the report, in order, each unique in the report. Built from
    the rule, the file, the message and the flagged line's text (spaces ignored), not from line
    numbers, so it survives lines moving; identical findings are told apart by a counter."""
    seen: dict[str, int] = {}
    out = []
    for finding in report.findings:
        file = report.file(finding.span.path)
        line = "".join(file.line(finding.span.line).split()) if file is not None else ""
        key = "\0".join((finding.code, finding.span.path, finding.message, line))
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        seen[digest] = seen.get(digest, 0) + 1
        out.append(f"{digest}:{seen[digest]}")
    return out

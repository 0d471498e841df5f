"""The rule engine: select rules, run them, stamp their findings, and return a `Report`."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path

from fglint import failure
from fglint.engine import registry
from fglint.engine.config import Config
from fglint.engine.report import Finding, Report, RuleRun
from fglint.exclusion import matches
from fglint.fix import Fix
from fglint.model import PARSE_ERROR, Project
from fglint.nodes import Node, Span
from fglint.rule import Context, LoadedRule


def _matches(code: str, prefixes: list[str]) -> bool:
    return any(code.startswith(prefix.upper()) or prefix.upper() == "ALL" for prefix in prefixes)


def selected_rules(config: Config) -> list[LoadedRule]:
    """ruff's model: `select` replaces the default set, `extend-select` adds, `ignore` removes.
    Rules that are off by default run only when a select entry names them or their family."""
    chosen = []
    for rule in registry.all_rules():
        default = rule.meta.enabled if config.select is None else False
        on = default or rule.meta.always or _matches(rule.code, config.select or [])
        on = on or _matches(rule.code, config.extend_select)
        if on and not _matches(rule.code, config.ignore):
            chosen.append(rule)
    return chosen


def ignored_for_path(config: Config, path: str, abspath: str | None = None) -> list[str]:
    """The codes `per-file-ignores` turn off for a file. Each key is a gitignore-style pattern
    relative to the folder of the settings file (`legacy/*.json` there, `api.json` at any
    depth), or, without one or for a file outside it, to the working directory; `!pattern`
    turns the codes off for the files the pattern does not match (as in ruff)."""
    base = config.root or os.getcwd()
    codes: list[str] = []
    for pattern, patterns_codes in config.per_file_ignores.items():
        negated = pattern.startswith("!")
        if matches(pattern.removeprefix("!"), abspath or path, base) != negated:
            codes.extend(patterns_codes)
    return codes


_ADDRESS = re.compile(  # a Terraform address in backticks, with its modules and instance keys
    r"`(?:[\w-]+(?:\[[^\]`]*\])?\.)*[a-z][a-z0-9]*_[a-z0-9_]+\.[\w-]+(?:\[[^\]`]*\])?`"
)

_EXPRESSION = re.compile(r"`(?:(?:var|local|each|count)\.|!Ref )[^`]*`")  # a name not known


def once_per_place(findings: set[Finding]) -> list[Finding]:
    """One finding per rule and location. A module folder linted on its own and instantiated by
    a caller (or by two callers) reports a problem in its own code once, whichever evaluation
    reached it: the messages differ only in what each knew (`module.api.aws_ecs_service.this[0]`
    or `aws_ecs_service.this`, container `web` or `var.name`). The finding that knows most is
    kept: the one naming fewest things by an expression (`var.name`: the caller's value was not
    known), then the longest message, naming the resource by its shortest address."""

    def says(finding: Finding) -> tuple[int, int, int, str, str]:
        unknown = len(_EXPRESSION.findall(finding.message))
        told = len(_ADDRESS.sub("``", finding.message))
        return (unknown, -told, len(finding.message), finding.message, repr(finding.related))

    chosen: dict[tuple[str, Span], Finding] = {}
    for finding in sorted(findings, key=says):
        chosen.setdefault((finding.code, finding.span), finding)
    return list(chosen.values())


def construct_at(constructs: tuple[tuple[int, int, str], ...], span: Span) -> str:
    """The CDK construct path of the innermost resource around the span, or ""."""
    around = [
        (last - first, path) for first, last, path in constructs if first <= span.line <= last
    ]
    return min(around)[1] if around else ""


def run(project: Project, config: Config, fixes: bool = True) -> Report:
    """The rules' findings on the project. Without `fixes` (an output that neither shows nor
    counts them, and no --fix) no finding carries a fix, and none is made."""
    from fglint.engine.suppress import UNUSED_CODE, Suppressions

    reported = {f.path for f in project.files if f.report}
    included = {f.path: f.included_from for f in project.files if f.included_from}
    absolute = {f.path: f.abspath for f in project.files}
    constructs = {f.path: f.constructs for f in project.files if f.constructs}
    selected = [
        RuleRun(rule, config.severity.get(rule.code, rule.meta.severity))
        for rule in selected_rules(config)
    ]
    known = frozenset(rule.code for rule in registry.all_rules())
    suppressions = Suppressions(project, {run.code for run in selected}, known)
    findings: set[Finding] = set()
    seconds: dict[str, float] = {}
    # FG002 judges which suppressions were used, so it runs after every other rule.
    for ran in sorted(selected, key=lambda ran: ran.code == UNUSED_CODE):
        rule = ran.rule
        options = config.options.get(rule.code, rule.meta.options)
        started = time.perf_counter()
        try:
            for violation in rule.check(Context(project, options, suppressions)):
                span = project.anchor_of(violation.where)
                # An evaluated value: the places it travelled through (a variable, a module
                # argument) are related locations, and it is reported, or suppressed, at any.
                via = violation.where.via if isinstance(violation.where, Node) else ()
                places = [span, *(where for where, _ in via)]
                # A finding on a context file is reported when a given file takes part in it.
                caused = [r.span for r in violation.related]
                if not any(place.path in reported for place in (*places, *caused)):
                    continue
                call = included.get(span.path)  # a JSON file read by Terraform's file()
                if call is not None:
                    places.append(call)
                suppressed = any(suppressions.suppressed(rule.code, place) for place in places)
                ignored = ignored_for_path(config, span.path, absolute.get(span.path))
                if suppressed or _matches(rule.code, ignored):
                    continue
                related = tuple((project.anchor_of(r.where), r.message) for r in violation.related)
                related += via
                if call is not None:
                    related += ((call, "Terraform reads this file here"),)
                own = violation.severity if rule.code not in config.severity else None
                findings.add(
                    Finding(
                        rule.code,
                        rule.meta.name,
                        own or ran.severity,
                        violation.message,
                        span,
                        related,
                        _fix(violation.fix) if fixes else None,
                        construct_at(constructs.get(span.path, ()), span),
                    )
                )
        except Exception as error:  # a bug in one rule: a finding where it failed; the rest run
            findings |= _rule_failure(rule, error, project, reported, config)
        seconds[rule.code] = time.perf_counter() - started
    failed = frozenset(
        p.span.path for p in project.problems if p.code in (PARSE_ERROR, failure.CODE)
    )
    return Report(
        findings=tuple(sorted(once_per_place(findings), key=Finding.sort_key)),
        rules=tuple(sorted(selected, key=lambda ran: ran.code)),
        files=tuple(project.files),
        failed=failed,
        skipped=tuple(project.skipped),
        seconds=seconds,
        root=project.base or str(Path.cwd().resolve()),
    )


def _fix(fix: Fix | Callable[[], Fix | None] | None) -> Fix | None:
    return fix() if callable(fix) else fix


def _rule_failure(
    rule: LoadedRule, error: Exception, project: Project, reported: set[str], config: Config
) -> set[Finding]:
    """FG005 at the value the rule was reading when it failed (or the first file)."""
    internal = registry.rule_by_code(failure.CODE)
    span = failure.blame(error, reported) or failure.first_span(project)
    if internal is None or span is None:
        raise error
    abspath = next((f.abspath for f in project.files if f.path == span.path), None)
    if _matches(failure.CODE, config.ignore + ignored_for_path(config, span.path, abspath)):
        return set()
    problem = failure.problem(error, span, f"running {rule.code} ({rule.meta.name}) here")
    severity = config.severity.get(failure.CODE, internal.meta.severity)
    return {Finding(failure.CODE, internal.meta.name, severity, problem.message, span)}

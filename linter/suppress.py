"""Inline suppressions in comments, for every format that has comments (HCL, YAML, Dockerfile).

    # fglint: ignore[FG201]           on the finding's line, or alone on the line above
    // fglint: ignore[FG201,FG601] reason text
    # fglint: file-ignore[FG109]      anywhere in the file

A suppression that suppresses nothing, or names an unknown code, is itself a finding (FG002).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .model import Project
from .nodes import Span

if TYPE_CHECKING:
    from .config import Config
    from .engine import Finding
    from .rule import LoadedRule, Severity

DIRECTIVE = re.compile(r"(?:#|//)\s*fglint:\s*(ignore|file-ignore)\[([^\]]*)\]")
UNUSED_CODE = "FG002"


@dataclass(eq=False)
class Directive:
    span: Span
    codes: list[str]
    whole_file: bool
    lines: tuple[int, ...]
    used: set[str] = field(default_factory=set)


class Suppressions:
    def __init__(self, project: Project) -> None:
        self.by_path: dict[str, list[Directive]] = {}
        for file in project.files:
            if file.kind != "json" and "fglint:" in file.text:
                self.by_path[file.path] = list(_scan(file.path, file.text))

    def suppressed(self, code: str, span: Span) -> bool:
        hit = False
        for directive in self.by_path.get(span.path, ()):
            if code in directive.codes and (directive.whole_file or span.line in directive.lines):
                directive.used.add(code)
                hit = True
        return hit

    def unused_findings(self, config: Config, selected: list[LoadedRule]) -> list[Finding]:
        from .engine import Finding, all_rules

        known = {rule.code for rule in all_rules()}
        running = {rule.code for rule in selected}
        if UNUSED_CODE not in running:
            return []
        severity: Severity = config.severity.get(UNUSED_CODE, "warning")  # type: ignore[assignment]
        findings = []
        for directives in self.by_path.values():
            for directive in directives:
                for code in directive.codes:
                    if code not in known:
                        message = f"Suppression names an unknown rule code `{code}`"
                    elif code in running and code not in directive.used:
                        message = f"Unused suppression: no {code} finding here"
                    else:
                        continue
                    findings.append(
                        Finding(
                            UNUSED_CODE,
                            "unused-suppression",
                            severity,
                            message,
                            directive.span,
                        )
                    )
        return findings


def _scan(path: str, text: str) -> list[Directive]:
    directives = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = DIRECTIVE.search(line)
        if not match:
            continue
        codes = [c.strip().upper() for c in match.group(2).split(",") if c.strip()]
        alone = line[: match.start()].strip() == ""
        lines = (number, number + 1) if alone else (number,)
        span = Span(path, number, match.start() + 1, number, match.end() + 1)
        directives.append(Directive(span, codes, match.group(1) == "file-ignore", lines))
    return directives

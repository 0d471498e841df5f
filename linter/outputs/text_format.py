"""The default, human report: `path:line:col: CODE [severity] message`, with source and carets."""

from __future__ import annotations

import os
import re
import sys
from collections import Counter

from fglint.aws.facts import SEVERITIES
from fglint.engine.report import Finding, Report

# Control characters, line and paragraph separators, and lone surrogates (an undecodable byte
# in a file name): a file name or a message is never allowed to start a line of its own, move the
# cursor, or fail to encode.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def escape(text: str) -> str:
    """`text` on one line with its unsafe characters as Python escapes (`\\n`, `\\udcff`)."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _visible(line: str) -> str:
    """A source line with unsafe characters shown as U+FFFD, one for one, so carets still line
    up under the columns."""
    return _UNSAFE.sub("\ufffd", line)


COLOURS = {"error": "31", "warning": "33", "note": "36", "dim": "2", "bold": "1"}


def _paint(text: str, colour: str, on: bool) -> str:
    return f"\033[{COLOURS[colour]}m{text}\033[0m" if on else text


COLOR = ("auto", "always", "never")


def use_colour(to_terminal: bool, choice: str = "auto") -> bool:
    """`--color`: `always` and `never` decide; `auto` colours a terminal, unless `NO_COLOR` is
    set (no-color.org), or anything when `FORCE_COLOR` or `CLICOLOR_FORCE` is (force-color.org;
    `CLICOLOR_FORCE=0` does not). An empty variable counts as unset."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR") or os.environ.get("CLICOLOR_FORCE") not in (None, "", "0"):
        return True
    return to_terminal and sys.stdout.isatty()


def source_excerpt(finding: Finding, report: Report, colour: bool) -> list[str]:
    file = report.file(finding.span.path)
    if file is None:
        return []
    span = finding.span
    line = _visible(file.line(span.line).expandtabs(1))
    if not line.strip():
        return []
    end = span.end_col if span.end_line == span.line else len(line) + 1
    width = max(1, min(end, len(line) + 1) - span.col)
    gutter = f"{span.line:>4} | "
    carets = " " * (len(gutter) - 2) + "| " + " " * (span.col - 1) + "^" * width
    return [_paint(gutter, "dim", colour) + line, _paint(carets, finding.severity, colour)]


def render_one(finding: Finding, report: Report, show_source: bool, colour: bool) -> str:
    head = (
        f"{_paint(escape(str(finding.span)), 'bold', colour)}: {finding.code} "
        f"{_paint('[' + finding.severity + ']', finding.severity, colour)} "
        f"{escape(finding.message)}"
    )
    lines = [head]
    if show_source:
        lines += source_excerpt(finding, report, colour)
    for span, message in finding.related:
        lines.append(f"  = related: {escape(str(span))}: {escape(message)}")
    if finding.construct:
        lines.append(f"  = construct: {escape(finding.construct)}")
    ran = report.rule(finding.code)
    if show_source and ran is not None:
        lines.append(f"  = help: {ran.rule.meta.summary}")
    return "\n".join(lines)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def footer(findings: tuple[Finding, ...], files: int, hidden: int = 0) -> str:
    linted = plural(files, "file")
    baseline = f"{plural(hidden, 'finding')} hidden by the baseline" if hidden else ""
    if not findings:
        return f"No findings in {linted}{f' ({baseline})' if baseline else ''}.\n"
    counts = Counter(f.severity for f in findings)
    parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}" for s in SEVERITIES if counts[s]]
    first = findings[0].code
    return (
        f"Found {plural(len(findings), 'finding')} in {linted} "
        f"({', '.join(parts)}).{f' {baseline}.' if baseline else ''} "
        f"Run `fglint explain {first}` for what a rule checks and why."
        f"{fixable(findings)}\n"
    )


def fixable(findings: tuple[Finding, ...]) -> str:
    """How many findings `--fix` (and `--unsafe-fixes`) would resolve, when any."""
    safe = sum(1 for f in findings if f.fix is not None and f.fix.safe)
    unsafe = sum(1 for f in findings if f.fix is not None and not f.fix.safe)
    if not safe and not unsafe:
        return ""
    more = f" ({unsafe} more with `--fix --unsafe-fixes`)" if unsafe else ""
    if not safe:
        return f" {plural(unsafe, 'finding')} fixable with `fglint check --fix --unsafe-fixes`."
    return f" {plural(safe, 'finding')} fixable with `fglint check --fix`{more}."


def render(report: Report, *, to_terminal: bool = False, show_source: bool | None = None) -> str:
    return render_coloured(report, "auto", to_terminal=to_terminal, show_source=show_source)


def render_coloured(
    report: Report, colour: str, *, to_terminal: bool = False, show_source: bool | None = None
) -> str:
    """`render` with a `--color` choice (auto, always, never)."""
    findings = report.findings
    painted = use_colour(to_terminal, colour)
    show = show_source if show_source is not None else (to_terminal and sys.stdout.isatty())
    blocks = [render_one(f, report, show, painted) for f in findings]
    separator = "\n\n" if show else "\n"
    body = separator.join(blocks) + ("\n\n" if blocks and show else "\n" if blocks else "")
    return body + footer(findings, len(report.linted), report.hidden)

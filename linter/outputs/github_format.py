"""GitHub Actions workflow commands: one `::error file=...,line=...::message` line per finding.

Escaping follows the Actions toolkit (`@actions/core` command.ts): the message escapes `%`, CR and
LF; property values also escape `:` and `,`.
"""

from __future__ import annotations

from fglint.engine.report import Finding, Report
from fglint.outputs.text_format import escape

COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(text: str) -> str:
    return escape(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    span = finding.span
    properties = {
        "file": span.path,
        "line": span.line,
        "col": span.col,
        "endLine": span.end_line,
        "endColumn": span.end_col,
        "title": f"{finding.code} {finding.name}",
    }
    fields = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{COMMANDS[finding.severity]} {fields}::{escape_data(finding.message)}"


def render(report: Report, *, to_terminal: bool = False, show_source: bool | None = None) -> str:
    return "".join(annotation(finding) + "\n" for finding in report.findings)

"""The JSON report: a public interface, keep it stable."""

from __future__ import annotations

import json
from collections import Counter

from fglint import __version__
from fglint.engine.report import Finding, Report


def finding_dict(finding: Finding) -> dict[str, object]:
    span = finding.span
    found: dict[str, object] = {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity,
        "message": finding.message,
        "path": span.path,
        "line": span.line,
        "column": span.col,
        "end_line": span.end_line,
        "end_column": span.end_col,
        "related": [
            {
                "path": r.path,
                "line": r.line,
                "column": r.col,
                "end_line": r.end_line,
                "end_column": r.end_col,
                "message": message,
            }
            for r, message in finding.related
        ],
    }
    if finding.construct:  # CDK output: the construct that made the resource
        found["construct"] = finding.construct
    return found


def render(report: Report, *, to_terminal: bool = False, show_source: bool | None = None) -> str:
    findings = report.findings
    counts = Counter(f.severity for f in findings)
    document = {
        "version": __version__,
        "findings": [finding_dict(f) for f in findings],
        "summary": {
            "files": len(report.linted),
            "findings": len(findings),
            "error": counts["error"],
            "warning": counts["warning"],
            "note": counts["note"],
            "hidden_by_baseline": report.hidden,
        },
    }
    return json.dumps(document, indent=2) + "\n"

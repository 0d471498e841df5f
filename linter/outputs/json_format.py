"""The JSON report: a public interface, keep it stable."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from fglint import __version__
from fglint.engine.run import Finding


def finding_dict(finding: Finding) -> dict[str, Any]:
    span = finding.span
    return {
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


def render(findings: list[Finding], project: Any, config: Any, to_terminal: bool = False) -> str:
    counts = Counter(f.severity for f in findings)
    report = {
        "version": __version__,
        "findings": [finding_dict(f) for f in findings],
        "summary": {
            "files": sum(1 for f in project.files if f.report),
            "findings": len(findings),
            "error": counts["error"],
            "warning": counts["warning"],
            "note": counts["note"],
        },
    }
    return json.dumps(report, indent=2) + "\n"

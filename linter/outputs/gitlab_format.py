"""GitLab Code Quality report (`artifacts: reports: codequality`): a JSON array of issues, each
with `description`, `check_name`, `fingerprint`, `severity` and `location.path` /
`location.lines.begin`, as GitLab's Code Quality documentation lists them."""

from __future__ import annotations

import json

from fglint.engine.report import Report, finding_fingerprints

SEVERITY = {"error": "major", "warning": "minor", "note": "info"}


def render(report: Report, *, to_terminal: bool = False, show_source: bool | None = None) -> str:
    issues = [
        {
            "description": finding.message,
            "check_name": finding.code,
            "fingerprint": fingerprint,
            "severity": SEVERITY[finding.severity],
            "location": {"path": finding.span.path, "lines": {"begin": finding.span.line}},
        }
        for finding, fingerprint in zip(report.findings, finding_fingerprints(report), strict=True)
    ]
    return json.dumps(issues, indent=2) + "\n"

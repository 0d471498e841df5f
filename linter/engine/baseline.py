"""A baseline: the findings a team has accepted for now, so that only new ones are reported.

`--write-baseline FILE` writes the current findings; `--baseline FILE` (or `baseline = "path"`
in the settings) hides those it holds. A finding is matched by its `fglint/v1` fingerprint
(`report.finding_fingerprints`: rule, file, message and the flagged line's text, not the line
number), so it survives lines moving; identical findings are matched by count, so a third copy
of a finding the baseline holds twice is reported. The file is JSON, sorted, with a version:
`{"version": 1, "findings": [{"fingerprint", "code", "path", "message"}]}`.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace

from fglint.engine.report import Report, finding_fingerprints

VERSION = 1


class BaselineError(Exception):
    """A baseline that cannot be read or is not one: a usage error."""


def _digest(fingerprint: str) -> str:
    """The fingerprint without the counter that tells identical findings apart."""
    return fingerprint.rpartition(":")[0] or fingerprint


def read(path: str) -> Counter[str]:
    """How many findings of each fingerprint the baseline at `path` holds."""
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except OSError as error:
        raise BaselineError(f"cannot read {path}: {error.strerror or error}") from None
    except (UnicodeDecodeError, ValueError) as error:
        raise BaselineError(f"{path} is not a baseline (invalid JSON: {error})") from None
    findings = document.get("findings") if isinstance(document, dict) else None
    if not isinstance(findings, list) or "version" not in document:
        raise BaselineError(
            f"{path} is not a baseline (`fglint check --write-baseline` writes one)"
        )
    if document["version"] != VERSION:
        raise BaselineError(f"{path}: baseline version {document['version']!r}, expected {VERSION}")
    prints = [entry.get("fingerprint") if isinstance(entry, dict) else None for entry in findings]
    if not all(isinstance(found, str) for found in prints):
        raise BaselineError(f"{path}: every finding of a baseline needs a `fingerprint` string")
    return Counter(_digest(found) for found in prints if isinstance(found, str))


def hide(report: Report, known: Counter[str]) -> Report:
    """The report without the findings the baseline holds, with their number in `hidden`."""
    left = Counter(known)
    kept = []
    for finding, fingerprint in zip(report.findings, finding_fingerprints(report), strict=True):
        digest = _digest(fingerprint)
        if left[digest] > 0:
            left[digest] -= 1
        else:
            kept.append(finding)
    hidden = report.hidden + len(report.findings) - len(kept)
    return replace(report, findings=tuple(kept), hidden=hidden)


def dump(report: Report) -> str:
    """The baseline of every finding of the report: the same findings give the same bytes."""
    entries = [
        {"fingerprint": fingerprint, "code": f.code, "path": f.span.path, "message": f.message}
        for f, fingerprint in zip(report.findings, finding_fingerprints(report), strict=True)
    ]
    entries.sort(key=lambda e: (e["path"], e["code"], e["message"], e["fingerprint"]))
    return json.dumps({"version": VERSION, "findings": entries}, indent=2) + "\n"

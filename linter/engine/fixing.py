"""Applying fixes: choose the fixes a run may apply, merge them per file, skip conflicts, write.

Fixes of several rules in one file are merged; a fix whose edits overlap an edit already chosen
is skipped (and tried again on the next pass, after the file is linted again). Nothing is
written to a file outside the scanned roots, through a symlink, or loaded only for context.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fglint.engine.report import Finding, Report
from fglint.fix import Edit, Fix
from fglint.model import Project, SourceFile

MAX_PASSES = 8


@dataclass
class Plan:
    """The new text of each file a pass changes, and what it did."""

    texts: dict[str, str] = field(default_factory=dict)  # display path -> new text
    applied: list[Finding] = field(default_factory=list)
    conflicts: list[Finding] = field(default_factory=list)
    refused: list[Finding] = field(default_factory=list)  # file may not be written


def usable(fix: Fix | None, unsafe: bool) -> bool:
    return fix is not None and (fix.safe or unsafe)


def writable(file: SourceFile, roots: list[str]) -> bool:
    """A file the run linted, inside a scanned root, reached through no symlink."""
    if not file.report:
        return False
    path = Path(file.abspath)
    resolved = path.resolve()
    inside = [Path(root) for root in roots if resolved.is_relative_to(root)]
    if not inside:
        return False
    current = path
    while current != current.parent:
        if os.path.islink(current):
            return False
        if any(current == root for root in inside):
            return True
        current = current.parent
    return True


def overlaps(a: Edit, b: Edit) -> bool:
    return a.start == b.start or (a.start < b.end and b.start < a.end)


def plan(findings: list[Finding], project: Project, unsafe: bool) -> Plan:
    files = {file.path: file for file in project.files}
    result = Plan()
    chosen: dict[str, list[Edit]] = {}
    for finding in findings:
        fix = finding.fix
        if fix is None or not usable(fix, unsafe):
            continue
        targets = {edit.path for edit in fix.edits}
        if any(path not in files or not writable(files[path], project.roots) for path in targets):
            result.refused.append(finding)
            continue
        fresh = [edit for edit in fix.edits if edit not in chosen.get(edit.path, [])]
        if any(overlaps(edit, other) for edit in fresh for other in chosen.get(edit.path, [])):
            result.conflicts.append(finding)
            continue
        for edit in fresh:  # an edit another fix makes already (one comment, two codes) is one
            chosen.setdefault(edit.path, []).append(edit)
        result.applied.append(finding)
    for path, edits in chosen.items():
        result.texts[path] = apply(files[path].text, edits)
    return result


def apply(text: str, edits: list[Edit]) -> str:
    """The text with non-overlapping edits applied (last first, so offsets stay valid)."""
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text


def unified_diff(path: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        f"a/{path}",
        f"b/{path}",
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


@dataclass
class Outcome:
    fixed: int = 0
    found: int = 0  # findings before any fix
    conflicts: list[Finding] = field(default_factory=list)
    changed: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (before, after)


def fix_files(
    lint: Callable[[], tuple[Project, Report]], unsafe: bool, write: bool
) -> tuple[Outcome, Project, Report]:
    """Lint, apply the usable fixes, and lint again until nothing more applies. Without `write`,
    one pass: the changes it would make are returned, and no file is touched."""
    outcome = Outcome()
    project, report = lint()
    outcome.found = len(report.findings)
    for _ in range(MAX_PASSES):
        step = plan(list(report.findings), project, unsafe)
        outcome.conflicts = step.conflicts
        if not step.texts:
            break
        files = {file.path: file for file in project.files}
        for path, text in step.texts.items():
            before = outcome.changed.get(path, (files[path].text, ""))[0]
            outcome.changed[path] = (before, text)
            if write:
                write_text(files[path], text)
        outcome.fixed += len(step.applied)
        if not write:
            break
        project, report = lint()
    return outcome, project, report


def write_text(file: SourceFile, text: str) -> None:
    """Write as read: UTF-8, the byte-order mark kept when the file had one."""
    path = Path(file.abspath)
    bom = path.read_bytes().startswith(b"\xef\xbb\xbf")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))

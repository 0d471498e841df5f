"""`fglint check --add-suppressions`: a `# fglint: ignore[CODE]` comment for each current finding
(ruff's `--add-noqa`), so a team can adopt fglint on a large repository today.

The comment goes at the end of the finding's line, or alone on the line above where a line
cannot end in a comment (a Dockerfile instruction); codes join a directive the line already has.
Each placement is checked with the same comment scanner the suppressions use, and the file must
still parse: a finding inside a heredoc, a block scalar or a string is left alone and counted.
JSON has no comments: its findings are left to `per-file-ignores`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from fglint.engine.report import Finding
from fglint.engine.suppress import DIRECTIVE, directives
from fglint.model import LINE_BREAK, Project, SourceFile

COMMENTED = ("terraform", "cloudformation", "dockerfile")
# A file that does not parse takes no comment safely; an unused suppression is removed (--fix).
NOT_SUPPRESSED = {"FG001", "FG002"}


@dataclass
class Added:
    texts: dict[str, str] = field(default_factory=dict)  # path -> new text
    added: int = 0  # findings now suppressed
    left: list[Finding] = field(default_factory=list)  # findings no comment can suppress


def has_comments(file: SourceFile) -> bool:
    return file.kind in COMMENTED and not file.text.lstrip().startswith("{")


def add_suppressions(
    findings: list[Finding], project: Project, writable: Callable[[SourceFile], bool]
) -> Added:
    """New texts with a suppression for every finding that can take one. `writable(file)` says
    which files may be changed."""
    files = {file.path: file for file in project.files}
    result = Added()
    by_file: dict[str, dict[int, set[str]]] = {}
    for finding in findings:
        file = files.get(finding.span.path)
        skip = finding.code in NOT_SUPPRESSED
        if skip or file is None or not has_comments(file) or not writable(file):
            result.left.append(finding)
            continue
        by_file.setdefault(file.path, {}).setdefault(finding.span.line, set()).add(finding.code)
    for path, lines in by_file.items():
        file = files[path]
        text = file.text
        for line in sorted(lines, reverse=True):  # bottom up: lines above keep their numbers
            codes = sorted(lines[line])
            placed = _place(file, text, line, codes)
            if placed is None:
                result.left += [f for f in findings if f.span.path == path and f.span.line == line]
                continue
            text = placed
            result.added += sum(1 for f in findings if f.span.path == path and f.span.line == line)
        if text != file.text and same_values(file, file.text, text):
            result.texts[path] = text
        elif text != file.text:  # a comment changed what the file says: leave it as it was
            result.added -= sum(1 for f in findings if f.span.path == path)
            result.left += [f for f in findings if f.span.path == path]
    return result


def _place(file: SourceFile, text: str, line: int, codes: list[str]) -> str | None:
    lines = LINE_BREAK.split(text)
    if not 0 < line <= len(lines):
        return None
    breaks = [m.group() for m in LINE_BREAK.finditer(text)]
    current = lines[line - 1]
    tag = ",".join(codes)
    existing = DIRECTIVE.search(current)
    candidates: list[tuple[list[str], int]] = []
    if existing and existing.group(1) == "ignore":
        inside = [c.strip() for c in existing.group(2).split(",") if c.strip()]
        merged = ",".join(inside + [c for c in codes if c not in inside])
        joined = current[: existing.start(2)] + merged + current[existing.end(2) :]
        candidates.append(([*lines[: line - 1], joined, *lines[line:]], line))
    marker = "#"
    candidates.append(
        ([*lines[: line - 1], f"{current}  {marker} fglint: ignore[{tag}]", *lines[line:]], line)
    )
    indent = re.match(r"[ \t]*", current).group()  # type: ignore[union-attr]
    above = f"{indent}{marker} fglint: ignore[{tag}]"
    candidates.append(([*lines[: line - 1], above, current, *lines[line:]], line + 1))
    for new_lines, covered in candidates:
        newline = breaks[0] if breaks else "\n"
        out = _join(new_lines, breaks, newline, inserted=len(new_lines) > len(lines), at=line)
        if _covers(file, out, covered, codes):
            return out
    return None


def _join(lines: list[str], breaks: list[str], newline: str, inserted: bool, at: int) -> str:
    """The lines joined with the file's own line breaks (an inserted line takes its neighbour's)."""
    if inserted:
        breaks = [
            *breaks[: at - 1],
            breaks[at - 1] if at - 1 < len(breaks) else newline,
            *breaks[at - 1 :],
        ]
    out = []
    for index, text in enumerate(lines):
        out.append(text)
        if index < len(breaks):
            out.append(breaks[index])
    return "".join(out)


def _covers(file: SourceFile, text: str, line: int, codes: list[str]) -> bool:
    probe = SourceFile(file.path, file.abspath, text, file.kind)
    for directive in directives(probe):
        if line in directive.lines and all(code in directive.codes for code in codes):
            return True
    return False


def same_values(file: SourceFile, before: str, after: str) -> bool:
    """The comments changed nothing but comments: the file parses to the same values."""
    return _values(file, after) == _values(file, before) is not None


def _values(file: SourceFile, text: str) -> object:
    try:
        if file.kind == "terraform":
            from fglint.frontends.terraform.parse import parse

            return _without_comments(parse(text))
        if file.kind == "cloudformation":
            from fglint.frontends.cloudformation.yaml_parse import parse_yaml

            return [node.to_python() for node in parse_yaml(text, file.path)[0]]
        return [m for m in LINE_BREAK.split(text) if m.strip() and not m.lstrip().startswith("#")]
    except Exception:  # a syntax error: the file is not what it was
        return None


def _without_comments(tree: object) -> object:
    """An HCL parse tree as nested tuples, without its line breaks and comments."""
    children = getattr(tree, "children", None)
    if children is None:
        return str(tree) if getattr(tree, "type", "") != "NL_OR_COMMENT" else None
    data = getattr(tree, "data", None)
    if data == "new_line_or_comment":
        return None
    kept = [_without_comments(child) for child in children]
    return (data, tuple(child for child in kept if child is not None))

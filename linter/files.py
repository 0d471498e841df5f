"""Reading input files: the one function every front-end, `file()`, `templatefile()`, tfvars
and module loading go through, so that limits, confinement and decoding errors are handled once."""

from __future__ import annotations

from pathlib import Path

from fglint.model import Project, SourceFile, parse_problem
from fglint.nodes import Span


def display_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def read(path: Path, project: Project, report: bool = True) -> SourceFile | None:
    """Read one file as UTF-8 (with or without BOM). An unreadable file is an FG001 problem."""
    shown = display_path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "it is not valid UTF-8"
        project.files.append(SourceFile(shown, str(path), "", report=report))
        project.problems.append(parse_problem(Span(shown, 1, 1, 1, 1), f"Cannot read: {reason}"))
        return None
    file = SourceFile(shown, str(path), text, report=report)
    project.files.append(file)
    return file

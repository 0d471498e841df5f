"""Reading input files: the one function every front-end, `file()`, `templatefile()`, tfvars
and module loading go through, so that limits, confinement and decoding errors are handled once.

Standard input is a file too: its bytes stand for the path it is given as (`project.buffers`).
A file is read only when its real path (symlinks resolved) is inside one of the project's scanned
roots, only when it is a regular file (never a FIFO, a device or a socket, which could block or
never end), and only up to the size limit. Whatever stops a read is an FG001 finding at the file.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Literal

from fglint.model import PARSE_ERROR, Problem, Project, SourceFile
from fglint.nodes import Span

Level = Literal["error", "warning", "note"]
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_KINDS = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a directory",
}


class Refused(Exception):
    """A file that is not read, and why; `level` is the severity of the FG001 finding."""

    def __init__(self, reason: str, level: Level = "error", span: Span | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.level = level
        self.span = span


def display_path(path: Path | str, base: str = "") -> str:
    """The path as the user knows it: relative to the project root `base` (default: the working
    directory) when under it (the link's name, not its target), with forward slashes; absolute
    otherwise."""
    here = Path(base) if base else Path.cwd()
    for candidate in (Path(os.path.abspath(path)), Path(os.path.realpath(path))):
        if candidate.is_relative_to(here):
            return candidate.relative_to(here).as_posix()
    return Path(os.path.abspath(path)).as_posix()


def real(path: Path | str) -> Path | None:
    """The real path of `path` (symlinks resolved); None when no file system can hold it (a NUL
    byte in it, as a path written in a file may have). Test what a path names with os.path
    (isfile, isdir, exists), never with pathlib's methods, which raise on such a path or on one
    too long for the system (OSError ENAMETOOLONG) instead of answering False."""
    try:
        return Path(os.path.realpath(path))
    except ValueError:
        return None


def inside(path: Path | str, project: Project) -> Path | None:
    """The real path of `path` when it is inside one of the project's scanned roots, else None.
    A project without roots (built by hand, not by `load`) confines nothing."""
    found = real(path)
    if found is None:
        return None
    if not project.roots or any(found.is_relative_to(root) for root in project.roots):
        return found
    return None


def read(
    path: Path | str,
    project: Project,
    report: bool = True,
    *,
    kind: str = "",
    included_from: Span | None = None,
    quiet: bool = False,
) -> SourceFile | None:
    """Read one file as UTF-8 (with or without BOM) and add it to the project. A file already
    read is returned as it is (and reported from now on when `report`). A file that cannot or
    may not be read is None, with an FG001 finding at it unless `quiet` (a `file()` argument
    that points outside the root is simply unknown)."""
    path = Path(path)
    seen = project.file_at(str(path))
    if seen is not None:
        used(seen, project)
        seen.report = seen.report or report
        return None if seen.failed else seen
    shown = display_path(path, project.base)
    try:
        text = _text(path, project)
    except Refused as refused:
        if quiet:
            return None
        file = SourceFile(shown, str(path), "", kind=kind, report=report, failed=True)
        project.files.append(file)
        at = refused.span or Span("", 1, 1, 1, 1)
        span = Span(shown, at.line, at.col, at.end_line, at.end_col)
        problem = Problem(PARSE_ERROR, span, f"Not read: {refused.reason}", severity=refused.level)
        project.problems.append(problem)
        return None
    file = SourceFile(shown, str(path), text, kind=kind, report=report)
    file.included_from = included_from
    project.files.append(file)
    return file


def used(file: SourceFile, project: Project) -> None:
    """Note that loading used `file`, read earlier, as it is now (before any change to it)."""
    if project.trace is not None:
        project.trace.append(("file", file.abspath, state(file)))


def state(file: SourceFile) -> str:
    """What of a file loading may depend on or change, besides its text: `report` and `kind`
    first (a saved result may set them again), then what it may not change."""
    return f"{file.report} {file.kind} {file.failed} {file.included_from}"


def note(project: Project, kind: str, path: str, value: str) -> None:
    """Note something else loading depended on (see `Project.trace`)."""
    if project.trace is not None:
        project.trace.append((kind, path, value))


def depend(path: Path | str, project: Project) -> None:
    """Note that loading depends on the file at `path`, read by other means or absent."""
    if project.trace is not None:
        project.trace.append(("file", str(path), ""))
        project.fingerprints.setdefault(str(path), fingerprint(path, project))


def look(folder: Path | str, project: Project) -> None:
    """Note that loading depends on what `folder` holds (it was listed, or a name probed in it):
    the nearest folder that exists, when it does not."""
    if project.trace is not None:
        here = Path(folder)
        while not os.path.isdir(here) and here.parent != here:
            here = here.parent
        project.trace.append(("folder", str(here), ""))
        project.fingerprints.setdefault(f"folder {here}", listing(here, project))


def fingerprint(path: Path | str, project: Project) -> str:
    """What a read of `path` finds: the SHA-256 of its bytes, or why it is not read."""
    try:
        return "sha256:" + hashlib.sha256(_data(Path(path), project)).hexdigest()
    except Refused as refused:
        return f"refused: {refused.reason}"


def listing(folder: Path | str, project: Project) -> str:
    """What a folder holds, by name and kind (a symbolic link with its target); never listed
    when it is outside the scanned roots."""
    if inside(folder, project) is None:
        return "outside"
    try:
        with os.scandir(folder) as found:
            kinds = sorted(f"{entry.name}\0{_kind(entry)}" for entry in found)
    except OSError as error:
        return f"unlisted: {error.errno}"
    return hashlib.sha256("\n".join(kinds).encode("utf-8", "surrogateescape")).hexdigest()


def _kind(entry: os.DirEntry[str]) -> str:
    if os.path.islink(entry.path):
        return "link " + os.readlink(entry.path)
    return "folder" if os.path.isdir(entry.path) else "file"


def _data(path: Path, project: Project) -> bytes:
    real = inside(path, project)
    if real is None:
        raise Refused("its real path is outside the scanned folder", "note")
    given = project.buffers.get(os.path.abspath(path))
    data = _bytes(real, project.limits.file_size) if given is None else given
    if len(data) > project.limits.file_size:
        raise Refused(_too_big(project.limits.file_size))
    return data


def _text(path: Path, project: Project) -> str:
    try:
        data = _data(path, project)
    except Refused as refused:
        if project.trace is not None:
            project.trace.append(("file", str(path), ""))
            project.fingerprints.setdefault(str(path), f"refused: {refused.reason}")
        raise
    if project.trace is not None:
        project.trace.append(("file", str(path), ""))
        project.fingerprints.setdefault(str(path), "sha256:" + hashlib.sha256(data).hexdigest())
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        start = data.rfind(b"\n", 0, error.start) + 1
        col = len(data[start : error.start].decode("utf-8", "replace")) + 1
        byte = data[error.start]
        where = Span("", line, col, line, col + 1)
        raise Refused(f"it is not valid UTF-8 (byte 0x{byte:02x})", span=where) from None


def _bytes(real: Path, limit: int) -> bytes:
    """The file's bytes: stat before open (a FIFO or a device is never opened), then open
    without blocking and check again what was opened (it may have been swapped)."""
    try:
        before = os.stat(real)
        _regular(before.st_mode, before.st_size, limit)
        handle = os.open(real, _FLAGS | getattr(os, "O_NOFOLLOW", 0))
    except OSError as error:
        raise Refused(_os_reason(error)) from None
    try:
        after = os.fstat(handle)
        _regular(after.st_mode, after.st_size, limit)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(handle, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise Refused(_os_reason(error)) from None
    finally:
        os.close(handle)
    if size > limit:
        raise Refused(_too_big(limit))
    return b"".join(chunks)


def _regular(mode: int, size: int, limit: int) -> None:
    if not stat.S_ISREG(mode):
        what = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
        raise Refused(f"it is {what}, not a regular file", "note")
    if size > limit:
        raise Refused(_too_big(limit))


def _too_big(limit: int) -> str:
    return (
        f"it is larger than the file size limit ({limit:,} bytes; "
        "`[limits] file-size` in the settings changes it)"
    )


def _os_reason(error: OSError) -> str:
    import errno

    if error.errno == errno.ELOOP:
        return "it is a symbolic link that leads to itself (a symlink loop)"
    return f"{error.strerror or error}".rstrip(".").lower() if error.strerror else str(error)

"""Entry-point scripts: the files of the scanned tree that a Dockerfile's final stage copies in
and runs from ENTRYPOINT or CMD (`ENTRYPOINT ["/docker-entrypoint.sh"]`, `CMD ["sh",
"start.sh"]`), read through the one confined reader and attached to the image, so that FG302
judges a script from the model alone.

An exec-form argument names a script when it is the program (the first argument) or the file a
shell runs (`sh /entrypoint.sh`, not `sh -c`). Its path in the image is resolved as the
container runtime resolves it: against the image's final WORKDIR, or through PATH for a bare name.
The last COPY or ADD of the final stage (followed through `FROM <stage>`) that writes that path
gives the source, read relative to the build context: the Dockerfile's folder (the usual
context) when every source the file copies is there, else the one folder above it, inside the
scanned root, that holds them all. Any doubt leaves the argument without a script: a `COPY
--from` (a file of another stage, not of the tree), a variable, a URL, an archive, a wildcard
that may match a folder, a later RUN that may rewrite the file, a context that is not known.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator
from fnmatch import fnmatchcase
from pathlib import Path

from fglint.aws.facts import SHELLS
from fglint.files import inside, read
from fglint.model import DockerImage, DockerInstruction, EntryScript, Project
from fglint.nodes import ListNode, Node, UnknownNode, as_str

DEFAULT_PATH = ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")
# A COPY, ADD or RUN that may write a path from what is not known (no path holds a NUL).
UNKNOWN = "\0unknown"
_COPIES = ("COPY", "ADD")
_GLOB = re.compile(r"[*?\[]")
_ARCHIVE = re.compile(r"\.(?:tar|tgz|tbz2?|txz|tar\.\w+)$")
# Programs a RUN applies to an entry-point script without changing what it runs.
_HARMLESS = {"chmod", "chown", "chgrp", "dos2unix", "ls", "stat", "test", "[", "file", "cat"}

Writer = tuple[DockerInstruction, str] | str | None  # (COPY, source in the context), UNKNOWN


def attach_scripts(project: Project) -> None:
    """Give each Dockerfile image the scripts of the tree its ENTRYPOINT and CMD name."""
    for image in project.of(DockerImage):
        if image.final is not None and not image.scripts:
            image.scripts = list(_scripts(image, project))


def _scripts(image: DockerImage, project: Project) -> Iterator[EntryScript]:
    assert image.final is not None
    steps = [step for stage in reversed(image.final.chain()) for step in stage.instructions]
    workdirs, final = _workdirs(steps)
    context: list[Path | None] = []  # found on first use
    for step in steps:
        if step.keyword not in ("ENTRYPOINT", "CMD") or not isinstance(step.args, ListNode):
            continue
        for node, program in _named(step.args):
            if not context:
                context.append(_context(image, project))
            if context[0] is None:
                return
            word = as_str(node) or ""
            found = _source(word, program, final, steps, workdirs, context[0])
            if found is None:
                continue
            path, copy, source = found
            file = read(context[0] / source, project, report=False, kind="shell", quiet=True)
            if file is not None:
                yield EntryScript(node, path, copy, file)


def _named(args: ListNode) -> list[tuple[Node, bool]]:
    """The argument that may name a script: the program (True), or the file a shell runs."""
    texts = [as_str(item) for item in args.items]
    if not texts or texts[0] is None:
        return []
    if posixpath.basename(texts[0]) not in SHELLS:
        return [(args.items[0], True)]
    for index, text in enumerate(texts[1:], 1):
        if text is None:
            return []
        if not text.startswith(("-", "+")):
            return [(args.items[index], False)]
        if "c" in text or text in ("-o", "+o", "-O", "+O"):
            return []  # `sh -c`: a command string, not a file; `-o name`
    return []


def _workdirs(steps: list[DockerInstruction]) -> tuple[dict[int, str | None], str | None]:
    """The WORKDIR in force at each step (by id), and at the end. Relative to the base image's
    (unknown) working directory until a WORKDIR makes it absolute; None after a variable."""
    workdir: str | None = "."
    before: dict[int, str | None] = {}
    for step in steps:
        before[id(step)] = workdir
        if step.keyword == "WORKDIR":
            text = as_str(step.args)
            workdir = None if text is None or "$" in text else _resolve(text, workdir)
    return before, workdir


def _resolve(path: str, workdir: str | None) -> str | None:
    if path.startswith("/"):
        return posixpath.normpath(path)
    return None if workdir is None else posixpath.normpath(posixpath.join(workdir, path))


def _source(
    word: str,
    program: bool,
    workdir: str | None,
    steps: list[DockerInstruction],
    workdirs: dict[int, str | None],
    context: Path,
) -> tuple[str, DockerInstruction, str] | None:
    """(path in the image, the COPY that writes it, its source in the context) for `word`: a
    file a shell runs is found in the working directory first; a program named without a `/`
    only on PATH, at the first folder a COPY writes it in."""
    if not word or "$" in word:
        return None
    path = _resolve(word, workdir)
    places = [path] if path and ("/" in word or not program) else []
    if "/" not in word:
        places += [posixpath.join(folder, word) for folder in _path(steps)]
    for path in places:
        writer = _writer(path, steps, workdirs, context)
        if isinstance(writer, tuple):
            return path, *writer
        if writer == UNKNOWN:
            return None
    return None


def _path(steps: list[DockerInstruction]) -> list[str]:
    """The folders of PATH: the last `ENV PATH=...` (its literal folders, `$PATH` as Docker's
    default), else the default."""
    folders = list(DEFAULT_PATH)
    for step in steps:
        for name, value in step.variables if step.keyword == "ENV" else []:
            if as_str(name) != "PATH" or value is None:
                continue
            text = value.text if isinstance(value, UnknownNode) else as_str(value) or ""
            folders = []
            for part in re.sub(r"[\"']", "", text).split(":"):  # ENV PATH="/app:$PATH"
                if part in ("$PATH", "${PATH}"):
                    folders += DEFAULT_PATH
                elif part.startswith("/") and "$" not in part:
                    folders.append(posixpath.normpath(part))
    return folders


def _writer(
    path: str, steps: list[DockerInstruction], workdirs: dict[int, str | None], context: Path
) -> Writer:
    """The last COPY or ADD that writes `path`, with its source; UNKNOWN when something that
    cannot be followed may write it last; None when nothing does."""
    found: Writer = None
    for step in steps:
        if step.keyword in _COPIES:
            wrote = _writes(step, path, workdirs.get(id(step)), context)
            found = wrote if wrote is not None else found
        elif step.keyword == "RUN" and found is not None and _may_change(step, path):
            found = UNKNOWN
    return found


def _writes(step: DockerInstruction, path: str, workdir: str | None, context: Path) -> Writer:
    texts = [as_str(item) for item in step.args.items] if isinstance(step.args, ListNode) else []
    if len(texts) < 2:
        return None
    *sources, dest = texts
    target = _resolve(dest, workdir) if dest and "$" not in dest else None
    if dest is None or target is None:
        return UNKNOWN
    rest = _under(path, target, dest.endswith("/") or len(sources) > 1)
    if rest is None:
        return None
    if "from" in step.flags or "parents" in step.flags:
        return UNKNOWN  # a file of another stage or image: not in the tree
    found: str | None = None
    for source in sources:
        wrote = _copied(source, rest, context, step.keyword == "ADD")
        found = wrote if wrote is not None else found
    return found if found is None or found == UNKNOWN else (step, found)


def _under(path: str, target: str, folder: bool) -> str | None:
    """Where `path` is under the destination `target`: "" for the destination itself (a file),
    a relative path inside it (a folder), None when it is not there."""
    if path.startswith("/") != target.startswith("/"):
        return None
    if path == target:
        return None if folder else ""
    rest = posixpath.relpath(path, target)
    return None if rest.startswith("..") else rest


def _copied(source: str | None, rest: str, context: Path, add: bool) -> str | None:
    """The file of the context that `source` puts at `rest` under the destination ("" for the
    destination itself); UNKNOWN when that cannot be told; None when it puts nothing there."""
    if source is None or "$" in source or "://" in source or source.startswith(("<<", "git@")):
        return UNKNOWN
    name = posixpath.normpath(source.lstrip("/") or ".")
    if name.startswith(".."):
        return UNKNOWN
    if _GLOB.search(name):
        first = rest.split("/")[0]
        if not first:
            return UNKNOWN  # which of the files it matches
        if not fnmatchcase(first, posixpath.basename(name)):
            return None
        return posixpath.join(posixpath.dirname(name), rest) if "/" not in rest else UNKNOWN
    where = context / name
    if add and _ARCHIVE.search(name):
        return UNKNOWN  # ADD unpacks a local archive
    if os.path.isdir(where):
        return posixpath.normpath(posixpath.join(name, rest)) if rest else None
    if rest in ("", posixpath.basename(name)):
        return name
    return None


def _may_change(step: DockerInstruction, path: str) -> bool:
    """Does a RUN name the file with something other than a harmless command (chmod, chown,
    stripping carriage returns)?"""
    args = step.args
    text = " ".join(as_str(i) or "" for i in args.items) if isinstance(args, ListNode) else None
    text = text if text is not None else as_str(args) or ""
    name = posixpath.basename(path)
    for part in re.split(r"&&|\|\||[;|\n]", text):
        if name not in part:
            continue
        words = part.split()
        program = posixpath.basename(words[0]) if words else ""
        if ">" in part or not (program in _HARMLESS or (program == "sed" and "\\r" in part)):
            return True
    return False


def _context(image: DockerImage, project: Project) -> Path | None:
    """The build context: the Dockerfile's folder when it holds every literal source the file
    copies, else the only folder above it, in the scanned root, that holds them all."""
    sources = [
        posixpath.normpath(source.lstrip("/") or ".")
        for step in image.instructions()
        if step.keyword in _COPIES and "from" not in step.flags
        and isinstance(step.args, ListNode)
        for source in (as_str(item) for item in step.args.items[:-1])
        if source and not re.search(r"[$*?\[]|://|^<<|^git@", source)
    ]  # fmt: skip
    folder = Path(os.path.abspath(image.file.abspath)).parent
    above = [p for p in folder.parents if inside(p, project)] if project.roots else []
    fits = [
        place
        for place in (folder, *above)
        if all(not s.startswith("..") and os.path.exists(place / s) for s in sources)
    ]
    if folder in fits:
        return folder
    return fits[0] if len(fits) == 1 else None

"""The model cache: what loading one file added to the project, saved for the next run, so that
an unchanged file is neither parsed nor evaluated again (ruff's cache is the model).

The unit is one file the run lists that is not loaded yet, loaded with everything it reads: a
JSON, YAML or Dockerfile document alone; a `.tf` file with its folder's other files, tfvars,
the modules it calls and the files `file()` and `templatefile()` read. While the cache is on,
`fglint.files` records every file a unit uses (with the SHA-256 of the bytes read, or why it
was not read) and every folder whose listing it depended on (a glob, a probe for a file that may
be absent). After the unit, what it added to the project (files, resources, problems, skipped
files, Terraform folders built as root modules) is pickled with those fingerprints, under a key
made of the file's path and what else a load depends on (the scanned roots, the project root,
the limits, `--var-file`s) in a folder named by fglint's environment (`fglint.cache`).

An entry is used only when every file it records reads the same again and every folder lists
the same, and when none of its files is loaded yet: loading here could then differ (a module
folder an earlier file loaded is shared, not read again), so the file is loaded here instead.
For the same reason a unit that used a file loaded before it is not saved. Rules always run on
the whole project.
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fglint import cache, failure
from fglint import load as loader
from fglint.files import fingerprint, listing, state
from fglint.model import Project, SourceFile

Deps = list[tuple[str, str, str]]  # ("file" | "folder", path, fingerprint or listing digest)


def key(path: Path, project: Project) -> str:
    """What a unit's result depends on besides the files and folders it records."""
    parts = [
        str(path),
        repr(project.roots),
        project.base or os.getcwd(),
        repr(project.limits),
        repr(project.settings.get("terraform.var_files", [])),
    ]
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class Entry:
    deps: Deps
    payload: bytes  # the pickled lists, read only when the entry is used


def start(project: Project) -> None:
    """Record what loading looks at from now on (the cache is on; a run that reads standard
    input neither uses nor fills it)."""
    if cache.enabled() and project.trace is None and not project.buffers:
        project.trace = []


def valid(paths: list[Path], project: Project) -> dict[str, Entry]:
    """The saved entries of `paths` whose files and folders are unchanged, by path."""
    store = cache.store()
    if store is None or project.trace is None:
        return {}
    found = {}
    for path in paths:
        entry = read(store.get(key(path, project)))
        if entry is not None and _unchanged(entry.deps, project):
            found[str(path)] = entry
    return found


def read(body: bytes | None) -> Entry | None:
    """An entry's body, with the fingerprints read and the lists left packed."""
    if body is None:
        return None
    try:
        deps, payload = cache.loads(body)
    except Exception:  # damaged or foreign: a miss
        return None
    if not isinstance(deps, list) or not isinstance(payload, bytes):
        return None
    return Entry(deps, payload)


def _unchanged(deps: Deps, project: Project) -> bool:
    """Do the files read the same, and the folders list the same?"""
    try:
        for kind, path, digest in deps:
            if kind == "file" and fingerprint(path, project) != digest:
                return False
            if kind == "folder" and listing(path, project) != digest:
                return False
    except (TypeError, ValueError):
        return False
    return True


def reuse(entry: Entry | None, project: Project) -> bool:
    """Add a valid entry's lists to the project when the project is as the unit found it: the
    files it used that were loaded before it are loaded and as they were, its other files are
    not loaded, and the Terraform folders it found built (or not) are so."""
    if entry is None:
        return False
    loaded = {path: value for kind, path, value in entry.deps if kind == "loaded"}
    for kind, path, value in entry.deps:
        if kind == "file":
            file = project.file_at(path)
            if (file is None) != (path not in loaded):
                return False
            if file is not None and state(file) != loaded[path]:
                return False
        elif kind == "built" and _built(project, path) != (value == "1"):
            return False
    try:
        lists = cache.loads(entry.payload, project.file_at)
        made = [str(folder) for folder in lists["built"]]
        changed = [(str(path), bool(report), str(kind)) for path, report, kind in lists["changed"]]
        added = {name: list(lists[name]) for name in LISTS}
    except Exception:  # damaged or foreign: load the file here
        return False
    for name, items in added.items():
        getattr(project, name).extend(items)
    for path, report, kind in changed:
        file = project.file_at(path)
        if file is not None:
            file.report, file.kind = report, kind
    if made:
        project.settings.setdefault(BUILT, []).extend(made)
    return True


LISTS = ("files", "problems", "resources", "skipped")
BUILT = "terraform.built"  # as `fglint.frontends.terraform.build.BUILT`


class Unit:
    """One file loaded here, and what it added: saved unless it changed a file loaded before
    it (or the lists before its own items)."""

    def __init__(self, project: Project) -> None:
        self.trace = len(project.trace or [])
        self.sizes = {name: len(getattr(project, name)) for name in LISTS}
        self.last = {name: _last(getattr(project, name), self.sizes[name]) for name in LISTS}

    def result(self, project: Project) -> bytes | None:
        for name in LISTS:  # items are only appended (or a failed file's own ones removed)
            items = getattr(project, name)
            if (
                len(items) < self.sizes[name]
                or _last(items, self.sizes[name]) is not self.last[name]
            ):
                return None
        added = {name: getattr(project, name)[self.sizes[name] :] for name in LISTS}
        if any(_unsure(problem.code, problem.message) for problem in added["problems"]):
            return None
        own = {id(file) for file in added["files"]}
        deps = self.deps(project, own)
        if deps is None:
            return None
        changed = [
            (path, file.report, file.kind)
            for kind, path, before in deps
            if kind == "loaded" and (file := project.file_at(path)) and state(file) != before
        ]

        def earlier(item: object) -> str | None:  # a file loaded before: stored by its path
            if isinstance(item, SourceFile) and id(item) not in own:
                return item.abspath
            return None

        trace = (project.trace or [])[self.trace :]
        made = sorted({path for kind, path, value in trace if kind == "built" and value == "0"})
        before = any(kind == "loaded" for kind, _, _ in deps)
        lists = {**added, "built": made, "changed": changed}
        payload = cache.dumps(lists, earlier if before else None)
        if payload is None:
            return None
        return cache.dumps((deps, payload))

    def deps(self, project: Project, own: set[int]) -> Deps | None:
        """What the unit read and found, or None when it changed a file loaded before it."""
        found: dict[tuple[str, str], str] = {}
        for kind, path, value in (project.trace or [])[self.trace :]:
            if kind == "file":
                seen = project.fingerprints.get(path) or fingerprint(path, project)
                found.setdefault((kind, path), seen)
                file = project.file_at(path)
                if file is not None and id(file) not in own and value:
                    found.setdefault(("loaded", path), value)  # as the unit first used it
            elif kind == "folder":
                seen = project.fingerprints.get("folder " + path) or listing(path, project)
                found.setdefault((kind, path), seen)
            else:
                found.setdefault((kind, path), value)
        for kind, path in list(found):
            file = project.file_at(path) if kind == "file" else None
            if file is None or id(file) in own:
                continue
            before = found.setdefault(("loaded", path), state(file))
            if before.split(" ", 2)[2] != state(file).split(" ", 2)[2]:
                return None  # a change the entry does not replay (only `report` and `kind`)
        return [(kind, path, value) for (kind, path), value in found.items()]


def _last(items: list[Any], size: int) -> object:
    return items[size - 1] if size else None


def _built(project: Project, folder: str) -> bool:
    """Was the Terraform folder built as a root module, here or by a saved result?"""
    if folder in project.settings.get(BUILT, ()):
        return True
    build = sys.modules.get("fglint.frontends.terraform.build")
    return build is not None and Path(folder) in build.folders_of(project).roots


def _unsure(code: str, message: str) -> bool:
    """A result not worth keeping: a bug met (it may depend on more than the input), or a file
    stopped by the time limit (it depends on the machine's load)."""
    return code == failure.CODE or message.startswith(loader.TOO_SLOW)


def load_file(path: Path, project: Project, entry: Entry | None) -> None:
    """`load.load_file`, from the saved entry when it can be used, else here (then saved)."""
    store = cache.store()
    if store is None or project.trace is None:
        loader.load_file(path, project)
        return
    if reuse(entry, project):
        return
    unit = Unit(project)
    loader.load_file(path, project)
    body = unit.result(project)
    if body is not None:
        store.put(key(path, project), body)


def loaded_alone(path: Path, project: Project) -> bytes | None:
    """In a worker, `path` loaded into its project (empty at the start of a run of files) that
    records what it reads: the entry (saved too when the cache is on), or None when it is not
    one to keep."""
    unit = Unit(project)
    loader.load_file(path, project)
    body = unit.result(project)
    store = cache.store()
    if body is not None and store is not None:
        store.put(key(path, project), body)
    return body

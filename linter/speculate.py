"""Loading on more than one core, with the result of a run on one.

Files are loaded in order, and a file's loading may depend on the files loaded before it (a
Terraform module reads its folder's other files, `file()` reads a JSON document that may have
been linted already). So worker processes load each costly file (see WORTH) *on its own*, into
an empty project, ahead of time, and hand back what it added as a model cache entry
(`fglint.saved`; saved in the cache too when it is on); the main process still walks the files
in order, and at each one uses the entry only as it uses a saved one: when none of the files the
worker read has been loaded here yet. Otherwise (and for the other files) it loads the file
itself. The project is then the one `--jobs 1` builds, item for item.
"""

from __future__ import annotations

import gc
import os
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import fields
from pathlib import Path
from typing import Any

from fglint import load as loader
from fglint import saved
from fglint.exclusion import FileFilter
from fglint.model import Limits, Project

# Front-ends whose loading is worth a process. CloudFormation templates load alone (corpus:
# 0.52 s in workers, 0.13 s to take their results here). A Terraform folder loaded alone loads
# the modules it calls again, once per folder, and its located values are slow to unpickle
# (corpus: 2.12 s in workers, 0.57 s here, against about 1.1 s on one core): not worth it.
WORTH = {"cloudformation"}
FEW = 48  # below this many files, starting workers costs more than it saves


def default_jobs(files: int) -> int:
    """Every core for a large run, one for a small one."""
    if files <= FEW:
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worth(paths: list[Path]) -> list[int]:
    """The places of the files a worker loads."""
    return [number for number, path in enumerate(paths) if loader.frontend_for(path.name) in WORTH]


def _lists(project: Project) -> dict[str, list[Any]]:
    """What loading adds to a project: its list fields but the roots."""
    return {
        f.name: getattr(project, f.name)
        for f in fields(project)
        if f.init and f.name != "roots" and isinstance(getattr(project, f.name), list)
    }


def load_alone(
    path: str, roots: list[str], limits: Limits, base: str, settings: dict[str, list[str]]
) -> bytes | None:
    """In a worker: what loading `path` into an empty project adds, as a cache entry."""
    project = Project(roots=roots, limits=limits, base=base, settings=settings, trace=[])
    gc.disable()
    try:
        return saved.loaded_alone(Path(path), project)
    except Exception:  # a bug: the main process loads the file itself
        return None
    finally:
        gc.enable()


def _merge(project: Project, future: Future[bytes | None]) -> bool:
    """Add a worker's result when loading here could not differ: none of its files is loaded."""
    try:
        found = future.result()
    except Exception:  # a worker died: load the file here
        return False
    return saved.reuse(saved.read(found), project)


def load_files(
    paths: list[Path], project: Project, jobs: int, entries: dict[str, saved.Entry]
) -> None:
    """`load_file` for each path, in order, in this process and `jobs - 1` workers loading
    ahead the costly files that the model cache does not hold."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(jobs - 1, mp_context=context) as pool:
        ahead: dict[int, Future[bytes | None]] = {
            number: pool.submit(
                load_alone,
                str(paths[number]),
                project.roots,
                project.limits,
                project.base,
                project.settings,
            )
            for number in worth(paths)
            if str(paths[number]) not in entries
        }
        for number, path in enumerate(paths):
            future = ahead.pop(number, None)  # none for a file the cache holds
            if future is not None and project.file_at(str(path)) is None:
                if _merge(project, future):
                    continue
            elif future is not None:
                future.cancel()
            saved.load_file(path, project, entries.get(str(path)))


def load_all(
    paths: list[str], exclude: FileFilter | None, project: Project, jobs: int | None
) -> None:
    """Load every file under `paths` into `project`: with workers for a large run. Listing the
    files may add findings (a folder that cannot be read) between loads; then one core does it
    all, so that they land where a run on one core puts them."""
    scratch = Project(roots=project.roots, limits=project.limits, base=project.base)
    found = list(loader.collect(paths, exclude, scratch))
    saved.start(project)
    entries = saved.valid(found, project)
    left = [path for path in found if str(path) not in entries]
    count = default_jobs(len(left)) if jobs is None else jobs
    listed = _lists(scratch)
    excluded = listed.pop("skipped")  # paths the walk left out (exclude, .gitignore)
    if count > 1 and not any(listed.values()) and worth(left):
        project.skipped.extend(excluded)
        load_files(found, project, count, entries)
        return
    for path in loader.collect(paths, exclude, project):
        saved.load_file(path, project, entries.get(str(path)))

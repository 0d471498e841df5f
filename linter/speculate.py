"""Loading on more than one core, with the result of a run on one.

Files are loaded in order, and a file's loading may depend on the files loaded before it (a
Terraform module reads its folder's other files and the modules it calls, `file()` reads a JSON
document that may have been linted already). So the files are cut into runs of whole top folders
(a repository of a monorepo, whose modules call each other), and while the main process loads
the runs from the first one on, worker processes load them from the last one back, each run in
order into an empty project, handing back what each file added as a model cache entry
(`fglint.saved`; saved in the cache too when it is on). A run is loaded by whoever claims it
first (the last one is a worker's), so the two ends meet where the work splits evenly. The main
process takes a worker's entries in file order, each only as it takes a saved one: when the
project is as the worker's was (the files the entry found loaded are loaded and the same, its
own files are not loaded). Otherwise (a module an earlier run loaded, a document Terraform
read) it loads the file itself. The project is the one `--jobs 1` builds, item for item.
"""

from __future__ import annotations

import gc
import os
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fglint import load as loader
from fglint import saved
from fglint.exclusion import FileFilter
from fglint.model import Limits, Project

if TYPE_CHECKING:
    from concurrent.futures import Future

FEW = 48  # below this many files, starting workers costs more than it saves
RUNS_PER_JOB = 8  # runs to share out per process: small enough for the ends to meet evenly
MAIN, WORKER = 1, 2  # who claimed a run
_claims: Any = None  # in a worker: the shared claims (see `_share`)


def default_jobs(files: int) -> int:
    """Every core for a large run, one for a small one."""
    if files <= FEW:
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def runs(paths: list[Path], jobs: int) -> list[list[Path]]:
    """`paths` cut into consecutive runs of at least a share of them, only where the top folder
    (below the folder they all share) changes."""
    folders = [os.path.abspath(path.parent) for path in paths]
    common = os.path.commonpath(folders) if folders else ""
    tops = [os.path.relpath(folder, common).split(os.sep)[0] for folder in folders]
    share = max(1, len(paths) // (RUNS_PER_JOB * jobs))
    cut: list[list[Path]] = []
    for path, top, before in zip(paths, tops, [None, *tops], strict=False):
        if cut and (top == before or len(cut[-1]) < share):
            cut[-1].append(path)
        else:
            cut.append([path])
    return cut


def _lists(project: Project) -> dict[str, list[Any]]:
    """What loading adds to a project: its list fields but the roots."""
    return {
        f.name: getattr(project, f.name)
        for f in fields(project)
        if f.init and f.name != "roots" and isinstance(getattr(project, f.name), list)
    }


def _share(claims: Any) -> None:
    """A worker's start: the claims it shares with the main process."""
    global _claims
    _claims = claims


def claim(claims: Any, number: int, who: int) -> int:
    """Claim run `number` for `who` unless it is claimed already; who has it."""
    with claims.get_lock():
        if not claims[number]:
            claims[number] = who
        found: int = claims[number]
        return found


def load_run(
    number: int,
    paths: list[str],
    roots: list[str],
    limits: Limits,
    base: str,
    settings: dict[str, list[str]],
) -> list[bytes | None] | None:
    """In a worker: the files of run `number` loaded in order into an empty project, each as a
    cache entry (None where the file's loading is not one to keep); None when the main process
    has claimed the run."""
    if _claims is not None and claim(_claims, number, WORKER) != WORKER:
        return None
    project = Project(roots=roots, limits=limits, base=base, settings=settings, trace=[])
    gc.disable()
    try:
        return [saved.loaded_alone(Path(path), project) for path in paths]
    except Exception:  # a bug: the main process loads the files itself
        return None
    finally:
        gc.enable()


def take(
    run: list[Path],
    found: list[bytes | None] | None,
    project: Project,
    entries: dict[str, saved.Entry],
) -> None:
    """Run `run` into the project: each file from the worker's entry when it can be used as it
    is, else loaded here."""
    bodies = found if found is not None and len(found) == len(run) else [None] * len(run)
    for path, body in zip(run, bodies, strict=True):
        if body is None or not saved.reuse(saved.read(body), project):
            saved.load_file(path, project, entries.get(str(path)))


def _result(future: Future[list[bytes | None] | None]) -> list[bytes | None] | None:
    try:
        return future.result()
    except Exception:  # a worker died: load the files here
        return None


def load_files(
    paths: list[Path], project: Project, jobs: int, entries: dict[str, saved.Entry]
) -> None:
    """`load_file` for each path, in order, in this process and in `jobs - 1` workers loading
    the runs with a file the model cache does not hold, from the last one back."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    cut = runs(paths, jobs)
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    claims = context.Array("b", len(cut))
    claims[len(cut) - 1] = WORKER  # the last run is a worker's: it starts there at once
    with ProcessPoolExecutor(
        jobs - 1, mp_context=context, initializer=_share, initargs=(claims,)
    ) as pool:
        ahead = {
            number: pool.submit(
                load_run,
                number,
                [str(path) for path in run],
                project.roots,
                project.limits,
                project.base,
                project.settings,
            )
            for number, run in reversed(list(enumerate(cut)))
            if number and any(str(path) not in entries for path in run)
        }
        for number, run in enumerate(cut):
            future = ahead.pop(number, None)
            if future is not None and claim(claims, number, MAIN) == WORKER:
                take(run, _result(future), project, entries)
                continue
            if future is not None:
                future.cancel()
            take(run, None, project, entries)


def load_all(
    paths: list[str], exclude: FileFilter | None, project: Project, jobs: int | None
) -> None:
    """Load every file under `paths` into `project`: with workers for a large run. Listing the
    files may add findings (a folder that cannot be read) between loads; then one core does it
    all, listing again, so that they land where a run on one core puts them."""
    scratch = Project(roots=project.roots, limits=project.limits, base=project.base)
    found = list(loader.collect(paths, exclude, scratch))
    saved.start(project)
    entries = saved.valid(found, project)
    left = [path for path in found if str(path) not in entries]
    count = default_jobs(len(left)) if jobs is None else jobs
    listed = _lists(scratch)
    excluded = listed.pop("skipped")  # paths the walk left out (exclude, .gitignore)
    if any(listed.values()):
        for path in loader.collect(paths, exclude, project):
            saved.load_file(path, project, entries.get(str(path)))
        return
    project.skipped.extend(excluded)  # in any order: `load` sorts them
    if count > 1 and len(runs(found, count)) > 1:
        load_files(found, project, count, entries)
        return
    for path in found:
        saved.load_file(path, project, entries.get(str(path)))

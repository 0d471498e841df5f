"""Find the files to lint, hand each to its front-end, and link what they define."""

from __future__ import annotations

import fnmatch
import gc
import importlib
import os
from collections.abc import Iterator
from pathlib import Path

from fglint.files import read
from fglint.model import Project

SKIP_DIRS = {".git", ".terraform", "node_modules", ".venv", "__pycache__", ".mypy_cache"}

# (does this file name belong to the front-end?, front-end module). Imported only when needed.
FRONTENDS: list[tuple[str, str]] = [
    ("*.json", "json_docs"),
    ("*.tf", "terraform"),
    ("*.yaml", "cloudformation"),
    ("*.yml", "cloudformation"),
    ("*.template", "cloudformation"),
    ("Dockerfile", "dockerfile"),
    ("dockerfile", "dockerfile"),  # docker build's fallback name
    ("Dockerfile.*", "dockerfile"),
    ("*.Dockerfile", "dockerfile"),
    ("*.dockerfile", "dockerfile"),
]


def frontend_for(name: str) -> str | None:
    for pattern, module in FRONTENDS:
        if fnmatch.fnmatch(name, pattern):
            return module
    return None


def _excluded(path: Path, root: Path, exclude: list[str]) -> bool:
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        rel = path.as_posix()
    return any(fnmatch.fnmatch(rel, pat) or fnmatch.fnmatch(path.name, pat) for pat in exclude)


def collect(paths: list[str], exclude: list[str] | None = None) -> Iterator[Path]:
    """Files under `paths` that a front-end reads. Symlinks that leave the root are not followed."""
    exclude = exclude or []
    for given in paths:
        root = Path(given).resolve()
        if root.is_file():
            if frontend_for(root.name):
                yield root
            continue
        for folder, dirs, files in os.walk(root):
            here = Path(folder)
            dirs[:] = sorted(
                d
                for d in dirs
                if d not in SKIP_DIRS
                and not _excluded(here / d, root, exclude)
                and not (here / d).is_symlink()
            )
            for name in sorted(files):
                path = here / name
                if not frontend_for(name) or _excluded(path, root, exclude):
                    continue
                if path.is_symlink() and not path.resolve().is_relative_to(root):
                    continue
                yield path


def load_file(path: Path, project: Project, report: bool = True) -> None:
    module = frontend_for(path.name)
    if module is None:
        return
    for seen in project.files:
        if seen.abspath == str(path):  # loaded already, perhaps as a module's context
            seen.report = seen.report or report
            return
    file = read(path, project, report)
    if file is None:
        return
    frontend = importlib.import_module(f"fglint.frontends.{module}")
    frontend.load(file, project)


def scan_root(given: str) -> str:
    """The folder no file may be read outside of (by Terraform's `file()`): a directory
    argument itself; for a file, the working directory when the file is under it."""
    path = Path(given).resolve()
    if path.is_dir():
        return str(path)
    here = Path.cwd().resolve()
    return str(here if path.is_relative_to(here) else path.parent)


def load(paths: list[str], exclude: list[str] | None = None) -> Project:
    from fglint.linker import link

    project = Project(roots=[scan_root(path) for path in paths])
    # Loading builds a large tree that holds no garbage cycles: the cyclic collector would only
    # rescan it as it grows (a fifth of a corpus run). It runs again once the project is built.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for path in collect(paths, exclude):
            load_file(path, project)
        link(project)
    finally:
        if collecting:
            gc.enable()
    return project

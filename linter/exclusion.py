"""Which paths fglint leaves alone: `exclude` / `extend-exclude` patterns and `.gitignore`.

Patterns are gitignore-style (pathspec's `GitIgnoreSpec`), each set relative to a base folder:
the folder of the settings file that holds them, or the working directory for the command line.
`exclude` replaces the default set (DEFAULT_EXCLUDE), `extend-exclude` adds to it, as in ruff.
Inside a git repository (a folder holding `.git`, found upwards without running git), the
repository's `.git/info/exclude` and every `.gitignore` from its root down apply, each to its own
folder, a deeper file overriding a higher one and the last matching line of a file winning
(negation included). Paths given on the command line are linted even when a pattern matches
them, unless `force-exclude` is set; `.gitignore` applies only to what fglint finds by walking a
folder (a file pre-commit passes is tracked, and git ignores no tracked file).

pathspec is imported only when a pattern is matched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from fglint.files import real

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

# Folders no one wants linted: version control, Terraform's and Terragrunt's downloaded modules,
# package managers' and Python's trees.
DEFAULT_EXCLUDE = (
    ".git/",
    ".hg/",
    ".svn/",
    ".terraform/",
    ".terragrunt-cache/",
    "node_modules/",
    ".venv/",
    "__pycache__/",
    ".mypy_cache/",
    ".tox/",
)


@lru_cache(maxsize=512)
def compiled(lines: tuple[str, ...]) -> GitIgnoreSpec:
    from pathspec import GitIgnoreSpec

    return GitIgnoreSpec.from_lines(lines)


def verdict(
    lines: tuple[str, ...], base: str, path: str, folder: bool = False, within: str = ""
) -> tuple[bool | None, str]:
    """Whether the patterns, relative to `base`, exclude `path` (a folder when `folder`): True,
    False (a `!pattern` includes it again), None (no line matches); and the line that decides
    (the last that matches). Outside `base`, only the patterns that name a file or folder
    anywhere can match, by its name. `within` is the folder given by name that is being walked:
    the lines that match it are set aside, as what is given by name is linted."""
    relative = relative_to(path, base)
    if relative is None:
        relative, lines = os.path.basename(os.path.abspath(path)), _anywhere(lines)
    if within:
        lines = _given_away(lines, base, within)
    if not relative or not lines:
        return None, ""
    spec = compiled(lines)
    result = spec.check_file(relative + "/" if folder else relative)
    if result.index is None:
        return None, ""
    return result.include, str(spec.patterns[result.index].pattern)


def relative_to(path: str, base: str) -> str | None:
    """`path` relative to `base`, posix (`""` for `base` itself); None outside `base`. The path
    as given is tried first, then with its folder's links resolved."""
    absolute = os.path.abspath(path)
    relative = _under(absolute, base)
    if relative is None:
        folder, name = os.path.split(absolute)
        relative = _under(os.path.join(_real(folder), name), base)
    return relative


def _under(path: str, base: str) -> str | None:
    if path == base:
        return ""
    prefix = base if base.endswith("/") else base + "/"
    return path[len(prefix) :] if path.startswith(prefix) else None


@lru_cache(maxsize=1024)
def _real(folder: str) -> str:
    return os.path.realpath(folder)


@lru_cache(maxsize=256)
def _anywhere(lines: tuple[str, ...]) -> tuple[str, ...]:
    """The patterns without a `/` before their end: a name anywhere, not a place under a base."""
    return tuple(line for line in lines if "/" not in line.removeprefix("!").rstrip("/"))


@lru_cache(maxsize=256)
def _given_away(lines: tuple[str, ...], base: str, within: str) -> tuple[str, ...]:
    relative = relative_to(within, base)
    if relative is None and Path(base).is_relative_to(within):
        return lines  # the folder walked holds the base: its patterns apply below as written
    return _not_matching(lines, (relative if relative is not None else Path(within).name) + "/")


@lru_cache(maxsize=256)
def _not_matching(lines: tuple[str, ...], folder: str) -> tuple[str, ...]:
    if folder == "/":
        return lines
    return tuple(x for x in lines if x.startswith("!") or not compiled((x,)).match_file(folder))


def matches(pattern: str, path: str, base: str) -> bool:
    """Whether one gitignore-style pattern, relative to `base`, matches `path`."""
    return verdict((pattern,), base, path)[0] is True


@dataclass(frozen=True)
class Patterns:
    """Gitignore-style patterns, the folder they are relative to, and where they come from."""

    lines: tuple[str, ...]
    base: str
    origin: str  # shown in `-v`: "default", "`exclude` in .fglint.toml", "--extend-exclude"


def default_exclude() -> Patterns:
    return Patterns(DEFAULT_EXCLUDE, os.getcwd(), "default")


@dataclass
class FileFilter:
    """What the walker skips, and why (`-v` shows the reason)."""

    exclude: Patterns = field(default_factory=default_exclude)
    extend: list[Patterns] = field(default_factory=list)
    respect_gitignore: bool = True
    force: bool = False  # paths given by name are excluded too
    base: str = ""  # the project root, for naming a .gitignore in a reason
    _ignores: dict[str, list[tuple[str, tuple[str, ...], str]] | None] = field(
        default_factory=dict, repr=False
    )
    _walked: dict[tuple[str, bool, str], str | None] = field(default_factory=dict, repr=False)

    def pattern_reason(self, path: str, folder: bool = False, within: str = "") -> str | None:
        for patterns in (self.exclude, *self.extend):
            excluded, pattern = verdict(patterns.lines, patterns.base, path, folder, within)
            if excluded:
                return f"excluded by `{pattern}` ({patterns.origin})"
        return None

    def given_reason(self, path: str) -> str | None:
        """Why a path given on the command line is skipped: only under `force-exclude`, and only
        by a pattern (its folders count: `infra/` excludes `infra/a/main.tf`)."""
        if not self.force:
            return None
        return self.pattern_reason(path, os.path.isdir(path))

    def walk_reason(self, path: str, folder: bool, within: str) -> str | None:
        """Why a file or folder met while walking `within` (a folder given by name) is skipped,
        or None. Remembered: a run walks its folders twice (to count, then to load)."""
        key = (path, folder, within)
        if key not in self._walked:
            reason = self.pattern_reason(path, folder, within)
            if reason is None and self.respect_gitignore:
                reason = self.gitignored(path, folder, within)
            self._walked[key] = reason
        return self._walked[key]

    def gitignored(self, path: str, folder: bool, within: str = "") -> str | None:
        """The .gitignore line that ignores `path`, the deepest matching file deciding."""
        absolute = os.path.abspath(path)
        for base, lines, source in reversed(self._chain(os.path.dirname(absolute)) or []):
            excluded, pattern = verdict(lines, base, absolute, folder, within)
            if excluded is not None:  # the deepest file with a matching line decides
                return f"ignored by `{pattern}` in {self._shown(source)}" if excluded else None
        return None

    def _shown(self, path: str) -> str:
        return relative_to(path, self.base or os.getcwd()) or path

    def _chain(self, folder: str) -> list[tuple[str, tuple[str, ...], str]] | None:
        """The ignore files that apply in `folder`, highest first, as (folder they are relative
        to, lines, file); None outside a git repository."""
        if folder in self._ignores:
            return self._ignores[folder]
        parent = os.path.dirname(folder)
        if os.path.exists(os.path.join(folder, ".git")):
            chain: list[tuple[str, tuple[str, ...], str]] | None = []
            info = _info_exclude(Path(folder) / ".git")
            if info is not None:
                chain = [(folder, _lines(info), str(info))]
        elif parent == folder:
            chain = None
        else:
            chain = self._chain(parent)
        if chain is not None:
            own = os.path.join(folder, ".gitignore")
            if os.path.isfile(own):
                chain = [*chain, (folder, _lines(Path(own)), own)]
        self._ignores[folder] = chain
        return chain


def _lines(path: Path) -> tuple[str, ...]:
    try:
        return tuple(path.read_text(encoding="utf-8", errors="replace").splitlines())
    except OSError:
        return ()


def _info_exclude(dot_git: Path) -> Path | None:
    """`info/exclude` of the repository: in `.git`, or where a `.git` file (a worktree, a
    submodule) points, in the common folder of a worktree."""
    folder = dot_git
    if os.path.isfile(dot_git):
        text = _lines(dot_git)
        pointer = next((line[7:].strip() for line in text if line.startswith("gitdir:")), None)
        if pointer is None:
            return None
        found = real(dot_git.parent / pointer)
        if found is not None and os.path.isfile(found / "commondir"):
            found = real(found / (_lines(found / "commondir") or ("",))[0].strip())
        if found is None:
            return None  # a path no folder can have (a NUL byte in it)
        folder = found
    found = folder / "info" / "exclude"
    return found if os.path.isfile(found) else None

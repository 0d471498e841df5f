"""Which paths fglint leaves alone: `exclude` / `extend-exclude` patterns.

Patterns are gitignore-style (pathspec's `GitIgnoreSpec`), each set relative to a base folder:
the folder of the settings file that holds them, or the working directory for the command line.
`exclude` replaces the default set (DEFAULT_EXCLUDE), `extend-exclude` adds to it, as in ruff.
Paths given on the command line are linted even when a pattern matches them, unless
`force-exclude` is set.

pathspec is imported only when a pattern is matched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

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
        relative, lines = Path(path).name, _anywhere(lines)
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
    """`path` relative to `base`, posix (`""` for `base` itself); None outside `base`."""
    for candidate in (os.path.abspath(path), os.path.realpath(path)):
        if Path(candidate).is_relative_to(base):
            relative = Path(candidate).relative_to(base).as_posix()
            return "" if relative == "." else relative
    return None


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
    force: bool = False  # paths given by name are excluded too

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
        or None."""
        return self.pattern_reason(path, folder, within)

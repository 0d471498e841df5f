""".gitignore is respected by default (issue 10, part 4): inside a git repository, its
`.git/info/exclude` and every `.gitignore` from its root down, each for its own folder, the
deepest deciding, negation included; `--no-respect-gitignore` or `respect-gitignore = false` turn
it off. fglint never runs git; a test checks its choices against git's where git is installed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from fglint.exclusion import FileFilter
from fglint.load import collect
from fglint.main import cli
from helpers import in_dir
from test_exclude import TASK, TF, write

IGNORES = {
    ".gitignore": "build/\n*.generated.json\n/scratch.tf\n",
    # a nested .gitignore applies to its own folder: `/old.tf` is infra/old.tf only, and it
    # includes again what the root one ignores
    "infra/.gitignore": "/old.tf\n!keep.generated.json\n",
    ".git/info/exclude": "local/\n",
}
FILES = {
    "main.tf": TF,
    "scratch.tf": TF,  # ignored: /scratch.tf in the root .gitignore
    "build/main.tf": TF,  # ignored: a folder pattern
    "infra/build/task.json": TASK,  # ignored: `build/` matches at any depth
    "infra/scratch.tf": TF,  # kept: /scratch.tf is anchored at the root
    "infra/old.tf": TF,  # ignored by infra/.gitignore
    "app/old.tf": TF,  # kept: infra/.gitignore does not apply here
    "task.generated.json": TASK,  # ignored
    "infra/keep.generated.json": TASK,  # kept: negated in infra/.gitignore
    "app/other.generated.json": TASK,  # ignored
    "local/main.tf": TF,  # ignored by .git/info/exclude
}
KEPT = ["app/old.tf", "infra/keep.generated.json", "infra/scratch.tf", "main.tf"]


def repository(folder: Path) -> Path:
    (folder / ".git" / "info").mkdir(parents=True)
    return write(folder, {**IGNORES, **FILES})


def linted(folder: Path, *args: str) -> list[str]:
    with in_dir(folder):
        outcome = CliRunner().invoke(cli, ["check", "--select", "FG201", "--format", "json", *args])
    assert outcome.exit_code in (0, 1), outcome.output + outcome.stderr
    return sorted({f["path"] for f in json.loads(outcome.stdout)["findings"]})


def test_gitignore_is_respected(tmp_path: Path) -> None:
    assert linted(repository(tmp_path)) == KEPT


def test_no_respect_gitignore(tmp_path: Path) -> None:
    repository(tmp_path)
    assert linted(tmp_path, "--no-respect-gitignore") == sorted(FILES)
    (tmp_path / ".fglint.toml").write_text("respect-gitignore = false\n", encoding="utf-8")
    assert linted(tmp_path) == sorted(FILES)
    assert linted(tmp_path, "--respect-gitignore") == KEPT


def test_a_subfolder_still_sees_the_root_gitignore(tmp_path: Path) -> None:
    repository(tmp_path)
    assert linted(tmp_path / "infra", ".") == ["infra/keep.generated.json", "infra/scratch.tf"]


def test_what_is_given_by_name_is_linted(tmp_path: Path) -> None:
    """pre-commit passes tracked files, and git ignores no tracked file; a folder given by name
    is walked (as ripgrep and ruff do), what its own .gitignore lines match still skipped."""
    repository(tmp_path)
    assert linted(tmp_path, "scratch.tf", "--force-exclude") == ["scratch.tf"]
    write(tmp_path, {"build/.gitignore": "*.json\n", "build/x.json": TASK})
    assert linted(tmp_path, "build") == ["build/main.tf"]


def test_outside_a_git_repository_gitignore_is_not_read(tmp_path: Path) -> None:
    """As in ruff and ripgrep: a .gitignore means nothing without a repository."""
    write(tmp_path, {**IGNORES, **FILES})
    shutil.rmtree(tmp_path / ".git")
    assert linted(tmp_path) == sorted(FILES)


def test_a_nested_repository_starts_afresh(tmp_path: Path) -> None:
    repository(tmp_path)
    write(tmp_path, {"vendor/mod/.git/HEAD": "", "vendor/mod/build/main.tf": TF})
    assert "vendor/mod/build/main.tf" in linted(tmp_path)


def test_a_worktree_reads_the_common_info_exclude(tmp_path: Path) -> None:
    """In a `git worktree`, `.git` is a file pointing at .git/worktrees/NAME, whose `commondir`
    leads back to the repository's .git."""
    main = repository(tmp_path / "main")
    (main / ".git" / "worktrees" / "wt").mkdir(parents=True)
    (main / ".git" / "worktrees" / "wt" / "commondir").write_text("../..\n", encoding="utf-8")
    tree = write(tmp_path / "wt", {**FILES, "infra/.gitignore": IGNORES["infra/.gitignore"]})
    (tree / ".git").write_text(f"gitdir: {main / '.git' / 'worktrees' / 'wt'}\n", encoding="utf-8")
    kept = linted(tree)
    assert "local/main.tf" not in kept  # .git/info/exclude of the main repository
    assert "build/main.tf" in kept  # no root .gitignore in this tree


def test_verbose_names_the_gitignore_line(tmp_path: Path) -> None:
    repository(tmp_path)
    with in_dir(tmp_path):
        err = CliRunner().invoke(cli, ["check", "-v"]).stderr
    assert "skipped build/: ignored by `build/` in .gitignore" in err
    assert "skipped infra/old.tf: ignored by `/old.tf` in infra/.gitignore" in err
    assert "skipped local/: ignored by `local/` in .git/info/exclude" in err
    assert "skipped .git/: excluded by `.git/` (default)" in err


def test_hook_mode_context_skips_gitignored_files(tmp_path: Path) -> None:
    """A file given by name loads its folder's JSON as context, but not what git ignores."""
    repository(tmp_path)
    with in_dir(tmp_path):
        err = CliRunner().invoke(cli, ["check", "-v", "main.tf"]).stderr
    assert "task.generated.json" not in "".join(
        line for line in err.splitlines() if line.startswith("context")
    )
    assert "skipped task.generated.json: ignored by `*.generated.json` in .gitignore" in err


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_same_choices_as_git(tmp_path: Path) -> None:
    repository(tmp_path)
    shutil.rmtree(tmp_path / ".git")
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, env=env)
    (tmp_path / ".git" / "info").mkdir(exist_ok=True)
    write(tmp_path, {".git/info/exclude": IGNORES[".git/info/exclude"]})
    listed = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard"],
        cwd=tmp_path,
        check=True,
        env=env,
        capture_output=True,
        text=True,
    ).stdout.split()
    ours = [p.relative_to(tmp_path).as_posix() for p in collect([str(tmp_path)], FileFilter())]
    assert sorted(ours) == sorted(p for p in listed if p in FILES) == KEPT

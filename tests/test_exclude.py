"""Which paths are left out (issue 10, part 4): `exclude`, `extend-exclude` and
`per-file-ignores` are gitignore-style patterns (pathspec), relative to the settings file that
holds them, or to the working directory on the command line; `exclude` replaces the default
excludes and `extend-exclude` adds to them; a path given by name is linted unless
`force-exclude` is set (ruff's semantics; pre-commit gives files by name)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from fglint.exclusion import DEFAULT_EXCLUDE
from fglint.main import cli
from helpers import fargate_task, in_dir

TASK = json.dumps(fargate_task(), indent=2)  # one FG201 (an image tagged latest)
TF = """\
resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  container_definitions    = jsonencode([{ name = "a", image = "nginx:latest", essential = true }])
}
"""


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def check(folder: Path, *args: str) -> tuple[int, list[str], str]:
    """Exit code, the paths with an FG201 finding (sorted), standard error."""
    with in_dir(folder):
        outcome = CliRunner().invoke(cli, ["check", "--select", "FG201", "--format", "json", *args])
    assert outcome.exit_code in (0, 1), outcome.output + outcome.stderr
    report = json.loads(outcome.stdout)
    return outcome.exit_code, sorted(f["path"] for f in report["findings"]), outcome.stderr


TREE = {
    "infra/main.tf": TF,
    "infra/prod/main.tf": TF,
    "infra/prod/task.json": TASK,
    "other/main.tf": TF,
    "other/infra/main.tf": TF,
    "task.json": TASK,
}
EVERY = sorted(TREE)


@pytest.mark.parametrize(
    ("pattern", "left"),
    [
        # `**` crosses folders; a pattern with a `/` inside is anchored at the settings folder
        (
            "infra/**/*.tf",
            ["infra/prod/task.json", "other/infra/main.tf", "other/main.tf", "task.json"],
        ),
        # a folder pattern with only a trailing `/` matches that folder at any depth
        ("infra/", ["other/main.tf", "task.json"]),
        ("/infra", ["other/infra/main.tf", "other/main.tf", "task.json"]),
        ("*.json", [p for p in EVERY if not p.endswith(".json")]),
        ("task.json", [p for p in EVERY if not p.endswith("task.json")]),
        ("infra/prod", ["infra/main.tf", "other/infra/main.tf", "other/main.tf", "task.json"]),
    ],
)
def test_exclude_patterns_are_gitignore_style(
    tmp_path: Path, pattern: str, left: list[str]
) -> None:
    write(tmp_path, {**TREE, ".fglint.toml": f"exclude = [{json.dumps(pattern)}]\n"})
    assert check(tmp_path)[1] == left


def test_a_negated_pattern_keeps_a_file(tmp_path: Path) -> None:
    write(tmp_path, {**TREE, ".fglint.toml": 'exclude = ["*.json", "!infra/**/task.json"]\n'})
    assert check(tmp_path)[1] == [p for p in EVERY if p != "task.json"]


@pytest.mark.parametrize("where", [".", "infra", "infra/prod", ".."])
def test_settings_patterns_are_relative_to_the_settings_file(tmp_path: Path, where: str) -> None:
    project = tmp_path / "project"
    write(project, {**TREE, ".fglint.toml": 'exclude = ["infra/prod/"]\n'})
    folder = (project / where).resolve()
    _, paths, _ = check(folder, os.path.relpath(project, folder))
    assert not [p for p in paths if "prod" in p]
    assert any(p.endswith("other/main.tf") for p in paths)


def test_exclude_replaces_the_defaults_and_extend_exclude_adds(tmp_path: Path) -> None:
    write(tmp_path, {**TREE, "node_modules/pkg/task.json": TASK, ".terraform/m/main.tf": TF})
    assert check(tmp_path)[1] == EVERY  # the default excludes
    (tmp_path / ".fglint.toml").write_text('extend-exclude = ["other/"]\n', encoding="utf-8")
    assert check(tmp_path)[1] == [p for p in EVERY if not p.startswith("other/")]
    (tmp_path / ".fglint.toml").write_text('exclude = ["other/"]\n', encoding="utf-8")
    replaced = [p for p in EVERY if not p.startswith("other/")]
    replaced += [".terraform/m/main.tf", "node_modules/pkg/task.json"]
    assert check(tmp_path)[1] == sorted(replaced)


def test_the_defaults_cover_what_tools_download() -> None:
    for folder in (".git/", ".terraform/", ".terragrunt-cache/", "node_modules/", ".venv/"):
        assert folder in DEFAULT_EXCLUDE


def test_command_line_patterns_are_relative_to_the_working_directory(tmp_path: Path) -> None:
    write(tmp_path, {**TREE, ".fglint.toml": 'exclude = ["task.json"]\n'})
    # from `other/`, `/infra` is other/infra, not the top-level infra/
    _, paths, _ = check(tmp_path / "other", "..", "--extend-exclude", "/infra")
    assert paths == ["infra/main.tf", "infra/prod/main.tf", "other/main.tf"]
    # --exclude replaces the settings' `exclude` (and the defaults); repeated or comma-separated
    _, paths, _ = check(tmp_path, "--exclude", "other/,infra/prod/", "--exclude", "nothing")
    assert paths == ["infra/main.tf", "task.json"]


def test_a_file_given_by_name_is_linted_unless_force_exclude(tmp_path: Path) -> None:
    write(tmp_path, {**TREE, ".fglint.toml": 'exclude = ["infra/"]\n'})
    given = ["infra/prod/task.json", "task.json"]
    assert check(tmp_path, *given)[1] == given
    _, paths, err = check(tmp_path, *given, "--force-exclude", "-v")
    assert paths == ["task.json"]
    assert "skipped infra/prod/task.json: excluded by `infra/` (`exclude` in .fglint.toml)" in err
    (tmp_path / ".fglint.toml").write_text(
        'exclude = ["infra/"]\nforce-exclude = true\n', encoding="utf-8"
    )
    assert check(tmp_path, *given)[1] == ["task.json"]
    assert check(tmp_path, *given, "--no-force-exclude")[1] == given
    assert check(tmp_path, "infra")[1] == []  # a folder given by name too
    # without force-exclude, a folder given by name is walked, its own excludes applying below
    (tmp_path / ".fglint.toml").write_text('exclude = ["infra/", "prod/"]\n', encoding="utf-8")
    assert check(tmp_path, "infra")[1] == ["infra/main.tf"]
    assert check(tmp_path / "infra" / "prod", ".")[1] == [
        "infra/prod/main.tf",
        "infra/prod/task.json",
    ]


def test_verbose_names_the_pattern_and_where_it_comes_from(tmp_path: Path) -> None:
    write(tmp_path, {**TREE, "node_modules/pkg/task.json": TASK})
    write(tmp_path, {".fglint.toml": 'extend-exclude = ["infra/**/*.tf"]\n'})
    _, _, err = check(tmp_path, "-v", "--extend-exclude", "other")
    skipped = sorted(line for line in err.splitlines() if line.startswith("skipped"))
    assert skipped == [
        "skipped infra/main.tf: excluded by `infra/**/*.tf` (`extend-exclude` in .fglint.toml)",
        "skipped infra/prod/main.tf: excluded by `infra/**/*.tf` (`extend-exclude` in "
        ".fglint.toml)",
        "skipped node_modules/: excluded by `node_modules/` (default)",
        "skipped other/: excluded by `other` (--extend-exclude)",
    ]


@pytest.mark.parametrize(
    ("pattern", "ignored"),
    [
        ("infra/**/*.json", ["infra/prod/task.json"]),
        ("task.json", ["infra/prod/task.json", "task.json"]),  # any depth
        ("/task.json", ["task.json"]),
        ("/infra/", ["infra/main.tf", "infra/prod/main.tf", "infra/prod/task.json"]),
        ("!/infra/", ["other/infra/main.tf", "other/main.tf", "task.json"]),  # all but, as in ruff
        (
            "infra/",
            ["infra/main.tf", "infra/prod/main.tf", "infra/prod/task.json", "other/infra/main.tf"],
        ),
    ],
)
def test_per_file_ignores_are_gitignore_style(
    tmp_path: Path, pattern: str, ignored: list[str]
) -> None:
    write(
        tmp_path,
        {**TREE, ".fglint.toml": f'[per-file-ignores]\n{json.dumps(pattern)} = ["FG201"]\n'},
    )
    left = [p for p in EVERY if p not in ignored]
    assert check(tmp_path)[1] == left
    # the same from a subfolder: relative to the settings file, not the working directory
    assert check(tmp_path / "infra", "..")[1] == left


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ("extend-exclude = 3\n", "`extend-exclude`"),
        ('force-exclude = "yes"\n', "`force-exclude`"),
        ("respect-gitignore = 1\n", "`respect-gitignore`"),
    ],
)
def test_bad_settings_are_named(tmp_path: Path, settings: str, named: str) -> None:
    write(tmp_path, {"task.json": TASK, ".fglint.toml": settings})
    with in_dir(tmp_path):
        outcome = CliRunner().invoke(cli, ["check"])
    assert outcome.exit_code == 2
    assert named in outcome.stderr

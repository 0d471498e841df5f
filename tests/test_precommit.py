"""The hooks of `.pre-commit-hooks.yaml`, run by real `pre-commit` (the test extra) in a new git
repository that takes them from a local clone of this one, at its current commit (so commit
before running this test: pre-commit installs fglint from that commit, as a user's would)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT

pytest.importorskip("pre_commit", reason="pre-commit is in the test extra")
if shutil.which("git") is None:
    pytest.skip("git is not installed", allow_module_level=True)

MODULE = {
    "infra/tf/main.tf": """\
variable "cpu" { default = 256 }
resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = 512
  container_definitions    = jsonencode([{ name = "app", image = "nginx:1.27", essential = true }])
}
""",
    "infra/tf/terraform.tfvars": "cpu = 300\n",
    "tsconfig.json": '{\n  "compilerOptions": {"strict": true,},\n}\n',
    ".vscode/settings.json": '{\n  // editor settings\n  "editor.tabSize": 2\n}\n',
    ".fglint.toml": 'extend-exclude = ["legacy/"]\n',
    ".gitignore": "build/\n",
}


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=folder, capture_output=True, text=True, check=True, env=GIT_ENV
    )
    return done.stdout.strip()


GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("precommit")
    clone = base / "fglint"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, env=GIT_ENV)
    rev = git(ROOT, "rev-parse", "HEAD")
    work = base / "work"
    work.mkdir()
    git(work, "init", "-q")
    shutil.copytree(FIXTURES / "FG305" / "bad_incident", work / "infra" / "ecs")
    # left out by the settings (a file pre-commit passes too: --force-exclude) and by .gitignore
    for folder in ("legacy", "build"):
        (work / folder).mkdir()
        shutil.copy(
            FIXTURES / "FG201" / "bad_latest_and_untagged.json", work / folder / "task.json"
        )
    for name, text in MODULE.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(text, encoding="utf-8")
    config = (
        f"repos:\n- repo: {clone}\n  rev: {rev}\n  hooks:\n  - id: fglint\n  - id: fglint-all\n"
    )
    (work / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    git(work, "add", "-A")
    return work


def pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # pre-commit keeps the environments it builds; one cache for every run of this test
    home = Path(tempfile.gettempdir()) / "fglint-test-pre-commit"
    env = {**GIT_ENV, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--color", "never", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
    )


def test_one_changed_file_keeps_its_cross_file_finding(repo: Path) -> None:
    done = pre_commit(repo, "fglint", "--files", "infra/ecs/target-group.json")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "infra/ecs/target-group.json:2:3: FG305" in done.stdout


def test_a_changed_tfvars_file_is_checked(repo: Path) -> None:
    done = pre_commit(repo, "fglint", "--files", "infra/tf/terraform.tfvars")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "infra/tf/terraform.tfvars:1:7: FG101" in done.stdout


def test_an_excluded_file_passed_by_name_stays_excluded(repo: Path) -> None:
    done = pre_commit(repo, "fglint", "--files", "legacy/task.json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "legacy/task.json" not in done.stdout


def test_editor_and_compiler_json_pass(repo: Path) -> None:
    done = pre_commit(repo, "fglint", "--files", "tsconfig.json", ".vscode/settings.json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "FG001" not in done.stdout


def test_the_whole_repository_hook(repo: Path) -> None:
    done = pre_commit(repo, "fglint-all", "--all-files")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "infra/ecs/target-group.json:2:3: FG305" in done.stdout
    assert "infra/tf/terraform.tfvars:1:7: FG101" in done.stdout
    assert "tsconfig.json" not in done.stdout
    assert "legacy/" not in done.stdout and "build/" not in done.stdout  # exclude, .gitignore

"""The README's pre-commit, CI and action snippets, run as written in a temporary repository.

Only what needs the network changes: `https://github.com/fglint/fglint` becomes a local clone of
this repository (the pinned commits are in it), and the steps that are GitHub's own
(`actions/checkout`, `github/codeql-action/upload-sarif`) are not run: the temporary repository
is the checkout, and the SARIF file they would upload is checked instead. fglint is installed the
way each snippet says, from its pinned commit, into a virtualenv of this test."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import FIXTURES, ROOT

pytest.importorskip("pre_commit", reason="pre-commit is in the test extra")
if shutil.which("git") is None or not (ROOT / ".git").exists():
    pytest.skip("git and a git checkout of fglint are needed", allow_module_level=True)

README = (ROOT / "README.md").read_text(encoding="utf-8")
SNIPPETS = re.findall(r"```yaml\n(.*?)```", README, re.S)
UPSTREAM = "https://github.com/fglint/fglint"
GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
    "NO_COLOR": "1",
}


def snippet(starts: str) -> str:
    (found,) = [text for text in SNIPPETS if text.startswith(starts)]
    return found


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=900
    )


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A local clone standing for github.com/fglint/fglint."""
    path = tmp_path_factory.mktemp("upstream") / "fglint"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(path)], check=True, env=GIT_ENV)
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A user's repository: the FG305 incident (three JSON files) and a tsconfig.json."""
    work = tmp_path / "work"
    shutil.copytree(FIXTURES / "FG305" / "bad_incident", work / "infra")
    (work / "tsconfig.json").write_text('{"compilerOptions": {"strict": true,},}\n', "utf-8")
    run(["git", "init", "-q"], work, GIT_ENV)
    return work


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a CI job: a fresh virtualenv first on PATH."""
    folder = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    path = os.pathsep.join([str(folder / "bin"), os.environ.get("PATH", "")])
    return {**GIT_ENV, "PATH": path, "VIRTUAL_ENV": str(folder)}


def test_the_pre_commit_snippet(clone: Path, repo: Path) -> None:
    config = snippet("repos:")
    assert UPSTREAM in config
    (repo / ".pre-commit-config.yaml").write_text(config.replace(UPSTREAM, str(clone)), "utf-8")
    run(["git", "add", "-A"], repo, GIT_ENV)
    home = Path(tempfile.gettempdir()) / "fglint-test-pre-commit"  # shared with test_precommit
    env = {**GIT_ENV, "PRE_COMMIT_HOME": str(home)}
    changed = ["--files", "infra/target-group.json", "tsconfig.json"]
    done = run([sys.executable, "-m", "pre_commit", "run", "--color", "never", *changed], repo, env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "infra/target-group.json:2:3: FG305" in done.stdout
    assert "FG001" not in done.stdout  # tsconfig.json is no input of fglint's


def steps(text: str) -> list[dict[str, Any]]:
    return yaml.safe_load(text)  # type: ignore[no-any-return]


def test_the_ci_snippet(clone: Path, repo: Path, venv: dict[str, str]) -> None:
    job = steps(snippet("- run: pip install"))
    commands = [step["run"] for step in job if "run" in step]
    assert len(commands) == 2 and commands[0].startswith("pip install")
    for command in commands:
        # file://localhost/: the PEP 508 parser of pip 23 refuses an empty host
        command = command.replace(f"git+{UPSTREAM}", f"git+file://localhost{clone}")
        done = run(["bash", "-e", "-c", command], repo, venv)
        assert done.returncode == 0, command + "\n" + done.stdout + done.stderr
    (upload,) = [step for step in job if "uses" in step]
    sarif = json.loads((repo / upload["with"]["sarif_file"]).read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"FG305"}
    where = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert "infra/target-group.json" in where and "tsconfig.json" not in where


def expand(text: str, values: dict[str, str]) -> str:
    return re.sub(r"\$\{\{\s*([^}]+?)\s*\}\}", lambda m: values[m.group(1)], text)


def test_the_action_snippet(clone: Path, repo: Path, venv: dict[str, str]) -> None:
    job = steps(snippet("- uses: actions/checkout@v4\n- uses: fglint/fglint@"))
    (use,) = [step for step in job if step.get("uses", "").startswith("fglint/fglint@")]
    sha = use["uses"].split("@", 1)[1]
    action_path = clone.parent / "action"
    subprocess.run(["git", "clone", "-q", str(clone), str(action_path)], check=True, env=GIT_ENV)
    run(["git", "checkout", "-q", sha], action_path, GIT_ENV).check_returncode()
    action = yaml.safe_load((action_path / "action.yml").read_text(encoding="utf-8"))
    values = {f"inputs.{k}": str(v["default"]) for k, v in action["inputs"].items()}
    values |= {f"inputs.{k}": str(v) for k, v in use["with"].items()}
    values["github.workspace"] = str(repo)
    output = repo.parent / "github_output"
    output.write_text("", encoding="utf-8")
    env = {**venv, "GITHUB_WORKSPACE": str(repo), "GITHUB_OUTPUT": str(output)}
    env["GITHUB_ACTION_PATH"] = str(action_path)
    codes, uploads = [], []
    for step in action["runs"]["steps"]:
        if "uses" in step:
            uploads.append({k: expand(str(v), values) for k, v in step["with"].items()})
            continue
        if "steps.fglint.outputs.exit-code" in step["run"]:
            found = dict(line.split("=", 1) for line in output.read_text().splitlines())
            values["steps.fglint.outputs.exit-code"] = found["exit-code"]
        step_env = env | {k: expand(str(v), values) for k, v in step.get("env", {}).items()}
        cwd = Path(expand(step.get("working-directory", str(repo)), values))
        done = run(["bash", "-e", "-c", expand(step["run"], values)], cwd, step_env)
        codes.append(done.returncode)
        assert done.returncode in (0, 1), step["name"] + "\n" + done.stdout + done.stderr
    (upload,) = uploads
    sarif = json.loads(Path(upload["sarif_file"]).read_text(encoding="utf-8"))
    assert upload["category"] == "ecs" and sarif["runs"][0]["automationDetails"]["id"] == "ecs/"
    results = sarif["runs"][0]["results"]
    where = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert "infra/target-group.json" in where and "tsconfig.json" not in where
    errors = any(r["level"] == "error" for r in results)  # fail-on: error
    assert codes == [0, 0, 1 if errors else 0]  # installed, ran, failed the job or not

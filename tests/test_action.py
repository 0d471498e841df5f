"""The composite GitHub Action (`action.yml`): its shell steps run here as the runner would run
them, with a fake GITHUB_WORKSPACE, and the SARIF they write is valid and categorised. The
install step is not run (it would install over this environment); the fglint under test runs."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import FIXTURES, ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def expand(text: str, values: dict[str, str]) -> str:
    return re.sub(r"\$\{\{\s*([^}]+?)\s*\}\}", lambda m: values[m.group(1)], text)


def run_action(workspace: Path, **inputs: str) -> tuple[list[int], Path]:
    # the fglint installed beside this interpreter, not whichever is first on PATH
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    if shutil.which("bash") is None or shutil.which("fglint", path=path) is None:
        pytest.skip("bash and the fglint command are needed")
    values = {f"inputs.{k}": v["default"] for k, v in ACTION["inputs"].items()}
    values.update({f"inputs.{k}": v for k, v in inputs.items()})
    values["github.workspace"] = str(workspace)
    output = workspace.parent / "github_output"
    output.write_text("", encoding="utf-8")
    codes = []
    for step in ACTION["runs"]["steps"]:
        if "run" not in step or "pip install" in step["run"]:
            continue
        if "steps.fglint.outputs.exit-code" in step["run"]:
            found = dict(line.split("=", 1) for line in output.read_text().splitlines())
            values["steps.fglint.outputs.exit-code"] = found["exit-code"]
        env = {**os.environ, "GITHUB_WORKSPACE": str(workspace), "GITHUB_OUTPUT": str(output)}
        env["PATH"] = path
        env |= {k: expand(str(v), values) for k, v in step.get("env", {}).items()}
        cwd = expand(step.get("working-directory", str(workspace)), values)
        done = subprocess.run(
            ["bash", "-e", "-c", expand(step["run"], values)], cwd=cwd, env=env, check=False
        )
        codes.append(done.returncode)
    return codes, workspace / values["inputs.sarif-file"]


def test_the_action_writes_valid_sarif_and_fails_on_errors(tmp_path: Path) -> None:
    workspace = tmp_path / "repo"
    shutil.copytree(FIXTURES / "FG305" / "bad_incident", workspace / "infra")
    (workspace / ".git").mkdir()
    codes, sarif = run_action(workspace, **{"fail-on": "warning", "category": "ecs"})
    assert codes == [0, 1]  # fglint ran; the last step fails the job on the warning
    log = json.loads(sarif.read_text(encoding="utf-8"))
    run = log["runs"][0]
    assert run["automationDetails"]["id"] == "ecs/"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == workspace.as_uri() + "/"
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }
    assert "infra/target-group.json" in uris
    from test_sarif import assert_valid_where_the_schema_is

    assert_valid_where_the_schema_is(log)


def test_the_action_passes_below_fail_on(tmp_path: Path) -> None:
    workspace = tmp_path / "repo"
    shutil.copytree(FIXTURES / "FG305" / "bad_incident", workspace / "infra")
    codes, sarif = run_action(workspace, **{"fail-on": "error", "args": "--select FG305"})
    assert codes == [0, 0] and sarif.is_file()

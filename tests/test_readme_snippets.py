"""The README's install and pre-commit snippets name things that exist: the pinned commit is in
this repository, holds the hooks the snippet uses and the package the pip line installs, and no
snippet installs fglint from a package index, where it is not published."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml
from helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
SNIPPETS = re.findall(r"```yaml\n(.*?)```", README, re.S)


def git(*args: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def test_no_snippet_installs_fglint_from_a_package_index() -> None:
    for snippet in SNIPPETS:
        assert not re.search(r"pip install (-U )?fglint\b", snippet), snippet


def test_the_pinned_commit_has_the_hooks_the_snippet_uses() -> None:
    (config,) = [yaml.safe_load(s) for s in SNIPPETS if "pre-commit" in s or "repos:" in s]
    (repo,) = config["repos"]
    shown = git("show", f"{repo['rev']}:.pre-commit-hooks.yaml")
    assert shown.returncode == 0, f"{repo['rev']} is not a commit with .pre-commit-hooks.yaml"
    ids = {hook["id"] for hook in yaml.safe_load(shown.stdout)}
    assert {hook["id"] for hook in repo["hooks"]} <= ids
    assert {"fglint", "fglint-all"} <= ids


def test_the_pip_lines_pin_a_commit_of_this_repository() -> None:
    pins = re.findall(r"git\+https://github\.com/fglint/fglint@([0-9a-f]{40})", README)
    assert pins
    for sha in set(pins):
        assert git("cat-file", "-e", f"{sha}:pyproject.toml").returncode == 0, sha


def test_the_action_snippet_pins_a_commit_with_the_action_and_its_inputs() -> None:
    pins = re.findall(r"uses: fglint/fglint@([0-9a-f]{40})", README)
    assert pins
    for sha in set(pins):
        shown = git("show", f"{sha}:action.yml")
        assert shown.returncode == 0, f"{sha} has no action.yml"
        inputs = set(yaml.safe_load(shown.stdout)["inputs"])
        assert {"paths", "args", "sarif-file", "category", "fail-on"} <= inputs

"""Loading with workers (`--jobs`) builds the project a run on one core builds, item for item."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import Future
from pathlib import Path

import pytest
from fglint import speculate
from fglint.load import load
from fglint.model import Limits, Project, SourceFile
from helpers import CORPUS, ROOT

TEMPLATE = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: web\n      ContainerDefinitions:\n        - Name: app\n          Image: nginx:latest\n"  # noqa: E501


def shape(project: Project) -> list[object]:
    return [
        [(f.path, f.kind, f.report, f.included_from) for f in project.files],
        [(type(r).__name__, r.name, r.address, r.file.path, r.span) for r in project.resources],
        [(p.code, p.span, p.message) for p in project.problems],
        project.skipped,
    ]


def test_workers_build_the_same_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for number in range(6):
        (tmp_path / f"t{number}.yaml").write_text(TEMPLATE.replace("web", f"web{number}"))
    (tmp_path / "bad.yaml").write_text("Resources: [\n")
    (tmp_path / "notes.yaml").write_text("title: not a template\n")
    # a Terraform file that reads a template first: the template is then found loaded
    (tmp_path / "a.tf").write_text('locals {\n  t = file("t0.yaml")\n}\n')
    alone = load(["."], jobs=1)
    assert shape(load(["."], jobs=2)) == shape(alone)
    assert shape(load(["."], jobs=3)) == shape(alone)


def test_a_result_that_read_a_loaded_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    roots, settings = [str(tmp_path)], {"terraform.var_files": []}
    found = speculate.load_alone(str(tmp_path / "t.yaml"), roots, Limits(), "", settings)
    project = Project(roots=roots)
    project.files.append(SourceFile("t.yaml", str(tmp_path / "t.yaml"), TEMPLATE))
    future: Future[bytes | None] = Future()
    future.set_result(found)
    assert not speculate._merge(project, future)
    assert len(project.files) == 1 and not project.resources
    fresh: Future[bytes | None] = Future()
    fresh.set_result(found)
    empty = Project(roots=roots)
    assert speculate._merge(empty, fresh) and empty.resources
    broken: Future[bytes | None] = Future()
    broken.set_exception(RuntimeError("a worker died"))
    assert not speculate._merge(project, broken)


def test_one_core_for_a_small_run() -> None:
    assert speculate.default_jobs(10) == 1
    assert speculate.default_jobs(1000) >= 1


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here")
def test_the_corpus_report_is_byte_identical_with_two_jobs(tmp_path: Path) -> None:
    def report(jobs: str) -> str:
        args = ["check", str(CORPUS), "--format", "sarif", "--jobs", jobs, "--no-cache"]
        done = subprocess.run(
            [sys.executable, "-m", "fglint", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)},
        )
        assert done.returncode in (0, 1), done.stderr
        return done.stdout

    assert report("2") == report("1")

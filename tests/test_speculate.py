"""Loading with workers (`--jobs`) builds the project a run on one core builds, item for item."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import Future
from pathlib import Path

import pytest
from fglint import saved, speculate
from fglint.load import collect, load
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


MODULE = 'variable "image" {}\nresource "aws_ecs_task_definition" "t" {\n  family = "m"\n  container_definitions = jsonencode([{ name = "a", image = var.image }])\n}\n'  # noqa: E501


def monorepo(base: Path) -> None:
    """Top folders of templates and Terraform; a module in one folder called from another, and
    a template another folder's Terraform reads with file(): entries that cross runs."""
    for top in range(4):
        folder = base / f"team{top}"
        folder.mkdir()
        for number in range(3):
            text = TEMPLATE.replace("web", f"web{top}{number}")
            (folder / f"t{number}.yaml").write_text(text)
    (base / "team0" / "bad.yaml").write_text("Resources: [\n")
    (base / "team1" / "notes.yaml").write_text("title: not a template\n")
    (base / "team2" / "mod").mkdir()
    (base / "team2" / "mod" / "main.tf").write_text(MODULE)
    (base / "team1" / "main.tf").write_text(
        'module "m" {\n  source = "../team2/mod"\n  image = "nginx:latest"\n}\n'
        'locals {\n  t = file("../team3/t0.yaml")\n}\n'
    )
    (base / "team3" / "a.tf").write_text('locals {\n  t = file("t1.yaml")\n}\n')


def test_workers_build_the_same_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monorepo(tmp_path)
    alone = load(["."], jobs=1)
    assert shape(load(["."], jobs=2)) == shape(alone)
    assert shape(load(["."], jobs=3)) == shape(alone)


def test_runs_loaded_by_a_worker_are_taken_as_one_core_loads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every run but the first loaded as a worker loads it, then taken in order: the project
    of one core, most files from the entries, the ones that crossed runs loaded here."""
    monkeypatch.chdir(tmp_path)
    monorepo(tmp_path)
    paths = list(collect(["."]))
    cut = speculate.runs(paths, 4)
    assert len(cut) == 4 and [len(run) for run in cut] == [4, 5, 4, 4]
    settings = {"terraform.var_files": []}
    roots = [str(tmp_path)]
    alone = shape(load(["."], jobs=1))
    project = Project(roots=roots, settings=dict(settings))
    loaded: list[str] = []
    load_file = saved.load_file

    def here(path: Path, into: Project, entry: saved.Entry | None) -> None:
        loaded.append(path.name)
        load_file(path, into, entry)

    monkeypatch.setattr(saved, "load_file", here)
    for number, run in enumerate(cut):
        names = [str(path) for path in run]
        found = speculate.load_run(number, names, roots, Limits(), "", settings) if number else None
        speculate.take(run, found, project, {})
    assert shape(project) == alone
    # run 0 here; then team2's module, loaded by team1's caller (run 1) before its own run
    assert loaded == [path.name for path in cut[0]] + ["main.tf"]


def test_a_run_is_loaded_by_whoever_claims_it_first() -> None:
    import multiprocessing

    claims = multiprocessing.get_context().Array("b", 2)
    assert speculate.claim(claims, 0, speculate.MAIN) == speculate.MAIN
    assert speculate.claim(claims, 0, speculate.WORKER) == speculate.MAIN
    assert speculate.claim(claims, 1, speculate.WORKER) == speculate.WORKER
    assert speculate.claim(claims, 1, speculate.MAIN) == speculate.WORKER
    speculate._share(claims)
    try:
        assert speculate.load_run(1, [], [], Limits(), "", {}) == []
        assert speculate.load_run(0, [], [], Limits(), "", {}) is None  # the main process's
    finally:
        speculate._share(None)


def test_runs_cut_only_where_the_top_folder_changes() -> None:
    paths = [Path(f"/r/{top}/{name}") for top in "abc" for name in ("x.tf", "m/y.tf")]
    paths.append(Path("/r/d.json"))
    assert speculate.runs(paths, 1) == [paths[:2], paths[2:4], paths[4:6], paths[6:]]
    assert speculate.runs(paths, 0.25) == [paths[:4], paths[4:]]  # type: ignore[arg-type]


def test_a_result_that_read_a_loaded_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    roots, settings = [str(tmp_path)], {"terraform.var_files": []}
    run = [tmp_path / "t.yaml"]
    found = speculate.load_run(1, [str(run[0])], roots, Limits(), "", settings)
    assert found is not None and found[0] is not None
    project = Project(roots=roots)
    project.files.append(SourceFile("t.yaml", str(tmp_path / "t.yaml"), TEMPLATE))
    speculate.take(run, found, project, {})
    assert len(project.files) == 1 and not project.resources
    empty = Project(roots=roots)
    speculate.take(run, found, empty, {})
    assert empty.resources
    broken: Future[list[bytes | None] | None] = Future()
    broken.set_exception(RuntimeError("a worker died"))
    assert speculate._result(broken) is None


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

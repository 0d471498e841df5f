"""The model cache: a second run over unchanged files loads nothing again, any change that could
change a file's model is seen, damaged or foreign entries are never trusted, and the report is
byte-identical with and without the cache."""

from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from fglint import cache, saved
from fglint.load import load
from fglint.model import Limits, Project
from helpers import CORPUS, ROOT

TEMPLATE = "Resources:\n" + "".join(
    f"  Svc{n}:\n    Type: AWS::ECS::Service\n    Properties: {{Cluster: c, DesiredCount: {n}}}\n"
    for n in range(5)
)
TASK = (
    '{"family": "web", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",'
    ' "containerDefinitions": [{"name": "app", "image": "nginx:latest"}]}'
)
ROOT_TF = """variable "image" {
  default = "nginx:latest"
}

module "svc" {
  source = "./modules/svc"
  image  = var.image
}
"""
MODULE_TF = """variable "image" {}

resource "aws_ecs_task_definition" "t" {
  family                   = "svc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  container_definitions    = jsonencode([{ name = "app", image = var.image }])
}
"""
EXAMPLE_TF = """module "svc" {
  source = "../../modules/svc"
  image  = "busybox:latest"
}

resource "aws_ecs_task_definition" "file" {
  family                = "from-file"
  container_definitions = file("${path.module}/containers.json")
}
"""
DOCKERFILE = "FROM python:latest\nRUN pip install x\n"


def project_tree(base: Path) -> Path:
    """A small repository with every kind of input and every kind of dependency: a module
    called from two folders, tfvars, `file()`, YAML, JSON, a Dockerfile."""
    (base / "modules" / "svc").mkdir(parents=True)
    (base / "examples" / "complete").mkdir(parents=True)
    (base / "main.tf").write_text(ROOT_TF)
    (base / "terraform.tfvars").write_text('image = "nginx:1.25"\n')
    (base / "modules" / "svc" / "main.tf").write_text(MODULE_TF)
    (base / "examples" / "complete" / "main.tf").write_text(EXAMPLE_TF)
    (base / "examples" / "complete" / "containers.json").write_text(
        '[{"name": "f", "image": "redis:latest"}]'
    )
    (base / "stack.yaml").write_text(TEMPLATE)
    (base / "task.json").write_text(TASK)
    (base / "Dockerfile").write_text(DOCKERFILE)
    return base


def fglint(args: list[str], cache_home: Path, cwd: Path = ROOT) -> str:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    done = subprocess.run(
        [sys.executable, "-m", "fglint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


def stored(folder: Path) -> list[Path]:
    """The cache entries under `folder` (not the marks of use)."""
    return [p for p in folder.rglob("*") if p.is_file() and p.name != cache.USED]


def entries(home: Path) -> list[Path]:
    return stored(home / "fglint" / "model")


def shape(project: Project) -> list[object]:
    return [
        [(f.path, f.abspath, f.kind, f.report, f.included_from, f.text) for f in project.files],
        [
            (type(r).__name__, r.name, r.address, r.file.path, r.span, repr(r.node))
            for r in project.resources
        ],
        project.problems,
        project.skipped,
    ]


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    cache.enable(True, folder=tmp_path / "cache")
    yield tmp_path / "cache"
    cache.enable(False)


def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files each front-end is handed (nothing when the model comes from the cache)."""
    from fglint import load as loader

    calls: list[str] = []
    dispatch = loader.dispatch

    def counting(module: str, file: object, project: Project) -> str | None:
        calls.append(file.path)  # type: ignore[attr-defined]
        return dispatch(module, file, project)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "dispatch", counting)
    return calls


def test_a_second_load_builds_the_same_project_from_the_cache(
    tmp_path: Path, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = project_tree(tmp_path / "repo")
    cache.enable(False)
    plain = shape(load([str(tree)], base=str(tree)))
    cache.enable(True, folder=store)
    calls = counted(monkeypatch)
    assert shape(load([str(tree)], base=str(tree))) == plain
    assert calls and stored(store)
    loaded = len(calls)
    again = load([str(tree)], base=str(tree))
    assert shape(again) == plain
    # Nothing was handed to a front-end the second time but the one file whose loading changes
    # a file loaded before it (its `file()` reads a JSON document linted on its own, which takes
    # the document's resources away): that change is not replayed from an entry.
    assert calls[loaded:] == ["examples/complete/main.tf"]
    # files loaded before a unit that uses them are shared, not copied
    module = next(f for f in again.files if f.path.endswith("modules/svc/main.tf"))
    users = [r for r in again.resources if r.file.path == module.path]
    assert len(users) >= 2 and all(r.file is module for r in users)


@pytest.mark.parametrize(
    "change",
    [
        "edit a module",
        "edit tfvars",
        "add a file to a module",
        "remove tfvars",
        "edit a file() target",
        "edit YAML",
        "add auto tfvars",
    ],
)
def test_a_change_is_seen(
    tmp_path: Path, store: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    tree = project_tree(tmp_path / "repo")
    load([str(tree)], base=str(tree))
    if change == "edit a module":
        (tree / "modules/svc/main.tf").write_text(MODULE_TF.replace("256", "300"))
    elif change == "edit tfvars":
        (tree / "terraform.tfvars").write_text('image = "nginx:latest"\n')
    elif change == "add a file to a module":
        (tree / "modules/svc/extra.tf").write_text(
            'resource "aws_ecs_cluster" "c" {\n  name = "c"\n}\n'
        )
    elif change == "remove tfvars":
        (tree / "terraform.tfvars").unlink()
    elif change == "edit a file() target":
        (tree / "examples/complete/containers.json").write_text('[{"name": "g", "image": "x:1"}]')
    elif change == "edit YAML":
        (tree / "stack.yaml").write_text(TEMPLATE.replace("DesiredCount: 3", "DesiredCount: 30"))
    else:
        (tree / "x.auto.tfvars").write_text('image = "busybox:1"\n')
    warm = shape(load([str(tree)], base=str(tree)))
    cache.enable(False)
    assert warm == shape(load([str(tree)], base=str(tree)))


def test_settings_that_change_loading_are_in_the_key(tmp_path: Path) -> None:
    project = Project(roots=[str(tmp_path)], base=str(tmp_path))
    other = Project(roots=[str(tmp_path)], base=str(tmp_path), limits=Limits(depth=5))
    path = tmp_path / "a.json"
    assert saved.key(path, project) != saved.key(path, other)
    other = Project(roots=[str(tmp_path)], base=str(tmp_path / "x"))
    assert saved.key(path, project) != saved.key(path, other)


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "payload"])
def test_a_damaged_entry_is_loaded_again(tmp_path: Path, store: Path, damage: str) -> None:
    target = tmp_path / "repo"
    target.mkdir()
    (target / "task.json").write_text(TASK)
    fresh = shape(load([str(target)], base=str(target)))
    (entry,) = stored(store)
    data = entry.read_bytes()
    if damage == "truncate":
        data = data[:-3]
    elif damage == "flip":
        data = data[:-1] + bytes([data[-1] ^ 1])
    elif damage == "empty":
        data = b""
    else:  # a whole entry whose payload is not a pickle: checksummed, still not trusted
        body = pickle.dumps(([], b"not a pickle"))
        data = cache.MAGIC + hashlib.sha256(body).digest() + body
    entry.write_bytes(data)
    assert shape(load([str(target)], base=str(target))) == fresh


class _Exploit:
    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.mkdir, (self.path,))


def test_a_foreign_entry_is_never_unpickled_into_code(tmp_path: Path, store: Path) -> None:
    target = tmp_path / "repo"
    target.mkdir()
    (target / "task.json").write_text(TASK)
    fresh = shape(load([str(target)], base=str(target)))
    (entry,) = stored(store)
    marker = tmp_path / "ran"
    for body in (
        pickle.dumps(_Exploit(str(marker))),
        pickle.dumps(([], pickle.dumps(_Exploit(str(marker))))),
    ):
        entry.write_bytes(cache.MAGIC + hashlib.sha256(body).digest() + body)
        assert shape(load([str(target)], base=str(target))) == fresh
        assert not marker.exists()


def test_an_entry_is_read_in_a_process_that_has_not_imported_its_classes(tmp_path: Path) -> None:
    """A warm run evaluates nothing, so `fglint.evaluate.values` (jsonencode's `Encoded`) is
    not imported when an entry holding one is read: the entry is still used (it was a miss)."""
    from fglint.evaluate.values import Encoded
    from fglint.nodes import Span

    body = cache.dumps([Encoded(Span("main.tf", 1, 1, 1, 2), "jsonencode(x)")])
    assert body is not None
    (tmp_path / "entry").write_bytes(body)
    script = (
        "import sys; from pathlib import Path; from fglint import cache\n"
        "assert 'fglint.evaluate.values' not in sys.modules\n"
        f"print(type(cache.loads(Path({str(tmp_path / 'entry')!r}).read_bytes())[0]).__name__)\n"
        "cache.loads(__import__('pickle').dumps(__import__('os').getcwd))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.stdout == "Encoded\n", done.stderr
    assert "is not a tree class" in done.stderr  # any other module is still refused


def test_the_environment_changes_with_a_parser_s_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An upgraded lark, python-hcl2 or PyYAML (any of its files changed) is a new folder of
    entries; found by their files, without importlib.metadata."""
    import importlib.util
    from importlib.machinery import ModuleSpec

    fake = tmp_path / "lark"
    fake.mkdir()
    (fake / "__init__.py").write_text("__version__ = '1.3.1'\n")
    real = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> ModuleSpec | None:
        if name != "lark":
            return real(name, package)
        spec = ModuleSpec("lark", None, is_package=True)
        spec.submodule_search_locations = [str(fake)]
        return spec

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    before = cache.environment()
    assert cache.environment() == before
    (fake / "__init__.py").write_text("__version__ = '1.3.2'\n")
    os.utime(fake / "__init__.py", ns=(1, 1))
    assert cache.environment() != before


def test_unwritable_cache_folder_is_no_cache(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    target = tmp_path / "repo"
    target.mkdir()
    (target / "task.json").write_text(TASK)
    cache.enable(True, folder=blocked)
    try:
        assert load([str(target)], base=str(target)).resources
    finally:
        cache.enable(False)


def test_cli_output_is_the_same_from_the_cache_and_without_it(tmp_path: Path) -> None:
    tree = project_tree(tmp_path / "repo")
    home = tmp_path / "home"
    args = ["check", str(tree), "--format", "json"]
    cold = fglint(args, home)
    assert len(entries(home)) >= 6
    assert fglint(args, home) == cold
    assert fglint([*args, "--jobs", "2"], home) == cold
    assert fglint([*args, "--no-cache"], tmp_path / "other") == cold
    assert not (tmp_path / "other" / "fglint" / "model").exists()


def test_concurrent_runs_share_the_cache(tmp_path: Path) -> None:
    tree = project_tree(tmp_path / "repo")
    home = tmp_path / "home"
    args = [sys.executable, "-m", "fglint", "check", str(tree), "--format", "json"]
    env = {**os.environ, "XDG_CACHE_HOME": str(home)}
    runs = [
        subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env)
        for _ in range(3)
    ]
    outputs = {run.communicate()[0] for run in runs}
    assert len(outputs) == 1
    assert fglint(["check", str(tree), "--format", "json"], home) in outputs
    assert not [p for p in (home / "fglint").rglob("*.tmp")]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_corpus_report_is_byte_identical_from_the_cache(tmp_path: Path, jobs: str) -> None:
    args = ["check", str(CORPUS), "--format", "sarif", "--jobs", jobs]
    plain = fglint([*args, "--no-cache"], tmp_path / "none")
    assert fglint(args, tmp_path / "home") == plain  # filling the cache
    assert fglint(args, tmp_path / "home") == plain  # from it


def test_standard_input_neither_uses_nor_fills_the_cache(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (tmp_path / "task.json").write_text(TASK)
    env = {**os.environ, "XDG_CACHE_HOME": str(home)}
    args = [sys.executable, "-m", "fglint", "check", "-", "--stdin-filename", "task.json"]
    outputs = set()
    for text in (TASK, TASK.replace("nginx:latest", "nginx:1.27"), TASK):
        done = subprocess.run(
            args, cwd=tmp_path, input=text, capture_output=True, text=True, env=env, check=False
        )
        assert done.returncode in (0, 1), done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 2 and not entries(home)


def test_environments_unused_for_a_month_are_removed(tmp_path: Path) -> None:
    """Each fglint version and settings has a folder of its own: one unused for more than
    UNUSED_DAYS goes when another is used; a recently used one, and other files, stay."""
    model = tmp_path / "model"
    now = 2_000_000_000.0
    old, recent, current = model / "old", model / "recent", model / "current"
    for folder, days in ((old, cache.UNUSED_DAYS + 1), (recent, cache.UNUSED_DAYS - 1)):
        (folder / "ab").mkdir(parents=True)
        (folder / "ab" / "cdef").write_bytes(b"entry")
        used = folder / cache.USED
        used.touch()
        os.utime(used, (now - days * 86400, now - days * 86400))
    cache.prune(current, now=now)
    assert sorted(p.name for p in model.iterdir()) == ["current", "recent"]
    assert (current / cache.USED).stat().st_mtime == now
    assert (recent / "ab" / "cdef").read_bytes() == b"entry"


def test_a_run_marks_its_environment_used(tmp_path: Path) -> None:
    tree = project_tree(tmp_path / "repo")
    home = tmp_path / "home"
    fglint(["check", str(tree), "--format", "json"], home)
    (folder,) = (home / "fglint" / "model").iterdir()
    assert (folder / cache.USED).is_file()

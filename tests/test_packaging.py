"""The built wheel holds everything the source tree has (STYLE.md, "Packaging under one import
name"): with `package-dir` mapping `fglint` onto `linter/`, `rules/` and `schemas/`, setuptools
silently drops any subpackage that pyproject.toml does not list, and the editable install used in
development hides it. pre-commit and pip users get the wheel, so the wheel is what we test.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from helpers import ROOT

# source folder -> where it lands in the wheel
MAPPING = {"linter": "fglint", "rules": "fglint/rules", "schemas": "fglint/schemas"}
NOT_SOURCE = {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build from a copy of the tree, so the build leaves nothing in the work tree."""
    source = tmp_path_factory.mktemp("source") / "fglint"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", "build", "dist", "*.egg-info", ".venv", "fixtures", "bench", *NOT_SOURCE
        ),
    )
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    done = subprocess.run(
        [*command, "-q", "-w", str(out), str(source)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (built,) = out.glob("fglint-*.whl")
    return built


@pytest.fixture(scope="module")
def names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def source_files(suffix: str) -> list[str]:
    """Every `suffix` file of the package folders, as its path inside the wheel."""
    found = []
    for folder, target in MAPPING.items():
        for path in sorted((ROOT / folder).rglob(f"*{suffix}")):
            relative = path.relative_to(ROOT / folder)
            if NOT_SOURCE.isdisjoint(relative.parts):
                found.append(f"{target}/{relative.as_posix()}")
    return found


def subpackages() -> list[str]:
    """Every folder of Python code in the source tree, as its path inside the wheel."""
    return sorted({name.rsplit("/", 1)[0] for name in source_files(".py")})


def test_wheel_has_the_package_and_its_marker(names: set[str]) -> None:
    assert "fglint/__init__.py" in names
    assert "fglint/__main__.py" in names
    assert "fglint/py.typed" in names


@pytest.mark.parametrize("package", subpackages())
def test_every_subpackage_is_in_the_wheel(names: set[str], package: str) -> None:
    assert f"{package}/__init__.py" in names, (
        f"{package} is missing from the wheel: add it to [tool.setuptools] packages and "
        "package-dir in pyproject.toml (and give the folder an __init__.py)"
    )


def test_every_python_file_is_in_the_wheel(names: set[str]) -> None:
    missing = [name for name in source_files(".py") if name not in names]
    assert not missing


def test_every_rule_is_in_the_wheel(names: set[str]) -> None:
    rules = [p.name for p in (ROOT / "rules").glob("fg*.py")]
    assert rules
    assert (
        sorted(f"fglint/rules/{name}" for name in rules if f"fglint/rules/{name}" not in names)
        == []
    )


def test_every_schema_is_in_the_wheel(names: set[str]) -> None:
    schemas = [f"fglint/schemas/{p.name}" for p in (ROOT / "schemas").glob("*.json")]
    assert schemas
    assert [name for name in schemas if name not in names] == []
    assert "fglint/schemas/__init__.py" in names


def test_the_hcl_parse_tables_are_in_the_wheel(names: set[str]) -> None:
    # without them a fresh install builds them on its first .tf file (3-5 s)
    assert "fglint/frontends/terraform/hcl2_tables.json" in names
    assert "fglint/frontends/terraform/hcl2.lark" in names  # the grammar, for a fresh build


def test_no_top_level_names_but_fglint(names: set[str]) -> None:
    tops = {name.split("/", 1)[0] for name in names}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"fglint"}


def test_console_script(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        (entry_points,) = [
            n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt")
        ]
        text = archive.read(entry_points).decode("utf-8")
    assert "[console_scripts]" in text
    assert "fglint = fglint.main:entry" in text


def test_the_unpacked_wheel_runs(wheel: Path, tmp_path: Path) -> None:
    """Import fglint from the wheel alone (not the work tree) and lint the bundled example."""
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    example = ROOT / "examples" / "checkout-api.task.json"
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(site)!r})\n"
        "import fglint, fglint.engine.registry\n"
        f"assert fglint.__file__.startswith({str(site)!r}), fglint.__file__\n"
        "print('RULES', len(fglint.engine.registry.all_rules()))\n"
        f"sys.argv = ['fglint', 'check', {str(example)!r}, '--format', 'json']\n"
        "from fglint.main import entry\n"
        "entry()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 1, done.stderr
    rules = len(list((ROOT / "rules").glob("fg*.py")))
    assert done.stdout.startswith(f"RULES {rules}\n")
    assert '"code": "FG201"' in done.stdout

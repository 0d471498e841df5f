"""Imports point down the layers only, so a newcomer can read fglint from the bottom up.

Every module of the package (`linter/`, `rules/`, `schemas/`) is read with `ast`, and every
import of `fglint.*` counts: at the top, inside a function (a lazy import), and under
`TYPE_CHECKING`. A module sits in the layer of the longest prefix in LAYERS that names it, so a
new file in a package (`evaluate/`, `frontends/terraform/`...) is covered without listing it; a
module no entry names fails the test until it is given a layer.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import ROOT

# Lowest first. A module may import its own layer and the layers below it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("fglint", "fglint.aws.facts", "fglint.schemas"),  # the version; facts that import nothing
    ("fglint.nodes",),  # located values
    ("fglint.model",),  # the normalized model
    (
        "fglint.files",
        "fglint.failure",
        "fglint.cache",
        "fglint.exclusion",
    ),  # the one file reader; a bug met becomes a finding (FG005); the model cache's store; exclude
    ("fglint.evaluate",),  # the value algebra Terraform and CloudFormation share
    ("fglint.frontends",),  # one reader per input format
    # cross-file links; what ECS Express Mode creates; the entry-point scripts images copy in
    ("fglint.linker", "fglint.express", "fglint.scripts"),
    (
        "fglint.load",
        "fglint.speculate",
        "fglint.saved",
    ),  # finds files, hands each to its front-end, links the project; the model cache
    ("fglint.aws", "fglint.rule", "fglint.fix"),  # AWS helpers rules share; what a rule is, fixes
    ("fglint.rules",),  # one file per rule
    ("fglint.engine",),  # registry, settings, suppressions, the run, the report
    ("fglint.outputs",),  # one module per output format, the rule catalogue
    ("fglint.main", "fglint.__main__"),  # the command line
)
RULE_IMPORTS = ("fglint.model", "fglint.nodes", "fglint.rule", "fglint.aws")
FRONTEND_SHARED = ("fglint.frontends.jsonpos",)  # helpers every front-end may use
# Front-ends that hand files to each other: none since load.py dispatches by name and content.
# A listed pair that no longer imports fails the test, so the list stays true.
FRONTEND_CALLS_KNOWN: set[tuple[str, str]] = set()
SOURCES = {"linter": "fglint", "rules": "fglint.rules", "schemas": "fglint.schemas"}


def module_files() -> dict[str, Path]:
    found = {}
    for folder, package in SOURCES.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = path.relative_to(ROOT / folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join((package, *parts))] = path
    return found


MODULES = module_files()


def layer(module: str) -> int | None:
    """The layer of the longest prefix naming the module (`fglint` itself names only itself)."""
    named = [
        (len(prefix), number)
        for number, prefixes in enumerate(LAYERS)
        for prefix in prefixes
        if module == prefix or (prefix != "fglint" and module.startswith(prefix + "."))
    ]
    return max(named)[1] if named else None


def imports(module: str, source: str) -> Iterator[tuple[int, str]]:
    """(line, imported fglint module) for every import in the source, wherever it stands."""
    is_package = MODULES.get(module, Path()).name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "fglint":
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] != "fglint":
                continue
            for alias in node.names:
                child = f"{base}.{alias.name}"
                yield node.lineno, child if child in MODULES else base


def problems(module: str, source: str) -> Iterator[str]:
    own = layer(module)
    if own is None:
        yield f"{module}: in no layer; add it to LAYERS in tests/test_layers.py"
        return
    for line, target in imports(module, source):
        where = f"{module}:{line} imports {target}"
        theirs = layer(target)
        if theirs is not None and theirs > own:
            yield f"{where}, a higher layer ({LAYERS[theirs][0]} above {LAYERS[own][0]})"
        if module.startswith("fglint.rules.") and not target.startswith(RULE_IMPORTS):
            yield f"{where}: a rule imports only {', '.join(RULE_IMPORTS)}"
        if sibling_frontend(module, target) and (module, target) not in FRONTEND_CALLS_KNOWN:
            yield f"{where}: front-ends never call each other (load.py chooses one)"
        engine = target.startswith("fglint.engine.") and target != "fglint.engine.report"
        if renders_a_report(module) and engine:
            yield f"{where}: an output reads the Report only, never the rest of the engine"


def renders_a_report(module: str) -> bool:
    """An output format (`outputs/<name>_format.py`), not the rule catalogue or a helper."""
    return module.startswith("fglint.outputs.") and module.endswith("_format")


def frontend_of(module: str) -> str | None:
    parts = module.split(".")
    return ".".join(parts[:3]) if parts[:2] == ["fglint", "frontends"] and len(parts) > 2 else None


def sibling_frontend(module: str, target: str) -> bool:
    mine, theirs = frontend_of(module), frontend_of(target)
    return bool(mine and theirs and mine != theirs and not target.startswith(FRONTEND_SHARED))


def test_the_package_is_read() -> None:
    assert {"fglint.nodes", "fglint.engine.run", "fglint.outputs.text_format"} <= MODULES.keys()
    assert any(m.startswith("fglint.rules.fg") for m in MODULES)
    assert any(m.startswith("fglint.frontends.terraform.") for m in MODULES)
    assert "fglint.evaluate" in MODULES


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module: str) -> None:
    found = sorted(set(problems(module, MODULES[module].read_text(encoding="utf-8"))))
    assert not found, "\n".join(found)


def test_known_frontend_calls_are_still_there() -> None:
    for module, target in sorted(FRONTEND_CALLS_KNOWN):
        source = MODULES[module].read_text(encoding="utf-8")
        assert target in {t for _, t in imports(module, source)}, f"remove {module} -> {target}"


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("fglint.model", "from fglint.linker import link\n", "a higher layer"),
        ("fglint.evaluate.values", "def f():\n    from fglint import load\n", "a higher layer"),
        ("fglint.rule", "if TYPE_CHECKING:\n    import fglint.engine.run\n", "a higher layer"),
        ("fglint.frontends.terraform.x", "from ...linker import link\n", "a higher layer"),
        ("fglint.rules.fg999_x", "from fglint.linker import link\n", "a rule imports only"),
        ("fglint.frontends.dockerfile", "from fglint.frontends.terraform import x\n", "never"),
        ("fglint.newthing", "", "in no layer"),
        (
            "fglint.outputs.x_format",
            "from fglint.engine.registry import all_rules\n",
            "Report only",
        ),
    ],
)
def test_the_check_catches(module: str, source: str, expected: str) -> None:
    assert any(expected in problem for problem in problems(module, source))


def test_the_check_allows_downward_imports() -> None:
    source = "from fglint.frontends.jsonpos import LineIndex\nfrom fglint.model import Project\n"
    assert list(problems("fglint.frontends.dockerfile", source)) == []
    assert list(problems("fglint.rules.fg999_x", "from fglint.aws.services import label\n")) == []


def test_architecture_names_real_places() -> None:
    """Every file or folder ARCHITECTURE.md names in backticks exists (placeholders aside)."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    named = re.findall(r"`([\w./-]+(?:\.py|\.md|/))`", text)
    bases = (ROOT, ROOT / "linter", ROOT / "linter" / "frontends")
    missing = [n for n in named if "NNN" not in n and not any((b / n).exists() for b in bases)]
    assert len(named) > 20 and not missing, missing


def test_architecture_lists_every_layer_entry() -> None:
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    entries = [
        prefix
        for layer in LAYERS
        for prefix in layer
        if prefix not in ("fglint", "fglint.__main__")
    ]
    for prefix in entries:
        path = prefix.removeprefix("fglint.").replace(".", "/")
        place = f"{path}.py" if MODULES.get(prefix, Path()).name != "__init__.py" else f"{path}/"
        assert place in text, f"ARCHITECTURE.md does not place {place} in a layer"

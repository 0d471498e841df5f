"""The corpus, copied to a temporary folder and fixed with every fix (`--fix --unsafe-fixes`,
the fixing rules only): every file that parsed before still parses (JSON with `json`, HCL with
python-hcl2, YAML with PyYAML; the files a fix changed are checked, the others are byte for byte
the corpus), findings go down, and no fix is left that could apply."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from fglint.engine.config import Config
from fglint.engine.fixing import fix_files, usable
from fglint.engine.registry import all_rules
from fglint.engine.run import run
from fglint.load import load
from helpers import CORPUS, in_dir

FIXING = [rule.code for rule in all_rules() if rule.meta.fix]


def parses(path: Path) -> bool | None:
    """Does the file parse with the reference parser of its format? None: not such a file."""
    import hcl2
    import yaml

    class AnyTag(yaml.SafeLoader):  # CloudFormation's !Ref, !Sub...
        pass

    def tagged(loader: Any, suffix: str, node: Any) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node)
        return loader.construct_mapping(node)

    AnyTag.add_multi_constructor("!", tagged)
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    try:
        if path.suffix == ".json":
            json.loads(text)
        elif path.suffix == ".tf":
            hcl2.loads(text)
        elif path.suffix in (".yaml", ".yml"):
            list(yaml.load_all(text, Loader=AnyTag))
        else:
            return None
    except Exception:
        return False
    return True


def test_fixed_corpus_still_parses(tmp_path: Path) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"the corpus is not at {CORPUS}")
    work = tmp_path / "corpus"
    shutil.copytree(CORPUS, work, symlinks=True)

    def lint():  # type: ignore[no-untyped-def]
        config = Config()
        config.select = FIXING
        project = load(["."])
        return project, run(project, config)

    with in_dir(work):
        outcome, _, report = fix_files(lint, unsafe=True, write=True)
    changed = sorted(outcome.changed)  # paths relative to the copy; other files are as they were
    assert changed and all(parses(work / path) is not None for path in changed)
    broken = [path for path in changed if parses(CORPUS / path) and not parses(work / path)]
    assert broken == []
    assert outcome.fixed > 0 and len(report.findings) < outcome.found
    assert [f for f in report.findings if usable(f.fix, True)] == []  # nothing left to apply
    print(f"corpus, fixing rules: {outcome.found} findings -> {len(report.findings)}")

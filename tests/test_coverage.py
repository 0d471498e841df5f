"""docs/coverage.md: every peer check with the fglint rule that covers it, or why not. The page
is generated from scripts/coverage.py; these tests keep it current and honest."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from fglint.engine.registry import rule_by_code
from helpers import CORPUS, ROOT

ORACLE = CORPUS / "oracle.json"


def _module(name: str, path: Path):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


coverage = _module("fglint_coverage", ROOT / "scripts" / "coverage.py")


def test_the_page_is_current() -> None:
    page = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")
    assert page == coverage.render(), "run: python scripts/coverage.py > docs/coverage.md"


def test_every_check_is_listed_once_with_a_known_status() -> None:
    keys = [(check.peer, check.id) for check in coverage.CHECKS]
    assert len(keys) == len(set(keys))
    for check in coverage.CHECKS:
        assert check.peer in coverage.SOURCES and check.status in coverage.STATUSES, check
        assert check.source, check


def test_every_rule_named_exists() -> None:
    for check in coverage.CHECKS:
        for code in check.rules:
            assert rule_by_code(code) is not None, f"{check.id}: no rule {code}"


def test_nothing_is_left_without_a_reason() -> None:
    for check in coverage.CHECKS:
        if check.status in ("covered", "partly"):
            assert check.rules, f"{check.id} is {check.status} but names no rule"
        if check.status != "covered":
            assert len(check.reason) > 20, f"{check.id} is {check.status} without a reason"


@pytest.mark.skipif(not ORACLE.is_file(), reason="the shared corpus is not here")
def test_every_peer_check_of_the_oracle_is_listed() -> None:
    listed = {(check.peer, check.id) for check in coverage.CHECKS}
    oracle = json.loads(ORACLE.read_text(encoding="utf-8"))
    found = {(entry["peer"], entry["check_id"]) for entry in oracle["entries"]}
    assert not found - listed, sorted(found - listed)


def test_the_oracle_mapping_agrees_with_the_page() -> None:
    oracle_test = _module("fglint_test_oracle", ROOT / "tests" / "test_oracle.py")
    table = {(check.peer, check.id): set(check.rules) for check in coverage.CHECKS}
    for key, codes in oracle_test.MAPPING.items():
        assert key in table, f"{key} is measured by the oracle but not on the page"
        assert set(codes) <= table[key], f"{key}: oracle maps {codes}, the page {table[key]}"

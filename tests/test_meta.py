"""Every rule has its documentation sections, both kinds of fixture, and a unique code."""

from __future__ import annotations

import re

import pytest
from fglint.engine.registry import all_rules
from helpers import FIXTURES

SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## References")
RULES = all_rules()

# Rules that no input may trigger by design, so no bad fixture can exist.
NO_BAD_FIXTURE = {
    "FG005": "reports a bug in fglint; a fixture that triggered it would be a bug to fix "
    "(tests/test_hardening.py makes a rule and a front-end fail on purpose instead)",
}


def test_codes_are_unique_and_well_formed() -> None:
    codes = [rule.code for rule in RULES]
    assert len(codes) == len(set(codes))
    for rule in RULES:
        assert re.fullmatch(r"FG\d{3}", rule.code)
        assert rule.module.startswith(rule.code.lower() + "_"), rule.module
        assert re.fullmatch(r"[a-z0-9-]+", rule.meta.name)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_docs(rule) -> None:  # type: ignore[no-untyped-def]
    for section in SECTIONS:
        assert section in rule.doc, f"{rule.code} docs lack {section!r}"
    assert "Use instead" in rule.doc or "Fix" in rule.doc, f"{rule.code} docs show no fix"
    assert rule.meta.severity in ("error", "warning", "note")
    if "security" in rule.meta.tags:
        assert rule.meta.security_severity is not None


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_fixtures(rule) -> None:  # type: ignore[no-untyped-def]
    folder = FIXTURES / rule.code
    names = [p.name for p in folder.iterdir()] if folder.is_dir() else []
    bad = [n for n in names if n.startswith("bad_") and not n.endswith(".expected")]
    good = [n for n in names if n.startswith("good_")]
    assert bad or rule.code in NO_BAD_FIXTURE, f"{rule.code} has no bad_* fixture"
    assert not (bad and rule.code in NO_BAD_FIXTURE), f"{rule.code} has a bad fixture now"
    assert good, f"{rule.code} has no good_* fixture"
    for name in bad:
        assert f"{name}.expected" in names, f"{rule.code}/{name} has no snapshot"

"""`docs/rules/FGnnn.md`: one page per rule, generated from its docstring (SARIF's `helpUri`
points there), kept current like the README's rule table. FGLINT_UPDATE_SNAPSHOTS=1 rewrites."""

from __future__ import annotations

import os

import pytest
from fglint.engine.registry import all_rules
from fglint.outputs.catalogue import rule_page
from helpers import ROOT

DOCS = ROOT / "docs" / "rules"
UPDATE = os.environ.get("FGLINT_UPDATE_SNAPSHOTS") == "1"


@pytest.mark.parametrize("code", [rule.code for rule in all_rules()])
def test_rule_page_is_current(code: str) -> None:
    page = DOCS / f"{code}.md"
    current = rule_page(code)
    assert current is not None
    if UPDATE:
        DOCS.mkdir(parents=True, exist_ok=True)
        page.write_text(current, encoding="utf-8")
    assert page.is_file(), f"missing {page.name}: FGLINT_UPDATE_SNAPSHOTS=1 pytest {__file__}"
    assert page.read_text(encoding="utf-8") == current, f"{page.name} is stale"


def test_no_page_without_a_rule() -> None:
    codes = {rule.code for rule in all_rules()}
    stale = [page.name for page in DOCS.glob("*.md") if page.stem not in codes]
    if UPDATE:
        for name in stale:
            (DOCS / name).unlink()
        stale = []
    assert not stale, f"pages for rules that do not exist: {stale}"

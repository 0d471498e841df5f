"""`docs/rules/FGnnn.md`: one page per rule, generated from its docstring (SARIF's `helpUri`
points there), kept current like the README's rule table. FGLINT_UPDATE_SNAPSHOTS=1 rewrites."""

from __future__ import annotations

import os
import re

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


# Rule docs name their sources. The Fargate production guide is named by its title wherever it
# is cited; a lower-case "guide" names nothing else (AWS's are titled: "Developer Guide").
GUIDE = "Fargate production guide"
UNNAMED_GUIDE = re.compile(rf"(?<!{GUIDE[:-5]})\bguide\b|\b[Tt]he Guide\b")
URL = re.compile(r"https?://\S+")
GUIDE_CITATION = re.compile(
    rf"{GUIDE}, (section \d|sections \d|introduction|enterprise scenario)[^:]*: \S"
)


def unnamed_guides(text: str) -> list[str]:
    """Each place in `text` that says "guide" without naming which (addresses aside)."""
    flat = " ".join(URL.sub("", text).split())
    return [flat[max(0, m.start() - 40) : m.end() + 20] for m in UNNAMED_GUIDE.finditer(flat)]


def references(doc: str) -> list[str]:
    """The bullets of a rule doc's References section, each on one line."""
    section = doc.split("## References", 1)[1].split("\n## ", 1)[0]
    return [" ".join(item.split()) for item in re.split(r"\n- ", "\n" + section.strip())[1:]]


def test_unnamed_guide_is_caught() -> None:
    assert unnamed_guides("See the guide, section 5.")
    assert unnamed_guides("the guide's incident")
    assert unnamed_guides("The Fargate production\nguide's incident; the guide: 30 s")
    assert not unnamed_guides("The Fargate production\nguide's incident")
    assert not unnamed_guides(
        "https://docs.aws.amazon.com/x/user-guide/y, Amazon ECS Developer Guide"
    )


def test_references_are_read_per_bullet() -> None:
    doc = "## References\n- https://a.example/\n- Fargate production guide, section 1\n  (x): y\n"
    assert references(doc) == ["https://a.example/", "Fargate production guide, section 1 (x): y"]
    assert references("## References\nnone\n## Options\n") == []


@pytest.mark.parametrize("code", [rule.code for rule in all_rules()])
def test_rule_doc_names_its_sources(code: str) -> None:
    rule = next(rule for rule in all_rules() if rule.code == code)
    assert not unnamed_guides(rule.doc), f"say {GUIDE!r}, with the section and the fact"
    cited = references(rule.doc)
    sources = [item for item in cited if URL.search(item) or GUIDE in item]
    assert sources, f"{code}'s References name no source (an address or the {GUIDE})"
    bare = [item for item in cited if URL.match(item)]
    assert not bare, f"name each source (its title) before its address: {bare}"
    for item in cited:
        if GUIDE in item:
            assert GUIDE_CITATION.search(item), f"cite the section and the fact it states: {item}"


def test_no_unnamed_guide_in_what_users_read() -> None:
    """Rule texts and messages (the rule modules, the findings in the fixture snapshots), the
    README and the docs."""
    paths = [ROOT / "README.md", ROOT / "ARCHITECTURE.md", *sorted((ROOT / "docs").rglob("*.md"))]
    paths += sorted((ROOT / "rules").glob("fg*.py"))
    paths += sorted((ROOT / "fixtures").rglob("*.expected"))
    found = {
        str(path.relative_to(ROOT)): places
        for path in paths
        if (places := unnamed_guides(path.read_text(encoding="utf-8")))
    }
    assert not found, f"say {GUIDE!r}: {found}"


def test_fg001_documents_every_limit() -> None:
    """FG001's docs name each `[limits]` setting with its default and maximum, as the code has
    them: a new limit or a changed default must reach the docs."""
    from dataclasses import fields

    from fglint.engine.config import LIMITS
    from fglint.model import Limits

    doc = next(rule.doc for rule in all_rules() if rule.code == "FG001")
    flat = " ".join(doc.split())
    defaults = Limits()
    assert {field for field, _, _ in LIMITS.values()} == {f.name for f in fields(Limits)}
    for name, (field, _, most) in LIMITS.items():
        value = getattr(defaults, field)
        shown = f"{value:g}" if value != int(value) else str(int(value))
        assert f"`{name}`, default {shown}" in flat, f"FG001's docs miss `{name}` = {shown}"
        if most is not None:
            assert f"`{name}`, default {shown}, at most {most}" in flat, f"{name}: maximum"
    for setting in ("`[limits]`", "`[tool.fglint.limits]`", "FG005"):
        assert setting in flat

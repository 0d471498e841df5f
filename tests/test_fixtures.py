"""Every rule is proven by its fixtures: `fixtures/FGxxx/bad_*` must produce exactly the golden
snapshot next to it (`<fixture>.expected`: location, message and carets), and `good_*` must stay
silent. The rule under test runs alone. FGLINT_UPDATE_SNAPSHOTS=1 rewrites the snapshots (review
the diff before committing)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from helpers import FIXTURES, render

UPDATE = os.environ.get("FGLINT_UPDATE_SNAPSHOTS") == "1"


def fixtures(prefix: str) -> list[Path]:
    return sorted(
        path for path in FIXTURES.glob(f"FG*/{prefix}_*") if not path.name.endswith(".expected")
    )


def ident(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.mark.parametrize("fixture", fixtures("bad"), ids=ident)
def test_bad_fixture_matches_snapshot(fixture: Path) -> None:
    code = fixture.parent.name
    report = render([fixture], [code])
    expected = fixture.with_name(fixture.name + ".expected")
    if UPDATE:
        expected.write_text(report, encoding="utf-8")
    assert f": {code} [" in report, f"{ident(fixture)} does not trigger {code}"
    assert expected.exists(), f"missing snapshot {expected.name}"
    assert report == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("fixture", fixtures("good"), ids=ident)
def test_good_fixture_is_silent(fixture: Path) -> None:
    code = fixture.parent.name
    report = render([fixture], [code])
    # at least one file linted: a good fixture that fglint skips would pass for nothing
    assert re.fullmatch(r"No findings in [1-9][0-9]* files?\.\n", report), report

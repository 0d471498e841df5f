"""FG202 is off by default: `fglint rules` says so, a plain run skips it, `--select` turns it on."""

from __future__ import annotations

import json

from click.testing import CliRunner
from fglint.engine.config import Config
from fglint.main import cli
from helpers import FIXTURES, lint

BAD = FIXTURES / "FG202" / "bad_tag_only.json"


def test_rules_table_marks_fg202_off_by_default() -> None:
    result = CliRunner().invoke(cli, ["rules"])
    assert result.exit_code == 0
    line = next(line for line in result.output.splitlines() if line.startswith("FG202"))
    assert "(off by default)" in line
    other = next(line for line in result.output.splitlines() if line.startswith("FG201"))
    assert "(off by default)" not in other


def test_rules_json_marks_fg202_disabled() -> None:
    rows = json.loads(CliRunner().invoke(cli, ["rules", "--format", "json"]).output)
    assert {row["code"]: row["enabled"] for row in rows}["FG202"] is False


def test_default_run_skips_fg202_and_select_turns_it_on() -> None:
    assert not [f for f in lint([BAD], config=Config()) if f.code == "FG202"]
    selected = lint([BAD], config=Config(select=["FG202"]))
    assert [f.code for f in selected] == ["FG202", "FG202"]


def _codes(*args: str) -> list[str]:
    output = CliRunner().invoke(cli, ["check", str(BAD), "--format", "json", *args]).output
    return [finding["code"] for finding in json.loads(output)["findings"]]


def test_cli_select_turns_fg202_on() -> None:
    assert "FG202" not in _codes()
    assert _codes("--select", "FG202") == ["FG202", "FG202"]

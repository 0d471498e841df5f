"""The README's rule table is generated from the rules' metadata, and its commands are real."""

from __future__ import annotations

import os
import re

from fglint.outputs.catalogue import render_rules
from helpers import ROOT

README = ROOT / "README.md"
START, END = "<!-- rules:start -->\n", "<!-- rules:end -->"


def test_rule_table_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    head, rest = text.split(START)
    _, tail = rest.split(END)
    current = head + START + render_rules("markdown") + END + tail
    if os.environ.get("FGLINT_UPDATE_SNAPSHOTS") == "1":
        README.write_text(current, encoding="utf-8")
        text = current
    assert text == current, "README rule table is stale: FGLINT_UPDATE_SNAPSHOTS=1 pytest"


def test_exactly_two_setup_commands_and_ci_runs_the_second() -> None:
    setup = README.read_text(encoding="utf-8").split("## Set up")[1].split("## Usage")[0]
    commands = re.findall(r"```sh\n(.*?)\n```", setup, re.S)
    assert len(commands) == 2
    assert "fglint check examples/" in commands[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci

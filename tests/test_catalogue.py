"""`fglint explain` and `fglint rules` on a terminal: docs without Markdown markup, a rule table
that wraps long summaries under their own column. Piped output stays Markdown / one line a rule."""

from __future__ import annotations

import pytest
from fglint.engine.registry import all_rules
from fglint.outputs.catalogue import explain, for_terminal, render_rules

CODES = [rule.code for rule in all_rules()]


@pytest.mark.parametrize("code", CODES)
def test_terminal_docs_have_no_markdown_markup(code: str) -> None:
    text = explain(code, terminal=True)
    assert text is not None
    assert "```" not in text
    assert not [line for line in text.splitlines() if line.startswith("#")]
    for title in ("What it does", "Why is this bad?", "Example", "References"):
        assert title in text.splitlines()


def test_code_blocks_are_indented_and_set_apart() -> None:
    markdown = 'Use instead:\n```json\n{"a": 1,\n\n "b": 2}\n```\n## References\n- x\n'
    assert for_terminal(markdown) == (
        'Use instead:\n\n    {"a": 1,\n\n     "b": 2}\n\nReferences\n- x\n'
    )
    assert for_terminal("## Example\n", bold=True) == "\033[1mExample\033[0m\n"


def test_piped_docs_stay_markdown() -> None:
    text = explain("FG806")
    assert text is not None and "## Example" in text and "```json" in text


def test_the_rule_table_wraps_to_the_terminal() -> None:
    width = 100
    table = render_rules("table", width)
    lines = table.splitlines()
    assert all(len(line) <= width for line in lines)
    starts = [line.split()[0] for line in lines if not line.startswith(" ")]
    assert starts == CODES
    column = lines[0].index(all_rules()[0].meta.summary.split()[0])
    continued = [line for line in lines if line.startswith(" ")]
    assert continued and all(len(line) - len(line.lstrip()) == column for line in continued)
    assert render_rules("table").count("\n") == len(CODES)  # piped: one line a rule

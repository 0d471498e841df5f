"""The fast HCL parse loop builds lark's own tree: the same nodes, tokens and positions as
`Lark.parse` with `propagate_positions`, and lark's error when the input is not HCL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fglint.frontends.terraform import parse as tf_parse
from fglint.frontends.terraform import shipped
from helpers import FIXTURES
from lark import Token, Tree

POSITIONS = ("line", "column", "start_pos", "end_line", "end_column", "end_pos")

SAMPLES = {
    "empty block and body": 'resource "aws_ecs_cluster" "x" {}\n',
    "comments and operators over lines": (
        "# lead\nlocals {\n  a = 1 /* inline */ + 2\n  b = var.x\n    ? 1\n    : 2 // end\n"
        "  c = !var.y && (var.z || false)\n  d = -1 * 2 % 3\n}\n"
    ),
    "newlines and strip markers inside ${ } and %{ }": (
        'x = "arn:${\n  local.p # the partition\n}:${~ var.a ~}%{\n if var.b ~}y%{ endif }"\n'
    ),
    "heredoc, template and directives": (
        'x = <<-EOT\n  ${var.a} %{ if var.b }yes%{ endif }\nEOT\ny = "a${b.c[0]}$${d}%%{e}"\n'
    ),
    "collections, for and splat": (
        'a = [for k, v in var.m : upper(v) if k != "x"]\n'
        "b = { for s in var.l : s.id => s... }\n"
        'c = aws_subnet.x[*].id\nd = var.o.*.name\ne = { in = 1, "k" : 2, }\n'
        "f = provider::p::fn(1, 2...)\ng = [1, 2.5e3, null, true]\n"
    ),
    "keywords as names": "in {\n  for = 1\n}\nif = 2\n",
}


def same(fast: Any, slow: Any) -> bool:
    if isinstance(slow, Tree):
        if not isinstance(fast, Tree) or (fast.data, len(fast.children)) != (
            slow.data,
            len(slow.children),
        ):
            return False
        if fast.meta.empty != slow.meta.empty:
            return False
        if not slow.meta.empty and any(
            getattr(fast.meta, key) != getattr(slow.meta, key) for key in POSITIONS
        ):
            return False
        return all(same(a, b) for a, b in zip(fast.children, slow.children, strict=True))
    if isinstance(slow, Token):
        return (
            isinstance(fast, Token)
            and (fast.type, fast.value) == (slow.type, slow.value)
            and all(getattr(fast, key) == getattr(slow, key) for key in POSITIONS)
        )
    return bool(fast == slow)


def texts() -> list[tuple[str, str]]:
    found = list(SAMPLES.items())
    for path in sorted(FIXTURES.rglob("*.tf")):
        found.append((str(path.relative_to(FIXTURES)), path.read_text(encoding="utf-8")))
    return found


@pytest.mark.parametrize(("name", "text"), texts(), ids=[name for name, _ in texts()])
def test_fast_parse_builds_larks_tree(name: str, text: str) -> None:
    fast = tf_parse._fast()
    assert fast is not None
    text = text if text.endswith("\n") else text + "\n"
    try:
        slow = tf_parse.parser().parse(text)
    except Exception:
        with pytest.raises(tf_parse._Rejected):
            fast.parse(text)
        return
    assert same(fast.parse(text), slow)


def test_input_the_fast_loop_rejects_gets_larks_error() -> None:
    with pytest.raises(tf_parse.HclSyntaxError) as error:
        tf_parse.parse('a = {\n  b = "c"\n')
    assert "unexpected end of file" in error.value.message
    with pytest.raises(tf_parse.HclSyntaxError) as error:
        tf_parse.parse("a = 1\nb = \u00a7\n")
    assert (error.value.line, error.value.col) == (2, 5)


def test_tables_are_saved_once_and_read_back_also_from_a_fresh_grammar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(shipped, "load", lambda fmt: None)  # as with another python-hcl2
    sample = SAMPLES["collections, for and splat"]
    tf_parse.parser.cache_clear()  # a grammar built afresh names things with lark tokens
    tf_parse._fast.cache_clear()
    try:
        expected = tf_parse.parser().parse(sample)
        built = tf_parse._fast()  # from lark, then saved
        (saved,) = (tmp_path / "fglint").glob("hcl2-tables-*.marshal")
        assert built is not None and same(built.parse(sample), expected)

        def no_lark() -> None:
            raise AssertionError("the saved tables were not used")

        monkeypatch.setattr(tf_parse, "parser", no_lark)
        tf_parse._fast.cache_clear()
        loaded = tf_parse._fast()
        assert loaded is not None and same(loaded.parse(sample), expected)

        monkeypatch.undo()
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
        monkeypatch.setattr(shipped, "load", lambda fmt: None)
        saved.write_bytes(b"not tables")  # a damaged file is built again
        tf_parse._fast.cache_clear()
        rebuilt = tf_parse._fast()
        assert rebuilt is not None and same(rebuilt.parse(sample), expected)
        assert saved.read_bytes() != b"not tables"
    finally:
        tf_parse.parser.cache_clear()
        tf_parse._fast.cache_clear()


def test_shipped_tables_are_those_of_the_installed_grammar() -> None:
    """If this fails, python-hcl2 changed its grammar: run `python scripts/gen_hcl_tables.py`
    (until then a fresh install builds the tables on its first .tf file)."""
    assert shipped.load(tf_parse.TABLES_FORMAT) is not None, "grammar digest differs"
    fresh = shipped.as_json(tf_parse._tables(tf_parse.parser()), tf_parse.TABLES_FORMAT)
    assert json.loads(fresh) == json.loads(shipped.SHIPPED.read_text(encoding="utf-8"))


def test_shipped_tables_are_used_without_lark_or_a_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))

    def no_lark() -> None:
        raise AssertionError("lark's parser was built")

    monkeypatch.setattr(tf_parse, "parser", no_lark)
    tf_parse._fast.cache_clear()
    try:
        fast = tf_parse._fast()
        assert fast is not None and fast.parse(SAMPLES["keywords as names"]).data == "start"
        assert not list(tmp_path.rglob("*")), "nothing is written to the cache"
    finally:
        tf_parse._fast.cache_clear()


def test_tables_for_another_grammar_are_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shipped, "grammar_digest", lambda: "another grammar")
    assert shipped.load(tf_parse.TABLES_FORMAT) is None
    monkeypatch.undo()
    monkeypatch.setattr(shipped, "SHIPPED", shipped.SHIPPED.with_name("missing.json"))
    assert shipped.load(tf_parse.TABLES_FORMAT) is None


def test_canonical_tables_do_not_depend_on_the_hash_seed() -> None:
    tables = tf_parse._tables(tf_parse.parser())
    states = sorted(tables["states"])
    renumber = dict(zip(states, reversed(states), strict=True))  # another numbering
    shuffled = {
        **tables,
        "states": {
            renumber[state]: {s: renumber[a] if a >= 0 else a for s, a in row.items()}
            for state, row in tables["states"].items()
        },
        "start": renumber[tables["start"]],
        "end": renumber[tables["end"]],
        "lexer_of": {renumber[state]: lexer for state, lexer in tables["lexer_of"].items()},
    }
    assert shipped.canonical(shuffled) == shipped.canonical(tables)

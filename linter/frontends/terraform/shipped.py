"""The HCL parse tables shipped inside the package, so that the first `.tf` file a fresh install
reads costs no table build (3-5 s with lark).

`hcl2_tables.json` holds the tables `parse._tables` makes from our copy of python-hcl2's grammar,
in a canonical form (lark numbers states and rules differently from one hash seed to the next), with
the digest of the grammar they were made from. They are used only when that digest is the one of
the grammar installed; otherwise `parse` builds the tables from lark as before.
`scripts/gen_hcl_tables.py` writes the file; a test checks it against a fresh build.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

SHIPPED = Path(__file__).with_name("hcl2_tables.json")


GRAMMAR = Path(__file__).with_name("hcl2.lark")  # python-hcl2's, with the changes it names


def grammar_files() -> tuple[Path, Path]:
    """The grammar and python-hcl2's post-lexer, found without importing the package."""
    from importlib.util import find_spec

    spec = find_spec("hcl2")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("python-hcl2 is not installed")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return GRAMMAR, folder / "postlexer.py"


def grammar_digest() -> str:
    """What the tables are made from: the grammar's text and the post-lexer's code."""
    grammar, postlexer = grammar_files()
    return hashlib.sha256(grammar.read_bytes() + b"\0" + postlexer.read_bytes()).hexdigest()


def canonical(tables: dict[str, Any]) -> dict[str, Any]:
    """The same tables whatever order lark built them in: states numbered in the order a walk
    from the start state meets them (symbols sorted), rules sorted, lexers in the order the
    states use them."""
    states: dict[int, dict[str, int]] = tables["states"]
    rules = [tuple(rule) for rule in tables["rules"]]
    order = sorted(set(rules))
    rule_number = {rule: order.index(rule) for rule in rules}
    number = {tables["start"]: 0}
    walk = [tables["start"]]
    for state in walk:
        for symbol in sorted(states[state]):
            target = states[state][symbol]
            if target >= 0 and target not in number:
                number[target] = len(number)
                walk.append(target)
    if len(walk) != len(states) or tables["end"] not in number:
        raise ValueError("states that the start state does not lead to")
    lexer_number: dict[int, int] = {}
    lexers: list[Any] = []
    lexer_of: dict[int, int] = {}
    new_states: dict[int, dict[str, int]] = {}
    for state in walk:
        new_states[number[state]] = {
            symbol: number[arg] if arg >= 0 else -1 - rule_number[rules[-1 - arg]]
            for symbol, arg in sorted(states[state].items())
        }
        old = tables["lexer_of"][state]
        if old not in lexer_number:
            lexer_number[old] = len(lexers)
            patterns, ignore, newlines, keywords = tables["lexers"][old]
            lexers.append((patterns, ignore, newlines, dict(sorted(keywords.items()))))
        lexer_of[number[state]] = lexer_number[old]
    return {
        "states": new_states,
        "rules": order,
        "start": 0,
        "end": number[tables["end"]],
        "lexers": lexers,
        "lexer_of": lexer_of,
    }


def as_json(tables: dict[str, Any], fmt: int) -> str:
    """The file's text: the canonical tables, the grammar digest and the format number."""
    data = json.loads(json.dumps(canonical(tables)))
    head = {"format": fmt, "grammar": grammar_digest()}
    return json.dumps({**head, "tables": data}, separators=(",", ":"), sort_keys=True) + "\n"


def load(fmt: int) -> dict[str, Any] | None:
    """The shipped tables when they were made from the installed grammar in format `fmt`."""
    try:
        data = json.loads(SHIPPED.read_text(encoding="utf-8"))
        if data["format"] != fmt or data["grammar"] != grammar_digest():
            return None
        tables: dict[str, Any] = data["tables"]
        tables["states"] = {int(state): row for state, row in tables["states"].items()}
        tables["lexer_of"] = {int(state): lexer for state, lexer in tables["lexer_of"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return tables

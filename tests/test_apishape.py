"""FG003's quick check: `apishape.conforms` says a value conforms only when jsonschema finds no
error that FG003 would report, on every definition of every API schema, for values that break
each property in each way; and it does say so for plain conforming values, so that a run on a
conforming file never imports jsonschema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fglint.aws import apishape
from fglint.aws.data import load
from fglint.nodes import UNKNOWN
from helpers import ROOT

STEMS = sorted(p.stem for p in (ROOT / "schemas").glob("*_api.json"))
ODD_VALUES: list[object] = [
    None,
    True,
    False,
    0,
    1,
    -1,
    1.0,
    1.5,
    10**12,
    "",
    "x",
    "FARGATE",
    "a" * 3000,
    [],
    [None],
    [1],
    ["x"],
    {},
    {"x": 1},
    {"x": "y"},
    UNKNOWN,
]


def sample(schema: dict[str, Any], defs: dict[str, Any], depth: int = 0) -> object:
    """A value meant to conform (jsonschema has the last word)."""
    if "$ref" in schema:
        return sample(defs[schema["$ref"].removeprefix("#/$defs/")], defs, depth)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "string":
        return "a" * max(1, schema.get("minLength", 1))
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    if kind == "boolean":
        return True
    if kind == "array":
        return [sample(schema["items"], defs, depth + 1)] if depth < 4 else []
    if kind == "object":
        found = {
            key: sample(schema["properties"][key], defs, depth + 1)
            for key in schema.get("required", [])
        }
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and depth < 4:
            found["someKey"] = sample(extra, defs, depth + 1)
        return found
    return None


def variants(schema: dict[str, Any], defs: dict[str, Any]) -> list[object]:
    base = sample(schema, defs)
    found: list[object] = [base]
    if not isinstance(base, dict):
        return found + ODD_VALUES
    for key in schema.get("properties", {}):
        good = sample(schema["properties"][key], defs)
        found.append({**base, key: good})
        found += [{**base, key: odd} for odd in ODD_VALUES]
        if isinstance(good, list) and good:
            found += [{**base, key: [odd]} for odd in ODD_VALUES]
        if isinstance(good, dict) and good:
            inner = next(iter(good))
            found += [{**base, key: {**good, inner: odd}} for odd in ODD_VALUES]
    for key in schema.get("required", []):
        found.append({k: v for k, v in base.items() if k != key})
    found.append({**base, "notAnApiKey": 1})
    return found


def reported(errors: list[Any], value: object) -> list[Any]:
    """The errors FG003 reports: not those at or under an unknown value below the root."""
    kept = []
    for error in errors:
        node = value
        for part in error.absolute_path:
            node = node[part]
            if node is UNKNOWN:
                break
        else:
            kept.append(error)
    return kept


@pytest.mark.parametrize("stem", STEMS)
def test_conforms_only_when_jsonschema_reports_nothing(stem: str) -> None:
    from jsonschema import Draft202012Validator

    defs = load(stem)["$defs"]
    for name, definition in defs.items():
        root = {"$ref": f"#/$defs/{name}"}
        validator = Draft202012Validator({"$defs": defs, **root})
        for number, value in enumerate(variants(definition, defs)):
            errors = reported(list(validator.iter_errors(value)), value)
            quick = apishape.conforms_to(value, name, defs)
            assert not (quick and errors), (name, value, [e.message for e in errors])
            if number == 0 and not errors:  # a plain conforming value takes the quick way
                assert quick, (name, value)


def test_a_conforming_task_definition_never_imports_jsonschema(tmp_path: Path) -> None:
    example = ROOT / "examples" / "checkout-api.task.json"
    assert apishape.conforms(json.loads(example.read_text(encoding="utf-8")), "TaskDefinition")
    script = (
        "import sys; from fglint.main import entry; sys.argv = ['fglint', 'check', "
        f"{str(example)!r}, '--select', 'FG003']\n"
        "try:\n    entry()\nexcept SystemExit:\n    pass\n"
        "print('jsonschema' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "False", result.stdout + result.stderr

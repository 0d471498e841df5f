"""CDK-aware findings: in `cdk synth` output, each resource's `aws:cdk:path` metadata names the
construct that made it, and every finding inside that resource names the construct too: in the
text report, in JSON (`construct`) and in SARIF (a `logicalLocations` entry)."""

from __future__ import annotations

import json

import pytest
from fglint.engine.config import Config
from fglint.engine.run import run
from fglint.load import load
from fglint.outputs import json_format, sarif_format, text_format
from helpers import CORPUS, FIXTURES, ROOT, in_dir

SARIF_SCHEMA = CORPUS.parent / "schemas" / "sarif-schema-2.1.0.json"

TEMPLATE = FIXTURES / "cdk" / "cdk.out" / "CheckoutStack.template.json"
TASK = "CheckoutStack/Service/TaskDef/Resource"


def report():  # type: ignore[no-untyped-def]
    with in_dir(ROOT):
        config = Config()
        config.select = ["FG201", "FG603", "FG506"]
        return run(load([str(TEMPLATE.relative_to(ROOT))]), config)


def test_every_finding_in_a_resource_names_its_construct() -> None:
    findings = report().findings
    assert {f.code for f in findings} == {"FG201", "FG603"}
    assert {f.construct for f in findings} == {TASK}


def test_text_names_the_construct() -> None:
    text = text_format.render(report(), show_source=False)
    assert "FG201 [warning]" in text and f"  = construct: {TASK}\n" in text


def test_json_names_the_construct() -> None:
    document = json.loads(json_format.render(report()))
    assert {f["construct"] for f in document["findings"]} == {TASK}


def test_sarif_names_the_construct_as_a_logical_location() -> None:
    with in_dir(ROOT):
        document = json.loads(sarif_format.render(report()))
    for result in document["runs"][0]["results"]:
        (location,) = result["locations"]
        (logical,) = location["logicalLocations"]
        assert logical == {"name": "Resource", "fullyQualifiedName": TASK, "kind": "resource"}


@pytest.mark.skipif(not SARIF_SCHEMA.is_file(), reason="the shared SARIF schema is not here")
def test_the_sarif_with_logical_locations_is_valid() -> None:
    import jsonschema

    with in_dir(ROOT):
        document = json.loads(sarif_format.render(report()))
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)


def test_a_template_without_cdk_metadata_names_no_construct(tmp_path) -> None:  # type: ignore[no-untyped-def]
    template = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    for resource in template["Resources"].values():
        resource.pop("Metadata", None)
    path = tmp_path / "plain.template.json"
    path.write_text(json.dumps(template, indent=1), encoding="utf-8")
    config = Config()
    config.select = ["FG201"]
    findings = run(load([str(path)]), config).findings
    assert findings and all(f.construct == "" for f in findings)
    assert "construct" not in json_format.render(run(load([str(path)]), config))

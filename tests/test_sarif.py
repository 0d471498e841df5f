"""SARIF output: valid against the SARIF 2.1.0 schema, and shaped the way GitHub code scanning
reads it (rules from metadata, repo-relative locations, full regions, GitHub's line hashes)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fglint.engine.registry import all_rules
from fglint.main import cli
from fglint.outputs.fingerprint import line_hashes
from helpers import CORPUS, FIXTURES, ROOT, in_dir

SCHEMA = CORPUS.parent / "schemas" / "sarif-schema-2.1.0.json"


@cache
def validator() -> Any:
    import jsonschema

    if not SCHEMA.is_file():
        pytest.skip(f"the SARIF schema is not at {SCHEMA}")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


def sarif(*args: str) -> dict[str, Any]:
    """`fglint check ARGS --format sarif` run from the repository root."""
    with in_dir(ROOT):
        outcome = CliRunner().invoke(cli, ["check", *args, "--format", "sarif"])
    assert outcome.exit_code in (0, 1), outcome.output
    return json.loads(outcome.stdout)  # type: ignore[no-any-return]


def assert_valid(log: dict[str, Any]) -> None:
    errors = sorted(validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def assert_valid_where_the_schema_is(log: dict[str, Any]) -> None:
    """For tests about something else than validity: without ../shared they still run, and
    validate too when the schema is there."""
    if SCHEMA.is_file():
        assert_valid(log)


def bad_fixtures() -> list[Path]:
    return sorted(p for p in FIXTURES.glob("FG*/bad_*") if not p.name.endswith(".expected"))


@pytest.mark.parametrize("fixture", bad_fixtures(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_sarif_is_valid(fixture: Path) -> None:
    code = fixture.parent.name
    log = sarif(str(fixture.relative_to(ROOT)), "--select", code)
    assert_valid(log)
    results = log["runs"][0]["results"]
    assert results and {r["ruleId"] for r in results} == {code}


def test_corpus_sarif_is_valid() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    log = sarif(str(CORPUS))
    assert_valid(log)
    assert log["runs"][0]["results"]


def test_run_shape() -> None:
    log = sarif("examples/checkout-api.task.json")
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT.as_uri() + "/"
    driver = run["tool"]["driver"]
    assert driver["name"] == "fglint"
    assert driver["version"]
    assert driver["informationUri"].startswith("https://")


def test_rules_come_from_metadata() -> None:
    driver = sarif("examples/checkout-api.task.json", "--select", "ALL")["runs"][0]["tool"][
        "driver"
    ]
    by_id = {rule["id"]: rule for rule in driver["rules"]}
    assert [rule["id"] for rule in driver["rules"]] == sorted(by_id)
    for loaded in all_rules():
        meta = loaded.meta
        rule = by_id[meta.code]
        assert rule["name"] == meta.name
        assert rule["shortDescription"]["text"] == meta.summary
        assert rule["fullDescription"]["text"] and "## " not in rule["fullDescription"]["text"]
        assert rule["help"]["text"] == rule["help"]["markdown"] == loaded.doc
        assert rule["helpUri"].endswith(f"/docs/rules/{meta.code}.md")
        assert (ROOT / "docs" / "rules" / f"{meta.code}.md").is_file()
        assert rule["defaultConfiguration"]["level"] == meta.severity
        assert rule["properties"]["tags"] == list(meta.tags)
        assert rule["properties"]["precision"] == meta.precision
        problem = {"error": "error", "warning": "warning", "note": "recommendation"}
        assert rule["properties"]["problem.severity"] == problem[meta.severity]
        if meta.security_severity is None:
            assert "security-severity" not in rule["properties"]
        else:
            severity = rule["properties"]["security-severity"]
            assert isinstance(severity, str) and float(severity) == meta.security_severity


def test_security_rules_have_a_security_severity() -> None:
    security = [r for r in all_rules() if "security" in r.meta.tags]
    assert security, "no rule is tagged security"
    for rule in security:
        assert rule.meta.security_severity is not None, rule.code


def test_rule_help_holds_no_result_data() -> None:
    """The rules[] of two different runs are identical: no finding's data leaks into them."""
    one = sarif("examples/checkout-api.task.json", "--select", "ALL")["runs"][0]
    other = sarif(str(FIXTURES.relative_to(ROOT)), "--select", "ALL")["runs"][0]
    assert one["tool"]["driver"]["rules"] == other["tool"]["driver"]["rules"]
    help_texts = json.dumps(one["tool"]["driver"]["rules"])
    for result in one["results"]:
        assert result["message"]["text"] not in help_texts


def test_results_point_at_the_finding() -> None:
    run = sarif("examples/checkout-api.task.json")["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    text = (ROOT / "examples" / "checkout-api.task.json").read_text(encoding="utf-8")
    hashes = line_hashes(text)
    assert run["results"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {
            "uri": "examples/checkout-api.task.json",
            "uriBaseId": "%SRCROOT%",
        }
        region = location["region"]
        assert set(region) == {"startLine", "startColumn", "endLine", "endColumn"}
        line = region["startLine"]
        fingerprint = result["partialFingerprints"]["primaryLocationLineHash"]
        assert fingerprint == hashes[line - 1]


def test_levels_and_rule_index_follow_the_configured_severity(tmp_path: Path) -> None:
    (tmp_path / ".fglint.toml").write_text('[severity]\nFG201 = "note"\n', encoding="utf-8")
    task = ROOT / "examples" / "checkout-api.task.json"
    (tmp_path / "task.json").write_text(task.read_text(encoding="utf-8"), encoding="utf-8")
    with in_dir(tmp_path):
        outcome = CliRunner().invoke(cli, ["check", "task.json", "--format", "sarif"])
    run = json.loads(outcome.output)["runs"][0]
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels["FG201"] == "note"
    assert levels["FG101"] == "error"


def test_related_locations(tmp_path: Path) -> None:
    (tmp_path / "sub dir").mkdir()
    (tmp_path / "sub dir" / "task.json").write_text(
        '{"family": "x", "containerDefinitions": [\n'
        '  {"name": "app", "image": "app:1", "image": "app:2"}]}\n',
        encoding="utf-8",
    )
    with in_dir(tmp_path):
        outcome = CliRunner().invoke(cli, ["check", ".", "--format", "sarif", "--select", "FG004"])
    log = json.loads(outcome.output)
    assert_valid_where_the_schema_is(log)
    (result,) = log["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "sub%20dir/task.json"
    (related,) = result["relatedLocations"]
    assert related["id"] == 1
    assert related["message"]["text"]
    assert f"[{related['message']['text']}](1)" in result["message"]["text"]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == uri
    assert related["physicalLocation"]["region"]["startLine"] == 2


def uris(log: dict[str, Any]) -> tuple[str, set[str]]:
    run = log["runs"][0]
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    return base, {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }


@pytest.mark.parametrize("where", ["repo", "repo/infra", "elsewhere"])
def test_paths_are_relative_to_the_repository_wherever_fglint_runs(
    tmp_path: Path, where: str
) -> None:
    task = (ROOT / "examples" / "checkout-api.task.json").read_text(encoding="utf-8")
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "infra").mkdir()
    (tmp_path / "repo" / "infra" / "task.json").write_text(task, encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    target = tmp_path / "repo" / "infra"
    with in_dir(tmp_path / where):
        outcome = CliRunner().invoke(cli, ["check", str(target), "--format", "sarif"])
    log = json.loads(outcome.output)
    assert_valid_where_the_schema_is(log)
    assert uris(log) == ((tmp_path / "repo").as_uri() + "/", {"infra/task.json"})


@pytest.mark.parametrize("path", [".", "task.json"])
def test_a_relative_path_from_a_subfolder_is_relative_to_the_repository(
    tmp_path: Path, path: str
) -> None:
    """Issue 10: run from infra/ on a relative path, the uri was `task.json`."""
    task = (ROOT / "examples" / "checkout-api.task.json").read_text(encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "task.json").write_text(task, encoding="utf-8")
    with in_dir(tmp_path / "infra"):
        log = json.loads(CliRunner().invoke(cli, ["check", path, "--format", "sarif"]).output)
    assert uris(log) == (tmp_path.as_uri() + "/", {"infra/task.json"})


def test_results_of_one_rule_on_one_line_have_their_own_fingerprints(tmp_path: Path) -> None:
    """Issue 10: two FG105 results on one line shared a fingerprint."""
    container = '{"name": "app", "image": "nginx:1.27", "privileged": true, "links": ["db"]}'
    (tmp_path / "task.json").write_text(
        '{"requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "256",\n'
        f' "memory": "512", "containerDefinitions": [{container}]}}\n',
        encoding="utf-8",
    )
    with in_dir(tmp_path):
        outcome = CliRunner().invoke(cli, ["check", ".", "--select", "FG105", "--format", "sarif"])
    results = json.loads(outcome.output)["runs"][0]["results"]
    lines = {r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results}
    assert len(results) == 2 and lines == {2}
    for key in ("primaryLocationLineHash", "fglint/v1"):
        assert len({r["partialFingerprints"][key] for r in results}) == 2, key


def test_project_root_option(tmp_path: Path) -> None:
    task = (ROOT / "examples" / "checkout-api.task.json").read_text(encoding="utf-8")
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "task.json").write_text(task, encoding="utf-8")
    args = ["check", "task.json", "--format", "sarif", "--project-root", str(tmp_path)]
    with in_dir(tmp_path / "infra"):
        log = json.loads(CliRunner().invoke(cli, args).output)
    assert uris(log) == (tmp_path.as_uri() + "/", {"infra/task.json"})


def test_sarif_om_is_not_imported_for_other_formats() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from fglint.main import entry\n"
        "sys.argv = ['fglint', 'check', 'examples', '--format', 'json']\n"
        "try:\n    entry()\n"
        "except SystemExit:\n    pass\n"
        "print('SARIF_OM', 'sarif_om' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert "SARIF_OM False" in done.stderr, done.stderr

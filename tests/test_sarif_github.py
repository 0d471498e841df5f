"""GitHub code scanning's documented SARIF constraints, one test per constraint, checked on the
SARIF of every fixture (all rules on) and of the whole shared corpus.

Source: docs.github.com, "SARIF support for code scanning" (the property tables: required
properties, "Limited to 255/1024 characters", the allowed values of `level`, `precision`,
`problem.severity` and `security-severity`, `runAutomationDetails.id`, relative `uri`s, resolved
symlinks, related locations linked from the message) and its limits table ("Runs per file 20,
Results per run 25,000, Rules per run 25,000, Location per result 1,000, Tags per rule 20", and
10 MB per gzip-compressed file)."""

from __future__ import annotations

import gzip
import json
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
from click.testing import CliRunner
from fglint.main import cli
from fglint.outputs import sarif_format
from helpers import CORPUS, FIXTURES, ROOT, in_dir

SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$"
)
MAX_INDEX = 2**63 - 1


def run_sarif(path: Path, *args: str) -> dict[str, Any]:
    with in_dir(ROOT):
        outcome = CliRunner().invoke(cli, ["check", str(path), "--format", "sarif", *args])
    assert outcome.exit_code in (0, 1), outcome.output
    return json.loads(outcome.stdout)  # type: ignore[no-any-return]


@cache
def logs() -> dict[str, dict[str, Any]]:
    found = {"fixtures": run_sarif(FIXTURES, "--select", "ALL")}
    if CORPUS.is_dir():
        found["corpus"] = run_sarif(CORPUS, "--select", "ALL")
    return found


@pytest.fixture(params=["fixtures", "corpus"])
def log(request: pytest.FixtureRequest) -> dict[str, Any]:
    if request.param not in logs():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    return logs()[request.param]


def rules(log: dict[str, Any]) -> list[dict[str, Any]]:
    return [rule for run in log["runs"] for rule in run["tool"]["driver"]["rules"]]


def results(log: dict[str, Any]) -> list[dict[str, Any]]:
    return [result for run in log["runs"] for result in run["results"]]


def physical_locations(log: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        location["physicalLocation"]
        for result in results(log)
        for location in result["locations"] + result.get("relatedLocations", [])
    ]


# sarifLog ----------------------------------------------------------------------------------


def test_schema_is_given(log: dict[str, Any]) -> None:
    assert log["$schema"].startswith("https://") and "sarif-2.1.0" in log["$schema"]


def test_version_is_2_1_0(log: dict[str, Any]) -> None:
    assert log["version"] == "2.1.0"


def test_at_most_20_runs(log: dict[str, Any]) -> None:
    assert 1 <= len(log["runs"]) <= 20


# run and toolComponent ----------------------------------------------------------------------


def test_tool_driver_name(log: dict[str, Any]) -> None:
    assert all(run["tool"]["driver"]["name"] == "fglint" for run in log["runs"])


def test_semantic_version_is_semver(log: dict[str, Any]) -> None:
    assert all(SEMVER.match(run["tool"]["driver"]["semanticVersion"]) for run in log["runs"])


def test_at_most_25000_rules_per_run(log: dict[str, Any]) -> None:
    assert all(0 < len(run["tool"]["driver"]["rules"]) <= 25_000 for run in log["runs"])


def test_at_most_25000_results_per_run(log: dict[str, Any]) -> None:
    assert all(len(run["results"]) <= 25_000 for run in log["runs"])


def test_gzip_compressed_file_under_10_mb(log: dict[str, Any]) -> None:
    text = json.dumps(log, indent=2).encode("utf-8")
    assert len(gzip.compress(text)) < 10 * 1024 * 1024


# reportingDescriptor ------------------------------------------------------------------------


def test_rule_ids_are_unique_and_not_empty(log: dict[str, Any]) -> None:
    ids = [rule["id"] for rule in rules(log)]
    assert all(ids) and len(ids) == len(set(ids))


def test_rule_name_at_most_255_characters(log: dict[str, Any]) -> None:
    assert all(0 < len(rule["name"]) <= 255 for rule in rules(log))


def test_short_description_at_most_1024_characters(log: dict[str, Any]) -> None:
    assert all(0 < len(rule["shortDescription"]["text"]) <= 1024 for rule in rules(log))


def test_full_description_at_most_1024_characters(log: dict[str, Any]) -> None:
    too_long = [r["id"] for r in rules(log) if not 0 < len(r["fullDescription"]["text"]) <= 1024]
    assert not too_long


def test_default_level_is_note_warning_or_error(log: dict[str, Any]) -> None:
    levels = {rule["defaultConfiguration"]["level"] for rule in rules(log)}
    assert levels <= {"note", "warning", "error"}


def test_help_text_is_given(log: dict[str, Any]) -> None:
    assert all(rule["help"]["text"].strip() for rule in rules(log))


def test_precision_values(log: dict[str, Any]) -> None:
    precisions = {rule["properties"]["precision"] for rule in rules(log)}
    assert precisions <= {"very-high", "high", "medium", "low"}


def test_problem_severity_on_every_rule(log: dict[str, Any]) -> None:
    severities = [rule["properties"].get("problem.severity") for rule in rules(log)]
    assert set(severities) <= {"error", "warning", "recommendation"}


def test_security_severity_is_a_score_above_0_up_to_10(log: dict[str, Any]) -> None:
    for rule in rules(log):
        score = rule["properties"].get("security-severity")
        if score is not None:
            assert isinstance(score, str) and 0.0 < float(score) <= 10.0, rule["id"]
            assert "security" in rule["properties"]["tags"], rule["id"]


def test_at_most_20_tags_per_rule(log: dict[str, Any]) -> None:
    assert all(len(rule["properties"]["tags"]) <= 20 for rule in rules(log))


def test_help_uri_is_the_rules_page_in_this_repository(log: dict[str, Any]) -> None:
    for rule in rules(log):
        page = rule["helpUri"].split("/blob/main/", 1)[1]
        assert page == f"docs/rules/{rule['id']}.md" and (ROOT / page).is_file()


# result ------------------------------------------------------------------------------------


def test_rule_id_and_index_name_the_same_rule(log: dict[str, Any]) -> None:
    for run in log["runs"]:
        ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
        for result in run["results"]:
            assert 0 <= result["ruleIndex"] <= MAX_INDEX
            assert ids[result["ruleIndex"]] == result["ruleId"]


def test_result_level_is_note_warning_or_error(log: dict[str, Any]) -> None:
    assert {result["level"] for result in results(log)} <= {"note", "warning", "error"}


def test_message_text_is_given(log: dict[str, Any]) -> None:
    assert all(result["message"]["text"].strip() for result in results(log))


def test_one_to_ten_locations(log: dict[str, Any]) -> None:
    assert all(1 <= len(result["locations"]) <= 10 for result in results(log))


def test_at_most_1000_locations_per_result(log: dict[str, Any]) -> None:
    for result in results(log):
        assert len(result["locations"]) + len(result.get("relatedLocations", [])) <= 1000


def test_every_result_has_a_line_hash_unique_for_its_rule(log: dict[str, Any]) -> None:
    keys = [
        (r["ruleId"], r["partialFingerprints"]["primaryLocationLineHash"]) for r in results(log)
    ]
    assert len(keys) == len(set(keys))


def test_fglint_fingerprints_are_unique(log: dict[str, Any]) -> None:
    prints = [result["partialFingerprints"]["fglint/v1"] for result in results(log)]
    assert len(prints) == len(set(prints))


def test_every_related_location_is_linked_from_the_message(log: dict[str, Any]) -> None:
    for result in results(log):
        ids = [location["id"] for location in result.get("relatedLocations", [])]
        assert len(ids) == len(set(ids)) and all(0 <= i <= MAX_INDEX for i in ids)
        linked = {int(i) for i in re.findall(r"(?<!\\)\]\((\d+)\)", result["message"]["text"])}
        assert linked == set(ids), result["message"]["text"]


# physicalLocation ----------------------------------------------------------------------------


def test_uris_are_relative_to_the_source_root(log: dict[str, Any]) -> None:
    for location in physical_locations(log):
        artifact = location["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        assert not urlparse(artifact["uri"]).scheme and not artifact["uri"].startswith("/")


def test_the_source_root_is_given(log: dict[str, Any]) -> None:
    for run in log["runs"]:
        base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        assert base.startswith("file:///") and base.endswith("/")


def test_uris_name_real_files_not_symlinks(log: dict[str, Any]) -> None:
    base = Path(unquote(urlparse(log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]).path))
    for uri in {loc["artifactLocation"]["uri"] for loc in physical_locations(log)}:
        path = base / unquote(uri)
        assert path.is_file() and not path.is_symlink(), uri


def test_regions_have_start_and_end_lines_and_columns(log: dict[str, Any]) -> None:
    for location in physical_locations(log):
        region = location["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert region["endLine"] >= region["startLine"] and region["endColumn"] >= 1


# runAutomationDetails and the result limit ---------------------------------------------------


@pytest.mark.parametrize(("category", "expected"), [("infra", "infra/"), ("a/b/", "a/b/")])
def test_category_is_the_automation_id_up_to_its_last_slash(category: str, expected: str) -> None:
    log = run_sarif(ROOT / "examples", "--sarif-category", category)
    assert log["runs"][0]["automationDetails"]["id"] == expected


def test_no_automation_details_without_a_category() -> None:
    assert "automationDetails" not in run_sarif(ROOT / "examples")["runs"][0]


def test_a_warning_above_the_result_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sarif_format, "MAX_RESULTS", 1)
    with in_dir(ROOT):
        outcome = CliRunner().invoke(cli, ["check", "examples", "--format", "sarif"])
    log = json.loads(outcome.stdout)
    count = len(log["runs"][0]["results"])
    assert count > 1
    assert f"warning: {count} results: GitHub code scanning rejects" in outcome.stderr
    (notification,) = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notification["level"] == "warning" and str(count) in notification["message"]["text"]

"""Every rule is proven in every format it can meet: a Terraform bad and good fixture (a `.tf`
file, or a directory of a module), and a JSON bad fixture (an API JSON input, not a
CloudFormation template), unless the tables below exempt it with a reason. A fixture's format
is what the loader makes of its files, so a Terraform module whose `file()` reads JSON counts
as Terraform, and a CloudFormation template written in JSON does not count as JSON."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from fglint.engine.registry import all_rules
from fglint.load import load
from helpers import FIXTURES

RULES = all_rules()
CODES = {rule.code for rule in RULES}

NO_TERRAFORM = {
    "FG114": "aws_ecs_express_gateway_service has no task_definition_arn argument (provider docs); "
    "only the API input can name a task definition",
    "FG005": "reports a bug in fglint, which no fixture may trigger (tests/test_hardening.py)",
    "FG203": "reads Dockerfiles (FROM lines), which Terraform does not describe",
    "FG302": "reads Dockerfiles (CMD / ENTRYPOINT), which Terraform does not describe",
    "FG405": "reports a Dockerfile HEALTHCHECK; a task definition in any format only silences it",
    "FG609": "reads Dockerfiles (ENV / ARG), which Terraform does not describe",
}

NO_JSON = {
    "FG005": "reports a bug in fglint, which no fixture may trigger (tests/test_hardening.py)",
    "FG002": "JSON has no comments, so no inline suppressions (JSON uses per-file-ignores)",
    "FG607": "a JSON task definition names its execution role by ARN, never the role's policies",
    "FG203": "reads Dockerfiles, not JSON",
    "FG302": "reads Dockerfiles, not JSON",
    "FG405": "reports a Dockerfile HEALTHCHECK; a task definition in any format only silences it",
    "FG609": "reads Dockerfiles, not JSON",
}


def fixtures(code: str, prefix: str) -> list[Path]:
    folder = FIXTURES / code
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"{prefix}_*") if not p.name.endswith(".expected"))


@cache
def formats(fixture: Path) -> frozenset[str]:
    """The kinds of the files the loader reads for a fixture ("terraform", "json", ...)."""
    project = load([str(fixture)])
    inside = [f for f in project.files if Path(f.abspath).is_relative_to(fixture.parent)]
    return frozenset(f.kind for f in inside if f.kind)


def in_format(fixture: Path, kind: str) -> bool:
    found = formats(fixture)
    if kind == "json":
        return found == {"json"}
    return kind in found


@pytest.mark.parametrize(
    "rule", [r for r in RULES if r.code not in NO_TERRAFORM], ids=lambda r: r.code
)
def test_rule_has_terraform_fixtures(rule) -> None:  # type: ignore[no-untyped-def]
    bad = [p.name for p in fixtures(rule.code, "bad") if in_format(p, "terraform")]
    good = [p.name for p in fixtures(rule.code, "good") if in_format(p, "terraform")]
    hint = "(a .tf file or a module directory), nor an exemption in NO_TERRAFORM with a reason"
    assert bad, f"{rule.code} has no Terraform bad fixture {hint}"
    assert good, f"{rule.code} has no Terraform good fixture {hint}"


@pytest.mark.parametrize("rule", [r for r in RULES if r.code not in NO_JSON], ids=lambda r: r.code)
def test_rule_has_a_json_bad_fixture(rule) -> None:  # type: ignore[no-untyped-def]
    bad = [p.name for p in fixtures(rule.code, "bad") if in_format(p, "json")]
    assert bad, (
        f"{rule.code} has no JSON bad fixture (an API JSON input, not a template), nor an "
        "exemption in NO_JSON with a reason"
    )


def test_exemptions_name_real_rules_that_need_them() -> None:
    """An exemption for a rule that is gone, or that now has the fixture, is stale."""
    for table, kind in ((NO_TERRAFORM, "terraform"), (NO_JSON, "json")):
        for code in table:
            assert code in CODES, f"{code} is exempted but is not a rule"
            have = [p for p in fixtures(code, "bad") if in_format(p, kind)]
            assert not have, f"{code} has a {kind} bad fixture now: drop its exemption"


def test_formats_are_told_apart() -> None:
    """The classification itself: a module whose file() reads JSON is Terraform, a
    CloudFormation template in JSON is not JSON, a plain API input is JSON."""
    assert in_format(FIXTURES / "FG805" / "bad_tf_no_stop_timeout", "terraform")
    assert not in_format(FIXTURES / "FG805" / "bad_tf_no_stop_timeout", "json")
    assert not in_format(FIXTURES / "FG101" / "bad_cfn_template.json", "json")
    assert in_format(FIXTURES / "FG101" / "bad_memory_too_big.json", "json")
    assert not in_format(FIXTURES / "FG101" / "bad_memory_too_big.json", "terraform")

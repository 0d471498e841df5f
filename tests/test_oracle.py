"""Accuracy, measured against the peers (issue 3): the cases labelled in the corpus's
`oracle.json` (checkov, KICS, trivy and cfn-lint fixtures with an expected pass or fail) whose
check overlaps an fglint rule.

For each case in a format fglint reads, fglint runs with only the mapped rules on that file and
must agree with the peer: an expected *fail* needs at least one finding of a mapped code (inside
the named resource, for checkov's per-resource Terraform verdicts), an expected *pass* none. Where
fglint and the peer disagree on purpose, DISAGREEMENTS says why, one line per case; a listed case
that starts agreeing fails too, so the table stays true. `python tests/test_oracle.py` prints the
agreement per peer check.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from fglint.engine.registry import rule_by_code
from fglint.engine.run import Finding
from fglint.load import frontend_for
from helpers import CORPUS, lint

ORACLE = CORPUS / "oracle.json"

# (peer, check) -> the fglint rules that check the same thing. docs/coverage.md lists every peer
# check with its status; a test keeps this mapping consistent with it.
MAPPING: dict[tuple[str, str], tuple[str, ...]] = {
    ("cfn-lint", "E3042"): ("FG107",),
    ("cfn-lint", "E3044"): ("FG112",),
    ("cfn-lint", "E3046"): ("FG502",),
    ("cfn-lint", "E3047"): ("FG101",),
    ("cfn-lint", "E3048"): ("FG101", "FG103", "FG104", "FG105", "FG505"),
    ("cfn-lint", "E3052"): ("FG708",),
    ("cfn-lint", "E3053"): ("FG108",),
    ("cfn-lint", "E3054"): ("FG111",),
    ("cfn-lint", "E3713"): ("FG505",),
    ("checkov", "CKV_AWS_65"): ("FG506",),
    ("checkov", "CKV_AWS_97"): ("FG610",),
    ("checkov", "CKV_AWS_223"): ("FG507",),
    ("checkov", "CKV_AWS_224"): ("FG507",),
    ("checkov", "CKV_AWS_249"): ("FG604",),
    ("checkov", "CKV_AWS_332"): ("FG110",),
    ("checkov", "CKV_AWS_333"): ("FG701",),
    ("checkov", "CKV_AWS_334"): ("FG105",),
    ("checkov", "CKV_AWS_335"): ("FG105",),
    ("checkov", "CKV_AWS_336"): ("FG608",),
    ("kics", "027a4b7a-8a59-4938-a04f-ed532512cf45"): ("FG104",),  # network mode, CFN
    ("kics", "9f4a9409-9c60-4671-be96-9716dbf63db1"): ("FG104",),  # network mode, Terraform
    ("kics", "4d46ff3b-7160-41d1-a310-71d6d370b08f"): ("FG610",),  # EFS transit, Terraform
    ("kics", "6c131358-c54d-419b-9dd6-1f7dd41d180c"): ("FG610",),  # "not encrypted at rest"
    ("kics", "c1282e03-b285-4637-aee7-eefe3a7bb658"): ("FG610",),  # EFS transit, CFN
    ("kics", "97cb0688-369a-4d26-b1f7-86c4c91231bc"): ("FG506",),  # container insights, TF
    ("kics", "ab759fde-e1e8-4b0e-ad73-ba856e490ed8"): ("FG506",),  # container insights, CFN
    ("kics", "bafe7989-3c4b-47f0-910b-e6e1cba7f146"): ("FG701",),  # public IP, Terraform
    ("kics", "c0c26068-fdf0-40e5-9b3b-fc8a5f585d2e"): ("FG701",),  # public IP, CFN
    ("kics", "d24389b4-b209-4ff0-8345-dc7a4569dcdd"): ("FG401",),  # health check missing
    ("kics", "f4c9b5f5-68b8-491f-9e48-4f96644a1d51"): ("FG101",),  # invalid cpu or memory
    ("trivy", "AVD-AWS-0034"): ("FG506",),
    ("trivy", "AVD-AWS-0035"): ("FG610",),
    ("trivy", "AVD-AWS-0036"): ("FG601",),
}

CFN_LINT = "aws-cloudformation__cfn-lint/test/unit/rules/resources/ecs/"
KICS_CFN = "DataDog__kics/assets/queries/cloudFormation/aws/"
KICS_TF = "DataDog__kics/assets/queries/terraform/aws/"
CHECKOV_TF = "bridgecrewio__checkov/tests/terraform/checks/resource/aws/"

# (file, resource or "", check) -> why fglint's verdict differs from the peer's, on purpose.
NOT_FARGATE_SIZE = (
    "no Fargate task here (no RequiresCompatibilities, no task-level Cpu/Memory; the FARGATE "
    "service names a task definition the file lacks): KICS reads container-level Cpu/Memory, "
    "which Fargate does not restrict to its task sizes"
)
NOT_FARGATE_NETWORK = (
    "an EC2 task (no FARGATE): network mode `none`/`bridge` is valid there; KICS recommends "
    "awsvpc everywhere, FG104 flags only what Fargate rejects"
)
MODULE_INPUTS = (
    "a `module` call: fglint reads resources, not the inputs of a third-party module (what "
    "terraform-aws-modules/ecs builds from them is not in the file)"
)
FARGATE_TASK_ON_EC2_SERVICE = (
    "the task definition requires FARGATE compatibility, so registration rejects the json-file "
    "driver whatever launch type the service uses; E3713 looks only at the service's LaunchType "
    "(cfn-lint reports this task under E3048)"
)

EXEC_DEFAULT_LOGGING = (
    "logging is unset (DEFAULT): ECS Exec sessions go to the task definition's awslogs "
    "configuration and this logConfiguration is not used (ExecuteCommandConfiguration API "
    "reference), so whether it is encrypted does not matter"
)
NO_EXEC_KMS = (
    "no kmsKeyId: sessions are TLS 1.2 encrypted by default (ECS Exec docs); a key of your own "
    "is hardening, which FG507 does not ask for"
)
CHECKOV_CMK = "bridgecrewio__checkov/tests/terraform/checks/resource/aws/"
CHECKOV_CMK += "example_ECSClusterLoggingEncryptedWithCMK/main.tf"
KICS_AT_REST = KICS_CFN + "ecs_cluster_not_encrypted_at_rest/test/"

DISAGREEMENTS: dict[tuple[str, str, str], str] = {
    (
        KICS_CFN + "ecs_task_definition_invalid_cpu_or_memory/test/positive1.yaml",
        "",
        "f4c9b5f5-68b8-491f-9e48-4f96644a1d51",
    ): NOT_FARGATE_SIZE,
    (
        KICS_CFN + "ecs_task_definition_invalid_cpu_or_memory/test/positive2.json",
        "",
        "f4c9b5f5-68b8-491f-9e48-4f96644a1d51",
    ): NOT_FARGATE_SIZE,
    (
        KICS_CFN + "ecs_task_definition_network_mode_not_recommended/test/positive1.yaml",
        "",
        "027a4b7a-8a59-4938-a04f-ed532512cf45",
    ): NOT_FARGATE_NETWORK,
    (
        KICS_CFN + "ecs_task_definition_network_mode_not_recommended/test/positive2.json",
        "",
        "027a4b7a-8a59-4938-a04f-ed532512cf45",
    ): NOT_FARGATE_NETWORK,
    (
        KICS_TF + "ecs_task_definition_network_mode_not_recommended/test/positive.tf",
        "",
        "9f4a9409-9c60-4671-be96-9716dbf63db1",
    ): NOT_FARGATE_NETWORK,
    (
        KICS_TF + "ecs_task_definition_network_mode_not_recommended/test/positive_module.tf",
        "",
        "9f4a9409-9c60-4671-be96-9716dbf63db1",
    ): MODULE_INPUTS + "; KICS labels it from its name",
    (
        "Checkmarx__kics/assets/queries/terraform/aws/ecs_services_assigned_with_public_ip_address/"
        "test/positive2.tf",
        "",
        "bafe7989-3c4b-47f0-910b-e6e1cba7f146",
    ): MODULE_INPUTS,
    (CFN_LINT + "test_service_network_configuration.py.extracted/case_09.json", "", "E3052"): (
        "`Fn::Sub: ${TaskDefinition.Arn}` names the template's awsvpc task definition; cfn-lint "
        "follows only Ref/GetAtt, but ECS rejects this service without a network configuration"
    ),
    (CFN_LINT + "test_service_fargate_log_driver.py.extracted/case_04.json", "", "E3713"): (
        FARGATE_TASK_ON_EC2_SERVICE
    ),
    (
        CHECKOV_TF + "example_ECSServiceFargateLatest/main.tf",
        "aws_ecs_service.fail",
        "CKV_AWS_332",
    ): (
        "1.4.0 is the current Fargate platform version: pinning it is deliberate, not stale; "
        "FG110 flags retired versions and features the pinned version lacks"
    ),
    (
        CHECKOV_TF + "example_ECSContainerPrivilege/main.tf",
        "aws_ecs_task_definition.fail",
        "CKV_AWS_334",
    ): (
        "an EC2 task (no FARGATE): privileged containers are allowed there; FG105 is about "
        "parameters Fargate rejects"
    ),
    (
        CHECKOV_TF + "example_ECSContainerHostProcess/main.tf",
        "aws_ecs_task_definition.fail",
        "CKV_AWS_335",
    ): (
        "an EC2 task (no FARGATE): pidMode host is allowed there; FG105 is about parameters "
        "Fargate rejects"
    ),
    (CFN_LINT + "test_service_fargate.py.extracted/case_02.json", "", "E3054"): (
        "`Fn::Sub: ${TaskDefinition.Arn}` names the template's task definition, which declares "
        "no compatibilities and no network mode (bridge): ECS rejects it on Fargate; cfn-lint "
        "follows only Ref/GetAtt"
    ),
    (CHECKOV_CMK, "aws_ecs_cluster.fail", "CKV_AWS_224"): NO_EXEC_KMS,
    (CHECKOV_CMK, "aws_ecs_cluster.fail2", "CKV_AWS_224"): EXEC_DEFAULT_LOGGING,
    (CHECKOV_CMK, "aws_ecs_cluster.fail3", "CKV_AWS_224"): EXEC_DEFAULT_LOGGING,
    (CHECKOV_CMK, "aws_ecs_cluster.fail4", "CKV_AWS_224"): EXEC_DEFAULT_LOGGING,
    (CHECKOV_CMK, "aws_ecs_cluster.fail5", "CKV_AWS_224"): EXEC_DEFAULT_LOGGING,
    (KICS_AT_REST + "positive2.yaml", "", "6c131358-c54d-419b-9dd6-1f7dd41d180c"): (
        "the service names a task definition that is not in the template; fglint never reports "
        "what it cannot see"
    ),
    (KICS_AT_REST + "positive4.json", "", "6c131358-c54d-419b-9dd6-1f7dd41d180c"): (
        "the service names a task definition that is not in the template; fglint never reports "
        "what it cannot see"
    ),
    (
        KICS_TF + "ecs_task_definition_volume_not_encrypted/test/positive3.tf",
        "",
        "4d46ff3b-7160-41d1-a310-71d6d370b08f",
    ): "a volume without an EFS configuration (task storage): nothing travels to EFS",
}


@dataclass(frozen=True)
class Case:
    peer: str
    check: str
    file: str
    resource: str  # checkov's per-resource address; "" when the verdict is for the file
    expected: str  # "pass" or "fail"

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.file, self.resource, self.check)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c for c in MAPPING[(self.peer, self.check)] if rule_by_code(c))

    def __str__(self) -> str:
        where = f" {self.resource}" if self.resource else ""
        return f"{self.peer}:{self.check}:{self.file}{where}"


def readable(path: str) -> bool:
    """A format fglint reads here (Terraform only once its front-end is installed)."""
    module = frontend_for(Path(path).name)
    return module is not None and importlib.util.find_spec(f"fglint.frontends.{module}") is not None


def cases() -> list[Case]:
    if not ORACLE.is_file():
        return []
    found = []
    for entry in json.loads(ORACLE.read_text(encoding="utf-8"))["entries"]:
        key = (entry["peer"], entry["check_id"])
        if key not in MAPPING or not readable(entry["file"]):
            continue
        per_resource = entry["peer"] == "checkov" and entry["file"].endswith(".tf")
        resource = entry["resource"] if per_resource else ""
        case = Case(entry["peer"], entry["check_id"], entry["file"], resource, entry["expected"])
        if case.codes:
            found.append(case)
    return found


def block_lines(text: str, address: str) -> range:
    """The lines of a Terraform resource block, from `resource "type" "name" {` to the `}` at
    the same indentation."""
    kind, name = address.split(".", 1)
    start = re.search(rf'^([ \t]*)resource\s+"{kind}"\s+"{name}"\s*{{', text, re.MULTILINE)
    assert start, address
    first = text[: start.start()].count("\n") + 1
    end = re.compile(rf"^{start.group(1)}}}", re.MULTILINE).search(text, start.end())
    last = text[: end.start()].count("\n") + 1 if end else text.count("\n") + 1
    return range(first, last + 1)


def verdict(case: Case) -> tuple[str, list[Finding]]:
    """fglint's "pass" or "fail" on the case, and the findings that decide it."""
    path = CORPUS / case.file
    findings = [f for f in lint([path], select=list(case.codes)) if f.code in case.codes]
    if case.resource:
        lines = block_lines(path.read_text(encoding="utf-8"), case.resource)
        findings = [f for f in findings if f.span.line in lines]
    return ("fail" if findings else "pass"), findings


CASES = cases()


@pytest.mark.skipif(not ORACLE.is_file(), reason="the shared corpus is not here")
def test_the_oracle_covers_every_front_end() -> None:
    kinds = Counter(Path(case.file).suffix for case in CASES)
    assert kinds[".json"] >= 40 and kinds[".yaml"] >= 10, kinds
    assert {case.expected for case in CASES} == {"pass", "fail"}


@pytest.mark.skipif(not ORACLE.is_file(), reason="the shared corpus is not here")
@pytest.mark.parametrize("case", CASES, ids=str)
def test_fglint_agrees_with_the_peer(case: Case) -> None:
    ours, findings = verdict(case)
    shown = [f"{f.span}: {f.code} {f.message}" for f in findings]
    if case.key in DISAGREEMENTS:
        assert ours != case.expected, (
            f"now agrees with the peer: drop it from DISAGREEMENTS\n{shown}"
        )
    else:
        assert ours == case.expected, f"peer says {case.expected}, fglint {ours}: {shown}"


@pytest.mark.skipif(not ORACLE.is_file(), reason="the shared corpus is not here")
def test_every_disagreement_names_a_case() -> None:
    keys = {case.key for case in cases()}
    stale = [key for key in DISAGREEMENTS if key not in keys and readable(key[0])]
    assert not stale, stale


def summary() -> str:
    rows: dict[tuple[str, str], Counter[str]] = {}
    for case in CASES:
        ours, _ = verdict(case)
        count = rows.setdefault((case.peer, case.check), Counter())
        count["agree" if ours == case.expected else "differ"] += 1
    lines = [f"{'peer':9} {'check':38} {'rules':26} agree/cases"]
    for (peer, check), count in sorted(rows.items()):
        codes = ",".join(c for c in MAPPING[(peer, check)] if rule_by_code(c))
        total = count["agree"] + count["differ"]
        lines.append(f"{peer:9} {check:38} {codes:26} {count['agree']}/{total}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(summary())

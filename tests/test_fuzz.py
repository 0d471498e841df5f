"""Fuzzing every front-end (issue 14): mutated real documents from fixtures/, structured task
definitions, services, HCL and CloudFormation, and sweeps of numbers and strings. The property:
fglint finishes, with no internal error (FG005) and no exception, and every output renders.

The fast profile runs in the normal test run (a few hundred inputs per front-end); the long one
with FGLINT_FUZZ=long (FGLINT_FUZZ_EXAMPLES sets the inputs per test), and prints the totals;
FGLINT_FUZZ_LOG names a file the running totals are written to every 500 inputs (a long run
can be watched, and its count survives being stopped); FGLINT_FUZZ_SLOW a folder each input
stopped by the time limit is saved in (a folder of its files), to be linted again alone: a hang,
or a busy machine.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="hypothesis is in the test extra")
from fglint.engine.config import Config  # noqa: E402
from fglint.engine.run import run  # noqa: E402
from fglint.load import load  # noqa: E402
from fglint.model import Limits  # noqa: E402
from fglint.outputs import github_format, json_format, sarif_format, text_format  # noqa: E402
from helpers import FIXTURES, in_dir  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

LONG = os.environ.get("FGLINT_FUZZ") == "long"
EXAMPLES = int(os.environ.get("FGLINT_FUZZ_EXAMPLES", "20000" if LONG else "60"))
PROFILE = settings(
    max_examples=EXAMPLES,
    # Shrinking a failure can take minutes on a busy machine; the fast profile reports the input
    # as found (the long profile shrinks it).
    phases=list(Phase) if LONG else [Phase.explicit, Phase.reuse, Phase.generate],
    deadline=None,  # a hang is caught by the loader's own time limit, set low below
    suppress_health_check=list(HealthCheck),
    database=None,
    derandomize=not LONG,  # the normal run tries the same inputs every time
)
TRIED: Counter[str] = Counter()
SEEN_KINDS: Counter[str] = Counter()
SLOW: Counter[str] = Counter()  # inputs stopped by the time limit (a hang, or a busy machine)
LOG = os.environ.get("FGLINT_FUZZ_LOG")
SLOW_DIR = os.environ.get("FGLINT_FUZZ_SLOW")


def lint(folder: Path, files: dict[str, bytes], kind: str) -> None:
    """Write `files` into an empty `folder`, lint it with every rule, render every output."""
    TRIED[kind] += 1
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    config = Config(select=["ALL"])
    with in_dir(folder):
        project = load(["."], limits=LIMITS)
        report = run(project, config)
        internal = [f for f in report.findings if f.code == "FG005"]
        assert not internal, (internal[0].message, files)
        if any(f.code == "FG001" and "took longer than" in f.message for f in report.findings):
            SLOW[kind] += 1
            if SLOW_DIR:
                shutil.copytree(folder, Path(SLOW_DIR) / f"{kind}-{SLOW[kind]}")
        for output in (text_format, json_format, github_format, sarif_format):
            rendered = output.render(report)
            rendered.encode("utf-8")  # every output encodes: no lone surrogate left
        for file in project.files:
            SEEN_KINDS[file.kind or "none"] += 1
    if LOG and sum(TRIED.values()) % 500 == 0:
        Path(LOG).write_text(totals() + "\n", encoding="utf-8")


LIMITS = Limits(seconds=5.0)  # a hang becomes an FG001 finding rather than a stuck run


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def totals() -> str:
    return (
        f"fuzz: {sum(TRIED.values())} inputs tried: {dict(TRIED)}; stopped by the time limit: "
        f"{sum(SLOW.values())} {dict(SLOW)}; files by kind: {dict(SEEN_KINDS)}"
    )


def teardown_module() -> None:
    if LONG:
        print("\n" + totals())
    if LOG:
        Path(LOG).write_text(totals() + " (finished)\n", encoding="utf-8")


# Values: the number and string sweeps ------------------------------------------------------

NUMBER_TEXTS = [
    "0", "-0", "+5", "--5", "1e400", "-1e400", "1e-400", "nan", "NaN", "inf", "-inf", ".inf",
    ".nan", "9" * 4301, "9" * 400, "0x10", "0o7", "1_000", "²", "٣", "１２", "1.", ".5", "5e",
    "256 ", " 512", "1 vCPU", "0.25 vcpu", "2 GB", "512 MiB", "99999999999999999999 GB",
]  # fmt: skip
STRINGS = [
    "", " ", "\t", "\n", "\r\n", "\x00", "\x1b[31m", "\u2028", "\ud800", "\udcff", "\ufeff",
    "${x}", "${", "{{x}}", "%{ if true }", "$${x}", "<PLACEHOLDER>", "nginx:latest", "nginx",
    "a" * 3000, "sh -c 'x'", "/bin/sh", "arn:aws:secretsmanager:us-east-1:1:secret:x",
    "arn:aws:iam::1:role/r", "*", "ecs:*", "FARGATE", "FARGATE_SPOT", "awsvpc", "ARM64",
    "CMD-SHELL", "CMD", "awslogs", "awsfirelens", "app/x/1/targetgroup/y/2", "service/c/s",
    "ecs:service:DesiredCount", "1.4.0", "LATEST", "\\u0000", "\\ud800", '"', "\\",
]  # fmt: skip

# Paths no file system can hold (longer than a name may be, a NUL byte), and ones that lead out.
HOSTILE_PATHS = ["a" * 300, "a" * 300 + "/x", "a\\u0000b", "../" * 40 + "x", "/dev/zero", "."]

numbers = st.one_of(
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, 1, 20, 21, 120, 121, 200, 201, 256, 512, 1024, 30720, 2**31, 2**63]),
    st.sampled_from(NUMBER_TEXTS),
)
strings = st.one_of(st.sampled_from(STRINGS), st.text(max_size=30))
scalars = st.one_of(numbers, strings, st.booleans(), st.none())


def values(depth: int = 3) -> st.SearchStrategy[Any]:
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(st.one_of(st.sampled_from(ECS_KEYS), strings), inner, max_size=4),
        ),
        max_leaves=12,
    )


ECS_KEYS = [
    "family", "cpu", "memory", "networkMode", "requiresCompatibilities", "containerDefinitions",
    "name", "image", "essential", "command", "entryPoint", "stopTimeout", "healthCheck",
    "interval", "timeout", "retries", "startPeriod", "logConfiguration", "logDriver", "options",
    "secrets", "valueFrom", "environment", "value", "portMappings", "containerPort", "hostPort",
    "memoryReservation", "ephemeralStorage", "sizeInGiB", "runtimePlatform", "cpuArchitecture",
    "operatingSystemFamily", "executionRoleArn", "taskRoleArn", "readonlyRootFilesystem",
    "serviceName", "taskDefinition", "desiredCount", "launchType", "platformVersion",
    "deploymentConfiguration", "maximumPercent", "minimumHealthyPercent",
    "deploymentCircuitBreaker", "enable", "rollback", "capacityProviderStrategy",
    "capacityProvider", "weight", "base", "networkConfiguration", "awsvpcConfiguration",
    "subnets", "securityGroups", "assignPublicIp", "loadBalancers", "targetGroupArn",
    "containerName", "healthCheckGracePeriodSeconds", "deploymentController", "type",
    "TargetGroupArn", "ScalableDimension", "ResourceId", "MinCapacity", "MaxCapacity",
    "PolicyName", "PolicyType", "TargetTrackingScalingPolicyConfiguration",
    "StepScalingPolicyConfiguration", "StepAdjustments", "MetricIntervalLowerBound",
    "MetricIntervalUpperBound", "ScalingAdjustment", "PredefinedMetricSpecification",
    "PredefinedMetricType", "ResourceLabel", "ScaleInCooldown", "ScaleOutCooldown",
    "clusterName", "settings", "Statement", "Effect", "Action", "Resource",
]  # fmt: skip


def dumps(value: Any) -> bytes:
    return json.dumps(value, allow_nan=True).encode("utf-8", "surrogatepass")


# Structured documents -----------------------------------------------------------------------

containers = st.lists(
    st.fixed_dictionaries(
        {"name": strings, "image": strings},
        optional={key: values() for key in ECS_KEYS[8:35]},
    ),
    max_size=3,
)
task_definitions = st.fixed_dictionaries(
    {"family": strings, "containerDefinitions": st.one_of(containers, values())},
    optional={key: values() for key in ECS_KEYS[1:5] + ECS_KEYS[28:35] if key != "family"},
)
services = st.fixed_dictionaries(
    {"serviceName": strings, "taskDefinition": strings},
    optional={
        key: values() for key in ECS_KEYS[35:60] if key not in ("serviceName", "taskDefinition")
    },
)


@PROFILE
@given(st.one_of(task_definitions, services, values(), st.lists(task_definitions, max_size=2)))
def test_structured_json(scratch: Path, document: Any) -> None:
    lint(scratch / "json", {"a.json": dumps(document)}, "json-structured")


def hcl_expressions() -> st.SearchStrategy[str]:
    leaves = st.one_of(
        numbers.map(lambda n: n if isinstance(n, str) else repr(n)),
        strings.map(lambda s: json.dumps(s, ensure_ascii=False)),
        st.sampled_from(
            [
                "var.image", "local.x", "local.y", "aws_ecs_task_definition.t.arn", "true",
                "null", "each.value", "count.index", "path.module", "var.m[0]",
                '"${var.image}:1"', '"%{ if true }a%{ endif }"', "aws_lb_target_group.g.arn",
                'file("c.json")', 'templatefile("${path.module}/c.json", {})', '"c.json"',
                'file("/etc/passwd")', 'file("../c.json")', 'jsondecode(file("c.json"))',
                *(f'file("{name}")' for name in HOSTILE_PATHS), '"./a\\u0000b"',
            ]
        ),
    )  # fmt: skip
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
            st.dictionaries(st.sampled_from(ECS_KEYS), inner, max_size=3).map(
                lambda d: "{" + ", ".join(f"{k} = {v}" for k, v in d.items()) + "}"
            ),
            st.tuples(st.sampled_from(FUNCTIONS), st.lists(inner, max_size=3)).map(
                lambda c: f"{c[0]}({', '.join(c[1])})"
            ),
            st.tuples(
                inner, st.sampled_from(["+", "-", "*", "/", "%", "==", "&&", "||"]), inner
            ).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            st.tuples(inner, inner, inner).map(lambda t: f"{t[0]} ? {t[1]} : {t[2]}"),
            st.tuples(inner, st.integers(-2, 5)).map(lambda t: f"{t[0]}[{t[1]}]"),
            inner.map(lambda e: f'"x${{{e}}}y"'),
            inner.map(lambda e: f"[for v in {e} : v]"),
        ),
        max_leaves=10,
    )


FUNCTIONS = [
    "jsonencode", "jsondecode", "file", "templatefile", "lookup", "merge", "concat", "format",
    "tostring", "tonumber", "max", "min", "length", "element", "coalesce", "try", "replace",
    "join", "split", "upper", "abs", "ceil", "floor", "range", "keys", "values", "zipmap",
    "flatten", "distinct", "contains", "substr", "base64encode", "yamlencode", "nonexistent",
]  # fmt: skip
RESOURCES = [
    "aws_ecs_task_definition", "aws_ecs_service", "aws_lb_target_group", "aws_ecs_cluster",
    "aws_appautoscaling_target", "aws_appautoscaling_policy", "aws_security_group",
    "aws_iam_role", "aws_subnet", "module",
]  # fmt: skip
ATTRIBUTES = [
    "family", "cpu", "memory", "network_mode", "requires_compatibilities",
    "container_definitions", "name", "task_definition", "desired_count", "launch_type",
    "platform_version", "deregistration_delay", "target_type", "resource_id", "min_capacity",
    "max_capacity", "policy_type", "count", "for_each", "source", "assume_role_policy",
]  # fmt: skip


def hcl_files() -> st.SearchStrategy[str]:
    attribute = st.tuples(st.sampled_from(ATTRIBUTES), hcl_expressions()).map(
        lambda a: f"  {a[0]} = {a[1]}\n"
    )
    block = st.tuples(st.sampled_from(RESOURCES), st.lists(attribute, max_size=6)).map(
        lambda b: (
            f'resource "{b[0]}" "t" {{\n{"".join(b[1])}}}\n'
            if b[0] != "module"
            else f'module "m" {{\n  source = "./m"\n{"".join(b[1])}}}\n'
        )
    )
    extras = st.lists(
        st.one_of(
            block,
            st.lists(attribute, max_size=4).map(lambda a: "locals {\n" + "".join(a) + "}\n"),
            st.sampled_from(['variable "image" {}\n', 'variable "m" { default = [1] }\n']),
        ),
        max_size=5,
    )
    return extras.map("".join)


@PROFILE
@given(hcl_files(), st.one_of(task_definitions, values()), hcl_expressions())
def test_structured_terraform(scratch: Path, main: str, included: Any, tfvar: str) -> None:
    lint(
        scratch / "tf",
        {
            "main.tf": main.encode("utf-8", "surrogatepass"),
            "c.json": dumps(included),
            "terraform.tfvars": f"image = {tfvar}\n".encode("utf-8", "surrogatepass"),
        },
        "terraform-structured",
    )


CFN_TYPES = [
    "AWS::ECS::TaskDefinition", "AWS::ECS::Service", "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::ApplicationAutoScaling::ScalableTarget", "AWS::ApplicationAutoScaling::ScalingPolicy",
    "AWS::ECS::Cluster", "AWS::IAM::Role", "AWS::EC2::SecurityGroup", "AWS::EC2::Subnet",
]  # fmt: skip
INTRINSICS = ["!Ref", "!GetAtt", "!Sub", "!If", "!Join", "!Select", "!FindInMap", "!ImportValue"]


def pascal(key: str) -> str:
    return key[:1].upper() + key[1:]


@PROFILE
@given(
    st.dictionaries(
        st.sampled_from(["A", "B", "Task", "Svc"]),
        st.fixed_dictionaries(
            {"Type": st.sampled_from(CFN_TYPES)},
            optional={
                "Properties": st.one_of(
                    task_definitions.map(lambda t: {pascal(k): v for k, v in t.items()}),
                    values(),
                )
            },
        ),
        max_size=3,
    ),
    st.sampled_from(["yaml", "json"]),
    st.lists(st.tuples(st.sampled_from(INTRINSICS), strings), max_size=3),
)
def test_structured_cloudformation(
    scratch: Path, resources: dict[str, Any], form: str, tags: list[tuple[str, str]]
) -> None:
    template = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}
    if form == "json":
        data = dumps(template)
    else:
        text = json.dumps(template, allow_nan=True)  # JSON is YAML; add short-form tags
        for tag, value in tags:
            text = text.replace(
                '"Resources": {', f'"X": {tag} {json.dumps(value)}, "Resources": {{', 1
            )
        data = text.encode("utf-8", "surrogatepass")
    lint(scratch / "cfn", {f"t.{form}": data}, "cloudformation-structured")


INSTRUCTIONS = [
    "FROM", "RUN", "CMD", "ENTRYPOINT", "ENV", "ARG", "HEALTHCHECK", "USER", "COPY", "EXPOSE",
    "SHELL", "STOPSIGNAL", "WORKDIR", "LABEL", "ONBUILD", "# escape=`", "# syntax=x", "",
]  # fmt: skip


@PROFILE
@given(
    st.lists(
        st.tuples(
            st.sampled_from(INSTRUCTIONS),
            st.one_of(
                strings,
                st.lists(strings, max_size=3).map(json.dumps),
                st.sampled_from(
                    ["nginx:latest AS b", "--interval=5s CMD curl x", "NONE", "a=${b:-c}", "\\"]
                ),
                st.sampled_from(HOSTILE_PATHS).map(lambda name: f"{name} /e.sh"),
                st.sampled_from(HOSTILE_PATHS).map(lambda name: name.replace("\\u0000", "\0")),
                st.just('["/e.sh"]'),
            ),
        ),
        max_size=8,
    )
)
def test_structured_dockerfile(scratch: Path, lines: list[tuple[str, str]]) -> None:
    text = "".join(f"{word} {args}\n" for word, args in lines)
    lint(scratch / "docker", {"Dockerfile": text.encode("utf-8", "surrogatepass")}, "dockerfile")


# Mutated real documents ---------------------------------------------------------------------


def real(suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(
        p
        for p in FIXTURES.rglob("*")
        if p.is_file() and p.name.endswith(suffixes) and not p.name.endswith(".expected")
    )


HOSTILE = [
    b"\x00",
    b"\xff",
    b"\xed\xa0\x80",
    b"{",
    b"[",
    b"}",
    b"]",
    b'"',
    b"\\",
    b"${",
    b"\n",
    b"\t",
    b"&a ",
    b"*a",
    b"!Ref ",
    b"<<EOF\n",
    b"9" * 400,
    b"1e400",
    b"\xe2\x80\xa8",
]


@st.composite
def mutated(draw: Callable[..., Any], paths: list[Path]) -> bytes:
    data = draw(st.sampled_from(paths)).read_bytes()
    for _ in range(draw(st.integers(1, 3))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        how = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "repeat"]))
        if how == "truncate":
            data = data[:at]
        elif how == "flip":
            data = data[:at] + bytes([data[at] ^ (1 << draw(st.integers(0, 7)))]) + data[at + 1 :]
        elif how == "insert":
            piece = draw(st.one_of(st.sampled_from(HOSTILE), st.binary(max_size=4)))
            data = data[:at] + piece + data[at:]
        elif how == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 16)) :]
        else:
            end = min(len(data), at + draw(st.integers(1, 40)))
            data = data[:at] + data[at:end] * draw(st.integers(2, 30)) + data[end:]
    return data


KINDS = {
    "json": ((".json",), "a.json"),
    "terraform": ((".tf",), "main.tf"),
    "yaml": ((".yaml", ".yml", ".template"), "t.yaml"),
    "dockerfile": (("Dockerfile",), "Dockerfile"),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_mutated_real_documents(scratch: Path, kind: str) -> None:
    suffixes, name = KINDS[kind]
    paths = real(suffixes)
    assert paths, kind

    @PROFILE
    @given(mutated(paths))
    def check(data: bytes) -> None:
        lint(scratch / f"mutated-{kind}", {name: data}, f"{kind}-mutated")

    check()


# Sweeps: every numeric and string field the rules read, set to each hostile value at once ---

SWEEP_NUMBERS: list[Any] = [
    *NUMBER_TEXTS, *(f"quoted:{text}" for text in NUMBER_TEXTS),
    0, -1, 2**31, 2**63, 2**64, -(2**63) - 1, 10**300,
    1e308, -1e308, 5e-324, 0.5, -0.0, True, False, None, [], {},
]  # fmt: skip
SWEEP_STRINGS: list[Any] = [*STRINGS, "\udcff.json", "a\nb", "🙂", "\u202e", 5, None, [], {}]


def _is_json_number(text: str) -> bool:
    from fglint.frontends.jsonpos import _NUMBER

    found = _NUMBER.fullmatch(text)
    return found is not None


def sweep_documents(value: Any) -> dict[str, bytes]:
    """A task definition, a service, a target group and scaling policies with every field the
    rules read set to `value` (JSON text: numbers as written, so 1e400 stays 1e400)."""
    v = json.dumps(value, allow_nan=True)  # a string value is quoted, a number written bare
    if isinstance(value, str) and value.startswith("quoted:"):
        value = v = json.dumps(value.removeprefix("quoted:"))
    if isinstance(value, str) and value in NUMBER_TEXTS and value.strip("+-.0123456789e"):
        v = json.dumps(value)
    elif isinstance(value, str) and value in NUMBER_TEXTS:
        v = value if _is_json_number(value) else json.dumps(value)
    health = {k: "V" for k in ("interval", "timeout", "retries", "startPeriod")}
    container = {
        "name": "app", "image": "nginx:1.27", "essential": "V", "cpu": "V", "memory": "V",
        "memoryReservation": "V", "stopTimeout": "V", "startTimeout": "V",
        "healthCheck": {"command": ["CMD-SHELL", "V"], **health},
        "portMappings": [{"containerPort": "V", "hostPort": "V"}],
        "logConfiguration": {"logDriver": "V", "options": {"mode": "V", "max-buffer-size": "V"}},
        "environment": [{"name": "V", "value": "V"}], "secrets": [{"name": "a", "valueFrom": "V"}],
        "command": ["V"], "entryPoint": ["V"], "readonlyRootFilesystem": "V",
    }  # fmt: skip
    task = {
        "family": "V", "cpu": "V", "memory": "V", "networkMode": "V",
        "requiresCompatibilities": ["V", "FARGATE"], "ephemeralStorage": {"sizeInGiB": "V"},
        "runtimePlatform": {"cpuArchitecture": "V", "operatingSystemFamily": "V"},
        "executionRoleArn": "V", "taskRoleArn": "V", "containerDefinitions": [container],
    }  # fmt: skip
    service = {
        "serviceName": "s", "taskDefinition": "V", "desiredCount": "V", "launchType": "FARGATE",
        "platformVersion": "V", "healthCheckGracePeriodSeconds": "V",
        "deploymentConfiguration": {
            "maximumPercent": "V", "minimumHealthyPercent": "V",
            "deploymentCircuitBreaker": {"enable": "V", "rollback": "V"},
        },
        "capacityProviderStrategy": [{"capacityProvider": "V", "weight": "V", "base": "V"}],
        "loadBalancers": [{"targetGroupArn": "V", "containerName": "V", "containerPort": "V"}],
        "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["V"], "assignPublicIp": "V"}},
    }  # fmt: skip
    policy = {
        "PolicyName": "p", "ServiceNamespace": "ecs", "ResourceId": "V",
        "ScalableDimension": "V", "PolicyType": "V",
        "TargetTrackingScalingPolicyConfiguration": {
            "TargetValue": "V", "ScaleInCooldown": "V", "ScaleOutCooldown": "V",
            "PredefinedMetricSpecification": {"PredefinedMetricType": "V", "ResourceLabel": "V"},
        },
        "StepScalingPolicyConfiguration": {"StepAdjustments": [
            {"MetricIntervalLowerBound": "V", "MetricIntervalUpperBound": "V",
             "ScalingAdjustment": "V"}, {"MetricIntervalLowerBound": "V", "ScalingAdjustment": "V"},
        ]},
    }  # fmt: skip
    target = {"ServiceNamespace": "ecs", "ResourceId": "V", "ScalableDimension": "V",
              "MinCapacity": "V", "MaxCapacity": "V"}  # fmt: skip
    group = {"Name": "V", "TargetType": "V", "Port": "V", "HealthCheckIntervalSeconds": "V",
             "Attributes": [{"Key": "deregistration_delay.timeout_seconds",
                             "Value": "V"}]}  # fmt: skip
    docs = {"task.json": task, "service.json": service, "policy.json": policy,
            "target.json": target, "group.json": group}  # fmt: skip
    return {
        name: json.dumps(doc).replace('"V"', v).encode("utf-8", "surrogatepass")
        for name, doc in docs.items()
    }


@pytest.mark.parametrize("value", SWEEP_NUMBERS, ids=repr)
def test_number_sweep(scratch: Path, value: Any) -> None:
    lint(scratch / "sweep-numbers", sweep_documents(value), "number-sweep")


@pytest.mark.parametrize("value", SWEEP_STRINGS, ids=lambda v: repr(v)[:20])
def test_string_sweep(scratch: Path, value: Any) -> None:
    lint(scratch / "sweep-strings", sweep_documents(value), "string-sweep")

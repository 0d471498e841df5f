"""FG003's API schemas: generated reproducibly from botocore, and mapped back to located nodes."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from fglint.aws import apishape
from fglint.frontends.jsonpos import parse_json
from fglint.model import Project, Resource, SourceFile
from fglint.nodes import ObjectNode, UnknownNode
from fglint.rule import Context
from fglint.rules import fg003_api_shape
from helpers import ROOT

SHAPES = [
    "RegisterTaskDefinitionRequest",
    "TaskDefinition",
    "ContainerDefinitions",
    "CreateServiceRequest",
    "UpdateServiceRequest",
    "Service",
    "CreateClusterRequest",
    "PutClusterCapacityProvidersRequest",
    "PutScalingPolicyRequest",
    "RegisterScalableTargetRequest",
    "TargetTrackingScalingPolicyConfiguration",
    "StepScalingPolicyConfiguration",
    "CreateTargetGroupRequest",
    "ModifyTargetGroupAttributesRequest",
]


def load_generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen_schemas", ROOT / "scripts/gen_schemas.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_schemas_are_reproducible() -> None:
    import botocore  # a test extra, pinned to the version the schemas were generated with

    generator = load_generator()
    for stem in generator.SERVICES:
        committed = (ROOT / "schemas" / f"{stem}.json").read_text(encoding="utf-8")
        recorded = json.loads(committed)["$comment"]
        assert generator.generate(stem) == committed, (
            f"schemas/{stem}.json ({recorded}) differs from what scripts/gen_schemas.py writes "
            f"with the installed botocore {botocore.__version__}: run "
            "`python scripts/gen_schemas.py`, review the diff and commit it"
        )


@pytest.mark.parametrize("shape", SHAPES)
def test_every_recognised_shape_has_a_schema(shape: str) -> None:
    assert apishape.has_schema(shape)


def test_schema_files_are_valid_json_schemas() -> None:
    from jsonschema import Draft202012Validator

    stems = {stem for stem, _ in apishape.shape_index().values()}
    assert stems == {"ecs_api", "autoscaling_api", "elbv2_api"}
    for shape in apishape.shape_index():
        Draft202012Validator.check_schema(apishape.validator(shape).schema)


def resource(text: str, shape: str) -> Resource:
    node, _ = parse_json(text, "input.json")
    assert isinstance(node, ObjectNode)
    return Resource(node, SourceFile("input.json", "input.json", text), shape=shape)


def findings(text: str, shape: str) -> list[tuple[int, int, str]]:
    """(line, column, message) of each FG003 finding on `text` read as `shape`."""
    project = Project(resources=[resource(text, shape)])
    found = fg003_api_shape.check(Context(project))
    return sorted((v.span.line, v.span.col, v.message) for v in found)


def test_create_service_input() -> None:
    text = """{
  "serviceName": "web",
  "launchType": "fargate",
  "desiredCount": "2",
  "deploymentConfiguration": {"deploymentCircuitBreaker": {"enable": true}},
  "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"],
    "assignPublicIP": "DISABLED"}}
}"""
    assert findings(text, "CreateServiceRequest") == [
        (3, 17, "`launchType` must be one of EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES; "
         "got `fargate` (did you mean `FARGATE`?)"),
        (4, 19, "`desiredCount` must be an integer, got a string: remove the quotes"),
        (5, 59, "Missing required key `rollback` in a deployment circuit breaker"),
        (7, 5, "Unknown key `assignPublicIP` in an awsvpc configuration "
         "(did you mean `assignPublicIp`?)"),
    ]  # fmt: skip


def test_missing_top_level_keys_of_an_input_are_left_to_cli_options() -> None:
    # `aws ecs create-service --service-name web --cli-input-json file://service.json`
    assert findings('{"taskDefinition": "web:3", "desiredCount": 2}', "CreateServiceRequest") == []


def test_update_service_input_and_describe_services_output() -> None:
    assert findings('{"service": "web", "serviceName": "web"}', "UpdateServiceRequest") == [
        (1, 20, "Unknown key `serviceName` in the update-service input (did you mean `service`?)"),
    ]
    described = """{"serviceArn": "arn:aws:ecs:us-east-1:111122223333:service/prod/web",
 "serviceName": "web", "status": "ACTIVE", "runningCount": 2, "pendingCount": 0,
 "createdAt": "2024-05-02T10:14:07.512000+00:00", "deployments": [{"id": "ecs-svc/1",
 "status": "PRIMARY", "rolloutState": "COMPLETED", "updatedAt": 1714644847.5}],
 "events": [{"id": "e1", "createdAt": 1714644847.5, "message": "steady state"}]}"""
    assert findings(described, "Service") == []
    assert findings('{"serviceName": "web", "launchType": "Fargate"}', "Service") == [
        (1, 38, "`launchType` must be one of EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES; "
         "got `Fargate` (did you mean `FARGATE`?)"),
    ]  # fmt: skip


def test_cluster_inputs() -> None:
    text = '{"clusterName": "prod", "settings": [{"name": "containerinsights", "value": "on"}]}'
    assert findings(text, "CreateClusterRequest") == [
        (1, 47, "`name` must be one of containerInsights; got `containerinsights` "
         "(did you mean `containerInsights`?)"),
    ]  # fmt: skip
    text = '{"cluster": "prod", "capacityProviders": ["FARGATE"], "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1001}]}'  # noqa: E501
    assert findings(text, "PutClusterCapacityProvidersRequest") == [
        (1, 133, "`weight` must be at most 1000, got 1001"),
    ]


def test_scaling_inputs() -> None:
    text = """{"PolicyName": "cpu", "ServiceNamespace": "ecs",
 "ResourceId": "service/prod/web", "ScalableDimension": "ecs:service:DesiredCount",
 "PolicyType": "TargetTrackingScaling",
 "TargetTrackingScalingPolicyConfiguration": {"TargetValue": "70",
   "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
   "ScaleInCooldown": 60, "DisableScaleIn": "false"}}"""
    assert findings(text, "PutScalingPolicyRequest") == [
        (4, 62, "`TargetValue` must be a number, got a string: remove the quotes"),
        (6, 45, "`DisableScaleIn` must be a boolean, got a string: remove the quotes"),
    ]
    text = '{"ServiceNamespace": "ECS", "ResourceId": "service/prod/web", "MinCapacity": 1}'
    assert findings(text, "RegisterScalableTargetRequest") == [
        (1, 22, "`ServiceNamespace` must be one of the 15 values the API allows; got `ECS` "
         "(did you mean `ecs`?)"),
    ]  # fmt: skip


def test_bare_scaling_configuration_wrapped_by_the_front_end() -> None:
    text = '{"TargetValue": 70, "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPU"}, "ScaleOutCooldown": 60}'  # noqa: E501
    policy = resource(text, "TargetTrackingScalingPolicyConfiguration")
    key = "TargetTrackingScalingPolicyConfiguration"
    policy.node = ObjectNode(policy.node.span, {key: policy.node}, {key: policy.node.span})
    found = list(fg003_api_shape.check(Context(Project(resources=[policy]))))
    assert [(v.span.col, v.message) for v in found] == [
        (79, "`PredefinedMetricType` must be one of the 31 values the API allows; got "
         "`ECSServiceAverageCPU` (did you mean `ECSServiceAverageCPUUtilization`?)"),
    ]  # fmt: skip


def test_step_scaling_configuration_needs_its_adjustment() -> None:
    text = '{"AdjustmentType": "ChangeInCapacity", "StepAdjustments": [{"MetricIntervalLowerBound": 0}]}'  # noqa: E501
    assert findings(text, "StepScalingPolicyConfiguration") == [
        (1, 60, "Missing required key `ScalingAdjustment` in a step adjustment"),
    ]


def test_target_group_inputs() -> None:
    text = """{"Name": "web", "Protocol": "http", "Port": "80", "VpcId": "vpc-1",
 "TargetType": "ip", "HealthCheckIntervalSeconds": 3, "Matcher": {"HttpCode": 200}}"""
    assert findings(text, "CreateTargetGroupRequest") == [
        (1, 29, "`Protocol` must be one of HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, GENEVE, QUIC, "
         "TCP_QUIC; got `http` (did you mean `HTTP`?)"),
        (1, 45, "`Port` must be an integer, got a string: remove the quotes"),
        (2, 52, "`HealthCheckIntervalSeconds` must be at least 5, got 3"),
        (2, 79, "`HttpCode` must be a string, got a number: put the value in quotes"),
    ]  # fmt: skip


def test_keys_a_front_end_adds_are_not_checked() -> None:
    text = """{"TargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web/1",
 "Attributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": 30}]}"""
    group = resource(text, "ModifyTargetGroupAttributesRequest")
    attribute = group.node.objects("Attributes")[0]
    group.node.fields["DeregistrationDelay"] = attribute.fields["Value"]
    group.node.keys["DeregistrationDelay"] = attribute.key_span("Value")
    found = list(fg003_api_shape.check(Context(Project(resources=[group]))))
    assert [(v.span.line, v.span.col, v.message) for v in found] == [
        (2, 74, "`Value` must be a string, got a number: put the value in quotes"),
    ]


def test_unknown_values_are_never_wrong() -> None:
    task = resource('{"family": "web", "cpu": 256, "containerDefinitions": []}', "TaskDefinition")
    cpu = task.node.fields["cpu"]
    task.node.fields["cpu"] = UnknownNode(cpu.span, "var.cpu")
    task.node.fields["containerDefinitions"] = UnknownNode(cpu.span, "local.containers")
    assert list(fg003_api_shape.check(Context(Project(resources=[task])))) == []


def test_resources_without_a_shape_are_not_checked() -> None:
    # Terraform and CloudFormation front-ends convert types themselves and set no shape
    task = resource('{"family": "web", "cpu": 256, "containerDefinitions": []}', "")
    assert list(fg003_api_shape.check(Context(Project(resources=[task])))) == []


def test_jsonschema_is_imported_only_when_a_resource_has_a_shape(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text(json.dumps({"name": "web", "version": "1.0.0"}))
    script = (
        "import sys; from fglint.main import entry; sys.argv = ['fglint', 'check', "
        f"{str(tmp_path)!r}, '--select', 'FG003']\n"
        "try:\n    entry()\nexcept SystemExit:\n    pass\n"
        "print('jsonschema' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "False", result.stdout + result.stderr

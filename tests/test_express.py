"""ECS Express Mode: one service written as a create-express-gateway-service input, a Terraform
`aws_ecs_express_gateway_service` and a CloudFormation `AWS::ECS::ExpressGatewayService` is the
same model, so the rules about task size, images, secrets, roles, subnets and scaling report the
same problems at the same settings, and the rules about what Express manages stay silent."""

from __future__ import annotations

from pathlib import Path

import pytest
from fglint.load import load
from fglint.model import ExpressService, ScalableTarget, Service, TaskDefinition
from helpers import FIXTURES, lint

EXPRESS = FIXTURES / "express"

# code -> line of the finding, per format
EXPECTED = {
    "express.json": {"FG604": 6, "FG101": 8, "FG201": 11, "FG601": 13, "FG702": 16, "FG903": 17},
    "express.tf": {"FG604": 6, "FG101": 8, "FG201": 12, "FG601": 16, "FG702": 25, "FG903": 29},
    "express.yaml": {"FG604": 10, "FG101": 12, "FG201": 15, "FG601": 19, "FG702": 24, "FG903": 26},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_existing_rules_apply_in_every_format(name: str) -> None:
    findings = lint([EXPRESS / name])
    found = {f.code: f.span.line for f in findings}
    assert found == EXPECTED[name], [f"{f.span}: {f.code} {f.message}" for f in findings]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_model_has_what_ecs_creates(name: str) -> None:
    project = load([str(EXPRESS / name)])
    from fglint.linker import link

    link(project)
    (express,) = project.of(ExpressService)
    assert express.task_definition is not None and express.service is not None
    assert express.service.task_definition is express.task_definition
    assert express.service.fargate and express.task_definition.fargate
    (container,) = express.task_definition.containers
    assert container.name == "Main" and container.essential
    assert express.scalable_target in express.service.scalable_targets
    assert len(list(project.of(TaskDefinition))) == 1
    assert len(list(project.of(Service))) == len(list(project.of(ScalableTarget))) == 1


def test_a_minimal_service_is_silent() -> None:
    findings = lint([EXPRESS / "minimal.json"])
    assert not findings, [f"{f.span}: {f.code} {f.message}" for f in findings]


def test_the_api_shape_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "express.json"
    path.write_text(
        '{"infrastructureRoleArn": "arn:aws:iam::111122223333:role/infra",\n'
        ' "primaryContainer": {"image": "nginx:1.27.0", "portMappings": []}}\n',
        encoding="utf-8",
    )
    findings = lint([path], select=["FG003"])
    assert [(f.code, f.span.line) for f in findings] == [("FG003", 2)], findings
    assert "portMappings" in findings[0].message


def test_an_own_task_definition_is_linked_not_generated(tmp_path: Path) -> None:
    (tmp_path / "express.json").write_text(
        '{"infrastructureRoleArn": "arn:aws:iam::111122223333:role/infra",\n'
        ' "serviceName": "web", "taskDefinitionArn": "web:3", "healthCheckPath": "/"}\n',
        encoding="utf-8",
    )
    (tmp_path / "task.json").write_text(
        '{"family": "web", "requiresCompatibilities": ["EC2"], "networkMode": "awsvpc",\n'
        ' "cpu": "256", "memory": "512",\n'
        ' "containerDefinitions": [{"name": "Main", "image": "nginx:1.27.0"}]}\n',
        encoding="utf-8",
    )
    findings = lint([tmp_path], select=["FG111"])
    assert [(f.code, Path(f.span.path).name) for f in findings] == [("FG111", "express.json")]

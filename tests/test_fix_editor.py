"""The editor a rule makes its fixes with: it edits only plain literals written at their own
span, writes in each file's syntax, and never touches a value it cannot see whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fglint.engine.fixing import apply
from fglint.fix import Edit, Editor, Fix, position
from fglint.load import load
from fglint.main import cli
from fglint.model import Project
from fglint.nodes import ObjectNode
from helpers import in_dir


def project(tmp: Path, name: str, text: str) -> Project:
    (tmp / name).write_text(text)
    with in_dir(tmp):
        return load([name])


def edited(editor: Editor, path: str, edits: list[Edit | None]) -> str:
    assert all(edits), edits
    return apply(editor.files[path].text, [e for e in edits if e is not None])


TERRAFORM = """variable "host_port" {
  default = 80
}

resource "aws_ecs_task_definition" "app" {
  family                = "app"
  network_mode          = "awsvpc"
  container_definitions = jsonencode([{
    name         = "app"
    image        = "app:${var.tag}"
    portMappings = [{ containerPort = 8080, hostPort = var.host_port }]
  }])
}

resource "aws_ecs_service" "web" {
  name                               = "web"
  launch_type                        = "FARGATE"
  deployment_minimum_healthy_percent = 100
}
"""


def test_unknown_and_partly_known_values_are_not_edited(tmp_path: Path) -> None:
    found = project(tmp_path, "main.tf", TERRAFORM)
    editor = Editor(found)
    task = found.task_definitions[0]
    container = task.containers[0].node
    image = container.get("image")
    assert type(image).__name__ == "TemplateNode"
    assert not editor.literal(image) and editor.replace(image, "app:1.0") is None
    service = next(r for r in found.resources if r.kind == "service")
    synthetic = service.node.get("deploymentConfiguration")
    assert isinstance(synthetic, ObjectNode) and not editor.real(synthetic)
    assert editor.real(service.node)


def test_a_literal_reached_through_a_variable_makes_the_fix_unsafe(tmp_path: Path) -> None:
    found = project(tmp_path, "main.tf", TERRAFORM)
    editor = Editor(found)
    mapping = found.task_definitions[0].containers[0].node.objects("portMappings")[0]
    host = mapping.get("hostPort")
    assert host is not None and host.via and editor.text(host.span) == "80"
    edit = editor.replace(host, 8080)
    assert edit is not None and edit.shared
    fix = Fix.of("x", [edit])
    assert fix is not None and not fix.safe
    with in_dir(tmp_path):
        safe_only = CliRunner().invoke(cli, ["check", "--select", "FG108", "--diff", "."])
        unsafe = CliRunner().invoke(cli, ["check", "--select", "FG108", "--diff", "--unsafe-fixes"])
    assert safe_only.stdout == "" and safe_only.exit_code == 0
    assert "-  default = 80\n+  default = 8080\n" in unsafe.stdout


def test_terraform_block_from_the_front_end_table(tmp_path: Path) -> None:
    found = project(tmp_path, "main.tf", TERRAFORM)
    editor = Editor(found)
    service = next(r for r in found.resources if r.kind == "service")
    path = "deploymentConfiguration.deploymentCircuitBreaker"
    edits = editor.set(service.node, path, {"enable": True, "rollback": True})
    assert edits is not None
    assert edited(editor, "main.tf", list(edits)).endswith(
        "  deployment_minimum_healthy_percent = 100\n"
        "  deployment_circuit_breaker {\n    enable   = true\n    rollback = true\n  }\n}\n"
    )


YAML = """Resources:
  Cluster:
    Type: AWS::ECS::Cluster
    Properties:
      ClusterName: !Ref Name
      Tags:
        - Key: team
          Value: 'plat''form'
        - Key: tier
          Value: "gold"
        - Key: env
          Value: prod
"""


@pytest.mark.parametrize(
    ("index", "written"), [(0, "'new''s'"), (1, '"new\'s"'), (2, '"new\'s"')], ids=str
)
def test_yaml_keeps_the_quoting(tmp_path: Path, index: int, written: str) -> None:
    found = project(tmp_path, "template.yaml", YAML)
    editor = Editor(found)
    cluster = found.resources[0].node
    assert not editor.literal(cluster.get("clusterName"))  # !Ref
    value = cluster.objects("tags")[index].get("value")
    edit = editor.replace(value, "new's")
    assert edit is not None and edit.text == written


def test_yaml_plain_stays_plain(tmp_path: Path) -> None:
    found = project(tmp_path, "template.yaml", YAML)
    editor = Editor(found)
    value = found.resources[0].node.objects("tags")[2].get("value")
    edit = editor.replace(value, "staging")
    assert edit is not None and edit.text == "staging"


JSON_TEXT = '{\n  "a": 1,\n  "b": {"x": 1, "y": 2},\n  "c": 3\n}\n'


@pytest.mark.parametrize(
    ("where", "key", "after"),
    [
        ((), "a", '{\n  "b": {"x": 1, "y": 2},\n  "c": 3\n}\n'),
        ((), "c", '{\n  "a": 1,\n  "b": {"x": 1, "y": 2}\n}\n'),
        (("b",), "x", '{\n  "a": 1,\n  "b": {"y": 2},\n  "c": 3\n}\n'),
        (("b",), "y", '{\n  "a": 1,\n  "b": {"x": 1},\n  "c": 3\n}\n'),
    ],
    ids=str,
)
def test_json_member_removed(tmp_path: Path, where: tuple[str, ...], key: str, after: str) -> None:
    (tmp_path / "x.json").write_text(JSON_TEXT)
    from fglint.frontends.jsonpos import parse_json
    from fglint.model import SourceFile

    root, _ = parse_json(JSON_TEXT, "x.json")
    found = Project(files=[SourceFile("x.json", str(tmp_path / "x.json"), JSON_TEXT, "json")])
    editor = Editor(found)
    obj = root
    for step in where:
        obj = obj.fields[step]  # type: ignore[union-attr]
    assert isinstance(obj, ObjectNode)
    assert edited(editor, "x.json", [editor.remove(obj, key)]) == after
    json.loads(after)


def test_position_counts_every_line_break() -> None:
    assert position("ab\r\ncd\ref\ngh", 0) == (1, 1)
    assert position("ab\r\ncd\ref\ngh", 5) == (2, 2)
    assert position("ab\r\ncd\ref\ngh", 7) == (3, 1)
    assert position("ab\r\ncd\ref\ngh", 11) == (4, 2)


def test_sarif_fixes_are_the_fix(tmp_path: Path) -> None:
    """Applying a SARIF result's replacements gives what `--fix --unsafe-fixes` writes."""
    task = Path(__file__).resolve().parent.parent / "fixtures" / "FG503" / "bad_modes.json"
    (tmp_path / "task.json").write_bytes(task.read_bytes())
    with in_dir(tmp_path):
        out = CliRunner().invoke(cli, ["check", "--select", "FG503", "--format", "sarif", "."])
        CliRunner().invoke(cli, ["check", "--select", "FG503", "--fix", "--unsafe-fixes", "."])
    original = task.read_text()
    edits = []
    for result in json.loads(out.stdout)["runs"][0]["results"]:
        for change in result["fixes"][0]["artifactChanges"]:
            assert change["artifactLocation"]["uri"] == "task.json"
            for replacement in change["replacements"]:
                region = replacement["deletedRegion"]
                start = offset(original, region["startLine"], region["startColumn"])
                end = offset(original, region["endLine"], region["endColumn"])
                edits.append(Edit("task.json", start, end, replacement["insertedContent"]["text"]))
    assert edits and apply(original, edits) == (tmp_path / "task.json").read_text()


def offset(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    return sum(len(part) + 1 for part in lines[: line - 1]) + column - 1

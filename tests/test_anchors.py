"""Anchors and names (issue 9): a finding about something missing points at one line that names
the resource (a Terraform block header, a CloudFormation logical id, a JSON object's first key or
opening brace); a container is named by its literal, the expression that names it, or its place."""

from __future__ import annotations

from pathlib import Path

from helpers import in_dir, lint


def findings(tmp_path: Path, name: str, text: str, select: list[str]) -> list[tuple[str, str]]:
    (tmp_path / name).write_text(text, encoding="utf-8")
    with in_dir(tmp_path):
        found = lint([name], select)
    return [
        (f"{f.span.line}:{f.span.col}-{f.span.end_line}:{f.span.end_col}", f.message) for f in found
    ]


def test_terraform_block_header(tmp_path: Path) -> None:
    text = 'resource "aws_ecs_cluster" "legacy" {\n  name = "legacy"\n}\n'
    [(where, message)] = findings(tmp_path, "main.tf", text, ["FG506"])
    assert where == "1:1-1:36"  # resource "aws_ecs_cluster" "legacy", one line
    assert "`aws_ecs_cluster.legacy`" in message


def test_cloudformation_logical_id(tmp_path: Path) -> None:
    text = (
        "Resources:\n  Legacy:\n    Type: AWS::ECS::Cluster\n"
        "    Properties:\n      ClusterName: legacy\n"
    )
    [(where, _)] = findings(tmp_path, "template.yaml", text, ["FG506"])
    assert where == "2:3-2:9"


def test_json_first_key_or_opening_brace(tmp_path: Path) -> None:
    text = '{\n  "clusterName": "legacy"\n}\n'
    [(where, _)] = findings(tmp_path, "cluster.json", text, ["FG506"])
    assert where == "2:3-2:16"
    task = '{"family": "web",\n "containerDefinitions": [{"image": "app:1.2"}, {}]}\n'
    found = findings(tmp_path, "task.json", task, ["FG501"])
    assert [where for where, _ in found] == ["2:28-2:35", "2:49-2:50"]  # first key; brace
    assert "Container `web #0`" in found[0][1] and "Container `web #1`" in found[1][1]


def test_container_names(tmp_path: Path) -> None:
    text = (
        "Parameters:\n  AppName:\n    Type: String\n    Default: checkout\n"
        "  NoDefault:\n    Type: String\n"
        "Resources:\n  TaskDef:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n"
        "      ContainerDefinitions:\n"
        "        - Name: !Ref AppName\n          Image: app:1.2\n"
        "        - Image: app:1.2\n"
        "        - Name: !Ref NoDefault\n          Image: app:1.2\n"
        "        - Name: web\n          Image: app:1.2\n"
    )
    found = findings(tmp_path, "template.yaml", text, ["FG501"])
    assert [(where, message.split(" has ")[0]) for where, message in found] == [
        ("12:17-12:29", "Container `checkout`"),  # the parameter's default; at the `!Ref`
        ("14:11-14:16", "Container `AWS::ECS::TaskDefinition TaskDef #1`"),
        ("15:17-15:31", "Container `!Ref NoDefault`"),
        ("17:17-17:20", "Container `web`"),
    ]
    assert not any("(unnamed)" in message for _, message in found)


def test_a_module_linted_alone_and_called_reports_each_problem_once(tmp_path: Path) -> None:
    """The module folder is a root of its own (its container named `var.name`, unknown) and an
    instance of the caller's (`web`): one finding per rule and place, the one that says most."""
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / "main.tf").write_text(
        'variable "name" {}\n'
        'resource "aws_ecs_task_definition" "app" {\n'
        '  family = "app"\n'
        "  container_definitions = jsonencode([{\n"
        "    name  = var.name\n"
        '    image = "app:1.2"\n'
        "  }])\n"
        "}\n",
        encoding="utf-8",
    )
    (tmp_path / "main.tf").write_text(
        'module "app" {\n  source = "./mod"\n  name   = "web"\n}\n', encoding="utf-8"
    )
    with in_dir(tmp_path):
        found = lint(["."], ["FG401"])
    assert [(str(f.span), f.message.split(" has ")[0]) for f in found] == [
        ("mod/main.tf:5:13", "Essential container `web`")
    ]

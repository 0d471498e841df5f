"""`fglint check --add-suppressions`: every finding that can take a comment gets one, the file
still says the same, a second run adds nothing, and what cannot be suppressed inline is counted."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from fglint.main import cli
from helpers import in_dir

TERRAFORM = """resource "aws_ecs_task_definition" "web" {
  family                = "web"
  container_definitions = jsonencode([
    { name = "web", image = "nginx:latest" }, # pinned later
  ])
}

resource "aws_ecs_task_definition" "heredoc" {
  family                = "heredoc"
  container_definitions = <<-JSON
    [{"name": "web", "image": "nginx:latest"}]
  JSON
}
"""

YAML = """Resources:
  TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: web
      ContainerDefinitions:
        - Name: web
          Image: nginx:latest  # fglint: ignore[FG501] logs go to the sidecar
          Command: |
            echo nginx:latest
"""

DOCKERFILE = "FROM python\nRUN pip install app \\\n    && true\n"

TASK = {"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx:latest"}]}


def run(tmp: Path, *args: str) -> tuple[int, str, str]:
    with in_dir(tmp):
        result = CliRunner().invoke(cli, ["check", "--select", "FG201,FG203", *args])
    return result.exit_code, result.stdout, result.stderr


def test_add_suppressions(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(TERRAFORM)
    (tmp_path / "template.yaml").write_text(YAML)
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    (tmp_path / "task.json").write_text(json.dumps(TASK))
    code, _, err = run(tmp_path, "--add-suppressions", ".")
    assert code == 0
    assert "Added suppressions for 3 findings; 2 left" in err
    assert (tmp_path / "main.tf").read_text() == TERRAFORM.replace(
        "# pinned later", "# pinned later  # fglint: ignore[FG201]"
    )
    assert (tmp_path / "template.yaml").read_text() == YAML.replace(
        "ignore[FG501]", "ignore[FG501,FG201]"
    )
    assert (tmp_path / "Dockerfile").read_text() == "# fglint: ignore[FG203]\n" + DOCKERFILE
    code, out, _ = run(tmp_path, "--no-show-source", ".")
    left = [line.split(":")[0] for line in out.splitlines()[:-1]]
    assert left == ["main.tf", "task.json"]  # the heredoc line, and JSON
    before = {p.name: p.read_text() for p in tmp_path.iterdir()}
    assert (
        "Added suppressions for 0 findings; 2 left" in run(tmp_path, "--add-suppressions", ".")[2]
    )
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == before


def test_crlf_line_breaks_are_kept(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_bytes(YAML.replace("\n", "\r\n").encode())
    run(tmp_path, "--add-suppressions", ".")
    data = (tmp_path / "template.yaml").read_bytes()
    assert b"ignore[FG501,FG201]" in data and b"\n" not in data.replace(b"\r\n", b"")

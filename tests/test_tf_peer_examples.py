"""A folder of peer Terraform examples (a test suite's `positive1.tf`, `positive2.tf`) defines
the same addresses in each file. Terraform rejects that in one module, so such a folder is a set
of independent examples: every resource is kept, and a reference resolves to the definition in
its own file, else to the only one in the folder, else to nothing (no guess)."""

from __future__ import annotations

from pathlib import Path

from fglint.model import Service, TaskDefinition
from fglint.nodes import UnknownNode
from helpers import in_dir, lint
from test_terraform import at, module, project_of

CLUSTER = """
variable "insights" {{
  default = "{insights}"
}}
resource "aws_ecs_cluster" "foo" {{
  name = "white-hart"
  setting {{
    name  = "containerInsights"
    value = var.insights
  }}
}}
resource "aws_ecs_task_definition" "app" {{
  family                   = "{family}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  container_definitions    = jsonencode([{{ name = "app", image = "app:1.0" }}])
}}
resource "aws_ecs_service" "app" {{
  name            = "app"
  cluster         = aws_ecs_cluster.foo.id
  task_definition = aws_ecs_task_definition.app.arn
  launch_type     = "FARGATE"
  network_configuration {{
    subnets          = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
    security_groups  = ["sg-0123456789abcdef0"]
    assign_public_ip = {public}
  }}
}}
"""

PEERS = {
    "positive1.tf": CLUSTER.format(insights="disabled", family="one", public="false"),
    "positive2.tf": CLUSTER.format(insights="enhanced", family="two", public="true"),
    # Names both addresses, defined in two other files: which one is meant is a guess.
    "other.tf": 'resource "aws_ecs_service" "other" {\n'
    "  task_definition = aws_ecs_task_definition.app.arn\n}\n",
}


def test_every_peer_file_reports_its_own_findings(tmp_path: Path) -> None:
    folder = module(tmp_path, **PEERS)
    with in_dir(folder):
        findings = lint(["."], select=["FG506", "FG701"])
    assert [(f.code, f.span.path, f.span.line, f.span.col) for f in findings] == [
        # its own variable's default, `disabled` (the value to edit)
        ("FG506", "positive1.tf", *at(PEERS["positive1.tf"], '"disabled"')),
        # its own service's `assign_public_ip = true`
        ("FG701", "positive2.tf", *at(PEERS["positive2.tf"], "true")),
    ]


def test_references_prefer_the_same_file_and_never_guess(tmp_path: Path) -> None:
    project = project_of(module(tmp_path, **PEERS))
    services = {s.file.path: s for s in project.of(Service)}
    for path, family in (("positive1.tf", "one"), ("positive2.tf", "two")):
        service = services[path]
        assert service.task_definition is not None
        assert service.task_definition.family == family
        assert service.cluster is not None and service.cluster.file.path == path
    other = services["other.tf"]
    ref = other.node.get("taskDefinition")
    assert isinstance(ref, UnknownNode) and ref.ref == "aws_ecs_task_definition.app"
    assert project.resolve(ref, TaskDefinition) is None
    assert other.task_definition is None
    assert len(project.task_definitions) == 2


def test_a_name_defined_once_resolves_from_every_file(tmp_path: Path) -> None:
    files = dict(PEERS)
    files["variables.tf"] = 'variable "family" {\n  default = "shared"\n}\n'
    files["positive1.tf"] = files["positive1.tf"].replace('"one"', "var.family")
    project = project_of(module(tmp_path, **files))
    families = sorted(t.family or "?" for t in project.task_definitions)
    assert families == ["shared", "two"]

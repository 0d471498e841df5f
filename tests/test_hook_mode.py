"""Hook mode (issue 10, part 2): files given by name keep their context. The JSON and YAML of
their folder tree and the rest of their Terraform module are loaded unreported; a finding is
reported when a given file takes part in it; a context file that does not parse is named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from fglint.main import cli
from helpers import FIXTURES, in_dir

INCIDENT = FIXTURES / "FG305" / "bad_incident"  # service + task definition + target group
MODULE = {
    "main.tf": """\
variable "cpu" { default = 256 }
resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = 512
  container_definitions    = jsonencode([{ name = "app", image = "nginx:1.27", essential = true }])
}
""",
    "other.tf": """\
resource "aws_ecs_task_definition" "other" {
  family                   = "other"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 300
  memory                   = 512
  container_definitions    = jsonencode([{ name = "o", image = "nginx:1.27", essential = true }])
}
""",
    "terraform.tfvars": "cpu = 300\n",
}


def check(folder: Path, *args: str) -> tuple[int, str, str]:
    with in_dir(folder):
        outcome = CliRunner().invoke(cli, ["check", *args])
    return outcome.exit_code, outcome.stdout, outcome.stderr


def located(out: str) -> list[str]:
    return [line.split(" [")[0] for line in out.splitlines() if ": FG" in line]


@pytest.fixture
def incident(tmp_path: Path) -> Path:
    shutil.copytree(INCIDENT, tmp_path / "infra")
    unrelated = (FIXTURES / "FG201" / "good_pinned.json").read_text(encoding="utf-8")
    (tmp_path / "infra" / "unrelated.json").write_text(unrelated, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("given", ["target-group.json", "task.json", "service.json"])
def test_one_changed_file_of_three_still_reports_the_cross_file_finding(
    incident: Path, given: str
) -> None:
    code, out, _ = check(incident, f"infra/{given}", "--select", "FG305")
    assert code == 1
    assert located(out) == ["infra/target-group.json:2:3: FG305"]
    assert out.endswith(
        "in 1 file (1 warning). Run `fglint explain FG305` for what a rule checks and why.\n"
    )


def test_a_file_that_takes_no_part_reports_nothing_of_its_neighbours(incident: Path) -> None:
    assert check(incident, "infra/unrelated.json", "--select", "FG305")[:2] == (
        0,
        "No findings in 1 file.\n",
    )


def test_a_changed_tfvars_file_reports_what_its_values_cause(tmp_path: Path) -> None:
    for name, text in MODULE.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    code, out, _ = check(tmp_path, "terraform.tfvars", "--select", "FG101")
    assert code == 1
    assert located(out) == ["terraform.tfvars:1:7: FG101"]  # not other.tf's own cpu 300


def test_a_context_file_that_does_not_parse_is_named(tmp_path: Path) -> None:
    for name, text in MODULE.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "broken.tf").write_text('resource "x" "y" {\n  a = \n}\n', encoding="utf-8")
    code, out, err = check(tmp_path, "main.tf", "--select", "FG001,FG201")
    assert (code, out) == (0, "No findings in 1 file.\n")
    assert "broken.tf:2:7: context file not parsed" in err
    assert "findings for the given files may be incomplete" in err


def test_a_context_file_that_does_not_parse_changes_nothing_of_the_given_file(
    tmp_path: Path,
) -> None:
    """Issue 10: a broken .tf beside the given one turned its container into `(unnamed)` and
    lost its FG201, with no diagnostic."""
    text = MODULE["main.tf"].replace("nginx:1.27", "nginx:latest")
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    alone = check(tmp_path, "main.tf", "--select", "ALL")
    (tmp_path / "broken.tf").write_text('resource "x" "y" {\n  a = \n}\n', encoding="utf-8")
    code, out, err = check(tmp_path, "main.tf", "--select", "ALL")
    assert (code, out) == alone[:2]
    assert "main.tf:8:66: FG201" in located(out) and "(unnamed)" not in out
    assert "Container `app`" in out
    assert "broken.tf:2:7: context file not parsed" in err and not alone[2]


def test_a_whole_folder_reports_every_file(incident: Path) -> None:
    code, out, err = check(incident, "infra", "--select", "FG305")
    assert code == 1
    assert located(out) == ["infra/target-group.json:2:3: FG305"] and not err
    assert "in 4 files" in out

"""`fglint check -` (issue 10, part 4): standard input is one file. Without a name it is
recognised by content and shown as `-` (as ruff shows it), and nothing beside it is read; with
`--stdin-filename PATH` it is read as the file at PATH would be: its format by name and content,
the rest of its Terraform module and its folder tree's JSON as context, the findings under PATH."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from fglint.main import cli
from helpers import FIXTURES, fargate_task, in_dir

TASK = json.dumps(fargate_task(memory="4096", image="nginx:1.27"), indent=2)
HCL = """\
resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = var.memory
  container_definitions    = jsonencode([{ name = "app", image = "nginx:1.27", essential = true }])
}
"""
VARIABLES = 'variable "memory" { default = 4096 }\n'
TEMPLATE = """\
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      Cpu: "256"
      Memory: "4096"
      ContainerDefinitions:
        - Name: app
          Image: nginx:1.27
          Essential: true
"""
DOCKERFILE = 'FROM nginx:1.27\nCMD sh -c "nginx -g daemon off"\n'
MEMORY_LINE = next(n for n, line in enumerate(TASK.splitlines(), 1) if '"memory"' in line)


def check(folder: Path, given: bytes | str, *args: str) -> tuple[int, str, str]:
    data = given.encode("utf-8") if isinstance(given, str) else given
    with in_dir(folder):
        outcome = CliRunner().invoke(cli, ["check", *args], input=data)
    return outcome.exit_code, outcome.stdout, outcome.stderr


def located(out: str) -> list[str]:
    return [line.split(" [")[0] for line in out.splitlines() if ": FG" in line]


@pytest.mark.parametrize(
    ("text", "select", "expected"),
    [
        (TASK, "FG101", [f"-:{MEMORY_LINE}:13: FG101"]),
        (HCL.replace("var.memory", "4096"), "FG101", ["-:6:30: FG101"]),
        (TEMPLATE, "FG101", ["-:8:15: FG101"]),
        (DOCKERFILE, "FG302", ["-:2:5: FG302"]),
    ],
    ids=["json", "terraform", "cloudformation", "dockerfile"],
)
def test_standard_input_without_a_name_is_recognised_by_content(
    tmp_path: Path, text: str, select: str, expected: list[str]
) -> None:
    code, out, _ = check(tmp_path, text, "-", "--select", select)
    assert (code, located(out)) == (1, expected)
    level = "error" if select == "FG101" else "warning"
    assert out.startswith(expected[0]) and f"in 1 file (1 {level})." in out


def test_standard_input_that_is_none_of_fglints_inputs_is_skipped(tmp_path: Path) -> None:
    code, out, err = check(tmp_path, "hello, world\n", "-", "-v")
    assert (code, out) == (0, "No findings in 0 files.\n")
    assert "skipped -: standard input that is not JSON, Terraform" in err


def test_standard_input_without_a_name_reads_nothing_beside_it(tmp_path: Path) -> None:
    """The working directory's module and files are not its context: `var.memory` stays
    unknown (no FG101), and `file()` of a neighbour is not read (no FG201). Named, they are (the
    findings are where the values are, reported since the given file takes part)."""
    (tmp_path / "variables.tf").write_text(VARIABLES, encoding="utf-8")
    (tmp_path / "containers.json").write_text(
        '[{"name": "app", "image": "nginx:latest", "essential": true}]', encoding="utf-8"
    )
    text = HCL.replace('jsonencode([{ name = "app", image = "nginx:1.27", essential = true }])',
                       'file("containers.json")')  # fmt: skip
    code, out, _ = check(tmp_path, text, "-", "--select", "FG101,FG201", "-v")
    assert (code, out) == (0, "No findings in 1 file.\n")
    code, out, _ = check(
        tmp_path, text, "-", "--select", "FG101,FG201", "--stdin-filename", "main.tf"
    )
    assert code == 1 and located(out) == ["containers.json:1:27: FG201", "variables.tf:1:31: FG101"]


def test_stdin_filename_is_read_with_the_rest_of_its_terraform_module(tmp_path: Path) -> None:
    write_module = tmp_path / "infra"
    write_module.mkdir()
    (write_module / "variables.tf").write_text(VARIABLES, encoding="utf-8")
    for name in ("main.tf", "new.tf"):  # on disk (with other text) or not yet saved
        if name == "main.tf":
            (write_module / name).write_text(HCL.replace("var.memory", "512"), encoding="utf-8")
        args = ("-", "--stdin-filename", f"infra/{name}", "--select", "FG101", "-v")
        code, out, err = check(tmp_path, HCL, *args)
        # the invalid value is the variable's default, in the module's other file
        assert (code, located(out)) == (1, ["infra/variables.tf:1:31: FG101"]), (name, out, err)
        assert "in 1 file (1 error)" in out
        assert f"read infra/{name} (terraform)" in err
        assert "context infra/variables.tf (terraform)" in err


def test_stdin_filename_stands_for_the_file_on_disk(tmp_path: Path) -> None:
    (tmp_path / "task.json").write_text(TASK, encoding="utf-8")
    fixed = TASK.replace('"4096"', '"512"')
    code, out, _ = check(tmp_path, fixed, "--stdin-filename", "task.json", "--select", "FG101")
    assert (code, out) == (0, "No findings in 1 file.\n")  # `-` is implied by the name, as in ruff
    code, out, _ = check(tmp_path, TASK, "-", "--stdin-filename", "task.json", "--select", "FG101")
    assert located(out) == [f"task.json:{MEMORY_LINE}:13: FG101"]


def test_stdin_filename_keeps_the_cross_file_context_of_its_folder(tmp_path: Path) -> None:
    """FG305 joins a service, its task definition and target group: with the task definition on
    standard input, the other two are read from its folder and the finding is reported."""
    shutil.copytree(FIXTURES / "FG305" / "bad_incident", tmp_path / "infra")
    task = (tmp_path / "infra" / "task.json").read_text(encoding="utf-8")
    (tmp_path / "infra" / "task.json").unlink()  # standard input stands for it
    args = ("-", "--stdin-filename", "infra/task.json", "--select", "FG305")
    code, out, _ = check(tmp_path, task, *args)
    assert (code, located(out)) == (1, ["infra/target-group.json:2:3: FG305"])
    unlinked = task.replace('"family": "payment-auth"', '"family": "other"')  # not the service's
    assert check(tmp_path, unlinked, *args)[:2] == (0, "No findings in 1 file.\n")


def test_stdin_filename_decides_the_format_by_name_then_content(tmp_path: Path) -> None:
    code, out, _ = check(tmp_path, TASK, "--stdin-filename", "infra/task.json", "--select", "FG101")
    assert located(out) == [f"infra/task.json:{MEMORY_LINE}:13: FG101"]
    # A name that is not fglint's is skipped, as that file would be, whatever it holds.
    code, out, err = check(tmp_path, TASK, "--stdin-filename", "notes.txt", "-v")
    assert (code, out) == (0, "No findings in 0 files.\n")
    # A YAML name with text that is not CloudFormation: skipped with the reason a file gets.
    code, out, err = check(tmp_path, "name: ci\n", "--stdin-filename", "ci.yml", "-v")
    assert (code, out) == (0, "No findings in 0 files.\n")
    assert "skipped ci.yml: YAML without `Type: AWS::...`" in err


def test_standard_input_over_the_size_limit_is_fg001(tmp_path: Path) -> None:
    (tmp_path / ".fglint.toml").write_text("[limits]\nfile-size = 100\n", encoding="utf-8")
    code, out, _ = check(tmp_path, TASK, "-", "--stdin-filename", "task.json")
    assert code == 1
    assert located(out) == ["task.json:1:1: FG001"]
    assert "larger than the file size limit (100 bytes" in out


def test_standard_input_that_is_not_utf8_is_fg001(tmp_path: Path) -> None:
    data = TASK.encode("utf-8").replace(b'"web"', b'"w\xffb"')
    for args in (("-",), ("-", "--stdin-filename", "task.json")):
        code, out, _ = check(tmp_path, data, *args)
        assert code == 1
        shown = "task.json" if len(args) > 1 else "-"
        assert located(out) == [f"{shown}:2:15: FG001"]
        assert "not valid UTF-8 (byte 0xff)" in out


def test_stdin_filename_reads_nothing_outside_its_folder(tmp_path: Path) -> None:
    (tmp_path / "containers.json").write_text(
        '[{"name": "app", "image": "nginx:latest", "essential": true}]', encoding="utf-8"
    )
    text = HCL.replace('jsonencode([{ name = "app", image = "nginx:1.27", essential = true }])',
                       'file("../containers.json")').replace("var.memory", "512")  # fmt: skip
    args = ("-", "--stdin-filename", "infra/main.tf", "--select", "FG201")
    assert check(tmp_path, text, *args)[:2] == (0, "No findings in 1 file.\n")


def test_other_paths_are_ignored_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "other.json").write_text(TASK, encoding="utf-8")
    _, out, err = check(tmp_path, TASK, "-", "other.json", "--select", "FG101")
    assert located(out) == [f"-:{MEMORY_LINE}:13: FG101"]
    assert "reading standard input; ignoring other.json" in err


@pytest.mark.parametrize("flag", ["--fix", "--diff", "--fix-only", "--add-suppressions"])
def test_fixes_need_files(tmp_path: Path, flag: str) -> None:
    code, _, err = check(tmp_path, TASK, "-", flag)
    assert code == 2 and "need files, not `-`" in err


def test_stdin_filename_must_name_a_file(tmp_path: Path) -> None:
    code, _, err = check(tmp_path, TASK, "--stdin-filename", ".")
    assert code == 2 and "name a file, not a folder" in err

"""Which files are fglint's (issue 10, part 1): recognised by name or content and handed to one
front-end by the loader; JSON and YAML that are not recognised are skipped silently, parsed or
not, and `-v` says why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fglint import load as loader
from fglint.frontends import terraform
from fglint.main import cli
from fglint.model import Project, SourceFile
from helpers import fargate_task, in_dir, lint

TASK = fargate_task()
SERVERLESS = """\
service: api
provider:
  name: aws
resources:
  Resources:
    Task:
      Type: AWS::ECS::TaskDefinition
      Properties:
        Family: api
        RequiresCompatibilities: [FARGATE]
        NetworkMode: awsvpc
        Cpu: "256"
        Memory: "512"
        ContainerDefinitions:
          - Name: app
            Image: nginx:latest
            Essential: true
"""
NOT_OURS = {
    "tsconfig.json": '{\n  "compilerOptions": {"strict": true,},\n}\n',  # trailing commas
    ".vscode/settings.json": '{\n  // editor settings\n  "editor.tabSize": 2\n}\n',
    "package.json": '{"name": "app", "version": "1.0.0"}\n',
    "terraform.tfvars.template": 'cpu = "${CPU}"\nregion = "eu-west-1"\n',
    "docker-compose.yml": "services:\n  web:\n    image: nginx:latest\n",
    "Dockerfile.dockerignore": "node_modules\n",
}


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def check(folder: Path, *args: str) -> tuple[int, str, str]:
    with in_dir(folder):
        outcome = CliRunner().invoke(cli, ["check", *args])
    return outcome.exit_code, outcome.stdout, outcome.stderr


@pytest.mark.parametrize("name", sorted(NOT_OURS))
def test_files_that_are_not_ecs_configuration_are_skipped_silently(
    tmp_path: Path, name: str
) -> None:
    write(tmp_path, {name: NOT_OURS[name]})
    code, out, err = check(tmp_path, "--select", "ALL")
    assert (code, out, err) == (0, "No findings in 0 files.\n", "")


def test_a_task_definition_that_does_not_parse_is_still_fg001(tmp_path: Path) -> None:
    text = json.dumps(TASK, indent=2).replace('"cpu": "256",', '"cpu": "256"')
    write(tmp_path, {"task.json": text, **NOT_OURS})
    code, out, _ = check(tmp_path, "--select", "FG001", "--format", "json")
    report = json.loads(out)
    assert code == 1
    assert [(f["path"], f["code"]) for f in report["findings"]] == [("task.json", "FG001")]
    assert report["summary"]["files"] == 1


def test_serverless_yml_embedded_cloudformation_is_read(tmp_path: Path) -> None:
    write(tmp_path, {"serverless.yml": SERVERLESS})
    findings = lint([tmp_path / "serverless.yml"], ["FG201"])
    assert [(f.code, f.span.line) for f in findings] == [("FG201", 16)]


def test_cloudformation_json_goes_to_the_cloudformation_front_end(tmp_path: Path) -> None:
    template = {"Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {}}}}
    write(tmp_path, {"stack.json": json.dumps(template)})
    project = loader.load([str(tmp_path)])
    assert [f.kind for f in project.files] == ["cloudformation"]
    assert [r.name for r in project.resources] == ["Task"]


def test_json_content_in_a_yaml_file_is_read_as_json(tmp_path: Path) -> None:
    write(tmp_path, {"task.yaml": json.dumps(TASK)})
    assert [f.code for f in lint([tmp_path], ["FG201"])] == ["FG201"]


def test_terraform_json_and_plan_json_go_to_the_terraform_front_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, str]] = []

    def spy(kind: str):  # type: ignore[no-untyped-def]
        def record(file: SourceFile, project: Project) -> None:
            calls.append((kind, file.path.rsplit("/", 1)[-1]))

        return record

    monkeypatch.setattr(terraform, "load_json", spy("load_json"))
    monkeypatch.setattr(terraform, "load_plan", spy("load_plan"))
    plan = {"format_version": "1.2", "planned_values": {"root_module": {}}}
    changes = {"format_version": "1.2", "resource_changes": []}
    not_a_plan = {"format_version": "1.2", "terraform_version": "1.9.0"}  # `terraform show -json`
    write(
        tmp_path,
        {
            "main.tf.json": json.dumps({"resource": {}}),
            "plan.json": json.dumps(plan),
            "changes.json": json.dumps(changes),
            "state.json": json.dumps(not_a_plan),
        },
    )
    project = loader.load([str(tmp_path)])
    assert sorted(calls) == [
        ("load_json", "main.tf.json"),
        ("load_plan", "changes.json"),
        ("load_plan", "plan.json"),
    ]
    assert [Path(p).name for p, _ in project.skipped] == ["state.json"]


def test_dispatch_names_its_front_ends_without_importlib() -> None:
    source = Path(loader.__file__).read_text(encoding="utf-8")
    assert "importlib" not in source
    for module in ("terraform", "cloudformation", "json_docs", "dockerfile"):
        assert f"from fglint.frontends import {module}" in source


def test_verbose_lists_what_was_read_and_skipped(tmp_path: Path) -> None:
    write(tmp_path, {"task.json": json.dumps(TASK), "package.json": NOT_OURS["package.json"]})
    code, out, err = check(tmp_path, "--select", "FG201", "-v")
    assert code == 1
    assert "read task.json (json)" in err
    assert "skipped package.json: JSON that is not an ECS, CloudFormation or Terraform" in err
    assert out.endswith("Found 1 finding in 1 file (1 warning). " + explain_hint("FG201"))


def explain_hint(code: str) -> str:
    return f"Run `fglint explain {code}` for what a rule checks and why.\n"


def test_summary_counts_the_files_linted(tmp_path: Path) -> None:
    pinned = {**TASK, "containerDefinitions": [{"name": "app", "image": "nginx:1.27"}]}
    write(tmp_path, {"a.json": json.dumps(pinned), "b.json": json.dumps(pinned)})
    assert check(tmp_path, "--select", "FG201")[1] == "No findings in 2 files.\n"
    assert check(tmp_path, "a.json", "--select", "FG201")[1] == "No findings in 1 file.\n"


def test_quiet_prints_the_findings_only(tmp_path: Path) -> None:
    write(tmp_path, {"task.json": json.dumps(TASK)})
    code, out, _ = check(tmp_path, "--select", "FG201", "-q")
    assert code == 1
    assert out.startswith("task.json:") and "Found" not in out and len(out.splitlines()) == 1
    pinned = {**TASK, "containerDefinitions": [{"name": "app", "image": "nginx:1.27"}]}
    write(tmp_path, {"task.json": json.dumps(pinned)})
    assert check(tmp_path, "--select", "FG201", "--quiet")[:2] == (0, "")


def test_statistics_count_findings_per_rule(tmp_path: Path) -> None:
    two = {
        **TASK,
        "containerDefinitions": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}],
    }
    write(tmp_path, {"a.json": json.dumps(TASK), "b.json": json.dumps(two)})
    code, out, _ = check(tmp_path, "--select", "FG201,FG109", "--statistics")
    assert code == 1
    assert out == "     3  FG201  image-latest-tag\n     2  FG109  fargate-not-arm64\n"


def test_gitlab_code_quality_report(tmp_path: Path) -> None:
    write(tmp_path, {"task.json": json.dumps(TASK, indent=2)})
    code, out, _ = check(tmp_path, "--select", "FG201,FG109", "--format", "gitlab")
    issues = json.loads(out)
    assert code == 1 and len(issues) == 2
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["location"]["path"] == "task.json"
        assert isinstance(issue["location"]["lines"]["begin"], int)
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
    assert len({issue["fingerprint"] for issue in issues}) == 2


def test_junit_report(tmp_path: Path) -> None:
    from xml.etree import ElementTree

    pinned = {**TASK, "containerDefinitions": [{"name": "app", "image": "nginx:1.27"}]}
    write(tmp_path, {"a.json": json.dumps(TASK), "b.json": json.dumps(pinned)})
    code, out, _ = check(tmp_path, "--select", "FG201", "--format", "junit")
    suite = ElementTree.fromstring(out).find("testsuite")
    assert code == 1 and suite is not None
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(cases) == {"a.json", "b.json"} and suite.get("failures") == "1"
    assert [f.get("type") for f in cases["a.json"].iter("failure")] == ["FG201"]
    assert not list(cases["b.json"].iter("failure"))

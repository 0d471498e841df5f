"""Hostile input (issue 14): every reproducer of the issue, each in a fresh folder. No input stops
the run, nothing outside the scanned root is read, and fglint's own failures are findings (FG005)
at the file, while every other file is still linted."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fglint.main import entry
from fglint.nodes import ScalarNode, Span, as_int, as_number, number

TASK = '{"family": "f", "containerDefinitions": [{"name": "a", "image": "IMAGE"}]}\n'


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    def codes(self) -> list[str]:
        return [f["code"] for f in self.json()["findings"]]


Fglint = Callable[..., Outcome]


@pytest.fixture
def fglint(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Fglint:
    """Run the console script in-process in a folder: `fglint(folder, *args)`."""

    def run(cwd: Path, *args: str) -> Outcome:
        monkeypatch.chdir(cwd)
        monkeypatch.setattr(sys, "argv", ["fglint", *args])
        capsys.readouterr()
        try:
            entry()
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 1
        out, err = capsys.readouterr()
        assert "internal error" not in err or "FG005" in err, err
        return Outcome(code, out, err)

    return run


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    return path


# Numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "integer"),
    [
        (512, 512, 512),
        ("512", 512, 512),
        (" +5 ", 5, 5),
        ("-5", -5, -5),
        (1.0, 1.0, 1),
        (1.5, 1.5, None),
        ("1.5", 1.5, None),
        ("1e3", 1000.0, None),
        (True, None, None),
        (float("inf"), None, None),
        (float("nan"), None, None),
        ("--5", None, None),
        ("²", None, None),
        ("٣", None, None),
        ("9" * 4301, None, None),
        ("1e400", None, None),
        (10**400, None, None),
        (2**63, None, None),
        (-(2**63), -(2**63), -(2**63)),
        ("", None, None),
        (None, None, None),
    ],
)
def test_one_number_reader(value: object, expected: object, integer: object) -> None:
    assert number(value) == expected
    assert number(value, integer=True) == integer
    node = ScalarNode(Span("x", 1, 1, 1, 2), value)  # type: ignore[arg-type]
    assert as_number(node) == expected
    assert as_int(node) == integer


@pytest.mark.parametrize(
    "text",
    [
        "[" + "9" * 4301 + "]\n",
        '{"family": "f", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": 1e400,'
        ' "containerDefinitions": [{"name": "a", "image": "i:1"}]}\n',
        TASK.replace('"IMAGE"', '"i:1", "stopTimeout": "--5"'),
        TASK.replace('"IMAGE"', '"i:1", "stopTimeout": "²"'),
        TASK.replace('"IMAGE"', '"i:1", "stopTimeout": "' + "9" * 4301 + '"'),
        '{"serviceName": "s", "taskDefinition": "t", "desiredCount": '
        + "9" * 400
        + ', "deploymentConfiguration": {"maximumPercent": 200, "minimumHealthyPercent": 100}}\n',
    ],
    ids=[
        "int-4301-digits",
        "memory-1e400",
        "stop-timeout--5",
        "superscript",
        "string-4301",
        "fg802",
    ],
)
def test_numbers_never_stop_the_run(fglint: Fglint, tmp_path: Path, text: str) -> None:
    write(tmp_path / "a.json", text)
    outcome = fglint(tmp_path, ".", "--format", "json")
    assert outcome.code in (0, 1)
    assert "FG005" not in outcome.codes()


def test_comparing_a_huge_terraform_integer(fglint: Fglint, tmp_path: Path) -> None:
    """Found by the long fuzz run: both sides of a condition that is not a boolean are compared,
    and a 400-digit integer made float() overflow (FG005)."""
    huge = "9" * 400
    write(
        tmp_path / "main.tf",
        'resource "aws_ecs_task_definition" "t" {\n'
        f'  family = "x${{[for v in 0 ? 0 : {huge} : v]}}y"\n}}\n',
    )
    assert "FG005" not in fglint(tmp_path, ".", "--format", "json").codes()
    from fglint.evaluate.values import equal

    span = Span("main.tf", 1, 1, 1, 2)
    assert equal(ScalarNode(span, int(huge)), ScalarNode(span, 0)) is False
    assert equal(ScalarNode(span, 10**400), ScalarNode(span, 1e308)) is False
    assert equal(ScalarNode(span, 1), ScalarNode(span, 1.0)) is True


def test_yaml_nan_and_terraform_escape_beyond_unicode(fglint: Fglint, tmp_path: Path) -> None:
    write(
        tmp_path / "t.yaml",
        "AWSTemplateFormatVersion: '1'\nResources:\n  T:\n"
        "    Type: AWS::ECS::TaskDefinition\n    Properties: {Cpu: .nan, Memory: .inf}\n",
    )
    write(
        tmp_path / "main.tf",
        'resource "aws_ecs_task_definition" "t" {\n'
        ' family = "f\\U0011FFFF"\n memory = ' + "9" * 4301 + "\n}\n",
    )
    outcome = fglint(tmp_path, ".", "--format", "json")
    assert "FG005" not in outcome.codes() and outcome.code in (0, 1)


# Isolation ----------------------------------------------------------------------------------


def test_a_failing_rule_is_a_finding_and_the_others_still_run(
    fglint: Fglint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from fglint.engine import registry

    def broken(ctx: Any) -> Any:
        for container in ctx.project.containers():
            node = container.node  # the value being read when it fails
            raise ZeroDivisionError(f"at {node.span}")
        yield

    rules = tuple(
        replace(rule, check=broken) if rule.code == "FG303" else rule
        for rule in registry.all_rules()
    )
    monkeypatch.setattr(registry, "all_rules", lambda: rules)
    write(tmp_path / "a.json", TASK.replace("IMAGE", "nginx:latest"))
    outcome = fglint(tmp_path, ".", "--format", "json")
    findings = outcome.json()["findings"]
    internal = [f for f in findings if f["code"] == "FG005"]
    assert len(internal) == 1 and "ZeroDivisionError" in internal[0]["message"]
    assert "FG303" in internal[0]["message"]
    assert (internal[0]["line"], internal[0]["column"]) == (1, 42)  # the container it read
    assert "FG201" in outcome.codes()  # every other rule ran
    assert outcome.code == 1 and "FG005" in outcome.err
    sarif = fglint(tmp_path, ".", "--format", "sarif").json()
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notes[0]["descriptor"]["id"] == "FG005" and notes[0]["level"] == "error"


def test_a_failing_front_end_is_a_finding_at_its_file(
    fglint: Fglint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fglint.frontends import dockerfile

    def broken(file: Any, project: Any) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(dockerfile, "load", broken)
    write(tmp_path / "Dockerfile", "FROM nginx\n")
    write(tmp_path / "a.json", TASK.replace("IMAGE", "nginx:latest"))
    outcome = fglint(tmp_path, ".", "--format", "json")
    where = {(f["code"], f["path"]) for f in outcome.json()["findings"]}
    assert ("FG005", "Dockerfile") in where and ("FG201", "a.json") in where
    assert outcome.code == 1
    (tmp_path / "a.json").unlink()
    assert fglint(tmp_path, ".").code == 2  # nothing could be done at all


# Special files, names and confinement -------------------------------------------------------


def test_symlink_loop_is_a_finding(fglint: Fglint, tmp_path: Path) -> None:
    os.symlink("b.json", tmp_path / "a.json")
    os.symlink("a.json", tmp_path / "b.json")
    write(tmp_path / "c.json", TASK.replace("IMAGE", "nginx:latest"))
    outcome = fglint(tmp_path, ".", "--format", "json")
    loops = [f for f in outcome.json()["findings"] if "symlink loop" in f["message"]]
    assert [f["path"] for f in loops] == ["a.json", "b.json"]
    assert "FG201" in outcome.codes()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_fifo_and_link_to_fifo_are_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.json")
    os.mkfifo(tmp_path / "x.tf")
    write(tmp_path / "main.tf", 'resource "aws_ecs_cluster" "c" { name = "c" }\n')
    os.symlink("x.json", tmp_path / "y.json")
    done = subprocess.run(
        [sys.executable, "-m", "fglint", ".", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    findings = json.loads(done.stdout)["findings"]
    pipes = {f["path"] for f in findings if "named pipe" in f["message"]}
    assert pipes == {"x.json", "x.tf", "y.json"}
    assert done.returncode in (0, 1)


@pytest.mark.parametrize("how", ["chmod", "scandir"])
def test_unreadable_folder_is_reported(
    fglint: Fglint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """A mode-000 folder (root reads it anyway, so also a listing that fails as it would)."""
    write(tmp_path / "locked" / "a.json", TASK)
    if how == "chmod":
        if os.geteuid() == 0:
            pytest.skip("root reads a mode-000 folder anyway; the scandir case covers it")
        (tmp_path / "locked").chmod(0)
    else:
        scandir = os.scandir

        def refuse(path: Any = ".") -> Any:
            if str(path).endswith("locked"):
                raise PermissionError(13, "Permission denied", str(path))
            return scandir(path)

        monkeypatch.setattr(os, "scandir", refuse)
    try:
        outcome = fglint(tmp_path, ".", "--format", "json")
    finally:
        (tmp_path / "locked").chmod(0o755)
    [finding] = outcome.json()["findings"]
    assert finding["path"] == "locked" and "permission denied" in finding["message"]
    assert finding["severity"] == "warning"


def test_file_that_is_not_utf8_points_at_the_byte(fglint: Fglint, tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(b'{\n  "family": "caf\xe9"\n}\n')
    [finding] = fglint(tmp_path, ".", "--format", "json").json()["findings"]
    assert (finding["code"], finding["line"], finding["column"]) == ("FG001", 2, 17)
    assert "0xe9" in finding["message"]


def test_tfvars_linked_from_outside_is_not_read(fglint: Fglint, tmp_path: Path) -> None:
    write(tmp_path / "o" / "v", 'image="LEAK:latest"\n')
    write(
        tmp_path / "s" / "main.tf",
        'variable "image" {}\nresource "aws_ecs_task_definition" "t" {\n'
        ' container_definitions = jsonencode([{name="w",image=var.image}])\n}\n',
    )
    os.symlink(tmp_path / "o" / "v", tmp_path / "s" / "terraform.tfvars")
    outcome = fglint(tmp_path, "s")
    assert "LEAK" not in outcome.out


def test_file_function_outside_the_files_folder_is_unknown(fglint: Fglint, tmp_path: Path) -> None:
    secret = write(tmp_path / "secret.json", '[{"name": "LEAK", "image": "LEAK:latest"}]\n')
    main = write(
        tmp_path / "app" / "main.tf",
        'resource "aws_ecs_task_definition" "t" {\n'
        f' container_definitions = file("{secret}")\n'
        '}\nresource "aws_ecs_task_definition" "u" {\n'
        ' container_definitions = file("/etc/passwd")\n}\n',
    )
    outcome = fglint(Path("/"), str(main), "--show-source")
    assert "LEAK" not in outcome.out and "root:" not in outcome.out


def test_file_names_cannot_forge_lines_or_break_encoding(fglint: Fglint, tmp_path: Path) -> None:
    write(tmp_path / "x\nforged.json", '{"family": bad\n')
    write(tmp_path / "\udcff.json", '{"family": bad\n')
    # a lone surrogate in a container name, which messages quote (an image with one is no
    # reference at all, so no rule quotes it)
    write(tmp_path / "a.json", TASK.replace('"a"', '"nginx\\ud800"').replace("IMAGE", "nginx"))
    text = fglint(tmp_path, ".", "--no-show-source").out
    assert not any(line.startswith("forged.json") for line in text.splitlines())
    assert "x\\nforged.json:1:12: FG001" in text and "\\udcff.json:1:12: FG001" in text
    assert "nginx\\ud800" in text
    github = fglint(tmp_path, ".", "--format", "github").out
    assert len(github.splitlines()) == len(fglint(tmp_path, ".", "--format", "json").codes())
    paths = {f["path"] for f in fglint(tmp_path, ".", "--format", "json").json()["findings"]}
    assert {"x\nforged.json", "\udcff.json"} <= paths  # lossless: the name as the OS has it
    sarif = fglint(tmp_path, ".", "--format", "sarif").json()
    uris = {
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for result in sarif["runs"][0]["results"]
    }
    assert {"x%0Aforged.json", "%FF.json"} <= uris


# Settings and output ------------------------------------------------------------------------


def test_output_that_cannot_be_written_is_a_user_error(fglint: Fglint, tmp_path: Path) -> None:
    outcome = fglint(tmp_path, ".", "--output", str(tmp_path / "nope" / "r.txt"))
    assert outcome.code == 2 and "No such file or directory" in outcome.err
    assert "internal error" not in outcome.err


def test_output_never_overwrites_an_input(fglint: Fglint, tmp_path: Path) -> None:
    write(tmp_path / "a.json", "{}\n")
    outcome = fglint(tmp_path, "a.json", "--output", "a.json")
    assert outcome.code == 2 and "being checked" in outcome.err
    assert (tmp_path / "a.json").read_text(encoding="utf-8") == "{}\n"


def test_empty_select_is_an_error(fglint: Fglint, tmp_path: Path) -> None:
    write(tmp_path / "a.json", '{"family": bad\n')
    outcome = fglint(tmp_path, "a.json", "--select", "")
    assert outcome.code == 2 and "no rule code" in outcome.err
    outcome = fglint(tmp_path, "a.json", "--select", "FG201", "--format", "json")
    assert outcome.codes() == ["FG001"]  # FG001 runs whatever is selected
    assert fglint(tmp_path, "a.json", "--ignore", "FG001").code == 0


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ("tool = 'x'\n", "`tool` must be a table"),
        ("[tool]\nfglint = 3\n", "`tool.fglint` must be a table"),
        ("[tool.fglint]\nshow-source = 'yes'\n", "`show-source`"),
        ("[tool.fglint]\nexclude = 3\n", "`exclude`"),
        ("[tool.fglint]\nselect = []\n", "`select`: no rule code"),
        ("[tool.fglint.limits]\ndepth = 'deep'\n", "`depth` expects a positive integer"),
        ("[tool.fglint.limits]\nsecs = 3\n", "did you mean `seconds`"),
        ("[tool.fglint.limits]\nevaluation-depth = 0\n", "`evaluation-depth` expects a positive"),
        ("[tool.fglint.options.FG303]\nmaximum = 'two minutes'\n", "FG303 option `maximum`"),
        ("[tool.fglint.options.FG106]\nminimum = 'x'\n", "expects an integer, got 'x'"),
        ("[tool.fglint.options.FG304]\ndrain-grace = 'abc'\n", "expects a number, got 'abc'"),
        (
            "[tool.fglint.options.FG304]\ndrain-grace-per-service = {a = 'x'}\n",
            "expects a table of number values",
        ),
    ],
)
def test_settings_of_the_wrong_type_are_configuration_errors(
    fglint: Fglint, tmp_path: Path, settings: str, named: str
) -> None:
    write(tmp_path / "pyproject.toml", settings)
    outcome = fglint(tmp_path, ".")
    assert outcome.code == 2 and named in outcome.err and "pyproject.toml" in outcome.err
    assert "internal error" not in outcome.err


def test_typed_options_of_the_right_type_are_used(fglint: Fglint, tmp_path: Path) -> None:
    write(tmp_path / ".fglint.toml", "[options.FG304]\ndrain-grace = 45\n")
    task = TASK.replace('"IMAGE"', '"nginx:1.27", "stopTimeout": 30')
    write(
        tmp_path / "a.json",
        task.replace('"family"', '"requiresCompatibilities": ["FARGATE"], "family"'),
    )
    outcome = fglint(tmp_path, ".", "--format", "json", "--select", "FG304")
    assert outcome.codes() == ["FG304"]


# Limits -------------------------------------------------------------------------------------

TEMPLATE = "AWSTemplateFormatVersion: '1'\n"
BOMB = (
    TEMPLATE
    + "a0: &a0 [1,1,1,1,1,1,1,1,1,1]"
    + "".join(f"\na{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10))
)


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("t.yaml", TEMPLATE + "x: " + "[" * 1000 + "]" * 1000 + "\n", None),
        ("u.yaml", TEMPLATE + "x: " + "[" * 150 + "]" * 150 + "\n", (2, 103)),
        (
            "v.yaml",
            TEMPLATE + "".join(" " * i + f"k{i}:\n" for i in range(150)) + " " * 150 + "v\n",
            None,
        ),
        ("main.tf", "b {\n" * 500 + "}\n" * 500, None),
        ("a.json", "[" * 5000 + "]" * 5000 + "\n", (1, 101)),
        ("b.json", '{"family": ' + '{"a": ' * 200 + "1" + "}" * 201 + "\n", (1, 606)),
    ],
)
def test_nesting_beyond_the_limit_is_a_finding(
    fglint: Fglint, tmp_path: Path, name: str, text: str, where: tuple[int, int] | None
) -> None:
    write(tmp_path / name, text)
    [finding] = fglint(tmp_path, ".", "--format", "json").json()["findings"]
    assert finding["code"] == "FG001" and "deeper than 100 levels" in finding["message"]
    if where:
        assert (finding["line"], finding["column"]) == where


# Nesting as a reader counts it: each pair of braces, brackets or parentheses, and each `${ }`
NESTED_HCL = {
    "blocks": lambda n: "b {\n" * n + "}\n" * n,
    "objects": lambda n: "x = " + "{a = " * n + "1" + "}" * n + "\n",
    "tuples": lambda n: "x = " + "[" * n + "1" + "]" * n + "\n",
    "parentheses": lambda n: "x = " + "(" * n + "1" + ")" * n + "\n",
    "calls": lambda n: "x = " + "f(" * n + "1" + ")" * n + "\n",
    "interpolations": lambda n: "x = " + '"${' * n + "1" + '}"' * n + "\n",
    "for": lambda n: "x = " + "[for a in " * (n - 1) + "[1]" + " : a]" * (n - 1) + "\n",
    "mixed": lambda n: "x = " + _mixed(n) + "\n",
}


def _mixed(n: int) -> str:
    """`[{a = (f([...` to `n` levels."""
    text = "1"
    for level in reversed(range(n)):
        text = ("[{}]", "{{a = {}}}", "({})", "f({})")[level % 4].format(text)
    return text


@pytest.mark.parametrize("kind", NESTED_HCL)
def test_hcl_depth_counts_the_nesting_a_reader_sees(
    fglint: Fglint, tmp_path: Path, kind: str
) -> None:
    write(tmp_path / "main.tf", NESTED_HCL[kind](100))
    assert fglint(tmp_path, ".", "--format", "json", "--select", "FG001,FG005").codes() == []
    text = NESTED_HCL[kind](101)
    write(tmp_path / "main.tf", text)
    [finding] = fglint(tmp_path, ".", "--format", "json", "--select", "FG001").json()["findings"]
    assert "deeper than 100 levels" in finding["message"]
    if kind == "blocks":
        assert (finding["line"], finding["column"]) == (101, 1)
    else:  # at the 101st opening: `{`, `[`, `(`, `f(`, `${` (a call opens at its name)
        openings = [m.start() for m in re.finditer(r"\$\{|f\(|(?<![f$])[{\[(]", text)]
        assert (finding["line"], finding["column"]) == (1, openings[100] + 1)


def test_depth_settings_have_a_safe_largest_value(fglint: Fglint, tmp_path: Path) -> None:
    write(tmp_path / "a.json", TASK.replace("IMAGE", "nginx:1.27"))
    for name in ("depth", "evaluation-depth"):
        write(tmp_path / ".fglint.toml", f"[limits]\n{name} = 1001\n")
        outcome = fglint(tmp_path, ".")
        assert outcome.code == 2 and "of at most 1,000, got 1001" in outcome.err
    deep = '{"family": "f", "containerDefinitions": ' + "[" * 999 + "]" * 999 + "}\n"
    write(tmp_path / "a.json", deep)
    write(tmp_path / ".fglint.toml", "[limits]\ndepth = 1000\nevaluation-depth = 1000\n")
    assert fglint(tmp_path, ".", "--format", "json").codes() == ["FG003"]  # not an object


def test_a_front_end_out_of_stack_is_a_finding(
    fglint: Fglint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fglint.frontends import dockerfile

    def deep(file: Any, project: Any) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(dockerfile, "load", deep)
    write(tmp_path / "Dockerfile", "FROM nginx:1.27\n")
    [finding] = fglint(tmp_path, ".", "--format", "json").json()["findings"]
    assert finding["code"] == "FG001" and "Nested too deeply for fglint" in finding["message"]


@pytest.mark.parametrize(
    "text",
    [
        'resource "aws_ecs_task_definition" "t" {\n container_definitions = jsonencode('
        + "[" * 500
        + "]" * 500
        + ")\n}\n",
        "locals {\n x = " + "(" * 3000 + "1" + ")" * 3000 + "\n}\n",
        "locals {\n x = " + "+".join(["1"] * 3000) + "\n}\n",
        "locals {\n x = local.a" + ".b" * 3000 + "\n}\n",
        'locals {\n x = "' + "${" * 300 + "1" + '}"' * 300 + "\n}\n",
        "locals {\n a0 = 1\n"
        + "".join(f" a{i} = local.a{i - 1} + 1\n" for i in range(1, 300))
        + '}\nresource "aws_ecs_task_definition" "t" {\n family = "f${local.a299}"\n}\n',
    ],
    ids=["jsonencode-500", "parens-3000", "plus-3000", "attrs-3000", "interp-300", "locals-300"],
)
def test_deep_terraform_never_stops_the_run(fglint: Fglint, tmp_path: Path, text: str) -> None:
    write(tmp_path / "main.tf", text)
    outcome = fglint(tmp_path, ".", "--format", "json")
    assert "FG005" not in outcome.codes() and outcome.code in (0, 1)


def chain_of_locals(length: int) -> str:
    """`local.a{n}` refers to `local.a{n-1}`, ..., `local.a0 = "nginx"`: the task's image."""
    return (
        'locals {\n a0 = "nginx"\n'
        + "".join(f" a{i} = local.a{i - 1}\n" for i in range(1, length))
        + '}\nresource "aws_ecs_task_definition" "t" {\n family = "f"\n'
        + ' container_definitions = jsonencode([{name = "a", '
        + f'image = "${{local.a{length - 1}}}:latest"}}])\n}}\n'
    )


def test_evaluation_deeper_than_the_limit_is_a_warning(fglint: Fglint, tmp_path: Path) -> None:
    write(tmp_path / "main.tf", chain_of_locals(250))
    findings = fglint(tmp_path, ".", "--format", "json", "--select", "FG001,FG201").json()
    [limit, latest] = findings["findings"]
    assert limit["code"] == "FG001" and limit["severity"] == "warning"
    assert "deeper than 200 levels" in limit["message"] and "evaluation-depth" in limit["message"]
    # at the 200th level: the image takes 5 (jsonencode, list, object, template, reference), then
    # 195 locals, a249 to a55, whose `local.a54` (line 56, after ` a55 = `) is one too many
    assert (limit["line"], limit["column"]) == (56, 8)
    assert latest["code"] == "FG201" and "${local.a249}:latest" in latest["message"]
    write(tmp_path / ".fglint.toml", "[limits]\nevaluation-depth = 300\n")
    [latest] = fglint(tmp_path, ".", "--format", "json", "--select", "FG001,FG201").json()[
        "findings"
    ]
    assert latest["code"] == "FG201" and "`nginx:latest`" in latest["message"]


def test_a_raised_evaluation_limit_never_overflows_the_stack(
    fglint: Fglint, tmp_path: Path
) -> None:
    write(tmp_path / "main.tf", chain_of_locals(600))
    write(tmp_path / ".fglint.toml", "[limits]\nevaluation-depth = 800\n")
    outcome = fglint(tmp_path, ".", "--format", "json", "--select", "FG001,FG005,FG201")
    [latest] = outcome.json()["findings"]
    assert latest["code"] == "FG201" and "`nginx:latest`" in latest["message"]


def test_yaml_alias_bomb_is_refused_before_it_is_built(fglint: Fglint, tmp_path: Path) -> None:
    write(tmp_path / "t.yaml", BOMB + "\n")
    [finding] = fglint(tmp_path, ".", "--format", "json").json()["findings"]
    assert finding["code"] == "FG001" and "aliases expand to more than 10,000" in finding["message"]
    write(tmp_path / ".fglint.toml", "[limits]\nyaml-aliases = 100\n")
    write(tmp_path / "t.yaml", TEMPLATE + "a: &a [1, 2]\nb: [*a, *a]\n")
    assert fglint(tmp_path, ".", "--format", "json").codes() == []


def test_deeply_nested_exec_form_in_a_dockerfile(fglint: Fglint, tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", "FROM nginx:1.27\nCMD " + "[" * 5000 + "]" * 5000 + "\n")
    [finding] = fglint(tmp_path, ".", "--format", "json").json()["findings"]
    assert finding["code"] == "FG001" and "only strings" in finding["message"]


def test_file_size_limit(fglint: Fglint, tmp_path: Path) -> None:
    write(tmp_path / "a.json", TASK.replace("IMAGE", "nginx:latest"))
    write(tmp_path / ".fglint.toml", "[limits]\nfile-size = 50\n")
    [finding] = fglint(tmp_path, ".", "--format", "json").json()["findings"]
    assert (
        finding["code"] == "FG001"
        and "larger than the file size limit (50 bytes" in (finding["message"])
    )


def test_time_limit_per_file(
    fglint: Fglint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from fglint.frontends import dockerfile

    def slow(file: Any, project: Any) -> None:
        time.sleep(5)

    monkeypatch.setattr(dockerfile, "load", slow)
    write(tmp_path / "Dockerfile", "FROM nginx:1.27\n")
    write(tmp_path / ".fglint.toml", "[limits]\nseconds = 0.2\n")
    started = time.monotonic()
    [finding] = fglint(tmp_path, ".", "--format", "json").json()["findings"]
    assert time.monotonic() - started < 4
    assert finding["code"] == "FG001" and "longer than 0.2 s" in finding["message"]


def test_a_long_terraform_string_costs_little_memory(tmp_path: Path) -> None:
    """python-hcl2's string pattern backtracked: 1 GB for a 5 MB string, 10 s (issue 14)."""
    if sys.version_info < (3, 11):
        pytest.skip("possessive patterns need Python 3.11")
    write(tmp_path / "main.tf", 'locals {\n x = "' + "a" * 3_000_000 + '"\n}\n')
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    grown = int(done.stdout.split()[-1])
    assert grown < 20 * 3_000_000, grown


MEASURE = """
import resource, sys
from fglint.load import load
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
load([sys.argv[1]])
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024)
"""


# YAML reads the same with and without libyaml ----------------------------------------------

TABS = [
    "a\tb: 1\n",
    "key:\tvalue\n",
    "a: 1\t\n",
    "- a\t: 1\n",
    "x: [1,\t2]\n",
    "a: b\tc\n",
    "a: {b:\t1}\n",
    "? a\t\n: 1\n",
    "a: b\n  \tc\n",
    "a: |\n  x\ty\n",
    "a:\n\tb: 1\n",
    "\tk: v\n",
]


@pytest.mark.parametrize("text", TABS)
def test_yaml_tabs_read_the_same_with_either_loader(text: str) -> None:
    yaml = pytest.importorskip("yaml")
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("libyaml is not installed here")
    from fglint.frontends.cloudformation.yaml_parse import pure_loader

    outcomes = []
    for loader in (yaml.CSafeLoader, pure_loader()):
        try:
            outcomes.append(list(yaml.load_all(text, Loader=loader)))
        except yaml.YAMLError:
            outcomes.append("error")
    assert outcomes[0] == outcomes[1]


def test_every_yaml_fixture_reads_the_same_with_either_loader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("yaml")
    from fglint.frontends.cloudformation import yaml_parse
    from fglint.nodes import walk
    from helpers import FIXTURES

    def parsed(path: Path) -> Any:
        try:
            roots, duplicates = yaml_parse.parse_yaml(path.read_text(encoding="utf-8"), "x")
        except yaml_parse.YamlSyntaxError as error:
            return ("error", error.message, error.span)
        return [
            [(type(n).__name__, n.span, getattr(n, "value", None)) for n in walk(r)] for r in roots
        ], duplicates

    paths = sorted(FIXTURES.rglob("*.yaml")) + sorted(FIXTURES.rglob("*.yml"))
    with_libyaml = [parsed(p) for p in paths]
    monkeypatch.setattr(yaml_parse, "loader_class", yaml_parse.pure_loader)
    assert [parsed(p) for p in paths] == with_libyaml
    assert len(paths) > 20


# Nothing outside the root is opened, seen by the kernel -------------------------------------


OPEN = re.compile(r'^open(?:at2?)?\((?:(AT_FDCWD|\d+), )?"((?:[^"\\]|\\.)*)"[^=]*= (-?\d+)')
# What any Python process opens besides fglint's reads: the dynamic loader and libc (shared
# libraries, locale, time zone, OpenSSL's configuration) and the kernel's own files.
SYSTEM = ("/proc/", "/dev/", "/sys/", "/etc/", "/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/")
SYSTEM += ("/usr/share/locale/", "/usr/share/zoneinfo/")


def opened(log: str, cwd: Path) -> list[tuple[str, bool]]:
    """Each path one traced process (`strace -ff`: a log per process, so no call is split
    across lines) asked to open, absolute, and whether the open succeeded. A line about an open
    that cannot be read this way fails: nothing is skipped unseen."""
    found = []
    for line in log.splitlines():
        match = OPEN.match(line)
        if match is None:
            assert not line.startswith(("open(", "openat(", "openat2(")), f"not parsed: {line}"
            continue
        fd, path, result = match.groups()
        assert fd in (None, "AT_FDCWD") or path.startswith("/"), f"opened relative to {fd}: {line}"
        found.append((os.path.join(cwd, path), int(result) >= 0))
    return found


def allowed_places(cache: Path) -> tuple[str, ...]:
    """Where fglint may open files besides the scanned root: Python's install and this
    environment's (sys.prefix: site-packages), fglint's own package folders (an editable
    install reads them from the source tree), the cache folder, and the system's (`SYSTEM`)."""
    import fglint
    import fglint.rules
    import fglint.schemas

    python = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    python.add(os.path.dirname(sys.executable))  # a virtual environment's pyvenv.cfg is probed
    packages = {os.path.dirname(module.__file__ or "") for module in (fglint, fglint.rules)}
    packages.add(os.path.dirname(fglint.schemas.__file__ or ""))
    places = {os.path.realpath(place) for place in python | packages} | {str(cache)}
    return tuple(place.rstrip("/") + "/" for place in places) + SYSTEM


def test_strace_log_is_read_precisely(tmp_path: Path) -> None:
    """The parsing of strace's lines that the test below relies on."""
    log = (
        'openat(AT_FDCWD, "/a/b.json", O_RDONLY|O_NONBLOCK) = 3\n'
        'openat(AT_FDCWD, "c.tf", O_RDONLY) = -1 ENOENT (No such file or directory)\n'
        'open("/d \\"e\\".json", O_RDONLY) = 4\n'
        "--- SIGCHLD {si_signo=SIGCHLD} ---\n"
        "+++ exited with 0 +++\n"
    )
    assert opened(log, tmp_path) == [
        ("/a/b.json", True),
        (str(tmp_path / "c.tf"), False),
        ('/d \\"e\\".json', True),
    ]
    for bad in ('openat(3, "x.json", O_RDONLY) = 4', 'openat(AT_FDCWD, "/x", O_RDONLY <unfinished'):
        with pytest.raises(AssertionError):
            opened(bad + "\n", tmp_path)


CFN_TASK = (
    "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: f\n"
    "      ContainerDefinitions:\n        - Name: a\n          Image: IMAGE\n"
)


def test_no_file_outside_the_root_is_opened(tmp_path: Path) -> None:
    """Every way in (a symlinked file, a symlinked tfvars and Dockerfile, `file()` and
    `templatefile()` with absolute, `..` and linked paths, a module whose source is outside, a
    linked folder), traced with `strace -ff -e trace=open,openat,openat2`, twice (the second run
    from the cache) and with two jobs: every file or folder the processes open, symlinks
    resolved, is inside the scanned root or one of `allowed_places`; nothing under the sibling
    folder `outside`, nor /etc/passwd, is even tried. A worker loads the YAML template."""
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed (apt-get install strace)")
    outside, root, cache = tmp_path / "outside", tmp_path / "root", tmp_path / "cache"
    secret = write(outside / "secret.json", '[{"name": "LEAK", "image": "LEAK:latest"}]\n')
    write(outside / "v.tfvars", 'image = "LEAK:latest"\n')
    write(outside / "Dockerfile", "FROM LEAK:latest\n")
    write(outside / "sub" / "task.json", TASK.replace("IMAGE", "LEAK:latest"))
    write(
        outside / "mod" / "main.tf",
        'resource "aws_ecs_task_definition" "m" {\n family = "LEAK"\n}\n',
    )
    write(
        root / "main.tf",
        'variable "image" {}\nresource "aws_ecs_task_definition" "t" {\n'
        f' container_definitions = file("{secret}")\n}}\n'
        'resource "aws_ecs_task_definition" "u" {\n'
        ' container_definitions = file("../outside/secret.json")\n}\n'
        'resource "aws_ecs_task_definition" "v" {\n'
        ' container_definitions = templatefile("link.json", {})\n}\n'
        'resource "aws_ecs_task_definition" "w" {\n'
        ' container_definitions = file("/etc/passwd")\n}\n'
        'module "m" {\n source = "../outside/mod"\n}\n',
    )
    write(root / "ok.json", TASK.replace("IMAGE", "nginx:1.27"))
    # the last run of files: loaded by a worker (fglint.speculate)
    write(root / "zz" / "template.yaml", CFN_TASK.replace("IMAGE", "nginx:1.27"))
    write(outside / "template.yaml", CFN_TASK.replace("IMAGE", "LEAK:latest"))
    os.symlink(outside / "template.yaml", root / "linked.yaml")
    os.symlink(secret, root / "link.json")
    os.symlink(outside / "v.tfvars", root / "terraform.tfvars")
    os.symlink(outside / "Dockerfile", root / "Dockerfile")
    os.symlink(outside / "sub", root / "sub")
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    places = allowed_places(cache)
    for run in ("cold", "warm"):
        logs = tmp_path / f"strace-{run}"
        logs.mkdir()
        traced = [strace, "-ff", "-e", "trace=open,openat,openat2", "-o", str(logs / "log")]
        done = subprocess.run(
            # -I: Python puts no folder of the working directory on sys.path (it would list it)
            [*traced, sys.executable, "-I", "-m", "fglint", str(root), "--format", "json", "-j2"],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            cwd=tmp_path,
        )
        assert done.returncode in (0, 1), done.stderr
        assert "LEAK" not in done.stdout and "root:" not in done.stdout
        each = {log.name: opened(log.read_text(), tmp_path) for log in logs.iterdir()}
        paths = [path for found in each.values() for path in found]
        assert (str(root / "ok.json"), True) in paths, "strace saw nothing"
        tried = [p for p, _ in paths if p.startswith(str(outside)) or p == "/etc/passwd"]
        assert not tried, (run, tried)
        real = {os.path.realpath(path) for path, ok in paths if ok}
        stray = sorted(p for p in real if not (p + "/").startswith((f"{root}/", *places)))
        assert not stray, (run, stray)
        assert any(p.startswith(str(cache)) for p, _ in paths), "the cache was not used"
        if run == "cold":  # a worker process, not the first one, loaded the template
            worker = [
                n
                for n, found in each.items()
                if (str(root / "zz" / "template.yaml"), True) in found
            ]
            assert worker and worker != [min(each, key=lambda n: int(n.rsplit(".", 1)[1]))]


def test_enum_value_holding_an_unknown(fglint: Fglint, tmp_path: Path) -> None:
    """Found by tests/test_fuzz.py: FG003 quoted a value holding a placeholder with json.dumps."""
    write(
        tmp_path / "c.json",
        '{"family": "x", "containerDefinitions": [], "networkMode": {"a": [0, "<PLACEHOLDER>"]}}\n',
    )
    outcome = fglint(tmp_path, ".", "--format", "json", "--select", "FG003")
    assert outcome.codes() == ["FG003"]


# FG001 at the end of the file: after the last character of the last line ---------------------

CONTAINERS = '{"family": "f", "containerDefinitions": ['  # 41 characters
RESOURCE = 'resource "aws_ecs_task_definition" "t" {\n family = "f"'  # line 2: 13 characters
FLOW = TEMPLATE + "Resources:\n  X: [1,"  # line 3: 8 characters


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("a.json", CONTAINERS, (1, 42)),
        ("a.json", CONTAINERS + "\n", (1, 42)),
        ("a.json", CONTAINERS + "\r\n", (1, 42)),
        ("a.json", CONTAINERS + "\n\n", (2, 1)),
        ("a.json", '{"family": "f",\n "containerDefinitions": [{"name": "a"\n', (2, 39)),
        ("t.yaml", FLOW, (3, 9)),
        ("t.yaml", FLOW + "\n", (3, 9)),
        ("t.yaml", FLOW + "\n  \n", (4, 3)),
        ("main.tf", RESOURCE, (2, 14)),
        ("main.tf", RESOURCE + "\n", (2, 14)),
        ("main.tf", RESOURCE + "\r\n", (2, 14)),
        ("main.tf", RESOURCE + "\n\n", (3, 1)),
        # an unclosed string or heredoc is reported where it opens, in every format
        ("a.json", '{"family": "f', (1, 12)),
        ("main.tf", "locals {\n x = <<EOT\nabc\n", (2, 6)),
        ("Dockerfile", "FROM nginx:1.27\nRUN <<EOF\necho hi\n", (2, 5)),
    ],
)
def test_the_end_of_the_file_is_after_its_last_character(
    fglint: Fglint, tmp_path: Path, name: str, text: str, where: tuple[int, int]
) -> None:
    write(tmp_path / name, text)
    [finding] = fglint(tmp_path, ".", "--format", "sarif", "--select", "FG001").json()["runs"][0][
        "results"
    ]
    region = finding["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == where
    assert 1 <= region["startLine"] <= len(re.split(r"\r\n|\r|\n", text))  # a line of the file


# Paths written in files: a name too long for the system, a NUL byte --------------------------

LONG = "docker-entry" * 30 + "point.sh"  # 368 characters: longer than a file name may be
TF_FILE = 'resource "aws_ecs_task_definition" "t" {\n container_definitions = file("NAME")\n}\n'
PATHS_IN_FILES = {
    "a long COPY source (found by the long fuzz run)": {
        "Dockerfile": f'FROM x:1\nCOPY {LONG} /usr/local/bin/\nENTRYPOINT ["{LONG}"]\n'
    },
    "file() of a long name": {"main.tf": TF_FILE.replace("NAME", LONG)},
    "file() of a name with a NUL": {"main.tf": TF_FILE.replace("NAME", "a\\u0000b.json")},
    "templatefile() in a long folder": {
        "main.tf": TF_FILE.replace("file(", "templatefile(").replace('NAME")', f'{LONG}/x", {{}})')
    },
    "a module source of a long name": {"main.tf": f'module "m" {{\n source = "./{LONG}"\n}}\n'},
    "a module source with a NUL": {"main.tf": 'module "m" {\n source = "./a\\u0000b"\n}\n'},
    "an installed module's folder with a NUL": {
        "main.tf": 'module "m" {\n source = "x/y/aws"\n}\n',
        ".terraform/modules/modules.json": '{"Modules": [{"Key": "m", "Dir": "a\\u0000b"}]}',
    },
    "a .git file pointing to a long folder": {".git": f"gitdir: {LONG}/{LONG}\n", "a.json": TASK},
    "a .git file pointing to a NUL": {".git": "gitdir: a\0b\n", "a.json": TASK},
}


@pytest.mark.parametrize("files", PATHS_IN_FILES.values(), ids=PATHS_IN_FILES.keys())
def test_a_path_no_file_system_can_hold_is_no_file(
    fglint: Fglint, tmp_path: Path, files: dict[str, str]
) -> None:
    """pathlib's exists() and is_file() raised OSError (ENAMETOOLONG) or ValueError (a NUL byte)
    on such a path, an FG005 where there is simply no such file."""
    for name, text in files.items():
        write(tmp_path / name, text.replace("IMAGE", "nginx:1.27"))
    outcome = fglint(tmp_path, ".", "--format", "json", "--no-cache")
    assert outcome.code in (0, 1), outcome.err
    assert "FG005" not in outcome.codes(), outcome.out


def test_no_pathlib_probe_in_the_linter() -> None:
    """What a path names is asked with os.path (isfile, isdir, exists, islink), which answers
    False for a path no file system can hold; pathlib's methods raise there (see
    fglint.files.real)."""
    import ast

    probes = {"exists", "is_file", "is_dir", "is_symlink"}
    found = []
    linter = Path(__file__).parent.parent / "linter"
    for path in sorted(linter.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in probes
                and ast.unparse(node.func.value) != "os.path"
            ):
                found.append(f"{path.relative_to(linter)}:{node.lineno}")
    assert not found, found

"""The command line as a user meets it: exit codes, selection, settings files, every output
format, and the promises (no traceback, no colour off a terminal, sorted relative paths).

Most tests run the real console-script entry point in-process (`entry()`, with `sys.argv` set);
a few run `python -m fglint` in a subprocess or on a pseudo-terminal. Assertions that depend on
the catalogue select the rules they are about, so that new rules do not break them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fglint import __version__
from fglint.engine import registry
from fglint.engine import run as engine
from fglint.engine.config import Config
from fglint.main import entry
from fglint.outputs.github_format import escape_data, escape_property
from fglint.rule import LoadedRule, Rule, Violation
from helpers import ROOT


def task(cpu: str = "256", memory: str = "512", image: str = "nginx:latest") -> str:
    """A Fargate task definition; the defaults give exactly one FG201 warning among FG1/FG2."""
    return json.dumps(
        {
            "family": "web",
            "requiresCompatibilities": ["FARGATE"],
            "networkMode": "awsvpc",
            "cpu": cpu,
            "memory": memory,
            "containerDefinitions": [{"name": "app", "image": image, "essential": True}],
        },
        indent=2,
    )


WARNING_ONLY = task()  # FG201 (warning)
ERROR_AND_WARNING = task(memory="4096")  # FG101 (error) + FG201 (warning)
PINNED = task(image="nginx:1.27.0")
IMAGE_LINE = next(
    n for n, line in enumerate(WARNING_ONLY.splitlines(), 1) if "nginx:latest" in line
)
MEMORY_LINE = next(n for n, line in enumerate(WARNING_ONLY.splitlines(), 1) if '"memory"' in line)
CORE = "FG101,FG201,FG301,FG601"  # the first rules; tests that need a stable catalogue use these


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    def codes(self) -> set[str]:
        return {f["code"] for f in self.json()["findings"]}


Fglint = Callable[..., Outcome]


@pytest.fixture
def fglint(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Fglint:
    """Run the console script in-process: `fglint(*args, cwd=...)`."""

    def run(*args: str, cwd: Path | None = None) -> Outcome:
        monkeypatch.chdir(cwd or ROOT)
        monkeypatch.setattr(sys, "argv", ["fglint", *args])
        capsys.readouterr()
        try:
            entry()
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        out, err = capsys.readouterr()
        return Outcome(code, out, err)

    return run


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


# Exit codes ---------------------------------------------------------------------------------


def test_clean_run_exits_0(fglint: Fglint, tmp_path: Path) -> None:
    write(tmp_path, {"package.json": '{"name": "not-ecs"}', "task.json": PINNED})
    outcome = fglint("check", ".", "--select", "FG201", cwd=tmp_path)
    assert (outcome.code, outcome.out) == (0, "No findings in 1 file.\n")


def test_findings_exit_1(fglint: Fglint, tmp_path: Path) -> None:
    write(tmp_path, {"task.json": WARNING_ONLY})
    outcome = fglint("check", ".", "--select", "FG201", cwd=tmp_path)
    assert outcome.code == 1
    assert "task.json:" in outcome.out and "FG201 [warning]" in outcome.out


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--bogus-option"],
        ["check", "--format", "xml"],
        ["check", "--fail-on", "sometimes"],
        ["check", "does-not-exist"],
        ["check", "--select", "FG9999"],
        ["check", "--config", "no-such-settings.toml"],
        ["explain"],
        ["no-such-file-or-command"],
    ],
    ids=lambda args: " ".join(args),
)
def test_usage_errors_exit_2(fglint: Fglint, tmp_path: Path, args: list[str]) -> None:
    outcome = fglint(*args, cwd=tmp_path)
    assert outcome.code == 2, outcome
    assert outcome.out == ""
    assert "Error" in outcome.err and "Traceback" not in outcome.err


@pytest.mark.parametrize(
    ("severity", "fail_on", "code"),
    [
        ("warning", None, 1),
        ("warning", "warning", 1),
        ("warning", "error", 0),
        ("warning", "note", 1),
        ("warning", "never", 0),
        ("note", None, 0),
        ("note", "note", 1),
        ("error", "error", 1),
        ("error", "never", 0),
    ],
)
def test_fail_on(
    fglint: Fglint, tmp_path: Path, severity: str, fail_on: str | None, code: int
) -> None:
    write(tmp_path, {"task.json": WARNING_ONLY, ".fglint.toml": f'severity.FG201 = "{severity}"\n'})
    args = ["check", ".", "--select", "FG201", "--format", "json"]
    outcome = fglint(*args, *(["--fail-on", fail_on] if fail_on else []), cwd=tmp_path)
    assert [f["severity"] for f in outcome.json()["findings"]] == [severity]
    assert outcome.code == code


def test_fail_on_from_settings_and_cli_wins(fglint: Fglint, tmp_path: Path) -> None:
    write(tmp_path, {"task.json": WARNING_ONLY, ".fglint.toml": 'fail-on = "error"\n'})
    assert fglint("check", ".", "--select", "FG201", cwd=tmp_path).code == 0
    assert fglint("check", ".", "--select", "FG201", "--fail-on", "note", cwd=tmp_path).code == 1


def test_exit_zero_still_reports(fglint: Fglint, tmp_path: Path) -> None:
    write(tmp_path, {"task.json": ERROR_AND_WARNING})
    outcome = fglint("check", ".", "--select", "FG1,FG2", "--exit-zero", cwd=tmp_path)
    assert outcome.code == 0
    assert "FG101 [error]" in outcome.out and "FG201 [warning]" in outcome.out


# Selection ----------------------------------------------------------------------------------


def test_select_by_family_prefix(fglint: Fglint, tmp_path: Path) -> None:
    write(tmp_path, {"task.json": ERROR_AND_WARNING})
    codes = fglint("check", ".", "--select", "FG1", "--format", "json", cwd=tmp_path).codes()
    assert "FG101" in codes
    assert all(code.startswith("FG1") for code in codes)


def test_ignore_and_extend_select(fglint: Fglint, tmp_path: Path) -> None:
    write(tmp_path, {"task.json": ERROR_AND_WARNING})
    run = lambda *args: fglint("check", ".", "--format", "json", *args, cwd=tmp_path).codes()  # noqa: E731
    assert {"FG101", "FG201"} <= run()
    assert "FG201" not in run("--ignore", "FG201")
    assert "FG101" not in run("--ignore", "FG1")
    assert run("--select", "FG101", "--extend-select", "FG201") == {"FG101", "FG201"}
    assert run("--select", "FG101,FG201", "--ignore", "FG101") == {"FG201"}
    assert run("--select", "fg201") == {"FG201"}


FAKE = LoadedRule(
    Rule(code="FG999", name="fake-off-by-default", summary="A test rule", severity="warning"),
    "## What it does\nNothing.",
    lambda ctx: (Violation(t.node, "fake finding") for t in ctx.project.task_definitions),
    "fg999_fake_off_by_default",
)
FAKE_OFF = LoadedRule(
    Rule(**{**FAKE.meta.__dict__, "enabled": False}), FAKE.doc, FAKE.check, FAKE.module
)


@pytest.fixture
def with_fake_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    real = registry.all_rules()
    monkeypatch.setattr(registry, "all_rules", lambda: (*real, FAKE_OFF))


@pytest.mark.usefixtures("with_fake_rule")
def test_off_by_default_rule_is_selected_only_by_name_or_family() -> None:
    def codes(**settings: Any) -> set[str]:
        return {rule.code for rule in engine.selected_rules(Config(**settings))}

    assert "FG999" not in codes()
    assert "FG999" in codes(select=["FG999"])
    assert "FG999" in codes(select=["FG9"])
    assert "FG999" in codes(extend_select=["FG999"])
    assert "FG201" in codes(extend_select=["FG999"])
    assert "FG999" not in codes(select=["FG9"], ignore=["FG999"])


@pytest.mark.usefixtures("with_fake_rule")
def test_off_by_default_rule_from_the_command_line(fglint: Fglint, tmp_path: Path) -> None:
    write(tmp_path, {"task.json": PINNED})
    assert "FG999" not in fglint("check", "--format", "json", cwd=tmp_path).codes()
    on = fglint("check", "--format", "json", "--extend-select", "FG999", cwd=tmp_path)
    assert "FG999" in on.codes()
    assert on.code == 1 and fglint("check", "--select", "FG999", cwd=tmp_path).code == 1


OFF_BY_DEFAULT = [rule.code for rule in registry.all_rules() if not rule.meta.enabled]


@pytest.mark.parametrize("code", OFF_BY_DEFAULT)
def test_real_off_by_default_rules_need_select(code: str) -> None:
    assert code not in {rule.code for rule in engine.selected_rules(Config())}
    assert code in {rule.code for rule in engine.selected_rules(Config(select=[code]))}


# Settings -----------------------------------------------------------------------------------


def test_dotfile_settings(fglint: Fglint, tmp_path: Path) -> None:
    write(tmp_path, {"task.json": ERROR_AND_WARNING, ".fglint.toml": 'select = ["FG2"]\n'})
    assert fglint("check", "--format", "json", cwd=tmp_path).codes() == {"FG201"}


def test_pyproject_found_upwards_from_the_linted_path(fglint: Fglint, tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "repo/pyproject.toml": '[tool.fglint]\nselect = ["FG2"]\n',
            "repo/deploy/pyproject.toml": '[project]\nname = "no-fglint-table-here"\n',
            "repo/deploy/ecs/task.json": ERROR_AND_WARNING,
            "elsewhere/README": "",
        },
    )
    target = str(tmp_path / "repo" / "deploy" / "ecs")
    outcome = fglint("check", target, "--format", "json", cwd=tmp_path / "elsewhere")
    assert outcome.codes() == {"FG201"}


def test_cli_wins_over_settings(fglint: Fglint, tmp_path: Path) -> None:
    write(
        tmp_path,
        {"task.json": ERROR_AND_WARNING, "pyproject.toml": '[tool.fglint]\nselect = ["FG2"]\n'},
    )
    outcome = fglint("check", "--format", "json", "--select", "FG101", cwd=tmp_path)
    assert outcome.codes() == {"FG101"}


def test_dotfile_beats_pyproject_in_the_same_folder(fglint: Fglint, tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "task.json": ERROR_AND_WARNING,
            "pyproject.toml": '[tool.fglint]\nselect = ["FG2"]\n',
            ".fglint.toml": 'select = ["FG101"]\n',
        },
    )
    assert fglint("check", "--format", "json", cwd=tmp_path).codes() == {"FG101"}


def test_explicit_config_file(fglint: Fglint, tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "task.json": ERROR_AND_WARNING,
            ".fglint.toml": 'select = ["FG1"]\n',
            "ci/fglint.toml": 'select = ["FG2"]\n',
        },
    )
    outcome = fglint("check", "--format", "json", "--config", "ci/fglint.toml", cwd=tmp_path)
    assert outcome.codes() == {"FG201"}


@pytest.mark.parametrize(
    ("settings", "wanted"),
    [
        ('selct = ["FG1"]\n', "select"),
        ('fail_on = "error"\n', "fail-on"),
        ('ignore = ["FG2O1"]\n', "FG201"),
        ('select = ["FG2010"]\n', "FG201"),
        ('[per-file-ignores]\n"*.json" = ["FG6O1"]\n', "FG601"),
    ],
)
def test_settings_errors_name_the_nearest_valid_one(
    fglint: Fglint, tmp_path: Path, settings: str, wanted: str
) -> None:
    write(tmp_path, {"task.json": WARNING_ONLY, ".fglint.toml": settings})
    outcome = fglint("check", cwd=tmp_path)
    assert outcome.code == 2
    assert f"`{wanted}`" in outcome.err
    assert ".fglint.toml" in outcome.err and "Traceback" not in outcome.err


def test_unknown_code_on_the_command_line_names_the_nearest(fglint: Fglint, tmp_path: Path) -> None:
    outcome = fglint("check", "--ignore", "FG2011", cwd=tmp_path)
    assert outcome.code == 2 and "`FG201`" in outcome.err


def test_per_file_ignores_globs(fglint: Fglint, tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "legacy/old.json": WARNING_ONLY,
            "services/web.json": WARNING_ONLY,
            "services/api.json": WARNING_ONLY,
            ".fglint.toml": (
                '[per-file-ignores]\n"legacy/*.json" = ["FG201"]\n"api.json" = ["FG2"]\n'
            ),
        },
    )
    findings = fglint("check", "--select", "FG201", "--format", "json", cwd=tmp_path).json()
    assert [f["path"] for f in findings["findings"]] == ["services/web.json"]


@pytest.mark.parametrize("cwd", [".", "services", ".."])
def test_per_file_ignores_are_relative_to_the_settings_folder(
    fglint: Fglint, tmp_path: Path, cwd: str
) -> None:
    """As in ruff: the globs match paths relative to the folder of `.fglint.toml`, wherever
    fglint runs from (the project root, a subfolder, above it)."""
    project = tmp_path / "project"
    write(
        project,
        {
            "legacy/old.json": WARNING_ONLY,
            "services/web.json": WARNING_ONLY,
            ".fglint.toml": '[per-file-ignores]\n"legacy/*.json" = ["FG201"]\n',
        },
    )
    folder = (project / cwd).resolve()
    target = os.path.relpath(project, folder)
    report = fglint("check", target, "--select", "FG201", "--format", "json", cwd=folder).json()
    assert [Path(f["path"]).name for f in report["findings"]] == ["web.json"]


@pytest.mark.parametrize("pattern", ["legacy", "legacy/*", "*.old.json"])
def test_exclude(fglint: Fglint, tmp_path: Path, pattern: str) -> None:
    write(
        tmp_path,
        {
            "legacy/web.old.json": WARNING_ONLY,
            "services/web.json": WARNING_ONLY,
            ".fglint.toml": f'exclude = ["{pattern}"]\n',
        },
    )
    report = fglint("check", "--select", "FG201", "--format", "json", cwd=tmp_path).json()
    assert [f["path"] for f in report["findings"]] == ["services/web.json"]
    assert report["summary"]["files"] == 1


# Output formats -----------------------------------------------------------------------------

FINDING_KEYS = {
    "code",
    "name",
    "severity",
    "message",
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "related",
}


def test_json_format(fglint: Fglint) -> None:
    report = fglint("check", "examples/checkout-api.task.json", "--format", "json").json()
    assert set(report) >= {"version", "findings", "summary"}
    assert report["version"] == __version__
    assert report["findings"]
    for finding in report["findings"]:
        assert set(finding) >= FINDING_KEYS
        assert finding["severity"] in ("error", "warning", "note")
        assert finding["path"] == "examples/checkout-api.task.json"
        assert finding["line"] >= 1 and finding["column"] >= 1
        assert (finding["end_line"], finding["end_column"]) > (finding["line"], finding["column"])
        assert isinstance(finding["related"], list)
    summary = report["summary"]
    assert summary["findings"] == len(report["findings"])
    assert summary["files"] == 1
    for level in ("error", "warning", "note"):
        assert summary[level] == sum(f["severity"] == level for f in report["findings"])


def test_json_related(fglint: Fglint, tmp_path: Path) -> None:
    write(tmp_path, {"task.json": '{"family": "x",\n "family": "y", "containerDefinitions": []}\n'})
    (finding,) = fglint("check", "--select", "FG004", "--format", "json", cwd=tmp_path).json()[
        "findings"
    ]
    (related,) = finding["related"]
    assert set(related) >= {"path", "line", "column", "end_line", "end_column", "message"}
    assert related["path"] == "task.json" and related["line"] == 1


def test_sarif_format_parses(fglint: Fglint) -> None:
    log = fglint("check", "examples/checkout-api.task.json", "--format", "sarif").json()
    assert log["version"] == "2.1.0"
    assert log["runs"][0]["results"]


ANNOTATION = re.compile(
    r"::(error|warning|notice) file=[^,:]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,"
    r"title=FG\d{3} [a-z0-9-]+::\S.*"
)


def test_github_format(fglint: Fglint, tmp_path: Path) -> None:
    write(tmp_path, {"task.json": ERROR_AND_WARNING, ".fglint.toml": 'severity.FG201 = "note"\n'})
    outcome = fglint("check", "--select", "FG101,FG201", "--format", "github", cwd=tmp_path)
    lines = outcome.out.splitlines()
    assert len(lines) == 2
    for line in lines:
        assert ANNOTATION.fullmatch(line), line
    assert lines[0].startswith(f"::error file=task.json,line={MEMORY_LINE},col=13,")
    assert ",title=FG101 fargate-task-size::" in lines[0]
    assert lines[1].startswith("::notice file=task.json,line=")


def test_github_escaping() -> None:
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("dir:a,b/50%\n") == "dir%3Aa%2Cb/50%25%0A"


def test_github_escapes_paths(fglint: Fglint, tmp_path: Path) -> None:
    write(tmp_path, {"a,b/50%.json": WARNING_ONLY})
    outcome = fglint("check", "--select", "FG201", "--format", "github", cwd=tmp_path)
    assert outcome.out.startswith("::warning file=a%2Cb/50%25.json,line=")


TEXT_LINE = re.compile(r"[^:\s]+:\d+:\d+: FG\d{3} \[(error|warning|note)\] \S.*")


def test_text_format(fglint: Fglint) -> None:
    outcome = fglint("check", "examples/checkout-api.task.json")
    *findings, footer = outcome.out.splitlines()
    assert findings and all(TEXT_LINE.fullmatch(line) for line in findings), findings
    assert all(line.startswith("examples/checkout-api.task.json:") for line in findings)
    assert footer.startswith(f"Found {len(findings)} findings in 1 file (")
    assert "fglint explain FG" in footer


def test_text_show_source(fglint: Fglint, tmp_path: Path) -> None:
    write(tmp_path, {"task.json": WARNING_ONLY})
    outcome = fglint("check", "--select", "FG201", "--show-source", cwd=tmp_path)
    lines = outcome.out.splitlines()
    assert lines[0].startswith(f"task.json:{IMAGE_LINE}:16: FG201 [warning]")
    assert lines[1] == f'{IMAGE_LINE:>4} |       "image": "nginx:latest",'
    assert lines[2] == "     |                ^^^^^^^^^^^^^^"
    assert lines[3].startswith("  = help: ")


def test_output_file(fglint: Fglint, tmp_path: Path) -> None:
    write(tmp_path, {"task.json": WARNING_ONLY, "out/README": ""})
    args = ["--select", "FG201", "--format", "json", "--output", "out/report.json"]
    outcome = fglint("check", "task.json", *args, cwd=tmp_path)
    assert outcome.code == 1 and outcome.out == ""
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert [f["code"] for f in report["findings"]] == ["FG201"]


# Other commands -----------------------------------------------------------------------------


def test_rules_formats(fglint: Fglint) -> None:
    codes = [rule.code for rule in registry.all_rules()]
    rows = fglint("rules", "--format", "json").json()
    assert [row["code"] for row in rows] == codes
    assert {"code", "name", "severity", "enabled", "tags", "summary"} <= set(rows[0])
    markdown = fglint("rules", "--format", "markdown").out.splitlines()
    assert markdown[0].startswith("| code | name |")
    assert [line.split(" | ")[0].strip("| ") for line in markdown[2:]] == codes
    table = fglint("rules").out
    assert all(code in table for code in codes)


def test_explain(fglint: Fglint) -> None:
    outcome = fglint("explain", "FG101")
    assert outcome.code == 0
    assert outcome.out.startswith("FG101 fargate-task-size [error")
    for section in ("## What it does", "## Why is this bad?", "## Example", "## References"):
        assert section in outcome.out
    assert fglint("explain", "fg101").out == outcome.out


def test_explain_unknown_code(fglint: Fglint) -> None:
    outcome = fglint("explain", "FG999")
    assert outcome.code == 2 and outcome.out == ""
    assert "FG999" in outcome.err


def test_bare_fglint_lints_the_current_directory(fglint: Fglint, tmp_path: Path) -> None:
    write(tmp_path, {"deploy/task.json": WARNING_ONLY, ".fglint.toml": 'select = ["FG201"]\n'})
    bare = fglint(cwd=tmp_path)
    assert bare.code == 1
    assert bare.out.startswith(f"deploy/task.json:{IMAGE_LINE}:16: FG201 [warning]")
    assert fglint("check", cwd=tmp_path).out == bare.out
    assert fglint("check", ".", cwd=tmp_path).out == bare.out


def test_a_path_alone_means_check(fglint: Fglint, tmp_path: Path) -> None:
    write(tmp_path, {"deploy/task.json": WARNING_ONLY, "other/task.json": WARNING_ONLY})
    shortcut = fglint("deploy", "--select", "FG201", "--format", "json", cwd=tmp_path)
    explicit = fglint("check", "deploy", "--select", "FG201", "--format", "json", cwd=tmp_path)
    assert shortcut.code == explicit.code == 1
    assert shortcut.out == explicit.out
    assert [f["path"] for f in shortcut.json()["findings"]] == ["deploy/task.json"]


def test_version(fglint: Fglint) -> None:
    outcome = fglint("--version")
    assert outcome.code == 0 and __version__ in outcome.out


def test_python_m_fglint_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fglint", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"fglint, version {__version__}"


# Robustness ---------------------------------------------------------------------------------


def test_internal_error_is_one_line_and_exits_2(
    fglint: Fglint, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(engine, "run", broken)
    outcome = fglint("check", "examples/checkout-api.task.json")
    assert outcome.code == 2
    assert outcome.out == ""
    assert "Traceback" not in outcome.err
    assert outcome.err.count("\n") == 1
    assert "internal error" in outcome.err and "simulated failure" in outcome.err
    assert "bug" in outcome.err and "report" in outcome.err


def test_internal_error_in_a_real_process() -> None:
    code = (
        "import sys, fglint.engine.run\n"
        "def broken(*a, **k):\n    raise KeyError('simulated')\n"
        "fglint.engine.run.run = broken\n"
        "sys.argv = ['fglint', 'check', 'examples']\n"
        "from fglint.main import entry\nentry()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1


def test_unparseable_file_is_fg001_and_the_rest_is_linted(fglint: Fglint, tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a_broken.json": '{"family": "web",\n  "cpu": "256"\n  "memory": "512"}\n',
            "b_task.json": WARNING_ONLY,
            "c_not_utf8.json": "",
        },
    )
    (tmp_path / "c_not_utf8.json").write_bytes(b'{"family": "caf\xe9"}')
    outcome = fglint("check", "--select", "FG001,FG201", "--format", "json", cwd=tmp_path)
    assert outcome.code == 1
    found = [(f["path"], f["code"], f["line"]) for f in outcome.json()["findings"]]
    assert found[0] == ("a_broken.json", "FG001", 3)
    assert ("b_task.json", "FG201", IMAGE_LINE) in found
    assert ("c_not_utf8.json", "FG001", 1) in found


def test_no_colour_off_a_terminal(fglint: Fglint) -> None:
    assert "\033[" not in fglint("check", "examples/checkout-api.task.json").out
    assert "\033[" not in fglint("check", "examples/checkout-api.task.json", "--show-source").out


def run_on_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run `python -m fglint ARGS` with stdout on a pseudo-terminal; return what it printed."""
    import pty

    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "fglint", *args],
            cwd=ROOT,
            stdout=follower,
            stderr=subprocess.PIPE,
            env=env,
            check=False,
            timeout=60,
        )
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal is closed: everything was read
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        if follower != -1:
            os.close(follower)
        os.close(leader)
    assert done.returncode == 1, done.stderr
    return b"".join(chunks).decode("utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_colour_on_a_terminal_unless_no_color() -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    coloured = run_on_terminal(["check", "examples/checkout-api.task.json"], env)
    assert "\033[" in coloured
    assert " | " in coloured and "^" in coloured  # source and carets by default on a terminal
    plain = run_on_terminal(["check", "examples/checkout-api.task.json"], {**env, "NO_COLOR": "1"})
    assert "\033[" not in plain
    assert "examples/checkout-api.task.json:" in plain


def test_paths_are_relative_to_cwd_with_forward_slashes(fglint: Fglint, tmp_path: Path) -> None:
    write(tmp_path, {"infra/ecs/web/task.json": WARNING_ONLY})
    for target in ("infra", str(tmp_path / "infra"), "infra/ecs/web/task.json"):
        report = fglint("check", target, "--select", "FG201", "--format", "json", cwd=tmp_path)
        assert [f["path"] for f in report.json()["findings"]] == ["infra/ecs/web/task.json"]
    nested = fglint("check", ".", "--select", "FG201", cwd=tmp_path / "infra" / "ecs")
    assert nested.out.startswith(f"web/task.json:{IMAGE_LINE}:16:")


def test_output_is_sorted_and_deterministic(fglint: Fglint, tmp_path: Path) -> None:
    two_containers = json.loads(ERROR_AND_WARNING)
    two_containers["containerDefinitions"].append({"name": "b", "image": "redis"})
    files = {
        "z.json": ERROR_AND_WARNING,
        "a/b.json": json.dumps(two_containers),  # one line: findings differ by column only
        "a.json": ERROR_AND_WARNING,
        "m/task.json": json.dumps(two_containers, indent=1),
    }
    write(tmp_path, files)
    args = ("check", "--select", "FG1,FG2", "--format", "json")
    first = fglint(*args, cwd=tmp_path)
    findings = first.json()["findings"]
    keys = [(f["path"], f["line"], f["column"], f["code"]) for f in findings]
    assert len(keys) >= 8
    assert keys == sorted(keys)
    assert {f["path"] for f in findings} == set(files)
    for fmt in ("json", "text", "github", "sarif"):
        runs = {fglint(*args[:-1], fmt, cwd=tmp_path).out for _ in range(2)}
        assert len(runs) == 1, fmt


# Start-up cost: heavy modules are imported only by the runs that need them ---------------------

HEAVY = ("jsonschema", "sarif_om", "hcl2", "lark", "yaml")


def imported_heavy(args: list[str], cwd: Path) -> set[str]:
    code = (
        "import sys\n"
        "from fglint.main import entry\n"
        f"sys.argv = ['fglint', *{args!r}]\n"
        "try:\n    entry()\n"
        "finally:\n"
        f"    print('HEAVY', sorted(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=False
    )
    line = next(line for line in done.stderr.splitlines() if line.startswith("HEAVY "))
    return set(json.loads(line.removeprefix("HEAVY ").replace("'", '"')))


@pytest.mark.parametrize(
    ("args", "allowed"),
    [
        (["--version"], set()),
        (["rules"], set()),
        (["explain", "FG101"], set()),
        (["check", "not-ecs"], set()),  # JSON that is no ECS document
        (["check", "task.json", "--select", "FG1,FG2"], set()),
        (["check", "task.json", "--format", "json"], {"jsonschema"}),  # FG003 validates it
        (["check", "task.json", "--format", "sarif"], {"jsonschema", "sarif_om"}),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else None,
)
def test_heavy_modules_are_imported_only_when_needed(
    tmp_path: Path, args: list[str], allowed: set[str]
) -> None:
    write(tmp_path, {"task.json": WARNING_ONLY, "not-ecs/package.json": '{"name": "web"}'})
    assert imported_heavy(args, tmp_path) <= allowed

"""`engine.run` returns a `Report`; every output renders one and nothing else."""

from __future__ import annotations

import importlib
import inspect
import json
from pathlib import Path

from fglint.engine.config import Config
from fglint.engine.report import Report
from fglint.engine.run import run
from fglint.load import load
from fglint.outputs import github_format, json_format, sarif_format, text_format
from helpers import in_dir

TASK = '{"family": "web", "containerDefinitions": [{"name": "app", "image": "app:latest"}]}\n'


def report_of(tmp_path: Path, config: Config) -> Report:
    (tmp_path / "task.json").write_text(TASK, encoding="utf-8")
    (tmp_path / "broken.json").write_text('{"family": ', encoding="utf-8")
    (tmp_path / "notes.json").write_text('{"title": "not ECS"}', encoding="utf-8")
    with in_dir(tmp_path):
        return run(load(["."]), config)


def test_report_holds_findings_rules_files_and_timings(tmp_path: Path) -> None:
    config = Config(select=["FG001", "FG201", "FG302"], severity={"FG201": "error"})
    report = report_of(tmp_path, config)
    assert [(f.code, f.span.path) for f in report.findings] == [
        ("FG001", "broken.json"),
        ("FG201", "task.json"),
    ]
    # FG001 and FG005 (fglint's own failures) run whatever `select` says
    assert [ran.code for ran in report.rules] == ["FG001", "FG005", "FG201", "FG302"]
    ran = report.rule("FG201")
    assert ran is not None and ran.severity == "error" and ran.rule.meta.severity == "warning"
    assert report.findings[1].severity == "error"
    assert report.failed == frozenset({"broken.json"})
    assert sorted(f.path for f in report.linted) == ["broken.json", "task.json"]
    assert report.context == ()
    assert [path for path, _ in report.skipped] == ["notes.json"]
    assert set(report.seconds) == {"FG001", "FG005", "FG201", "FG302"}
    assert all(seconds >= 0 for seconds in report.seconds.values())


def test_outputs_render_the_report_alone(tmp_path: Path) -> None:
    report = report_of(tmp_path, Config(select=["FG001", "FG201"]))
    text = text_format.render(report, show_source=True)
    assert "  = help: " + report.rules[2].rule.meta.summary in text
    assert json.loads(json_format.render(report))["summary"]["files"] == 2
    with in_dir(tmp_path):
        sarif = json.loads(sarif_format.render(report))
    driver = sarif["runs"][0]["tool"]["driver"]
    assert [rule["id"] for rule in driver["rules"]] == ["FG001", "FG005", "FG201"]
    assert github_format.render(report).count("::") == 4  # two findings, two markers each


def test_every_output_renders_a_report_with_one_signature() -> None:
    """main.FORMATS each name an outputs module whose `render` takes the Report, typed, no Any."""
    from fglint.engine import run as engine
    from fglint.main import FORMATS

    expected = (
        "(report: 'Report', *, to_terminal: 'bool' = False, show_source: 'bool | None' = None)"
    )
    for fmt in FORMATS:
        module = importlib.import_module(f"fglint.outputs.{fmt}_format")
        assert str(inspect.signature(module.render)) == f"{expected} -> 'str'", fmt
    assert (
        str(inspect.signature(engine.run))
        == "(project: 'Project', config: 'Config', fixes: 'bool' = True) -> 'Report'"
    )


LOGGED = (
    '{"family": "web", "containerDefinitions": [{"name": "app", "image": "app:1",'
    ' "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "g"}}}]}\n'
)


def test_fixes_are_made_only_for_the_formats_that_show_them(tmp_path: Path) -> None:
    """A run whose output neither shows nor counts fixes makes none (they are most of the rules'
    time); every other format renders the same bytes without them."""
    from fglint.main import FORMATS, SHOWS_FIXES

    (tmp_path / "task.json").write_text(LOGGED, encoding="utf-8")
    with in_dir(tmp_path):
        project = load(["."])
        made, skipped = run(project, Config()), run(project, Config(), fixes=False)
        assert any(f.fix is not None for f in made.findings)
        assert all(f.fix is None for f in skipped.findings)
        for fmt in FORMATS:
            render = importlib.import_module(f"fglint.outputs.{fmt}_format").render
            same = render(made, show_source=True) == render(skipped, show_source=True)
            assert same == (fmt not in SHOWS_FIXES), fmt

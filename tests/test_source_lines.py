"""Source lines as the parsers and the SARIF fingerprint count them: split at `\\r\\n`, `\\r`
and `\\n` only. A form feed or U+2028 inside a line does not start a new one, so the text
report shows the line a finding is on."""

from __future__ import annotations

from pathlib import Path

import pytest
from fglint.engine.config import Config
from fglint.engine.run import run
from fglint.load import load
from fglint.model import SourceFile
from fglint.outputs import text_format
from helpers import in_dir

TERRAFORM = (
    "# page one\f page two\n"
    'resource "aws_ecs_task_definition" "app" {\n'
    '  family = "app"\n'
    '  container_definitions = jsonencode([{ name = "app", image = "nginx:latest" }])\n'
    "}\n"
)
JSON = (
    '{"family": "app \u2028 \u2029 \x85",\r\n'
    ' "containerDefinitions": [{"name": "app", "image": "nginx:latest"}]}\r\n'
)


@pytest.mark.parametrize(("name", "text"), [("main.tf", TERRAFORM), ("task.json", JSON)])
def test_text_report_shows_the_finding_line(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_bytes(text.encode("utf-8"))
    with in_dir(tmp_path):
        project = load([name])
        config = Config(select=["FG201"], show_source=True)
        findings = run(project, config).findings
        text = text_format.render(run(project, config), show_source=True)
    assert [f.code for f in findings] == ["FG201"]
    source = text.splitlines()[1]
    assert source.startswith(f"{findings[0].span.line:>4} | ") and "nginx:latest" in source


def test_line_splits_on_carriage_returns_and_line_feeds_only() -> None:
    file = SourceFile("x", "/x", "a\fb\r\nc\u2028d\re\nf\n")
    assert [file.line(n) for n in range(1, 7)] == ["a\fb", "c\u2028d", "e", "f", "", ""]
    assert file.line(0) == "" and file.lines is file.lines  # split once


def test_suppression_after_a_form_feed_covers_the_next_code_line(tmp_path: Path) -> None:
    text = TERRAFORM.replace(
        "  container_definitions", "  # fglint: ignore[FG201]\n\n  container_definitions"
    )
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    with in_dir(tmp_path):
        findings = run(load(["main.tf"]), Config(select=["FG201", "FG002"])).findings
    assert findings == ()

"""Inline suppressions (`# fglint: ignore[...]`) in HCL and YAML, and FG002 for unused ones."""

from __future__ import annotations

from pathlib import Path

from fglint.engine.suppress import comments, directives
from fglint.model import SourceFile
from helpers import in_dir, lint

HEAD = """resource "aws_ecs_task_definition" "app" {
  family = "app"
  container_definitions = jsonencode([
"""
TAIL = """  ])
}
"""


def findings(tmp_path: Path, body: str, select: list[str]) -> list[tuple[str, int, str]]:
    (tmp_path / "main.tf").write_text(HEAD + body + TAIL, encoding="utf-8")
    with in_dir(tmp_path):
        return [(f.code, f.span.line, f.message) for f in lint(["main.tf"], select=select)]


def test_same_line_and_line_above_suppress(tmp_path: Path) -> None:
    body = (
        '    { name = "a", image = "a" },  # fglint: ignore[FG201] reason here\n'
        "    # fglint: ignore[FG201]\n"
        "    # (a second comment line between is fine)\n"
        '    { name = "b", image = "b" },\n'
        '    { name = "c", image = "c" },  // fglint: ignore[FG201]\n'
        '    { name = "d", image = "d" },\n'
    )
    assert [(c, line) for c, line, _ in findings(tmp_path, body, ["FG201"])] == [("FG201", 9)]


def test_directive_inside_a_string_or_heredoc_is_data(tmp_path: Path) -> None:
    body = (
        '    { name = "a", image = "a", command = ["# fglint: ignore[FG201]"] },\n'
        '    { name = "b", image = "b", command = [<<-EOT\n'
        "      # fglint: file-ignore[FG201]\n"
        "    EOT\n"
        "    ] },\n"
    )
    assert [line for _, line, _ in findings(tmp_path, body, ["FG201"])] == [4, 5]


def test_file_ignore(tmp_path: Path) -> None:
    body = '    { name = "a", image = "a" },\n    { name = "b", image = "b" },\n'
    text = "# fglint: file-ignore[FG201] legacy module, tracked in OPS-1\n"
    (tmp_path / "main.tf").write_text(text + HEAD + body + TAIL, encoding="utf-8")
    with in_dir(tmp_path):
        assert lint(["main.tf"], select=["FG201", "FG002"]) == []


def test_fg002_unused_and_unknown_codes(tmp_path: Path) -> None:
    body = (
        '    { name = "a", image = "a:1" },  # fglint: ignore[FG201]\n'
        '    { name = "b", image = "b" },  # fglint: ignore[FG201, FG2O1]\n'
        '    { name = "c", image = "c:1" },  # fglint: ignore[FG601]\n'
    )
    result = findings(tmp_path, body, ["FG201", "FG002"])
    assert [(c, line) for c, line, _ in result] == [("FG002", 4), ("FG002", 5)]
    assert "no FG201 finding" in result[0][2]
    assert "`FG2O1`" in result[1][2]  # FG601 is not running: its suppression is not judged


def test_fg002_points_at_the_code(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text("# fglint: ignore[FG201, FG999]\n", encoding="utf-8")
    with in_dir(tmp_path):
        (only,) = lint(["main.tf"], select=["FG002"])
    assert (only.span.line, only.span.col, only.span.end_col) == (1, 25, 30)


def test_suppression_on_the_file_call_covers_the_json_it_reads(tmp_path: Path) -> None:
    (tmp_path / "app.json").write_text('[{"name": "a", "image": "a"}]', encoding="utf-8")
    (tmp_path / "main.tf").write_text(
        'resource "aws_ecs_task_definition" "app" {\n'
        '  container_definitions = file("app.json")  # fglint: ignore[FG201]\n}\n',
        encoding="utf-8",
    )
    with in_dir(tmp_path):
        assert lint(["main.tf"], select=["FG201", "FG002"]) == []


def yaml_comment_texts(text: str) -> list[str]:
    return [comment for _, comment in comments(SourceFile("t.yaml", "t.yaml", text))]


def test_yaml_comments_skip_quotes_and_block_scalars() -> None:
    text = (
        "a: '# not a comment'  # fglint: ignore[FG201]\n"
        'b: "x # y"\n'
        "c: |\n"
        "  # fglint: ignore[FG601] (inside a block scalar)\n"
        "d: it's # real\n"
        "url: http://x#y\n"
    )
    assert yaml_comment_texts(text) == ["# fglint: ignore[FG201]", "# real"]


def test_directive_lines() -> None:
    text = "x = 1 # fglint: ignore[FG101]\n\n# fglint: ignore[FG102]\n\ny = 2\n"
    found = list(directives(SourceFile("m.tf", "m.tf", text, kind="terraform")))
    assert [d.lines for d in found] == [(1,), (3, 5)]


def test_fg002_reads_the_run_state_from_its_context_not_the_model(tmp_path: Path) -> None:
    """The engine hands the run's suppressions to rules in `Context`; `Project` carries none."""
    from fglint.engine.config import Config
    from fglint.engine.registry import rule_by_code
    from fglint.engine.run import run
    from fglint.engine.suppress import Suppressions
    from fglint.load import load
    from fglint.rule import Context

    (tmp_path / "main.tf").write_text(
        HEAD + '    { name = "a", image = "a:1" },  # fglint: ignore[FG201]\n' + TAIL,
        encoding="utf-8",
    )
    project = load([str(tmp_path / "main.tf")])
    rule = rule_by_code("FG002")
    assert rule is not None
    state = Suppressions(project, {"FG201"}, frozenset({"FG002", "FG201"}))
    found = list(rule.check(Context(project, suppressions=state)))
    assert [v.message.split(":")[0] for v in found] == ["Unused suppression"]
    assert list(rule.check(Context(project))) == []  # no state: FG002 says nothing
    run(project, Config(select=["FG002", "FG201"]))
    assert not hasattr(project, "suppressions")

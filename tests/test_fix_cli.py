"""`fglint check --fix / --diff / --fix-only / --unsafe-fixes`, and what the fixer refuses:
overlapping fixes, files outside the scanned root, files reached through a symlink."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from fglint.engine.fixing import apply, plan, writable
from fglint.engine.run import Finding
from fglint.fix import Edit, Fix
from fglint.main import cli
from fglint.model import Project, SourceFile
from fglint.nodes import Span
from helpers import in_dir

SERVICE = """{
  "serviceName": "web",
  "launchType": "FARGATE",
  "deploymentConfiguration": {
    "deploymentCircuitBreaker": {"enable": true, "rollback": false}
  }
}
"""

DIFF = """--- a/service.json
+++ b/service.json
@@ -2,6 +2,6 @@
   "serviceName": "web",
   "launchType": "FARGATE",
   "deploymentConfiguration": {
-    "deploymentCircuitBreaker": {"enable": true, "rollback": false}
+    "deploymentCircuitBreaker": {"enable": true, "rollback": true}
   }
 }
"""


def invoke(tmp: Path, *args: str) -> tuple[int, str, str]:
    with in_dir(tmp):
        result = CliRunner().invoke(cli, ["check", "--select", "FG801", *args])
    return result.exit_code, result.stdout, result.stderr


def test_diff_shows_the_fix_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "service.json").write_text(SERVICE)
    code, out, err = invoke(tmp_path, "--diff", ".")
    assert (code, out) == (1, DIFF)
    assert "Would fix 1 finding" in err
    assert (tmp_path / "service.json").read_text() == SERVICE


def test_diff_without_changes_exits_zero(tmp_path: Path) -> None:
    (tmp_path / "service.json").write_text(SERVICE.replace("false", "true"))
    assert invoke(tmp_path, "--diff", ".")[:2] == (0, "")


def test_fix_writes_and_reports_what_remains(tmp_path: Path) -> None:
    (tmp_path / "service.json").write_text(SERVICE)
    code, out, err = invoke(tmp_path, "--fix", ".")
    assert code == 0
    assert "Fixed 1 finding (0 remaining)." in out + err
    assert "No findings" in out
    assert '"rollback": true' in (tmp_path / "service.json").read_text()
    assert invoke(tmp_path, "--fix", ".")[0] == 0
    assert "Fixed 0 findings" in "".join(invoke(tmp_path, "--fix", ".")[1:])


def test_fix_only_prints_no_findings(tmp_path: Path) -> None:
    (tmp_path / "service.json").write_text(SERVICE)
    task = {"family": "web", "containerDefinitions": [{"name": "app", "image": "nginx:latest"}]}
    (tmp_path / "task.json").write_text(json.dumps(task))  # FG201: no fix
    code, out, err = invoke(tmp_path, "--extend-select", "FG201", "--fix-only", ".")
    assert (code, out) == (0, "")
    assert "Fixed 1 finding." in err


def test_fix_keeps_a_byte_order_mark(tmp_path: Path) -> None:
    (tmp_path / "service.json").write_bytes(b"\xef\xbb\xbf" + SERVICE.encode())
    invoke(tmp_path, "--fix", ".")
    data = (tmp_path / "service.json").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b'"rollback": true' in data


def finding(path: str, *edits: tuple[int, int, str], safe: bool = True) -> Finding:
    fix = Fix("fix", tuple(Edit(path, *edit) for edit in edits), safe)
    return Finding("FG801", "x", "warning", "m", Span(path, 1, 1, 1, 2), (), fix)


def project_of(tmp: Path, text: str) -> Project:
    (tmp / "a.json").write_text(text)
    file = SourceFile("a.json", str(tmp / "a.json"), text, "json")
    return Project(files=[file], roots=[str(tmp)])


def test_overlapping_fixes_are_skipped_and_reported(tmp_path: Path) -> None:
    project = project_of(tmp_path, "abcdef")
    first = finding("a.json", (1, 3, "XY"))
    overlapping = finding("a.json", (2, 4, "Z"))
    same_spot = finding("a.json", (1, 1, "!"))
    apart = finding("a.json", (4, 5, "-"))
    result = plan([first, overlapping, same_spot, apart], project, unsafe=False)
    assert result.applied == [first, apart]
    assert result.conflicts == [overlapping, same_spot]
    assert result.texts == {"a.json": "aXYd-f"}


def test_an_edit_two_fixes_share_is_made_once(tmp_path: Path) -> None:
    project = project_of(tmp_path, "abcdef")
    one, two = finding("a.json", (0, 2, "")), finding("a.json", (0, 2, ""))
    assert plan([one, two], project, unsafe=False).texts == {"a.json": "cdef"}


def test_unsafe_fixes_only_when_asked(tmp_path: Path) -> None:
    project = project_of(tmp_path, "abc")
    unsafe = finding("a.json", (0, 1, "X"), safe=False)
    assert plan([unsafe], project, unsafe=False).texts == {}
    assert plan([unsafe], project, unsafe=True).texts == {"a.json": "Xbc"}


def test_apply_works_from_the_end() -> None:
    assert apply("0123456789", [Edit("p", 1, 2, "a"), Edit("p", 5, 5, "b")]) == "0a234b56789"


def test_no_write_outside_the_root_or_through_a_symlink(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "a.json").write_text("{}")
    (root / "b.json").write_text("{}")
    inside = SourceFile("b.json", str(root / "b.json"), "{}", "json")
    assert writable(inside, [str(root)])
    assert not writable(SourceFile("a", str(outside / "a.json"), "{}"), [str(root)])
    if not hasattr(os, "symlink"):
        pytest.skip("no symlinks on this platform")
    (root / "link.json").symlink_to(outside / "a.json")
    (root / "inner").mkdir()
    (root / "inner" / "c.json").write_text("{}")
    (root / "dirlink").symlink_to(root / "inner")
    assert not writable(SourceFile("l", str(root / "link.json"), "{}"), [str(root)])
    assert not writable(SourceFile("d", str(root / "dirlink" / "c.json"), "{}"), [str(root)])
    context = SourceFile("b.json", str(root / "b.json"), "{}", "json", report=False)
    assert not writable(context, [str(root)])


def test_fix_keeps_crlf_line_breaks(tmp_path: Path) -> None:
    crlf = '{\r\n  "serviceName": "web",\r\n  "launchType": "FARGATE"\r\n}\r\n'
    (tmp_path / "service.json").write_bytes(crlf.encode())
    invoke(tmp_path, "--fix", ".")
    data = (tmp_path / "service.json").read_bytes()
    assert b"deploymentCircuitBreaker" in data
    assert data.count(b"\n") == data.count(b"\r\n") == 5
    json.loads(data)

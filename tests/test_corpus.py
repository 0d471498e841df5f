"""Smoke test on the shared corpus of real ECS configs (read in place, never copied): no crash,
no traceback, a valid report, sane locations, and FG001 (could not parse) only on the files the
corpus's SOURCES.md lists as broken on purpose."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from helpers import CORPUS

SECTION = "## Known-broken / edge-case inputs kept on purpose"


def known_unparseable(sources: str) -> set[str]:
    """The files SOURCES.md lists as not valid JSON/YAML/HCL. Other entries of that section
    (CloudFormation fragments, a templated array, single container definitions) parse fine."""
    section = sources.split(SECTION, 1)[1].split("\n## ", 1)[0]
    broken = set()
    for line in section.splitlines():
        match = re.match(r"- `([^`]+)` — (.*)", line)
        if match and re.search(r"\bnot valid (JSON|YAML|HCL)\b", match.group(2)):
            broken.add(match.group(1))
    return broken


def test_known_unparseable_list_is_read() -> None:
    sources = (
        f"intro\n{SECTION}\n\n"
        "- `a/task.json` — not valid JSON (Expecting value: line 2 column 13); templated.\n"
        "- `b/.../{x,y}.yml` — CloudFormation *fragments* (resource map).\n"
        "- `c/task.json` — bare container-definitions array with `${...}` template variables.\n"
        "\n## Per-file provenance\n- `d/x.json` — not valid JSON\n"
    )
    assert known_unparseable(sources) == {"a/task.json"}


@cache
def corpus_run() -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS} (it lives beside the repository)")
    done = subprocess.run(
        [sys.executable, "-m", "fglint", "check", str(CORPUS), "--format", "json"],
        cwd=CORPUS,  # so that reported paths are corpus-relative, as in SOURCES.md
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert done.returncode in (0, 1), done.stderr[-3000:]
    return done, json.loads(done.stdout)


def test_corpus_runs_cleanly() -> None:
    done, report = corpus_run()
    assert done.stderr == ""
    assert report["summary"]["files"] > 100
    assert report["summary"]["findings"] == len(report["findings"])


def test_fg001_only_on_known_broken_files() -> None:
    _, report = corpus_run()
    expected = known_unparseable((CORPUS / "SOURCES.md").read_text(encoding="utf-8"))
    assert expected, "SOURCES.md lists no unparseable file: has its format changed?"
    unparsed = {f["path"] for f in report["findings"] if f["code"] == "FG001"}
    assert sorted(unparsed - expected) == [], "FG001 on files that should parse"
    assert sorted(expected - unparsed) == [], "known-broken files not reported as FG001"


def test_every_location_is_real() -> None:
    _, report = corpus_run()
    for finding in report["findings"]:
        places = [finding, *finding["related"]]
        for place in places:
            where = f"{finding['code']} at {place['path']}:{place['line']}:{place['column']}"
            assert "\\" not in place["path"], where
            assert (CORPUS / place["path"]).is_file(), where
            assert place["line"] >= 1 and place["column"] >= 1, where
            start, end = (place["line"], place["column"]), (place["end_line"], place["end_column"])
            assert end >= start, where


def test_every_location_is_inside_its_file() -> None:
    _, report = corpus_run()
    texts: dict[str, list[str]] = {}
    for finding in report["findings"]:
        path = finding["path"]
        if path not in texts:
            raw = (CORPUS / path).read_bytes().decode("utf-8-sig", errors="replace")
            texts[path] = re.split(r"\r\n|\r|\n", raw)
        lines = texts[path]
        where = f"{finding['code']} at {path}:{finding['line']}:{finding['column']}"
        assert finding["line"] <= len(lines), where
        assert finding["column"] <= len(lines[finding["line"] - 1]) + 1, where


def test_report_is_sorted() -> None:
    _, report = corpus_run()
    keys = [(f["path"], f["line"], f["column"], f["code"]) for f in report["findings"]]
    assert keys == sorted(keys)


def test_paths_are_relative_to_the_working_directory() -> None:
    _, report = corpus_run()
    assert all(not Path(f["path"]).is_absolute() for f in report["findings"])

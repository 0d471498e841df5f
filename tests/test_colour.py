"""`--color auto|always|never`, NO_COLOR and FORCE_COLOR, on a pipe and on a terminal."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from test_cli import WARNING_ONLY, Fglint, fglint, run_on_terminal, write

__all__ = ["fglint"]  # the fixture, used by name
ESCAPE = "\033["
TASK = "examples/checkout-api.task.json"


@pytest.fixture
def plain_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("plain_env")
@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        ([], {}, False),  # auto, through a pipe
        (["--color", "auto"], {}, False),
        (["--color", "always"], {}, True),  # forced through a pipe
        (["--color", "always"], {"NO_COLOR": "1"}, True),  # the flag is explicit: it wins
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {"CLICOLOR_FORCE": "1"}, True),
        ([], {"CLICOLOR_FORCE": "0"}, False),
        ([], {"FORCE_COLOR": ""}, False),  # an empty variable is unset
        ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),  # NO_COLOR wins in auto
    ],
    ids=lambda value: repr(value),
)
def test_color_choice_through_a_pipe(
    fglint: Fglint,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    args: list[str],
    env: dict[str, str],
    coloured: bool,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    write(tmp_path, {"task.json": WARNING_ONLY})
    outcome = fglint("check", ".", "--select", "FG201", *args, cwd=tmp_path)
    assert outcome.code == 1
    assert (ESCAPE in outcome.out) is coloured, outcome.out
    assert "task.json:" in outcome.out and "FG201" in outcome.out


def test_color_is_only_for_the_text_report(fglint: Fglint, plain_env: None) -> None:
    for fmt in ("json", "sarif", "github", "gitlab", "junit"):
        outcome = fglint("check", TASK, "--format", fmt, "--color", "always")
        assert ESCAPE not in outcome.out, fmt


def test_an_unknown_color_choice_is_a_usage_error(fglint: Fglint) -> None:
    outcome = fglint("check", TASK, "--color", "sometimes")
    assert outcome.code == 2 and "--color" in outcome.err


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_color_never_on_a_terminal() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    assert ESCAPE in run_on_terminal(["check", TASK, "--color", "auto"], env)
    plain = run_on_terminal(["check", TASK, "--color", "never"], env)
    assert ESCAPE not in plain and f"{TASK}:" in plain

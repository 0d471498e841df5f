"""The shell model behind FG301/FG302/FG805 against measured behaviour.

`MEASURED` was recorded with bash 5.2.15, Debian's dash 0.5.12-2 and BusyBox 1.35.0 on Debian 12:
each script ran as `SHELL -c SCRIPT` with `sleep 7` as the application, and the row says whether
the `-c` process was still the shell (keep) or had become `sleep` (exec) 0.35 s later. The live
test repeats the measurement where those shells are installed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from fglint.aws.shell import exits_on_sigterm, image_sh, stays

K, E = "keep", "exec"
# script: (bash, dash, busybox)
MEASURED = {
    "sleep 7": (E, K, E),
    "export A=1 && sleep 7": (E, K, E),
    "cd /; sleep 7": (E, K, E),
    "cd /\nsleep 7": (E, K, E),
    "A=1 sleep 7": (E, K, E),
    "sleep 7 >/dev/null": (K, K, E),
    "sleep 7;": (E, K, E),
    "exec sleep 7": (E, E, E),
    "set -e; sleep 7": (E, K, E),
    "true && sleep 7": (E, K, E),
    "false || sleep 7": (E, K, E),
    'trap "echo x" TERM; sleep 7': (K, K, K),
    "sleep 7 | cat": (K, K, K),
    "(sleep 7)": (K, K, E),
    "if true; then sleep 7; fi": (K, K, E),
    "cd /; true && sleep 7": (K, K, E),
    "cd /\ntrue && sleep 7": (E, K, E),
    "{ sleep 7; }": (K, K, E),
    "sleep 7 2>&1": (K, K, E),
    "exec 2>&1; sleep 7": (E, K, E),
    "! sleep 7": (K, K, K),
    "sleep 7 & wait": (K, K, K),
    "sleep 1 & sleep 7": (K, K, E),
    "true && true; sleep 7": (E, K, E),
    "sleep 7 # comment": (E, K, E),
    'echo "a;b" && sleep 7': (E, K, E),
    "echo 'x && y'; sleep 7": (E, K, E),
    "sleep 7 || echo failed": (K, K, K),
    "while true; do sleep 7; done": (K, K, K),
    "X=$(echo 1) sleep 7": (E, K, E),
    "env A=1 sleep 7": (E, K, E),
    "true\nsleep 7 | cat": (K, K, K),
    "sleep 7 &": (K, K, K),
    ">/dev/null sleep 7": (K, K, E),
    "for i in 1; do sleep 7; done": (K, K, K),
    "true; (sleep 7)": (K, K, E),
}
SHELLS = ("bash", "dash", "busybox")


@pytest.mark.parametrize("script", list(MEASURED), ids=repr)
def test_model_matches_measurement(script: str) -> None:
    for shell, measured in zip(SHELLS, MEASURED[script], strict=True):
        model = stays(script, shell)
        assert model is not None, (script, shell)
        assert (E if model == "" else K) == measured, (script, shell, model)


def test_older_bash_levels() -> None:
    assert stays("cd /; sleep 7", "bash4.4")  # `;` lists: bash 5.1
    assert stays("cd /; sleep 7", "bash4.2")
    assert stays("true && sleep 7", "bash4.4") == ""  # `&&`: bash 4.4
    assert stays("true && sleep 7", "bash4.2")
    assert stays("sleep 7", "bash4.2") == ""


def test_a_shell_that_execs_another_shell_is_judged_by_the_inner_one() -> None:
    loop = '/bin/sh -c "while true; do date; sleep 1; done"'
    assert stays(loop, "busybox") == "it execs `sh -c` and a loop runs in the shell"
    assert stays('exec bash -c "cd /app; ./server"', "dash") == ""
    assert stays('sh -c "./server"', "busybox", "busybox") == ""
    nested = stays('bash -c "sh -c ./server"', "busybox", "dash") or ""
    assert nested.endswith("and Debian's dash never execs the command itself")


def test_unknown_is_not_a_verdict() -> None:
    assert stays("cat <<EOF\nx\nEOF", "bash") is None  # here-documents are not followed
    assert stays(". /app/env.sh", "busybox") is None
    assert stays("trap 'kill -TERM $pid' TERM; ./app & pid=$!; wait $pid", "dash") is None
    assert stays("echo 'unbalanced", "bash") is None


def test_only_builtins_run_nothing_to_forward_to() -> None:
    assert stays("echo hello world", "busybox") == ""
    assert stays("./server || echo failed", "busybox")


@pytest.mark.parametrize(
    ("image", "sh"),
    [
        ("python:3.12", "dash"),
        ("public.ecr.aws/docker/library/node:20-bookworm-slim", "dash"),
        ("eclipse-temurin:21-jre", "dash"),
        ("node:20-alpine", "busybox"),
        ("alpine", "busybox"),
        ("amazonlinux:2", "bash4.2"),
        ("public.ecr.aws/amazonlinux/amazonlinux:2023", "bash"),
        ("amazoncorretto:21", "bash4.2"),
        ("amazoncorretto:21-al2023", "bash"),
        ("registry.access.redhat.com/ubi8/ubi-minimal:8.10", "bash4.4"),
        ("registry.access.redhat.com/ubi9/ubi:9.4", "bash"),
        ("gcr.io/distroless/java21-debian12", "none"),
        ("gcr.io/distroless/base:debug", "busybox"),
        ("mcr.microsoft.com/dotnet/aspnet:8.0", "dash"),
        ("123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.4.2", None),
        ("${IMAGE}", None),
    ],
)
def test_image_sh(image: str, sh: str | None) -> None:
    assert image_sh(image) == sh


LIVE = {"bash": ["bash", "-c"], "dash": ["dash", "-c"], "busybox": ["busybox", "sh", "-c"]}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("shell", SHELLS)
def test_live_shell_agrees(shell: str) -> None:
    """All scripts start at once; after 0.5 s each `-c` process is the shell or `sleep`."""
    argv = LIVE[shell]
    if shutil.which(argv[0]) is None:
        pytest.skip(f"{argv[0]} is not installed")
    procs = {
        script: subprocess.Popen(
            [*argv, script],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for script in MEASURED
    }
    time.sleep(0.5)
    seen = {}
    for script, proc in procs.items():
        try:
            with open(f"/proc/{proc.pid}/comm", encoding="utf-8") as comm:
                seen[script] = E if comm.read().strip() == "sleep" else K
        except OSError:
            seen[script] = "gone"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    column = SHELLS.index(shell)
    if shell == "dash" and not os.path.exists("/usr/share/doc/dash/changelog.Debian.gz"):
        pytest.skip("not Debian's dash (upstream dash execs the last command)")
    assert seen == {script: row[column] for script, row in MEASURED.items()}


KEEPALIVES = {
    "trap 'exit 0' TERM; while true; do sleep 1; done": True,
    'trap "exit 0" SIGTERM SIGINT; while true; do sleep 1; done': True,
    "trap 'exit 0' 15; sleep 3600 & wait": True,
    "trap 'exit 0' TERM; while true; do sleep 60; done": False,  # the trap waits up to 60 s
    "trap 'exit 0' TERM; sleep 3600; wait": False,
    "trap 'exit 0' TERM; while true; do touch /tmp/x; sleep 1; done": False,  # runs a program
    "trap '' TERM; while true; do sleep 1; done": False,  # ignores SIGTERM
    "trap 'echo bye' TERM; sleep 7": False,  # does not exit
    "trap 'exit 0' INT; while true; do sleep 1; done": False,
    "trap 'exit 0' TERM; java -jar app.jar": False,
}


@pytest.mark.parametrize("script", list(KEEPALIVES), ids=repr)
def test_keepalive_that_exits_on_sigterm(script: str) -> None:
    assert exits_on_sigterm(script) is KEEPALIVES[script]


@pytest.mark.parametrize("shell", ["bash", "dash", "busybox"])
def test_keepalive_exits_on_sigterm_live(shell: str) -> None:
    """What exits_on_sigterm assumes: such a shell, as PID 1 or not, ends within one sleep."""
    path = shutil.which(shell)
    if path is None:
        pytest.skip(f"{shell} is not installed")
    argv = [path, "sh"] if shell == "busybox" else [path]
    for script in [s for s, ends in KEEPALIVES.items() if ends]:
        proc = subprocess.Popen([*argv, "-c", script], start_new_session=True)
        time.sleep(0.3)
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        assert time.monotonic() - started < 2, script

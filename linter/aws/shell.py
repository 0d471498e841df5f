"""Does a container start a shell as PID 1? Shared by FG301, FG805 and the Dockerfile checks."""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass

from fglint.model import Container
from fglint.nodes import ListNode, Node, as_str

SHELLS = {"sh", "bash", "ash", "dash", "zsh", "ksh"}
INITS = {"tini", "dumb-init", "tini-static", "s6-svscan", "catatonit"}
_SEPARATORS = re.compile(r"\s*(?:;|&&|\|\||\n|&(?!&))\s*")


@dataclass(frozen=True)
class ShellStart:
    at: Node  # the argument that names the shell
    shell: str
    script: str


def _argv(container: Container) -> list[tuple[str, Node]] | None:
    """entryPoint + command as (text, node) pairs; None when any part is unknown."""
    argv: list[tuple[str, Node]] = []
    for key in ("entryPoint", "command"):
        value = container.node.get(key)
        if value is None:
            continue
        if not isinstance(value, ListNode):
            return None
        for item in value.items:
            text = as_str(item)
            if text is None:
                return None
            argv.append((text, item))
    return argv


def last_command_execs(script: str) -> bool:
    commands = [c for c in _SEPARATORS.split(script.strip()) if c.strip()]
    if not commands:
        return True
    last = commands[-1].strip()
    return last.startswith("exec ") or last == "exec"


def shell_start(container: Container) -> ShellStart | None:
    """The shell that becomes PID 1 and its script, or None when PID 1 is not a `-c` shell."""
    return argv_shell_start(_argv(container) or [])


def argv_shell_start(argv: Sequence[tuple[str, Node]]) -> ShellStart | None:
    """`shell_start` for an argv of (text, node) pairs (a Dockerfile's exec-form ENTRYPOINT)."""
    if not argv:
        return None
    first, node = argv[0]
    words = first.split() if " " in first.strip() else [first]
    try:
        words = shlex.split(first) if len(words) > 1 else words
    except ValueError:
        return None
    args = words[1:] + [text for text, _ in argv[1:]]
    program = words[0].rsplit("/", 1)[-1] if words else ""
    if program == "env" and args:
        program, args = args[0].rsplit("/", 1)[-1], args[1:]
    if program not in SHELLS:
        return None
    for index, arg in enumerate(args):
        if re.fullmatch(r"-[a-z]*c[a-z]*", arg) and index + 1 < len(args):
            return ShellStart(node, program, args[index + 1])
        if not arg.startswith("-"):
            return None
    return None


def init_enabled(container: Container) -> bool | None:
    params = container.node.obj("linuxParameters")
    if params is None or "initProcessEnabled" not in params:
        return False
    return params.bool("initProcessEnabled")


def swallows_sigterm(container: Container) -> ShellStart | None:
    """A `sh -c` PID 1 whose script does not exec its last command, with no init process."""
    start = shell_start(container)
    if start is None or last_command_execs(start.script):
        return None
    if init_enabled(container) is not False:
        return None
    return start

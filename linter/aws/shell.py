"""Does a container start a shell that stays PID 1? Shared by FG301, FG302 and FG805.

Measured with bash 5.2.15, Debian's dash 0.5.12-2 and BusyBox 1.35.0 ash: which process is PID
of `SHELL -c SCRIPT` once the script reaches its last command (the table is in FG301's docs):

- Debian's (and so Ubuntu's) dash never execs: Debian patch 0004 (2011) turns off the `-c`
  exec optimisation upstream dash has had since 0.5.7. Only an explicit `exec` replaces it.
- BusyBox ash (Alpine's `/bin/sh`) runs `-c` with EV_EXIT: the last command is exec'd, even with
  a redirection or inside `( )`, `{ }`, `if`; not a pipeline, a background job, a loop, or when a
  trap is set.
- bash execs a lone simple command without redirections (all versions), the right-hand side of
  a final `&&`/`||` (4.4 and later) and the last command of a `;` list (5.1 and later); never
  with a trap set, a redirection, a pipeline, a compound command, `!` or `time`.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass

from fglint.aws.images import parse_image
from fglint.model import Container
from fglint.nodes import ListNode, Node, Span, as_str

SHELLS = {"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"}
INITS = {"tini", "dumb-init", "tini-static", "s6-svscan", "catatonit"}
# Builtins that do not start the application: when one is last, the application ran before it
# as a child of the shell (`java -jar app.jar || echo failed`).
_BUILTINS = {
    "echo", "printf", "true", "false", ":", "exit", "wait", "return", "cd", "export", "set",
    "unset", "read", "shift", "test", "[", "trap", "ulimit", "umask",
}  # fmt: skip
_UNKNOWN_LAST = {".", "source", "eval", "time", "command", "builtin"}
_OPENERS = {"if": "fi", "while": "done", "until": "done", "for": "done", "case": "esac",
            "select": "done", "{": "}"}  # fmt: skip
_LOOPS = {"while", "until", "for", "select"}
_DASH = "Debian's dash never execs the command itself"
_NOWHERE = Span("", 0, 0, 0, 0)

# What /bin/sh is, by image family (name of the repository's last component).
_DASH_FAMILIES = {
    "debian", "ubuntu", "python", "node", "ruby", "golang", "openjdk", "eclipse-temurin", "php",
    "nginx", "httpd", "tomcat", "maven", "gradle", "perl", "rust", "buildpack-deps", "postgres",
    "redis", "mongo", "rabbitmq", "elixir", "erlang", "haproxy", "wordpress", "jenkins",
    "sapmachine", "ibm-semeru-runtimes", "pypy", "julia", "r-base", "swift", "clojure", "sbt",
    "gcc", "django", "jetty", "memcached",
}  # fmt: skip
_BUSYBOX_FAMILIES = {"alpine", "busybox", "traefik", "caddy"}
_BASH_FAMILIES = {
    "amazonlinux", "amazoncorretto", "centos", "fedora", "rockylinux", "almalinux",
    "oraclelinux", "ubi", "ubi-minimal", "ubi-micro", "ubi8", "ubi9", "ubi10", "mysql",
}  # fmt: skip
_DEBIAN_TAGS = re.compile(r"slim|bookworm|bullseye|buster|stretch|trixie|jammy|focal|noble|bionic")
_OLD_BASH = re.compile(r"^(?:amazonlinux:2(?:\.|-|$)|centos:7|oraclelinux:7)")


@dataclass(frozen=True)
class ShellStart:
    at: Node  # the argument that names the shell
    shell: str  # as named: sh, bash, ash...
    script: str


@dataclass(frozen=True)
class Pid1Shell:
    """A `-c` shell that stays PID 1. `sure` is False when that holds only where `/bin/sh` is
    dash (an `sh -c` on an image whose `/bin/sh` is unknown)."""

    start: ShellStart
    sure: bool
    why: str  # why it stays, for the message

    @property
    def stays(self) -> str:
        """`sh -c` as PID 1 ..., for a message: why the shell stays PID 1, or where it does."""
        if self.sure:
            return f"and it stays PID 1 because {self.why}"
        return (
            "without `exec`, which stays PID 1 where /bin/sh is dash "
            "(Debian- and Ubuntu-based images)"
        )


def _program(word: str) -> str:
    return word.rsplit("/", 1)[-1]


def argv_shell_start(argv: Sequence[tuple[str, Node]]) -> ShellStart | None:
    """The `-c` shell an argv of (text, node) pairs starts, and its script; None otherwise."""
    if not argv:
        return None
    first, node = argv[0]
    words = first.split() or [""]
    args = words[1:] + [text for text, _ in argv[1:]]
    program = _program(words[0])
    while program in ("env", "busybox") and args:
        program, args = ("ash" if program == "busybox" else _program(args[0])), args[1:]
    if program not in SHELLS:
        return None
    for index, arg in enumerate(args):
        if re.fullmatch(r"-[a-z]*c[a-z]*", arg) and index + 1 < len(args):
            return ShellStart(node, program, args[index + 1])
        if not arg.startswith("-"):
            return None
    return None


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


def shell_start(container: Container) -> ShellStart | None:
    """The `-c` shell that the container starts as PID 1, or None."""
    return argv_shell_start(_argv(container) or [])


def image_sh(image: str | None) -> str | None:
    """What `/bin/sh` is on an image, from its name and tag: "dash", "busybox", "bash" (5.1 or
    later), "bash4.2", "bash4.4", "none" (distroless), or None when unknown."""
    ref = parse_image(image) if image else None
    if ref is None:
        return None
    path = ref.repository.lower()
    name, tag = path.rsplit("/", 1)[-1], (ref.tag or "").lower()
    if "distroless" in path:
        return "busybox" if "debug" in tag else "none"
    if "alpine" in tag or "alpine" in name or name in _BUSYBOX_FAMILIES:
        return "busybox"
    if "dotnet" in path and re.search(r"mariner|azurelinux", tag):
        return "bash"
    if "dotnet" in path:
        return "dash"
    if _DEBIAN_TAGS.search(tag) or name in _DASH_FAMILIES or re.search(r"debian|ubuntu", path):
        return "dash"
    if name in _BASH_FAMILIES or path.startswith("ubi"):
        return _bash_of(name, tag, path)
    return None


def _bash_of(name: str, tag: str, path: str) -> str:
    if _OLD_BASH.match(f"{name}:{tag}") or (name == "amazoncorretto" and "al2023" not in tag):
        return "bash4.2"  # Amazon Linux 2 (amazoncorretto's default variant), CentOS 7
    major = re.match(r"\d+", tag)
    el8 = "ubi8" in path or (name in ("rockylinux", "almalinux", "oraclelinux", "centos")
                             and major is not None and major.group() == "8")  # fmt: skip
    return "bash4.4" if el8 else "bash"


# -- the script --------------------------------------------------------------------------------


@dataclass
class _Command:
    words: list[str]
    redirect: bool = False
    compound: str = ""  # the opening keyword or bracket of a compound command


@dataclass
class _Item:
    """A pipeline and the operator that ends it (`;`, `&`, `&&`, `||`, newline or "")."""

    commands: list[_Command]
    end: str = ""


_TOKEN = re.compile(
    r"""(?P<space>[ \t]+|\\\n)
    |(?P<comment>\#[^\n]*)
    |(?P<redir>\d*(?:>>|>&|<&|&>>?|<>|>\||>|<(?!<)))
    |(?P<op>&&|\|\||;;|\|&|[;&|()\n])
    |(?P<heredoc><<)
    |(?P<word>(?:[^\s;&|()<>'"`\\$]|\\.|'[^']*'|"(?:[^"\\]|\\.)*"|`[^`]*`
        |\$\((?:[^()]|\([^()]*\))*\)|\$\{[^}]*\}|\$)+)""",
    re.VERBOSE | re.DOTALL,
)


def _tokens(script: str) -> list[tuple[str, str]] | None:
    """(kind, text) tokens of a script; None for what this reader does not follow (here-docs,
    unbalanced quotes)."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(script):
        match = _TOKEN.match(script, pos)
        if match is None or match.lastgroup == "heredoc":
            return None
        pos = match.end()
        kind = match.lastgroup or ""
        if kind not in ("space", "comment"):
            tokens.append((kind, match.group()))
    return tokens


def _lines(script: str) -> list[list[_Item]] | None:
    """The script's top-level lines, each a list of pipelines with their end operators."""
    tokens = _tokens(script)
    if tokens is None:
        return None
    lines: list[list[_Item]] = [[]]
    item, command, depth = _Item([]), _Command([]), 0
    closers: list[str] = []
    target = False
    for kind, text in tokens:
        at_start = not command.words and not command.compound
        if depth or closers:
            command.words.append(text)
            if kind == "op" and text in "()":
                depth += 1 if text == "(" else -1
            elif kind == "word" and closers and text == closers[-1]:
                closers.pop()
            elif kind == "word" and text in _OPENERS and _word_starts(command.words):
                closers.append(_OPENERS[text])
            continue
        if kind == "op" and text == "(" and at_start:
            command.compound, depth = "(", 1
        elif (kind == "op" and text == "(") or (kind == "op" and text in (")", ";;")):
            return None  # a function definition or stray bracket: not followed
        elif kind == "word" and at_start and text in _OPENERS:
            command.compound = text
            closers.append(_OPENERS[text])
        elif kind == "redir":
            command.redirect = target = True
        elif kind == "op" and text in ("|", "|&"):
            item.commands.append(command)
            command = _Command([])
        elif kind == "op":
            item.commands.append(command)
            item.end = text
            lines[-1].append(item)
            if text == "\n":
                lines.append([])
            item, command = _Item([]), _Command([])
        elif target:
            target = False  # the file a redirection names
        else:
            command.words.append(text)
    if depth or closers:
        return None
    if command.words or command.compound or item.commands:
        item.commands.append(command)
        lines[-1].append(item)
    items = [[i for i in line if any(c.words or c.compound for c in i.commands)] for line in lines]
    return [line for line in items if line]


def _word_starts(words: list[str]) -> bool:
    """True when the last word of a compound's body is at a command's start."""
    return len(words) < 2 or words[-2] in (";", "\n", "&&", "||", "|", "&", "(", "{", "then",
                                           "do", "else", "elif", "!")  # fmt: skip


def stays(script: str, sh: str, bin_sh: str | None = None, depth: int = 0) -> str | None:
    """Why a `-c` shell of kind `sh` ("dash", "busybox", "bash", "bash4.2", "bash4.4", "other")
    stays PID 1 running `script`; "" when it execs the application; None when unknown. When
    the command it execs is another `-c` shell, that shell's verdict (`bin_sh`: the kind of
    the image's /bin/sh, by default `sh`)."""
    lines = _lines(script)
    why = _stays(lines, sh)
    inner = _inner_shell(lines[-1][-1].commands[-1].words) if why == "" and lines else None
    if inner is None or depth > 3:
        return why
    program, inner_script = inner
    bin_sh = bin_sh or sh
    inner_why = stays(inner_script, shell_kind(program, bin_sh) or "other", bin_sh, depth + 1)
    return f"it execs `{program} -c` and {inner_why}" if inner_why else inner_why


def _inner_shell(words: list[str]) -> tuple[str, str] | None:
    """(program, script) when `words` run a `-c` shell (`/bin/sh -c "..."`, `exec bash -c`)."""
    words = words[1:] if words[:1] == ["exec"] else words
    try:
        argv = shlex.split(" ".join(words))
    except ValueError:
        return None
    if len(argv) < 3 or _program(argv[0]) not in SHELLS:
        return None
    start = argv_shell_start([(word, Node(_NOWHERE)) for word in argv])
    return (start.shell, start.script) if start else None


def _stays(lines: list[list[_Item]] | None, sh: str) -> str | None:
    if lines is None:
        return None
    if not lines:
        return ""
    line = lines[-1]
    last = line[-1]
    command = last.commands[-1]
    first = command.words[0] if command.words else ""
    if not command.compound and first == "exec":
        return "" if len(command.words) > 1 else None
    if last.end == "&":
        return "the last command runs in the background"
    if len(last.commands) > 1:
        return "the commands of a pipeline run as its children"
    if any("kill" in " ".join(c.words) for c in _traps(lines)):
        return None  # a trap that kills: the script forwards the signal itself
    if first in _BUILTINS and not command.compound:
        if not _runs_a_program(lines):
            return ""  # only builtins: nothing else runs, nothing to forward a signal to
        return f"the last command, `{first}`, is a builtin, so the application ran as a child"
    if not command.compound and (first in _UNKNOWN_LAST or _assignments_only(command.words)):
        return None
    if first == "!" and not command.compound:
        return "the shell waits to negate the command's status"
    if _traps(lines):
        return "it sets a trap, so it waits for the command instead of exec'ing it"
    if sh == "dash":
        return _DASH
    if sh == "busybox":
        return "a loop runs in the shell" if command.compound in _LOOPS else ""
    if sh.startswith("bash"):
        return _bash_stays(line, command, sh)
    return None


def _runs_a_program(lines: list[list[_Item]]) -> bool:
    commands = [c for line in lines for item in line for c in item.commands]
    return any(c.compound or (c.words and c.words[0] not in _BUILTINS) for c in commands)


def _assignments_only(words: list[str]) -> bool:
    return bool(words) and all(re.match(r"[A-Za-z_]\w*=", word) for word in words)


def _traps(lines: list[list[_Item]]) -> list[_Command]:
    return [c for line in lines for i in line for c in i.commands if c.words[:1] == ["trap"]]


def _bash_stays(line: list[_Item], command: _Command, version: str) -> str:
    if command.compound:
        return "bash does not exec a command inside a compound command"
    if command.redirect:
        return "bash does not exec a command that has a redirection"
    if command.words and command.words[0] in ("!", "time"):
        return "bash does not exec a negated or timed command"
    if len(line) == 1:
        return ""
    ends = [item.end for item in line[:-1]]
    if "&" in ends[-1:]:
        return "bash does not exec a command that follows a background job"
    tail = ends[-1]
    if tail == ";":
        semi_tail = "bash before 5.1 does not exec the last command of a `;` list"
        return semi_tail if version != "bash" else ""
    if any(end in (";", "&") for end in ends):
        return "bash does not exec the end of an `&&`/`||` chain that follows a `;`"
    return (
        "bash before 4.4 does not exec the end of an `&&`/`||` chain"
        if version == "bash4.2"
        else ""
    )


def shell_kind(program: str, image_sh: str | None) -> str | None:
    """Which shell runs: "dash", "busybox", a bash level, "other", or None for an `sh` whose
    image is not known."""
    if program == "sh":
        return image_sh if image_sh != "none" else "other"
    if program == "bash":
        return image_sh if image_sh and image_sh.startswith("bash") else "bash"
    return {"dash": "dash", "ash": "busybox"}.get(program, "other")


def pid1_shell(start: ShellStart, image: str | None) -> Pid1Shell | None:
    """The shell `start` runs, when it stays PID 1 on `image`; None when it execs or is unknown."""
    bin_sh = image_sh(image)
    kind = shell_kind(start.shell, bin_sh)
    if kind is not None:
        why = stays(start.script, kind, bin_sh)
        if why == _DASH and start.shell == "sh":
            why = f"/bin/sh on `{image}` is Debian's dash, which never execs the command itself"
        return Pid1Shell(start, True, why) if why else None
    verdicts = {sh: stays(start.script, sh) for sh in ("dash", "busybox", "bash")}
    if all(verdicts.values()):
        return Pid1Shell(start, True, verdicts["busybox"] or "")
    dash = verdicts["dash"]
    return Pid1Shell(start, False, dash) if dash else None


def init_enabled(container: Container) -> bool | None:
    params = container.node.obj("linuxParameters")
    if params is None or "initProcessEnabled" not in params:
        return False
    return params.bool("initProcessEnabled")


def swallows_sigterm(container: Container) -> Pid1Shell | None:
    """A `-c` shell that stays PID 1 in this container, with no init process to forward
    signals."""
    start = shell_start(container)
    if start is None or init_enabled(container) is not False:
        return None
    return pid1_shell(start, container.node.str("image"))

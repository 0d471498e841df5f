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

from fglint.aws.facts import SHELLS as SHELLS
from fglint.aws.images import parse_image
from fglint.model import Container, EntryScript
from fglint.nodes import ListNode, Node, Span, as_str

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
    compound: str = ""  # the opening keyword or bracket of a compound command; "function"
    start: int = -1  # where it is in the script: its first token's start, its last token's end
    end: int = -1


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
    |(?P<heredoc><<<?-?)
    |(?P<word>(?:[^\s;&|()<>'"`\\$]|\\.|'[^']*'|"(?:[^"\\]|\\.)*"|`[^`]*`
        |\$\((?:[^()]|\([^()]*\))*\)|\$\{[^}]*\}|\$[#?!@*$-]|\$)+)""",
    re.VERBOSE | re.DOTALL,
)
Token = tuple[str, str, int, int]  # kind, text, start, end


def _tokens(script: str, full: bool = False) -> list[Token] | None:
    """The tokens of a script; None for what this reader does not follow (unbalanced quotes;
    here-documents unless `full`, where their bodies are skipped as data)."""
    tokens: list[Token] = []
    pending: list[tuple[str, bool]] = []  # here-documents whose bodies start at the next line
    pos = 0
    while pos < len(script):
        match = _TOKEN.match(script, pos)
        if match is None or (match.lastgroup == "heredoc" and not full):
            return None
        kind, text, pos = match.lastgroup or "", match.group(), match.end()
        if kind == "heredoc":
            while script[pos : pos + 1] in (" ", "\t"):
                pos += 1
            word = _TOKEN.match(script, pos)
            if word is None or word.lastgroup != "word":
                return None
            tokens += [("redir", text, *match.span()), ("word", word.group(), *word.span())]
            pos = word.end()
            if not text.startswith("<<<"):
                pending.append((re.sub(r"[\\'\"]", "", word.group()), text.endswith("-")))
            continue
        if kind not in ("space", "comment"):
            tokens.append((kind, text, match.start(), pos))
        if text == "\n" and pending:
            pos = _after_heredocs(script, pos, pending)
            if pos < 0:
                return None
            pending = []
    return None if pending else tokens


def _after_heredocs(script: str, pos: int, pending: list[tuple[str, bool]]) -> int:
    """Where the script goes on after the bodies of `pending` here-documents; -1 when one
    never ends."""
    for delimiter, tabs in pending:
        while True:
            if pos >= len(script):
                return -1
            end = script.find("\n", pos)
            end = len(script) if end < 0 else end
            line, pos = script[pos:end], end + 1
            if (line.lstrip("\t") if tabs else line) == delimiter:
                break
    return pos


class _Reader:
    """Reads tokens into the script's top-level lines of pipelines. With `full` (a script
    file), function definitions and `case` patterns are followed; a `-c` string keeps the
    shapes whose behaviour was measured."""

    def __init__(self, full: bool) -> None:
        self.full = full
        self.lines: list[list[_Item]] = [[]]
        self.item, self.command = _Item([]), _Command([])
        self.depth = 0
        self.closers: list[str] = []
        self.target = False
        self.function = ""  # where a function definition is: name, parens, close, body
        self.functions: set[str] = set()

    def read(self, tokens: list[Token]) -> list[list[_Item]] | None:
        for kind, text, start, end in tokens:
            if not self.take(kind, text, start, end):
                return None
        if self.depth or self.closers or self.function:
            return None
        command, item = self.command, self.item
        if command.words or command.compound or item.commands:
            item.commands.append(command)
            self.lines[-1].append(item)
        lines = [[i for i in line if any(c.words or c.compound for c in i.commands)]
                 for line in self.lines]  # fmt: skip
        return [line for line in lines if line]

    def mark(self, start: int, end: int) -> None:
        self.command.start = start if self.command.start < 0 else self.command.start
        self.command.end = end

    def take(self, kind: str, text: str, start: int, end: int) -> bool:
        command = self.command
        if self.function:
            self.mark(start, end)
            return self.define(kind, text)
        if self.depth or self.closers:
            self.mark(start, end)
            self.inside(kind, text)
            return True
        at_start = not command.words and not command.compound
        named = len(command.words) == 1 and not command.compound and not self.target
        if kind == "op" and text == "(" and at_start:
            command.compound, self.depth = "(", 1
        elif kind == "op" and text == "(" and self.full and named:
            command.compound, self.function = "function", "close"  # name() { ...; }
            self.functions.add(command.words[0])
        elif kind == "op" and text in ("(", ")", ";;"):
            return False  # a function definition or stray bracket: not followed
        elif kind == "word" and at_start and text == "function" and self.full:
            command.compound, self.function = "function", "name"
        elif kind == "word" and at_start and text in _OPENERS:
            command.compound = text
            self.closers.append(_OPENERS[text])
        elif kind == "redir":
            command.redirect = self.target = True
        elif kind == "op":
            self.end(text)
            return True
        elif self.target:
            self.target = False  # the file a redirection names
        else:
            command.words.append(text)
        self.mark(start, end)
        return True

    def inside(self, kind: str, text: str) -> None:
        """A token of a compound command's body."""
        words, closers = self.command.words, self.closers
        words.append(text)
        if kind == "op" and text == "(":
            self.depth += 1
        elif kind == "op" and text == ")" and (self.depth or not self.full):
            self.depth -= 1  # in a file, a `)` with none open ends a `case` pattern
        elif kind == "word" and closers and text == closers[-1]:
            closers.pop()
        elif kind == "word" and text in _OPENERS and _word_starts(words):
            closers.append(_OPENERS[text])

    def define(self, kind: str, text: str) -> bool:
        """A token of `function name`, `name ( )`, then the compound command of its body."""
        state, command = self.function, self.command
        if state == "name" and kind == "word":
            self.functions.add(text)
            command.words.append(text)
            self.function = "parens"
        elif (state, kind, text) in (("parens", "op", "("), ("close", "op", ")")):
            self.function = "close" if text == "(" else "body"
        elif state in ("parens", "body") and (kind, text) == ("op", "\n"):
            pass
        elif state in ("parens", "body") and kind == "word" and text in _OPENERS:
            self.function = ""
            command.words.append(text)
            self.closers.append(_OPENERS[text])
        elif state in ("parens", "body") and (kind, text) == ("op", "("):
            self.function, self.depth = "", 1
        else:
            return False
        return True

    def end(self, operator: str) -> None:
        """An operator ends the command: `|` a pipeline's part, others the pipeline."""
        self.item.commands.append(self.command)
        self.command = _Command([])
        if operator in ("|", "|&"):
            return
        self.item.end = operator
        self.lines[-1].append(self.item)
        if operator == "\n":
            self.lines.append([])
        self.item = _Item([])


def _lines(script: str) -> list[list[_Item]] | None:
    """The top-level lines of a `-c` script, each a list of pipelines with their end operators."""
    tokens = _tokens(script)
    return None if tokens is None else _Reader(False).read(tokens)


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


# -- script files -------------------------------------------------------------------------------

SCRIPT_SHELLS = {"sh", "bash", "dash", "ash"}  # measured: none execs a file's last command
_NOT_A_PROGRAM = _BUILTINS | _UNKNOWN_LAST | {"exec", "kill", "return", "wait", "trap", "exit"}
_UNSURE = {"trap", ".", "source", "eval"}  # anywhere in a file: its end is not judged
# A last command that is a short-lived utility or a keep-alive is not the application: a batch
# script that ends with `chmod`, or `tail -f /dev/null` after starting daemons (`exec` is no fix).
_NOT_THE_APPLICATION = {
    "chmod", "chown", "chgrp", "rm", "mkdir", "cp", "mv", "touch", "ln", "sed", "awk", "cat",
    "ls", "find", "tar", "gzip", "unzip", "curl", "wget", "date", "envsubst", "jq", "yq", "tee",
    "sync", "rmdir", "install", "grep", "tail", "chpasswd", "usermod", "useradd",
}  # fmt: skip
_LITERAL = re.compile(r"""^(["']?)([\w./@+:%,=-]+)\1$""")


@dataclass(frozen=True)
class ScriptEnd:
    """The last command of an entry-point script, when the shell running the file stays PID 1
    while it runs: where it is, its first line, and why the shell stays."""

    span: Span
    text: str
    why: str


def script_end(script: EntryScript, shell: str | None = None) -> ScriptEnd | None:
    """How the script keeps its shell as PID 1 at its last command; None when the last command
    is exec'd, or when that cannot be told. bash, dash and BusyBox ash run a file's commands as
    children, the last one too: only `exec` replaces the shell (tests/test_shell_model.py).
    `shell`: the shell that runs the file (`sh script.sh`), else the one its `#!` line names."""
    text = script.file.text
    if _interpreter(text, shell) is None:
        return None
    tokens = _tokens(text, full=True)
    reader = _Reader(True)
    lines = reader.read(tokens) if tokens is not None and not _unsure(tokens) else None
    items = [item for line in lines or [] for item in line]
    last = items[-1].commands[-1] if items else None
    if len(items) > 1 and last and not last.compound and last.words[:1] == ["exit"]:
        items.pop()  # `app || exit 1`, `app; exit $?`: the application ran before it
    if not items or items[-1].end == "&":
        return None
    pipeline = items[-1].commands
    if _program_of(pipeline[-1], reader.functions, len(pipeline) > 1) is None:
        return None
    if pipeline[0].start < 0:
        return None
    why = "the shell waits for the pipeline" if len(pipeline) > 1 else "the shell waits for it"
    start, end = pipeline[0].start, pipeline[-1].end
    return ScriptEnd(_span(script, start, end), _line(text, start), why)


def _interpreter(text: str, shell: str | None) -> str | None:
    """The shell that runs a script file: `shell`, or the program of its `#!` line (through
    `env`); None when it is not one whose behaviour was measured."""
    if shell is None:
        first = text.split("\n", 1)[0]
        words = first[2:].split() if first.startswith("#!") else []
        while words and (_program(words[0]) in ("env", "busybox") or words[0].startswith("-")
                         or "=" in words[0]):  # fmt: skip
            words = words[1:]
        shell = words[0] if words else ""
    return _program(shell) if _program(shell) in SCRIPT_SHELLS else None


def _unsure(tokens: list[Token]) -> bool:
    """Does a command anywhere set a trap, source a file or eval a string?"""
    before = ""
    for kind, text, _, _ in tokens:
        if kind == "word" and text in _UNSURE and (before in ("", "op") or before in _STARTERS):
            return True
        before = kind if kind != "word" else text
    return False


_STARTERS = {"then", "do", "else", "elif", "{", "!", "if", "while", "until"}


def _program_of(command: _Command, functions: set[str], piped: bool = False) -> str | None:
    """The program a simple command runs, when it is named literally and is not a builtin, a
    function of the script, or (unless `piped`: the end of a pipeline) a utility."""
    if command.compound:
        return None
    words = [w for w in command.words if not re.match(r"[A-Za-z_]\w*=", w)]
    match = _LITERAL.match(words[0]) if words else None
    program = match.group(2) if match else None
    if program is None or program in _NOT_A_PROGRAM or program in functions:
        return None
    if not piped and (program.rsplit("/", 1)[-1] in _NOT_THE_APPLICATION or "infinity" in words):
        return None  # `sleep infinity`: a keep-alive too
    return program


def _span(script: EntryScript, start: int, end: int) -> Span:
    text = script.file.text
    line = text.count("\n", 0, start) + 1
    col = start - (text.rfind("\n", 0, start) + 1) + 1
    stop = text.find("\n", start)
    end = min(end, stop) if stop >= 0 else end
    return Span(script.file.path, line, col, line, col + max(end - start, 1))


def _line(text: str, start: int) -> str:
    """The command's first line as written, shortened for a message."""
    line = text[start:].split("\n", 1)[0].rstrip(" \t\\")
    return line if len(line) <= 80 else line[:77] + "..."


def shell_kind(program: str, image_sh: str | None) -> str | None:
    """Which shell runs: "dash", "busybox", a bash level, "other", or None for an `sh` whose
    image is not known."""
    if program == "sh":
        return image_sh if image_sh != "none" else "other"
    if program == "bash":
        return image_sh if image_sh and image_sh.startswith("bash") else "bash"
    return {"dash": "dash", "ash": "busybox"}.get(program, "other")


def pid1_shell(start: ShellStart, image: str | None) -> Pid1Shell | None:
    """The shell `start` runs, when it stays PID 1 on `image`; None when it execs or is unknown,
    or when the shell is the whole process and ends itself on SIGTERM."""
    if exits_on_sigterm(start.script):
        return None
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


def exits_on_sigterm(script: str) -> bool:
    """A keep-alive: the script starts no program but `sleep`, each one in the foreground shorter
    than ECS's default stopTimeout of 30 s (or in the background), and a trap exits on SIGTERM
    (`trap 'exit 0' TERM; while true; do sleep 1; done`). A trap runs once the command in the
    foreground returns, so the shell ends within one sleep, and has no child to signal."""
    items = [item for line in _lines(script) or [] for item in line]
    sleeps: list[str] = []  # how long each sleep in the foreground takes
    for item in items:
        heads = [head for command in item.commands for head in _heads(command.words)]
        if any(head not in _BUILTINS and head != "sleep" for head, _ in heads):
            return False
        if item.end != "&":
            sleeps += [argument for head, argument in heads if head == "sleep"]
    short = all(re.fullmatch(r"(?:[0-9]|[12][0-9])(?:\.[0-9]+)?s?", s) for s in sleeps)
    return short and _exits_on_term([c for item in items for c in item.commands])


_SEPARATORS = {";", "&&", "||", "|", "&", "do", "then", "else", "elif", "{", "!"}
_CLOSERS = {"done", "fi", "esac", "}"}


def _heads(words: list[str]) -> list[tuple[str, str]]:
    """Each simple command's program and first argument, through a compound command's words."""
    heads = []
    for index, word in enumerate(words):
        if (index == 0 or words[index - 1] in _SEPARATORS) and word not in _SEPARATORS | _CLOSERS:
            heads.append((word, words[index + 1] if index + 1 < len(words) else ""))
    return heads


def _exits_on_term(commands: list[_Command]) -> bool:
    for trap in (c for c in commands if c.words[:1] == ["trap"]):
        action = trap.words[1].strip("'\"").split() if len(trap.words) > 1 else []
        if "exit" in action[:1] and {"TERM", "SIGTERM", "15"} & set(trap.words[2:]):
            return True
    return False


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

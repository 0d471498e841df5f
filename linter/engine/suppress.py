"""Inline suppressions in comments, for every format that has comments (HCL, YAML, Dockerfile).

    # fglint: ignore[FG201]           on the finding's line, or alone on the line(s) above
    // fglint: ignore[FG201,FG601] reason text
    # fglint: file-ignore[FG109]      anywhere in the file

Only real comments count: the same text inside a string or a heredoc is data. JSON has no
comments (use `per-file-ignores`). The engine marks each directive that suppresses a finding;
FG002 then reports those that suppressed nothing or name an unknown code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from fglint.frontends.jsonpos import LineIndex
from fglint.model import Project, SourceFile
from fglint.nodes import Span

DIRECTIVE = re.compile(r"fglint:\s*(ignore|file-ignore)\[([^\]]*)\]")
CODE = re.compile(r"[^,\s]+")
UNUSED_CODE = "FG002"

Comment = tuple[int, str]  # (offset in the file, text of the comment including its marker)


@dataclass(eq=False)
class Directive:
    span: Span
    codes: dict[str, Span]  # code -> the span of the code inside the brackets
    whole_file: bool
    lines: tuple[int, ...]
    used: set[str] = field(default_factory=set)


class Suppressions:
    def __init__(self, project: Project, running: set[str], known: frozenset[str]) -> None:
        self.running = running  # the codes of this run
        self.known = known  # every rule code fglint has (FG002 reports any other)
        self.by_path: dict[str, list[Directive]] = {}
        for file in project.files:
            if "fglint:" in file.text:
                self.by_path[file.path] = list(directives(file))
            file.pack()  # its text is read again only where a finding shows its source

    def suppressed(self, code: str, span: Span) -> bool:
        hit = False
        for directive in self.by_path.get(span.path, ()):
            if code in directive.codes and (directive.whole_file or span.line in directive.lines):
                directive.used.add(code)
                hit = True
        return hit

    def all(self) -> Iterator[Directive]:
        for found in self.by_path.values():
            yield from found


def directives(file: SourceFile) -> Iterator[Directive]:
    text = file.text
    index = LineIndex(text)
    found = list(comments(file))
    comment_lines = {  # lines that hold only a comment
        index.position(offset)[0]
        for offset, comment in found
        if _alone(text, offset) and "\n" not in comment
    }
    lines = file.lines
    for offset, comment in found:
        match = DIRECTIVE.search(comment)
        if not match:
            continue
        start = offset + match.start()
        line, col = index.position(start)
        codes: dict[str, Span] = {}
        for code in CODE.finditer(match.group(2)):
            at = index.position(offset + match.start(2) + code.start())
            codes[code.group().upper()] = Span(
                file.path, at[0], at[1], at[0], at[1] + len(code.group())
            )
        covered: tuple[int, ...] = (line,)
        if _alone(text, offset):
            covered = (line, _next_code_line(line, lines, comment_lines))
        span = Span(file.path, line, col, line, col + match.end() - match.start())
        yield Directive(span, codes, match.group(1) == "file-ignore", covered)


def _alone(text: str, offset: int) -> bool:
    start = text.rfind("\n", 0, offset) + 1
    return text[start:offset].strip() == ""


def _next_code_line(line: int, lines: list[str], comment_lines: set[int]) -> int:
    """The first line after `line` that is neither blank nor only a comment."""
    number = line + 1
    while number <= len(lines) and (number in comment_lines or not lines[number - 1].strip()):
        number += 1
    return number


def comments(file: SourceFile) -> Iterator[Comment]:
    name = file.path.rsplit("/", 1)[-1]
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if file.kind == "json" or suffix == "json" or file.text.lstrip().startswith("{"):
        return iter(())
    if file.kind == "terraform" or suffix in ("tf", "tfvars", "hcl"):
        return hcl_comments(file.text)
    dockerfile = name.lower().startswith("dockerfile") or suffix == "dockerfile"
    if dockerfile or file.kind in ("dockerfile", "shell"):  # shell: an entry-point script
        return line_comments(file.text)
    return yaml_comments(file.text)


_HEREDOC = re.compile(r"<<-?([A-Za-z][\w.-]*)\r?\n")


def hcl_comments(text: str) -> Iterator[Comment]:
    """`#`, `//` and `/* */` comments of HCL, skipping strings, templates and heredocs."""
    pos, end = 0, len(text)
    while pos < end:
        char = text[pos]
        if char == '"':
            pos = _skip_string(text, pos + 1)
        elif char == "<" and (heredoc := _HEREDOC.match(text, pos)):
            closing = re.compile(rf"^[ \t]*{re.escape(heredoc.group(1))}[ \t]*\r?$", re.M)
            found = closing.search(text, heredoc.end())
            pos = found.end() if found else end
        elif char == "#" or text.startswith("//", pos):
            stop = text.find("\n", pos)
            stop = end if stop < 0 else stop
            yield pos, text[pos:stop]
            pos = stop
        elif text.startswith("/*", pos):
            stop = text.find("*/", pos + 2)
            stop = end if stop < 0 else stop + 2
            yield pos, text[pos:stop]
            pos = stop
        else:
            pos += 1


def _skip_string(text: str, pos: int) -> int:
    """The offset after the closing quote of a string that starts at `pos` (after `"`)."""
    while pos < len(text):
        char = text[pos]
        if char == "\\":
            pos += 2
        elif char == '"':
            return pos + 1
        elif char == "\n":
            return pos  # an unterminated string ends at the line's end
        elif text.startswith(("${", "%{"), pos) and not text.startswith(("$${", "%%{"), pos - 1):
            pos = _skip_template(text, pos + 2)
        else:
            pos += 1
    return pos


def _skip_template(text: str, pos: int) -> int:
    depth = 1
    while pos < len(text) and depth:
        char = text[pos]
        if char == '"':
            pos = _skip_string(text, pos + 1)
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        pos += 1
    return pos


_BLOCK_SCALAR = re.compile(r"(?:^|[\s:\-])[|>][-+0-9]*$")


def yaml_comments(text: str) -> Iterator[Comment]:
    """`#` comments of YAML, skipping quoted scalars and block scalars (`|`, `>`)."""
    offset = 0
    block_indent: int | None = None
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        indent = len(body) - len(body.lstrip(" "))
        start = offset
        offset += len(line)
        if block_indent is not None:
            if not body.strip() or indent > block_indent:
                continue
            block_indent = None
        at = _yaml_comment_start(body)
        if at is not None:
            yield start + at, body[at:]
        code = body[:at].rstrip() if at is not None else body.rstrip()
        if _BLOCK_SCALAR.search(code):
            block_indent = indent


def _yaml_comment_start(line: str) -> int | None:
    quote: str | None = None
    pos = 0
    while pos < len(line):
        char = line[pos]
        if quote:
            if quote == '"' and char == "\\":
                pos += 1
            elif char == quote:
                if quote == "'" and line.startswith("''", pos):
                    pos += 1
                else:
                    quote = None
        elif char in "\"'" and (line[:pos].rstrip()[-1:] in ("", ":", "-", "[", "{", ",")):
            quote = char
        elif char == "#" and (pos == 0 or line[pos - 1] in " \t"):
            return pos
        pos += 1
    return None


def line_comments(text: str) -> Iterator[Comment]:
    """Comments that fill a whole line (`#` first), as in a Dockerfile."""
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip()
        if stripped.startswith("#"):
            yield offset + len(line) - len(stripped), stripped.rstrip("\r\n")
        offset += len(line)

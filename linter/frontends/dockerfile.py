"""Dockerfiles: build stages, their base images, and the instructions that decide how the image
runs (ENTRYPOINT, CMD, SHELL, ENV, ARG, USER, STOPSIGNAL, HEALTHCHECK).

Parsed as BuildKit parses them: parser directives (`# escape=`), line continuations (comment and
blank lines inside one are skipped), exec (JSON) form versus shell form, heredocs (`RUN <<EOF`:
their bodies are data and skipped). Every value keeps its place: the text of a continued
instruction maps back, character by character, to the lines it came from.

A value built from a variable is unknown: `FROM node:${VERSION}` even when an ARG default would
resolve it, since `--build-arg` overrides a default. An instruction Docker rejects is FG001 at
its place; a file with an FG001 adds no image to the project (Docker builds none).
"""

from __future__ import annotations

import difflib
import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from json.decoder import scanstring  # type: ignore[attr-defined]

from fglint.frontends.jsonpos import LineIndex
from fglint.model import (
    DockerImage,
    DockerInstruction,
    DockerStage,
    Problem,
    Project,
    SourceFile,
    parse_problem,
)
from fglint.nodes import ListNode, Node, ObjectNode, ScalarNode, Span, UnknownNode

INSTRUCTIONS = [
    *("ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK"),
    *("LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"),
]
HEREDOC_INSTRUCTIONS = {"ADD", "COPY", "RUN"}
MAYBE_JSON = {"CMD", "ENTRYPOINT", "RUN", "SHELL"}
ONE_ARGUMENT = {"USER", "WORKDIR", "STOPSIGNAL", "MAINTAINER"}
SOME_ARGUMENT = {"EXPOSE", "VOLUME", "ONBUILD"}

_DIRECTIVE = re.compile(r"^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")
_HEREDOC = re.compile(r"^(\d*)<<(-?)([^<]*)$")
_STAGE_NAME = re.compile(r"^[a-z][a-z0-9_.-]*$")
_VARIABLE = re.compile(r"\$(?:\{|[A-Za-z_])")
_SPACE = " \t\v\f\r"  # Go's tokenWhitespace


def load(file: SourceFile, project: Project) -> None:
    file.kind = "dockerfile"
    image, problems = parse(file)
    project.problems.extend(problems)
    if image is not None:
        project.add(image)


def parse(file: SourceFile) -> tuple[DockerImage | None, list[Problem]]:
    """The image a Dockerfile builds, or None when Docker would reject the file."""
    parser = _Parser(file)
    parser.run()
    if parser.problems:
        return None, parser.problems
    image = DockerImage(
        ObjectNode(parser.span(0, len(file.text))),
        file,
        name=file.path,
        stages=parser.stages,
        global_args=parser.global_args,
    )
    return image, []


@dataclass
class _Text:
    """A logical line: continuation lines joined as Docker joins them, and where each piece of it
    comes from in the file."""

    text: str = ""
    starts: list[int] = field(default_factory=list)  # offset in `text` where each piece begins
    origins: list[int] = field(default_factory=list)  # offset in the file of each piece

    def add(self, piece: str, origin: int) -> None:
        if piece:
            self.starts.append(len(self.text))
            self.origins.append(origin)
            self.text += piece

    def origin(self, offset: int) -> int:
        index = max(bisect_right(self.starts, offset) - 1, 0)
        return self.origins[index] + offset - self.starts[index]

    def origin_end(self, start: int, end: int) -> int:
        return self.origin(end - 1) + 1 if end > start else self.origin(start)


@dataclass
class _Heredoc:
    name: str
    chomp: bool
    start: int  # offsets of the `<<NAME` word in the logical line
    end: int


class _Parser:
    def __init__(self, file: SourceFile) -> None:
        self.file = file
        self.text = file.text
        self.index = LineIndex(self.text)
        self.lines = _physical_lines(self.text)
        if self.text.startswith("\ufeff"):  # a byte-order mark left in the text
            self.lines[0] = (1, self.lines[0][1])
        self.cursor = 0
        self.escape = "\\"
        self.problems: list[Problem] = []
        self.stages: list[DockerStage] = []
        self.global_args: list[DockerInstruction] = []
        self.stage_name = ""  # the `AS` name of the FROM being read
        self.seen_from = False  # a FROM was read, even one Docker rejects

    # -- positions -------------------------------------------------------------------------

    def span(self, start: int, end: int) -> Span:
        line, col = self.index.position(start)
        end_line, end_col = self.index.position(end)
        return Span(self.file.path, line, col, end_line, end_col)

    def at(self, line: _Text, start: int, end: int) -> Span:
        return self.span(line.origin(start), line.origin_end(start, end))

    def error(self, where: Span, message: str) -> None:
        self.problems.append(parse_problem(where, message))

    # -- lines -----------------------------------------------------------------------------

    def run(self) -> None:
        directives: set[str] | None = set()  # None once past the parser directives
        empty = True
        while self.cursor < len(self.lines):
            start, end = self.lines[self.cursor]
            self.cursor += 1
            raw = self.text[start:end]
            if directives is not None and not self.directive(raw, start, directives):
                directives = None
            stripped = raw.lstrip()
            if stripped.startswith("#"):
                continue
            line = _Text()
            piece, more = self.trim(stripped)
            line.add(piece, start + len(raw) - len(stripped))
            while more and self.cursor < len(self.lines):
                start, end = self.lines[self.cursor]
                self.cursor += 1
                raw = self.text[start:end]
                if raw.lstrip().startswith("#") or not raw.strip():
                    continue
                piece, more = self.trim(raw)
                line.add(piece, start)
            if line.text.strip():
                self.instruction(line)
                empty = False
        if empty:
            self.error(self.span(0, 0), "The Dockerfile has no instructions: it builds no image")
        elif not self.seen_from:
            where = self.global_args[0].span if self.global_args else self.span(0, 0)
            self.error(where, "The Dockerfile has no FROM instruction: it builds no image")

    def directive(self, raw: str, start: int, seen: set[str]) -> bool:
        """Read a parser directive (`# escape=`); False once the line is not one."""
        match = _DIRECTIVE.match(raw.strip())
        if match is None or match.group(1).lower() not in ("escape", "syntax", "check"):
            return False
        key = match.group(1).lower()
        where = self.span(start, start + len(raw))
        if key in seen:
            self.error(where, f"Only one `{key}` parser directive can be used")
        seen.add(key)
        if key == "escape":
            if match.group(2) in ("\\", "`"):
                self.escape = match.group(2)
            else:
                self.error(where, f"Invalid escape token `{match.group(2)}`: use \\ or `")
        return True

    def trim(self, raw: str) -> tuple[str, bool]:
        """The line without its continuation escape, and whether the instruction continues."""
        escape = re.escape(self.escape)
        match = re.search(rf"([^{escape}]){escape}[ \t]*$|^{escape}[ \t]*$", raw)
        if match is None:
            return raw, False
        return raw[: match.start()] + (match.group(1) or ""), True

    def skip_heredocs(self, line: _Text, heredocs: list[_Heredoc]) -> None:
        for heredoc in heredocs:
            while self.cursor < len(self.lines):
                start, end = self.lines[self.cursor]
                self.cursor += 1
                body = self.text[start:end]
                if (body.lstrip("\t") if heredoc.chomp else body) == heredoc.name:
                    break
            else:
                self.error(
                    self.at(line, heredoc.start, heredoc.end),
                    f"Unterminated heredoc: no line `{heredoc.name}` ends it",
                )

    # -- instructions ----------------------------------------------------------------------

    def instruction(self, line: _Text) -> None:
        text = line.text
        start = _skip(text, 0)
        end = _word_end(text, start, quotes=False)
        keyword = text[start:end].upper()
        flags, pos = self.flags(line, _skip(text, end), keyword)
        args_end = len(text.rstrip(_SPACE))
        args_end = max(args_end, pos)
        span = self.at(line, start, max(args_end, end))
        if keyword not in INSTRUCTIONS:
            guess = difflib.get_close_matches(keyword, INSTRUCTIONS, n=1)
            hint = f" (did you mean `{guess[0]}`?)" if guess else ""
            self.error(self.at(line, start, end), f"Unknown instruction `{text[start:end]}`{hint}")
            return
        made = self.build(line, keyword, span, flags, pos, args_end)
        self.seen_from = self.seen_from or keyword == "FROM"
        if keyword in HEREDOC_INSTRUCTIONS or keyword == "ONBUILD":
            self.skip_heredocs(line, self.heredocs(line, keyword, pos, args_end))
        if made is None:
            return
        if keyword == "FROM":
            self.stage(made)
        elif self.stages:
            self.stages[-1].instructions.append(made)
        elif keyword == "ARG":
            self.global_args.append(made)
        elif not self.seen_from:
            self.error(
                self.at(line, start, end),
                f"`{keyword}` comes before the first FROM: only ARG may come before FROM",
            )

    def flags(self, line: _Text, pos: int, keyword: str) -> tuple[dict[str, Node], int]:
        """`--name=value` words after the keyword; `--` ends them."""
        text = line.text
        flags: dict[str, Node] = {}
        while text.startswith("--", pos):
            end = _word_end(text, pos)
            word = text[pos:end]
            if word == "--":
                return flags, _skip(text, end)
            name, equals, _ = word[2:].partition("=")
            value_start = pos + 3 + len(name)
            if not equals and keyword == "FROM" and name == "platform":  # `--platform linux/arm64`
                value_start = _skip(text, end)
                end = _word_end(text, value_start)
            flags[name.lower()] = self.value(line, value_start, end, substitute=True)
            pos = _skip(text, end)
        return flags, pos

    def value(self, line: _Text, start: int, end: int, substitute: bool) -> Node:
        """A word's value with its quotes removed; unknown when Docker substitutes a variable."""
        raw = line.text[start:end]
        value, variable = _unquote(raw, self.escape)
        span = self.at(line, start, end)
        if substitute and variable:
            return UnknownNode(span, raw)
        return ScalarNode(span, value)

    def build(
        self, line: _Text, keyword: str, span: Span, flags: dict[str, Node], start: int, end: int
    ) -> DockerInstruction | None:
        text = line.text[start:end]
        made = DockerInstruction(keyword, span, ScalarNode(self.at(line, start, end), text))
        made.flags = flags
        if keyword in ONE_ARGUMENT | SOME_ARGUMENT and not text:
            count = "exactly one argument" if keyword in ONE_ARGUMENT else "at least one argument"
            self.error(span, f"{keyword} requires {count}")
            return None
        if keyword in ONE_ARGUMENT:
            made.args = self.value(line, start, end, substitute=True)
        elif keyword == "ONBUILD":
            return self.onbuild(line, span, start, end)
        elif keyword == "FROM":
            return self.from_(line, made, start, end)
        elif keyword in ("ARG", "ENV", "LABEL"):
            return self.variables(line, made, start, end)
        elif keyword == "HEALTHCHECK":
            return self.healthcheck(line, made, start, end)
        elif keyword in MAYBE_JSON:
            return self.command(line, made, start, end)
        elif keyword in ("COPY", "ADD"):
            return self.copy(line, made, start, end)
        return made

    def command(
        self, line: _Text, made: DockerInstruction, start: int, end: int
    ) -> DockerInstruction | None:
        parsed = self.maybe_json(line, start, end, made.span)
        if parsed is None:
            return None
        made.args, made.exec_form = parsed
        if made.keyword == "SHELL" and not (isinstance(made.args, ListNode) and made.args.items):
            self.error(made.span, 'SHELL requires a JSON array: SHELL ["/bin/bash", "-c"]')
            return None
        return made

    def maybe_json(
        self, line: _Text, start: int, end: int, where: Span
    ) -> tuple[Node, bool] | None:
        """A JSON array of strings is the exec form; anything else is the shell form, as in
        Docker (so `CMD ['a']` runs `/bin/sh -c "['a']"`)."""
        text = line.text
        shell = (ScalarNode(self.at(line, start, end), text[start:end]), False)
        if not text.startswith("[", start):
            return shell
        try:
            value, used = json.JSONDecoder().raw_decode(text[start:end])
        except ValueError:
            return shell
        except RecursionError:  # arrays nested a thousand deep: not an array of strings
            value = [[]]
        if not isinstance(value, list):
            return shell
        if not all(isinstance(item, str) for item in value):
            self.error(where, "A JSON array (exec form) must hold only strings")
            return None
        items: list[Node] = []
        pos = start + 1
        while pos < start + used:
            char = text[pos]
            if char == '"':
                string, after = scanstring(text, pos + 1)
                items.append(ScalarNode(self.at(line, pos, after), string))
                pos = after
            else:
                pos += 1
        return ListNode(self.at(line, start, start + used), items), True

    def from_(
        self, line: _Text, made: DockerInstruction, start: int, end: int
    ) -> DockerInstruction | None:
        words = _split(line.text, start, end)
        self.stage_name = ""
        if len(words) == 3 and line.text[words[1][0] : words[1][1]].lower() == "as":
            name = line.text[words[2][0] : words[2][1]]
            if not _STAGE_NAME.match(name.lower()):
                self.error(
                    self.at(line, *words[2]),
                    f"Invalid build stage name `{name}`: it must start with a letter and hold "
                    "only letters, digits, `-`, `_` and `.`",
                )
                return None
            self.stage_name = name.lower()
        elif len(words) != 1:
            self.error(
                made.span, "FROM requires either one or three arguments: FROM image [AS name]"
            )
            return None
        made.args = self.value(line, *words[0], substitute=True)
        return made

    def variables(
        self, line: _Text, made: DockerInstruction, start: int, end: int
    ) -> DockerInstruction | None:
        """`ARG name[=default] ...`, `ENV name=value ...` or the old `ENV name value`."""
        keyword, text = made.keyword, line.text
        words = _words(text, start, end, self.escape)
        if not words:
            self.error(made.span, f"{keyword} requires at least one argument")
            return None
        if keyword != "ARG" and "=" not in text[words[0][0] : words[0][1]]:
            split = re.search(f"[{_SPACE}]+", text[start:end])
            if split is None:
                self.error(made.span, f"{keyword} must have two arguments: {keyword} name=value")
                return None
            name_end = start + split.start()
            name = ScalarNode(self.at(line, start, name_end), text[start:name_end])
            value = self.value(line, start + split.end(), end, substitute=True)
            made.variables = [(name, value)]
            return made
        for word_start, word_end in words:
            word = text[word_start:word_end]
            name_text, equals, _ = word.partition("=")
            if keyword != "ARG" and not equals:
                self.error(
                    self.at(line, word_start, word_end),
                    f"`{word}` has no `=`: write {keyword} name=value",
                )
                return None
            if equals and not name_text:
                self.error(self.at(line, word_start, word_end), f"{keyword} names cannot be blank")
                return None
            name_end = word_start + len(name_text)
            name = ScalarNode(self.at(line, word_start, name_end), name_text)
            given = self.value(line, name_end + 1, word_end, substitute=True) if equals else None
            made.variables.append((name, given))
        return made

    def healthcheck(
        self, line: _Text, made: DockerInstruction, start: int, end: int
    ) -> DockerInstruction | None:
        text = line.text
        kind_end = _word_end(text, start, quotes=False)
        kind = text[start:kind_end].upper()
        rest = _skip(text, kind_end)
        if not kind:
            self.error(made.span, "HEALTHCHECK requires at least one argument: CMD or NONE")
        elif kind == "NONE":
            if rest < end:
                self.error(made.span, "HEALTHCHECK NONE takes no arguments")
                return None
            made.args = ScalarNode(self.at(line, start, kind_end), "NONE")
            return made
        elif kind != "CMD":
            where = self.at(line, start, kind_end)
            self.error(where, f"Unknown HEALTHCHECK type `{text[start:kind_end]}` (try CMD)")
        elif rest >= end:
            self.error(made.span, "Missing command after HEALTHCHECK CMD")
        else:
            return self.command(line, made, rest, end)
        return None

    def copy(
        self, line: _Text, made: DockerInstruction, start: int, end: int
    ) -> DockerInstruction | None:
        parsed = self.maybe_json(line, start, end, made.span)
        if parsed is None:
            return None
        node, made.exec_form = parsed
        if not isinstance(node, ListNode):  # the shell form: its words, unknown with a variable
            words = _words(line.text, start, end, self.escape)
            node = ListNode(node.span, [self.value(line, *word, substitute=True) for word in words])
        if len(node) < 2:
            self.error(made.span, f"{made.keyword} requires a source and a destination")
            return None
        made.args = node
        return made

    def onbuild(self, line: _Text, span: Span, start: int, end: int) -> DockerInstruction | None:
        trigger = line.text[start : _word_end(line.text, start)].upper()
        if trigger in ("ONBUILD", "FROM", "MAINTAINER"):
            self.error(span, f"{trigger} is not allowed as an ONBUILD trigger")
            return None
        return DockerInstruction("ONBUILD", span, ScalarNode(span, line.text[start:end]))

    def heredocs(self, line: _Text, keyword: str, start: int, end: int) -> list[_Heredoc]:
        """The `<<NAME` words of a RUN, COPY or ADD (or ONBUILD of one) in shell form."""
        text = line.text
        if keyword == "ONBUILD":
            trigger_end = _word_end(text, start)
            if text[start:trigger_end].upper() not in HEREDOC_INSTRUCTIONS:
                return []
            start = _skip(text, trigger_end)
            while text.startswith("--", start):
                start = _skip(text, _word_end(text, start))
        if _json_array(text[start:end]):
            return []
        found = []
        for word_start, word_end in _words(text, start, end, "\\"):
            match = _HEREDOC.match(text[word_start:word_end])
            if match and match.group(3):
                name, _ = _unquote(match.group(3), "\\")
                if name and not any(c in _SPACE for c in name):
                    found.append(_Heredoc(name, match.group(2) == "-", word_start, word_end))
        return found

    # -- stages ----------------------------------------------------------------------------

    def stage(self, made: DockerInstruction) -> None:
        stage = DockerStage(len(self.stages), made, made.args, self.stage_name)
        text = made.args.value if isinstance(made.args, ScalarNode) else None
        if isinstance(text, str):
            stage.base = next((s for s in self.stages if s.name and s.name == text.lower()), None)
        self.stages.append(stage)


def _physical_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each line, without its line break."""
    lines, pos = [], 0
    for match in re.finditer(r"\r\n|\n|\r", text):
        lines.append((pos, match.start()))
        pos = match.end()
    if pos < len(text):
        lines.append((pos, len(text)))
    return lines


def _json_array(text: str) -> bool:
    """Does `text` start with a JSON array (Docker's test for the exec form)?"""
    if not text.startswith("["):
        return False
    try:
        value, _ = json.JSONDecoder().raw_decode(text)
    except ValueError:
        return False
    except RecursionError:  # arrays nested a thousand deep: an array all the same
        return True
    return isinstance(value, list)


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _SPACE:
        pos += 1
    return pos


def _word_end(text: str, pos: int, quotes: bool = True) -> int:
    """The end of the word at `pos`; quoted whitespace does not end it."""
    quote = ""
    while pos < len(text):
        char = text[pos]
        if quote:
            quote = "" if char == quote else quote
        elif quotes and char in "'\"":
            quote = char
        elif char in _SPACE:
            break
        pos += 1
    return pos


def _split(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Whitespace-separated words (FROM), as (start, end) offsets."""
    return [
        (start + m.start(), start + m.end()) for m in re.finditer(f"[^{_SPACE}]+", text[start:end])
    ]


def _words(text: str, start: int, end: int, escape: str) -> list[tuple[int, int]]:
    """Words as Docker splits ENV, ARG and heredoc lines: quotes and escaped characters do not
    end a word."""
    words: list[tuple[int, int]] = []
    pos = start
    while True:
        pos = _skip(text, pos)
        if pos >= end:
            return words
        word_start, quote = pos, ""
        while pos < end:
            char = text[pos]
            if char == escape and quote != "'" and pos + 1 < end:
                pos += 2
                continue
            if quote:
                quote = "" if char == quote else quote
            elif char in "'\"":
                quote = char
            elif char in _SPACE:
                break
            pos += 1
        words.append((word_start, pos))


def _unquote(raw: str, escape: str) -> tuple[str, bool]:
    """The value Docker makes of a word (quotes removed, escapes resolved) and whether it
    substitutes a variable (`$NAME`, `${NAME}` outside single quotes)."""
    out: list[str] = []
    variable, quote, pos = False, "", 0
    while pos < len(raw):
        char = raw[pos]
        if quote == "'":
            if char == "'":
                quote = ""
            else:
                out.append(char)
        elif char == escape and pos + 1 < len(raw):
            pos += 1
            out.append(raw[pos])
        elif char == '"' or (char == "'" and not quote):
            quote = "" if quote == char else char
        else:
            variable = variable or (char == "$" and bool(_VARIABLE.match(raw, pos)))
            out.append(char)
        pos += 1
    return "".join(out), variable

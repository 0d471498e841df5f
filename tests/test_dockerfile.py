"""The Dockerfile front-end: BuildKit's parsing rules (directives, continuations, heredocs, exec
versus shell form, stages, variables), exact spans, FG001 for what Docker rejects, never a crash;
and the Dockerfile rules' stage logic (FG203, FG302, FG609) and suppressions."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from fglint.engine.registry import all_rules
from fglint.frontends.dockerfile import parse
from fglint.load import frontend_for
from fglint.model import DockerImage, DockerInstruction, Problem, Project, SourceFile
from fglint.nodes import ListNode, ScalarNode, Span, UnknownNode
from fglint.rule import Context
from helpers import CORPUS, in_dir, lint


def image_of(text: str) -> DockerImage:
    image, problems = parse(SourceFile("Dockerfile", "/Dockerfile", text))
    assert problems == [], [p.message for p in problems]
    assert image is not None
    return image


def problems_of(text: str) -> list[Problem]:
    image, problems = parse(SourceFile("Dockerfile", "/Dockerfile", text))
    assert problems, "expected FG001"
    assert image is None, "a file Docker rejects adds no image"
    assert {p.code for p in problems} == {"FG001"}
    return problems


def where(span: Span) -> tuple[int, int, int, int]:
    return span.line, span.col, span.end_line, span.end_col


def final_last(image: DockerImage, keyword: str) -> DockerInstruction:
    assert image.final is not None
    found = image.final.last(keyword)
    assert found is not None
    return found


# -- file names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["Dockerfile", "dockerfile", "Dockerfile.prod", "api.Dockerfile", "worker.dockerfile"]
)
def test_dockerfile_names_are_read(name: str) -> None:
    assert frontend_for(name) == "dockerfile"


def test_a_dockerignore_next_to_a_dockerfile_is_not_linted(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile.dockerignore").write_text("node_modules\n*.log\n", encoding="utf-8")
    assert lint([tmp_path], ["FG001"]) == []


# -- lines, continuations, directives ----------------------------------------------------------


def test_continuation_skips_comment_and_blank_lines_and_keeps_spans() -> None:
    image = image_of(
        "FROM alpine:3.20\n"
        "RUN apk add curl \\\n"
        "    # a comment inside the instruction\n"
        "\n"
        "    && rm -rf /var/cache/apk/*\n"
        'CMD ["curl", \\\n'
        '     "--version"]\n'
    )
    run = final_last(image, "RUN")
    assert run.args.to_python() == "apk add curl     && rm -rf /var/cache/apk/*"
    assert where(run.span) == (2, 1, 5, 31)
    cmd = final_last(image, "CMD")
    assert cmd.exec_form
    assert isinstance(cmd.args, ListNode)
    assert [where(item.span) for item in cmd.args] == [(6, 6, 6, 12), (7, 6, 7, 17)]


def test_escape_directive_changes_the_continuation_character() -> None:
    image = image_of(
        "# escape=`\n"
        "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\n"
        "COPY app C:\\app\\\n"
        "RUN echo `\n"
        "    done\n"
    )
    copy, run = image.stages[0].instructions
    assert copy.args.to_python() == ["app", "C:\\app\\"]  # a backslash is a plain character
    assert run.args.to_python() == "echo     done"


def test_a_directive_after_a_comment_is_only_a_comment() -> None:
    image = image_of("# hello\n# escape=`\nFROM alpine:3.20\nRUN echo \\\n  done\n")
    assert final_last(image, "RUN").args.to_python() == "echo   done"


def test_crlf_and_tabs_keep_columns() -> None:
    image = image_of('FROM\talpine:3.20\r\nCMD ["sh", "-c", "exec x"]\r\n')
    assert where(image.stages[0].image.span) == (1, 6, 1, 17)
    cmd = final_last(image, "CMD")
    assert isinstance(cmd.args, ListNode)
    assert where(cmd.args.items[2].span) == (2, 18, 2, 26)


def test_a_byte_order_mark_is_not_part_of_the_first_instruction(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes("\ufeffFROM alpine\n".encode())
    with in_dir(tmp_path):
        (finding,) = lint([path], ["FG203"])
    assert where(finding.span) == (1, 6, 1, 12)
    assert image_of("\ufeffFROM alpine:3.20\n").stages[0].image.to_python() == "alpine:3.20"


# -- heredocs ----------------------------------------------------------------------------------


def test_heredoc_bodies_are_skipped() -> None:
    image = image_of(
        "FROM alpine:3.20\n"
        "RUN <<EOF\n"
        "FROM not-an-instruction\n"
        "EOF\n"
        "COPY <<-'CONF' <<BODY /etc/\n"
        "\tkey=value\n"
        "\tCONF\n"
        "COPPY is data too\n"
        "BODY\n"
        'RUN ["cat", "<<EOF"]\n'
        'CMD ["sh"]\n'
    )
    assert [i.keyword for i in image.stages[0].instructions] == ["RUN", "COPY", "RUN", "CMD"]
    assert len(image.stages) == 1


def test_a_heredoc_word_must_stand_alone() -> None:
    image = image_of('FROM alpine:3.20\nRUN echo "<<EOF" && cat<<EOF\nCMD ["sh"]\n')
    assert [i.keyword for i in image.stages[0].instructions] == ["RUN", "CMD"]


def test_unterminated_heredoc_is_fg001_at_its_marker() -> None:
    (problem,) = problems_of("FROM alpine:3.20\nRUN python3 <<'PY'\nprint(1)\n")
    assert where(problem.span) == (2, 13, 2, 19)
    assert "PY" in problem.message


# -- forms and values --------------------------------------------------------------------------


def test_exec_form_and_shell_form() -> None:
    image = image_of("FROM alpine:3.20\nENTRYPOINT [\"tini\", \"--\"]\nCMD ['node', 'server.js']\n")
    entry, cmd = image.stages[0].instructions
    assert entry.exec_form and entry.args.to_python() == ["tini", "--"]
    assert not cmd.exec_form and cmd.args.to_python() == "['node', 'server.js']"
    assert where(cmd.args.span) == (3, 5, 3, 26)


def test_a_json_array_of_non_strings_is_fg001() -> None:
    (problem,) = problems_of('FROM alpine:3.20\nCMD ["sleep", 10]\n')
    assert "only strings" in problem.message


def test_env_and_arg_values_with_quotes_and_variables() -> None:
    image = image_of(
        "ARG BASE_TAG=3.20\n"
        "FROM alpine:3.20\n"
        "ENV A=\"one two\" B='$literal' C=$HOME D=${X:-y} E=plain\\ text\n"
        "ENV LEGACY a value with spaces\n"
        "ARG NAME\n"
    )
    assert image.global_args[0].variables[0][1] is not None
    env, legacy, arg = image.stages[0].instructions
    values = {n.to_python(): v for n, v in env.variables}
    assert values["A"].to_python() == "one two"  # type: ignore[union-attr]
    assert values["B"].to_python() == "$literal"  # type: ignore[union-attr]
    assert isinstance(values["C"], UnknownNode) and isinstance(values["D"], UnknownNode)
    assert values["E"].to_python() == "plain text"  # type: ignore[union-attr]
    assert where(values["A"].span) == (3, 7, 3, 16)  # type: ignore[union-attr]
    assert [(n.to_python(), v.to_python()) for n, v in legacy.variables if v] == [
        ("LEGACY", "a value with spaces")
    ]
    assert arg.variables[0][1] is None


# -- stages ------------------------------------------------------------------------------------


def test_stages_names_references_scratch_and_arg_bases() -> None:
    image = image_of(
        "ARG VERSION=20\n"
        "FROM node:${VERSION} AS Deps\n"
        "FROM node:$VERSION AS build\n"
        "FROM deps AS test\n"
        "FROM scratch\n"
        "COPY --from=build /app /app\n"
    )
    deps, build, test, final = image.stages
    assert deps.name == "deps" and isinstance(deps.image, UnknownNode) and not deps.external
    assert isinstance(build.image, UnknownNode)
    assert test.base is deps and not test.external
    assert final is image.final and final.name == "" and not final.external
    assert final.chain() == [final]
    assert test.chain() == [test, deps]
    copy = final_last(image, "COPY")
    assert copy.flags["from"].to_python() == "build"


def test_from_platform_flag_with_or_without_equals() -> None:
    for line in ("FROM --platform=linux/arm64 alpine:3.20", "FROM --platform linux/arm64 alpine"):
        image = image_of(line + "\n")
        assert image.stages[0].start.flags["platform"].to_python() == "linux/arm64"
        assert str(image.stages[0].image.to_python()).startswith("alpine")


# -- what Docker rejects -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message", "at"),
    [
        ("FROM alpine:3.20\nCOPPY . /app\n", "did you mean `COPY`", (2, 1, 2, 6)),
        ("RUN echo hi\nFROM alpine:3.20\n", "before the first FROM", (1, 1, 1, 4)),
        ("FROM alpine:3.20 AS 1st\n", "Invalid build stage name", (1, 21, 1, 24)),
        ("FROM alpine:3.20 build\n", "one or three arguments", (1, 1, 1, 23)),
        ("FROM alpine:3.20\nENV PORT\n", "two arguments", (2, 1, 2, 9)),
        ("FROM alpine:3.20\nENV A=1 B\n", "has no `=`", (2, 9, 2, 10)),
        ("FROM alpine:3.20\nARG =x\n", "cannot be blank", (2, 5, 2, 7)),
        ("FROM alpine:3.20\nHEALTHCHECK CHECK curl x\n", "try CMD", (2, 13, 2, 18)),
        ("FROM alpine:3.20\nHEALTHCHECK NONE now\n", "no arguments", (2, 1, 2, 21)),
        ("FROM alpine:3.20\nHEALTHCHECK CMD\n", "Missing command", (2, 1, 2, 16)),
        ("FROM alpine:3.20\nSHELL /bin/bash -c\n", "JSON array", (2, 1, 2, 19)),
        ("FROM alpine:3.20\nCOPY app\n", "a source and a destination", (2, 1, 2, 9)),
        ("FROM alpine:3.20\nUSER\n", "exactly one argument", (2, 1, 2, 5)),
        ("FROM alpine:3.20\nONBUILD FROM x\n", "not allowed", (2, 1, 2, 15)),
        ("# escape=x\nFROM alpine:3.20\n", "Invalid escape token", (1, 1, 1, 11)),
        ("ARG A=1\n", "no FROM instruction", (1, 1, 1, 8)),
        ("# only a comment\n\n", "no instructions", (1, 1, 1, 1)),
    ],
)
def test_fg001_at_the_faulty_place(text: str, message: str, at: tuple[int, ...]) -> None:
    problem = problems_of(text)[0]
    assert message in problem.message
    assert where(problem.span) == at


def test_fuzzed_dockerfiles_never_crash_and_stay_inside_the_file() -> None:
    pieces = [
        "FROM alpine:3.20", "FROM", "AS x", " AS ", "RUN", "CMD", "ENTRYPOINT", "ENV", "ARG",
        "HEALTHCHECK", "SHELL", "ONBUILD", "COPY", "--from=", "\\", "`", "[", "]", '"', "'",
        "<<EOF", "<<-EOF", "EOF", "#", "# escape=`", "${X}", "$Y", "=", "a=b", "\t", " ", "\n",
        "\r\n", "\r", "\ufeff", "é", "sh -c", "exec x", "[\"a\"]", "[1]", "NONE", "\x00",
    ]  # fmt: skip
    chooser = random.Random(20240601)
    for _ in range(1500):
        text = "".join(chooser.choice(pieces) for _ in range(chooser.randint(0, 30)))
        image, problems = parse(SourceFile("Dockerfile", "/Dockerfile", text))
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        spans = [p.span for p in problems]
        if image is not None:
            spans += [i.span for i in image.instructions()] + [
                i.args.span for i in image.instructions()
            ]
        for span in spans:
            assert 1 <= span.line <= span.end_line <= len(lines) + 1, (text, span)
            assert span.col >= 1 and span.end_col >= 1, (text, span)


def test_fuzzed_instruction_lines_never_crash_the_rules() -> None:
    lines = [
        "FROM alpine:3.20", "FROM alpine AS b", "FROM b", "FROM ${B}", "RUN echo hi \\",
        "  && x", "RUN <<EOF", "EOF", "CMD sh -c 'x'", 'CMD ["sh","-c","x"]', "ENTRYPOINT x",
        'ENV A=1 B="2 3"', "ARG TOKEN=abcdef", "# c", "", "COPY --from=b /a /b",
        "ENTRYPOINT []", 'SHELL ["/bin/bash","-c"]', "HEALTHCHECK CMD true", "ONBUILD RUN <<X",
        "X", 'ENTRYPOINT ["tini"]', "CMD exec x", "ENV PASSWORD hunter2-prod",
    ]  # fmt: skip
    rules = [rule for rule in all_rules() if rule.code in ("FG203", "FG302", "FG609")]
    chooser = random.Random(7)
    built = 0
    for _ in range(2000):
        text = "\n".join(chooser.choice(lines) for _ in range(chooser.randint(1, 12)))
        image, _ = parse(SourceFile("Dockerfile", "/Dockerfile", text))
        if image is None:
            continue
        built += 1
        project = Project()
        project.add(image)
        for rule in rules:
            for violation in rule.check(Context(project)):
                assert violation.span.line <= text.count("\n") + 1, text
    assert built > 50


# -- rules -------------------------------------------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "Dockerfile") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def codes(tmp_path: Path, text: str, select: list[str]) -> list[tuple[str, int]]:
    path = write(tmp_path, text)
    with in_dir(tmp_path):
        return [(f.code, f.span.line) for f in lint([path], select)]


def test_fg302_entrypoint_resets_the_cmd_of_the_stage_below(tmp_path: Path) -> None:
    text = 'FROM debian:12 AS base\nCMD ["node app.js"]\nFROM base\nENTRYPOINT ["/bin/sh", "-c"]\n'
    assert codes(tmp_path, text, ["FG302"]) == []  # the CMD no longer applies
    same_stage = text.replace("FROM base\n", "FROM base\n" + 'CMD ["node app.js"]\n')
    assert codes(tmp_path, same_stage, ["FG302"]) == [("FG302", 5)]
    # Alpine's /bin/sh (BusyBox ash) execs a lone command: node is PID 1
    alpine = same_stage.replace("debian:12", "alpine:3.20")
    assert codes(tmp_path, alpine, ["FG302"]) == []


def test_fg302_cleared_entrypoint_windows_shell_and_unknown_final(tmp_path: Path) -> None:
    cleared = "FROM python:3.12.4\nENTRYPOINT []\nCMD python app.py\n"
    assert codes(tmp_path, cleared, ["FG302"]) == [("FG302", 3)]
    windows = (
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
        'SHELL ["powershell", "-Command"]\nCMD C:\\app.exe\n'
    )
    assert codes(tmp_path, windows, ["FG302"]) == []
    unknown = "ARG BASE=app\nFROM python:3.12.4 AS app\nCMD python app.py\nFROM ${BASE}\n"
    assert codes(tmp_path, unknown, ["FG302"]) == []
    init = 'FROM python:3.12.4\nENTRYPOINT ["/usr/bin/dumb-init", "--"]\nCMD python app.py\n'
    assert codes(tmp_path, init, ["FG302"]) == []


def test_fg302_only_the_final_stage_runs(tmp_path: Path) -> None:
    text = (
        "FROM python:3.12.4 AS build\nCMD python build.py\n"
        'FROM python:3.12.4\nCMD ["python", "app.py"]\n'
    )
    assert codes(tmp_path, text, ["FG302"]) == []


def test_fg203_skips_a_from_that_names_a_later_stage(tmp_path: Path) -> None:
    text = "FROM app AS release\nFROM python:3.12.4 AS app\n"
    assert codes(tmp_path, text, ["FG203"]) == []


def test_fg405_converts_docker_durations_to_ecs_seconds(tmp_path: Path) -> None:
    text = (
        "FROM alpine:3.20\n"
        "HEALTHCHECK --interval=1m30s --timeout=2.5s --start-period=0.5m --retries=x \\\n"
        "  CMD wget -q -O- http://localhost/\n"
    )
    path = write(tmp_path, text)
    with in_dir(tmp_path):
        (finding,) = lint([path], ["FG405"])
    assert '"interval": 90, "startPeriod": 30}' in finding.message  # 2.5 s and x have no equal
    assert where(finding.span) == (2, 1, 3, 36)


def test_suppression_comments_work_in_dockerfiles(tmp_path: Path) -> None:
    text = (
        "# fglint: ignore[FG203] the base is rebuilt nightly on purpose\n"
        "FROM alpine:latest AS tools\n"
        "FROM alpine:latest  \n"
        "# fglint: ignore[FG609]\n"
        'CMD ["sh"]\n'
    )
    found = codes(tmp_path, text, ["FG203", "FG609", "FG002"])
    assert found == [("FG203", 3), ("FG002", 4)]


def test_corpus_dockerfiles_parse(tmp_path: Path) -> None:
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not beside the repository")
    found = sorted(CORPUS.rglob("Dockerfile"))
    assert len(found) >= 30
    for path in found:
        text = path.read_bytes().decode("utf-8-sig")
        image, problems = parse(SourceFile(str(path), str(path), text))
        assert problems == [] and image is not None, path
        assert isinstance(image.stages[0].image, (ScalarNode, UnknownNode))

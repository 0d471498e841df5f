"""Entry-point scripts (FG302): which file of the tree a Dockerfile runs as PID 1 (the linker,
`fglint.scripts`), and whether the shell running that file stays PID 1 at its last command (the
shell model, `script_end`), measured against bash, dash and BusyBox where they are installed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fglint.aws.shell import script_end
from fglint.load import load
from fglint.model import DockerImage, DockerInstruction, EntryScript, SourceFile
from fglint.nodes import ScalarNode, Span

# The shell running a script FILE never execs its last command (bash 5.2.15, Debian's dash
# 0.5.12, BusyBox 1.35.0 ash): only `exec` replaces it. script: the process after 0.3 s.
MEASURED = {
    "sleep 7\n": "keep",
    "set -e\ncd /\nsleep 7\n": "keep",
    "true && sleep 7\n": "keep",
    "sleep 7 # comment\n\n# trailing comment\n": "keep",
    "A=1 sleep 7\n": "keep",
    "env A=1 sleep 7\n": "keep",
    "sleep 7 | cat\n": "keep",
    "sleep 7 || exit 1\n": "keep",
    "exec sleep 7\n": "exec",
    'set -- sleep 7\nexec "$@"\n': "exec",
    "f() {\n  exec sleep 7\n}\nf\n": "exec",
}
LIVE = {"bash": ["bash"], "dash": ["dash"], "busybox": ["busybox", "sh"]}


def entry(text: str, path: str = "entrypoint.sh") -> EntryScript:
    file = SourceFile(path, path, text, kind="shell")
    at = ScalarNode(Span("Dockerfile", 1, 1, 1, 2), "/entrypoint.sh")
    copy = DockerInstruction("COPY", Span("Dockerfile", 1, 1, 1, 2), at)
    return EntryScript(at, "/entrypoint.sh", copy, file)


@pytest.mark.parametrize("body", list(MEASURED), ids=repr)
def test_model_matches_measurement(body: str) -> None:
    end = script_end(entry("#!/bin/sh\n" + body))
    if MEASURED[body] == "exec":
        assert end is None
    else:
        assert end is not None and end.why


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("shell", list(LIVE))
def test_live_shell_keeps_a_files_last_command(shell: str, tmp_path: Path) -> None:
    """Each script runs as `SHELL FILE`; after 0.3 s the process is the shell or `sleep`."""
    argv = LIVE[shell]
    if shutil.which(argv[0]) is None:
        pytest.skip(f"{argv[0]} is not installed")
    procs = {}
    for number, body in enumerate(MEASURED):
        path = tmp_path / f"s{number}.sh"
        path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
        procs[body] = subprocess.Popen(
            [*argv, str(path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    time.sleep(0.3 + 0.2 * (os.cpu_count() == 1))
    seen = {}
    for body, proc in procs.items():
        try:
            with open(f"/proc/{proc.pid}/comm", encoding="utf-8") as comm:
                seen[body] = "exec" if comm.read().strip() == "sleep" else "keep"
        except OSError:
            seen[body] = "gone"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert seen == MEASURED


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("#!/bin/sh\njava -jar app.jar\n", 2),
        ("#!/bin/bash -e\nset -euo pipefail\ncd /app\nnode server.js\n\n# the end\n", 4),
        ("#!/usr/bin/env bash\nnode server.js | pino-pretty\n", 2),
        ("#!/bin/sh\nnode server.js\nexit $?\n", 2),
        (
            "#!/bin/sh\ncat <<EOF > /etc/app.conf\nport=$PORT\nexec nothing\nEOF\nnode server.js\n",
            6,
        ),
        (
            "#!/bin/sh\ncase $1 in\n  a) echo a ;;\n  *) echo b ;;\nesac\ngosu app node app.js\n",
            6,
        ),
        ("#!/bin/sh\nsetup() { echo setup; }\nsetup\nsupervisord -n\n", 4),
        ("#!/bin/sh\n[ $# -gt 0 ] && echo args\nuvicorn app:app\n", 3),
        ("#!/bin/sh\nnginx -g 'daemon off;' \\\n  -c /etc/nginx/nginx.conf\n", 2),
        ("#!/bin/ash\ntini -- node server.js\n", 2),
    ],
    ids=repr,
)
def test_a_last_command_that_keeps_the_shell(text: str, line: int) -> None:
    end = script_end(entry(text))
    assert end is not None and end.span.line == line, end


@pytest.mark.parametrize(
    "text",
    [
        "#!/bin/sh\nexec java -jar app.jar\n",
        '#!/bin/sh\nset -e\nexec "$@"\n',
        '#!/bin/sh\n"$@"\n',  # what runs is not known
        "#!/bin/sh\n$APP_COMMAND\n",
        "#!/bin/sh\ntrap 'kill -TERM $child' TERM\nnode server.js & child=$!\nwait $child\n",
        "#!/bin/sh\ntrap 'echo bye' EXIT\nnode server.js\n",  # a trap: not judged
        "#!/bin/sh\n. /app/env.sh\nnode server.js\n",  # a sourced file may trap or exec
        "#!/bin/sh\nsource /app/env.sh\nnode server.js\n",
        '#!/bin/sh\neval "$(setup)"\nnode server.js\n',
        '#!/bin/sh\nmain() { exec node server.js; }\nmain "$@"\n',
        "#!/bin/bash\nfunction run {\n  exec node server.js\n}\nrun\n",
        '#!/bin/sh\nif [ -n "$X" ]; then\n  node a.js\nelse\n  node b.js\nfi\n',
        "#!/bin/sh\nwhile true; do node server.js; done\n",
        '#!/bin/bash\npython3 generate.py\nchmod -R a+rwX "/out"\n',  # a batch job's last step
        "#!/bin/sh\nnginx\nphp-fpm -D\ntail -f /dev/null\n",  # a keep-alive: exec is no fix
        "#!/bin/sh\nnginx\nsleep infinity\n",
        "#!/bin/sh\nnode server.js &\n",
        "#!/bin/sh\nnode server.js & nginx\nwait -n\n",
        "#!/bin/sh\nnode server.js\nexit\n".replace("node server.js", "echo hi"),
        "#!/usr/bin/python3\nprint('hello')\n",  # not a shell
        "#!/bin/zsh\nnode server.js\n",  # a shell whose behaviour was not measured
        "node server.js\n",  # no #! line: the kernel cannot exec it
        "#!/bin/sh\necho 'unbalanced\nnode server.js\n",
        "#!/bin/sh\r\nnode server.js\r\n",  # CRLF: /bin/sh\r does not exist
        "#!/bin/sh\ncat <<EOF\nnever ends\n",
        "#!/bin/sh\n",
    ],
    ids=repr,
)
def test_silent_when_it_execs_or_cannot_be_told(text: str) -> None:
    assert script_end(entry(text)) is None


def test_the_shell_named_in_the_entry_point_wins_over_the_shebang() -> None:
    assert script_end(entry("node server.js\n"), "sh") is not None
    assert script_end(entry("#!/usr/bin/python3\nnode server.js\n"), "/bin/bash") is not None
    assert script_end(entry("#!/bin/sh\nnode server.js\n"), "zsh") is None


# -- which file the image runs --------------------------------------------------------------


def scripts(tmp_path: Path, files: dict[str, str], root: str = "") -> dict[str, str]:
    """{path in the image: the file's path under tmp_path} for the images found."""
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    project = load([str(tmp_path / root)])
    found = {}
    for image in project.of(DockerImage):
        for script in image.scripts:
            found[script.path] = Path(script.file.abspath).relative_to(tmp_path).as_posix()
    return found


SH = "#!/bin/sh\nnode server.js\n"


@pytest.mark.parametrize(
    ("dockerfile", "expected"),
    [
        ('COPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]', {"/e.sh": "e.sh"}),
        ('COPY e.sh /usr/local/bin/\nENTRYPOINT ["e.sh"]', {"/usr/local/bin/e.sh": "e.sh"}),
        ('COPY e.sh /usr/local/bin\nENTRYPOINT ["e.sh"]', {"/usr/local/bin/e.sh": "e.sh"}),
        ('WORKDIR /app\nCOPY . .\nENTRYPOINT ["./e.sh"]', {"/app/e.sh": "e.sh"}),
        ('COPY . .\nENTRYPOINT ["./e.sh"]', {"e.sh": "e.sh"}),  # the base's WORKDIR, both
        (
            'WORKDIR /app\nCOPY d/ bin/\nWORKDIR w\nENTRYPOINT ["../bin/s.sh"]',
            {"/app/bin/s.sh": "d/s.sh"},
        ),
        ('COPY *.sh /opt/\nENTRYPOINT ["/opt/e.sh"]', {"/opt/e.sh": "e.sh"}),
        ('COPY ["e.sh", "d/s.sh", "/x/"]\nCMD ["bash", "-e", "/x/s.sh"]', {"/x/s.sh": "d/s.sh"}),
        ('ENV PATH=/opt/bin:$PATH\nCOPY e.sh /opt/bin/\nCMD ["e.sh"]', {"/opt/bin/e.sh": "e.sh"}),
        ('ENV PATH="/x:${PATH}"\nCOPY d /x\nCMD ["s.sh"]', {"/x/s.sh": "d/s.sh"}),
        ('WORKDIR /app\nCOPY e.sh .\nCMD ["sh", "e.sh"]', {"/app/e.sh": "e.sh"}),
        (
            'COPY --chmod=755 e.sh /e.sh\nRUN chmod +x /e.sh\nENTRYPOINT ["/e.sh"]',
            {"/e.sh": "e.sh"},
        ),
        # not followed: another stage's file, a later writer, a variable, a URL, `sh -c`
        ('COPY e.sh /e.sh\nCOPY --from=build /out/ /\nENTRYPOINT ["/e.sh"]', {}),
        ('COPY e.sh /e.sh\nRUN echo "node b.js" > /e.sh\nENTRYPOINT ["/e.sh"]', {}),
        ('COPY e.sh /e.sh\nRUN curl -o /e.sh https://example.com/e.sh\nENTRYPOINT ["/e.sh"]', {}),
        ('COPY e.sh $DIR/\nENTRYPOINT ["/e.sh"]', {}),
        ('WORKDIR $APP\nCOPY e.sh .\nENTRYPOINT ["./e.sh"]', {}),
        ('ADD https://example.com/e.sh /e.sh\nENTRYPOINT ["/e.sh"]', {}),
        ('COPY e.sh /e.sh\nENTRYPOINT ["sh", "-c", "/e.sh"]', {}),
        ('COPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nFROM scratch\nCMD ["/e.sh"]', {}),
        ('COPY e.sh /app/\nENTRYPOINT ["/e.sh"]', {}),
    ],
    ids=repr,
)
def test_the_script_an_entry_point_names(
    tmp_path: Path, dockerfile: str, expected: dict[str, str]
) -> None:
    files = {"Dockerfile": f"FROM debian:12\n{dockerfile}\n", "e.sh": SH, "d/s.sh": SH}
    assert scripts(tmp_path, files) == expected


def test_the_context_is_the_one_folder_that_holds_every_source(tmp_path: Path) -> None:
    dockerfile = 'FROM debian:12\nCOPY docker/e.sh /e.sh\nENTRYPOINT ["/e.sh"]\n'
    files = {"docker/Dockerfile": dockerfile, "docker/e.sh": SH}
    assert scripts(tmp_path, files) == {"/e.sh": "docker/e.sh"}  # the repository root


def test_two_folders_that_could_be_the_context_leave_it_unknown(tmp_path: Path) -> None:
    dockerfile = 'FROM debian:12\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\n'
    files = {"a/b/Dockerfile": dockerfile, "a/e.sh": SH, "e.sh": SH}
    assert scripts(tmp_path, files) == {}


def test_the_dockerfiles_folder_is_the_usual_context(tmp_path: Path) -> None:
    dockerfile = 'FROM debian:12\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\n'
    files = {"app/Dockerfile": dockerfile, "app/e.sh": SH, "e.sh": SH}
    assert scripts(tmp_path, files) == {"/e.sh": "app/e.sh"}


def test_nothing_is_read_outside_the_scanned_root(tmp_path: Path) -> None:
    dockerfile = 'FROM debian:12\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\n'
    assert scripts(tmp_path, {"app/Dockerfile": dockerfile, "e.sh": SH}, root="app") == {}
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "e.sh").write_text(SH, encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "e.sh").symlink_to(outside / "e.sh")
    assert scripts(tmp_path, {"in/Dockerfile": dockerfile}, root="in") == {}

"""## What it does
Flags a container whose `entryPoint`/`command` starts a shell with `-c` (`sh -c`, `bash -c`,
`/bin/sh -c`, `env bash -c`, in either field or split across them) when that shell stays PID 1
and `linuxParameters.initProcessEnabled` is not true. Whether it stays depends on the shell, on
what `/bin/sh` is on the image, and on the script:

| `SHELL -c '...'` | bash | dash (Debian, Ubuntu) | BusyBox ash (Alpine) |
|---|---|---|---|
| `java -jar app.jar` (one simple command) | execs it | **stays** | execs it |
| `export A=1 && java -jar app.jar` | execs the last (4.4+) | **stays** | execs the last |
| `cd /app; java -jar app.jar` | execs the last (5.1+) | **stays** | execs the last |
| `java -jar app.jar > log` (redirection) | **stays** | **stays** | execs it |
| `cd /app; a && b` | **stays** | **stays** | execs the last |
| `app | tee log`, `app &`, `app || echo`, a `trap` | **stays** | **stays** | **stays** |
| `exec java -jar app.jar` | execs it | execs it | execs it |

A script that starts no program but `sleep` (each in the foreground shorter than the default
stopTimeout of 30 s) and traps SIGTERM with `exit` (`trap 'exit 0' TERM; while true; do sleep 5;
done`, a keep-alive sidecar) has no application to forward the signal to: its trap ends the
shell within one sleep, and it is not reported.

`/bin/sh` is read from the image's name and tag: Alpine and `*-alpine*` images and `busybox`
are BusyBox; Debian and Ubuntu and the official images built on them (`python`, `node`,
`eclipse-temurin`, `nginx`, `*-slim`, `*-bookworm`, ...) are dash; Amazon Linux (bash 4.2 on
AL2, 5.2 on AL2023), `amazoncorretto`, RHEL/UBI, Fedora, Rocky and Alma are bash; distroless has
no shell. Where the image is not known (a private ECR repository), `sh -c` is still reported
when the script keeps dash as PID 1, and the message says it holds where `/bin/sh` is dash.
An entry-point script named by the task definition (`"entryPoint": ["/entrypoint.sh"]`,
`["sh", "start.sh"]`) is not judged: the script is a file of the image, and nothing in a task
definition says which Dockerfile of the tree built its image (the image is a registry URI or a
variable), so any mapping would be a guess. FG302 judges the script where the Dockerfile that
copies it in is scanned. A container that another container of the task waits for to exit
(`dependsOn` with condition `COMPLETE` or `SUCCESS`) is a setup step, such as copying
certificates or running migrations: it serves nothing to drain, and is not judged.

## Why is this bad?
The shell becomes PID 1. When ECS stops the task (a deploy, a scale-in, a Spot interruption) it
sends SIGTERM to PID 1 only; a shell waiting for a child does not forward it, so the application
never starts draining and is SIGKILLed at `stopTimeout` with its in-flight requests. This was
one of the two root causes of the Fargate production guide's incident (enterprise scenario).

## Example
```json
{"name": "app", "image": "eclipse-temurin:21-jre", "command": ["sh", "-c", "java -jar app.jar"]}
```
Use instead (exec the application, or let an init process forward signals):
```json
{"name": "app", "image": "eclipse-temurin:21-jre",
 "command": ["sh", "-c", "exec java -jar app.jar"]}
```
```json
{"name": "app", "image": "eclipse-temurin:21-jre", "command": ["java", "-jar", "app.jar"],
 "linuxParameters": {"initProcessEnabled": true}}
```

## References
- Amazon ECS Developer Guide, "Amazon ECS task definition parameters for Fargate":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_linuxparameters
- The table was measured with bash 5.2.15, dash 0.5.12-2 (Debian 12) and BusyBox 1.35.0
  (`tests/test_shell_model.py` repeats it where the shells are installed)
- Debian's dash, `debian/patches/0004-SHELL-Disable-sh-c-command-sh-c-exec-command-optimiza.diff`
  (2011, Debian bugs #642706, #642835): `evalstring(minusc, 0)` instead of upstream's `EV_EXIT`
- BusyBox `shell/ash.c`, `ash_main`: `evalstring(minusc, EV_EXIT)`
  (https://git.busybox.net/busybox/tree/shell/ash.c)
- bash `builtins/evalstring.c` (`should_suppress_fork`, `optimize_fork`) and CHANGES: 4.4
  "Executing the rhs of && and || will no longer cause the shell to fork", 5.1 "Bash attempts to
  optimize the number of times it forks when executing commands in subshells and from
  `bash -c`" (https://git.savannah.gnu.org/cgit/bash.git/tree/CHANGES)
- Fargate production guide, section 5 ("Graceful shutdown: SIGTERM, stopTimeout, and draining"):
  "If your container starts the app via a shell (sh -c \"node server.js\"), the shell is PID 1 and
  may not forward the signal"; run the app as PID 1 or set `initProcessEnabled`. Its enterprise
  scenario launched a JVM via `sh -c \"java -jar app.jar\"`, and the fix execs it as PID 1.
"""

import functools
import re
import shlex
from collections.abc import Iterator

from fglint.aws.shell import swallows_sigterm
from fglint.model import Container
from fglint.nodes import Node, as_str
from fglint.rule import Context, Fix, Rule, Violation

RULE = Rule(
    code="FG301",
    name="shell-pid1",
    summary="A shell runs as PID 1 and does not forward SIGTERM",
    severity="warning",
    tags=("lifecycle", "reliability"),
    fix="safe",
)

# Not one simple command: pipes, lists, subshells, redirections, substitutions, line breaks.
COMPOUND = re.compile(r"[|;&()<>`\n\\]|\$\(")
BUILTINS = {"exec", "cd", "export", "set", "source", ".", "eval", "trap", "ulimit", "umask"}
KEYWORDS = {"if", "for", "while", "until", "case", "!", "{", "[[", "function", "time"}


def simple(script: str) -> bool:
    """One command exec can replace the shell with: no operators, no assignment in front, not a
    builtin or a keyword."""
    if COMPOUND.search(script):
        return False
    try:
        words = shlex.split(script)
    except ValueError:
        return False
    return bool(words) and "=" not in words[0] and words[0] not in BUILTINS | KEYWORDS


def script_node(container: Container, script: str) -> Node | None:
    """The argument holding the `-c` script (the last one with its text)."""
    found = None
    for key in ("entryPoint", "command"):
        for item in container.node.list(key):
            if as_str(item) == script:
                found = item
    return found


def exec_fix(ctx: Context, container: Container, script: str) -> Fix | None:
    if not simple(script):
        return None
    node = script_node(container, script)
    text = script.lstrip()
    lead = script[: len(script) - len(text)]
    return Fix.of("Prefix the command with `exec`", [ctx.edits.replace(node, f"{lead}exec {text}")])


def check(ctx: Context) -> Iterator[Violation]:
    for container in ctx.project.containers():
        if container.runs_to_completion:
            continue
        pid1 = swallows_sigterm(container)
        if pid1 is None:
            continue
        yield Violation(
            pid1.start.at,
            f"Container `{container.name}` runs `{pid1.start.shell} -c` as PID 1 {pid1.stays}: "
            "SIGTERM is not forwarded to the application, so in-flight requests die with SIGKILL "
            "at stopTimeout; `exec` the last command or set linuxParameters.initProcessEnabled",
            fix=functools.partial(exec_fix, ctx, container, pid1.start.script),
        )

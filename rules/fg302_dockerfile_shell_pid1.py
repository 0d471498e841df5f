"""## What it does
Flags a Dockerfile whose final stage starts a shell as PID 1 that does not `exec` the
application:
- `ENTRYPOINT` in shell form (`ENTRYPOINT python app.py`), or `CMD` in shell form when no
  `ENTRYPOINT` is set: Docker runs it as `/bin/sh -c "python app.py"` (or with the `SHELL` in
  force);
- an exec-form `ENTRYPOINT` or `CMD` that runs `sh -c` / `bash -c` itself
  (`ENTRYPOINT ["sh", "-c", "export X=1 && node server.js"]`);
- an exec-form `ENTRYPOINT` or `CMD` that runs an entry-point script of the scanned tree
  (`ENTRYPOINT ["./docker-entrypoint.sh"]`, `CMD ["sh", "/app/start.sh"]`) whose last command is
  not exec'd (`java -jar app.jar` instead of `exec java -jar app.jar`). The finding is at the
  argument that names the script, with the script's last command and the COPY as related
  locations.

It is silent when the shell execs the application: when the script `exec`s its last command,
when PID 1 is an init (`tini`, `dumb-init`, ...), and where the shell execs the last command on
its own (FG301's table: bash and BusyBox ash do for a lone command and the end of a list; Debian's
dash never does), and when a `-c` script starts no program but short `sleep`s and traps SIGTERM
with `exit` (`trap "exit 0" TERM; while true; do sleep 1; done`; FG301's rule): the shell is
the process, and its trap ends it. `/bin/sh` is read from the final stage's base image, through
`FROM <stage>` names: `python:3.12-slim` is dash, `node:20-alpine` is BusyBox,
`amazonlinux:2023` is bash.
ENTRYPOINT and CMD are followed through `FROM <stage>`, with Docker's rule that an ENTRYPOINT
resets a CMD inherited from the stage below. An ENTRYPOINT inherited from a base
image outside the file cannot be seen: a shell-form CMD is flagged because official images'
entry scripts `exec "$@"`, which makes the shell PID 1 all the same. An init added outside the
Dockerfile (`docker run --init`, the task definition's `initProcessEnabled`) cannot be seen
either; FG301 judges the task definition.

An entry-point script is found through the final stage's `COPY`/`ADD` (followed through
`FROM <stage>`): the path the argument names (against the final `WORKDIR`, or on `PATH` for a
bare name like `docker-entrypoint.sh`) is traced back to the last COPY that writes it, and its
source is read relative to the build context: the Dockerfile's folder, else the one folder above
it in the scanned root that holds every source the Dockerfile copies. The script's shell is the
one the entry point names (`sh start.sh`), else its `#!` line (`#!/bin/sh`, `#!/bin/bash`,
`#!/usr/bin/env bash`). bash, dash and BusyBox ash run every command of a script *file* as a
child, the last one too (measured with bash 5.2.15, dash 0.5.12 and BusyBox 1.35.0; unlike
`sh -c`, no shell execs it), so a last command without `exec` keeps the shell as PID 1. The rule
stays silent whenever that is not certain: a script that is not in the tree, copied from another
stage (`COPY --from`), rewritten by a later RUN, or named through a variable; a last command that
is `exec`, a builtin (`wait`), a function of the script, `"$@"` or a variable, a short-lived
utility (`chmod` ending a batch job's script) or a keep-alive (`tail -f /dev/null`,
`sleep infinity`, where `exec` is no fix), or a compound command (`if`, `case`, a loop); a
script that sets a `trap` (one that forwards SIGTERM is correct), sources another file or uses
`eval`; a script this reader cannot parse, with no `#!` line, or for another interpreter.

## Why is this bad?
When ECS stops a task (a deploy, a scale-in, a Spot interruption) it sends SIGTERM to PID 1 of
each container, waits `stopTimeout`, then sends SIGKILL. A shell does not forward SIGTERM to its
child: the application never starts draining and is killed with its in-flight requests, which
was one of the two root causes of the Fargate production guide's incident (enterprise scenario).

## Example
```dockerfile
FROM public.ecr.aws/docker/library/python:3.12.4-slim
ENTRYPOINT python app.py
```
Use instead:
```dockerfile
FROM public.ecr.aws/docker/library/python:3.12.4-slim
ENTRYPOINT ["python", "app.py"]
```
or keep the shell and `exec` the application:
```dockerfile
ENTRYPOINT ["sh", "-c", "export DT_HOST_ID=web-$RANDOM && exec node server.js"]
```
An entry-point script (`COPY docker-entrypoint.sh /usr/local/bin/` and
`ENTRYPOINT ["docker-entrypoint.sh"]`) that ends with:
```sh
#!/bin/sh
cd /app
java -jar app.jar
```
Use instead:
```sh
#!/bin/sh
cd /app
exec java -jar app.jar
```

## References
- Docker Docs, "Dockerfile reference": https://docs.docker.com/reference/dockerfile/#entrypoint
- FG301's references for which shell execs what (measured, with the shells' sources)
- Amazon ECS Developer Guide, "Amazon ECS task definition parameters for Fargate":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_stoptimeout
- Fargate production guide, section 5 ("Graceful shutdown: SIGTERM, stopTimeout, and draining"):
  "run the app as PID 1 directly (exec form CMD, or ENTRYPOINT [\"node\", \"server.js\"])" or set
  `initProcessEnabled`. Its enterprise scenario launched a JVM via `sh -c \"java -jar app.jar\"`,
  and the fix execs it as PID 1.
"""

import json
import re
import shlex
from collections.abc import Iterator, Sequence

from fglint.aws.shell import (
    INITS,
    SHELLS,
    Pid1Shell,
    argv_shell_start,
    image_sh,
    pid1_shell,
    script_end,
)
from fglint.model import DockerImage, DockerInstruction, DockerStage
from fglint.nodes import ListNode, Node, ScalarNode, as_str
from fglint.rule import Context, Related, Rule, Violation

RULE = Rule(
    code="FG302",
    name="dockerfile-shell-pid1",
    summary="The image starts a shell as PID 1 that does not forward SIGTERM",
    severity="warning",
    tags=("lifecycle", "reliability", "dockerfile"),
)

DEFAULT_SHELL = ["/bin/sh", "-c"]
_OPERATORS = re.compile(r"[;&|<>$`(){}*?~\\]")
_EFFECT = (
    "SIGTERM from ECS is not forwarded to the application, so in-flight requests die with "
    "SIGKILL at stopTimeout"
)


def check(ctx: Context) -> Iterator[Violation]:
    for image in ctx.project.of(DockerImage):
        if image.final is None:
            continue
        chain = image.final.chain()
        entry, cmd = _startup(chain)
        if entry is not None and isinstance(entry.args, ListNode) and not entry.args.items:
            entry = None  # `ENTRYPOINT []` clears the entrypoint
        first = entry or cmd
        if first is None:
            continue
        where, base = _where(first, chain), _base_image(chain)
        if not first.exec_form:
            yield from _shell_form(first, _shell(first, chain), where, base)
        else:
            follow = cmd if first is entry and cmd is not None and cmd.exec_form else None
            yield from _exec_form(image, first, follow, where, base)


def _base_image(chain: list[DockerStage]) -> str | None:
    """The image the final stage is built on, through `FROM <stage>`; None when unknown."""
    return as_str(chain[-1].image) if chain[-1].external else None


def _startup(chain: list[DockerStage]) -> tuple[DockerInstruction | None, DockerInstruction | None]:
    """The ENTRYPOINT and CMD in force for the first stage of `chain` (nearest first)."""
    entry = cmd = None
    entry_depth = cmd_depth = 0
    for depth, stage in enumerate(chain):
        if entry is None and (found := stage.last("ENTRYPOINT")) is not None:
            entry, entry_depth = found, depth
        if cmd is None and (found := stage.last("CMD")) is not None:
            cmd, cmd_depth = found, depth
    if entry is not None and cmd is not None and cmd_depth > entry_depth:
        cmd = None  # an ENTRYPOINT resets the CMD of the image below it
    return entry, cmd


def _where(instruction: DockerInstruction, chain: list[DockerStage]) -> str:
    """How the message names the instruction: `CMD`, or `CMD (inherited by the final stage)`."""
    if instruction in chain[0].instructions:
        return instruction.keyword
    final = f"`{chain[0].name}`" if chain[0].name else ""
    return f"{instruction.keyword} (inherited by the final stage {final})".replace(" )", ")")


def _shell(instruction: DockerInstruction, chain: list[DockerStage]) -> list[str]:
    """The SHELL in force where `instruction` is (Docker's default is `/bin/sh -c`)."""
    for depth, stage in enumerate(chain):
        if instruction not in stage.instructions:
            continue
        before = stage.instructions[: stage.instructions.index(instruction)]
        nearest = [i for i in reversed(before) if i.keyword == "SHELL"]
        nearest += [s for s in (below.last("SHELL") for below in chain[depth + 1 :]) if s]
        if nearest and isinstance(nearest[0].args, ListNode):
            return [as_str(word) or "" for word in nearest[0].args.items]
        break
    return DEFAULT_SHELL


def _shell_form(
    instruction: DockerInstruction, shell: list[str], where: str, base: str | None
) -> Iterator[Violation]:
    script = as_str(instruction.args) or ""
    keyword, under = instruction.keyword, f"under `{' '.join(shell)}`"
    if re.match(r"\[\s*['\"]", script):
        fixed = _json_with_double_quotes(script)
        yield Violation(
            instruction.args,
            f"{where} is not a valid JSON array, so it runs in shell form {under}, which looks "
            f"for a command named `{script.split()[0]}`; write a JSON array of double-quoted "
            f"strings ({keyword} {fixed or '[...]'})",
        )
        return
    start = argv_shell_start(
        [(word, instruction.args) for word in shell] + [(script, instruction.args)]
    )
    pid1 = pid1_shell(start, base) if start is not None else None
    if pid1 is None:
        return
    exec_form = _exec_form_of(script)
    advice = f"use the exec form ({keyword} {exec_form}) or " if exec_form else ""
    advice += "`exec` the command" if exec_form else "`exec` the last command"
    yield Violation(
        instruction.args,
        f"{where} in shell form runs {under}, {_stays(pid1)}: {_EFFECT}; {advice}",
    )


def _stays(pid1: Pid1Shell) -> str:
    if pid1.sure:
        return f"which stays PID 1 because {pid1.why}"
    return "which stays PID 1 where /bin/sh is dash (Debian- and Ubuntu-based images)"


def _exec_form_of(script: str) -> str | None:
    """`node server.js` as `["node", "server.js"]`, when the script is one plain command."""
    if _OPERATORS.search(script):
        return None
    try:
        return json.dumps(shlex.split(script))
    except ValueError:
        return None


def _json_with_double_quotes(text: str) -> str | None:
    """`['node', 'server.js']` as `["node", "server.js"]`, when that is what was meant."""
    try:
        value = json.loads(text.replace("'", '"'))
    except ValueError:
        return None
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return json.dumps(value)
    return None


def _exec_form(
    image: DockerImage,
    instruction: DockerInstruction,
    follow: DockerInstruction | None,
    where: str,
    base: str | None,
) -> Iterator[Violation]:
    argv = [
        (text, item)
        for source in (instruction, follow)
        if source is not None and isinstance(source.args, ListNode)
        for item in source.args.items
        if isinstance(item, ScalarNode) and (text := as_str(item)) is not None
    ]
    if not argv:
        return
    first = argv[0][0].split()
    if first and first[0].rsplit("/", 1)[-1] in INITS:
        return
    start = argv_shell_start(argv)
    if start is None:
        yield from _script(image, argv, where, base)
        return
    pid1 = pid1_shell(start, base)
    if pid1 is None:
        return
    yield Violation(
        pid1.start.at,
        f"{where} runs `{pid1.start.shell} -c` as PID 1 {pid1.stays}: {_EFFECT}; `exec` the last "
        "command of the script, or run the application directly",
    )


def _script(
    image: DockerImage, argv: Sequence[tuple[str, Node]], where: str, base: str | None
) -> Iterator[Violation]:
    """PID 1 is a script of the scanned tree (`./docker-entrypoint.sh`, `sh /entrypoint.sh`)
    whose last command runs as a child of its shell."""
    shell, at = _script_argument(argv)
    script = image.script(at) if at is not None else None
    if at is None or script is None or image_sh(base) == "none":
        return
    end = script_end(script, shell)
    if end is None:
        return
    advice = f"write `exec {end.text}`"
    if "pipeline" in end.why:
        advice = "`exec` the application, outside a pipeline"
    yield Violation(
        at,
        f"{where} runs the script {script.file.path} (`{script.path}` in the image) as PID 1 and "
        f"does not `exec` its last command, `{end.text}` (line {end.span.line}): {end.why} and "
        f"stays PID 1: {_EFFECT}; {advice}",
        related=(
            Related(end.span, "the script's last command runs as a child of the shell"),
            Related(script.copy.span, f"the script is copied to {script.path} here"),
        ),
    )


def _script_argument(argv: Sequence[tuple[str, Node]]) -> tuple[str | None, Node | None]:
    """(the shell named to run it, the argument) of a script run as PID 1: the program, or the
    file a shell runs (`sh /entrypoint.sh`)."""
    program = argv[0][0].rsplit("/", 1)[-1]
    if program not in SHELLS:
        return None, argv[0][1]
    for text, node in argv[1:]:
        if not text.startswith(("-", "+")):
            return program, node
        if "c" in text or text in ("-o", "+o", "-O", "+O"):
            break  # `sh -c`: a command string, not a file; `-o name`
    return None, None

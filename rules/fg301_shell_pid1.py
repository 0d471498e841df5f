"""## What it does
Flags a container whose `entryPoint`/`command` starts a shell with `-c` (`sh -c`, `bash -c`,
`/bin/sh -c`, in either field or split across them) when the script does not `exec` its last
command and `linuxParameters.initProcessEnabled` is not true.

## Why is this bad?
The shell becomes PID 1. When ECS stops the task (a deploy, a scale-in, a Spot interruption) it
sends SIGTERM to PID 1 only; a shell does not forward it to the application, which never starts
draining and is SIGKILLed at `stopTimeout` with its in-flight requests. This was one of the two
root causes of the guide's fintech incident. (Some shells exec a lone simple command on their own;
do not rely on it: one added `;` or redirection turns it off.)

## Example
```json
{"name": "app", "image": "app:1.4.2", "command": ["sh", "-c", "java -jar app.jar"]}
```
Use instead (exec the application, or let an init process forward signals):
```json
{"name": "app", "image": "app:1.4.2", "command": ["sh", "-c", "exec java -jar app.jar"]}
```
```json
{"name": "app", "image": "app:1.4.2", "command": ["java", "-jar", "app.jar"],
 "linuxParameters": {"initProcessEnabled": true}}
```

## References
- https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_linuxparameters
- The guide, section 5 (graceful shutdown) and the enterprise scenario
"""

from collections.abc import Iterator

from fglint.aws.shell import swallows_sigterm
from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG301",
    name="shell-pid1",
    summary="A shell runs as PID 1 and does not forward SIGTERM",
    severity="warning",
    tags=("lifecycle", "reliability"),
)


def check(ctx: Context) -> Iterator[Violation]:
    for container in ctx.project.containers():
        start = swallows_sigterm(container)
        if start is None:
            continue
        yield Violation(
            start.at,
            f"Container `{container.name}` runs `{start.shell} -c` as PID 1 without `exec`: "
            "SIGTERM is not forwarded to the application, so in-flight requests die with "
            "SIGKILL at stopTimeout; `exec` the last command or set "
            "linuxParameters.initProcessEnabled",
        )

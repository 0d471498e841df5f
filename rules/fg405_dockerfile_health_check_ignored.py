"""## What it does
Notes a `HEALTHCHECK` in the image a Dockerfile builds (its final stage, or a stage it is built
`FROM`), and spells out the task-definition `healthCheck` that does the same thing: the command
as `CMD-SHELL` (shell form) or `CMD` (exec form), and the interval, timeout, start period and
retries converted to seconds. Silent for `HEALTHCHECK NONE`, and when a task definition linted
in the same run already has a health check with that command.

## Why is this bad?
ECS does not run health checks built into an image. Its agent monitors only the `healthCheck`
of the container definition, so the Dockerfile's check gives a false sense of safety: a wedged
container stays in service, a deployment that never became healthy is not rolled back, and
`dependsOn` conditions of `HEALTHY` never hold. Docker's defaults differ from ECS's too (a 30 s
timeout in Docker, 5 s in ECS).

## Example
```dockerfile
FROM public.ecr.aws/docker/library/node:20.15.0-slim
HEALTHCHECK --interval=15s --timeout=5s CMD curl -f http://localhost:8080/healthz || exit 1
CMD ["node", "server.js"]
```
Use instead: keep the image's check for local runs if you like, and put it in the task
definition, where ECS runs it:
```json
{"name": "app", "image": "checkout:1.42.0",
 "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost:8080/healthz || exit 1"],
                 "interval": 15, "timeout": 5}}
```

## References
- Amazon ECS Developer Guide, "Determine Amazon ECS task health using container health checks":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/healthcheck.html ("Amazon ECS doesn't
  monitor Docker health checks that are embedded in a container image")
- Docker Docs, "Dockerfile reference": https://docs.docker.com/reference/dockerfile/#healthcheck
- Fargate production guide, section 1 ("Task definition: sizing and platform version"): the health
  check is declared in the task definition's container (`healthCheck` with `CMD-SHELL`), not in the
  image.
"""

import json
import re
from collections.abc import Iterator

from fglint.model import DockerImage, DockerInstruction
from fglint.nodes import ListNode, as_str, number
from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG405",
    name="dockerfile-health-check-ignored",
    summary="ECS ignores a Dockerfile HEALTHCHECK; the task definition must declare it",
    severity="note",
    tags=("health-checks", "reliability", "dockerfile"),
)

FLAGS = {"interval": "interval", "timeout": "timeout", "start-period": "startPeriod"}
_DURATION = re.compile(r"([0-9]{1,30}(?:\.[0-9]{0,30})?|\.[0-9]{1,30})(ns|us|µs|ms|s|m|h)")
_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}


def check(ctx: Context) -> Iterator[Violation]:
    declared = _task_definition_commands(ctx)
    for image in ctx.project.of(DockerImage):
        if image.final is None:
            continue
        found = [stage.last("HEALTHCHECK") for stage in image.final.chain()]
        health = next((h for h in found if h is not None), None)
        command = _command(health) if health is not None else None
        if health is None or command is None or command in declared:
            continue
        suggestion = json.dumps({"healthCheck": {"command": command, **_timing(health)}})
        yield Violation(
            health.span,
            "ECS ignores this HEALTHCHECK: it runs only the health check of the container "
            f"definition; declare it in the task definition: {suggestion[1:-1]}",
        )


def _command(health: DockerInstruction) -> list[str] | None:
    """The ECS `healthCheck.command` of the instruction; None for NONE or an unknown value."""
    if isinstance(health.args, ListNode):
        items = [as_str(item) for item in health.args]
        texts = [item for item in items if item is not None]
        return ["CMD", *texts] if len(texts) == len(items) else None
    script = as_str(health.args)
    return None if script is None or script == "NONE" else ["CMD-SHELL", script]


def _timing(health: DockerInstruction) -> dict[str, int]:
    """The flags that Docker was given, in whole seconds (retries as a count)."""
    timing: dict[str, int] = {}
    for flag, key in FLAGS.items():
        seconds = _seconds(as_str(health.flags.get(flag)) or "")
        if seconds is not None and seconds.is_integer():
            timing[key] = int(seconds)
    retries = number(as_str(health.flags.get("retries")) or "", integer=True)
    if isinstance(retries, int) and retries >= 0:
        timing["retries"] = retries
    return timing


def _seconds(text: str) -> float | None:
    """A Go duration (`30s`, `1m30s`, `500ms`) in seconds; None when it is not one."""
    parts = _DURATION.findall(text)
    if not parts or "".join(amount + unit for amount, unit in parts) != text:
        return None
    return sum(float(amount) * _SECONDS[unit] for amount, unit in parts)


def _task_definition_commands(ctx: Context) -> list[list[str]]:
    """The health-check commands of the containers linted in this run."""
    commands = []
    for container in ctx.project.containers():
        health = container.node.obj("healthCheck")
        command = health.get("command") if health is not None else None
        if isinstance(command, ListNode) and command.known:
            commands.append([str(item.to_python()) for item in command.items])
    return commands

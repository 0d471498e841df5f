"""## What it does
Checks that a container's `healthCheck.command` is not empty and starts with `CMD` (run the
arguments directly) or `CMD-SHELL` (run one string with the container's shell). A common slip
is one string holding both, such as `["CMD-SHELL curl -f http://localhost/"]`, or a whole
command line with no prefix, such as `["curl -f http://localhost/ || exit 1"]`.

A plain argument list without the prefix (`["/healthcheck"]`,
`["/bin/grpc_health_probe", "-addr=:50051"]`) is left alone: ECS runs it as with `CMD`. AWS's
own ADOT collector examples for ECS and Fargate use `["/healthcheck"]` in an image without a
shell, and HashiCorp's consul-ecs starts its application containers only once such a check
reports healthy.

## Why is this bad?
Anything else is not a command ECS can run: the check fails on every attempt, the container is
marked unhealthy after `retries`, and ECS replaces it over and over.

## Example
```json
{"name": "app", "image": "app:1.4.2",
 "healthCheck": {"command": ["curl -f http://localhost:8080/healthz || exit 1"]}}
```
Use instead:
```json
{"name": "app", "image": "app:1.4.2",
 "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost:8080/healthz || exit 1"]}}
```

## References
- Amazon ECS API Reference, HealthCheck:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html
- aws-observability/aws-otel-collector, issue 2034 (an ADOT maintainer: on ECS the health-check
  command should be `["/healthcheck"]`):
  https://github.com/aws-observability/aws-otel-collector/issues/2034
- hashicorp/terraform-aws-consul-ecs, `modules/mesh-task/main.tf` (`consul-dataplane`'s
  `["/consul/consul-ecs", "net-dial", ...]`, which every application container `dependsOn` as
  `HEALTHY`): https://github.com/hashicorp/terraform-aws-consul-ecs
"""

from collections.abc import Iterator

from fglint.nodes import ListNode, as_str
from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG403",
    name="health-check-command-invalid",
    summary="Health-check command does not start with `CMD` or `CMD-SHELL`",
    severity="error",
    tags=("health-checks",),
)


def check(ctx: Context) -> Iterator[Violation]:
    for container in ctx.project.containers():
        health = container.node.obj("healthCheck")
        command = health.get("command") if health else None
        if not isinstance(command, ListNode):
            continue
        if not command.items or all(as_str(item) == "" for item in command.items):
            yield Violation(
                command,
                f"Health-check command of container `{container.name}` is empty; start it "
                'with "CMD" or "CMD-SHELL" followed by the command',
            )
            continue
        first = as_str(command.items[0])
        if first is None or first in ("CMD", "CMD-SHELL"):
            continue
        word = first.split(maxsplit=1)[0] if first.strip() else first
        if len(first.split()) == 1 and word not in ("CMD", "CMD-SHELL"):
            continue  # an argument list: ECS runs it as with CMD
        if word in ("CMD", "CMD-SHELL"):
            rest = first.split(maxsplit=1)[-1]
            message = (
                f"Health-check command of container `{container.name}` puts `{word}` and the "
                f'command in one string, so it never runs; split it: ["{word}", "{rest}"]'
            )
        else:
            message = (
                f"Health-check command of container `{container.name}` starts with `{first}` "
                'instead of CMD or CMD-SHELL, so it never runs; prefix "CMD" (run directly) '
                'or "CMD-SHELL" (run with the shell)'
            )
        yield Violation(command.items[0], message)

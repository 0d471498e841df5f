"""## What it does
Flags a container that does not set `readonlyRootFilesystem: true`. Off by default: turn it on
with `--select FG608` (or `extend-select`).

## Why is this bad?
A writable root filesystem lets an attacker who gets code execution in the container change its
binaries and configuration, or drop tools, for as long as the task lives. Most services only
need to write to a few paths, which can be mounted volumes (or `/tmp` from a bind mount).

## Example
```json
{"name": "app", "image": "checkout:1.42.0"}
```
Use instead:
```json
{"name": "app", "image": "checkout:1.42.0", "readonlyRootFilesystem": true,
 "mountPoints": [{"sourceVolume": "tmp", "containerPath": "/tmp"}]}
```

## References
- Amazon ECS API Reference, ContainerDefinition:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html
- AWS Security Hub User Guide, "Security Hub controls for Amazon ECS":
  https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html (ECS.5)
"""

from collections.abc import Iterator

from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG608",
    name="writable-root-filesystem",
    summary="Container without `readonlyRootFilesystem: true`",
    severity="note",
    tags=("security", "hardening"),
    enabled=False,
    security_severity=4.0,
)


def check(ctx: Context) -> Iterator[Violation]:
    for container in ctx.project.containers():
        node = container.node.get("readonlyRootFilesystem")
        if node is not None and container.node.bool("readonlyRootFilesystem") is not False:
            continue
        yield Violation(
            node if node is not None else container.node,
            f"Container `{container.name}` has a writable root filesystem; set "
            '"readonlyRootFilesystem": true and mount volumes for the paths it writes',
        )

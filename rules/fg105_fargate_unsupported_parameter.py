"""## What it does
Flags a task definition parameter that Fargate rejects, naming it: on a container `privileged`,
`links`, `disableNetworking`, `dnsServers`, `dnsSearchDomains`, `extraHosts`,
`dockerSecurityOptions`, a `GPU` resource requirement, and in `linuxParameters` `devices`,
`maxSwap`, `swappiness`, `sharedMemorySize`, `tmpfs`, or a capability added other than
`SYS_PTRACE`; on the task `ipcMode`, a `pidMode` other than `task`, `placementConstraints`, a
host volume with a `sourcePath`, and a `dockerVolumeConfiguration` volume. A value that turns
nothing on (`false`, an empty list or object, `null`) is not reported; describe output often
carries such empty keys. The list lives in `schemas/fargate_rejects.json`.

## Why is this bad?
Fargate runs each task on infrastructure you do not manage: there is no host to share
namespaces, devices, DNS settings or paths with, and no privileged mode. ECS refuses to
register such a task definition for Fargate (or to run it there), so the deploy fails.

## Example
```json
{"requiresCompatibilities": ["FARGATE"], "containerDefinitions": [
  {"name": "app", "image": "app:1.4.2", "privileged": true,
   "linuxParameters": {"capabilities": {"add": ["NET_ADMIN"]}}}]}
```
Use instead:
```json
{"requiresCompatibilities": ["FARGATE"], "containerDefinitions": [
  {"name": "app", "image": "app:1.4.2",
   "linuxParameters": {"capabilities": {"add": ["SYS_PTRACE"]}}}]}
```

## References
- Amazon ECS Developer Guide, "Amazon ECS task definition differences for Fargate":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-task-parameters
- Amazon ECS API Reference, HostVolumeProperties:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HostVolumeProperties.html
- Amazon ECS Developer Guide, "Amazon ECS task definition parameters for Fargate":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#task_definition_pidmode
"""

from collections.abc import Iterator
from typing import Any

from fglint.aws.data import load
from fglint.model import Container, TaskDefinition
from fglint.nodes import ListNode, Node, ObjectNode, ScalarNode, as_str
from fglint.rule import Context, Rule, Violation, Where

RULE = Rule(
    code="FG105",
    name="fargate-unsupported-parameter",
    summary="Parameter that Fargate does not support",
    severity="error",
    tags=("fargate", "compatibility"),
)


def _active(node: Node | None) -> bool:
    """Set to something that turns a feature on (unknown values are not)."""
    if node is None or not node.known:
        return False
    if isinstance(node, ScalarNode):
        return node.value not in (None, False, "", "false", "False")
    if isinstance(node, (ListNode, ObjectNode)):
        return bool(node.items if isinstance(node, ListNode) else node.fields)
    return False


def _at(obj: ObjectNode, key: str) -> Where:
    """A scalar is reported at its value, a list or object at its key."""
    value = obj.fields[key]
    return value if isinstance(value, ScalarNode) else obj.key_span(key)


def _rejected_keys(
    obj: ObjectNode, keys: list[str], prefix: str, whose: str
) -> Iterator[Violation]:
    for key in keys:
        if _active(obj.get(key)):
            yield Violation(
                _at(obj, key),
                f"Fargate does not support `{prefix}{key}`{whose}; remove it",
            )


def _container(container: Container, rejects: dict[str, Any]) -> Iterator[Violation]:
    node, name = container.node, container.node.str("name")
    whose = f" (container `{name}`)" if name else ""
    yield from _rejected_keys(node, rejects["container"], "", whose)
    linux = node.obj("linuxParameters")
    if linux is not None:
        yield from _rejected_keys(linux, rejects["linuxParameters"], "linuxParameters.", whose)
        capabilities = linux.obj("capabilities")
        for item in capabilities.list("add") if capabilities else []:
            name = as_str(item)
            if name is not None and name.upper() not in rejects["capabilitiesAdd"]:
                yield Violation(
                    item,
                    f"Fargate can only add the SYS_PTRACE capability, not `{name}`{whose}; "
                    "remove it from `linuxParameters.capabilities.add`",
                )
    for requirement in node.objects("resourceRequirements"):
        kind = requirement.str("type")
        if kind in rejects["resourceTypes"]:
            yield Violation(
                requirement.get("type") or requirement,
                f"Fargate does not support `{kind}` resource requirements{whose}; "
                "run GPU workloads on EC2 capacity",
            )


def _task(task: TaskDefinition, rejects: dict[str, Any]) -> Iterator[Violation]:
    yield from _rejected_keys(task.node, rejects["task"], "", "")
    pid_mode = task.node.str("pidMode")
    if pid_mode and pid_mode not in rejects["pidMode"]:
        yield Violation(
            task.node.fields["pidMode"],
            f"Fargate supports only pidMode `task`, not `{pid_mode}`",
        )
    for volume in task.node.objects("volumes"):
        name = volume.str("name") or "?"
        host = volume.obj("host")
        if host is not None and _active(host.get("sourcePath")):
            yield Violation(
                host.fields["sourcePath"],
                f"Fargate does not support a host `sourcePath` (volume `{name}`); drop "
                "`sourcePath` for a task-scoped bind mount, or use EFS",
            )
        if _active(volume.get("dockerVolumeConfiguration")):
            yield Violation(
                volume.key_span("dockerVolumeConfiguration"),
                f"Fargate does not support `dockerVolumeConfiguration` (volume `{name}`); "
                "use a bind mount or EFS",
            )


def check(ctx: Context) -> Iterator[Violation]:
    rejects: dict[str, Any] = load("fargate_rejects")
    for task in ctx.project.task_definitions:
        if not task.fargate:
            continue
        yield from _task(task, rejects)
        for container in task.containers:
            yield from _container(container, rejects)

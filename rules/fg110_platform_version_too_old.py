"""## What it does
Checks the Fargate platform version a service pins (`platformVersion`) against the task
definition it runs: warns when the task uses a feature that needs a newer Linux platform version
(task cpu of 8 vCPU or more, `ephemeralStorage`, `pidMode: task`, the SYS_PTRACE capability, EFS
volumes and the ARM64 CPU architecture need 1.4.0; `stopTimeout`, `startTimeout`, `dependsOn`
and `secrets` need 1.3.0; container health checks need 1.1.0), and when the pinned version is
retired or being retired (1.3.0 and older). `LATEST` or no platform version is fine. Windows
tasks, whose platform versions are numbered separately, are skipped. Versions and features live
in `schemas/fargate_platform.json`.

## Why is this bad?
A feature the platform version lacks makes the deployment fail when ECS starts the tasks (or,
worse, the setting is silently ignored on old versions). A retired version cannot start new
tasks: scale-out and replacement of failed tasks stop working on the day AWS retires it.

## Example
```json
{"serviceName": "checkout-api", "taskDefinition": "checkout-api", "launchType": "FARGATE",
 "platformVersion": "1.3.0"}
```
with a task definition that sets `"ephemeralStorage": {"sizeInGiB": 50}`. Use instead:
```json
{"serviceName": "checkout-api", "taskDefinition": "checkout-api", "launchType": "FARGATE",
 "platformVersion": "LATEST"}
```

## References
- Amazon ECS Developer Guide, "Fargate Linux platform versions for Amazon ECS":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-linux-fargate.html
- Amazon ECS Developer Guide, "AWS Fargate Linux platform version deprecation":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-versions-retired.html
- Amazon ECS Developer Guide, "Amazon ECS task definitions for 64-bit ARM workloads":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-arm64.html
- Fargate production guide, introduction (before section 1): it runs platform version LATEST, "which
  today resolves to platform version 1.4.0". Which features need which version, and which versions
  are retired, come from AWS's pages above (it names none).
"""

import re
from collections.abc import Iterator
from typing import Any

from fglint.aws.data import load
from fglint.aws.units import cpu_units
from fglint.model import Service, TaskDefinition
from fglint.nodes import ObjectNode, as_str
from fglint.rule import Context, Related, Rule, Violation, Where

RULE = Rule(
    code="FG110",
    name="platform-version-too-old",
    summary="Pinned Fargate platform version is retired or too old for the task",
    severity="warning",
    tags=("fargate", "platform"),
)

_VERSION = re.compile(r"^[0-9]{1,9}\.[0-9]{1,9}\.[0-9]{1,9}$")
Use = tuple[str, Where]  # a feature key of fargate_platform.json, and where the task uses it


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _has(obj: ObjectNode, key: str) -> bool:
    value = obj.get(key)
    return value is not None and bool(value.to_python()) and value.known


def _task_uses(task: TaskDefinition) -> Iterator[Use]:
    node = task.node
    cpu = cpu_units(node.get("cpu"))
    if cpu is not None and cpu >= 8192:
        yield "large_cpu", node.fields["cpu"]
    if _has(node, "ephemeralStorage"):
        yield "ephemeralStorage", node.key_span("ephemeralStorage")
    if node.str("pidMode") == "task":
        yield "pidMode", node.fields["pidMode"]
    platform = node.obj("runtimePlatform")
    if platform is not None and platform.str("cpuArchitecture") == "ARM64":
        yield "ARM64", platform.fields["cpuArchitecture"]
    for volume in node.objects("volumes"):
        if _has(volume, "efsVolumeConfiguration"):
            yield "efsVolumeConfiguration", volume.key_span("efsVolumeConfiguration")


def _container_uses(task: TaskDefinition) -> Iterator[Use]:
    for container in task.containers:
        node = container.node
        linux = node.obj("linuxParameters")
        capabilities = linux.obj("capabilities") if linux else None
        for item in capabilities.list("add") if capabilities else []:
            if (as_str(item) or "").upper() in ("SYS_PTRACE", "CAP_SYS_PTRACE"):
                yield "SYS_PTRACE", item
        for key in ("stopTimeout", "startTimeout"):
            if node.int(key) is not None:
                yield key, node.fields[key]
        for key in ("dependsOn", "secrets", "healthCheck"):
            if _has(node, key):
                yield key, node.key_span(key)


def _windows(task: TaskDefinition | None) -> bool | None:
    """True for a Windows task, None when the task (or its OS) is not known."""
    if task is None:
        return None
    if task.node.get("runtimePlatform") is None:
        return False
    platform = task.node.obj("runtimePlatform")
    if platform is None:
        return None
    if platform.get("operatingSystemFamily") is None:
        return False
    family = platform.str("operatingSystemFamily")
    return None if family is None else family != "LINUX"


def _retired(service: Service, pinned: str, data: dict[str, Any]) -> str | None:
    """Why the pinned version is retired, when it is (and the task is not a Windows one)."""
    note: str | None = data["retired"].get(pinned)
    windows = _windows(service.task_definition)
    if windows or (windows is None and pinned in data["windows_versions"]):
        return None
    return note


def _too_old(service: Service, pinned: str, data: dict[str, Any]) -> tuple[str, list[Use]]:
    """What the task uses that the pinned version lacks: a message part, and where."""
    task = service.task_definition
    if task is None or _windows(task) is not False:
        return "", []
    features = data["features"]
    uses = [
        (key, where)
        for key, where in [*_task_uses(task), *_container_uses(task)]
        if _version(features[key]["version"]) > _version(pinned)
    ]
    needs = {features[key]["label"]: features[key]["version"] for key, _ in uses}
    listed = ", ".join(f"{label} ({version})" for label, version in needs.items())
    return f"is too old for what task `{task.name or '?'}` uses: {listed}", uses


def check(ctx: Context) -> Iterator[Violation]:
    data: dict[str, Any] = load("fargate_platform")
    features = data["features"]
    for service in ctx.project.of(Service):
        pinned = service.node.str("platformVersion")
        if not service.fargate or pinned is None or not _VERSION.match(pinned):
            continue
        retired = _retired(service, pinned, data)
        too_old, uses = _too_old(service, pinned, data)
        parts = ([f"is {retired}"] if retired else []) + ([too_old] if uses else [])
        if not parts:
            continue
        needed = [features[key]["version"] for key, _ in uses]
        target = max(needed + ([data["latest"]] if retired else []), key=_version)
        yield Violation(
            service.node.fields["platformVersion"],
            f"Fargate platform version {pinned} {', and '.join(parts)}; pin {target} or LATEST",
            tuple(
                Related(where, f"{features[key]['label']} needs {features[key]['version']}")
                for key, where in uses
            ),
        )

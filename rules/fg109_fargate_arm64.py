"""## What it does
Notes a Linux Fargate task that runs on X86_64: `runtimePlatform.cpuArchitecture` is `X86_64`
or unset (the default). Windows tasks, whose Fargate platform is X86_64 only, and a bare
container-definitions array (no task-level keys) are not checked.

## Why is this bad?
It is not wrong, it costs more: ARM64 (Graviton) Fargate is about 20% cheaper per vCPU-hour
than X86_64 for the same size, and usually performs as well or better for web workloads. The
only requirement is an image built for arm64 (or multi-arch). ARM64 tasks run on Fargate Spot
too, on platform version 1.4.0 or later (`LATEST`); FG806 flags a Spot service pinned older.

## Example
```json
{"requiresCompatibilities": ["FARGATE"],
 "runtimePlatform": {"cpuArchitecture": "X86_64", "operatingSystemFamily": "LINUX"},
 "containerDefinitions": [{"name": "app", "image": "app:1.4.2"}]}
```
Use instead (once the image is arm64 or multi-arch):
```json
{"requiresCompatibilities": ["FARGATE"],
 "runtimePlatform": {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
 "containerDefinitions": [{"name": "app", "image": "app:1.4.2"}]}
```

## References
- Amazon ECS Developer Guide, "Amazon ECS task definitions for 64-bit ARM workloads":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-arm64.html
- AWS, "AWS Fargate Pricing": https://aws.amazon.com/fargate/pricing/
- Amazon ECS API Reference, CapacityProviderStrategyItem:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html
- Fargate production guide, sections 1 and 8 (task definition; cost levers): ARM64 (Graviton)
  Fargate is "typically ~20% cheaper per vCPU-hour than X86_64 for the same size", at the cost
  of a multi-arch or arm64 image; "the cheapest change you can make for compatible images".
"""

from collections.abc import Iterator

from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG109",
    name="fargate-not-arm64",
    summary="Fargate task on X86_64; ARM64 (Graviton) is about 20% cheaper",
    severity="note",
    tags=("cost", "fargate"),
)

ADVICE = (
    "ARM64 (Graviton) Fargate is about 20% cheaper per vCPU-hour for the same size; "
    'set "runtimePlatform": {"cpuArchitecture": "ARM64"} once the image is arm64 or multi-arch'
)


def check(ctx: Context) -> Iterator[Violation]:
    for task in ctx.project.task_definitions:
        if not task.fargate or not task.complete:
            continue
        platform_node = task.node.get("runtimePlatform")
        platform = task.node.obj("runtimePlatform")
        if platform_node is not None and (platform is None or not platform.known):
            continue
        system = platform.str("operatingSystemFamily") if platform else None
        if system is not None and system != "LINUX":
            continue
        architecture = platform.get("cpuArchitecture") if platform else None
        if architecture is not None:
            if platform and platform.str("cpuArchitecture") == "X86_64":
                yield Violation(architecture, f"Task `{task.name or '?'}` runs on X86_64; {ADVICE}")
            continue
        if task.conditional:
            continue
        where = task.node.key_span("runtimePlatform") if platform else task.node
        yield Violation(
            where,
            f"Task `{task.name or '?'}` sets no cpuArchitecture, so it runs on X86_64; {ADVICE}",
        )

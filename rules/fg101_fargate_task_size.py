"""## What it does
Checks that a Fargate task's `cpu` and `memory` form one of the sizes Fargate offers. Values may
be CPU units or memory MiB as integers or strings (`"512"`), or unit strings (`"1 vCPU"`,
`".25 vcpu"`, `"2GB"`, `"0.5 GB"`).

## Why is this bad?
Fargate accepts only fixed pairs: memory is constrained by the cpu you pick. Any other pair fails
at registration (`Invalid 'cpu' setting for task`; Terraform: `No Fargate configuration exists
for given values`), so the deploy stops there.

## Example
```json
{"requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "4096",
 "containerDefinitions": [{"name": "app", "image": "app:1.4.2"}]}
```
Use instead (0.25 vCPU allows 512, 1024 or 2048 MiB):
```json
{"requiresCompatibilities": ["FARGATE"], "cpu": "512", "memory": "4096",
 "containerDefinitions": [{"name": "app", "image": "app:1.4.2"}]}
```

## References
- Amazon ECS Developer Guide, "Amazon ECS task definition differences for Fargate":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
- Fargate production guide, section 1 ("Task definition: sizing and platform version"): Fargate
  accepts only specific cpu/memory combinations, memory constrained by the cpu value. Its table
  stops at 4 vCPU (8192-30720 MiB); AWS's table, which fglint follows, also has 8 vCPU (16-60 GB in
  4 GB steps) and 16 vCPU (32-120 GB in 8 GB steps), both on Linux platform version 1.4.0 or later.
"""

import functools
from collections.abc import Iterator
from itertools import pairwise

from fglint.aws.data import load
from fglint.aws.units import cpu_units, memory_mib
from fglint.nodes import Node
from fglint.rule import Context, Fix, Rule, Violation

RULE = Rule(
    code="FG101",
    name="fargate-task-size",
    summary="Task cpu/memory is not a valid Fargate size",
    severity="error",
    tags=("sizing", "fargate"),
    fix="unsafe",
)


def _describe(values: list[int]) -> str:
    steps = {b - a for a, b in pairwise(values)}
    if len(values) > 4 and len(steps) == 1:
        return f"{values[0]}-{values[-1]} MiB in steps of {steps.pop()}"
    return ", ".join(map(str, values)) + " MiB"


def _upward(ctx: Context, node: Node | None, memory: int, allowed: list[int]) -> Fix | None:
    """The nearest valid memory for the cpu, upward (it costs more: unsafe)."""
    above = [size for size in allowed if size > memory]
    if not above:
        return None
    return Fix.of(f"Set memory to {above[0]} MiB", [ctx.edits.replace(node, above[0])], safe=False)


def check(ctx: Context) -> Iterator[Violation]:
    sizes: dict[str, list[int]] = load("fargate_sizes")["sizes"]
    for task in ctx.project.task_definitions:
        if not task.fargate:
            continue
        cpu_node, memory_node = task.node.get("cpu"), task.node.get("memory")
        cpu, memory = cpu_units(cpu_node), memory_mib(memory_node)
        if cpu_node is not None and cpu is None and cpu_node.known:
            yield Violation(
                cpu_node,
                f"Task cpu `{cpu_node.to_python()}` is not a whole number of CPU units (1024 is "
                'one vCPU) nor a number of vCPUs with its unit ("0.25 vCPU")',
            )
            continue
        if cpu is None:
            continue
        allowed = sizes.get(str(cpu))
        if allowed is None:
            valid = ", ".join(sizes)
            yield Violation(
                cpu_node or task.node,
                f"Task cpu {cpu} is not a Fargate size; valid cpu values: {valid}",
            )
            continue
        if memory is not None and memory not in allowed:
            yield Violation(
                memory_node or task.node,
                f"Task memory {memory} MiB is not valid with cpu {cpu}; "
                f"cpu {cpu} allows {_describe(allowed)}",
                fix=functools.partial(_upward, ctx, memory_node, memory, allowed),
            )

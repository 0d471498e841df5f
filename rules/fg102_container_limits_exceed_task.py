"""## What it does
Checks that the containers of a Fargate task fit in the task's own size: the sum of the
containers' `cpu` must not exceed the task `cpu`; no container's hard `memory` limit may exceed
the task `memory`; and the sum over containers of `memoryReservation` (or `memory` where no
reservation is set) must not exceed the task `memory`. Sidecars (log routers, proxies, agents)
count like any other container. Containers whose value cannot be known statically make the sum
unknown, and the rule stays silent on it. A container definition that is an expression (a
module's output) only adds to the sum: the others are reported when they alone exceed the task.

## Why is this bad?
On Fargate the whole task shares one cpu/memory budget. ECS refuses to register a task
definition whose containers ask for more than the task has, and a sidecar added later is the
usual way to cross the line: the deploy then fails at registration.

## Example
```json
{"requiresCompatibilities": ["FARGATE"], "cpu": "512", "memory": "1024",
 "containerDefinitions": [
   {"name": "app", "image": "app:1.4.2", "cpu": 512, "memoryReservation": 900},
   {"name": "log_router", "image": "fluent-bit:3.0", "cpu": 64, "memoryReservation": 200}]}
```
Use instead (size the task for the sum):
```json
{"requiresCompatibilities": ["FARGATE"], "cpu": "1024", "memory": "2048",
 "containerDefinitions": [
   {"name": "app", "image": "app:1.4.2", "cpu": 512, "memoryReservation": 900},
   {"name": "log_router", "image": "fluent-bit:3.0", "cpu": 64, "memoryReservation": 200}]}
```

## References
- Amazon ECS Developer Guide, "Amazon ECS task definition parameters for Fargate":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_memory
- Fargate production guide, section 1 ("Task definition: sizing and platform version"): "The whole
  task shares this budget": a sidecar's requests come out of the same pool, so "size the task for
  the sum", then optionally cap individual containers.
"""

from collections.abc import Callable, Iterator

from fglint.aws.units import cpu_units, memory_mib
from fglint.model import Container, TaskDefinition
from fglint.nodes import Node, ScalarNode
from fglint.rule import Context, Related, Rule, Violation

RULE = Rule(
    code="FG102",
    name="container-limits-exceed-task",
    summary="Container cpu/memory add up to more than the task has",
    severity="error",
    tags=("sizing", "fargate"),
)

Amount = tuple[Node, int]  # the node a container's value is written at, and the value


def _absent(node: Node | None) -> bool:
    return node is None or (isinstance(node, ScalarNode) and node.value is None)


def _amounts(
    containers: list[Container], keys: tuple[str, ...], read: Callable[[Node | None], int | None]
) -> list[tuple[Container, Amount]] | None:
    """Each container's value for the first of `keys` it sets; None when any is unknown."""
    found = []
    for container in containers:
        key = next((k for k in keys if not _absent(container.node.get(k))), None)
        if key is None:
            continue
        node = container.node.fields[key]
        value = read(node)
        if value is None:
            return None
        found.append((container, (node, value)))
    return found


def _related(amounts: list[tuple[Container, Amount]], what: str) -> tuple[Related, ...]:
    """`what` is a format string with {name} and {value}."""
    return tuple(
        Related(node, what.format(name=c.name, value=value)) for c, (node, value) in amounts
    )


def _at_least(task: TaskDefinition) -> str:
    """A container definition that is an expression adds an unknown amount: the sum of the
    others is a lower bound, and exceeding the task is certain all the same."""
    return "" if task.all_containers_known else "at least "


def _cpu(task: TaskDefinition) -> Iterator[Violation]:
    task_node = task.node.get("cpu")
    task_cpu = cpu_units(task_node)
    amounts = _amounts(task.containers, ("cpu",), cpu_units)
    if task_node is None or task_cpu is None or not amounts:
        return
    total = sum(value for _, (_, value) in amounts)
    if total > task_cpu:
        yield Violation(
            task_node,
            f"Containers ask for {_at_least(task)}{total} CPU units in total but the task has "
            f"{task_cpu}; raise the task cpu or lower the containers' cpu",
            _related(amounts, "container `{name}` asks for {value} CPU units here"),
        )


def _memory(task: TaskDefinition) -> Iterator[Violation]:
    task_node = task.node.get("memory")
    task_memory = memory_mib(task_node)
    if task_node is None or task_memory is None:
        return
    too_big = False
    for container, (node, value) in _amounts(task.containers, ("memory",), memory_mib) or []:
        if value > task_memory:
            too_big = True
            yield Violation(
                node,
                f"Container `{container.name}` has a memory limit of {value} MiB, more than the "
                f"task's {task_memory} MiB; lower it or raise the task memory",
                (Related(task_node, "the task memory is set here"),),
            )
    amounts = _amounts(task.containers, ("memoryReservation", "memory"), memory_mib)
    if too_big or not amounts:
        return
    total = sum(value for _, (_, value) in amounts)
    if total > task_memory:
        yield Violation(
            task_node,
            f"Containers reserve {_at_least(task)}{total} MiB of memory in total but the task "
            f"has {task_memory} MiB; raise the task memory or lower the containers' "
            "memoryReservation/memory",
            _related(amounts, "container `{name}` reserves {value} MiB here"),
        )


def check(ctx: Context) -> Iterator[Violation]:
    for task in ctx.project.task_definitions:
        if task.fargate:
            yield from _cpu(task)
            yield from _memory(task)

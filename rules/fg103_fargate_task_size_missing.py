"""## What it does
Flags a Fargate task definition without a task-level `cpu` or `memory`. A bare
container-definitions array has no task-level keys at all and is not checked.

## Why is this bad?
Fargate sizes, schedules and bills the task from its task-level cpu and memory; container-level
values are not enough. ECS refuses to register a Fargate task definition without both
(`Fargate requires that 'cpu' be defined at the task level.`), so the deploy stops.

## Example
```json
{"family": "checkout-api", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
 "containerDefinitions": [{"name": "app", "image": "checkout:1.42.0", "memory": 512}]}
```
Use instead:
```json
{"family": "checkout-api", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
 "cpu": "256", "memory": "512",
 "containerDefinitions": [{"name": "app", "image": "checkout:1.42.0"}]}
```

## References
- Amazon ECS Developer Guide, "Amazon ECS task definition differences for Fargate":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
- Fargate production guide, section 1 ("Task definition: sizing and platform version"): a Fargate
  task definition declares the cpu/memory envelope of the whole task, and Fargate accepts only
  specific pairs.
"""

from collections.abc import Iterator

from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG103",
    name="fargate-task-size-missing",
    summary="Fargate task without task-level cpu or memory",
    severity="error",
    tags=("sizing", "fargate"),
)


def check(ctx: Context) -> Iterator[Violation]:
    for task in ctx.project.task_definitions:
        if not task.fargate or not task.complete or task.conditional:
            continue
        missing = [key for key in ("cpu", "memory") if task.node.get(key) is None]
        if missing:
            what = " and ".join(f"`{key}`" for key in missing)
            yield Violation(
                task.node,
                f"Fargate task `{task.name or '?'}` has no task-level {what}; Fargate needs both "
                '(e.g. "cpu": "256", "memory": "512")',
            )

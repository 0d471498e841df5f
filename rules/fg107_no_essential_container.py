"""## What it does
Flags a task definition in which no container is essential. `essential` defaults to true when
omitted, so this fires only when every container says `"essential": false`, or when the task
has an empty `containerDefinitions` list. The rule stays silent when a container's `essential`
cannot be known statically, or when a container definition is an expression (a module's
output, a CloudFormation `!If`): that container may be the essential one. ECS requires this on
every launch type, so the rule checks every task definition, not only Fargate ones.

## Why is this bad?
ECS refuses to register a task definition without an essential container. The essential
container is the one whose exit stops the task: with none, ECS would have no signal that the
task's main process died.

## Example
```json
"containerDefinitions": [
  {"name": "app", "image": "app:1.4.2", "essential": false},
  {"name": "log_router", "image": "fluent-bit:3.0", "essential": false}]
```
Use instead:
```json
"containerDefinitions": [
  {"name": "app", "image": "app:1.4.2", "essential": true},
  {"name": "log_router", "image": "fluent-bit:3.0", "essential": false}]
```

## References
- Amazon ECS Developer Guide, "Amazon ECS task definition parameters for Fargate":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_essential
"""

from collections.abc import Iterator

from fglint.nodes import ListNode
from fglint.rule import Context, Related, Rule, Violation, Where

RULE = Rule(
    code="FG107",
    name="no-essential-container",
    summary="No container in the task is essential",
    severity="error",
    tags=("reliability",),
)


def check(ctx: Context) -> Iterator[Violation]:
    for task in ctx.project.task_definitions:
        definitions = task.node.get("containerDefinitions")
        if isinstance(definitions, ListNode) and not definitions.items:
            yield Violation(
                definitions,
                "The task has no container definitions; ECS requires at least one essential "
                "container",
            )
        if not task.containers or not task.all_containers_known:
            continue
        if any(c.essential is not False for c in task.containers):
            continue
        where: Where = task.node.get("containerDefinitions") or task.node
        if task.complete:
            where = task.node.key_span("containerDefinitions")
        whose = f" of task `{task.name}`" if task.name else ""
        yield Violation(
            where,
            f"No container{whose} is essential; mark the main container "
            '"essential": true (ECS requires at least one)',
            tuple(
                Related(c.node.get("essential") or c.node, f"container `{c.name}` is not essential")
                for c in task.containers
            ),
        )

"""## What it does
Checks that a Fargate task's `ephemeralStorage.sizeInGiB` is within what Fargate accepts:
21 to 200 GiB. Leave `ephemeralStorage` out to get the default 20 GiB.

## Why is this bad?
ECS rejects a value outside the range when the task definition is registered, so the deploy
fails. A value of 20 or less is also pointless: every Fargate task (platform 1.4.0) already
gets 20 GiB.

## Example
```json
{"requiresCompatibilities": ["FARGATE"], "ephemeralStorage": {"sizeInGiB": 500},
 "containerDefinitions": [{"name": "app", "image": "app:1.4.2"}]}
```
Use instead (or mount EFS for more than 200 GiB):
```json
{"requiresCompatibilities": ["FARGATE"], "ephemeralStorage": {"sizeInGiB": 200},
 "containerDefinitions": [{"name": "app", "image": "app:1.4.2"}]}
```

## References
- Amazon ECS API Reference, EphemeralStorage:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_EphemeralStorage.html
- Amazon ECS Developer Guide, "Fargate task ephemeral storage for Amazon ECS":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-storage.html
"""

from collections.abc import Iterator
from dataclasses import dataclass

from fglint.rule import Context, Rule, RuleOptions, Violation


@dataclass(frozen=True)
class Options(RuleOptions):
    minimum: int = 21  # GiB
    maximum: int = 200


RULE = Rule(
    code="FG106",
    name="ephemeral-storage-out-of-range",
    summary="ephemeralStorage.sizeInGiB outside 21-200",
    severity="error",
    tags=("sizing", "fargate", "storage"),
    options=Options(),
)


def check(ctx: Context) -> Iterator[Violation]:
    options = ctx.options_of(Options)
    low, high = options.minimum, options.maximum
    for task in ctx.project.task_definitions:
        storage = task.node.obj("ephemeralStorage")
        if not task.fargate or storage is None:
            continue
        node, size = storage.get("sizeInGiB"), storage.int("sizeInGiB")
        if node is None or size is None or low <= size <= high:
            continue
        advice = (
            "leave ephemeralStorage out for the default 20 GiB"
            if size < low
            else "mount EFS for more"
        )
        yield Violation(
            node,
            f"ephemeralStorage.sizeInGiB is {size}; Fargate accepts {low}-{high} GiB ({advice})",
        )

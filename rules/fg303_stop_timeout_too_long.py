"""## What it does
Flags a container `stopTimeout` above 120 seconds in a Fargate task. `--fix` sets it to 120,
the most Fargate accepts.

## Why is this bad?
120 s is Fargate's maximum: ECS rejects a larger value for Fargate tasks. It is also the warning
Fargate Spot gives before it reclaims a task, so a shutdown that needs longer is cut by SIGKILL
in any case. Drain faster, and keep the target group's deregistration delay within the same
budget.

## Example
```json
{"requiresCompatibilities": ["FARGATE"], "containerDefinitions": [
  {"name": "app", "image": "app:1.4.2", "stopTimeout": 300}]}
```
Use instead:
```json
{"requiresCompatibilities": ["FARGATE"], "containerDefinitions": [
  {"name": "app", "image": "app:1.4.2", "stopTimeout": 60}]}
```

## References
- Amazon ECS API Reference, ContainerDefinition:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html
  (`stopTimeout`: "the max stop timeout value is 120 seconds" on Fargate)
- Fargate production guide, section 5 ("Graceful shutdown: SIGTERM, stopTimeout, and draining"): ECS
  sends SIGTERM to each container's PID 1, "waits up to stopTimeout (default 30s on Fargate, max
  120s), then sends SIGKILL"; section 8: Fargate Spot reclaims a task "with a ~2-minute SIGTERM
  warning".
"""

from collections.abc import Iterator
from dataclasses import dataclass

from fglint.rule import Context, Fix, Rule, RuleOptions, Violation


@dataclass(frozen=True)
class Options(RuleOptions):
    maximum: int = 120  # seconds


RULE = Rule(
    code="FG303",
    name="stop-timeout-too-long",
    summary="stopTimeout above Fargate's 120 s maximum",
    severity="error",
    tags=("lifecycle", "fargate"),
    options=Options(),
    fix="safe",
)


def check(ctx: Context) -> Iterator[Violation]:
    maximum = ctx.options_of(Options).maximum
    for container in ctx.project.containers():
        node, seconds = container.node.get("stopTimeout"), container.node.int("stopTimeout")
        if not container.task.fargate or node is None or seconds is None or seconds <= maximum:
            continue
        yield Violation(
            node,
            f"stopTimeout of container `{container.name}` is {seconds} s; Fargate allows at most "
            f"{maximum} s (also the Fargate Spot reclaim warning): drain faster and lower it",
            fix=Fix.of(f"Set stopTimeout to {maximum}", [ctx.edits.replace(node, maximum)]),
        )

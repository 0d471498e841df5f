"""## What it does
Flags an essential container (`essential` is true or omitted) that has no `healthCheck`.
Non-essential sidecars are not flagged, nor are tasks that only run on a schedule or as a job
(an EventBridge rule or EventBridge Scheduler target, a Step Functions `ecs:runTask` state, and
no service): nothing routes traffic to them and ECS does not replace them.

## Why is this bad?
ECS only knows a container is healthy if the task definition says how to check it: health checks
built into the image (a Dockerfile `HEALTHCHECK`) are ignored. Without one, a container that is
running but wedged (deadlocked, out of connections) stays in service; ECS neither replaces it nor
rolls back a deployment that never became healthy, and `dependsOn` conditions of `HEALTHY` cannot
be used.

## Example
```json
{"name": "app", "image": "checkout:1.42.0", "essential": true}
```
Use instead:
```json
{"name": "app", "image": "checkout:1.42.0", "essential": true,
 "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost:8080/healthz || exit 1"],
                 "interval": 15, "timeout": 5, "retries": 3, "startPeriod": 30}}
```

## References
- Amazon ECS API Reference, HealthCheck:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html
- Fargate production guide, section 1 ("Task definition: sizing and platform version"): its
  essential container declares a `healthCheck` (`CMD-SHELL` curl of /healthz, interval 15, timeout
  5, retries 3, startPeriod 30).
"""

from collections.abc import Iterator

from fglint.model import TaskDefinition
from fglint.nodes import Node, ScalarNode
from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG401",
    name="essential-without-health-check",
    summary="Essential container without `healthCheck`",
    severity="warning",
    tags=("health-checks", "reliability"),
)


def absent(node: Node | None) -> bool:
    """Not set: missing, or an explicit JSON null."""
    return node is None or (isinstance(node, ScalarNode) and node.value is None)


def only_scheduled(task: TaskDefinition) -> bool:
    """Run only on a schedule or as a job: no service runs it, and a scheduler does."""
    return bool(task.schedules) and not task.services


def check(ctx: Context) -> Iterator[Violation]:
    for container in ctx.project.containers():
        if only_scheduled(container.task) or container.task.conditional:
            continue
        if container.essential and absent(container.node.get("healthCheck")):
            yield Violation(
                container.node,
                f"Essential container `{container.name}` has no `healthCheck`: ECS replaces "
                "the task when the process exits, but not when it hangs or stops serving; "
                "add a health check command (a HEALTHCHECK in the image is ignored)",
            )

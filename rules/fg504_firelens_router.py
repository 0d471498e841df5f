"""## What it does
Checks that a task whose containers log with `awsfirelens` has a log router: a container with
`firelensConfiguration` (error when there is none), and that the router is essential (warning
when it is not).

## Why is this bad?
The `awsfirelens` driver hands logs to the FireLens router in the same task. Without a router,
ECS rejects the task definition. A non-essential router can crash and stay down while the
application keeps running with nowhere to send its logs: the logs are silently lost, or the
application blocks on them.

## Example
```json
"containerDefinitions": [
  {"name": "app", "image": "checkout:1.42.0",
   "logConfiguration": {"logDriver": "awsfirelens", "options": {"Name": "cloudwatch"}}}]
```
Use instead:
```json
"containerDefinitions": [
  {"name": "log_router", "essential": true,
   "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
   "firelensConfiguration": {"type": "fluentbit"}},
  {"name": "app", "image": "checkout:1.42.0",
   "logConfiguration": {"logDriver": "awsfirelens", "options": {"Name": "cloudwatch"}}}]
```

## References
- Amazon ECS Developer Guide, "Send Amazon ECS logs to an AWS service or AWS Partner":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_firelens.html
- Fargate production guide, section 7 ("Observability: Container Insights, structured logs,
  tracing"): routing goes through "FireLens with a Fluent Bit sidecar", an essential `log_router`
  container with `firelensConfiguration`, and the app container logs with `awsfirelens`.
"""

from collections.abc import Iterator

from fglint.model import Container, TaskDefinition
from fglint.nodes import ObjectNode
from fglint.rule import Context, Related, Rule, Violation

RULE = Rule(
    code="FG504",
    name="firelens-router",
    summary="awsfirelens logging without an essential FireLens log router",
    severity="error",
    tags=("logging",),
)


def firelens_users(task: TaskDefinition) -> list[tuple[Container, ObjectNode]]:
    users = []
    for container in task.containers:
        log = container.node.obj("logConfiguration")
        if log is not None and log.str("logDriver") == "awsfirelens":
            users.append((container, log))
    return users


def check(ctx: Context) -> Iterator[Violation]:
    for task in ctx.project.task_definitions:
        users = firelens_users(task)
        if not users or not task.all_containers_known:
            continue
        routers = [c for c in task.containers if "firelensConfiguration" in c.node]
        if not routers:
            for container, log in users:
                yield Violation(
                    log.get("logDriver") or log,
                    f"Container `{container.name}` logs with awsfirelens but the task has no "
                    "log router (a container with `firelensConfiguration`); add a Fluent Bit "
                    "router container",
                )
            continue
        if any(router.essential is not False for router in routers):
            continue
        router = routers[0]
        container, log = users[0]
        yield Violation(
            router.node.get("essential") or router.node,
            f"FireLens log router `{router.name}` is not essential: if it stops, the logs of "
            f"`{container.name}` have nowhere to go; make the router essential",
            (Related(log.get("logDriver") or log, "awsfirelens logging set here"),),
            severity="warning",
        )

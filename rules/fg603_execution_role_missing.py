"""## What it does
Flags a task definition without `executionRoleArn` when the task needs one: a container reads
`secrets` (or log `secretOptions`), uses `repositoryCredentials` (private registry auth), or its
FireLens router loads its configuration from S3; and, on Fargate, a container logs with
`awslogs` or pulls an image from a private ECR repository.

## Why is this bad?
The execution role is what the ECS agent uses before your code starts: to pull from ECR, create
the log stream and read secrets. Without it the task fails to start (`CannotPullContainerError`,
`ResourceInitializationError`), on every launch.

## Example
```json
{"family": "checkout-api", "requiresCompatibilities": ["FARGATE"],
 "containerDefinitions": [{"name": "app",
   "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/checkout:1.42.0"}]}
```
Use instead:
```json
{"family": "checkout-api", "requiresCompatibilities": ["FARGATE"],
 "executionRoleArn": "arn:aws:iam::111122223333:role/checkout-execution",
 "containerDefinitions": [{"name": "app",
   "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/checkout:1.42.0"}]}
```

## References
- Amazon ECS Developer Guide, "Amazon ECS task execution IAM role":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html
- Fargate production guide, section 6 ("Secrets, config, and least-privilege roles"): the execution
  role is "assumed by the ECS agent before the container starts. It pulls the image from ECR, writes
  to the log group, and resolves any secrets".
"""

from collections.abc import Iterator

from fglint.aws.images import parse_image
from fglint.model import Container, TaskDefinition
from fglint.nodes import ListNode, Node, ScalarNode
from fglint.rule import Context, Related, Rule, Violation

RULE = Rule(
    code="FG603",
    name="execution-role-missing",
    summary="`executionRoleArn` missing while the task needs it",
    severity="error",
    tags=("iam",),
)


def _non_empty(node: Node | None) -> bool:
    return isinstance(node, ListNode) and len(node) > 0


def needs(container: Container, fargate: bool) -> Iterator[tuple[Node, str]]:
    """What in this container needs the execution role: (where, why)."""
    node = container.node
    log = node.obj("logConfiguration")
    if _non_empty(node.get("secrets")):
        yield node.get("secrets") or node, "reads `secrets`"
    if log is not None and _non_empty(log.get("secretOptions")):
        yield log.get("secretOptions") or log, "reads log `secretOptions`"
    if "repositoryCredentials" in node:
        yield node.get("repositoryCredentials") or node, "uses `repositoryCredentials`"
    firelens = node.obj("firelensConfiguration")
    options = firelens.obj("options") if firelens else None
    if options is not None and options.str("config-file-type") == "s3":
        yield options.get("config-file-type") or options, "loads its FireLens config from S3"
    if not fargate:
        return
    if log is not None and log.str("logDriver") == "awslogs":
        yield log.get("logDriver") or log, "logs with awslogs on Fargate"
    image = node.str("image")
    ref = parse_image(image) if image else None
    if ref is not None and ref.private_ecr:
        yield node.get("image") or node, "pulls a private ECR image on Fargate"


def missing_role(task: TaskDefinition) -> bool:
    node = task.node.get("executionRoleArn")
    return node is None or (isinstance(node, ScalarNode) and node.value is None)


def check(ctx: Context) -> Iterator[Violation]:
    for task in ctx.project.task_definitions:
        if not task.complete or task.conditional or not missing_role(task):
            continue
        found = [
            (where, container.name, why)
            for container in task.containers
            for where, why in needs(container, task.fargate)
        ]
        if not found:
            continue
        by_container: dict[str, list[str]] = {}
        for _, name, why in found:
            by_container.setdefault(name, []).append(why)
        reasons = "; ".join(f"`{name}` {', '.join(whys)}" for name, whys in by_container.items())
        yield Violation(
            task.node,
            f"Task definition `{task.name or '?'}` has no `executionRoleArn`, but {reasons}: "
            "the task will fail to start; add an execution role",
            tuple(Related(where, f"container `{name}` {why}") for where, name, why in found[:3]),
        )

"""## What it does
Flags a task definition whose `executionRoleArn` and `taskRoleArn` are the same role (the same
ARN, or the same Terraform/CloudFormation reference).

## Why is this bad?
The execution role is for the ECS agent (pull images, write logs, read the task's secrets); the
task role is what your application code gets. One role for both hands the application every
permission of the agent: it can read all the secrets the role can, pull any image, write to any
log group. Keep two roles, each minimal.

## Example
```json
"executionRoleArn": "arn:aws:iam::111122223333:role/checkout",
"taskRoleArn": "arn:aws:iam::111122223333:role/checkout"
```
Use instead:
```json
"executionRoleArn": "arn:aws:iam::111122223333:role/checkout-execution",
"taskRoleArn": "arn:aws:iam::111122223333:role/checkout-task"
```

## References
- Amazon ECS Developer Guide, "Best practices for IAM roles in Amazon ECS":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/security-iam-roles.html
- Fargate production guide, section 6 ("Secrets, config, and least-privilege roles"): Fargate tasks
  have two roles, and "conflating them is the most common IAM mistake on ECS"; keep them separate
  and minimal.
"""

from collections.abc import Iterator

from fglint.nodes import Node, UnknownNode, as_str
from fglint.rule import Context, Related, Rule, Violation

RULE = Rule(
    code="FG604",
    name="execution-role-is-task-role",
    summary="`executionRoleArn` equals `taskRoleArn`",
    severity="warning",
    tags=("security", "iam"),
    security_severity=5.0,
)


def same_role(a: Node, b: Node) -> bool:
    if isinstance(a, UnknownNode) and isinstance(b, UnknownNode):
        return a.ref is not None and a.ref == b.ref and a.text == b.text
    first, second = as_str(a), as_str(b)
    return bool(first) and first == second


def check(ctx: Context) -> Iterator[Violation]:
    for task in ctx.project.task_definitions:
        execution, task_role = task.node.get("executionRoleArn"), task.node.get("taskRoleArn")
        if execution is None or task_role is None or not same_role(execution, task_role):
            continue
        shown = as_str(task_role) or (task_role.text if isinstance(task_role, UnknownNode) else "")
        yield Violation(
            task_role,
            f"Task definition `{task.name or '?'}` uses one role (`{shown}`) as both task role "
            "and execution role: the application gets the agent's permissions (image pulls, "
            "every secret of the task); use a separate, minimal task role",
            (Related(execution, "the same role is the execution role here"),),
        )

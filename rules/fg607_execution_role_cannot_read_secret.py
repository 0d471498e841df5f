"""## What it does
Follows a task definition's `executionRoleArn` to the IAM role defined with it (a Terraform or
CloudFormation reference in the same module or template) and checks that the role's policies
allow reading each secret the task references: `secretsmanager:GetSecretValue` on the secret's
ARN for a Secrets Manager `valueFrom`, `ssm:GetParameters` on the parameter for an SSM one.
It speaks only when the role and all its policies are known: inline policies, policies attached
by reference, and AWS managed policies whose document fglint knows (such as
`AmazonECSTaskExecutionRolePolicy`, which grants neither action). A customer managed policy
attached by ARN makes the role unknown, and the rule stays silent.

## Why is this bad?
ECS reads the secrets with the execution role before the containers start. If the role cannot
read one, every task fails with `ResourceInitializationError: unable to pull secrets or registry
auth`, and the deployment never becomes healthy.

## Example
```hcl
resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}
# container_definitions: "secrets": [{"name": "DB_PASSWORD",
#                           "valueFrom": "arn:...:secret:prod/db-AbCdEf"}]
```
Use instead (add a statement to the execution role):
```json
{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
 "Resource": "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-*"}
```

## References
- Amazon ECS Developer Guide, "Pass Secrets Manager secrets through Amazon ECS environment
  variables":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html
- Amazon ECS Developer Guide, "Amazon ECS task execution IAM role":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html
- Fargate production guide, section 6 ("Secrets, config, and least-privilege roles"): the execution
  role resolves the task's secrets and needs `secretsmanager:GetSecretValue` (and `kms:Decrypt` if
  the secret uses a customer managed key) on those secret ARNs.
"""

from collections.abc import Iterator

from fglint.aws.iam import policies_allow, role_policies, secret_target, template_text
from fglint.model import IamRole, TaskDefinition
from fglint.nodes import Node, ObjectNode
from fglint.rule import Context, Related, Rule, Violation

RULE = Rule(
    code="FG607",
    name="execution-role-cannot-read-secret",
    summary="Execution role does not allow reading a secret the task references",
    severity="error",
    tags=("iam", "secrets"),
)


def secret_references(task: TaskDefinition) -> Iterator[tuple[str, ObjectNode]]:
    for container in task.containers:
        for secret in container.node.objects("secrets"):
            yield container.name, secret
        log = container.node.obj("logConfiguration")
        for secret in log.objects("secretOptions") if log else []:
            yield container.name, secret


def check(ctx: Context) -> Iterator[Violation]:
    for task in ctx.project.task_definitions:
        role_node = task.node.get("executionRoleArn")
        role = ctx.project.resolve(role_node, IamRole)
        if role is None or role_node is None:
            continue
        policies = role_policies(role, ctx.project)
        if policies is None:
            continue
        for container, secret in secret_references(task):
            node = secret.get("valueFrom")
            value_from = template_text(node)
            target = secret_target(value_from.strip()) if value_from else None
            if target is None or node is None:
                continue
            if policies_allow(policies, target) is not False:
                continue
            yield violation(role_node, role, node, container, target.action, value_from or "")


def violation(
    role_node: Node, role: IamRole, node: Node, container: str, action: str, value_from: str
) -> Violation:
    name = role.name or role.address or "?"
    return Violation(
        role_node,
        f"Execution role `{name}` does not allow `{action}` on `{value_from}` (a secret of "
        f"container `{container}`): the task will fail to start; allow it on that ARN",
        (
            Related(node, "the secret is referenced here"),
            Related(role.node, f"execution role `{name}` is defined here"),
        ),
    )

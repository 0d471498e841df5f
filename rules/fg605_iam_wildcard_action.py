"""## What it does
Flags an IAM policy statement with `Effect: Allow` whose `Action` is `*` (every action of every
service) or `service:*` (every action of one service, such as `s3:*`). Statements of resource
policies and trust policies (they name a `Principal`; in Terraform, a `principals` block, also
a `dynamic` one that expands to none) are not checked, nor are the policies of a role that only
AWS services outside ECS assume (a CodeBuild or Lambda role): ECS's are
`ecs-tasks`, `ecs`, `application-autoscaling`, `events` and `scheduler`.

## Why is this bad?
A task or execution role with `*` actions can do far more than the service needs: `s3:*` also
deletes buckets and rewrites their policies, `iam:*` can grant itself anything. When the
container is compromised, the role's permissions are the blast radius. List the actions the
service calls.

## Example
```json
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::checkout-receipts/*"}]}
```
Use instead:
```json
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
   "Resource": "arn:aws:s3:::checkout-receipts/*"}]}
```

## References
- IAM User Guide, "Security best practices in IAM":
  https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
- Fargate production guide, section 6 ("Secrets, config, and least-privilege roles"): keep the roles
  "separate and minimal"; the task role "carries only the runtime permissions your code uses" (one
  bucket's ARN and `s3:PutObject`).
"""

from collections.abc import Iterator

from fglint.aws.iam import ecs_policies, is_service_wildcard, written_statements
from fglint.nodes import as_str
from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG605",
    name="iam-wildcard-action",
    summary="IAM Allow statement with action `*` or `service:*`",
    severity="warning",
    tags=("security", "iam"),
    security_severity=7.0,
)


def check(ctx: Context) -> Iterator[Violation]:
    for policy in ecs_policies(ctx.project):
        for statement in written_statements(policy):
            if statement.allow is not True or statement.resource_based:
                continue
            for node in statement.values("Action"):
                action = as_str(node)
                if action is None or not is_service_wildcard(action):
                    continue
                scope = "every action" if action == "*" else f"every `{action[:-2]}` action"
                yield Violation(
                    node,
                    f"Policy `{policy.name or '?'}` allows {scope} (`{action}`); list only the "
                    "actions the role needs",
                )

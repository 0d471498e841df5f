"""## What it does
Flags an IAM `Allow` statement with `Resource: "*"` that grants actions which accept
resource-level permissions, such as `secretsmanager:GetSecretValue`, `s3:PutObject`,
`kms:Decrypt`, `ssm:GetParameters` or `ecr:BatchGetImage`. Not flagged:
- a scoped ARN, even with a trailing wildcard (`arn:...:secret:prod/checkout/*`);
- actions that only accept `"*"` (`ecr:GetAuthorizationToken`, `secretsmanager:ListSecrets`);
- `*` and `service:*` actions (FG605 reports those), statements with a `Condition`, and
  statements of resource or trust policies (they name a `Principal`, or in Terraform have a
  `principals` block, also a `dynamic` one that expands to none);
- the policies of a role that only AWS services outside ECS assume (a CodeBuild or Lambda
  role), as for FG605.

The list of resource-scoped actions is data (`schemas/iam_resource_scoped_actions.json`, from
the AWS Service Authorization Reference) for the services an ECS task typically uses:
secretsmanager, ssm, kms, s3, dynamodb, sqs, sns, logs, ecr, kinesis and firehose.

## Why is this bad?
`"*"` grants the action on every resource of the account: an execution role that can read every
secret, a task role that can write to every bucket. Scoping to the ARNs the task uses costs one
line and limits what a compromised container can reach.

## Example
```json
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}
```
Use instead:
```json
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
   "Resource": "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/checkout/*"}]}
```

## References
- Service Authorization Reference, "Actions, resources, and condition keys for AWS services":
  https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
- Fargate production guide, section 6 ("Secrets, config, and least-privilege roles"): the execution
  role needs `secretsmanager:GetSecretValue` "on exactly those secret ARNs – not *".
"""

from collections.abc import Iterator
from functools import cache

from fglint.aws.data import load
from fglint.aws.iam import action_matches, ecs_policies, is_service_wildcard, written_statements
from fglint.nodes import as_str
from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG606",
    name="iam-wildcard-resource",
    summary='IAM Allow of resource-scoped actions on `Resource: "*"`',
    severity="warning",
    tags=("security", "iam"),
    security_severity=5.0,
)


@cache
def accepts_arns(action: str) -> bool:
    """Does the action (or any action its wildcard matches) take resource ARNs?"""
    return any(action_matches(action, name) for name in scoped_actions())


@cache
def scoped_actions() -> list[str]:
    data: dict[str, list[str]] = load("iam_resource_scoped_actions")["actions"]
    return [f"{service}:{name}" for service, names in data.items() for name in names]


def check(ctx: Context) -> Iterator[Violation]:
    for policy in ecs_policies(ctx.project):
        for statement in written_statements(policy):
            if statement.allow is not True or statement.resource_based or statement.conditional:
                continue
            star = next((n for n in statement.values("Resource") if as_str(n) == "*"), None)
            if star is None:
                continue
            actions = [as_str(node) for node in statement.values("Action")]
            flagged = [
                action
                for action in actions
                if action and not is_service_wildcard(action) and accepts_arns(action)
            ]
            if not flagged:
                continue
            shown = ", ".join(f"`{a}`" for a in flagged[:4])
            more = f" and {len(flagged) - 4} more" if len(flagged) > 4 else ""
            yield Violation(
                star,
                f"Policy `{policy.name or '?'}` allows {shown}{more} on every resource (`*`), "
                "though these actions accept resource ARNs; scope `Resource` to the ARNs the "
                "role needs",
            )

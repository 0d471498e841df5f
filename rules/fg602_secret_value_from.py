"""## What it does
Checks each `secrets[].valueFrom` (and `logConfiguration.secretOptions[].valueFrom`) is one of
the forms ECS resolves:
- a Secrets Manager secret ARN, `arn:aws:secretsmanager:<region>:<account>:secret:<name>`,
  optionally followed by `:<json-key>:<version-stage>:<version-id>` (all three fields, empty ones
  allowed: `...:secret:prod/db-AbCdEf:password::`);
- an SSM parameter ARN, `arn:aws:ssm:<region>:<account>:parameter/<name>`;
- an SSM parameter name (`db-password`, or `/prod/checkout/db-password` in a hierarchy, which
  must start with `/`). A Secrets Manager secret cannot be referenced by name, only by ARN.

## Why is this bad?
ECS resolves secrets when the task starts. A reference in another form fails there: the task
stops with `ResourceInitializationError` ("an invalid ARN format for the AWS Secrets Manager
secret", or the parameter is not found), after the deploy already began.

## Example
```json
{"name": "app", "image": "app:1.4.2",
 "secrets": [{"name": "DB_PASSWORD", "valueFrom": "prod/checkout/db"},
   {"name": "DB_USER", "valueFrom":
    "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/checkout/db-AbCdEf:username"}]}
```
Use instead:
```json
{"name": "app", "image": "app:1.4.2",
 "secrets": [{"name": "DB_PASSWORD", "valueFrom":
    "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/checkout/db-AbCdEf:password::"},
   {"name": "DB_USER", "valueFrom":
    "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/checkout/db-AbCdEf:username::"}]}
```

## References
- Amazon ECS Developer Guide, "Pass Secrets Manager secrets through Amazon ECS environment
  variables":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html
- Amazon ECS Developer Guide, "Pass Systems Manager parameters through Amazon ECS environment
  variables":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-ssm-paramstore.html
- Amazon ECS API Reference, Secret:
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Secret.html
"""

import re
from collections.abc import Iterator

from fglint.model import Container
from fglint.nodes import ObjectNode
from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG602",
    name="secret-value-from",
    summary="`valueFrom` is not a Secrets Manager ARN, an SSM parameter ARN or name",
    severity="error",
    tags=("secrets",),
)

_PARAMETER = re.compile(r"^/?[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$")


def _secrets_manager_problem(resource: str) -> str | None:
    fields = resource.split(":")
    if fields[0] != "secret" or not fields[1:] or not fields[1]:
        return "a Secrets Manager ARN names `secret:<name>`"
    if len(fields) in (3, 4):
        return (
            "a JSON key or version needs all three fields `:<json-key>:<version-stage>:"
            "<version-id>` (leave unused ones empty: `:password::`)"
        )
    if len(fields) > 5:
        return "it has more fields than `secret:<name>:<json-key>:<version-stage>:<version-id>`"
    return None


def problem(text: str) -> str | None:
    """Why `text` is not a reference ECS resolves, or None when it is one."""
    if not text:
        return "it is empty"
    if text.startswith("arn:"):
        parts = text.split(":", 5)
        if len(parts) < 6:
            return "it is not a complete ARN"
        service, resource = parts[2], parts[5]
        if service == "secretsmanager":
            return _secrets_manager_problem(resource)
        if service == "ssm":
            name = resource.removeprefix("parameter/")
            if resource.startswith("parameter/") and _PARAMETER.match("/" + name.lstrip("/")):
                return None
            return "an SSM parameter ARN names `parameter/<name>`"
        return f"it is an ARN of `{service}`, not of Secrets Manager or SSM"
    if _PARAMETER.match(text) and ("/" not in text or text.startswith("/")):
        return None
    if "/" in text and _PARAMETER.match("/" + text):
        return (
            "a Secrets Manager secret needs its full ARN, and a parameter name in a "
            "hierarchy must start with `/`"
        )
    return "it is neither an ARN nor a valid SSM parameter name"


def references(container: Container) -> Iterator[ObjectNode]:
    yield from container.node.objects("secrets")
    log = container.node.obj("logConfiguration")
    if log is not None:
        yield from log.objects("secretOptions")


def check(ctx: Context) -> Iterator[Violation]:
    for container in ctx.project.containers():
        for secret in references(container):
            text, node = secret.str("valueFrom"), secret.get("valueFrom")
            if text is None or node is None:
                continue
            why = problem(text.strip())
            if why is None:
                continue
            yield Violation(
                node,
                f"Secret `{secret.str('name') or '?'}` of container `{container.name}` has a "
                f"`valueFrom` that ECS cannot resolve: {why}; the task will fail to start",
            )

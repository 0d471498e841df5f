"""## What it does
Flags a secret written in a container's plain `environment`: by its name (`PASSWORD`, `SECRET`,
`TOKEN`, `API_KEY`, `PRIVATE_KEY`, `CREDENTIAL`, ...) with a real-looking value, or by its value
whatever the name (AWS access key ids, private key blocks, credentials inside URLs, well-known
token formats). Not secrets: ARNs and parameter names that point at Secrets Manager or SSM,
booleans, short numbers (`PASSWORD_MIN_LENGTH=12`), empty and templated values. The finding
never prints the value.

## Why is this bad?
Plain environment values are stored in the task definition and returned in clear text by
`describe-task-definition` and `describe-tasks` to anyone with read access, and they end up in
version control. The `secrets` block injects the same variable from Secrets Manager or SSM
Parameter Store at start-up instead.

## Example
```json
{"name": "app", "image": "app:1.4.2",
 "environment": [{"name": "DB_PASSWORD", "value": "hunter2-prod"}]}
```
Use instead:
```json
{"name": "app", "image": "app:1.4.2",
 "secrets": [{"name": "DB_PASSWORD",
   "valueFrom": "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/checkout/db-AbCdEf"}]}
```

## References
- Amazon ECS Developer Guide, "Pass sensitive data to an Amazon ECS container":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html
- Fargate production guide, section 6 ("Secrets, config, and least-privilege roles"): "Static
  environment entries are visible in plaintext via the API – never put credentials there; that is
  what secrets is for."
"""

from collections.abc import Iterator

from fglint.aws.secrets import secret_kind
from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG601",
    name="secret-in-environment",
    summary="Secret in plain `environment`; use `secrets` instead",
    severity="error",
    tags=("security", "secrets"),
    security_severity=8.0,
)


def check(ctx: Context) -> Iterator[Violation]:
    for container in ctx.project.containers():
        for variable in container.node.objects("environment"):
            name, value = variable.str("name") or "", variable.str("value")
            node = variable.get("value")
            if value is None or node is None:
                continue
            kind = secret_kind(name, value)
            if kind is None:
                continue
            why = "by its name" if kind == "its name" else f"its value looks like {kind}"
            yield Violation(
                node,
                f"Environment variable `{name}` of container `{container.name}` holds a secret "
                f"in plain text ({why}); move it to `secrets` (Secrets Manager or SSM)",
            )

"""## What it does
Reports a key that appears twice in the same JSON object or YAML mapping; in Terraform, an
argument set twice in one block, and a key written twice in an object constructor
(`jsonencode({...})`, `tags = {...}`; keys computed from expressions are not compared).

## Why is this bad?
JSON parsers keep only one of the two values (the AWS CLI keeps the last), silently. The value
you read first in the file is not the one AWS registers. Terraform does the same in an object
constructor, without a warning; an argument set twice in a block is an error ("Attribute
redefined") that stops `terraform plan`.

## Example
```json
{"name": "app", "image": "app:1.0", "image": "app:latest"}
```
Use instead:
```json
{"name": "app", "image": "app:1.0"}
```

## References
- RFC 8259, "The JavaScript Object Notation (JSON) Data Interchange Format":
  https://www.rfc-editor.org/rfc/rfc8259#section-4
"""

from collections.abc import Iterator

from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG004",
    name="duplicate-key",
    summary="Key appears twice in one object; only the last value is used",
    severity="warning",
    tags=("syntax",),
)


def check(ctx: Context) -> Iterator[Violation]:
    yield from ctx.problems(RULE.code)

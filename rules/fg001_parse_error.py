"""## What it does
Reports a file that fglint could not parse: invalid JSON, invalid HCL, invalid YAML, or a file
that is not UTF-8. The finding sits at the exact position of the syntax error.

## Why is this bad?
AWS rejects the file too (`aws ecs register-task-definition` fails with a parse error, `terraform
plan` stops), and fglint cannot check anything else in it. Other files are still linted.

## Example
```json
{
  "family": "web",
  "cpu": "256"
  "memory": "512"
}
```
Use instead:
```json
{
  "family": "web",
  "cpu": "256",
  "memory": "512"
}
```

## References
- json.org, "Introducing JSON": https://www.json.org/
"""

from collections.abc import Iterator

from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG001",
    name="parse-error",
    summary="File could not be parsed",
    severity="error",
    tags=("syntax",),
    always=True,
)


def check(ctx: Context) -> Iterator[Violation]:
    yield from ctx.problems(RULE.code)

"""## What it does
Reports an inline suppression comment that suppressed nothing, or that names a rule code
fglint does not have:

- `# fglint: ignore[FG201]` (or `//`) on a line, or alone on the line(s) above it, where no
  FG201 finding is;
- `# fglint: file-ignore[FG601]` in a file with no FG601 finding;
- `# fglint: ignore[FG2O1]`: a code that does not exist (a typo suppresses nothing).

A suppression of a rule that is not running (not selected, or ignored) is not reported.

## Why is this bad?
A stale suppression hides the next real finding at that place without anyone noticing, and a
misspelt code gives the false comfort of a suppression that does nothing. Like ruff's unused
`noqa` (RUF100), fglint keeps suppressions honest.

## Example
```hcl
resource "aws_ecs_task_definition" "app" {
  # fglint: ignore[FG201] the image is pinned now
  container_definitions = jsonencode([{ name = "app", image = "app:1.4.2" }])
}
```
Use instead: delete the comment, or fix the code it names:
```hcl
resource "aws_ecs_task_definition" "app" {
  container_definitions = jsonencode([{ name = "app", image = "app:1.4.2" }])
}
```

## References
- ruff's equivalent for `noqa` comments: https://docs.astral.sh/ruff/rules/unused-noqa/
- The syntax: `# fglint: ignore[CODE,...] reason` (or `//`) on the line or alone above it,
  `# fglint: file-ignore[CODE,...] reason` anywhere in the file, in HCL, YAML and Dockerfiles
  (JSON has no comments: use `per-file-ignores` in the configuration)
"""

from collections.abc import Iterator

from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG002",
    name="unused-suppression",
    summary="Suppression comment that suppresses nothing or names an unknown rule",
    severity="warning",
    tags=("suppression",),
)


def check(ctx: Context) -> Iterator[Violation]:
    state = ctx.suppressions  # filled in by the engine, which runs this rule last
    if state is None:
        return
    for directive in state.all():
        for code, span in directive.codes.items():
            if code not in state.known:
                yield Violation(
                    span,
                    f"Suppression names `{code}`, which is not an fglint rule code; "
                    "`fglint rules` lists them",
                )
            elif code in state.running and code != RULE.code and code not in directive.used:
                where = "in this file" if directive.whole_file else "on the line it covers"
                yield Violation(
                    span, f"Unused suppression: no {code} finding {where}; remove `{code}`"
                )

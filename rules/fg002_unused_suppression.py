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

import functools
from collections.abc import Iterator
from typing import Any

from fglint.nodes import Span
from fglint.rule import Context, Edit, Fix, Rule, Violation

RULE = Rule(
    code="FG002",
    name="unused-suppression",
    summary="Suppression comment that suppresses nothing or names an unknown rule",
    severity="warning",
    tags=("suppression",),
    fix="safe",
)


def needless(directive: Any, state: Any) -> set[str]:
    """The codes of a directive (an engine.suppress.Directive) that name no rule or suppress
    nothing."""
    return {
        code
        for code in directive.codes
        if code not in state.known
        or (code in state.running and code != RULE.code and code not in directive.used)
    }


def remove(ctx: Context, directive: Any, code: str, drop: set[str]) -> Fix | None:
    """The code removed from the brackets, or the whole comment when no code of it is left."""
    file = ctx.edits.file(directive.span.path)
    if file is None:
        return None
    span = directive.codes[code]
    if set(directive.codes) - drop:
        line = file.line(span.line)
        start, end = span.col - 1, span.end_col - 1
        after = line[end:]
        if after.lstrip().startswith(","):
            end += len(after) - len(after.lstrip()) + 1
            end += len(line[end:]) - len(line[end:].lstrip(" "))
        else:
            before = line[:start].rstrip(" ")
            start = len(before) - 1 if before.endswith(",") else start
        where = Span(span.path, span.line, start + 1, span.line, end + 1)
        return Fix.of(f"Remove `{code}` from the suppression", [edit(ctx, where)])
    line = file.line(directive.span.line)
    head = line[: directive.span.col - 1].rstrip()
    marker = next((m for m in ("#", "//") if head.endswith(m)), None)
    if marker is None:
        return None
    code_part = head[: -len(marker)]
    number = directive.span.line
    if code_part.strip():
        where = Span(span.path, number, len(code_part.rstrip()) + 1, number, len(line) + 1)
    else:
        where = Span(span.path, number, 1, number + 1, 1)
    return Fix.of("Remove the suppression comment", [edit(ctx, where)])


def edit(ctx: Context, span: Span) -> Edit:
    start = ctx.edits.start(span)
    end = min(ctx.edits.end(span), len(ctx.edits.files[span.path].text))
    return Edit(span.path, start, end, "")


def check(ctx: Context) -> Iterator[Violation]:
    state = ctx.suppressions  # filled in by the engine, which runs this rule last
    if state is None:
        return
    for directive in state.all():
        drop = needless(directive, state)
        for code, span in directive.codes.items():
            if code not in state.known:
                yield Violation(
                    span,
                    f"Suppression names `{code}`, which is not an fglint rule code; "
                    "`fglint rules` lists them",
                    fix=functools.partial(remove, ctx, directive, code, drop),
                )
            elif code in state.running and code != RULE.code and code not in directive.used:
                where = "in this file" if directive.whole_file else "on the line it covers"
                yield Violation(
                    span,
                    f"Unused suppression: no {code} finding {where}; remove `{code}`",
                    fix=functools.partial(remove, ctx, directive, code, drop),
                )

"""## What it does
Reports a bug in fglint: an unexpected error while reading, parsing or evaluating a file, or while
a rule checked it. The finding names the exception and sits where fglint was working (the file, or
the value a rule was reading). Every other file and rule still runs. In SARIF the error is also a
`toolExecutionNotification`.

## Why is this bad?
The findings fglint would have made there are missing, so a clean report is not a clean bill of
health for that file. The input itself may be perfectly valid: the fault is fglint's.

## Example
A bug met while loading `task.json` reads:
```text
task.json:1:1: FG005 [error] fglint failed while loading this file (ValueError: ...); what it
would have found there is missing. This is a bug in fglint: please report it with this file
```

Fix: report it at https://github.com/fglint/fglint/issues with the file (or a smaller one that
fails the same way). Until it is fixed, `ignore = ["FG005"]` or `per-file-ignores` hides it.

## References
- OASIS, "Static Analysis Results Interchange Format (SARIF) Version 2.1.0":
  https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/sarif-v2.1.0-os.html (3.58, notification)
"""

from collections.abc import Iterator

from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG005",
    name="internal-error",
    summary="fglint failed here: a bug in fglint, reported instead of stopping the run",
    severity="error",
    tags=("internal",),
    always=True,
)


def check(ctx: Context) -> Iterator[Violation]:
    yield from ctx.problems(RULE.code)

"""## What it does
Reports input that fglint could not read, so that nothing in it was checked (for the
evaluation-depth warning below, one value). Every other file is still linted. The finding sits
where reading stopped; each kind has its own severity:

- **Syntax errors** (`error`), at the exact position: invalid JSON (in a `.json` file only when
  its text names a key of an ECS, CloudFormation or Terraform document; other JSON is skipped),
  invalid HCL (also what Terraform rejects as it reads: a `${` or `%{` sequence in a block label,
  as in a `.tf` file written for envsubst), invalid YAML in a file that looks like a
  CloudFormation template, and what Docker rejects in a Dockerfile (no `FROM`, an unknown
  instruction, a malformed argument).
- **Files not read** (`Not read: ...`), at line 1, column 1 unless said: not valid UTF-8
  (`error`, at the first invalid byte); larger than the file-size limit (`error`); a symbolic
  link that leads to itself, a symlink loop (`error`); a file the system refuses to open, such as
  permission denied (`error`); a named pipe (FIFO), a device or a socket (`note`: never opened,
  so a read can never block); a file whose real path, symlinks resolved, is outside the scanned
  folder, such as a linked `terraform.tfvars` (`note`). A `file()` or `templatefile()` path
  outside the folder is not read either: its value is unknown, without a finding.
- **A folder that cannot be listed** (`Folder not scanned: permission denied; ...`, `warning`,
  at the folder): the files in it are not linted.
- **Input beyond a limit** (`error`, except `evaluation-depth`): the file is not linted, and the
  message names the setting that raises the limit:
  - `file-size`, default 10485760 (10 MiB): the bytes of one file, standard input too.
    `Not read: it is larger than the file size limit (...)`, at 1:1.
  - `depth`, default 100, at most 1000: nesting of JSON objects and arrays, YAML collections,
    and HCL blocks, brackets, parentheses and `${ }`. `Nested deeper than 100 levels: not
    read`, at the first level too many. In HCL, operators, conditions and references chained
    without brackets count too: more than 6 x depth + 20 of them (620) in one expression is
    `More than 620 operators, conditions or references chained in one expression`.
  - `yaml-aliases`, default 10000: the values that YAML aliases add to a document when
    expanded, counted before anything is expanded. `YAML aliases expand to more than 10,000
    values: not read (an alias bomb?)`, at the alias that crosses the limit.
  - `seconds`, default 20 (0: no limit): the time to load one file (parse and evaluate),
    timed in a process's main thread, as fglint and its `--jobs` workers load (when fglint is
    called from another thread, nothing is timed). `Loading this file took longer than 20 s:
    stopped`, at 1:1.
  - `evaluation-depth`, default 200, at most 1000: Terraform values computed from values (a
    chain of about 200 locals, or deeply nested expressions). A `warning`, not an error:
    `Evaluation nested deeper than 200 levels (...): this value is unknown`, once per file, at
    the first place evaluation stopped; the rest of the file is linted, and only the findings
    that need that value are missing.

A depth setting raised beyond what Python's stack can follow gives `Nested too deeply for
fglint to follow: not read` (`error`, at 1:1). The limits are settings: `[limits]` in
`.fglint.toml`, or `[tool.fglint.limits]` in `pyproject.toml`; `fglint --show-settings` prints
the values in use and where each came from, and a value that is not a positive number (or is
above its maximum) is a configuration error (exit 2):
```toml
[limits]
file-size = 20971520  # 20 MiB
depth = 200
yaml-aliases = 50000
seconds = 60
evaluation-depth = 400
```

The severities above are each finding's own; `[severity] FG001 = "..."` in the settings sets
one for all of them. With the default `--fail-on warning`, the notes (a FIFO, a file outside
the folder) do not make the exit code 1. FG001 runs whatever `--select` says; only `--ignore`
(or `ignore`) turns it off.

FG001 is about the input: fix it, or raise the limit. An unexpected exception inside fglint
while it reads, parses, evaluates or checks a file is a bug in fglint, not a problem of the
input: it is reported as FG005 (internal-error) with the exception's type, not as FG001 (see
`fglint explain FG005`).

## Why is this bad?
AWS rejects a file with a syntax error too (`aws ecs register-task-definition` fails with a
parse error, `terraform plan` stops). Whatever the reason, fglint checked nothing in a file it
did not read, so a clean report says nothing about that file. The limits exist so that one
hostile or broken file cannot stop or exhaust the run: nine lines of YAML aliases expand to a
billion values, nesting thousands of levels deep overflows a recursive parser, and reading a
named pipe waits forever; each is refused before it costs anything, with a finding rather than
a crash or a hang. A legitimate file beyond a limit is linted once the limit is raised.

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

A generated template larger than 10 MiB is not read:
```text
template.json:1:1: FG001 [error] Not read: it is larger than the file size limit (10,485,760
bytes; `[limits] file-size` in the settings changes it)
```
When the file is meant to be that large, raise the limit:
```toml
[limits]
file-size = 52428800  # 50 MiB
```

## References
- RFC 8259, "The JavaScript Object Notation (JSON) Data Interchange Format", section 9
  (implementations may limit the size of texts and the depth of nesting):
  https://www.rfc-editor.org/rfc/rfc8259#section-9
- YAML Ain't Markup Language 1.2.2, "Anchors and Aliases":
  https://yaml.org/spec/1.2.2/#3222-anchors-and-aliases
- MITRE, CWE-776, "Improper Restriction of Recursive Entity References in DTDs ('XML Entity
  Expansion')" (the billion laughs attack, which YAML aliases allow too):
  https://cwe.mitre.org/data/definitions/776.html
- Linux manual, fifo(7) (opening a FIFO for reading blocks until a writer opens it):
  https://man7.org/linux/man-pages/man7/fifo.7.html
"""

from collections.abc import Iterator

from fglint.rule import Context, Rule, Violation

RULE = Rule(
    code="FG001",
    name="parse-error",
    summary="File could not be read or parsed",
    severity="error",
    tags=("syntax",),
    always=True,
)


def check(ctx: Context) -> Iterator[Violation]:
    yield from ctx.problems(RULE.code)

"""The command line: `fglint check`, `fglint rules`, `fglint explain`."""

from __future__ import annotations

import gc
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from fglint import __version__
from fglint.aws.facts import FAIL_ON, SEVERITIES

if TYPE_CHECKING:
    from fglint.engine.config import Config
    from fglint.engine.report import Report
    from fglint.model import Project

FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit")
SHOWS_FIXES = ("text", "sarif")  # the formats that print fixes (SARIF) or count them (text)
RANK: dict[str, int] = {level: len(SEVERITIES) - n for n, level in enumerate(SEVERITIES)}


class UsageError(click.UsageError):
    pass


class DefaultGroup(click.Group):
    """`fglint PATHS` means `fglint check PATHS`; bare `fglint` means `fglint check .`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (
            args[0] not in self.commands
            and args[0] not in ("--help", "-h")
            and args[0] not in ("--version",)
        ):
            args = ["check", *args]
        return super().parse_args(ctx, args)


def _codes(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [code.strip().upper() for code in value.split(",") if code.strip()]


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="fglint")
def cli() -> None:
    """fglint: a static linter for AWS ECS-on-Fargate configuration."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None, help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to FILE.")
@click.option("--select", help="Comma-separated codes or prefixes to run (replaces the default).")
@click.option("--extend-select", help="Codes or prefixes to run in addition.")
@click.option("--ignore", help="Codes or prefixes not to run.")
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default=None,
    help="Lowest severity that makes the exit code 1 (default: warning).",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    help="Settings file (default: .fglint.toml or [tool.fglint] in pyproject.toml).",
)
@click.option(
    "--show-source/--no-show-source",
    default=None,
    help="Show the source line with carets (default: on a terminal).",
)
@click.option("--verbose", "-v", is_flag=True, help="List the files read and skipped, and why.")
@click.option("--fix", "apply_fixes", is_flag=True, help="Apply the safe fixes.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff: the unsafe fixes too.")
@click.option("--diff", "show_diff", is_flag=True, help="Show the fixes as a diff; write nothing.")
@click.option("--fix-only", is_flag=True, help="Apply fixes and report nothing that remains.")
@click.option("--no-cache", is_flag=True, help="Load every file again; read and write no cache.")
@click.option(
    "--add-suppressions",
    is_flag=True,
    help="Add a `# fglint: ignore[CODE]` comment for each finding (formats with comments).",
)
@click.option(
    "--var-file",
    "var_files",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="A Terraform variable file, as `terraform plan -var-file` (repeatable; after tfvars).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that load files (default: every core for more than 48 files).",
)
@click.option(
    "--project-root",
    "root",
    type=click.Path(exists=True, file_okay=False),
    help="Show paths relative to DIR (default: the nearest folder with the settings or .git).",
)
@click.option("--sarif-category", help="The SARIF run's category (GitHub code scanning).")
@click.option("--quiet", "-q", is_flag=True, help="Text output: the findings only, no summary.")
@click.option(
    "--exclude", multiple=True, help="Gitignore-style patterns to skip (replace the set)."
)
@click.option("--extend-exclude", multiple=True, help="Gitignore-style patterns to skip as well.")
@click.option("--force-exclude/--no-force-exclude", default=None, help="Exclude given files too.")
@click.option("--respect-gitignore/--no-respect-gitignore", default=None, help="Skip gitignored.")
@click.option("--statistics", is_flag=True, help="Count the findings per rule instead.")
@click.option(
    "--show-settings",
    is_flag=True,
    help="Print every setting and where its value came from, and exit 0 without linting.",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    help="Report only the findings this baseline does not hold.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False),
    help="Write the current findings to FILE as a baseline, and exit 0.",
)
@click.option(
    "--stdin-filename",
    type=click.Path(),
    help="Read standard input as the file at this path (its format and context).",
)
@click.option(
    "--color",
    "colour",
    type=click.Choice(("auto", "always", "never")),
    default="auto",
    help="Colour the text report: auto (a terminal, unless NO_COLOR; FORCE_COLOR forces it).",
)
def check(
    paths: tuple[str, ...],
    fmt: str | None,
    output: str | None,
    select: str | None,
    extend_select: str | None,
    ignore: str | None,
    fail_on: str | None,
    exit_zero: bool,
    config_file: str | None,
    show_source: bool | None,
    verbose: bool,
    root: str | None,
    sarif_category: str | None,
    quiet: bool = False,
    statistics: bool = False,
    exclude: tuple[str, ...] = (),
    extend_exclude: tuple[str, ...] = (),
    force_exclude: bool | None = None,
    respect_gitignore: bool | None = None,
    apply_fixes: bool = False,
    unsafe_fixes: bool = False,
    show_diff: bool = False,
    fix_only: bool = False,
    no_cache: bool = False,
    add_suppressions: bool = False,
    jobs: int | None = None,
    var_files: tuple[str, ...] = (),
    colour: str = "auto",
    stdin_filename: str | None = None,
    baseline: str | None = None,
    write_baseline: str | None = None,
    show_settings: bool = False,
) -> None:
    """Lint PATHS (files or directories; default: the current directory; `-`: standard
    input)."""
    from fglint import failure
    from fglint.engine.config import ConfigError, apply_path_options, load_config
    from fglint.engine.run import run
    from fglint.load import context_failures, load, project_root

    stdin = "-" in paths or stdin_filename is not None
    targets = _stdin_target(paths, stdin_filename) if stdin else list(paths) or ["."]
    try:
        config = load_config(config_file, targets)
        _apply_cli(config, select, extend_select, ignore, fail_on, show_source)
        given = list(exclude) or None
        apply_path_options(config, given, list(extend_exclude), force_exclude, respect_gitignore)
    except ConfigError as error:
        raise UsageError(str(error)) from None
    _set_by_flag(config, "var-files", "--var-file", [str(Path(n).resolve()) for n in var_files])
    _set_by_flag(config, "baseline", "--baseline", baseline)
    if show_settings:
        from fglint.engine.show_settings import render as settings

        click.echo(settings(config), nl=False)
        sys.exit(0)
    from fglint import cache

    cache.enable(not no_cache)
    buffers = _read_stdin(targets[0], config.limits.file_size) if stdin else {}
    if stdin and (add_suppressions or show_diff or apply_fixes or fix_only):
        raise UsageError("--fix, --diff, --fix-only and --add-suppressions need files, not `-`")
    if add_suppressions:
        _suppress_all(targets, config)
    base = str(Path(root).resolve()) if root else project_root(targets, config.source)
    if stdin_filename is None and stdin and not root:
        base = str(Path.cwd().resolve())  # standard input without a name is shown as `-`
    if show_diff or apply_fixes or fix_only:
        project, report = _fix(targets, config, unsafe_fixes, show_diff, fix_only, fmt, base)
    else:
        project = load(
            targets,
            config.file_filter(base),
            config.limits,
            1 if buffers else jobs,
            base,
            context=True,
            var_files=config.var_files,
            buffers=buffers,
        )
        # The project lives until the process exits: the cyclic collector need not rescan it
        # (it did, whole, on each full collection while rules ran: corpus rules 0.94 -> 0.37 s)
        gc.freeze()
        shown = (fmt or "text") in SHOWS_FIXES and not statistics
        report = run(project, config, fixes=shown and not (quiet and (fmt or "text") == "text"))
    where = "--baseline" if baseline else f"{config.source}: `baseline`"
    report = _baseline(report, project, config.baseline, write_baseline, where)
    if verbose:
        _list_files(report)
    for warning in context_failures(project):
        click.echo(f"fglint: warning: {warning}", err=True)
    if output:
        _refuse_input(output, project)
    text = _render(
        fmt or "text", report, output is None, config.show_source, sarif_category, colour
    )
    if statistics:
        text = _statistics(report)
    elif quiet and (fmt or "text") == "text":
        from fglint.outputs.text_format import footer

        text = text.removesuffix(footer(report.findings, len(report.linted), report.hidden))
    # Lone surrogates (an undecodable file name) are written as escapes, never an encoding error.
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    if output:
        _write(output, text)
    else:  # the report decided its colour: click must not strip it
        click.echo(text, nl=False, color=True)
    internal = [f for f in report.findings if f.code == failure.CODE]
    if internal:
        click.echo(
            f"fglint: {len(internal)} internal error{'s' if len(internal) > 1 else ''} "
            f"({failure.CODE} in "
            "the report): a bug in fglint; please report it with the file named there.",
            err=True,
        )
    threshold = RANK.get(config.fail_on, 99)
    failed = any(RANK[f.severity] >= threshold for f in report.findings)
    if _nothing_done(project):
        sys.exit(2)
    sys.exit(1 if failed and not exit_zero else 0)


def _stdin_target(paths: tuple[str, ...], name: str | None) -> list[str]:
    """`-` or `--stdin-filename`: standard input is the one file linted, as NAME (else `-`); as
    in ruff, other paths are ignored with a warning."""
    others = [path for path in paths if path != "-"]
    if others:
        ignored = " ".join(others)
        click.echo(f"fglint: warning: reading standard input; ignoring {ignored}", err=True)
    if name is not None and (os.path.isdir(name) or not Path(name).name):
        raise UsageError(f"--stdin-filename {name}: name a file, not a folder")
    return [name or "-"]


def _read_stdin(target: str, limit: int) -> dict[str, bytes]:
    """Standard input's bytes, up to one past the size limit (the reader reports the excess)."""
    stream = getattr(sys.stdin, "buffer", None)
    data = stream.read(limit + 1) if stream is not None else b""
    return {os.path.abspath(target): data}


def _baseline(
    report: Report, project: Project, read: str | None, write: str | None, where: str
) -> Report:
    """`--write-baseline` writes the findings and exits; `--baseline` hides those it holds."""
    from fglint.engine import baseline

    if write:
        _refuse_input(write, project, "--write-baseline")
        _write(write, baseline.dump(report), "--write-baseline")
        count = len(report.findings)
        click.echo(f"Wrote a baseline of {count} finding{'s' * (count != 1)} to {write}.", err=True)
        sys.exit(0)
    if not read:
        return report
    try:
        return baseline.hide(report, baseline.read(read))
    except baseline.BaselineError as error:
        raise UsageError(f"{where}: {error}") from None


def _refuse_input(output: str, project: Project, option: str = "--output") -> None:
    """The report must never overwrite a file it reports on."""
    target = os.path.realpath(output)
    inputs = [f.abspath for f in project.files] + [path for path, _ in project.skipped]
    if any(os.path.realpath(path) == target for path in inputs):
        raise UsageError(f"{option} {output} is one of the files being checked; choose another")


def _write(output: str, report: str, option: str = "--output") -> None:
    try:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(report)
    except OSError as error:
        raise UsageError(f"{option} {output}: {error.strerror or error}") from None


def _nothing_done(project: Project) -> bool:
    """Every file fglint was given failed with an internal error: no result at all."""
    reported = {f.path for f in project.files if f.report}
    from fglint import failure

    failed = {p.span.path for p in project.problems if p.code == failure.CODE}
    return bool(reported) and reported <= failed


def _fix(
    targets: list[str],
    config: Config,
    unsafe: bool,
    diff: bool,
    only: bool,
    fmt: str | None,
    base: str = "",
) -> tuple[Project, Report]:
    """--fix, --diff, --fix-only: apply (or show) the fixes, then what remains. --diff and
    --fix-only exit here."""
    from fglint.engine.fixing import fix_files, unified_diff
    from fglint.engine.run import run
    from fglint.load import load

    def lint() -> tuple[Project, Report]:
        project = load(
            targets,
            config.file_filter(base),
            config.limits,
            base=base,
            context=True,
            var_files=config.var_files,
        )
        return project, run(project, config)

    outcome, project, report = fix_files(lint, unsafe, write=not diff)
    count = f"{outcome.fixed} finding{'s' if outcome.fixed != 1 else ''}"
    skipped = len(outcome.conflicts)
    note = (
        f"; {skipped} fix{'es' if skipped != 1 else ''} skipped: they overlap another"
        if skipped
        else ""
    )
    if diff:
        changes = sorted(outcome.changed.items())
        click.echo("".join(unified_diff(path, *texts) for path, texts in changes), nl=False)
        click.echo(f"Would fix {count}{note}.", err=True)
        sys.exit(1 if changes else 0)
    if only:
        click.echo(f"Fixed {count}{note}.", err=True)
        sys.exit(0)
    remaining = len(report.findings)
    click.echo(f"Fixed {count} ({remaining} remaining){note}.", err=(fmt or "text") != "text")
    return project, report


def _suppress_all(targets: list[str], config: Config) -> None:
    """--add-suppressions: comment every current finding away, say what is left, exit 0."""
    from fglint.engine.annotate import add_suppressions
    from fglint.engine.fixing import writable, write_text
    from fglint.engine.run import run
    from fglint.load import load

    project = load(targets, config.file_filter(), config.limits, var_files=config.var_files)
    report = run(project, config, fixes=False)
    done = add_suppressions(list(report.findings), project, lambda f: writable(f, project.roots))
    files = {file.path: file for file in project.files}
    for path, text in done.texts.items():
        write_text(files[path], text)
    left = len(done.left)
    rest = (
        f"; {left} left (JSON has no comments: use per-file-ignores; a finding inside a heredoc "
        "or block scalar cannot take one; FG002 is fixed with --fix)"
        if left
        else ""
    )
    click.echo(f"Added suppressions for {done.added} findings{rest}.", err=True)
    sys.exit(0)


def _apply_cli(
    config: Config,
    select: str | None,
    extend_select: str | None,
    ignore: str | None,
    fail_on: str | None,
    show_source: bool | None,
) -> None:
    from fglint.engine.config import NO_CODE, ConfigError, validate_codes

    if select is not None:
        _set_by_flag(config, "select", "--select", validate_codes(_codes(select) or [], "--select"))
        if not config.select:
            raise ConfigError(f"--select: {NO_CODE}")
    if extend_select is not None:
        more = validate_codes(_codes(extend_select) or [], "--extend-select")
        _set_by_flag(config, "extend-select", "--extend-select", config.extend_select + more, True)
    if ignore is not None:
        more = validate_codes(_codes(ignore) or [], "--ignore")
        _set_by_flag(config, "ignore", "--ignore", config.ignore + more, True)
    _set_by_flag(config, "fail-on", "--fail-on", fail_on)
    _set_by_flag(
        config, "show-source", "--show-source" if show_source else "--no-show-source", show_source
    )


def _set_by_flag(config: Config, key: str, flag: str, value: object, adds: bool = False) -> None:
    """A flag given (not None, not empty) sets a setting, or adds to it, and is its origin."""
    if value is None or value == []:
        return
    setattr(config, key.replace("-", "_"), value)
    config.origins[key] = [*config.origins.get(key, []), flag] if adds else [flag]


def _statistics(report: Report) -> str:
    """`--statistics`: how many findings each rule has, most first."""
    from collections import Counter

    counts = Counter((f.code, f.name) for f in report.findings)
    rows = sorted(counts.items(), key=lambda row: (-row[1], row[0]))
    return "".join(f"{count:>6}  {code}  {name}\n" for (code, name), count in rows)


def _list_files(report: Report) -> None:
    for file in report.files:
        role = "read" if file.report else "context"
        click.echo(f"{role} {file.path} ({file.kind or 'unparsed'})", err=True)
    for path, why in report.skipped:
        click.echo(f"skipped {path}: {why}", err=True)


def _render(
    fmt: str,
    report: Report,
    to_terminal: bool,
    show_source: bool | None,
    category: str | None = None,
    colour: str = "auto",
) -> str:
    import importlib

    if fmt == "sarif":
        from fglint.outputs import sarif_format

        for warning in sarif_format.warnings(report):
            click.echo(f"fglint: warning: {warning}", err=True)
        return sarif_format.dump(sarif_format.build(report, category))
    if fmt == "text":
        from fglint.outputs import text_format

        return text_format.render_coloured(
            report, colour, to_terminal=to_terminal, show_source=show_source
        )
    module = importlib.import_module(f"fglint.outputs.{fmt}_format")
    text: str = module.render(report, to_terminal=to_terminal, show_source=show_source)
    return text


@cli.command()
@click.option("--format", "fmt", type=click.Choice(("table", "json", "markdown")), default="table")
def rules(fmt: str) -> None:
    """List every rule."""
    from fglint.outputs.catalogue import render_rules

    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    click.echo(render_rules(fmt, width), nl=False)


@cli.command()
@click.argument("code")
def explain(code: str) -> None:
    """Show a rule's documentation."""
    from fglint.outputs.catalogue import explain as explain_rule

    terminal = sys.stdout.isatty()
    text = explain_rule(code, terminal, bold=terminal and "NO_COLOR" not in os.environ)
    if text is None:
        raise UsageError(f"Unknown rule code {code!r}. `fglint rules` lists them.")
    click.echo(text)


def entry() -> None:
    """The console script: no traceback ever reaches the user."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(2)
    except click.exceptions.Abort:
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except SystemExit:
        raise
    except Exception as error:
        click.echo(
            f"fglint: internal error ({type(error).__name__}: {error}). This is a bug in fglint; "
            "please report it with the file that caused it.",
            err=True,
        )
        sys.exit(2)

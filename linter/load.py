"""Which files are fglint's, and which front-end reads each: decided here, once, by name and then
by content. Front-ends never hand files to each other.

By name: `*.tf`, `*.tfvars` (and `.json`), `*.tf.json` are Terraform; Dockerfile names are
Dockerfiles. `*.json`, `*.yaml`, `*.yml` and `*.template` are candidates that content decides:

- JSON: Terraform plan output (`format_version` with `planned_values` or `resource_changes`), a
  CloudFormation template, or an AWS CLI / API document (task definition, service, target group,
  scaling, cluster, IAM policy, EC2 description). JSON that does not parse is an input (FG001)
  only when its text names a key of one of those documents.
- YAML: a CloudFormation template (or a serverless.yml's `resources:`), read only when its text
  has `Type: AWS::...` or a top-level `Resources:` / `AWSTemplateFormatVersion:`.

Standard input given without a name (`-`) is recognised by content alone: JSON, then Terraform
(a top-level block), a Dockerfile (a `FROM` line), a CloudFormation template. With a name
(`--stdin-filename`), it is read as the file of that name would be, with that file's context.

Anything else is skipped silently, and listed with its reason in `project.skipped`.
"""

from __future__ import annotations

import fnmatch
import gc
import os
import re
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from fglint import failure
from fglint.exclusion import FileFilter, Patterns
from fglint.failure import blame, first_span
from fglint.files import display_path, look, read, used
from fglint.model import (
    PARSE_ERROR,
    Limits,
    Problem,
    Project,
    SourceFile,
    duplicate_key,
    parse_problem,
)
from fglint.nodes import LimitExceeded, Node, ObjectNode, Span, unknown_templates

STDIN = "-"  # the name of standard input given without a name
TOO_SLOW = "Loading this file took longer than"  # the time limit's finding begins so
CONTEXT = ("json_docs", "cloudformation")  # front-ends whose files give a given file context

# (file name pattern, the front-end that may read it), first match wins.
FRONTENDS: list[tuple[str, str]] = [
    ("*.tf", "terraform"),
    ("*.tf.json", "terraform"),
    ("*.tfvars", "terraform"),
    ("*.tfvars.json", "terraform"),
    ("*.json", "json_docs"),  # or CloudFormation or Terraform, by content
    ("*.yaml", "cloudformation"),
    ("*.yml", "cloudformation"),
    ("*.template", "cloudformation"),
    ("Dockerfile", "dockerfile"),
    ("dockerfile", "dockerfile"),  # docker build's fallback name
    ("Dockerfile.*", "dockerfile"),
    ("*.Dockerfile", "dockerfile"),
    ("*.dockerfile", "dockerfile"),
]
# Names that match a pattern above but are templates or ignore files of another tool.
NOT_OURS = ["*.tf.*", "*.tfvars.*", "*.dockerignore"]
NOT_OURS += [f"*ockerfile.{ext}" for ext in ("md", "j2", "jinja", "jinja2", "tmpl", "tpl", "erb")]
NOT_OURS += ["*ockerfile.in"]
NOT_OURS_EXCEPT = ("*.tf.json", "*.tfvars.json")

TEMPLATE_HINT = re.compile(
    r"^(?:AWSTemplateFormatVersion|Resources)\s*:|\bType['\"]?\s*:\s*['\"]?AWS::", re.MULTILINE
)
# Keys that only fglint's JSON documents have: JSON that does not parse is ours when it names one.
JSON_HINT = re.compile(
    r'"(?:containerDefinitions|taskDefinition|family|serviceName|AWSTemplateFormatVersion'
    r"|Resources|TargetGroupArn|ScalableDimension|PolicyName|clusterName|Statement"
    r'|format_version)"|"AWS::'
)
HCL_HINT = re.compile(
    r"^(?:resource|data|module|variable|output|provider)\s[^\n={]*\{|^(?:locals|terraform)\s*\{",
    re.MULTILINE,
)
DOCKERFILE_HINT = re.compile(r"^\s*FROM\s+\S", re.MULTILINE | re.IGNORECASE)


def sniff(text: str) -> str | None:
    """The front-end for standard input without a name, by content alone."""
    if text.lstrip().startswith(("{", "[")):
        return "json_docs"
    for hint, module in (
        (HCL_HINT, "terraform"),
        (DOCKERFILE_HINT, "dockerfile"),
        (TEMPLATE_HINT, "cloudformation"),
    ):
        if hint.search(text):
            return module
    return None


def frontend_for(name: str) -> str | None:
    """The front-end that may read a file of this name (content decides for JSON and YAML)."""
    if any(fnmatch.fnmatch(name, p) for p in NOT_OURS) and not any(
        fnmatch.fnmatch(name, p) for p in NOT_OURS_EXCEPT
    ):
        return None
    for pattern, module in FRONTENDS:
        if fnmatch.fnmatch(name, pattern):
            return module
    return None


def file_filter(exclude: FileFilter | list[str] | None) -> FileFilter:
    """A list of patterns (a library caller's) extends the default excludes, relative to the
    working directory."""
    if isinstance(exclude, FileFilter):
        return exclude
    if not exclude:
        return FileFilter()
    return FileFilter(extend=[Patterns(tuple(exclude), os.getcwd(), "exclude")])


def collect(
    paths: list[str],
    exclude: FileFilter | list[str] | None = None,
    project: Project | None = None,
) -> Iterator[Path]:
    """Files under `paths` that a front-end reads, by name: `read` decides whether each may be
    read (regular, inside the root, small enough). Links to folders are not followed. A folder
    that cannot be listed is an FG001 finding in `project`; an excluded or gitignored file or
    folder is listed with the reason in `project.skipped`."""
    chosen = file_filter(exclude)
    scratch = project or Project()

    def skip(path: str, why: str, folder: bool = False) -> None:
        shown = display_path(path, scratch.base) + ("/" if folder else "")
        scratch.skipped.append((shown, why))

    for given in paths:
        why = chosen.given_reason(given)
        if why is not None:
            skip(given, why, os.path.isdir(given))
            continue
        if not os.path.isdir(given):
            if frontend_for(Path(given).name) or Path(given).name == STDIN:
                yield Path(os.path.abspath(given))
            continue
        root = Path(given).resolve()
        unlisted = partial(_unlisted, project) if project is not None else None
        for folder, dirs, files in os.walk(root, onerror=unlisted):
            kept = []
            for name in sorted(dirs):
                path = os.path.join(folder, name)
                why = chosen.walk_reason(path, True, str(root))
                if why is not None:
                    skip(path, why, folder=True)
                elif not os.path.islink(path):
                    kept.append(name)
            dirs[:] = kept
            for name in sorted(files):
                if not frontend_for(name):
                    continue
                path = os.path.join(folder, name)
                why = chosen.walk_reason(path, False, str(root))
                if why is None:
                    yield Path(path)
                else:
                    skip(path, why)


def _unlisted(project: Project, error: OSError) -> None:
    shown = display_path(error.filename or ".", project.base)
    reason = (error.strerror or str(error)).lower()
    project.files.append(SourceFile(shown, str(error.filename), "", failed=True))
    span = Span(shown, 1, 1, 1, 1)
    message = f"Folder not scanned: {reason}; the files in it are not linted"
    project.problems.append(Problem(PARSE_ERROR, span, message, severity="warning"))


def _loaded(path: Path, project: Project) -> SourceFile | None:
    return project.file_at(str(path))


def load_file(path: Path, project: Project, report: bool = True) -> None:
    module = frontend_for(path.name)
    nameless = path.name == STDIN and str(path) in project.buffers  # recognised by content
    if module is None and not nameless:
        return
    if module == "terraform" and ".tfvars" in path.name:
        _load_module_of(path, project)
    seen = _loaded(path, project)
    if seen is not None:  # loaded already, perhaps as a module's context
        used(seen, project)
        seen.report = seen.report or report
        if module == "terraform":  # a module read for a caller is also linted on its own
            from fglint.frontends import terraform

            terraform.load(seen, project)
        return
    file = read(path, project, report)
    if file is None:
        return
    module = module or sniff(file.text)
    try:
        with deadline(project.limits.seconds, file):
            make_room(project.limits)
            why_not = dispatch(module, file, project) if module else NOT_RECOGNISED
    except LimitExceeded as error:
        project.discard(file)
        project.problems.append(parse_problem(error.span, error.message))
        return
    except RecursionError:  # limits raised beyond what Python's stack can follow
        project.discard(file)
        message = (
            "Nested too deeply for fglint to follow: not read (`[limits] depth` or "
            "`evaluation-depth` in the settings is higher than fglint can handle here)"
        )
        project.problems.append(parse_problem(Span(file.path, 1, 1, 1, 1), message))
        return
    except Exception as error:  # a bug in fglint: a finding at the file, the run goes on
        project.discard(file)
        span = blame(error, {file.path}) or Span(file.path, 1, 1, 1, 1)
        project.problems.append(failure.problem(error, span, "loading this file"))
        return
    if why_not is not None:
        project.files.remove(file)
        project.skipped.append((file.path, why_not))
    file.pack()


STACK = 15_000  # Python frames allowed at most: 40,000 nested generators crash an 8 MB stack


def make_room(limits: Limits) -> None:
    """Raise Python's recursion limit to what input within `limits` needs, up to `STACK`: the
    parsers and tree walks take up to about 20 frames per level of nesting (an HCL level is up
    to 6 levels of its tree), the Terraform evaluator up to 8 per level (16 allowed). Deeper,
    loading a file stops with a RecursionError, which is an FG001 finding."""
    needed = min(STACK, 1000 + 20 * limits.depth + 16 * limits.evaluation_depth)
    if sys.getrecursionlimit() < needed:
        sys.setrecursionlimit(needed)


@contextmanager
def deadline(seconds: float, file: SourceFile) -> Iterator[None]:
    """Stop loading `file` after `seconds` (a limit; 0 is none). A timer signal interrupts the
    loading, so this works only in the main thread of a process, and elsewhere does nothing."""
    usable = seconds > 0 and hasattr(signal, "setitimer")
    if not usable or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise LimitExceeded(
            f"{TOO_SLOW} {seconds:g} s: stopped (`[limits] seconds` in "
            "the settings raises the limit)",
            Span(file.path, 1, 1, 1, 1),
        )

    before = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)


def load_context(
    paths: list[str], exclude: FileFilter | list[str] | None, project: Project
) -> None:
    """Files given by name (as pre-commit gives them) keep their context: the JSON and YAML
    inputs of their folder tree are loaded too, unreported, so that a finding that joins files
    (a service, its task definition and target group) is seen; it is reported when a given file
    takes part in it. A Terraform file's module is its front-end's context already."""
    folders: list[Path] = []
    for given in paths:
        if os.path.isdir(given) or not frontend_for(Path(given).name):
            continue
        folder = Path(os.path.abspath(given)).parent
        if any(folder.is_relative_to(seen) for seen in folders):
            continue
        folders.append(folder)
        for path in collect([str(folder)], exclude, project):
            if frontend_for(path.name) in CONTEXT and project.file_at(str(path)) is None:
                load_file(path, project, report=False)


def context_failures(project: Project) -> list[str]:
    """The context files that could not be parsed: findings for the given files may miss what
    they define."""
    context = {f.path for f in project.files if not f.report}
    return [
        f"{p.span}: context file not parsed ({p.message}); findings for the given files may be "
        "incomplete"
        for p in project.problems
        if p.code == PARSE_ERROR and p.span.path in context
    ]


def _load_module_of(tfvars: Path, project: Project) -> None:
    """A tfvars file is read by the module of its folder, which gives its values their meaning."""
    look(tfvars.parent, project)
    module = next(iter(sorted(tfvars.parent.glob("*.tf"))), None)
    if module is not None and os.path.isfile(module):
        load_file(module, project, report=False)


NOT_RECOGNISED = (
    "standard input that is not JSON, Terraform, a Dockerfile or CloudFormation "
    "(`--stdin-filename` names it)"
)


def dispatch(module: str, file: SourceFile, project: Project) -> str | None:
    """Hand `file` to its front-end. The reason it is not one of fglint's inputs, or None."""
    name = file.path.rsplit("/", 1)[-1]
    if module == "terraform":
        from fglint.frontends import terraform

        if name.endswith(".tf.json"):
            terraform.load_json(file, project)
        elif ".tfvars" in name:
            _load_tfvars(file, project)
        else:
            terraform.load(file, project)
        return None
    if module == "dockerfile":
        from fglint.frontends import dockerfile

        dockerfile.load(file, project)
        return None
    if module == "json_docs" or file.text.lstrip().startswith(("{", "[")):
        return _load_json(file, project)
    if not TEMPLATE_HINT.search(file.text):
        return "YAML without `Type: AWS::...` or a top-level `Resources:`: not CloudFormation"
    from fglint.frontends import cloudformation

    if not cloudformation.load(file, project):
        return "YAML that holds no CloudFormation template"
    return None


def _load_tfvars(file: SourceFile, project: Project) -> None:
    """A tfvars file no module in its folder reads (`-var-file`): checked for its syntax only."""
    file.kind = "terraform"
    if file.path.endswith(".json"):
        _parse_json(file, project)
        return
    from fglint.frontends.terraform.build import parse_body

    parse_body(file, project)


def _parse_json(file: SourceFile, project: Project) -> tuple[Node, list[Problem]] | str | None:
    """The parsed root and its duplicate-key problems. When it does not parse: None when it
    names a key of fglint's inputs (FG001 is reported), else the reason it is not ours."""
    from fglint.frontends.jsonpos import JsonSyntaxError, parse_json

    try:
        root, duplicates = parse_json(file.text, file.path, depth=project.limits.depth)
    except JsonSyntaxError as error:
        if not JSON_HINT.search(file.text) and not file.path.endswith((".tf.json", ".tfvars.json")):
            return "JSON that does not parse and names no key of fglint's inputs"
        file.kind = file.kind or "json"
        project.problems.append(parse_problem(error.span, error.message, "JSON"))
        return None
    return root, [duplicate_key(*duplicate) for duplicate in duplicates]


def is_plan(root: Node) -> bool:
    """`terraform show -json` output for a plan."""
    return (
        isinstance(root, ObjectNode)
        and "format_version" in root
        and ("planned_values" in root or "resource_changes" in root)
    )


def _load_json(file: SourceFile, project: Project) -> str | None:
    parsed = _parse_json(file, project)
    if not isinstance(parsed, tuple):
        return parsed
    root, duplicates = parsed
    if is_plan(root):
        from fglint.frontends import terraform

        terraform.load_plan(file, project)
        return None
    root = unknown_templates(root)
    from fglint.frontends.cloudformation.template import load_template

    if not load_template(root, file, project):
        from fglint.frontends import json_docs

        if not json_docs.load(root, file, project):
            return "JSON that is not an ECS, CloudFormation or Terraform document"
    project.problems.extend(duplicates)
    return None


def scan_root(given: str, buffers: dict[str, bytes] | None = None) -> str:
    """The folder no file may be read outside of: a directory argument itself (its real path);
    for a file, the folder it is in (not the working directory); for standard input without a
    name, itself: nothing beside it is read."""
    if Path(given).name == STDIN and os.path.abspath(given) in (buffers or {}):
        return os.path.realpath(given)
    if os.path.isdir(given):
        return os.path.realpath(given)
    return os.path.realpath(os.path.dirname(os.path.abspath(given)))


def project_root(paths: list[str], settings: str | None = None) -> str:
    """The folder paths are shown relative to: the nearest one, from the first path upwards,
    that holds the settings file or `.git`; else the working directory, or the first path's
    folder when it lies outside the working directory."""
    start = Path(paths[0] if paths else ".").resolve()
    folder = start if os.path.isdir(start) else start.parent
    for here in (folder, *folder.parents):
        if os.path.exists(here / ".git") or (settings and Path(settings).resolve().parent == here):
            return str(here)
    cwd = Path.cwd().resolve()
    return str(cwd if folder.is_relative_to(cwd) else folder)


def load(
    paths: list[str],
    exclude: FileFilter | list[str] | None = None,  # a list: patterns beside the defaults
    limits: Limits | None = None,
    jobs: int | None = 1,  # processes loading files; None: every core for a large run
    base: str = "",
    context: bool = False,  # files given by name load their context (the command line does)
    var_files: list[str] | None = None,  # Terraform `-var-file`s, applied after tfvars
    buffers: dict[str, bytes] | None = None,  # absolute path -> standard input's bytes for it
) -> Project:
    from fglint.linker import link
    from fglint.speculate import load_all

    project = Project(
        roots=[scan_root(path, buffers) for path in paths],
        limits=limits or Limits(),
        base=base,
        buffers=dict(buffers or {}),
    )
    project.settings["terraform.var_files"] = list(var_files or [])
    # Loading builds a large tree that holds no garbage cycles: the cyclic collector would only
    # rescan it as it grows (a fifth of a corpus run). It runs again once the project is built.
    chosen = file_filter(exclude)
    collecting = gc.isenabled()
    gc.disable()
    try:
        load_all(paths, chosen, project, jobs)
        if context:
            load_context(paths, chosen, project)
        # once each: a module folder read again after its first reader came from the model
        # cache reports its syntax problems again
        project.problems = list(dict.fromkeys(project.problems))
        project.skipped[:] = sorted(set(project.skipped))  # a folder and a file's context
        try:
            link(project)
        except Exception as error:  # a bug in fglint: reported, and the rules still run
            reported = {f.path for f in project.files if f.report}
            span = blame(error, reported) or first_span(project)
            if span is None:
                raise
            project.problems.append(failure.problem(error, span, "linking files"))
    finally:
        if collecting:
            gc.enable()
    return project

"""SARIF 2.1.0 for GitHub code scanning, built with sarif-om (imported only when this runs).

One run. `tool.driver.rules` comes from the rules' own metadata and docs, never from a result's
data. Each result has a location relative to the project root under `%SRCROOT%`, a full region in
Unicode code points, related locations linked from its message (GitHub shows them only then),
GitHub's `primaryLocationLineHash` (made unique per rule when results share a line) and fglint's
own fingerprint. GitHub's documented limits (docs.github.com, "SARIF support for code scanning")
are kept: descriptions of at most 1,024 characters, names of at most 255, a warning past 25,000
results per run.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TypeAlias
from urllib.parse import quote

from fglint import __version__, failure
from fglint.engine.report import Finding, Report, finding_fingerprints
from fglint.nodes import Span
from fglint.outputs.catalogue import help_uri
from fglint.outputs.fingerprint import file_line_hashes
from fglint.rule import LoadedRule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/fglint/fglint"
SRCROOT = "%SRCROOT%"
MAX_DESCRIPTION = 1024  # GitHub: shortDescription.text and fullDescription.text
MAX_RESULTS = 25_000  # GitHub rejects a run with more results (and shows the top 5,000)
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}
KEEP_DEFAULT = {"level"}  # GitHub reads it; say it even when it is SARIF's default

Json: TypeAlias = "dict[str, Json] | list[Json] | str | int | float | bool | None"
Sarif = object  # a sarif-om object (an attrs class; the library has no type hints)


def to_json(value: object) -> Json:
    """sarif-om objects as SARIF JSON: attrs field names become the schema's property names;
    unset fields (None) and fields left at SARIF's default are dropped."""
    import attr

    if attr.has(type(value)):
        return properties_of(value)
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    if value is None or isinstance(value, (str, int, float)):  # bool is an int
        return value
    raise TypeError(f"not a SARIF value: {value!r}")


def properties_of(value: Sarif) -> dict[str, Json]:
    """One sarif-om object as a JSON object (see `to_json`)."""
    import attr

    kind = type(value)
    if not attr.has(kind):
        raise TypeError(f"not a sarif-om object: {value!r}")
    out: dict[str, Json] = {}
    for field in attr.fields(kind):
        item = getattr(value, field.name)
        default = field.default
        if isinstance(default, attr.Factory):  # type: ignore[arg-type]
            default = default.factory()
        if item is None or (item == default and field.name not in KEEP_DEFAULT):
            continue
        out[field.metadata.get("schema_property_name", field.name)] = to_json(item)
    return out


def what_it_does(doc: str) -> str:
    match = re.search(r"## What it does\s*\n(.*?)(?=\n## |\Z)", doc, re.S)
    return within(" ".join((match.group(1) if match else doc).split()), MAX_DESCRIPTION)


def within(text: str, limit: int) -> str:
    """`text`, or as many of its whole sentences as fit in `limit` characters."""
    if len(text) <= limit:
        return text
    cut = text.rfind(". ", 0, limit - 1)
    return text[: cut + 1] if cut > 0 else text[: limit - 1] + "…"


def escape(text: str) -> str:
    """Message text with its square brackets escaped: in SARIF, `[text](id)` is a link."""
    return text.replace("[", "\\[").replace("]", "\\]")


def reporting_descriptor(rule: LoadedRule) -> Sarif:
    import sarif_om as om

    meta = rule.meta
    properties: dict[str, Json] = {
        "tags": list(meta.tags),
        "precision": meta.precision,
        "problem.severity": PROBLEM_SEVERITY[meta.severity],
    }
    if meta.security_severity is not None:
        properties["security-severity"] = f"{meta.security_severity:.1f}"
    return om.ReportingDescriptor(
        id=meta.code,
        name=meta.name,
        short_description=om.MultiformatMessageString(text=within(meta.summary, MAX_DESCRIPTION)),
        full_description=om.MultiformatMessageString(text=what_it_does(rule.doc)),
        help=om.MultiformatMessageString(text=rule.doc, markdown=rule.doc),
        help_uri=help_uri(meta.code),
        default_configuration=om.ReportingConfiguration(level=meta.severity),
        properties=properties,
    )


def artifact_location(path: str) -> Sarif:
    import sarif_om as om

    if Path(path).is_absolute():  # outside the working directory: no base to be relative to
        return om.ArtifactLocation(uri=Path(path).as_uri())
    # A name that is not UTF-8 keeps its bytes (os.fsdecode made them lone surrogates).
    try:
        raw = path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file system made: kept as its code point
        raw = path.encode("utf-8", "surrogatepass")
    return om.ArtifactLocation(uri=quote(raw, safe="/"), uri_base_id=SRCROOT)


def physical_location(span: Span) -> Sarif:
    import sarif_om as om

    return om.PhysicalLocation(
        artifact_location=artifact_location(span.path),
        region=om.Region(
            start_line=span.line,
            start_column=span.col,
            end_line=span.end_line,
            end_column=span.end_col,
        ),
    )


def base_uri(root: str) -> str:
    uri = Path(root or Path.cwd()).resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"


class Hashes:
    """Line hashes per file, computed once per file that has a finding."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.cache: dict[str, list[str]] = {}

    def at(self, span: Span) -> str | None:
        if span.path not in self.cache:
            file = self.report.file(span.path)
            where = file.abspath if file is not None else span.path
            self.cache[span.path] = file_line_hashes(where, file.text if file else "")
        hashes = self.cache[span.path]
        return hashes[span.line - 1] if 0 < span.line <= len(hashes) else None


def message(finding: Finding) -> str:
    """The finding's message, then a link to each related location: `[text](id)`."""
    links = [f"[{escape(text)}]({n})" for n, (_, text) in enumerate(finding.related, start=1)]
    text = escape(finding.message)
    return f"{text} Related: {'; '.join(links)}." if links else text


def logical_locations(finding: Finding) -> list[Sarif] | None:
    """The CDK construct path of a finding in `cdk synth` output, as a logical location."""
    import sarif_om as om

    if not finding.construct:
        return None
    name = finding.construct.rstrip("/").rsplit("/", 1)[-1]
    path = finding.construct
    return [om.LogicalLocation(name=name, fully_qualified_name=path, kind="resource")]


def result(finding: Finding, index: int, fingerprints: dict[str, str], report: Report) -> Sarif:
    import sarif_om as om

    related = [
        om.Location(
            id=number, physical_location=physical_location(span), message=om.Message(text=text)
        )
        for number, (span, text) in enumerate(finding.related, start=1)
    ]
    fix = sarif_fix(finding, report)
    return om.Result(
        rule_id=finding.code,
        rule_index=index,
        level=finding.severity,
        message=om.Message(text=message(finding)),
        locations=[
            om.Location(
                physical_location=physical_location(finding.span),
                logical_locations=logical_locations(finding),
            )
        ],
        related_locations=related or None,
        partial_fingerprints=fingerprints,
        fixes=[fix] if fix else None,
    )


def invocations(findings: tuple[Finding, ...], warned: list[str]) -> list[Sarif] | None:
    """fglint's own failures (FG005) and warnings about the run (GitHub's result limit) as tool
    execution notifications, where SARIF viewers look for a tool's errors; None when none."""
    import sarif_om as om

    failed = [f for f in findings if f.code == failure.CODE]
    notes = [
        om.Notification(
            level="error",
            message=om.Message(text=f.message),
            locations=[om.Location(physical_location=physical_location(f.span))],
            descriptor=om.ReportingDescriptorReference(id=f.code),
        )
        for f in failed
    ]
    notes += [om.Notification(level="warning", message=om.Message(text=text)) for text in warned]
    if not notes:
        return None
    return [om.Invocation(execution_successful=True, tool_execution_notifications=notes)]


def sarif_fix(finding: Finding, report: Report) -> Sarif | None:
    """The finding's fix as artifact changes: replacements of regions (empty ones insert)."""
    import sarif_om as om
    from fglint.fix import position

    if finding.fix is None:
        return None
    changes = []
    for path in dict.fromkeys(edit.path for edit in finding.fix.edits):
        file = report.file(path)
        if file is None:
            return None
        replacements = []
        for edit in (e for e in finding.fix.edits if e.path == path):
            (line, col), (end_line, end_col) = (
                position(file.text, edit.start),
                position(file.text, edit.end),
            )
            region = om.Region(
                start_line=line, start_column=col, end_line=end_line, end_column=end_col
            )
            replacements.append(
                om.Replacement(
                    deleted_region=region, inserted_content=om.ArtifactContent(text=edit.text)
                )
            )
        changes.append(
            om.ArtifactChange(artifact_location=artifact_location(path), replacements=replacements)
        )
    label = finding.fix.message + ("" if finding.fix.safe else " (unsafe)")
    fix: Sarif = om.Fix(description=om.Message(text=label), artifact_changes=changes)
    return fix


def partial_fingerprints(report: Report) -> list[dict[str, str]]:
    """Per finding: GitHub's line hash, with a counter when results of one rule share a line
    (GitHub tracks an alert by rule and this hash alone), and fglint's own fingerprint."""
    hashes = Hashes(report)
    ours = finding_fingerprints(report)
    seen: dict[tuple[str, str], int] = {}
    out = []
    for finding, own in zip(report.findings, ours, strict=True):
        prints = {"fglint/v1": own}
        line_hash = hashes.at(finding.span)
        if line_hash:
            key = (finding.code, line_hash)
            seen[key] = seen.get(key, 0) + 1
            suffix = f":{seen[key]}" if seen[key] > 1 else ""
            prints["primaryLocationLineHash"] = line_hash + suffix
        out.append(prints)
    return out


def warnings(report: Report) -> list[str]:
    if len(report.findings) > MAX_RESULTS:
        return [
            f"{len(report.findings):,} results: GitHub code scanning rejects a SARIF run with "
            f"more than {MAX_RESULTS:,} (narrow the paths or rules, or use --baseline)"
        ]
    return []


def build(report: Report, category: str | None = None) -> dict[str, Json]:
    import sarif_om as om

    rules = [ran.rule for ran in report.rules]
    index = {rule.code: number for number, rule in enumerate(rules)}
    findings = report.findings
    prints = partial_fingerprints(report)
    run = om.Run(
        tool=om.Tool(
            driver=om.ToolComponent(
                name="fglint",
                version=__version__,
                semantic_version=__version__,
                information_uri=INFORMATION_URI,
                rules=[reporting_descriptor(rule) for rule in rules],
            )
        ),
        results=[
            result(f, index.get(f.code, -1), p, report)
            for f, p in zip(findings, prints, strict=True)
        ],
        invocations=invocations(findings, warnings(report)),
        column_kind="unicodeCodePoints",
        original_uri_base_ids={SRCROOT: om.ArtifactLocation(uri=base_uri(report.root))},
        automation_details=om.RunAutomationDetails(id=automation_id(category))
        if category
        else None,
    )
    log = om.SarifLog(version="2.1.0", schema_uri=SCHEMA, runs=[run])
    return properties_of(log)


def automation_id(category: str) -> str:
    """GitHub reads `id` as `category/run-id`: with a trailing slash, all of it is the category."""
    return category if category.endswith("/") else category + "/"


def render(report: Report, *, to_terminal: bool = False, show_source: bool | None = None) -> str:
    return dump(build(report))


def dump(log: dict[str, Json]) -> str:
    return json.dumps(log, indent=2) + "\n"

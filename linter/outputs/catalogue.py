"""`fglint rules` and `fglint explain`: both rendered from the rules' own metadata and docs."""

from __future__ import annotations

import json
import textwrap

from fglint.engine.registry import all_rules, rule_by_code

DOCS_URL = "https://github.com/fglint/fglint/blob/main/docs/rules/{code}.md"


def help_uri(code: str) -> str:
    """The rule's page, generated from its docstring (`docs/rules/FGnnn.md`)."""
    return DOCS_URL.format(code=code)


def rule_table() -> list[dict[str, object]]:
    return [
        {
            "code": rule.code,
            "name": rule.meta.name,
            "severity": rule.meta.severity,
            "enabled": rule.meta.enabled,
            "tags": list(rule.meta.tags),
            "summary": rule.meta.summary,
            "options": rule.meta.defaults,
            "fix": rule.meta.fix,
        }
        for rule in all_rules()
    ]


def render_rules(fmt: str, width: int | None = None) -> str:
    """The rule list; `width` (a terminal's) wraps long summaries under their own column."""
    rows = rule_table()
    if fmt == "json":
        return json.dumps(rows, indent=2) + "\n"
    if fmt == "markdown":
        lines = [
            "| code | name | severity | default | fix | summary |",
            "|---|---|---|---|---|---|",
        ]
        for row in rows:
            default = "on" if row["enabled"] else "off"
            fix = row["fix"] or ""
            cells = (row["code"], row["name"], row["severity"], default, fix, row["summary"])
            lines.append("| " + " | ".join(map(str, cells)) + " |")
        return "\n".join(lines) + "\n"
    name_width = max(len(str(row["name"])) for row in rows)
    indent = " " * (5 + 2 + name_width + 2 + 7 + 2 + 6 + 2)
    room = width - len(indent) if width else 0
    lines = []
    for row in rows:
        default = "" if row["enabled"] else "  (off by default)"
        summary = f"{row['summary']}{default}"
        parts = textwrap.wrap(summary, room) if room >= 30 else [summary]
        lines.append(
            f"{row['code']}  {str(row['name']).ljust(name_width)}  "
            f"{str(row['severity']).ljust(7)}  {str(row['fix'] or '').ljust(6)}  {parts[0]}"
        )
        lines.extend(indent + part for part in parts[1:])
    return "\n".join(lines) + "\n"


def explain(code: str, terminal: bool = False, bold: bool = False) -> str | None:
    """The rule's docs: Markdown, or for a terminal, plain text (see `for_terminal`)."""
    rule = rule_by_code(code)
    if rule is None:
        return None
    meta = rule.meta
    state = "on by default" if meta.enabled else "off by default (turn on with --select)"
    fix = f", {meta.fix} fix" if meta.fix else ""
    header = f"{meta.code} {meta.name} [{meta.severity}, {state}{fix}]\n\n{meta.summary}\n"
    options = ""
    if meta.defaults:
        options = "\n## Options\n" + "".join(
            f"- `{k}` (default: {v!r})\n" for k, v in meta.defaults.items()
        )
    text = f"{header}\n{rule.doc}\n{options}".rstrip() + "\n"
    return for_terminal(text, bold) if terminal else text


def for_terminal(markdown: str, bold: bool = False) -> str:
    """Markdown docs as terminal text: headings without `##` (bold on a colour terminal), code
    blocks indented by four spaces instead of fenced."""
    lines, code = [], False
    for line in markdown.splitlines():
        if line.startswith("```"):
            code = not code
            lines.append("")  # a blank line around each code block
        elif code:
            lines.append(f"    {line}".rstrip())
        elif line.startswith("## "):
            lines.append(f"\033[1m{line[3:]}\033[0m" if bold else line[3:])
        else:
            lines.append(line)
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip("\n") + "\n"


def rule_page(code: str) -> str | None:
    """`docs/rules/<code>.md`, the page SARIF's `helpUri` points to: the rule's docs as
    `fglint explain` shows them, under a title."""
    rule = rule_by_code(code)
    text = explain(code)
    if rule is None or text is None:
        return None
    source = f"rules/{rule.module}.py"
    return (
        f"# {text}\n"
        f"<!-- Generated from the docstring of {source}: edit it there, then run "
        "FGLINT_UPDATE_SNAPSHOTS=1 pytest tests/test_rule_docs.py -->\n"
    )

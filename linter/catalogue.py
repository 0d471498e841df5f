"""`fglint rules` and `fglint explain`: both rendered from the rules' own metadata and docs."""

from __future__ import annotations

import json

from .engine import all_rules, rule_by_code

DOCS_URL = "https://github.com/fglint/fglint/blob/main/rules/{module}.py"


def help_uri(module: str) -> str:
    return DOCS_URL.format(module=module)


def rule_table() -> list[dict[str, object]]:
    return [
        {
            "code": rule.code,
            "name": rule.meta.name,
            "severity": rule.meta.severity,
            "enabled": rule.meta.enabled,
            "tags": list(rule.meta.tags),
            "summary": rule.meta.summary,
            "options": rule.meta.options,
        }
        for rule in all_rules()
    ]


def render_rules(fmt: str) -> str:
    rows = rule_table()
    if fmt == "json":
        return json.dumps(rows, indent=2) + "\n"
    if fmt == "markdown":
        lines = ["| code | name | severity | default | summary |", "|---|---|---|---|---|"]
        for row in rows:
            default = "on" if row["enabled"] else "off"
            cells = (row["code"], row["name"], row["severity"], default, row["summary"])
            lines.append("| " + " | ".join(map(str, cells)) + " |")
        return "\n".join(lines) + "\n"
    width = max(len(str(row["name"])) for row in rows)
    lines = []
    for row in rows:
        default = "" if row["enabled"] else "  (off by default)"
        lines.append(
            f"{row['code']}  {str(row['name']).ljust(width)}  {str(row['severity']).ljust(7)}  "
            f"{row['summary']}{default}"
        )
    return "\n".join(lines) + "\n"


def explain(code: str) -> str | None:
    rule = rule_by_code(code)
    if rule is None:
        return None
    meta = rule.meta
    state = "on by default" if meta.enabled else "off by default (turn on with --select)"
    header = f"{meta.code} {meta.name} [{meta.severity}, {state}]\n\n{meta.summary}\n"
    options = ""
    if meta.options:
        options = "\n## Options\n" + "".join(
            f"- `{k}` (default: {v!r})\n" for k, v in meta.options.items()
        )
    return f"{header}\n{rule.doc}\n{options}".rstrip() + "\n"

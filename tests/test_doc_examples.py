"""Each rule's documented example does what its docs say: the first fenced block of `## Example`
triggers the rule, and every block after "Use instead" leaves it silent. The rule runs alone.

A block is linted as a file of its language (json, hcl, yaml, dockerfile). A JSON block that is
a list of object members (`"healthCheck": {...}`) is read inside braces; a container definition
(an object with `name` and `image`) as a one-element container-definitions array; a JSON block
that does not parse as written (FG001's) as written. A bad example that fglint does not
recognise as any input (a fragment of a larger document) is not checked, but the rules listed
in CHECKED must keep examples it recognises. A suppression example runs with the rules it names.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fglint.engine.registry import all_rules
from fglint.load import load
from fglint.rule import LoadedRule
from helpers import lint

FENCE = re.compile(r"```(\w*)\n(.*?)```", re.S)
FILE_NAMES = {"json": "example.json", "hcl": "main.tf", "yaml": "template.yaml"}
FILE_NAMES["dockerfile"] = "Dockerfile"
SUPPRESSED = re.compile(r"ignore\[([A-Z0-9, ]+)\]")

# Recognised examples that need more than themselves to trigger the rule.
NEEDS_CONTEXT = {
    "FG111": "shows the task definition; the Fargate service is described in prose",
    "FG304": "needs the drain-grace option the example states",
    "FG305": "shows the target group; the service and task are described in prose",
    "FG704": "shows the security group; the service that uses it is not shown",
    "FG706": "shows the target group; the awsvpc service is not shown",
    "FG806": "shows the service; the Windows task definition is described in prose",
}

# Rules whose bad example fglint recognises and checks (a floor: more may be checked).
CHECKED = {
    "FG001", "FG002", "FG003", "FG004", "FG101", "FG102", "FG103", "FG104", "FG105", "FG106",
    "FG107", "FG108", "FG109", "FG110", "FG201", "FG202", "FG301", "FG303", "FG306", "FG401",
    "FG402", "FG403", "FG404", "FG501", "FG502", "FG504", "FG506", "FG601", "FG602", "FG603",
    "FG605", "FG606", "FG608", "FG701", "FG702", "FG703", "FG705", "FG708", "FG801", "FG802",
    "FG803", "FG804", "FG901", "FG902", "FG903", "FG905", "FG906",
}  # fmt: skip

RULES = all_rules()


def examples(rule: LoadedRule) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The (language, text) blocks of the example: before "Use instead", and after it."""
    section = rule.doc.split("## Example", 1)[1].split("## References", 1)[0]
    bad, _, fix = section.partition("Use instead")
    return FENCE.findall(bad), FENCE.findall(fix)


def document(language: str, text: str) -> str:
    if language != "json":
        return text
    for candidate in (text, "{" + text + "}"):
        try:
            value = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(value, dict) and "name" in value and "image" in value:
            return "[" + candidate + "]"
        return candidate
    return text


def write(folder: Path, language: str, text: str) -> Path:
    folder.mkdir()
    path = folder / FILE_NAMES[language]
    path.write_text(document(language, text), encoding="utf-8")
    return path


def recognised(path: Path) -> bool:
    project = load([str(path)])
    return bool(project.resources or project.problems)


def codes(path: Path, rule: LoadedRule, text: str) -> list[str]:
    named = [c.strip() for match in SUPPRESSED.findall(text) for c in match.split(",")]
    return [f.code for f in lint([path], [rule.code, *named]) if f.code == rule.code]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_the_example_triggers_the_rule_and_the_fix_silences_it(
    rule: LoadedRule, tmp_path: Path
) -> None:
    bad, fixes = examples(rule)
    assert bad, f"{rule.code}: no fenced example"
    language, text = bad[0]
    if language in FILE_NAMES:
        path = write(tmp_path / "bad", language, text)
        if recognised(path) and rule.code not in NEEDS_CONTEXT:
            assert codes(path, rule, text), f"{rule.code}'s example does not trigger it"
        else:
            assert rule.code not in CHECKED, f"{rule.code}'s example is no longer checkable"
    for number, (language, text) in enumerate(fixes):
        if language in FILE_NAMES:
            path = write(tmp_path / f"fix{number}", language, text)
            assert codes(path, rule, text) == [], f"{rule.code}'s fix #{number + 1} triggers it"


def test_the_lists_name_real_rules() -> None:
    known = {rule.code for rule in RULES}
    assert known >= CHECKED | set(NEEDS_CONTEXT)
    assert not CHECKED & set(NEEDS_CONTEXT)

"""Fixes, proven by golden files: every bad fixture of a fixing rule is fixed (safe and unsafe
fixes, the rule alone) in a temporary copy and compared with `fixtures/FGxxx/fixed/<fixture>`
(a file, or a directory holding the files the fix changes). The fixed file lints clean for the
rule, a second `--fix` changes nothing, and every byte outside the edits is kept.
FGLINT_UPDATE_SNAPSHOTS=1 writes the goldens (review the diff before committing)."""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest
from fglint.engine.config import Config
from fglint.engine.fixing import fix_files, plan
from fglint.engine.registry import all_rules
from fglint.engine.run import run
from fglint.load import load
from helpers import FIXTURES, in_dir

UPDATE = os.environ.get("FGLINT_UPDATE_SNAPSHOTS") == "1"
FIXING = [rule for rule in all_rules() if rule.meta.fix]
# Bad fixtures a fix cannot resolve, and why.
NO_FIX = {
    "FG101/bad_cfn_memory.yaml": "memory above every size the cpu allows: the cpu must change",
    "FG101/bad_memory_too_big.json": "memory above every size the cpu allows",
    "FG101/bad_cpu_not_a_size.json": "the cpu is no Fargate size, so no memory follows from it",
    "FG101/bad_tf_size_from_variable.tf": "memory is `var.memory`, an expression",
    "FG101/bad_cfn_fraction_without_unit.yaml": "a cpu that is no number of units: which size "
    "was meant (a quarter vCPU, 256?) is the author's choice",
    "FG301/bad_cfn_sh_c.yaml": "`migrate && gunicorn` is not one simple command",
    "FG301/bad_sh_c.json": "one container fixed; `./migrate && ./worker` is not one command",
    "FG301/bad_tf_file": "`migrate && python worker.py` is not one simple command",
    "FG301/bad_shell_table.json": "lists, pipes, redirections, traps: only the lone commands",
    "FG305/bad_cfn_default_delay.yaml": "a default delay: CloudFormation writes it as an "
    "attribute list item, which the fix does not add; the written one is fixed",
    "FG305/bad_incident": "a default delay: a CreateTargetGroup input has no attributes",
    "FG306/bad_cfn_no_grace.yaml": "no container startPeriod to take the grace period from",
    "FG306/bad_tf_no_grace.tf": "no container startPeriod to take the grace period from",
    "FG306/bad_no_balancer": "no container startPeriod to take the grace period from",
    "FG801/bad_tf_dynamic_breaker_off_by_default.tf": "a `dynamic` block decides whether the "
    "breaker exists: a literal block beside it would make two when the variable is true",
    "FG506/bad_tf_dynamic_setting_off.tf": "a `dynamic` block writes the setting",
    "FG101/bad_tf_json.tf.json": "Terraform's JSON syntax: fixes are not written in it yet",
    "FG801/bad_tf_plan.json": "a plan is Terraform's output: the fix belongs in the .tf source",
    "FG101/bad_tf_plan_with_source": "the planned memory comes from a variable the plan was "
    "given: the .tf block shows no literal to edit",
}


def cases() -> list[Path]:
    found = []
    for rule in FIXING:
        for path in sorted((FIXTURES / rule.code).glob("bad_*")):
            if not path.name.endswith(".expected"):
                found.append(path)
    return found


def files_of(root: Path) -> dict[str, bytes]:
    if root.is_file():
        return {root.name: root.read_bytes()}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def linter(target: str, code: str):  # type: ignore[no-untyped-def]
    def lint():  # type: ignore[no-untyped-def]
        config = Config()
        config.select = [code]
        project = load([target])
        return project, run(project, config)

    return lint


def fixed_copy(fixture: Path, tmp: Path) -> tuple[Path, object, dict[str, bytes]]:
    copy = tmp / fixture.name
    if fixture.is_dir():
        shutil.copytree(fixture, copy)
    else:
        shutil.copy(fixture, copy)
    before = files_of(copy)
    with in_dir(tmp):
        project, report = linter(fixture.name, fixture.parent.name)()
        first = plan(list(report.findings), project, unsafe=True)
        outcome, _, remaining = fix_files(linter(fixture.name, fixture.parent.name), True, True)
    return copy, (first, outcome, remaining), before


@pytest.mark.parametrize("fixture", cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fix_matches_golden(fixture: Path, tmp_path: Path) -> None:
    code = fixture.parent.name
    copy, (_, _, remaining), before = fixed_copy(fixture, tmp_path)
    after = files_of(copy)
    changed = {name: data for name, data in after.items() if before[name] != data}
    golden = fixture.parent / "fixed" / fixture.name
    if UPDATE and changed:
        if fixture.is_dir():
            for name, data in changed.items():
                (golden / name).parent.mkdir(parents=True, exist_ok=True)
                (golden / name).write_bytes(data)
        else:
            golden.parent.mkdir(exist_ok=True)
            golden.write_bytes(changed[fixture.name])
    unfixed = f"{code}/{fixture.name}" in NO_FIX  # not, or not all, of its findings
    if unfixed and not changed:
        assert not golden.exists()
        return
    assert changed, f"{code}/{fixture.name}: no fix applied"
    assert golden.exists(), f"missing golden fixed/{fixture.name}"
    assert changed == files_of(golden)
    if not unfixed:  # the fixed files lint clean for the rule
        assert [f for f in remaining.findings if f.code == code] == []  # type: ignore[attr-defined]
    # a second --fix changes nothing
    with in_dir(tmp_path):
        again, _, _ = fix_files(linter(fixture.name, code), True, True)
    assert again.changed == {} and files_of(copy) == after


@pytest.mark.parametrize("fixture", cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fix_keeps_every_other_line(fixture: Path, tmp_path: Path) -> None:
    """The lines the first pass changes are the lines its edits touch; every other line of the
    file is kept byte for byte (nothing is re-serialised or re-indented)."""
    _, (first, _, _), before = fixed_copy(fixture, tmp_path)
    for path, text in first.texts.items():  # type: ignore[attr-defined]
        name = Path(path).relative_to(fixture.name).as_posix() if fixture.is_dir() else path
        original = before[name].decode("utf-8-sig")
        touched: set[int] = set()
        for finding in first.applied:  # type: ignore[attr-defined]
            for edit in finding.fix.edits:
                if edit.path == path:
                    low = original.count("\n", 0, edit.start)
                    high = original.count("\n", 0, max(edit.start, edit.end - 1))
                    touched.update(range(low, high + 1))
        lines_before = original.splitlines(keepends=True)
        lines_after = text.splitlines(keepends=True)
        matcher = difflib.SequenceMatcher(None, lines_before, lines_after, autojunk=False)
        for tag, low, high, _, _ in matcher.get_opcodes():
            if tag == "equal":
                continue
            lines = set(range(low, high)) if high > low else {low - 1, low}
            assert lines & touched if tag == "insert" else lines <= touched, (
                f"{path}: lines {low + 1}-{high} changed outside every edit"
            )


@pytest.mark.parametrize("rule", FIXING, ids=lambda r: r.code)
def test_fixing_rule_has_golden_per_format(rule) -> None:  # type: ignore[no-untyped-def]
    folder = FIXTURES / rule.code / "fixed"
    names = [
        f"{top.name}/{p.name}" if top.is_dir() else top.name
        for top in (folder.iterdir() if folder.is_dir() else [])
        for p in (top.iterdir() if top.is_dir() else [top])
    ]
    kinds = {
        "json": [n for n in names if n.endswith(".json") and "cfn" not in n and "_tf" not in n],
        "terraform": [n for n in names if n.endswith(".tf") or "_tf" in n],
        "cloudformation": [n for n in names if "cfn" in n],
    }
    missing = [kind for kind, found in kinds.items() if not found]
    if rule.code == "FG002":  # JSON has no comments, so no suppressions to remove
        missing = [kind for kind in missing if kind != "json"]
    assert not missing, f"{rule.code} has no fixed golden for {missing}"

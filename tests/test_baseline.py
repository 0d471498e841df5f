"""`--baseline` and `--write-baseline` (issue 10, part 4): a baseline hides the findings it
holds, matched by the `fglint/v1` fingerprint (not the line), identical findings by count; the
exit code and the summary count what is left, and say how many were hidden."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fglint.main import cli
from helpers import in_dir


def task(*images: str, family: str = "web") -> str:
    """A task definition, one container per image, each `image` on a line of its own."""
    containers = [{"name": "app", "image": image, "essential": True} for image in images]
    document = {
        "family": family,
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": "256",
        "memory": "512",
        "containerDefinitions": containers,
    }
    return json.dumps(document, indent=2) + "\n"


def check(folder: Path, *args: str) -> tuple[int, str, str]:
    with in_dir(folder):
        outcome = CliRunner().invoke(cli, ["check", "--select", "FG201", *args])
    return outcome.exit_code, outcome.stdout, outcome.stderr


def located(out: str) -> list[str]:
    return [line.split(" [")[0] for line in out.splitlines() if ": FG" in line]


@pytest.fixture
def adopted(tmp_path: Path) -> Path:
    """A project whose one finding (FG201 on `nginx:latest`) is in `baseline.json`."""
    (tmp_path / "task.json").write_text(task("nginx:latest"), encoding="utf-8")
    code, out, err = check(tmp_path, "task.json", "--write-baseline", "baseline.json")
    assert (code, out, err) == (0, "", "Wrote a baseline of 1 finding to baseline.json.\n")
    return tmp_path


def test_the_baseline_hides_its_findings_and_the_exit_code_follows(adopted: Path) -> None:
    assert check(adopted, "task.json")[0] == 1
    code, out, _ = check(adopted, "task.json", "--baseline", "baseline.json")
    assert (code, out) == (0, "No findings in 1 file (1 finding hidden by the baseline).\n")


def test_findings_still_match_when_lines_move(adopted: Path) -> None:
    moved = "\n\n\n" + task("nginx:latest").replace('"cpu"', '"tags": [],\n  "cpu"')
    (adopted / "task.json").write_text(moved, encoding="utf-8")
    code, out, _ = check(adopted, "task.json", "--baseline", "baseline.json")
    assert (code, out) == (0, "No findings in 1 file (1 finding hidden by the baseline).\n")


def test_a_new_finding_of_the_same_rule_on_the_same_resource_is_reported(adopted: Path) -> None:
    (adopted / "task.json").write_text(task("nginx:latest", "redis:latest"), encoding="utf-8")
    code, out, _ = check(adopted, "task.json", "--baseline", "baseline.json")
    assert code == 1
    assert [line for line in out.splitlines() if ": FG201" in line] == [
        "task.json:17:16: FG201 [warning] Image `redis:latest` uses the moving `latest` tag; "
        "pin an immutable tag or a digest"
    ]
    assert "Found 1 finding in 1 file (1 warning). 1 finding hidden by the baseline. Run" in out


def test_identical_findings_are_matched_by_count(tmp_path: Path) -> None:
    """Two containers with the same image line give two findings with the same fingerprint
    (but for the counter): a baseline of two hides two, and a third copy is reported."""
    (tmp_path / "task.json").write_text(task("nginx:latest", "nginx:latest"), encoding="utf-8")
    check(tmp_path, "task.json", "--write-baseline", "baseline.json")
    written = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    prints = [f["fingerprint"] for f in written["findings"]]
    assert len(prints) == 2 and prints[0].split(":")[0] == prints[1].split(":")[0]
    three = task("nginx:latest", "nginx:latest", "nginx:latest")
    (tmp_path / "task.json").write_text(three, encoding="utf-8")
    code, out, _ = check(tmp_path, "task.json", "--baseline", "baseline.json")
    assert (code, len(located(out))) == (1, 1)
    assert "2 findings hidden by the baseline" in out
    (tmp_path / "task.json").write_text(task("nginx:latest"), encoding="utf-8")
    code, out, _ = check(tmp_path, "task.json", "--baseline", "baseline.json")
    assert (code, out) == (0, "No findings in 1 file (1 finding hidden by the baseline).\n")


def test_a_finding_in_another_file_is_not_hidden(adopted: Path) -> None:
    (adopted / "copy.json").write_text(task("nginx:latest"), encoding="utf-8")
    code, out, _ = check(adopted, ".", "--baseline", "baseline.json")
    assert (code, located(out)) == (1, ["copy.json:12:16: FG201"])


def test_the_baseline_file_is_versioned_sorted_and_stable(tmp_path: Path) -> None:
    for name in ("b.json", "a.json", "c/d.json"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(task("nginx:latest", "redis:latest"), encoding="utf-8")
    check(tmp_path, ".", "--write-baseline", "one.json")
    check(tmp_path, "c", "b.json", "a.json", "--write-baseline", "two.json")
    one = (tmp_path / "one.json").read_text(encoding="utf-8")
    assert one == (tmp_path / "two.json").read_text(encoding="utf-8")
    document = json.loads(one)
    assert document["version"] == 1
    entries = document["findings"]
    assert [(e["path"], e["message"].split("`")[1]) for e in entries] == [
        (path, image)
        for path in ("a.json", "b.json", "c/d.json")
        for image in ("nginx:latest", "redis:latest")
    ]
    assert all(set(e) == {"fingerprint", "code", "path", "message"} for e in entries)


def test_the_fingerprint_is_the_sarif_one(adopted: Path) -> None:
    out = check(adopted, "task.json", "--format", "sarif")[1]
    sarif = json.loads(out)["runs"][0]["results"][0]["partialFingerprints"]["fglint/v1"]
    baseline = json.loads((adopted / "baseline.json").read_text(encoding="utf-8"))
    assert [f["fingerprint"] for f in baseline["findings"]] == [sarif]


def test_write_baseline_never_overwrites_an_input(adopted: Path) -> None:
    before = (adopted / "task.json").read_text(encoding="utf-8")
    code, _, err = check(adopted, "task.json", "--write-baseline", "task.json")
    assert code == 2 and "--write-baseline task.json is one of the files being checked" in err
    assert (adopted / "task.json").read_text(encoding="utf-8") == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "cannot read baseline.json: No such file or directory"),
        ("{not json", "baseline.json is not a baseline (invalid JSON"),
        ("[]", "baseline.json is not a baseline (`fglint check --write-baseline` writes one)"),
        ('{"version": 1}', "is not a baseline"),
        ('{"version": 9, "findings": []}', "baseline version 9, expected 1"),
        ('{"version": 1, "findings": [{"code": "FG201"}]}', "needs a `fingerprint` string"),
    ],
    ids=["missing", "invalid JSON", "a list", "no findings", "version", "no fingerprint"],
)
def test_a_missing_or_corrupt_baseline_is_a_usage_error(
    tmp_path: Path, text: str | None, message: str
) -> None:
    (tmp_path / "task.json").write_text(task("nginx:latest"), encoding="utf-8")
    if text is not None:
        (tmp_path / "baseline.json").write_text(text, encoding="utf-8")
    code, out, err = check(tmp_path, "task.json", "--baseline", "baseline.json")
    assert (code, out) == (2, "")
    assert "Error: --baseline: " in err and message in err


def test_the_baseline_setting_is_relative_to_the_settings_file(adopted: Path) -> None:
    (adopted / "ci").mkdir()
    (adopted / "baseline.json").rename(adopted / "ci" / "fglint-baseline.json")
    (adopted / ".fglint.toml").write_text('baseline = "ci/fglint-baseline.json"\n', "utf-8")
    code, out, _ = check(adopted / "ci", "..")
    assert (code, out) == (0, "No findings in 1 file (1 finding hidden by the baseline).\n")
    (adopted / ".fglint.toml").write_text('baseline = "ci/missing.json"\n', "utf-8")
    code, _, err = check(adopted, "task.json")
    assert code == 2 and ".fglint.toml: `baseline`: cannot read" in err


def test_json_summary_counts_the_hidden_findings(adopted: Path) -> None:
    code, out, _ = check(adopted, "task.json", "--baseline", "baseline.json", "--format", "json")
    summary = json.loads(out)["summary"]
    assert (code, summary["findings"], summary["hidden_by_baseline"]) == (0, 0, 1)

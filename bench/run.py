"""Time whole-process fglint runs, the way a user or a pre-commit hook pays for them.

    python bench/run.py [--repeat 7] [--corpus ../shared/corpus]

Each case runs once to warm up, then `--repeat` times as a fresh process; the table shows the
min and median wall time and the median CPU time (user + system: steadier on a busy machine).
Then it lists the heavy modules each kind of run imports (`python -X importtime`).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TASK_FILE = ROOT / "examples" / "checkout-api.task.json"
HEAVY = ("jsonschema", "sarif_om", "hcl2", "lark", "yaml", "botocore")


@dataclass
class Case:
    name: str
    args: list[str]
    target: float | None = None  # seconds, median
    per: int = 0  # files per run, for a files/s column
    fresh_cache: bool = False  # each run gets an empty XDG_CACHE_HOME (no saved HCL grammar)


def fglint_command() -> list[str]:
    """The console script installed beside this Python (not a version manager's shim, which adds
    its own start-up), as a user runs it; `python -m fglint` without one."""
    beside = Path(sys.executable).parent / "fglint"
    script = str(beside) if beside.is_file() else shutil.which("fglint")
    return [script] if script else [sys.executable, "-m", "fglint"]


def child_env(cache: str | None = None) -> dict[str, str]:
    """As a user runs it: with bytecode caches (pip writes them at install time)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if cache is not None:
        env["XDG_CACHE_HOME"] = cache
    return env


def time_runs(
    command: list[str], repeat: int, fresh_cache: bool = False
) -> tuple[list[float], list[float]]:
    """Wall and CPU (user + system) seconds of each run, after one warm-up run."""
    walls, cpus = [], []
    for number in range(repeat + 1):
        with tempfile.TemporaryDirectory() as empty:
            env = child_env(empty if fresh_cache else None)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run(
                command, cwd=ROOT, capture_output=True, text=True, check=False, env=env
            )
            wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode not in (0, 1) or "Traceback" in done.stderr:
            shown = " ".join(command[:4]) + (" ..." if len(command) > 4 else "")
            sys.exit(f"{shown} failed ({done.returncode}):\n{done.stderr}")
        if number:  # the first run warms the disk and bytecode caches
            walls.append(wall)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return walls, cpus


def lints_terraform() -> bool:
    from fglint.load import frontend_for

    return frontend_for("main.tf") is not None


def cases(corpus: Path) -> list[Case]:
    found = [
        Case("python -c pass (interpreter floor)", ["python-floor"]),
        Case("fglint --version (cold start)", ["--version"], target=0.15),
        Case("one task definition", ["check", str(TASK_FILE.relative_to(ROOT))], target=0.25),
    ]
    if corpus.is_dir():
        files = sum(1 for p in corpus.rglob("*") if p.is_file())
        found.append(
            Case(
                "whole corpus (--format json)",
                ["check", str(corpus), "--format", "json"],
                target=4.0,
                per=files,
            )
        )
        found.append(
            Case(
                "whole corpus (--format sarif)",
                ["check", str(corpus), "--format", "sarif"],
                per=files,
            )
        )
        tf_files = sorted(str(p) for p in corpus.rglob("*.tf"))
        if tf_files and lints_terraform():
            smallest = min(tf_files, key=lambda p: Path(p).stat().st_size)
            found.append(Case("one .tf file", ["check", smallest]))
            found.append(
                Case("one .tf file, no grammar cache", ["check", smallest], fresh_cache=True)
            )
            found.append(
                Case(f"{len(tf_files)} corpus .tf files", ["check", *tf_files], per=len(tf_files))
            )
    return found


def heavy_imports(args: list[str]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "fglint", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=child_env(),
    )
    modules = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    return sorted({m.split(".")[0] for m in modules if m.split(".")[0] in HEAVY})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per case (default 7)")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    options = parser.parse_args()

    command = fglint_command()
    print(f"fglint: {' '.join(command)}   python {sys.version.split()[0]}   cpus {os.cpu_count()}")
    print(f"{'case':<36} {'min s':>7} {'median s':>9} {'cpu s':>7} {'target':>7} {'files/s':>8}")
    results = {}
    for case in cases(options.corpus.resolve()):
        full = (
            [sys.executable, "-c", "pass"]
            if case.args == ["python-floor"]
            else [*command, *case.args]
        )
        times, cpus = time_runs(full, options.repeat, case.fresh_cache)
        median = statistics.median(times)
        cpu = statistics.median(cpus)
        results[case.name] = cpu
        target = f"{case.target:.2f}" if case.target else ""
        verdict = "" if case.target is None else ("  ok" if median < case.target else "  OVER")
        rate = f"{case.per / median:8.0f}" if case.per else ""
        timing = f"{min(times):7.3f} {median:9.3f} {cpu:7.3f}"
        print(f"{case.name:<36} {timing} {target:>7} {rate:>8}{verdict}")
    if "one .tf file" in results:
        extra = results["one .tf file"] - results["one task definition"]
        build = results["one .tf file, no grammar cache"] - results["one .tf file"]
        print(f"CPU cost of the first .tf file over a JSON file: {extra:+.3f} s")
        print(f"CPU cost of building the HCL grammar (first run ever): {build:+.3f} s")

    print("\nheavy modules imported (" + ", ".join(HEAVY) + "):")
    for label, args in (
        ("--version", ["--version"]),
        ("rules", ["rules"]),
        ("one task definition, text", ["check", str(TASK_FILE.relative_to(ROOT))]),
        (
            "one task definition, sarif",
            ["check", str(TASK_FILE.relative_to(ROOT)), "--format", "sarif"],
        ),
    ):
        print(f"  {label:<30} {', '.join(heavy_imports(args)) or '(none)'}")


if __name__ == "__main__":
    main()

"""Time whole-process fglint runs, the way a user or a pre-commit hook pays for them.

    python bench/run.py [--repeat 5] [--corpus ../shared/corpus] [--scale 1,10,50]

Each case runs once to warm up, then `--repeat` times as a fresh process; the table shows the
min and median wall time, the median CPU time (user + system of the process and its workers:
steadier on a busy machine) and the largest peak RSS of one process. Then, with `--scale`, the
corpus copied N times into folders of its own (bench/synth.py) is linted cold, and last it lists
the heavy modules each kind of run imports (`python -X importtime`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from synth import build, default_corpus, module  # noqa: E402

TASK_FILE = ROOT / "examples" / "checkout-api.task.json"
HEAVY = ("jsonschema", "sarif_om", "hcl2", "lark", "yaml", "botocore")


@dataclass
class Case:
    name: str
    args: list[str]
    target: float | None = None  # seconds, median
    per: int = 0  # files per run, for a files/s column
    cache: str = "user"  # "user": the user's cache dir; "fresh": an empty one per run (a fresh
    # install: no HCL grammar, no model cache); "warm": one of its own, filled by the warm-up


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


@dataclass
class Run:
    wall: float
    cpu: float  # user + system, the process and the workers it waited for
    rss: int  # peak resident set of the largest process, in KB (Linux)


def run_once(command: list[str], env: dict[str, str]) -> Run:
    """One run, its output thrown away; the resources of this child alone (`wait4`)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if child.returncode not in (0, 1) or "Traceback" in stderr:
        shown = " ".join(command[:4]) + (" ..." if len(command) > 4 else "")
        sys.exit(f"{shown} failed ({child.returncode}):\n{stderr}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def time_runs(command: list[str], repeat: int, cache: str = "user") -> list[Run]:
    """Each run after one warm-up run (which warms the disk, bytecode and, for "warm", the
    model cache)."""
    runs = []
    with tempfile.TemporaryDirectory() as warm:
        for number in range(repeat + 1):
            with tempfile.TemporaryDirectory() as empty:
                where = {"user": None, "fresh": empty, "warm": warm}[cache]
                done = run_once(command, child_env(where))
            if number:
                runs.append(done)
    return runs


def lints_terraform() -> bool:
    from fglint.load import frontend_for

    return frontend_for("main.tf") is not None


def cases(corpus: Path, scratch: Path) -> list[Case]:
    found = [
        Case("python -c pass (interpreter floor)", ["python-floor"]),
        Case("fglint --version (cold start)", ["--version"], target=0.15),
        Case("one task definition", ["check", str(TASK_FILE.relative_to(ROOT))], target=0.25),
    ]
    if lints_terraform():
        found += hook_cases(scratch)
    if not corpus.is_dir():
        return found
    files = sum(1 for p in corpus.rglob("*") if p.is_file())
    whole = ["check", str(corpus), "--format", "json"]
    found += [
        Case("corpus json, warm cache", whole, target=0.8, per=files, cache="warm"),
        Case("corpus json, cold, --jobs 1", [*whole, "--jobs", "1"], per=files, cache="fresh"),
        Case(
            "corpus json, cold, --jobs 2",
            [*whole, "--jobs", "2"],
            target=2.0,
            per=files,
            cache="fresh",
        ),
        Case("corpus sarif", ["check", str(corpus), "--format", "sarif"], per=files),
    ]
    tf_files = sorted(str(p) for p in corpus.rglob("*.tf"))
    if tf_files and lints_terraform():
        smallest = min(tf_files, key=lambda p: Path(p).stat().st_size)
        found.append(Case("one .tf file", ["check", smallest]))
        found.append(
            Case("one .tf file, fresh install", ["check", smallest], target=0.5, cache="fresh")
        )
        found.append(
            Case(f"{len(tf_files)} corpus .tf files", ["check", *tf_files], per=len(tf_files))
        )
    return found


def hook_cases(scratch: Path) -> list[Case]:
    """Hook mode: pre-commit gives one changed file of a 50-file Terraform module (bench/synth.py
    writes it), and fglint loads the rest of the module as context. With the HCL grammar cached
    (the user cache dir, filled by the warm-up): `--no-cache` parses all 50 files on each run;
    "warm cache" reuses what the warm-up run saved for them."""
    files = module(50, scratch / "module")
    changed = ["check", str(files[len(files) // 2])]
    return [
        Case("hook: 1 of a 50-file module, no cache", [*changed, "--no-cache"], target=0.5),
        Case("hook: 1 of a 50-file module, warm cache", changed, target=0.5, cache="warm"),
    ]


def scale(corpus: Path, copies: list[int], repeat: int, command: list[str]) -> None:
    """Cold runs (empty cache, default --jobs) over N copies of the corpus: time and memory
    must grow with N, not faster."""
    print(f"\nscale: N copies of the corpus, cold, median of {repeat}")
    print(
        f"{'copies':>6} {'files':>6} {'wall s':>8} {'cpu s':>7} {'cpu/1x':>7} {'peak RSS MB':>12}"
    )
    first = None
    with tempfile.TemporaryDirectory() as scratch:
        for count in copies:
            folder = Path(scratch) / f"x{count}"
            files = build(count, folder, corpus)
            runs = time_runs([*command, "check", str(folder), "--format", "json"], repeat, "fresh")
            wall = statistics.median(r.wall for r in runs)
            cpu = statistics.median(r.cpu for r in runs)
            first = first or cpu / count
            rss = max(r.rss for r in runs) / 1024
            print(f"{count:>6} {files:>6} {wall:8.2f} {cpu:7.2f} {cpu / first:7.2f} {rss:7.0f}")
            shutil.rmtree(folder)


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
    parser.add_argument("--repeat", type=int, default=5, help="runs per case (default 5)")
    parser.add_argument("--corpus", type=Path, default=default_corpus())
    parser.add_argument("--scale", default="", help="copies of the corpus, e.g. 1,10,50")
    parser.add_argument("--scale-repeat", type=int, default=1, help="runs per scale (default 1)")
    parser.add_argument("--only", default="", help="run the cases whose name has this text")
    options = parser.parse_args()

    command = fglint_command()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"fglint: {' '.join(command)}   python {sys.version.split()[0]}   cpus {os.cpu_count()}")
    print(f"load average at start: {load:.2f}")
    head = f"{'case':<36} {'min s':>7} {'median s':>9} {'cpu s':>7} {'RSS MB':>7}"
    print(f"{head} {'target':>7} {'files/s':>8}")
    results = {}
    scratch = tempfile.TemporaryDirectory()
    for case in cases(options.corpus.resolve(), Path(scratch.name)):
        if options.only not in case.name:
            continue
        full = (
            [sys.executable, "-c", "pass"]
            if case.args == ["python-floor"]
            else [*command, *case.args]
        )
        runs = time_runs(full, options.repeat, case.cache)
        times = [r.wall for r in runs]
        median = statistics.median(times)
        cpu = statistics.median(r.cpu for r in runs)
        rss = max(r.rss for r in runs) / 1024
        results[case.name] = cpu
        target = f"{case.target:.2f}" if case.target else ""
        verdict = "" if case.target is None else ("  ok" if median < case.target else "  OVER")
        rate = f"{case.per / median:8.0f}" if case.per else ""
        timing = f"{min(times):7.3f} {median:9.3f} {cpu:7.3f} {rss:7.0f}"
        print(f"{case.name:<36} {timing} {target:>7} {rate:>8}{verdict}")
    scratch.cleanup()
    if "one .tf file" in results and "one task definition" in results:
        extra = results["one .tf file"] - results["one task definition"]
        print(f"CPU cost of the first .tf file over a JSON file: {extra:+.3f} s")
    if options.scale:
        copies = [int(n) for n in options.scale.split(",")]
        scale(options.corpus.resolve(), copies, options.scale_repeat, command)
    if hasattr(os, "getloadavg"):
        print(f"load average at end: {os.getloadavg()[0]:.2f}")

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

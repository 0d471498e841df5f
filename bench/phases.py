"""Where one `fglint check` run spends its time, phase by phase, in this process.

    python bench/phases.py [PATH] [--format json] [--jobs 1] [--no-cache] [--cache-dir DIR]

Each phase is the time spent inside its functions, less the time of other phases called from
them (exclusive time): discovery (listing folders), read (files.read), parse (the HCL, YAML,
JSON and Dockerfile parsers), model (the front-ends building resources: evaluation, tables),
cache (reading and writing cache entries), link, rules, output. Start-up is the time to import
`fglint.main` before the run. Wall time and CPU time (user + system) of the whole run are
printed with the load average, since this machine is shared.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import time
from collections import defaultdict
from typing import Any

START = time.perf_counter()
CPU0 = time.process_time()

totals: dict[str, float] = defaultdict(float)
stack: list[list[Any]] = []  # [phase, started, time of nested phases]


def timed(phase: str, fn: Any) -> Any:
    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        if stack and stack[-1][0] == phase:  # a phase calling itself: counted once
            return fn(*args, **kwargs)
        frame = [phase, time.perf_counter(), 0.0]
        stack.append(frame)
        try:
            return fn(*args, **kwargs)
        finally:
            stack.pop()
            spent = time.perf_counter() - frame[1]
            totals[phase] += spent - frame[2]
            if stack:
                stack[-1][2] += spent

    return run


def timed_iter(phase: str, fn: Any) -> Any:
    """A generator function: the time spent producing each item."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        items = iter(fn(*args, **kwargs))
        step = timed(phase, lambda: next(items, StopIteration))
        while True:
            item = step()
            if item is StopIteration:
                return
            yield item

    return run


def patch(module_name: str, name: str, phase: str, generator: bool = False) -> None:
    """Wrap `module.name` everywhere it was imported under that name."""
    import importlib

    module = importlib.import_module(module_name)
    original = getattr(module, name)
    wrapped = (timed_iter if generator else timed)(phase, original)
    for other in list(sys.modules.values()):
        if getattr(other, "__dict__", None) is None:
            continue
        for key, value in list(vars(other).items()):
            if value is original:
                setattr(other, key, wrapped)


PATCHES = [
    ("fglint.load", "collect", "discovery", True),
    ("fglint.files", "_text", "read", False),
    ("fglint.frontends.terraform.parse", "parse", "parse", False),
    ("fglint.frontends.terraform.parse", "check_depth", "parse", False),
    ("fglint.frontends.cloudformation.yaml_parse", "parse_yaml", "parse", False),
    ("fglint.frontends.jsonpos", "parse_json", "parse", False),
    ("fglint.load", "load_file", "model", False),
    ("fglint.linker", "link", "link", False),
    ("fglint.engine.run", "run", "rules", False),
    ("fglint.main", "_render", "output", False),
]
OPTIONAL = [
    ("fglint.cache", "_Store.get", "cache"),
    ("fglint.cache", "_Store.put", "cache"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", nargs="?", default="../shared/corpus")
    parser.add_argument("--format", default="json")
    parser.add_argument("--jobs", default="1")
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--cache-dir", help="XDG_CACHE_HOME for the run")
    args = parser.parse_args()
    if args.cache_dir:
        os.environ["XDG_CACHE_HOME"] = args.cache_dir
    import fglint.main

    started = time.perf_counter() - START
    import fglint.engine.run
    import fglint.files
    import fglint.frontends.cloudformation.yaml_parse
    import fglint.frontends.jsonpos
    import fglint.frontends.terraform.build
    import fglint.linker
    import fglint.load

    for module, name, phase, generator in PATCHES:
        patch(module, name, phase, generator)
    for module, dotted, phase in OPTIONAL:
        owner_name, attr = dotted.split(".")
        owner = getattr(sys.modules.get(module), owner_name, None)
        if owner is not None and hasattr(owner, attr):
            setattr(owner, attr, timed(phase, getattr(owner, attr)))
    command = ["check", args.path, "--format", args.format, "--jobs", args.jobs]
    command += ["--no-cache"] if args.no_cache else []
    load = os.getloadavg()[0]
    stdout = sys.stdout
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115
    try:
        fglint.main.cli.main(command, standalone_mode=False)
    except SystemExit:
        pass
    finally:
        sys.stdout.close()
        sys.stdout = stdout
    wall = time.perf_counter() - START
    cpu = time.process_time() - CPU0
    accounted = started + sum(totals.values())
    rows = [("start-up (imports)", started), *sorted(totals.items(), key=lambda r: -r[1])]
    rows.append(("other", wall - accounted))
    for phase, seconds in rows:
        print(f"{phase:20} {seconds:7.3f} s")
    after = os.getloadavg()[0]
    print(f"{'wall':20} {wall:7.3f} s   CPU {cpu:.3f} s   load {load:.2f} -> {after:.2f}")


if __name__ == "__main__":
    main()

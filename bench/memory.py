"""Peak memory per byte of input: one large file of each kind, linted alone.

    python bench/memory.py [--megabytes 8] [--repeat 1]

Issue 14 asks that memory stay under about 20 times the input size. Each case writes one file of
about `--megabytes` (under the default 10 MB file-size limit) into a folder of its own, runs
`fglint check FILE --no-cache` as a fresh process, and prints its peak RSS, the peak per input
byte, and the same less the interpreter's own peak (`fglint --version`), which a small file
pays too (the files are written by another process: Linux would count this one's peak in
fglint's). The shapes are the dense ones, where a value is a few bytes and every value is a
located node: an `environment` list of short name/value pairs in a task definition (compact
and indented JSON), in a CloudFormation YAML template and in a Terraform `jsonencode()`, and one
long Terraform string.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import child_env, fglint_command, run_once


def pairs(size: int) -> list[dict[str, str]]:
    """Enough `{"name": "K1", "value": "v1"}` entries for about `size` bytes of compact JSON."""
    return [{"name": f"K{i}", "value": f"v{i}"} for i in range(size // 30)]


def task(environment: list[dict[str, str]]) -> dict[str, object]:
    container = {"name": "a", "image": "i:1", "environment": environment}
    return {"family": "f", "cpu": "256", "memory": "512", "containerDefinitions": [container]}


def compact_json(size: int) -> tuple[str, str]:
    return "task.json", json.dumps(task(pairs(size)), separators=(",", ":"))


def indented_json(size: int) -> tuple[str, str]:
    return "task.json", json.dumps(task(pairs(size // 2)), indent=2)


def cloudformation_yaml(size: int) -> tuple[str, str]:
    head = [
        "AWSTemplateFormatVersion: '2010-09-09'",
        "Resources:",
        "  Task:",
        "    Type: AWS::ECS::TaskDefinition",
        "    Properties:",
        "      ContainerDefinitions:",
        "        - Name: a",
        "          Image: i:1",
        "          Environment:",
    ]
    body = [f"            - Name: K{i}\n              Value: v{i}" for i in range(size // 44)]
    return "template.yaml", "\n".join(head + body) + "\n"


def terraform_objects(size: int) -> tuple[str, str]:
    head = 'resource "aws_ecs_task_definition" "t" {\n  family = "f"\n'
    head += '  container_definitions = jsonencode([{ name = "a", image = "i:1", environment = [\n'
    body = "".join(f'    {{ name = "K{i}", value = "v{i}" }},\n' for i in range(size // 36))
    return "main.tf", head + body + "  ] }])\n}\n"


def terraform_string(size: int) -> tuple[str, str]:
    return "main.tf", f'resource "aws_ecs_task_definition" "t" {{\n  family = "{"a" * size}"\n}}\n'


CASES: dict[str, Callable[[int], tuple[str, str]]] = {
    "task definition, compact JSON": compact_json,
    "task definition, indented JSON": indented_json,
    "CloudFormation YAML": cloudformation_yaml,
    "Terraform jsonencode objects": terraform_objects,
    "Terraform one long string": terraform_string,
}


def write_apart(name: str, size: int, folder: Path) -> Path:
    """The case's file, written by a process of its own: Linux counts the peak RSS of the
    process that starts fglint in fglint's own (`execve` keeps the larger), so this one must
    never hold a generated file."""
    subprocess.run(
        [sys.executable, __file__, "--write", name, "--megabytes", str(size / 1e6), str(folder)],
        check=True,
    )
    (path,) = folder.iterdir()
    return path


def write(name: str, size: int, folder: Path) -> None:
    filename, text = CASES[name](size)
    (folder / filename).write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", help=argparse.SUPPRESS)  # the case to write into FOLDER
    parser.add_argument("folder", nargs="?", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--megabytes", type=float, default=8.0)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--only", default="", help="the cases whose name has this text")
    options = parser.parse_args()
    size = int(options.megabytes * 1_000_000)
    if options.write:
        write(options.write, size, options.folder)
        return
    command = fglint_command()
    floor = run_once([*command, "--version"], child_env()).rss / 1024
    print(f"fglint: {' '.join(command)}; interpreter floor (fglint --version) {floor:.0f} MB")
    print(f"{'case':<32} {'input MB':>8} {'wall s':>7} {'peak MB':>8} {'B/B':>6} {'B/B-floor':>9}")
    for name in CASES:
        if options.only not in name:
            continue
        with tempfile.TemporaryDirectory() as scratch:
            path = write_apart(name, size, Path(scratch))
            data = path.stat().st_size
            runs = [
                run_once([*command, "check", str(path), "--no-cache"], child_env())
                for _ in range(options.repeat)
            ]
        wall = statistics.median(r.wall for r in runs)
        peak = max(r.rss for r in runs) / 1024
        per, above = peak * 2**20 / data, (peak - floor) * 2**20 / data
        print(f"{name:<32} {data / 1e6:8.2f} {wall:7.2f} {peak:8.0f} {per:6.1f} {above:9.1f}")


if __name__ == "__main__":
    main()

"""A synthetic monorepo: N copies of the corpus, each in a folder of its own.

    python bench/synth.py N DEST [--corpus ../shared/corpus]

The shape of a repository with one folder per environment that reuses family, service and
resource names: every name is defined N times, once per folder, so lookups by name must keep to
their folder and cost must grow with N, not N squared.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def default_corpus() -> Path:
    """../shared/corpus beside the repository (or beside the folder of git worktrees)."""
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "corpus").is_dir():
            return base / "shared" / "corpus"
    return ROOT.parent / "shared" / "corpus"


def build(copies: int, dest: Path, corpus: Path) -> int:
    """Fill `dest` (emptied first) with `copies` copies of `corpus`; the number of files."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    files = 0
    for number in range(1, copies + 1):
        shutil.copytree(corpus, dest / f"env-{number:03d}", symlinks=True)
        files += sum(1 for p in (dest / f"env-{number:03d}").rglob("*") if p.is_file())
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("copies", type=int)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--corpus", type=Path, default=default_corpus())
    options = parser.parse_args()
    files = build(options.copies, options.dest, options.corpus)
    print(f"{options.dest}: {options.copies} copies, {files} files")


if __name__ == "__main__":
    main()

"""Shared test helpers: run fglint in-process on paths, with chosen rules."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fglint.engine.config import Config, load_config
from fglint.engine.run import Finding, run
from fglint.load import load
from fglint.outputs import text_format

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
# ../shared beside the repository; FGLINT_SHARED points elsewhere (a worktree's is not there)
CORPUS = Path(os.environ.get("FGLINT_SHARED", ROOT.parent / "shared")) / "corpus"


def fargate_task(memory: str = "512", image: str = "nginx:latest") -> dict[str, object]:
    """A valid Fargate task definition of one essential container (an image tagged latest is
    one FG201)."""
    return {
        "family": "web",
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": "256",
        "memory": memory,
        "containerDefinitions": [{"name": "app", "image": image, "essential": True}],
    }


@contextmanager
def in_dir(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def lint(
    paths: list[str | Path], select: list[str] | None = None, config: Config | None = None
) -> list[Finding]:
    config = config or Config()
    if select is not None:
        config.select = select
    project = load([str(p) for p in paths], config.file_filter())
    return list(run(project, config).findings)


def render(paths: list[str | Path], select: list[str]) -> str:
    """The text report with source and carets, paths relative to the repository root. A
    directory fixture may hold a `.fglint.toml` with rule options (e.g. FG304's drain grace)."""
    with in_dir(ROOT):
        settings = [Path(p) / ".fglint.toml" for p in paths if (Path(p) / ".fglint.toml").is_file()]
        config = load_config(str(settings[0]), []) if settings else Config()
        config.select, config.show_source = select, True
        project = load([str(Path(p).relative_to(ROOT)) for p in paths])
        return text_format.render(run(project, config), show_source=config.show_source)

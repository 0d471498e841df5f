"""Loading pauses the cyclic garbage collector (it would rescan the growing tree of nodes over
and over) and leaves it as it found it, also when a front-end raises."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from fglint import load as loader
from helpers import in_dir


def test_the_collector_is_paused_while_loading_and_restored(tmp_path: Path) -> None:
    (tmp_path / "task.json").write_text('{"family": "web", "containerDefinitions": []}')
    seen: list[bool] = []
    original = loader.load_file

    def spy(*args: object, **kwargs: object) -> None:
        seen.append(gc.isenabled())
        original(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch, in_dir(tmp_path):
        patch.setattr(loader, "load_file", spy)
        assert gc.isenabled()
        loader.load(["."])
        assert seen == [False]
        assert gc.isenabled()
        gc.disable()
        try:
            loader.load(["."])
            assert not gc.isenabled()  # a caller that turned it off keeps it off
        finally:
            gc.enable()


def test_the_collector_is_restored_when_loading_fails(tmp_path: Path) -> None:
    (tmp_path / "task.json").write_text("{}")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("front-end bug")

    with pytest.MonkeyPatch.context() as patch, in_dir(tmp_path):
        patch.setattr(loader, "load_file", broken)
        with pytest.raises(RuntimeError):
            loader.load(["."])
    assert gc.isenabled()

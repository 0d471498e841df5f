"""The parse cache: content-addressed, never trusted when damaged or foreign, off on request."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from fglint import cache
from fglint.frontends.cloudformation.yaml_parse import parse_yaml
from helpers import ROOT

TEMPLATE = "Resources:\n" + "".join(
    f"  Svc{n}:\n    Type: AWS::ECS::Service\n    Properties: {{DesiredCount: {n}}}\n"
    for n in range(40)
)


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    cache.enable(True, folder=tmp_path)
    yield tmp_path
    cache.enable(False)


def counting() -> tuple[list[str], object]:
    calls: list[str] = []

    @cache.cached("test", min_text=1)
    def parse(text: str, path: str) -> list[str]:
        calls.append(text)
        return [text.upper(), path]

    return calls, parse


def entries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_a_second_parse_of_the_same_text_is_read_from_the_cache(store: Path) -> None:
    calls, parse = counting()
    assert parse("abc", "a.yaml") == ["ABC", "a.yaml"]  # type: ignore[operator]
    assert parse("abc", "a.yaml") == ["ABC", "a.yaml"]  # type: ignore[operator]
    assert calls == ["abc"]
    assert parse("abc", "b.yaml") == ["ABC", "b.yaml"]  # type: ignore[operator]
    assert parse("abd", "a.yaml") == ["ABD", "a.yaml"]  # type: ignore[operator]
    assert calls == ["abc", "abc", "abd"]  # the path and the text are in the key
    assert not [p for p in entries(store) if p.suffix == ".tmp"]


def test_located_yaml_nodes_come_back_equal(store: Path) -> None:
    fresh = parse_yaml(TEMPLATE, "t.yaml")
    again = parse_yaml(TEMPLATE, "t.yaml")
    assert len(entries(store)) == 1
    assert repr(again) == repr(fresh) and again[0][0] is not fresh[0][0]


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty"])
def test_a_damaged_entry_is_parsed_again(store: Path, damage: str) -> None:
    calls, parse = counting()
    parse("abc", "a.yaml")  # type: ignore[operator]
    (entry,) = entries(store)
    data = entry.read_bytes()
    if damage == "truncate":
        data = data[:-3]
    elif damage == "flip":
        data = data[:-1] + bytes([data[-1] ^ 1])
    else:
        data = b""
    entry.write_bytes(data)
    assert parse("abc", "a.yaml") == ["ABC", "a.yaml"]  # type: ignore[operator]
    assert calls == ["abc", "abc"]


def test_a_foreign_entry_is_never_unpickled_into_code(store: Path, tmp_path: Path) -> None:
    calls, parse = counting()
    parse("abc", "a.yaml")  # type: ignore[operator]
    (entry,) = entries(store)
    marker = tmp_path / "ran"
    body = pickle.dumps(_Exploit(str(marker)))
    import hashlib

    entry.write_bytes(cache.MAGIC + hashlib.sha256(body).digest() + body)  # a valid checksum
    assert parse("abc", "a.yaml") == ["ABC", "a.yaml"]  # type: ignore[operator]
    assert not marker.exists() and calls == ["abc", "abc"]


class _Exploit:
    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.mkdir, (self.path,))


def test_off_means_no_entry(tmp_path: Path) -> None:
    cache.enable(False)
    calls, parse = counting()
    parse("abc", "a.yaml")  # type: ignore[operator]
    parse("abc", "a.yaml")  # type: ignore[operator]
    assert calls == ["abc", "abc"] and not entries(tmp_path)


def test_settings_that_change_parsing_change_the_key(tmp_path: Path) -> None:
    cache.enable(True, settings="depth=10", folder=tmp_path)
    calls, parse = counting()
    parse("abc", "a.yaml")  # type: ignore[operator]
    cache.enable(True, settings="depth=20", folder=tmp_path)
    parse("abc", "a.yaml")  # type: ignore[operator]
    cache.enable(False)
    assert calls == ["abc", "abc"]


def test_unreadable_cache_folder_is_no_cache(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    cache.enable(True, folder=blocked)
    try:
        _, parse = counting()
        assert parse("abc", "a.yaml") == ["ABC", "a.yaml"]  # type: ignore[operator]
    finally:
        cache.enable(False)


def fglint(args: list[str], cache_home: Path) -> str:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    done = subprocess.run(
        [sys.executable, "-m", "fglint", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


def test_cli_output_is_the_same_from_the_cache_and_without_it(tmp_path: Path) -> None:
    target = tmp_path / "stack.yaml"
    target.write_text(TEMPLATE.replace("Properties: {", "Properties: {Cluster: c, "))
    home = tmp_path / "home"
    args = ["check", str(target), "--format", "json"]
    cold = fglint(args, home)
    assert entries(home / "fglint" / "parse")
    assert fglint(args, home) == cold
    assert fglint([*args, "--no-cache"], tmp_path / "other") == cold
    assert not (tmp_path / "other" / "fglint" / "parse").exists()

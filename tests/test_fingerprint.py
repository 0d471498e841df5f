"""`primaryLocationLineHash` must equal GitHub's: these are codeql-action's own test vectors
(`src/fingerprints.test.ts`), so a finding keeps its alert identity across uploads."""

from __future__ import annotations

import random
import re

import pytest
from fglint.outputs import fingerprint
from fglint.outputs.fingerprint import file_line_hashes, line_hashes

GREETINGS = [
    "e9496ae3ebfced30:1",
    "fb7c023a8b9ccb3f:1",
    "ce8ba1a563dcdaca:1",
    "e20e36e16fcb0cc8:1",
    "b3edc88f2938467e:1",
    "c8e28b0b4002a3a0:1",
    "c129715d7a2bc9a3:1",
]

VECTORS = [
    ("", ["c129715d7a2bc9a3:1"]),
    (
        " a\nb\n  \t\tc\n d",
        ["271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"],
    ),
    (
        " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End",
        [
            "8b7cf3e952e7aeb2:1",
            "b1ae1287ec4718d9:1",
            "bff680108adb0fcc:1",
            "c6805c5e1288b612:1",
            "b86d3392aea1be30:1",
            "e6ceba753e1a442:1",
        ],
    ),
    (" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n", GREETINGS),
    (" hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r", GREETINGS),
    (" hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n", GREETINGS),
    (" hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n", GREETINGS),
    (
        "Lorem ipsum dolor sit amet.\n" * 10,
        [
            "a7f2ff13bc495cf2:1",
            "a7f2ff13bc495cf2:2",
            "a7f2ff13bc495cf2:3",
            "a7f2ff13bc495cf2:4",
            "a7f2ff13bc495cf2:5",
            "a7f2ff13bc495cf2:6",
            "a7f2ff1481e87703:1",
            "a9cf91f7bbf1862b:1",
            "55ec222b86bcae53:1",
            "cc97dc7b1d7d8f7b:1",
            "c129715d7a2bc9a3:1",
        ],
    ),
    (
        "x = 2\nx = 1\nprint(x)\nx = 3\nprint(x)\nx = 4\nprint(x)\n",
        [
            "e54938cc54b302f1:1",
            "bb609acbe9138d60:1",
            "1131fd5871777f34:1",
            "5c482a0f8b35ea28:1",
            "54517377da7028d2:1",
            "2c644846cb18d53e:1",
            "f1b89f20de0d133:1",
            "c129715d7a2bc9a3:1",
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), VECTORS, ids=[repr(v[0][:20]) for v in VECTORS])
def test_codeql_action_vectors(text: str, expected: list[str]) -> None:
    hashes = line_hashes(text)
    assert hashes == expected
    assert len(hashes) == len(re.split(r"\r\n|\r|\n", text))


def test_non_bmp_characters_count_as_two_code_units() -> None:
    # JavaScript strings are UTF-16: an emoji is two units, so it shifts the hash of a long line
    # differently from a single BMP character.
    assert line_hashes("\U0001f600\n") != line_hashes("\u00e9\n")
    assert len(line_hashes("a\U0001f600b\nc")) == 2


def test_file_hashes_keep_the_byte_order_mark(tmp_path) -> None:
    plain = tmp_path / "plain.json"
    bom = tmp_path / "bom.json"
    plain.write_bytes(b"{}\n")
    bom.write_bytes(b"\xef\xbb\xbf{}\n")
    assert file_line_hashes(plain) == line_hashes("{}\n")
    assert file_line_hashes(bom) == line_hashes("\ufeff{}\n") != file_line_hashes(plain)
    assert file_line_hashes(tmp_path / "missing.json", fallback="{}\n") == line_hashes("{}\n")


def reference_line_hashes(text: str) -> list[str]:
    """codeql-action's loop, one character at a time, as fglint first ported it: the fast form
    must give the same values on any text."""
    block, mod, mask = 100, 37, (1 << 64) - 1
    first_mod = pow(mod, block, 1 << 64)
    window, line_numbers = [0] * block, [-1] * block
    hashes: list[str] = []
    counts: dict[str, int] = {}
    value = index = line_number = 0
    line_start, prev_cr = True, False
    data = text.encode("utf-16-le", "surrogatepass")
    units = [data[i] | data[i + 1] << 8 for i in range(0, len(data), 2)]

    def output() -> None:
        key = format(value, "x")
        counts[key] = counts.get(key, 0) + 1
        hashes.append(f"{key}:{counts[key]}")
        line_numbers[index] = -1

    def update(current: int) -> None:
        nonlocal value, index
        begin, window[index] = window[index], current
        value = (mod * value + current - first_mod * begin) & mask
        index = (index + 1) % block

    for current in (*units, 65535):
        if current in (32, 9) or (prev_cr and current == 10):
            prev_cr = False
            continue
        prev_cr = current == 13
        if prev_cr:
            current = 10
        if line_numbers[index] != -1:
            output()
        if line_start:
            line_start = False
            line_number += 1
            line_numbers[index] = line_number
        line_start = current == 10
        update(current)
    for _ in range(block):
        if line_numbers[index] != -1:
            output()
        update(0)
    return hashes


PIECES = ["a", " ", "\t", "\r", "\n", "\r\n", "\U0001f600", "\u0a41", "\u0100", "\u0a00", "\ud800"]


@pytest.mark.parametrize("chunk", [3, 7, 8192])
def test_same_values_as_the_per_character_loop(monkeypatch, chunk: int) -> None:
    # \u0a00 then \u0100 puts a line-feed byte pair astride two units: not a line break
    monkeypatch.setattr(fingerprint, "CHUNK", chunk)
    fingerprint._powers.cache_clear()
    try:
        rng = random.Random(chunk)
        for _ in range(300):
            text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 400)))
            assert line_hashes(text) == reference_line_hashes(text), repr(text)
    finally:
        fingerprint._powers.cache_clear()


def test_long_text_spans_many_chunks() -> None:
    text = "".join(f"line {n} = {n * n}\n" for n in range(3000))
    assert line_hashes(text) == reference_line_hashes(text)

"""GitHub's `primaryLocationLineHash`: the line fingerprint code scanning uses to track an alert.

A port of codeql-action's `src/fingerprints.ts`. Each line's hash is a rolling hash (base 37,
64-bit wrap-around) over the next 100 characters of the file starting at that line, skipping
spaces and tabs, with `\\r\\n` and `\\r` read as `\\n`. The file's end adds a 65535 sentinel and
zero padding. Characters are UTF-16 code units, as in JavaScript. A hash seen before in the same
file gets a counter suffix (`hash:2`), so identical lines stay distinguishable.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

BLOCK_SIZE = 100
MOD = 37
MASK = (1 << 64) - 1
FIRST_MOD = pow(MOD, BLOCK_SIZE, 1 << 64)
EOF = 65535
TAB, SPACE, LF, CR = 9, 32, 10, 13


def _code_units(text: str) -> Iterator[int]:
    data = text.encode("utf-16-le", "surrogatepass")
    for i in range(0, len(data), 2):
        yield data[i] | data[i + 1] << 8


def line_hashes(text: str) -> list[str]:
    """The hash of every line, in order: element 0 is line 1. A text ending in a newline has one
    more (empty) line after it, as in codeql-action."""
    window = [0] * BLOCK_SIZE
    line_numbers = [-1] * BLOCK_SIZE
    hashes: list[str] = []
    counts: dict[str, int] = {}
    value = 0
    index = 0
    line_number = 0
    line_start = True
    prev_cr = False

    def output() -> None:
        key = format(value, "x")
        counts[key] = counts.get(key, 0) + 1
        hashes.append(f"{key}:{counts[key]}")
        line_numbers[index] = -1

    def update(current: int) -> None:
        nonlocal value, index
        begin = window[index]
        window[index] = current
        value = (MOD * value + current - FIRST_MOD * begin) & MASK
        index = (index + 1) % BLOCK_SIZE

    for current in (*_code_units(text), EOF):
        if current in (SPACE, TAB) or (prev_cr and current == LF):
            prev_cr = False
            continue
        prev_cr = current == CR
        if prev_cr:
            current = LF
        if line_numbers[index] != -1:
            output()
        if line_start:
            line_start = False
            line_number += 1
            line_numbers[index] = line_number
        if current == LF:
            line_start = True
        update(current)
    for _ in range(BLOCK_SIZE):
        if line_numbers[index] != -1:
            output()
        update(0)
    return hashes


def file_line_hashes(path: str | Path, fallback: str = "") -> list[str]:
    """Hashes of a file as codeql-action reads it (UTF-8, byte-order mark kept)."""
    try:
        text = Path(path).read_bytes().decode("utf-8", errors="replace")
    except OSError:
        text = fallback
    return line_hashes(text)

"""GitHub's `primaryLocationLineHash`: the line fingerprint code scanning uses to track an alert.

fglint's own fingerprint of a finding, independent of line numbers, is
`fglint.engine.report.finding_fingerprints` (the baseline matches by it too).

A port of codeql-action's `src/fingerprints.ts`. Each line's hash is a rolling hash (base 37,
64-bit wrap-around) over the next 100 characters of the file starting at that line, skipping
spaces and tabs, with `\\r\\n` and `\\r` read as `\\n`. The file's end adds a 65535 sentinel and
zero padding. Characters are UTF-16 code units, as in JavaScript. A hash seen before in the same
file gets a counter suffix (`hash:2`), so identical lines stay distinguishable.

The hash of the window of units u[p..p+99] is the sum of `u[j] * 37 ** (p + 99 - j)` mod 2**64.
37 is odd, so it has an inverse mod 2**64: the sum is `37 ** (p + 99)` times the sum of
`u[j] * 37 ** -j`, a difference of two prefix sums. The prefix sums are computed for all units
at once by `map` and `accumulate` (in C), and each line costs a few operations.
"""

from __future__ import annotations

import sys
from array import array
from functools import cache
from itertools import accumulate
from operator import mul
from pathlib import Path

BLOCK_SIZE = 100
MOD = 37
MASK = (1 << 64) - 1
EOF = 65535
CHUNK = 8192  # units whose prefix sums are taken relative to one start (bounds the tables)


@cache
def _powers() -> tuple[list[int], list[int]]:
    """37**k and 37**-k mod 2**64 for k < CHUNK + BLOCK_SIZE."""
    inverse = pow(MOD, -1, 1 << 64)
    size = CHUNK + BLOCK_SIZE
    up = list(accumulate(range(size - 1), lambda value, _: value * MOD & MASK, initial=1))
    down = list(accumulate(range(size - 1), lambda value, _: value * inverse & MASK, initial=1))
    return up, down


def _units(text: str) -> array[int]:
    """The UTF-16 code units the hash reads, the end sentinel included."""
    folded = text.replace("\r\n", "\n").replace("\r", "\n").replace(" ", "").replace("\t", "")
    units = array("H", folded.encode("utf-16-le", "surrogatepass"))
    if sys.byteorder == "big":
        units.byteswap()
    units.append(EOF)
    return units


def _line_starts(units: array[int]) -> list[int]:
    """Unit offsets where a line starts: the first unit and each one after a line feed."""
    data = units.tobytes()
    lf = (10).to_bytes(2, sys.byteorder)
    starts = [0]
    at = data.find(lf)
    while at != -1:
        if at % 2 == 0:  # a whole unit, not the end of one and the start of the next
            starts.append(at // 2 + 1)
        at = data.find(lf, at + 1)
    return starts


def _window_hashes(units: array[int], starts: list[int]) -> list[int]:
    up, down = _powers()
    values: list[int] = []
    index = 0
    for first in range(0, len(units), CHUNK):
        # sums[k]: the sum of units[first + j] * 37**-j for j < k
        sums = [0, *accumulate(map(mul, units[first : first + CHUNK + BLOCK_SIZE - 1], down))]
        last = len(sums) - 1
        while index < len(starts) and starts[index] < first + CHUNK:
            at = starts[index] - first
            window = sums[min(at + BLOCK_SIZE, last)] - sums[at]
            values.append(up[at + BLOCK_SIZE - 1] * window & MASK)
            index += 1
    return values


def line_hashes(text: str) -> list[str]:
    """The hash of every line, in order: element 0 is line 1. A text ending in a newline has one
    more (empty) line after it, as in codeql-action."""
    units = _units(text)
    hashes: list[str] = []
    counts: dict[str, int] = {}
    for value in _window_hashes(units, _line_starts(units)):
        key = format(value, "x")
        counts[key] = counts.get(key, 0) + 1
        hashes.append(f"{key}:{counts[key]}")
    return hashes


def file_line_hashes(path: str | Path, fallback: str = "") -> list[str]:
    """Hashes of a file as codeql-action reads it (UTF-8, byte-order mark kept)."""
    try:
        text = Path(path).read_bytes().decode("utf-8", errors="replace")
    except OSError:
        text = fallback
    return line_hashes(text)

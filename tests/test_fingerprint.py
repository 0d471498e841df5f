"""`primaryLocationLineHash` must equal GitHub's: these are codeql-action's own test vectors
(`src/fingerprints.test.ts`), so a finding keeps its alert identity across uploads."""

from __future__ import annotations

import re

import pytest
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

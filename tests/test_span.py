"""Span packs its four numbers into one integer: what goes in comes out, by value."""

from __future__ import annotations

import pickle

import pytest
from fglint.nodes import Span


@pytest.mark.parametrize(
    "numbers",
    [(1, 1, 1, 1), (1, 2, 1, 9), (300_000, 2, 300_001, 9), (1, 9_000_000, 4, 1), (7, 0, 7, 0)],
)
def test_numbers_round_trip(numbers: tuple[int, int, int, int]) -> None:
    span = Span("a.json", *numbers)
    assert (span.line, span.col, span.end_line, span.end_col) == numbers
    assert str(span) == f"a.json:{numbers[0]}:{numbers[1]}"


def test_equal_and_hashed_by_value() -> None:
    one, same = Span("a", 3, 4, 5, 6), Span("a", 3, 4, 5, 6)
    assert one == same and hash(one) == hash(same) and len({one, same}) == 1
    assert one != Span("b", 3, 4, 5, 6) and one != Span("a", 3, 4, 5, 7)
    assert one != (3, 4, 5, 6)


def test_pickled_as_its_values() -> None:
    span = Span("x/main.tf", 12, 3, 14, 1)
    assert pickle.loads(pickle.dumps(span)) == span
    assert span.__reduce__() == (Span, ("x/main.tf", 12, 3, 14, 1))


def test_numbers_out_of_range_are_clipped_not_mixed() -> None:
    """A column past 32 bits must not spill into the line, nor a negative one into anything."""
    huge = Span("a", 2, 2**40, 2, 5)
    assert (huge.line, huge.col, huge.end_col) == (2, 2**32 - 1, 5)
    backwards = Span("a", 5, -1, 3, 2)
    assert (backwards.line, backwards.col, backwards.end_line, backwards.end_col) == (5, 0, 5, 2)

"""The shared function table: each function on known, unknown and partly known arguments."""

from __future__ import annotations

import pytest
from fglint.evaluate.functions import FUNCTIONS, call
from fglint.evaluate.values import Encoded, Invalid, Spread, from_python, passed, text
from fglint.nodes import ListNode, Node, ObjectNode, ScalarNode, Span, TemplateNode, UnknownNode

AT = Span("main.tf", 1, 1, 1, 2)


def v(value: object) -> Node:
    return from_python(value, AT)


def at(line: int, value: object) -> ScalarNode:
    return ScalarNode(Span("main.tf", line, 1, line, 5), value)


def unk(name: str = "x") -> UnknownNode:
    return UnknownNode(AT, name)


def py(node: Node) -> object:
    return node.to_python() if node.known else "?"


KNOWN = [
    ("join", [v("-"), v(["a", 1, True])], "a-1-true"),
    ("split", [v(","), v("a,b")], ["a", "b"]),
    ("format", [v("%s:%d"), v("app"), v(3)], "app:3"),
    ("format", [v("100%%")], "100%"),
    ("merge", [v({"a": 1, "b": 2}), v({"b": 3}), v(None)], {"a": 1, "b": 3}),
    ("concat", [v([1]), v([2, 3])], [1, 2, 3]),
    ("flatten", [v([[1], [2, [3]]])], [1, 2, 3]),
    ("compact", [v(["a", "", None, "b"])], ["a", "b"]),
    ("distinct", [v([1, 1, 2])], [1, 2]),
    ("toset", [v(["a", "a"])], ["a"]),
    ("element", [v(["a", "b"]), v(3)], "b"),
    ("index", [v(["a", "b"]), v("b")], 1),
    ("slice", [v([1, 2, 3]), v(1), v(3)], [2, 3]),
    ("length", [v([1, 2])], 2),
    ("length", [v({"a": 1})], 1),
    ("length", [v("abc")], 3),
    ("keys", [v({"b": 1, "a": 2})], ["a", "b"]),
    ("values", [v({"b": 1, "a": 2})], [2, 1]),
    ("lookup", [v({"a": 1}), v("a"), v(0)], 1),
    ("lookup", [v({"a": 1}), v("z"), v(0)], 0),
    ("contains", [v(["a"]), v("a")], True),
    ("contains", [v(["a"]), v("b")], False),
    ("zipmap", [v(["a", "b"]), v([1, 2])], {"a": 1, "b": 2}),
    ("range", [v(3)], [0, 1, 2]),
    ("one", [v([])], None),
    ("one", [v(["x"])], "x"),
    ("reverse", [v([1, 2])], [2, 1]),
    ("sort", [v(["b", "a"])], ["a", "b"]),
    ("coalesce", [v(None), v(""), v("x")], "x"),
    ("coalescelist", [v([]), v([1])], [1]),
    ("try", [Invalid(AT), v(5)], 5),
    ("can", [Invalid(AT)], False),
    ("can", [v(1)], True),
    ("alltrue", [v([True, "true"])], True),
    ("anytrue", [v([False])], False),
    ("tostring", [v(5)], "5"),
    ("tostring", [v(True)], "true"),
    ("tonumber", [v("512")], 512),
    ("tobool", [v("false")], False),
    ("tolist", [v([1])], [1]),
    ("tomap", [v({"a": 1})], {"a": 1}),
    ("lower", [v("ABC")], "abc"),
    ("upper", [v("abc")], "ABC"),
    ("replace", [v("a-b"), v("-"), v("_")], "a_b"),
    ("trimprefix", [v("v1.2"), v("v")], "1.2"),
    ("trimsuffix", [v("app:latest"), v(":latest")], "app"),
    ("trimspace", [v(" a ")], "a"),
    ("startswith", [v("arn:aws"), v("arn:")], True),
    ("substr", [v("hello"), v(1), v(3)], "ell"),
    ("jsondecode", [v('{"a": [1]}')], {"a": [1]}),
    ("min", [v(3), v(1)], 1),
    ("max", [v(3), v("7")], 7),
    ("ceil", [v(1.2)], 2),
    ("floor", [v(1.8)], 1),
    ("abs", [v(-4)], 4),
    ("sum", [v([1, 2])], 3),
    ("select", [v("1"), v(["a", "b"])], "b"),
    ("select", [v(0), ListNode(AT, [at(2, "a"), unk()])], "a"),
]


@pytest.mark.parametrize(("name", "args", "expected"), KNOWN, ids=[k[0] for k in KNOWN])
def test_known_arguments_give_the_known_result(
    name: str, args: list[Node], expected: object
) -> None:
    assert py(call(name, args, AT)) == expected


UNKNOWN = [
    ("join", [v("-"), unk()]),
    ("split", [v(","), unk()]),
    ("merge", [v({"a": 1}), unk()]),
    ("lookup", [unk(), v("a"), v(0)]),
    ("lookup", [v({"a": 1}), unk()]),
    ("element", [unk(), v(0)]),
    ("select", [unk(), v(["a"])]),
    ("select", [v(0), unk()]),
    ("select", [v(0), ListNode(AT, [Spread(AT)])]),
    ("length", [ListNode(AT, [Spread(AT)])]),
    ("distinct", [v([1, unk()])]),
    ("contains", [v(["a", unk()]), v("b")]),
    ("coalesce", [unk(), v("x")]),
    ("try", [unk(), v(5)]),
    ("can", [unk()]),
    ("tostring", [unk()]),
    ("lower", [unk()]),
    ("replace", [v("a"), v("/a/"), v("b")]),  # an RE2 pattern: never guessed
    ("min", [v(1), unk()]),
    ("jsondecode", [unk()]),
    ("no_such_function", [v(1)]),
    ("timestamp", []),
]


@pytest.mark.parametrize(("name", "args"), UNKNOWN, ids=[u[0] for u in UNKNOWN])
def test_an_unknown_argument_gives_an_unknown_result(name: str, args: list[Node]) -> None:
    assert not call(name, args, AT).known


def test_select_outside_the_list_is_invalid() -> None:
    assert isinstance(call("select", [v(2), v(["a", "b"])], AT), Invalid)
    assert isinstance(call("select", [v(-1), v(["a"])], AT), Invalid)
    picked = call("select", [v(1), ListNode(AT, [unk(), at(4, "b")])], AT)
    assert isinstance(picked, ScalarNode) and picked.span.line == 4  # the item itself


def test_join_keeps_the_literal_parts_of_an_image() -> None:
    image = call("join", [at(2, ":"), ListNode(AT, [unk("var.repo"), at(3, "latest")])], AT)
    assert isinstance(image, TemplateNode)
    assert image.suffix() == ":latest"


def test_format_keeps_the_literal_parts() -> None:
    image = call("format", [at(2, "%s:latest"), unk("var.repo")], AT)
    assert isinstance(image, TemplateNode) and image.suffix() == ":latest"


def test_values_pass_through_with_their_own_locations() -> None:
    entry = at(7, "ENABLED")
    found = call("lookup", [ObjectNode(AT, {"a": entry}, {"a": AT}), v("a")], AT)
    assert found is entry
    items = call("concat", [ListNode(AT, [entry]), v([])], AT)
    assert isinstance(items, ListNode) and items.items[0] is entry


def test_concat_of_an_unknown_list_has_an_unknown_length() -> None:
    items = call("concat", [v([1]), unk("local.sidecars")], AT)
    assert isinstance(items, ListNode) and isinstance(items.items[1], Spread)
    assert not call("length", [items], AT).known


def test_a_missing_key_without_default_is_invalid_so_try_skips_it() -> None:
    missing = call("lookup", [v({}), v("a")], AT)
    assert isinstance(missing, Invalid)
    assert py(call("try", [missing, v("fallback")], AT)) == "fallback"


def test_jsonencode_keeps_the_structure_with_its_locations() -> None:
    structure = ObjectNode(AT, {"stopTimeout": at(9, 5)}, {"stopTimeout": AT})
    encoded = call("jsonencode", [structure], AT)
    assert isinstance(encoded, Encoded) and encoded.structure is structure
    assert call("jsondecode", [encoded], AT) is structure


def test_text_merges_literals_and_is_known_when_every_part_is() -> None:
    assert py(text([at(1, "a"), at(1, 5), at(1, True)], AT)) == "a5true"
    partial = text([unk(), at(1, "/app")], AT)
    assert isinstance(partial, TemplateNode) and partial.masked("*") == "*/app"


def test_passed_adds_the_place_a_value_travelled_through() -> None:
    value = passed(at(3, False), Span("main.tf", 9, 3, 9, 20), "passed on as `var.x`")
    assert value.via == ((Span("main.tf", 9, 3, 9, 20), "passed on as `var.x`"),)
    same_line = passed(at(3, False), Span("main.tf", 3, 9, 3, 20), "passed on")
    assert same_line.via == ()


def test_every_function_the_issue_names_is_in_the_table() -> None:
    named = [
        "join",
        "split",
        "format",
        "merge",
        "concat",
        "lookup",
        "try",
        "can",
        "coalesce",
        "coalescelist",
        "compact",
        "flatten",
        "distinct",
        "element",
        "length",
        "keys",
        "values",
        "contains",
        "tostring",
        "tonumber",
        "tobool",
        "tolist",
        "toset",
        "tomap",
        "lower",
        "upper",
        "replace",
        "trimprefix",
        "trimsuffix",
        "jsonencode",
        "jsondecode",
        "yamlencode",
        "min",
        "max",
        "ceil",
        "floor",
    ]
    assert [name for name in named if name not in FUNCTIONS] == []

"""CloudFormation YAML built from PyYAML's event stream (issue 14, memory): no composed node graph,
anchors and aliases read as PyYAML's graph reads them, the alias and depth limits checked before
any alias is copied, the same nodes with and without libyaml, and a bounded peak."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from fglint.nodes import LimitExceeded, ListNode, Node, ObjectNode, ScalarNode, walk

yaml = pytest.importorskip("yaml")
from fglint.frontends.cloudformation import yaml_parse  # noqa: E402

BOMB = "a0: &a0 [1,1,1,1,1,1,1,1,1,1]" + "".join(
    f"\na{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)
)


def parse(text: str, **limits: int) -> ObjectNode:
    [root], _ = yaml_parse.parse_yaml(text, "t.yaml", **limits)
    assert isinstance(root, ObjectNode)
    return root


def shape(node: Node) -> Any:
    """Everything a node holds: its type, span, value, keys and their spans."""
    if isinstance(node, ObjectNode):
        keys = [(key, node.keys[key], shape(value)) for key, value in node.fields.items()]
        return ("object", node.span, keys)
    if isinstance(node, ListNode):
        return ("list", node.span, [shape(item) for item in node.items])
    assert isinstance(node, ScalarNode)
    return (type(node.value).__name__, node.span, node.value)


def outcome(text: str) -> Any:
    try:
        roots, duplicates = yaml_parse.parse_yaml(text, "t.yaml", aliases=20)
    except yaml_parse.YamlSyntaxError as error:
        return ("syntax", error.message, error.span)
    except LimitExceeded as error:
        return ("limit", error.message, error.span)
    except RecursionError:
        return ("recursion",)
    return [shape(root) for root in roots], duplicates


def test_an_alias_is_a_copy_of_what_its_anchor_names_at_the_anchor() -> None:
    root = parse("a: &x {k: [1, !Ref R]}\nb: *x\nc: &s 5\nd: *s\n")
    a, b = root.fields["a"], root.fields["b"]
    assert shape(a) == shape(b) and (b.span.line, b.span.col) == (1, 4)
    assert b.to_python() == {"k": [1, {"Ref": "R"}]}
    assert root.fields["d"].to_python() == 5 and root.fields["d"].span.line == 3
    ids = [id(node) for node in walk(root)]
    assert len(ids) == len(set(ids))  # no node is shared: each alias is its own tree


def test_aliases_as_keys_and_anchored_keys() -> None:
    root = parse("&k name: 1\n*k : 2\nv: *k\n? &c [1, 2]\n: 3\nw: *c\n")
    assert list(root.fields) == ["name", "v", "?", "w"]
    assert root.fields["v"].to_python() == "name"  # a key anchored, then used as a value
    assert root.fields["w"].to_python() == [1, 2]
    assert root.key_span("?").line == 4


def test_duplicate_keys_inside_an_anchor_count_once_per_use() -> None:
    _, duplicates = yaml_parse.parse_yaml("a: &m {x: 1, x: 2}\nb: *m\nc: [*m]\n", "t.yaml")
    assert [(key, span.line, span.col) for key, span, _ in duplicates] == [("x", 1, 14)] * 3


def test_an_alias_bomb_is_refused_before_any_alias_is_copied(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def copy(node: Node) -> Node:
        raise AssertionError("an alias was copied")

    monkeypatch.setattr(yaml_parse, "_copy", copy)
    with pytest.raises(LimitExceeded, match="more than 10,000 values") as refused:
        yaml_parse.parse_yaml(BOMB, "t.yaml")
    assert (refused.value.span.line, refused.value.span.col) == (4, 38)
    with pytest.raises(AssertionError, match="copied"):  # within the limit: copied at the end
        yaml_parse.parse_yaml("a: &a [1, 2]\nb: [*a, *a]\n", "t.yaml", aliases=6)
    with pytest.raises(LimitExceeded):
        yaml_parse.parse_yaml("a: &a [1, 2]\nb: [*a, *a]\n", "t.yaml", aliases=5)


def test_limits_come_before_the_composers_errors() -> None:
    """As when the events were checked in a first pass and the graph composed in a second."""
    deep = "a: *nowhere\nb: " + "[" * 6 + "]" * 6 + "\n"
    with pytest.raises(LimitExceeded, match="deeper than 5"):
        yaml_parse.parse_yaml(deep, "t.yaml", depth=5)
    with pytest.raises(yaml_parse.YamlSyntaxError, match="undefined alias"):
        yaml_parse.parse_yaml(deep, "t.yaml")


def test_an_alias_inside_the_collection_it_names() -> None:
    with pytest.raises(RecursionError):  # an endless value: FG001 "nested too deeply"
        yaml_parse.parse_yaml("a: &a [1, *a]\n", "t.yaml")
    root = parse("a: &a {*a : 1}\n")  # a collection as a key is the key "?", never read
    key = root.obj("a")
    assert key is not None and key.to_python() == {"?": 1}
    assert (key.key_span("?").line, key.key_span("?").end_col) == (1, 15)
    text = "x: &A [{? &B [*A] : 1}]\ny: *B\n"  # read only through the alias of a key
    assert parse(text, aliases=8).fields["y"].to_python() == [[{"?": 1}]]
    with pytest.raises(LimitExceeded):  # *B is 2 values, and the *A inside it 5 more
        yaml_parse.parse_yaml(text, "t.yaml", aliases=7)


TEXTS = [
    "a: &x {k: [1, !Ref R]}\nb: *x\nc: [*x, *x]\n",
    "&k name: 1\n*k : 2\nv: *k\n? &c [1, 2]\n: 3\nw: *c\n",
    "a: &m {x: 1, x: 2}\nb: *m\n",
    "a: &a [1, *a]\n",
    "a: &a {*a : 1}\n",
    "a: *nowhere\n",
    "a: &d 1\nb: &d 2\n",
    "--- &a 1\n--- *a\n",
    "a: &a !Sub [x, {y: 1}]\nb: *a\n",
    "a: |\n  x\n\n\nb: >\n  y\r\n\r\n",
    "a: [1, &x 2, *x, {*x : *x}]\n",
    "? - a\n  - b\n: v\n",
    BOMB,
]


@pytest.mark.parametrize("text", TEXTS)
def test_the_same_nodes_with_and_without_libyaml(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("libyaml is not installed here")
    with_libyaml = outcome(text)
    monkeypatch.setattr(yaml_parse, "loader_class", yaml_parse.pure_loader)
    assert outcome(text) == with_libyaml


@pytest.mark.parametrize(
    "text", ["", "a", "a\n", "a\n\n", "a\r\nb\rc\n", "x\x0cy\x85z\u2028\n\n", "\r\n\r\n"]
)
def test_line_lengths_are_those_of_splitlines(text: str) -> None:
    builder = yaml_parse._Builder(text, "t.yaml", 100, 100)
    lines = text.splitlines()
    assert [builder.line_length(n) for n in range(len(lines) + 2)] == [*map(len, lines), 0, 0]


def test_a_template_is_held_once() -> None:
    """A 180 KB task definition: PyYAML's composed graph held beside fglint's nodes took 75
    bytes per input byte at the peak (tracemalloc); built from the events, 25."""
    lines = ["Resources:", "  T:", "    Type: AWS::ECS::TaskDefinition", "    Properties:"]
    lines += ["      Environment:"]
    lines += [f"        - Name: K{i}\n          Value: v{i}" for i in range(4000)]
    text = "\n".join(lines) + "\n"
    tracemalloc.start()
    try:
        yaml_parse.parse_yaml(text, "t.yaml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 35 * len(text), peak / len(text)


def test_a_broken_template_is_not_built_twice_to_word_its_error() -> None:
    """The error is worded as PyYAML's own parser words it, read again from its events: it
    composed the whole stream (at the end of an 8 MB template: 680 MB, 20 s; now 209 MB,
    13 s)."""
    entries = [f"  - Name: K{i}\n    Value: v{i}" for i in range(2000)]
    text = "Environment:\n" + "\n".join(entries) + "\nx: [unclosed\n"
    tracemalloc.start()
    try:
        with pytest.raises(yaml_parse.YamlSyntaxError, match="expected ',' or ']'") as error:
            yaml_parse.parse_yaml(text, "t.yaml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (error.value.span.line, error.value.span.col) == (4002, 4)
    assert peak < 35 * len(text), peak / len(text)


def test_a_loaded_template_leaves_no_garbage_cycle(tmp_path: Path) -> None:
    """Files load with the cyclic collector off, and the CLI freezes what is left: a template
    tree held by a reference cycle (the evaluator and its conditions) was never freed."""
    from fglint.load import load

    text = "AWSTemplateFormatVersion: '2010-09-09'\nConditions:\n  C: !Equals [a, a]\n"
    text += "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n"
    text += "      Family: !If [C, f, g]\n      Volumes: [{Name: v}]\n"
    (tmp_path / "t.yaml").write_text(text, encoding="utf-8")
    collecting = gc.isenabled()
    gc.disable()
    try:
        project = load([str(tmp_path / "t.yaml")])
        assert project.resources
        alive = sum(isinstance(o, ObjectNode) for o in gc.get_objects())
        gc.collect()
        assert sum(isinstance(o, ObjectNode) for o in gc.get_objects()) == alive
    finally:
        if collecting:
            gc.enable()

"""Checks a resource against the JSON Schema of the AWS API shape it is written in (FG003).

The schemas are generated from botocore's API models by `scripts/gen_schemas.py` into
`schemas/*_api.json`; each file's `shapes` table maps the shape names that front-ends set on
`Resource.shape` to a definition, so a new recogniser needs no change here. Each jsonschema error
becomes one located, readable `Issue`: an unknown key at the key, a wrong type or value at the
value, a missing key at the object.

Most files conform, and importing jsonschema costs a run on one file a third of its time; so
`conforms` first checks the keywords the generator writes, and jsonschema is imported only for a
value that may not conform, to say why. `conforms` answers True only when jsonschema finds no
error that `check` would report (tests/test_apishape.py holds it to that on every definition).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from fglint.aws.data import load
from fglint.nodes import UNKNOWN, ListNode, Node, ObjectNode, ScalarNode, Span, UnknownNode

TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "object": "an object",
    "array": "a list",
}
MAX_LISTED = 12  # enum values listed in a message
SourceText = Callable[[int], str]  # line number -> that line of the file


@dataclass(frozen=True)
class Issue:
    where: Node | Span
    message: str
    severity: Literal["error", "warning", "note"] | None = None  # overrides the rule's


@cache
def shape_index() -> dict[str, tuple[str, str]]:
    """Shape name -> (schema file stem, definition name), over every `schemas/*_api.json`."""
    index: dict[str, tuple[str, str]] = {}
    for entry in sorted(resources.files("fglint.schemas").iterdir(), key=lambda e: e.name):
        if entry.name.endswith("_api.json"):
            stem = entry.name.removesuffix(".json")
            for shape, definition in load(stem)["shapes"].items():
                index[shape] = (stem, definition)
    return index


def has_schema(shape: str) -> bool:
    return shape in shape_index()


@cache
def validator(shape: str) -> Any:
    from jsonschema import Draft202012Validator

    stem, definition = shape_index()[shape]
    schema = {"$defs": load(stem)["$defs"], "$ref": f"#/$defs/{definition}"}
    return Draft202012Validator(schema)


def conforms(value: object, shape: str) -> bool:
    """True when `value` certainly meets the shape's schema; False when it may not."""
    stem, definition = shape_index()[shape]
    return conforms_to(value, definition, load(stem)["$defs"])


def conforms_to(value: object, definition: str, defs: dict[str, Any]) -> bool:
    # an unknown value is reported on at the root only (`check` skips it further down)
    return value is not UNKNOWN and _conforms(value, {"$ref": f"#/$defs/{definition}"}, defs)


ANNOTATIONS = {"title", "description", "$comment"}


def _conforms(value: object, schema: dict[str, Any], defs: dict[str, Any]) -> bool:
    """Draft 2020-12 for the keywords scripts/gen_schemas.py writes; any other keyword, or a
    value whose type is not plainly the one named, answers False and lets jsonschema decide.
    An unknown value below the root conforms: `check` reports nothing at or under it."""
    if value is UNKNOWN:
        return True
    for keyword, expected in schema.items():
        if keyword in ANNOTATIONS:
            continue
        test = KEYWORDS.get(keyword)
        if test is None or not test(value, expected, schema, defs):
            return False
    return True


def _is(value: object, kind: str) -> bool:
    if isinstance(value, bool):
        return kind == "boolean"
    if kind == "integer":
        return isinstance(value, int)
    if kind == "number":
        return isinstance(value, (int, float))
    python = {"string": str, "object": dict, "array": list}.get(kind)
    return (python is not None and isinstance(value, python)) or (kind == "null" and value is None)


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _ref(value: object, ref: str, schema: dict[str, Any], defs: dict[str, Any]) -> bool:
    name = ref.removeprefix("#/$defs/")
    return ref.startswith("#/$defs/") and name in defs and _conforms(value, defs[name], defs)


def _properties(value: object, props: dict[str, Any], schema: Any, defs: Any) -> bool:
    if not isinstance(value, dict):
        return True
    return all(_conforms(value[key], sub, defs) for key, sub in props.items() if key in value)


def _additional(value: object, extra: Any, schema: dict[str, Any], defs: Any) -> bool:
    if not isinstance(value, dict) or extra is True:
        return True
    named = schema.get("properties", {})
    others = [key for key in value if key not in named]
    if extra is False:
        return not others
    return isinstance(extra, dict) and all(_conforms(value[key], extra, defs) for key in others)


def _items(value: object, items: Any, schema: Any, defs: Any) -> bool:
    if not isinstance(value, list):
        return True
    return isinstance(items, dict) and all(_conforms(item, items, defs) for item in value)


Keyword = Callable[[Any, Any, dict[str, Any], dict[str, Any]], bool]
KEYWORDS: dict[str, Keyword] = {
    "type": lambda v, kinds, s, d: any(
        _is(v, kind) for kind in ([kinds] if isinstance(kinds, str) else kinds)
    ),
    "enum": lambda v, allowed, s, d: isinstance(v, str) and v in allowed,
    "$ref": _ref,
    "properties": _properties,
    "additionalProperties": _additional,
    "required": lambda v, keys, s, d: not isinstance(v, dict) or all(k in v for k in keys),
    "items": _items,
    "minimum": lambda v, limit, s, d: not _number(v) or v >= limit,
    "maximum": lambda v, limit, s, d: not _number(v) or v <= limit,
    "minLength": lambda v, limit, s, d: not isinstance(v, str) or len(v) >= limit,
    "maxLength": lambda v, limit, s, d: not isinstance(v, str) or len(v) <= limit,
    "minItems": lambda v, limit, s, d: not isinstance(v, list) or len(v) >= limit,
    "maxItems": lambda v, limit, s, d: not isinstance(v, list) or len(v) <= limit,
}


def written(node: ObjectNode, key: str, text: SourceText) -> bool:
    """True when `key` is written in the file at its key span; False for a key a front-end
    added (a bare array wrapped as `{"containerDefinitions": [...]}`, a target group's
    `DeregistrationDelay` lifted out of its attributes)."""
    span = node.keys.get(key)
    if span is None:
        return True
    if span.line != span.end_line:
        return False
    try:
        return bool(json.loads(text(span.line)[span.col - 1 : span.end_col - 1]) == key)
    except ValueError:
        return False


def plain(node: Node, text: SourceText) -> object:
    """The node as plain data, as written: without the keys a front-end added."""
    if isinstance(node, ObjectNode):
        return {k: plain(v, text) for k, v in node.fields.items() if written(node, k, text)}
    if isinstance(node, ListNode):
        return [plain(item, text) for item in node.items]
    return node.to_python()


def unwrap(node: Node, text: SourceText) -> Node:
    """The value a front-end wrapped in an object of one added key."""
    while isinstance(node, ObjectNode) and len(node.fields) == 1:
        (key,) = node.fields
        if written(node, key, text):
            break
        node = node.fields[key]
    return node


def check(node: Node, shape: str, text: SourceText) -> Iterator[Issue]:
    """Every way `node` breaks the API shape `shape`, once each; silent on unknown values.
    `text(n)` is line n of the node's file."""
    root = unwrap(node, text)
    yield from _nulls(root, text, "")
    data = plain(root, text)
    if conforms(data, shape):
        return
    seen: set[tuple[str, Span]] = set()
    errors = sorted(validator(shape).iter_errors(data), key=_error_order)
    for error in errors:
        chain = _nodes_along(root, list(error.absolute_path))
        if chain is None or error.instance is None:
            continue  # a null: reported once per object by _nulls
        for issue in _issues(error, chain, root):
            key = (issue.message, _span(issue.where))
            if key not in seen:
                seen.add(key)
                yield issue


def _nulls(node: Node, text: SourceText, label: str) -> Iterator[Issue]:
    """One warning per object that has keys set to null, listing them. The AWS CLI rejects a
    null; the tools that deploy task definitions from files (the amazon-ecs-deploy-task-definition
    GitHub Action, which strips null and empty values) accept it."""
    if isinstance(node, ListNode):
        for index, item in enumerate(node.items):
            yield from _nulls(item, text, f"{label}[{index}]")
        return
    if not isinstance(node, ObjectNode):
        return
    keys = [k for k, v in node.fields.items() if _is_null(v) and written(node, k, text)]
    if keys:
        names = ", ".join(f"`{key}`" for key in keys)
        where = f" in `{label}`" if label else ""
        verb = "is" if len(keys) == 1 else "are"
        yield Issue(
            node.key_span(keys[0]),
            f"{names} {verb} null{where}: the AWS CLI rejects a null (`Invalid type for "
            "parameter`); only tools that strip nulls, such as the "
            "amazon-ecs-deploy-task-definition action, accept it; remove the "
            f"key{'s' if len(keys) > 1 else ''}",
            "warning",
        )
    for key, value in node.fields.items():
        yield from _nulls(value, text, f"{label}.{key}" if label else key)


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.value is None


def _error_order(error: Any) -> tuple[list[str], str]:
    return [str(part) for part in error.absolute_path], error.validator


def _span(where: Node | Span) -> Span:
    return where if isinstance(where, Span) else where.span


def _nodes_along(root: Node, path: list[str | int]) -> list[tuple[str | int | None, Node]] | None:
    """The nodes from the root down `path`, each with the key or index that leads to it; None
    when the path crosses an unknown value (unknown is not wrong)."""
    chain: list[tuple[str | int | None, Node]] = [(None, root)]
    node = root
    for part in path:
        if isinstance(node, ObjectNode) and isinstance(part, str) and part in node.fields:
            node = node.fields[part]
        elif isinstance(node, ListNode) and isinstance(part, int) and part < len(node.items):
            node = node.items[part]
        else:
            return None
        if isinstance(node, UnknownNode):
            return None
        chain.append((part, node))
    return chain


def _issues(error: Any, chain: list[tuple[str | int | None, Node]], root: Node) -> list[Issue]:
    node = chain[-1][1]
    kind, expected, schema = error.validator, error.validator_value, error.schema
    if kind == "additionalProperties" and expected is False and isinstance(node, ObjectNode):
        return _unknown_keys(node, error.instance, schema, node is root)
    if kind == "required" and isinstance(node, ObjectNode):
        if node is root and _where(schema, True).endswith(" input"):
            return []  # the CLI can pass these as options: `--service-name web --cli-input-json`
        return _missing_keys(node, error.instance, schema, node is root)
    label = _label(chain)
    value = error.instance
    if kind == "type":
        return [Issue(node, _type_message(label, expected, value))]
    if kind == "enum":
        return [Issue(node, _enum_message(label, expected, value))]
    if kind in BOUNDS:
        return [Issue(node, BOUNDS[kind](label, expected, value))]
    return [Issue(node, f"{label}: {error.message}")]


def _unknown_keys(
    node: ObjectNode, data: dict[str, Any], schema: dict[str, Any], at_root: bool
) -> list[Issue]:
    allowed = list(schema.get("properties", {}))
    where = _where(schema, at_root)
    issues = []
    for key in data:
        if key in allowed:
            continue
        message = f"Unknown key `{key}` in {where}"
        message += did_you_mean(key, allowed)
        issues.append(Issue(node.key_span(key), message))
    return issues


def _missing_keys(
    node: ObjectNode, data: dict[str, Any], schema: dict[str, Any], at_root: bool
) -> list[Issue]:
    allowed = list(schema.get("properties", {}))
    # a misspelt key is reported once, as unknown, not again as missing
    meant = {nearest(key, allowed) for key in data if key not in allowed}
    where = _where(schema, at_root)
    return [
        Issue(node, f"Missing required key `{key}` in {where}")
        for key in schema.get("required", [])
        if key not in data and key not in meant
    ]


def nearest(word: str, choices: list[str], cutoff: float = 0.75) -> str | None:
    """The choice `word` most likely means: the same but for case, else the closest spelling."""
    folded = {choice.lower(): choice for choice in choices}
    if word.lower() in folded:
        return folded[word.lower()]
    close = difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(word: str, choices: list[str], cutoff: float = 0.75) -> str:
    """` (did you mean `choice`?)` for an error message, or nothing when no choice is near."""
    guess = nearest(word, choices, cutoff)
    return f" (did you mean `{guess}`?)" if guess else ""


def _where(schema: dict[str, Any], at_root: bool) -> str:
    title = schema.get("title", "this object")
    if at_root:
        return f"the {title}"
    return f"{'an' if _vowel_sound(title) else 'a'} {title}"


def _vowel_sound(title: str) -> bool:
    word = title.split()[0]
    if word[:2].isupper() or word in ("FSx", "S3"):  # an acronym read letter by letter
        return word[0] in "AEFHILMNORSX"
    return word[0].lower() in "aeiou"


def _label(chain: list[tuple[str | int | None, Node]]) -> str:
    """`protocol`, or `requiresCompatibilities[0]` for a list entry."""
    suffix = ""
    for part, _ in reversed(chain):
        if isinstance(part, int):
            suffix = f"[{part}]{suffix}"
        elif isinstance(part, str):
            return f"`{part}{suffix}`"
    return "The value" if not suffix else f"`{suffix}`"


def _kind_of(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _type_message(label: str, expected: str | list[str], value: object) -> str:
    names = [expected] if isinstance(expected, str) else expected
    wanted = " or ".join(TYPE_NAMES.get(name, name) for name in names)
    message = f"{label} must be {wanted}, got {_kind_of(value)}"
    if value is None:
        message += ": remove the key or give it a value"
    elif "string" in names and _kind_of(value) in ("a number", "a boolean"):
        message += ": put the value in quotes"
    elif isinstance(value, str) and _kind_of(_parsed(value)) in ("a number", "a boolean"):
        message += ": remove the quotes"
    return message


def _parsed(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _enum_message(label: str, allowed: list[str], value: object) -> str:
    listed = ", ".join(allowed)
    if len(allowed) > MAX_LISTED:
        listed = f"the {len(allowed)} values the API allows"
    if value is None:
        return f"{label} must be one of {listed}; got null: remove the key or give it a value"
    shown = value if isinstance(value, str) else json.dumps(value, default=repr)  # UNKNOWN
    message = f"{label} must be one of {listed}; got `{shown}`"
    return message + did_you_mean(shown, allowed)


def _count(number: int, word: str) -> str:
    plural = word[:-1] + "ies" if word.endswith("y") else word + "s"
    return f"{number} {word if number == 1 else plural}"


BOUNDS = {
    "minimum": lambda label, limit, value: f"{label} must be at least {limit}, got {value}",
    "maximum": lambda label, limit, value: f"{label} must be at most {limit}, got {value}",
    "minLength": lambda label, limit, value: (
        f"{label} must not be empty"
        if limit == 1
        else f"{label} must have at least {_count(limit, 'character')}, got {len(value)}"
    ),
    "maxLength": lambda label, limit, value: (
        f"{label} must have at most {_count(limit, 'character')}, got {len(value)}"
    ),
    "minItems": lambda label, limit, value: (
        f"{label} must have at least {_count(limit, 'entry')}, got {len(value)}"
    ),
    "maxItems": lambda label, limit, value: (
        f"{label} must have at most {_count(limit, 'entry')}, got {len(value)}"
    ),
}

"""Fixes: text edits at exact spans of the located model, made by a rule next to its finding.

A rule never re-serialises a document. It asks the `Editor` for edits at the nodes it reports
on: replace a literal, remove an object member, insert one. The editor reads the text at the
node's span to write in the file's own syntax (JSON, HCL attributes and blocks, `jsonencode`
objects, heredoc JSON, YAML block and flow style) and gives up (None) where the value is not a
plain literal written at its own span: an expression, a `${...}`, an intrinsic function, a value
computed from elsewhere, a key the front-end synthesised. A fix with any edit missing is no fix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import replace as with_field
from typing import Any

from fglint.model import Project, SourceFile
from fglint.nodes import Node, ObjectNode, ScalarNode, Span

_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")
_HCL_BARE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_YAML_PLAIN = re.compile(r"[A-Za-z0-9_./][A-Za-z0-9_./ :=+-]*")
_TYPE_LINE = re.compile(r"""(?m)^([ \t]*)(["']?)Type\2[ \t]*:""")  # a resource's `Type:` line
_BREAK = re.compile(r"\r\n|\r|\n")
_BLOCK_HEAD = re.compile(r"[A-Za-z_][\w-]*(\s+(\"[^\"\n]*\"|[A-Za-z_][\w-]*))*\s*\{")


class Verbatim(dict[str, Any]):
    """An object value whose keys are written as given (log driver options), not respelled in
    the file's style (CloudFormation's PascalCase, Terraform's snake_case)."""


@dataclass(frozen=True)
class Edit:
    """Replace the text from `start` to `end` (character offsets; equal for an insertion)."""

    path: str
    start: int
    end: int
    text: str
    shared: bool = False  # a literal reached through a variable or parameter: other uses change


@dataclass(frozen=True)
class Fix:
    message: str
    edits: tuple[Edit, ...]
    safe: bool = True

    @classmethod
    def of(cls, message: str, edits: Iterable[Edit | None], safe: bool = True) -> Fix | None:
        """A fix of these edits, or None when any of them could not be made."""
        made = list(edits)
        if not made or any(edit is None for edit in made):
            return None
        merged: list[Edit] = []
        for edit in made:  # insertions at one place are written in the order given
            last = merged[-1] if merged else None
            if (
                edit is not None
                and last
                and last.path == edit.path
                and last.start == last.end == edit.start == edit.end
            ):
                shared = last.shared or edit.shared
                merged[-1] = Edit(edit.path, edit.start, edit.end, last.text + edit.text, shared)
            elif edit is not None:
                merged.append(edit)
        shared = any(edit.shared for edit in merged)  # changes more than this one use
        return cls(message, tuple(merged), safe and not shared)


def position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of a character offset (line breaks as the parsers count)."""
    breaks = list(_BREAK.finditer(text, 0, offset))
    start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, offset - start + 1


def snake(key: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key).lower()


def pascal(key: str) -> str:
    return key[:1].upper() + key[1:]


def _same(written: object, value: object) -> bool:
    if isinstance(written, bool) or isinstance(value, bool):
        return written is value
    return written == value or (written is not None and str(written) == str(value))


class Editor:
    """Edits on the files of one project."""

    def __init__(self, project: Project) -> None:
        self.files = {file.path: file for file in project.files}
        self._starts: dict[str, list[int]] = {}

    # -- positions ---------------------------------------------------------------------------

    def file(self, path: str) -> SourceFile | None:
        return self.files.get(path)

    def offset(self, path: str, line: int, col: int) -> int:
        starts = self._starts.get(path)
        if starts is None:
            text = self.files[path].text
            starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
            self._starts[path] = starts
        return starts[min(line, len(starts)) - 1] + col - 1

    def start(self, span: Span) -> int:
        return self.offset(span.path, span.line, span.col)

    def end(self, span: Span) -> int:
        return self.offset(span.path, span.end_line, span.end_col)

    def text(self, span: Span) -> str:
        file = self.files.get(span.path)
        return file.text[self.start(span) : self.end(span)] if file else ""

    def dialect(self, path: str) -> str:
        """json, hcl, yaml or docker: how values are written in the file; "" for Terraform's
        JSON syntax and plan JSON, which no fix edits (their values are not written in HCL)."""
        file = self.files[path]
        if file.kind == "terraform":
            return "" if path.endswith(".json") else "hcl"
        if file.kind == "cloudformation" and not file.text.lstrip().startswith("{"):
            return "yaml"
        if file.kind == "dockerfile":
            return "docker"
        return "json"

    # -- what may be edited ------------------------------------------------------------------

    def literal(self, node: Node | None) -> bool:
        """True for a plain literal written at its own span: its text there reads as its value.
        Unknown and partly-known values, and values computed from elsewhere, are not."""
        if type(node) is not ScalarNode or node.span.path not in self.files:
            return False
        if not self.dialect(node.span.path):
            return False
        text = self.text(node.span)
        found, value = self._read_literal(text, self.dialect(node.span.path))
        return found and _same(value, node.value)

    def _read_literal(self, text: str, dialect: str) -> tuple[bool, object]:
        if not text or "\n" in text or "\r" in text:
            return False, None
        if dialect == "yaml":
            if text[0] in "!&*|>%@`{[":
                return False, None
            import yaml

            try:
                return True, yaml.safe_load(text)
            except yaml.YAMLError:
                return False, None
        if dialect not in ("json", "hcl"):
            return False, None
        if dialect == "hcl" and ("${" in text or "%{" in text):
            return False, None
        if text[0] == '"' or _NUMBER.fullmatch(text) or text in ("true", "false", "null"):
            try:
                return True, json.loads(text)
            except ValueError:
                return False, None
        return False, None

    def real(self, obj: Node | None) -> bool:
        """An object written where its span is: braces, a Terraform block, a YAML mapping whose
        keys lie inside the span. Not one a front-end put together from other places."""
        if not isinstance(obj, ObjectNode) or obj.span.path not in self.files:
            return False
        if not self.dialect(obj.span.path):
            return False
        text = self.text(obj.span)
        if text.startswith("{") and text.endswith("}"):
            return True
        dialect = self.dialect(obj.span.path)
        if dialect == "hcl":
            return bool(_BLOCK_HEAD.match(text)) and text.endswith("}")
        members = self._members(obj)
        bare = self.files[obj.span.path].kind == "cloudformation" and _TYPE_LINE.search(text)
        return (bool(members) or bool(bare)) and dialect in ("yaml", "json")

    def _members(self, obj: ObjectNode) -> list[tuple[str, Span, Node]]:
        """The members written inside the object's span, in text order, whose key text is the
        model key (or its Terraform/CloudFormation spelling)."""
        start, end = self.start(obj.span), self.end(obj.span)
        found = []
        for key, value in obj.fields.items():
            span = obj.keys.get(key)
            if span is None or span.path != obj.span.path or value.span.path != obj.span.path:
                continue
            if not (start <= self.start(span) and self.end(value.span) <= end):
                continue
            if self.text(span).strip("\"'") not in (key, snake(key), pascal(key)):
                continue
            found.append((key, span, value))
        return sorted(found, key=lambda member: self.start(member[1]))

    # -- edits -------------------------------------------------------------------------------

    def replace(self, node: Node | None, value: Any) -> Edit | None:
        """The literal `node` replaced by `value`, written as the original was (quoted or not)."""
        if node is None or not self.literal(node):
            return None
        text = self.text(node.span)
        rendered = self.scalar(value, self.dialect(node.span.path), like=text)
        start, end = self.start(node.span), self.end(node.span)
        return Edit(node.span.path, start, end, rendered, shared=bool(node.via))

    def insert_text(self, span: Span, text: str, at_end: bool = False) -> Edit:
        offset = self.end(span) if at_end else self.start(span)
        return Edit(span.path, offset, offset, text)

    def scalar(self, value: Any, dialect: str, like: str = "") -> str:
        quoted = like[:1] in ('"', "'")
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)) and not quoted:
            return str(value)
        text = str(value)
        if dialect == "yaml":
            if like[:1] == "'":
                return "'" + text.replace("'", "''") + "'"
            plain = _YAML_PLAIN.fullmatch(text) and ": " not in text and not text.endswith(":")
            if not quoted and plain and self._read_literal(text, "yaml")[1] == text:
                return text
        return json.dumps(text, ensure_ascii=False)

    def remove(self, obj: ObjectNode, key: str) -> Edit | None:
        """The member `key` of `obj` removed, with its line when it has one of its own."""
        if not self.real(obj):
            return None
        members = self._members(obj)
        keys = [member[0] for member in members]
        if key not in keys or not self.literal(obj.fields[key]):
            return None
        path = obj.span.path
        text = self.files[path].text
        index = keys.index(key)
        _, key_span, value = members[index]
        begin, finish = self.start(key_span), self.end(value.span)
        if text[begin - 1 : begin] in ('"', "'"):
            begin -= 1
        braced = self.text(obj.span).startswith("{")
        commas = (braced and self.dialect(path) != "hcl") or self._comma_after(text, finish)
        if commas and index + 1 < len(members):
            after = self.start(members[index + 1][1])
            after -= 1 if text[after - 1 : after] in ('"', "'") else 0
            finish = after
        elif commas and index > 0:
            begin = self.end(members[index - 1][2].span)
            finish = self._skip_comma(text, finish)
        elif commas:
            finish = self._skip_comma(text, finish)
        line_start = text.rfind("\n", 0, begin) + 1
        line_end = self._line_end(text, finish)
        if not text[line_start:begin].strip() and not text[finish:line_end].strip():
            begin, finish = line_start, min(len(text), line_end + 1)
        return Edit(path, begin, finish, "")

    def _comma_after(self, text: str, offset: int) -> bool:
        rest = text[offset:].lstrip(" \t")
        return rest.startswith(",")

    def _skip_comma(self, text: str, offset: int) -> int:
        stripped = len(text[offset:]) - len(text[offset:].lstrip(" \t"))
        if text[offset + stripped : offset + stripped + 1] == ",":
            return offset + stripped + 1
        return offset

    def _line_end(self, text: str, offset: int) -> int:
        found = re.compile(r"\r\n|\r|\n").search(text, offset)
        return found.start() if found else len(text)

    def set(
        self, obj: ObjectNode, path: str, value: Any, literal: bool = False, model: bool = False
    ) -> list[Edit] | None:
        """`obj.path` set to `value`: the literal replaced if it is there, else the member added
        at the deepest object that is written out. Empty when it is set already; None when it
        cannot be done. `model`: the key is the model's own (a target group's
        `DeregistrationDelay`), so it is added only where a front-end table names the argument
        that writes it (Terraform), never spelled into JSON or CloudFormation."""
        keys = path.split(".")
        node: ObjectNode = obj
        for index, key in enumerate(keys):
            child = node.fields.get(key)
            last = index == len(keys) - 1
            if child is None:
                rest = ".".join(keys[index:])
                if model and self.dialect(obj.span.path) != "hcl":
                    return None
                edit = self.insert(node, rest, value, literal=literal and last, root=obj)
                return [edit] if edit else None
            if last:
                if isinstance(value, dict) and isinstance(child, ObjectNode):
                    return self.update(child, value, literal)
                if type(child) is ScalarNode and _same(child.value, value) and self.literal(child):
                    return []
                edit = self.replace(child, value)
                return [edit] if edit else None
            if not isinstance(child, ObjectNode):
                return None
            node = child
        return None

    def update(
        self, obj: ObjectNode, values: dict[str, Any], literal: bool = False
    ) -> list[Edit] | None:
        """Each key of `values` set in `obj` (see `set`)."""
        edits: list[Edit] = []
        for key, value in values.items():
            made = self.set(obj, key, value, literal)
            if made is None:
                return None
            edits += made
        return edits

    def insert(
        self,
        obj: ObjectNode,
        path: str,
        value: Any,
        literal: bool = False,
        root: ObjectNode | None = None,
    ) -> Edit | None:
        """A new member `path` (dotted: nested objects are created) with `value` in `obj`,
        written with the file's own line breaks."""
        edit = self._insert(obj, path, value, literal, root)
        if edit is None or "\n" not in edit.text:
            return edit
        newline = "\r\n" if "\r\n" in self.files[edit.path].text else "\n"
        return with_field(edit, text=edit.text.replace("\n", newline))

    def _insert(
        self,
        obj: ObjectNode,
        path: str,
        value: Any,
        literal: bool,
        root: ObjectNode | None,
    ) -> Edit | None:
        keys = path.split(".")
        nested: Any = value
        for key in reversed(keys[1:]):
            nested = {key: nested}
        if not self.real(obj):
            if root is not None and obj is not root and self.dialect(obj.span.path) == "hcl":
                return self._insert_terraform(root, self._path_to(root, obj) + keys, value)
            return None
        dialect = self.dialect(obj.span.path)
        text = self.text(obj.span)
        if dialect == "hcl" and not text.startswith("{"):
            if obj is root or root is None or text.startswith("resource"):
                return self._insert_terraform(obj, keys, value)
            return self._insert_block(obj, keys[0], nested, literal)
        return self._insert_member(obj, keys[0], nested, literal)

    def _path_to(self, root: ObjectNode, target: ObjectNode) -> list[str]:
        def search(node: Node, trail: list[str]) -> list[str] | None:
            if node is target:
                return trail
            if isinstance(node, ObjectNode):
                for key, child in node.fields.items():
                    found = search(child, [*trail, key])
                    if found is not None:
                        return found
            return None

        return search(root, []) or []

    # -- writing members ---------------------------------------------------------------------

    def _style(self, obj: ObjectNode, dialect: str) -> str:
        """How the object's keys are spelled: same, snake or pascal."""
        for key, span, _ in self._members(obj):
            written = self.text(span).strip("\"'")
            if written != key.lower() or key != key.lower():
                if written == key:
                    return "same"
                if written == pascal(key):
                    return "pascal"
                if written == snake(key):
                    return "snake"
        if self.files[obj.span.path].kind == "cloudformation":
            return "pascal"
        return "same"

    def _key(self, key: str, style: str, literal: bool) -> str:
        if literal:
            return key
        if style == "pascal":
            return cloudformation_name(key)
        return snake(key) if style == "snake" else key

    def _insert_member(self, obj: ObjectNode, key: str, value: Any, literal: bool) -> Edit | None:
        path = obj.span.path
        text = self.files[path].text
        dialect = self.dialect(path)
        body = self.text(obj.span)
        braced = body.startswith("{")
        members = self._members(obj)
        style = self._style(obj, dialect)
        flow = braced and dialect == "yaml"
        quote = dialect == "json" or any(self.text(s).startswith('"') for _, s, _ in members)
        separator = ": " if dialect != "hcl" else " = "
        if members and dialect == "hcl":
            _, span, first = members[0]
            between = text[self.end(span) : self.start(first.span)]
            separator = ": " if ":" in between else " = "
        if not members and not braced and self.files[path].kind == "cloudformation":
            return self._add_properties(obj, {self._key(key, style, literal): value}, style)
        if not members:
            if not (braced and not body[1:-1].strip()):
                return None
            name = self._name(self._key(key, style, literal), quote, dialect)
            rendered = self._value(value, style, dialect, quote, separator, flow)
            inner = f"{name}{separator}{rendered}"
            inner = f" {inner} " if dialect == "hcl" else inner
            return Edit(path, self.start(obj.span), self.end(obj.span), "{" + inner + "}")
        _, last_key, last_value = members[-1]
        name = self._name(self._key(key, style, literal), quote, dialect)
        after = self.end(last_value.span)
        gap = re.match(r"[ \t]*,?[ \t]*(\S|$)", text[after:])  # on the same line: inline
        single = gap is not None and gap.group(1) in ("}", ",", "")
        if dialect == "yaml" and not braced:
            indent = " " * (last_key.col - 1)
            line_end = self._line_end(text, after)
            if last_value.span.end_col == 1 and last_value.span.end_line > last_key.line:
                line_end = max(self.start(last_value.span), self.end(last_value.span) - 1)
            rendered = self._yaml_block(value, style, len(indent) + 2)
            if isinstance(value, dict):
                return Edit(path, line_end, line_end, f"\n{indent}{name}:{rendered}")
            return Edit(path, line_end, line_end, f"\n{indent}{name}: {rendered}")
        rendered = self._value(value, style, dialect, quote, separator, flow)
        member = f"{self._aligned(text, last_key, name, separator)}{separator}{rendered}"
        commas = dialect != "hcl" or separator == ": " or single
        if self._comma_after(text, after):
            after = self._skip_comma(text, after)
            tail = "," if not single else ""
            lead = " " if single else "\n" + self._indent(text, last_key)
            return Edit(path, after, after, f"{lead}{member}{tail}")
        lead = ", " if single else ("," if commas else "") + "\n" + self._indent(text, last_key)
        return Edit(path, after, after, f"{lead}{member}")

    def _add_properties(
        self, resource: ObjectNode, value: dict[str, Any], style: str
    ) -> Edit | None:
        """`Properties` added to a CloudFormation resource that has none (`Type` alone). The
        resource's span runs from its logical id to the end of its entry."""
        path = resource.span.path
        text = self.files[path].text
        body = self.text(resource.span)
        end = self.end(resource.span)
        found = _TYPE_LINE.search(body)
        if found is None or "Properties" in body:
            return None
        indent = found.group(1)
        if self.dialect(path) == "yaml":
            at = self._line_end(text, end - 1) if not body.endswith("\n") else end - 1
            block = self._yaml_block(value, style, len(indent) + 2)
            return Edit(path, at, at, f"\n{indent}Properties:{block}")
        close = end - 1
        if text[close] != "}":
            return None
        last = len(text[:close].rstrip())
        rendered = self._value(value, style, "json", True, ": ", False)
        if "\n" not in body[found.start() :]:
            return Edit(path, last, last, f', "Properties": {rendered}')
        return Edit(path, last, last, f',\n{indent}"Properties": {rendered}')

    def _aligned(self, text: str, key: Span, name: str, separator: str) -> str:
        """The name padded to the column where the members above put their `=` (as
        `terraform fmt` aligns them), when it fits there."""
        if separator != " = ":
            return name
        end = self.end(key)
        gap = re.match(r" *=", text[end:])
        width = end - self.start(key) + (len(gap.group()) - 2 if gap else 0)
        return name.ljust(width) if gap and len(name) <= width else name

    def _indent(self, text: str, key: Span) -> str:
        start = self.offset(key.path, key.line, 1)
        before = text[start : self.start(key)]
        if before.endswith('"'):
            before = before[:-1]
        return before if not before.strip() else " " * len(before)

    def _name(self, key: str, quote: bool, dialect: str) -> str:
        if quote or (dialect == "hcl" and not _HCL_BARE.fullmatch(key)):
            return json.dumps(key)
        return key

    def _value(
        self, value: Any, style: str, dialect: str, quote: bool, separator: str, flow: bool
    ) -> str:
        if isinstance(value, dict):
            style = "same" if isinstance(value, Verbatim) else style
            parts = [
                f"{self._name(self._key(k, style, False), quote, dialect)}{separator}"
                + self._value(v, style, dialect, quote, separator, flow)
                for k, v in value.items()
            ]
            inner = ", ".join(parts)
            return "{ " + inner + " }" if dialect == "hcl" else "{" + inner + "}"
        if isinstance(value, list):
            items = [self._value(v, style, dialect, quote, separator, flow) for v in value]
            return "[" + ", ".join(items) + "]"
        return self.scalar(value, "json" if flow else dialect)

    def _yaml_block(self, value: Any, style: str, indent: int) -> str:
        """A YAML value after `key:`: a scalar on the same line, a mapping on the next lines."""
        if isinstance(value, dict):
            style = "same" if isinstance(value, Verbatim) else style
            lines = []
            for key, item in value.items():
                name = self._key(key, style, False)
                nested = self._yaml_block(item, style, indent + 2)
                lines.append(
                    f"\n{' ' * indent}{name}:{nested if isinstance(item, dict) else ' ' + nested}"
                )
            return "".join(lines)
        if isinstance(value, list):
            return self._value(value, style, "yaml", False, ": ", True)
        return self.scalar(value, "yaml")

    # -- Terraform blocks --------------------------------------------------------------------

    def _insert_block(self, block: ObjectNode, key: str, value: Any, literal: bool) -> Edit | None:
        """A member added to a Terraform block body, before its closing brace."""
        name = key if literal else snake(key)
        return self._block_edit(block, [self._hcl_lines(name, value)])

    def _insert_terraform(self, resource: ObjectNode, keys: list[str], value: Any) -> Edit | None:
        """A model path added to a Terraform resource through the front-end's table, which
        knows that `deploymentConfiguration.deploymentCircuitBreaker` is written as the block
        `deployment_circuit_breaker`."""
        if not self.real(resource):
            return None
        from fglint.frontends.terraform import tables
        from fglint.frontends.terraform.build import RESOURCES

        head = re.match(r'resource\s+"([^"]+)"', self.text(resource.span))
        entry = RESOURCES.get(head.group(1)) if head else None
        if entry is None:
            return None
        lines = _terraform_lines(entry[1], ".".join(keys), value, tables)
        if lines is None:
            return None
        blocks = {line.split()[0] for group in lines for line in group[:1] if line.endswith("{")}
        written = self.text(resource.span)
        if any(re.search(rf'\bdynamic\s+"{re.escape(b)}"', written) for b in blocks):
            return None  # a `dynamic` block of the kind decides it: a second block would clash
        return self._block_edit(resource, lines)

    def _hcl_lines(self, name: str, value: Any) -> list[str]:
        if isinstance(value, dict):
            spell = str if isinstance(value, Verbatim) else snake
            inner = [f"  {line}" for k, v in value.items() for line in self._hcl_lines(spell(k), v)]
            return [f"{name} {{", *inner, "}"]
        return [f"{name} = {self._value(value, 'snake', 'hcl', False, ' = ', False)}"]

    def _block_edit(self, block: ObjectNode, groups: list[list[str]]) -> Edit | None:
        path = block.span.path
        text = self.files[path].text
        close = self.end(block.span) - 1
        line_start = text.rfind("\n", 0, close) + 1
        if text[line_start:close].strip() or block.span.line == block.span.end_line:
            return None
        members = self._members(block)
        own = text[line_start:close] + "  "
        indent = self._indent(text, members[0][1]) if members else own
        lines = _align([line for group in groups for line in group])
        out = "".join(f"{indent}{line}\n" for line in lines)
        return Edit(path, line_start, line_start, out)


def cloudformation_name(key: str) -> str:
    """The CloudFormation property for an API key: `settings` is `ClusterSettings`."""
    from fglint.frontends.cloudformation.resources import RENAMES

    for name, api in RENAMES.items():
        if api == key:
            return name
    return pascal(key)


def _terraform_lines(
    table: Any, path: str, value: Any, tables: Any, only: str = ""
) -> list[list[str]] | None:
    """The Terraform lines that write the model `path` = `value`, from a front-end table (a
    repeated block once per item of a list)."""
    for name, field in table.items():
        if only and name != only:
            continue
        if isinstance(field, str) and field == path and not isinstance(value, dict):
            return [[f"{name} = {_hcl(value)}"]]
        nested = isinstance(field, tables.Nested)
        if nested and field.many and field.key == path and isinstance(value, list):
            blocks: list[list[str]] = []
            for item in value:
                made = _terraform_lines(table, path, item, tables, name)
                if made is None or not isinstance(item, dict):
                    return None
                blocks += made
            return blocks
        if nested and field.key == path and isinstance(value, dict):
            inner = []
            for key, item in value.items():
                lines = _terraform_lines(field.fields, key, item, tables)
                if lines is None:
                    return None
                inner += [f"  {line}" for group in lines for line in group]
            return [[f"{name} {{", *inner, "}"]]
    if isinstance(value, dict):
        groups: list[list[str]] = []
        for key, item in value.items():
            lines = _terraform_lines(table, f"{path}.{key}", item, tables)
            if lines is None:
                return None
            groups += lines
        return groups
    return None


_ATTRIBUTE = re.compile(r"( *)([\w-]+) = (.*)")


def _align(lines: list[str]) -> list[str]:
    """Consecutive attributes at one indentation with their `=` in one column, as `terraform
    fmt` writes them."""
    out: list[str] = []
    run: list[re.Match[str]] = []

    def flush() -> None:
        width = max((len(m.group(2)) for m in run), default=0)
        out.extend(f"{m.group(1)}{m.group(2).ljust(width)} = {m.group(3)}" for m in run)
        run.clear()

    for line in lines:
        match = _ATTRIBUTE.fullmatch(line)
        if match is None or (run and match.group(1) != run[0].group(1)):
            flush()
        if match is None:
            out.append(line)
        else:
            run.append(match)
    flush()
    return out


def _hcl(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(str(value))

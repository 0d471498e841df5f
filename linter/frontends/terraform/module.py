"""Terraform modules: a folder's definitions, and instances of it evaluated with their inputs.

`Definitions` holds what a folder's .tf files define (variables, locals, resources, data
sources, module calls, outputs). An `Instance` is the folder evaluated once: a root module with
its variable defaults and tfvars, or a module called by another with the caller's arguments.
Instances answer the names their expressions use (`var.`, `local.`, `module.`, resource
attributes) for the evaluator, and read files (`file()`, `templatefile()`) inside the scanned
root only. Calls of local modules (and, after `terraform init`, registry and git modules listed
in `.terraform/modules/modules.json`) are instantiated in turn, to a depth limit, without cycles.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from fglint.evaluate.values import items_known, passed, string, truth, unknown
from fglint.files import depend, look, read, real, used
from fglint.frontends.jsonpos import JsonSyntaxError
from fglint.frontends.terraform.expressions import Evaluator, Names, follow, pairs, steps
from fglint.frontends.terraform.syntax import Attribute, Block, Body, interpolated, trees, unwrap
from fglint.model import Problem, Project, SourceFile, parse_problem
from fglint.nodes import Node, ObjectNode, ScalarNode, Span, UnknownNode

NOT_RESOURCES = {"var", "local", "data", "module", "path", "each", "count", "self", "terraform"}
MODULE_DEPTH = 8  # nested module calls followed; deeper calls give unknown outputs
MAX_INSTANCES = 32  # a known `count` / `for_each` larger than this is one unknown instance
META_ARGUMENTS = {"source", "version", "count", "for_each", "providers", "depends_on"}
D = TypeVar("D", Attribute, Block)


def within(path: Path, roots: list[Path]) -> bool:
    return any(path == root or path.is_relative_to(root) for root in roots)


def pick(definitions: list[D], file: SourceFile | None) -> D | None:
    """The definition in `file`, else the only one; None (unknown) when other files define the
    name several times: the folder holds independent examples, and which one is meant is a guess.
    """
    if len(definitions) == 1:
        return definitions[0]
    here = [d for d in definitions if file is not None and d.file.abspath == file.abspath]
    return here[0] if len(here) == 1 else None


@dataclass(eq=False)
class Definitions:
    """Everything one folder's .tf files define, by name, duplicates kept in file order."""

    folder: Path
    variables: dict[str, list[Block]] = field(default_factory=dict)
    locals: dict[str, list[Attribute]] = field(default_factory=dict)
    resources: dict[str, list[Block]] = field(default_factory=dict)  # "aws_x.n", "data.aws_x.n"
    modules: dict[str, list[Block]] = field(default_factory=dict)
    outputs: dict[str, list[Block]] = field(default_factory=dict)
    tfvars: dict[str, Attribute | Node] = field(default_factory=dict)
    sources: list[SourceFile] = field(default_factory=list)  # the files read, in order

    def add(self, body: Body) -> None:
        for block in body.blocks:
            name = block.labels[0] if block.labels else ""
            if block.type == "variable" and len(block.labels) == 1:
                self.variables.setdefault(name, []).append(block)
            elif block.type == "locals":
                for local, attr in block.body.attrs.items():
                    self.locals.setdefault(local, []).append(attr)
            elif block.type == "resource" and len(block.labels) == 2:
                self.resources.setdefault(".".join(block.labels), []).append(block)
            elif block.type == "data" and len(block.labels) == 2:
                self.resources.setdefault("data." + ".".join(block.labels), []).append(block)
            elif block.type == "module" and len(block.labels) == 1:
                self.modules.setdefault(name, []).append(block)
            elif block.type == "output" and len(block.labels) == 1:
                self.outputs.setdefault(name, []).append(block)

    def blocks(self) -> Iterator[tuple[str, Block]]:
        """Every resource and data block with its address, duplicates included."""
        for address, blocks in self.resources.items():
            for block in blocks:
                yield address, block

    def block(self, address: str, file: SourceFile | None) -> Block | None:
        return pick(self.resources.get(address, []), file)


class Folders:
    """The definitions of every folder a run reads, each parsed once."""

    def __init__(self, project: Project, parse: Any) -> None:
        self.project = project
        self.parse = parse  # (SourceFile, Project) -> Body | None
        self.found: dict[Path, Definitions] = {}
        self.roots: set[Path] = set()  # folders built as root modules (each also linted alone)

    def get(
        self, given: Path, report: set[str] | None = None, also: Path | None = None
    ) -> Definitions:
        """The folder's definitions; its files are found under `given` as written (a path
        through a symlinked folder stays that path, as the file asked for has it). `also`: the
        file asked for, which standard input may give without it being on disk."""
        folder = given.resolve()
        look(given, self.project)
        found = self.found.get(folder)
        if found is not None:
            for source in found.sources:
                used(source, self.project)
            return found
        definitions = self.found[folder] = Definitions(folder)
        roots = [Path(r) for r in self.project.roots] or [folder]
        paths = sorted(given.glob("*.tf")) + sorted(given.glob("*.tf.json"))
        if also is not None and also not in paths and str(also) in self.project.buffers:
            paths.append(also)
        for path in paths:
            given_text = str(path) in self.project.buffers
            if not within(path.resolve(), roots) or not (os.path.isfile(path) or given_text):
                continue  # never follow a link out of the scanned root
            file = self.source(path, report is not None and str(path) in report)
            if file is not None:
                definitions.sources.append(file)
            body = self.parse(file, self.project) if file is not None else None
            if body is not None:
                definitions.add(body)
        return definitions

    def source(self, path: Path, report: bool) -> SourceFile | None:
        seen = self.project.file_at(str(path))
        if seen is not None:
            used(seen, self.project)
            seen.report = seen.report or report
            return seen
        return read(path, self.project, report=report)


@contextmanager
def guarded(active: set[int], key: object) -> Iterator[bool]:
    """False when `key` is already being evaluated (a reference cycle)."""
    ident = id(key)
    if ident in active:
        yield False
        return
    active.add(ident)
    try:
        yield True
    finally:
        active.discard(ident)


class Instance:
    """A module evaluated once: its names, its resources' values, its module calls."""

    def __init__(
        self,
        definitions: Definitions,
        project: Project,
        folders: Folders,
        *,
        prefix: str = "",
        inputs: dict[str, Node] | None = None,
        chain: tuple[Path, ...] = (),
    ) -> None:
        self.definitions = definitions
        self.project = project
        self.folders = folders
        self.roots = [Path(r) for r in project.roots] or [definitions.folder]
        self.prefix = prefix  # "module.api." for an instance called from another module
        self.inputs = inputs  # the caller's arguments; None for a root module
        self.chain = (*chain, definitions.folder)
        self.evaluator = Evaluator(self, project.limits.evaluation_depth)
        self._memo: dict[int, Node] = {}
        self._active: set[int] = set()
        self._children: dict[str, list[tuple[str, Instance]]] | None = None
        self._invalid: set[str] = set()

    @property
    def problems(self) -> list[Problem]:
        return self.project.problems

    @property
    def address_base(self) -> str:
        """What makes addresses unique in the run: the root folder, for a called module."""
        return f"{self.chain[0]}//{self.prefix}" if self.prefix else ""

    def scoped(self, names: Names | None = None) -> Scoped:
        return Scoped(self, names or {})

    # -- names ----------------------------------------------------------------------------

    def reference(
        self, root: str, parts: list[tuple[str, Any]], span: Span, source: str, file: SourceFile
    ) -> Node | None:
        first = parts[0][1] if parts and parts[0][0] == "attr" else None
        if root in ("var", "local") and isinstance(first, str):
            bound = self.variable(first, file) if root == "var" else self.local(first, file)
            if bound is None:
                return None
            value = follow(bound, parts[1:], span, source)
            return passed(value, span, f"passed on as `{source}`")
        if root == "path" and first in ("module", "root"):
            return ScalarNode(span, ".")
        if root == "module" and isinstance(first, str):
            return self.module_output(first, parts[1:], span, source)
        if root == "data" and len(parts) >= 2 and parts[1][0] == "attr":
            return UnknownNode(span, source, f"{self.address_base}data.{first}.{parts[1][1]}")
        if root not in NOT_RESOURCES and isinstance(first, str):
            return self.resource_attribute(f"{root}.{first}", parts[1:], span, source, file)
        return None

    def variable(self, name: str, file: SourceFile) -> Node | None:
        if self.inputs is not None and name in self.inputs:
            return self.inputs[name]
        if self.inputs is None and name in self.definitions.tfvars:
            bound = self.definitions.tfvars[name]
            return bound if isinstance(bound, Node) else self.memo(bound)
        block = pick(self.definitions.variables.get(name, []), file)
        default = block.body.attrs.get("default") if block is not None else None
        return self.memo(default) if default is not None else None

    def local(self, name: str, file: SourceFile) -> Node | None:
        attr = pick(self.definitions.locals.get(name, []), file)
        return self.memo(attr) if attr is not None else None

    def memo(self, attr: Attribute) -> Node:
        found = self._memo.get(id(attr))
        if found is not None:
            return found
        with guarded(self._active, attr) as fresh:
            if not fresh:
                return unknown(attr.span, "")
            value = self.evaluator.value(attr.expr, attr.file)
        self._memo[id(attr)] = value
        return value

    def resource_attribute(
        self, address: str, parts: list[tuple[str, Any]], span: Span, source: str, file: SourceFile
    ) -> Node:
        block = self.definitions.block(address, file)
        key = ""
        if parts and parts[0][0] in ("index", "splat"):
            index = parts[0][1]
            if isinstance(index, ScalarNode) and isinstance(index.value, (str, int)):
                key = f"[{json.dumps(index.value)}]"
            parts = parts[1:]
        ref = f"{self.address_base}{address}{key if block is not None and _multiple(block) else ''}"
        if block is not None and parts and parts[0][0] == "attr" and not _multiple(block):
            attr = block.body.attrs.get(parts[0][1])
            if attr is not None:
                value = follow(self.memo(attr), parts[1:], span, source)
                if isinstance(value, ScalarNode):
                    return passed(value, span, f"passed on as `{source}`")
        return UnknownNode(span, source, ref)

    # -- module calls ---------------------------------------------------------------------

    def children(self) -> dict[str, list[tuple[str, Instance]]]:
        """Each module call's instances, by call name, with their instance keys."""
        if self._children is None:
            self._children = {}
            for name, blocks in self.definitions.modules.items():
                block = pick(blocks, None)
                if block is not None:
                    self._children[name] = list(self.call(name, block))
        return self._children

    def call(self, name: str, block: Block) -> Iterator[tuple[str, Instance]]:
        folder = self.module_folder(name, block)
        if folder is None or len(self.chain) > MODULE_DEPTH or folder in self.chain:
            return
        definitions = self.folders.get(folder)
        for key, names in self.expand(block):
            inputs = {
                arg: passed(
                    self.evaluator.value(attr.expr, attr.file, names),
                    attr.key_span,
                    f"passed to `module.{name}` as `{arg}`",
                )
                for arg, attr in block.body.attrs.items()
                if arg not in META_ARGUMENTS
            }
            prefix = f"{self.prefix}module.{name}{key}."
            yield (
                key,
                Instance(
                    definitions,
                    self.project,
                    self.folders,
                    prefix=prefix,
                    inputs=inputs,
                    chain=self.chain,
                ),
            )

    def module_folder(self, name: str, block: Block) -> Path | None:
        source_attr = block.body.attrs.get("source")
        source = string(self.memo(source_attr)) if source_attr is not None else None
        if source is None:
            return None
        folder: Path | None = None
        if source.startswith(("./", "../")):
            look((self.definitions.folder / source).parent, self.project)
            folder = real(self.definitions.folder / source)
        else:
            folder = self.installed(name)
        if folder is not None:
            look(folder, self.project)
        if folder is None or not within(folder, self.roots) or not os.path.isdir(folder):
            return None
        return folder

    def installed(self, name: str) -> Path | None:
        """A registry or git module that `terraform init` put under `.terraform/modules`."""
        root = self.chain[0]
        manifest = root / ".terraform" / "modules" / "modules.json"
        depend(manifest, self.project)
        if not os.path.isfile(manifest) or not within(manifest.resolve(), self.roots):
            return None
        try:
            entries = json.loads(manifest.read_text(encoding="utf-8")).get("Modules", [])
        except (OSError, ValueError, AttributeError):
            return None
        key = ".".join([*_call_names(self.prefix), name])
        for entry in entries if isinstance(entries, list) else []:
            if (
                isinstance(entry, dict)
                and entry.get("Key") == key
                and isinstance(entry.get("Dir"), str)
            ):
                return real(root / entry["Dir"])
        return None

    def module_output(
        self, name: str, parts: list[tuple[str, Any]], span: Span, source: str
    ) -> Node | None:
        instances = self.children().get(name, [])
        if parts and parts[0][0] == "index" and instances:
            wanted = string(parts[0][1])
            instances = [(k, i) for k, i in instances if k in (f"[{wanted}]", f'["{wanted}"]')]
            parts = parts[1:]
        if len(instances) != 1 or not parts or parts[0][0] != "attr":
            return None
        child = instances[0][1]
        output = pick(child.definitions.outputs.get(parts[0][1], []), None)
        attr = output.body.attrs.get("value") if output is not None else None
        if attr is None:
            return None
        value = follow(child.memo(attr), parts[1:], span, source)
        return passed(value, span, f"passed on as `{source}`")

    def refused(self) -> bool:
        """Does a precondition of a resource or data source fail here? Terraform stops the plan
        there, so nothing of this instance is created: a module whose input defaults are a
        combination it refuses (`enable_transparent_proxy` on with FARGATE allowed) is never
        created that way. A condition that is not known is not a refusal."""
        for _, block in self.definitions.blocks():
            checks = [
                check.body.attrs.get("condition")
                for lifecycle in block.body.blocks_of("lifecycle")
                for check in lifecycle.body.blocks_of("precondition")
            ]
            for attr in filter(None, checks):
                for _, names in self.expand(block):
                    value = self.evaluator.value(attr.expr, attr.file, names)
                    if isinstance(value, ScalarNode) and value.value is False:
                        return True
        return False

    # -- instances of a block -------------------------------------------------------------

    def expand(self, block: Block, names: Names | None = None) -> Iterator[tuple[str, Names]]:
        """The instances `count` / `for_each` make: (key, names); none for `count = 0` or an
        empty `for_each`; one with unknown `count.index` / `each` when they are unknown."""
        names = names or {}
        count_attr = block.body.attrs.get("count")
        each_attr = block.body.attrs.get("for_each")
        if count_attr is not None:
            yield from self._counted(count_attr, names)
        elif each_attr is not None:
            yield from self._each(each_attr, names)
        else:
            yield "", names

    def _counted(self, attr: Attribute, names: Names) -> Iterator[tuple[str, Names]]:
        count = self.evaluator.value(attr.expr, attr.file, names)
        number = count.value if isinstance(count, ScalarNode) else None
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            index: Node = unknown(attr.span, "count.index")
            yield "", {**names, "count": _object(attr.span, {"index": index})}
            return
        if number <= 0:
            return
        if number > MAX_INSTANCES:
            yield "", {**names, "count": _object(attr.span, {"index": unknown(attr.span)})}
            return
        for n in range(int(number)):
            index = ScalarNode(attr.span, n)
            yield f"[{n}]", {**names, "count": _object(attr.span, {"index": index})}

    def _each(self, attr: Attribute, names: Names) -> Iterator[tuple[str, Names]]:
        collection = self.evaluator.value(attr.expr, attr.file, names)
        pairs = each_pairs(collection)
        if pairs is None or len(pairs) > MAX_INSTANCES:
            each = _object(attr.span, {"key": unknown(attr.span), "value": unknown(attr.span)})
            yield "", {**names, "each": each}
            return
        for key, value in pairs:
            each = _object(attr.span, {"key": key, "value": value})
            yield f"[{json.dumps(key.value)}]", {**names, "each": each}

    # -- files ----------------------------------------------------------------------------

    def read(self, name: Node, span: Span, file: SourceFile) -> SourceFile | None:
        """`file()` / `templatefile()`: the file named, when it is inside the scanned root."""
        text = string(name)
        if text is None:
            return None
        look((self.definitions.folder / text).parent, self.project)
        target = real(self.definitions.folder / text)
        if target is None:
            return None
        depend(target, self.project)
        if not within(target, self.roots) or not os.path.isfile(target):
            return None
        included = self.project.file_at(str(target))
        fresh = included is None
        if included is not None:
            used(included, self.project)
        if included is None:
            included = read(target, self.project, report=file.report)
            if included is None:
                return None
            included.kind = included.kind or "json"
        elif file.report:
            included.report = True
        if included.included_from is None:
            included.included_from = span
        if not fresh:  # a file read fresh has no resources; one linted on its own may have
            self.project.resources = [r for r in self.project.resources if r.file is not included]
        return included

    def invalid_json(self, file: SourceFile, error: JsonSyntaxError) -> None:
        if file.abspath not in self._invalid:
            self._invalid.add(file.abspath)
            self.project.problems.append(parse_problem(error.span, error.message, "JSON"))


def each_pairs(collection: Node) -> list[tuple[ScalarNode, Node]] | None:
    """`for_each`'s (each.key, each.value) pairs: a map's entries, a set's strings."""
    if isinstance(collection, ObjectNode):
        return [(ScalarNode(collection.key_span(k), k), v) for k, v in collection.fields.items()]
    items = items_known(collection)
    if items is None:
        return None
    keys = [string(item) for item in items]
    if None in keys:
        return None
    return [(ScalarNode(item.span, str(key)), item) for item, key in zip(items, keys, strict=True)]


def _object(span: Span, fields: dict[str, Node]) -> ObjectNode:
    return ObjectNode(span, fields, dict.fromkeys(fields, span))


def _multiple(block: Block) -> bool:
    return "count" in block.body.attrs or "for_each" in block.body.attrs


def _call_names(prefix: str) -> list[str]:
    return [part.split("[")[0] for part in prefix.split("module.")[1:] if part]


@dataclass
class Scoped:
    """An instance with the names of one resource instance or dynamic block bound: what the
    tables read a block's arguments with."""

    instance: Instance
    names: Names

    def value(self, attr: Attribute) -> Node:
        return self.instance.evaluator.value(attr.expr, attr.file, self.names)

    def document(self, attr: Attribute) -> Node:
        return self.instance.evaluator.document(attr.expr, attr.file, self.names)

    def blocks(self, body: Body, kind: str) -> tuple[list[tuple[Block, Scoped]], list[Block]]:
        """The `kind` blocks of a body, `dynamic "kind"` blocks expanded: each with the names
        it is read with; and the dynamic blocks whose `for_each` is unknown."""
        found = [(block, self) for block in body.blocks_of(kind)]
        unknown_blocks: list[Block] = []
        for dynamic in body.blocks_of("dynamic"):
            if dynamic.labels[:1] != [kind]:
                continue
            expanded = self.dynamic(dynamic, kind)
            if expanded is None:
                unknown_blocks.append(dynamic)
            else:
                found += expanded
        return found, unknown_blocks

    def dynamic(self, dynamic: Block, kind: str) -> list[tuple[Block, Scoped]] | None:
        each = dynamic.body.attrs.get("for_each")
        contents = dynamic.body.blocks_of("content")
        if each is None or len(contents) != 1:
            return None
        collection = self.value(each)
        entries = pairs(collection)
        if entries is None:
            return None
        iterator = dynamic.body.attrs.get("iterator")
        name = _identifier(iterator) if iterator is not None else kind
        content = contents[0]
        block = Block(kind, [], content.body, dynamic.span, dynamic.key_span, dynamic.file)
        return [
            (
                block,
                Scoped(
                    self.instance,
                    {
                        **self.names,
                        name: _object(each.span, dict(zip(("key", "value"), entry, strict=True))),
                    },
                ),
            )
            for entry in entries
        ]

    def ref_of(self, attr: Attribute | None) -> str | None:
        """The address of the resource an argument refers to (`aws_iam_role.x.name`)."""
        if attr is None:
            return None
        tree = unwrap(attr.expr)
        if tree.data == "string":
            pieces = [p.children[0] for p in trees(tree)]
            if len(pieces) != 1 or not hasattr(pieces[0], "data"):
                return None
            tree = unwrap(interpolated(pieces[0]))
        found = steps(tree) if tree.data.endswith("_expr_term") else None
        if found is None or not found[1] or found[1][0][0] != "attr":
            return None
        root, parts = found
        if not isinstance(root, str):
            return None
        if root == "data" and len(parts) > 1:
            return f"data.{parts[0][1]}.{parts[1][1]}"
        if root not in NOT_RESOURCES:
            return f"{root}.{parts[0][1]}"
        return None

    def truth(self, attr: Attribute) -> bool | None:
        return truth(self.value(attr))


def _identifier(attr: Attribute) -> str:
    tree = unwrap(attr.expr)
    return "".join(str(t) for t in tree.scan_values(lambda v: isinstance(v, str)))

"""Terraform plan JSON (`terraform show -json plan.out`): the values Terraform will apply.

Every value in `planned_values` is resolved already, so each resource's `values` are read as a
body of literal arguments (nested blocks are lists of objects there) and built through the same
tables as `.tf` files. A value the plan does not know yet (`after_unknown`) is absent from
`values`, so rules that need it stay silent. Findings point at the plan file.
"""

from __future__ import annotations

from pathlib import Path

from fglint.frontends.jsonpos import JsonSyntaxError, parse_json
from fglint.frontends.terraform.json_syntax import Reader
from fglint.frontends.terraform.module import Definitions
from fglint.frontends.terraform.syntax import Block
from fglint.model import Project, SourceFile, parse_problem
from fglint.nodes import ObjectNode


def load_plan(file: SourceFile, project: Project) -> Definitions | None:
    """The plan's resources as the definitions of one module, or None when it is no plan."""
    file.kind = "terraform"
    try:
        root, _ = parse_json(file.text, file.path)
    except JsonSyntaxError as error:
        project.problems.append(parse_problem(error.span, error.message, "JSON"))
        return None
    planned = root.obj("planned_values") if isinstance(root, ObjectNode) else None
    module = planned.obj("root_module") if planned is not None else None
    if module is None:
        return None
    definitions = Definitions(Path(file.abspath).parent)
    reader = Reader(file)
    for resource in resources(module):
        block = plan_block(resource, reader)
        if block is not None:
            address = resource.str("address") or ".".join(block.labels)
            definitions.resources.setdefault(address, []).append(block)
    return definitions


def resources(module: ObjectNode) -> list[ObjectNode]:
    """The resources of a planned module and of its child modules, in order."""
    found = module.objects("resources")
    for child in module.objects("child_modules"):
        found += resources(child)
    return found


def plan_block(resource: ObjectNode, reader: Reader) -> Block | None:
    kind, name, values = resource.str("type"), resource.str("name"), resource.obj("values")
    if kind is None or name is None or values is None:
        return None
    body = reader.body(values, "resource", [kind], literal=True)
    mode = "data" if resource.str("mode") == "data" else "resource"
    return Block(mode, [kind, name], body, resource.span, resource.key_span("address"), reader.file)

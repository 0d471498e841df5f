"""Terraform (HCL, `.tf.json`, tfvars, plan JSON) into the model."""

from __future__ import annotations

import re
from pathlib import Path

from fglint.frontends.terraform.build import load
from fglint.model import Project, Resource, SourceFile
from fglint.nodes import ObjectNode, Span, walk


def load_json(file: SourceFile, project: Project) -> None:
    """A `*.tf.json` file: Terraform's JSON syntax, read with the rest of its module."""
    load(file, project)


def load_plan(file: SourceFile, project: Project) -> None:
    """`terraform show -json` plan output: the planned resources, every value resolved."""
    from fglint.frontends.terraform.build import build, folders_of
    from fglint.frontends.terraform.module import Instance
    from fglint.frontends.terraform.plan import load_plan as read_plan

    folders = folders_of(project)
    definitions = read_plan(file, project)
    if definitions is None:
        return
    before = len(project.resources)
    build(Instance(definitions, project, folders), project)
    source = folders.get(Path(file.abspath).parent)
    for resource in project.resources[before:]:
        block = source.block(re.sub(r"\[[^\]]*\]$", "", resource.name), None)
        if block is not None and resource.file is file:
            at_source(resource, block.key_span)


def at_source(resource: Resource, where: Span) -> None:
    """A planned resource whose `.tf` block is in the scanned tree: its findings point at the
    block, each with the planned value's place in the plan as a related location."""
    resource.header = where
    for node in walk(resource.node):
        node.via = ((node.span, "the planned value"), *node.via)
        node.span = where
        if isinstance(node, ObjectNode):
            node.keys = dict.fromkeys(node.keys, where)


__all__ = ["load", "load_json", "load_plan"]

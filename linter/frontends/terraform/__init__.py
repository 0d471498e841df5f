"""Terraform (HCL, `.tf.json`, tfvars, plan JSON) into the model."""

from __future__ import annotations

from fglint.frontends.terraform.build import load
from fglint.model import Project, SourceFile


def load_json(file: SourceFile, project: Project) -> None:
    """A `*.tf.json` file: Terraform's JSON syntax, read with the rest of its module."""
    load(file, project)


def load_plan(file: SourceFile, project: Project) -> None:
    """`terraform show -json` plan output: the planned resources, every value resolved."""
    from fglint.frontends.terraform.build import build, folders_of
    from fglint.frontends.terraform.module import Instance
    from fglint.frontends.terraform.plan import load_plan as read_plan

    folders = folders_of(project)
    definitions = read_plan(file, project, folders)
    if definitions is not None:
        build(Instance(definitions, project, folders), project)


__all__ = ["load", "load_json", "load_plan"]

"""Terraform (HCL, `.tf.json`, tfvars, plan JSON) into the model."""

from __future__ import annotations

from fglint.frontends.terraform.build import load
from fglint.model import Project, SourceFile


def load_json(file: SourceFile, project: Project) -> None:
    """A `*.tf.json` file: Terraform's JSON syntax, read with the rest of its module."""
    load(file, project)


def load_plan(file: SourceFile, project: Project) -> None:
    """`terraform show -json` plan output. PLACEHOLDER, to be replaced by the lead's reader: for
    now the file is recognised as Terraform (counted, not read as CLI JSON) and loads nothing."""
    file.kind = "terraform"


__all__ = ["load", "load_json", "load_plan"]

"""CloudFormation templates (YAML and JSON) into the model."""

from fglint.frontends.cloudformation.template import load, load_template

__all__ = ["load", "load_template"]

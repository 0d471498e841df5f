"""Terraform (HCL, `.tf.json`, tfvars) into the model."""

from fglint.frontends.terraform.build import load

__all__ = ["load"]

"""AWS facts kept as JSON under `schemas/`, loaded once."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> Any:
    """The parsed `schemas/<name>.json`."""
    text = resources.files("fglint.schemas").joinpath(f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text)

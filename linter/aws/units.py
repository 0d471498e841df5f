"""ECS size values: integers, numeric strings, and unit strings ("1 vCPU", "0.5 GB")."""

from __future__ import annotations

import re

from fglint.nodes import Node, ScalarNode, number

_CPU = re.compile(r"^\s*([0-9]{0,30}\.?[0-9]{1,30})\s*(vcpus?)?\s*$", re.IGNORECASE | re.ASCII)
_MEMORY = re.compile(
    r"^\s*([0-9]{0,30}\.?[0-9]{1,30})\s*(gb|gib|mb|mib)?\s*$", re.IGNORECASE | re.ASCII
)


def _number(node: Node | None) -> float | int | str | None:
    if isinstance(node, ScalarNode) and not isinstance(node.value, bool):
        if isinstance(node.value, (int, float)):
            return number(node.value)
        return node.value if isinstance(node.value, str) else None
    return None


def cpu_units(node: Node | None) -> int | None:
    """CPU units (1024 = 1 vCPU); None when absent, unknown or unreadable (a fraction of a unit:
    `"0.25"` without `vCPU` is not a quarter vCPU)."""
    value = _number(node)
    if isinstance(value, (int, float)):
        return _whole(value)
    if not isinstance(value, str):
        return None
    match = _CPU.match(value)
    if not match:
        return None
    amount = float(match.group(1))
    return round(amount * 1024) if match.group(2) else _whole(amount)


def memory_mib(node: Node | None) -> int | None:
    """Memory in MiB; None when absent, unknown or unreadable (a fraction of a MiB)."""
    value = _number(node)
    if isinstance(value, (int, float)):
        return _whole(value)
    if not isinstance(value, str):
        return None
    match = _MEMORY.match(value)
    if not match:
        return None
    amount = float(match.group(1))
    unit = (match.group(2) or "").lower()
    return round(amount * 1024) if unit in ("gb", "gib") else _whole(amount)


def _whole(amount: float) -> int | None:
    return int(amount) if amount == int(amount) else None

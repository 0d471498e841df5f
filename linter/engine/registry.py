"""The rule registry: every rule module in `fglint.rules`, discovered by name, and lookups."""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache

from fglint.rule import LoadedRule, Rule

RULE_MODULE = re.compile(r"^fg\d{3}_\w+$")


@cache
def all_rules() -> tuple[LoadedRule, ...]:
    """Every rule module in `fglint.rules`, sorted by code. No list to keep by hand."""
    from fglint import rules as package

    loaded = []
    for info in pkgutil.iter_modules(package.__path__):
        if not RULE_MODULE.match(info.name):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        meta: Rule = module.RULE
        loaded.append(LoadedRule(meta, (module.__doc__ or "").strip(), module.check, info.name))
    return tuple(sorted(loaded, key=lambda rule: rule.code))


def rule_by_code(code: str) -> LoadedRule | None:
    return next((rule for rule in all_rules() if rule.code == code.upper()), None)

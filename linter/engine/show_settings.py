"""`fglint check --show-settings`: every setting as the run would use it, each with where its
value came from: `default`, the settings file and key, or the command-line flag. Every field of
`Config` is shown (a new setting appears without a change here), in a fixed order."""

from __future__ import annotations

import json
import os
from dataclasses import fields, is_dataclass

from fglint.engine.config import LIMITS, Config
from fglint.engine.registry import all_rules
from fglint.engine.run import selected_rules
from fglint.exclusion import Patterns

HIDDEN = ("source", "root", "origins")  # where the settings came from, not settings
UNSET = {  # what a setting left unset means
    "select": "the rules that are on by default",
    "show-source": "on a terminal",
    "baseline": "no baseline",
}
WIDTH = 40  # the column the origins start at


def render(config: Config) -> str:
    settings = _shown(config.source) if config.source else "none (every value is a default)"
    lines = [f"# settings file: {settings}"]
    sections: list[str] = []
    for item in fields(Config):
        key = item.name.replace("_", "-")
        value = getattr(config, item.name)
        if item.name in HIDDEN:
            continue
        if key == "exclude":  # unset: the default excludes
            lines.append(_patterns(key, config.file_filter().exclude))
        elif isinstance(value, list) and value and isinstance(value[0], Patterns):
            lines += [_patterns(key, patterns) for patterns in value]
        elif key == "limits":
            sections += _limits(config)
        elif key == "options":
            sections += _options(config)
        elif isinstance(value, dict):
            sections += _table(config, key, value)
        else:
            lines.append(_line(config, key, key, value))
    codes = [rule.code for rule in selected_rules(config)]
    lines.append(f"{'rules = ' + _value(codes):<{WIDTH}} # from select, extend-select, ignore")
    return "\n".join(lines + sections) + "\n"


def _line(config: Config, key: str, shown: str, value: object) -> str:
    text = _value(value) if value is not None else f"none ({UNSET.get(key, 'not set')})"
    return f"{shown + ' = ' + text:<{WIDTH}} # {_origin(config, key)}"


def _patterns(key: str, patterns: Patterns) -> str:
    """Exclude patterns carry their origin, and the folder they are relative to."""
    text = f"{key} = {_value(list(patterns.lines))}"
    return f"{text:<{WIDTH}} # {patterns.origin}, relative to {_shown(patterns.base) or '.'}"


def _value(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _origin(config: Config, key: str) -> str:
    places = config.origins.get(key)
    if not places:
        return "default"
    table = "tool.fglint." if (config.source or "").endswith("pyproject.toml") else ""
    return " + ".join(
        place if place.startswith("--") else f"{_shown(place)}: {table}{key}" for place in places
    )


def _shown(path: str) -> str:
    """A path relative to the working directory when under it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _table(config: Config, key: str, value: dict[str, object]) -> list[str]:
    lines = [f"\n[{key}]"]
    for name in sorted(value):
        lines.append(_line(config, f"{key}.{name}", _value(name), value[name]))
    return lines if value else [*lines, "# none"]


def _limits(config: Config) -> list[str]:
    names = {field_name: name for name, (field_name, *_) in LIMITS.items()}
    lines = ["\n[limits]"]
    for item in fields(config.limits):
        name = names.get(item.name, item.name.replace("_", "-"))
        lines.append(_line(config, f"limits.{name}", name, getattr(config.limits, item.name)))
    return lines


def _options(config: Config) -> list[str]:
    """Every rule's options: the settings' values over the rule's defaults."""
    lines = []
    for rule in sorted(all_rules(), key=lambda rule: rule.code):
        options = config.options.get(rule.code, rule.meta.options)
        if options is None or not is_dataclass(options):
            continue
        lines.append(f"\n[options.{rule.code}]")
        for item in fields(options):
            name = item.name.replace("_", "-")
            value = getattr(options, item.name)
            lines.append(_line(config, f"options.{rule.code}.{name}", name, value))
    return lines

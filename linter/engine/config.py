"""Settings: `.fglint.toml`, or `[tool.fglint]` in the nearest pyproject.toml; the CLI wins.

Keys (kebab-case, as in ruff): select, extend-select, ignore, per-file-ignores, exclude,
fail-on, severity (code -> level), options (code -> {option: value}), show-source.
Unknown keys and unknown rule codes are errors that name the nearest valid one.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fglint.aws.apishape import did_you_mean
from fglint.aws.facts import FAIL_ON, SEVERITIES, Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class ConfigError(Exception):
    pass


@dataclass
class Config:
    select: list[str] | None = None  # None: every rule that is on by default
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)  # code -> error|warning|note
    options: dict[str, dict[str, Any]] = field(default_factory=dict)  # code -> rule options
    fail_on: str = "warning"
    show_source: bool | None = None
    source: str | None = None  # the file the settings came from
    root: str | None = None  # its folder: per-file-ignores globs are relative to it (as in ruff)


KEYS = (
    "select",
    "extend-select",
    "ignore",
    "per-file-ignores",
    "exclude",
    "fail-on",
    "severity",
    "options",
    "show-source",
)
NO_CODE = "no rule code given: name at least one code or prefix (`ALL` for every rule)"


def _nearest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    return did_you_mean(word, list(choices), cutoff=0.5)  # looser than for API keys


def _nearest_code(code: str, known: list[str]) -> str:
    """A mistyped code is most often one wrong character (`FG6O1`): the known code of the same
    length that differs in the fewest places, else the closest by difflib."""
    same = [k for k in known if len(k) == len(code)]
    distance = {k: sum(a != b for a, b in zip(k, code, strict=True)) for k in same}
    best = min(same, key=lambda k: distance[k], default=None)
    if best is not None and distance[best] <= 1:
        return f" (did you mean `{best}`?)"
    return _nearest(code, known)


def validate_codes(codes: list[str], where: str) -> list[str]:
    """Each entry must be a rule code, a prefix of one (`FG1`), or `ALL`."""
    from fglint.engine.registry import all_rules

    known = [rule.code for rule in all_rules()]
    out = []
    for code in codes:
        code = str(code).strip().upper()
        if code != "ALL" and not any(k.startswith(code) for k in known):
            raise ConfigError(f"{where}: unknown rule code `{code}`{_nearest_code(code, known)}")
        out.append(code)
    return out


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest `.fglint.toml`, or pyproject.toml with a [tool.fglint] table, upwards."""
    folder = start.resolve()
    if folder.is_file():
        folder = folder.parent
    for here in (folder, *folder.parents):
        dotfile = here / ".fglint.toml"
        if dotfile.is_file():
            return dotfile, _read(dotfile)
        pyproject = here / "pyproject.toml"
        if pyproject.is_file():
            table = _read(pyproject).get("tool", {}).get("fglint")
            if table is not None:
                return pyproject, table
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
        return data
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read settings: {error}") from None


def _strings(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of strings")
    return value


def from_table(table: dict[str, Any], source: str) -> Config:
    config = Config(source=source, root=str(Path(source).resolve().parent))
    for key, value in table.items():
        where = f"{source}: `{key}`"
        if key not in KEYS:
            raise ConfigError(f"{source}: unknown setting `{key}`{_nearest(key, KEYS)}")
        if key == "select":
            config.select = validate_codes(_strings(value, where), where)
            if not config.select:
                raise ConfigError(f"{where}: {NO_CODE}")
        elif key == "extend-select":
            config.extend_select = validate_codes(_strings(value, where), where)
        elif key == "ignore":
            config.ignore = validate_codes(_strings(value, where), where)
        elif key == "exclude":
            config.exclude = _strings(value, where)
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: expected a table of glob = [codes]")
            config.per_file_ignores = {
                glob: validate_codes(_strings(codes, where), where) for glob, codes in value.items()
            }
        elif key == "fail-on":
            if value not in FAIL_ON:
                raise ConfigError(f"{where}: must be one of {', '.join(FAIL_ON)}")
            config.fail_on = value
        elif key == "show-source":
            config.show_source = bool(value)
        elif key == "severity":
            config.severity = _severities(value, where)
        elif key == "options":
            config.options = _options(value, where)
    return config


def _severities(value: Any, where: str) -> dict[str, Severity]:
    if not isinstance(value, dict):
        raise ConfigError(f'{where}: expected a table of CODE = "error|warning|note"')
    out = {}
    for code, level in value.items():
        (code,) = validate_codes([code], where)
        severity = next((known for known in SEVERITIES if known == level), None)
        if severity is None:
            raise ConfigError(f"{where}: {code} = {level!r} must be one of {', '.join(SEVERITIES)}")
        out[code] = severity
    return out


def _options(value: Any, where: str) -> dict[str, dict[str, Any]]:
    from fglint.engine.registry import rule_by_code

    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table of CODE = {{option = value}}")
    out = {}
    for code, options in value.items():
        rule = rule_by_code(code)
        if rule is None:
            validate_codes([code], where)
            raise ConfigError(f"{where}: `{code}` is a prefix, not a rule code")
        if not isinstance(options, dict):
            raise ConfigError(f"{where}: {rule.code} expects a table of options")
        for name in options:
            if name not in rule.meta.options:
                valid = list(rule.meta.options) or ["(none)"]
                raise ConfigError(
                    f"{where}: {rule.code} has no option `{name}`{_nearest(name, valid)}; "
                    f"its options: {', '.join(valid)}"
                )
        out[rule.code] = dict(options)
    return out


def load_config(explicit: str | None, paths: list[str]) -> Config:
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"--config: no such file: {explicit}")
        data = _read(path)
        table = data.get("tool", {}).get("fglint", data) if path.name == "pyproject.toml" else data
        return from_table(table, str(path))
    found = find_config(Path(paths[0]) if paths else Path.cwd()) or find_config(Path.cwd())
    if found is None:
        return Config()
    return from_table(found[1], str(found[0]))

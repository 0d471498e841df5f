"""Settings: `.fglint.toml`, or `[tool.fglint]` in the nearest pyproject.toml; the CLI wins.

Keys (kebab-case, as in ruff): select, extend-select, ignore, per-file-ignores, exclude,
fail-on, baseline (a file relative to the settings), severity (code -> level), options (code ->
{option: value}, typed by each rule's Options dataclass), show-source, limits (file-size, depth,
yaml-aliases, seconds, evaluation-depth).
Unknown keys and unknown rule codes are errors that name the nearest valid one.
Which paths are walked: exclude, extend-exclude, force-exclude, respect-gitignore (see
fglint.exclusion).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import UnionType
from typing import Union, get_args, get_origin

from fglint.aws.apishape import did_you_mean
from fglint.aws.facts import FAIL_ON, SEVERITIES, Severity
from fglint.exclusion import FileFilter, Patterns
from fglint.files import display_path
from fglint.model import Limits
from fglint.nodes import MOST_DEPTH
from fglint.rule import RuleOptions

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
    exclude: Patterns | None = None  # gitignore-style; replaces the default excludes
    extend_exclude: list[Patterns] = field(default_factory=list)  # beside them
    force_exclude: bool = False  # exclude files given by name too (pre-commit gives them)
    respect_gitignore: bool = True
    severity: dict[str, Severity] = field(default_factory=dict)  # code -> error|warning|note
    options: dict[str, RuleOptions] = field(default_factory=dict)  # code -> what the settings set
    fail_on: str = "warning"
    show_source: bool | None = None
    limits: Limits = field(default_factory=Limits)
    source: str | None = None  # the file the settings came from
    root: str | None = None  # its folder: per-file-ignores globs are relative to it (as in ruff)
    var_files: list[str] = field(default_factory=list)  # --var-file: Terraform variable files
    baseline: str | None = None  # the baseline file (`baseline`: relative to the settings file)
    # settings key (dotted: `limits.depth`, `options.FG304.drain-grace`) -> the settings file
    # and flags that set it, in order (`--show-settings`)
    origins: dict[str, list[str]] = field(default_factory=dict)

    def file_filter(self, base: str = "") -> FileFilter:
        """What the walker skips: `base` is the project root, for naming a .gitignore."""
        chosen = FileFilter(
            extend=list(self.extend_exclude),
            respect_gitignore=self.respect_gitignore,
            force=self.force_exclude,
            base=base,
        )
        if self.exclude is not None:
            chosen.exclude = self.exclude
        return chosen


KEYS = (
    "select",
    "extend-select",
    "ignore",
    "per-file-ignores",
    "exclude",
    "extend-exclude",
    "force-exclude",
    "respect-gitignore",
    "fail-on",
    "severity",
    "options",
    "show-source",
    "limits",
    "baseline",
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


def find_config(start: Path) -> tuple[Path, dict[str, object]] | None:
    """The nearest `.fglint.toml`, or pyproject.toml with a [tool.fglint] table, upwards."""
    folder = start.resolve()
    if os.path.isfile(folder):
        folder = folder.parent
    for here in (folder, *folder.parents):
        dotfile = here / ".fglint.toml"
        if os.path.isfile(dotfile):
            return dotfile, _read(dotfile)
        pyproject = here / "pyproject.toml"
        if os.path.isfile(pyproject):
            table = _tool_table(_read(pyproject), pyproject)
            if table is not None:
                return pyproject, table
    return None


def _tool_table(data: dict[str, object], path: Path) -> dict[str, object] | None:
    """`[tool.fglint]` of a pyproject.toml, or None; a `tool` or `tool.fglint` that is not a
    table is an error, not a table to skip."""
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: `tool` must be a table, got {tool!r}")
    table = tool.get("fglint")
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: `tool.fglint` must be a table, got {table!r}")
    return table


def _read(path: Path) -> dict[str, object]:
    try:
        data: dict[str, object] = tomllib.loads(path.read_text(encoding="utf-8"))
        return data
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read settings: {error}") from None


def _strings(value: object, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of strings, got {value!r}")
    return value


def from_table(table: dict[str, object], source: str) -> Config:
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: the settings must be a table, got {table!r}")
    config = Config(source=source, root=str(Path(source).resolve().parent))
    config.origins = origins(table, source)
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
        elif key in ("exclude", "extend-exclude"):
            origin = f"`{key}` in {display_path(source)}"
            patterns = Patterns(tuple(_strings(value, where)), config.root or "", origin)
            if key == "exclude":
                config.exclude = patterns
            else:
                config.extend_exclude = [patterns]
        elif key in ("show-source", "force-exclude", "respect-gitignore"):
            if not isinstance(value, bool):
                raise ConfigError(f"{where}: expects true or false, got {value!r}")
            setattr(config, key.replace("-", "_"), value)
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
        elif key == "limits":
            config.limits = _limits(value, where)
        elif key == "severity":
            config.severity = _severities(value, where)
        elif key == "options":
            config.options = _options(value, where)
        elif key == "baseline":
            if not isinstance(value, str) or not value:
                raise ConfigError(f"{where}: expects a file name, got {value!r}")
            config.baseline = str(Path(config.root or ".") / value)
    return config


def origins(table: dict[str, object], source: str, prefix: str = "") -> dict[str, list[str]]:
    """Every key of a settings table, nested ones dotted, set by `source`; rule codes upper-case,
    as they are validated."""
    found = {}
    for key, value in table.items():
        name = prefix + (str(key).upper() if prefix in ("options.", "severity.") else str(key))
        found[name] = [source]
        if isinstance(value, dict):
            found.update(origins(value, source, name + "."))
    return found


LIMITS = {  # settings name -> (Limits field, its type, its largest value)
    "file-size": ("file_size", int, None),
    "depth": ("depth", int, MOST_DEPTH),
    "yaml-aliases": ("yaml_aliases", int, None),
    "seconds": ("seconds", float, None),
    "evaluation-depth": ("evaluation_depth", int, MOST_DEPTH),
}


def _limits(value: object, where: str) -> Limits:
    """`[limits]`: what one input may cost (see fglint.model.Limits for the defaults)."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table of limits ({', '.join(LIMITS)})")
    chosen = {}
    for name, given in value.items():
        if name not in LIMITS:
            raise ConfigError(f"{where}: unknown limit `{name}`{_nearest(name, list(LIMITS))}")
        field_name, kind, most = LIMITS[name]
        fits = conforms(given, kind) and given >= 0 and not (kind is int and given == 0)
        if not fits or (most is not None and given > most):
            raise ConfigError(
                f"{where}: `{name}` expects a positive {'integer' if kind is int else 'number'}"
                f"{' (0: none)' if kind is float else ''}"
                f"{f' of at most {most:,}' if most is not None else ''}, got {given!r}"
            )
        chosen[field_name] = given
    return replace(Limits(), **chosen)


def _severities(value: object, where: str) -> dict[str, Severity]:
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


def _options(value: object, where: str) -> dict[str, RuleOptions]:
    from fglint.engine.registry import rule_by_code

    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table of CODE = {{option = value}}")
    out: dict[str, RuleOptions] = {}
    for code, options in value.items():
        rule = rule_by_code(code)
        if rule is None:
            validate_codes([code], where)
            raise ConfigError(f"{where}: `{code}` is a prefix, not a rule code")
        if not isinstance(options, dict):
            raise ConfigError(f"{where}: {rule.code} expects a table of options")
        for name, given in options.items():
            if name not in rule.meta.defaults:
                valid = list(rule.meta.defaults) or ["(none)"]
                raise ConfigError(
                    f"{where}: {rule.code} has no option `{name}`{_nearest(name, valid)}; "
                    f"its options: {', '.join(valid)}"
                )
            expected = rule.meta.option_type(name)
            if not conforms(given, expected):
                raise ConfigError(
                    f"{where}: {rule.code} option `{name}` expects {describe(expected)}, "
                    f"got {given!r}"
                )
        given_options = {name.replace("-", "_"): given for name, given in options.items()}
        if rule.meta.options is not None:
            out[rule.code] = replace(rule.meta.options, **given_options)
    return out


def conforms(value: object, expected: object) -> bool:
    """Whether a TOML value fits an option's declared type: int, float (an int will do), str,
    bool, None, unions of them, dict[str, X] and list[X]."""
    origin, args = get_origin(expected), get_args(expected)
    if expected is None or expected is type(None):
        return value is None
    if origin in (Union, UnionType):
        return any(conforms(value, arg) for arg in args)
    if origin is dict:
        return isinstance(value, dict) and all(
            conforms(k, args[0]) and conforms(v, args[1]) for k, v in value.items()
        )
    if origin is list:
        return isinstance(value, list) and all(conforms(item, args[0]) for item in value)
    if expected is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(expected, type) and isinstance(value, expected)


TYPE_WORDS: dict[type, str] = {
    int: "an integer",
    float: "a number",
    str: "a string",
    bool: "true or false",
}


def describe(expected: object) -> str:
    origin, args = get_origin(expected), get_args(expected)
    if origin in (Union, UnionType):
        return " or ".join(describe(arg) for arg in args if arg is not type(None))
    if origin is dict:
        return f"a table of {describe(args[1]).removeprefix('an ').removeprefix('a ')} values"
    if origin is list:
        return f"a list of {describe(args[0]).removeprefix('an ').removeprefix('a ')} values"
    if isinstance(expected, type) and expected in TYPE_WORDS:
        return TYPE_WORDS[expected]
    return str(getattr(expected, "__name__", expected))


def apply_path_options(
    config: Config,
    exclude: list[str] | None,
    extend_exclude: list[str],
    force_exclude: bool | None,
    respect_gitignore: bool | None = None,
) -> None:
    """`--exclude` (replaces the settings' and the default excludes) and `--extend-exclude`,
    relative to the working directory; `--force-exclude`, `--no-respect-gitignore`."""
    cwd = os.getcwd()
    if exclude is not None:
        config.exclude = Patterns(tuple(_split(exclude)), cwd, "--exclude")
    if extend_exclude:
        config.extend_exclude.append(
            Patterns(tuple(_split(extend_exclude)), cwd, "--extend-exclude")
        )
    if force_exclude is not None:
        config.force_exclude = force_exclude
        config.origins["force-exclude"] = [
            "--force-exclude" if force_exclude else "--no-force-exclude"
        ]
    if respect_gitignore is not None:
        config.respect_gitignore = respect_gitignore
        config.origins["respect-gitignore"] = [
            "--respect-gitignore" if respect_gitignore else "--no-respect-gitignore"
        ]


def _split(values: list[str]) -> list[str]:
    """Patterns given as repeated options or comma-separated, as in ruff."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def load_config(explicit: str | None, paths: list[str]) -> Config:
    if explicit:
        path = Path(explicit)
        if not os.path.isfile(path):
            raise ConfigError(f"--config: no such file: {explicit}")
        data = _read(path)
        table = data
        if path.name == "pyproject.toml":
            table = _tool_table(data, path) or {}
        return from_table(table, str(path))
    found = find_config(Path(paths[0]) if paths else Path.cwd()) or find_config(Path.cwd())
    if found is None:
        return Config()
    return from_table(found[1], str(found[0]))

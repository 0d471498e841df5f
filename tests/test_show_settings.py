"""`fglint check --show-settings` (issue 10, part 4): every setting as the run would use it, with
where each value came from (default, the settings file and key, a flag); exit 0, no linting."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from fglint.engine.registry import all_rules
from fglint.exclusion import DEFAULT_EXCLUDE
from fglint.main import cli
from helpers import in_dir

SETTINGS = """\
select = ["FG101", "FG201"]
extend-select = ["FG202"]
fail-on = "error"
baseline = "ci/baseline.json"

[per-file-ignores]
"examples/*" = ["FG201"]

[severity]
fg201 = "error"

[options.FG303]
maximum = 90

[limits]
file-size = 2048
"""
EXPECTED = """\
# settings file: .fglint.toml
select = ["FG101", "FG201"]              # .fglint.toml: select
extend-select = ["FG202", "FG608"]       # .fglint.toml: extend-select + --extend-select
ignore = ["FG201"]                       # --ignore
{exclude} # default, relative to .
extend-exclude = []                      # default
force-exclude = false                    # default
fail-on = "error"                        # .fglint.toml: fail-on
show-source = false                      # --no-show-source
var-files = ["{root}/prod.tfvars"]{pad}# --var-file
baseline = "{root}/ci/baseline.json"{pad2}# .fglint.toml: baseline
rules = ["FG001", "FG005", "FG101", "FG202", "FG608"] # from select, extend-select, ignore

[per-file-ignores]
"examples/*" = ["FG201"]                 # .fglint.toml: per-file-ignores.examples/*

[severity]
"FG201" = "error"                        # .fglint.toml: severity.FG201
"""
LIMITS = """
[limits]
file-size = 2048                         # .fglint.toml: limits.file-size
depth = 100                              # default
yaml-aliases = 10000                     # default
seconds = 20.0                           # default
evaluation-depth = 200                   # default
"""
FG303 = """
[options.FG303]
maximum = 90                             # .fglint.toml: options.FG303.maximum
"""
BROKEN = '{"family": "web", "containerDefinitions": [\n'  # FG001 if it were linted


def show(folder: Path, *args: str) -> tuple[int, str]:
    with in_dir(folder):
        outcome = CliRunner().invoke(cli, ["check", "--show-settings", *args])
    return outcome.exit_code, outcome.stdout


def pad(text: str) -> str:
    return " " * max(1, 41 - len(text))


def test_every_setting_and_where_it_came_from(tmp_path: Path) -> None:
    (tmp_path / ".fglint.toml").write_text(SETTINGS, encoding="utf-8")
    (tmp_path / "broken.json").write_text(BROKEN, encoding="utf-8")
    args = ("--ignore", "FG201", "--extend-select", "FG608", "--no-show-source")
    code, out = show(tmp_path, *args, "--var-file", "prod.tfvars")
    assert code == 0  # the broken input was not linted
    root = str(tmp_path.resolve())
    var_files = f'var-files = ["{root}/prod.tfvars"]'
    baseline = f'baseline = "{root}/ci/baseline.json"'
    exclude = f"exclude = {json.dumps(list(DEFAULT_EXCLUDE))}"
    expected = EXPECTED.format(
        root=root, pad=pad(var_files), pad2=pad(baseline), exclude=exclude.ljust(40)
    )
    # in this order; a setting added later may add a line anywhere
    lines = iter(out.splitlines())
    missing = [line for line in expected.splitlines() if line not in lines]
    assert not missing, out
    assert LIMITS in out and FG303 in out
    with_options = {rule.code for rule in all_rules() if rule.meta.options is not None}
    shown = {line[9:-1] for line in out.splitlines() if line.startswith("[options.")}
    assert shown == with_options and len(shown) >= 3
    assert show(tmp_path, *args, "--var-file", "prod.tfvars") == (code, out)  # deterministic


def test_exclude_patterns_show_their_origin_and_base(tmp_path: Path) -> None:
    settings = 'exclude = ["x/**"]\nextend-exclude = ["y/"]\nforce-exclude = true\n'
    (tmp_path / ".fglint.toml").write_text(settings, encoding="utf-8")
    flags = ("--extend-exclude", "vendor/", "--no-force-exclude", "--no-respect-gitignore")
    code, out = show(tmp_path, *flags)
    assert code == 0
    assert (
        'exclude = ["x/**"]                       # `exclude` in .fglint.toml, relative to .\n'
        'extend-exclude = ["y/"]                  # `extend-exclude` in .fglint.toml, '
        "relative to .\n"
        'extend-exclude = ["vendor/"]             # --extend-exclude, relative to .\n'
        "force-exclude = false                    # --no-force-exclude\n"
        "respect-gitignore = false                # --no-respect-gitignore\n"
    ) in out


def test_without_settings_every_value_is_a_default(tmp_path: Path) -> None:
    code, out = show(tmp_path)
    lines = out.splitlines()
    assert code == 0 and lines[0] == "# settings file: none (every value is a default)"
    assert "select = none (the rules that are on by default) # default" in lines
    assert "[per-file-ignores]\n# none\n" in out
    values = [line for line in lines[1:] if line and not line.startswith(("[", "#", "rules"))]
    assert values and all(line.split(" # ")[1].startswith("default") for line in values), values


def test_a_flag_replaces_the_origin_and_pyproject_names_its_table(tmp_path: Path) -> None:
    pyproject = '[project]\nname = "x"\n\n[tool.fglint]\nselect = ["FG101"]\nfail-on = "note"\n'
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    code, out = show(tmp_path, "--select", "FG201")
    assert code == 0
    assert 'select = ["FG201"]                       # --select\n' in out
    assert 'fail-on = "note"                         # pyproject.toml: tool.fglint.fail-on\n' in out
    assert "# settings file: pyproject.toml\n" in out

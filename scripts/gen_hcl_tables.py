"""Write linter/frontends/terraform/hcl2_tables.json from the installed python-hcl2 grammar.

    python scripts/gen_hcl_tables.py

Run it after python-hcl2 changes its grammar (tests/test_tf_parse.py says when).
"""

from __future__ import annotations

from fglint.frontends.terraform import parse, shipped


def main() -> None:
    tables = parse._tables(parse.parser())
    shipped.SHIPPED.write_text(shipped.as_json(tables, parse.TABLES_FORMAT), encoding="utf-8")
    print(f"{shipped.SHIPPED}: {len(tables['states'])} states, {len(tables['rules'])} rules")


if __name__ == "__main__":
    main()

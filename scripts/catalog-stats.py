#!/usr/bin/env python3
"""Print the catalog's coverage figures (used in issue notes): examples per
verwaltungsebene, action field, settlement class of the Kreis, Land; bodies under
200 words; median completeness of the fact boxes.

Usage: scripts/catalog-stats.py [public/daten/catalog.json] [data/kreise/kreise.csv]
Reads the catalog JSON a build wrote, so run `cargo run --release -- build` first.
"""
import csv, json, re, statistics, sys
from collections import Counter

catalog = sys.argv[1] if len(sys.argv) > 1 else "public/daten/catalog.json"
kreise_csv = sys.argv[2] if len(sys.argv) > 2 else "data/kreise/kreise.csv"

# Optional example fields counted for completeness (the fact box's definition).
OPTIONAL = """handlungsfelder_weitere gemeindetyp laendlichkeit einwohner anwendungstyp interaktion
entscheidungsrolle zeitraum motivation finanzierung foerderprogramm kosten umsetzung anbieter
open_source personenbezogene_daten ki_verordnung beteiligung_beschaeftigte
beteiligung_buergerschaft personalrat stellenwirkung evidenzgrad uebertragbarkeit sdgs
zielgruppen kontakt externe_ids redaktionsstatus zuletzt_geprueft tags""".split()


def settlement_class(row):
    """Same thresholds as koki's derived Raumtyp (docs/format.md)."""
    density = float(row["population_per_km2"])
    if row["type"].lower().startswith("kreisfreie") and int(row["population"]) >= 100_000:
        return "kreisfreie Großstadt"
    if density >= 150:
        return "städtischer Kreis"
    if density >= 100:
        return "ländlicher Kreis mit Verdichtungsansätzen"
    return "dünn besiedelter ländlicher Kreis"


def main():
    data = json.load(open(catalog, encoding="utf-8"))
    examples = data["beispiele"]
    try:
        with open(kreise_csv, encoding="utf-8") as f:
            kreise = {r["AGS"]: r for r in csv.DictReader(f, delimiter=";")}
    except FileNotFoundError:
        kreise = {}
    ebene, feld, land, klasse = Counter(), Counter(), Counter(), Counter()
    short, completeness = [], []
    for e in examples:
        ebene[e["verwaltungsebene"]] += 1
        feld[e["handlungsfeld"]] += 1
        land[e["bundesland"]] += 1
        keys = [k.get("ags", "")[:5] for k in e["kommunen"] if k.get("ags")]
        k = next((kreise[a] for a in keys if a in kreise), None)
        klasse[settlement_class(k) if k else "ohne AGS"] += 1
        words = len(re.findall(r"\w+", e.get("text_markdown", "")))
        if words < 200:
            short.append((words, e["id"]))
        present = sum(1 for f in OPTIONAL if e.get(f) not in (None, [], {}, ""))
        completeness.append(100 * present // len(OPTIONAL))
    print(f"examples: {len(examples)}")
    for name, c in [("verwaltungsebene", ebene), ("handlungsfeld", feld),
                    ("settlement class", klasse), ("bundesland", land)]:
        print(f"\n{name}:")
        for k, v in sorted(c.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"  {k:45} {v}")
    eingestellt = sum(1 for e in examples if e["status"] == "eingestellt")
    print(f"\neingestellt: {eingestellt}")
    print(f"bodies under 200 words: {len(short)}")
    print(f"median completeness: {statistics.median(completeness)} %")


main()

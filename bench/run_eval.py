"""Score dyadwatch on the DEV halves of the evaluation suites and write docs/EVALUATION.md.

Usage::

    .venv/bin/python bench/run_eval.py                  # every suite (what `make bench` runs)
    .venv/bin/python bench/run_eval.py --suite plover --limit 50 --out /tmp/eval.md

The suites live in ``<shared>/eval`` where ``<shared>`` is ``$DYADWATCH_SHARED`` or
``../shared`` beside the repository. They are read here, never by the package.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from dyadwatch.config import Settings
from dyadwatch.errors import DictionaryError, DyadwatchError
from dyadwatch.evaluate import metrics
from dyadwatch.evaluate.petrarch import GoldRecord, Triple, code_records, load_records, score
from dyadwatch.evaluate.suites import (
    CASE_LABELS,
    CASE_SEEN_LABELS,
    IPE_LABELS,
    DronePrediction,
    actor_countries,
    best_event,
    case_label,
    drone_predict,
    ipe_labels,
    penta_predict,
    plover_mode_predict,
    plover_predict,
)
from dyadwatch.model import Document, Event, Range

if TYPE_CHECKING:
    from dyadwatch.geo import Gazetteer

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "docs" / "EVALUATION.md"
COMMAND = "make bench  # or: .venv/bin/python bench/run_eval.py"
CHUNK = 256
"""Texts per code_texts call; a failing chunk is recoded text by text."""


class BatchCoder(Protocol):
    def code_text(self, text: str, date: dt.date | None = None) -> list[Event]: ...

    def code_texts(
        self, texts: Sequence[str], dates: Sequence[dt.date | None] | None = None
    ) -> list[list[Event]]: ...

    def code_document(self, document: Document) -> list[Event]: ...


@dataclass
class Row:
    suite: str
    metric: str
    value: str
    reference: str = ""


@dataclass
class SuiteResult:
    name: str
    rows: list[Row]
    count: str
    seconds: float = 0.0
    errors: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class Context:
    eval_dir: Path
    limit: int | None
    builtin: Callable[[], BatchCoder]


# ---------------------------------------------------------------- helpers


def fmt(value: float) -> str:
    return f"{value:.3f}"


def read_jsonl(path: Path, limit: int | None) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rows.append(json.loads(line))
            if limit is not None and len(rows) >= limit:
                break
    return rows


def code_all(
    coder: BatchCoder, texts: Sequence[str], dates: Sequence[dt.date | None] | None = None
) -> tuple[list[list[Event]], int]:
    """Events per text and the number of texts the coder failed on (coded as none)."""
    days = list(dates) if dates is not None else [None] * len(texts)
    out: list[list[Event]] = []
    errors = 0
    for start in range(0, len(texts), CHUNK):
        chunk, chunk_days = texts[start : start + CHUNK], days[start : start + CHUNK]
        try:
            out.extend(coder.code_texts(chunk, chunk_days))
            continue
        except (DyadwatchError, ValueError, RuntimeError, IndexError, KeyError):
            pass  # one bad text spoils the batch: recode one by one below
        for text, day in zip(chunk, chunk_days, strict=True):
            try:
                out.append(coder.code_text(text, day))
            except (DyadwatchError, ValueError, RuntimeError, IndexError, KeyError):
                out.append([])
                errors += 1
    return out, errors


def label_rows(suite: str, scores: dict[str, metrics.LabelScore], prefix: str) -> list[Row]:
    return [
        Row(suite, f"{prefix} {label} F1 (P / R)",
            f"{fmt(s.f1)} ({fmt(s.precision)} / {fmt(s.recall)})")
        for label, s in scores.items()
    ]  # fmt: skip


# ---------------------------------------------------------------- suites


def run_petrarch(ctx: Context) -> SuiteResult:
    from dyadwatch.coder.engine import Coder

    folder = ctx.eval_dir / "petrarch"
    records = load_records(folder / "records.dev.jsonl")[: ctx.limit]
    skipped: list[DictionaryError] = []  # PETRARCH, too, skips lines it cannot read
    coder = Coder.from_petrarch(
        actors=folder / "PETR_Validate_actors_2_02.txt",
        agents=folder / "PETR_Validate_agents_2_02.txt",
        verbs=folder / "PETR_Validate_verbs_2_02.txt",
        discards=folder / "PETR_Validate_discards_2_02.txt",
        on_error=skipped.append,
    )
    predictions = code_records(coder, records)
    result = score(records, predictions)
    name = "petrarch (own dictionaries)"
    notes = [f"{len(skipped)} dictionary lines skipped as unreadable"]
    notes += [f"skipped {Path(e.path or '').name}:{e.line} {e.message}" for e in skipped[:5]]
    notes.append("exact matches by category: " + exact_by_category(records, predictions))
    return SuiteResult(
        name,
        [
            Row(name, "event F1", fmt(result.f1), "PETRARCH2 0.531 · target ≥ 0.75"),
            Row(name, "event precision", fmt(result.precision), "PETRARCH2 0.637"),
            Row(name, "event recall", fmt(result.recall), "PETRARCH2 0.455"),
            Row(name, "exact-match records", fmt(result.exact), "PETRARCH2 0.527"),
            Row(
                name,
                "tp / fp / fn",
                f"{result.tp} / {result.fp} / {result.fn}",
                "PETRARCH2 51 / 29 / 61",
            ),
        ],
        f"{result.records} records (PETRARCH2's reference covers 109 of the 132 DEV records)",
        notes=notes,
    )


def exact_by_category(
    records: Sequence[GoldRecord], predictions: Sequence[frozenset[Triple]]
) -> str:
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for record, coded in zip(records, predictions, strict=True):
        totals[record.category] += 1
        hits[record.category] += coded == record.expected
    return ", ".join(f"{c} {hits[c]}/{n}" for c, n in totals.most_common())


def run_plover(ctx: Context) -> SuiteResult:
    gold = read_jsonl(ctx.eval_dir / "plover" / "records.dev.jsonl", ctx.limit)
    events, errors = code_all(ctx.builtin(), [r["text"] for r in gold])
    types = [r["event_type"] for r in gold]
    predicted = [plover_predict(e) for e in events]
    moded = [(r["mode"], plover_mode_predict(e)) for r, e in zip(gold, events, strict=True)
             if r["mode"]]  # fmt: skip
    best = [best_event(e) for e in events]
    name = "plover"
    rows = [
        Row(name, "event-type accuracy", fmt(metrics.accuracy(types, predicted)), "target ≥ 0.7"),
        Row(name, "event-type macro F1", fmt(metrics.macro_f1(types, predicted, set(types)))),
        Row(name, f"mode accuracy ({len(moded)} with gold mode)",
            fmt(metrics.accuracy([g for g, _ in moded], [p for _, p in moded]))),
        Row(name, "coverage (sentences with an event)",
            fmt(sum(p is not None for p in predicted) / len(gold))),
    ]  # fmt: skip
    for role in ("source", "target"):
        s = metrics.set_scores([r[role] for r in gold], [actor_countries(b, role) for b in best])
        rows.append(Row(name, f"{role} country F1 (P / R)",
                        f"{fmt(s.f1)} ({fmt(s.precision)} / {fmt(s.recall)})"))  # fmt: skip
    return SuiteResult(name, rows, f"{len(gold)} sentences", errors=errors)


def run_penta(ctx: Context) -> SuiteResult:
    gold = read_jsonl(ctx.eval_dir / "cameo_quad" / "train.dev.jsonl", ctx.limit)
    events, errors = code_all(ctx.builtin(), [r["text"] for r in gold])
    labels = [int(r["label"]) for r in gold]
    predicted = [penta_predict(e) for e in events]
    names = {int(r["label"]): r["label_name"] for r in gold}
    name = "cameo_quad (penta)"
    rows = [
        Row(name, "accuracy", fmt(metrics.accuracy(labels, predicted)), "target ≥ 0.7"),
        Row(name, "macro F1", fmt(metrics.macro_f1(labels, predicted, range(5)))),
        Row(name, "coverage (sentences with an event)",
            fmt(sum(p is not None for p in predicted) / len(gold))),
    ]  # fmt: skip
    per_class = metrics.per_label_scores(labels, predicted, range(5))
    rows += label_rows(name, {f"{k} {names.get(k, '')}": v for k, v in per_class.items()}, "class")
    return SuiteResult(name, rows, f"{len(gold)} sentences", errors=errors)


def run_ipe(ctx: Context) -> SuiteResult:
    folder = ctx.eval_dir / "india_police_events"
    docs = read_jsonl(folder / "docs.dev.jsonl", None)
    doc_dates = {d["doc_id"]: dt.date.fromisoformat(d["date"][:10]) for d in docs}
    sents = read_jsonl(folder / "sents.dev.jsonl", ctx.limit)
    events, errors = code_all(
        ctx.builtin(), [s["text"] for s in sents], [doc_dates.get(s["doc_id"]) for s in sents]
    )
    predicted = [ipe_labels(e) for e in events]
    name = "india_police_events"
    rows = []
    for label in IPE_LABELS:
        s = metrics.binary_scores([label in g["labels"] for g in sents],
                                  [label in p for p in predicted])  # fmt: skip
        target = "target ≥ 0.6" if label in ("KILL", "ARREST") else ""
        rows.append(Row(name, f"sentence {label} F1 (P / R)",
                        f"{fmt(s.f1)} ({fmt(s.precision)} / {fmt(s.recall)})", target))  # fmt: skip
        if label in ("KILL", "ARREST"):
            rows.append(false_positive_row(name, label, sents, predicted))
    covered = {s["doc_id"] for s in sents}
    scored_docs = [d for d in docs if d["doc_id"] in covered]
    rows += ipe_doc_rows(name, scored_docs, sents, predicted)
    return SuiteResult(
        name,
        rows,
        f"{len(sents)} sentences / {len(scored_docs)} documents",
        errors=errors,
        notes=["document score = number of its sentences answering yes (ties in file order)"],
    )


def false_positive_row(
    name: str, label: str, sents: list[dict[str, Any]], predicted: list[frozenset[str]]
) -> Row:
    """Share of the sentences without ``label`` that we answer yes, and the same over
    sentences with no label at all."""
    without = [
        label in p for g, p in zip(sents, predicted, strict=True) if label not in g["labels"]
    ]
    unlabelled = [label in p for g, p in zip(sents, predicted, strict=True) if not g["labels"]]
    return Row(name, f"sentence {label} false-positive rate (without {label} / with no label)",
               f"{rate(without)} / {rate(unlabelled)}")  # fmt: skip


def rate(hits: Sequence[bool]) -> str:
    return f"{100 * sum(hits) / len(hits) if hits else 0.0:.2f}% ({sum(hits)}/{len(hits)})"


def ipe_doc_rows(
    name: str, docs: list[dict[str, Any]], sents: list[dict[str, Any]],
    predicted: list[frozenset[str]],
) -> list[Row]:  # fmt: skip
    votes: defaultdict[Any, Counter[str]] = defaultdict(Counter)
    for sent, labels in zip(sents, predicted, strict=True):
        votes[sent["doc_id"]].update(labels)
    rows = []
    for label in IPE_LABELS:
        gold = [label in d["labels"] for d in docs]
        doc_scores = [float(votes[d["doc_id"]][label]) for d in docs]
        ap = metrics.average_precision(doc_scores, gold)
        read = metrics.prop_read_at_recall(doc_scores, gold, 0.95)
        rho = metrics.spearman(*per_date_counts(docs, gold, [x > 0 for x in doc_scores]))
        rows.append(Row(name, f"document {label} AP / PropRead@R95 / date-count rho",
                        f"{fmt(ap)} / {fmt(read)} / {fmt(rho)}"))  # fmt: skip
    return rows


def per_date_counts(
    docs: list[dict[str, Any]], gold: list[bool], pred: list[bool]
) -> tuple[list[float], list[float]]:
    dates = sorted({d["date"][:10] for d in docs})
    g: Counter[str] = Counter()
    p: Counter[str] = Counter()
    for doc, is_gold, is_pred in zip(docs, gold, pred, strict=True):
        g[doc["date"][:10]] += is_gold
        p[doc["date"][:10]] += is_pred
    return [float(g[d]) for d in dates], [float(p[d]) for d in dates]


def run_case(ctx: Context) -> SuiteResult:
    gold_rows = read_jsonl(ctx.eval_dir / "case2021" / "snippets.dev.jsonl", ctx.limit)
    events, errors = code_all(ctx.builtin(), [r["text"] for r in gold_rows])
    gold = [r["label"] for r in gold_rows]
    predicted = [case_label(e) for e in events]
    name = "case2021"
    rows = [
        Row(name, "weighted F1 (30 labels)", fmt(metrics.weighted_f1(gold, predicted, CASE_LABELS)),
            "best systems 0.771–0.839 (context only)"),
        Row(name, "macro F1 (30 labels)", fmt(metrics.macro_f1(gold, predicted, CASE_LABELS))),
        Row(name, "accuracy", fmt(metrics.accuracy(gold, predicted))),
    ]  # fmt: skip
    seen = [(g, p) for g, p in zip(gold, predicted, strict=True) if g in CASE_SEEN_LABELS]
    if seen:
        rows.append(Row(name, f"weighted F1, seen-type snippets ({len(seen)})",
                        fmt(metrics.weighted_f1([g for g, _ in seen], [p for _, p in seen],
                                                CASE_SEEN_LABELS))))  # fmt: skip
    return SuiteResult(name, rows, f"{len(gold)} snippets", errors=errors)


DRONE_TEXTS = (
    ("narrative", ("narrative",)),
    ("narrative + summary", ("narrative", "bij_summary_short")),
)
"""The two documents scored per strike: the narrative alone, and with TBIJ's summary."""

DRONE_COUNTRIES = {"Pakistan-Afghanistan Border": ("PAK", "AFG")}
"""Gold countries that are not one pycountry name (either country counts)."""


def run_drone(ctx: Context) -> SuiteResult:
    from dyadwatch.geo import load_gazetteer

    gold = read_jsonl(ctx.eval_dir / "drone_strikes" / "strikes.dev.jsonl", ctx.limit)
    gazetteer = load_gazetteer()
    adm1s = [gold_adm1(gazetteer, g["location"], gold_countries(g["country"])) for g in gold]
    coder = ctx.builtin()
    rows: list[Row] = []
    errors = 0
    for label, fields in DRONE_TEXTS:
        docs = [
            Document(f"strike-{g['id']}", " ".join(g[f] for f in fields if g.get(f)).strip(),
                     dt.date.fromisoformat(g["date"][:10]))
            for g in gold
        ]  # fmt: skip
        events, failed = code_documents(coder, docs)
        errors += failed
        preds = [drone_predict(e) for e in events]
        rows += drone_rows(f"drone_strikes ({label})", gold, preds, adm1s)
        rows += drone_ceilings(f"drone_strikes ({label})", coder, gazetteer, docs)
    notes = [f"{sum(a is not None for a in adm1s)} gold locations read to an ADM1 by the gazetteer"]
    return SuiteResult("drone_strikes", rows, f"{len(gold)} strike narratives", errors=errors,
                       notes=notes)  # fmt: skip


def run_incidents(ctx: Context) -> SuiteResult:
    """Issue 24: every strike report in one store (src/dyadwatch/evaluate/incidents.py)."""
    from dyadwatch.evaluate.incidents import StrikeReport, score_incidents

    gold = read_jsonl(ctx.eval_dir / "drone_strikes" / "strikes.dev.jsonl", ctx.limit)
    reports = [
        StrikeReport(f"strike-{g['id']}", " ".join(g[f] for f in ("narrative", "bij_summary_short")
                     if g.get(f)).strip(), dt.date.fromisoformat(g["date"][:10]),
                     gold_countries(g["country"]))
        for g in gold
    ]  # fmt: skip
    s = score_incidents(ctx.builtin().code_document, reports)
    name = "drone_strikes (one store)"
    rows = [
        Row(name, "stored violent US/unnamed events per strike",
            f"{s.per_strike:.2f} ({s.violent}/{s.strikes})", "target ≤ 1.1"),
        Row(name, "events merging different strikes", str(s.cross_merges), "target ≤ 3"),
        Row(name, "ledger |error| over country-years / true strikes",
            f"{fmt(s.ledger_share)} ({s.ledger_error}/{s.strikes})", "target ≤ 0.15"),
        Row(name, "violent events placed in a country with no strike (or nowhere)",
            f"{fmt(s.misplaced_share)} ({s.misplaced}/{s.violent}; {s.unplaced} nowhere)",
            "target ≤ 0.02"),
    ]  # fmt: skip
    return SuiteResult("incidents", rows, f"{len(gold)} strikes", errors=s.errors)


def drone_ceilings(
    name: str, coder: BatchCoder, gazetteer: Gazetteer, docs: Sequence[Document]
) -> list[Row]:
    """What the texts themselves allow, found without the coder's syntax.

    A strike can be found without guessing its doer only in a text naming an
    air attack or weapon; a place can fall in the right ADM1 only in a text
    naming a place below country level. These bound the two measures above.
    """
    from dyadwatch.coder.coreference import AERIAL, attack_mention, load_attack_knowledge
    from dyadwatch.coder.engine import Coder
    from dyadwatch.geo import PlaceResolver

    if not isinstance(coder, Coder):
        return []
    air, attacks = coder.knowledge.clauses.air_weapons, load_attack_knowledge()
    places = PlaceResolver(gazetteer)
    aerial: list[bool] = []
    local: list[bool] = []
    for parsed in coder.nlp.pipe(d.text for d in docs):
        sentences = list(parsed.sents)
        aerial.append(any(attack_mention(s, air, attacks) == AERIAL for s in sentences))
        local.append(any(
            c.kind != "country" for s in sentences for m in places.mentions(s) for c in m.candidates
        ))  # fmt: skip
    return [
        Row(name, "ceiling: texts naming an air attack or weapon", share(aerial)),
        Row(
            name,
            "ceiling: texts naming a place the gazetteer knows below country level",
            share(local),
        ),
    ]


def code_documents(coder: BatchCoder, docs: Sequence[Document]) -> tuple[list[list[Event]], int]:
    """Events per document by ``code_document``; a failing document has none."""
    out: list[list[Event]] = []
    errors = 0
    for doc in docs:
        try:
            out.append(coder.code_document(doc))
        except (DyadwatchError, ValueError, RuntimeError, IndexError, KeyError):
            out.append([])
            errors += 1
    return out, errors


def share(hits: Sequence[bool]) -> str:
    return f"{fmt(sum(hits) / len(hits) if hits else 0.0)} ({sum(hits)}/{len(hits)})"


def drone_rows(
    name: str, gold: list[dict[str, Any]], preds: list[DronePrediction],
    adm1s: list[str | None],
) -> list[Row]:  # fmt: skip
    pairs = list(zip(gold, preds, strict=True))
    ranged = [(g, p) for g, p in pairs if g["deaths_min"].isdigit() and g["deaths_max"].isdigit()]
    overlap = [
        p.killed is not None
        and p.killed.min <= int(g["deaths_max"]) and int(g["deaths_min"]) <= p.killed.max
        for g, p in ranged
    ]  # fmt: skip
    rows = [
        Row(name, "US aerial/drone strike event found",
            share([p.strike is not None for p in preds]), "target ≥ 0.95"),
        Row(name, "… or US/unknown 18-20 violence in a sentence naming an air weapon",
            share([p.air_violence is not None for p in preds])),
        *drone_place_rows(name, gold, preds, adm1s),
        Row(name, "killed range overlaps [deaths_min, deaths_max]", share(overlap),
            "target ≥ 0.85"),
    ]  # fmt: skip
    for field_name in ("deaths_min", "deaths_max"):
        ends = [(int(g[field_name]), range_end(p.killed, field_name)) for g, p in ranged]
        errs = [abs(g - p) for g, p in ends if p is not None]
        mae = f"{sum(errs) / len(errs):.2f} over {len(errs)}" if errs else "n/a"
        rows.append(Row(name, f"{field_name} exact match / MAE",
                        f"{share([g == p for g, p in ends])} / {mae}"))  # fmt: skip
    return rows


def range_end(killed: Range | None, field_name: str) -> int | None:
    if killed is None:
        return None
    return killed.min if field_name == "deaths_min" else killed.max


def drone_place_rows(
    name: str, gold: list[dict[str, Any]], preds: list[DronePrediction],
    adm1s: list[str | None],
) -> list[Row]:  # fmt: skip
    near: list[bool] = []
    placed: list[bool] = []
    for g, p, adm1 in zip(gold, preds, adm1s, strict=True):
        loc = p.location
        close = (
            loc is not None and loc.lat is not None and loc.lon is not None
            and km(float(g["lat"]), float(g["lon"]), loc.lat, loc.lon) <= 50
        )  # fmt: skip
        near.append(close)
        placed.append(close or (loc is not None and adm1 is not None and loc.adm1 == adm1))
    countries = [
        p.location is not None and p.location.country in gold_countries(g["country"])
        for g, p in zip(gold, preds, strict=True)
    ]
    return [
        Row(name, "location within 50 km or in the gold ADM1", share(placed), "target ≥ 0.70"),
        Row(name, "location within 50 km", share(near)),
        Row(name, "country accuracy", share(countries)),
    ]


def gold_countries(name: str) -> tuple[str, ...]:
    if name in DRONE_COUNTRIES:
        return DRONE_COUNTRIES[name]
    code = alpha3(name)
    return (code,) if code else ()


def gold_adm1(gazetteer: Gazetteer, name: str, countries: tuple[str, ...]) -> str | None:
    """The ISO 3166-2 code of a gold ``location`` ("North Waziristan", "Lahij and Abyan
    Provinces": the first part the gazetteer reads inside the gold countries)."""
    from dyadwatch.geo import PlaceContext, choose

    context = PlaceContext.of(countries, countries)
    for part in name.replace(" and ", "/").split("/"):
        part = part.replace("Provinces", "").replace("border", "").replace("Border", "")
        candidates = tuple(c for c in gazetteer.lookup(part) if c.country in countries)
        place = choose(gazetteer, candidates, context)
        if place is not None and place.adm1 is not None:
            return place.adm1
    return None


def alpha3(name: str | None) -> str | None:
    import pycountry

    if not name:
        return None
    try:
        return str(pycountry.countries.lookup(name).alpha_3)
    except LookupError:
        return None


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def run_timeml(ctx: Context) -> SuiteResult:
    from dyadwatch.coder.engine import Coder
    from dyadwatch.evaluate import timeml
    from dyadwatch.temporal import DateResolver

    folder = ctx.eval_dir / "timeml_dates"
    docs = read_jsonl(folder / "docs.dev.jsonl", ctx.limit)
    texts = {d["doc"]: d["text"] for d in docs}
    gold = timeml.gold_dates(texts, (r for r in read_jsonl(folder / "events.dev.jsonl", None)
                                     if r["doc"] in texts))  # fmt: skip
    published = {d["doc"]: dt.date.fromisoformat(d["dct"]) for d in docs}
    coder = ctx.builtin()
    assert isinstance(coder, Coder)
    events, errors = code_documents(coder, [Document(d, t, published[d]) for d, t in texts.items()])
    starts = [[s.start_char for s in parsed.sents] for parsed in coder.nlp.pipe(texts.values())]
    coded = [e for found, at in zip(events, starts, strict=True) for e in timeml.placed(found, at)]
    result = timeml_result(timeml.score(gold, coded, published), len(docs), errors)
    parsed = dict(zip(texts, coder.nlp.pipe(texts.values()), strict=True))
    stage = timeml.by_construction(gold, parsed, DateResolver(), published)
    result.rows += [
        Row("timeml_dates (temporal stage, every gold trigger)", name, f"{every} · off: {off}")
        for name, (every, off) in stage.items()
    ]
    return result


def timeml_result(result: Any, docs: int, errors: int) -> SuiteResult:
    name = "timeml_dates"
    return SuiteResult(name, [
        Row(name, "dated right, all matched events", str(result.all), "target ≥ 0.92"),
        Row(name, "dated right, events not on the publication date", str(result.off_dct),
            "target ≥ 0.80"),
        Row(name, "… time expression in the event's own sentence", str(result.off_own_sentence)),
        Row(name, "… time expression in another sentence", str(result.off_other_sentence),
            "target ≥ 0.60"),
        Row(name, "publication-date events moved off it", str(result.moved_off)),
        Row(name, "stamping the publication date (baseline)", str(result.publication_baseline)),
        Row(name, "gold events matched by a coded event", str(result.matched)),
    ], f"{docs} documents", errors=errors)  # fmt: skip


def run_scorer(ctx: Context) -> SuiteResult:
    """The learned scorer, cross-validated (bench/eval_scorer.py, issue 18)."""
    from eval_scorer import TRAINED_ON, scorer_rows

    rows, count = scorer_rows(ctx.eval_dir, ctx.limit)
    return SuiteResult("scorer", [Row("scorer", *row) for row in rows], count, notes=[TRAINED_ON])


def run_written(ctx: Context) -> SuiteResult:
    """Our own labelled pairs (bench/eval_written.py, docs/MODEL.md); those the shipped
    weights were trained on (``train.WRITTEN_FILES``) say so on their rows."""
    from eval_written import SETS, written_rows

    lexicon = lexicon_coder()
    rows: list[Row] = []
    counts = []
    for name, path in SETS.items():
        found, count = written_rows(ctx.builtin().code_texts, lexicon.code_texts, path)
        rows += [Row("written", f"{name}: {metric}", value, ref) for metric, value, ref in found]
        counts.append(f"{name} {count}")
    return SuiteResult("written", rows, "; ".join(counts))


_MAIN_STORED = {
    "group timeml check half": "main a90b7ff: 0.276 (632 events)",
    "group case2021": "main a90b7ff: 0.420 (799 events)",
    "group drone strikes": "main a90b7ff: 0.797 (578 events)",
    "all groups": "main a90b7ff: 0.483 (about 971 of 2009)",
}
"""The same estimate for main a90b7ff before row 301, whose events fall in the first two
strata only (docs/MODEL_LOG.md, sessions 22-23)."""


def run_news(ctx: Context) -> SuiteResult:
    """Every kind of event on real news no model trained on, judged by two engineers
    (bench/news_precision.py, docs/MODEL_LOG.md session 21), against the events coded now."""
    from fallback_news import documents, read_judged
    from news_precision import SAMPLES, STORED, coded_events, figures, stored_figures

    samples = {name: read_judged(path)[: ctx.limit] for name, path in SAMPLES.items()}
    # Every document once (about ten seconds): the samples' events and the estimate
    # over all stored events, which needs them all.
    found = coded_events(documents(ctx.eval_dir), ctx.builtin())
    rows: list[Row] = []
    for name, judged in samples.items():
        rows += [Row(f"news (judged, {name})", m, v) for m, v in figures(judged, found)]
    stored = stored_figures(found, samples)
    rows += [Row("news (all stored events)", m, v, _MAIN_STORED[m.removeprefix(f"{STORED}, ")])
             for m, v in stored]  # fmt: skip
    counts = "; ".join(
        f"{name}: {len(judged)} events, two judges" for name, judged in samples.items()
    )
    return SuiteResult("news", rows, counts)


SUITES: dict[str, Callable[[Context], SuiteResult]] = {
    "petrarch": run_petrarch,
    "plover": run_plover,
    "cameo_quad": run_penta,
    "india_police_events": run_ipe,
    "case2021": run_case,
    "drone_strikes": run_drone,
    "timeml_dates": run_timeml,
    "scorer": run_scorer,
    "incidents": run_incidents,
    "written": run_written,
    "news": run_news,
}


# ---------------------------------------------------------------- report


METHOD = """\
## How events become each suite's answer

The mapping code is `src/dyadwatch/evaluate/` (`petrarch.py`, `suites.py` and the two
tables `case2021_labels.tsv`, `ipe_labels.tsv`). Nothing is fitted to suite sentences.

* **petrarch**: the coder runs the suite's own four dictionaries. Per record, the coded
  set is the `(source, target, CAMEO)` triples of its events. Negated events are left out:
  PETRARCH dictionaries spell out what a negated verb means with their own patterns, so a
  plain negated event is one PETRARCH would not code. Hypothetical and reported events
  count, as in PETRARCH. `require_dyad` (default true) drops events without a target; a
  record with `require_dyad: false` counts them with target `---`. A record the coder
  fails on has coded nothing. Micro P/R/F1 over triples; exact = coded set equals the
  expected set (the empty set for records expecting no event or a discard).
* **plover**, **cameo_quad**: the *best event* of the sentence (not negated before
  negated, asserted before hypothetical, then highest confidence, then earliest) gives the
  PLOVER type and mode, or the Phoenix five-way class of its CAMEO code. Actor F1 compares
  the best event's source/target country with the gold codes. No event = no answer (wrong).
* **india_police_events**: a police source is a `COP` sector or an actor text naming the
  police or a police rank (SP, DGP, ...); an incident's folded readings (`alternatives`)
  with a police source count as the police's, and so does 18-20 violence in a sentence
  naming a fight both sides wage (clash, encounter, shootout) that names the police too,
  as a target or anywhere else. Militants (INS) killed by no named doer (the event's own
  reading, or one folded into it from the same sentence) fell to the security forces and
  count as the police's. ANY_ACTION = any police-source event (or an arrest); KILL =
  police-source killing code (1823, 186, 202) or 18-20 violence in a sentence that reports
  deaths (a killing word such as killed/dead/died is not required to be the trigger) or
  gives a death count;
  FORCE = police-source 175/18x/19x/20x (a killing included); ARREST = CAMEO 173 or
  COERCE/arrest by anyone (passive reports name no one); FAIL = a negated police-source
  event. Negated and hypothetical events answer nothing else. Documents are the union of
  their sentences; a document's ranking score is its number of "yes" sentences.
* **case2021**: `case2021_labels.tsv` maps PLOVER weapon modes and CAMEO prefixes (longest
  first, a weapon mode ranking between 3- and 4-digit codes; 192 split by a state or
  non-state source) to ACLED-style sub-types. Negated events are ignored; a peaceful
  protest with state violence is FORCE_AGAINST_PROTEST, with other state coercion
  PROTEST_WITH_INTER, and stays VIOL_DEMONSTR when the protesters riot; otherwise the
  asserted material acts (else any mapped events) vote with their confidence. No mapped
  event gives OTHER. ORG_CRIME, the two disaster types, GRENADE, HQ_ESTABLISHED and MOB_VIOL
  have no event counterpart and are never predicted.
* **drone_strikes**: each strike is coded twice with `Coder.code_document`, its strike date
  as the publication date: the `narrative` alone, and `narrative` + `bij_summary_short` as one
  document. *US aerial/drone strike found* (strict): a non-negated event with CAMEO 195 or
  PLOVER ASSAULT mode aerial/drone whose source is US-coded or names no country (`---`, or
  a bare sector such as `MIL`). The lenient row also accepts any such-sourced, non-negated
  CAMEO 18-20 event whose sentence names an air weapon (drone, missile, aircraft, …).
  Place = the strike event's location (strict, else lenient, else the first violent event;
  if it has none, the first located violent event, else any located event); a hit is within
  50 km of the gold lat/lon or in the gold ADM1 (the gold `location` read by the
  gazetteer inside the gold country). Country accuracy = its ISO-3 country equals the gold
  country (either for "Pakistan-Afghanistan Border"); no location is a miss. Killed range =
  over the non-negated events, the greatest min and the greatest max (one strike, several
  reports); overlap and exact min/max over strikes with integer gold bounds, no figure
  being a miss; MAE over strikes with a figure. Shares are over all strikes. The two
  *ceiling* rows bound what any coder can reach without guessing: the texts that name an
  air attack or weapon (a noun such as drone, missile, airstrike, strike) and the texts
  that name a place the gazetteer knows below country level.
* **india_police_events** false-positive rate: the share of sentences without the label
  (and of sentences with no label at all) that we answer yes.
* **written**: our own labelled pairs, written from the PLOVER manual without reading the
  suites. Set A (`bench/data/written_pairs.jsonl`, 720, 45 a type) is read when designing
  lexicon senses; sets B and C (`written_b_pairs.jsonl`, 718, and `written_c_pairs.jsonl`,
  719; other writers and world regions) and D (`written_d_pairs.jsonl`, 720, session 18:
  sentences of analysis briefings) and E (`written_e_pairs.jsonl`, 714, session 18:
  regional newspapers' own reports) and F (`written_f_pairs.jsonl`, 720, session 18:
  formal reports) by no one designing a change; G (`written_g_pairs.jsonl`, 704, session 19:
  news-agency wire dispatches) and H (`written_h_pairs.jsonl`, 706, session 19: live-update
  pages and broadcast bulletins) likewise. Since session 19 (docs/MODEL_LOG.md, row 270) sets
  A-E teach the type and pair models at weight 0.1: their rows are in sample, and F, G and
  H measure text no shipped model was trained on.
  A pair is typed right as in plv_train's CV row: the best event on the marked pair, else
  the sentence's best event; CONCEDE and RETREAT count as YIELD. One engineer labelled each
  pair: the figure is agreement with our reading of the manual.
* **news (all stored events)**: the share right of every event stored on those news
  documents, estimated by strata (`news_precision.py --stored`, docs/MODEL_LOG.md sessions
  22-23): per group, the events main 513a265 gave
  (`bench/data/news_events_main_513a265.jsonl`, identifiers only) count at the strict share
  of samples 1-2's events still given; those first given by row 296 (in main a90b7ff's
  listing, `news_events_main_a90b7ff.jsonl`, not in 513a265's) at sample 3's (163, seed 2,
  drawn excluding all of 513a265's events); the rest at sample 5's, whose events are the
  ones row 301 gave newly (92, seed 5, drawn excluding all of a90b7ff's events). Each
  sample was judged the same way by two engineers. A later change's new events fall in the
  last stratum without being drawn from it: the estimate then needs a new sample of them.
* **news (judged)**: two samples of 210 events of every kind (lexicon drafts, moved pairs,
  main predicates, fallback events), drawn with seeds 0 and 1 (the second excluding the
  first) from what main 2fa548c's coder gave on news no model trains on (the timeml_dates
  check half, case2021, drone narratives and summaries; 70 each), each judged by two
  engineers independently (four in all), without seeing the events' confidence, by the
  rules of docs/MODEL_LOG.md, session 21 (type right, pair right, modality).
  `bench/data/news_events_judged.jsonl` keeps identifiers and verdicts, never the text.
  Strict = both judges say correct; the interval is a 95% Wilson interval. The suite codes
  the judged documents again: an event the coder no longer gives is counted apart, and an
  event it gives newly is not judged, so after a change the figures describe the old sample.
"""


def render(results: list[SuiteResult], args: argparse.Namespace, model: str) -> str:
    lines = [
        "# Evaluation on the DEV suites",
        "",
        "Written by `bench/run_eval.py`; do not edit by hand. Reproduce with:",
        "",
        "```",
        COMMAND + (f"  (this run: {' '.join(sys.argv[1:])})" if sys.argv[1:] else ""),
        "```",
        "",
        f"* date: {dt.date.today().isoformat()}",
        f"* spaCy model: `{model}`",
        f"* limit: {args.limit if args.limit is not None else 'none (full DEV halves)'}",
        "",
        "| suite | metric | dyadwatch | reference |",
        "|---|---|---|---|",
    ]
    lines += [f"| {r.suite} | {r.metric} | {r.value} | {r.reference} |"
              for res in results for r in res.rows]  # fmt: skip
    lines += ["", "## Counts and timing", ""]
    for res in results:
        notes = "".join(f"; {n}" for n in res.notes)
        lines.append(f"* **{res.name}**: {res.count}, {res.seconds:.1f} s, "
                     f"{res.errors} coder failures (scored as no events){notes}")  # fmt: skip
    lines += [
        "",
        "References: PETRARCH2 figures are from the suite README (a 109-record subset of the",
        "132 DEV records with Penn-Treebank parses; we score all 132). Targets are the project's.",
        "CASE 2021 figures are the shared task's best systems on its full test set, for context.",
        "",
        METHOD,
    ]
    return "\n".join(lines)


def model_name() -> str:
    name = Settings.from_env().spacy_model
    try:
        import spacy

        version = spacy.util.get_package_version(name)
    except (ImportError, ValueError):
        version = None
    return f"{name} {version}" if version else name


def shared_dir() -> Path:
    env = os.environ.get("DYADWATCH_SHARED")
    return Path(env) if env else REPO.parent / "shared"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--suite", action="append", choices=sorted(SUITES),
                        help="suite to run (repeatable; default: all)")  # fmt: skip
    parser.add_argument("--limit", type=int, default=None, help="score only the first N items")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="Markdown report path")
    return parser.parse_args(argv)


def lazy(factory: Callable[[], BatchCoder]) -> Callable[[], BatchCoder]:
    """Build the coder on first use only (loading spaCy takes seconds)."""
    held: list[BatchCoder] = []

    def get() -> BatchCoder:
        if not held:
            held.append(factory())
        return held[0]

    return get


def builtin_coder() -> BatchCoder:
    from dyadwatch.coder.engine import Coder

    return Coder.builtin()


def lexicon_coder() -> BatchCoder:
    from dyadwatch.coder.engine import Coder

    return Coder.builtin(learned=False)


def run(names: Sequence[str], ctx: Context) -> Iterator[SuiteResult]:
    for suite in names:
        print(f"running {suite} ...", file=sys.stderr, flush=True)
        start = time.perf_counter()
        result = SUITES[suite](ctx)
        result.seconds = time.perf_counter() - start
        for row in result.rows:
            print(f"  {row.metric}: {row.value}", file=sys.stderr)
        yield result


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    eval_dir = shared_dir() / "eval"
    if not eval_dir.is_dir():
        print(f"error: evaluation suites not found at {eval_dir}; set DYADWATCH_SHARED to the "
              "folder that holds eval/", file=sys.stderr)  # fmt: skip
        return 2
    ctx = Context(eval_dir, args.limit, lazy(builtin_coder))
    results = list(run(args.suite or list(SUITES), ctx))
    report = render(results, args, model_name())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report + "\n", encoding="utf-8")
    print(report)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

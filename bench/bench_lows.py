"""Calibrate lows, highs and shifts on simulated dyads whose truth is known.

Dyads are simulated month by month for a decade (120 months), with volumes and
cooperative shares drawn from the real ICEWS sample in ../shared/data/icews
(country-level dyads; two days of events, scaled to a month). Each month's
volume is Poisson around the dyad's rate times a Gamma(4, 1/4) factor (news
attention comes in bursts), and its cooperative share varies around the
dyad's level by a logit-normal step (σ = 0.25): real dyads vary more than
binomial noise alone. Three conditions:

* **no change:** the share of dyad-decades in which any low or high (or any
  shift) is declared: the false-alarm rate, to be at most 5%;
* **a planted drop:** net cooperation falls by 0.4 (the share by 0.2) for two
  months in the middle of the decade; power is the share of dyads with a low
  declared in those months or the next, by monthly volume;
* **a planted level shift:** net cooperation falls by 0.4 for good in the middle
  of the decade; power is the share of dyads with a shift within two months.

The detectors are the product's own (``uncertainty.departures`` and the shift
search of ``analytics.shifts``) with their defaults, run on the same series
frames the store would give. Writes the "Calibration" section of
docs/ANALYTICS.md and docs/lows_calibration.png.

    .venv/bin/python bench/bench_lows.py [--dyads 600] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from _sections import replace_section
from dyadwatch.analytics.shifts import MIN_EVENTS, PENALTY_FACTOR, _changepoints, default_penalty
from dyadwatch.analytics.uncertainty import DEFAULT_Z, MIN_HISTORY, departures

ROOT = Path(__file__).resolve().parents[1]
ICEWS = ROOT.parent / "shared/data/icews/events.2018.sample.tab"
MONTHS = 120
MIDDLE = 60
DROP = 0.2
"""On the share scale: a drop of 0.4 in net cooperation (2·share − 1)."""
SAMPLE_DAYS = 2
BANDS = ((1, 10), (10, 20), (20, 50), (50, 100), (100, 300), (300, 100_000))
Z_GRID = (2.8, 3.0, 3.2, 3.4, 3.6, 3.8, 4.0, 4.4)
C_GRID = (1.0, 2.0, 3.0, 4.0, 6.0, 8.0)


@dataclass(frozen=True)
class Dyad:
    rate: float
    """Expected scored events a month."""
    share: float
    """Cooperative share of its events."""


def real_dyads() -> list[Dyad]:
    """Monthly rates and cooperative shares of the ICEWS sample's country dyads."""
    counts: Counter[tuple[str, str]] = Counter()
    coop: Counter[tuple[str, str]] = Counter()
    with ICEWS.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows, delimiter="\t"):
            a, b, code = row["Source Country"], row["Target Country"], row["CAMEO Code"]
            if "NA" in (a, b) or a == b or not code[:2].isdigit():
                continue
            key = (min(a, b), max(a, b))
            counts[key] += 1
            coop[key] += int(code[:2]) <= 9  # roots 01-09: QuadClass 1 and 2
    scale = 30 / SAMPLE_DAYS
    return [
        Dyad(n * scale, min(0.9, max(0.1, (coop[k] + 0.5) / (n + 1)))) for k, n in counts.items()
    ]


def simulate(dyad: Dyad, rng: np.random.Generator, shift: tuple[int, int] | None) -> pd.DataFrame:
    """A decade of monthly counts; ``shift`` = (first, last) month whose share drops."""
    volume = rng.poisson(dyad.rate * rng.gamma(4.0, 0.25, MONTHS))
    logit = math.log(dyad.share / (1 - dyad.share))
    shares = 1 / (1 + np.exp(-(logit + rng.normal(0, 0.25, MONTHS))))
    if shift is not None:
        first, last = shift
        shares[first : last + 1] = np.clip(shares[first : last + 1] - DROP, 0.01, 0.99)
    coop = rng.binomial(volume, shares)
    return pd.DataFrame(
        {
            "verbal_coop": coop,
            "material_coop": 0,
            "verbal_conflict": volume - coop,
            "material_conflict": 0,
            "goldstein_n": volume,
            "goldstein_sum": 0.0,
            "goldstein_sq": 0.0,
        }
    )


def peak_z(frame: pd.DataFrame, months: range | None = None, side: int = 0) -> float:
    """The largest |z| (or most negative z with side=-1) the low/high test reaches."""
    found = departures(frame, "net_coop", z=1e-9, min_events=MIN_EVENTS, min_history=MIN_HISTORY)
    if months is not None:
        found = [d for d in found if d.end in months]
    if side < 0:
        found = [d for d in found if d.z < 0]
    return max((abs(d.z) for d in found), default=0.0)


def shift_found(frame: pd.DataFrame, factor: float, near: range | None) -> bool:
    share = frame["verbal_coop"] / frame["goldstein_n"].where(lambda n: n > 0)
    keep = frame["goldstein_n"] >= MIN_EVENTS
    values = (2 * share[keep] - 1).to_numpy(dtype=float)
    months = np.flatnonzero(keep.to_numpy())
    if len(values) < 4:
        return False
    penalty = default_penalty(values) / PENALTY_FACTOR * factor
    breaks = [int(months[b]) for b in _changepoints(values, 2, penalty)]
    return any(b in near for b in breaks) if near is not None else bool(breaks)


def run(dyads: int, seed: int) -> dict[str, object]:
    rng = np.random.default_rng(seed)
    pool = real_dyads()
    draws = [pool[i] for i in rng.integers(0, len(pool), dyads)]
    window = range(MIDDLE, MIDDLE + 3)
    null_z, drop_z, null_shift, planted_shift = [], [], [], []
    for dyad in draws:
        quiet = simulate(dyad, rng, None)
        null_z.append(peak_z(quiet))
        null_shift.append([shift_found(quiet, c, None) for c in C_GRID])
        drop_z.append(peak_z(simulate(dyad, rng, (MIDDLE, MIDDLE + 1)), window, side=-1))
        moved = simulate(dyad, rng, (MIDDLE, MONTHS - 1))
        planted_shift.append([shift_found(moved, c, range(MIDDLE - 2, MIDDLE + 3)) for c in C_GRID])
    return {
        "pool": pool,
        "rates": np.array([d.rate for d in draws]),
        "null_z": np.array(null_z),
        "drop_z": np.array(drop_z),
        "null_shift": np.array(null_shift),
        "planted_shift": np.array(planted_shift),
    }


def section(r: dict[str, object], dyads: int, seed: int) -> str:
    rates, null_z, drop_z = r["rates"], r["null_z"], r["drop_z"]
    null_shift, planted = r["null_shift"], r["planted_shift"]
    assert isinstance(rates, np.ndarray) and isinstance(null_z, np.ndarray)
    assert isinstance(drop_z, np.ndarray) and isinstance(null_shift, np.ndarray)
    assert isinstance(planted, np.ndarray) and isinstance(r["pool"], list)
    busy = rates >= 20
    z_rows = "\n".join(
        f"| {z:.1f}{' (default)' if z == DEFAULT_Z else ''} | {np.mean(null_z >= z):.3f} | "
        f"{np.mean(drop_z[busy] >= z):.2f} |"
        for z in Z_GRID
    )
    band_rows = "\n".join(
        f"| {lo}–{hi if hi < 100_000 else '…'} | {int(np.sum(m := (rates >= lo) & (rates < hi)))}"
        " | "
        f"{np.mean(null_z[m] >= DEFAULT_Z) if m.any() else float('nan'):.3f} | "
        f"{np.mean(drop_z[m] >= DEFAULT_Z) if m.any() else float('nan'):.2f} | "
        f"{np.mean(planted[m, C_GRID.index(PENALTY_FACTOR)]) if m.any() else float('nan'):.2f} |"
        for lo, hi in BANDS
    )
    c_rows = "\n".join(
        f"| {c:g}{' (default)' if c == PENALTY_FACTOR else ''} | {np.mean(null_shift[:, i]):.3f} | "
        f"{np.mean(planted[busy, i]):.2f} |"
        for i, c in enumerate(C_GRID)
    )
    return f"""## Calibration

Written by `.venv/bin/python bench/bench_lows.py --dyads {dyads} --seed {seed}` (needs
../shared): {dyads} simulated dyad-decades (120 months each) per condition, with
monthly volumes and cooperative shares drawn from the {len(r["pool"])} country dyads of
the ICEWS sample (two days of real events, scaled to a month; the GDELT samples are
100-row excerpts with no time span, too few to give rates). Monthly volume is Poisson
around the dyad's rate times a Gamma(4, 1/4) burst factor; the monthly share varies
around the dyad's level by a logit-normal step (σ = 0.25). A low needs
{MIN_EVENTS} events in its window and {MIN_HISTORY} scored months of history.
Drawn dyads with 20 or more events a month: {int(busy.sum())} of {dyads}.

**Lows and highs: the threshold z\\*.** False alarms: dyad-decades without change in
which any low or high is declared. Power: a planted two-month drop of 0.4 in net
cooperation found as a low in those months or the next, among dyads with 20+ events a
month.

| z* | false alarms per dyad-decade | power, 20+ events a month |
|---|---|---|
{z_rows}

**By volume, at the defaults** (z\\* = {DEFAULT_Z}, shift penalty factor c = {PENALTY_FACTOR:g}):

| events a month | dyads | false alarms (lows/highs) | power: 2-month drop of 0.4 \
| power: level shift of 0.4 |
|---|---|---|---|---|
{band_rows}

**Shifts: the penalty factor c** of `c·σ²·ln n`. False alarms: any shift declared in a
dyad-decade without change; power: a permanent drop of 0.4 in the middle of the decade
found within two months of it, among dyads with 20+ events a month.

| c | false alarms per dyad-decade | power, 20+ events a month |
|---|---|---|
{c_rows}

![Calibration](lows_calibration.png)
"""


def plot(r: dict[str, object], out: Path) -> None:
    from matplotlib.figure import Figure

    rates, null_z, drop_z = r["rates"], r["null_z"], r["drop_z"]
    assert isinstance(rates, np.ndarray) and isinstance(null_z, np.ndarray)
    assert isinstance(drop_z, np.ndarray)
    figure = Figure(figsize=(10, 4), layout="constrained")
    left, right = figure.subplots(1, 2)
    busy = rates >= 20
    left.plot(Z_GRID, [np.mean(null_z >= z) for z in Z_GRID], "o-", label="false alarms")
    left.plot(Z_GRID, [np.mean(drop_z[busy] >= z) for z in Z_GRID], "s-", label="power (20+/month)")
    left.axhline(0.05, color="grey", linestyle=":", linewidth=1)
    left.axvline(DEFAULT_Z, color="grey", linestyle="--", linewidth=1)
    left.set_xlabel("threshold z*")
    left.set_ylabel("share of dyad-decades")
    left.legend()
    centres, power = [], []
    for lo, hi in BANDS:
        m = (rates >= lo) & (rates < hi)
        if m.any():
            centres.append(math.sqrt(lo * min(hi, 1000)))
            power.append(float(np.mean(drop_z[m] >= DEFAULT_Z)))
    right.semilogx(centres, power, "s-")
    right.axhline(0.8, color="grey", linestyle=":", linewidth=1)
    right.set_xlabel("events a month")
    right.set_ylabel(f"power at z* = {DEFAULT_Z}")
    right.set_ylim(0, 1)
    figure.savefig(out, dpi=110)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dyads", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=ROOT / "docs/ANALYTICS.md")
    args = parser.parse_args()
    if not ICEWS.is_file():
        print(f"no {ICEWS}: this benchmark needs ../shared")
        return 2
    results = run(args.dyads, args.seed)
    text = section(results, args.dyads, args.seed)
    print(text)
    replace_section(args.out, "Calibration", text)
    plot(results, args.out.parent / "lows_calibration.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

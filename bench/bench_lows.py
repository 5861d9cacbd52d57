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
import itertools
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from _sections import replace_section
from dyadwatch.analytics.shifts import MIN_EVENTS, PENALTY_FACTOR, _changepoints, default_penalty
from dyadwatch.analytics.uncertainty import (
    DEFAULT_Z,
    MIN_HISTORY,
    NET_COOP_CALIBRATION,
    UNCALIBRATED,
    Calibration,
    departures,
)

ROOT = Path(__file__).resolve().parents[1]
ICEWS = ROOT.parent / "shared/data/icews/events.2018.sample.tab"
MONTHS = 120
MIDDLE = 60
DROP = 0.2
"""On the share scale: a drop of 0.4 in net cooperation (2·share − 1)."""
SAMPLE_DAYS = 2
BANDS = ((1, 10), (10, 20), (20, 50), (50, 100), (100, 300), (300, 100_000))
Z_GRID = (3.2, 3.4, 3.6, 3.8, 4.0, 4.2, 4.4, 4.8)
SPREAD = 0.25
"""σ of the month-to-month logit-normal variation of a dyad's cooperative share."""
ALPHA = 0.05
"""The false-alarm rate per dyad-decade the calibration holds."""
CAL_RATES = (10, 20, 40, 80, 160, 400)
CAL_QUANTILE = 0.96
"""The calibration aims a fifth under the 5% it promises: a simulated quantile is
itself noisy (a few hundredths of a deviate over a thousand dyads, which moves a
false-alarm rate by about a percentage point)."""
RATES = (20, 30, 50, 100)
DROPS = (0.4, 0.6, 0.8)
"""Drops in net cooperation (twice the drop in the cooperative share)."""
BOUND_SIMS = 500
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


def simulate(
    dyad: Dyad, rng: np.random.Generator, shift: tuple[int, int] | None, drop: float = DROP
) -> pd.DataFrame:
    """A decade of monthly counts; ``shift`` = (first, last) month whose share drops
    by ``drop``."""
    volume = rng.poisson(dyad.rate * rng.gamma(4.0, 0.25, MONTHS))
    logit = math.log(dyad.share / (1 - dyad.share))
    shares = 1 / (1 + np.exp(-(logit + rng.normal(0, SPREAD, MONTHS))))
    if shift is not None:
        first, last = shift
        shares[first : last + 1] = np.clip(shares[first : last + 1] - drop, 0.01, 0.99)
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


def peaks(
    frame: pd.DataFrame, months: range | None = None, calibration: Calibration | None = None
) -> tuple[float, float]:
    """The deepest low and the highest high the test reaches (as positive deviates),
    in windows ending in ``months`` (all when None)."""
    found = departures(
        frame, "net_coop", z=1e-9, min_events=MIN_EVENTS, min_history=MIN_HISTORY,
        calibration=calibration or NET_COOP_CALIBRATION,
    )  # fmt: skip
    if months is not None:
        found = [d for d in found if d.end in months]
    low = max((-d.z for d in found if d.z < 0), default=0.0)
    high = max((d.z for d in found if d.z > 0), default=0.0)
    return low, high


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
    """The pooled runs: dyads drawn from the ICEWS sample, each in three conditions."""
    rng = np.random.default_rng(seed)
    pool = real_dyads()
    draws = [pool[i] for i in rng.integers(0, len(pool), dyads)]
    window = range(MIDDLE, MIDDLE + 3)
    null_z, drop_z, null_shift, planted_shift = [], [], [], []
    for dyad in draws:
        quiet = simulate(dyad, rng, None)
        null_z.append(peaks(quiet))
        null_shift.append([shift_found(quiet, c, None) for c in C_GRID])
        drop_z.append(peaks(simulate(dyad, rng, (MIDDLE, MIDDLE + 1)), window)[0])
        moved = simulate(dyad, rng, (MIDDLE, MONTHS - 1))
        planted_shift.append([shift_found(moved, c, range(MIDDLE - 2, MIDDLE + 3)) for c in C_GRID])
    return {
        "pool": pool,
        "bound": pooled_bound(draws, rng),
        "rates": np.array([d.rate for d in draws]),
        "null_z": np.array(null_z),
        "drop_z": np.array(drop_z),
        "null_shift": np.array(null_shift),
        "planted_shift": np.array(planted_shift),
    }


def calibrate(per_rate: int, seed: int) -> Calibration:
    """Simulate the product's volume calibration: at each of CAL_RATES, the raw low
    deviate that 4% of dyad-decades without change reach (CAL_QUANTILE)."""
    rng = np.random.default_rng(seed)
    pool = real_dyads()
    points = []
    for rate in CAL_RATES:
        lows = [
            peaks(simulate(Dyad(rate, pool[i].share), rng, None), calibration=UNCALIBRATED)[0]
            for i in rng.integers(0, len(pool), per_rate)
        ]
        points.append(float(np.quantile(lows, CAL_QUANTILE)))
        print(f"  {rate:4d} events a month: 96% of null low peaks {points[-1]:.2f}", flush=True)
    # A busier dyad never gets a laxer threshold than a thinner one: what looks like a
    # dip between two volumes is the noise of the simulated quantile.
    steady = np.maximum.accumulate(points)
    return Calibration(
        tuple((float(r), round(float(z), 2)) for r, z in zip(CAL_RATES, steady, strict=True))
    )


def by_volume(per_rate: int, seed: int) -> dict[int, dict[str, float]]:
    """At fixed volumes: false lows, false lows or highs, and the power against each
    drop, of the product's defaults and of the Neyman–Pearson bound."""
    rng = np.random.default_rng(seed)
    pool = real_dyads()
    grid, weights = share_grid(pool)
    window = range(MIDDLE, MIDDLE + 3)
    found: dict[int, dict[str, float]] = {}
    for rate in RATES:
        shares = [pool[i].share for i in rng.integers(0, len(pool), per_rate)]
        quiet = np.array([peaks(simulate(Dyad(rate, p), rng, None)) for p in shares])
        row = {"low": float(np.mean(quiet[:, 0] >= DEFAULT_Z)),
               "any": float(np.mean(quiet.max(axis=1) >= DEFAULT_Z))}  # fmt: skip
        for drop in DROPS:
            hits = [
                peaks(simulate(Dyad(rate, p), rng, (MIDDLE, MIDDLE + 1), drop / 2), window)[0]
                for p in shares
            ]
            row[f"ours {drop}"] = float(np.mean(np.array(hits) >= DEFAULT_Z))
            row[f"bound {drop}"] = float(
                sum(
                    w * np_power(rate, g, drop / 2, rng) for g, w in zip(grid, weights, strict=True)
                )
            )
        found[rate] = row
        print(f"  {rate} events a month: {row}", flush=True)
    return found


POOLED_BINS = (20, 30, 50, 100, 200, 500, 100_000)
"""Volume bins (events a month) of the pooled bound: each at its dyads' median volume."""


def pooled_bound(draws: list[Dyad], rng: np.random.Generator) -> float:
    """The Neyman–Pearson bound against the two-month drop of 0.4, averaged over the
    same dyads with 20+ events a month as the pooled power: each volume bin at its
    median volume, its shares on the grid of :func:`share_grid` weighted as its
    dyads' shares are, so the bound and our pooled power answer the same mix."""
    busy = [d for d in draws if d.rate >= 20]
    total = 0.0
    for lo, hi in itertools.pairwise(POOLED_BINS):
        members = [d for d in busy if lo <= d.rate < hi]
        if not members:
            continue
        rate = float(np.median([d.rate for d in members]))
        grid, weights = share_grid(members)
        power = sum(
            w * np_power(rate, g, DROP, rng) for g, w in zip(grid, weights, strict=True) if w > 0
        )
        total += len(members) * power
        print(f"  bound, {lo}–{hi} events a month ({len(members)} dyads): {power:.2f}", flush=True)
    return total / max(len(busy), 1)


def share_grid(pool: list[Dyad]) -> tuple[np.ndarray, np.ndarray]:
    """The ICEWS dyads' cooperative shares as a few grid values with their frequencies."""
    grid = np.array([0.1, 0.3, 0.5, 0.7, 0.9])
    nearest = np.abs(np.array([d.share for d in pool])[:, None] - grid).argmin(axis=1)
    counts = np.bincount(nearest, minlength=len(grid)).astype(float)
    return grid, counts / counts.sum()


# The Neyman–Pearson bound. With the simulation's own parameters known (the share
# level, the logit-normal spread, the drop's size and length), the most powerful
# test of "no change" against "a drop at a month drawn uniformly from those the
# product can test" rejects when the likelihood ratio averaged over those months
# is large; its threshold is the 95% point of that average under no change. No
# test holding false alarms to 5% of dyad-decades detects the drop more often.
_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(16)
_LOG_WEIGHTS = np.log(_WEIGHTS / _WEIGHTS.sum())


def _month_loglik(c: np.ndarray, n: np.ndarray, share: float, drop: float) -> np.ndarray:
    """log P(c cooperative of n) in each month, the share logit-normal (σ = 0.25) and
    lowered by ``drop``: the month's marginal likelihood by Gauss–Hermite quadrature."""
    from scipy.special import expit, logit, logsumexp
    from scipy.stats import binom

    p = expit(logit(share) + SPREAD * _NODES)
    p = np.clip(p - drop, 0.01, 0.99) if drop else p
    found: np.ndarray = logsumexp(binom.logpmf(c[..., None], n[..., None], p) + _LOG_WEIGHTS, -1)
    return found


def _np_statistic(
    c: np.ndarray, n: np.ndarray, share: float, drop: float, null: np.ndarray
) -> np.ndarray:
    from scipy.special import logsumexp

    ratio = _month_loglik(c, n, share, drop) - null
    pairs = ratio[:, MIN_HISTORY:-1] + ratio[:, MIN_HISTORY + 1 :]
    found: np.ndarray = logsumexp(pairs, axis=1) - math.log(pairs.shape[1])
    return found


def _np_draw(
    rate: float, share: float, drop: float, sims: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """``sims`` decades of the simulation above, as arrays (cooperative, volume)."""
    n = rng.poisson(rate * rng.gamma(4.0, 0.25, (sims, MONTHS)))
    p = 1 / (1 + np.exp(-(math.log(share / (1 - share)) + rng.normal(0, SPREAD, (sims, MONTHS)))))
    p[:, MIDDLE : MIDDLE + 2] = np.clip(p[:, MIDDLE : MIDDLE + 2] - drop, 0.01, 0.99)
    return rng.binomial(n, p), n


def np_power(rate: float, share: float, drop: float, rng: np.random.Generator) -> float:
    """The Neyman–Pearson test's power against a two-month drop of ``drop`` (share)."""
    c, n = _np_draw(rate, share, 0.0, BOUND_SIMS, rng)
    cut = np.quantile(_np_statistic(c, n, share, drop, _month_loglik(c, n, share, 0.0)), 1 - ALPHA)
    c, n = _np_draw(rate, share, drop, BOUND_SIMS // 2, rng)
    found = _np_statistic(c, n, share, drop, _month_loglik(c, n, share, 0.0))
    return float(np.mean(found > cut))


def section(
    r: dict[str, object], volumes: dict[int, dict[str, float]], dyads: int, seed: int,
    per_rate: int,
) -> str:  # fmt: skip
    rates, null_z, drop_z = r["rates"], r["null_z"], r["drop_z"]
    null_shift, planted = r["null_shift"], r["planted_shift"]
    assert isinstance(rates, np.ndarray) and isinstance(null_z, np.ndarray)
    assert isinstance(drop_z, np.ndarray) and isinstance(null_shift, np.ndarray)
    assert isinstance(planted, np.ndarray) and isinstance(r["pool"], list)
    busy = rates >= 20
    bound = r["bound"]
    assert isinstance(bound, float)
    low, either = null_z[:, 0], null_z.max(axis=1)
    z_rows = "\n".join(
        f"| {z:.1f}{' (default)' if z == DEFAULT_Z else ''} | {np.mean(low >= z):.3f} | "
        f"{np.mean(either >= z):.3f} | {np.mean(drop_z[busy] >= z):.2f} |"
        for z in Z_GRID
    )
    band_rows = "\n".join(
        f"| {lo}–{hi if hi < 100_000 else '…'} | {int(np.sum(m := (rates >= lo) & (rates < hi)))}"
        " | "
        f"{np.mean(low[m] >= DEFAULT_Z) if m.any() else float('nan'):.3f} | "
        f"{np.mean(either[m] >= DEFAULT_Z) if m.any() else float('nan'):.3f} | "
        f"{np.mean(drop_z[m] >= DEFAULT_Z) if m.any() else float('nan'):.2f} | "
        f"{np.mean(planted[m, C_GRID.index(PENALTY_FACTOR)]) if m.any() else float('nan'):.2f} |"
        for lo, hi in BANDS
    )
    c_rows = "\n".join(
        f"| {c:g}{' (default)' if c == PENALTY_FACTOR else ''} | {np.mean(null_shift[:, i]):.3f} | "
        f"{np.mean(planted[busy, i]):.2f} |"
        for i, c in enumerate(C_GRID)
    )
    volume_rows = "\n".join(
        f"| {rate} | {v['low']:.3f} | {v['any']:.3f} | "
        + " | ".join(f"{v[f'ours {d}']:.2f} ({v[f'bound {d}']:.2f})" for d in DROPS)
        + " |"
        for rate, v in volumes.items()
    )
    points = ", ".join(f"{v:g}: {z:.2f}" for v, z in NET_COOP_CALIBRATION.points)
    return f"""## Calibration

Written by `.venv/bin/python bench/bench_lows.py --dyads {dyads} --per-volume {per_rate} \
--seed {seed}`
(needs ../shared): simulated dyad-decades (120 months each) with cooperative shares
(and, in the pooled runs, monthly volumes) drawn from the {len(r["pool"])} country dyads
of the ICEWS sample (two days of real events, scaled to a month; the GDELT samples are
100-row excerpts with no time span, too few to give rates). Monthly volume is Poisson
around the dyad's rate times a Gamma(4, 1/4) burst factor; the monthly share varies
around the dyad's level by a logit-normal step (σ = {SPREAD}). A low needs
{MIN_EVENTS} events in its window and {MIN_HISTORY} scored months of history.

**The volume calibration.** `bench_lows.py --calibrate N` simulates N dyad-decades
without change at each of {", ".join(str(x) for x in CAL_RATES)} events a month and
finds the raw deviate that {1 - CAL_QUANTILE:.0%} of them reach on the low side (never lower for a
busier dyad): a fifth under the 5% promised, because the simulated quantile is itself
noisy. The product holds them as `uncertainty.NET_COOP_CALIBRATION`
({points}; events a month: raw deviate), interpolates on the log of the history's events
per period, and reports every deviate rescaled so that the one threshold
z\\* = {DEFAULT_Z} stands for that point at every volume.

**Power against volume and drop size**, {per_rate} dyads per volume (shares from the
ICEWS dyads), at the defaults. False lows: dyad-decades without change in which a low
is declared; false lows or highs: either. Power: a planted two-month drop in net
cooperation found as a low in those months or the next. In brackets, **the
Neyman–Pearson bound**: the power of the most powerful test at a 5% false-alarm rate
per dyad-decade, which knows everything the product must estimate (the dyad's level,
its month-to-month spread, the drop's size and length) and averages the likelihood
ratio over the months where a drop could start; it is computed on the same model
with the shares on a grid of five values weighted as the ICEWS shares are. No
detector can beat it.

| events a month | false lows | false lows or highs | drop 0.4 | drop 0.6 | drop 0.8 |
|---|---|---|---|---|---|
{volume_rows}

**Pooled: {dyads} dyads with the ICEWS volumes** (dyads with 20 or more events a month:
{int(busy.sum())} of {dyads}). The threshold z\\*:

| z* | false lows per dyad-decade | false lows or highs | power, 20+ events a month |
|---|---|---|---|
{z_rows}

**Is 0.8 reachable?** The Neyman–Pearson bound against the two-month drop of 0.4,
averaged over the same 20+ dyads' volumes and shares (volume bins \
{", ".join(str(x) for x in POOLED_BINS[:-1])}+ at their median volume, shares on the grid
above): **{bound:.2f}**, at 5% false alarms per dyad-decade in every dyad. Our pooled
power at the default is {np.mean(drop_z[busy] >= DEFAULT_Z):.2f}. {_reach(bound)}

By volume band, at the defaults (z\\* = {DEFAULT_Z}, shift penalty factor
c = {PENALTY_FACTOR:g}):

| events a month | dyads | false lows | false lows or highs | power: 2-month drop of 0.4 \
| power: level shift of 0.4 |
|---|---|---|---|---|---|
{band_rows}

**Shifts: the penalty factor c** of `c·σ²·ln n`. False alarms: any shift declared in a
dyad-decade without change; power: a permanent drop of 0.4 in the middle of the decade
found within two months of it, among dyads with 20+ events a month.

| c | false alarms per dyad-decade | power, 20+ events a month |
|---|---|---|
{c_rows}

![Calibration](lows_calibration.png)
"""


def _reach(bound: float) -> str:
    if bound < 0.8:
        return (
            "So no test holding that false-alarm rate reaches 0.8 on this mix: the target "
            "is out of reach of any detector, not only of ours."
        )
    return "So the best test at that false-alarm rate reaches 0.8 on this mix."


def plot(r: dict[str, object], volumes: dict[int, dict[str, float]], out: Path) -> None:
    from matplotlib.figure import Figure

    rates, null_z, drop_z = r["rates"], r["null_z"], r["drop_z"]
    assert isinstance(rates, np.ndarray) and isinstance(null_z, np.ndarray)
    assert isinstance(drop_z, np.ndarray)
    figure = Figure(figsize=(10, 4), layout="constrained")
    left, right = figure.subplots(1, 2)
    busy = rates >= 20
    left.plot(Z_GRID, [np.mean(null_z[:, 0] >= z) for z in Z_GRID], "o-", label="false lows")
    left.plot(Z_GRID, [np.mean(null_z.max(axis=1) >= z) for z in Z_GRID], "o:",
              label="false lows or highs")  # fmt: skip
    left.plot(Z_GRID, [np.mean(drop_z[busy] >= z) for z in Z_GRID], "s-", label="power (20+/month)")
    left.axhline(0.05, color="grey", linestyle=":", linewidth=1)
    left.axvline(DEFAULT_Z, color="grey", linestyle="--", linewidth=1)
    left.set_xlabel("threshold z* (pooled ICEWS volumes)")
    left.set_ylabel("share of dyad-decades")
    left.legend()
    xs = list(volumes)
    for drop, colour in zip(DROPS, ("C0", "C1", "C2"), strict=True):
        right.semilogx(xs, [volumes[x][f"ours {drop}"] for x in xs], "s-", color=colour,
                       label=f"drop {drop}: ours")  # fmt: skip
        right.semilogx(xs, [volumes[x][f"bound {drop}"] for x in xs], "--", color=colour,
                       label=f"drop {drop}: Neyman–Pearson bound")  # fmt: skip
    right.axhline(0.8, color="grey", linestyle=":", linewidth=1)
    right.set_xticks(xs, [str(x) for x in xs])
    right.set_xticks([], minor=True)  # only the simulated volumes are labelled
    right.set_xlabel("events a month")
    right.set_ylabel(f"power at z* = {DEFAULT_Z}")
    right.set_ylim(0, 1)
    right.legend(fontsize="small")
    figure.savefig(out, dpi=110)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dyads", type=int, default=600)
    parser.add_argument("--per-volume", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--calibrate", type=int, metavar="DYADS", default=0,
        help="fit the volume calibration on DYADS dyads per volume and stop",
    )  # fmt: skip
    parser.add_argument("--out", type=Path, default=ROOT / "docs/ANALYTICS.md")
    args = parser.parse_args()
    if not ICEWS.is_file():
        print(f"no {ICEWS}: this benchmark needs ../shared")
        return 2
    if args.calibrate:
        print(calibrate(args.calibrate, args.seed))
        return 0
    results = run(args.dyads, args.seed)
    volumes = by_volume(args.per_volume, args.seed + 1)
    text = section(results, volumes, args.dyads, args.seed, args.per_volume)
    print(text)
    replace_section(args.out, "Calibration", text)
    plot(results, volumes, args.out.parent / "lows_calibration.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Every filter of ``dyadwatch analytics …`` changes what is printed.

Each case runs a command without and then with one filter, over a store whose
events the filter splits. The marker must show without the filter (so the case
tests something) and be gone with it; a filter the command ignored fails here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from _analytics_support import CONFLICT, COOP, event, month
from typer.testing import CliRunner

from dyadwatch.cli import app
from dyadwatch.model import Actor
from dyadwatch.store import Store

STRIKE = ("195", -10.0, 4)
ACCUSE = ("112", -2.0, 3)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """USA–PAK: cooperation in 2016, conflict in 2017 (gdelt2); PAK→USA cooperation in 2018
    (icews); an American NGO (code NGO, country USA) meeting Pakistan in 2015; air
    strikes in Pakistan and Afghanistan in 2019; GBR→IRN, twelve meetings a month from 2020
    and twelve accusations in March 2021 (a low against its history)."""
    path = tmp_path_factory.mktemp("filters") / "s.duckdb"
    events = [event("USA", "PAK", month(2016, i), COOP) for i in range(12)]
    events += [event("USA", "PAK", month(2016, 12 + i), CONFLICT) for i in range(12)]
    events += [event("PAK", "USA", month(2018, i), COOP, provenance="icews") for i in range(4)]
    ngo = event("NGO", "PAK", dt.date(2015, 5, 1), COOP)
    events.append(dataclasses.replace(ngo, source=Actor("aid group", "NGO", "USA", None)))
    events += [
        event("USAMIL", "PAK", dt.date(2019, 5, 1), STRIKE, killed=(2, 3)),
        event("USAMIL", "AFG", dt.date(2019, 6, 1), STRIKE, killed=(1, 1)),
    ]
    days = [month(2020, m, 1 + 2 * d) for m in range(15) for d in range(12)]
    events += [event("GBR", "IRN", day, ACCUSE if day.month == 3 and day.year == 2021 else COOP)
               for day in days]  # fmt: skip
    with Store.open(path) as store:
        store.add_stored_events(events)
    return path


def _run(store: Path, args: list[str]) -> str:
    result = CliRunner().invoke(
        app, ["analytics", *args, "--store", str(store)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    return result.stdout


SERIES = ["series", "USA", "PAK", "--freq", "Y"]
LOWS, SHIFTS, NONE = (
    ["lows", "GBR", "IRN"],
    ["shifts", "USA", "PAK", "--min-events", "1"],
    "no findings",
)
WINDOWS = ["--first", "2016-01-01", "2016-12-31", "--second", "2017-01-01", "2017-12-31"]
CASES = {
    # name: (command, filter, printed without the filter only, printed with it)
    "series --since": (SERIES, ["--since", "2017-06-01"], "2016-01-01", "2017-01-01"),
    "series --until": (SERIES, ["--until", "2017-12-31"], "2019-01-01", "2017-01-01"),
    "series --provenance": (SERIES, ["--provenance", "icews"], "2016-01-01", "2018-01-01"),
    "series --direction": (SERIES, ["--direction", "b_to_a"], "2016-01-01", "2018-01-01"),
    "series --level": (SERIES, ["--level", "code"], "2015-01-01", "2016-01-01"),
    "lows --provenance": (LOWS, ["--provenance", "icews"], "a low against", NONE),
    "lows --min-events": (LOWS, ["--min-events", "30"], "a low against", NONE),
    "lows --direction": (LOWS, ["--direction", "b_to_a"], "in 2021-03", ""),
    "shifts --provenance": (SHIFTS, ["--provenance", "icews"], "fell", NONE),
    "shifts --min-events": (SHIFTS, ["--min-events", "2"], "fell", NONE),
    "alliances --provenance": (
        ["alliances", "--start", "2016-01-01", "--end", "2016-12-31", "--min-events", "1"],
        ["--provenance", "icews"], "PAK USA", "",
    ),
    "alliances --min-events": (
        ["alliances", "--start", "2016-01-01", "--end", "2016-12-31"],
        ["--min-events", "13"], "PAK USA", "",
    ),
    "alliances --level": (
        ["alliances", "--start", "2015-01-01", "--end", "2015-12-31", "--min-events", "1"],
        ["--level", "code"], "PAK USA", "NGO",
    ),
    "realign --provenance": (
        ["realign", *WINDOWS, "--min-events", "1"], ["--provenance", "icews"], "cooled", "",
    ),
    "realign --min-events": (["realign", *WINDOWS], ["--min-events", "13"], "cooled", ""),
    "ledger --country": (["ledger"], ["--country", "PAK"], "AFG", "PAK"),
    "ledger --cameo": (["ledger"], ["--cameo", "190"], "2019", "2017"),
}  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_analytics_cli_filters_each_filter_changes_the_output(store_path: Path, case: str) -> None:
    command, option, without_only, with_it = CASES[case]
    unfiltered = _run(store_path, command)
    assert without_only in unfiltered, unfiltered
    filtered = _run(store_path, [*command, *option])
    assert without_only not in filtered, filtered
    assert with_it in filtered, filtered


def test_analytics_cli_filters_ledger_no_coded_leaves_the_store_out(
    store_path: Path, tmp_path: Path
) -> None:
    table = tmp_path / "t.csv"
    table.write_text("id,date,killed_min,killed_max\n1,2019-01-01,1,3\n", encoding="utf-8")
    tbij = ["ledger", "--tbij", str(table), "--country", "PAK"]
    assert "coded" in _run(store_path, tbij)
    alone = _run(store_path, [*tbij, "--no-coded"])
    assert "coded" not in alone and "tbij" in alone and "1–3" in alone

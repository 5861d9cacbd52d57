"""Options shared by several commands, declared once.

Store, input and dictionary options are ``Annotated`` aliases a command puts in
its signature. The event filters (``--dyad``, ``--since``, ``--until``,
``--root``, ``--provenance``, ``--min-confidence``, ``--date-basis``) travel
together: :func:`with_filters` adds the ones a command names to its signature
and hands it one :class:`Filters`.

Adding a shared filter is a change here only:

1. add its field to :class:`Filters`;
2. add its option, and the function that parses the typed value, to ``FILTERS``;
3. add its name to the groups below whose commands should take it:
   ``QUERY_FILTERS`` (``events``), ``EXPORT_FILTERS`` (``export …``),
   ``SERIES_FILTERS`` (``analytics series|lows``), ``FINDING_FILTERS`` (``analytics
   shifts|alliances|realign``), ``SCOPE_FILTERS`` (``analytics ledger``). Its
   value reaches each library call through ``filters.given()``, so those
   functions must accept the keyword.

``--min-confidence`` and ``--date-basis`` are checked by the store's filter
(DW303 for a bad value), like every other filter value.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, TypeVar

import typer

from dyadwatch.config import Settings
from dyadwatch.ingest import parse_date
from dyadwatch.store import EventFilter

__all__ = [
    "EXPORT_FILTERS",
    "FILTERS",
    "FINDING_FILTERS",
    "QUERY_FILTERS",
    "SCOPE_FILTERS",
    "SERIES_FILTERS",
    "DateOption",
    "DictionaryOption",
    "Filters",
    "LearnedOption",
    "MinConfidenceOption",
    "PathsArgument",
    "PetrarchOption",
    "PlotOption",
    "StoreOption",
    "confidence",
    "date_basis",
    "day",
    "store_path",
    "with_filters",
]

StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        metavar="FILE",
        help="DuckDB store file (default: $DYADWATCH_STORE or ./dyadwatch.duckdb).",
    ),
]
PathsArgument = Annotated[
    list[str],
    typer.Argument(
        metavar="PATH",
        help="Files or directories (.txt, .html, .jsonl), http(s) URLs, or - for stdin.",
    ),
]
DateOption = Annotated[
    str | None,
    typer.Option("--date", metavar="YYYY-MM-DD", help="Publication date of undated documents."),
]
DictionaryOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--dictionary",
        metavar="FILE",
        help="A user dictionary (.yaml, .yml or .csv; see docs/DICTIONARIES.md) adding to "
        "the built-in knowledge. Repeatable.",
    ),
]
PetrarchOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--petrarch",
        metavar="FILE",
        help="Code with PETRARCH/TABARI dictionaries instead of the built-in knowledge: "
        "ACTORS AGENTS VERBS [DISCARDS], given as repeated --petrarch options in that order.",
    ),
]
MinConfidenceOption = Annotated[
    float,
    typer.Option(
        "--min-confidence", metavar="P",
        help="Leave out events whose confidence (with the learned scorer, the calibrated "
        "probability that type and pair are right) is below P, from 0 to 1: precision "
        "over recall (DW804 outside).",
    ),
]  # fmt: skip
"""The coder's ``--min-confidence`` (code, ingest, batch); reads take the filter below."""
LearnedOption = Annotated[
    bool,
    typer.Option(
        "--learned/--no-learned",
        help="Run the learned scorer over the built-in lexicon's events (docs/MODEL.md).",
    ),
]
PlotOption = Annotated[
    Path | None,
    typer.Option("--plot", metavar="OUT", help="Also draw a chart to this .png or .svg file."),
]


def store_path(store: Path | None) -> Path:
    """``--store`` when given, else the configured default (DW001 for a bad setting)."""
    return store if store is not None else Settings.from_env().store_path


def day(value: str | None) -> dt.date | None:
    """A YYYY-MM-DD option as a date; DW109 when it is not one."""
    return parse_date(value) if value else None


def confidence(value: float | None) -> float | None:
    """A ``--min-confidence`` probability, checked as the store checks it (DW303)."""
    return EventFilter(min_confidence=value).min_confidence


def date_basis(value: str | None) -> frozenset[str] | None:
    """``--date-basis text,anchored`` as a set of bases (DW303 for another word)."""
    return None if value is None else EventFilter.of(date_basis=value).date_basis


@dataclass(frozen=True, slots=True)
class Filters:
    """The event filters a command was given; unset ones are None."""

    dyad: tuple[str, str] | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    root: str | None = None
    provenance: str | None = None
    min_confidence: float | None = None
    date_basis: frozenset[str] | None = None

    def given(self) -> dict[str, Any]:
        """The filters that were set, as keyword arguments for the library call."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return {name: value for name, value in values.items() if value is not None}


@dataclass(frozen=True, slots=True)
class FilterOption:
    """One shared filter: its typer option and how its text becomes the typed value."""

    annotation: Any
    parse: Callable[[Any], object] = lambda value: value


FILTERS: Mapping[str, FilterOption] = MappingProxyType(
    {
        "dyad": FilterOption(
            Annotated[
                tuple[str, str] | None,
                typer.Option(
                    "--dyad", metavar="A B", help="Two actor or country codes, either direction."
                ),
            ]
        ),
        "since": FilterOption(
            Annotated[
                str | None,
                typer.Option("--since", metavar="DATE", help="Earliest event date YYYY-MM-DD."),
            ],
            day,
        ),
        "until": FilterOption(
            Annotated[
                str | None,
                typer.Option("--until", metavar="DATE", help="Latest event date YYYY-MM-DD."),
            ],
            day,
        ),
        "root": FilterOption(
            Annotated[str | None, typer.Option("--root", metavar="NN", help="CAMEO root, e.g. 19.")]
        ),
        "provenance": FilterOption(
            Annotated[
                str | None,
                typer.Option(
                    "--provenance",
                    metavar="P",
                    help="Only events from dyadwatch, gdelt1, gdelt2 or icews.",
                ),
            ]
        ),
        "min_confidence": FilterOption(
            Annotated[
                float | None,
                typer.Option(
                    "--min-confidence",
                    metavar="P",
                    help="Only events whose confidence (an event's: its best mention's) is "
                    "at least P, from 0 to 1: precision over recall. Imported events have none.",
                ),
            ],
            confidence,
        ),
        "date_basis": FilterOption(
            Annotated[
                str | None,
                typer.Option(
                    "--date-basis",
                    metavar="BASES",
                    help="Only events dated this way: some of text, anchored, publication, "
                    "comma-separated (text,anchored leaves out publication-stamped dates).",
                ),
            ],
            date_basis,
        ),
    }
)

SCOPE_FILTERS = ("min_confidence", "date_basis")
QUERY_FILTERS = ("dyad", "since", "until", "root", *SCOPE_FILTERS)
EXPORT_FILTERS = (*QUERY_FILTERS, "provenance")
SERIES_FILTERS = ("since", "until", "provenance", *SCOPE_FILTERS)
FINDING_FILTERS = ("provenance", *SCOPE_FILTERS)

Command = TypeVar("Command", bound=Callable[..., None])


def with_filters(*names: str) -> Callable[[Command], Command]:
    """Replace the command's ``filters: Filters`` parameter by the options ``names``.

    The options take the place of ``filters`` in the signature (and so in the
    help); the command is called with one :class:`Filters` built from them.
    Parsing happens inside the command, so a bad date is DW109 at the boundary.
    """
    unknown = set(names) - FILTERS.keys()
    if unknown or not names:
        raise ValueError(f"with_filters takes some of {sorted(FILTERS)}, got {sorted(names)}")

    def decorate(command: Command) -> Command:
        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> None:
            values: dict[str, Any] = {n: FILTERS[n].parse(kwargs.pop(n)) for n in names}
            command(*args, filters=Filters(**values), **kwargs)

        _replace_parameter(wrapper, command, names)
        return wrapper  # type: ignore[return-value]

    return decorate


def _replace_parameter(
    wrapper: Callable[..., None], command: Callable[..., None], names: tuple[str, ...]
) -> None:
    """Give ``wrapper`` the signature of ``command`` with ``filters`` spelled out."""
    signature = inspect.signature(command, eval_str=True)
    if "filters" not in signature.parameters:
        raise TypeError(f"{command.__name__} has no 'filters: Filters' parameter")
    parameters: list[inspect.Parameter] = []
    for parameter in signature.parameters.values():
        if parameter.name != "filters":
            parameters.append(parameter)
            continue
        parameters.extend(
            inspect.Parameter(
                name,
                parameter.kind,
                default=None,
                annotation=FILTERS[name].annotation,
            )
            for name in names
        )
    wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in parameters}

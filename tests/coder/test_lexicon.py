"""The built-in trigger lexicon: coverage, compiled rules, and load-time validation."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from spacy.language import Language

from dyadwatch.coder.engine import Coder
from dyadwatch.coder.lexicon import load_builtin_rules, parse_lexicon
from dyadwatch.coder.rules import TriggerRule, Word, match_rule
from dyadwatch.coder.triggers import RuleIndex
from dyadwatch.errors import DictionaryError
from dyadwatch.nlp.words import WordReader
from dyadwatch.ontology.cameo import load_cameo


def _words(text: str, actors: Sequence[str] = ()) -> list[Word]:
    # Tests pass lemmas directly: "agree to a ceasefire" stands for "agreed to a ceasefire".
    return [Word(w.lower(), w.lower(), w in actors) for w in text.split()]


def _code(
    lemma: str,
    before: str,
    after: str,
    *,
    pos: str = "VERB",
    particle: str | None = None,
    actors: Sequence[str] = (),
) -> str | None:
    """The code of the most specific built-in rule, picked as the trigger index picks it."""
    best: TriggerRule | None = None
    for rule in load_builtin_rules():
        if rule.lemma != lemma or rule.pos != pos or rule.particle not in (None, particle):
            continue
        if match_rule(rule, _words(before, actors), _words(after, actors)) and (
            best is None or rule.specificity > best.specificity
        ):
            best = rule
    return best.code if best else None


def test_lexicon_covers_every_root_and_most_codes() -> None:
    codes = {rule.code for rule in load_builtin_rules() if not rule.is_null}
    assert {code[:2] for code in codes} == {f"{root:02d}" for root in range(1, 21)}
    assert len(codes) >= 150
    three_digit = {code for code in load_cameo().codes() if len(code) == 3}
    assert len(three_digit & codes) / len(three_digit) > 0.8


def test_lexicon_codes_are_known_and_rules_have_origins() -> None:
    cameo = load_cameo()
    for rule in load_builtin_rules():
        assert rule.is_null or cameo.is_known(rule.code), rule
        assert rule.reverse_code is None or cameo.is_known(rule.reverse_code), rule
        assert rule.origin.startswith("triggers.yaml:"), rule


def test_lexicon_reporting_verbs_make_statements() -> None:
    # A bare "said" is a statement (010); the coder drops it when what is said
    # is itself an event (tests/coder/test_mechanisms.py).
    assert _code("say", "the minister", "") == "010"
    assert _code("report", "the agency", "") == "---"
    assert _code("tell", "india", "reporters") == "---"
    assert _code("tell", "india", "pakistan", actors=["pakistan"]) == "010"


@pytest.mark.parametrize(
    ("lemma", "before", "after", "code"),
    [
        ("agree", "pakistan", "to a ceasefire", "0356"),
        ("agree", "the two sides", "to hold talks", "036"),
        ("agree", "india", "", "030"),
        ("urge", "china", "north korea to return to talks", "026"),
        ("urge", "the un", "both sides to exercise restraint", "0256"),
        ("demand", "protesters", "the release of detainees", "1053"),
        ("refuse", "hamas", "to hold talks", "125"),
        ("pledge", "germany", "50 million euros in humanitarian aid", "0333"),
        ("strike", "israeli warplanes", "targets", "195"),
        ("strike", "workers", "over wages", "143"),
        ("strike", "the two countries", "a trade deal", "057"),
        ("strike", "an earthquake", "the region", "---"),
        ("kill", "a drone strike", "five militants", "195"),
        ("kill", "a roadside bomb", "four soldiers", "1833"),
        ("impose", "the us", "sanctions on iran", "163"),
        ("impose", "the junta", "a curfew", "1723"),
        ("release", "the army", "30 prisoners", "0841"),
        ("release", "the ministry", "a statement", "---"),
        ("fire", "police", "tear gas at demonstrators", "175"),
        ("fire", "the board", "the minister", "---"),
        ("use", "syrian forces", "chemical weapons", "2041"),
        ("expel", "the government", "two diplomats", "166"),
        ("warn", "the un", "of famine", "012"),
        ("arrest", "the police", "three smugglers", "173"),
        ("arrest", "the new policy", "the decline in exports", "---"),
        ("apprehend", "the district officials", "reprisals after the verdict", "---"),
        ("book", "the pilgrims", "two coaches on the night train", "---"),
        ("book", "the police", "the shopkeeper under the arms act", "173"),
        ("send", "the magistrate", "the four accused to jail", "173"),
        ("leave", "the police firing", "four people dead", "190"),
        ("hold", "the college students are", "at ransom by the administration", "---"),
        ("leave", "the cyclone", "two fishermen dead", "---"),
    ],
)
def test_lexicon_verb_contexts(lemma: str, before: str, after: str, code: str) -> None:
    assert _code(lemma, before, after) == code


@pytest.mark.parametrize(
    ("lemma", "before", "after", "code"),
    [
        ("strike", "a us drone", "", "195"),
        ("strike", "a hunger", "", "142"),
        ("strike", "a general", "", "143"),
        ("strike", "", "", "---"),
        ("bombing", "a suicide", "", "1831"),
        ("attack", "a rocket", "", "194"),
        ("talk", "", "between india and pakistan", "046"),
        ("cleansing", "ethnic", "", "203"),
        ("investigation", "", "into war crimes", "094"),
        ("fire", "a cease -", "", "0871"),
        ("arrest", "a cardiac", "", "---"),
        ("arrest", "the leaders will court", "", "---"),
        ("indictment", "a strong", "of the state government", "111"),
        ("custody", "the idols were kept in safe", "", "---"),
        ("arrest", "two weeks of virtual house", "", "---"),
        ("imprisonment", "a sentence of life", "", "---"),
    ],
)
def test_lexicon_noun_contexts(lemma: str, before: str, after: str, code: str) -> None:
    assert _code(lemma, before, after, pos="NOUN") == code


def test_lexicon_picked_up_people_are_detained() -> None:
    assert _code("pick", "the police", "six youths", particle="up") == "173"
    assert _code("pick", "two traders were", "by the police", particle="up") == "173"
    assert _code("pick", "the campaign", "pace", particle="up") == "---"


def test_lexicon_particles_and_reverse_codes() -> None:
    assert _code("shoot", "rebels", "a helicopter", particle="down") == "190"
    assert _code("shoot", "rebels", "a video") == "---"
    visit = next(r for r in load_builtin_rules() if r.lemma == "visit" and not r.after)
    assert (visit.code, visit.reverse_code) == ("042", "043")


def test_lexicon_match_rule_on_compiled_rule() -> None:
    rule = next(
        r
        for r in load_builtin_rules()
        if r.lemma == "agree"
        and r.code == "0356"
        and any("ceasefire" in o for s in r.after for o in s.options)
    )
    assert match_rule(rule, _words("pakistan"), _words("to a ceasefire")) is not None
    assert match_rule(rule, _words("pakistan"), _words("to talks")) is None


GOOD_ENTRY = 'triggers:\n  - verb: meet\n    code: "040"\n'


@pytest.mark.parametrize(
    ("text", "line", "detail"),
    [
        (GOOD_ENTRY + '  - verb: visit\n    code: "999"\n', 5, "unknown CAMEO event code"),
        (GOOD_ENTRY + '  - verb: visit\n    colour: red\n    code: "042"\n', 5, "unknown key"),
        (GOOD_ENTRY + "  - verb: visit\n", 4, "missing key 'code'"),
        (GOOD_ENTRY + '  - verb: visit\n    noun: visit\n    code: "042"\n', 4, "exactly one"),
        (GOOD_ENTRY + '  - verb: meet\n    code: "043"\n', 4, "repeats the pattern"),
        (
            GOOD_ENTRY + '  - verb: x\n    code: "042"\n    rules:\n      - {code: "043"}\n',
            7,
            "needs 'before' or 'after'",
        ),
        (GOOD_ENTRY + '  - verb: x\n    code: "042"\n    frame: nope\n', 6, "unknown frame"),
        (
            GOOD_ENTRY + '    rules:\n      - {clause: maybe, code: "041"}\n',
            5,
            "expected true or false",
        ),
        (GOOD_ENTRY + "  - verb: [x\n    code: 1\n", 5, "not valid YAML"),
        (
            GOOD_ENTRY + '    rules:\n      - {after: "a||b", code: "041"}\n',
            5,
            "empty alternative",
        ),
    ],
)
def test_lexicon_bad_entry_raises_dw207_with_line(text: str, line: int, detail: str) -> None:
    with pytest.raises(DictionaryError) as info:
        parse_lexicon(text, path="mine.yaml")
    assert (info.value.code, info.value.path, info.value.line) == ("DW207", "mine.yaml", line)
    assert detail in info.value.message


def test_lexicon_clause_rules_need_a_clausal_complement(nlp: Language) -> None:
    text = (
        'triggers:\n  - verb: charge\n    code: "173"\n'
        '    rules:\n      - {clause: true, code: "112"}\n'
    )
    rules = parse_lexicon(text, path="mine.yaml")
    assert [(r.code, r.clause, r.specificity) for r in rules] == [
        ("173", False, 0),
        ("112", True, 1),
    ]
    index = RuleIndex(rules)
    for sentence, code in [
        ("The mayor charged that the police had lied.", "112"),
        ("The police charged the mayor.", "173"),
        # A gerund clause is what the accused did; a passive names the charge.
        ("The mayor charged the ruling party with ignoring the flood victims.", "112"),
        ("The clerk was charged with forging documents.", "173"),
        ("He charged the state government of ignoring the victims.", "112"),
        ('"The funds were misused," charged Ram Lal, the head priest.', "112"),
    ]:
        doc = nlp(sentence)
        token = next(t for t in doc if t.lemma_ == "charge")
        hit = index.best(token, index.words(doc, WordReader().read(doc), [False] * len(doc)))
        assert hit is not None and hit.rule.code == code, sentence


def test_lexicon_frames_expand_topics() -> None:
    text = (
        'topics:\n  meet: ["talks"]\n  release: [["free|release", "prisoner*"]]\n'
        'frames:\n  appeal: {meet: "026", release: "0253"}\n'
        'triggers:\n  - verb: urge\n    code: "020"\n    frame: appeal\n    lead: "for"\n'
    )
    rules = parse_lexicon(text, path="mine.yaml")
    assert [(r.code, len(r.after)) for r in rules] == [("020", 0), ("026", 2), ("0253", 3)]
    assert all(r.origin.startswith("mine.yaml:") for r in rules)


@pytest.mark.slow
def test_lexicon_heads_reach_irregular_and_mislemmatised_forms(nlp: Language) -> None:
    index = RuleIndex(load_builtin_rules())
    for sentence, word in [
        ("Students staged a protest outside parliament.", "staged"),
        ("Militants overran the base.", "overran"),
        ("The rebels freed three hostages.", "freed"),
        ("Israeli jets struck targets in Gaza.", "struck"),
    ]:
        token = next(t for t in nlp(sentence) if t.text == word)
        assert index.candidates(token), word


# -- the built-in lexicon through the real coder -------------------------------------
# Each sentence is ours, written from the CAMEO categories. The expected value is a
# full code, or a two-digit root when the sub-code is a judgement call.
NEWS_TABLE: list[tuple[str, str]] = [
    # 01 statements
    ("The French foreign ministry declined to comment on the report.", "011"),
    ("China expressed concern over rising tensions in the region.", "012"),
    ("The UN warned of a looming famine in Yemen.", "012"),
    ("The Taliban claimed responsibility for the attack in Kabul.", "015"),
    ("Kenya issued a statement on the situation in Somalia.", "010"),
    ("The Turkish president made a statement about the Kurdish question.", "010"),
    # 02 appeals
    ("Canada asked India to release the detained journalists.", "0253"),
    ("Ukraine appealed to NATO for more weapons.", "0232"),
    # 03 intent
    ("Germany pledged 50 million euros in humanitarian aid to Syria.", "0333"),
    ("North Korea said it would return to the talks.", "036"),
    # 04 consult
    ("Modi spoke by phone with the Russian president.", "041"),
    ("Sheikh Hasina received a call from the Indian prime minister.", "041"),
    ("The Polish president paid an official visit to Lithuania.", "042"),
    ("India and China held a round of border talks in Ladakh.", "046"),
    # 05 diplomatic cooperation
    ("India and Australia deepened defence ties.", "062"),
    ("Sweden recognised Palestine as a state.", "054"),
    ("India and Bangladesh signed an agreement on water sharing.", "057"),
    ("Saudi Arabia resumed diplomatic ties with Syria.", "050"),
    # 06-07 material cooperation and aid
    ("Turkey extradited two suspects to Germany.", "063"),
    ("Russia supplied S-400 missiles to India.", "072"),
    ("Qatar gave $30 million to Gaza.", "071"),
    ("India sent 10,000 tonnes of wheat to Afghanistan.", "073"),
    ("Jordan took in thousands of refugees from Syria.", "075"),
    # 08 yield
    ("The Sri Lankan president stepped down on Thursday.", "0831"),
    ("The US pulled out of Afghanistan in 2021.", "0874"),
    ("Ethiopia evacuated its troops from Tigray.", "0874"),
    ("Pakistan returned the captured Indian pilot.", "0841"),
    ("Militants released the kidnapped engineers.", "0841"),
    ("The Bangladeshi government relaxed the lockdown.", "081"),
    ("Russia and Ukraine swapped prisoners of war.", "0841"),
    # 09 investigate
    ("The ICC opened a probe into war crimes in Afghanistan.", "094"),
    # 10 demand
    ("The EU told Poland to comply with the court ruling.", "10"),
    # 11 disapprove
    ("Cuba called the US embargo illegal.", "111"),
    ("Beijing lashed out at Washington over the Taiwan arms sale.", "111"),
    ("The Indian government took issue with the US report.", "110"),
    ("Turkey called in the US ambassador to protest.", "114"),
    # 12 reject
    ("Iran reneged on its commitments under the nuclear deal.", "120"),
    ("Hungary blocked the EU sanctions package.", "120"),
    # 13 threaten
    ("India issued a warning to Pakistan over cross-border firing.", "130"),
    # 14 protest
    ("Thousands of protesters rallied in Hong Kong against the extradition bill.", "141"),
    ("Tens of thousands of demonstrators filled the streets of Belgrade.", "141"),
    ("Truck drivers blockaded the border crossing in Ottawa.", "144"),
    # 15 force posture
    ("The US sent an aircraft carrier to the Persian Gulf.", "154"),
    ("Turkey stationed tanks on the Syrian border.", "154"),
    ("Egypt increased police presence in Cairo.", "153"),
    ("Russia moved troops and tanks toward the Ukrainian border.", "154"),
    # 16 reduce relations
    ("India broke off talks with Pakistan.", "164"),
    ("Russia walked out of the grain deal.", "160"),
    ("Niger ordered the French ambassador to leave the country.", "166"),
    ("The US blacklisted Chinese firms.", "163"),
    ("Japan tightened export controls on South Korea.", "163"),
    # 17 coerce
    ("Russia placed the opposition leader under house arrest.", "173"),
    ("Police apprehended two suspects in Lahore.", "173"),
    ("Two missiles destroyed the compound near Miranshah.", "195"),
    ("Rockets destroyed the market.", "194"),
    ("Police booked three men for rioting.", "173"),
    ("The opposition leader charged that the ministry had hidden the report.", "112"),
    ("The Taliban barred women from universities.", "172"),
    ("Security forces broke up a rally in Addis Ababa.", "175"),
    # 18-19 violence
    ("Snipers shot dead three protesters in Baghdad.", "193"),
    ("Ukrainian forces retook the city of Kherson.", "192"),
    ("Russia struck Ukrainian grain terminals with cruise missiles.", "195"),
    ("Iraqi forces mounted an operation against Islamic State in Anbar.", "190"),
    ("The Saudi-led coalition intercepted a Houthi missile.", "190"),
    # 20 mass violence
    ("The Syrian government used chemical weapons against civilians.", "2041"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("sentence", "expected"), NEWS_TABLE)
def test_lexicon_codes_news_sentences(builtin_coder: Coder, sentence: str, expected: str) -> None:
    codes = [event.cameo for event in builtin_coder.code_text(sentence)]
    if len(expected) == 2:
        assert any(code.startswith(expected) for code in codes), codes
    else:
        assert expected in codes, codes


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sentence", "forbidden"),
    [
        ("The minister called the plan a mistake.", "02"),
        ("Indian police called what they described as a camp a terrorist hideout.", ""),
        ("The firm fired 200 workers.", ""),
        ("The coach was fired after the defeat.", ""),
        ("India and Pakistan struck a deal.", "19"),
        ("An earthquake struck eastern Turkey on Monday.", ""),
        ("The film was shot in Morocco.", ""),
        ("The team beat Brazil 2-1.", ""),
        ("Floods killed 50 people in Assam.", ""),
        ("Heavy rain killed 20 people in Brazil.", ""),
        ("The government released its annual budget.", ""),
        ("Shares of Tata Motors rallied on Monday.", ""),
        ("Iran tested a nuclear-capable missile.", "20"),
        ("The minister apprehended a threat to his life.", "17"),
        ("Soldiers committed a massacre in the village.", "03"),
        ("The villagers booked seats on the train.", "17"),
        ("The school was charging rupees 500 a month.", "17"),
        ("The opposition leader charged that the ministry had hidden the report.", "17"),
        ("Divers pulled out three bodies from the canal.", "08"),
    ],
)
def test_lexicon_null_senses_code_no_such_event(
    builtin_coder: Coder, sentence: str, forbidden: str
) -> None:
    """A non-event sense codes nothing ("") or at least nothing under ``forbidden``."""
    codes = [event.cameo for event in builtin_coder.code_text(sentence)]
    assert not [code for code in codes if code.startswith(forbidden)], codes


def test_lexicon_deal_and_labour_strikes_are_not_attacks() -> None:
    assert _code("strike", "india and pakistan", "a deal") == "057"
    assert _code("walk", "railway workers", "over pay", particle="out") == "143"
    assert _code("call", "the minister", "the plan a mistake") == "111"
    assert _code("call", "the minister", "what they saw a camp") == "---"

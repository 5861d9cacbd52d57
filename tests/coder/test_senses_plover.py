"""Lexicon senses fixed in the PLOVER manual's terms (docs/MODEL_LOG.md, session 14):
opening borders to refugees is asylum (AID), handing over aid is AID, and
agreeing to a named agreement concludes it (SUPPORT); session 15: a pardon or
amnesty is a concession (CONCEDE) and debt forgiveness is AID; session 17
("lexicon senses from the manual"): the types the lexicon drafted least on our
written pairs, COOPERATE, SANCTION, MOBILIZE, AID and CONCEDE. Every sentence
here is our own; none is from a suite."""

from __future__ import annotations

import pytest

from dyadwatch.coder.engine import Coder

pytestmark = pytest.mark.slow


def _codes(coder: Coder, text: str) -> set[str]:
    return {e.cameo for e in coder.code_text(text)}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # Territorial asylum (CAMEO 075, PLOVER AID), not access eased (0863, RETREAT).
        ("Chile opened its borders to refugees fleeing the famine.", "075"),
        ("Peru opened the border to migrants from the north.", "075"),
        # Provision of material aid (070, AID), not the return of goods (084, RETREAT).
        ("Norway handed over medical supplies to the Sudanese health ministry.", "070"),
        ("Japan handed over food aid to Haiti.", "070"),
        # Concluding a named agreement is SUPPORT (057), not an intent (031x, AGREE).
        ("Kenya and Ghana agreed to a free trade agreement on Friday.", "057"),
        ("Rohan and Gondor agreed to a peace deal after the summit.", "057"),
        # Session 15: a pardon or amnesty is a concession (081, CONCEDE), not a release.
        ("The president of Gondor pardoned forty jailed protesters on Sunday.", "081"),
        ("Rohan granted an amnesty to the rebels who laid down their arms.", "081"),
        # Debt forgiveness is economic aid (071, AID), not forgiving an offence (056).
        ("France forgave Mali two billion dollars of debt.", "071"),
        ("France has forgiven the debt of Mali.", "071"),
        # Session 17, COOPERATE (06): "initiate, resume, improve, or expand mutual material
        # cooperation": joint exercises and operations, joint ventures, trade, judicial
        # cooperation and information sharing.
        ("Greece held joint anti-piracy drills with Egypt off Crete.", "062"),
        ("Chile held naval exercises with Argentina in the Beagle Channel.", "062"),
        ("India conducted manoeuvres with the Omani army.", "062"),
        ("Ghana and Togo began coordinated patrols on their shared border.", "062"),
        ("Ghana formed a joint venture with Turkey to build a steel mill.", "061"),
        ("Vietnam and Laos opened a joint venture to run a hydropower dam.", "061"),
        ("Kenya and Ethiopia launched a joint project to map the Omo river.", "060"),
        ("Peru and Bolivia started a joint programme to clean Lake Titicaca.", "060"),
        ("Uruguay sold beef to Israel for the first time in a decade.", "061"),
        ("Norway sold electricity to Denmark during the winter shortage.", "061"),
        ("Russia resumed exports of wheat to Egypt on Monday.", "061"),
        ("Japan restarted imports of Thai chicken after the outbreak ended.", "061"),
        ("Brazil expanded soybean exports to China this year.", "061"),
        ("Turkey boosted imports of Iraqi oil in March.", "061"),
        ("Poland exchanged passenger records with Germany to track smugglers.", "064"),
        ("Austria swapped intelligence with Hungary on the trafficking ring.", "064"),
        ("Estonia handed over bank records to Latvia.", "064"),
        ("Italy handed the phone data over to Albania.", "064"),
        ("Spain's handover of the fugitive banker to France took place on Friday.", "063"),
        ("Spain completed the handover of the wanted suspect to Morocco.", "063"),
        ("Belgian police opened a joint investigation with Dutch prosecutors.", "063"),
        ("The joint investigation by Croatia and Serbia found the missing files.", "063"),
        # SANCTION (16): "all reductions in existing, routine, or cooperative relations":
        # diplomats expelled, members expelled, withdrawal from talks or a body, international
        # sanctions, aid and deliveries stopped.
        ("Lithuania declared the Belarusian consul persona non grata.", "166"),
        ("Moldova declared a Russian diplomat persona non grata on Monday.", "166"),
        ("Norway's expulsion of Russian consular staff angered Moscow.", "166"),
        ("Ukraine ordered the expulsion of the embassy staff of Iran.", "166"),
        ("The Labour Party of Malta expelled three members over the scandal.", "160"),
        ("Venezuela's ruling party expelled two lawmakers for dissent.", "160"),
        ("Mali pulled out of talks with Algeria on Monday.", "164"),
        ("Sudan pulled out of the peace talks with the rebels.", "164"),
        ("Burkina Faso left the regional bloc in January.", "160"),
        ("Nicaragua left the Organization of American States last year.", "160"),
        ("Canada imposed an asset freeze on the Haitian minister.", "163"),
        ("Australia imposed an asset freeze on a Myanmar general.", "163"),
        ("The United States slapped sanctions on two Venezuelan banks.", "163"),
        ("Britain slapped tariffs on Chinese steel on Tuesday.", "163"),
        ("The World Bank froze disbursements to Uganda over the new law.", "162"),
        ("Germany halted disbursements to Niger after the coup.", "162"),
        ("Serbia halted deliveries to Kosovo after the border clash.", "163"),
        ("Qatar suspended gas deliveries to Egypt for a week.", "163"),
        ("Ecuador terminated a fishing arrangement with Peru.", "160"),
        ("Sri Lanka terminated its port arrangement with India.", "160"),
        # MOBILIZE (15): "all military or police moves that fall short of the actual use of
        # force": units moved, sent or airlifted, call-ups, alerts, jets scrambled, warships
        # sailed, forces massed, single-country exercises.
        ("Azerbaijan moved two divisions to the Armenian border.", "154"),
        ("Pakistan stationed commandos near the Afghan frontier.", "154"),
        ("Turkey sent frigates to the eastern Mediterranean on Monday.", "154"),
        ("Algeria dispatched special forces to the Libyan border.", "154"),
        ("Kenya sent 500 officers to the northern county after the raids.", "153"),
        ("France airlifted paratroopers to Chad on Sunday.", "154"),
        ("Ethiopia airlifted troops to the Sudanese border.", "154"),
        ("The rebels called up fighters from the border villages.", "154"),
        ("Myanmar's junta called up conscripts in Yangon.", "154"),
        ("Iran put its troops on heightened alert after the drone strike.", "152"),
        ("Jordan put police units on heightened alert before the vote.", "151"),
        ("The Norwegian air force scrambled two jets on Monday.", "150"),
        ("Taiwan scrambled jets as Chinese bombers approached.", "150"),
        ("Britain sailed a destroyer through the Black Sea.", "150"),
        ("India sailed warships into the disputed waters.", "150"),
        ("Hamas concentrated fighters near the crossing.", "154"),
        ("Russia gathered troops near the Ukrainian border.", "154"),
        ("Venezuela staged a live-fire exercise near the Guyanese border.", "150"),
        ("The army exercise in Thrace alarmed Bulgaria.", "150"),
        # AID (07): settlements, financial guarantees, debt forgiveness, rescues and emergency
        # assistance.
        ("The Dutch firm paid a settlement to fishermen in Nigeria.", "071"),
        ("Germany paid restitution to the families in Namibia.", "071"),
        ("Japan guaranteed a loan to Sri Lanka for the new port.", "071"),
        ("Saudi Arabia's loan guarantee to Pakistan eased the crisis.", "071"),
        ("Germany cancelled the debt of Tanzania on Friday.", "071"),
        ("China cancelled arrears owed by Zambia.", "071"),
        ("Japan wrote off the debt of Bangladesh.", "071"),
        ("Italy has written off loans owed by Ethiopia.", "071"),
        ("Italian coast guards rescued migrants off Libya.", "073"),
        ("Turkey rescued villagers from the flood in Syria.", "073"),
        ("Nigerian police rescued hostages held by bandits in Kaduna.", "070"),
        ("Thai police freed trafficking victims held by a gang.", "070"),
        ("Indonesian police freed 40 trafficking victims from a boat in Batam.", "070"),
        ("Malian troops rescued two captives held by jihadists near Gao.", "070"),
        ("Jordan opened a field hospital for Syrian refugees.", "073"),
        ("Malaysia opened shelters for Rohingya refugees.", "073"),
        # CONCEDE (08): acquittals, amnesties and pardons, commuted or quashed sentences, dropped
        # charges, eased restrictions, yielding.
        ("A court in Uganda acquitted the opposition leader.", "081"),
        ("The acquittal of the activists by the Egyptian court surprised many.", "081"),
        ("Zimbabwe's amnesty for the rebels angered Britain.", "081"),
        ("The pardon of the journalists by Morocco came after protests.", "081"),
        ("Malawi commuted the death sentences of ten prisoners.", "081"),
        ("The Kenyan high court overturned the conviction of the activist.", "081"),
        ("Turkish prosecutors dropped charges against the Kurdish mayors.", "081"),
        ("Egypt dropped the charges against the foreign journalists.", "081"),
        ("China eased visa requirements for Thai tourists.", "081"),
        ("India eased requirements for Bangladeshi traders.", "081"),
        ("Russia restored the licence of the Latvian broadcaster.", "081"),
        ("Bahrain restored the citizenship of 50 dissidents.", "081"),
        ("The Kenyan government gave in to the striking doctors.", "080"),
        ("The Nigerian government gave ground to the striking unions on Friday.", "080"),
    ],
)
def test_senses_plover_manual_sense(builtin_coder: Coder, text: str, code: str) -> None:
    assert code in _codes(builtin_coder, text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Greece opened the border crossing for trucks.", "0863"),
        ("The rebels handed over the prisoners to the Red Cross.", "0841"),
        ("Kenya and Ghana agreed to expand trade.", "0311"),
        ("Rohan freed the forty detainees on Monday.", "0841"),
        ("Gondor forgave Rohan for the insult.", "056"),
        # A blow to a person stays an assault; only sanctions are slapped on (163).
        ("A policeman slapped the Afghan protester in Kabul.", "182"),
        # A planned loan cancelled is aid cut (162); only debt cancelled is forgiven.
        ("The World Bank cancelled its loan to Kenya.", "162"),
        # A crowd gathered to protest is a protest, not forces massed.
        ("Thousands gathered in Dhaka to protest against India.", "141"),
        # A single-country exercise near a border stays MOBILIZE (150).
        ("The army held exercises near the border with India.", "150"),
        # Captives freed by their captors are released (RETREAT), not rescued.
        ("The ELN freed two Colombian soldiers it had held for a year.", "0841"),
        ("Pakistan put its troops on high alert.", "152"),
    ],
)
def test_senses_plover_neighbouring_senses_unchanged(
    builtin_coder: Coder, text: str, code: str
) -> None:
    assert code in _codes(builtin_coder, text)


def test_senses_plover_amnesty_international_is_no_amnesty(builtin_coder: Coder) -> None:
    assert "081" not in _codes(
        builtin_coder, "Amnesty International criticised Egypt over the arrests."
    )

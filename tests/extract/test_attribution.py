"""Reported speech: who says what, read from the parse of sentences written here."""

import pytest

from docket.extract.attribution import CANDIDATE_PREFIXES, CANDIDATE_WORDS, Said, SaidIndex, attribute
from docket.extract.document import candidate_test, read

PUBLISHER = "Daily Courier"


@pytest.fixture(scope="module")
def who():
    """who(text, phrase) -> (source, via) of the words `phrase` (the publisher where nobody is said to
    say them); who.saids(text) -> every Said."""

    def saids(text: str) -> list[Said]:
        return attribute(read(text, lambda s: True), PUBLISHER)

    def ask(text: str, phrase: str, occurrence: int = 1) -> tuple[str | None, str | None]:
        pos = -1
        for _ in range(occurrence):
            pos = text.index(phrase, pos + 1)
        s = SaidIndex(saids(text)).at(pos)
        return (s.source, s.via) if s else (PUBLISHER, None)

    ask.saids = saids
    return ask


def source(who, text, phrase, occurrence=1):
    return who(text, phrase, occurrence)[0]


# --- "X said (that) …" ---------------------------------------------------------------------------------

def test_a_clause_after_said_is_the_speakers(who):
    text = "The governor of Lorvan province said that militia fighters burned the market in Tessel."
    assert source(who, text, "militia fighters burned") == "governor of Lorvan province"
    text = "Oxfam said on Tuesday 200 wells had been poisoned in the district."
    assert source(who, text, "200 wells") == "Oxfam"


def test_the_speakers_own_words_and_what_comes_before_are_not_reported(who):
    text = "After the storm passed, Oxfam said that 200 wells had been poisoned."
    assert source(who, text, "After the storm") == PUBLISHER
    assert source(who, text, "Oxfam said") == PUBLISHER


def test_a_clause_of_coordinated_verbs_is_said_whole(who):
    text = ("In her letter to the Council, the head of the observer mission, Ms. Ines Karlsson, stressed "
            "that the militia had ignored the truce, shelled the depot, seized two villages and blocked the road.")
    for phrase in ("ignored the truce", "shelled the depot", "seized two villages", "blocked the road"):
        assert source(who, text, phrase) == "Ines Karlsson", phrase
    assert source(who, text, "letter to the Council") == PUBLISHER


# --- the speaker after ----------------------------------------------------------------------------------

def test_a_speaker_after_the_clause(who):
    text = "Militia fighters burned the market in Tessel on Monday, the provincial governor said."
    assert source(who, text, "burned the market") == "provincial governor"
    text = "Two bridges over the Varna river were blown up overnight, said Colonel Pieter Lund."
    assert source(who, text, "bridges over") == "Pieter Lund"


def test_a_speaker_after_covers_only_its_own_sentence(who):
    text = "The town was quiet on Sunday. Shops were looted in the night, residents said."
    assert source(who, text, "The town was quiet") == PUBLISHER
    assert source(who, text, "Shops were looted") == "residents"


# --- "X told Y that …" ----------------------------------------------------------------------------------

def test_told_someone_that(who):
    text = "The regional police told reporters that 40 protesters had been detained in Kessa."
    assert source(who, text, "40 protesters") == "regional police"
    text = "A nurse at the clinic told the BBC that six children had died of their wounds."
    assert source(who, text, "six children") == "A nurse at the clinic"


def test_the_person_told_is_not_the_speaker(who):
    text = "The regional police told reporters that 40 protesters had been detained in Kessa."
    assert source(who, text, "40 protesters") != "reporters"


# --- "according to X" -----------------------------------------------------------------------------------

def test_according_to_before_and_after_the_clause(who):
    text = "According to the Halden Human Rights Centre, 300 families fled the valley."
    assert source(who, text, "300 families") == "Halden Human Rights Centre"
    text = "At least 300 families fled the valley and 20 homes burned, according to local officials."
    assert source(who, text, "300 families") == "local officials"
    assert source(who, text, "20 homes burned") == "local officials"


def test_according_to_does_not_reach_a_later_subordinate_clause(who):
    text = "Shells hit the depot, according to the army, as rebels advanced on the town."
    assert source(who, text, "Shells hit") == "army"
    assert source(who, text, "rebels advanced") == PUBLISHER


# --- "X added in a statement" ----------------------------------------------------------------------------

def test_added_in_a_statement(who):
    text = ("The Coalition for Justice (CJ) said 20 men were arrested. "
            "The NGO added in a statement that five of them were minors.")
    assert source(who, text, "five of them") == "Coalition for Justice (CJ)"
    text = "“The water supply has been cut for a week,” the ministry added in a statement."
    assert source(who, text, "water supply") == "ministry"


def test_added_to_a_list_is_not_speech(who):
    text = "The monitors added twelve villages to the list of damaged sites."
    assert source(who, text, "twelve villages") == PUBLISHER


# --- "X claims / alleges / accuses" ----------------------------------------------------------------------

def test_claims_and_allegations(who):
    text = "The opposition claims that the ballots in Marn were burned."
    assert source(who, text, "ballots") == "opposition"
    text = "The army accuses the rebels of burning the granary at Osk."
    assert source(who, text, "burning the granary") == "army"
    text = "Lawyers for the family alleged that the prisoners were beaten in custody."
    assert source(who, text, "prisoners were beaten") == "Lawyers for the family"


def test_a_denial_is_not_an_assertion_of_the_denier(who):
    text = "The rebels deny that they burned the granary at Osk."
    assert source(who, text, "burned the granary") == PUBLISHER


# --- reports and their authors ---------------------------------------------------------------------------

def test_in_a_report_by(who):
    text = "Dozens of homes were looted, according to a report by the Northern Commission."
    assert source(who, text, "Dozens of homes") == "Northern Commission"
    text = "In a report released on Friday by Amnesty International, 40 deaths in custody are listed."
    assert source(who, text, "40 deaths") == "Amnesty International"
    text = "The commission's report found that the dam had been sabotaged."
    assert source(who, text, "the dam had been") == "commission"


def test_a_statement_issued_earlier_is_its_issuers(who):
    text = ("The interior ministry of Ostland issued a statement on Monday.\n\n"
            "The statement reads:\n\n“Border guards detained eleven smugglers near Pell.”")
    assert source(who, text, "Border guards") == "interior ministry of Ostland"


def test_a_report_noun_with_no_owner_reports_nothing_by_itself(who):
    text = "The so-called report on the clashes was never published, and the town was shelled again."
    assert source(who, text, "the town was shelled") == PUBLISHER


# --- "X's spokesman said" --------------------------------------------------------------------------------

def test_a_spokesman_of(who):
    text = "The Red Crescent's spokesman said 14 people were killed in the raid."
    assert source(who, text, "14 people") == "spokesman of Red Crescent"
    text = "Earlier Sunday, soldiers arrested Omar Haddad in Nablus, according to his wife."
    assert source(who, text, "soldiers arrested") == "wife of Omar Haddad"


def test_a_spokesman_with_a_name_is_the_name(who):
    text = "Ministry of Defence spokesman Colonel Ivan Petrov said that the airfield was taken."
    assert source(who, text, "the airfield") == "Ivan Petrov"


# --- quotations -------------------------------------------------------------------------------------------

def test_a_quotation_over_several_sentences_with_the_speaker_after(who):
    text = ("The shelling went on all night. “Nobody helped us. The school burned. "
            "Three of my neighbours were killed,” said Sara Malik, a teacher.")
    for phrase in ("Nobody helped", "The school burned", "Three of my neighbours"):
        assert source(who, text, phrase) == "Sara Malik"
    assert source(who, text, "The shelling went on") == PUBLISHER


def test_straight_curly_and_mojibake_marks(who):
    text = '"Two schools were shelled overnight," the mayor of Tessel, Anna Berg, told reporters.'
    assert source(who, text, "Two schools") == "Anna Berg"
    text = "β€œWe found the bodies in the well. They had been shot,” a local farmer told the agency."
    assert source(who, text, "bodies in the well") == "a local farmer"
    assert source(who, text, "They had been shot") == "a local farmer"
    s = next(s for s in who.saids(text) if s.direct)
    assert text[s.start : s.end].startswith("We found") and s.direct


def test_the_speaker_before_the_quotation(who):
    text = "Anna Berg, the mayor, said: “The bridge was destroyed by a drone.”"
    assert source(who, text, "The bridge") == "Anna Berg"
    text = "He was echoed by the envoy Lars Holm, who said, “Forty villages have been emptied.”"
    assert source(who, text, "Forty villages") == "Lars Holm"


def test_a_quotation_right_after_another_keeps_its_speaker(who):
    text = ("“The dam held,” said engineer Tomas Kral. “But the pumping station was flooded "
            "and two workers drowned.”\nLater the rain stopped.")
    assert source(who, text, "two workers drowned") == "Tomas Kral"
    assert source(who, text, "Later the rain") == PUBLISHER


def test_a_quotation_nobody_is_said_to_say_is_the_publishers(who):
    text = "Residents call it “the summer of fire”. The forest burned for a week."
    assert source(who, text, "the summer of fire") == PUBLISHER
    assert source(who, text, "The forest burned") == PUBLISHER


# --- headlines ---------------------------------------------------------------------------------------------

def test_a_headlines_x_says(who):
    assert source(who, "Dozens of homes burned in Kessa, army says", "Dozens of homes") == "army"
    assert source(who, "UN says 12,000 people displaced by floods in Kessa", "12,000 people") == "UN"


def test_a_headline_without_a_speaker(who):
    assert source(who, "Dozens of homes burned in Kessa", "Dozens of homes") == PUBLISHER


# --- relays ------------------------------------------------------------------------------------------------

def test_a_relayed_report_keeps_its_source(who):
    text = "Soldiers rounded up nine men in the village of Ter, according to a rights group, reports Lumen Agency."
    assert who(text, "nine men") == ("a rights group", "Lumen Agency")
    text = "Landmines killed two shepherds near Gori, the interior ministry said, TV5 reported."
    assert who(text, "two shepherds") == ("interior ministry", "TV5")


def test_a_report_not_relayed_has_no_via(who):
    text = "Landmines killed two shepherds near Gori, the interior ministry said."
    assert who(text, "two shepherds") == ("interior ministry", None)


# --- who a pronoun or a description is -------------------------------------------------------------------

def test_pronouns_and_descriptions_resolved_to_an_earlier_speaker(who):
    text = ("Marta Ruiz, a nurse, said the clinic was hit twice. Later she told a news agency that "
            "the pharmacy had been looted.")
    assert source(who, text, "the pharmacy") == "Marta Ruiz"
    text = ("The Northern Refugee Council reported 300 arrivals. The council said that "
            "many had walked for days.")
    assert source(who, text, "many had walked") == "Northern Refugee Council"
    text = "Fighting between Ostland’s army and the rebels resumed. The army says the rebels shelled Pell."
    assert source(who, text, "the rebels shelled") == "Ostland’s army"


def test_surnames_and_acronyms_written_out(who):
    text = ("Police chief Elena Varga said 12 officers were hurt. Varga said that "
            "the crowd set fire to two cars.")
    assert source(who, text, "the crowd set fire") == "Elena Varga"
    text = ("The Syrian Observatory for Human Rights (SOHR) counts the dead. "
            "The SOHR said 31 civilians were killed in Idlib.")
    assert source(who, text, "31 civilians") == "Syrian Observatory for Human Rights (SOHR)"


def test_we_is_the_documents_own_voice(who):
    text = "We documented 40 cases of torture in the camp."
    assert source(who, text, "40 cases") == PUBLISHER
    text = "Our mission recorded 14 attacks on schools."
    assert source(who, text, "14 attacks") == PUBLISHER


# --- not reported speech ----------------------------------------------------------------------------------

def test_words_that_look_like_speech_but_are_not(who):
    text = "Said village was abandoned in 1994, and its church was burned."
    assert source(who, text, "its church was burned") == PUBLISHER
    text = "As said before, the road to Pell was mined."
    assert source(who, text, "the road to Pell") == PUBLISHER
    text = "The envoys took note of the reported arrest of four journalists in Pell."
    assert source(who, text, "arrest of four") == PUBLISHER
    text = "Drone footage shows that the village of Ter was razed."
    assert source(who, text, "village of Ter") == PUBLISHER
    text = "The government has not claimed that the mine was closed."
    assert source(who, text, "the mine was closed") == PUBLISHER
    text = "The figures are estimated to include 40 children who were killed."
    assert source(who, text, "40 children") == PUBLISHER


# --- the API ------------------------------------------------------------------------------------------------

def test_saids_point_into_the_text(who):
    text = ("The shelling went on all night. “Nobody helped us,” said Sara Malik. "
            "The governor said that two schools were hit.")
    saids = who.saids(text)
    assert saids and all(0 <= s.start < s.end <= len(text) for s in saids)
    for s in saids:
        assert text[s.source_span[0] : s.source_span[1]].strip()
    assert [text[s.start : s.end] for s in saids] == ["Nobody helped us,", "two schools were hit"]


def test_the_innermost_said_wins():
    outer = Said(0, 100, "TV5", (100, 103))
    inner = Said(10, 20, "ministry", (21, 29), via="TV5")
    index = SaidIndex([outer, inner])
    assert index.at(5) is outer and index.at(15) is inner and index.at(20) is outer
    assert index.at(100) is None and index.source_at(150, "pub") == "pub"
    assert SaidIndex([]).at(3) is None


def test_the_candidate_words_let_a_reporting_sentence_be_parsed():
    test = candidate_test(CANDIDATE_PREFIXES, CANDIDATE_WORDS)
    for sentence in ("Two were killed, residents said.", "He told CNN it was over.",
                     "According to the UN, it was over.", "The army claims it was over.",
                     "The report found it was over.", "Noting that it was over, she left.",
                     "The ministry stated it was over.", "It was over, the agency reports."):
        assert test(sentence), sentence
    assert not test("It was not over; nothing was.")

"""The structural extractor (docket.extract.pipeline) on sentences written for these tests: each
family of rules with a case it must read and, where one is sensible, a case it must not."""

from __future__ import annotations

import pytest

from docket.extract.pipeline import extract
from docket.model import DocumentMeta

pytestmark = pytest.mark.filterwarnings("ignore")

META = DocumentMeta(publisher="Ministry of Defence", published="2024-03-05")


def claims(text: str, kind: str | None = None):
    found, _ = extract(text, META)
    return [c for c in found if kind is None or c.kind == kind]


def place_names(c) -> set[str]:
    return {p.name for p in c.places}


# places: a claim whose clause names no place takes a place its sentence names outside other claims


def test_place_hung_outside_the_clause_is_the_sentences():
    text = "Rebels shelled Kharkiv on Sunday. Around Donetsk on Monday the army said three soldiers were killed."
    (killing,) = claims(text, "killing")
    assert killing.quantity.value == 3
    assert any("Donetsk" in n for n in place_names(killing))
    assert not any("Kharkiv" in n for n in place_names(killing))


def test_sentence_place_is_no_fallback_when_the_clause_has_one():
    text = "Rebels shelled Kharkiv on Sunday. Around Donetsk on Monday the army said three soldiers were killed in Kharkiv."
    (killing,) = claims(text, "killing")
    assert not any("Donetsk" in n for n in place_names(killing))


# triggers: a phrase as kinds.toml writes it matches its words by their lemmas ("held talks")


def test_phrase_trigger_matches_inflected_words():
    (talks,) = claims("The two sides held talks in Kharkiv on Monday.", "diplomacy")
    assert talks.text.startswith("held talks")
    assert talks.agent == "two sides"
    (idps,) = claims("About 2,000 internally displaced persons live in camps near Kharkiv.", "displacement")
    assert idps.quantity.value == 2000
    assert any("Kharkiv" in n for n in place_names(idps))


def test_phrase_words_alone_are_no_trigger():
    assert claims("The governor held two meetings about the harvest.", "diplomacy") == []


# objects: a part that is not what the kind is about stands for the whole its "of" phrase names


def test_part_of_an_object_is_the_object():
    (alt,) = claims("Soldiers altered the original features of the old church in Kharkiv.", "heritage_alteration")
    assert alt.object.category == "religious_site"
    assert alt.agent == "Soldiers"



# frames: a predicate noun ("live as displaced persons", "became refugees") is said of the subject


def test_predicate_noun_takes_the_subject_as_patient():
    (idps,) = claims("Some 3,000 villagers from Kharkiv now live in tents as internally displaced persons.",
                     "displacement")
    assert idps.quantity.value == 3000
    assert idps.quantity.qualifier == "approx"
    assert any("Kharkiv" in n for n in place_names(idps))
    (refugees,) = claims("Many residents of Kharkiv became refugees.", "displacement")
    assert "residents" in refugees.text


def test_predicate_noun_of_no_kind_is_no_claim():
    assert claims("Officials said the budget was subject to review.") == []


# slots: company, parent company, minerals, site, corroboration, and a Security Council resolution's symbol


def test_resource_extraction_slots():
    text = ("Acme Mining LLC, a subsidiary of Northern Holdings Ltd., has been extracting gold and copper at the "
            "Kharkiv deposit since 2015, as documented by the monitoring mission.")
    (c,) = claims(text, "resource_extraction")
    assert c.company == "Acme Mining LLC"
    assert c.parent_company == "Northern Holdings Ltd."
    assert c.minerals == ["gold", "copper"]
    assert c.corroborated_by == "monitoring mission"
    assert c.when.start == "2015"


def test_minerals_are_not_words_of_a_name():
    (c,) = claims("Caucasus Gold LLC has been extracting copper near Kharkiv since 2015.", "resource_extraction")
    assert c.minerals == ["copper"]


def test_security_council_resolution_by_its_symbol():
    (act,) = claims("The Security Council adopted resolution 2334 (2016).", "legal_act")
    assert act.instrument == "S/RES/2334 (2016)"
    assert act.when.start == "2016"


def test_other_bodies_resolutions_keep_their_words():
    acts = claims("The city council adopted resolution 45 (2019) on parking.", "legal_act")
    assert all(not (a.instrument or "").startswith("S/RES") for a in acts)


# demands: who demands through a participle or an instrument, and by which instrument


def test_demand_of_a_participle_after_an_adoption():
    text = "The Security Council adopted resolution 2139 (2014), demanding that all parties lift the sieges."
    (demand,) = claims(text, "demand")
    assert demand.agent == "United Nations Security Council"
    assert demand.instrument == "S/RES/2139 (2014)"


def test_instrument_as_the_demander():
    text = "Resolution 2139 (2014) of the Security Council demands the immediate release of all detainees."
    (demand,) = claims(text, "demand")
    assert demand.agent == "United Nations Security Council"
    assert demand.instrument == "S/RES/2139 (2014)"


def test_demand_of_a_person_has_no_instrument():
    (demand,) = claims("The mayor demanded the release of the detainees.", "demand")
    assert demand.agent == "mayor"
    assert demand.instrument is None


# restatements: a noun that tells again what was told, with its actor named another way, is no new claim


def test_restatement_by_the_actor_named_another_way():
    text = "The armed forces of Ruritania shelled Kharkiv on Monday. The shelling by Ruritania lasted hours."
    (attack,) = claims(text, "attack")
    assert attack.text == "shelled Kharkiv"


def test_noun_with_another_actor_is_told_anew():
    text = "The armed forces of Ruritania shelled Kharkiv on Monday. The shelling by the rebels lasted hours."
    assert len(claims(text, "attack")) == 2


# lists: objects the parser listed under an item's "of" phrase are items of their own


def test_objects_listed_under_an_of_phrase():
    text = "Rebels destroyed the library of Professor Smith and the old cemetery near Kharkiv."
    cats = sorted(c.object.category for c in claims(text, "destruction"))
    assert cats == ["cemetery", "library"]


def test_people_listed_under_an_of_phrase_are_no_objects():
    text = "Rebels destroyed the library of the teachers and the doctors near Kharkiv."
    assert [c.object.category for c in claims(text, "destruction")] == ["library"]


# places: a site the gazetteer knows brings the places it lies in, up to its district


def test_site_brings_its_district():
    (c,) = claims("Sappers blew up the Taglidash bridge in 1994.", "destruction")
    assert place_names(c) == {"Taglidash bridge", "Kalbajar"}


def test_settlement_brings_no_areas():
    (c,) = claims("Rebels shelled Kharkiv on Sunday.", "attack")
    assert len(c.places) == 1


# dates: a claim of a kind that is no event, told in the present, holds at the document's date


def test_present_demand_is_dated_by_the_document():
    (demand,) = claims("The ministry demands the immediate release of the detainees.", "demand")
    assert demand.when.start == "2024-03-05"
    assert demand.when.ongoing


def test_past_demand_without_a_date_has_none():
    (demand,) = claims("The ministry demanded the immediate release of the detainees.", "demand")
    assert demand.when is None


# places: what a relative clause says of a place is no place of the claim


def test_place_in_a_relative_clause_is_not_the_claims():
    found = claims("Rebels captured Kharkiv, which lies north of Donetsk.", "control_change")
    assert [place_names(c) for c in found] == [{"Kharkiv"}]


def test_places_listed_are_each_a_claim():
    found = claims("Rebels captured Kharkiv and Donetsk.", "control_change")
    assert {n for c in found for n in place_names(c)} == {"Kharkiv", "Donetsk"}


# irrealis: what is only aimed at ("with a view to", "in order to", "facilitate") is no claim


def test_aimed_at_is_no_claim():
    assert claims("Troops advanced with a view to capturing Kharkiv.", "control_change") == []
    assert claims("Troops massed at the border in order to seize Kharkiv.", "control_change") == []


def test_act_with_an_aim_is_a_claim():
    (c,) = claims("Troops seized Kharkiv in order to cut the road.", "control_change")
    assert c.agent == "Troops"


# counts: one thing named in the singular is a count of one; a mass noun counts nothing


def test_singular_object_counts_one():
    (c,) = claims("Rebels burned the museum in Kharkiv.", "destruction")
    assert (c.quantity.value, c.quantity.qualifier) == (1, "exact")


def test_mass_object_counts_nothing():
    (c,) = claims("Rebels destroyed private property in Kharkiv.", "destruction")
    assert c.quantity is None


# weapons: a weapon hung outside the clause belongs to the nearest weapon-taking trigger before it


def test_weapon_outside_the_clause():
    (attack,) = claims("Rebels attacked Kharkiv on Monday, artillery being their choice.", "attack")
    assert attack.weapons == ["artillery"]


def test_weapon_another_trigger_governs_is_not_taken():
    text = "Rebels attacked Kharkiv on Monday and the army later destroyed their tanks."
    (attack,) = claims(text, "attack")
    assert attack.weapons == []


# actors: a verb of a list the parser broke shares the subject of the verb listed before it


def test_verb_of_a_broken_list_shares_the_subject():
    text = "The rebels had ignored the truce for weeks, shelled Kharkiv, looted the shops and seized the bridge."
    (attack,) = claims(text, "attack")
    assert attack.agent == "rebels"


def test_verb_after_another_clause_does_not_take_its_subject():
    (looting,) = claims("The army withdrew, and later rebels looted the shops.", "looting")
    assert "army" not in looting.agent


# triggers: an event noun given as the cause of what the sentence tells happened


def test_event_given_as_a_cause_is_a_claim():
    (attack,) = claims("The bridge collapsed as a result of a military operation.", "attack")
    assert attack.text == "military operation"


def test_bare_event_noun_is_no_claim():
    assert claims("The report discussed military operations.", "attack") == []


# kinds: an object kinds.toml gives a kind of its own ([object_kind]) makes the claim that kind's


def test_damage_to_the_environment_is_environmental_damage():
    (c,) = claims("Shelling damaged the forests near Kharkiv.")
    assert c.kind == "environmental_damage"
    assert c.object.category == "environment"


def test_damage_to_a_building_stays_destruction():
    (c,) = claims("Shelling damaged the school near Kharkiv.")
    assert c.kind == "destruction"


# demands: an obligation stated ("must withdraw") is its speaker's demand


def test_obligation_is_the_speakers_demand():
    (demand,) = claims("The occupying troops must withdraw from Kharkiv.", "demand")
    assert demand.agent == "Ministry of Defence"


def test_obligation_reported_is_the_reported_speakers():
    (demand,) = claims("The rebels must leave Kharkiv, the mayor said.", "demand")
    assert demand.agent == "mayor"


# places: an area is dropped for the place it contains only when written next to it


def test_area_named_apart_is_a_place_of_its_own():
    text = "Some 5,000 villagers from Tartar now live in tents in other regions of Azerbaijan as internally displaced persons."
    (c,) = claims(text, "displacement")
    assert place_names(c) == {"Tərtər", "Azerbaijan"}


def test_area_written_next_to_its_place_is_context():
    (c,) = claims("Rebels shelled Tartar, Azerbaijan on Monday.", "attack")
    assert place_names(c) == {"Tərtər"}


# clauses: a place another trigger's phrase holds is that trigger's ("continued its offensive and
# captured A, B and C": the places are the captures'), and so is what a preposition's verb governs


def mentions(c) -> set[str]:
    return {p.mention for p in c.places}


def test_places_of_a_coordinated_verb_are_not_the_nouns():
    text = "Rebel units continued their assault and then seized Izium, Balakliia and Kupiansk in September 2022."
    captures = claims(text, "control_change")
    assert [mentions(c) for c in captures] == [{"Izium"}, {"Balakliia"}, {"Kupiansk"}]
    (attack,) = claims(text, "attack")
    assert attack.text == "assault"
    assert not mentions(attack) & {"Balakliia", "Kupiansk"}


def test_places_of_the_verb_after_instead_of_are_not_the_clauses():
    text = "Instead of pulling its units out of Kupiansk, the army shelled the villages near Izium on Monday."
    (shelling,) = claims(text, "attack")
    assert not any("Kupiansk" in n for n in place_names(shelling))
    assert "Kupiansk" not in shelling.text


# one telling: two verbs of one kind said of the same people are one claim


def test_two_verbs_of_one_kind_on_the_same_people_are_one_claim():
    for text, n in (("Nearly 900 inhabitants of Izium were subjected to deportation and expelled from the region.", 900),
                    ("About 600 villagers of Kupiansk were subjected to ethnic cleansing and expelled from their "
                     "homes in 2022.", 600)):
        (moved,) = claims(text, "displacement")
        assert moved.quantity.value == n
        assert moved.text.endswith("and expelled")


def test_two_verbs_with_their_own_figures_stay_two_claims():
    text = "The shelling killed 12 civilians in Izium and killed 4 soldiers in Kupiansk on Monday."
    assert sorted(c.quantity.value for c in claims(text, "killing")) == [4, 12]


# "the attacks of X" names who attacked; "the shelling of X" what was hit


def test_attacks_of_a_named_actor_give_the_actor():
    (attack,) = claims("In reply to the attacks of Russia on Monday, Ukrainian units pulled back.", "attack")
    assert attack.agent == "Russia"
    assert "Russia" in attack.text
    assert not any(n == "Russia" for n in place_names(attack))


def test_shelling_of_a_city_gives_the_place():
    (attack,) = claims("The shelling of Izium by Russian forces went on through Monday.", "attack")
    assert "Izium" in mentions(attack)
    assert attack.agent and "Russia" in attack.agent


# a word with a civil sense is an attack only with an armed actor


def test_countermeasures_of_an_armed_force_are_an_attack():
    (attack,) = claims("The armed forces of Ukraine took countermeasures near Izium on Monday.", "attack")
    assert attack.agent == "armed forces of Ukraine"
    (attack,) = claims("Rebel units took counter-measures against the convoy on Monday.", "attack")
    assert "counter" in attack.text


def test_countermeasures_of_a_ministry_are_no_attack():
    assert claims("The health ministry took countermeasures against the influenza outbreak.", "attack") == []


# a necessity stated is the speaker's demand, one per thing it says must be ensured


def test_the_only_way_is_to_ensure_gives_one_demand_per_thing():
    text = ("The only way to achieve a lasting peace is to ensure the full withdrawal of foreign troops from "
            "the Kupiansk district, the safe return of the displaced persons to their homes.")
    demands = claims(text, "demand")
    assert len(demands) == 2
    assert "withdrawal" in demands[0].text and "return" in demands[1].text
    assert {d.agent for d in demands} == {"Ministry of Defence"}


def test_the_only_way_someone_knew_is_no_demand():
    assert claims("The only way he knew to reach Izium was to walk along the railway.", "demand") == []


# a verb trigger written as a lemma is only that lemma ("fell" trees is not "fall")


def test_fell_a_tree_is_not_fall():
    assert claims("The town fell after a long siege in 2022.", "resource_extraction") == []
    (logging,) = claims("A company felled thousands of oak trees in the occupied district in 2021.", "resource_extraction")
    assert "felled" in logging.text


# an event given as the cause of an event of its kind is that event, told once


def test_an_escalation_caused_by_attacks_is_one_attack_with_its_place():
    text = ("The escalation along the line of contact on 2 April 2016 as the result of attacks by the armed "
            "forces of Armenia on villages was condemned.")
    (attack,) = claims(text, "attack")
    assert "attacks by the armed forces of Armenia" in attack.text
    assert any("line of contact" in n.lower() for n in place_names(attack))


# a noun naming the occupation of a country after the occupation of its districts was told is an umbrella


def test_occupation_of_the_country_after_its_districts_restates_them():
    text = ("Russian forces occupied the Kupiansk district in 2022. They must understand that the occupation "
            "of Ukraine's lands is temporary.")
    assert len(claims(text, "control_change")) == 1


# one count for a list of people ("at least 300 men and boys") is one claim about them all


def test_people_listed_after_one_count_are_one_claim():
    (held,) = claims("Security forces detained at least 300 men and boys from west Mosul in July 2017.",
                     "detention_missing")
    assert held.quantity.value == 300 and held.affected == "men and boys"
    assert held.text.startswith("detained at least 300 men and boys")


def test_people_with_counts_of_their_own_stay_apart():
    found = claims("Militants killed 5 men and 3 boys in Mosul on Monday.", "killing")
    assert sorted(c.quantity.value for c in found) == [3, 5]


# a part of a place ("the Old City of Mosul") lies in it, whatever homonym the gazetteer knows


def test_a_part_written_of_a_city_is_no_homonym_far_away():
    (taken,) = claims("Government forces recaptured the Old City of Mosul in July 2017.", "control_change")
    assert [p.mention for p in taken.places] == ["Old City", "Mosul"]
    old_city, mosul = taken.places
    assert old_city.id is None and mosul.name == "Mosul"


def test_a_district_of_its_country_keeps_both_known():
    (taken,) = claims("The Kalbajar district of Azerbaijan was occupied in April 1993.", "control_change")
    assert [p.name for p in taken.places] == ["Kalbajar"]


# a verb the parser gave two subjects (a dateline taken for one) has the one nearest before it


def test_dateline_before_the_subject_is_no_actor():
    (act,) = claims("date 2024-03-05 On March 4, the Supreme Court issued a ruling against the mayor of Lviv.", "legal_act")
    assert "Supreme Court" in act.agent


# a verb that says nothing of its kind about its object leaves the claim to the noun it took


def test_condemned_prosecution_is_the_prosecution():
    (act,) = claims("The ministry condemned Belarus's criminal prosecution of journalists.", "legal_act")
    assert "prosecution" in act.text
    assert act.agent == "Belarus"


def test_prosecution_not_condemned_is_no_claim():
    assert claims("The ministry did not condemn Belarus's criminal prosecution of journalists.", "legal_act") == []


# a participle describing a noun says where it happened; a possessor is not the noun's place


def test_captured_person_is_no_change_of_control():
    text = "The ministry condemned Minsk's prosecution of Ivan Petrov, captured during the fighting near Bakhmut."
    assert claims(text, "control_change") == []
    (taken,) = claims("Russian forces captured the town of Bakhmut in May 2023.", "control_change")
    assert any("Bakhmut" in n for n in place_names(taken))


# words with a civil sense change control only in the hands of an armed force


def test_refugees_entering_a_country_is_no_change_of_control():
    assert claims("Thousands of refugees entered Poland on Sunday.", "control_change") == []


def test_troops_entering_a_town_change_its_control():
    (entry,) = claims("Russian troops entered Kherson on 2 March 2022.", "control_change")
    assert any("Kherson" in n for n in place_names(entry))


# an adverb may stand inside a phrase trigger ("came fully under … control")


def test_came_fully_under_control():
    (change,) = claims("The city of Kherson came fully under Russian control in March 2022.", "control_change")
    assert any("Kherson" in n for n in place_names(change))
    assert claims("The fire came quickly under control.", "control_change") == []


# a purpose is not an event ("an offensive to retake X")


def test_offensive_to_retake_a_town_is_no_change_of_control():
    assert claims("The army began an offensive to retake Kupiansk.", "control_change") == []
    (retaken,) = claims("The army retook the city of Kherson in November 2022.", "control_change")
    assert any("Kherson" in n for n in place_names(retaken))


# a legal act on a person: "sentenced X", "X received a sentence", "charges against 12 soldiers"


def test_sentenced_person_is_a_legal_act_on_them():
    (act,) = claims("The tribunal sentenced Ivan Petrov to 15 years in prison.", "legal_act")
    assert act.affected == "Ivan Petrov"
    assert act.instrument == "sentence"
    assert claims("The tribunal will sentence Ivan Petrov next week.", "legal_act") == []


def test_received_a_sentence_is_a_legal_act_on_the_subject():
    (act,) = claims("Ivan Petrov received a ten-year sentence.", "legal_act")
    assert act.affected == "Ivan Petrov"
    assert claims("The sentence was long.", "legal_act") == []


def test_cases_against_counted_people_are_a_legal_act():
    (act,) = claims("The criminal cases against 12 Ukrainian soldiers violate the law.", "legal_act")
    assert act.quantity.value == 12
    assert "soldiers" in act.affected
    assert claims("The criminal cases were discussed at length.", "legal_act") == []


def test_cases_against_other_people_are_no_restatement():
    text = "Belarus brought charges against 5 journalists. The criminal cases against 7 activists were condemned."
    assert [c.quantity.value for c in claims(text, "legal_act")] == [5, 7]


# an instrument of a body was issued by it


def test_decisions_of_a_court_are_the_courts():
    (act,) = claims("Belarus ignores the decisions of the European Court of Human Rights.", "legal_act")
    assert "European Court" in act.agent
    assert claims("The decisions of the family were difficult.", "legal_act") == []


# a noun coordinated after another shares the possessor and the "of" phrase written around the pair


def test_aggression_and_occupation_of_a_region_share_actor_and_place():
    text = "Experts documented the damage caused by Russia's aggression and occupation of the Kherson region."
    (change,) = claims(text, "control_change")
    assert change.agent and "Russia" in change.agent
    assert any("Kherson" in n for n in place_names(change))


# "the withdrawal of X": X withdrew; two nouns with their own "of" phrases are two events


def test_withdrawal_and_entry_of_forces_are_two_changes_of_control():
    text = ("In Kherson the fighting ended only after the withdrawal of Russian troops and the entry of "
            "Ukrainian forces on 11 November 2022.")
    changes = claims(text, "control_change")
    assert len(changes) == 2
    assert "Russian troops" in changes[0].agent or "Russia" in changes[0].agent
    assert claims("The withdrawal of the ambassador was announced on Monday.", "control_change") == []


# instruments issued one to a person: a warrant for each


def test_warrants_for_two_people_are_two_claims():
    text = "The court issued arrest warrants for the commander Ivan Petrov and the governor Oleg Sidorov."
    acts = claims(text, "legal_act")
    assert len(acts) == 2
    assert "Sidorov" in acts[1].affected


def test_charges_against_two_people_stay_one_claim():
    assert len(claims("Belarus brought charges against Ivan Petrov and Oleg Sidorov.", "legal_act")) == 1


def test_submitted_application_is_a_legal_act():
    (act,) = claims("The prosecutors submitted a report on the shelling of Kherson to the court on 3 May 2023.", "legal_act")
    assert act.agent == "prosecutors"
    assert claims("The soldiers submitted to the rebels.", "legal_act") == []


# places: a compass adjective before a place is part of the mention ("northern Kharkiv"); a list that
# shares a name's last words names each place ("North and South Darfur")


def test_compass_adjective_stays_with_the_place():
    (attack,) = claims("Rockets were fired into northern Kharkiv on Sunday.", "attack")
    assert [p.mention for p in attack.places] == ["northern Kharkiv"]
    (attack,) = claims("Rockets were fired into Kharkiv on Sunday.", "attack")
    assert [p.mention for p in attack.places] == ["Kharkiv"]


def test_shared_last_words_name_each_place():
    (moved,) = claims("Fighting has displaced some 5,000 people in North and South Darfur since January.", "displacement")
    assert {"North Darfur", "South Darfur"} <= place_names(moved)
    (moved,) = claims("Fighting has displaced some 5,000 people in Kharkiv and South Darfur since January.", "displacement")
    assert "North Darfur" not in place_names(moved)


# weapons: a bare weapon noun before a bracketed aside modifies the noun after it ("drone (…) attacks");
# an attack noun that names its weapon is the weapon ("air strike")


def test_weapon_across_a_bracketed_aside_is_plural():
    (killing,) = claims("Twelve people were killed in drone (including Shahed) attacks on Kharkiv.", "killing")
    assert killing.weapons == ["drones"]
    (attack,) = claims("A drone (a Shahed) hit the town.", "attack")
    assert attack.weapons == ["drone"]


def test_air_strike_names_its_weapon():
    (attack,) = claims("Three people died after Monday's air strike in Kharkiv.", "attack")
    assert attack.weapons == ["air strike"]
    (attack,) = claims("Three people died after Monday's attack in Kharkiv.", "attack")
    assert attack.weapons == []


# arguments: "as" read as a preposition leaves the verb after its object without a subject ("as jets
# from X began to bomb"): that object is the subject


def test_subject_the_parser_took_for_the_object_of_as():
    text = "On 4 May 2001, the city went quiet as jets from the Northern Defence Alliance began to bomb targets in Kharkiv."
    (attack,) = claims(text, "attack")
    assert attack.weapons == ["jets"]
    assert attack.agent == "Northern Defence Alliance"
    (attack,) = claims("On 4 May 2001, the city went quiet as the rebels began to bomb targets in Kharkiv.", "attack")
    assert attack.weapons == []


# sites: a facility's shortened acronym after its full name ("the NPP"); a town labelled a facility
# by the model is a place, not a site


def test_shortened_acronym_is_the_facility_named_in_full():
    text = "Shells fell near the Karvona Nuclear Power Plant on 3 May. Rebel forces have been using heavy artillery to shell the NPP."
    attack = [c for c in claims(text, "attack") if "NPP" in c.text]
    assert attack and attack[0].site == "Karvona Nuclear Power Plant"
    (attack,) = claims("Rebel forces have been using heavy artillery to shell the NPP.", "attack")
    assert attack.site is None


def test_town_labelled_a_facility_is_no_site():
    from spacy.tokens import Span

    from docket.extract.nlp import load_model
    from docket.extract.pipeline import Located, _site
    from docket.gazetteer import default_gazetteer

    doc = load_model()("Observers reported the destruction of the old cemetery in Kharkiv.")
    town = doc[-2:-1]
    doc.ents = [Span(doc, town.start, town.end, label="FAC")]
    place = default_gazetteer().lookup("Kharkiv")[0]
    assert _site(list(doc), doc) == "Kharkiv"
    assert _site(list(doc), doc, [Located(town.start_char, town.end_char, place, "Kharkiv")]) is None


def test_a_namesake_900_km_from_the_story_is_not_taken():
    text = ("Government forces recaptured the Old City of Mosul in July 2017. Residents said that homes in the "
            "Old City were looted afterwards.")
    (looted,) = claims(text, "looting")
    assert all(p.id is None or p.name == "Mosul" for p in looted.places)


# agents: the statement's own authors, the accused, the party an event came of, acronyms written out


def _claims_by(publisher: str, text: str, kind: str):
    found, _ = extract(text, DocumentMeta(publisher=publisher, published="2024-03-05"))
    return [c for c in found if c.kind == kind]


def test_article_of_a_split_subject_is_no_actor():
    (talks,) = _claims_by("Co-Chairs of the Peace Forum", "The Co-Chairs held talks with the foreign ministers in Vienna on 3 May.",
                          "diplomacy")
    assert talks.agent and "Co-Chairs" in talks.agent
    (talks,) = _claims_by("Co-Chairs of the Peace Forum", "The envoys held talks with the foreign ministers in Vienna on 3 May.",
                          "diplomacy")
    assert "Co-Chairs" not in (talks.agent or "")


def test_body_known_by_its_acronym_is_written_out():
    (demand,) = claims("The IAEA urged the parties to set up a safety zone around the plant.", "demand")
    assert demand.agent == "International Atomic Energy Agency"
    (demand,) = claims("The ICC prosecutors demanded the arrest of the commander.", "demand")
    assert demand.agent == "ICC prosecutors"  # a phrase with more words than the name stays as written


def test_the_accused_is_the_actor_of_what_they_are_accused_of():
    text = "Gangs of criminals roam the capital. The government accuses the militia of looting banks, shops and homes."
    looted = claims(text, "looting")
    assert looted and all(c.agent == "militia" for c in looted)
    text = "Gangs of criminals roam the capital. The government blames the rebels for shelling the market."
    (attack,) = claims(text, "attack")
    assert attack.agent == "rebels" and "shelling" not in attack.agent


def test_an_event_is_no_actor():
    text = ("People gathered on Friday to mark 25 years since the second Dorvan massacre, when rebel forces fired "
            "mortar shells which hit the crowded Dorvan market, killing 43 and injuring 84 people.")
    (killing,) = claims(text, "killing")
    assert killing.agent == "rebel forces"
    text = "People gathered on Friday to mark 25 years since the second Dorvan massacre, which killed 43 people."
    assert all("massacre" not in (c.agent or "") for c in claims(text, "killing"))


def test_an_act_told_on_keeps_its_actor():
    text = "The tribunal sentenced two former officers for the shelling of the city. One was sentenced to life in prison."
    acts = claims(text, "legal_act")
    assert len(acts) == 2 and all(c.agent == "tribunal" for c in acts)
    text = "The militia shelled the city in May. One officer was sentenced to life in prison."
    (act,) = claims(text, "legal_act")
    assert act.agent is None  # an act of another kind before it is no actor of this one


def test_the_party_whose_attack_caused_a_death_is_its_actor():
    text = "The militia shelled the port on Monday. Forty civilians have been killed in the junta's air strikes on towns."
    killing = next(c for c in claims(text, "killing"))
    assert killing.agent == "junta"
    text = "The militia shelled the port on Monday. Twelve villagers were killed as a result of the rebels' shelling."
    assert next(c for c in claims(text, "killing")).agent == "rebels"
    text = "The militia shelled the port on Monday. Forty civilians have been killed in the town's main square."
    assert next(c for c in claims(text, "killing")).agent != "town"


def test_acronym_given_with_or_is_written_out():
    text = ("Clashes between the Northern Liberation Front, or NLF, and the army went on. "
            "Residents said the NLF shelled the market in Dorvan.")
    (attack,) = [c for c in claims(text, "attack") if "market" in c.text]
    assert attack.agent == "Northern Liberation Front (NLF)"
    text = "Clashes between the Northern Front, or NLF, and the army went on. Residents said the NLF shelled the market in Dorvan."
    (attack,) = [c for c in claims(text, "attack") if "market" in c.text]
    assert attack.agent == "NLF"  # initials that do not spell it are no long form


# object categories from the vocabulary


def test_markets_and_residential_buildings_are_their_own_categories():
    cats = {c.object.category for c in claims("Gunmen looted banks, gold markets and homes in Dorvan.", "looting") if c.object}
    assert {"market", "house"} <= cats
    cats = {c.object.category for c in claims("The shelling destroyed 40 residential buildings and 3 houses in Dorvan.",
                                              "destruction") if c.object}
    assert cats == {"residential_building", "house"}


def test_infrastructure_attacked_is_the_object():
    (attack,) = claims("Rebel forces also attacked infrastructure in Dorvan.", "attack")
    assert attack.object is not None and attack.object.category == "infrastructure"
    assert attack.quantity is None  # a mass noun counts nothing
    (attack,) = claims("Rebel forces also attacked Dorvan.", "attack")
    assert attack.object is None


def test_cross_stones_are_monuments_and_minarets_religious_sites():
    text = "Soldiers demolished three khachkars and the old minaret in Dorvan."
    cats = {c.object.category for c in claims(text, "destruction") if c.object}
    assert cats == {"monument", "religious_site"}


# dates: a participle on the subject dates the verb


def test_participle_on_the_subject_dates_the_act():
    (act,) = claims("The Security Council, meeting in emergency session on 3 March, adopted a resolution on the war.",
                    "legal_act")
    assert act.when is not None and act.when.start == "2024-03-03"
    (act,) = [c for c in claims("The Security Council, which met on 3 March, adopted a resolution on Friday.", "legal_act")]
    assert act.when is not None and act.when.start == "2024-03-01"  # a relative clause dates its own verb


# people: a count broken down in parentheses, or an uncounted "including" item, is the same people


def test_parenthesised_breakdown_is_no_claim_of_its_own():
    text = "Of the 40 hostages, 9 were later found dead (6 men and 3 women) near Kharkiv."
    (killing,) = claims(text, "killing")
    assert killing.quantity.value == 9


def test_counted_items_outside_parentheses_are_claims():
    text = "In all, 6 men and 3 women were found dead in Kharkiv."
    assert sorted(c.quantity.value for c in claims(text, "killing")) == [3, 6]


def test_uncounted_including_item_is_no_claim():
    (killing,) = claims("At least 90 soldiers, including officers, died near Kharkiv on Monday.", "killing")
    assert killing.quantity.value == 90
    found = claims("At least 90 people, including 12 children, died near Kharkiv on Monday.", "killing")
    assert sorted(c.quantity.value for c in found) == [12, 90]


# restatements: a relative clause on a definite, uncounted noun presupposes its event


def test_relative_clause_on_definite_noun_restates_the_story():
    text = ("A drone strike killed 8 villagers in Kharkiv on Sunday. "
            "The mayor said that the villagers who died were farmers.")
    (killing,) = claims(text, "killing")
    assert killing.quantity.value == 8


def test_relative_clause_told_first_is_a_claim():
    (killing,) = claims("The mayor said that the villagers who died in Kharkiv on Sunday were farmers.", "killing")
    assert killing.affected == "villagers"


# lists: the items a list goes on with, hung by the parser on one another, are each a claim


def test_list_items_hung_on_each_other_are_each_looted():
    text = "The police accuse the militia of plundering shops, grain markets, banks and cars in Kharkiv."
    cats = {c.object.category for c in claims(text, "looting") if c.object}
    assert {"market", "bank", "vehicle"} <= cats


def test_vehicles_named_without_a_looting_verb_are_no_looting():
    assert claims("Banks and cars stood empty in Kharkiv.", "looting") == []


# diplomacy: a compound of two of the kind's nouns is one event, read from its head; "reach", "end"
# and the like carry the noun they take


def test_compound_of_the_kinds_nouns_is_one_event_with_its_actor():
    (d,) = claims("The rebels, who ended a truce agreement with the army in March, now hold the town.", "diplomacy")
    assert d.agent == "rebels"
    (d,) = claims("The two parties reached a ceasefire agreement in Doha on Friday.", "diplomacy")
    assert d.agent == "two parties"


def test_bare_compound_noun_is_no_claim():
    assert claims("A ceasefire agreement is what everyone wants.", "diplomacy") == []


# preambles: the by-phrase after the object of an opening participle is the noun's actor


def test_preamble_participle_by_phrase_is_the_nouns_actor():
    text = "Recalling the Agreement on the disarmament of Kharkiv of 3 May 2001 by the two governments,"
    (d,) = claims(text, "diplomacy")
    assert d.agent and "two governments" in d.agent
    assert str(d.when.start).startswith("2001-05-03")


def test_by_phrase_of_a_subjectless_verb_is_no_actor_of_its_object():
    # a finite verb's by-phrase is its means, not the actor of its object noun
    assert all(c.agent is None or "governments" not in c.agent for c in claims(
        "Recalling the agreement, the council marked it by the two governments' flags.", "diplomacy"))

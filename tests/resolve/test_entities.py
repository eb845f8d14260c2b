"""Entity resolution: names that must meet in one entity, look-alikes that must stay apart, and the
user's merge and split decisions."""

import pytest

from docket.resolve.entities import Decision, build_entities

# (name, role), (name, role): one entity
SAME = [
    (("armed forces of Armenia", "agent"), ("Armenian armed forces", "agent")),
    (("armed forces of Armenia", "agent"), ("the Armenian side", "agent")),
    (("Armenian forces", "agent"), ("Armenian troops", "agent")),
    (("army of Armenia", "agent"), ("Armenian military", "agent")),
    (("armed forces of Azerbaijan", "agent"), ("Azerbaijani armed forces", "agent")),
    (("UN Security Council", "agent"), ("Security Council", "agent")),
    (("UNSC", "agent"), ("United Nations Security Council", "agent")),
    (("U.N. Security Council", "agent"), ("Security Council", "attributed_to")),
    (("resolution 822 (1993)", "instrument"), ("Resolution 822", "instrument")),
    (("S/RES/822 (1993)", "instrument"), ("resolution 822 (1993)", "instrument")),
    (("S/RES/853 (1993)", "instrument"), ("Resolution 853", "instrument")),
    (("UNSCR 884", "instrument"), ("S/RES/884 (1993)", "instrument")),
    (("Base Metals CJSC", "company"), ("Base Metals", "company")),
    (("Vallex Group CJSC", "parent_company"), ("Vallex Group", "company")),
    (("GeoProMining Ltd.", "parent_company"), ("GeoProMining", "company")),
    (("GeoProMining Ltd.", "company"), ("GeoProMining Limited", "company")),
    (("the Ministry of Foreign Affairs of Armenia", "attributed_to"), ("Armenian Foreign Ministry", "attributed_to")),
    (("Ministry of Foreign Affairs of Azerbaijan", "attributed_to"), ("Azerbaijani MFA", "attributed_to")),
    (("Government of Armenia", "agent"), ("Armenian government", "agent")),
    (("Government of Azerbaijan", "agent"), ("Azerbaijani authorities", "agent")),
    (("OSCE Minsk Group", "agent"), ("Minsk Group", "agent")),
    (("CSCE Minsk Group", "agent"), ("OSCE Minsk Group", "agent")),
    (("Organization for Security and Co-operation in Europe", "agent"), ("OSCE", "agent")),
    (("International Committee of the Red Cross", "agent"), ("ICRC", "agent")),
    (("Human Rights Watch", "corroborated_by"), ("HRW", "agent")),
    (("UNHCR", "agent"), ("UN Refugee Agency", "agent")),
    (("Mr. Mario Raffaelli", "attributed_to"), ("Mario Raffaelli", "attributed_to")),
    (("Artsakh Defence Army", "agent"), ("Artsakh Defense Army", "agent")),
    (("Caucasus Rights Monitor", "attributed_to"), ("the Caucasus Rights Monitor", "attributed_to")),
    (("Soyudlu gold mine", "site"), ("the Soyudlu gold mine", "site")),
    (("Secretary-General", "agent"), ("UN Secretary General", "agent")),
]

# look-alikes that must stay two entities
APART = [
    (("Vallex Group CJSC", "company"), ("Base Metals CJSC", "company")),
    (("GPM Gold", "company"), ("GeoProMining Ltd.", "parent_company")),
    (("Security Council", "agent"), ("Human Rights Council", "agent")),
    (("UN Security Council", "agent"), ("President of the United Nations Security Council", "agent")),
    (("armed forces of Armenia", "agent"), ("armed forces of Azerbaijan", "agent")),
    (("Armenian side", "agent"), ("Azerbaijani side", "agent")),
    (("Government of Armenia", "agent"), ("Government of Azerbaijan", "agent")),
    (("Ministry of Foreign Affairs of Armenia", "attributed_to"), ("Ministry of Defence of Armenia", "attributed_to")),
    (("resolution 822 (1993)", "instrument"), ("resolution 823", "instrument")),
    (("S/RES/853 (1993)", "instrument"), ("S/RES/874 (1993)", "instrument")),
    (("Human Rights Watch", "agent"), ("Human Rights Council", "agent")),
    (("Amnesty International", "agent"), ("International Committee of the Red Cross", "agent")),
    (("Soyudlu gold mine", "site"), ("Gyzylbulag mine", "site")),
    (("Caucasus Rights Monitor", "attributed_to"), ("Caucasus Field Review", "attributed_to")),
    (("UNHCR", "agent"), ("UN Security Council", "agent")),
    (("General Assembly", "agent"), ("Secretary-General", "agent")),
    (("European Union", "agent"), ("European Parliament", "agent")),
    (("Base Metals", "company"), ("Base Minerals", "company")),
]


def test_enough_pairs():
    assert len(SAME) >= 30 and len(APART) >= 15


@pytest.mark.parametrize("a, b", SAME)
def test_names_of_one_entity_merge(a, b):
    index = build_entities([a, b])
    assert index.resolve(a[0]).id == index.resolve(b[0]).id, index.resolve(a[0]).aliases


@pytest.mark.parametrize("a, b", APART)
def test_look_alikes_stay_apart(a, b):
    index = build_entities([a, b])
    assert index.resolve(a[0]).id != index.resolve(b[0]).id


def test_all_at_once_matches_pairwise():
    """Resolving every name together gives the same answers as the pairs alone."""
    names = {x for pair in SAME + APART for x in pair}
    index = build_entities(names)
    for a, b in SAME:
        assert index.resolve(a[0]).id == index.resolve(b[0]).id, (a, b)
    for a, b in APART:
        assert index.resolve(a[0]).id != index.resolve(b[0]).id, (a, b)


def test_display_names_and_types():
    index = build_entities([("Armenian side", "agent"), ("Resolution 822", "instrument"), ("Base Metals CJSC", "company")])
    assert index.resolve("Armenian side").name == "armed forces of Armenia"
    assert index.resolve("Armenian side").type == "armed_forces"
    assert index.resolve("Resolution 822").name == "S/RES/822 (1993)"
    assert index.resolve("Base Metals CJSC").type == "company"


def test_decisions_are_replayed_in_order():
    names = [("Caucasus Rights Monitor", "attributed_to"), ("CRM", "attributed_to"), ("Base Metals", "company")]
    merged = build_entities(names, [Decision("merge", "Caucasus Rights Monitor", "CRM")])
    assert merged.resolve("CRM").id == merged.resolve("Caucasus Rights Monitor").id
    split = build_entities(names, [Decision("merge", "Caucasus Rights Monitor", "CRM"), Decision("split", "CRM")])
    assert split.resolve("CRM").id != split.resolve("Caucasus Rights Monitor").id

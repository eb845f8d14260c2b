"""The gazetteer: the founding press release's places resolve to the right entries, both sides' names
meet at one place, unknown names stay unresolved, and ambiguous ones are not guessed."""

import pytest

from docket.extract.claims import extract_claims
from docket.gazetteer import default_gazetteer
from docket.gazetteer.resolve import geocode, mention_for, resolve
from docket.ingest import read_document
from docket.services.evaluation import load_gold
from tests.conftest import GOLD, PRESS_RELEASE, needs_shared

# every place and site of the gold file, and the entry it must resolve to
GOLD_PLACES = {
    "Kalbajar": "geonames:586047",  # the district (GeoNames AZ.26)
    "Azerbaijan": "geonames:587116",
    "Agdam": "geonames:148617",
    "Aghdara": "docket:aghdara",
    "Fizuli": "geonames:148107",
    "Gubadly": "geonames:147694",
    "Jabrayil": "geonames:148140",
    "Zangilan": "geonames:146900",
    "Heyvaly": "docket:heyvaly",
    "Istisu": "geonames:147969",
    "Soyudlu": "docket:soyudlu",
    "Vang": "docket:vang",
    "Vardenis": "geonames:616108",
    "line of contact": "docket:line-of-contact",
    "Ganjasar": "docket:ganjasar",
    "Khudavank": "docket:khudavank",
    "Gyzylbulag mine": "docket:gyzylbulag-mine",
    "Soyudlu gold mine": "docket:soyudlu-mine",
}


@pytest.fixture(scope="module")
def gaz():
    return default_gazetteer()


@needs_shared
def test_every_gold_place_resolves_to_its_entry(gaz):
    doc = read_document(PRESS_RELEASE).doc
    claims = extract_claims(doc.text, doc.meta, gaz)
    _, gold = load_gold(GOLD, doc.text)
    checked = set()
    for g in gold:
        names = list(g.slots.get("places") or []) + ([g.slots["site"]] if g.slots.get("site") else [])
        if not names:
            continue
        match = [c for c in claims if c.kind == g.kind and c.span[0] < g.span[1] and g.span[0] < c.span[1]]
        if not match:
            assert g.optional, g.id  # a required gold claim is always found (test_eval checks it too)
            continue
        ids = {p.id for c in match for p in c.places}
        for name in names:
            assert GOLD_PLACES[name] in ids, (g.id, name, ids)
            checked.add(name)
        for c in match:
            assert all(p.lat is not None and p.lon is not None for p in c.places), c.places
    assert checked == set(GOLD_PLACES)


# names from both sides, transliterations and scripts, and the entry both must denote
ALIAS_PAIRS = [
    ("Kalbajar", "Kelbajar", "geonames:586047"), ("Kalbajar", "Kəlbəcər", "geonames:586047"),
    ("Kalbajar", "Karvachar", "geonames:586047"), ("Kalbajar", "Kelbadjar", "geonames:586047"),
    ("Kelbajar", "Քարվաճառ", "geonames:586047"), ("Kəlbəcər", "Кельбаджар", "geonames:586047"),
    ("Kalbajar", "Kelbadzhar", "geonames:586047"), ("Kalbajar", "Qarvachar", "geonames:586047"),
    ("Khudavank", "Dadivank", "docket:khudavank"), ("Xudavəng", "Դադիվանք", "docket:khudavank"),
    ("Ganjasar", "Gandzasar", "docket:ganjasar"), ("Gəncəsər", "Գանձասար", "docket:ganjasar"),
    ("Lachin", "Berdzor", "geonames:147625"), ("Laçın", "Բերձոր", "geonames:147625"),
    ("Lachin", "Kashatagh", "geonames:147626"),
    ("Aghdara", "Martakert", "docket:aghdara"), ("Ağdərə", "Mardakert", "docket:aghdara"),
    ("Aghdara", "Մարտակերտ", "docket:aghdara"),
    ("Khankendi", "Stepanakert", "geonames:146970"), ("Xankəndi", "Ստեփանակերտ", "geonames:146970"),
    ("Khankendi", "Степанакерт", "geonames:146970"),
    ("Shusha", "Shushi", "geonames:147105"), ("Şuşa", "Շուշի", "geonames:147105"),
    ("Vang", "Vəng", "docket:vang"), ("Heyvaly", "Drmbon", "docket:heyvaly"),
    ("Heyvalı", "Դրմբոն", "docket:heyvaly"),
    ("Agdam", "Akna", "geonames:148619"), ("Ağdam", "Aghdam", "geonames:148617"),
    ("Fizuli", "Füzuli", "geonames:148107"), ("Fuzuli", "Varanda", "geonames:148106"),
    ("Jabrayil", "Jebrail", "geonames:148140"), ("Cəbrayıl", "Jrakan", "geonames:148141"),
    ("Gubadly", "Kubatly", "geonames:147694"), ("Qubadlı", "Kashunik", "geonames:147305"),
    ("Zangilan", "Zangelan", "geonames:146900"), ("Zəngilan", "Kovsakan", "geonames:146901"),
    ("Horadiz", "Goradiz", "geonames:148003"),
    ("Nagorno-Karabakh", "Artsakh", "docket:nagorno-karabakh"),
    ("Nagorno-Karabakh", "Dağlıq Qarabağ", "docket:nagorno-karabakh"),
    ("Nagorny Karabakh", "Нагорный Карабах", "docket:nagorno-karabakh"),
    ("Gyzylbulag", "Drmbon mine", "docket:gyzylbulag-mine"), ("Qızılbulaq", "Kyzylbulag", "docket:gyzylbulag-mine"),
    ("Soyudlu gold mine", "Zod gold mine", "docket:soyudlu-mine"), ("Soyudlu", "Söyüdlü", "docket:soyudlu"),
    ("Vardenis", "Basarkechar", "geonames:616108"), ("Tartar", "Tərtər", "geonames:584871"),
    ("Istisu", "İstisu", "geonames:147969"), ("Vardenis-Aghdara highway", "Vardenis-Martakert highway",
                                               "docket:vardenis-aghdara-highway"),
]


def test_at_least_forty_alias_pairs():
    assert len(ALIAS_PAIRS) >= 40
    assert len({(a, b) for a, b, _ in ALIAS_PAIRS}) == len(ALIAS_PAIRS)


@pytest.mark.parametrize("a, b, pid", ALIAS_PAIRS)
def test_both_names_denote_the_same_place(gaz, a, b, pid):
    assert pid in {p.id for p in gaz.lookup(a)}, a
    assert pid in {p.id for p in gaz.lookup(b)}, b


def test_names_keep_their_language(gaz):
    names = dict(gaz.names(gaz.get("geonames:586047")))
    assert names["Karvachar"] == "alias (hy-Latn)"
    assert names["Kəlbəcər"] == "alias (az)"
    assert names["Кельбаджар"] == "alias (ru)"


def test_containment_resolves_the_village(gaz):
    text = "Heyvaly village in the Kalbajar district lies near the mine."
    found = {r.text: r.place.id for r in geocode(text, gaz) if r.place}
    assert found["Heyvaly village"] == "docket:heyvaly"
    assert gaz.is_within(gaz.get("docket:heyvaly"), gaz.get("geonames:586047"))


def test_unknown_names_are_not_forced_onto_a_place(gaz):
    text = "Refugees from Zzyxqorabad and Qwertyvank gathered near the river."
    mentions = [mention_for(text, text.index(n), text.index(n) + len(n), gaz) for n in ("Zzyxqorabad", "Qwertyvank")]
    for r in resolve(mentions, gaz, text):
        assert r.place is None and r.reason == "not in the gazetteer"
    assert [r for r in geocode(text, gaz) if r.place is not None] == []


def test_an_ambiguous_name_is_not_guessed_but_context_decides(gaz):
    alone = "Officials in Springfield said the budget was approved."
    m = mention_for(alone, alone.index("Springfield"), alone.index("Springfield") + 11, gaz)
    r = resolve([m], gaz, alone)[0]
    assert r.place is None and r.reason.startswith("ambiguous")
    placed = "Officials in Springfield, Ill., said the budget was approved."
    ms = [mention_for(placed, placed.index(n), placed.index(n) + len(n), gaz) for n in ("Springfield", "Ill.")]
    first = resolve(ms, gaz, placed)[0]
    assert first.place is not None and first.place.admin1 == "US.IL"


def test_world_base_layer_answers_worldwide(gaz):
    for name, country in [("Paris", "FR"), ("Yerevan", "AM"), ("Baku", "AZ"), ("Ganja", "AZ"), ("Tbilisi", "GE")]:
        text = f"The delegation arrived in {name} on Monday."
        hits = [r for r in geocode(text, gaz) if r.place is not None]
        assert hits and hits[0].place.country == country, (name, hits)

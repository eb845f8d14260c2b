"""Places in running text (extract/places.py): every failure class seen on real documents, with
sentences written here: at least two where the right place must come out, one where none may."""

import pytest

from docket.extract.document import read
from docket.extract.places import PlaceMention, find_places
from docket.gazetteer import default_gazetteer
from docket.gazetteer.resolve import haversine_km
from docket.model import DocumentMeta

# points the places must lie near (GeoNames)
GENEVA = (46.202, 6.146)
GOMA = (-1.674, 29.228)
TARTAR = (40.342, 46.932)
BAKU = (40.377, 49.892)
SHUSHA = (39.760, 46.750)
PARIS = (48.853, 2.349)
PARIS_TEXAS = (33.661, -95.556)
NEW_YORK = (40.714, -74.006)
VIENNA = (48.208, 16.372)
KHARKIV = (49.981, 36.253)
MARIUPOL = (47.095, 37.541)
ZANGILAN = (39.086, 46.652)
DAMASCUS = (33.510, 36.291)


@pytest.fixture(scope="module")
def gaz():
    return default_gazetteer()


def places(gaz, text: str, meta: DocumentMeta | None = None) -> list[PlaceMention]:
    return find_places(read(text, lambda s: True), gaz, meta)


def named(found: list[PlaceMention], text: str) -> list[PlaceMention]:
    return [m for m in found if m.text == text or m.text.startswith(text + " ")]


def near(m: PlaceMention, point: tuple[float, float], km: float = 50) -> bool:
    return m.place is not None and m.place.lat is not None and haversine_km(m.place.lat, m.place.lon, *point) <= km


def the_place(found: list[PlaceMention], text: str, point: tuple[float, float], role: str = "place") -> PlaceMention:
    ms = named(found, text)
    assert ms, (text, found)
    assert all(m.role == role for m in ms), ms
    assert all(near(m, point) for m in ms), ms
    return ms[0]


def test_a_mention_carries_offsets_text_and_reference(gaz):
    text = "Armenian forces shelled the Tartar district on Monday."
    found = places(gaz, text)
    tartar = the_place(found, text="Tartar district", point=TARTAR)
    assert text[tartar.start : tartar.end] == "Tartar district"
    assert tartar.place.mention == "Tartar district" and tartar.place.id
    armenian = named(found, "Armenian")[0]
    assert armenian.role == "context"  # a people or an adjective: context, never where
    assert armenian.place is not None and armenian.place.feature == "country"


# ------------------------------------------------------------------ an NGO's initials


def test_initials_are_not_places_unless_they_name_a_country(gaz):
    found = places(gaz, "An NGO said the shelling of Tartar killed two civilians.")
    assert not named(found, "NGO")
    the_place(found, "Tartar", TARTAR)
    found = places(gaz, "Fighting spread in the eastern DRC, where rebels advanced on Goma.")
    assert named(found, "DRC")[0].place.feature == "country"
    the_place(found, "Goma", GOMA)


def test_an_ngos_initials_are_not_a_town(gaz):
    assert places(gaz, "CHW said its analysts compared the satellite images from both years.") == []


# ------------------------------------------------------------------ an agency's name


def test_an_agencys_name_is_not_a_place(gaz):
    found = places(gaz, "Baku/12.03.21/Turan: Armenian forces shelled Tartar overnight, the ministry said.")
    assert not named(found, "Turan")
    the_place(found, "Baku", BAKU, role="dateline")
    the_place(found, "Tartar", TARTAR)
    found = places(gaz, "Anadolu Agency reported that troops had entered Damascus.")
    assert not named(found, "Anadolu")
    the_place(found, "Damascus", DAMASCUS)


def test_the_publishers_own_name_is_not_a_place(gaz):
    meta = DocumentMeta(publisher="Turan Information Agency")
    assert places(gaz, "Turan learned that the talks had stalled again.", meta) == []


# ------------------------------------------------------------------ a group named after a city


def test_a_group_named_after_a_city_is_not_that_city(gaz):
    found = places(gaz, "The co-chairs of the OSCE Minsk Group met the two ministers in Vienna.")
    assert not named(found, "Minsk")
    the_place(found, "Vienna", VIENNA)
    found = places(gaz, "The Minsk Group called for the release of the soldiers detained in Shusha.")
    assert not [m for m in named(found, "Minsk") if m.role == "place"]
    the_place(found, "Shusha", SHUSHA)


def test_where_a_company_is_registered_or_based_is_context(gaz):
    found = places(gaz, "A subsidiary of a holding registered in Liechtenstein has been mining gold near Tartar since 2002.")
    assert [m.role for m in named(found, "Liechtenstein")] == ["context"]
    the_place(found, "Tartar", TARTAR)
    found = places(gaz, "The contractor, which is headquartered in Paris, demolished the old mosque in Tartar.")
    assert [m.role for m in named(found, "Paris")] == ["context"]
    the_place(found, "Tartar", TARTAR)
    # where something happened stays a place, whatever the verb's neighbours
    found = places(gaz, "Two journalists registered as observers were detained in Baku.")
    the_place(found, "Baku", BAKU)


def test_a_convention_named_after_a_city_is_not_that_city(gaz):
    found = places(gaz, "The treatment of the detainees violates the Geneva Conventions and the Minsk Protocol.")
    assert not [m for m in found if m.role == "place"]


# ------------------------------------------------------------------ a person's title


def test_a_country_in_a_title_is_context(gaz):
    found = places(gaz, "The Foreign Minister of Armenia said that Shusha had been shelled.")
    assert named(found, "Armenia")[0].role == "context"
    the_place(found, "Shusha", SHUSHA)
    found = places(gaz, "Ukraine's foreign minister said Russian forces shelled Kharkiv again.")
    assert named(found, "Ukraine")[0].role == "context"
    the_place(found, "Kharkiv", KHARKIV)


def test_a_title_places_nothing(gaz):
    found = places(gaz, "The President of Azerbaijan received the Ambassador of France on Tuesday.")
    assert found and all(m.role == "context" for m in found), found


def test_a_government_acting_is_context_and_its_target_a_place(gaz):
    found = places(gaz, "Russia has shelled Mariupol for weeks.")
    assert named(found, "Russia")[0].role == "context"
    the_place(found, "Mariupol", MARIUPOL)


# ------------------------------------------------------------------ the small model's labels


def test_a_place_the_model_labels_as_a_person_or_an_organisation_is_a_place(gaz):
    # en_core_web_sm reads "Stepanakert" here as a PERSON, "Mariupol" as an ORG, "Sake" as a noun
    the_place(places(gaz, "Residents fled Stepanakert after the shelling."), "Stepanakert", (39.815, 46.752))
    the_place(places(gaz, "Russian troops entered Mariupol in March."), "Mariupol", MARIUPOL)
    the_place(places(gaz, "Fighting reached the city of Sake on Thursday."), "Sake", (-1.574, 29.043))


def test_a_person_or_an_organisation_named_like_a_town_is_not_one(gaz):
    found = places(gaz, "Commissioner Hopkins said the Jackson Foundation would pay for the Orlando Group's report.")
    assert not [m for m in found if m.role == "place"], found


# ------------------------------------------------------------------ common words


def test_gold_as_a_word_is_not_gold_coast(gaz):
    found = places(gaz, "Gold mining has expanded near Zangilan, where the gold is sold abroad.")
    assert not named(found, "Gold")
    the_place(found, "Zangilan", ZANGILAN)
    found = places(gaz, "Mass looting was reported in Goma after the city fell.")
    assert not named(found, "Mass")
    the_place(found, "Goma", GOMA)


def test_capitalised_words_that_gazetteers_know_are_not_places(gaz):
    text = "Most of the rockets were intercepted. Many residents of the village fled. GeoProMining Gold paid the tax."
    assert places(gaz, text) == []


# ------------------------------------------------------------------ datelines


def test_a_dateline_is_where_the_reporter_was(gaz):
    found = places(gaz, "GENEVA (Reuters) - Aid agencies said fighting around Goma had displaced thousands.")
    the_place(found, "GENEVA", GENEVA, role="dateline")
    the_place(found, "Goma", GOMA)
    found = places(gaz, "Baku, 12 May /AzerTAc/ - Armenian forces shelled Tartar, the ministry said.")
    the_place(found, "Baku", BAKU, role="dateline")
    the_place(found, "Tartar", TARTAR)


def test_a_dateline_is_the_prominent_city_whatever_the_story(gaz):
    # the story is in Ukraine; a village there was once called New York: the dateline is not it
    found = places(gaz, "NEW YORK, May 3. /TASS/. Ukrainian troops shelled Mariupol and the villages of "
                        "the Donetsk region, the ministry said.")
    the_place(found, "NEW YORK", NEW_YORK, role="dateline")
    the_place(found, "Mariupol", MARIUPOL)


def test_where_a_speaker_spoke_is_not_where_the_event_was(gaz):
    found = places(gaz, "A UN spokesman said at a press conference in Geneva that civilians were killed in Goma.")
    the_place(found, "Geneva", GENEVA, role="dateline")
    the_place(found, "Goma", GOMA)


# ------------------------------------------------------------------ homonyms and context


def test_the_prominent_place_wins_unless_the_text_says_otherwise(gaz):
    the_place(places(gaz, "Protesters marched through Paris on Saturday."), "Paris", PARIS)
    found = places(gaz, "The storm damaged dozens of homes in Paris, Texas, on Saturday.")
    the_place(found, "Paris", PARIS_TEXAS)


def test_geneva_in_a_un_text_is_the_swiss_city(gaz):
    text = ("The United Nations Human Rights Council met in Geneva on Monday. Officials from the United States "
            "and the United Kingdom urged an inquiry into the attacks on Goma.")
    found = places(gaz, text)
    the_place(found, "Geneva", GENEVA)
    the_place(found, "Goma", GOMA)


def test_a_namesake_far_from_everything_the_text_names_is_not_taken(gaz):
    # the base layer lacks most villages; a village of the same name on another continent is not it
    found = places(gaz, "Azerbaijani forces shelled Shusha, Tartar and the village of Alashan.")
    the_place(found, "Shusha", SHUSHA)
    the_place(found, "Tartar", TARTAR)
    assert all(m.place is None for m in named(found, "Alashan")), found


# ------------------------------------------------------------------ page chrome and unparsed text


def test_page_chrome_is_not_read_for_places(gaz):
    text = "Home\nWorld\nAfrica\nArizona\nSearch\n\nRebels entered Goma on Sunday, residents said."
    found = places(gaz, text)
    assert [m.text for m in found] == ["Goma"]


def test_unparsed_sentences_are_read_strictly(gaz):
    text = "Troops entered Goma on Sunday. Officials met later in Bukavu. Jackson stayed home."
    doc = read(text, lambda s: s.startswith("Troops"))
    found = find_places(doc, gaz)
    the_place(found, "Goma", GOMA)
    assert not named(found, "Jackson")  # a single name in an unread sentence needs the document's support


# ------------------------------------------------------------------ names inside longer names


def test_a_toponym_inside_a_longer_name_is_not_a_place(gaz):
    found = places(gaz, "Protesters gathered on Richmond Street before marching to the Gulf War memorial.")
    assert not [m for m in found if m.role == "place"], found
    found = places(gaz, "The United Russia candidate lost the vote in Murmansk.")
    assert not [m for m in named(found, "Russia") if m.role == "place"]
    assert all(near(m, (68.979, 33.093), km=300) for m in named(found, "Murmansk"))  # the city or its oblast


def test_a_towns_own_institution_is_context(gaz):
    found = places(gaz, "The Goma Police Department said that two men were arrested in Bukavu.")
    assert named(found, "Goma")[0].role == "context"
    the_place(found, "Bukavu", (-2.508, 28.861))


def test_a_surname_is_not_a_place(gaz):
    text = "Mayor Robert Jackson visited the camp. Jackson said the shelling of Goma must stop."
    found = places(gaz, text)
    assert not named(found, "Jackson"), found
    the_place(found, "Goma", GOMA)


def test_entities_are_read_as_spacy_reads_them(gaz):
    from docket.extract.places import _entities

    text = ("The Foreign Minister of Armenia met the OSCE Minsk Group in Vienna on 3 May. Nothing else.\n\n"
            "Rebels seized Goma, the capital of North Kivu, the UN said.")
    for parse in (lambda s: True, lambda s: "Goma" in s):
        doc = read(text, parse)
        assert [(e.start, e.end, e.label_) for e in _entities(doc)] == [(e.start, e.end, e.label_) for e in doc.ents]


def test_rejected_candidates_are_given_with_the_reason(gaz):
    from docket.extract.places import Rejected

    rejected: list[Rejected] = []
    find_places(read("The OSCE Minsk Group met in Vienna.", lambda s: True), gaz, None, rejected)
    minsk = [r for r in rejected if r.text == "Minsk"]
    assert minsk and "longer name" in minsk[0].reason

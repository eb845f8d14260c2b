"""The data model, declared once.

Every stage reads and writes these types; the store, the exporters and the evaluation use their
field lists, so a field added here appears everywhere (the JSONL claim contract is `Claim.contract()`).
"""

from __future__ import annotations

import hashlib
import re
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from docket import kinds

KINDS = kinds.names()  # declared in kinds.toml, in its order
# kind -> the slot that says what its claims are about (kinds.toml `thing`), read once: every digest asks
_THING_SLOTS = {name: k.thing for name, k in kinds.kinds().items()}

# what introduces a count of part of a total just given: "27 civilians, among them 9 children",
# "250 aid workers, including 205 UNRWA staff", "40 detainees, of whom 12 women"
_PART = re.compile(r"\b(?:among them|among whom|among those|of whom|of them|including|incl\.)\s+", re.I)


_COORDINATION = re.compile(r"\s(?:and|but|while|whereas)\s|[,;:]\s|\s[–—-]\s")


def _signature(text: str, span: tuple[int, int], quoted: str | None) -> str | None:
    # imported here: resolve imports the gazetteer, which imports this module
    from docket.resolve.echoes import claim_signature

    return claim_signature(text, span, quoted)


def _counts(text: str):
    from docket.extract.quantities import find_counts  # the same reading of numbers the extractor uses

    return find_counts(text)


def _is_part(text: str, q: Quantity | None) -> bool:
    """Whether a claim's figure is the part its words introduce as such ("among them 9 children")."""
    if q is None or q.value is None:
        return False
    for m in _PART.finditer(text):
        counts = _counts(text[m.end() : m.end() + 40])
        if counts and counts[0].start <= 12 and counts[0].value == q.value:
            return True
    return False


def _measure(kind: str, text: str, q: Quantity | None) -> str | None:
    """What a claim's figure counts (kinds.toml [measures]): the measure whose words stand nearest to
    the figure in the claim's text ("killing four and injuring 20": 4 killed, 20 injured), else the
    kind's own; None without a figure."""
    if q is None:
        return None
    said = [name for name, words in kinds.measures().items() if words.search(text)]
    if len(said) < 2:  # one measure's words or none: no need to find which stand nearest the figure
        return said[0] if said else (kinds.kinds()[kind].measure if kind in kinds.kinds() else "") or None
    at = None
    wanted = q.value if q.value is not None else q.low if q.low is not None else q.high
    for c in _counts(text) if wanted is not None else ():
        if wanted in (c.value, c.low, c.high):
            at = (c.start, c.end)
            break
    best, nearest = kinds.kinds()[kind].measure if kind in kinds.kinds() else "", None
    # the figure's own part of a coordination first ("killed four and injured 20": 20 is injured's;
    # "300 were detained and 20 remain missing": 20 is missing's), then the nearest word anywhere
    cuts = [0, *(m.start() for m in _COORDINATION.finditer(text)), len(text)]
    for name, words in kinds.measures().items():
        for m in words.finditer(text):
            gap = 0 if at is None else max(at[0] - m.end(), m.start() - at[1], 0)
            if at is not None and any(min(m.start(), at[0]) < c < max(m.end(), at[1]) for c in cuts[1:-1]):
                gap += len(text)  # across a coordination: only when nothing stands in the figure's part
            if nearest is None or gap < nearest:
                best, nearest = name, gap
    return best or None


def _series(kind: str, text: str, ongoing: bool, q: Quantity | None, measure: str | None) -> str | None:
    """`cumulative` or `stock` for a figure of an event kind that the claim gives as ongoing (a point in
    a series: kinds.toml [series]); None otherwise."""
    spec = kinds.kinds().get(kind)
    if not ongoing or q is None or spec is None or not spec.event:
        return None
    if measure in kinds.falling_measures() and kinds.series_cues()["stock"].search(text):
        return "stock"
    return "cumulative"


STATUSES = ("extracted", "confirmed", "edited", "rejected", "created")  # a claim's review state
SHOWN = tuple(s for s in STATUSES if s != "rejected")  # the states listings show unless asked otherwise

Qualifier = Literal["exact", "approx", "more_than", "at_least", "less_than", "at_most", "range", "vague"]
Precision = Literal["day", "month", "year"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Quantity(_Model):
    value: int | None = None
    low: int | None = None
    high: int | None = None
    qualifier: Qualifier = "exact"
    unit: str | None = None


class When(_Model):
    start: str | None = None
    end: str | None = None
    precision: Precision | None = None
    ongoing: bool = False


class ObjectRef(_Model):
    category: str
    name: str | None = None


class PlaceRef(_Model):
    name: str
    mention: str
    id: str | None = None
    geonames_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    feature: str | None = None
    admin_path: list[str] = Field(default_factory=list)


class DocumentRef(_Model):
    sha256: str
    title: str | None = None
    published: str | None = None
    publisher: str | None = None


class DocumentMeta(_Model):
    """What is known about a document besides its text."""

    title: str | None = None
    publisher: str | None = None
    speaker: str | None = None
    published: str | None = None
    genre: str | None = None
    source_url: str | None = None

    def merged(self, other: DocumentMeta) -> DocumentMeta:
        """Fields of `other` that are set win over ours."""
        data = self.model_dump()
        data.update({k: v for k, v in other.model_dump().items() if v not in (None, "")})
        return DocumentMeta(**data)

    @property
    def source(self) -> str | None:
        """Who speaks in the document by default: the publisher, else the speaker."""
        return self.publisher or self.speaker


class Document(_Model):
    sha256: str
    filename: str | None = None
    media_type: str
    text: str
    meta: DocumentMeta = Field(default_factory=DocumentMeta)
    ingested_at: str | None = None

    def ref(self) -> DocumentRef:
        return DocumentRef(
            sha256=self.sha256, title=self.meta.title, published=self.meta.published, publisher=self.meta.publisher
        )


class Claim(_Model):
    id: str = ""
    kind: str
    document: DocumentRef | None = None
    span: tuple[int, int]
    text: str
    attributed_to: str | None = None
    agent: str | None = None
    affected: str | None = None
    quantity: Quantity | None = None
    object: ObjectRef | None = None
    places: list[PlaceRef] = Field(default_factory=list)
    when: When | None = None
    instrument: str | None = None
    company: str | None = None
    parent_company: str | None = None
    site: str | None = None
    weapons: list[str] = Field(default_factory=list)
    minerals: list[str] = Field(default_factory=list)
    corroborated_by: str | None = None
    status: str = "extracted"
    confidence: float = 0.5

    def with_id(self, sha256: str) -> Claim:
        """A stable id: the same document, kind, span and object always give the same id."""
        obj = self.object.name or self.object.category if self.object else ""
        place = self.places[0].name if self.places else ""
        key = f"{sha256}|{self.kind}|{self.span[0]}|{self.span[1]}|{obj}|{place}|{self.instrument or ''}"
        return self.model_copy(update={"id": "c-" + hashlib.sha256(key.encode()).hexdigest()[:16]})

    def contract(self) -> dict:
        """The public JSONL contract (DESIGN.md): every field, nulls included."""
        data = self.model_dump(mode="json")
        data["span"] = list(self.span)
        return data

    @property
    def source(self) -> str:
        """Who makes the claim: the party it is attributed to, else the document's publisher."""
        return self.attributed_to or (self.document.publisher if self.document else None) or "?"

    @property
    def thing(self) -> str:
        """What the claim is about within its kind, for comparing sources: the slot its kind names as
        `thing` in kinds.toml (the object category, the instrument, the site or else the first mineral,
        or the place itself: the first place's name, so that "Vang was taken" and "the Kalbajar
        district was occupied" are two events, not one dated twice); "" when that slot is empty."""
        slot = _THING_SLOTS.get(self.kind, "object")
        if slot == "instrument":
            return self.instrument or ""
        if slot == "site":
            return self.site or (self.minerals[0] if self.minerals else "")
        if slot == "place":
            return self.places[0].name if self.places else ""
        return self.object.category if self.object else ""

    @property
    def _quoted(self) -> str | None:
        """The party the claim quotes, when that is not its document's publisher speaking."""
        publisher = self.document.publisher if self.document else None
        return self.attributed_to if self.attributed_to and self.attributed_to != publisher else None

    def digest(self, text: str | None = None) -> ClaimDigest:
        """What comparing sources reads of the claim; with its document's `text`, also the signature
        of the sentence it stands in, which tells a repeated claim from an independent one."""
        ongoing = bool(self.when and self.when.ongoing)
        return ClaimDigest(
            id=self.id, kind=self.kind, status=self.status, document=self.document.sha256 if self.document else None,
            places=tuple(p.id for p in self.places if p.id), thing=self.thing, source=self.source,
            when_start=self.when.start if self.when else None, ongoing=ongoing,
            quantity=self.quantity, when_precision=self.when.precision if self.when else None,
            when_end=self.when.end if self.when else None, part=_is_part(self.text, self.quantity),
            measure=(measure := _measure(self.kind, self.text, self.quantity)),
            series=_series(self.kind, self.text, ongoing, self.quantity, measure),
            as_of=self.document.published[:10] if self.document and self.document.published else None,
            echo=_signature(text, self.span, self._quoted) if text else None,
        )


class ClaimDigest(NamedTuple):
    """The part of a claim that comparing sources reads (resolve/clusters.py): kept by the store for
    every area a claim lies in, so a place's clusters are computed without loading its claims whole.
    (A named tuple: clustering a million claims makes a million of them, twice as fast as a frozen
    dataclass.)"""

    id: str
    kind: str
    status: str
    document: str | None
    places: tuple[str, ...]  # the ids of the claim's resolved places, in order
    thing: str
    source: str
    when_start: str | None
    ongoing: bool
    quantity: Quantity | None
    when_precision: str | None = None  # day, month or year (else read from when_start's length)
    when_end: str | None = None  # the last day of a span ("the night of 3 to 4 March": 3 to 4)
    part: bool = False  # the figure counts part of a total given with it ("…, among them 9 children")
    measure: str | None = None  # what the figure counts: killed, injured, detained, missing, displaced
    series: str | None = None  # an ongoing figure: cumulative (a running count) or stock (a present count)
    as_of: str | None = None  # the date of the claim's document, which orders a series
    echo: str | None = None  # the LSH keys of the claim's sentence (resolve/echoes.py)

    @property
    def year(self) -> int | None:
        s = self.when_start
        return int(s[:4]) if s and s[:4].isdigit() else None


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()

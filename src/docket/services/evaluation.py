"""The evaluation protocol of DESIGN.md: predicted claims against a hand-annotated gold file."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from docket.errors import DocketError
from docket.gazetteer import Gazetteer, default_gazetteer, fold
from docket.model import Claim, DocumentMeta

# slots compared on matched pairs, in the order they are reported
SLOTS = (
    "quantity.value", "quantity.qualifier", "quantity.low", "quantity.unit", "when.start", "when.ongoing",
    "places", "agent", "affected", "attributed_to", "company", "parent_company", "instrument", "site",
    "object.category", "object.name", "minerals", "weapons", "corroborated_by",
)
_STOP = {"the", "of", "a", "an", "and", "in", "its", "their"}


@dataclass
class GoldClaim:
    id: str
    kind: str
    evidence: str
    span: tuple[int, int]
    optional: bool
    slots: dict


@dataclass
class SlotScore:
    total: int = 0
    correct: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 1.0


@dataclass
class Counts:
    """Matched, predicted and required claims (of one kind, one document, or pooled)."""

    true_positives: int = 0
    predicted: int = 0
    required: int = 0

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.required if self.required else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.true_positives += other.true_positives
        self.predicted += other.predicted
        self.required += other.required

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "true_positives": self.true_positives, "predicted": self.predicted, "required": self.required}


@dataclass
class EvalResult:
    precision: float
    recall: float
    f1: float
    slot_accuracy: float
    true_positives: int
    predicted: int
    required: int
    slots: dict[str, SlotScore]
    misses: list[GoldClaim] = field(default_factory=list)
    spurious: list[Claim] = field(default_factory=list)
    slot_errors: list[tuple[str, str, object, object]] = field(default_factory=list)
    kinds: dict[str, Counts] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "slot_accuracy": round(self.slot_accuracy, 4),
            "true_positives": self.true_positives,
            "predicted": self.predicted,
            "required": self.required,
            "slots": {k: {"correct": v.correct, "total": v.total} for k, v in self.slots.items() if v.total},
            "misses": [{"id": g.id, "kind": g.kind, "evidence": g.evidence} for g in self.misses],
            "spurious": [{"kind": c.kind, "span": list(c.span), "text": c.text} for c in self.spurious],
            "slot_errors": [
                {"gold": gid, "slot": slot, "expected": exp, "predicted": got} for gid, slot, exp, got in self.slot_errors
            ],
            "kinds": {k: v.as_dict() for k, v in sorted(self.kinds.items())},
        }


def load_gold_geo(path: Path) -> dict[str, tuple[float, float]]:
    """The gold file's `document.geo`: place name as written -> (lat, lon), where the annotator verified it."""
    try:
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        head = json.loads(first) if first.strip() else {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    geo = (head.get("document") or {}).get("geo") if isinstance(head, dict) else None
    out = {}
    for name, point in (geo or {}).items():
        if isinstance(point, list | tuple) and len(point) == 2 and all(isinstance(x, int | float) for x in point):
            out[name] = (float(point[0]), float(point[1]))
    return out


def load_gold(path: Path, text: str) -> tuple[DocumentMeta | None, list[GoldClaim]]:
    """Read a gold file, locating each evidence string in `text`."""
    meta = None
    gold: list[GoldClaim] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise DocketError(f"{path}: cannot read the gold file ({e})") from e
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise DocketError(f"{path}:{number}: not a JSON line ({e.msg})") from e
        if "document" in row and "kind" not in row:
            meta = DocumentMeta(**{k: v for k, v in row["document"].items() if k in DocumentMeta.model_fields})
            continue
        evidence = row.get("evidence")
        if not evidence or "kind" not in row:
            raise DocketError(f"{path}:{number}: a gold claim needs 'kind' and 'evidence'")
        nth = int(row.get("occurrence", 1))
        pos = -1
        for _ in range(nth):
            pos = text.find(evidence, pos + 1)
            if pos == -1:
                break
        if pos == -1:
            raise DocketError(f"{path}:{number}: evidence not found in the text: {evidence[:60]!r}")
        slots = {k: v for k, v in row.items() if k not in ("kind", "evidence", "optional", "id", "occurrence")}
        gold.append(GoldClaim(row.get("id", f"line-{number}"), row["kind"], evidence, (pos, pos + len(evidence)), bool(row.get("optional")), slots))
    return meta, gold


def _tokens(x) -> set[str]:
    return {t for t in re.findall(r"\w+", fold(str(x or ""))) if t not in _STOP}


def _overlap(a, b) -> bool:
    """Normalised token overlap, as the protocol asks for names: token F1 of at least one half."""
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return False
    common = len(ta & tb)
    if not common:
        return False
    p, r = common / len(tb), common / len(ta)
    return 2 * p * r / (p + r) >= 0.5


def _get(d: dict | None, path: str):
    cur = d
    for part in path.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur


def _gold_slots(g: GoldClaim) -> dict[str, object]:
    out = {}
    for slot in SLOTS:
        value = _get(g.slots, slot)
        if slot == "when.ongoing" and not _get(g.slots, "when.ongoing"):
            continue
        if slot == "quantity.low" and _get(g.slots, "quantity.qualifier") not in ("vague", "range"):
            continue
        if value not in (None, [], ""):
            out[slot] = value
    return out


def _slot_correct(slot: str, gold_value, claim: Claim, gold: GoldClaim, gaz: Gazetteer) -> tuple[bool, object]:
    data = claim.contract()
    if slot == "places":
        got = [p.name for p in claim.places]
        return all(any(gaz.matches(g, p) for p in claim.places) for g in gold_value), got
    got = _get(data, slot)
    if slot == "when.start":
        precision = _get(gold.slots, "when.precision") or "day"
        n = {"year": 4, "month": 7, "day": 10}[precision]
        return bool(got) and str(got)[:n] == str(gold_value)[:n], got
    if slot in ("quantity.value", "quantity.low", "quantity.qualifier", "when.ongoing", "object.category"):
        return got == gold_value, got
    if slot == "quantity.unit":
        return bool(got) and fold(got) == fold(gold_value), got
    if slot in ("minerals", "weapons"):
        return bool(got) and all(any(_overlap(g, x) for x in got) for g in gold_value), got
    return _overlap(gold_value, got), got


def evaluate(claims: list[Claim], gold: list[GoldClaim], gazetteer: Gazetteer | None = None) -> EvalResult:
    gaz = gazetteer or default_gazetteer()
    pairs = []
    for gi, g in enumerate(gold):
        for ci, c in enumerate(claims):
            if c.kind == g.kind and c.span[0] < g.span[1] and g.span[0] < c.span[1]:
                slots = _gold_slots(g)
                agree = sum(_slot_correct(s, v, c, g, gaz)[0] for s, v in slots.items())
                pairs.append((agree / max(1, len(slots)), agree, gi, ci))
    pairs.sort(key=lambda p: (-p[0], -p[1], p[2], p[3]))
    used_g, used_c, matched = set(), set(), []
    for _, _, gi, ci in pairs:
        if gi in used_g or ci in used_c:
            continue
        used_g.add(gi)
        used_c.add(ci)
        matched.append((gi, ci))

    slot_scores = {s: SlotScore() for s in SLOTS}
    errors = []
    tp = 0
    counted_predictions = len(claims)
    kinds: dict[str, Counts] = {}
    for c in claims:
        kinds.setdefault(c.kind, Counts()).predicted += 1
    for g in gold:
        if not g.optional:
            kinds.setdefault(g.kind, Counts()).required += 1
    for gi, ci in matched:
        g, c = gold[gi], claims[ci]
        if g.optional:
            counted_predictions -= 1
            kinds[c.kind].predicted -= 1
            continue
        tp += 1
        kinds[g.kind].true_positives += 1
        for slot, value in _gold_slots(g).items():
            ok, got = _slot_correct(slot, value, c, g, gaz)
            slot_scores[slot].total += 1
            slot_scores[slot].correct += ok
            if not ok:
                errors.append((g.id, slot, value, got))
    required = sum(1 for g in gold if not g.optional)
    precision = tp / counted_predictions if counted_predictions else 0.0
    recall = tp / required if required else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    total = sum(s.total for s in slot_scores.values())
    correct = sum(s.correct for s in slot_scores.values())
    return EvalResult(
        precision, recall, f1, correct / total if total else 1.0, tp, counted_predictions, required, slot_scores,
        misses=[g for gi, g in enumerate(gold) if gi not in used_g and not g.optional],
        spurious=[c for ci, c in enumerate(claims) if ci not in used_c],
        slot_errors=errors,
        kinds=kinds,
    )


# ---------------------------------------------------------------- a folder of documents

NEAR_KM = 50  # a gold place is found when a predicted place of its name lies this close
FAR_KM = 500  # a place attachment this far from every gold place of its document is far-flung


@dataclass
class GeoScore:
    gold: int = 0  # gold places with coordinates
    within: int = 0  # of those, found by a predicted place of that name within NEAR_KM
    attachments: int = 0  # predicted places with coordinates, one per claim and place
    far: int = 0  # of those, more than FAR_KM from every gold place of the document
    wrong: list[tuple[str, str, float | None]] = field(default_factory=list)  # (gold name, predicted, km)
    far_flung: list[tuple[str, str, float]] = field(default_factory=list)  # (claim text, place, km)

    @property
    def within_share(self) -> float:
        return self.within / self.gold if self.gold else 1.0

    @property
    def far_share(self) -> float:
        return self.far / self.attachments if self.attachments else 0.0

    def add(self, other: GeoScore) -> None:
        self.gold += other.gold
        self.within += other.within
        self.attachments += other.attachments
        self.far += other.far

    def as_dict(self) -> dict:
        return {"gold_places": self.gold, "within_50km": self.within, "within_share": round(self.within_share, 4),
                "attachments": self.attachments, "far_flung": self.far, "far_share": round(self.far_share, 4)}


def score_places(claims: list[Claim], geo: dict[str, tuple[float, float]], gaz: Gazetteer) -> GeoScore:
    """Places judged against the gold's coordinates (DESIGN.md, evaluation protocol)."""
    from docket.gazetteer.resolve import haversine_km as distance_km

    out = GeoScore()
    if not geo:
        return out
    refs = [(c, p) for c in claims for p in c.places]
    for name, point in geo.items():
        out.gold += 1
        named = [p for _, p in refs if gaz.matches(name, p) and p.lat is not None]
        best = min((distance_km(point[0], point[1], p.lat, p.lon) for p in named), default=None)
        if best is not None and best <= NEAR_KM:
            out.within += 1
        else:
            out.wrong.append((name, named[0].name if named else "", round(best) if best is not None else None))
    for c, p in refs:
        if p.lat is None:
            continue
        out.attachments += 1
        nearest = min(distance_km(lat, lon, p.lat, p.lon) for lat, lon in geo.values())
        if nearest > FAR_KM:
            out.far += 1
            out.far_flung.append((c.text[:80], p.name, round(nearest)))
    return out


@dataclass
class DocumentScore:
    name: str
    result: EvalResult
    geo: GeoScore


@dataclass
class FolderResult:
    documents: list[DocumentScore]
    unpaired: list[str]

    @property
    def counts(self) -> Counts:
        total = Counts()
        for d in self.documents:
            total.add(Counts(d.result.true_positives, d.result.predicted, d.result.required))
        return total

    @property
    def slots(self) -> dict[str, SlotScore]:
        out = {s: SlotScore() for s in SLOTS}
        for d in self.documents:
            for k, v in d.result.slots.items():
                out[k].total += v.total
                out[k].correct += v.correct
        return out

    @property
    def slot_accuracy(self) -> float:
        slots = self.slots.values()
        total = sum(s.total for s in slots)
        return sum(s.correct for s in slots) / total if total else 1.0

    @property
    def kinds(self) -> dict[str, Counts]:
        out: dict[str, Counts] = {}
        for d in self.documents:
            for k, v in d.result.kinds.items():
                out.setdefault(k, Counts()).add(v)
        return dict(sorted(out.items()))

    @property
    def geo(self) -> GeoScore:
        total = GeoScore()
        for d in self.documents:
            total.add(d.geo)
        return total

    def as_dict(self) -> dict:
        c = self.counts
        return {
            **c.as_dict(), "slot_accuracy": round(self.slot_accuracy, 4),
            "slots": {k: {"correct": v.correct, "total": v.total, "accuracy": round(v.accuracy, 4)}
                      for k, v in self.slots.items() if v.total},
            "kinds": {k: v.as_dict() for k, v in self.kinds.items()},
            "geo": self.geo.as_dict(),
            "documents": [{"name": d.name, **Counts(d.result.true_positives, d.result.predicted,
                                                    d.result.required).as_dict(),
                           "slot_accuracy": round(d.result.slot_accuracy, 4), "geo": d.geo.as_dict()}
                          for d in self.documents],
            "misses": [{"document": d.name, "id": g.id, "kind": g.kind, "evidence": g.evidence}
                       for d in self.documents for g in d.result.misses],
            "spurious": [{"document": d.name, "kind": x.kind, "span": list(x.span), "text": x.text}
                         for d in self.documents for x in d.result.spurious],
            "slot_errors": [{"document": d.name, "gold": gid, "slot": slot, "expected": exp, "predicted": got}
                            for d in self.documents for gid, slot, exp, got in d.result.slot_errors],
            "places_wrong": [{"document": d.name, "gold": n, "predicted": p, "km": km}
                             for d in self.documents for n, p, km in d.geo.wrong],
            "far_flung": [{"document": d.name, "claim": t, "place": p, "km": km}
                          for d in self.documents for t, p, km in d.geo.far_flung],
            "unpaired": self.unpaired,
        }


def gold_for(text: Path, gold_dir: Path) -> Path | None:
    """The gold file of a text in a folder: same name, with .gold.jsonl or .jsonl for its suffix."""
    for name in (text.stem + ".gold.jsonl", text.name + ".gold.jsonl", text.stem + ".jsonl"):
        if (gold_dir / name).is_file():
            return gold_dir / name
    return None


def evaluate_document(text_file: Path, gold_file: Path, gaz: Gazetteer | None = None) -> tuple[EvalResult, GeoScore]:
    """Read a text as ingest would (nothing stored), its gold metadata as its metadata, and score it."""
    from docket.ingest import read_document
    from docket.services import claims_for

    gaz = gaz or default_gazetteer()
    doc = read_document(text_file).doc
    gold_meta, gold = load_gold(gold_file, doc.text)
    if gold_meta:
        doc = doc.model_copy(update={"meta": doc.meta.merged(gold_meta)})
    found = claims_for(doc)
    return evaluate(found, gold, gaz), score_places(found, load_gold_geo(gold_file), gaz)


def evaluate_folder(texts: Path, golds: Path, on_document=None) -> FolderResult:
    """Every text of a folder paired with its gold file by name, scored, and pooled (micro averages)."""
    from docket.ingest import SUFFIXES

    if not texts.is_dir() or not golds.is_dir():
        raise DocketError(f"{texts if not texts.is_dir() else golds}: not a folder (give a text folder and a gold folder)")
    files = sorted(f for f in texts.iterdir() if f.is_file() and f.suffix.lower() in SUFFIXES)
    gaz = default_gazetteer()
    scores, unpaired = [], []
    for f in files:
        gold = gold_for(f, golds)
        if gold is None:
            unpaired.append(f.name)
            continue
        result, geo = evaluate_document(f, gold, gaz)
        scores.append(DocumentScore(f.stem, result, geo))
        if on_document:
            on_document(f)
    if not scores:
        raise DocketError(f"{texts}: no text has a gold file in {golds} (expected NAME.gold.jsonl for NAME.txt)")
    return FolderResult(scores, unpaired)

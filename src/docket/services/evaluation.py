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
        }


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
    for gi, ci in matched:
        g, c = gold[gi], claims[ci]
        if g.optional:
            counted_predictions -= 1
            continue
        tp += 1
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
    )

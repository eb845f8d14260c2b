"""Repetition: the same claim repeated across documents (a wire story republished, a statement quoted
word for word) is one origin with its echoes, not ten sources.

Two claims are echoes of one origin when the sentences they stand in are near-identical: their sets
of character 5-grams (of the folded sentence) have a Jaccard similarity of about 0.8 or more. The
similarity is estimated with MinHash (datasketch, 64 permutations) and looked up by locality-
sensitive hashing: the 64 values fall in 8 bands of 8, and each band's hash is a key. Claims that
share a key are echoes: for a similarity of 0.9 that happens with probability 0.99, for 0.8 with
0.77, for 0.6 with 0.13 and for 0.5 with 0.03. Only the 8 keys are kept with a claim's digest (the
store's `echo` column), so comparing sources reads no text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import cache, lru_cache

from docket.gazetteer.text import fold

SHINGLE = 5
PERMUTATIONS = 64
BANDS = 8
_ROWS = PERMUTATIONS // BANDS
MIN_CHARS = 40  # a sentence shorter than this ("Four were killed.") is said alike by anyone
_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s)|\n\s*\n")  # a line break alone ends no sentence (wrapped text, PDF lines)


WINDOW = 400  # characters read on either side of a claim: a text without sentence ends is not one sentence


def sentence_around(text: str, span: tuple[int, int]) -> str:
    """The sentence (or line) of `text` that holds `span`: from the last sentence end before it to the
    first one after it, at most `WINDOW` characters either side (and the claim's own characters at
    most that many), so that signing a document's claims stays linear in its length."""
    start, end = span
    end = min(end, start + WINDOW)
    left = max(0, start - WINDOW)
    for m in _END.finditer(text, left, start):
        left = m.end()
    m = _END.search(text, end, end + WINDOW)
    right = m.end() if m else min(len(text), end + WINDOW)
    return text[left:right].strip()


@cache
def _permutations():
    from datasketch import MinHash

    seed = MinHash(num_perm=PERMUTATIONS, seed=7)
    return seed.permutations, seed.scheme


@lru_cache(maxsize=4096)  # the claims of one sentence share it
def signature(sentence: str, quoted: str = "") -> str | None:
    """The sentence's LSH keys, space-separated (None for a sentence too short to tell an echo). The
    party a claim quotes (`quoted`, its attribution) goes into every key: one sentence said of two
    ministries ("…, according to the Ministry of Health" / "… of Defence") is two claims, not one
    repeated."""
    folded = " ".join(fold(sentence).split())
    if len(folded) < MIN_CHARS:
        return None
    from datasketch import MinHash

    perms, scheme = _permutations()
    m = MinHash(num_perm=PERMUTATIONS, permutations=perms, scheme=scheme)
    m.update_batch([folded[i : i + SHINGLE].encode() for i in range(len(folded) - SHINGLE + 1)])
    values = m.hashvalues
    salt = fold(quoted).encode()
    return " ".join(hashlib.blake2b(values[b * _ROWS : (b + 1) * _ROWS].tobytes() + salt, digest_size=4).hexdigest()
                    for b in range(BANDS))


def claim_signature(text: str | None, span: tuple[int, int], quoted: str | None = None) -> str | None:
    """The signature of the sentence that holds a claim, with the party it quotes (None without the
    document's text)."""
    return signature(sentence_around(text, span), quoted or "") if text else None


def origins(members: Iterable) -> dict[str, list[str]]:
    """Origin claim id -> the ids of its echoes, for digests (`ClaimDigest`) that share an LSH key and
    their figure (a sentence that repeats another's words with a new figure is a new claim) and come
    from two documents or more. The origin of a group is its earliest published member (then the
    smallest document hash, then id). Members that echo nothing are left out; groups come in the order
    of their first member."""
    # by figure first: only claims of one figure can echo each other, and most figures of a cluster are
    # given once (comparing every claim's keys took a third of clustering a store)
    by_figure: dict[tuple | None, list[tuple[int, object]]] = {}
    for i, m in enumerate(members):
        if m.echo:
            add_figure(by_figure, i, m)
    return origins_by_figure(by_figure)


def add_figure(by_figure: dict, i: int, m) -> None:
    """Put the `i`th claim (a digest with an `echo`) in the bucket of its figure."""
    q = m.quantity
    figure = (q.value, q.low, q.high, q.qualifier) if q else None  # a repeated claim repeats its figure
    found = by_figure.get(figure)
    if found is None:
        by_figure[figure] = [(i, m)]
    else:
        found.append((i, m))


def origins_by_figure(by_figure: dict) -> dict[str, list[str]]:
    """`origins`, from the claims put in their figures' buckets by `add_figure`."""
    out: list[tuple[int, str, list[str]]] = []  # (first member's position, origin, echoes)
    for same in by_figure.values():
        if len(same) > 1 and any(m.document != same[0][1].document for _, m in same):
            out += _groups(same)
    out.sort()
    return {origin: echoes for _, origin, echoes in out}


def _groups(same: list[tuple[int, object]]) -> list[tuple[int, str, list[str]]]:
    """The groups of claims of one figure that share a key (union-find over the keys), from two
    documents or more, as (first member's position, origin id, echo ids)."""
    if len(same) == 2:  # half the groups a store's clusters hold: no union to find
        (at, a), (_, b) = same
        if a.document == b.document or set(a.echo.split()).isdisjoint(b.echo.split()):
            return []
        origin, echo = sorted((a, b), key=_published)
        return [(at, origin.id, [echo.id])]
    parent = list(range(len(same)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, (_, m) in enumerate(same):
        for key in m.echo.split():
            j = first.setdefault(key, i)
            if j != i:
                parent[root(i)] = root(j)
    groups: dict[int, list] = {}
    for i, pair in enumerate(same):
        groups.setdefault(root(i), []).append(pair)
    out = []
    for group in groups.values():
        if len({m.document for _, m in group}) < 2:
            continue
        at = group[0][0]
        group = sorted((m for _, m in group), key=_published)
        origin = group[0]
        echoes = [m.id for m in group[1:] if m.document != origin.document]
        if echoes:
            out.append((at, origin.id, echoes))
    return out


def _published(m) -> tuple:
    """The order an origin is chosen in: the earliest published, then the smallest document hash, then id."""
    return m.as_of is None, m.as_of or "", m.document or "", m.id

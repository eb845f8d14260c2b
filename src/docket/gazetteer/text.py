"""Name folding: the one form in which names are compared."""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # control characters name nothing (and NUL upsets the trie)
_INITIALS = re.compile(r"(?:[A-Za-z] +)+[A-Za-z]?")  # "U S " from "U.S.": initials close up
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "ʻ": "'", "‐": "-", "–": "-"})


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """Case-, accent- and script-free form ("Kəlbəcər" -> "kelbecer", "Кельбаджар" -> "kel'badzhar").

    anyascii transliterates every script to ASCII, so a Cyrillic or Armenian alias and its Latin
    transliteration meet where they are spelt alike.
    """
    name = _CONTROL.sub(" ", name.translate(_APOSTROPHES)).replace(".", " ")  # "U.S." = "US", "St. Louis" = "St Louis"
    if not name.isascii():
        name = anyascii(name)
    return _SPACES.sub(" ", name.lower()).strip().replace(" ", "") if _INITIALS.fullmatch(name.strip()) else _SPACES.sub(" ", name.lower()).strip()

"""Metadata a user gives about a document: a sidecar file beside it (FILE.meta.json, .meta.yaml,
.meta.yml), the `docket ingest` flags, the upload form, `docket documents edit`. Every value is
checked the same way here, whichever way it came: scalars only, dates as YYYY[-MM[-DD]], a genre as
a short word, a source URL as an http(s) address, names and titles without control characters.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from docket.errors import DocketError
from docket.ingest.names import display_name
from docket.model import DocumentMeta

SIDECAR_SUFFIXES = (".meta.json", ".meta.yaml", ".meta.yml")
MAX_SIDECAR_BYTES = 64 * 1024  # a sidecar holds a handful of fields
_LENGTHS = {"title": 1000, "publisher": 300, "speaker": 300, "source_url": 2000, "genre": 40, "published": 40}
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_GENRE = re.compile(r"[a-z][a-z0-9_]{0,39}")


def check_published(value: str, where: str) -> str:
    """YYYY, YYYY-MM or YYYY-MM-DD and a real date (a day that exists)."""
    m = _PARTIAL_DATE.fullmatch(value)
    if m:
        try:
            dt.date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
            return value
        except ValueError:
            pass
    raise DocketError(f"{where}: published {value!r}: expected a date as YYYY, YYYY-MM or YYYY-MM-DD")


def _text(field: str, value: str, where: str) -> str:
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in value):
        raise DocketError(f"{where}: {field}: control characters are not allowed")
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        raise DocketError(f"{where}: {field}: a lone surrogate (\\ud800-\\udfff) is not a character")
    value = " ".join(value.split())
    if len(value) > _LENGTHS[field]:
        raise DocketError(f"{where}: {field}: longer than {_LENGTHS[field]} characters")
    return value


def checked_meta(data: dict, where: str) -> DocumentMeta:
    """Metadata fields given by a user, checked; `where` names the file or option in the message.
    Empty values are left unset."""
    unknown = set(data) - set(DocumentMeta.model_fields)
    if unknown:
        raise DocketError(f"{where}: unknown metadata field(s): {', '.join(sorted(map(str, unknown)))} "
                          f"(known: {', '.join(DocumentMeta.model_fields)})")
    out: dict[str, str] = {}
    for field, value in data.items():
        if value is None or value == "":
            continue
        if isinstance(value, dt.datetime):
            value = value.date().isoformat()
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, bool) or not isinstance(value, str | int | float):
            raise DocketError(f"{where}: {field}: expected a single value, not a {type(value).__name__}")
        value = _text(field, str(value), where)
        if not value:
            continue
        if field == "published":
            value = check_published(value, where)
        elif field == "genre":
            value = re.sub(r"[\s-]+", "_", value.lower())
            if not _GENRE.fullmatch(value):
                raise DocketError(f"{where}: genre {value!r}: expected a short word such as press_release, "
                                  "statement, resolution, report or news")
        elif field == "source_url":
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise DocketError(f"{where}: source_url {value!r}: expected an http:// or https:// address")
        out[field] = value
    return DocumentMeta(**out)


def found_meta(data: dict) -> DocumentMeta:
    """Metadata a file says about itself (HTML tags, PDF and DOCX properties): a guess, so a value that
    does not pass the checks is dropped rather than refused."""
    out = {}
    for field, value in data.items():
        try:
            out |= checked_meta({field: value}, "found").model_dump(exclude_none=True)
        except DocketError:
            continue
    return DocumentMeta(**out)


def sidecar_path(path: Path) -> Path | None:
    """The sidecar beside a document, if there is one. A name too long to take a suffix has none."""
    for suffix in SIDECAR_SUFFIXES:
        side = path.with_name(path.name + suffix)
        try:
            if side.is_file():
                return side
        except (OSError, ValueError):  # ENAMETOOLONG: FILE.meta.json would be over the 255-byte limit
            continue
    return None


MAX_NESTING = 20  # a sidecar is one mapping of scalars; PyYAML's scanner slows quadratically with depth


def _shallow(text: str) -> None:
    """Refuse flow collections nested deeper than MAX_NESTING before a parser walks them (30,000 nested
    brackets took PyYAML 76 s; Python's JSON parser stops at its recursion limit)."""
    depth = 0
    for ch in text:
        if ch in "[{":
            depth += 1
            if depth > MAX_NESTING:
                raise DocketError(f"nested more than {MAX_NESTING} deep; a sidecar holds one mapping of scalar fields")
        elif ch in "]}":
            depth = max(0, depth - 1)


def _no_aliases(text: str) -> None:
    """YAML aliases let 600 bytes expand to gigabytes ("billion laughs"); a sidecar needs none."""
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise DocketError("aliases (*name) are not allowed in a sidecar")


def read_sidecar(side: Path) -> tuple[DocumentMeta, bytes]:
    """A sidecar's metadata, checked, and its bytes (kept in the document's custody record)."""
    shown = display_name(str(side))  # a name with a line break must not split the message
    try:
        raw = side.read_bytes() if side.stat().st_size <= MAX_SIDECAR_BYTES else None
    except OSError as e:
        raise DocketError(f"{shown}: cannot read ({e.strerror})") from e
    if raw is None:
        raise DocketError(f"{shown}: a sidecar of more than {MAX_SIDECAR_BYTES:,} bytes; it holds a few fields")
    kind = "JSON" if side.name.endswith(".json") else "YAML"
    try:
        text = raw.decode("utf-8-sig")
        _shallow(text)
        if kind == "JSON":
            data = json.loads(text)
        else:
            _no_aliases(text)
            data = yaml.safe_load(text)
    except DocketError as e:
        raise DocketError(f"{shown}: {e}") from e
    except UnicodeDecodeError as e:
        raise DocketError(f"{shown}: not UTF-8 (byte {e.start})") from e
    except (ValueError, yaml.YAMLError, RecursionError) as e:
        raise DocketError(f"{shown}: not valid {kind} ({' '.join(str(e).split())[:200]})") from e
    if not isinstance(data, dict):
        raise DocketError(f"{shown}: expected a mapping of metadata fields")
    return checked_meta(data, shown), raw

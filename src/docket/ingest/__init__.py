"""Reading a file into a Document: bytes kept unaltered, text extracted and normalised, metadata found.

Plain text, Markdown, HTML (main text via trafilatura), PDF (pypdfium2) and DOCX (python-docx, see
`ingest/docx.py`). Every problem is a DocketError whose message names the file.
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import NamedTuple

from charset_normalizer import from_bytes

from docket.errors import DocketError
from docket.ingest.docx import OLE_MAGIC, docx_text
from docket.ingest.metadata import detect_metadata
from docket.ingest.names import display_name
from docket.ingest.sidecar import found_meta, read_sidecar, sidecar_path
from docket.model import Document, DocumentMeta, sha256_bytes

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# a PDF's text streams are compressed: a 48 KB file can hold 14 million characters. Real PDFs give less
# than a character or two per byte of file; beyond this many (and beyond PDF_TEXT_FLOOR characters)
# the file is refused as a text bomb
PDF_TEXT_RATIO = 50
MAX_HTML_TREE = 500_000  # HTML elements trafilatura walks at most (a page has a few thousand)
PDF_TEXT_FLOOR = 2_000_000


class Reading(NamedTuple):
    """A file read: its Document, its bytes unaltered, what the reader noticed on the way (a legacy
    encoding, say), and the sidecar it took metadata from (path and bytes), for the custody record."""

    doc: Document
    raw: bytes
    notes: tuple[str, ...] = ()
    sidecar: tuple[str, bytes] | None = None


def max_bytes() -> int:
    value = os.environ.get("DOCKET_MAX_BYTES")
    if value is None:
        return DEFAULT_MAX_BYTES
    if not value.strip().isdigit() or int(value) < 1:
        raise DocketError(f"DOCKET_MAX_BYTES={value!r}: expected a whole number of bytes")
    return int(value)


def media_type(path: Path, raw: bytes) -> str:
    suffix = path.suffix.lower()
    if raw.startswith(b"%PDF") or suffix == ".pdf":
        return "application/pdf"
    if suffix == ".docx" or raw.startswith(b"PK\x03\x04") and b"word/" in raw[:2000] or raw.startswith(OLE_MAGIC):
        return DOCX
    head = raw[:512].lstrip().lower()
    if suffix in (".html", ".htm") or head.startswith((b"<!doctype html", b"<html")):
        return "text/html"
    if suffix in (".md", ".markdown"):
        return "text/markdown"
    return "text/plain"


# characters that legacy-encoded prose holds besides letters, digits and ASCII: typographic punctuation
_PROSE_SYMBOLS = set("’‘“”„‚«»‹›–—―…•·°§¶©®™€£¥¢%‰№ ") | {"\u00a0", "\u00ad"}


# the legacy encodings prose arrives in (Windows and ISO code pages of the scripts Docket's sources
# write, KOI8, Mac Roman); a guess outside them (cp1006, cp437 …) is a sign of bytes, not text
_LEGACY = {"cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "koi8_r", "koi8_u",
           "mac_roman", "latin_1", "iso8859_2", "iso8859_5", "iso8859_6", "iso8859_7", "iso8859_8", "iso8859_9",
           "iso8859_13", "iso8859_15", "mac_cyrillic", "cp866"}


def _script(ch: str) -> str:
    return unicodedata.name(ch, "?").split(" ", 1)[0]


def _plainly_prose(text: str) -> bool:
    """Whether a legacy decoding reads as prose: every character outside ASCII a letter, a mark or
    typographic punctuation, no control characters, and no letter of another script glued to a Latin
    one ("Kalbajarﹽ"). Random bytes read as a code page give C1 controls, box drawing, stray symbols
    and such glued letters instead."""
    for ch in set(text):
        if ch.isascii():
            if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f":
                return False
        elif not (ch.isalpha() or unicodedata.category(ch).startswith("M") or ch in _PROSE_SYMBOLS):
            return False
    for a, b in zip(text, text[1:], strict=False):
        if a.isalpha() and b.isalpha() and (a.isascii() != b.isascii()):
            other = b if a.isascii() else a
            if _script(other) != "LATIN":
                return False
    return True


def decode_text(raw: bytes, name: str, encoding: str | None = None) -> tuple[str, tuple[str, ...]]:
    """Bytes to text, and a note when it was not UTF-8: UTF-8 (or UTF-16 with its byte-order mark),
    else a detected legacy encoding when the result plainly reads as prose, else a refusal. `encoding`
    names the encoding instead of guessing."""
    if encoding:
        try:
            return raw.decode(encoding), (f"read as {encoding}, as asked",)
        except LookupError as e:
            raise DocketError(f"{name}: {encoding}: no such encoding") from e
        except UnicodeDecodeError as e:
            raise DocketError(f"{name}: not valid {encoding} at byte {e.start}") from e
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), ("read as UTF-16 (byte-order mark)",)
        except UnicodeDecodeError as e:
            raise DocketError(f"{name}: invalid UTF-16 at byte {e.start}") from e
    if b"\x00" in raw[:4096]:
        raise DocketError(f"{name}: binary data, not a text document")
    try:
        return raw.decode("utf-8-sig"), ()
    except UnicodeDecodeError as e:
        bad = e.start
        if re.search(rb"[\xc2-\xf4][\x80-\xbf]+", raw):
            # mostly UTF-8 with broken bytes: guessing another encoding would garble the good part
            raise DocketError(f"{name}: invalid UTF-8 at byte {bad}") from e
    best = from_bytes(raw).best()
    text = str(best) if best is not None else ""
    if best is None or best.encoding not in _LEGACY or best.chaos > 0.2 or not _plainly_prose(text):
        raise DocketError(f"{name}: invalid UTF-8 at byte {bad}, and not plainly text in another encoding "
                          "(give --encoding if you know it)")
    return text, (f"not UTF-8: read as {best.encoding}",)


def normalise(text: str) -> str:
    """Line ends unified and look-alike spaces made plain; the text claims point into is this one."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_SPACES)
    # a lone surrogate (from a PDF's broken UTF-16) is no character: U+FFFD, one for one
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


_SURROGATE = re.compile("[\ud800-\udfff]")


# look-alike spaces and control characters (C0 but the line feed, C1) become plain spaces, one for one, so
# that offsets stay those of the text; the byte-order mark goes
_SPACES = {c: " " for c in (*range(0x00, 0x0A), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0), 0x00A0, 0x202F, 0x2007)}
_SPACES[0xFEFF] = None


# a PDF's compressed streams inflated, in all: pdfium inflates a page's streams inside one call that
# cannot be interrupted, so a 1 MB file whose streams inflate to gigabytes ("flate bomb") would hold an
# ingest for minutes. Real PDFs inflate a few times over (fonts, text, and images stored as Flate,
# the most: raw pixels), so the cap is the larger of a floor and a multiple of the file's size.
PDF_INFLATE_FLOOR = 64 * 1024 * 1024
PDF_INFLATE_RATIO = 40
# streams pdfium parses (page contents, fonts: all but images) cost about a second per megabyte
# inflated (a 48 KB file with 16 MB of text operators: 14 s), and real ones compress a few times
# over; their own, tighter cap
PDF_PARSED_FLOOR = 2 * 1024 * 1024
PDF_PARSED_RATIO = 40
_STREAM = re.compile(rb"/FlateDecode.{0,200}?>>\s*stream\r?\n", re.S)
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")


def _inflated_size(data: memoryview, cap: int) -> int:
    """What a Flate stream inflates to, counted in pieces and stopping past `cap` (never held whole)."""
    import zlib

    d = zlib.decompressobj()
    total = pos = 0
    while pos < len(data) and not d.eof and total <= cap:
        chunk = d.decompress(data[pos:pos + 65536], cap - total + 1)
        pos += 65536 - len(d.unconsumed_tail) if d.unconsumed_tail else 65536
        total += len(chunk)
        while d.unconsumed_tail and total <= cap:
            chunk = d.decompress(d.unconsumed_tail, cap - total + 1)
            total += len(chunk)
    return total


def _check_streams(raw: bytes, name: str) -> None:
    """Refuse a PDF whose Flate streams inflate past the caps, before pdfium reads it: all streams
    past PDF_INFLATE_*, the streams pdfium parses (all but images) past PDF_PARSED_*."""
    import zlib

    cap = max(PDF_INFLATE_FLOOR, PDF_INFLATE_RATIO * len(raw))
    parsed_cap = max(PDF_PARSED_FLOOR, PDF_PARSED_RATIO * len(raw))
    total = parsed = 0
    for m in _STREAM.finditer(raw):
        # the stream's dictionary: from its object's start ("12 0 obj") to the stream keyword
        head = raw[max(0, m.start() - 400):m.end()]
        head = head[head.rfind(b" obj") + 1:] if b" obj" in head else head
        image = bool(_IMAGE.search(head))
        try:
            size = _inflated_size(memoryview(raw)[m.end():], cap - total)
        except zlib.error:
            continue  # a broken stream: pdfium says what it makes of it
        total += size
        parsed += 0 if image else size
        if total > cap or parsed > parsed_cap:
            what = f"{cap:,} bytes" if total > cap else f"{parsed_cap:,} bytes of page contents and fonts"
            raise DocketError(f"{name}: refused: its compressed streams inflate past {what} (a flate bomb)")


def _pdf_text(raw: bytes, name: str) -> tuple[str, DocumentMeta]:
    import pypdfium2 as pdfium

    _check_streams(raw, name)

    try:
        pdf = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as e:
        reason = "password-protected" if "password" in str(e).lower() else str(e)
        raise DocketError(f"{name}: not a readable PDF ({reason})") from e
    except (ValueError, TypeError, OSError) as e:
        raise DocketError(f"{name}: not a readable PDF ({e})") from e
    cap = max(PDF_TEXT_FLOOR, PDF_TEXT_RATIO * len(raw))
    try:
        pages, size = [], 0
        for i in range(len(pdf)):
            try:
                page = pdf[i]
                pages.append(page.get_textpage().get_text_range())
            except (pdfium.PdfiumError, ValueError, OSError) as e:
                raise DocketError(f"{name}: not a readable PDF (page {i + 1} of {len(pdf)} fails to load: {e})") from e
            size += len(pages[-1])
            if size > cap:
                raise DocketError(f"{name}: refused: its text runs past {cap:,} characters by page {i + 1}, "
                                  f"{size // len(raw)} per byte of file (a compressed text bomb)")
        return "\n\n".join(p.strip() for p in pages), _pdf_properties(pdf)
    finally:
        pdf.close()


def _pdf_properties(pdf) -> DocumentMeta:
    """Title, author and creation date of a PDF's information dictionary ("D:20180402…")."""
    try:
        info = pdf.get_metadata_dict(skip_empty=True)
    except Exception:  # noqa: BLE001 - a broken information dictionary is only a missing guess
        return DocumentMeta()
    date = re.match(r"D:(\d{4})(\d{2})(\d{2})", info.get("CreationDate", ""))
    return found_meta({"title": info.get("Title"), "publisher": info.get("Author"),
                       "published": "-".join(date.groups()) if date else None})


@cache
def _trafilatura_config():
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MAX_TREE_SIZE", str(MAX_HTML_TREE))
    return config


def _html_text(raw: bytes, name: str, encoding: str | None) -> tuple[str, DocumentMeta, tuple[str, ...]]:
    import trafilatura

    html, notes = decode_text(raw, name, encoding)
    try:
        # no extensive date search: it hands odd pages to dateparser, whose per-language regexes took
        # tens of seconds to build; the page's own date tags are read, and the text's dateline after
        text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True,
                                   config=_trafilatura_config())
        md = trafilatura.extract_metadata(html, extensive=False)
    except (ValueError, TypeError, RecursionError, LookupError) as e:
        raise DocketError(f"{name}: not readable HTML ({type(e).__name__}: {e})") from e
    if not text:
        raise DocketError(f"{name}: no main text found in the HTML")
    meta = DocumentMeta()
    if md is not None:
        meta = found_meta({"title": md.title, "publisher": md.sitename, "published": md.date, "source_url": md.url})
    return text.replace("\n", "\n\n"), meta, notes


def _markdown_text(text: str) -> str:
    # headings and emphasis marks go; every other character stays where it was
    text = re.sub(r"(?m)^#{1,6}\s+", "", text)
    return re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)


def read_document(path: Path, overrides: DocumentMeta | None = None, limit: int | None = None,
                  encoding: str | None = None) -> Reading:
    """Read one file: its Document (text, metadata), its raw bytes, notes, and the sidecar used.

    Metadata, weakest first: the file's own properties (PDF, DOCX, HTML tags), what its opening
    lines say (dateline, heading), a sidecar FILE.meta.json/.yaml, then `overrides` (flags, form)."""
    name = display_name(str(path))
    try:
        size = path.stat().st_size
    except (OSError, ValueError) as e:
        raise DocketError(f"{name}: cannot read ({getattr(e, 'strerror', None) or e})") from e
    limit = limit or max_bytes()
    if size > limit:
        raise DocketError(f"{name}: {size} bytes is over the size limit of {limit} (set DOCKET_MAX_BYTES or --max-bytes)")
    if size == 0:
        raise DocketError(f"{name}: the file is empty")
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise DocketError(f"{name}: cannot read ({e.strerror})") from e
    side = sidecar_path(path)
    side_meta, side_raw = read_sidecar(side) if side else (DocumentMeta(), b"")
    mtype = media_type(path, raw)
    found, notes = DocumentMeta(), ()
    if mtype == "application/pdf":
        text, found = _pdf_text(raw, name)
    elif mtype == DOCX:
        text, found = docx_text(raw, name)
        found = found_meta(found.model_dump())
    elif mtype == "text/html":
        text, found, notes = _html_text(raw, name, encoding)
    else:
        text, notes = decode_text(raw, name, encoding)
        if mtype == "text/markdown":
            text = _markdown_text(text)
    text = normalise(text)
    if not text.strip():
        raise DocketError(f"{name}: no text in the document")
    if mtype == "text/html":  # a page's own tags name its site and date better than its first lines
        meta = detect_metadata(text).merged(found)
    else:
        meta = found.merged(detect_metadata(text))
    meta = meta.merged(side_meta).merged(overrides or DocumentMeta())
    doc = Document(sha256=sha256_bytes(raw), filename=display_name(path.name), media_type=mtype, text=text, meta=meta)
    return Reading(doc, raw, notes, (display_name(str(side)), side_raw) if side else None)

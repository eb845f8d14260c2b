"""Reading a file into a Document: bytes kept unaltered, text extracted and normalised, metadata found.

Plain text, Markdown, HTML (main text via trafilatura), PDF (pypdfium2) and DOCX (python-docx).
Every problem is a DocketError whose message names the file.
"""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from pathlib import Path

import yaml
from charset_normalizer import from_bytes

from docket.errors import DocketError
from docket.ingest.metadata import detect_metadata
from docket.model import Document, DocumentMeta, sha256_bytes

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"}


def max_bytes() -> int:
    return int(os.environ.get("DOCKET_MAX_BYTES", DEFAULT_MAX_BYTES))


def media_type(path: Path, raw: bytes) -> str:
    suffix = path.suffix.lower()
    if raw.startswith(b"%PDF") or suffix == ".pdf":
        return "application/pdf"
    if suffix == ".docx" or raw.startswith(b"PK\x03\x04") and b"word/" in raw[:2000]:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    head = raw[:512].lstrip().lower()
    if suffix in (".html", ".htm") or head.startswith((b"<!doctype html", b"<html")):
        return "text/html"
    if suffix in (".md", ".markdown"):
        return "text/markdown"
    return "text/plain"


def decode_text(raw: bytes, name: str) -> str:
    """Bytes to text: UTF-8 when it is UTF-8, a detected legacy encoding when it plainly is one."""
    if b"\x00" in raw[:4096]:
        raise DocketError(f"{name}: binary data, not a text document")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        utf8_sequences = len(re.findall(rb"[\xc2-\xf4][\x80-\xbf]+", raw))
        if utf8_sequences:
            # mostly UTF-8 with broken bytes: guessing another encoding would garble the good part
            raise DocketError(f"{name}: invalid UTF-8 at byte {e.start}") from e
    best = from_bytes(raw).best()
    if best is None or best.chaos > 0.3:
        raise DocketError(f"{name}: binary data or an unknown encoding, not a text document")
    return str(best)


def normalise(text: str) -> str:
    """Line ends unified and look-alike spaces made plain; the text claims point into is this one."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate({0x00A0: " ", 0x202F: " ", 0x2007: " ", 0x0009: " ", 0xFEFF: None})


def _pdf_text(raw: bytes, name: str) -> str:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as e:
        raise DocketError(f"{name}: not a readable PDF ({e})") from e
    try:
        pages = []
        for i in range(len(pdf)):
            page = pdf[i]
            pages.append(page.get_textpage().get_text_range())
        return "\n\n".join(p.strip() for p in pages)
    finally:
        pdf.close()


def _docx_text(raw: bytes, name: str) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise DocketError(f"{name}: not a readable DOCX file ({e})") from e
    return "\n\n".join(p.text for p in document.paragraphs if p.text.strip())


def _html_text(raw: bytes, name: str) -> tuple[str, DocumentMeta]:
    import trafilatura

    html = decode_text(raw, name)
    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not text:
        raise DocketError(f"{name}: no main text found in the HTML")
    meta = DocumentMeta()
    md = trafilatura.extract_metadata(html)
    if md is not None:
        meta = DocumentMeta(title=md.title, publisher=md.sitename, published=md.date, source_url=md.url)
    return text.replace("\n", "\n\n"), meta


def _markdown_text(text: str) -> str:
    # headings and emphasis marks go; every other character stays where it was
    text = re.sub(r"(?m)^#{1,6}\s+", "", text)
    return re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)


def sidecar_meta(path: Path) -> DocumentMeta:
    for suffix in (".meta.json", ".meta.yaml", ".meta.yml"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            try:
                data = json.loads(side.read_text("utf-8")) if suffix == ".meta.json" else yaml.safe_load(side.read_text("utf-8"))
            except (ValueError, yaml.YAMLError) as e:
                raise DocketError(f"{side}: not valid {suffix.rsplit('.', 1)[1].upper()} ({e})") from e
            if not isinstance(data, dict):
                raise DocketError(f"{side}: expected a mapping of metadata fields")
            unknown = set(data) - set(DocumentMeta.model_fields)
            if unknown:
                raise DocketError(f"{side}: unknown metadata field(s): {', '.join(sorted(unknown))}")
            return DocumentMeta(**{k: (str(v) if v is not None else None) for k, v in data.items()})
    return DocumentMeta()


def read_document(path: Path, overrides: DocumentMeta | None = None, limit: int | None = None) -> tuple[Document, bytes]:
    """Read one file: its Document (text, metadata) and its raw bytes."""
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        raise DocketError(f"{name}: cannot read ({e.strerror})") from e
    limit = limit or max_bytes()
    if size > limit:
        raise DocketError(f"{name}: {size} bytes is over the size limit of {limit} (set DOCKET_MAX_BYTES or --max-bytes)")
    if size == 0:
        raise DocketError(f"{name}: the file is empty")
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise DocketError(f"{name}: cannot read ({e.strerror})") from e
    mtype = media_type(path, raw)
    found = DocumentMeta()
    if mtype == "application/pdf":
        text = _pdf_text(raw, name)
    elif mtype.endswith("wordprocessingml.document"):
        text = _docx_text(raw, name)
    elif mtype == "text/html":
        text, found = _html_text(raw, name)
    else:
        text = decode_text(raw, name)
        if mtype == "text/markdown":
            text = _markdown_text(text)
    text = normalise(text)
    if not text.strip():
        raise DocketError(f"{name}: no text in the document")
    meta = detect_metadata(text).merged(found).merged(sidecar_meta(path)).merged(overrides or DocumentMeta())
    doc = Document(sha256=sha256_bytes(raw), filename=path.name, media_type=mtype, text=text, meta=meta)
    return doc, raw

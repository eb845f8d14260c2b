"""DOCX: the text of the body (paragraphs and tables, in document order), of the page headers and
footers, and of the footnotes and endnotes; the file's own properties (title, author, created) as
metadata found on the way.

A DOCX is a zip archive, so it is checked before anything inflates it: only the two compression
methods Word writes (stored and deflate), a cap on the inflated size of the whole archive and on the
ratio of any large part (a 1 MB file that inflates to 300 MB is a zip bomb, not a document), and the
OLE container that Word uses for password-protected files is recognised and named.
"""

from __future__ import annotations

import io
import zipfile

from docket.errors import DocketError
from docket.model import DocumentMeta

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a Compound File: an encrypted DOCX or a legacy .doc
# Word's parts are XML, which deflates 5 to 20 times; a part inflating 100 times over (once it is
# larger than a few megabytes) is built to exhaust memory
MAX_RATIO = 100
RATIO_FROM = 4 * 1024 * 1024
MAX_INFLATED = 200 * 1024 * 1024  # the whole archive inflated (python-docx holds every part in memory)
# the XML parts inflated: lxml's tree takes several times the text's size, so this bounds the memory
# a document can cost (a peak of 263 MB measured for a 42 MB document.xml); a 1,000-page report has ~20 MB
MAX_XML = 50 * 1024 * 1024
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
_METHOD_NAMES = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "LZMA"}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_NOTES = {"footnotes": "footnote", "endnotes": "endnote"}


def check_archive(raw: bytes, name: str) -> None:
    """Refuse, with a reason, an archive that is not a DOCX Docket can inflate safely."""
    if raw.startswith(OLE_MAGIC):
        raise DocketError(f"{name}: a password-protected (encrypted) DOCX or a legacy .doc file; "
                          "save it unprotected as .docx first")
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as e:
        raise DocketError(f"{name}: not a readable DOCX file (not a zip archive: {e})") from e
    except NotImplementedError as e:  # zipfile's answer to a feature it lacks ("zip file version 6.9")
        raise DocketError(f"{name}: not a readable DOCX file (a zip feature Python cannot read: {e})") from e
    total = xml = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise DocketError(f"{name}: not a readable DOCX file (part {info.filename} is encrypted)")
        if info.compress_type not in _METHODS:
            method = _METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
            raise DocketError(f"{name}: not a readable DOCX file (part {info.filename} uses {method} "
                              "compression, which Word does not write)")
        total += info.file_size
        if info.filename.endswith((".xml", ".rels")):
            xml += info.file_size
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise DocketError(f"{name}: refused: part {info.filename} inflates {info.file_size // max(info.compress_size, 1)}"
                              f" times over ({info.file_size:,} bytes), as a zip bomb does")
    if xml > MAX_XML:
        raise DocketError(f"{name}: refused: its XML inflates to {xml:,} bytes (limit {MAX_XML:,})")
    if total > MAX_INFLATED:
        raise DocketError(f"{name}: refused: the archive inflates to {total:,} bytes (limit {MAX_INFLATED:,})")
    if "word/document.xml" not in {i.filename for i in infos}:
        raise DocketError(f"{name}: not a readable DOCX file (no word/document.xml in the archive)")


def docx_text(raw: bytes, name: str) -> tuple[str, DocumentMeta]:
    """The document's text, blocks separated by blank lines, and the metadata of its properties."""
    check_archive(raw, name)
    import docx

    try:
        document = docx.Document(io.BytesIO(raw))
        blocks = _headers(document) + _body(document) + _notes(document) + _footers(document)
        meta = _properties(document)
    except DocketError:
        raise
    except (MemoryError, RecursionError) as e:
        raise DocketError(f"{name}: not a readable DOCX file (too large or too deeply nested: {type(e).__name__})") from e
    except Exception as e:  # noqa: BLE001 - python-docx, lxml and zlib raise whatever a broken part makes them
        # raise (BadZipFile, KeyError, zlib.error on a corrupt stream, XMLSyntaxError …): all mean the same
        raise DocketError(f"{name}: not a readable DOCX file ({type(e).__name__}: {e})") from e
    return "\n\n".join(b for b in blocks if b.strip()), meta


def _body(document) -> list[str]:
    from docx.table import Table

    out = []
    for block in document.iter_inner_content():
        out.extend(_table(block) if isinstance(block, Table) else [block.text])
    return out


def _table(table) -> list[str]:
    """A table as one line per row, its cells joined by " | " (a merged cell once), nested tables after."""
    from docx.table import Table

    rows, nested = [], []
    for row in table.rows:
        seen, cells = set(), []
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is listed once per grid column it spans
                continue
            seen.add(id(cell._tc))
            parts = []
            for inner in cell.iter_inner_content():
                if isinstance(inner, Table):
                    nested.extend(_table(inner))
                elif inner.text.strip():
                    parts.append(inner.text.strip())
            cells.append(" ".join(parts))
        if any(cells):
            rows.append(" | ".join(cells))
    return (["\n".join(rows)] if rows else []) + nested


def _parts_text(parts) -> list[str]:
    """The text of headers or footers, each distinct one once (sections repeat linked ones)."""
    out: list[str] = []
    for part in parts:
        if part is None or part.is_linked_to_previous:
            continue
        text = "\n".join(p.text for p in part.paragraphs if p.text.strip())
        for t in part.tables:
            text += ("\n" if text else "") + "\n".join(_table(t))
        if text.strip() and text not in out:
            out.append(text)
    return out


def _headers(document) -> list[str]:
    return _parts_text(h for s in document.sections for h in (s.first_page_header, s.header, s.even_page_header))


def _footers(document) -> list[str]:
    return _parts_text(f for s in document.sections for f in (s.first_page_footer, s.footer, s.even_page_footer))


def _notes(document) -> list[str]:
    """Footnotes and endnotes (python-docx does not read them): each note's paragraphs, in order."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    out = []
    for rel in document.part.rels.values():
        kind = rel.reltype.rsplit("/", 1)[-1]
        if kind not in _NOTES or rel.is_external:
            continue
        root = etree.fromstring(rel.target_part.blob, parser)
        for note in root.iter(W + _NOTES[kind]):
            if note.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            paras = ["".join(t.text or "" for t in p.iter(W + "t")) for p in note.iter(W + "p")]
            text = "\n".join(p.strip() for p in paras if p.strip())
            if text:
                out.append(text)
    return out


# authors that programs write in when nobody filled the field in: not who published the document
PLACEHOLDER_AUTHORS = {"python-docx", "microsoft office user", "windows user", "user", "author", "admin",
                       "administrator", "unknown"}


def _properties(document) -> DocumentMeta:
    """Title, author and creation date from the file's core properties, where they are filled in."""
    props = document.core_properties
    created = props.created
    title = (props.title or "").strip() or None
    author = (props.author or "").strip() or None
    if author and author.lower() in PLACEHOLDER_AUTHORS:
        # a template's own properties: its creation date is the template's too (python-docx's is 2013)
        author = created = None
    return DocumentMeta(title=title[:300] if title else None, publisher=author[:300] if author else None,
                        published=created.date().isoformat() if created and 1900 < created.year < 2200 else None)

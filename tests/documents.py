"""Documents in the formats Docket reads, built in the tests from text written here."""

from __future__ import annotations

import io


def make_pdf(paragraphs: list[str]) -> bytes:
    """A one-page PDF (Helvetica, one line per paragraph), assembled by hand with a correct xref table."""

    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    lines = "".join(f"({esc(p)}) Tj 0 -28 Td\n" for p in paragraphs)
    stream = f"BT /F1 11 Tf 40 800 Td\n{lines}ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1200 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def make_docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def make_html(title: str, paragraphs: list[str]) -> str:
    """A news page: navigation, a cookie banner and a footer around one article."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:site_name" content="Caucasus Ledger"></head>
<body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<div class="cookie">We use cookies to improve this site. Accept all cookies.</div>
<article><h1>{title}</h1>
{body}
</article>
<footer>Copyright Caucasus Ledger. All rights reserved. Subscribe to our newsletter.</footer>
</body></html>
"""


def make_rich_docx(body: list[str], table: list[list[str]], header: str, footer: str, footnotes: list[str],
                   author: str = "Caucasus Rights Monitor", title: str = "") -> bytes:
    """A DOCX with a table after the paragraphs, a page header and footer, footnotes (python-docx cannot
    write those: the part and its relationship are added to the archive by hand) and core properties."""
    import datetime as dt
    import zipfile

    import docx

    document = docx.Document()
    for p in body:
        document.add_paragraph(p)
    t = document.add_table(rows=len(table), cols=len(table[0]))
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            t.cell(r, c).text = value
    document.sections[0].header.paragraphs[0].text = header
    document.sections[0].footer.paragraphs[0].text = footer
    document.core_properties.author = author
    document.core_properties.title = title
    document.core_properties.created = dt.datetime(2019, 5, 12, 9, 0)
    buf = io.BytesIO()
    document.save(buf)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    notes = "".join(f'<w:footnote w:id="{i + 1}"><w:p><w:r><w:t>{n}</w:t></w:r></w:p></w:footnote>'
                    for i, n in enumerate(footnotes))
    part = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{w}">'
            f'<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:t>----</w:t></w:r></w:p></w:footnote>'
            f"{notes}</w:footnotes>")
    rel = ('<Relationship Id="rIdNotes" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
           'footnotes" Target="footnotes.xml"/>')
    override = ('<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                'wordprocessingml.footnotes+xml"/>')
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", override.encode() + b"</Types>")
            z.writestr(info.filename, data)
        z.writestr("word/footnotes.xml", part)
    return out.getvalue()

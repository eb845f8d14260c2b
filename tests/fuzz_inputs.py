"""Fuzz cases for `docket ingest`, and a runner that ingests them through the real CLI and says what
happened to each.

A case is a handful of files written into a folder: documents in every format Docket reads (.txt .md
.html .htm .pdf .docx, sometimes under another format's suffix), each maybe with a sidecar
(FILE.meta.json / .meta.yaml / .meta.yml, valid or broken), under ordinary or odd names, their text
written from sentences of the kind Docket reads (killings, shelling, villages destroyed, resolutions)
and then mutated: digit runs, long sentences, control characters, invalid UTF-8, other encodings,
corrupted PDFs and DOCX archives, zip bombs, YAML alias bombs. `make_case(seed, index)` builds case
`index` from `random.Random(f"{seed}:{index}")` alone, so (seed, index) reproduces it byte for byte:

    from tests.fuzz_inputs import make_case, write_case
    case = make_case(7, 123); write_case(case, "/tmp/case"); print(case.labels)

`FuzzPool` ingests cases in worker processes forked from a warmed-up parent (spaCy and the gazetteer
loaded once), with a wall-clock limit per job enforced from the parent: a job over the limit has its
Python stack dumped (faulthandler) and its worker killed and replaced. Several cases can share one
folder and one ingest (a folder of many odd files must go on past each); a batch that is not clean,
or that hangs, is run again case by case to find the culprit.

Each case ends in one outcome. Failures: `traceback` (an exception escaped the CLI, its output was
not the JSON it promises, or a message says "internal error"), `hang` (over the limit), `crash` (the
worker died: a segfault, an abort), `unreported` (a document of the folder missing from the report),
`bad-report` (exit status or counts that disagree with the report), `store-broken` (afterwards the
store cannot list or show what went in, a document has no text, a claim's span is not its text, a
stored SHA-256 is not that of the file's bytes), `reingest-changed` (ingesting the same folder again
changed something). Notes, counted but not failures: `resource-error` (Docket caught a MemoryError or
RecursionError), `bad-message` (an error that does not name its file or spans several lines),
`extra` (a file reported that is not a document by its suffix), `slow` (a batch over the limit whose
cases each finished alone).
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import io
import json
import logging
import multiprocessing
import os
import random
import re
import shutil
import signal
import tempfile
import time
import traceback
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

EXTRACT_SECONDS_IN_FUZZ = 12  # $DOCKET_EXTRACT_SECONDS in the workers (the hang limit is 30 s)
FAILURES = ("traceback", "hang", "crash", "unreported", "bad-report", "store-broken", "reingest-changed")
NOTES = ("resource-error", "bad-message", "extra", "slow")
DOC_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"}
SIDECAR_SUFFIXES = (".meta.json", ".meta.yaml", ".meta.yml")
INTERNAL_MARKERS = ("internal error", "Traceback (most recent call last)")
RESOURCE_MARKERS = ("MemoryError", "RecursionError")

# ------------------------------------------------------------------------------------------ words

PLACES = [
    "Kalbajar", "Kelbajar", "Kəlbəcər", "Karvachar", "Lachin", "Aghdam", "Fuzuli", "Jabrayil", "Gubadly",
    "Zangilan", "Shusha", "Khojaly", "Vang", "Heyvaly", "Istisu", "Aleppo", "Homs", "Idlib", "Mariupol",
    "Kharkiv", "Bakhmut", "Sarajevo", "Goma", "El Fasher", "Tskhinvali", "Springfield",
]
CITIES = ["Geneva", "Vienna", "Minsk", "Paris", "Moscow", "Brussels", "New York", "Istanbul", "Baku", "Yerevan"]
ACTORS = [
    "the armed forces of Armenia", "government troops", "armed groups", "the occupying forces",
    "unidentified gunmen", "artillery units of the army", "the local militia", "Russian forces", "rebel fighters",
    "the security services",
]
ORGS = [
    "the Ministry of Foreign Affairs", "the OSCE Minsk Group", "the UN Security Council", "Caucasus Rights Monitor",
    "the International Committee of the Red Cross", "the Human Rights Council", "a local monitoring group",
    "the UN Human Rights Monitoring Mission", "the regional governor's office",
]
PEOPLE = ["civilians", "residents", "people", "children", "servicemen", "women and children", "villagers", "aid workers"]
OBJECTS = [
    "villages", "schools", "libraries", "hospitals", "mosques", "churches", "museums", "monuments", "bridges",
    "cemeteries", "kindergartens", "houses", "apartment buildings", "cultural centres", "sanatoriums",
]
SITES = [
    "Khudavank monastery", "Ganjasar cloister", "Kalbajar history museum", "Great Mosque of the old town",
    "old stone bridge over the river", "Dadivank complex", "municipal library", "district cemetery",
]
COMPANIES = ["Base Metals CJSC", "Vallex Group CJSC", "Anglo-Caucasus Mining Ltd", "Sterling Ore Holdings",
             "Northern Quarry LLC"]
MINERALS = ["gold", "copper", "molybdenum", "marble", "zinc ore"]
RIVERS = ["Tartar", "Hakari", "Aras", "Bazarchay", "Orontes", "Kalmius"]
RESOLUTIONS = ["822 (1993)", "853 (1993)", "874 (1993)", "884 (1993)", "2139 (2014)", "2254 (2015)",
               "S/RES/822 (1993)", "62/243 (2008)"]
SPEAKERS = ["Leyla Aliyeva", "Ruben Hakobyan", "Olena Kovalenko", "Samir Haddad", "Maria Petrova", "Tural Mammadov"]
COUNTRIES = ["Azerbaijan", "Armenia", "Ukraine", "Syria", "Georgia", "the Republic of Nowhere"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
NUMBER_WORDS = ["one", "two", "three", "nine", "twelve", "forty", "a hundred", "two hundred", "a thousand",
                "several thousand", "dozens of", "hundreds of", "scores of"]

# templates: {x} are slots filled by _SLOTS; a capitalised slot name capitalises the filling
TEMPLATES = [
    "{When}, {actor} occupied {place} and the villages around it.",
    "{N} {people} were killed and {n} were wounded in the shelling of {place} {when}.",
    "{N} {people} were taken hostage, and the fate of {n} others who went missing {when} is still unknown.",
    "Around {n} {objects}, {n} schools and {n} libraries in the {place} district were razed to the ground.",
    "The Security Council adopted resolution {res}, demanding the immediate withdrawal of the occupying forces from {place}.",
    "More than {n} residents were expelled from {place}, and {n} still live as internally displaced persons.",
    "{Org} reported that private property in {place} had been plundered and the houses set on fire.",
    "Since {year}, {company} has extracted {mineral} at the {place} deposit without the consent of the displaced owners.",
    "A highway linking {place} and {place2} was built across the occupied territory {when}.",
    "The co-chairs presented a timetable of urgent steps at the meeting in {city} {when}.",
    "{Actor} continue to disregard resolutions {res}, {res} and {res} of the Security Council.",
    "Settlers were moved into the houses of displaced families in {place} {when}.",
    "A missile struck the central market of {place} {when}, killing {n} {people} and injuring at least {n}.",
    "According to {org}, {n} {people} remain displaced from {place}.",
    "The {site} was altered, and the inscriptions on its walls were removed.",
    "{Mineral} mined in {place} was imported by {company} without due diligence.",
    "Waste from the mine polluted the {river} river downstream of {place}.",
    "{Org} said {when} that {n} bodies had been recovered near {place}.",
    "Shelling of {place} {when} damaged {n} apartment buildings, a hospital and {n} kindergartens.",
    "The ministry calls on the international community to condemn the destruction of the {site}.",
    "{speaker}, spokesperson of {org}, emphasized that {n} {people} had been detained at a checkpoint near {place}.",
    "Between {n} and {n} {people} fled {place} after the offensive with Mi-24 gunships {when}.",
    "Dozens of monuments and one museum in {place} were looted {when}.",
    "The talks in {city} ended {when} without agreement on the return of the displaced to {place}.",
    "{Actor} launched an offensive on {place} {when}; {n} {people} died in the first {n} hours.",
    "It is estimated that {n} hectares of forest around {place} were burned.",
    "In {place}, {n} of the {n} bridges were blown up as the troops withdrew {when}.",
    "General Assembly resolution {res} reaffirmed the territorial integrity of {country}.",
    "Residents of {place} said that nobody was killed {when}.",
    "Aid convoys have not reached {place} since {year}, {org} said.",
    "{Org} demands the release of the {n} hostages held since {year}.",
    "The occupation of {place}, {place2} and {place3} continued {when}.",
]
# a few sentences in other languages and scripts (written for this file), for the encodings
FOREIGN = [
    "По данным министерства, в Кельбаджаре были убиты {n} мирных жителей.",
    "Около {n} сёл было разрушено в ходе обстрелов {year} года.",
    "Унаслідок обстрілу Маріуполя загинули {n} цивільних.",
    "Kəlbəcər rayonunda {n} kənd dağıdılıb, {n} nəfər itkin düşüb.",
    "Քարվաճառում ավերվել է {n} գյուղ։",
    "قُتل {n} مدنيين في قصف حلب.",
    "Im Bezirk Latschin wurden {n} Häuser zerstört.",
    "À Alep, {n} écoles ont été détruites en {year}.",
]
_UNICODE_BITS = ["ə", "Ə", "ğ", "ş", "ı", "İ", "Ք", "ճ", "ж", "Ё", "ї", "ع", "ح", "中", "日本", "😀", "🏳️‍🌈",
                 "e\u0301", "\u202e", "\u200b", "\u200d", "\u2028", "\u2029", "\ufeff", "\u00ad", "ﬁ", "Ⅻ", "①", "²",
                 "٣", "१२", "\U0001d400", "\u0000", "\ufffd"]


def _figure(rng: random.Random) -> str:
    """A figure as documents write them: digits, thousands separators, words, approximations."""
    r = rng.random()
    n = rng.choice([rng.randint(1, 20), rng.randint(20, 999), rng.randint(1000, 200_000)])
    if r < 0.35:
        return str(n)
    if r < 0.5:
        return f"{n:,}"
    if r < 0.6:
        return f"{n:,}".replace(",", ".")
    if r < 0.66:
        return f"{n:,}".replace(",", " ")
    if r < 0.78:
        return rng.choice(NUMBER_WORDS)
    if r < 0.86:
        return f"{rng.choice(['about', 'around', 'some', 'nearly', 'over', 'at least', 'fewer than'])} {n}"
    if r < 0.92:
        return f"{rng.randint(1, 9)}.{rng.randint(1, 9)} million"
    return f"{n}-{n + rng.randint(1, 50)}"


def _when(rng: random.Random) -> str:
    y = rng.choice([1992, 1993, 1994, 2002, 2014, 2016, 2018, 2020, 2022, 2023])
    m, d = rng.randint(1, 12), rng.randint(1, 28)
    r = rng.random()
    if r < 0.3:
        return f"on {d} {MONTHS[m - 1]} {y}"
    if r < 0.45:
        return f"in {MONTHS[m - 1]} {y}"
    if r < 0.6:
        return f"in {y}"
    if r < 0.7:
        return f"on {MONTHS[m - 1]} {d}, {y}"
    if r < 0.77:
        return f"on {y}-{m:02d}-{d:02d}"
    if r < 0.82:
        return f"on {d:02d}.{m:02d}.{y}"
    if r < 0.86:
        return "currently"
    if r < 0.9:
        return f"since {y}"
    # dates that are not dates
    return rng.choice(["on 31 February 2020", "on 0 April 0000", "in the year 99999", "on 45 Mayember 1993",
                       "on 2 April 1993 and 3 April 1993 and 4 April 1993", "in 1992-1994", "on 29 February 1900"])


_SLOTS: dict[str, Callable[[random.Random], str]] = {
    "place": lambda r: r.choice(PLACES), "place2": lambda r: r.choice(PLACES), "place3": lambda r: r.choice(PLACES),
    "city": lambda r: r.choice(CITIES), "actor": lambda r: r.choice(ACTORS), "org": lambda r: r.choice(ORGS),
    "people": lambda r: r.choice(PEOPLE), "objects": lambda r: r.choice(OBJECTS), "site": lambda r: r.choice(SITES),
    "company": lambda r: r.choice(COMPANIES), "mineral": lambda r: r.choice(MINERALS),
    "river": lambda r: r.choice(RIVERS), "res": lambda r: r.choice(RESOLUTIONS), "speaker": lambda r: r.choice(SPEAKERS),
    "country": lambda r: r.choice(COUNTRIES), "n": _figure, "when": _when,
    "year": lambda r: str(r.choice([1992, 1993, 2002, 2014, 2020])),
}


def _fill(rng: random.Random, template: str) -> str:
    def slot(m: re.Match) -> str:
        key = m.group(1)
        value = _SLOTS[key.lower()](rng)
        return value[:1].upper() + value[1:] if key[0].isupper() else value

    return re.sub(r"\{(\w+)\}", slot, template)


def sentence(rng: random.Random) -> str:
    return _fill(rng, rng.choice(TEMPLATES))


def _heading(rng: random.Random) -> list[str]:
    """The opening lines Docket reads metadata from: a dateline, a title, who speaks."""
    d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.choice([1993, 2008, 2018, 2020, 2023])
    out = []
    r = rng.random()
    if r < 0.4:
        out.append(f"{rng.choice(['Press release', 'Statement', 'Report', 'News'])} {d:02d} {MONTHS[m - 1]} {y}")
    elif r < 0.5:
        out.append(rng.choice(["Press release 31 February 2018", "Statement 00 Month 0000",
                               f"Press release {'9' * rng.randint(5, 30)} April {y}"]))
    r = rng.random()
    if r < 0.3:
        out.append(f"Statement by {rng.choice(SPEAKERS)}, Spokesperson of the Ministry of Foreign Affairs of "
                   f"{rng.choice(COUNTRIES)} on the anniversary of the occupation of {rng.choice(PLACES)}")
    elif r < 0.6:
        out.append(f"On the {rng.randint(1, 40)}th anniversary of the occupation of the {rng.choice(PLACES)} district")
    elif r < 0.7:
        out.append(f"Published by: {rng.choice(ORGS)}")
    return out


# ------------------------------------------------------------------------------------------ cases


@dataclass
class FuzzFile:
    name: bytes  # the path inside the case's folder ("/" separated; bytes, since some names are not UTF-8)
    data: bytes | None  # None: a folder of that name
    labels: list[str] = field(default_factory=list)


@dataclass
class Case:
    seed: int
    index: int
    files: list[FuzzFile]
    labels: list[str]

    @property
    def size(self) -> int:
        return sum(len(f.data or b"") for f in self.files)

    def reproducer(self) -> str:
        return f"make_case({self.seed}, {self.index})"


@dataclass
class _Doc:
    """A document being built: its paragraphs (lists of sentences) and the labels of what was done."""

    paragraphs: list[list[str]]
    labels: list[str]
    big: bool = False

    def text(self) -> str:
        return "\n\n".join(" ".join(p) for p in self.paragraphs)


def _pick(rng: random.Random, weighted: dict[str, float]) -> str:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def _digit_run(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.1:
        n = rng.randint(1, 8)
    elif r < 0.35:
        n = rng.randint(15, 25)
    elif r < 0.65:
        n = rng.randint(300, 320)
    else:
        n = rng.randint(1, 400)
    digits = str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(n - 1))
    style = rng.random()
    if style < 0.6:
        return digits
    if style < 0.75:
        return f"{int(digits):,}" if n < 4000 else digits
    if style < 0.85:
        return f"{digits[:1]}.{digits[1:]}"
    if style < 0.92:
        return f"{digits}e{rng.randint(300, 9999)}"
    return f"{digits} million"


def _mutate_text(rng: random.Random, doc: _Doc, small: bool) -> None:
    """Text mutations, on the sentences before they are rendered into a format."""
    sentences = [(i, j) for i, p in enumerate(doc.paragraphs) for j in range(len(p))]
    for _ in range(rng.choice([0, 0, 1, 1, 1, 2, 3])):
        what = _pick(rng, {"digits": 5, "exotic-digits": 1, "dup": 3, "long-sentence": 0.5, "long-list": 0.5,
                           "long-word": 0.3, "many-sentences": 0.6, "control": 2, "nul": 1, "unicode": 2,
                           "foreign": 1.5, "whitespace": 1.5, "markup": 1, "no-text": 0.6, "surrogate": 0.5})
        doc.labels.append(f"text:{what}")
        i, j = rng.choice(sentences)
        p = doc.paragraphs[i]
        if what == "digits":
            for _ in range(rng.randint(1, 3)):
                i, j = rng.choice(sentences)
                s = doc.paragraphs[i][j]
                run = _digit_run(rng)
                doc.paragraphs[i][j] = re.sub(r"\d[\d,.]*", run, s, count=1) if re.search(r"\d", s) else \
                    f"{run} {rng.choice(PEOPLE)} were killed in {rng.choice(PLACES)}."
        elif what == "exotic-digits":
            figure = rng.choice(["²³⁴", "①②", "٣٠٠", "१२०", "１２０", "Ⅻ", "½", "𝟏𝟓𝟎", "৩০", "¹⁰⁰⁰"])
            p[j] = f"{figure} {rng.choice(OBJECTS)} were destroyed in {rng.choice(PLACES)}."
        elif what == "dup":
            times = rng.choice([2, 2, 3, 5, 10, 30])
            if rng.random() < 0.5:
                p[j:j + 1] = [p[j]] * times
            else:
                doc.paragraphs.extend([[p[j]]] * times)
        elif what == "long-sentence":
            # mostly a few kilobytes; one in 25 is the 50 KB sentence, and only big cases go further
            limit = rng.choices([2_000, 5_000, 10_000, 20_000, 50_000], [10, 6, 4, 2, 1])[0] \
                if small or rng.random() < 0.9 else rng.choice([200_000, 500_000, 1_000_000])
            doc.big = doc.big or limit > 60_000
            clauses = []
            size = 0
            while size < limit:
                c = sentence(rng).rstrip(".;")
                clauses.append(c[:1].lower() + c[1:])
                size += len(c) + 6
            p[j] = ", and ".join(clauses)[:limit] + "."
        elif what == "long-list":
            n = rng.choice([20, 100, 500, 2000])
            p[j] = f"{rng.choice(ACTORS).capitalize()} occupied " + ", ".join(rng.choice(PLACES) for _ in range(n)) + "."
        elif what == "long-word":
            p[j] = "Kalbajar" * rng.choice([100, 1000, 5000]) + " was occupied."
        elif what == "many-sentences":
            doc.paragraphs.extend([[sentence(rng) for _ in range(rng.randint(1, 5))]
                                   for _ in range(rng.choice([30, 50, 100, 200 if not small else 100]))])
        elif what == "control":
            s = list(p[j])
            for _ in range(rng.randint(1, 10)):
                s.insert(rng.randrange(len(s) + 1), chr(rng.choice([*range(1, 32), 0x7F, 0x85, *range(0x80, 0xA0)])))
            p[j] = "".join(s)
        elif what == "nul":
            k = rng.randrange(len(p[j]) + 1)
            p[j] = p[j][:k] + "\x00" * rng.choice([1, 1, 4, 100]) + p[j][k:]
        elif what == "unicode":
            s = list(p[j])
            for _ in range(rng.randint(1, 12)):
                s.insert(rng.randrange(len(s) + 1), rng.choice(_UNICODE_BITS))
            p[j] = "".join(s)
            if rng.random() < 0.3:
                p[j] = unicodedata.normalize(rng.choice(["NFD", "NFKC"]), p[j])
        elif what == "foreign":
            p[j] = _fill(rng, rng.choice(FOREIGN))
        elif what == "whitespace":
            ws = rng.choice(["\t", "\u00a0", "\u2028", "\r", "\r\n", "\u3000", " " * 50, "\n" * 30, "\u202f"])
            p[j] = p[j].replace(" ", ws, rng.randint(1, 20))
            if rng.random() < 0.2:
                p.append(" " * rng.choice([1000, 10_000]))
        elif what == "markup":
            p[j] = rng.choice(["<script>alert(1)</script> ", "**", "# ", "[red]", "[/]", "<b>", "&amp;", "]]>",
                               "<!--", "```", "| a | b |\n|---|---|\n"]) + p[j]
        elif what == "no-text":
            doc.paragraphs = [[rng.choice(["", " ", "\n\n\n", "\ufeff", ".", "...", "\u200b", "-- --", "\t"])]]
            sentences = [(0, 0)]
        elif what == "surrogate":
            p[j] = p[j] + "\ud800"  # a lone surrogate: encoded with surrogatepass it is invalid UTF-8
    if not small and rng.random() < 0.3:
        doc.labels.append("text:huge")
        doc.big = True
        target = rng.choice([1_000_001, 1_500_000, 2_000_000])
        paras, size = [], 0
        while size < target:
            para = [sentence(rng) for _ in range(rng.randint(2, 6))]
            size += sum(len(s) + 1 for s in para) + 2
            paras.append(para)
        doc.paragraphs.extend(paras)


def _text_document(rng: random.Random, small: bool) -> _Doc:
    paragraphs = [[h] for h in _heading(rng)]
    paragraphs += [[sentence(rng) for _ in range(rng.randint(1, 5))] for _ in range(rng.randint(1, 8))]
    doc = _Doc(paragraphs, [])
    _mutate_text(rng, doc, small)
    return doc


# --------------------------------------------------------------------------- text, markdown, html

ENCODINGS = {"utf-8": 20, "utf-8-sig": 2, "cp1251": 2, "utf-16": 1.5, "utf-16-le": 1, "utf-16-be": 0.5,
             "latin-1": 1, "koi8-r": 1, "gb18030": 0.5, "shift_jis": 0.5, "utf-32": 0.5, "cp1252": 1, "mac-roman": 0.3}


def _encode(rng: random.Random, text: str, labels: list[str], encodings: dict[str, float] = ENCODINGS) -> bytes:
    enc = _pick(rng, encodings)
    if enc != "utf-8":
        labels.append(f"enc:{enc}")
    errors = "surrogatepass" if enc == "utf-8" else "replace"
    try:
        return text.encode(enc, errors)
    except UnicodeEncodeError:
        return text.encode(enc, "replace")


def _markdown(rng: random.Random, doc: _Doc) -> str:
    out = []
    for k, p in enumerate(doc.paragraphs):
        para = " ".join(p)
        r = rng.random()
        if k == 0 and r < 0.5:
            para = "#" * rng.randint(1, 7) + " " + para
        elif r < 0.15:
            para = "\n".join(f"- {s}" for s in p)
        elif r < 0.25:
            para = "**" + para + "**"
        elif r < 0.3:
            para = "```\n" + para + "\n```"
        elif r < 0.34:
            para = "| kind | text |\n|---|---|\n" + "\n".join(f"| x | {s} |" for s in p)
        elif r < 0.37:
            para = "> " + para
        out.append(para)
    if rng.random() < 0.1:
        out.insert(0, "---\ntitle: " + rng.choice(SITES) + "\npublished: 2018-04-02\n---")
        doc.labels.append("md:front-matter")
    return "\n\n".join(out)


def _html(rng: random.Random, doc: _Doc) -> tuple[str, str]:
    title = " ".join(doc.paragraphs[0])[:200] if doc.paragraphs else ""
    body = "\n".join(f"<p>{xml_escape(' '.join(p))}</p>" for p in doc.paragraphs)
    variant = _pick(rng, {"page": 12, "bare": 3, "no-body": 1, "scripts": 1.5, "nested": 1, "unclosed": 1,
                          "entities": 1, "comments": 0.7, "charset-lie": 1, "table-only": 0.7, "huge-attr": 0.5,
                          "xml-decl": 0.7, "cdata": 0.3, "frameset": 0.3, "pre": 0.5, "meta-odd": 1,
                          "svg": 0.3, "only-title": 0.5})
    head = f"<title>{xml_escape(title)}</title>"
    if variant == "page":
        html = (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">{head}"
                f"<meta property=\"og:site_name\" content=\"{xml_escape(rng.choice(ORGS))}\"></head><body>"
                "<header><a href=\"/\">Front page</a> | <a href=\"/region\">Region</a> | <a href=\"/opinion\">Opinion</a>"
                "</header><aside>Sign up for the morning briefing.</aside>"
                f"<main><article><h1>{xml_escape(title)}</h1>\n{body}\n</article></main>"
                "<footer>All content is published under the site's terms of use.</footer></body></html>")
    elif variant == "bare":
        html = body
    elif variant == "no-body":
        html = f"<html><head>{head}</head></html>"
    elif variant == "scripts":
        html = (f"<html><head>{head}<script>var text = {json.dumps(body)};</script><style>p {{color: red}}</style>"
                f"</head><body><script>document.write(text)</script><noscript>{body}</noscript>"
                f"<p>{xml_escape(sentence(rng))}</p></body></html>")
    elif variant == "nested":
        depth = rng.choice([50, 200, 1000, 3000, 6000])
        tag = rng.choice(["div", "span", "b", "table><tr><td"])
        close = "</td></tr></table>" if tag.startswith("table") else f"</{tag}>"
        html = "<html><body>" + f"<{tag}>" * depth + body + close * depth + "</body></html>"
        doc.labels.append(f"html:depth-{depth}")
    elif variant == "unclosed":
        html = "<html><body><div><p>" + "<p><b><i>".join(" ".join(p) for p in doc.paragraphs) + "<table><tr><td>"
    elif variant == "entities":
        ents = ["&#0;", "&#xD800;", "&#x110000;", "&#99999999999;", "&nbsp;", "&amp", "&bogus;", "&#x1F600;", "&#8232;"]
        html = "<html><body><article>" + "".join(f"<p>{rng.choice(ents)}{xml_escape(' '.join(p))}{rng.choice(ents)}</p>"
                                                 for p in doc.paragraphs) + "</article></body></html>"
    elif variant == "comments":
        html = f"<html><body><!-- {body} --></body></html>"
    elif variant == "charset-lie":
        html = (f"<html><head><meta charset=\"{rng.choice(['windows-1251', 'utf-16', 'bogus-charset', 'shift_jis'])}\">"
                f"{head}</head><body><article>{body}</article></body></html>")
    elif variant == "table-only":
        html = "<html><body><table>" + "".join(f"<tr><td>{xml_escape(' '.join(p))}</td></tr>"
                                               for p in doc.paragraphs) + "</table></body></html>"
    elif variant == "huge-attr":
        html = f"<html><body><div data-x=\"{'x' * rng.choice([1000, 20_000])}\"><article>{body}</article></div></body></html>"
    elif variant == "xml-decl":
        html = (f"<?xml version=\"1.0\" encoding=\"{rng.choice(['utf-16', 'iso-8859-1', 'ebcdic'])}\"?>\n"
                f"<html xmlns=\"http://www.w3.org/1999/xhtml\"><head>{head}</head><body>{body}</body></html>")
    elif variant == "cdata":
        html = f"<html><body><![CDATA[{body}]]></body></html>"
    elif variant == "frameset":
        html = f"<html><head>{head}</head><frameset><frame src=\"a.html\"><noframes>{body}</noframes></frameset></html>"
    elif variant == "pre":
        html = f"<html><body><pre>{xml_escape(doc.text())}</pre></body></html>"
    elif variant == "meta-odd":
        date = rng.choice(["0000-00-00", "99999-12-31", "2018-02-30", "1" * 400, "yesterday", "2018-04-02T25:61:00Z",
                           "-0001-01-01"])
        html = (f"<html><head>{head}<meta property=\"article:published_time\" content=\"{date}\">"
                f"<meta name=\"author\" content=\"{'A' * rng.choice([10, 5000])}\">"
                f"<link rel=\"canonical\" href=\"{rng.choice(['javascript:alert(1)', 'http://', 'https://x/' + 'a' * 3000])}\">"
                f"</head><body><article>{body}</article></body></html>")
    elif variant == "svg":
        html = f"<html><body><svg><text>{body}</text></svg><math>{body}</math></body></html>"
    else:  # only-title
        html = f"<html><head>{head}</head><body></body></html>"
    return html, variant


# ------------------------------------------------------------------------------------------ PDF


def _pdf_string(s: str) -> bytes:
    raw = s.encode("latin-1", "replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)").replace(b"\r", b"\\r") + b")"


def _pdf_serialize(objects: dict[int, bytes], trailer_extra: bytes = b"", xref: str = "ok",
                   rng: random.Random | None = None) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = out.tell()
        out.write(f"{num} 0 obj\n".encode() + objects[num] + b"\nendobj\n")
    size = max(objects) + 1
    start = out.tell()
    if xref != "none":
        out.write(f"xref\n0 {size}\n0000000000 65535 f \n".encode())
        for num in range(1, size):
            off = offsets.get(num, 0)
            if xref == "bad" and rng is not None and rng.random() < 0.5:
                off = rng.randint(0, 10 ** 9)
            out.write(f"{off:010d} 00000 {'n' if num in offsets else 'f'} \n".encode())
    out.write(b"trailer\n<< /Size " + str(size).encode() + b" /Root 1 0 R " + trailer_extra + b">>\n")
    startxref = start if xref == "ok" else (rng.randint(0, 10 ** 7) if rng else 0)
    out.write(f"startxref\n{startxref}\n%%EOF\n".encode())
    return out.getvalue()


def _pdf(rng: random.Random, doc: _Doc) -> tuple[bytes, str]:
    """A PDF assembled by hand, one paragraph a line, pages of up to 30 lines; maybe then corrupted."""
    lines = [" ".join(p) for p in doc.paragraphs]
    # a line a paragraph; very long paragraphs cut into lines so that the text stays on the page
    wrapped = [ln[k:k + 150] for ln in lines for k in range(0, max(len(ln), 1), 150)]
    per_page = 30 if not doc.big else 60
    pages = [wrapped[k:k + per_page] for k in range(0, len(wrapped), per_page)] or [[""]]
    variant = _pick(rng, {"ok": 14, "flate": 3, "bad-xref": 2, "no-xref": 1, "broken-page": 2, "count-lie": 1.5,
                          "kids-cycle": 0.7, "encrypted": 1.5, "bad-flate": 1, "flate-bomb": 0.4, "no-text": 1,
                          "hex-text": 1, "deep-array": 0.5, "info-odd": 1.5, "header-only": 0.5, "text-as-pdf": 0.7,
                          "mediabox-odd": 0.7, "many-pages": 0.5, "incremental": 0.7})
    if variant == "many-pages":  # the same pages again, up to 60 of them (a long report, not a huge text)
        pages = pages * max(1, min(rng.choice([20, 60]), 60 // len(pages)))
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    }
    kids = []
    mediabox = b"[0 0 1200 1000]"
    if variant == "mediabox-odd":
        mediabox = rng.choice([b"[0 0 0 0]", b"[0 0 1e38 1e38]", b"[a b c]", b"[-5 -5 -1 -1]", b"7"])
    for k, page in enumerate(pages):
        num = 4 + 2 * k
        kids.append(num)
        if variant == "no-text":
            content = b"0 0 m 300 300 l S 10 10 200 200 re f"
        elif variant == "hex-text":
            content = b"BT /F1 11 Tf 40 950 Td " + b"".join(
                b"<" + bytes(rng.randrange(256) for _ in range(rng.randint(5, 60))).hex().encode() + b"> Tj 0 -28 Td "
                for _ in page) + b"ET"
        else:
            content = b"BT /F1 11 Tf 40 950 Td\n" + b"".join(_pdf_string(ln) + b" Tj 0 -28 Td\n" for ln in page) + b"ET"
        stream_dict = b""
        if variant in ("flate", "many-pages") or variant == "flate-bomb" and k == 0:
            if variant == "flate-bomb":
                reps = rng.choice([100_000, 400_000]) if not doc.big else 2_000_000
                content = b"BT /F1 11 Tf 40 950 Td\n" + b"(Around 150 villages were destroyed.) Tj\n" * reps + b"ET"
            content = zlib.compress(content, 9)
            stream_dict = b" /Filter /FlateDecode"
        elif variant == "bad-flate" and k == 0:
            content = bytes(rng.randrange(256) for _ in range(rng.randint(10, 400)))
            stream_dict = b" /Filter /FlateDecode"
        length = len(content)
        objects[num + 1] = b"<< /Length " + str(length).encode() + stream_dict + b" >>\nstream\n" + content + b"\nendstream"
        extra = b""
        if variant == "deep-array" and k == 0:
            depth = rng.choice([100, 1000, 10_000])
            extra = b" /Annots " + b"[" * depth + b"]" * depth
        objects[num] = (b"<< /Type /Page /Parent 2 0 R /MediaBox " + mediabox + b" /Resources << /Font << /F1 3 0 R >> >>"
                        b" /Contents " + str(num + 1).encode() + b" 0 R" + extra + b" >>")
    count = len(kids)
    kid_refs = b" ".join(f"{k} 0 R".encode() for k in kids)
    if variant == "broken-page":
        k = rng.randrange(len(kids))
        how = rng.choice(["missing", "garbage", "null", "pages-node", "string", "no-contents"])
        doc.labels.append(f"pdf:broken-page:{how}")
        if how == "missing":  # the page tree names a page object that is not there
            kid_refs += b" 999 0 R"
            count += 1
        elif how == "garbage":
            objects[kids[k]] = b"<< /Type /Page /Parent 2 0 R /Contents [[[ >> >> ] 0 R"
        elif how == "null":
            objects[kids[k]] = b"null"
        elif how == "pages-node":
            objects[kids[k]] = b"<< /Type /Pages /Kids [] /Count 0 >>"
        elif how == "string":
            objects[kids[k]] = b"(this is not a page)"
        else:
            objects[kids[k]] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 998 0 R >>"
    if variant == "count-lie":
        count = rng.choice([0, -1, count + 5, 2 ** 31 - 1, 10 ** 12])
    if variant == "kids-cycle":
        kid_refs += b" 2 0 R 1 0 R"
    objects[2] = b"<< /Type /Pages /Kids [" + kid_refs + b"] /Count " + str(count).encode() + b" >>"
    trailer = b""
    if variant == "encrypted":
        objects[900] = (b"<< /Filter /Standard /V 1 /R 2 /O <" + bytes(rng.randrange(256) for _ in range(32)).hex().encode()
                        + b"> /U <" + bytes(rng.randrange(256) for _ in range(32)).hex().encode() + b"> /P -44 >>")
        trailer = b"/Encrypt 900 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] "
    if variant == "info-odd":
        title = rng.choice([b"(" + b"T" * 5000 + b")", b"<feff004b0061006c00620061006a00610072>", b"(\\000\\001)",
                            b"(" + "Kəlbəcər".encode() + b")", b"42", b"[(a) (b)]"])
        date = rng.choice([b"(D:20181345)", b"(D:99999999999999)", b"(D:00000000)", b"(D:2018)", b"(yesterday)",
                           b"(D:19930402120000+04'00')"])
        objects[901] = b"<< /Title " + title + b" /Author (" + rng.choice(ORGS).encode() + b") /CreationDate " + date + b" >>"
        trailer = b"/Info 901 0 R "
    xref = {"bad-xref": "bad", "no-xref": "none"}.get(variant, "ok")
    raw = _pdf_serialize(objects, trailer, xref, rng)
    if variant == "incremental":
        raw += (b"5 0 obj\n<< /Length 12 >>\nstream\nBT ET       \nendstream\nendobj\nxref\n0 1\n0000000000 65535 f \n"
                b"trailer\n<< /Size 6 /Root 1 0 R /Prev " + str(rng.randint(0, 10 ** 6)).encode() +
                b" >>\nstartxref\n" + str(len(raw)).encode() + b"\n%%EOF\n")
    elif variant == "header-only":
        raw = raw[: rng.randint(8, 40)]
    elif variant == "text-as-pdf":
        raw = b"%PDF is how the annex was sent. " + doc.text().encode("utf-8", "surrogatepass")
    return raw, variant


# ------------------------------------------------------------------------------------------ DOCX

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOCX_TEMPLATE: tuple[dict[str, bytes], str, str] | None = None
_BOMB_CACHE: dict[tuple, bytes] = {}
_FIXED_TIME = (2018, 4, 2, 0, 0, 0)
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(s: str) -> str:
    return _XML_BAD.sub(" ", s)


def _docx_template() -> tuple[dict[str, bytes], str, str]:
    """The parts of a one-paragraph document as python-docx writes it, read once, and its document.xml
    cut around that paragraph: a case's paragraphs go in its place (python-docx takes 30 ms a file)."""
    global _DOCX_TEMPLATE
    if _DOCX_TEMPLATE is None:
        import docx

        document = docx.Document()
        document.add_paragraph("\u2063PLACEHOLDER\u2063")
        buf = io.BytesIO()
        document.save(buf)
        with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
            parts = {i.filename: z.read(i.filename) for i in z.infolist()}
        xml = parts["word/document.xml"].decode()
        paragraph = re.search(r"<w:p>(?:(?!<w:p>).)*?\u2063PLACEHOLDER\u2063.*?</w:p>", xml).group(0)
        head, tail = xml.split(paragraph)
        _DOCX_TEMPLATE = parts, head, tail
    return _DOCX_TEMPLATE


def _docx_parts(paragraphs: Iterable[str]) -> dict[str, bytes]:
    parts, head, tail = _docx_template()
    return {**parts, "word/document.xml": (head + "".join(map(_docx_paragraph, paragraphs)) + tail).encode()}


def _docx_paragraph(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{xml_escape(_xml_safe(text))}</w:t></w:r></w:p>'


def _docx_with_python_docx(rng: random.Random, doc: _Doc) -> dict[str, bytes]:
    """A document built by python-docx's own API: headings, a table, a header and footer, properties."""
    import datetime as dt

    import docx

    document = docx.Document()
    paras = [_xml_safe(" ".join(p)) for p in doc.paragraphs]
    if paras and rng.random() < 0.5:
        document.add_heading(paras.pop(0)[:300], level=rng.randint(0, 3))
    for p in paras:
        document.add_paragraph(p)
    if rng.random() < 0.4:
        table = document.add_table(rows=rng.randint(1, 4), cols=rng.randint(1, 3))
        for row in table.rows:
            for cell in row.cells:
                cell.text = _xml_safe(sentence(rng))
        if rng.random() < 0.3 and len(table.rows) > 1:
            table.cell(0, 0).merge(table.cell(len(table.rows) - 1, 0))
        doc.labels.append("docx:table")
    if rng.random() < 0.3:
        document.sections[0].header.paragraphs[0].text = _xml_safe(sentence(rng))
        document.sections[0].footer.paragraphs[0].text = rng.choice(["Page 1", _xml_safe(sentence(rng))])
        doc.labels.append("docx:header-footer")
    if rng.random() < 0.4:
        props = document.core_properties
        props.title = _xml_safe(rng.choice([sentence(rng), "", "T" * 255]))[:255]
        props.author = rng.choice([*SPEAKERS, "python-docx", "Windows User", ""])
        props.created = rng.choice([dt.datetime(2018, 4, 2), dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31)])
        doc.labels.append("docx:properties")
    buf = io.BytesIO()
    document.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


def _zip(entries: list[tuple[str, bytes, int]], comment: bytes = b"") -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are a mutation
        with zipfile.ZipFile(buf, "w") as z:
            for name, data, method in entries:
                info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
                info.compress_type = method
                z.writestr(info, data)
            z.comment = comment
    return buf.getvalue()


def _zip_bomb(size: int, kind: str) -> bytes:
    """A one-sentence DOCX with one part that inflates to `size` bytes (letters in a paragraph,
    whitespace between elements, or an image of zeros), deflated in 1 MB chunks; cached per shape."""
    key = (size, kind)
    if key in _BOMB_CACHE:
        return _BOMB_CACHE[key]
    parts = _docx_parts(["Around 40 houses were destroyed in Lachin in May 1992."])
    name = "word/document.xml"
    if kind == "part":
        name = "word/media/image1.png"
        parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
            b"</Relationships>", b'<Relationship Id="rId96" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/image" Target="media/image1.png"/></Relationships>')
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"<Default ", b'<Default Extension="png" ContentType="image/png"/><Default ', 1)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for part, data in parts.items():
            if part == name:
                continue
            info = zipfile.ZipInfo(part, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
        info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as out:
            chunk_size = 1 << 20
            if kind == "text":  # one paragraph of `size` letters
                body = parts["word/document.xml"].decode()
                head, tail = body.split("<w:body>", 1)
                out.write((head + "<w:body><w:p><w:r><w:t>").encode())
                pad, close = b"A", ("</w:t></w:r></w:p>" + tail.split("</w:p>", 1)[-1]).encode()
            elif kind == "space":  # whitespace between the body's elements
                body = parts["word/document.xml"]
                cut = body.index(b"<w:body>") + len(b"<w:body>")
                out.write(body[:cut])
                pad, close = b" ", body[cut:]
            else:  # an image part of zeros
                pad, close = b"\0", b""
            chunk = pad * chunk_size
            for _ in range(size // chunk_size):
                out.write(chunk)
            out.write(close)
    raw = buf.getvalue()
    _BOMB_CACHE[key] = raw
    return raw


def _docx(rng: random.Random, doc: _Doc) -> tuple[bytes, str]:
    if rng.random() < 0.2:
        parts = _docx_with_python_docx(rng, doc)
        doc.labels.append("docx:python-docx")
    else:
        parts = _docx_parts(" ".join(p) for p in doc.paragraphs)
    variant = _pick(rng, {"ok": 14, "stored": 1, "bzip2": 1, "lzma": 1, "missing-part": 2, "broken-xml": 2,
                          "deep-xml": 0.7, "entity-bomb": 0.5, "bad-crc": 1, "encrypted-flag": 0.7, "dup-entry": 0.7,
                          "bomb-part": 0.6, "bomb-space": 0.4, "bomb-text": 0.15, "ole": 1, "macro": 0.5,
                          "not-zip": 0.7, "empty-body": 0.7, "prepend-garbage": 0.5, "footnotes": 1,
                          "footnotes-broken": 0.5, "rel-missing": 0.7, "external-rel": 0.4, "core-odd": 0.7,
                          "ratio-small": 0.4})
    method = {"stored": zipfile.ZIP_STORED, "bzip2": zipfile.ZIP_BZIP2, "lzma": zipfile.ZIP_LZMA}.get(
        variant, zipfile.ZIP_DEFLATED)
    body = parts["word/document.xml"]
    if variant == "missing-part":
        gone = rng.choice(["word/document.xml", "[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels",
                           "word/styles.xml", "docProps/core.xml"])
        doc.labels.append(f"docx:missing:{gone}")
        parts.pop(gone, None)
    elif variant == "broken-xml":
        how = rng.choice(["truncate", "bad-tag", "invalid-char", "not-xml", "bad-namespace", "double-root"])
        doc.labels.append(f"docx:broken-xml:{how}")
        if how == "truncate":
            body = body[: rng.randrange(1, len(body))]
        elif how == "bad-tag":
            body = body.replace(b"</w:p>", b"</w:q>", 1)
        elif how == "invalid-char":
            body = body.replace(b"<w:t xml:space=\"preserve\">", b"<w:t xml:space=\"preserve\">&#1;\x01", 1)
        elif how == "not-xml":
            body = doc.text().encode("utf-8", "surrogatepass") or b"x"
        elif how == "bad-namespace":
            body = body.replace(_W_NS.encode(), b"urn:nothing", 1)
        else:
            body = body + body
        parts["word/document.xml"] = body
    elif variant == "deep-xml":
        depth = rng.choice([100, 255, 300, 3000])
        nest = "<w:sdt><w:sdtContent>" * depth + _docx_paragraph(sentence(rng)) + "</w:sdtContent></w:sdt>" * depth
        parts["word/document.xml"] = body.replace(b"<w:body>", b"<w:body>" + nest.encode(), 1)
        doc.labels.append(f"docx:depth-{depth}")
    elif variant == "entity-bomb":
        dtd = '<!DOCTYPE w:document [<!ENTITY a "lol">' + "".join(
            f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefgh", "bcdefghi", strict=True)) + "]>"
        xml = body.decode()
        cut = xml.index("?>") + 2
        parts["word/document.xml"] = (xml[:cut] + dtd + xml[cut:]).replace(
            "</w:body>", "<w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body>", 1).encode()
    elif variant == "macro":
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"officedocument.wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
    elif variant == "empty-body":
        xml = body.decode()
        parts["word/document.xml"] = re.sub(r"<w:p>.*</w:p>", "", xml, flags=re.S).encode()
    elif variant in ("footnotes", "footnotes-broken"):
        notes = "".join(f'<w:footnote w:id="{k + 1}"><w:p><w:r><w:t>{xml_escape(_xml_safe(sentence(rng)))}</w:t></w:r>'
                        "</w:p></w:footnote>" for k in range(rng.randint(1, 4)))
        xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{_W_NS}">'
               f'<w:footnote w:type="separator" w:id="-1"><w:p/></w:footnote>{notes}</w:footnotes>').encode()
        if variant == "footnotes-broken":
            xml = xml[: rng.randrange(10, len(xml))]
        parts["word/footnotes.xml"] = xml
        parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
            b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/footnotes" Target="footnotes.xml"/></Relationships>')
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.wordprocessingml.footnotes+xml"/></Types>')
    elif variant == "rel-missing":
        target = rng.choice([b"nothing.xml", b"../../../../etc/passwd", b"/", b"styles.xml#x", b"%00.xml"])
        parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
            b"</Relationships>", b'<Relationship Id="rId98" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/header" Target="' + target + b'"/></Relationships>')
        doc.labels.append("docx:rel-target:" + target.decode())
    elif variant == "external-rel":
        parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
            b"</Relationships>", b'<Relationship Id="rId97" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/footnotes" Target="http://192.0.2.1/notes.xml" TargetMode="External"/></Relationships>')
    elif variant == "core-odd":
        core = parts.get("docProps/core.xml", b"").decode()
        created = rng.choice(["not a date", "0000-00-00T00:00:00Z", "99999-01-01T00:00:00Z", "2018-02-30T00:00:00Z",
                              "1" * 400])
        core = re.sub(r"<dcterms:created([^>]*)>[^<]*</dcterms:created>", rf"<dcterms:created\1>{created}</dcterms:created>",
                      core)
        core = core.replace("<dc:title/>", f"<dc:title>{'Kalbajar ' * rng.choice([1, 500])}</dc:title>")
        parts["docProps/core.xml"] = core.encode()
    # another compression method for the body and some other parts (each part is compressed on its own)
    entries = [(name, data, method if name == "word/document.xml" or rng.random() < 0.3 else zipfile.ZIP_DEFLATED)
               for name, data in parts.items()]
    if variant == "dup-entry":
        entries.append(("word/document.xml", doc.text().encode("utf-8", "surrogatepass"), zipfile.ZIP_DEFLATED))
    if variant in ("bomb-part", "bomb-space", "bomb-text"):
        size = rng.choice([8, 20, 40]) << 20 if not doc.big else 300 << 20
        doc.labels.append(f"docx:bomb-{size >> 20}MB")
        return _zip_bomb(size, variant.removeprefix("bomb-")), variant
    if variant == "ratio-small":  # a 3 MB part of zeros: under the ratio check's floor
        entries.append(("word/media/pad.bin", b"\0" * (3 << 20), zipfile.ZIP_DEFLATED))
    raw = _zip(entries, comment=b"" if rng.random() < 0.95 else bytes(rng.randrange(256) for _ in range(100)))
    if variant == "bad-crc":
        # flip a byte inside document.xml's deflated data (after its local header)
        at = raw.index(b"word/document.xml") + len(b"word/document.xml") + rng.randint(5, 60)
        raw = raw[:at] + bytes([raw[at] ^ 0xFF]) + raw[at + 1:]
    elif variant == "encrypted-flag":
        raw = bytearray(raw)
        for sig, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            pos = raw.find(sig)
            while pos != -1:
                raw[pos + flag_at] |= 1
                pos = raw.find(sig, pos + 4)
        raw = bytes(raw)
    elif variant == "ole":
        raw = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00" + \
            bytes(rng.randrange(256) for _ in range(rng.choice([0, 512, 4096])))
    elif variant == "not-zip":
        raw = rng.choice([doc.text().encode("utf-8", "surrogatepass"), b"PK\x03\x04 word/ " * 40, b"PK\x05\x06" + b"\0" * 18])
    elif variant == "prepend-garbage":
        raw = bytes(rng.randrange(256) for _ in range(rng.randint(1, 3000))) + raw
    return raw, variant


# ------------------------------------------------------------------------------------------ bytes


def _mutate_bytes(rng: random.Random, raw: bytes, labels: list[str], text_like: bool) -> bytes:
    if rng.random() > 0.2 or not raw:
        return raw
    what = _pick(rng, {"flip": 4, "truncate": 3, "insert-garbage": 1.5, "bom": 1.5 if text_like else 0.3,
                       "invalid-utf8": 2 if text_like else 0.3, "empty": 0.7, "zero-fill": 0.3, "append": 1})
    labels.append(f"bytes:{what}")
    if what == "flip":
        out = bytearray(raw)
        for _ in range(rng.choice([1, 2, 4, 16, 64])):
            k = rng.randrange(len(out))
            out[k] ^= 1 << rng.randrange(8) if rng.random() < 0.7 else rng.randrange(1, 256)
        return bytes(out)
    if what == "truncate":
        return raw[: rng.randrange(len(raw))]
    if what == "insert-garbage":
        k = rng.randrange(len(raw) + 1)
        return raw[:k] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 200))) + raw[k:]
    if what == "bom":
        bom = rng.choice([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE,
                          codecs.BOM_UTF8 * 2, b"\xfe"])
        return bom + raw
    if what == "invalid-utf8":
        out = raw
        for _ in range(rng.randint(1, 5)):
            k = rng.randrange(len(out) + 1)
            out = out[:k] + rng.choice([b"\xff", b"\xc3\x28", b"\xc0\xaf", b"\x80", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
                                        b"\xe2\x82", b"\xfe\xff"]) + out[k:]
        return out
    if what == "empty":
        return b""
    if what == "zero-fill":
        return b"\0" * len(raw)
    return raw + rng.choice([b"\0" * 100, b"%%EOF\n" * 3, bytes(range(256)), b"\n" * 1000])


# ------------------------------------------------------------------------------------------ names

FORMAT_SUFFIX = {"txt": ".txt", "md": ".md", "html": ".html", "htm": ".htm", "pdf": ".pdf", "docx": ".docx"}


def _name(rng: random.Random, suffix: str, labels: list[str]) -> bytes:
    stem = rng.choice(["press-release-2018-04-02", "statement", "report_kalbajar", "un-resolution-822", "news item",
                       "dossier.lachin", "annex-3", "Doc1", "mission_report_final_v2"])
    kind = _pick(rng, {"plain": 70, "long": 6, "unicode": 6, "spaces": 4, "dots": 4, "upper": 3, "bad-bytes": 1.5,
                       "control": 1, "markup": 1.5, "subdir": 3, "meta-infix": 0.4, "dash": 0.5, "double-suffix": 1})
    if kind != "plain":
        labels.append(f"name:{kind}")
    if kind == "long":
        target = rng.choice([200, 240, 245, 246, 250, 254, 255])
        unit = rng.choice(["kalbajar-", "Kəlbəcər-", "Քարվաճառ-", "x"]).encode()
        out = b""
        while len(out) + len(unit) + len(suffix) <= target:
            out += unit
        while len(out) + len(suffix) < target:
            out += b"y"
        return out + suffix.encode()
    if kind == "unicode":
        stem = rng.choice(["Kəlbəcər hesabatı", "Кельбаджар-доклад", "Քարվաճառ", "حلب-تقرير", "报告", "😀report",
                           "cafe\u0301", "\u202ertl", "zero\u200bwidth", "Ⅻ-annex"])
    elif kind == "spaces":
        stem = rng.choice([" leading", "trailing ", "many   spaces", "tab\there", " "])
    elif kind == "dots":
        stem = rng.choice([".hidden", "..double", "a..b", ".", "...", ".meta"])
    elif kind == "upper":
        suffix = suffix.upper() if rng.random() < 0.7 else suffix.capitalize()
    elif kind == "bad-bytes":
        return rng.choice([b"bad\xff", b"\xc3\x28name", b"latin\xe9"]) + suffix.encode()
    elif kind == "control":
        stem = rng.choice(["new\nline", "bell\x07", "esc\x1b[31mred", "cr\rname", "del\x7f"])
    elif kind == "markup":
        stem = rng.choice(["[bold]x[/bold]", "[/]", "[red]alert", "<script>", "$(rm)", "%s%n", "{0}", "a\\b"])
    elif kind == "subdir":
        depth = rng.choice([1, 2, 10])
        stem = "/".join(f"level{k}" for k in range(depth)) + "/" + stem
    elif kind == "meta-infix":
        stem = stem + ".meta.final"
    elif kind == "dash":
        stem = rng.choice(["-rf", "--db", "-"])
    elif kind == "double-suffix":
        stem = stem + rng.choice([".pdf", ".docx", ".txt", ".meta.json"])
    return (stem + suffix).encode("utf-8", "surrogatepass")


# ------------------------------------------------------------------------------------------ sidecars


def _yaml_bomb(rng: random.Random, where: str) -> str:
    width, depth = rng.choice([(9, 9), (10, 8), (9, 6), (5, 12)])
    items = ", ".join(["lol"] * width)
    if where == "unknown":  # the classic: top-level keys that are not metadata fields
        lines = [f"a0: &a0 [{items}]"] + [f"a{k}: &a{k} [{', '.join(['*a' + str(k - 1)] * width)}]" for k in range(1, depth)]
        return "\n".join(lines) + "\n"
    # nested inside a field Docket reads, so that only taking the value's text expands it
    lines = ["title:", f"  - &a0 [{items}]"]
    lines += [f"  - &a{k} [{', '.join(['*a' + str(k - 1)] * width)}]" for k in range(1, depth)]
    if where == "merge":
        return "base: &b {publisher: " + rng.choice(SPEAKERS) + "}\n<<: *b\n"
    return "\n".join(lines) + "\n"


def _sidecar(rng: random.Random, small: bool, labels: list[str]) -> tuple[str, bytes | None]:
    suffix = rng.choice(SIDECAR_SUFFIXES)
    yaml_side = suffix != ".meta.json"
    kind = _pick(rng, {"valid": 10, "valid-odd": 3, "bad-syntax": 2, "non-mapping": 2, "unknown-field": 2,
                       "non-scalar": 2, "bad-values": 3, "huge": 1, "bomb": 1.5 if yaml_side else 0, "deep": 1,
                       "invalid-utf8": 1, "bom": 0.7, "empty": 0.7, "dir": 0.3, "python-tag": 0.5 if yaml_side else 0,
                       "huge-int": 0.5})
    labels.append(f"side:{suffix.rsplit('.', 1)[1]}:{kind}")

    def dump(data: dict | list | str | int | None) -> str:
        if not yaml_side:
            return json.dumps(data, ensure_ascii=rng.random() < 0.5)
        import yaml

        return yaml.safe_dump(data, allow_unicode=True)

    meta = {"title": sentence(rng)[:120], "publisher": rng.choice(ORGS), "published": f"{rng.randint(1990, 2024)}-04-02",
            "genre": rng.choice(["press_release", "statement", "report", "news", "resolution"]),
            "speaker": rng.choice(SPEAKERS), "source_url": "https://example.org/" + rng.choice(PLACES).lower()}
    chosen = dict(rng.sample(sorted(meta.items()), rng.randint(1, len(meta))))
    if kind == "valid":
        return suffix, dump(chosen).encode()
    if kind == "valid-odd":
        if yaml_side:
            text = rng.choice(["published: 1993-07-29\ntitle: 853\n", "published: 1993\ngenre: Press Release\n",
                               "published: 2018-04-02T10:00:00Z\n", "title: 1.5e3\npublisher: null\n", "title: ''\n",
                               "published: !!timestamp 2001-12-14t21:59:43.10-05:00\n", "title: ~\n",
                               "publisher: \"Ministry of\\tForeign Affairs\"\n"])
        else:
            text = rng.choice(['{"title": 853}', '{"published": "1993-07"}', '{"title": null}', '{"title": ""}',
                               '{"title": 1.5e300}', '{"publisher": "  spaced   out  "}', '{"title": "a\\tb"}'])
        return suffix, text.encode()
    if kind == "bad-syntax":
        text = (rng.choice(["title: [unclosed\n", "title: 'open\n", "\ttitle: tab\n", "title: a\n title: b\n  - x\n",
                            "key: value: other\n", "%YAML 9.9\n---\ntitle: x\n", "- a\nb: c\n", "title: *undefined\n"])
                if yaml_side else rng.choice(['{"title": "x",}', "{'title': 'x'}", '{"title": NaN}', '{"title": "x"',
                                              '// comment\n{"title": "x"}', '{"title": "\\ud800"}', "", '{"a":1}{"b":2}']))
        return suffix, text.encode()
    if kind == "non-mapping":
        return suffix, dump(rng.choice([["a", "b"], "just a string", 42, None, [], [{"title": "x"}]])).encode()
    if kind == "unknown-field":
        extra = rng.choice([{"autor": "x"}, {"Title": "x"}, {"": "x"}, {"title ": "x"}, {"raw": "x", "sha256": "y"}])
        if yaml_side and rng.random() < 0.4:
            return suffix, rng.choice([b"1: x\n", b"null: x\n", b"? [a, b]\n: c\n", b"true: yes\n", b"~: x\n"])
        return suffix, dump({**chosen, **extra}).encode()
    if kind == "non-scalar":
        field_name = rng.choice(list(meta))
        value = rng.choice([["a", "b"], {"y": 2018}, [[["deep"]]], True, {"": None}, [], {}])
        return suffix, dump({field_name: value}).encode()
    if kind == "bad-values":
        field_name, value = rng.choice([
            ("published", "2 April 2018"), ("published", "2018-02-30"), ("published", "99999"), ("published", "0000"),
            ("published", "2018-13"), ("published", "-2018"), ("genre", "<script>"), ("genre", "press release!"),
            ("genre", "x" * 100), ("source_url", "javascript:alert(1)"), ("source_url", "http://"),
            ("source_url", "file:///etc/passwd"), ("title", "a\u0007b"), ("title", "x" * 2000), ("title", "\x00"),
            ("publisher", "\u202e" + "evil"), ("speaker", "line\nbreak"), ("title", "   "),
            ("published", "1" * 400), ("published", "\u0661\u0669\u0669\u0663"),
        ])
        return suffix, dump({field_name: value}).encode()
    if kind == "huge":
        n = rng.choice([60_000, 65_536, 70_000]) if small else rng.choice([70_000, 1_000_000])
        return suffix, dump({"title": "Kalbajar " * (n // 9)}).encode()
    if kind == "bomb":
        where = rng.choice(["known", "known", "unknown", "merge"])
        labels.append(f"side:bomb-{where}")
        return suffix, _yaml_bomb(rng, where).encode()
    if kind == "deep":
        n = rng.choice([100, 1000, 30_000, 100_000])
        if yaml_side:
            return suffix, ("title: " + "[" * n + "]" * n + "\n").encode()
        return suffix, ('{"title": ' + "[" * n + "]" * n + "}").encode()
    if kind == "invalid-utf8":
        return suffix, dump(chosen).encode()[:-2] + b"\xff\xfe" + b"\n"
    if kind == "bom":
        return suffix, rng.choice([codecs.BOM_UTF8, codecs.BOM_UTF16_LE]) + dump(chosen).encode()
    if kind == "empty":
        return suffix, rng.choice([b"", b"\n", b"   ", b"---\n", b"{}"])
    if kind == "dir":
        return suffix, None
    if kind == "python-tag":
        return suffix, b"title: !!python/object/apply:os.system ['echo owned']\n"
    # huge-int
    digits = "1" * rng.choice([300, 4300, 4301, 5000])
    return suffix, (f"title: {digits}\n" if yaml_side else f'{{"title": {digits}}}').encode()


# ------------------------------------------------------------------------------------------ assembly

FORMATS = {"txt": 5, "md": 3, "html": 3, "htm": 1, "pdf": 4, "docx": 4}


def _document(rng: random.Random, small: bool) -> tuple[bytes, str, list[str]]:
    """One document: (bytes, format, labels)."""
    doc = _text_document(rng, small)
    fmt = _pick(rng, FORMATS)
    doc.labels.insert(0, f"fmt:{fmt}")
    if fmt in ("txt", "md"):
        text = doc.text() if fmt == "txt" else _markdown(rng, doc)
        raw = _encode(rng, text, doc.labels)
    elif fmt in ("html", "htm"):
        html, variant = _html(rng, doc)
        doc.labels.append(f"html:{variant}")
        raw = _encode(rng, html, doc.labels, {"utf-8": 20, "cp1251": 1, "utf-16": 1, "latin-1": 1, "utf-8-sig": 1})
    elif fmt == "pdf":
        raw, variant = _pdf(rng, doc)
        doc.labels.append(f"pdf:{variant}")
    else:
        raw, variant = _docx(rng, doc)
        doc.labels.append(f"docx:{variant}")
    raw = _mutate_bytes(rng, raw, doc.labels, text_like=fmt in ("txt", "md", "html", "htm"))
    if doc.big:
        doc.labels.append("big")
    return raw, fmt, doc.labels


def make_case(seed: int, index: int, small: bool = True, big_rate: float = 0.002) -> Case:
    """Case `index` of run `seed`: built from its own random stream, so any one can be rebuilt alone.
    `small` keeps every case well under a megabyte (usually under 50 KB); otherwise a case is big
    (texts over a million characters, 300 MB zip bombs, 1 MB sidecars) at `big_rate`."""
    rng = random.Random(f"docket-fuzz:{seed}:{index}")
    big = rng.random() < big_rate and not small  # drawn either way: small or not, other cases are the same
    files: list[FuzzFile] = []
    taken: set[bytes] = set()

    def add(name: bytes, data: bytes | None, labels: list[str]) -> bytes:
        base, k = _fit(name), 1
        name = base
        while name.lower() in taken or any(name.startswith(t + b"/") or t.startswith(name + b"/") for t in taken):
            name = _fit(base, tag=b"-%d" % k)
            k += 1
        taken.add(name.lower())
        files.append(FuzzFile(name, data, labels))
        return name

    n_docs = rng.choices([1, 2, 3, 4, 5, 6], weights=[65, 20, 8, 3, 2, 2])[0]
    for d in range(n_docs):
        raw, fmt, labels = _document(rng, small=not (big and d == 0))
        suffix = FORMAT_SUFFIX[fmt]
        if rng.random() < 0.08:
            wrong = rng.choice([s for s in FORMAT_SUFFIX.values() if s != suffix])
            labels.append(f"suffix:{fmt}-as-{wrong[1:]}")
            suffix = wrong
        name = add(_name(rng, suffix, labels), raw, labels)
        if rng.random() < 0.25:
            side_labels: list[str] = []
            side_suffix, side_data = _sidecar(rng, small=not big, labels=side_labels)
            labels.extend(side_labels)
            side_name = name + side_suffix.encode()
            if len(os.path.basename(side_name)) > 255:
                labels.append("side:name-too-long")
            else:
                add(side_name, side_data, side_labels)
                if rng.random() < 0.05:  # both a JSON and a YAML sidecar
                    other = ".meta.yaml" if side_suffix == ".meta.json" else ".meta.json"
                    if len(os.path.basename(name + other.encode())) <= 255:
                        add(name + other.encode(), b'{"title": "the other sidecar"}', ["side:both"])
                        labels.append("side:both")
    extras: list[str] = []
    if rng.random() < 0.05:
        add(rng.choice([b"empty.txt", b"empty.pdf", b"empty.docx", b"blank.md"]), b"", ["extra:empty-file"])
        extras.append("extra:empty-file")
    if rng.random() < 0.03:
        add(rng.choice([b"README", b"notes.bin", b"data.json", b"scan.tiff", b"old.doc"]), b"not a document\n",
            ["extra:not-a-document"])
        extras.append("extra:not-a-document")
    if rng.random() < 0.04 and files[0].data:
        add(b"copy-of-" + files[0].name.rsplit(b"/", 1)[-1], files[0].data, ["extra:same-bytes"])
        extras.append("extra:same-bytes")
    if rng.random() < 0.02:
        add(b"orphan.txt.meta.json", b'{"title": "a sidecar without its document"}', ["extra:orphan-sidecar"])
        extras.append("extra:orphan-sidecar")
    labels = sorted({lab for f in files for lab in f.labels} | set(extras) | ({"big"} if big else set()))
    if n_docs > 1:
        labels.append("case:several")
    return Case(seed, index, files, labels)


def _fit(name: bytes, limit: int = 255, tag: bytes = b"") -> bytes:
    """A name whose last part is at most `limit` bytes (the file system's limit), its suffix kept and its
    stem cut where a character ends; `tag` (say b"-2") goes at the end of the stem."""
    folder, slash, last = name.rpartition(b"/")
    stem, dot, suffix = last.rpartition(b".")
    if not stem:  # no suffix (or a leading dot only)
        stem, dot, suffix = last, b"", b""
    if len(last) + len(tag) <= limit:
        return folder + slash + stem + tag + dot + suffix
    keep = limit - len(tag + dot + suffix)
    cut = stem[:keep].decode("utf-8", "ignore").encode("utf-8", "surrogatepass")
    while len(cut) > keep:
        cut = cut[:-1]
    return folder + slash + cut + tag + dot + suffix


def write_case(case: Case, folder: str | os.PathLike) -> None:
    root = os.fsencode(folder)
    os.makedirs(root, exist_ok=True)
    for f in sorted(case.files, key=lambda f: f.data is None):  # folders last: a file may sit inside one
        path = os.path.join(root, f.name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if f.data is None:
            os.makedirs(path, exist_ok=True)
            continue
        with open(path, "wb") as out:
            out.write(f.data)


# ------------------------------------------------------------------------------------------ running


@dataclass
class Verdict:
    outcome: str
    detail: str = ""
    frames: str = ""  # the traceback's last frames, or the hung worker's stack
    culprit: int | None = None  # of a hung batch: the case whose file took the whole limit
    path: str = ""  # the file it concerns, where one does


@dataclass
class Result:
    seed: int
    index: int
    outcome: str
    detail: str
    frames: str
    labels: list[str]
    seconds: float
    size: int
    batch: tuple[int, ...] = ()  # for a failure that only shows with other cases in the folder

    @property
    def signature(self) -> str:
        """What groups failures: the outcome and where it happened (the innermost frame in Docket)."""
        where = _stage(self.frames) if self.outcome == "hang" else _innermost(self.frames)
        detail = re.sub(r"/\S+", "PATH", self.detail.splitlines()[0] if self.detail else "")
        detail = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", detail)
        detail = re.sub(r"\d+", "N", detail)[:160]
        return f"{self.outcome}: {where or detail}"

    def reproducer(self) -> str:
        if self.batch:
            return (f"seed {self.seed}, cases {list(self.batch)} in one folder: for i in {list(self.batch)}: "
                    f"write_case(make_case({self.seed}, i), f'/tmp/case/c{{i}}')")
        return f"write_case(make_case({self.seed}, {self.index}), '/tmp/case')  # from tests.fuzz_inputs"


def _innermost(frames: str) -> str:
    """'module.py:line in function' of the innermost frame in Docket's own code, else of any frame."""
    found = re.findall(r'File "([^"]+)", line (\d+),? in (\S+)', frames)
    if not found:
        return ""
    # faulthandler dumps list the most recent call first; tracebacks list it last
    if "most recent call first" in frames:
        found = found[::-1]
    ours = [f for f in found if "/docket/" in f[0] and "fuzz_inputs" not in f[0]]
    file, line, func = (ours or found)[-1]
    return f"{file.split('/docket/')[-1] if '/docket/' in file else os.path.basename(file)}:{line} in {func}"


def _stage(frames: str) -> str:
    """Where a hung worker was, as the chain of Docket's calls below ingest_file ("read_document >
    read_sidecar > _no_aliases"): a hung stack is one sample, so its innermost line says less."""
    found = re.findall(r'File "([^"]+)", line \d+,? in (\S+)', frames)
    if "most recent call first" in frames:
        found = found[::-1]
    ours = [func for file, func in found if "/docket/" in file and "fuzz_inputs" not in file]
    if "ingest_file" in ours:
        ours = ours[ours.index("ingest_file") + 1:]
    return " > ".join(ours[:3]) or _innermost(frames)


def _frame_lines(frames: str, n: int = 9) -> list[str]:
    """The innermost lines of a traceback (its last) or of a faulthandler dump (its first)."""
    lines = frames.strip().splitlines()
    if "most recent call first" in frames:
        return [ln for ln in lines if ln.strip().startswith("File")][:n]
    return lines[-n:]


def _last_frames(exc_info, keep: int = 25) -> str:
    if not exc_info or exc_info[1] is None:
        return ""
    text = traceback.format_exception(*exc_info)
    lines = "".join(text).rstrip().splitlines()
    head = [ln for ln in lines if ln.startswith("Traceback")][:1]
    frames = [ln for ln in lines if not ln.startswith("Traceback")]
    # the last `keep` frames (two lines each) and the exception line
    return "\n".join(head + frames[-(2 * keep + 1):])


class _LogCapture(logging.Handler):
    """Keeps the tracebacks that Docket logs (at debug level) when it turns an internal error into a
    file's error message, keyed by the file, so a traceback class can show where it came from."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.tracebacks: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            with contextlib.suppress(Exception):
                self.tracebacks.append((record.getMessage(), _last_frames(record.exc_info)))


_CAPTURE = _LogCapture()


def install_capture() -> None:
    """Listen to Docket's loggers at debug level (where the tracebacks of internal errors go)."""
    logger = logging.getLogger("docket")
    logger.setLevel(logging.DEBUG)
    if _CAPTURE not in logger.handlers:
        logger.addHandler(_CAPTURE)


def _norm(path: str) -> str:
    """A path as text, comparable however it was printed (names that are not UTF-8, control characters)."""
    s = path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return "".join(ch for ch in s if not unicodedata.category(ch).startswith(("C", "Z")))


def _forms(path: str) -> set[str]:
    """The ways a report may fairly print a path: as it is, or with the bytes or characters that are not
    text escaped (bad\\xff, bad\\udcff)."""
    raw = path.encode("utf-8", "surrogateescape")
    escaped = raw.decode("utf-8", "backslashreplace")
    # control and format characters (a line break, a right-to-left override) written as \\xNN / \\uNNNN
    visible = "".join(ch if ch.isprintable() or ch == " " else
                      (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}" if ord(ch) < 0x10000
                       else f"\\U{ord(ch):08x}") for ch in escaped)
    return {_norm(path), _norm(escaped), _norm(visible),
            _norm(path.encode("utf-8", "backslashreplace").decode("ascii", "replace"))}


def expected_documents(root: str) -> dict[str, str]:
    """What the README says an ingest of the folder takes: every regular file with a document suffix
    (sidecars have .json/.yaml/.yml suffixes, so they are never among them); path -> SHA-256 of its bytes."""
    out = {}
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            if Path(name).suffix.lower() in DOC_SUFFIXES and os.path.isfile(path) and not os.path.islink(path):
                with open(path, "rb") as f:
                    out[path] = hashlib.sha256(f.read()).hexdigest()
    return out


def _invoke(args: list[str], env: dict | None = None):
    from click.testing import CliRunner

    from docket.cli import main

    return CliRunner().invoke(main, args, env=env)


def _internal(text: str) -> bool:
    return any(m in text for m in INTERNAL_MARKERS)


def check_ingest(root: str, db: str, fmt: str = "json", reingest: bool = False) -> Verdict:
    """Ingest the folder through the CLI and judge everything the contract promises (see the module's doc)."""
    expected = expected_documents(root)
    _CAPTURE.tracebacks.clear()
    args = ["ingest", root, "--db", db, "--format", fmt]
    result = _invoke(args)
    frames = lambda: "\n".join(t for _, t in _CAPTURE.tracebacks[-1:])  # noqa: E731
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return Verdict("traceback", f"{type(result.exception).__name__}: {str(result.exception)[:300]}",
                       _last_frames(result.exc_info))
    stdout, stderr = result.stdout, result.stderr
    if _internal(stderr) and not _internal(stdout):
        if "internal error (" in stderr:  # the command's own failure, not a file's: its traceback
            return Verdict("traceback", "CLI: " + stderr.strip()[:400], _debug_frames(args, db) or frames())
        return Verdict("traceback", "CLI: " + stderr.strip()[:400], frames())
    if result.exit_code not in (0, 1, 3):
        return Verdict("bad-report", f"exit status {result.exit_code}: {(stderr or stdout).strip()[:300]}")
    if not expected:
        if result.exit_code == 1 and "no documents found" in stderr:
            return Verdict("ok")
        return Verdict("bad-report", f"a folder without documents: exit {result.exit_code}, {stderr.strip()[:200]}")
    notes: list[Verdict] = []
    if fmt == "json":
        verdict, added = _judge_json(expected, result, stdout, stderr, frames, notes)
    else:
        verdict, added = _judge_table(expected, stdout, stderr, frames), None
    if verdict is not None:
        return verdict
    verdict = _judge_store(db, added)
    if verdict is not None:
        return verdict
    if reingest:
        again = _invoke(args)
        if again.exception is not None and not isinstance(again.exception, SystemExit):
            return Verdict("traceback", f"on re-ingest: {type(again.exception).__name__}: {again.exception}",
                           _last_frames(again.exc_info))
        if fmt == "json":
            try:
                report = json.loads(again.stdout)
            except ValueError:
                return Verdict("traceback", "on re-ingest: not JSON: " + again.stdout[:200])
            changed = [f["path"] for f in report["files"] if f["status"] == "added"]
            if changed:
                return Verdict("reingest-changed", f"added again: {changed[:3]}")
        store_again = _judge_store(db, added)
        if store_again is not None:
            return Verdict("reingest-changed", "after re-ingest: " + store_again.detail)
    return notes[0] if notes else Verdict("ok")


def _debug_frames(args: list[str], db: str) -> str:
    """A top-level internal error hides its traceback unless DOCKET_DEBUG is set: run it again so, on a
    scratch copy of the store, and put the root logger back as it was (DOCKET_DEBUG configures it)."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    scratch = db + ".debug"
    try:
        if os.path.exists(db):
            shutil.copyfile(db, scratch)
        args = [scratch if a == db else a for a in args]
        result = _invoke(args, env={"DOCKET_DEBUG": "1"})
        return _last_frames(result.exc_info) if result.exception else ""
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(scratch + suffix)


def _judge_message(path: str, message: str, notes: list[Verdict]) -> None:
    if any(m in message for m in RESOURCE_MARKERS):
        notes.append(Verdict("resource-error", message[:300]))
    name = os.path.basename(path)
    if _norm(name) not in _norm(message) or "\n" in message.strip():
        notes.append(Verdict("bad-message", f"{name!r}: {message[:300]!r}"))


def _judge_json(expected, result, stdout, stderr, frames, notes) -> tuple[Verdict | None, dict[str, int]]:
    """The JSON report against the folder: every document once, counts and exit status that agree,
    each SHA-256 that of the file's bytes. Returns a failure (or None) and what was added (sha -> claims)."""
    try:
        report = json.loads(stdout)
        entries = report["files"]
        counts = (report["added"], report["unchanged"], report["errors"])
    except (ValueError, KeyError, TypeError):
        if result.exit_code == 1 and not stdout.strip():
            # a refusal of the whole run (one line on stderr) instead of a report of each file
            verdict, _ = _fail("unreported", "no report, only: " + stderr.strip()[:300])
            verdict.path = next(iter(expected))
            return verdict, {}
        return _fail("traceback", f"output is not the JSON report (exit {result.exit_code}): {stdout[:200]!r}")
    by_path: dict[str, dict] = {}
    for e in entries:
        key = _norm(str(e.get("path")))
        if key in by_path:
            return _fail("bad-report", f"reported twice: {e.get('path')!r}")
        by_path[key] = e
        if e.get("status") not in ("added", "unchanged", "error"):
            return _fail("bad-report", f"status {e.get('status')!r} for {e.get('path')!r}")
        if _internal(e.get("message") or ""):
            tb = next((t for m, t in reversed(_CAPTURE.tracebacks) if _norm(m).endswith(key) or key in _norm(m)), "")
            verdict, _ = _fail("traceback", e["message"][:500], tb or frames())
            verdict.path = e["path"]
            return verdict, {}
    missing = [p for p in expected if not _forms(p) & by_path.keys()]
    if missing:
        verdict, _ = _fail("unreported", f"{len(missing)} of {len(expected)} documents not in the report, e.g. "
                                         f"{os.path.basename(missing[0])!r}")
        verdict.path = missing[0]
        return verdict, {}
    known = set().union(*map(_forms, expected))
    extra = [e["path"] for k, e in by_path.items() if k not in known]
    if extra:
        notes.append(Verdict("extra", f"reported but not a document by its suffix: {extra[0]!r}"))
    statuses = [e["status"] for e in entries]
    if counts != (statuses.count("added"), statuses.count("unchanged"), statuses.count("error")):
        return _fail("bad-report", f"counts {counts} but the files say {statuses}")
    errors = statuses.count("error")
    want = 0 if errors == 0 else 1 if errors == len(entries) else 3
    if result.exit_code != want:
        return _fail("bad-report", f"exit status {result.exit_code} with {errors} of {len(entries)} refused")
    norm_expected = {form: sha for p, sha in expected.items() for form in _forms(p)}
    added: dict[str, int] = {}
    for e in entries:
        if e["status"] == "error":
            _judge_message(e["path"], e.get("message") or "", notes)
            continue
        sha = norm_expected.get(_norm(e["path"]))
        if sha is not None and e.get("sha256") != sha:
            return _fail("store-broken", f"{e['path']!r}: reported sha256 {e.get('sha256')} is not that of its bytes")
        if e["status"] == "added":
            if e["sha256"] in added:
                return _fail("bad-report", f"the same bytes added twice: {e['path']!r}")
            added[e["sha256"]] = e.get("claims", 0)
    return None, added


def _fail(outcome: str, detail: str = "", frames: str = "") -> tuple[Verdict, dict]:
    return Verdict(outcome, detail, frames), {}


def _judge_table(expected, stdout, stderr, frames) -> Verdict | None:
    """The table output names every document of the folder (added, unchanged or skipped)."""
    output = _norm(stdout + stderr)
    if _internal(stdout):
        return Verdict("traceback", stdout.strip()[:400], frames())
    missing = [p for p in expected if not any(form in output for form in _forms(os.path.basename(p)))]
    if missing:
        return Verdict("unreported", f"table output does not name {os.path.basename(missing[0])!r}", path=missing[0])
    return None


def _judge_store(db: str, added: dict[str, int] | None) -> Verdict | None:
    """After the ingest: the store lists exactly what went in, and shows each document's text with
    claims whose spans are their text."""
    listed = _invoke(["documents", "--db", db, "--format", "json"])
    if listed.exception is not None and not isinstance(listed.exception, SystemExit):
        return Verdict("store-broken", f"documents: {type(listed.exception).__name__}: {listed.exception}",
                       _last_frames(listed.exc_info))
    if listed.exit_code != 0:
        if not added and "no store" in listed.stderr:
            return None  # nothing went in and the new store was removed
        return Verdict("store-broken", f"documents exits {listed.exit_code}: {listed.stderr.strip()[:300]}")
    try:
        rows = json.loads(listed.stdout)
    except ValueError:
        return Verdict("store-broken", f"documents prints no JSON: {listed.stdout[:200]!r}")
    shas = {r["sha256"]: r for r in rows}
    if added is not None:
        if set(shas) != set(added):
            return Verdict("store-broken", f"the store lists {len(shas)} documents, the report added {len(added)}")
        for sha, n in added.items():
            if shas[sha]["claims"] != n:
                return Verdict("store-broken", f"{sha[:12]}: {shas[sha]['claims']} claims stored, {n} reported")
    # the first document through `docket show`, the others through the store (one open, not one a document)
    for k, sha in enumerate(shas):
        if k == 0:
            shown = _invoke(["show", sha, "--db", db, "--format", "json"])
            if shown.exit_code != 0 or shown.exception is not None and not isinstance(shown.exception, SystemExit):
                return Verdict("store-broken", f"show {sha[:12]} fails: {(shown.stderr or repr(shown.exception))[:300]}",
                               _last_frames(shown.exc_info))
            try:
                data = json.loads(shown.stdout)
                name, text = data["document"].get("filename"), data["document"]["text"]
                claims = [(c["id"], tuple(c["span"]), c["text"]) for c in data["claims"]]
            except (ValueError, KeyError, TypeError):
                return Verdict("store-broken", f"show {sha[:12]} prints no JSON document")
        else:
            try:
                name, text, claims = _stored(db, sha)
            except Exception as e:  # noqa: BLE001 - the store failing to give back a document is the finding
                return Verdict("store-broken", f"reading {sha[:12]} back: {type(e).__name__}: {e}",
                               _last_frames((type(e), e, e.__traceback__)))
        if not text.strip():
            return Verdict("store-broken", f"{name!r} is stored with no text")
        for cid, (a, b), ctext in claims:
            if not (0 <= a <= b <= len(text)) or text[a:b] != ctext:
                return Verdict("store-broken", f"claim {cid} span {a}:{b} is not its text {ctext[:60]!r}")
    return None


_OPEN: dict[str, object] = {}


def _close_stores() -> None:
    for store in _OPEN.values():
        store.close()
    _OPEN.clear()


def _stored(db: str, sha: str) -> tuple[str | None, str, list[tuple[str, tuple[int, int], str]]]:
    """A stored document's name, text and claims (id, span, text), read through the store's own API."""
    from docket.store import ClaimFilter, open_store

    store = _OPEN.get(db)
    if store is None:
        _close_stores()
        store = _OPEN[db] = open_store(db, create=False)
    doc = store.document(sha)
    return doc.filename, doc.text, [(c.id, tuple(c.span), c.text) for c in store.claims(ClaimFilter(document=sha))]


def run_case_here(case: Case, workdir: str, fmt: str = "json", reingest: bool = False) -> Verdict:
    """One case in this process (no time limit): write it, ingest it, judge it."""
    install_capture()
    root = os.path.join(workdir, "docs")
    write_case(case, root)
    try:
        return check_ingest(root, os.path.join(workdir, "store.db"), fmt, reingest)
    finally:
        _close_stores()


def warm_up() -> None:
    """Load spaCy, the vocabularies and the gazetteer in this process, so that forked workers start warm."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(tmp, "docs")
        os.makedirs(folder)
        with open(os.path.join(folder, "a.txt"), "w", encoding="utf-8") as f:
            f.write("Press release 02 April 2018\n\nAround 150 villages in Kalbajar were destroyed in 1993.\n")
        result = _invoke(["ingest", folder, "--db", os.path.join(tmp, "w.db"), "--format", "json"])
        if result.exit_code != 0:
            raise RuntimeError(f"warm-up ingest failed: {result.output}")
    _docx_template()


# ------------------------------------------------------------------------------------------ workers


@dataclass
class Options:
    seed: int
    small: bool = True
    big_rate: float = 0.002
    table_rate: float = 0.1  # share of jobs run with --format table (its own output contract)
    reingest: bool = False


def _job_format(options: Options, indices: tuple[int, ...]) -> str:
    return "table" if random.Random(f"format:{options.seed}:{indices}").random() < options.table_rate else "json"


def _track_files(progress_path: str) -> None:
    """Note in `progress_path` which file the worker is ingesting and since when, so that the parent can
    name the file of a hung batch (and not run the whole batch again to find it). Wraps the service's
    ingest_file in this process only; nothing changes if it is not there."""
    from docket import services

    inner = getattr(services, "ingest_file", None)
    if inner is None or getattr(inner, "_fuzz_tracked", False):
        return

    def tracked(store, path, *args, **kwargs):
        with open(progress_path, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(f"{time.time()}\t{path}")
        return inner(store, path, *args, **kwargs)

    tracked._fuzz_tracked = True
    services.ingest_file = tracked


def _serve(conn, dump_path: str, workdir: str, mem_limit: int) -> None:
    """A worker: receives (job id, case indices, options), runs them in one folder, sends back the verdict."""
    import faulthandler
    import resource

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ.pop("DOCKET_DEBUG", None)
    # Docket's own bound on one document's extraction, set well inside the harness's hang limit: a text
    # that takes longer is refused with a line (a resource error, counted), and only what escapes that
    # bound (storing, reading, a loop outside extraction) can be a hang
    os.environ["DOCKET_EXTRACT_SECONDS"] = str(EXTRACT_SECONDS_IN_FUZZ)
    dump = open(dump_path, "w")  # open for the worker's life: faulthandler writes to its descriptor
    faulthandler.enable(file=dump, all_threads=True)
    faulthandler.register(signal.SIGUSR1, file=dump, all_threads=True, chain=False)
    if mem_limit:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (_vm_size() + mem_limit, resource.RLIM_INFINITY))
    install_capture()
    _track_files(os.path.join(workdir, "progress.txt"))
    n = 0
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        job_id, indices, options = message
        n += 1
        job_dir = os.path.join(workdir, f"j{n}")
        t0 = time.perf_counter()
        cases: list[Case] = []
        try:
            cases = [make_case(options.seed, i, options.small, options.big_rate) for i in indices]
            root = os.path.join(job_dir, "docs")
            for case in cases:
                write_case(case, root if len(cases) == 1 else os.path.join(root, f"c{case.index}"))
            verdict = check_ingest(root, os.path.join(job_dir, "store.db"), _job_format(options, indices),
                                   options.reingest)
        except Exception as e:  # noqa: BLE001 - the harness's own failure must be seen, not hang the run
            verdict = Verdict("traceback", f"harness: {type(e).__name__}: {e}", _last_frames((type(e), e, e.__traceback__)))
        seconds = time.perf_counter() - t0
        if verdict.path:
            _name_labels(verdict, cases, root)
        info = [(c.index, c.labels, c.size) for c in cases] if cases else [(i, [], 0) for i in indices]
        _close_stores()
        shutil.rmtree(job_dir, ignore_errors=True)
        conn.send((job_id, verdict, info, seconds))


def _name_labels(verdict: Verdict, cases: list[Case], root: str) -> None:
    """Say what kind of name the file concerned has (its name:… labels): a missing file's reason is
    usually its name."""
    owner = re.search(r"/docs/c(\d+)/", verdict.path)
    for case in cases:
        if owner and case.index != int(owner[1]):
            continue
        for f in case.files:
            if verdict.path.endswith("/" + os.fsdecode(f.name)):
                names = [lab for lab in f.labels if lab.startswith(("name:", "suffix:"))] or ["name:plain"]
                verdict.detail += f" [{', '.join(names)}]"
                return


def _vm_size() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


class _Worker:
    def __init__(self, ctx, base: str, mem_limit: int) -> None:
        self.dir = tempfile.mkdtemp(prefix="w", dir=base)
        self.dump_path = os.path.join(self.dir, "stack.txt")
        self.progress_path = os.path.join(self.dir, "progress.txt")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, self.dump_path, self.dir, mem_limit), daemon=True)
        self.proc.start()
        child.close()
        self.job: tuple | None = None  # (job id, indices, deadline, retry group)
        self.jobs_done = 0

    def stack(self) -> str:
        """The worker's Python stack, dumped by faulthandler on SIGUSR1."""
        try:
            before = os.path.getsize(self.dump_path)
            os.kill(self.proc.pid, signal.SIGUSR1)
            time.sleep(0.3)
            with open(self.dump_path, errors="replace") as f:
                f.seek(before)
                return f.read()[:4000]  # most recent call first
        except OSError:
            return ""

    def current_file(self) -> tuple[str, float]:
        """The file the worker is ingesting now, and for how many seconds it has been at it."""
        try:
            with open(self.progress_path, encoding="utf-8", errors="surrogateescape") as f:
                since, path = f.read().split("\t", 1)
            return path, time.time() - float(since)
        except (OSError, ValueError):
            return "", 0.0

    def crash_report(self) -> str:
        with contextlib.suppress(OSError), open(self.dump_path, errors="replace") as f:
            return f.read()[-3000:]
        return ""

    def stop(self, kill: bool = False) -> None:
        if kill and self.proc.is_alive():
            self.proc.kill()
        else:
            with contextlib.suppress(OSError, BrokenPipeError):
                self.conn.send(None)
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(5)
        self.conn.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class FuzzPool:
    """Runs cases in `workers` forked processes; one job (one case, or `batch` cases in one folder) at a
    time per worker, each with `timeout` seconds of wall clock. A worker is replaced after a hang, a crash,
    or `recycle` jobs (bounding whatever a long run leaks). Memory per worker is capped at `mem_limit`
    bytes of address space over what it had when it started (0: no cap), so a bomb fails there instead
    of exhausting the machine."""

    def __init__(self, workers: int = 2, timeout: float = 30.0, recycle: int = 400, mem_limit: int = 6 << 30) -> None:
        self.workers, self.timeout, self.recycle, self.mem_limit = workers, timeout, recycle, mem_limit
        self.ctx = multiprocessing.get_context("fork")
        # a store commits (and syncs) a dozen times an ingest: on a memory file system that costs nothing
        shm = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
        self.base = tempfile.mkdtemp(prefix="docket-fuzz-", dir=shm)

    def run(self, options: Options, indices: Iterable[int], batch: int = 1) -> Iterator[Result]:
        """Yields one Result per case (in completion order), plus one per failure that only a batch shows."""
        warm_up()
        source = iter(indices)
        pending: list[tuple[tuple[int, ...], int | None]] = []  # jobs to run: (case indices, retry group)
        groups: dict[int, dict] = {}  # a failed batch's cases being run again one by one
        workers = [_Worker(self.ctx, self.base, self.mem_limit) for _ in range(self.workers)]
        try:
            while True:
                for w in workers:
                    if w.job is None:
                        if not pending:
                            chunk = tuple(i for _, i in zip(range(batch), source, strict=False))
                            if chunk:
                                pending.append((chunk, None))
                        if pending:
                            chunk, group = pending.pop(0)
                            w.conn.send((0, chunk, options))
                            w.job = (chunk, group, time.monotonic() + self.timeout)
                busy = [w for w in workers if w.job is not None]
                if not busy:
                    break
                ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy],
                             timeout=max(0.0, min(w.job[2] for w in busy) - time.monotonic()))
                for k, w in enumerate(workers):
                    if w.job is None:
                        continue
                    done = self._collect(w, ready, options)
                    if done is None:
                        continue
                    verdict, info, seconds = done
                    chunk, group, _ = w.job
                    w.job = None
                    w.jobs_done += 1
                    if verdict.outcome in ("hang", "crash") or w.jobs_done >= self.recycle:
                        w.stop(kill=verdict.outcome in ("hang", "crash"))
                        workers[k] = _Worker(self.ctx, self.base, self.mem_limit)
                    if info is None:
                        info = [(i, make_case(options.seed, i, options.small, options.big_rate).labels, 0) for i in chunk]
                    yield from self._settle(options, chunk, group, verdict, info, seconds, pending, groups)
        finally:
            for w in workers:
                w.stop(kill=True)
            shutil.rmtree(self.base, ignore_errors=True)

    def _collect(self, w: _Worker, ready: list, options: Options) -> tuple[Verdict, list | None, float] | None:
        """The worker's verdict if it has one: its answer, a crash, or a hang once past the deadline."""
        chunk, _, deadline = w.job
        if w.conn in ready:
            try:
                _, verdict, info, seconds = w.conn.recv()
                return verdict, info, seconds
            except (EOFError, OSError):
                pass
        if w.conn in ready or w.proc.sentinel in ready:
            w.proc.join(1)
            return Verdict("crash", f"worker died (exit status {w.proc.exitcode})", w.crash_report()), None, 0.0
        if time.monotonic() < deadline:
            return None
        path, alone = w.current_file()
        shown = path.split("/docs/", 1)[-1]
        culprit = re.search(r"/docs/c(\d+)/", path)
        owners = [int(culprit[1])] if culprit and int(culprit[1]) in chunk else chunk
        labels = next((f.labels for i in owners for f in make_case(options.seed, i, options.small, options.big_rate).files
                       if path and path.endswith("/" + os.fsdecode(f.name))), [])
        verdict = Verdict("hang", f"over {self.timeout:.0f} s" + (f" (at {shown!r} for {alone:.0f} s)" if path else "")
                          + (f" [{', '.join(labels)}]" if labels else ""), w.stack())
        if len(chunk) > 1 and culprit and int(culprit[1]) in chunk and alone > 0.8 * self.timeout:
            verdict.culprit = int(culprit[1])  # one file took (nearly) the whole limit by itself
        return verdict, None, self.timeout

    def _settle(self, options, chunk, group, verdict, info, seconds, pending, groups) -> Iterator[Result]:
        """Results of a finished job; a batch that is not clean goes back to the queue case by case."""
        if len(chunk) > 1 and verdict.outcome != "ok":
            if verdict.culprit is not None:
                # the hung case is known: the others run again alone (their ingest never finished)
                labels = next(lab for i, lab, _ in info if i == verdict.culprit)
                yield Result(options.seed, verdict.culprit, "hang", verdict.detail, verdict.frames, labels,
                             self.timeout, 0)
                pending[0:0] = [((i,), None) for i in chunk if i != verdict.culprit]
                return
            key = max(groups, default=-1) + 1
            groups[key] = {"chunk": chunk, "verdict": verdict, "left": len(chunk), "failed": False}
            pending[0:0] = [((i,), key) for i in chunk]
            return
        for i, labels, size in info:
            yield Result(options.seed, i, verdict.outcome, verdict.detail, verdict.frames, labels,
                         seconds / len(info), size)
        if group is None:
            return
        g = groups[group]
        g["left"] -= 1
        g["failed"] |= verdict.outcome in FAILURES or verdict.outcome == "hang"
        if g["left"]:
            return
        del groups[group]
        v = g["verdict"]
        outcome = "slow" if v.outcome == "hang" else v.outcome
        if not g["failed"] and (outcome in FAILURES or outcome == "slow"):
            yield Result(options.seed, g["chunk"][0], outcome, f"only with cases {list(g['chunk'])} in one folder: "
                         f"{v.detail}", v.frames, ["case:batch-only"], 0.0, 0, g["chunk"])


def summarize(results: list[Result], top: int = 3) -> dict:
    """Counts per outcome, per failure signature (with the first reproducers), and per label."""
    from collections import Counter, defaultdict

    outcomes = Counter(r.outcome for r in results if not r.batch)
    signatures: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        if r.outcome in FAILURES or r.outcome in NOTES:
            signatures[r.signature].append(r)
    labels: dict[str, Counter] = defaultdict(Counter)
    for r in results:
        for lab in r.labels:
            labels[lab][r.outcome] += 1
    return {"outcomes": outcomes, "signatures": dict(sorted(signatures.items(), key=lambda kv: -len(kv[1]))),
            "labels": labels, "top": top}


def format_failures(results: list[Result], classes: Iterable[str] = FAILURES, top: int = 3) -> str:
    """The failure signatures, most frequent first, each with its labels and first reproducers."""
    wanted = set(classes)
    summary = summarize([r for r in results if r.outcome in wanted], top)
    lines = []
    for sig, group in summary["signatures"].items():
        from collections import Counter

        common = Counter(lab for r in group for lab in r.labels).most_common(6)
        lines.append(f"{len(group):6d}  {sig}")
        lines.append("        labels: " + ", ".join(f"{lab} ({n})" for lab, n in common))
        for r in group[:top]:
            lines.append(f"        {r.reproducer()}")
            lines.append(f"          {r.detail.splitlines()[0][:300] if r.detail else ''}")
        frames = next((r.frames for r in group if r.frames), "")
        if frames:
            lines.extend("          | " + ln for ln in _frame_lines(frames))
    return "\n".join(lines)

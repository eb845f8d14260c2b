"""A file uploaded through the web page: a safe name for its temporary copy, its bytes copied in
chunks against the size limit, then ingested like any other file (by `services.ingest_file`, which
records the upload's original name and who sent it)."""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path
from typing import BinaryIO

from docket import services
from docket.errors import DocketError
from docket.ingest import max_bytes
from docket.model import DocumentMeta
from docket.store import ClaimStore

FALLBACK = "upload.txt"
NAME_BYTES = 200  # file systems take 255; leave room
SUFFIX_BYTES = 16
CHUNK = 1024 * 1024


class UploadTooLarge(DocketError):
    pass


def _printable(name: str) -> str:
    """Without control characters and the invisible ones that reorder or hide text (a right-to-left
    override makes "txt.exe" look like "exe.txt")."""
    return "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"))


def _cap(s: str, size: int) -> str:
    """At most `size` bytes of UTF-8, cut between characters."""
    return s.encode("utf-8")[:size].decode("utf-8", errors="ignore")


def original_name(filename: str | None) -> str | None:
    """The name the browser sent, for the custody record: printable, and not absurdly long."""
    if not filename:
        return None
    return _cap(_printable(filename), 1000) or None


def safe_name(filename: str | None) -> str:
    """A name for an upload's temporary copy: the last part of what the browser sent (a Windows
    browser may send a whole path), printable, at most NAME_BYTES bytes with its suffix kept; and
    "upload.txt" when nothing usable is left ("", ".", "..")."""
    name = _printable((filename or "").replace("\\", "/").rsplit("/", 1)[-1]).strip()
    if not name.strip("."):
        return FALLBACK
    if len(name.encode("utf-8")) > NAME_BYTES:
        stem, dot, suffix = name.rpartition(".")
        if dot and stem and len(suffix.encode("utf-8")) <= SUFFIX_BYTES:
            name = _cap(stem, NAME_BYTES - len(suffix.encode("utf-8")) - 1).rstrip() + "." + suffix
        else:
            name = _cap(name, NAME_BYTES)
    return name if name.strip(".") else FALLBACK


def one_line(message: str) -> str:
    return " ".join(message.split())


def save_upload(stream: BinaryIO, path: Path, limit: int) -> int:
    """Copy an upload into `path` chunk by chunk, refusing it as soon as it passes `limit` bytes."""
    size = 0
    with path.open("wb") as out:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise UploadTooLarge(f"{path.name}: over the size limit of {limit} bytes (set DOCKET_MAX_BYTES); "
                                     "nothing was stored")
            out.write(chunk)
    return size


def ingest_upload(store: ClaimStore, stream: BinaryIO, name: str, overrides: DocumentMeta,
                  source: services.Source) -> services.FileOutcome:
    """Ingest an upload from a temporary copy named `name`; any failure is a DocketError naming the
    upload (never its temporary path), and then nothing of it is stored. Blocking: the pages run it
    in a worker thread."""
    source = services.Source(via=source.via, name=original_name(source.name) or name, url=source.url,
                             actor=source.actor)
    with tempfile.TemporaryDirectory(prefix="docket-upload-") as tmp:
        path = Path(tmp) / name
        try:
            save_upload(stream, path, max_bytes())
            return services.ingest_file(store, path, overrides, source=source)
        except UploadTooLarge:
            raise
        except DocketError as e:
            raise DocketError(str(e).replace(str(path), name)) from e
        except OSError as e:
            raise DocketError(f"{name}: could not be stored for reading ({e.strerror or type(e).__name__})") from e
        except Exception as e:  # noqa: BLE001 - an upload's failure is its one-line message, never a 500
            raise DocketError(f"{name}: could not be read ({type(e).__name__})") from e

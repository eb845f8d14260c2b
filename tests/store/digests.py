"""What the tests of area digests compare with."""
def whole_digests(store) -> dict:
    """Claim id -> the claim's digest as a new store writes it (with its document's text)."""
    texts = {d["sha256"]: store.document(d["sha256"]).text for d in store.documents()}
    return {c.id: c.digest(texts[c.document.sha256]) for c in store.claims()}

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PRESS_RELEASE = SHARED / "corpus" / "press-release-2018-04-02.txt"
GOLD = SHARED / "gold" / "press-release-2018-04-02.gold.jsonl"
QUANTITIES = SHARED / "data" / "quantities" / "recognizers-text"

needs_shared = pytest.mark.skipif(
    not PRESS_RELEASE.exists(), reason="../shared (the founding press release and its gold file) is not present"
)

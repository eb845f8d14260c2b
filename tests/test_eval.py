"""The acceptance figures on the founding press release, measured through the command line."""

import json

from click.testing import CliRunner

from docket.cli import main
from tests.conftest import GOLD, PRESS_RELEASE, needs_shared


@needs_shared
def test_eval_on_the_founding_press_release_meets_the_targets():
    result = CliRunner().invoke(main, ["eval", str(PRESS_RELEASE), str(GOLD), "--format", "json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["f1"] >= 0.95, scores
    assert scores["slot_accuracy"] >= 0.95, scores
    assert scores["required"] >= 50


@needs_shared
def test_eval_table_prints_the_figures():
    result = CliRunner().invoke(main, ["eval", str(PRESS_RELEASE), str(GOLD)])
    assert result.exit_code == 0
    assert "F1" in result.output and "slot accuracy" in result.output


def test_eval_reports_a_gold_file_whose_evidence_is_not_in_the_text(tmp_path):
    text = tmp_path / "doc.txt"
    text.write_text("The village was destroyed in 1993.")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"kind": "destruction", "evidence": "not in the text"}) + "\n")
    result = CliRunner().invoke(main, ["eval", str(text), str(gold)])
    assert result.exit_code == 1
    assert "gold.jsonl" in result.output and "evidence not found" in result.output


DEV = PRESS_RELEASE.parents[1] / "dev"


def _dev_scores() -> dict:
    """`docket eval` over the development folder, as JSON (skips where ../shared/dev is absent)."""
    if not (DEV / "texts").is_dir():
        import pytest

        pytest.skip("../shared/dev (the development corpus) is not present")
    result = CliRunner().invoke(main, ["eval", str(DEV / "texts"), str(DEV / "gold"), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@needs_shared
def test_eval_over_the_development_folder_prints_every_breakdown():
    scores = _dev_scores()
    assert len(scores["documents"]) == 28 and scores["required"] == 307
    assert {"kinds", "slots", "geo", "misses", "spurious", "slot_errors", "far_flung"} <= set(scores)
    table = CliRunner().invoke(main, ["eval", str(DEV / "texts"), str(DEV / "gold"), "--show", "none"])
    assert table.exit_code == 0 and "gold places within 50 km" in table.stdout


def test_eval_refuses_a_file_and_a_folder(tmp_path):
    text = tmp_path / "doc.txt"
    text.write_text("The village was destroyed in 1993.")
    result = CliRunner().invoke(main, ["eval", str(text), str(tmp_path)])
    assert result.exit_code == 1 and "give two files or two folders" in result.output


@needs_shared
def test_the_development_folder_meets_the_reading_targets():
    """Issue 11's targets on the development corpus, measured as `docket eval` measures them."""
    scores = _dev_scores()
    assert scores["f1"] >= 0.85, scores["f1"]
    assert scores["slot_accuracy"] >= 0.85, scores["slot_accuracy"]
    for kind, k in scores["kinds"].items():
        if k["required"] >= 8:
            assert k["recall"] >= 0.70, (kind, k)
    assert scores["geo"]["within_share"] >= 0.90 and scores["geo"]["far_share"] <= 0.05, scores["geo"]

"""The acceptance figures on the founding press release, measured through the command line."""

import json

from click.testing import CliRunner
from conftest import GOLD, PRESS_RELEASE, needs_shared

from docket.cli import main


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

"""The trained pipeline is the one Docket pinned: its files are checked before spaCy reads them."""

import shutil

import pytest

from docket.errors import DocketError
from docket.extract import nlp


def test_the_pinned_model_loads_and_parses():
    model = nlp.load_model()
    doc = model("Some 40 people were detained by police in Tbilisi.")
    assert {"parser", "ner", "lemmatizer"} <= set(model.pipe_names)
    assert [t.lemma_ for t in doc][:4] == ["some", "40", "people", "be"]
    assert any(t.dep_ == "agent" for t in doc)


def test_a_model_whose_files_differ_is_refused(tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(nlp.model_folder(), copy)
    nlp.check_model(copy)  # an exact copy passes
    (copy / "ner" / "moves").write_bytes(b"tampered")
    (copy / "extra.bin").write_bytes(b"x")
    with pytest.raises(DocketError, match=r"differs from the one Docket pinned \(changed: ner/moves; unexpected: extra.bin"):
        nlp.check_model(copy)


def test_another_pipeline_can_be_named(monkeypatch):
    nlp.load_model.cache_clear()
    monkeypatch.setenv("DOCKET_SPACY_MODEL", "no_such_pipeline_xyz")
    try:
        with pytest.raises(DocketError, match="DOCKET_SPACY_MODEL='no_such_pipeline_xyz': no such installed spaCy pipeline"):
            nlp.load_model()
    finally:
        nlp.load_model.cache_clear()

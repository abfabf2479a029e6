"""The RGB counterfactual protocol (contested-claims issue): flag disputed questions, leave the
rest alone. The full run reads ../shared/data, which users do not have: it skips without it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.embeddings import SentenceEmbeddings
from assistant.errors import InputError
from assistant.evaluation import rgb
from assistant.evaluation.report import load_thresholds
from tests.conftest import ROOT

RGB_FILE = ROOT.parent / "shared" / "data" / "rgb-counterfactual" / "dev.jsonl"

ROW = {
    "query": "Where was Super Bowl LV played?",
    "answer": [["Tampa, Florida", "Tampa"]],
    "fakeanswer": "Glendale, Arizona",
    "positive": ["Super Bowl LV was played at Raymond James Stadium in Tampa, Florida."],
    "positive_wrong": ["Super Bowl LV was played at Raymond James Stadium in Glendale, Arizona."],
    "negative": ["Tickets for Super Bowl LVIII in Las Vegas are on sale now."],
}


def test_answers_in_every_rgb_shape_are_flattened() -> None:
    assert rgb.RgbCase.model_validate(ROW).answer == ["Tampa, Florida", "Tampa"]
    assert rgb.RgbCase.model_validate({**ROW, "answer": "Tampa"}).answer == ["Tampa"]


def test_corpus_puts_each_side_in_its_own_outlet() -> None:
    case = rgb.RgbCase.model_validate(ROW)
    disputed = rgb.corpus(case, disputed=True)
    clean = rgb.corpus(case, disputed=False)
    assert [r["outlet"] for r in disputed] == [rgb.TRUE_OUTLET, rgb.FAKE_OUTLET, "Outlet N1"]
    assert rgb.FAKE_OUTLET not in {r["outlet"] for r in clean}


def test_one_question_end_to_end(tmp_path: Path, embeddings: SentenceEmbeddings) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(ROW) + "\n")
    report = rgb.run(path, embeddings)
    assert report.metrics["both_sides_cited_rate"] == 1.0
    assert report.metrics["false_conflict_rate"] == 0.0
    assert report.metrics["answer_accuracy_clean"] == 1.0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "holds no rows"),
        ("{not json\n", "line 1: not valid JSON"),
        (json.dumps({"query": "q"}) + "\n", "line 1: answer: Field required"),
    ],
)
def test_bad_rgb_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "rgb.jsonl"
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        rgb.load_cases(path)


@pytest.mark.skipif(not RGB_FILE.is_file(), reason=f"RGB data not found at {RGB_FILE}")
def test_rgb_counterfactual_flags_disputed_questions(embeddings: SentenceEmbeddings) -> None:
    """The first 20 questions, both corpora each (all 50 take over 5 minutes with the judges:
    `make eval-external` runs them); the thresholds are the project's, measured on these 20."""
    limits = load_thresholds(ROOT / "evals" / "thresholds.yaml")["rgb"]
    report = rgb.run(RGB_FILE, embeddings, limit=20).check(limits)
    assert report.breaches == {}, report.metrics

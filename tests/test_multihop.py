"""MultiHop-RAG retrieval against a plain dense LangChain baseline. Reads ../shared/data, which
users do not have: skips without it. The full 300-query run is `make eval-external`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.embeddings import SentenceEmbeddings
from assistant.errors import InputError
from assistant.evaluation import multihop
from assistant.evaluation.report import load_thresholds
from assistant.types import Answer
from tests.conftest import ROOT

MULTIHOP = ROOT.parent / "shared" / "data" / "multihop-rag"


def test_missing_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"queries\.jsonl: missing"):
        multihop.load(tmp_path)


def test_article_text_is_its_evidence_facts(tmp_path: Path) -> None:
    (tmp_path / "queries.jsonl").write_text(
        json.dumps({"query": "q?", "question_type": "null_query", "answer": "x"}) + "\n"
    )
    article = {
        "url": "https://example.org/a",
        "title": "A",
        "source": "Example",
        "published_at": "2023-10-04T23:32:53+00:00",
        "evidence_facts": ["First fact.", " ", "Second fact."],
    }
    (tmp_path / "articles.jsonl").write_text(json.dumps(article) + "\n")
    _queries, [record] = multihop.load(tmp_path)
    assert record["text"] == "First fact.\n\nSecond fact."
    assert record["published"] == "2023-10-04" and record["outlet"] == "Example"


@pytest.mark.skipif(not MULTIHOP.is_dir(), reason=f"MultiHop-RAG data not found at {MULTIHOP}")
def test_hybrid_retrieval_beats_the_dense_baseline(embeddings: SentenceEmbeddings) -> None:
    report = multihop.run(MULTIHOP, embeddings, limit=40)
    limits = load_thresholds(ROOT / "evals" / "thresholds.yaml")["multihop"]
    assert report.check(limits).breaches == {}, report.metrics
    assert report.metrics["mrr_at_10"] >= report.baselines[multihop.DENSE_BASELINE]["mrr_at_10"]


def test_accuracy_is_reported_per_question_type() -> None:
    rows = [
        {"type": "inference_query", "correct": True},
        {"type": "inference_query", "correct": False},
        {"type": "comparison_query", "correct": True},
        {"type": "temporal_query", "correct": False},
    ]
    assert multihop._by_question_type(rows) == {
        "answer_accuracy_comparison": 1.0,
        "answer_accuracy_inference": 0.5,
        "answer_accuracy_temporal": 0.0,
    }


@pytest.mark.parametrize(
    ("gold", "line", "verdict", "correct"),
    [
        ("Yes", "Yes: A [1] says so.", "supported", True),
        ("True", "Yes: A [1] says so.", "supported", True),  # true is yes
        ("no", "No: A [1] says so; B does not say that X.", "contradicted", True),
        ("Consistent", "Consistent: A [1] and B [2] do not contradict …", "supported", True),
        ("Consistent", "Yes: A [1] and B [2] do not contradict …", "supported", False),
        ("Agree", "Agree: A [1] says so; B [2] agrees.", "supported", True),
        ("Agree", "Disagree: A [1] says so; B [2] says otherwise.", "contradicted", False),
        ("Yes", "The sources do not say: B does not cover X.", "not_in_sources", False),
        ("No", None, "contested", False),  # disputed is no answer
        ("Yes", None, "supported", True),  # no verdict line: the verdict's word
    ],
)
def test_judgements_are_read_from_the_first_word(
    gold: str, line: str | None, verdict: str, correct: bool
) -> None:
    answer = Answer(
        question="Q?", answer=line or "", abstained=False, verdict=verdict, verdict_line=line or ""
    )
    assert multihop._correct(gold, answer) is correct


def test_a_name_counts_where_the_answer_gives_it() -> None:
    """A which-of-two answer names its report before the colon; the other outlet it cites
    after is not the answer. A "not said" line that repeats the question never counts."""
    chosen = "Polygon: Polygon [1] covers the film most closely; Engadget [2] touches on it too."
    answer = Answer(
        question="Q?", answer=chosen, abstained=False, verdict="supported", verdict_line=chosen
    )
    assert multihop._correct("Polygon", answer)
    assert not multihop._correct("Engadget", answer)
    silent = "The sources do not say whether Polygon reviewed it; what they say:"
    unsaid = Answer(
        question="Q?", answer=silent, abstained=False, verdict="not_in_sources", verdict_line=silent
    )
    assert not multihop._correct("Polygon", unsaid)


def test_a_name_answer_counts_by_the_name_it_states() -> None:
    """ "Google [1]." followed by a quoted sentence that mentions Apple is a wrong answer for
    Apple; a plain quoted answer (no name line) still counts where it gives the name."""
    text = "Google [1]. Apple said Google was the only viable default search engine [1]."
    stated = Answer(question="Q?", answer=text, abstained=False, verdict_line="Google [1].")
    assert multihop._correct("Google", stated)
    assert not multihop._correct("Apple", stated)
    quoted = Answer(question="Q?", answer=text[12:], abstained=False)
    assert multihop._correct("Apple", quoted)

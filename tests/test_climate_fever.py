"""CLIMATE-FEVER claim checks (claim-check issue). Reads ../shared/data, which users do not
have: the full run skips without it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.config import JudgeSettings
from assistant.embeddings import SentenceEmbeddings
from assistant.errors import InputError
from assistant.evaluation import climate_fever
from assistant.evaluation.report import load_thresholds
from assistant.judges import Judges
from tests.conftest import ROOT

JUDGES = Judges.from_settings(JudgeSettings())
CLIMATE_FEVER = ROOT.parent / "shared" / "data" / "climate-fever" / "dev.jsonl"

ROW = {
    "claim_id": "1",
    "claim": "The Il-20 flew over the Sea of Okhotsk on 27 January.",
    "claim_label": "REFUTES",
    "evidences": [
        {
            "evidence_id": "Il-20:1",
            "evidence_label": "REFUTES",
            "article": "Ilyushin Il-20",
            "evidence": "On 26 January, the Il-20 flew over the Sea of Okhotsk.",
        },
        {
            "evidence_id": "Okhotsk:2",
            "evidence_label": "NOT_ENOUGH_INFO",
            "article": "Sea of Okhotsk",
            "evidence": "The Sea of Okhotsk is a marginal sea of the western Pacific Ocean.",
        },
    ],
}


def test_a_claim_against_its_own_evidence(tmp_path: Path, embeddings: SentenceEmbeddings) -> None:
    path = tmp_path / "cf.jsonl"
    path.write_text(json.dumps(ROW) + "\n")
    report = climate_fever.run(path, embeddings, JUDGES)
    assert report.metrics["verdict_accuracy"] == 1.0
    assert report.metrics["evidence_accuracy"] == 1.0
    assert set(report.baselines) == {
        climate_fever.MAJORITY_BASELINE,
        climate_fever.SIMILARITY_BASELINE,
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "holds no rows"),
        (json.dumps({**ROW, "claim_label": "MAYBE"}) + "\n", "unknown claim_label 'MAYBE'"),
        (json.dumps({"claim": "x"}) + "\n", "line 1: claim_id: Field required"),
    ],
)
def test_bad_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "cf.jsonl"
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        climate_fever.load(path)


@pytest.mark.skipif(
    not CLIMATE_FEVER.is_file(), reason=f"CLIMATE-FEVER not found at {CLIMATE_FEVER}"
)
def test_climate_fever_scores_hold(embeddings: SentenceEmbeddings) -> None:
    """The first 200 claims (all 768 take minutes with the judges: `make eval-external` runs
    them); floors are the scores measured on these 200 (evals/thresholds.yaml)."""
    limits = load_thresholds(ROOT / "evals" / "thresholds.yaml")["climate-fever"]
    report = climate_fever.run(CLIMATE_FEVER, embeddings, JUDGES, limit=200).check(limits)
    assert report.breaches == {}, report.metrics

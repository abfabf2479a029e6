"""CLIMATE-FEVER (Diggelmann et al., 2020): claim checks against given evidence.

Each claim comes with 5 Wikipedia sentences; they are its sources. The claim checker runs on
exactly those sentences (no retrieval: the sentences are the corpus), with the same judge and
the same verdict rules as ``assistant check``. Labels map SUPPORTS→supported,
REFUTES→contradicted, DISPUTED→contested, NOT_ENOUGH_INFO→not_in_sources; per evidence
sentence SUPPORTS→supports, REFUTES→contradicts, NOT_ENOUGH_INFO→unrelated.

Two baselines run in the same pass: the majority verdict of the file, and a plain similarity
threshold (best cosine ≥ ``SIMILARITY_THRESHOLD`` → supported, else not_in_sources; per
evidence, cosine ≥ threshold → supports, else unrelated).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel

from assistant import keyword, support
from assistant.check import ClaimChecker
from assistant.config import RuleSettings
from assistant.conflicts import LearnedConflictJudge, ValueConflictJudge
from assistant.embeddings import SentenceEmbeddings
from assistant.errors import InputError
from assistant.evaluation import metrics
from assistant.evaluation.data import load_rows
from assistant.evaluation.report import EvalReport, rate
from assistant.flags import Flagger
from assistant.judges import Judges
from assistant.stance import StanceReader
from assistant.types import Chunk, Passage

Progress = Callable[[int, int], None]
VERDICT_OF = {
    "SUPPORTS": "supported",
    "REFUTES": "contradicted",
    "DISPUTED": "contested",
    "NOT_ENOUGH_INFO": "not_in_sources",
}
EVIDENCE_LABEL_OF = {
    "SUPPORTS": "supports",
    "REFUTES": "contradicts",
    "NOT_ENOUGH_INFO": "unrelated",
}
VERDICTS = tuple(VERDICT_OF.values())
# The similarity baseline's cut-off, fixed in advance (not tuned on the data it is scored on).
SIMILARITY_THRESHOLD = 0.6
SIMILARITY_BASELINE = "similarity threshold"
MAJORITY_BASELINE = "majority verdict"


class Evidence(BaseModel):
    evidence_id: str
    evidence_label: str
    article: str
    evidence: str


class ClaimRow(BaseModel):
    claim_id: str
    claim: str
    claim_label: str
    evidences: list[Evidence]


def load(path: Path) -> list[ClaimRow]:
    rows = load_rows(path, ClaimRow, "CLIMATE-FEVER .jsonl")
    for number, row in enumerate(rows, start=1):
        if row.claim_label not in VERDICT_OF:
            raise InputError(f"{path} row {number}: unknown claim_label {row.claim_label!r}.")
    return rows


def evidence_passages(row: ClaimRow) -> list[Passage]:
    """Each evidence sentence as a one-sentence passage of its Wikipedia article."""
    passages = []
    for item in row.evidences:
        text = " ".join(item.evidence.split())
        chunk = Chunk(
            chunk_id=f"{item.evidence_id}:0",
            article_id=item.evidence_id,
            index=0,
            start=0,
            end=len(text),
            text=text,
            sentences=[(0, len(text))],
        )
        passages.append(
            Passage(
                chunk=chunk,
                article_id=item.evidence_id,
                source=item.evidence_id,
                path=item.evidence_id,
                title=item.article,
                outlet="Wikipedia",
                published="",
                url=None,
                illustrative=False,
            )
        )
    return passages


def idf_over(rows: list[ClaimRow]) -> Callable[[str], float]:
    """IDF over all evidence sentences of the file: the corpus the judge weighs words against,
    as the assistant weighs them against its index."""
    return keyword.idf_over(e.evidence for row in rows for e in row.evidences)


def run(
    path: Path,
    embeddings: SentenceEmbeddings,
    judges: Judges,
    *,
    limit: int | None = None,
    rules: RuleSettings | None = None,
    progress: Progress | None = None,
) -> EvalReport:
    every_row = load(path)
    rows = every_row[:limit]
    started = time.perf_counter()
    offline = support.OfflineSupportJudge(idf=idf_over(every_row), rules=rules)
    judge = support.LearnedSupportJudge(judges.entailment, offline, judges.settings)
    reader = StanceReader()
    conflicts = LearnedConflictJudge(judges.entailment, ValueConflictJudge(rules), judges.settings)
    flagger = Flagger(embeddings.encode, lambda _c: [], reader, conflicts, rules)
    checker = ClaimChecker(embeddings.encode, judge, flagger, reader)
    gold, got, similarity_got = [], [], []
    evidence_gold, evidence_got, evidence_similarity = [], [], []
    failures = []
    for done, row in enumerate(rows, start=1):
        passages = evidence_passages(row)
        result = checker.assess(row.claim, passages)
        gold.append(VERDICT_OF[row.claim_label])
        got.append(result.verdict)
        vectors = embeddings.encode([row.claim] + [p.chunk.text for p in passages])
        cosines = vectors[1:] @ vectors[0]
        similarity_got.append(
            "supported" if float(cosines.max()) >= SIMILARITY_THRESHOLD else "not_in_sources"
        )
        evidence = [
            support.Evidence(p.chunk.text, float(c), p.title)
            for p, c in zip(passages, cosines, strict=True)
        ]
        judged = judge.judge_many(row.claim, evidence)
        for item, cosine, judgement in zip(row.evidences, cosines, judged, strict=True):
            evidence_gold.append(EVIDENCE_LABEL_OF.get(item.evidence_label, "unrelated"))
            evidence_got.append(judgement.label)
            evidence_similarity.append(
                "supports" if float(cosine) >= SIMILARITY_THRESHOLD else "unrelated"
            )
        if result.verdict != gold[-1]:
            failures.append(
                {
                    "claim": row.claim,
                    "expected": gold[-1],
                    "problems": [f"verdict {result.verdict}, expected {gold[-1]}"],
                    "got": result.explanation,
                }
            )
        if progress:
            progress(done, len(rows))
    majority = Counter(gold).most_common(1)[0][0]
    return EvalReport(
        suite="climate-fever",
        source=str(path),
        cases=len(rows),
        metrics=_scores(gold, got, evidence_gold, evidence_got),
        baselines={
            MAJORITY_BASELINE: _scores(
                gold, [majority] * len(gold), evidence_gold, ["unrelated"] * len(evidence_gold)
            ),
            SIMILARITY_BASELINE: _scores(gold, similarity_got, evidence_gold, evidence_similarity),
        },
        counts={f"gold_{v}": float(gold.count(v)) for v in VERDICTS}
        | {f"predicted_{v}": float(got.count(v)) for v in VERDICTS},
        failures=failures,
        seconds=time.perf_counter() - started,
    )


def _scores(
    gold: list[str], got: list[str], evidence_gold: list[str], evidence_got: list[str]
) -> dict[str, float]:
    return {
        "verdict_accuracy": rate(sum(g == p for g, p in zip(gold, got, strict=True)), len(gold)),
        "verdict_macro_f1": metrics.macro_f1(gold, got, VERDICTS),
        "evidence_accuracy": rate(
            sum(g == p for g, p in zip(evidence_gold, evidence_got, strict=True)),
            len(evidence_gold),
        ),
        "evidence_macro_f1": metrics.macro_f1(
            evidence_gold, evidence_got, ("supports", "contradicts", "unrelated")
        ),
    }

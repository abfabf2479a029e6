"""Metric definitions, once, for every suite. The README's table is written from ``DEFINITIONS``."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# name -> what it measures (also the README's metric table).
DEFINITIONS: dict[str, str] = {
    "hits_at_k": "Hits@k (k = 4, 6, 10): share of answerable cases that name their expected "
    "articles with one among the first k retrieved articles (passages reduced to their article, "
    "first appearance).",
    "mrr_at_10": "Mean of 1/rank of the first expected article among the first 10 retrieved "
    "articles (0 when none), over the answerable cases that name their expected articles.",
    "answer_accuracy": "Share of answerable cases answered (not abstained) with every expected "
    "fact in the answer text (one alternative of a list is enough).",
    "source_citation_rate": "Share of answerable cases that cite at least one expected article.",
    "abstention_precision": "Of the cases where the assistant abstained, the share it should "
    "have abstained on.",
    "abstention_recall": "Of the cases it should abstain on, the share where it did.",
    "citation_integrity": "Share of citations whose number is in range and whose quote is "
    "exactly the article text at the cited span (must be 1.0).",
    "citation_recall": "ALCE citation recall: share of answer sentences whose citations back "
    "them, judged by the support judge.",
    "citation_precision": "ALCE citation precision: share of (sentence, citation) pairs where "
    "the cited sentence alone backs the answer sentence.",
    "claim_accuracy": "Claim-check cases: share of verdicts equal to the expected one.",
    "claim_macro_f1": "Claim-check cases: unweighted mean F1 over the four verdicts.",
    "flag_precision_<kind>": "Of the answers flagged <kind> (denied, conflict), the share "
    "expected to be.",
    "flag_recall_<kind>": "Of the answers expected to carry <kind> (denied, conflict, and the "
    "softer attributed, hedged, forecast where a case lists them), the share that do.",
    "latency_p50_s / latency_p95_s": "Median and 95th percentile seconds per question "
    "(retrieval + answer, in process, model loaded).",
    "conflict_flag_rate": "RGB, disputed corpora: share of answers with a conflict flag.",
    "both_sides_cited_rate": "RGB, disputed corpora: share with a conflict flag citing both the "
    "true and the counterfactual outlet.",
    "false_conflict_rate": "RGB, clean corpora (no counterfactual outlet): share of answers "
    "with a conflict flag.",
    "answer_accuracy_disputed / answer_accuracy_clean": "RGB: share of answers stating the true "
    "answer, on each corpus.",
    "verdict_accuracy / verdict_macro_f1": "CLIMATE-FEVER: claim verdicts against the mapped "
    "labels (SUPPORTS→supported, REFUTES→contradicted, DISPUTED→contested, "
    "NOT_ENOUGH_INFO→not_in_sources): accuracy and unweighted mean F1.",
    "evidence_accuracy / evidence_macro_f1": "CLIMATE-FEVER: per evidence sentence, the support "
    "judge's label against SUPPORTS→supports, REFUTES→contradicts, NOT_ENOUGH_INFO→unrelated.",
    "null_abstention_recall": "MultiHop-RAG: share of null queries (no answer in the corpus) "
    "the assistant abstains on.",
    "false_abstention_rate": "MultiHop-RAG: share of answerable queries it abstains on.",
    "answer_accuracy_entity": "MultiHop-RAG: share of queries whose answer is a name (not "
    "yes/no) answered with that name.",
    "written_rate": "With a model (generation.provider): share of answered cases whose answer "
    "the model wrote, the rest falling back to the quoted answer.",
    "supported_sentence_rate": "With a model: share of the sentences it wrote that their cited "
    "passages back (shown greyed otherwise).",
    "removed_citations": "With a model: citations to passage numbers it was never shown, "
    "removed, per answered case.",
}


def first_seen(items: Sequence[str]) -> list[str]:
    """Items in order of first appearance (passages -> the articles they come from)."""
    return list(dict.fromkeys(items))


def hits_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    return 1.0 if relevant & set(ranked[:k]) else 0.0


def reciprocal_rank(ranked: Sequence[str], relevant: set[str], k: int = 10) -> float:
    for rank, item in enumerate(ranked[:k], start=1):
        if item in relevant:
            return 1.0 / rank
    return 0.0


def precision(true_positives: int, false_positives: int) -> float:
    flagged = true_positives + false_positives
    return true_positives / flagged if flagged else 1.0


def recall(true_positives: int, false_negatives: int) -> float:
    expected = true_positives + false_negatives
    return true_positives / expected if expected else 1.0


def macro_f1(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> float:
    """Unweighted mean of per-label F1 over ``labels`` (a label never gold nor predicted is
    left out rather than counted as 0 or 1)."""
    scores = []
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted, strict=True))
        if tp + fp + fn == 0:
            continue
        scores.append(2 * tp / (2 * tp + fp + fn))
    return float(np.mean(scores)) if scores else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else 0.0


def contains_expected(text: str, expected: Sequence[str | Sequence[str]]) -> bool:
    """Every expected phrase is in ``text`` (case-insensitive); a list item is alternatives."""
    folded = " ".join(text.split()).lower()
    for item in expected:
        options = [item] if isinstance(item, str) else list(item)
        if not any(" ".join(o.split()).lower() in folded for o in options):
            return False
    return True

"""MultiHop-RAG (Tang & Yang, COLM 2024): retrieval over real multi-source news questions.

The article bodies are not distributed, so each article's text is its ``evidence_facts``; the
whole set is indexed once. Per question, articles are ranked by the first appearance of their
passages, and compared with the urls of its ``evidence_list``:

* ``hits_at_4``, ``hits_at_10``, ``mrr_at_10`` for the assistant's hybrid retriever, and as a
  baseline the same for a plain dense-only LangChain ``similarity_search`` over the same
  Chroma collection;
* ``null_abstention_recall``: null queries ("Insufficient information.") the assistant abstains
  on; ``false_abstention_rate``: other queries it abstains on;
* ``answer_accuracy_entity``: questions whose answer is a name (not yes/no) answered with it;
* ``answer_accuracy_yes_no``: questions answered by a judgement (yes / no, true / false,
  agree / disagree, consistent / inconsistent) whose answer opens with the gold word (its
  verdict line's first word: "Yes:", "Consistent:", "Agree:"; true counts as yes, false as
  no); "disputed" and "the sources do not say" count as wrong;
* ``answer_accuracy``: both together, over every question that has an answer, and per
  question type (``answer_accuracy_inference``, ``_comparison``, ``_temporal``).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from assistant.embeddings import SentenceEmbeddings
from assistant.errors import InputError
from assistant.evaluation import metrics
from assistant.evaluation.corpus import scratch_assistant
from assistant.evaluation.data import load_rows, read_jsonl
from assistant.evaluation.report import EvalReport, rate
from assistant.polar import verdict_word
from assistant.service import Assistant
from assistant.types import Answer

Progress = Callable[[int, int], None]
NULL_TYPE = "null_query"
# Answers that are judgements, not facts quoted, read from the first word of the verdict line;
# the same judgement in other words counts as that word.
JUDGEMENTS = {"yes", "no", "agree", "disagree", "consistent", "inconsistent"}
SAME_JUDGEMENT = {"true": "yes", "false": "no"}
NULL_ANSWER = "insufficient information."
PASSAGES_PER_QUERY = 30  # enough passages to rank 10 distinct articles
DENSE_BASELINE = "dense similarity_search"


class Evidence(BaseModel):
    url: str


class Query(BaseModel):
    query: str
    question_type: str
    answer: str
    evidence_list: list[Evidence] = []


def load(folder: Path) -> tuple[list[Query], list[dict[str, Any]]]:
    """Queries and article records (text = evidence facts) from a MultiHop-RAG folder."""
    queries_path, articles_path = folder / "queries.jsonl", folder / "articles.jsonl"
    for path in (queries_path, articles_path):
        if not path.is_file():
            raise InputError(
                f"{path}: missing (a MultiHop-RAG folder holds queries.jsonl and articles.jsonl)."
            )
    queries = load_rows(queries_path, Query, "MultiHop-RAG queries.jsonl")
    rows = read_jsonl(articles_path)
    for number, row in rows:
        if not isinstance(row, dict):
            raise InputError(f"{articles_path} line {number}: expected a JSON object.")
    records = [_record(row) for _, row in rows]
    records = [r for r in records if r["text"]]
    if not queries or not records:
        raise InputError(f"{folder}: no queries or no articles with evidence facts.")
    return queries, records


def _record(row: dict[str, Any]) -> dict[str, Any]:
    facts = row.get("evidence_facts") or []
    return {
        "id": row.get("url"),
        "url": row.get("url"),
        "title": row.get("title"),
        "outlet": row.get("source"),
        "published": (row.get("published_at") or "")[:10] or None,
        "author": row.get("author"),
        "text": "\n\n".join(f.strip() for f in facts if isinstance(f, str) and f.strip()),
    }


def run(
    folder: Path,
    embeddings: SentenceEmbeddings,
    *,
    limit: int | None = None,
    progress: Progress | None = None,
) -> EvalReport:
    queries, records = load(folder)
    queries = queries[:limit]
    started = time.perf_counter()
    with scratch_assistant(records, embeddings) as assistant:
        rows = []
        for done, query in enumerate(queries, start=1):
            rows.append(_score(query, assistant))
            if progress:
                progress(done, len(queries))
    answerable = [r for r in rows if r["type"] != NULL_TYPE and r["relevant"]]
    nulls = [r for r in rows if r["type"] == NULL_TYPE]
    others = [r for r in rows if r["type"] != NULL_TYPE]
    entity = [r for r in others if _judgement(r["gold"]) is None and not _null(r["gold"])]
    yes_no = [r for r in others if _judgement(r["gold"]) is not None]
    scored = entity + yes_no
    return EvalReport(
        suite="multihop",
        source=str(folder),
        cases=len(rows),
        metrics={
            **_ranking(answerable, "ranked"),
            "null_abstention_recall": rate(sum(r["abstained"] for r in nulls), len(nulls)),
            "false_abstention_rate": rate(sum(r["abstained"] for r in others), len(others)),
            "answer_accuracy_entity": rate(sum(r["correct"] for r in entity), len(entity)),
            "answer_accuracy_yes_no": rate(sum(r["correct"] for r in yes_no), len(yes_no)),
            "answer_accuracy": rate(sum(r["correct"] for r in scored), len(scored)),
            **_by_question_type(scored),
        },
        baselines={DENSE_BASELINE: _ranking(answerable, "baseline")},
        counts={
            "queries": len(rows),
            "with_evidence": len(answerable),
            "null": len(nulls),
            "entity_answers": len(entity),
            "yes_no_answers": len(yes_no),
            **{
                f"yes_no_said_{word.replace(' ', '_')}": n
                for word, n in Counter(r["said"] for r in yes_no).items()
            },
            "articles": len(records),
        },
        failures=[
            _failure(r) for r in answerable if not metrics.hits_at(r["ranked"], r["relevant"], 10)
        ],
        seconds=time.perf_counter() - started,
    )


def _score(query: Query, assistant: Assistant) -> dict[str, Any]:
    passages = assistant.retriever(k=PASSAGES_PER_QUERY).search(query.query)
    baseline = assistant.store.vectorstore.similarity_search(query.query, k=PASSAGES_PER_QUERY)
    answer = assistant.ask(query.query)
    return {
        "question": query.query,
        "type": query.question_type,
        "gold": query.answer,
        "relevant": {e.url for e in query.evidence_list},
        "ranked": metrics.first_seen([p.url or p.article_id for p in passages]),
        "baseline": metrics.first_seen([d.metadata.get("url") or "" for d in baseline]),
        "abstained": answer.abstained,
        "verdict": answer.verdict,
        "said": _said(answer),
        "correct": _correct(query.answer, answer),
    }


def _by_question_type(scored: list[dict[str, Any]]) -> dict[str, float]:
    """``answer_accuracy_<type>`` per MultiHop-RAG question type (inference, comparison,
    temporal), over the questions with a name or yes/no answer."""
    types = sorted({r["type"] for r in scored})
    return {
        f"answer_accuracy_{kind.removesuffix('_query')}": rate(
            sum(r["correct"] for r in scored if r["type"] == kind),
            sum(r["type"] == kind for r in scored),
        )
        for kind in types
    }


def _correct(gold: str, answer: Answer) -> bool:
    judgement = _judgement(gold)
    if judgement is not None:
        return _said(answer) == judgement
    if answer.abstained or answer.verdict == "not_in_sources":
        return False
    # A which-of-two answer names its report before the colon ("Polygon: Polygon [1] covers
    # …; The Sydney Morning Herald [2] touches on it too"): only that name counts.
    named, colon, _ = answer.verdict_line.partition(":")
    if colon and answer.verdict_line.startswith(f"{named}: {named} "):
        return gold.lower() in named.lower()
    # A name answer states the name first ("Google [1]."): only that name counts, not a name
    # the quoted sentences after it happen to mention.
    if answer.verdict is None and answer.verdict_line:
        return gold.lower() in answer.verdict_line.lower()
    return gold.lower() in answer.answer.lower()


def _judgement(word: str) -> str | None:
    """A judgement word ("Yes", "true", "Consistent") in its one form, or None for a name."""
    word = word.strip().rstrip(".:").lower()
    word = SAME_JUDGEMENT.get(word, word)
    return word if word in JUDGEMENTS else None


def _null(gold: str) -> bool:
    return gold.strip().lower() == NULL_ANSWER


def _said(answer: Answer) -> str:
    """The judgement an answer opens with: its verdict line's first word ("Yes:", "Agree:",
    "Inconsistent:"), or its verdict's word; "not said" for anything else."""
    opening = (answer.verdict_line or "").split(maxsplit=1)
    if opening:
        judged = _judgement(opening[0])
        if judged is not None:
            return judged
    return verdict_word(answer.verdict)


def _ranking(rows: list[dict[str, Any]], key: str) -> dict[str, float]:
    n = len(rows)
    return {
        "hits_at_4": rate(sum(metrics.hits_at(r[key], r["relevant"], 4) for r in rows), n),
        "hits_at_10": rate(sum(metrics.hits_at(r[key], r["relevant"], 10) for r in rows), n),
        "mrr_at_10": rate(sum(metrics.reciprocal_rank(r[key], r["relevant"]) for r in rows), n),
    }


def _failure(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "question": row["question"],
        "expected": sorted(row["relevant"]),
        "problems": ["no evidence article in the first 10 retrieved"],
        "retrieved": row["ranked"][:10],
    }

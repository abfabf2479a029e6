"""The project's eval-set format (``evals/*.yaml``) and the suite that runs it.

An eval set is a YAML file::

    corpus: ../sources          # the articles its questions are about (relative to the file)
    cases:
      - question: When did the Kareliya enter the East China Sea?
        expected: ["7 January"]            # phrases the answer must hold; a list = alternatives
        sources: [2025-01-29-meridian-….md] # articles (paths) of which one must be cited
        contested: []                      # flag kinds the answer must carry; [] = no
                                           # denied/conflict flag allowed; absent = unchecked
        first_reported: ["704", "670"]     # a conflict between reports of two days: the
                                           # earlier report's value, then the later one's
      - question: What is the population of Lisbon?
        abstain: true                      # the corpus cannot answer: the assistant must say so
      - claim: The Kareliya transited the Tsushima Strait on 12 January.
        verdict: contradicted              # supported | contradicted | contested | not_in_sources

The corpus is indexed into a temporary folder for the run, so a user's own index is never
touched and every run starts from the same articles.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from assistant.check import backs
from assistant.errors import InputError
from assistant.evaluation import metrics
from assistant.evaluation.report import EvalReport, rate
from assistant.models import describe
from assistant.service import Assistant
from assistant.types import Answer, ClaimCheck, Verdict

CONTESTED_KINDS = ("denied", "conflict")
SOFT_KINDS = ("attributed", "hedged", "forecast")
Progress = Callable[[int, int], None]


class EvalCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1)
    expected: list[str | list[str]] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    abstain: bool = False
    contested: list[str] | None = None
    first_reported: list[str] | None = Field(None, min_length=2, max_length=2)

    @model_validator(mode="after")
    def _consistent(self) -> EvalCase:
        if self.abstain and (self.expected or self.sources):
            raise ValueError("a case that must abstain has no expected facts or sources")
        if not self.abstain and not self.expected:
            raise ValueError("give expected facts, or abstain: true")
        unknown = set(self.contested or []) - set(CONTESTED_KINDS + SOFT_KINDS)
        if unknown:
            raise ValueError(f"unknown flag kinds {sorted(unknown)}")
        return self


class ClaimCase(BaseModel):
    """A claim-check case: ``claim`` and the ``verdict`` the sources call for."""

    model_config = ConfigDict(extra="forbid")

    claim: str = Field(min_length=1)
    verdict: Verdict
    sources: list[str] = Field(default_factory=list)


class EvalSet(BaseModel):
    name: str
    path: Path
    corpus: Path | None = None
    cases: list[EvalCase]
    claims: list[ClaimCase] = Field(default_factory=list)


def load(path: Path) -> EvalSet:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such eval set.") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML ({exc}).") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cases"), list) or not raw["cases"]:
        raise InputError(f"{path}: expected a mapping with a non-empty `cases` list.")
    cases: list[EvalCase] = []
    claims: list[ClaimCase] = []
    for number, case in enumerate(raw["cases"], start=1):
        try:
            if isinstance(case, dict) and "claim" in case:
                claims.append(ClaimCase.model_validate(case))
            else:
                cases.append(EvalCase.model_validate(case))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "case"
            raise InputError(f"{path} case {number}: {where}: {first['msg']}.") from None
    corpus = raw.get("corpus")
    folder = (path.parent / corpus).resolve() if corpus else None
    if folder is not None and not folder.is_dir():
        raise InputError(f"{path}: corpus folder {folder} does not exist.")
    return EvalSet(name=path.stem, path=path, corpus=folder, cases=cases, claims=claims)


def run(
    eval_set: EvalSet,
    assistant: Assistant,
    *,
    limit: int | None = None,
    progress: Progress | None = None,
) -> EvalReport:
    """Ask every question of the set and score the answers (see ``metrics.DEFINITIONS``)."""
    cases = eval_set.cases[:limit]
    claims = eval_set.claims[: None if limit is None else max(0, limit - len(cases))]
    started = time.perf_counter()
    total = len(cases) + len(claims)
    scored = []
    for done, case in enumerate(cases, start=1):
        scored.append(_score(case, assistant))
        if progress:
            progress(done, total)
    checked = []
    for done, claim in enumerate(claims, start=len(cases) + 1):
        checked.append((claim, assistant.check(claim.claim)))
        if progress:
            progress(done, total)
    metrics_ = _metrics(scored, assistant.settings.retrieval.k)
    if checked:
        metrics_ |= _claim_metrics(checked)
    if assistant.generative:
        metrics_ |= _generation_metrics([s.answer for s in scored])
    return EvalReport(
        suite=eval_set.name,
        source=str(eval_set.path),
        answers_by=describe(assistant.settings.generation),
        cases=total,
        metrics=metrics_,
        counts={
            "answerable": sum(not s.case.abstain for s in scored),
            "unanswerable": sum(s.case.abstain for s in scored),
            "claims": len(checked),
            "citations": sum(len(s.answer.citations) for s in scored),
        },
        failures=[s.failure() for s in scored if s.problems]
        + [_claim_failure(c, r) for c, r in checked if r.verdict != c.verdict],
        seconds=time.perf_counter() - started,
    )


def _generation_metrics(answers: list[Answer]) -> dict[str, float]:
    answered = [a for a in answers if not a.abstained]
    written = [a for a in answered if a.generated_by != "extractive"]
    sentences = [s for a in written for s in a.sentences]
    return {
        "written_rate": rate(len(written), len(answered)),
        "supported_sentence_rate": rate(sum(s.supported for s in sentences), len(sentences)),
        "removed_citations": rate(sum(a.removed_citations for a in answered), len(answered)),
    }


VERDICTS = ("supported", "contradicted", "contested", "not_in_sources")


def _claim_metrics(checked: list[tuple[ClaimCase, ClaimCheck]]) -> dict[str, float]:
    gold = [c.verdict for c, _ in checked]
    got = [r.verdict for _, r in checked]
    return {
        "claim_accuracy": rate(sum(g == p for g, p in zip(gold, got, strict=True)), len(gold)),
        "claim_macro_f1": metrics.macro_f1(gold, got, VERDICTS),
    }


def _claim_failure(case: ClaimCase, result: ClaimCheck) -> dict[str, Any]:
    return {
        "claim": case.claim,
        "expected": case.verdict,
        "problems": [f"verdict {result.verdict}, expected {case.verdict}"],
        "got": result.explanation,
        "citations": [
            {"n": c.n, "path": c.path, "quote": c.quote} for c in result.supporting + result.against
        ],
    }


class Scored:
    """One case's answer and everything measured about it."""

    def __init__(
        self,
        case: EvalCase,
        answer: Answer,
        ranked: list[str],
        seconds: float,
        intact: list[bool],
        backed: list[list[bool]],
    ) -> None:
        self.case = case
        # Per sentence, per citation: the cited span alone backs the sentence.
        self.backed = backed
        self.answer = answer
        self.ranked = ranked  # article paths, in retrieval order
        self.seconds = seconds
        self.intact = intact  # per citation: number in range and quote == article text
        self.kinds = {flag["kind"] for flag in answer.contested}
        self.problems = self._problems()

    @property
    def correct(self) -> bool:
        return not self.answer.abstained and metrics.contains_expected(
            self.answer.answer, self.case.expected
        )

    @property
    def update_right(self) -> bool:
        """The answer says which report came first, with the values of both, in order."""
        updates = [f["update"] for f in self.answer.contested if f.get("update")]
        wanted = self.case.first_reported or []
        return any([u["earlier"]["value"], u["later"]["value"]] == wanted for u in updates)

    @property
    def cites_source(self) -> bool:
        cited = {c.path for c in self.answer.citations}
        return bool(cited & set(self.case.sources)) if self.case.sources else True

    def _problems(self) -> list[str]:
        problems = []
        if self.case.abstain != self.answer.abstained:
            problems.append("abstained" if self.answer.abstained else "answered, should abstain")
        elif not self.case.abstain:
            if not self.correct:
                problems.append("expected facts missing")
            if not self.cites_source:
                problems.append("no expected source cited")
        if not all(self.intact):
            problems.append("a citation does not match its article")
        if self.case.contested is not None:
            wanted = set(self.case.contested)
            missing = wanted - self.kinds
            extra = (self.kinds & set(CONTESTED_KINDS)) - wanted
            if missing:
                problems.append(f"missing flags {sorted(missing)}")
            if extra:
                problems.append(f"unexpected flags {sorted(extra)}")
        if self.case.first_reported and not self.update_right:
            problems.append("does not say which report came first")
        return problems

    def failure(self) -> dict[str, Any]:
        return {
            "question": self.case.question,
            "expected": self.case.expected,
            "abstain": self.case.abstain,
            "problems": self.problems,
            "got": self.answer.answer,
            "flags": sorted(self.kinds),
            "citations": [
                {"n": c.n, "path": c.path, "quote": c.quote} for c in self.answer.citations
            ],
            "retrieved": self.ranked[:10],
        }


def _score(case: EvalCase, assistant: Assistant) -> Scored:
    started = time.perf_counter()
    answer = assistant.ask(case.question)
    seconds = time.perf_counter() - started
    passages = assistant.retriever(k=10).search(case.question)
    ranked = metrics.first_seen([p.path for p in passages])
    backed = citation_support(answer, assistant)
    return Scored(case, answer, ranked, seconds, citation_integrity(answer, assistant), backed)


def citation_support(answer: Answer, assistant: Assistant) -> list[list[bool]]:
    """Per answer sentence, per citation: the article's text at the cited span, read back from
    the index, backs the sentence (judged by the assistant's support judge). A citation whose
    span no longer holds its quote, or points at a sentence that says something else, fails:
    extractive answers are judged like written ones."""
    by_n = {c.n: c for c in answer.citations}
    texts = {c.article_id: assistant.store.article_text(c.article_id) for c in answer.citations}

    def cited_text(n: int) -> str:
        citation = by_n.get(n)
        if citation is None:
            return ""
        article = texts.get(citation.article_id) or ""
        return article[citation.start : citation.end]

    pairs = [(s.text, cited_text(n)) for s in answer.sentences for n in s.citations]
    verdicts = iter(backs(pairs, assistant.support_judge(), assistant.embeddings.encode))
    return [[next(verdicts) for _ in s.citations] for s in answer.sentences]


def citation_integrity(answer: Answer, assistant: Assistant) -> list[bool]:
    """Per citation: the numbering is 1..n and every number is used (by a sentence, or as a
    flag's counter-evidence), flags point at real sentences, and the quote is exactly the
    indexed article's text at the cited span and the passage's text there."""
    used = {n for s in answer.sentences for n in s.citations}
    used |= {n for f in answer.contested for n in f["citations"] + f["counter_citations"]}
    numbered = [c.n for c in answer.citations]
    whole = (
        numbered == list(range(1, len(numbered) + 1))
        and used == set(numbered)
        and all(s.citations for s in answer.sentences)
        and all(0 <= i < len(answer.sentences) for f in answer.contested for i in f["sentences"])
    )
    checks = []
    for c in answer.citations:
        text = assistant.store.article_text(c.article_id)
        in_article = text is not None and text[c.start : c.end] == c.quote
        in_passage = c.passage[c.start - c.passage_start : c.end - c.passage_start] == c.quote
        checks.append(whole and in_article and in_passage)
    return checks


def _metrics(scored: list[Scored], k: int) -> dict[str, float]:
    answerable = [s for s in scored if not s.case.abstain]
    abstained = [s for s in scored if s.answer.abstained]
    should = [s for s in scored if s.case.abstain]
    # Retrieval is scored on the cases that name the articles to find: a case with none (a
    # "the sources do not say" answer, a question that searches for its claim) has nothing
    # to hit, and counted as a miss it would pull both figures down.
    located = [s for s in answerable if s.case.sources]
    relevant = [set(s.case.sources) for s in located]
    result = {
        f"hits_at_{k}": rate(
            sum(metrics.hits_at(s.ranked, r, k) for s, r in zip(located, relevant, strict=True)),
            len(located),
        ),
        "mrr_at_10": rate(
            sum(
                metrics.reciprocal_rank(s.ranked, r, 10)
                for s, r in zip(located, relevant, strict=True)
            ),
            len(located),
        ),
        "answer_accuracy": rate(sum(s.correct for s in answerable), len(answerable)),
        "source_citation_rate": rate(sum(s.cites_source for s in answerable), len(answerable)),
        "abstention_precision": metrics.precision(
            sum(s.case.abstain for s in abstained), sum(not s.case.abstain for s in abstained)
        ),
        "abstention_recall": metrics.recall(
            sum(s.answer.abstained for s in should), sum(not s.answer.abstained for s in should)
        ),
        "citation_integrity": rate(
            sum(sum(s.intact) for s in scored), sum(len(s.intact) for s in scored)
        )
        if any(s.intact for s in scored)
        else 1.0,
    }
    answered = [s for s in scored if not s.answer.abstained]
    per_sentence = [b for s in answered for b in s.backed]
    result["citation_recall"] = rate(sum(any(b) for b in per_sentence), len(per_sentence))
    result["citation_precision"] = rate(
        sum(sum(b) for b in per_sentence), sum(len(b) for b in per_sentence)
    )
    checked = [s for s in scored if s.case.contested is not None]
    for kind in CONTESTED_KINDS:
        tp = sum(kind in s.kinds and kind in s.case.contested for s in checked)
        fp = sum(kind in s.kinds and kind not in s.case.contested for s in checked)
        fn = sum(kind not in s.kinds and kind in s.case.contested for s in checked)
        result[f"flag_precision_{kind}"] = metrics.precision(tp, fp)
        result[f"flag_recall_{kind}"] = metrics.recall(tp, fn)
    # Softer labels are only listed where a case expects them, so only their recall is known.
    for kind in SOFT_KINDS:
        expecting = [s for s in checked if kind in s.case.contested]
        if expecting:
            result[f"flag_recall_{kind}"] = rate(
                sum(kind in s.kinds for s in expecting), len(expecting)
            )
    dated = [s for s in scored if s.case.first_reported]
    if dated:
        result["update_accuracy"] = rate(sum(s.update_right for s in dated), len(dated))
    seconds = [s.seconds for s in scored]
    result["latency_p50_s"] = metrics.percentile(seconds, 50)
    result["latency_p95_s"] = metrics.percentile(seconds, 95)
    return result

"""The RGB counterfactual protocol: does the assistant flag a question whose sources disagree?

RGB (Chen et al., 2023), counterfactual-robustness split: each row has a question, its answer, a
``fakeanswer``, web passages stating the answer (``positive``), the same passages with the answer
swapped for the fake one (``positive_wrong``) and distractors (``negative``). Per row two corpora
are indexed:

* **disputed**: ``positive`` as one outlet, ``positive_wrong`` as another, ``negative`` as
  distractors, each from its own outlet. The answer should carry a ``conflict`` flag whose two
  sides cite both outlets.
* **clean**: ``positive`` + ``negative`` only. No ``conflict`` flag should appear.

Metrics: ``conflict_flag_rate`` and ``both_sides_cited_rate`` on the disputed corpora,
``false_conflict_rate`` on the clean ones, and ``answer_accuracy`` (the true answer appears in
the answer) on each.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, field_validator

from assistant.embeddings import SentenceEmbeddings
from assistant.evaluation.corpus import scratch_assistant
from assistant.evaluation.data import load_rows
from assistant.evaluation.report import EvalReport, rate
from assistant.types import Answer

TRUE_OUTLET = "Outlet A"
FAKE_OUTLET = "Outlet B"

Progress = Callable[[int, int], None]


class RgbCase(BaseModel):
    query: str
    answer: list[str]  # any one is the right answer
    fakeanswer: str
    positive: list[str]
    positive_wrong: list[str]
    negative: list[str] = []

    @field_validator("answer", mode="before")
    @classmethod
    def _flatten(cls, value: Any) -> list[str]:
        # RGB writes an answer as a string, a list, or a list of lists of spellings.
        if isinstance(value, str):
            return [value]
        flat: list[str] = []
        for item in value or []:
            flat.extend(item if isinstance(item, list) else [item])
        return [str(a) for a in flat]


def load_cases(path: Path) -> list[RgbCase]:
    """Rows of an RGB-format ``.jsonl`` file; a bad line is reported with its number."""
    return load_rows(path, RgbCase, "RGB counterfactual .jsonl")


def corpus(case: RgbCase, *, disputed: bool) -> list[dict[str, str]]:
    """The articles of one question: each passage is an article of its outlet."""
    records = _outlet(case.positive, TRUE_OUTLET, "true")
    if disputed:
        records += _outlet(case.positive_wrong, FAKE_OUTLET, "fake")
    for i, text in enumerate(case.negative, start=1):
        records.append(
            {
                "id": f"other-{i}",
                "title": f"Other report {i}",
                "outlet": f"Outlet N{i}",
                "text": text,
            }
        )
    return records


def _outlet(passages: list[str], outlet: str, key: str) -> list[dict[str, str]]:
    return [
        {"id": f"{key}-{i}", "title": f"{outlet} report {i}", "outlet": outlet, "text": text}
        for i, text in enumerate(passages, start=1)
    ]


def states_answer(answer: Answer, spellings: list[str]) -> bool:
    text = " ".join(" ".join(s.text.split()) for s in answer.sentences).lower()
    return any(" ".join(a.split()).lower() in text for a in spellings)


def conflict_outlets(answer: Answer) -> list[set[str]]:
    """For each ``conflict`` flag, the outlets its citations and counter-citations point at."""
    outlet_of = {c.n: c.outlet for c in answer.citations}
    return [
        {outlet_of[n] for n in flag["citations"] + flag["counter_citations"] if n in outlet_of}
        for flag in answer.contested
        if flag["kind"] == "conflict"
    ]


def run(
    path: Path,
    embeddings: SentenceEmbeddings,
    *,
    limit: int | None = None,
    progress: Progress | None = None,
) -> EvalReport:
    cases = load_cases(path)[:limit]
    started = time.perf_counter()
    counts = dict.fromkeys(
        ("flagged", "both_sides", "false_flags", "correct_disputed", "correct_clean"), 0
    )
    failures: list[dict[str, Any]] = []
    for done, case in enumerate(cases, start=1):
        disputed = _ask(case, embeddings, disputed=True)
        clean = _ask(case, embeddings, disputed=False)
        sides = conflict_outlets(disputed)
        flagged, both = bool(sides), any({TRUE_OUTLET, FAKE_OUTLET} <= s for s in sides)
        false_flag = bool(conflict_outlets(clean))
        counts["flagged"] += flagged
        counts["both_sides"] += both
        counts["false_flags"] += false_flag
        counts["correct_disputed"] += states_answer(disputed, case.answer)
        counts["correct_clean"] += states_answer(clean, case.answer)
        if not both or false_flag:
            failures.append(_failure(case, disputed, clean, both=both, false_flag=false_flag))
        if progress:
            progress(done, len(cases))
    n = len(cases)
    return EvalReport(
        suite="rgb",
        source=str(path),
        cases=n,
        metrics={
            "conflict_flag_rate": rate(counts["flagged"], n),
            "both_sides_cited_rate": rate(counts["both_sides"], n),
            "false_conflict_rate": rate(counts["false_flags"], n),
            "answer_accuracy_disputed": rate(counts["correct_disputed"], n),
            "answer_accuracy_clean": rate(counts["correct_clean"], n),
        },
        counts=counts,
        failures=failures,
        seconds=time.perf_counter() - started,
    )


def _ask(case: RgbCase, embeddings: SentenceEmbeddings, *, disputed: bool) -> Answer:
    with scratch_assistant(corpus(case, disputed=disputed), embeddings) as assistant:
        return assistant.ask(case.query)


def _failure(
    case: RgbCase, disputed: Answer, clean: Answer, *, both: bool, false_flag: bool
) -> dict[str, Any]:
    problems = []
    if not both:
        problems.append("disputed corpus: no conflict flag citing both outlets")
    if false_flag:
        problems.append("clean corpus: a conflict flag where the sources agree")
    return {
        "question": case.query,
        "expected": case.answer,
        "fake": case.fakeanswer,
        "problems": problems,
        "got_disputed": disputed.answer,
        "got_clean": clean.answer,
        "contested_disputed": disputed.contested,
        "contested_clean": clean.contested,
    }

"""``assistant eval``: which suites to run, one loaded encoder for all of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.config import Settings
from assistant.embeddings import SentenceEmbeddings
from assistant.errors import InputError
from assistant.evaluation import climate_fever, evalset, multihop, rgb
from assistant.evaluation.corpus import scratch_index
from assistant.evaluation.report import EvalReport
from assistant.judges import Judges
from assistant.service import Assistant

DEFAULT_EVALS = Path("evals")
# Files in evals/ that are not eval sets.
NOT_EVAL_SETS = {"thresholds.yaml"}

SuiteProgress = Callable[[str, int, int], None]


@dataclass
class Run:
    eval_sets: list[Path] | None = None
    rgb: Path | None = None
    multihop: Path | None = None
    climate_fever: Path | None = None
    limit: int | None = None
    settings: Settings | None = None

    @property
    def external(self) -> bool:
        return any(p is not None for p in (self.rgb, self.multihop, self.climate_fever))

    def eval_set_paths(self) -> list[Path]:
        """Named eval sets; with none named and no benchmark asked for, all of ``evals/``."""
        if self.eval_sets:
            return list(self.eval_sets)
        if self.external:
            return []
        found = sorted(p for p in DEFAULT_EVALS.glob("*.yaml") if p.name not in NOT_EVAL_SETS)
        if not found:
            raise InputError(f"No eval sets in {DEFAULT_EVALS}/; name one, e.g. evals/demo.yaml.")
        return found


def run_all(plan: Run, *, progress: SuiteProgress | None = None) -> list[EvalReport]:
    settings = plan.settings or Settings()
    paths = plan.eval_set_paths()
    sets = [evalset.load(p) for p in paths]  # every file checked before the slow part starts
    embeddings = SentenceEmbeddings(settings.embedding)
    reports = []
    for eval_set in sets:
        reports.append(_run_set(eval_set, embeddings, settings, plan.limit, progress))
    if plan.multihop is not None:
        reports.append(
            multihop.run(
                plan.multihop, embeddings, limit=plan.limit, progress=_for("multihop", progress)
            )
        )
    if plan.climate_fever is not None:
        reports.append(
            climate_fever.run(
                plan.climate_fever,
                embeddings,
                Judges.from_settings(settings.judges),
                limit=plan.limit,
                rules=settings.rules,
                progress=_for("climate-fever", progress),
            )
        )
    if plan.rgb is not None:
        reports.append(
            rgb.run(plan.rgb, embeddings, limit=plan.limit, progress=_for("rgb", progress))
        )
    return reports


def _run_set(
    eval_set: evalset.EvalSet,
    embeddings: SentenceEmbeddings,
    settings: Settings,
    limit: int | None,
    progress: SuiteProgress | None,
) -> EvalReport:
    step = _for(eval_set.name, progress)
    if eval_set.corpus is None:
        # No corpus of its own: the set is about the user's index as it stands.
        assistant = Assistant(settings, embeddings=embeddings)
        return evalset.run(eval_set, assistant, limit=limit, progress=step)
    with scratch_index(eval_set.corpus, embeddings, settings) as assistant:
        return evalset.run(eval_set, assistant, limit=limit, progress=step)


def _for(suite: str, progress: SuiteProgress | None) -> Callable[[int, int], None] | None:
    if progress is None:
        return None
    return lambda done, total: progress(suite, done, total)

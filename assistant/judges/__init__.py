"""The learned judges: relevance (does a sentence answer a question) and entailment (does
evidence back, contradict or not speak to a claim), as sentence-transformers cross-encoders.
The shipped ones are trained by ``make train-judges``; the settings name any other."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.config import JudgeSettings
from assistant.inference.cpu import chosen_precision
from assistant.judges import models
from assistant.judges.entailment import CrossEncoderEntailment, Entailment, EntailmentJudge
from assistant.judges.relevance import CrossEncoderRelevance, RelevanceJudge

__all__ = [
    "CrossEncoderEntailment",
    "CrossEncoderRelevance",
    "Entailment",
    "EntailmentJudge",
    "Judges",
    "RelevanceJudge",
]


@dataclass(frozen=True)
class Judges:
    relevance: RelevanceJudge
    entailment: EntailmentJudge
    settings: JudgeSettings

    @classmethod
    def from_settings(cls, settings: JudgeSettings) -> Judges:
        """The judges the settings name (loaded on first use, once per process)."""
        relevance = settings.relevance_model or models.shipped("relevance")
        entailment = settings.entailment_model or models.shipped("entailment")
        precision = settings.precision
        return cls(
            CrossEncoderRelevance(relevance, *_running(settings), chosen_precision(precision)),
            # Under auto, fp32 always: int8 moved its verdicts (see JudgeSettings.precision).
            CrossEncoderEntailment(
                entailment, *_running(settings), "fp32" if precision == "auto" else precision
            ),
            settings,
        )

    def load(self) -> None:
        """Load both now (merging shipped deltas the first time): a broken setting is reported
        at start, and the first question does not wait for the models."""
        for judge in (self.relevance, self.entailment):
            if isinstance(judge, models.CrossEncoderJudge):
                judge.load()


def _running(settings: JudgeSettings) -> tuple:
    return settings.cache_dir, settings.batch_size, settings.backend

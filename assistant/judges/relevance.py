"""The relevance judge: (question, sentence) → probability that the sentence answers it.

It chooses the sentences of an extractive answer and decides when to abstain: a sentence about
another ship, base, year or country than the one asked about does not answer, however many of
the question's words it shares.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from assistant.judges import models


class RelevanceJudge(Protocol):
    def score(self, question: str, texts: Sequence[str]) -> np.ndarray:
        """One probability (0-1) per text that it answers ``question``."""
        ...


class CrossEncoderRelevance(models.CrossEncoderJudge):
    """A cross-encoder with one output (a logit, read through a sigmoid) or an NLI-style
    two-label head whose "answers"/"entailment" column is read through a softmax."""

    def score(self, question: str, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros(0)
        logits = self.logits([(question, t) for t in texts])
        if logits.ndim == 1:
            return models.sigmoid(logits)
        return models.softmax(logits)[:, _positive_column(self.id2label)]


def _positive_column(id2label: dict) -> int:
    for index, label in id2label.items():
        if str(label).lower() in ("answers", "entailment", "relevant", "label_1", "1"):
            return int(index)
    return len(id2label) - 1

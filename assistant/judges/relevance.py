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
        model = self.load()
        logits = np.asarray(
            model.predict(
                [(question, t) for t in texts],
                batch_size=self.batch_size,
                activation_fn=_identity(),
                show_progress_bar=False,
            ),
            dtype=float,
        )
        if logits.ndim == 1:
            return 1 / (1 + np.exp(-logits))
        probs = np.exp(logits - logits.max(-1, keepdims=True))
        probs /= probs.sum(-1, keepdims=True)
        return probs[:, _positive_column(model.config.id2label)]


def _identity():
    import torch

    return torch.nn.Identity()


def _positive_column(id2label: dict) -> int:
    for index, label in id2label.items():
        if str(label).lower() in ("answers", "entailment", "relevant", "label_1", "1"):
            return int(index)
    return len(id2label) - 1

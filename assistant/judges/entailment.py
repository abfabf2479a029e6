"""The entailment judge: (evidence, claim) → entails / neutral / contradicts.

It drives the support judge (claim check, citation check, ``supported`` of every answer
sentence), the conflict judge (two sources disagree) and denials found in other articles.
Any NLI cross-encoder can stand in: its columns are read by the labels in its config.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from assistant.judges import models


@dataclass(frozen=True)
class Entailment:
    entails: float
    neutral: float
    contradicts: float

    @property
    def label(self) -> str:
        best = max(self.entails, self.neutral, self.contradicts)
        if best == self.entails:
            return "entails"
        return "contradicts" if best == self.contradicts else "neutral"


class EntailmentJudge(Protocol):
    def judge(self, pairs: Sequence[tuple[str, str]]) -> list[Entailment]:
        """One ``Entailment`` per (evidence, claim) pair, in one batch."""
        ...


class CrossEncoderEntailment(models.CrossEncoderJudge):
    def judge(self, pairs: Sequence[tuple[str, str]]) -> list[Entailment]:
        if not pairs:
            return []
        columns = label_columns(self.id2label)
        probs = models.softmax(np.atleast_2d(self.logits(pairs)))
        return [
            Entailment(
                entails=float(row[columns["entailment"]]),
                neutral=float(row[columns["neutral"]]) if "neutral" in columns else 0.0,
                contradicts=float(row[columns["contradiction"]]),
            )
            for row in probs
        ]


def label_columns(id2label: dict) -> dict[str, int]:
    """Which column is which: "entailment", "contradiction", "neutral" (any case); a two-label
    model's "not_entailment" stands for contradiction."""
    columns = {}
    for index, label in id2label.items():
        name = str(label).lower()
        if name.startswith("entail"):
            columns["entailment"] = int(index)
        elif name.startswith("contradict") or name in ("not_entailment", "refutes"):
            columns["contradiction"] = int(index)
        elif name.startswith("neutral"):
            columns["neutral"] = int(index)
    if "entailment" not in columns or "contradiction" not in columns:
        msg = (
            f"The entailment model's labels {sorted(map(str, id2label.values()))} do not "
            "name entailment and contradiction; use an NLI cross-encoder."
        )
        raise ValueError(msg)
    return columns

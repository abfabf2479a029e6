"""When two sources disagree about one fact.

``ConflictJudge`` is the interface for "do these two sentences disagree?", over a batch of
sentences from other sources. ``ValueConflictJudge`` calls two sentences in conflict when they
say nearly the same thing but give different values for it: a date, a number or a name.
``LearnedConflictJudge`` (the default) adds the entailment judge: sentences it reads as
contradicting the claim outright conflict even with no value to tell them apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import takewhile
from typing import TYPE_CHECKING, Protocol

from assistant.config import RuleSettings
from assistant.values import compared_values, content_words, restated, wording_similarity

if TYPE_CHECKING:
    from assistant.config import JudgeSettings
    from assistant.judges import Entailment, EntailmentJudge


@dataclass(frozen=True)
class Judgement:
    """``differs_in`` (date, year, number or name) and the values only each side states,
    normalised as ``values`` gives them, when a value is what differs."""

    conflict: bool
    reason: str = ""
    differs_in: str = ""
    mine: tuple[str, ...] = ()
    theirs: tuple[str, ...] = ()


class ConflictJudge(Protocol):
    """Decides whether sentences from other sources contradict a claim."""

    def judge_many(
        self, claim: str, others: Sequence[str], similarities: Sequence[float]
    ) -> list[Judgement]:
        """One ``Judgement`` per other sentence; ``similarities``: cosines with the values
        masked on both sides."""
        ...

    def first_conflict(
        self, claim: str, others: Sequence[str], similarities: Sequence[float]
    ) -> tuple[int, Judgement] | None:
        """The nearest other sentence (highest ``similarities``, the first listed among
        equals) that conflicts with the claim, and why; ``None`` when none does."""
        ...


def nearest_first(similarities: Sequence[float]) -> list[int]:
    """Indices by falling similarity, the first listed first among equals."""
    return sorted(range(len(similarities)), key=lambda i: -similarities[i])


class ValueConflictJudge:
    """Two near-identical statements that differ in a value contradict each other.

    Whether they speak of the same fact is read two ways. ``similarity`` (cosine of the two
    sentences with their values masked) catches paraphrases; the wording catches one sentence
    reprinted with a value swapped, whose cosine the swapped names pull down. The values then
    say whether they agree: a value counts as different only if each side has one the other
    lacks ("on 28 January" vs "on 30 January", "704 times" vs "670 times").

    Paraphrases are held to more: names differ between any two of them, so a differing name
    needs a closer match; a differing year means they speak of different years, not that they
    disagree ("39 medals in 2018" / "37 medals in 2010"). Sentences with almost nothing but
    values ("Oct 6, 2021 ...") say too little to compare. Cosine thresholds were set on the demo
    corpus's pairs (same fact: 0.90-0.96; different events of one story: 0.77-0.78), the
    wording one on RGB's counterfactual pairs (see ``assistant eval --rgb``).
    """

    def __init__(self, rules: RuleSettings | None = None) -> None:
        rules = rules or RuleSettings()
        self.min_similarity = rules.conflict_min_similarity
        self.min_name_similarity = rules.conflict_min_name_similarity
        self.min_wording = rules.reprint_wording
        self.min_content_words = rules.conflict_min_content_words

    def judge_many(
        self, claim: str, others: Sequence[str], similarities: Sequence[float]
    ) -> list[Judgement]:
        return [self.judge(claim, o, s) for o, s in zip(others, similarities, strict=True)]

    def first_conflict(
        self, claim: str, others: Sequence[str], similarities: Sequence[float]
    ) -> tuple[int, Judgement] | None:
        for i in nearest_first(similarities):
            judgement = self.judge(claim, others[i], similarities[i])
            if judgement.conflict:
                return i, judgement
        return None

    def judge(self, claim: str, other: str, similarity: float) -> Judgement:
        if min(content_words(claim), content_words(other)) < self.min_content_words:
            return Judgement(False, "too little to compare")
        reprint = wording_similarity(claim, other) >= self.min_wording
        if similarity < self.min_similarity and not reprint:
            return Judgement(False, "different facts")
        mine, theirs = compared_values(claim, other, both_ways=True)
        for kind in ("date", "year", "number", "name"):
            only_mine, only_theirs = mine[kind] - theirs[kind], theirs[kind] - mine[kind]
            if kind == "name":
                only_mine = names_unwritten(only_mine, other)
                only_theirs = names_unwritten(only_theirs, claim)
            if not (only_mine and only_theirs):
                continue
            if not reprint:
                if kind == "year":
                    return Judgement(False, "different years")
                if kind == "name" and similarity < self.min_name_similarity:
                    continue
            mine_only, theirs_only = tuple(sorted(only_mine)), tuple(sorted(only_theirs))
            reason = f"{kind}: {', '.join(mine_only)} vs {', '.join(theirs_only)}"
            return Judgement(True, reason, kind, mine_only, theirs_only)
        return Judgement(False, "same values")


def names_unwritten(names: set[str], other: str) -> set[str]:
    """The ``names`` the ``other`` sentence does not write, run together or apart: "Nobel"
    is written by "#NobelPrize", and "NobelPrize" by "Nobel Prize". Only whole words count:
    "India" is not written by "Indiana", nor "Shell" by "a shell company"."""
    return {name for name in names if name not in _words_run_together(other)}


def _words_run_together(sentence: str) -> set[str]:
    """A sentence's capitalised words split where a hashtag or a camel-cased name joins them
    ("#NobelPrize": nobel, prize), and each two consecutive ones joined (nobelprize)."""
    words = [w.lower() for w in _CAPITALISED_PART.findall(sentence)]
    joined = {words[i] + words[i + 1] for i in range(len(words) - 1)}
    runs = {m.group(0).lower() for m in _CAMEL_CASED.finditer(sentence)}
    return set(words) | joined | runs


_CAPITALISED_PART = re.compile(r"[A-Z][a-z]+")
_CAMEL_CASED = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b")


class LearnedConflictJudge:
    """The value rules, checked by the entailment judge, and the judge's own contradictions.

    * A value conflict stands, whatever the judge reads.
    * With no value that differs, the judge's contradiction at ``judges.conflicts`` is a
      conflict ("will stop" against "will continue"), for sentences on the same fact (masked
      cosine at ``min_similarity`` of the value rules).
    Only the ``judges.conflict_pairs`` nearest sentences are read by the model (its cost).
    """

    def __init__(
        self, entailment: EntailmentJudge, rules: ValueConflictJudge, settings: JudgeSettings
    ) -> None:
        self.entailment = entailment
        self.rules = rules
        self.settings = settings

    def judge_many(
        self, claim: str, others: Sequence[str], similarities: Sequence[float]
    ) -> list[Judgement]:
        by_rules = self.rules.judge_many(claim, others, similarities)
        everyone = nearest_first(similarities)
        readings = self._readings(claim, others, similarities, by_rules, everyone)
        return [self._decide(rule, readings.get(i)) for i, rule in enumerate(by_rules)]

    def first_conflict(
        self, claim: str, others: Sequence[str], similarities: Sequence[float]
    ) -> tuple[int, Judgement] | None:
        """As ``judge_many`` decides, but the model reads only the sentences nearer than the
        first value conflict: none further can come first."""
        by_rules = self.rules.judge_many(claim, others, similarities)
        order = nearest_first(similarities)
        nearer = list(takewhile(lambda i: not by_rules[i].conflict, order))
        readings = self._readings(claim, others, similarities, by_rules, nearer)
        for i in order:
            judgement = self._decide(by_rules[i], readings.get(i))
            if judgement.conflict:
                return i, judgement
        return None

    def _readings(
        self,
        claim: str,
        others: Sequence[str],
        similarities: Sequence[float],
        by_rules: list[Judgement],
        candidates: list[int],
    ) -> dict[int, Entailment]:
        """The model's readings of those ``candidates`` among the ``judges.conflict_pairs``
        nearest sentences that speak of the claim's fact and that the value rules do not
        already call in conflict (their verdict stands whatever the model reads)."""
        nearest = set(nearest_first(similarities)[: self.settings.conflict_pairs])
        asked = [
            i
            for i in candidates
            if i in nearest
            and not by_rules[i].conflict
            and similarities[i] >= self.rules.min_similarity
        ]
        # Each side's figures as the other writes them, where they agree: the model weighs the
        # words ("will stop" against "will continue"), the rules the figures.
        pairs = [(restated(others[i], claim), restated(claim, others[i])) for i in asked]
        return dict(zip(asked, self.entailment.judge(pairs), strict=True))

    def _decide(self, rule: Judgement, reading: Entailment | None) -> Judgement:
        # The value rules stand: the small judge reads a sentence reprinted with one value
        # swapped as agreement (RGB's conflicts flagged fell from 0.62 to 0.25 when its
        # agreement could overrule them).
        if rule.conflict or reading is None:
            return rule
        if reading.contradicts >= self.settings.conflicts:
            return Judgement(True, "the sources say the opposite")
        return rule

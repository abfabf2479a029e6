"""Does a source sentence back a claim? The support judge shared by claim checks, citation
checks and every answer the assistant writes.

``SupportJudge`` is the interface: given a claim and evidence sentences with their cosines, say
for each ``supports``, ``contradicts`` or ``unrelated``. ``LearnedSupportJudge`` (the default)
asks the entailment judge, a cross-encoder the project trains, and keeps the rules below as
guards: a changed value never passes, a value the evidence does not give is not backed. The
rules alone are ``OfflineSupportJudge``, which reads three signals:

* **coverage**: how much of the claim's wording (stemmed terms, weighted by rarity when an IDF
  is given) the evidence contains. "Japan shot down the Il-20" against "Japan scrambled jets
  after an Il-20 flew by" covers Japan and Il-20 but not "shot down": not supported.
* **values**: dates, years, numbers and names. A claim that changes one of the evidence's values
  for the same fact is contradicted ("transited … on 12 January" vs "from 25 January to 26
  January … transited"); a claim that adds a value the evidence does not give is not supported.
* **negation**: the same statement, negated on one side only, is a contradiction.

Any other judge (an LLM, a larger NLI model through the settings) implements the same Protocol
and is compared on the evals.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from assistant.keyword import terms
from assistant.text import normalise
from assistant.values import REPRINT_WORDING, values, wording_similarity

if TYPE_CHECKING:
    from assistant.config import JudgeSettings
    from assistant.judges import Entailment, EntailmentJudge

EvidenceLabel = Literal["supports", "contradicts", "unrelated"]
IdfLookup = Callable[[str], float]

_NEGATION = re.compile(r"\b(?:not|no|never|none|neither|nor|cannot|without)\b|n't\b", re.I)
_VALUE_KINDS = ("date", "year", "number", "name")


@dataclass(frozen=True)
class EvidenceJudgement:
    label: EvidenceLabel
    score: float  # how strongly, 0-1: comparable within one judge, not across judges
    reason: str


@dataclass(frozen=True)
class Evidence:
    text: str
    similarity: float  # cosine with the claim
    # Text around the evidence (its headline, the sentence before) that may name what the
    # sentence leaves implicit; its values are not the evidence's.
    context: str = ""


class SupportJudge(Protocol):
    """Judges evidence sentences against a claim, in one batch."""

    def judge_many(self, claim: str, evidence: Sequence[Evidence]) -> list[EvidenceJudgement]:
        ...


class OfflineSupportJudge:
    """Coverage, values and negation; thresholds set on the demo corpus's claim cases."""

    def __init__(
        self,
        idf: IdfLookup | None = None,
        min_similarity: float = 0.45,
        min_coverage: float = 0.75,
        min_frame_coverage: float = 0.8,
        min_paraphrase_similarity: float = 0.65,
    ) -> None:
        self.idf = idf or (lambda _term: 1.0)
        self.min_similarity = min_similarity
        self.min_coverage = min_coverage
        self.min_frame_coverage = min_frame_coverage
        self.min_paraphrase_similarity = min_paraphrase_similarity

    def judge_many(self, claim: str, evidence: Sequence[Evidence]) -> list[EvidenceJudgement]:
        return [self.judge(claim, e.text, e.similarity, e.context) for e in evidence]

    def judge(
        self, claim: str, evidence: str, similarity: float, context: str = ""
    ) -> EvidenceJudgement:
        if normalise(claim, lower=True) == normalise(evidence, lower=True):
            return EvidenceJudgement("supports", 1.0, "the source says it word for word")
        if similarity < self.min_similarity:
            return EvidenceJudgement("unrelated", 1.0 - similarity, "about something else")
        mine, theirs = values(claim), values(evidence)
        reprint = wording_similarity(claim, evidence) >= REPRINT_WORDING
        changed = _changed_values(mine, theirs, names=reprint)
        around = f"{context} {evidence}"
        frame = self.coverage(claim, around, leave_out=_terms_of(changed))
        if changed and (frame >= self.min_frame_coverage or reprint):
            kind, (ours, source) = next(iter(changed.items()))
            return EvidenceJudgement(
                "contradicts",
                min(1.0, (frame + similarity) / 2),
                f"the claim gives the {kind} as {ours}, the source as {source}",
            )
        coverage = self.coverage(claim, around)
        same_statement = self.same_statement(coverage, similarity)
        if same_statement and _negated(claim) != _negated(evidence):
            return EvidenceJudgement(
                "contradicts", (coverage + similarity) / 2, "one side negates the other"
            )
        missing = _missing_values(mine, theirs) or _missing_names(mine["name"], around)
        if missing:
            return EvidenceJudgement(
                "unrelated", 1.0 - coverage / 2, f"the source does not give {missing}"
            )
        if same_statement:
            return EvidenceJudgement("supports", (coverage + similarity) / 2, "same statement")
        return EvidenceJudgement("unrelated", 1.0 - coverage, "only partly the same words")

    def same_statement(self, coverage: float, similarity: float) -> bool:
        """Whether two sentences speak of the same thing: most of the claim's words, or a
        close meaning."""
        return coverage >= self.min_coverage or similarity >= self.min_paraphrase_similarity

    def coverage(self, claim: str, evidence: str, leave_out: set[str] | None = None) -> float:
        """IDF-weighted share of the claim's terms found in the evidence, less ``leave_out``."""
        wanted = [t for t in dict.fromkeys(terms(claim)) if t not in (leave_out or set())]
        if not wanted:
            return 0.0
        found = set(terms(evidence))
        total = sum(self.idf(t) for t in wanted)
        return sum(self.idf(t) for t in wanted if t in found) / total if total else 0.0


class LearnedSupportJudge:
    """The entailment judge's reading, with the value rules as guards.

    * A changed date, year or number (the rules' "the claim gives the date as …") contradicts,
      whatever the model reads: small models miss a swapped figure.
    * A claim that adds a date, number or name the evidence never gives is not backed, nor
      refuted: the evidence speaks of another moment.
    * The model's contradiction (its most likely label, at ``judges.contradicts``) refutes the
      claim when the rules see the same statement (most of its words, or a close meaning):
      "will stop" against "will likely continue".
    * The model's entailment, at ``judges.entails``, backs the claim; so does the rules' "same
      statement" when the model does not refute it (paraphrased figures the model misses).
    * Evidence below ``judges.min_similarity`` is unrelated without a model call.
    """

    def __init__(
        self, entailment: EntailmentJudge, rules: OfflineSupportJudge, settings: JudgeSettings
    ) -> None:
        self.entailment = entailment
        self.rules = rules
        self.settings = settings

    def judge_many(self, claim: str, evidence: Sequence[Evidence]) -> list[EvidenceJudgement]:
        asked = [e for e in evidence if not self._settled(claim, e)]
        readings = iter(self.entailment.judge([(e.text, claim) for e in asked]))
        result = []
        for item in evidence:
            rule = self.rules.judge(claim, item.text, item.similarity, item.context)
            if self._settled(claim, item):
                result.append(rule)
            else:
                result.append(self._combine(next(readings), rule, claim, item))
        return result

    def _settled(self, claim: str, item: Evidence) -> bool:
        """Settled by the rules alone: the claim word for word, or evidence too far from it
        for the model to be worth asking."""
        same = normalise(claim, lower=True) == normalise(item.text, lower=True)
        return same or item.similarity < self.settings.min_similarity

    def _combine(
        self, reading: Entailment, rule: EvidenceJudgement, claim: str, item: Evidence
    ) -> EvidenceJudgement:
        if rule.label == "contradicts" and rule.reason.startswith("the claim gives"):
            score = max(rule.score, reading.contradicts)
            return EvidenceJudgement("contradicts", score, rule.reason)
        if rule.reason.startswith("the source does not give"):
            # A sentence without the claim's date or figure speaks of another moment; what the
            # model reads as contradiction there is mostly the missing value.
            return rule
        likely = reading.label == "contradicts"
        refuted = likely and reading.contradicts >= self.settings.contradicts
        if refuted and self._same_statement(claim, item):
            reason = rule.reason if rule.label == "contradicts" else "the source says otherwise"
            return EvidenceJudgement("contradicts", reading.contradicts, reason)
        if reading.entails >= self.settings.entails:
            return EvidenceJudgement("supports", reading.entails, "the source states it")
        if rule.label == "supports" and not refuted:
            return rule
        return EvidenceJudgement(
            "unrelated", max(reading.neutral, 1.0 - reading.entails), "the source does not say it"
        )

    def _same_statement(self, claim: str, item: Evidence) -> bool:
        # The small judge calls related sentences about another moment "contradiction"; only
        # a sentence on the same statement can refute the claim.
        coverage = self.rules.coverage(claim, f"{item.context} {item.text}")
        return self.rules.same_statement(coverage, item.similarity)


def _changed_values(
    mine: dict[str, list[str]] | dict[str, set[str]],
    theirs: dict[str, set[str]],
    *,
    names: bool,
) -> dict[str, tuple[str, str]]:
    """Kinds where each side has a value the other lacks: the claim changed the source's.
    Names count only for a reprinted sentence: elsewhere a name missing from one side is a
    detail left out, not a different one given."""
    changed = {}
    for kind in _VALUE_KINDS if names else _VALUE_KINDS[:-1]:
        ours, source = mine[kind] - theirs[kind], theirs[kind] - mine[kind]
        if ours and source:
            changed[kind] = (_shown(kind, ours), _shown(kind, source))
    return changed


def _shown(kind: str, found: set[str]) -> str:
    """Values as a reader writes them: dates as "12 January", not the month-day key."""
    if kind != "date":
        return ", ".join(sorted(found))
    keyed = sorted(tuple(int(x) for x in v.split("-")) for v in found)
    return ", ".join(f"{day} {calendar.month_name[month]}" for month, day in keyed)


def _terms_of(changed: dict[str, tuple[str, str]]) -> set[str]:
    """Search terms of the changed values, left out when comparing the rest of the wording."""
    return {t for pair in changed.values() for side in pair for t in terms(side)}


def _missing_values(mine: dict[str, set[str]], theirs: dict[str, set[str]]) -> str:
    """Dates, years and numbers of the claim that the evidence does not state."""
    missing = [v for kind in ("date", "year", "number") for v in sorted(mine[kind] - theirs[kind])]
    return ", ".join(missing)


def _missing_names(names: set[str], evidence: str) -> str:
    """Names of the claim the evidence never mentions ("the Bosporus" for "the Tsushima
    Strait"): a claim about another place or party is not backed by this sentence."""
    found = set(terms(evidence))
    return ", ".join(sorted(n for n in names if not set(terms(n.replace("_", " "))) <= found))


def _negated(text: str) -> bool:
    return bool(_NEGATION.search(text))


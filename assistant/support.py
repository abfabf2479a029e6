"""Does a source sentence back a claim? The support judge shared by claim checks, citation
checks and every answer the assistant writes.

``SupportJudge`` is the interface: given a claim, one evidence sentence and their cosine, say
``supports``, ``contradicts`` or ``unrelated``. No NLI weights can be downloaded here, so the
offline ``OfflineSupportJudge`` reads three signals:

* **coverage**: how much of the claim's wording (stemmed terms, weighted by rarity when an IDF
  is given) the evidence contains. "Japan shot down the Il-20" against "Japan scrambled jets
  after an Il-20 flew by" covers Japan and Il-20 but not "shot down": not supported.
* **values**: dates, years, numbers and names. A claim that changes one of the evidence's values
  for the same fact is contradicted ("transited … on 12 January" vs "from 25 January to 26
  January … transited"); a claim that adds a value the evidence does not give is not supported.
* **negation**: the same statement, negated on one side only, is a contradiction.

An NLI model or an LLM judge can implement the same Protocol and be compared on the evals.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from assistant.claims import REPRINT_WORDING, values, wording_similarity
from assistant.keyword import terms

EvidenceLabel = Literal["supports", "contradicts", "unrelated"]
IdfLookup = Callable[[str], float]

_NEGATION = re.compile(r"\b(?:not|no|never|none|neither|nor|cannot|without)\b|n't\b", re.I)
_VALUE_KINDS = ("date", "year", "number", "name")


@dataclass(frozen=True)
class EvidenceJudgement:
    label: EvidenceLabel
    score: float  # how strongly, 0-1: comparable within one judge, not across judges
    reason: str


class SupportJudge(Protocol):
    """Judges one evidence sentence against a claim."""

    def judge(
        self, claim: str, evidence: str, similarity: float, context: str = ""
    ) -> EvidenceJudgement:
        """``context``: text around the evidence (its headline, the sentence before) that may
        name what the sentence leaves implicit; its values are not the evidence's."""
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

    def judge(
        self, claim: str, evidence: str, similarity: float, context: str = ""
    ) -> EvidenceJudgement:
        if _normal(claim) == _normal(evidence):
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
        same_statement = (
            coverage >= self.min_coverage or similarity >= self.min_paraphrase_similarity
        )
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

    def coverage(self, claim: str, evidence: str, leave_out: set[str] | None = None) -> float:
        """IDF-weighted share of the claim's terms found in the evidence, less ``leave_out``."""
        wanted = [t for t in dict.fromkeys(terms(claim)) if t not in (leave_out or set())]
        if not wanted:
            return 0.0
        found = set(terms(evidence))
        total = sum(self.idf(t) for t in wanted)
        return sum(self.idf(t) for t in wanted if t in found) / total if total else 0.0


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


def _normal(text: str) -> str:
    return " ".join(text.lower().split())

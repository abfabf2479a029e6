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
* **negation**: the same statement, negated on one side only, is a contradiction; so is one
  that says the opposite word ("will stop" against "will likely continue", see
  ``assistant.opposites``).
* **roles**: a claim with who did what the other way round ("Russia supplies drone parts to
  China" against "Chinese companies shipped drone engines to Russia") is neither backed nor
  refuted by it (see ``assistant.roles``).
* **descriptions**: a claim that calls a name another nationality ("The Kareliya is a Chinese
  … ship" against "the Russian … ship Kareliya") is contradicted; evidence that describes
  another name as what the claim's name is ("the … ship CNS Beijixing") neither backs nor
  refutes it (see ``assistant.descriptions``).
* **comparisons**: a claim that compares with something ("more often than the year before")
  is not backed by evidence that makes no comparison (see ``assistant.opposites``).

Any other judge (an LLM, a larger NLI model through the settings) implements the same Protocol
and is compared on the evals.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal, Protocol

from assistant.config import RuleSettings
from assistant.descriptions import another_of_its_kind, described_alike, described_otherwise
from assistant.keyword import terms
from assistant.opposites import (
    compared_wording,
    comparison_missing,
    opposed_word,
    other_side_missing,
    same_direction,
)
from assistant.roles import (
    receiver_acts,
    receiver_does,
    replaced_the_other_way,
    swapped_roles,
    verb_roles,
)
from assistant.text import negated, negated_word, normalise, unnegated_words
from assistant.values import (
    COUNTRY_FORMS,
    NATIONALITIES,
    compared_values,
    counted_otherwise,
    figures,
    restated,
    said_within,
    same_name,
    shares,
    values,
    wording_similarity,
)

if TYPE_CHECKING:
    from assistant.config import JudgeSettings
    from assistant.judges import Entailment, EntailmentJudge
    from assistant.values import Figure

EvidenceLabel = Literal["supports", "contradicts", "unrelated"]
IdfLookup = Callable[[str], float]

_VALUE_KINDS = ("date", "month", "year", "number", "name")
# Pronouns as ``terms`` gives them ("its" as "it"): the search's stop words leave them in, but
# they state nothing the evidence must hold ("Japan scrambled its fighters" is what "Japan
# scrambled fighter jets" says).
_PRONOUNS = frozenset(
    ["it", "his", "her", "our", "my", "mine", "your", "him", "them", "we", "you", "he", "she",
     "i", "me", "us"]
)  # fmt: skip
_CHANGED = "the claim gives the "
_CALLED = "the claim calls "  # a name described otherwise: a changed value too
_MODEL_BACKS = "the source states it"
MODEL_CONTRADICTS = "the source says otherwise"  # the model's reading, no rule's reason
MODEL_UNSURE = "the source does not say it"  # neither label on the model's reading, no rule's
_SAID_WITHIN = "the source says it word for word, with more detail"
_SWAPPED = "the source has the roles the other way round: "
_ANOTHER = "the source speaks of another "
_COMPARED_ALIKE = "the source makes the same comparison: "
_PART_OF_MONTH = frozenset(terms("early late mid"))


@dataclass(frozen=True)
class EvidenceJudgement:
    label: EvidenceLabel
    score: float  # how strongly, 0-1: comparable within one judge, not across judges
    reason: str

    @property
    def changes_a_value(self) -> bool:
        """Contradicted because the claim changes a date, year or number the evidence gives
        for the same fact, or turns its word into the opposite: the rules' strongest
        reading."""
        return self.label == "contradicts" and self.reason.startswith((_CHANGED, _CALLED))

    @property
    def swaps_roles(self) -> bool:
        """Unrelated because the evidence has who did what the other way round: what it says
        (or denies) is another statement, whatever the model reads of the shared words."""
        return self.label == "unrelated" and self.reason.startswith(_SWAPPED)

    @property
    def speaks_of_another(self) -> bool:
        """Unrelated because the evidence describes another name as what the claim's name is
        ("the … ship CNS Beijixing" for a claim about the Kareliya)."""
        return self.label == "unrelated" and self.reason.startswith(_ANOTHER)

    @property
    def left_open(self) -> bool:
        """Neither backed nor refuted, on the model's reading alone (no rule's reason): what a
        closer reading (of what a denial denies) may still settle."""
        return self.label == "unrelated" and self.reason == MODEL_UNSURE

    @property
    def compares_alike(self) -> bool:
        """Backed because the evidence compares the same thing with the same thing in the same
        direction, in another word ("fewer" where it says "lower")."""
        return self.label == "supports" and self.reason.startswith(_COMPARED_ALIKE)

    @property
    def backed_by_model(self) -> bool:
        """Backed on the entailment judge's reading (not on the rules' word-for-word or
        same-statement reading)."""
        return self.label == "supports" and self.reason == _MODEL_BACKS


@dataclass(frozen=True)
class Evidence:
    text: str
    similarity: float  # cosine with the claim
    # Text around the evidence (its headline, the sentence before) that may name what the
    # sentence leaves implicit; its values are not the evidence's.
    context: str = ""
    # The sentence as the entailment judge reads it: with what "the vessel" points back at
    # named (candidates.with_its_referents_named); the sentence itself when empty.
    read_as: str = ""

    @property
    def reading(self) -> str:
        return self.read_as or self.text


class SupportJudge(Protocol):
    """Judges evidence sentences against a claim, in one batch."""

    def judge_many(self, claim: str, evidence: Sequence[Evidence]) -> list[EvidenceJudgement]: ...


class OfflineSupportJudge:
    """Coverage, values and negation; thresholds in ``Settings.rules``."""

    def __init__(self, idf: IdfLookup | None = None, rules: RuleSettings | None = None) -> None:
        self.idf = idf or (lambda _term: 1.0)
        self.rules = rules or RuleSettings()

    def judge_many(self, claim: str, evidence: Sequence[Evidence]) -> list[EvidenceJudgement]:
        return [self.judge(claim, e.text, e.similarity, e.context) for e in evidence]

    def judge(
        self, claim: str, evidence: str, similarity: float, context: str = ""
    ) -> EvidenceJudgement:
        if normalise(claim, lower=True) == normalise(evidence, lower=True):
            return EvidenceJudgement("supports", 1.0, "the source says it word for word")
        if _said_within(claim, evidence):
            return EvidenceJudgement("supports", 1.0, _SAID_WITHIN)
        if similarity < self.rules.support_min_similarity:
            return EvidenceJudgement("unrelated", 1.0 - similarity, "about something else")
        mine, theirs = compared_values(claim, evidence)
        reprint = wording_similarity(claim, evidence) >= self.rules.reprint_wording
        changed = _changed_values(mine, theirs, names=reprint)
        if "number" in changed and _share_against_count(claim, evidence, mine, theirs):
            del changed["number"]  # "about 64 percent of the scrambles" changes no "704 times"
        around = f"{context} {evidence}"
        beside_month = _beside_month(claim, changed)
        figure_words = _figure_words(claim, mine["number"] - theirs["number"]) if changed else set()
        frame = self.coverage(
            claim, around, leave_out=_terms_of(changed) | beside_month | figure_words
        )
        if changed and (frame >= self.rules.support_min_frame_coverage or reprint):
            kind, (ours, source) = next(iter(changed.items()))
            return EvidenceJudgement(
                "contradicts",
                min(1.0, (frame + similarity) / 2),
                f"{_CHANGED}{kind} as {ours}, the source as {source}",
            )
        if otherwise := self._described_otherwise(claim, evidence, similarity):
            return otherwise
        if otherwise := self._counted_otherwise(claim, evidence, around, (mine, theirs)):
            return replace(otherwise, score=(otherwise.score + similarity) / 2)
        # The words of a figure the evidence gives another way ("more than three in five" for
        # "about 64 percent") are that figure, met: not words the evidence lacks.
        met = {f.key for f in figures(claim)} - mine["number"]
        coverage = self.coverage(
            claim, around, leave_out=_figure_words(claim, met) - set(terms(around))
        )
        same_statement = self.same_statement(coverage, similarity)
        if same_statement and negates_otherwise(claim, evidence):
            return EvidenceJudgement(
                "contradicts", (coverage + similarity) / 2, "one side negates the other"
            )
        if flipped := self._flipped_word(claim, evidence, around):
            return replace(flipped, score=(flipped.score + similarity) / 2)
        if replaced := self._replaced_the_other_way(claim, evidence):
            return replace(replaced, score=similarity)
        if swapped := self._swapped_roles(claim, evidence) or self.another(claim, evidence, around):
            return replace(swapped, score=1.0 - similarity / 2)
        missing = self.unstated(claim, (mine, theirs), context, evidence) or _missing_names(
            mine["name"], around
        )
        if missing:
            return EvidenceJudgement(
                "unrelated", 1.0 - coverage / 2, f"the source does not give {missing}"
            )
        if alike := self._compared_alike(claim, evidence, around):
            return replace(alike, score=(alike.score + similarity) / 2)
        if same_statement:
            return EvidenceJudgement("supports", (coverage + similarity) / 2, "same statement")
        return EvidenceJudgement("unrelated", 1.0 - coverage, "only partly the same words")

    def _compared_alike(self, claim: str, evidence: str, around: str) -> EvidenceJudgement | None:
        """Backed by the same comparison in another word ("Japan scrambled fewer jets in
        fiscal 2024 than the year before" by "The number was lower than the year before"
        under the headline "Japan scrambled fighter jets 704 times in fiscal 2024"): both
        compare with the same thing, in the same direction, neither negated, with the claim's
        other words around the evidence as for a changed value (``rules.comparatives_alike``)."""
        if not self.rules.comparatives_alike or negated(claim) or negated(evidence):
            return None
        if (found := same_direction(claim, evidence)) is None:
            return None
        ours, source = found
        alike = f"{ours} {source} {compared_wording(claim)}"
        frame = self.coverage(claim, around, leave_out=set(terms(alike)))
        if frame < self.rules.support_min_frame_coverage:
            return None
        return EvidenceJudgement("supports", frame, f"{_COMPARED_ALIKE}“{ours}” as “{source}”")

    def _counted_otherwise(
        self,
        claim: str,
        evidence: str,
        around: str,
        compared: tuple[dict[str, set[str]], dict[str, set[str]]],
    ) -> EvidenceJudgement | None:
        """Contradicted by a figure of the same thing that cannot be the claim's ("about a
        dozen warships" against "more than 20 warships") in the same statement: of the same
        moment, with half the claim's other words around the evidence (its frame, as for a
        changed value). "Three ships entered the Tsushima Strait on Monday" is not refuted by
        "five ships left port", nor "Russia sent 5 warships to the Sea of Japan" by "Russia's
        Pacific Fleet keeps about 40 warships in the Sea of Japan", though both name the same
        places (sharing the names was enough before review found that case)."""
        if not (found := _counted_of_the_same_moment(claim, evidence, compared)):
            return None
        ours, given, stated = found
        counted = set(terms(f"{given} {stated} {_word_after(claim, ours.end)}"))
        frame = self.coverage(claim, around, leave_out=counted)
        if frame < self.rules.counted_min_frame_coverage:
            return None
        return EvidenceJudgement(
            "contradicts", frame, f"{_CHANGED}number as {given}, the source as {stated}"
        )

    def counted_as_the_evidence(self, claim: str, evidence: str) -> tuple[str, str, str] | None:
        """The claim with the evidence's figure in place of its own where the two count the
        same thing, of the same moment, and cannot both be true ("Misawa will field two dozen
        F-35As" as "Misawa will field 48 F-35As"), with both figures as written; None
        otherwise. Whether the rest is the same statement is the model's to read: the rules'
        frame misses a verb the corpus never uses ("field")."""
        found = _counted_of_the_same_moment(claim, evidence, compared_values(claim, evidence))
        if not found:
            return None
        ours, given, stated = found
        return claim[: ours.start] + stated + claim[ours.end :], given, stated

    def _flipped_word(self, claim: str, evidence: str, around: str) -> EvidenceJudgement | None:
        """Contradicted by the opposite word in the same statement ("China and Russia will
        stop their military activity" against "Russia and China will likely continue expanding
        their military activity"): most of the claim's other words around the evidence
        (``rules.opposite_min_frame_coverage``, fewer than a changed value needs: the opposite
        of a direction often comes with another verb, "keeping further away" against "flying
        closer"), and neither side negated ("did not stop" is "continued"). Comparatives
        against the same thing ("higher than expected" / "lower than expected") need the frame
        of a changed value: "inflation" and "unemployment" may be all that differs."""
        if not self.rules.opposite_words or negated(claim) or negated(evidence):
            return None
        levels = (
            (False, self.rules.opposite_min_frame_coverage),
            (True, self.rules.support_min_frame_coverage),
        )
        for comparatives, least in levels:
            found = opposed_word(claim, evidence, comparatives=comparatives)
            if found is None:
                continue
            ours, source = found
            compared = f"{compared_wording(claim)} {_adverb_after(claim, ours)}"
            flipped = f"{ours} {source} {compared if comparatives else ''}"
            frame = self.coverage(claim, around, leave_out=set(terms(flipped)))
            if frame >= least:
                reason = f"{_CHANGED}opposite word: “{ours}” where the source says “{source}”"
                return EvidenceJudgement("contradicts", frame, reason)
        return None

    def _replaced_the_other_way(self, claim: str, evidence: str) -> EvidenceJudgement | None:
        """Contradicted where the evidence has the newcomer and the one replaced the other way
        round (``roles.replaced_the_other_way``): a replacement goes one way only."""
        if not self.rules.role_swaps or not verb_roles(claim):
            return None
        if not (found := replaced_the_other_way(claim, evidence)):
            return None
        newcomer, replaced = found
        reason = f"{_CHANGED}replacement the other way round: {newcomer} replacing {replaced}"
        return EvidenceJudgement("contradicts", 1.0, reason)

    def _swapped_roles(self, claim: str, evidence: str) -> EvidenceJudgement | None:
        """Another statement: a name that does in the claim receives in the evidence, and the
        other way round; or the claim's receiver of something sent acts in the evidence and
        receives nothing (``roles.receiver_acts``), or does what the claim does to it to someone
        unnamed (``roles.receiver_does``). The evidence is parsed only for a claim
        with names on both sides of a verb."""
        if not self.rules.role_swaps or not verb_roles(claim):
            return None
        if found := swapped_roles(claim, evidence):
            doer, receiver = found
            reason = f"the claim's {doer} acts on {receiver}, not the reverse"
        elif found := receiver_acts(claim, evidence):
            sender, receiver = found
            reason = f"the claim's {receiver} receives from {sender}; in the source it acts"
        elif found := receiver_does(claim, evidence):
            doer, receiver = found
            reason = f"the claim's {doer} acts on {receiver}; in the source {receiver} acts"
        else:
            return None
        return EvidenceJudgement("unrelated", 1.0, f"{_SWAPPED}{reason}")

    def unstated(
        self,
        claim: str,
        compared: tuple[dict[str, set[str]], dict[str, set[str]]],
        context: str,
        evidence: str,
    ) -> str:
        """What the claim states that the evidence, read after its ``context``, does not: a
        date, year or number (the evidence takes its moment from the context when it gives
        none), or a comparison (``rules.comparisons_given``); "" when it states it all."""
        mine, theirs = compared
        missing = _missing_values(mine, _with_moments_of(context, theirs))
        if missing or not self.rules.comparisons_given:
            return missing
        around = f"{context} {evidence}"
        if other := other_side_missing(claim, around):
            return f"{other}, what the claim sets against"
        found = comparison_missing(claim, around)
        return f"a comparison with “{found}”" if found else ""

    def _described_otherwise(
        self, claim: str, evidence: str, similarity: float
    ) -> EvidenceJudgement | None:
        """Contradicted by another nationality for the same name ("The Kareliya is a Chinese
        … ship" against "the Russian … ship Kareliya"), whatever else either says."""
        if not self.rules.descriptions or not (found := described_otherwise(claim, evidence)):
            return None
        name, ours, source = found
        reason = f"{_CALLED}{name} {ours}, the source calls it {source}"
        return EvidenceJudgement("contradicts", max(0.5, similarity), reason)

    def another(self, claim: str, evidence: str, around: str) -> EvidenceJudgement | None:
        """Another statement: the evidence describes another name as what the claim's name is,
        and neither it nor the text around it names the claim's."""
        if not self.rules.descriptions:
            return None
        if not (found := another_of_its_kind(claim, evidence, around)):
            return None
        name, other = found
        return EvidenceJudgement("unrelated", 1.0, f"{_ANOTHER}one: {other}, not {name}")

    def same_statement(self, coverage: float, similarity: float) -> bool:
        """Whether two sentences speak of the same thing: most of the claim's words, or a
        close meaning."""
        return (
            coverage >= self.rules.support_min_coverage
            or similarity >= self.rules.support_min_paraphrase_similarity
        )

    def coverage(self, claim: str, evidence: str, leave_out: set[str] | None = None) -> float:
        """IDF-weighted share of the claim's terms found in the evidence, less ``leave_out``."""
        left_out = (leave_out or set()) | _PRONOUNS
        wanted = [t for t in dict.fromkeys(terms(claim)) if t not in left_out]
        if not wanted:
            return 0.0
        found = set(terms(evidence))
        total = sum(self.idf(t) for t in wanted)
        return sum(self.idf(t) for t in wanted if t in found) / total if total else 0.0


class LearnedSupportJudge:
    """The entailment judge's reading, with the value rules as guards.

    * A changed date, year or number (the rules' "the claim gives the date as …") contradicts,
      whatever the model reads: small models miss a swapped figure.
    * A claim that states a date, year or number the evidence never gives is neither backed
      nor refuted by it: the evidence speaks of another moment. So is one that names what the
      sentence never names (``judges.readings_need_names``): another ship, another country;
      one whose roles the evidence has the other way round (``rules.role_swaps``); one the
      evidence speaks of another of its kind for (``rules.descriptions``); and one that
      compares with what the evidence never compares with (``rules.comparisons_given``).
    * A name called by another nationality contradicts, as a changed value does.
    * The model's contradiction, at ``judges.contradicts`` and at least its entailment,
      refutes the claim.
    * The model's entailment backs the claim at ``judges.entails``, or at the lower
      ``judges.entails_same_statement`` where the rules also read the same statement (most of
      its words, or a close meaning); the rules' "same statement" alone backs it where the
      model reads neither label. Neither backs it where the model reads more contradiction
      than entailment (``judges.backing_outweighs_contradiction``): "will likely continue"
      shares the words of "will stop". The rules alone never back it on a close meaning
      alone (a cosine, not most of the words) where the model leans that way
      (``judges.paraphrase_outweighs_contradiction``): a cosine a hair either side of its
      threshold must not decide against the judge's reading.
    * Evidence below ``judges.min_similarity`` is unrelated without a model call.

    The order and the thresholds were chosen on held-out splits of the judges' training
    corpora (HealthVer test in two halves, SciFact dev, COVID-Fact dev), never on the
    validation sets; ``benchmarks/support_combination.py`` reruns the comparison. Gating the
    model's contradiction behind the rules' "same statement", as this judge first did, scored
    0.28 HealthVer macro-F1 against 0.38-0.42 now: the rules read most rewordings as another
    statement. The lower entailment level needs the rules' "same statement", so that
    "the Il-20 … flew over the Sea of Okhotsk" (entailment 0.46) does not back "Japan shot
    down the Il-20".
    """

    def __init__(
        self, entailment: EntailmentJudge, rules: OfflineSupportJudge, settings: JudgeSettings
    ) -> None:
        self.entailment = entailment
        self.rules = rules
        self.settings = settings

    def judge_many(self, claim: str, evidence: Sequence[Evidence]) -> list[EvidenceJudgement]:
        settled = [self._settled(claim, e) for e in evidence]
        rules = [self.rules.judge(claim, e.text, e.similarity, e.context) for e in evidence]
        recounted = [
            None if done or rule.label == "contradicts" else self._recounted(claim, e.text)
            for e, done, rule in zip(evidence, settled, rules, strict=True)
        ]
        asked = [
            (e.reading, restated(claim, e.text))
            for e, done in zip(evidence, settled, strict=True)
            if not done
        ]
        recounted_pairs = [(e.reading, r[0]) for e, r in zip(evidence, recounted, strict=True) if r]
        shortened = [
            None if done else self._without_unmentioned(claim, e)
            for e, done in zip(evidence, settled, strict=True)
        ]
        shortened_pairs = [p for p in shortened if p]
        # One batch: the claim, the claim with the evidence's figure, the claim without its
        # "without" clause.
        readings = self.entailment.judge(asked + recounted_pairs + shortened_pairs)
        plain = iter(readings[: len(asked)])
        as_counted = iter(readings[len(asked) : len(asked) + len(recounted_pairs)])
        unsaid = iter(readings[len(asked) + len(recounted_pairs) :])
        result = []
        for item, done, rule, again, short in zip(
            evidence, settled, rules, recounted, shortened, strict=True
        ):
            if done:
                result.append(rule)
                continue
            reading = next(plain)
            without = next(unsaid) if short else None
            if again and (counted := self._counted_otherwise(next(as_counted), again)):
                result.append(counted)
            else:
                result.append(self._combine(reading, rule, claim, item, without))
        return result

    def _without_unmentioned(self, claim: str, item: Evidence) -> tuple[str, str] | None:
        """(evidence, the claim less its "without …" clause) for the judge to read, where the
        claim says something happened "without" what the sentence never mentions
        (``judges.unmentioned_negations_outweigh_contradiction``); None otherwise."""
        if not self.settings.unmentioned_negations_outweigh_contradiction:
            return None
        return without_unmentioned(claim, item.reading)

    def _recounted(self, claim: str, evidence: str) -> tuple[str, str, str] | None:
        if not self.settings.counts_read_as_the_evidence:
            return None
        return self.rules.counted_as_the_evidence(claim, evidence)

    def _counted_otherwise(
        self, reading: Entailment, recounted: tuple[str, str, str]
    ) -> EvidenceJudgement | None:
        """Contradicted where the evidence backs the claim once it is read with the evidence's
        figure (``judges.counts_read_as_the_evidence``): the figure is all that differs."""
        if reading.entails < max(self.settings.entails, reading.contradicts):
            return None
        _, given, stated = recounted
        return EvidenceJudgement(
            "contradicts", reading.entails, f"{_CHANGED}number as {given}, the source as {stated}"
        )

    def _settled(self, claim: str, item: Evidence) -> bool:
        """Settled by the rules alone: the claim word for word, or evidence too far from it
        for the model to be worth asking."""
        same = normalise(claim, lower=True) == normalise(item.text, lower=True)
        return (
            same or _said_within(claim, item.text) or item.similarity < self.settings.min_similarity
        )

    def _combine(
        self,
        reading: Entailment,
        rule: EvidenceJudgement,
        claim: str,
        item: Evidence,
        without: Entailment | None = None,
    ) -> EvidenceJudgement:
        if rule.changes_a_value:
            score = max(rule.score, reading.contradicts)
            return EvidenceJudgement("contradicts", score, rule.reason)
        if rule.swaps_roles or rule.speaks_of_another:
            return rule
        compared = compared_values(claim, item.text)
        missing = self.rules.unstated(claim, compared, item.context, item.text)
        if missing:
            return EvidenceJudgement(
                "unrelated", 1.0 - reading.entails, f"the source does not give {missing}"
            )
        leans_against = reading.contradicts > reading.entails
        named, unnamed = self._names(claim, item)
        # To back a claim a sentence must give all its names; to contradict it, one, or all
        # the rest of a claim whose subject is no name: "… through trading firms in Central
        # Asia" puts another place where "The engines were routed through trading firms in
        # Iran" has its one name.
        if unnamed and (
            not leans_against or (unnamed == named and not self._all_but_names(claim, item, named))
        ):
            shown = ", ".join(sorted(unnamed))
            return EvidenceJudgement(
                "unrelated", 1.0 - reading.entails, f"the source does not name {shown}"
            )
        if rule.compares_alike:  # the model reads "fewer" against "lower" as opposites
            return rule
        if self._model_reads_against(reading) and (
            rule.label == "contradicts"
            or (
                self._model_may_contradict(claim, item)
                # The claim less its "without …" clause is not contradicted: the clause the
                # evidence never mentions is what the model read against.
                and (without is None or self._model_reads_against(without))
            )
        ):
            reason = rule.reason if rule.label == "contradicts" else MODEL_CONTRADICTS
            return EvidenceJudgement("contradicts", reading.contradicts, reason)
        backing_blocked = leans_against and self.settings.backing_outweighs_contradiction
        if not backing_blocked and (
            reading.entails >= self.settings.entails
            or (
                reading.entails >= self.settings.entails_same_statement
                and self._same_statement(claim, item)
            )
        ):
            return EvidenceJudgement("supports", reading.entails, _MODEL_BACKS)
        # The rules alone, on a close meaning alone, against the model's leaning: no backing.
        # (The model's own entailment at the lower level stays: blocking that too cost
        # HealthVer test macro-F1 0.035, benchmarks/support_combination.py.)
        if rule.label == "supports" and not (
            backing_blocked or (leans_against and self._paraphrase_only(claim, item))
        ):
            return rule
        return EvidenceJudgement(
            "unrelated", max(reading.neutral, 1.0 - reading.entails), MODEL_UNSURE
        )

    def _model_reads_against(self, reading: Entailment) -> bool:
        return reading.contradicts >= max(self.settings.contradicts, reading.entails)

    def _model_may_contradict(self, claim: str, item: Evidence) -> bool:
        """Whether the model's contradiction may stand without a rule's reason: the sentence
        is on the claim's subject (``judges.contradicts_min_similarity``), and the two do not
        both say "not" (``judges.negations_outweigh_contradiction``): the judge reads a "not"
        in the claim as a contradiction whatever the evidence says, 0.71 for "The ship did not
        sink near Okinawa" against the same sentence, 0.58 for "The Il-20 did not violate
        Japanese airspace" against "The Joint Staff said it did not violate Japanese
        airspace". Where the evidence says "not" of something else and states the claim's
        verb ("entered …, though no shots were fired"), the rules read the negation
        (``negates_otherwise``)."""
        if item.similarity < self.settings.contradicts_min_similarity:
            return False
        # Another ship of the kind the claim's is, its own never named: the rules read that
        # only from support_min_similarity up, the model from contradicts_min_similarity.
        if self.rules.another(claim, item.text, f"{item.context} {item.text}") is not None:
            return False
        if self.rules.rules.descriptions and described_alike(claim, item.text):
            return False  # "the intelligence ship CNS Beijixing" against "… a Type 815 ship"
        both_negated = negated(claim) and negated(item.text)
        return not (both_negated and self.settings.negations_outweigh_contradiction)

    def _names(self, claim: str, item: Evidence) -> tuple[set[str], set[str]]:
        """The claim's names after its first word, and those the sentence never gives (both
        empty unless ``judges.readings_need_names``).

        A person named in full is named by the surname alone, as news writes after the first
        mention ("Sam Bankman-Fried" by "Bankman-Fried's decision"). Another name the
        sentence leaves to its headline or the sentence before ("The company uses automated
        tools" after a sentence on Keep Labs) is given there. A nationality or a country never
        is: "Russian and Chinese … ships" over an article does not make each of its ships
        Chinese."""
        if not self.settings.readings_need_names:
            return set(), set()
        named = _named_after_first_word(claim)
        needed = named - _first_names(claim, item.text)
        around = {n for n in needed if not _national(n) and not _unnamed({n}, item.context)}
        return named, _unnamed(needed - around, item.reading)

    def _all_but_names(self, claim: str, item: Evidence, named: set[str]) -> bool:
        """The claim's subject is no name, and the sentence holds most of its other words
        (``rules.support_min_coverage``). A claim's first word is capitalised either way: it is
        no name when the sentence writes it in lower case ("Engines were routed …" against
        "the engines travelled …")."""
        subject = re.match(
            r"\s*(?:(?:the|a|an|these|those|its|their|some|many|most|all)\s+)?([\w\-]+)",
            claim,
            re.I,
        )
        if subject is None or subject.group(1)[0].isdigit():
            return False
        word = subject.group(1)
        if word[0].isupper() and subject.start(1) > 0:
            return False  # "The Kareliya …": a name after the article
        if word[0].isupper() and not re.search(rf"\b{re.escape(word.lower())}\b", item.text):
            return False  # "Beijing routed …": the opening word is a name
        words = {w for n in named for w in re.split(r"[|_\s]+", n)}
        coverage = self.rules.coverage(claim, item.text, leave_out=words)
        return coverage >= self.rules.rules.support_min_coverage

    def _paraphrase_only(self, claim: str, item: Evidence) -> bool:
        """The rules read the same statement in the meaning alone, not in most of the words
        (and ``judges.paraphrase_outweighs_contradiction`` asks for the model's consent)."""
        if not self.settings.paraphrase_outweighs_contradiction:
            return False
        return self._coverage(claim, item) < self.rules.rules.support_min_coverage

    def _same_statement(self, claim: str, item: Evidence) -> bool:
        return self.rules.same_statement(self._coverage(claim, item), item.similarity)

    def _coverage(self, claim: str, item: Evidence) -> float:
        """The share of the claim's words in the sentence and the context before it."""
        return self.rules.coverage(claim, f"{item.context} {item.text}")


# "without" and the clause it opens, to the next comma or the end of the sentence.
_WITHOUT = re.compile(r",?\s*\bwithout\s+(?:(?:any|a|an|the|ever|even)\s+)?([a-z]+)[^,;.?!]*", re.I)


def without_unmentioned(claim: str, evidence: str) -> tuple[str, str] | None:
    """(``evidence``, the claim less its "without …" clause) where the claim says something
    happened "without" what the evidence, which says no "not", never mentions: "flew along
    Hokkaido's coast without entering Japanese airspace" against a sentence on the flight
    that never mentions entering. The judge reads such a "without" as a "not" the sentence
    contradicts; whether it still contradicts the claim less the clause tells which part it
    read against. None where the claim says no "without", or the evidence speaks of it."""
    found = _WITHOUT.search(claim)
    if found is None or negated(evidence) or _mentions(evidence, found.group(1).lower()):
        return None
    shortened = f"{claim[: found.start()]}{claim[found.end() :]}".strip()
    return (evidence, restated(shortened, evidence))


def _mentions(text: str, word: str) -> bool:
    """Whether ``text`` uses ``word`` in any form: "sank" for "sink", "entered" for
    "entering" (by its stem, or its lemma where the stem misses)."""
    if re.search(rf"\b{re.escape(word[: max(4, len(word) - 3)])}", text, re.I):
        return True
    from assistant.stance import nlp

    lemma = nlp()(word)[0].lemma_.lower()
    return any(token.lemma_.lower() == lemma for token in nlp()(text))


def negates_otherwise(claim: str, evidence: str) -> bool:
    """Whether one side says "not" of what the other states: one sentence negated and the
    other not, or both negated of different words where the evidence states the claim's
    negated verb ("did not enter" against "entered …, though no shots were fired")."""
    if negated(claim) != negated(evidence):
        # "non-competitive prices" says what "prices that aren't competitive" says.
        said_not, other = (claim, evidence) if negated(claim) else (evidence, claim)
        word = negated_word(said_not)
        return not (word and re.search(rf"\bnon-{re.escape(word)}\b", other, re.I))
    ours, theirs = negated_word(claim), negated_word(evidence)
    if not ours or not theirs or ours[:4] == theirs[:4]:
        return False
    # Stated outside the evidence's own "not": "has no additional measures planned" negates
    # "planned" as "has no plans" does.
    return any(w.startswith(ours[:4]) for w in unnegated_words(evidence))


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
    if kind == "month":
        return ", ".join(calendar.month_name[int(month)] for month in sorted(found, key=int))
    if kind != "date":
        return ", ".join(sorted(found))
    keyed = sorted(tuple(int(x) for x in v.split("-")) for v in found)
    return ", ".join(f"{day} {calendar.month_name[month]}" for month, day in keyed)


def _beside_month(claim: str, changed: dict[str, tuple[str, str]]) -> set[str]:
    """The words that go with a changed month ("early", "late"; "mid-march" written as one
    word), left out with it when comparing the rest of the wording."""
    if "month" not in changed:
        return set()
    months = {m.lower() for m in changed["month"][0].split(", ")}  # "may" is no search term
    joined = {t for t in terms(claim) if "-" in t and t.rsplit("-", 1)[1] in months}
    return set(_PART_OF_MONTH) | joined


def _terms_of(changed: dict[str, tuple[str, str]]) -> set[str]:
    """Search terms of the changed values, left out when comparing the rest of the wording."""
    return {t for pair in changed.values() for side in pair for t in terms(side)}


def _adverb_after(claim: str, comparative: str) -> str:
    """The adverb a comparative makes one word with ("more often", "less frequently"): part
    of the comparison, not of the statement around it."""
    found = re.search(rf"\b{re.escape(comparative)}\s+(often|\w+ly)\b", claim, re.I)
    return found.group(1) if found else ""


def _figure_words(claim: str, keys: set[str]) -> set[str]:
    """The words the claim writes its figures with, their qualifiers included ("half", "two
    dozen", "more than 600"): part of the value, not of the statement around it (the value's
    key is "50", not "half")."""
    return {t for f in figures(claim) if f.key in keys for t in terms(claim[f.start : f.end])}


def _share_against_count(
    claim: str, evidence: str, mine: dict[str, set[str]], theirs: dict[str, set[str]]
) -> bool:
    """Whether the differing figures are shares on one side and counts on the other: two
    things, not one changed (the claim's figure may still be one the source does not give)."""
    ours, source = mine["number"] - theirs["number"], theirs["number"] - mine["number"]
    return (ours <= shares(claim)) != (source <= shares(evidence))


def _missing_values(mine: dict[str, set[str]], theirs: dict[str, set[str]]) -> str:
    """Dates, years and numbers of the claim that the evidence does not state."""
    missing = [
        _shown(kind, {value})
        for kind in ("date", "month", "year", "number")
        for value in sorted(mine[kind] - theirs[kind])
    ]
    return ", ".join(missing)


def _with_moments_of(context: str, theirs: dict[str, set[str]]) -> dict[str, set[str]]:
    """The evidence's values, with the dates and years of the text around it when it gives
    none: "The number was lower than the year before" speaks of the fiscal 2024 its sentence
    before names. Its numbers stay its own: a figure in the headline is another
    statement's."""
    if theirs["date"] or theirs["month"] or theirs["year"]:
        return theirs  # it gives its own moment
    around = values(context)
    return {**theirs, **{kind: around[kind] for kind in ("date", "month", "year")}}


def _counted_of_the_same_moment(
    claim: str, evidence: str, compared: tuple[dict[str, set[str]], dict[str, set[str]]]
) -> tuple[Figure, str, str] | None:
    """The claim's figure and both figures as written where the two sides count the same
    thing otherwise, of the same moment (no date or time of the claim missing from the
    evidence); None otherwise."""
    if _missing_moments(*compared) or not (found := counted_otherwise(claim, evidence)):
        return None
    ours, source = found
    return ours, claim[ours.start : ours.end], evidence[source.start : source.end]


def _word_after(text: str, offset: int) -> str:
    following = text[offset:].split(maxsplit=1)
    return following[0] if following else ""


def _missing_moments(mine: dict[str, set[str]], theirs: dict[str, set[str]]) -> bool:
    """Whether the claim gives a date or year the evidence does not: it speaks of another
    moment, whose figures may differ."""
    return any(mine[kind] - theirs[kind] for kind in ("date", "month", "year"))


def _missing_names(names: set[str], evidence: str) -> str:
    """Names of the claim the evidence never mentions ("the Bosporus" for "the Tsushima
    Strait"): a claim about another place or party is not backed by this sentence."""
    return ", ".join(sorted(_unnamed(names, evidence)))


def _unnamed(names: set[str], evidence: str) -> set[str]:
    """The names ``evidence`` does not give, matched as names are ("Russia" by "Russian
    drones", as ``values.same_name`` reads them); "a|b" is met by either. A compound of names
    gives each ("the Russo-Ukrainian war" names Ukraine)."""
    found = set(terms(evidence))
    found |= {part for t in found for part in t.split("-") if len(part) >= 4 and part.isalpha()}

    def given(name: str) -> bool:
        return all(any(same_name(t, f) for f in found) for t in terms(name.replace("_", " ")))

    return {n.replace("|", " or ") for n in names if not any(map(given, n.split("|")))}


# A run of capitalised words ("Sam Bankman-Fried", "World Cup"); one such word is a run too.
# A team's name of digits ("San Francisco 49ers", "the 76ers") may close a run or stand alone;
# no other word of digits does ("5pm", "10x", "13th" are no names).
_NAME_WORD = r"(?:[A-Z][\w\-]*|\d+ers\b)"
_CAPITALISED_RUN = re.compile(rf"\b{_NAME_WORD}(?:\s+{_NAME_WORD})*")
# An article that opens a sentence and with it a run ("The San Francisco 49ers").
_OPENING_ARTICLE = frozenset({"the", "a", "an"})


def _first_names(claim: str, evidence: str) -> set[str]:
    """The first words of the claim's names of two or three words whose last word the
    evidence writes alone, as a surname is written after the first mention: "sam" of "Sam
    Bankman-Fried" against "Bankman-Fried's decision", "san francisco" of "the San Francisco
    49ers" against "the 49ers". "Davis" of "the Davis Cup" is still needed against "the World
    Cup": there "Cup" is part of another name."""
    alone = {words[0].lower() for words in _name_runs(evidence) if len(words) == 1}
    dropped: set[str] = set()
    for words in _name_runs(claim):
        if 2 <= len(words) <= 3 and words[-1].lower() in alone:
            dropped |= {w.lower() for w in words[:-1] if not _national(w)}
    return dropped


def _name_runs(text: str) -> list[list[str]]:
    """The words of each run of capitalised words, less a possessive's "'s" and an article
    that opens the sentence with the run ("The 49ers had …")."""
    runs = []
    for run in _CAPITALISED_RUN.finditer(re.sub(r"['’]s\b", "", text)):
        words = run.group(0).split()
        if words[0].lower() in _OPENING_ARTICLE:
            words = words[1:]
        if words:
            runs.append(words)
    return runs


def _national(name: str) -> bool:
    """A nationality or a country's name ("russian", "china", "united_states"): a country
    is read as its adjective is ("China" as "Chinese", ``values.same_name``)."""
    return any(
        word in _COUNTRY_WORDS or any(same_name(word, n) for n in NATIONALITIES)
        for word in re.split(r"[|_\s]+", name.lower())
        if word
    )


_COUNTRY_WORDS = frozenset(
    w for forms in COUNTRY_FORMS for form in forms for w in form.lower().split()
)


# The generic last word of a name of several words: "Alameda Research" is named by "Alameda"
# ("Alameda acted legally as an FTX customer"), "the Pacific Fleet" by "Pacific".
_GENERIC_HEAD_WORDS = """
    research group company corporation corp inc ltd holdings capital partners ventures
    technologies labs systems international foundation institute university ministry
    department agency fleet force forces army navy party council committee bank fund
    association club team airlines airways motors games studios entertainment"""
_GENERIC_HEADS = frozenset(_GENERIC_HEAD_WORDS.split())


def _named_after_first_word(claim: str) -> set[str]:
    """The claim's names a reading must give. Its first word is capitalised whether or not it
    is a name ("Masks reduce …"; "Joe Biden won" is met by "Biden won"), so it is left out,
    unless a name of several words opens the claim with nothing else but a generic last word:
    then either will do ("Alameda Research's practices …" by "Alameda acted …", "Senior Army
    officials …" by "Army officials …"). The generic last word of a name with another word is
    not needed either ("the Pacific Fleet" by "Pacific")."""
    names = set(values(claim)["name"])
    runs = [(m.start(), m.group(0).split()) for m in _CAPITALISED_RUN.finditer(claim)]
    generic = {
        run[-1].lower()
        for _, run in runs
        if run[-1].lower() in _GENERIC_HEADS and any(w.lower() not in _GENERIC_HEADS for w in run)
    }
    first = claim.split(maxsplit=1)[0].lower().strip(".,;:'\"") if claim.strip() else ""
    starts = len(claim) - len(claim.lstrip())
    opening = next((run for start, run in runs if start == starts), None)
    names -= {first} | generic
    if opening and len(opening) > 1 and all(w.lower() in generic for w in opening[1:]):
        names -= {w.lower() for w in opening}
        names.add("|".join(w.lower() for w in opening))
    return names


def _said_within(claim: str, evidence: str) -> bool:
    """The claim word for word inside a longer sentence that negates nothing the claim does
    not: a small model reads a shortened quote as a contradiction as often as not."""
    return said_within(claim, evidence) and negated(claim) == negated(evidence)

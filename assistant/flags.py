"""Flags on answer sentences: who claims it, who disputes it.

For each sentence of an answer, in order of strength:

* **denied**: a later sentence of the same article denies "these claims" (the two sentences
  before it), or a sentence of another retrieved article denies the same content
  ("… denied that Chinese companies shipped drone engines …");
* **conflict**: a retrieved sentence of another article states the same fact with a different
  date, number or name (``ConflictJudge``); word-for-word copies are one source, not two;
* **attributed**, **hedged**, **forecast**: the sentence's own marks (softer labels).

Claims denied by one and the same denial are one contested point.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from assistant.candidates import Candidate, Flag, with_what_it_points_back_at
from assistant.config import RuleSettings
from assistant.conflicts import ConflictJudge
from assistant.stance import Stance, StanceReader, may_deny, may_deny_content
from assistant.text import negated, normalise
from assistant.values import mask_values, shared_words, value_text, wording_similarity

Encoder = Callable[[list[str]], np.ndarray]


class Stances:
    """Stances by sentence text, read on first use: most candidates are never asked about,
    and a sentence that is not read costs no parse."""

    def __init__(self, reader: StanceReader) -> None:
        self.reader = reader
        self.known: dict[str, Stance] = {}

    def read(self, texts: list[str]) -> None:
        new = [t for t in dict.fromkeys(texts) if t not in self.known]
        self.known.update(zip(new, self.reader.read_many(new), strict=True))

    def __getitem__(self, text: str) -> Stance:
        if text not in self.known:
            self.read([text])
        return self.known[text]


FollowingSentences = Callable[[Candidate], list[Candidate]]


class Flagger:
    def __init__(
        self,
        encode: Encoder,
        following: FollowingSentences,
        reader: StanceReader,
        judge: ConflictJudge,
        rules: RuleSettings | None = None,
    ) -> None:
        self.encode = encode
        self.following = following
        self.reader = reader
        self.judge = judge
        self.rules = rules or RuleSettings()

    def flag(
        self, chosen: list[Candidate], candidates: list[Candidate], *, denials_quoted: bool = False
    ) -> list[Flag]:
        """Flags on the ``chosen`` sentences. ``denials_quoted``: a chosen sentence that is a
        denial is flagged too, with the claim it denies found among ``candidates`` (an answer
        that quotes "China's foreign ministry denied that …" shows what is denied, and who
        reported it); a claim check does not, where the denial may be what it checks."""
        stances = self._stances(chosen)
        flags: list[Flag] = []
        for claim in chosen:
            stance = stances[claim.text]
            if already_flagged(claim, flags):
                continue
            if stance.kind == "denial":
                flag = (
                    self._what_is_denied(claim, stance, candidates, stances)
                    if denials_quoted
                    else None
                )
            else:
                flag = (
                    self._denied(claim, stance, candidates, stances)
                    or self.conflict(claim, candidates)
                    or _soft(claim, stance)
                )
            if flag is not None:
                _add(flag, claim, flags)
        return flags

    def soft_flags(self, chosen: list[Candidate]) -> list[Flag]:
        """The attributed, hedged and forecast flags of the ``chosen`` sentences alone (one
        batch of stances): a sentence a claim check reads against the claim is weighed by
        who says it, as a backing one is, but a denial or conflict around it disputes
        nothing of the claim."""
        stances = self._stances(chosen)
        flags: list[Flag] = []
        for claim in chosen:
            flag = _soft(claim, stances[claim.text])
            if flag is not None and not already_flagged(claim, flags):
                _add(flag, claim, flags)
        return flags

    def _stances(self, chosen: list[Candidate]) -> Stances:
        """The stances of the chosen sentences, read in one batch; a candidate's is read when
        asked for (a denial from another article, a denial's claimant)."""
        stances = Stances(self.reader)
        stances.read([c.text for c in chosen])
        return stances

    # -- denials ---------------------------------------------------------------------------

    def _denied(
        self,
        claim: Candidate,
        stance: Stance,
        candidates: list[Candidate],
        stances: Stances,
    ) -> Flag | None:
        after = self.following(claim)[: self.rules.denial_window]
        # One spaCy batch for the window, not one parse per sentence.
        later_stances = self.reader.read_many([c.text for c in after])
        for later, later_stance in zip(after, later_stances, strict=True):
            if later_stance.kind == "denial" and later_stance.refers_back:
                return Flag(
                    "denied", [claim], _claimant(claim, stance), later_stance.party, [later]
                )
        others = [
            c
            for c in candidates
            if c.passage.article_id != claim.passage.article_id and may_deny_content(c.text)
        ]
        stances.read([c.text for c in others])
        denials = [
            (c, stances[c.text])
            for c in others
            if stances[c.text].kind == "denial" and stances[c.text].denied_text
        ]
        if not denials:
            return None
        # Read after the sentence it points back at, as a denial of that one denies it too.
        claimed = with_what_it_points_back_at(claim)
        vectors = self.encode([claimed] + [s.denied_text or "" for _, s in denials])
        similarities = vectors[1:] @ vectors[0]
        best = int(np.argmax(similarities))
        if similarities[best] < self.rules.denied_content_similarity:
            return None
        denial, denial_stance = denials[best]
        return Flag("denied", [claim], _claimant(claim, stance), denial_stance.party, [denial])

    def _what_is_denied(
        self,
        denial: Candidate,
        stance: Stance,
        candidates: list[Candidate],
        stances: Stances,
    ) -> Flag | None:
        """A quoted denial's point: the claims just before it for "these claims", else the
        sentence nearest what it denies ("denied that <this>")."""
        if stance.refers_back:
            denied = self._just_before(denial, candidates, stances)
        elif stance.denied_text:
            denied = self._nearest_denied(stance.denied_text, denial, candidates, stances)
        else:
            denied = []
        if not denied:
            return None
        claimant = _claimant(denied[0], stances[denied[0].text])
        return Flag("denied", denied, claimant, stance.party, [denial])

    def _just_before(
        self, denial: Candidate, candidates: list[Candidate], stances: Stances
    ) -> list[Candidate]:
        """The sentences a denial of "these claims" follows in its passage, the window the
        forward reading (``_denied``) looks across."""
        stances.read([c.text for c in candidates if may_deny(c.text)])  # one batch
        before = sorted(
            (
                c
                for c in candidates
                if c.passage.chunk.chunk_id == denial.passage.chunk.chunk_id
                and c.span[1] <= denial.span[0]
            ),
            key=lambda c: c.span,
        )
        window = before[-self.rules.denial_window :] if self.rules.denial_window else []
        return [c for c in window if not may_deny(c.text) or stances[c.text].kind != "denial"]

    def _nearest_denied(
        self,
        denied_text: str,
        denial: Candidate,
        candidates: list[Candidate],
        stances: Stances,
    ) -> list[Candidate]:
        # A sentence that itself says it did not happen agrees with the denial: not its claim.
        stances.read([c.text for c in candidates if may_deny(c.text)])  # one batch
        claims = [
            c
            for c in candidates
            if c.key != denial.key
            and (not may_deny(c.text) or stances[c.text].kind != "denial")
            and negated(c.text) == negated(denied_text)
        ]
        if not claims:
            return []
        vectors = self.encode([denied_text] + [c.text for c in claims])
        similarities = vectors[1:] @ vectors[0]
        best = int(np.argmax(similarities))
        if similarities[best] < self.rules.denied_content_similarity:
            return []
        return [claims[best]]

    # -- conflicts between sources ---------------------------------------------------------

    def conflict(self, claim: Candidate, candidates: list[Candidate]) -> Flag | None:
        """The sentence of another article among ``candidates`` that states ``claim``'s fact
        otherwise, as a ``conflict`` flag; ``None`` when none does."""
        copies = _copies_of(claim.passage.article_id, candidates)
        # A copy of the claim's story is the same source, except where it reprints the claim's
        # sentence with a value changed: an edited copy that disagrees with the original.
        others = [
            c
            for c in candidates
            if c.passage.article_id != claim.passage.article_id
            and (
                c.passage.article_id not in copies
                or wording_similarity(claim.text, c.text) >= self.rules.counterpart_wording
            )
            # Only sentences on the same fact can conflict, and those share words: the rest
            # need not be encoded (most of what a conflict check costs).
            and shared_words(claim.text, c.text) >= self.rules.conflict_min_shared_words
        ]
        if not others:
            return None
        # Compared with their values masked, two sentences about the same fact read alike
        # whatever the figures; two about different events ("entered" vs "transited") do not.
        vectors = self.encode([mask_values(claim.text)] + [mask_values(c.text) for c in others])
        similarities = [float(s) for s in vectors[1:] @ vectors[0]]
        found = self.judge.first_conflict(claim.text, [c.text for c in others], similarities)
        if found is None:
            return None
        index, verdict = found
        other = others[index]
        return Flag(
            "conflict",
            [claim],
            claim.passage.outlet,
            other.passage.outlet,
            [other],
            claim_value=_written(claim.text, verdict.differs_in, verdict.mine),
            counter_value=_written(other.text, verdict.differs_in, verdict.theirs),
            differs_in=verdict.differs_in,
        )


def _written(sentence: str, kind: str, normalised: tuple[str, ...]) -> str | None:
    """The differing values as the sentence writes them ("28 January"), or None when the
    sentences disagree without a value to show (the judge read them as opposite)."""
    if not kind or not normalised:
        return None
    return ", ".join(value_text(sentence, kind, value) for value in normalised)


def _soft(claim: Candidate, stance: Stance) -> Flag | None:
    if stance.kind in ("attributed", "hedged", "forecast"):
        return Flag(stance.kind, [claim], stance.party)
    return None


def _claimant(claim: Candidate, stance: Stance) -> str:
    """Who makes a claim: the party it is attributed to, else the outlet that prints it."""
    return stance.party if stance.kind == "attributed" and stance.party else claim.passage.outlet


def _add(flag: Flag, claim: Candidate, flags: list[Flag]) -> None:
    """``flag`` added to ``flags``, or ``claim`` to the flag already there on the same point."""
    same_point = _same_counter(flag, flags)
    if same_point is not None:
        same_point.claims.append(claim)
    else:
        flags.append(flag)


def already_flagged(claim: Candidate, flags: list[Flag]) -> bool:
    return any(claim.key in {c.key for c in f.claims + f.counter} for f in flags)


def _same_counter(flag: Flag, flags: list[Flag]) -> Flag | None:
    """A second claim denied by the same denial joins the first one's point."""
    if flag.kind != "denied":
        return None
    keys = {c.key for c in flag.counter}
    return next(
        (f for f in flags if f.kind == "denied" and keys & {c.key for c in f.counter}), None
    )


def _copies_of(article_id: str, candidates: list[Candidate]) -> set[str]:
    """Articles that repeat a sentence of ``article_id`` word for word: syndicated copies of the
    same story, one source rather than two that agree or disagree."""
    own = {normalise(c.text, lower=True) for c in candidates if c.passage.article_id == article_id}
    return {
        c.passage.article_id
        for c in candidates
        if c.passage.article_id != article_id and normalise(c.text, lower=True) in own
    }

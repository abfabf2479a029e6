"""Claim check and citation check: "do the sources back this?"

* ``ClaimChecker.check(claim)`` retrieves evidence for a pasted claim, judges each retrieved
  sentence with the ``SupportJudge`` and returns a ``ClaimCheck`` verdict: supported,
  contradicted, contested (credible evidence on both sides, or supporting evidence that is
  itself denied or disputed by another source) or not_in_sources.
* ``check_citations(text)`` takes a text whose sentences carry ``[n]`` markers and a header that
  maps each ``n`` to an indexed article, and says per sentence whether its citations back it.
* ``ClaimChecker.judge_all`` is also how a model's answer sentences are checked against the
  passages they cite (``assistant.generate``).

The contested logic is the answer's: the same ``Flagger`` (denials, conflicts between sources)
runs on the supporting sentences.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import frontmatter
import numpy as np

from assistant.candidates import (
    Candidate,
    Flag,
    collect_candidates,
    dated_sides,
    later_report,
    make_citation,
    original_copy,
    with_its_referents_named,
)
from assistant.chunking import split_sentences
from assistant.errors import InputError
from assistant.flags import Flagger, already_flagged
from assistant.keyword import terms
from assistant.stance import Stance, StanceReader
from assistant.support import MODEL_CONTRADICTS, Evidence, EvidenceJudgement, SupportJudge
from assistant.text import normalise
from assistant.types import (
    CheckedSentence,
    CitationReport,
    ClaimCheck,
    IndexedArticle,
    Passage,
    Verdict,
)
from assistant.values import values, with_governments

Encoder = Callable[[list[str]], np.ndarray]
# Most citations shown on each side of a verdict.
MAX_EVIDENCE = 3
# Sentences an article must share word for word with an earlier one to be its reprint, and
# the words each must have: stock lines ("The ministry declined to comment.") are no sign.
REPRINT_MIN_SENTENCES = 2
REPRINT_MIN_WORDS = 8
_MARKER = re.compile(r"\s*\[(\d+)\]")


@dataclass
class Judged:
    candidate: Candidate
    judgement: EvidenceJudgement
    similarity: float = 0.0


@dataclass
class Weighed:
    """What a claim check found: its verdict, the strongest sentences on each side, and the
    flags on the supporting ones (denials and conflicts dispute the claim)."""

    claim: str
    verdict: Verdict
    supporting: list[Judged]
    against: list[Judged]
    flags: list[Flag]
    judged: list[Judged]
    # The flags that dispute the claim (see ``_disputes_claim``).
    disputes: list[Flag]

    @property
    def against_candidates(self) -> list[Candidate]:
        """Sentences against the claim: those judged to contradict it, then the other side of
        each dispute."""
        counter = [c for f in self.disputes for c in f.counter]
        return _unique([j.candidate for j in self.against] + counter)


class ClaimChecker:
    def __init__(
        self, encode: Encoder, judge: SupportJudge, flagger: Flagger, reader: StanceReader
    ) -> None:
        self.encode = encode
        self.judge = judge
        self.flagger = flagger
        self.reader = reader

    def assess(self, claim: str, passages: list[Passage]) -> ClaimCheck:
        """The verdict on ``claim`` from the sentences of ``passages``."""
        return _build(self.weigh(claim, passages))

    def weigh(self, claim: str, passages: list[Passage]) -> Weighed:
        """The sentences of ``passages`` for and against ``claim``, and the verdict."""
        candidates = collect_candidates(passages)
        judged = _one_voice(self._voices(claim, self.judge_all(claim, candidates)))
        supporting = _strongest([j for j in judged if j.judgement.label == "supports"], judged)
        against = _strongest([j for j in judged if j.judgement.label == "contradicts"], judged)
        flags = self.flagger.flag([j.candidate for j in supporting], candidates)
        backing = {j.candidate.key for j in judged if j.judgement.label == "supports"}
        disputes = [f for f in flags if _disputes_claim(f, backing)]
        # "No" on a spokesman's word is not "no" on an outlet's: the sentences against the
        # claim carry who says them too (the disputes stay those of the backing sentences).
        flags += self.flagger.soft_flags(
            [j.candidate for j in against if not already_flagged(j.candidate, flags)]
        )
        return Weighed(
            claim=claim,
            verdict=_verdict(supporting, against, disputes),
            supporting=supporting,
            against=against,
            flags=flags,
            judged=judged,
            disputes=disputes,
        )

    def _voices(self, claim: str, judged: list[Judged]) -> list[Judged]:
        """Who speaks in each backing sentence.

        * A sentence that repeats the claim in order to deny it ("… denied that Chinese
          companies shipped drone engines …") shares its words but argues against it, unless
          the claim is itself that denial ("the ministry denied that …"), which it backs.
        * A claim about someone's words ("Beijing confirmed that Chinese firms shipped drone
          engines") is backed only in that speaker's voice: an outlet that reports the
          shipments itself says nothing of what Beijing confirmed. So is a denial: "the
          ministry denied that Chinese firms shipped engines" is neither backed nor refuted by
          an outlet that reports the shipments."""
        claimed = self.reader.read_many([claim])[0]
        if claimed.kind == "denial":
            taking_sides = [j for j in judged if _may_take_a_side(j)]
            read = list(
                zip(
                    taking_sides,
                    self.reader.read_many([j.candidate.text for j in taking_sides]),
                    strict=True,
                )
            )
            _in_the_voice_of(claimed.party, read)
            self._denied_alike(claimed, read)
            return judged
        speaker = self.reader.speaker(claim)
        backing = [j for j in judged if j.judgement.label == "supports"]
        stances = self.reader.read_many([j.candidate.text for j in backing])
        for item, stance in zip(backing, stances, strict=True):
            outlet = item.candidate.passage.outlet
            if stance.kind == "denial":
                who = stance.party or outlet
                item.judgement = EvidenceJudgement(
                    "contradicts", item.judgement.score, f"{who} denies it"
                )
            elif speaker and not any(_same_party(speaker, v) for v in (stance.party, outlet) if v):
                item.judgement = EvidenceJudgement(
                    "unrelated", item.judgement.score, f"the source says it, not {speaker}"
                )
        return judged

    def _denied_alike(self, claimed: Stance, read: list[tuple[Judged, Stance]]) -> None:
        """A claim that a party denied something, against that party's own denials (each
        sentence with its stance): what each denies is compared, not the two sentences whole
        (the small model read "China denied that …" against the ministry's longer "… denied
        that …" as a contradiction). A denial of "these claims" points back at sentences not
        compared here, so it takes no side."""
        denials = [
            (item, stance)
            for item, stance in read
            if _may_take_a_side(item) and stance.kind == "denial"
        ]
        comparable = [(i, s) for i, s in denials if claimed.denied_text and s.denied_text]
        pointing_back = [i for i, s in denials if not (claimed.denied_text and s.denied_text)]
        for item in pointing_back:
            if item.judgement.label == "contradicts":
                item.judgement = EvidenceJudgement(
                    "unrelated", item.judgement.score, "the denial points at other sentences"
                )
        if not comparable or claimed.denied_text is None:
            return
        theirs = [s.denied_text or "" for _, s in comparable]
        vectors = self.encode([claimed.denied_text, *theirs])
        readings = self.judge.judge_many(
            claimed.denied_text,
            [
                Evidence(text, float(v @ vectors[0]))
                for text, v in zip(theirs, vectors[1:], strict=True)
            ],
        )
        for (item, _), reading in zip(comparable, readings, strict=True):
            item.judgement = EvidenceJudgement(
                reading.label, reading.score, f"what it denies: {reading.reason}"
            )

    def judge_all(self, claim: str, candidates: list[Candidate]) -> list[Judged]:
        if not candidates:
            return []
        vectors = self.encode([claim] + [c.text for c in candidates])
        similarities = [float(s) for s in vectors[1:] @ vectors[0]]
        evidence = [
            Evidence(c.text, s, context=c.passage.title, read_as=with_its_referents_named(c))
            for c, s in zip(candidates, similarities, strict=True)
        ]
        judgements = self.judge.judge_many(claim, evidence)
        return _value_changes_outrank(
            [Judged(c, j, s) for c, j, s in zip(candidates, judgements, similarities, strict=True)]
        )


def _value_changes_outrank(judged: list[Judged]) -> list[Judged]:
    """Of one article, the sentence that gives the claim's fact with another value outranks
    one that only the model reads as backing it: "operated nearby from 12 January" shares the
    claim's date, "from 25 January to 26 January, the Kareliya transited" is the fact the claim
    changes."""
    changed = {j.candidate.passage.article_id for j in judged if j.judgement.changes_a_value}
    for item in judged:
        if item.judgement.backed_by_model and item.candidate.passage.article_id in changed:
            item.judgement = EvidenceJudgement(
                "unrelated",
                item.judgement.score,
                "another sentence of the article gives the claim's fact another value",
            )
    return judged


def _one_voice(judged: list[Judged]) -> list[Judged]:
    """An article does not both state and refute one fact, nor does the paper that reprints
    it: where sentences of one voice (an article, with the papers that reprint it)
    fall on both sides of a claim, the sentence nearest the claim in meaning speaks of its
    fact, and the other side speaks of another moment or detail. "Japan detected the Chinese
    intelligence ship CNS Beijixing" (cosine 0.51) does not back "the Kareliya is a Chinese
    intelligence ship" beside "the Russian electronic intelligence ship Kareliya" (0.73). A
    denial the article reports is another party's voice, and stays."""
    reprints = _reprinted_articles([j.candidate for j in judged])
    taking_sides = [j for j in judged if j.judgement.label != "unrelated" and not _is_denial(j)]
    voice = {
        id(j): reprints.get(j.candidate.passage.article_id, j.candidate.passage.article_id)
        for j in taking_sides
    }
    nearest: dict[tuple[str, str], float] = {}
    for item in taking_sides:
        key = (voice[id(item)], item.judgement.label)
        nearest[key] = max(nearest.get(key, -1.0), item.similarity)
    for item in taking_sides:
        backing = nearest.get((voice[id(item)], "supports"))
        refuting = nearest.get((voice[id(item)], "contradicts"))
        if backing is None or refuting is None:
            continue
        # Backing wins a tie, as it did before the two were compared.
        nearer = "supports" if backing >= refuting else "contradicts"
        if item.judgement.label != nearer:
            item.judgement = EvidenceJudgement(
                "unrelated",
                item.judgement.score,
                "a sentence of the same article, nearer the claim, speaks of its fact",
            )
    return judged


def _reprinted_articles(candidates: list[Candidate]) -> dict[str, str]:
    """Each article that reprints sentences of an earlier one (at least
    ``REPRINT_MIN_SENTENCES`` of those given), with that original's id: the paper that runs a
    wire story speaks with the wire's voice, in its other sentences too."""
    copies_of: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        if len(candidate.text.split()) >= REPRINT_MIN_WORDS:
            copies_of.setdefault(normalise(candidate.text, lower=True), []).append(candidate)
    shared: Counter[tuple[str, str]] = Counter()
    for copies in copies_of.values():
        original = original_copy(copies[0], copies).passage.article_id
        shared.update({(c.passage.article_id, original) for c in copies})
    reprints = {
        copy: original
        for (copy, original), count in shared.items()
        if copy != original and count >= REPRINT_MIN_SENTENCES
    }
    return {copy: _first_original(copy, reprints) for copy in reprints}


def _first_original(article: str, reprints: dict[str, str]) -> str:
    """The article a chain of reprints starts from: the paper that reprints a reprint speaks
    with the first wire's voice too."""
    seen = {article}
    while (article := reprints.get(article, article)) not in seen:
        seen.add(article)
    return article


def _in_the_voice_of(party: str | None, read: list[tuple[Judged, Stance]]) -> None:
    """Only ``party``'s own sentences (the party it quotes, or its outlet) take a side on what
    ``party`` said; the rest speak of the world, not of its words."""
    if not party:
        return
    for item, stance in read:
        voices = (stance.party, item.candidate.passage.outlet)
        if not any(_same_party(party, v) for v in voices if v):
            item.judgement = EvidenceJudgement(
                "unrelated", item.judgement.score, f"the source does not say what {party} said"
            )


def _may_take_a_side(item: Judged) -> bool:
    """Backing or refuting the claim, or left open by the model alone: a denial the guarded
    judge would not back whole ("China's foreign ministry denied that …" against "Beijing
    denied that …") is read again by what it denies."""
    return item.judgement.label != "unrelated" or item.judgement.left_open


def _disputes_claim(flag: Flag, backing: set[tuple[str, int, int]]) -> bool:
    """A denial disputes the claim; so does a conflict between two sources, unless the other
    source's sentence backs the claim too: "more than 600 times" is backed by "704 times" and
    by "670 times", which differ from each other, not from it."""
    if flag.kind == "denied":
        return True
    return flag.kind == "conflict" and not all(c.key in backing for c in flag.counter)


def _same_party(speaker: str, voice: str) -> bool:
    """Whether ``voice`` (who a sentence quotes, or its outlet) is the claim's ``speaker``: a
    name of the speaker's is a word of the voice ("China" in "China's foreign ministry"); a
    speaker without a name ("officials") must share a word. A capital speaks for its
    government, either way round ("Beijing" for "China's foreign ministry", and "China" for
    a voice that is "Beijing")."""
    names = with_governments(values(speaker)["name"])
    if not names:
        return bool(set(terms(speaker)) & set(terms(voice)))
    words = {re.sub(r"['’]s$", "", w) for w in re.findall(r"[\w'’-]+", voice.lower())}
    return bool(names & with_governments(words))


def _is_denial(item: Judged) -> bool:
    return item.judgement.reason.endswith("denies it")


def _strongest(chosen: list[Judged], judged: list[Judged]) -> list[Judged]:
    """The best few, each syndicated sentence once (as its earliest-published copy)."""
    everything = [j.candidate for j in judged]
    result: list[Judged] = []
    seen: set[tuple[str, int, int]] = set()
    for item in sorted(chosen, key=lambda j: -j.judgement.score):
        original = original_copy(item.candidate, everything)
        if original.key in seen:
            continue
        seen.add(original.key)
        result.append(Judged(original, item.judgement))
        if len(result) == MAX_EVIDENCE:
            break
    return result


def _verdict(supporting: list[Judged], against: list[Judged], disputes: list[Flag]) -> Verdict:
    if supporting and (against or disputes):
        return "contested"
    if supporting:
        return "supported"
    if against:
        return "contradicted"
    return "not_in_sources"


def _build(weighed: Weighed) -> ClaimCheck:
    verdict, supporting, against = weighed.verdict, weighed.supporting, weighed.against
    against_candidates = weighed.against_candidates
    for_citations = [
        make_citation(n, j.candidate.passage, j.candidate.span)
        for n, j in enumerate(supporting, start=1)
    ]
    against_citations = [
        make_citation(n, c.passage, c.span)
        for n, c in enumerate(against_candidates, start=len(for_citations) + 1)
    ]
    dispute = weighed.disputes[0] if weighed.disputes else None
    return ClaimCheck(
        claim=weighed.claim,
        verdict=verdict,
        confidence=_confidence(verdict, supporting, against, weighed.judged),
        supporting=for_citations,
        against=against_citations,
        explanation=_explain(verdict, supporting, against_candidates, against, dispute),
        claimed_by=dispute.claimed_by if dispute else None,
        disputed_by=dispute.disputed_by if dispute else None,
    )


def _unique(candidates: list[Candidate]) -> list[Candidate]:
    seen: set[tuple[str, int, int]] = set()
    result = []
    for c in candidates:
        if c.key not in seen:
            seen.add(c.key)
            result.append(c)
    return result


def _confidence(
    verdict: Verdict, supporting: list[Judged], against: list[Judged], judged: list[Judged]
) -> float:
    best_for = supporting[0].judgement.score if supporting else 0.0
    best_against = against[0].judgement.score if against else 0.0
    if verdict == "supported":
        return round(best_for, 3)
    if verdict == "contradicted":
        return round(best_against, 3)
    if verdict == "contested":
        # Both sides are credible; how sure we are that they really disagree.
        return round(max(best_against, 0.5) if against else 0.5, 3)
    unrelated = [j.judgement.score for j in judged if j.judgement.label == "unrelated"]
    return round(min(unrelated) if unrelated else 1.0, 3)


def _explain(
    verdict: Verdict,
    supporting: list[Judged],
    against_candidates: list[Candidate],
    against: list[Judged],
    dispute: Flag | None,
) -> str:
    first_against = len(supporting) + 1
    if verdict == "supported":
        top = supporting[0].candidate.passage
        return f"{top.outlet} [1] states it."
    if verdict == "contradicted":
        top = against[0]
        said = f"{top.candidate.passage.outlet} [{first_against}] says otherwise"
        # The model's reading has no reason beyond its label; a rule's names the changed value.
        if top.judgement.reason == MODEL_CONTRADICTS:
            return f"{said}."
        return f"{said}: {top.judgement.reason}."
    if verdict == "contested":
        if dispute is not None and dispute.kind == "denied":
            return (
                f"Claimed by {dispute.claimed_by} [1] and denied by {dispute.disputed_by} "
                f"[{first_against}]."
            )
        sides = dated_sides(dispute) if dispute is not None else None
        if sides is not None:
            cited = [j.candidate for j in supporting] + against_candidates
            number = {c.key: n for n, c in enumerate(cited, start=1)}
            text = later_report(
                sides,
                lambda cs: "".join(f"[{number[c.key]}]" for c in cs if c.key in number),
                dated=True,
            )
            return f"{text[:1].upper()}{text[1:]}."
        if dispute is not None:
            return (
                f"{dispute.claimed_by} [1] and {dispute.disputed_by} [{first_against}] "
                "disagree on it."
            )
        backers = _outlets_cited([j.candidate for j in supporting], first=1)
        others = _outlets_cited(against_candidates, first=first_against)
        return (
            f"{', '.join(backers)} {_agree('backs', backers)} it; "
            f"{', '.join(others)} {_agree('contradicts', others)} it."
        )
    return "No indexed article states or contradicts it."


def _outlets_cited(candidates: list[Candidate], first: int) -> list[str]:
    """Each outlet once, with the citation numbers of its sentences, numbered from ``first``:
    ``["Harbour Ledger [1][2]", "Meridian Wire [3]"]``."""
    numbers: dict[str, str] = {}
    for n, c in enumerate(candidates, start=first):
        numbers[c.passage.outlet] = numbers.get(c.passage.outlet, "") + f"[{n}]"
    return [f"{outlet} {cited}" for outlet, cited in numbers.items()]


def _agree(verb: str, outlets: list[str]) -> str:
    """``verb`` for one outlet, its plural ("back") for several: the text lists them first."""
    return verb if len(outlets) == 1 else verb.removesuffix("s")


# -- citation check ----------------------------------------------------------------------------


def parse_cited_text(text: str) -> tuple[dict[int, str], str]:
    """``({n: source}, body)`` from a text with a YAML header::

    ---
    sources:
      1: 2025-01-29-meridian-russia-china-reconnaissance-near-japan.md
      2: https://example.org/article
    ---
    The Kareliya transited the Tsushima Strait on 25 January [1].
    """
    try:
        post = frontmatter.loads(text)
    except Exception as exc:  # frontmatter raises the YAML parser's own errors
        raise InputError(f"The header is not valid YAML ({exc}).") from None
    raw = post.metadata.get("sources") or {}
    if not isinstance(raw, dict):
        raise InputError("`sources:` in the header must map citation numbers to articles.")
    mapping = {}
    for key, value in raw.items():
        if not str(key).isdigit() or not isinstance(value, str) or not value.strip():
            raise InputError(f"`sources:` entry {key!r} must be a number and an article.")
        mapping[int(key)] = value.strip()
    body = post.content
    cited = sorted({int(n) for n in _MARKER.findall(body)})
    unmapped = [n for n in cited if n not in mapping]
    if unmapped and not mapping:
        raise InputError(
            f"The text cites [{unmapped[0]}] but has no header: start it with '---', "
            f"'sources:', '  {unmapped[0]}: <article file or URL>', '---'."
        )
    if unmapped:
        raise InputError(
            f"[{unmapped[0]}] has no entry under `sources:` in the header; add "
            f"'{unmapped[0]}: <article file or URL>'."
        )
    if not body.strip():
        raise InputError("The text is empty; paste the sentences to check.")
    return mapping, body


def resolve(reference: str, articles: list[IndexedArticle]) -> IndexedArticle | None:
    """An indexed article by id, file path, source key or URL."""
    for article in articles:
        if reference in (article.article_id, article.path, article.source, article.url):
            return article
    return None


def cited_sentences(body: str) -> list[tuple[str, list[int]]]:
    """Each sentence of ``body`` without its markers, with the numbers it cites."""
    # Pasted text is often wrapped: a single line break is a space, a blank line a paragraph.
    body = re.sub(r"(?<!\n)\n(?!\n)", " ", body)
    result = []
    for start, end in split_sentences(body):
        sentence = body[start:end]
        numbers = [int(n) for n in _MARKER.findall(sentence)]
        text = " ".join(_MARKER.sub("", sentence).split())
        if text:
            result.append((text, numbers))
    return result


def check_sentence(
    text: str, numbers: list[int], evidence: dict[int, list[Judged]], dangling: set[int]
) -> CheckedSentence:
    """``evidence[n]``: the judged sentences of the article ``[n]`` points at."""
    checked = CheckedSentence(text=text, citations=numbers, supported=False)
    if not numbers:
        checked.problems.append("no citation")
        return checked
    for n in numbers:
        if n in dangling:
            checked.precise[n] = False
            checked.problems.append(f"[{n}] points at no indexed article")
            continue
        judged = evidence.get(n, [])
        best = _best(judged)
        checked.precise[n] = best is not None and best.judgement.label == "supports"
        if best is not None:
            checked.evidence[n] = best.candidate.text
            if best.judgement.label == "contradicts":
                checked.problems.append(f"[{n}] contradicts it: {best.judgement.reason}")
            elif best.judgement.label != "supports":
                checked.problems.append(f"[{n}] does not back it")
    checked.supported = any(checked.precise.values())
    if not checked.supported and not checked.problems:
        checked.problems.append("not backed by its citations")
    return checked


def _best(judged: list[Judged]) -> Judged | None:
    """The article's sentence that decides: a supporting one, else a contradicting one, else the
    most related."""
    for label in ("supports", "contradicts"):
        matching = [j for j in judged if j.judgement.label == label]
        if matching:
            return max(matching, key=lambda j: j.judgement.score)
    return min(judged, key=lambda j: j.judgement.score) if judged else None


def citation_report(sentences: list[CheckedSentence], dangling: set[int]) -> CitationReport:
    cited = [s for s in sentences if s.citations]
    citations = [ok for s in cited for ok in s.precise.values()]
    return CitationReport(
        sentences=sentences,
        citation_recall=sum(s.supported for s in cited) / len(cited) if cited else 1.0,
        citation_precision=sum(citations) / len(citations) if citations else 1.0,
        dangling=sorted(dangling),
    )


def backs(pairs: list[tuple[str, str]], judge: SupportJudge, encode: Encoder) -> list[bool]:
    """Per (sentence, cited source text): does the source back the sentence. Judged even when
    the two read alike: the source text is what the citation points at, and a quote doctored
    or moved off its span must fail."""
    if not pairs:
        return []
    vectors = encode([t for pair in pairs for t in pair])
    return [
        judge.judge_many(text, [Evidence(source, float(vectors[2 * i] @ vectors[2 * i + 1]))])[
            0
        ].label
        == "supports"
        for i, (text, source) in enumerate(pairs)
    ]

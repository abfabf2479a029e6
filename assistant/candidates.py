"""Source sentences as answer material, and citing them.

The plumbing every way of answering shares (the extractive composer, the claim check, a
model's verified answer): each sentence of the retrieved passages once, with the text around
it (``Candidate``); the earliest-published of word-for-word copies; the numbered citations to
exact article spans and the ``Answer`` record built from them, with its flags.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from assistant.descriptions import referent
from assistant.text import TERMINAL, normalise
from assistant.types import Answer, AnswerSentence, Citation, NearestSource, Passage, Span

ABSTAIN_TEXT = "The sources do not answer this question."

NextPassage = Callable[[Passage], "Passage | None"]
Markers = Callable[[list["Candidate"]], str]
FlagKind = Literal["denied", "conflict", "attributed", "hedged", "forecast"]


@dataclass
class Candidate:
    """A source sentence considered for an answer, with its scores."""

    passage: Passage
    span: Span
    text: str
    context: str
    previous: Span | None
    meaning: float = 0.0
    words: float = 0.0
    words_in_context: float = 0.0
    typed: bool = False
    prior: float = 0.0  # cheap signals: cosine, words, answer type
    relevance: float = 0.0  # the relevance judge's probability that it answers
    # No rule rules it out: it, the sentence before, its headline or lead names all that is
    # asked (answer.names_in_context), on the day asked (days_in_context), with the kind of
    # value asked for (types_in_sentence).
    can_answer: bool = True
    score: float = 0.0
    before: str = ""  # the sentence before it, when retrieved with it ("previous")

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.passage.article_id, *self.span)


@dataclass
class Written:
    """One sentence of an answer and the source sentences it cites: for an extractive answer
    the sentence is its own source; a model's sentence is checked against the sources."""

    text: str
    cited: list[Candidate]
    supported: bool = True
    note: str = ""


# A source sentence as an answer sentence, judged against its source (the composer's).
Quote = Callable[[Candidate], Written]


@dataclass
class Flag:
    """Why the reader should weigh some answer sentences (``claims``): who claims them, who
    disputes them, and the source sentences that do (``counter``)."""

    kind: FlagKind
    claims: list[Candidate]
    claimed_by: str | None
    disputed_by: str | None = None
    counter: list[Candidate] = field(default_factory=list)
    # A conflict over a value: how the claim and the counter sentence write it, and its kind
    # (date, year, number or name).
    claim_value: str | None = None
    counter_value: str | None = None
    differs_in: str = ""


def following_sentences(claim: Candidate, next_passage: NextPassage) -> list[Candidate]:
    """The sentences after ``claim`` in its article: from its passage, then the next one."""
    passage = claim.passage
    spans = [tuple(s) for s in passage.chunk.sentences if s[0] >= claim.span[1]]
    after = [(passage, span) for span in spans]
    if len(after) < 3:
        nxt = next_passage(passage)
        if nxt is not None:
            after += [(nxt, tuple(s)) for s in nxt.chunk.sentences if s[0] >= claim.span[1]]
    seen: set[Span] = set()
    result = []
    for p, span in after:
        text = p.sentence_text(span)
        if span in seen or never_answers(text):
            continue
        seen.add(span)
        result.append(Candidate(passage=p, span=span, text=text, context=text, previous=None))
    return result


def collect_candidates(passages: list[Passage]) -> list[Candidate]:
    """Each sentence of the passages once (chunks overlap), with the text around it."""
    spans_by_article: dict[str, dict[Span, tuple[Passage, str]]] = {}
    for passage in passages:
        sentences = spans_by_article.setdefault(passage.article_id, {})
        for span in passage.chunk.sentences:
            sentences.setdefault(tuple(span), (passage, passage.sentence_text(tuple(span))))
    candidates: list[Candidate] = []
    for sentences in spans_by_article.values():
        ordered = sorted(sentences)
        for i, span in enumerate(ordered):
            passage, text = sentences[span]
            previous = (
                ordered[i - 1] if i > 0 and _adjacent(ordered[i - 1], span, passage) else None
            )
            before = sentences[previous][1] if previous else ""
            if never_answers(text):
                continue
            candidates.append(
                Candidate(
                    passage=passage,
                    span=span,
                    text=text,
                    context=f"{passage.title}. {before} {text}".strip(),
                    previous=previous,
                    before=before,
                )
            )
    return candidates


# A sentence that opens on what the one before it named: a pronoun, or "the"/"these" and a
# noun of that sentence ("The engines travelled …" after "… shipped hundreds of drone engines").
_OPENS_ON = re.compile(
    r"\s*(?:(it|its|they|their|he|she|his|her)\b|(?:the|these|those|this|that|such)\s+"
    r"([a-z][\w\-]*))",
    re.IGNORECASE,
)


def with_what_it_points_back_at(candidate: Candidate) -> str:
    """The sentence after the one before it where it opens on what that one named; the
    sentence alone otherwise. "The engines travelled through trading firms in Central Asia"
    says, after its sentence before, that Chinese companies shipped them."""
    opening = _OPENS_ON.match(candidate.text)
    if not candidate.before or opening is None:
        return candidate.text
    noun = opening.group(2)
    # A noun is met by its stem ("engines" by "engine"), as a reader would.
    if noun and not re.search(
        rf"\b{re.escape(noun[: max(4, len(noun) - 2)])}", candidate.before, re.I
    ):
        return candidate.text
    return f"{candidate.before} {candidate.text}"


# "the vessel", "this ship": a thing of a kind, not named where it stands ("the ship
# Kareliya" names it).
_A_KIND = re.compile(r"\b(?:the|this|that)\s+([a-z][a-z\-]+)\b(?!\s+[A-Z0-9])")


def with_its_referents_named(candidate: Candidate) -> str:
    """The sentence with each "the <noun>" that points back at a thing the sentence before
    names written as that name with its description: "A P-3C patrol aircraft … photographed
    the vessel" after "… detected the Chinese intelligence ship CNS Beijixing" reads
    "… photographed the Chinese intelligence ship CNS Beijixing". What the entailment judge
    reads: alone, the sentence backs a claim about any ship (0.50 for "photographed the
    Kareliya") and too little one about the Beijixing (0.16)."""
    if not candidate.before:
        return candidate.text
    text = candidate.text
    for kind in reversed(list(_A_KIND.finditer(candidate.text))):
        phrase = referent(candidate.before, kind.group(1))
        if phrase is None or phrase.split()[-1].lower() in text.lower():
            continue  # none, several, or the sentence names it itself
        text = text[: kind.start(1)] + phrase + text[kind.end(1) :]
    return text


def _adjacent(previous: Span, span: Span, passage: Passage) -> bool:
    # Sentences of one article are adjacent when only white space separates them; the gap is
    # small, and a bigger one means a sentence between them was not retrieved.
    return 0 <= span[0] - previous[1] <= 3


def is_heading(text: str) -> bool:
    return len(text) < 140 and not text.rstrip().endswith(TERMINAL)


def is_question(text: str) -> bool:
    """A sentence that asks ("What countries won the most medals?"): web pages and FAQs carry
    the reader's own question, which matches every word of it and answers nothing."""
    return text.rstrip(" \"'”’)").endswith("?")


def never_answers(text: str) -> bool:
    return is_heading(text) or is_question(text)


def article_openings(candidates: list[Candidate], sentences: int) -> list[Candidate]:
    """The first ``sentences`` sentences of each article's first passage among
    ``candidates`` (headings left out), article by article in the order they come: a news
    article states its main claims in its lead."""
    firsts: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        if candidate.passage.chunk.index == 0 and not never_answers(candidate.text):
            firsts.setdefault(candidate.passage.article_id, []).append(candidate)
    return [
        c
        for article in firsts.values()
        for c in sorted(article, key=lambda c: c.span[0])[:sentences]
    ]


def same_sentence(a: Candidate, b: Candidate) -> bool:
    if a.key == b.key:
        return True
    # Syndicated copies repeat a sentence word for word; one citation of it is enough.
    return normalise(a.text, lower=True) == normalise(b.text, lower=True)


def original_copy(chosen: Candidate, candidates: list[Candidate]) -> Candidate:
    """Of word-for-word copies of a sentence, cite the earliest published: the wire story, not
    the paper that reprinted it."""
    copies = [c for c in candidates if same_sentence(c, chosen)]
    return min(copies, key=lambda c: (c.passage.published or "9999", c.passage.path))


def abstention(question: str, passages: list[Passage]) -> Answer:
    return Answer(
        question=question, answer=ABSTAIN_TEXT, abstained=True, nearest=nearest_sources(passages)
    )


def build_answer(question: str, written: list[Written], flags: list[Flag] | None = None) -> Answer:
    citations: list[Citation] = []
    numbers: dict[tuple[str, int, int], int] = {}

    def cite(c: Candidate) -> int:
        if c.key not in numbers:
            numbers[c.key] = len(citations) + 1
            citations.append(make_citation(numbers[c.key], c.passage, c.span))
        return numbers[c.key]

    sentences = [
        AnswerSentence(
            text=w.text, citations=[cite(c) for c in w.cited], supported=w.supported, note=w.note
        )
        for w in written
    ]
    contested = []
    for flag in flags or []:
        # Counter-evidence is cited even when the answer did not quote it.
        counter = [cite(c) for c in flag.counter]
        claimed = [cite(c) for c in flag.claims]
        claim_sentences = _citing(written, flag.claims) or _citing(written, flag.counter)
        contested.append(
            {
                "claim": " ".join(c.text for c in flag.claims),
                "kind": flag.kind,
                "claimed_by": flag.claimed_by,
                "disputed_by": flag.disputed_by,
                "citations": claimed,
                "counter_citations": counter,
                "sentences": claim_sentences,
                "update": _update(flag, numbers),
            }
        )
    text = " ".join(with_markers(s.text, s.citations) for s in sentences)
    return Answer(
        question=question,
        answer=text,
        abstained=False,
        sentences=sentences,
        citations=citations,
        contested=contested,
    )


def _citing(written: list[Written], sentences: list[Candidate]) -> list[int]:
    """The answer sentences that cite any of ``sentences``: those a flag marks (the claims,
    or, where the answer quotes only the denial, the denial)."""
    keys = {c.key for c in sentences}
    return [i for i, w in enumerate(written) if any(c.key in keys for c in w.cited)]


def dated_sides(flag: Flag) -> tuple[tuple[Candidate, str], tuple[Candidate, str]] | None:
    """A conflict over a value between reports published on different days, as (earlier,
    later) pairs of sentence and value: a later report may be an update, and the reader
    should see which came first. None for any other flag."""
    if flag.kind != "conflict" or not (flag.claim_value and flag.counter_value and flag.counter):
        return None
    sides = [(flag.claims[0], flag.claim_value), (flag.counter[0], flag.counter_value)]
    dates = [c.passage.published for c, _ in sides]
    if not all(dates) or dates[0] == dates[1]:
        return None
    first, then = sorted(sides, key=lambda side: side[0].passage.published)
    return first, then


def later_report(
    sides: tuple[tuple[Candidate, str], tuple[Candidate, str]],
    markers: Markers,
    dated: bool = False,
) -> str:
    """ "first reported as 704 by A [1]; a later report by B [2] says 670", with each report's
    day after its citation when ``dated``: one wording for answers, verdicts and checks."""
    (first, first_value), (then, then_value) = sides

    def by(c: Candidate) -> str:
        day = f" ({c.passage.published})" if dated else ""
        return f"{c.passage.outlet} {markers([c])}{day}"

    return (
        f"first reported as {first_value} by {by(first)}; a later report by {by(then)} "
        f"says {then_value}"
    )


def citation_markers(answer: Answer) -> Markers:
    """``[n]`` markers of source sentences by the numbers ``answer`` cites them with (those it
    does not cite get none)."""
    numbers = {(c.article_id, c.start, c.end): c.n for c in answer.citations}
    return lambda candidates: "".join(f"[{numbers[c.key]}]" for c in candidates if c.key in numbers)


def _update(flag: Flag, numbers: dict[tuple[str, int, int], int]) -> dict | None:
    """``contested[].update`` of the JSON: which report said what first, both cited."""
    sides = dated_sides(flag)
    if sides is None:
        return None
    earlier, later = (
        {
            "value": value,
            "outlet": c.passage.outlet,
            "published": c.passage.published,
            "citation": numbers[c.key],
        }
        for c, value in sides
    )
    note = (
        f"First reported as {earlier['value']} [{earlier['citation']}] ({earlier['outlet']}, "
        f"{earlier['published']}); a later report ({later['outlet']}, {later['published']}) "
        f"says {later['value']} [{later['citation']}]."
    )
    return {"earlier": earlier, "later": later, "note": note}


def make_citation(n: int, passage: Passage, span: Span) -> Citation:
    return Citation(
        n=n,
        article_id=passage.article_id,
        title=passage.title,
        outlet=passage.outlet,
        published=passage.published,
        url=passage.url,
        path=passage.path,
        start=span[0],
        end=span[1],
        quote=passage.sentence_text(span),
        illustrative=passage.illustrative,
        passage_start=passage.chunk.start,
        passage=passage.chunk.text,
    )


def with_markers(text: str, numbers: list[int]) -> str:
    """'It left port.' + [1, 2] → 'It left port [1][2].' (markers before the final stop)."""
    markers = "".join(f"[{n}]" for n in numbers)
    stripped = text.rstrip()
    if not markers:
        return stripped
    if stripped.endswith((".", "!", "?")) and not stripped.endswith("..."):
        return f"{stripped[:-1]} {markers}{stripped[-1]}"
    return f"{stripped} {markers}"


def nearest_sources(passages: list[Passage], limit: int = 3) -> list[NearestSource]:
    seen: set[str] = set()
    nearest: list[NearestSource] = []
    for p in passages:
        if p.article_id in seen:
            continue
        seen.add(p.article_id)
        snippet = p.chunk.text if len(p.chunk.text) <= 240 else p.chunk.text[:237].rstrip() + "…"
        nearest.append(
            NearestSource(
                article_id=p.article_id,
                title=p.title,
                outlet=p.outlet,
                published=p.published,
                path=p.path,
                url=p.url,
                snippet=snippet,
            )
        )
        if len(nearest) == limit:
            break
    return nearest

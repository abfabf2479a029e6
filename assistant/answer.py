"""Extractive answers: pick the source sentences that answer the question, cite each one.

No language model is involved, so every sentence of an answer is a sentence of an article, cited
to its exact span: faithful by construction. A sentence is scored on three signals, each cheap
and explainable:

* meaning: cosine similarity of the question with the sentence, and with the sentence read in
  its context (headline and previous sentence, which carry the subject of an "it transited");
* words: how much of the question's informative vocabulary (IDF-weighted, stemmed) it covers;
* answer type: a "when" question wants a date, "how many" a number, "which/who/where" a name.

When the best sentence is weak, or the question's most informative words are nowhere in the
sources, the assistant abstains and lists the nearest sources instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.config import AnswerSettings
from assistant.embeddings import SentenceEmbeddings
from assistant.flags import Flag, Flagger
from assistant.keyword import terms
from assistant.types import (
    Answer,
    AnswerSentence,
    Citation,
    NearestSource,
    Passage,
    Span,
)

ABSTAIN_TEXT = "The sources do not answer this question."

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DATE = re.compile(
    rf"\b(\d{{1,2}}(st|nd|rd|th)?\s+({_MONTHS})\b|({_MONTHS})\.?\s+\d{{1,2}}\b|"
    rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b(in|by|since|until|during|early|late|mid-?)\s+\d{{4}}\b|"
    rf"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today)\b|"
    rf"\b(early|late|mid-?)\s*({_MONTHS})\b)",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"\b\d[\d,.]*\s*(%|percent|per cent)?|\b(one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|dozen|dozens|hundred|hundreds|thousand|thousands|million|billion)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w\-]*[A-Za-z0-9]")
_PRONOUN_START = re.compile(
    r"^(it|its|they|their|them|this|these|those|he|she|his|her|the (ship|vessel|aircraft|plane|"
    r"company|ministry|agency|report))\b",
    re.IGNORECASE,
)
_TERMINAL = (".", "!", "?", '"', "”", "’", "'", ")")

_QUESTION_TYPES: list[tuple[str, re.Pattern[str]]] = [
    (
        "date",
        re.compile(r"\b(when|what (date|day|year|month|time)|since when|how long ago)\b", re.I),
    ),
    (
        "number",
        re.compile(
            r"\b(how (many|much|far|long|big|large)|what (number|percentage|share|"
            r"proportion|amount))\b",
            re.I,
        ),
    ),
    (
        "name",
        re.compile(
            r"^\s*(who|whom|whose|which|where)\b|\b(what|which) "
            r"(ship|vessel|aircraft|plane|country|countries|agency|outlet|base|"
            r"strait|sea|island|islands|city|company|name)\b",
            re.I,
        ),
    ),
]


def question_type(question: str) -> str | None:
    for kind, pattern in _QUESTION_TYPES:
        if pattern.search(question):
            return kind
    return None


def has_answer_type(sentence: str, kind: str | None, question: str) -> bool:
    if kind == "date":
        return bool(_DATE.search(sentence))
    if kind == "number":
        return bool(_NUMBER.search(_DATE.sub(" ", sentence)))
    if kind == "name":
        asked = {t.lower() for t in re.findall(r"\w[\w\-]*", question)}
        return any(m.group(0).lower() not in asked for m in _NAME.finditer(sentence))
    return False


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
    score: float = 0.0

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


IdfLookup = Callable[[str], float]
NextPassage = Callable[[Passage], "Passage | None"]
# Passages that speak of the given sentences, searched by the sentences themselves.
RelatedPassages = Callable[[list[str]], list[Passage]]


class ExtractiveComposer:
    """Turns retrieved passages into a cited ``Answer`` without a language model."""

    def __init__(
        self,
        embeddings: SentenceEmbeddings,
        settings: AnswerSettings,
        idf: IdfLookup | None = None,
        next_passage: NextPassage | None = None,
        related: RelatedPassages | None = None,
        flagger: Flagger | None = None,
    ) -> None:
        self.embeddings = embeddings
        self.settings = settings
        self.idf = idf or (lambda _term: 1.0)
        self.next_passage = next_passage or (lambda _passage: None)
        self.related = related or (lambda _texts: [])
        self.flagger = flagger or Flagger(embeddings.encode, self.following)

    def compose(self, question: str, passages: list[Passage]) -> Answer:
        return self.compose_ranked(question, self.score(question, passages), passages)

    def compose_ranked(
        self, question: str, ranked: list[Candidate], passages: list[Passage]
    ) -> Answer:
        """The answer from sentences already scored by ``score``."""
        if not self.answerable(ranked):
            return abstention(question, passages)
        chosen = self._choose(ranked)
        return self.cite(question, [Written(c.text, [c]) for c in chosen], ranked)

    def cite(self, question: str, written: list[Written], candidates: list[Candidate]) -> Answer:
        """The answer for ``written`` sentences, numbered citations to the source sentences they
        quote, and the flags of those source sentences (denied, conflict, attributed, ...)."""
        quoted = list({c.key: c for w in written for c in w.cited}.values())
        flags = self.flagger.flag(quoted, self._with_related(quoted, candidates))
        return build_answer(question, written, flags)

    def following(self, claim: Candidate) -> list[Candidate]:
        """The sentences after ``claim`` in its article: from its passage, then the next one."""
        passage = claim.passage
        spans = [tuple(s) for s in passage.chunk.sentences if s[0] >= claim.span[1]]
        after = [(passage, span) for span in spans]
        if len(after) < 3:
            nxt = self.next_passage(passage)
            if nxt is not None:
                after += [(nxt, tuple(s)) for s in nxt.chunk.sentences if s[0] >= claim.span[1]]
        seen: set[Span] = set()
        result = []
        for p, span in after:
            text = p.sentence_text(span)
            if span in seen or _is_heading(text):
                continue
            seen.add(span)
            result.append(Candidate(passage=p, span=span, text=text, context=text, previous=None))
        return result

    def _with_related(
        self, chosen: list[Candidate], candidates: list[Candidate]
    ) -> list[Candidate]:
        """The question's sentences plus those of passages found by searching for each chosen
        sentence: a source that disputes a claim need not match the question's words."""
        passages = self.related([c.text for c in chosen])
        if not passages:
            return candidates
        known = {c.key for c in candidates}
        extra = [c for c in collect_candidates(passages) if c.key not in known]
        return candidates + extra

    # -- scoring -----------------------------------------------------------------------------

    def score(self, question: str, passages: list[Passage]) -> list[Candidate]:
        """Every sentence of the passages, best answer first."""
        candidates = collect_candidates(passages)
        if not candidates:
            return []
        vectors = self.embeddings.encode(
            [question] + [c.text for c in candidates] + [c.context for c in candidates]
        )
        q, sentences, contexts = (
            vectors[0],
            vectors[1 : len(candidates) + 1],
            vectors[len(candidates) + 1 :],
        )
        plain = sentences @ q
        in_context = contexts @ q
        wanted = terms(question)
        kind = question_type(question)
        for i, c in enumerate(candidates):
            c.meaning = float(max(plain[i], 0.9 * in_context[i]))
            c.words = self._coverage(wanted, c.text)
            c.words_in_context = self._coverage(wanted, c.context)
            c.typed = has_answer_type(c.text, kind, question)
            lexical = 0.5 * c.words + 0.5 * c.words_in_context
            if kind:
                c.score = 0.4 * c.meaning + 0.35 * lexical + 0.25 * float(c.typed)
            else:
                c.score = 0.5 * c.meaning + 0.5 * lexical
        return sorted(candidates, key=lambda c: c.score, reverse=True)

    def _coverage(self, wanted: list[str], text: str) -> float:
        """IDF-weighted share of the question's terms found in ``text``."""
        if not wanted:
            return 0.0
        present = set(terms(text))
        weights = {t: self.idf(t) for t in set(wanted)}
        total = sum(weights.values()) or 1.0
        return sum(w for t, w in weights.items() if t in present) / total

    def answerable(self, ranked: list[Candidate]) -> bool:
        """Whether the best-scored sentence is good enough to answer from."""
        if not ranked:
            return False
        best = ranked[0]
        # The question's informative words must be around the sentence, unless the meaning is
        # a close match (a paraphrase): a question about Lisbon is not answered by a sentence
        # about Tokyo, however similar the phrasing.
        close_paraphrase = best.meaning >= 0.6
        return best.score >= self.settings.min_score and (
            best.words_in_context >= 0.4 or close_paraphrase
        )

    # -- choosing ----------------------------------------------------------------------------

    def _choose(self, candidates: list[Candidate]) -> list[Candidate]:
        best = candidates[0]
        chosen = [original_copy(best, candidates)]
        floor = max(self.settings.min_score, self.settings.relative_cutoff * best.score)
        for c in candidates[1:]:
            if len(chosen) >= self.settings.max_sentences:
                break
            if c.score < floor or any(_same_sentence(c, other) for other in chosen):
                continue
            chosen.append(original_copy(c, candidates))
        return _with_context(chosen, candidates)


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
            if _is_heading(text):
                continue
            candidates.append(
                Candidate(
                    passage=passage,
                    span=span,
                    text=text,
                    context=f"{passage.title}. {before} {text}".strip(),
                    previous=previous,
                )
            )
    return candidates


def _adjacent(previous: Span, span: Span, passage: Passage) -> bool:
    # Sentences of one article are adjacent when only white space separates them; the gap is
    # small, and a bigger one means a sentence between them was not retrieved.
    return 0 <= span[0] - previous[1] <= 3


def _is_heading(text: str) -> bool:
    return len(text) < 140 and not text.rstrip().endswith(_TERMINAL)


def _same_sentence(a: Candidate, b: Candidate) -> bool:
    if a.key == b.key:
        return True
    # Syndicated copies repeat a sentence word for word; one citation of it is enough.
    return " ".join(a.text.lower().split()) == " ".join(b.text.lower().split())


def original_copy(chosen: Candidate, candidates: list[Candidate]) -> Candidate:
    """Of word-for-word copies of a sentence, cite the earliest published: the wire story, not
    the paper that reprinted it."""
    copies = [c for c in candidates if _same_sentence(c, chosen)]
    return min(copies, key=lambda c: (c.passage.published or "9999", c.passage.path))


def _with_context(chosen: list[Candidate], candidates: list[Candidate]) -> list[Candidate]:
    """A chosen sentence that opens with "it"/"they" brings the sentence before it, so that the
    answer says what "it" is."""
    by_key = {c.key: c for c in candidates}
    keys = {c.key for c in chosen}
    result: list[Candidate] = []
    for c in chosen:
        if c.previous and _PRONOUN_START.match(c.text):
            before = by_key.get((c.passage.article_id, *c.previous))
            if before is not None and before.key not in keys:
                result.append(before)
                keys.add(before.key)
        result.append(c)
    return result


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
        claimed = {c.key for c in flag.claims}
        claim_sentences = [
            i for i, w in enumerate(written) if any(c.key in claimed for c in w.cited)
        ]
        contested.append(
            {
                "claim": " ".join(c.text for c in flag.claims),
                "kind": flag.kind,
                "claimed_by": flag.claimed_by,
                "disputed_by": flag.disputed_by,
                "citations": [numbers[c.key] for c in flag.claims],
                "counter_citations": counter,
                "sentences": claim_sentences,
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

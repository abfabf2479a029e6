"""Follow-up questions: make each question self-contained from the conversation before it.

People ask in a row: "Which Russian intelligence ship operated near Japan?" then "When did it
transit the Tsushima Strait?". Retrieval needs "it" spelled out. Offline, over spaCy's parse:

* a question with a referring pronoun ("it", "they", "its") gets the salient entity of the last
  turn in its place: the name the last answer gave for what the last question asked about ("ship"
  → "Kareliya"), or else the named subject of the last question;
* "that"/"this" used as a pronoun ("Did anyone else report that?") brings the last question along;
* an elliptical question ("And the Il-20?", "What about China?") is the last question with its
  subject swapped for the new one;
* anything else is a new topic and is searched as typed, so an old subject never leaks in.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.stance import nlp

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

PERSONAL = {"it", "they", "them", "he", "him", "she", "her"}
POSSESSIVE = {"its", "their", "his"}
DEMONSTRATIVE = {"that", "this", "those", "these"}
_ELLIPSIS = re.compile(r"^\s*(?:and|what about|how about|and what about)\s+(.+?)\s*\??\s*$", re.I)
# How many turns back a pronoun may reach.
MEMORY = 3


@dataclass(frozen=True)
class Turn:
    question: str
    searched_for: str
    answer: str  # the answer's sentences, without citation markers


@dataclass
class Conversation:
    turns: list[Turn] = field(default_factory=list)

    def add(self, turn: Turn) -> None:
        self.turns = [*self.turns, turn][-MEMORY:]

    def clear(self) -> None:
        self.turns = []


def rewrite(question: str, turns: list[Turn]) -> str:
    """``question`` made self-contained from ``turns`` (oldest first); unchanged when it
    already is, or when there is nothing to resolve it from."""
    if not turns:
        return question
    last = turns[-1]
    ellipsis = _ELLIPSIS.match(question)
    if ellipsis and len(ellipsis.group(1).split()) <= 6:
        return _swap_subject(last, ellipsis.group(1))
    doc = nlp()(question)
    pronouns = [t for t in doc if _refers_back(t)]
    if not pronouns:
        return question
    entity = salient_entity(last)
    words = []
    for token in doc:
        if token in pronouns and token.lower_ in DEMONSTRATIVE:
            words.append(token.text_with_ws)
        elif token in pronouns and entity:
            name = f"{entity}'s" if token.lower_ in POSSESSIVE else entity
            words.append(name + token.whitespace_)
        else:
            words.append(token.text_with_ws)
    rewritten = "".join(words).strip()
    if any(t.lower_ in DEMONSTRATIVE for t in pronouns):
        rewritten = f"{rewritten.rstrip('?').rstrip()}: {last.searched_for}"
    return rewritten


def _refers_back(token: Token) -> bool:
    lower = token.lower_
    if lower in PERSONAL | POSSESSIVE:
        return token.pos_ == "PRON"
    # "that" as a pronoun ("report that?"), not a determiner ("that ship") or a conjunction.
    return (
        lower in DEMONSTRATIVE
        and token.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj")
        and not list(token.children)
    )


def salient_entity(turn: Turn) -> str | None:
    """What a pronoun in the next question most likely names."""
    question = nlp()(turn.searched_for)
    focus = _focus_noun(question)
    if focus is not None:
        answer = nlp()(turn.answer)
        named = [
            (name, {t.lemma_.lower() for t in chunk})
            for chunk in answer.noun_chunks
            if (name := _name_in(chunk)) and not _said_in(name, turn.searched_for)
        ]
        # The name beside the noun asked about ("ship Kareliya"), else the name in the role
        # the question asks about, else the first new name.
        for name, lemmas in named:
            if focus in lemmas:
                return name
        role = _in_asked_role(question, answer)
        if role is not None and not _said_in(role, turn.searched_for):
            return role
        if named:
            return named[0][0]
    subject = next((t for t in question if t.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is not None:
        name = _name_in(_phrase(subject))
        if name:
            return name
    names = [_name_in(chunk) for chunk in question.noun_chunks]
    return next((n for n in names if n), None)


def _in_asked_role(question: Doc, answer: Doc) -> str | None:
    """The name the answer gives the role the question asks about, with the question's verb:
    "Which aircraft flew near Hokkaido?" answered "… the aircraft continued south. … the Il-20
    took off … and flew over the Sea of Okhotsk" → "Il-20", not the first name the answer
    happens to give. Who did it ("Which ship shadowed …?") is the active subject or the
    passive's "by" phrase; what it was done to ("Which ship was shadowed …?") the passive
    subject or the object."""
    verb = next((t for t in question if t.dep_ == "ROOT" and t.pos_ == "VERB"), None)
    asked = _subject_of(verb) if verb is not None else None
    if verb is None or asked is None or not _has_which(asked):
        return None
    wants_doer = asked.dep_ == "nsubj"
    for token in answer:
        if token.pos_ != "VERB" or token.lemma_ != verb.lemma_:
            continue
        # A verb joined to another ("took off … and flew") shares that verb's subject.
        holder = token.head if token.dep_ == "conj" and not _subject_of(token) else token
        found = _doer_of(holder) if wants_doer else _done_to(holder)
        if found is not None and (name := _name_in(_phrase(found))):
            return name
    return None


def _doer_of(verb: Token) -> Token | None:
    subject = next((t for t in verb.children if t.dep_ == "nsubj"), None)
    by = next((t for t in verb.children if t.dep_ == "agent"), None)
    if subject is None and by is not None:
        return next((t for t in by.children if t.dep_ == "pobj"), None)
    return subject


def _done_to(verb: Token) -> Token | None:
    return next((t for t in verb.children if t.dep_ in ("nsubjpass", "dobj")), None)


def _said_in(name: str, question: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", question, re.I) is not None


def _has_which(token: Token) -> bool:
    return any(_is_which(child) for child in token.children)


def _is_which(token: Token) -> bool:
    """ "which"/"what" as the determiner of a noun: "Which aircraft …", "what ship …"."""
    return token.lower_ in ("which", "what") and token.dep_ == "det"


def _subject_of(verb: Token) -> Token | None:
    return next((t for t in verb.children if t.dep_ in ("nsubj", "nsubjpass")), None)


def _focus_noun(doc: Doc) -> str | None:
    """The noun a which/what question asks about: "Which aircraft flew …" → "aircraft"."""
    for token in doc:
        if _is_which(token):
            return token.head.lemma_.lower()
    return None


def _name_in(span: Span) -> str | None:
    """The proper-name run inside a phrase: "the Russian electronic intelligence ship Kareliya"
    → "Kareliya"; "a Russian Il-20 aircraft" → "Il-20"."""
    run: list[Token] = []
    best: list[Token] = []
    for token in span:
        if _is_name_part(token) or (run and (token.text == "-" or token.like_num)):
            run.append(token)
        else:
            best = max(best, run, key=len)
            run = []
    best = max(best, run, key=len)
    if not best:
        return None
    return "".join(t.text_with_ws for t in best).strip()


_CALENDAR = {m.lower() for m in (*calendar.month_name[1:], *calendar.day_name)}


def _is_name_part(token: Token) -> bool:
    # The tagger calls "Il-20" or "F-15J" a noun or a number; a capitalised word with a digit
    # or a hyphen inside is a designation, part of a name.
    text = token.text
    if text.lower() in _CALENDAR:  # "26 January", "on Sunday": a date, not a name
        return False
    designation = text[:1].isupper() and any(c.isdigit() or c == "-" for c in text[1:])
    return token.pos_ == "PROPN" or designation


def _phrase(token: Token) -> Span:
    return token.doc[token.left_edge.i : token.right_edge.i + 1]


def _swap_subject(last: Turn, new: str) -> str:
    """ "And the Il-20?" after "When did the Kareliya transit …?" → "When did the Il-20 transit
    …?"; without a named subject to swap, the new subject is added to the last question."""
    new = new.strip().rstrip("?").strip()
    doc = nlp()(last.searched_for)
    subject = next((t for t in doc if t.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is not None and subject.lower_ not in ("which", "what", "who"):
        phrase = _phrase(subject)
        start, end = phrase.start_char, phrase.end_char
        return (last.searched_for[:start] + new + last.searched_for[end:]).strip()
    return f"{last.searched_for.rstrip('?').rstrip()} {new}?"

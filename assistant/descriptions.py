"""What a sentence says a name is: "the Russian electronic intelligence ship Kareliya" describes
the Kareliya as a Russian ship; "The Beijixing is a Chinese ship" describes the Beijixing so.
Read from spaCy's parse, for two guards of the support judge that entailment judges of this size
miss (they read "Russian" and "Chinese" as two similar words, and one ship's name as another's):

* **described otherwise**: the claim gives a name another nationality than the evidence does
  ("The Kareliya is a Chinese intelligence ship" against "the Russian … ship Kareliya"): the
  claim changes the source's value, and is contradicted;
* **another of its kind**: the evidence describes another name as the kind of thing the claim's
  name is ("the Chinese intelligence ship CNS Beijixing" for a claim about the Kareliya, "a …
  ship") and never names the claim's: it speaks of another ship, and neither backs nor refutes.

A name's description is what its noun phrase says of it: the modifiers of the name, of the noun
it is in apposition to ("the ship, CNS Beijixing"), of the noun compounded into it ("ship
Kareliya"), and of what a copula says it is ("The Kareliya is a … ship"). Only a name described
as a kind of thing counts ("the carmaker Toyota", not "the Foreign Ministry", whose nationality
tells one ministry from another), and only country adjectives are nationalities
(``values.NATIONALITIES``: "Pacific", "Asian" and "Baltic" are not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from assistant.values import is_nationality, same_name

if TYPE_CHECKING:
    from spacy.tokens import Token

_MODIFIERS = frozenset({"amod", "compound", "nmod"})


@dataclass
class Description:
    """What a sentence says one name is."""

    text: str  # the name as written, all its words: "CNS Beijixing"
    phrase: str  # the name with what describes it: "Chinese intelligence ship CNS Beijixing"
    nationalities: set[str] = field(default_factory=set)  # "russian"
    kinds: set[str] = field(default_factory=set)  # lemmas of the nouns it is: "ship"


def described_otherwise(claim: str, evidence: str) -> tuple[str, str, str] | None:
    """``(the name as the claim writes it, the claim's nationality, the evidence's)`` for a
    name both describe as a kind of thing with nationalities that share none; None when they
    agree or one gives none."""
    ours = {n: d for n, d in described(claim).items() if d.nationalities}
    if not ours:  # most claims describe nothing: the evidence need not be parsed
        return None
    theirs = described(evidence)
    for name, mine in ours.items():
        other = next((d for n, d in theirs.items() if same_name(name, n)), None)
        if other and other.nationalities and not mine.nationalities & other.nationalities:
            return mine.text, _one(mine.nationalities), _one(other.nationalities)
    return None


def another_of_its_kind(claim: str, evidence: str, around: str = "") -> tuple[str, str] | None:
    """``(the claim's name, the evidence's)``, as written, where the evidence describes a name
    the claim never gives as the same kind of thing, and neither it nor the text ``around`` it
    names the claim's: it speaks of another ship."""
    given = _words(f"{around} {evidence}")
    unnamed = {n: d for n, d in described(claim).items() if not any(same_name(n, w) for w in given)}
    if not unnamed:  # the evidence names what the claim describes, or nothing is described
        return None
    claimed = _words(claim)
    theirs = {
        n: d for n, d in described(evidence).items() if not any(same_name(n, w) for w in claimed)
    }
    for description in unnamed.values():
        other = next((d.text for d in theirs.values() if d.kinds & description.kinds), None)
        if other is not None:
            return description.text, other
    return None


# A claim that only says what a name is: "The Beijixing is a Type 815 ship."
_DESCRIPTION_CLAIM = re.compile(
    r"^\s*(?:the\s+)?[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)*\s+(?:is|was)\s+(?:a|an|the)\s+[^,;]+$"
)


def described_alike(claim: str, evidence: str) -> bool:
    """Whether ``claim`` only says what a name is, and the evidence describes that name as
    the same kind of thing with no other nationality: "the Chinese intelligence ship CNS
    Beijixing" against "The Beijixing is a Type 815 ship". Two descriptions of one ship add
    to each other; the small entailment judge reads them as a contradiction (0.58)."""
    if not _DESCRIPTION_CLAIM.match(claim):
        return False
    theirs = described(evidence)
    for name, mine in described(claim).items():
        other = next((d for n, d in theirs.items() if same_name(name, n)), None)
        if other is None or not mine.kinds & other.kinds:
            continue
        if not (mine.nationalities and other.nationalities) or (
            mine.nationalities & other.nationalities
        ):
            return True
    return False


def _words(text: str) -> set[str]:
    """The lower-cased words of ``text``, as names are compared."""
    return set(_WORD.findall(text.lower()))


def referent(sentence_before: str, noun: str) -> str | None:
    """The name with its description ("Chinese intelligence ship CNS Beijixing") that "the
    ``noun``" of the next sentence points back at ("the vessel"): the one name
    ``sentence_before`` describes as that kind of thing, or as a kind a reporter writes that
    noun for (``kinds_alike`` in the cues); None when it describes none, or several."""
    kinds = _alike(noun.lower())
    if not kinds & _words(sentence_before):  # most sentences before need no parse
        return None
    found = {d.phrase for d in described(sentence_before).values() if d.kinds & kinds}
    return found.pop() if len(found) == 1 else None


@lru_cache(maxsize=256)
def _alike(noun: str) -> frozenset[str]:
    from assistant.stance import cues

    groups = [set(group) for group in cues().get("kinds_alike", []) if noun in group]
    return frozenset({noun}.union(*groups))


@lru_cache(maxsize=4096)
def _described(
    sentence: str,
) -> tuple[tuple[str, str, str, frozenset[str], frozenset[str]], ...]:
    from assistant.stance import nlp

    found = []
    for token in nlp()(sentence):
        if not _is_name(token):
            continue
        nouns = _described_by(token)
        nationalities = {
            child.lower_
            for noun in [token, *nouns]
            for child in noun.children
            if child.dep_ in _MODIFIERS and is_nationality(child.text)
        }
        kinds = {noun.lemma_.lower() for noun in nouns if noun.pos_ == "NOUN"}
        if kinds:
            found.append(
                (
                    token.lower_,
                    _written(token),
                    _phrase(token, nouns),
                    frozenset(nationalities),
                    frozenset(kinds),
                )
            )
    return tuple(found)


def described(sentence: str) -> dict[str, Description]:
    """Each name of ``sentence`` described as a kind of thing (keyed by the last word of a
    multi-word name, lower-cased) with its description."""
    result: dict[str, Description] = {}
    for name, text, phrase, nationalities, kinds in _described(sentence):
        description = result.setdefault(name, Description(text, phrase))
        description.nationalities |= nationalities
        description.kinds |= kinds
    return result


def _written(name: Token) -> str:
    """The name with the proper nouns compounded into it: "CNS Beijixing", "Kim Jong Un"."""
    start = name.i
    while (
        start > 0 and name.doc[start - 1].dep_ == "compound" and name.doc[start - 1].pos_ == "PROPN"
    ):
        start -= 1
    return name.doc[start : name.i + 1].text


def _phrase(name: Token, nouns: list[Token]) -> str:
    """The name with the words before it that describe it and its nouns, its article left
    out: "Russian electronic intelligence ship Kareliya", "Chinese intelligence ship CNS
    Beijixing" (the ship it is in apposition to). A copula's noun is no part of it."""
    parts = [name, *(n for n in nouns if n.i < name.i)]
    start = min(p.left_edge.i for p in parts)
    while start < name.i and name.doc[start].dep_ in ("det", "predet", "punct"):
        start += 1
    return name.doc[start : name.i + 1].text


def _is_name(token: Token) -> bool:
    """A proper noun that heads its name ("Beijixing" of "CNS Beijixing") and is no
    nationality."""
    return (
        token.pos_ == "PROPN"
        and not (token.dep_ == "compound" and token.head.pos_ == "PROPN")
        and not is_nationality(token.text)
    )


def _described_by(name: Token) -> list[Token]:
    """The nouns that say what ``name`` is: the one it is in apposition to, those compounded
    into it, and a copula's complement when it is the subject."""
    nouns = [child for child in name.children if child.dep_ == "compound" and child.pos_ == "NOUN"]
    if name.dep_ == "appos":
        nouns.append(name.head)
    if name.dep_ == "compound" and name.head.pos_ == "NOUN":
        nouns.append(name.head)  # "the Kareliya ship"
    if name.dep_ == "nsubj" and name.head.lemma_ == "be":
        nouns.extend(c for c in name.head.children if c.dep_ == "attr" and c.pos_ == "NOUN")
    return nouns


def _one(words: set[str]) -> str:
    return ", ".join(sorted(w.capitalize() for w in words))


_WORD = re.compile(r"[\w\-]+")

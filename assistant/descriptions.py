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
Kareliya"), and of what a copula says it is ("The Kareliya is a … ship").
"""

from __future__ import annotations

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

    nationalities: set[str] = field(default_factory=set)  # "russian"
    kinds: set[str] = field(default_factory=set)  # lemmas of the nouns it is: "ship"


def described_otherwise(claim: str, evidence: str) -> tuple[str, str, str] | None:
    """``(name, the claim's nationality, the evidence's)`` for a name both describe with
    nationalities that share none; None when they agree or one gives none."""
    theirs = described(evidence)
    for name, mine in described(claim).items():
        other = next((d for n, d in theirs.items() if same_name(name, n)), None)
        if other is None or not mine.nationalities or not other.nationalities:
            continue
        if not any(same_name(a, b) for a in mine.nationalities for b in other.nationalities):
            return name, _one(mine.nationalities), _one(other.nationalities)
    return None


def another_of_its_kind(claim: str, evidence: str) -> tuple[str, str] | None:
    """``(the claim's name, the evidence's)`` where the evidence describes another name as the
    same kind of thing and never names the claim's: it speaks of another ship."""
    words = [w.strip(".,;:'’\"()").lower() for w in evidence.split()]
    theirs = described(evidence)
    for name, mine in described(claim).items():
        if not mine.kinds or any(same_name(name, w) for w in words if w):
            continue
        other = next(
            (n for n, d in theirs.items() if d.kinds & mine.kinds and not same_name(name, n)),
            None,
        )
        if other is not None:
            return name, other
    return None


@lru_cache(maxsize=4096)
def _described(sentence: str) -> tuple[tuple[str, frozenset[str], frozenset[str]], ...]:
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
            if child.dep_ in _MODIFIERS and _is_nationality(child)
        }
        kinds = {noun.lemma_.lower() for noun in nouns if noun.pos_ == "NOUN"}
        if nationalities or kinds:
            found.append((token.lower_, frozenset(nationalities), frozenset(kinds)))
    return tuple(found)


def described(sentence: str) -> dict[str, Description]:
    """Each name of ``sentence`` (the last word of a multi-word name) with its description."""
    result: dict[str, Description] = {}
    for name, nationalities, kinds in _described(sentence):
        description = result.setdefault(name, Description())
        description.nationalities |= nationalities
        description.kinds |= kinds
    return result


def _is_name(token: Token) -> bool:
    """A proper noun that heads its name ("Beijixing" of "CNS Beijixing") and is no
    nationality."""
    return (
        token.pos_ == "PROPN"
        and not (token.dep_ == "compound" and token.head.pos_ == "PROPN")
        and not _is_nationality(token)
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


def _is_nationality(token: Token) -> bool:
    return token.text[:1].isupper() and is_nationality(token.text)


def _one(words: set[str]) -> str:
    return ", ".join(sorted(w.capitalize() for w in words))

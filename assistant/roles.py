"""Who did what to whom: the names in the roles of a sentence's verbs, read from spaCy's parse,
so that a claim with the roles the other way round ("Russia supplies drone parts to China"
against "Chinese companies shipped drone engines to Russia") is not read as the same
statement. Entailment judges of this size read both as one bag of words and back it.

A role holds the names of its noun phrase (proper nouns, nationalities, model names such as
"F-35A"), not its common nouns: "companies" and "engines" say nothing about who.

* doer: the subject of an active verb, or the "by" agent of a passive one;
* receiver: the object, the subject of a passive verb, or the "to" object ("shipped … to
  Russia").

"Replace", "substitute" and "supplant" name the newcomer as the doer, in "Y replaces X" and in
"… replace X with Y" alike: the United States replacing F-16s with F-35As is the F-35As
replacing the F-16s.

Roles are compared only between the same verb, or between two verbs of sending ("supplies" /
"shipped"), and never for a verb whose sides can trade places ("Putin met Xi" is "Xi met
Putin"); other pairs of verbs are often converses ("visited" / "hosted", "beat" / "lost to").
A pair of the same verb that agrees outweighs one that crosses.

The small spaCy pipeline misreads some sentences ("Russia supplies drone engines to China"
parses "supplies" as a noun): where the parse gives no roles, "A sends X to B" is read from the
wording (the names before a verb of sending, and those right after its "to"); otherwise the
other judges decide alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from assistant.values import is_nationality, same_name

if TYPE_CHECKING:
    from spacy.tokens import Token

_REPLACING = frozenset({"replace", "substitute", "supplant"})
_SENDING = frozenset(
    {"supply", "ship", "send", "sell", "export", "deliver", "provide", "give", "transfer",
     "smuggle", "hand", "lend", "pay"}
)  # fmt: skip
# Verbs whose subject is the one that receives.
_RECEIVING = frozenset(
    {"receive", "get", "obtain", "buy", "import", "acquire", "accept", "purchase", "source"}
)
_SYMMETRIC = frozenset(
    {"meet", "speak", "talk", "negotiate", "fight", "clash", "trade", "ally", "partner",
     "agree", "cooperate", "compete", "marry", "call"}
)  # fmt: skip
_NAMING_ENTITIES = frozenset({"NORP", "GPE", "ORG", "PERSON", "PRODUCT", "LOC", "FAC"})


@dataclass(frozen=True)
class Roles:
    """The names in one verb's roles."""

    verb: str
    doer: frozenset[str]
    receiver: frozenset[str]


def swapped_roles(
    claim: str, evidence: str, verbs: frozenset[str] | None = None
) -> tuple[str, str] | None:
    """Two names whose roles the evidence has the other way round from the claim: a name that
    does in the claim receives in the evidence, and one that receives in the claim does in the
    evidence. ``None`` when no verb of either sentence has names in both roles; only the
    claim's ``verbs`` (lemmas) are read when given."""
    for mine in verb_roles(claim):
        if verbs is not None and mine.verb not in verbs:
            continue
        crossed = None
        for theirs in verb_roles(evidence):
            if not _comparable(mine.verb, theirs.verb):
                continue
            if _shared(mine.doer, theirs.doer) and _shared(mine.receiver, theirs.receiver):
                crossed = None  # the same roles somewhere in the evidence
                break
            doer = _shared(mine.doer, theirs.receiver)
            receiver = _shared(mine.receiver, theirs.doer)
            if doer and receiver and doer != receiver:
                crossed = crossed or (doer, receiver)
        if crossed:
            return crossed
    return None


def replaced_the_other_way(claim: str, evidence: str) -> tuple[str, str] | None:
    """The newcomer and the one replaced where the evidence has them the other way round
    ("the United States is replacing the F-35As with F-16s" against "48 F-35A fighters will
    replace the older F-16s"). Unlike sending, replacing goes one way only: that the F-35As
    replace the F-16s rules out the reverse, so this contradicts the claim, where another
    swap of roles only speaks of another statement."""
    return swapped_roles(claim, evidence, _REPLACING)


def receiver_acts(claim: str, evidence: str) -> tuple[str, str] | None:
    """The claim's sender and receiver where the claim sends something ("Russia supplies
    drone parts to China") and the evidence has the receiver act, as the subject of its verbs,
    without receiving anything: "China was the source of 80% of the electronics in Russian
    drones", "Russia and China sent aircraft close to Japan". Its verb is no verb of sending
    whose roles ``swapped_roles`` could compare, and the small entailment judge reads the
    names alone. ``None`` where the claim sends nothing or the evidence has the receiver
    receive (or no subject named)."""
    sending = [r for r in verb_roles(claim) if r.verb in _SENDING]
    if not sending:
        return None
    acting, receiving, senders = _subjects_and_receivers(evidence)
    for roles in sending:
        receiver = _shared(roles.receiver, acting)
        if not receiver or _shared(roles.receiver, receiving):
            continue
        # "China uses drone parts supplied by Russia": the claim's sender sends there, and the
        # receiver is not sending beside it.
        if any(
            _shared(roles.doer, doers) and not _shared(roles.receiver, doers) for doers in senders
        ):
            continue
        return next(iter(sorted(roles.doer))), receiver
    return None


def receiver_does(claim: str, evidence: str) -> tuple[str, str] | None:
    """The claim's doer and receiver where the evidence has that receiver do the same to
    someone it does not name: "The spy ship Beijixing shadowed the destroyer JS Suzutsuki"
    against "The destroyer JS Suzutsuki shadowed the ship", which says who shadowed whom the
    other way round (the ship there is the Beijixing). ``None`` where the evidence has the
    claim's roles somewhere, names its receiver (``swapped_roles`` reads that), or has the
    claim's doer act too."""
    for mine in verb_roles(claim):
        theirs = [r for r in _all_roles(evidence) if _comparable(mine.verb, r.verb)]
        if any(_shared(mine.doer, r.doer) and _shared(mine.receiver, r.receiver) for r in theirs):
            continue
        for roles in theirs:
            if roles.receiver or _shared(mine.doer, roles.doer):
                continue
            if receiver := _shared(mine.receiver, roles.doer):
                return next(iter(sorted(mine.doer))), receiver
    return None


@lru_cache(maxsize=4096)
def _subjects_and_receivers(
    sentence: str,
) -> tuple[frozenset[str], frozenset[str], tuple[frozenset[str], ...]]:
    """The names that are the subject of an active verb of ``sentence``; those that receive
    (the object, a passive subject, "to" someone) in any verb's roles; and the doers of each
    verb of sending ("supplied by Russia" too)."""
    acting: set[str] = set()
    receiving: set[str] = set()
    senders: list[frozenset[str]] = []
    for roles in _all_roles(sentence):
        if roles.verb in _RECEIVING:  # "China received drones": China receives
            receiving |= roles.doer
        else:
            acting |= roles.doer
        if roles.verb in _SENDING and roles.doer:
            senders.append(roles.doer)
        receiving |= roles.receiver
    return frozenset(acting - receiving), frozenset(receiving), tuple(senders)


def _comparable(verb: str, other: str) -> bool:
    if verb in _SYMMETRIC or other in _SYMMETRIC:
        return False
    return verb == other or (verb in _SENDING and other in _SENDING)


def _shared(names: frozenset[str], others: frozenset[str]) -> str | None:
    return next((n for n in sorted(names) if any(same_name(n, o) for o in others)), None)


@lru_cache(maxsize=4096)
def verb_roles(sentence: str) -> tuple[Roles, ...]:
    """The roles of each verb of ``sentence`` that has names as both doer and receiver."""
    found = [roles for roles in _all_roles(sentence) if roles.doer and roles.receiver]
    if not found and (sent := _sent_by_wording(sentence)):
        found.append(sent)
    return tuple(found)


@lru_cache(maxsize=4096)
def _all_roles(sentence: str) -> tuple[Roles, ...]:
    """The roles of every verb of ``sentence``, from one parse (both readers of roles use
    them)."""
    from assistant.stance import nlp

    return tuple(_roles(t) for t in nlp()(sentence) if t.pos_ in {"VERB", "AUX"})


def _sent_by_wording(sentence: str) -> Roles | None:
    """The roles of "A sends X to B" read from the words where the parse found none: the
    small pipeline tags "supplies" in "Russia supplies drone engines to China" as a noun.
    The doer is the name right before the verb ("Russia" of "Officials said Russia
    supplies …"), the receiver the one right after its "to"."""
    found = _SENDING_WORDS.search(sentence)
    if found is None:
        return None
    last = found.group("doer").split()[-1]
    # "Chinese navy ships were spotted …", "Chinese exports to China": a noun, or a
    # nationality that makes the verb a noun, before it; no one is sending.
    if last[:1].islower() or is_nationality(last):
        return None
    doer = _names_in(found.group("doer"))
    receiver = _names_in(found.group("receiver"))
    if not doer or not receiver or doer & receiver:
        return None
    return Roles("supply", frozenset(doer), frozenset(receiver))


def _names_in(phrase: str) -> set[str]:
    """The last run of capitalised words of a phrase (the name nearest the verb), an opening
    article left out."""
    runs = re.findall(r"\b[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)*", phrase)
    words = runs[-1].split() if runs else []
    return {w.lower() for w in words if w.lower() not in {"the", "a", "an"}}


# "ship" and "ships" are left out: "navy ships were spotted close to Japan" sends nothing.
_SENDING_VERBS = (
    r"(?:suppl(?:y|ies|ied|ying)|ship(?:ped|ping)|sen(?:d|ds|t|ding)|s(?:ell|ells|old|elling)"
    r"|export(?:s|ed|ing)?|deliver(?:s|ed|ing)?|provid(?:e|es|ed|ing)|transfer(?:s|red|ring)?)"
)
_SENDING_WORDS = re.compile(
    rf"^(?P<doer>[^,;]+?)\s+(?:(?:is|are|was|were|has|have|had|been)\s+)*{_SENDING_VERBS}\b"
    r"[^,;]*?(?<!according )\bto\s+(?P<receiver>(?:the\s+)?[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)*)"
)


def _roles(verb: Token) -> Roles:
    doer: set[str] = set()
    receiver: set[str] = set()
    newcomer: set[str] = set()
    replacing = verb.lemma_.lower() in _REPLACING
    for child in verb.children:
        if child.dep_ == "nsubj":
            doer |= _names(child)
        elif child.dep_ in {"dobj", "nsubjpass", "dative"}:
            receiver |= _names(child)
        elif child.dep_ in {"agent", "prep"}:
            preposition = child.lower_
            for target in (c for c in child.children if c.dep_ == "pobj"):
                if preposition == "by" and child.dep_ == "agent":
                    doer |= _names(target)
                elif preposition == "to":
                    receiver |= _names(target)
                elif replacing and preposition in {"with", "by"}:
                    newcomer |= _names(target)
    if replacing and newcomer:
        doer = newcomer  # "the US replaces X with Y": Y replaces X
    doer -= receiver
    return Roles(verb.lemma_.lower(), frozenset(doer), frozenset(receiver))


def _names(head: Token) -> set[str]:
    """The names in the noun phrase ``head`` heads, up to the head and its compounds and
    conjuncts ("Russia and China"), not its relative clause."""
    names = set()
    for token in _phrase(head):
        if token.pos_ == "PROPN" or token.ent_type_ in _NAMING_ENTITIES:
            names.add(token.lower_)
        elif token.text[:1].isupper() and is_nationality(token.text):
            names.add(token.lower_)  # "Chinese companies": the small model tags no NORP here
        elif any(ch.isdigit() for ch in token.text) and any(ch.isupper() for ch in token.text):
            names.add(token.lower_)  # "F-35As", "Il-20"
        elif token.text[:1].isupper() and "appos" in (token.dep_, token.head.dep_):
            names.add(token.lower_)  # "the spy ship Beijixing": a name the model tags NOUN
    return names


def _phrase(head: Token) -> list[Token]:
    """The tokens up to the head, its conjuncts', and the name in apposition after it ("the
    destroyer JS Suzutsuki", "the spy ship Beijixing": the same one, named)."""
    tokens = [t for t in head.doc[head.left_edge.i : head.i + 1] if not t.is_punct]
    for conjunct in head.conjuncts:
        tokens.extend(t for t in head.doc[conjunct.left_edge.i : conjunct.i + 1])
    for named in (c for c in head.children if c.dep_ == "appos" and c.i > head.i):
        tokens.extend(t for t in head.doc[named.left_edge.i : named.i + 1] if t.text[:1].isupper())
    return tokens

"""The name a who/which question asks for, stated before the sentences that give it (issue 18,
item 2): "Which destroyer shadowed the Beijixing?" is answered "JS Suzutsuki [1]." and then the
sentence it comes from, cited.

Only where the sentence ties the name to the question: right after the noun of "which/what
<noun>" ("the destroyer JS Suzutsuki"), or holding it ("Naha Air Base" for "which air base"),
or before the verb of "who <verb>" ("Beijing has dismissed"); for a noun, another sentence of
its article may tie it ("the … intelligence ship Kareliya"). "Which edition of the festival
opened?" is not answered "Odori Park", the one name its sentence gives.

The name is read from the best answer sentence (the one the composer ranks first): its runs of
capitalised words, less those the question names, the outlets, nationalities, months and days,
function words, and a sentence's capitalised first word unless the sources also write it
capitalised inside a sentence ("Officials said" is no name, "Beijing has dismissed" is). For
"who", an acronym ("FTX") is no person. Exactly one run must be left: with two or more, no
name is stated, since a wrong name said first misleads more than none. The fullest form the
quoted sentences write of it ("Sam Bankman-Fried" for "Bankman-Fried") is stated, cited where
it is written. The name opens the answer as its first line (``Answer.verdict_line``), not as
a sentence of its own: a bare name is no claim a citation could back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from assistant.candidates import Candidate
from assistant.keyword import stopwords
from assistant.values import MONTH_NAMES, is_nationality, named_in_another_form, same_name

_RUN = re.compile(r"[A-Z][\w\-]*(?:['’]s\b)?(?:\s+[A-Z][\w\-]*(?:['’]s\b)?)*")
_WEEKDAYS = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
)
# Longest form taken: at most this many more words than the name read ("Sam Bankman-Fried").
_FULLER_BY = 2


@dataclass(frozen=True)
class Lead:
    name: str
    source: Candidate  # the sentence that writes the name as stated


def lead(
    question: str,
    asked: set[str],
    best: Candidate,
    quoted: list[Candidate],
    candidates: list[Candidate],
) -> Lead | None:
    """The name to state first for a who/which question (``asked``: the names it gives,
    lower-cased), from the ``best`` of the ``quoted`` sentences, or None when it does not give
    exactly one other name. ``candidates``: every sentence read, to tell names from words
    capitalised because they open a sentence."""
    anchor = _anchor(question)
    if anchor is None:
        return None
    outlets = {c.passage.outlet.lower() for c in candidates}
    proper = _written_inside_sentences(candidates)
    person = anchor.kind == "verb"
    # Its article may tie the name to the noun elsewhere: "From 25 January, the Kareliya
    # transited …" answers "which ship", as "the … intelligence ship Kareliya" says before.
    tying = [best.text] + (
        [c.text for c in candidates if c.passage.article_id == best.passage.article_id]
        if anchor.kind == "noun"
        else []
    )
    names = [
        n
        for n in _names(best.text, asked, outlets, proper, person=person)
        if any(_anchored(n, anchor, text) for text in tying)
    ]
    if len(names) != 1:
        return None
    return _fullest(names[0], best, quoted)


@dataclass(frozen=True)
class Anchor:
    """Where the name asked for stands in an answering sentence: after the noun of "which
    destroyer" ("the destroyer JS Suzutsuki") or inside the name ("Naha Air Base" for "which
    air base"); before the verb of "who dismissed" ("Beijing has dismissed")."""

    kind: Literal["noun", "verb"]
    words: tuple[str, ...]


_AUXILIARY_WORDS = "is are was were be been do does did has have had will would can could may might"
_AUXILIARIES = frozenset(_AUXILIARY_WORDS.split())
# "Which Japanese destroyer …", "Which Russian spy ship …": the nouns after any capitalised
# words, up to two ("spy ship"); a second one ending in -ed is the verb ("destroyer shadowed").
_WHICH_NOUN = re.compile(
    r"^\s*(?i:which|what)\s+(?:[A-Z][\w\-]*\s+)*([a-z][\w\-]*)(?:\s+([a-z][\w\-]*))?"
)
_WHO_VERB = re.compile(r"^\s*(?i:who)\s+([a-z][\w\-]*)")
# Words between the noun and the name: "the destroyer JS Suzutsuki", "the ship, Kareliya".
_NEAR = 3


def _anchor(question: str) -> Anchor | None:
    """What ties the name to the question: the noun of "which/what <noun>", or the verb of
    "who <verb>"; None for "who is …", "where …" and the rest, where no name is stated."""
    noun = _WHICH_NOUN.match(question)
    if noun and noun.group(1) in stopwords():
        return None  # "Which of the ships …": no noun to tie a name to
    if noun:
        second = noun.group(2)
        nouns = [noun.group(1)] + (
            [second]
            if second
            and not second.endswith("ed")
            and second not in _AUXILIARIES
            and second not in stopwords()
            else []
        )
        return Anchor("noun", tuple(nouns))
    verb = _WHO_VERB.match(question)
    if verb and verb.group(1).lower() not in _AUXILIARIES:
        return Anchor("verb", (verb.group(1).lower(),))
    return None


def _anchored(name: str, anchor: Anchor, sentence: str) -> bool:
    words = re.findall(r"[\w\-]+", sentence)
    lowered = [w.lower() for w in words]
    start = _find(name.split(), words)
    if start is None:
        return False
    if anchor.kind == "noun":
        if any(_same_noun(noun, w.lower()) for noun in anchor.words for w in name.split()):
            return True  # "Naha Air Base" for "which air base"
        nouns = [i for i, w in enumerate(lowered) if any(_same_noun(n, w) for n in anchor.words)]
        return any(0 < start - i <= _NEAR for i in nouns)
    stem = anchor.words[0][:4]  # "dismissed" / "has dismissed", "shadows" / "shadowed"
    verbs = [i for i, w in enumerate(lowered) if w.startswith(stem)]
    return any(start < i for i in verbs)


def _same_noun(noun: str, word: str) -> bool:
    """The noun or its plural ("unit" is not "united")."""
    return word in (noun, f"{noun}s", f"{noun}es") or noun in (f"{word}s", f"{word}es")


def _find(name: list[str], words: list[str]) -> int | None:
    for i in range(len(words) - len(name) + 1):
        if [re.sub(r"['’]s$", "", w) for w in words[i : i + len(name)]] == name:
            return i
    return None


def _names(
    sentence: str, asked: set[str], outlets: set[str], proper: set[str], *, person: bool
) -> list[str]:
    found: list[str] = []
    for m in _RUN.finditer(sentence):
        words = [re.sub(r"['’]s$", "", w) for w in m.group(0).split()]
        if m.start() == 0 and words[0] not in proper:
            words = words[1:]  # capitalised because it opens the sentence
        while words and _never_a_name(words[0]):
            words = words[1:]
        if not words or all(is_nationality(w) for w in words):
            continue
        if " ".join(words).lower() in outlets or (person and all(w.isupper() for w in words)):
            continue
        if any(same_name(w.lower(), a) for w in words for a in asked) or any(
            named_in_another_form(a, " ".join(words)) for a in asked
        ):
            continue  # the question's own names are not its answer ("US": "United States")
        if " ".join(words) not in found:
            found.append(" ".join(words))
    return found


def _never_a_name(word: str) -> bool:
    lowered = word.lower()
    return lowered in stopwords() or lowered in MONTH_NAMES or lowered in _WEEKDAYS


def _written_inside_sentences(candidates: list[Candidate]) -> set[str]:
    """Words the sources write capitalised after a sentence's first word: proper names."""
    return {w for c in candidates for w in re.findall(r"(?<=\s)[A-Z][\w\-]*", c.text)}


def _fullest(name: str, best: Candidate, quoted: list[Candidate]) -> Lead:
    """The longest form of ``name`` the quoted sentences write (it ends the same way, with at
    most ``_FULLER_BY`` more words), from the best sentence first."""
    words = name.split()
    chosen = Lead(name, best)
    for c in [best, *quoted]:
        for m in _RUN.finditer(c.text):
            run = [re.sub(r"['’]s$", "", w) for w in m.group(0).split()]
            while run and (_never_a_name(run[0]) or is_nationality(run[0])):
                run = run[1:]
            fuller = len(words) < len(run) <= len(words) + _FULLER_BY
            if fuller and run[-len(words) :] == words and len(run) > len(chosen.name.split()):
                chosen = Lead(" ".join(run), c)
    return chosen

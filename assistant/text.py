"""Small text helpers shared across the package."""

from __future__ import annotations

import re

from assistant.errors import InputError

# Characters that end a sentence (or a quotation closing one); a short line without one is a
# heading.
TERMINAL = (".", "!", "?", '"', "”", "’", "'", ")")


def normalise(text: str, *, lower: bool = False) -> str:
    """White space collapsed to single spaces (and lower case with ``lower``): how two copies
    of one sentence are compared."""
    text = " ".join(text.split())
    return text.lower() if lower else text


_NEGATION = re.compile(r"\b(?:not|no|never|none|neither|nor|cannot|without)\b|n['’]t\b", re.I)


def negated(text: str) -> bool:
    """Whether a sentence says "not", "never", "without" and the like somewhere."""
    return bool(_NEGATION.search(text))


def negated_word(text: str) -> str:
    """The word the first "not" of a sentence negates, lower-cased ("violate" in "The Joint
    Staff said it did not violate Japanese airspace"; "shots" in "no shots were fired"), past
    auxiliaries and adverbs; "" when it says none."""
    found = _NEGATION.search(text)
    if found is None:
        return ""
    words = re.findall(r"[a-z]+", text[found.end() :].lower())
    return next((w for w in words if w not in _PAST_NEGATION), "")


# Words after a "not" that it still governs: "no additional measures planned".
NEGATION_REACH = 4
# Words that end a "not"'s clause: "did not stop, and entered". ("yet" is none: "not yet".)
_CLAUSE_JOINS = frozenset(["and", "but", "though", "although", "while"])


def unnegated_words(text: str) -> list[str]:
    """The words of a sentence, lower-cased, less the ``NEGATION_REACH`` words after each
    "not", "no" or "never" ("entered" of "The ship entered, though no shots were fired"; not
    "planned" of "it has no additional measures planned")."""
    words: list[str] = []
    reach = 0
    for m in re.finditer(r"[A-Za-z]+(?:['’][A-Za-z]+)?|[,;:.!?]", text):
        word = m.group(0).lower()
        if not word[0].isalpha() or word in _CLAUSE_JOINS:
            reach = 0  # "did not stop, and entered": the "not" ends with its clause
            continue
        if _NEGATION.search(word):
            reach = NEGATION_REACH
            continue
        if reach:
            reach -= 1
            continue
        words.append(word)
    return words


_PAST_NEGATION = frozenset(
    ["be", "been", "being", "have", "has", "had", "to", "a", "an", "the", "yet", "ever", "even",
     "really", "always", "quite"]
)  # fmt: skip


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def cleaned(text: str | None, what: str, hint: str, limit: int) -> str:
    """A question or claim as typed, control characters and runs of white space made single
    spaces; an empty or over-long one is refused in one sentence. Light on purpose: the CLI
    checks before it loads any model."""
    text = " ".join(_CONTROL.sub(" ", text or "").split())
    if not text:
        raise InputError(f"The {what} is empty; {hint}.")
    if len(text) > limit:
        raise InputError(f"The {what} is {len(text)} characters long; the limit is {limit}.")
    return text

"""Words that turn a statement into its opposite: "will continue" / "will stop", "confirmed" /
"denied", "closer" / "further".

The support judge's rules use them as a guard beside the entailment judge, which reads "Russia
and China will likely continue expanding their military activity" as backing "China and Russia
will stop their military activity" (it shares every other word). Only polarity pairs are
listed: the same event or state, said to happen or not, to go up or down. Converse pairs
("before" / "after", "bought" / "sold", "won" / "lost", "more" / "fewer") are left out on
purpose: swapping the two sides of the sentence says the same thing with the other word
("A won against B" is "B lost to A"), so a flipped word there proves nothing. Comparatives
are the one exception: when both sentences compare with the same thing ("more often … than the
year before" against "lower than the year before"), nothing was swapped, and "more" is the
opposite of "lower".
"""

from __future__ import annotations

import re

from assistant.values import MONTH_NAMES, figures, same_name

_PAIRS = """
continue stop | continues stops | continued stopped | continuing stopping
start stop | starts stops | started stopped | starting stopping
increase decrease | increases decreases | increased decreased | increasing decreasing
rise fall | rises falls | rose fell | rising falling
grow shrink | grows shrinks | grew shrank | growing shrinking
raise lower | raises lowers | raised lowered | raising lowering
impose lift | imposes lifts | imposed lifted | imposing lifting
confirm deny | confirms denies | confirmed denied | confirming denying
admit deny | admits denies | admitted denied | admitting denying
accept reject | accepts rejects | accepted rejected | accepting rejecting
approve reject | approves rejects | approved rejected | approving rejecting
allow ban | allows bans | allowed banned | allowing banning
support oppose | supports opposes | supported opposed | supporting opposing
agree disagree | agrees disagrees | agreed disagreed | agreeing disagreeing
include exclude | includes excludes | included excluded | including excluding
succeed fail | succeeds fails | succeeded failed | success failure
closer further | closer farther | nearer further | nearer farther
open closed | opened closed | legal illegal | possible impossible
likely unlikely | true false | alive dead
"""


_COMPARATIVES = """
more fewer | more less | more lower | higher lower | higher fewer | greater smaller
larger smaller | bigger smaller | earlier later | faster slower | stronger weaker
"""


def _table(pairs: str = _PAIRS) -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for entry in re.split(r"[|\n]", pairs):
        if entry.strip():
            first, second = entry.split()
            table.setdefault(first, set()).add(second)
            table.setdefault(second, set()).add(first)
    return {word: frozenset(others) for word, others in table.items()}


OPPOSITES = _table()
COMPARED_OPPOSITES = _table(_COMPARATIVES)
_WORD = re.compile(r"[a-z0-9]+")
_PREPOSITIONS = frozenset({"against", "for", "from", "in", "on", "at", "to", "by", "with", "of"})
_FURTHER = re.compile(r"\bfurther\b(?! away\b| from\b)")
_THAN = re.compile(r"\bthan\s+(?:in\s+|the\s+|a\s+|an\s+)*((?:[\w\-]+\s*){1,3})", re.I)


def opposed_word(
    claim: str, evidence: str, *, comparatives: bool = False
) -> tuple[str, str] | None:
    """The claim's word and the evidence's opposite of it, when the evidence says the one and
    not the other (and the claim the reverse); None when no word is flipped, or when two are
    ("will likely continue" is "is unlikely to stop"). With ``comparatives``, the pairs of
    comparatives instead, for two sentences that compare with the same thing. Whether the
    rest is the same statement is the caller's to judge."""
    if comparatives:
        compared = _compared_with(claim)
        if not compared or compared != _compared_with(evidence):
            return None
    said, given = _words(claim), _words(evidence)
    table = COMPARED_OPPOSITES if comparatives else OPPOSITES
    flipped = [
        (word, other)
        for word in sorted(said - given)
        for other in sorted(table.get(word, ()))
        if other in given and other not in said
    ]
    return flipped[0] if len({w for w, _ in flipped}) % 2 else None


# Comparatives that say the same direction in other words: "fewer jets … than the year
# before" is what "the number was lower than the year before" says, though the entailment
# judge reads "fewer" against "lower" as a contradiction (0.55 on that pair).
_DIRECTIONS = {
    "up": frozenset({"more", "higher", "greater", "larger", "bigger"}),
    "down": frozenset({"fewer", "less", "lower", "smaller"}),
}


def same_direction(claim: str, evidence: str) -> tuple[str, str] | None:
    """The claim's comparative and the evidence's other word for the same direction, when both
    compare with the same thing ("fewer … than the year before" and "lower than the year
    before"); None when either compares with something else, says both directions, or
    they use the same word (nothing to reconcile)."""
    compared = set(_comparisons(claim))
    if not compared or not compared & set(_comparisons(evidence)):
        return None
    said, given = _words(claim), _comparing_words(evidence, _words(claim))
    ours = [d for d, words in _DIRECTIONS.items() if words & said]
    theirs = [d for d, words in _DIRECTIONS.items() if words & given]
    if len(ours) != 1 or ours != theirs:
        return None
    words = _DIRECTIONS[ours[0]]
    mine, source = sorted(words & said), sorted(words & given)
    if set(mine) & set(source):
        return None
    return mine[0], source[0]


def _comparing_words(evidence: str, claimed: set[str]) -> set[str]:
    """The evidence's comparatives that compare what the claim counts: right before "than"
    (or one of the claim's words and then "than"), said of one of the claim's words or of a
    bare count ("the number was lower than …"); not "its budget was higher than …" or "flew
    at higher altitudes than …" against a claim of more jets."""
    found = set()
    for m in _COMPARATIVE_THAN.finditer(evidence.lower()):
        between = m.group("between")
        if between and between.strip() not in claimed:
            continue
        clause = re.split(r"[,;:]", evidence.lower()[: m.start()])[-1]
        said_of = set(_WORD.findall(clause))
        if said_of & (claimed | _COUNTS) - _FUNCTION_WORDS:
            found.add(m.group("word"))
    return found


_ALL_COMPARATIVES = "|".join(sorted({w for ws in _DIRECTIONS.values() for w in ws}))
_COMPARATIVE_THAN = re.compile(rf"\b(?P<word>{_ALL_COMPARATIVES})\b(?P<between> [a-z]+)? than\b")
_COUNTS = frozenset({"number", "total", "figure", "count", "tally", "it"})
_FUNCTION_WORDS = frozenset(
    ["the", "a", "an", "was", "were", "is", "are", "be", "been", "of", "in", "on", "at", "to",
     "for", "by", "than", "and", "or", "its", "their"]
)  # fmt: skip


def _words(sentence: str) -> set[str]:
    # "further" is a direction only before "away" or "from" ("further defence ties" is more).
    return set(_WORD.findall(_FURTHER.sub(" ", sentence.lower())))


def _compared_with(sentence: str) -> str | None:
    """What a comparison is made with: the words after "than" up to a preposition or a
    comma ("the year before", not "the year before against Russia")."""
    found = _THAN.search(sentence)
    return _compared_words(found) if found else None


def _compared_words(than: re.Match[str], *, as_written: bool = False) -> str | None:
    """What a "than" compares with; one period back in one wording ("the previous year" as
    "year before") unless ``as_written``."""
    words = _WORD.findall(than.group(1).lower())
    cut = next((i for i, w in enumerate(words) if w in _PREPOSITIONS), len(words))
    compared = " ".join(words[:cut])
    if not as_written and (one_back := _ONE_PERIOD_BACK.match(compared)):
        return f"{one_back.group(1) or one_back.group(2)} before"
    return compared or None


# One period back, in the words news uses for it: "the previous year", "the prior year" and
# "a year earlier" are all "the year before".
_PERIOD = "(year|month|week|quarter|season|day)"
_ONE_PERIOD_BACK = re.compile(
    rf"^(?:(?:previous|prior|preceding) {_PERIOD}|{_PERIOD} (?:before|earlier|ago))$"
)


def comparison_missing(claim: str, evidence: str) -> str | None:
    """What the claim compares with when the evidence makes no comparison: "more often in
    fiscal 2024 than the year before" is not backed by "670 times in fiscal year 2024", which
    says nothing of the year before. Any comparison in the evidence ("than", "up from",
    "compared with") or the compared words themselves leave it to the other readings. A bound
    ("more than 600 times", "more than half", "less than a week") is a value, the value rules'
    to judge, and "rather than" or "other than" compares nothing: None."""
    compared = _comparisons(claim, as_written=True)  # the claim's words, to find as written
    if not compared or _comparisons(evidence) or _COMPARING.search(evidence):
        return None
    given = _words(evidence)
    return next((c for c in compared if not set(c.split()) <= given), None)


def other_side_missing(claim: str, evidence: str) -> str | None:
    """The name a claim sets its subject against ("The Kareliya was seen before the
    Beijixing", "China sent more ships than Russia"), or that subject, when the evidence never
    names it: a sentence about one side alone neither backs nor refutes how the two compare,
    whatever the judge reads (it read "the Beijixing later sailed towards the East China Sea"
    against the Kareliya claim as a contradiction). The subject is the claim's first name; a
    country is named by its adjective too ("Chinese" for China), and a name of several words
    by all of them. A date or month after "before" is a moment, the value rules' to judge;
    a claim that opens with "Before" or "After" puts a clause in time."""
    if _OPENS_IN_TIME.match(claim):
        return None
    given = _words(evidence)
    for found in _SET_AGAINST.finditer(claim):
        if found.group(1).lower() in MONTH_NAMES | _DAYS:
            continue
        subject = next(iter(_names_before(claim, found.start())), None)
        for name in (found.group(1), subject):
            if name and not _named(name, given):
                return name
    return None


def _names_before(claim: str, end: int) -> list[str]:
    """The name runs of a claim before ``end``, an opening article dropped and an opening
    word that is no name ("Shortly after …") skipped."""
    runs = []
    for m in _NAME.finditer(claim, 0, end):
        words = m.group(0).split()
        if m.start() == 0 and words[0].lower() in _ARTICLES:
            words = words[1:]
        if m.start() == 0 and words and words[0].lower() in _NOT_NAMES:
            words = words[1:]
        if words:
            runs.append(" ".join(words))
    return runs


def _named(name: str, given: set[str]) -> bool:
    words = set(_WORD.findall(name.lower())) - _ARTICLES
    return all(any(same_name(w, g) for g in given) for w in words)


_OPENS_IN_TIME = re.compile(r"\s*(?:before|after)\b", re.I)
_SET_AGAINST = re.compile(
    r"\b(?:before|after|than)\s+(?:the\s+)?([A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)*)"
)
_NAME = re.compile(r"\b[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)*")
_ARTICLES = frozenset({"the", "a", "an"})
# Capitalised only because they open the sentence.
_NOT_NAMES = frozenset(
    ["shortly", "later", "earlier", "soon", "then", "now", "today", "yesterday", "last", "this",
     "that", "these", "those", "it", "he", "she", "they", "we", "in", "on", "at", "by", "for",
     "with", "from", "as", "when", "while", "since", "until", "after", "before", "more", "fewer"]
)  # fmt: skip
_DAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])


def compared_wording(sentence: str) -> str:
    """The words each comparison of the sentence is made with, as written ("than in the
    previous year" gives "previous year"): read as one with the evidence's "the year
    before" once the two compare with the same thing, so not the claim's words to find."""
    found = (_compared_words(m, as_written=True) for m in _THAN.finditer(sentence))
    return " ".join(words for words in found if words)


def _comparisons(sentence: str, *, as_written: bool = False) -> list[str]:
    """What each "than" of the sentence compares with, bounds and "rather than" left out."""
    bounds = [(f.start, f.end) for f in figures(sentence)]
    found = []
    for match in _THAN.finditer(sentence):
        if any(start <= match.start() < end for start, end in bounds):
            continue
        before = sentence[: match.start()].split()
        if before and before[-1].lower() in _NOT_COMPARING:
            continue
        compared = _compared_words(match, as_written=as_written)
        rest = sentence[match.start() + len("than") :]
        if compared and compared.split()[0] not in _BOUND_WORDS and not _A_BOUND.match(rest):
            found.append(compared)
    return found


_NOT_COMPARING = frozenset({"rather", "other"})
# "more than half", "more than doubled": a bound or an amount, not a comparison with another
# thing.
_BOUND_TEXT = """one two three four five six seven eight nine ten eleven twelve twenty thirty forty
    fifty hundred thousand million billion half third quarter twice double doubled tripled
    triple dozen few several"""
_BOUND_WORDS = frozenset(_BOUND_TEXT.split())
# "than a week" is a bound; "than a year earlier" a comparison.
_A_BOUND = re.compile(r"\s+an?\s+[\w\-]+\b(?!\s+(?:earlier|before|ago|previously)\b)", re.I)
_COMPARING = re.compile(
    r"\b(?:up|down) from\b|\bcompared (?:with|to)\b|\b(?:rose|fell|grew|dropped|increased|"
    r"decreased) (?:from|by)\b",
    re.I,
)

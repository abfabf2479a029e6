"""The values a sentence states (dates, years, numbers, names) and how close two sentences are
in wording: the rules that guard the learned judges (a changed figure never passes) and explain
their verdicts."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

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


def value_text(sentence: str, kind: str, value: str) -> str:
    """How ``sentence`` writes one of the values ``values`` gives normalised ("28 January" for
    date "1-28", "2,400" for number "2400", "Okinawa" for name "okinawa")."""
    if kind == "date":
        for pattern, day, month in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
            for m in pattern.finditer(sentence):
                if f"{_MONTHS[m.group(month).lower()]}-{int(m.group(day))}" == value:
                    return m.group(0).rstrip(".")
    elif kind in ("number", "year"):
        for m in _NUMBER.finditer(sentence):
            if m.group(0).replace(",", "") == value:
                return m.group(0)
    elif found := re.search(rf"\b{re.escape(value)}\b", sentence, re.I):
        return found.group(0)
    return value


def mask_values(sentence: str) -> str:
    """The sentence with its dates and numbers replaced by placeholders."""
    masked = _MONTH_DAY.sub("DATE", _DAY_MONTH.sub("DATE", sentence))
    return _NUMBER.sub("NUMBER", masked)


_WORD = re.compile(r"\w+(?:[.,'’]\w+)*")
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

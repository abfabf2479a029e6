"""The values a sentence states (dates, years, numbers, names) and how close two sentences are
in wording: the rules that guard the learned judges (a changed figure never passes) and explain
their verdicts."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache

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
MONTH_NAMES = frozenset(_MONTHS)  # lower-cased, abbreviations too ("jan", "sept")
_MONTH_WORDS = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_WORDS})\b\.?", re.I)
_MONTH_DAY = re.compile(rf"\b({_MONTH_WORDS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b", re.I)
# A month without a day ("in June", "early February", "October 2023"): written out and
# capitalised, after a word that puts something in time or before a year, so that the verb
# "may" and "March" opening a sentence are no months. A month joined to one ("from January to
# March") is one too.
_FULL_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_BARE_MONTH = re.compile(
    r"(?:\b(?i:in|since|until|till|by|during|before|after|from|through|throughout|early|late|"
    r"mid|last|next|this|of|between|for)\s+|\b(?i:mid)-)"
    rf"(?:early\s+|late\s+|mid-?)?({_FULL_MONTHS})\b(?!\s+\d{{1,2}}\b)(?!\s+[A-Z][a-z])"
    rf"|\b({_FULL_MONTHS})(?=,?\s+(?:1[89]|20)\d\d\b)"
)
_JOINED_MONTH = re.compile(rf"^\s*(?:and|or|to|through|until|-|–)\s*({_FULL_MONTHS})\b(?!\s+\d)")
# Not a part of a longer figure: "1,000-strong" holds no "1", "2.5-hour" no "2".
_NUMBER = re.compile(r"(?<![\w-])\d[\d,]*(?:\.\d+)?(?![\w-]|[.,]\d)")
_NAME = re.compile(r"\b[A-Z][\w\-]*")
# Abbreviated titles, written with a full stop before a name.
_TITLE_WORDS = """
    mr mrs ms mx dr prof rep reps sen sens gov govs pres lt col gen maj sgt cpl capt cmdr adm
    rev hon amb supt insp det"""
_TITLES = frozenset(_TITLE_WORDS.split())


# Numbers written in words where they count something: "ten warships", "four dozen", "six
# hundred and seventy". A lone "one" or "two" is left alone: "one of the ships", "the two
# navies" state no figure a source could give otherwise.
_UNIT_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_UNITS = {w: i for i, w in enumerate(_UNIT_WORDS.split())}
_TEN_WORDS = "- - twenty thirty forty fifty sixty seventy eighty ninety"
_TENS = {w: 10 * i for i, w in enumerate(_TEN_WORDS.split()) if i > 1}
_TENS_AND_UNITS = rf"(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(list(_UNITS)[1:10])}))?"
_SMALL = rf"(?:{_TENS_AND_UNITS}|{'|'.join(_UNITS)})"
_FROM_THREE = rf"(?:{_TENS_AND_UNITS}|{'|'.join(list(_UNITS)[3:])})"
_WORD_NUMBER = re.compile(
    rf"(?<![\w-])(?:(?P<dozens>a\s+couple\s+of|a|{_SMALL})\s+dozen|(?P<hundreds>a|{_SMALL})\s+hundred"
    rf"(?:\s+(?:and\s+)?(?P<rest>{_SMALL}))?|(?P<plain>{_FROM_THREE})"
    r"|(?P<scaled>a|one|two)(?=\s+(?:thousand|million|billion|trillion)\b))\b(?![\w-])",
    re.I,
)
# "2.4 million": the scale word belongs to the figure.
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SCALED = re.compile(r"\s+(thousand|million|billion|trillion)\b", re.I)
# A scale abbreviated after the digits: "bn" and "tn" anywhere, "m" and "k" after a currency
# sign only ("a 10m wall" is metres, "$2m" is money).
_ABBREVIATED_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "tn": 1e12}
_ABBREVIATED = re.compile(r"(?<![\w.,-])(?P<n>\d[\d,]*(?:\.\d+)?)(?P<s>bn|tn|mn|m|k)\b", re.I)
_CURRENCY_SIGNS = "$£€¥"
# A figure inside a compound word, counting what follows the hyphen: "a four-engine
# turboprop" has four engines, "a twin-engine" two, "a 48-hour stay" 48 hours ("twenty-five"
# is a number, not a compound; "a one-off" counts nothing; "four-fifths", "two-thirds" are
# shares; "a $5-million deal" is 5 million, "the 2022-era policy" a year).
_FRACTION = (
    r"(?:halves|thirds?|quarters?|"
    r"(?:four|fif|six|seven|eigh|nin|ten|twelf|hundred|thousand)ths?)\b"
)
_COMPOUND_WORDS = {"single": 1, "twin": 2} | {w: i for w, i in _UNITS.items() if i > 1}
_COMPOUND_VALUES = _COMPOUND_WORDS | _TENS
_COMPOUND = re.compile(
    rf"(?<![\w.,$£€-])(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|{'|'.join(_COMPOUND_WORDS)}|"
    rf"{'|'.join(_TENS)})"
    rf"-(?P<noun>(?!(?:{'|'.join([*_UNITS, *_TENS, *_SCALES])})\b|{_FRACTION})[a-z]{{3,}})"
    r"(?:-[a-z]+)?\b"
    r"(?![\w-])",
    re.I,
)
# A share written as a fraction: "half of the scrambles", "two-thirds of the crews", "a third
# of", "three in five", "one out of four". It states a percent, and loosely: a fraction word
# rounds ("two-thirds" is said of 64 percent as of 67), so unless a qualifier bounds it, it
# reads as an estimate ("about"). "Half" and "a third" are shares only before what they are a
# share of ("half an hour" is a span of time, "one and a half" a number, "the second half of
# the century" a time).
_DENOMINATORS = {
    "half": 2, "halve": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
_PART_WORDS = "|".join(list(_UNITS)[1:11])
_SHARE_OF = r"(?=\s+(?:of|the|its|their|his|her|all)\b)"
_FRACTION_SHARE = re.compile(
    rf"(?<![\w-])(?:"
    rf"(?<!and\s)(?P<num>a|{_PART_WORDS})[- ](?P<den>{'|'.join(_DENOMINATORS)})s?\b{_SHARE_OF}"
    rf"|(?<!first\s)(?<!second\s)(?<!latter\s)(?<!other\s)(?P<half>half){_SHARE_OF}"
    rf"|(?P<part>{_PART_WORDS}|\d{{1,2}})\s+(?:in|out\s+of)\s+(?P<whole>{_PART_WORDS}|\d{{1,3}})"
    r"(?![\w-])(?!\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\b))",
    re.I,
)
# Words before a figure that make it a bound or an estimate rather than the figure itself,
# longest first ("no more than" is a ceiling, not "more than"), with the range they allow.
_QUALIFIERS: tuple[tuple[str, str], ...] = (
    ("no more than", "at_most"), ("no fewer than", "at_least"), ("not more than", "at_most"),
    ("more than", "above"), ("greater than", "above"), ("in excess of", "above"),
    ("upwards of", "above"), ("at least", "at_least"), ("over", "above"), ("above", "above"),
    ("fewer than", "below"), ("less than", "below"), ("under", "below"), ("below", "below"),
    ("at most", "at_most"), ("up to", "at_most"),
    ("nearly", "nearly"), ("almost", "nearly"), ("close to", "about"), ("about", "about"),
    ("around", "about"), ("roughly", "about"), ("approximately", "about"), ("some", "about"),
    ("an estimated", "about"), ("estimated", "about"), ("circa", "about"),
)  # fmt: skip
_QUALIFIER = re.compile(
    r"\b(" + "|".join(re.escape(q) for q, _ in _QUALIFIERS) + r")\s+(?:a\s+|an\s+)?$", re.I
)
_BOUND_OF = dict(_QUALIFIERS)
# Words that open a sentence before a figure without naming it ("Only 3 ships", "All 12").
_QUALIFIER_WORDS = frozenset(q.split()[0] for q, _ in _QUALIFIERS) | frozenset(
    {
        "between", "only", "just", "all", "exactly", "another", "every", "each", "some",
        "at", "by", "in", "of", "for", "with", "after", "before", "since", "until", "from",
        "and", "but", "or",
    }
)  # fmt: skip
_NEXT_WORD = re.compile(r"\s+([A-Za-z][\w-]*)")
# Country adjectives, listed: a guess by the word's ending took "Pacific", "Caribbean" and
# "Japan" too.
_NATIONALITY_WORDS = """
    afghan albanian algerian american angolan argentine argentinian armenian australian
    austrian azerbaijani bahraini bangladeshi belarusian belgian bolivian bosnian brazilian
    british bulgarian burmese cambodian cameroonian canadian chadian chilean chinese colombian
    congolese croatian cuban cypriot czech danish dutch ecuadorian egyptian emirati eritrean
    estonian ethiopian filipino finnish french georgian german ghanaian greek guatemalan
    haitian honduran hungarian icelandic indian indonesian iranian iraqi irish israeli italian
    ivorian jamaican japanese jordanian kazakh kenyan korean kosovan kuwaiti kyrgyz lao latvian
    lebanese liberian libyan lithuanian malagasy malaysian malian maltese mexican moldovan
    mongolian montenegrin moroccan mozambican namibian nepalese nigerian nigerien norwegian
    omani pakistani palestinian panamanian paraguayan peruvian polish portuguese qatari
    romanian russian rwandan saudi scottish senegalese serbian singaporean slovak slovenian
    somali spanish sudanese swedish swiss syrian taiwanese tajik tanzanian thai tunisian
    turkish turkmen ugandan ukrainian uruguayan uzbek venezuelan vietnamese welsh yemeni
    zambian zimbabwean"""
NATIONALITIES = frozenset(_NATIONALITY_WORDS.split())
# Countries whose adjective and name share no start that ``same_name`` reads ("French" /
# "France"), or that go by other names ("American" / "the United States" / "US"): each line
# one country, every form of it. Capitalised abbreviations count only as capitals ("US", not
# the pronoun "us").
_COUNTRY_FORMS = """
    american | united states | US | USA | america
    british | united kingdom | UK | britain | great britain
    dutch | netherlands | holland
    french | france
    spanish | spain
    swiss | switzerland
    danish | denmark
    finnish | finland
    polish | poland
    irish | ireland
    welsh | wales
    scottish | scotland
    cypriot | cyprus
    filipino | philippines
    emirati | united arab emirates | UAE
    lao | laos
    ivorian | ivory coast
    malagasy | madagascar
    burmese | myanmar | burma"""
COUNTRY_FORMS: tuple[tuple[str, ...], ...] = tuple(
    tuple(form.strip() for form in line.split("|")) for line in _COUNTRY_FORMS.strip().splitlines()
)


# Capitals that news writes for their governments ("Beijing has dismissed these claims",
# "Moscow denied it"): each line a capital, then the lower-cased words of its country's names.
# Left out where a word of the country names another too: Seoul and Pyongyang ("Korea"),
# Washington ("US" is also a pronoun, "American" a continent's).
_SEATS_OF_GOVERNMENT = """
    beijing | china chinese
    moscow | russia russian
    tokyo | japan japanese
    kyiv kiev | ukraine ukrainian
    taipei | taiwan taiwanese
    london | britain british uk
    paris | france french
    berlin | germany german
    tehran | iran iranian
    ankara | turkey turkish
    delhi | india indian
    brussels | eu european
    jerusalem | israel israeli
    canberra | australia australian
    ottawa | canada canadian"""
GOVERNMENT_SEATS: dict[str, frozenset[str]] = {
    capital: frozenset(country.split())
    for capitals, country in (line.split("|") for line in _SEATS_OF_GOVERNMENT.strip().splitlines())
    for capital in capitals.split()
}


def with_governments(names: set[str]) -> set[str]:
    """``names`` (lower-cased) with the country each capital among them stands for:
    "beijing" adds "china" and "chinese"."""
    return names | {w for n in names for w in GOVERNMENT_SEATS.get(n, ())}


def named_in_another_form(name: str, text: str) -> bool:
    """Whether ``text`` names the country ``name`` (a name or an adjective) in one of its other
    forms, written as a name: capitalised ("the United States"; not "polish the plan"), in
    full ("the United Nations states" is not it), "America" not as part of "Latin America"."""
    pattern = _other_forms(name.lower())
    return pattern is not None and pattern.search(text) is not None


@lru_cache(maxsize=512)
def _other_forms(name: str) -> re.Pattern[str] | None:
    """One pattern for the other forms of a country's name or adjective ("french" → "France";
    "united states" → "American", "US", "USA", "America"), built once; None for anything
    else."""
    forms = next((f for f in COUNTRY_FORMS if any(x.lower() == name for x in f)), ())
    patterns = []
    for form in (f for f in forms if f.lower() != name):
        words = form.split() if form.isupper() else [w.capitalize() for w in form.split()]
        pattern = r"\s+".join(map(re.escape, words))
        if form.startswith("america"):
            pattern = r"(?<!Latin )(?<!South )(?<!North )(?<!Central )" + pattern
        patterns.append(pattern)
    return re.compile(rf"\b(?:{'|'.join(patterns)})\b") if patterns else None


def same_name(name: str, word: str) -> bool:
    """Whether two lower-cased words name the same thing, by a shared start of four letters
    or more that leaves at most two of the shorter word ("korea" / "korean", "china" /
    "chinese", "f-35a" / "f-35as"); numbers and years only exactly."""
    if name == word or name.isdigit() or word.isdigit():
        return name == word
    shorter = min(len(name), len(word))
    shared = next((i for i in range(shorter) if name[i] != word[i]), shorter)
    if any(map(_has_digit, (name[shared:], word[shared:]))) or _has_digit(name[:shared]):
        return _same_designation(name[shared:], word[shared:], name[:shared])
    return shared >= 4 and shared >= shorter - 2


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _same_designation(rest: str, other_rest: str, stem: str) -> bool:
    """Whether two names with digits that share ``stem`` name the same thing: one is the
    other, a variant of it or its plural ("f-35" / "f-35a" / "f-35as"), never another variant
    or model ("f-35a" / "f-35b", "mig-29" / "mig-31"); a name and its number ("covid" /
    "covid-19") as any two names are."""
    if not _has_digit(stem):
        if _has_digit(rest) and _has_digit(other_rest):
            return False  # another number after the same letters
        return len(stem) >= 4 and len(stem) >= min(len(stem + rest), len(stem + other_rest)) - 2
    rest, other_rest = rest.removesuffix("s"), other_rest.removesuffix("s")  # plurals
    if rest == other_rest:
        return True
    added = rest or other_rest
    return not (rest and other_rest) and added.isalpha() and len(added) <= 2


def is_nationality(word: str) -> bool:
    """Whether a capitalised word is a country adjective ("Russian", "Chinese", "Israeli"), for
    telling "three Russian warships" from a named thing."""
    return word[:1].isupper() and word.lower() in NATIONALITIES


# How far an estimate ("about 700", "roughly four dozen") may be from the figure it matches.
ESTIMATE_TOLERANCE = 0.1


@dataclass(frozen=True)
class Figure:
    """A number a sentence states: its value, how the sentence writes it, and the bound its
    wording sets ("more than 600": above; "about 700": about; a bare figure: exact)."""

    key: str  # normalised as ``values`` gives it: "2400000", "48", "1.5"
    value: float
    text: str
    bound: str = "exact"
    # What it counts: the start of the word after it ("time" for "670 times"), so that a
    # bound is met only by a figure of the same thing, not by any larger number nearby.
    counts: str = ""
    # Where the figure sits in its sentence, its qualifier ("more than") included.
    start: int = 0
    end: int = 0
    # Where ``counts`` is a nationality, the start of the word after it ("wars" for "three
    # Russian warships"); else empty.
    then: str = ""
    # Where it counts "times", the starts of the verbs before it in its clause ("scra" for
    # "scrambled fighter jets 704 times"): what it counts the times of.
    times_of: frozenset[str] = frozenset()

    def counts_as(self, other: Figure, *, acts: bool = True) -> bool:
        """Whether both figures count the same thing: "three Russian warships" and "five
        Russian warships" do, "five Russian aircraft" does not; with ``acts``, "scrambled …
        704 times" and "700 scrambles" do (a bound met, a figure written another way, but no
        changed count: "about 460 scrambles against Chinese aircraft" may be a part of the
        704)."""
        if self.counts == other.counts and self.then == other.then:
            return True
        return acts and (_times_of(self, other) or _times_of(other, self))

    def span(self) -> tuple[float, float]:
        """The values this figure's wording allows, as a closed range ("more than 20" starts
        just above 20)."""
        low, high = self.value * (1 - ESTIMATE_TOLERANCE), self.value * (1 + ESTIMATE_TOLERANCE)
        above, below = math.nextafter(self.value, math.inf), math.nextafter(self.value, -math.inf)
        return {
            "exact": (self.value, self.value),
            "above": (above, math.inf),
            "at_least": (self.value, math.inf),
            "below": (-math.inf, below),
            "at_most": (-math.inf, self.value),
            "about": (low, high),
            "nearly": (low, self.value),
        }[self.bound]

    def allows(self, other: float) -> bool:
        """Whether a source's exact figure ``other`` is what this one states."""
        low, high = self.value * (1 - ESTIMATE_TOLERANCE), self.value * (1 + ESTIMATE_TOLERANCE)
        return {
            "exact": other == self.value,
            "above": other > self.value,
            "at_least": other >= self.value,
            "below": other < self.value,
            "at_most": other <= self.value,
            "about": low <= other <= high,
            "nearly": low <= other <= self.value,
        }[self.bound]


def _small(words: str | None) -> int:
    if not words or words.lower() == "a":
        return 1
    if words.lower().startswith("a couple"):
        return 2  # "a couple of dozen"
    total = 0
    for part in re.split(r"[- ]", words.lower()):
        total += _UNITS.get(part, 0) + _TENS.get(part, 0)
    return total


def _key(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def figures(sentence: str) -> list[Figure]:
    """The numbers a sentence states (not its dates or years, not a number that ends a name
    such as "PlayStation 4"), in digits or in counting words, with their bounds."""
    return list(_figures(sentence))


# Values are read again for every pair a sentence is compared in (a claim against each
# sentence of another source): read once per sentence instead.
@lru_cache(maxsize=4096)
def _figures(sentence: str) -> tuple[Figure, ...]:
    # "20-30 warships": both ends are figures (an en dash, same length, as _NUMBER reads it).
    text = _HYPHEN_RANGE.sub(_dashed, _blank_dates_and_names(sentence))
    shares = _fraction_shares(sentence, text)
    found: list[Figure] = []
    for m in _NUMBER.finditer(text):
        value = float(m.group(0).replace(",", ""))
        key, end = m.group(0).replace(",", ""), m.end()
        if scaled := _SCALED.match(text, end):
            value *= _SCALES[scaled.group(1).lower()]
            key, end = _key(value), scaled.end()
        if _YEAR.match(key):
            continue
        found.append(_figure(key, value, sentence, m.start(), end, text))
    for m in _ABBREVIATED.finditer(text):  # "$2m", "£1.5bn", "2.4bn"
        scale = m.group("s").lower()
        after_a_sign = m.start() > 0 and text[m.start() - 1] in _CURRENCY_SIGNS
        if scale in ("m", "mn", "k") and not after_a_sign:
            continue
        value = float(m.group("n").replace(",", "")) * _ABBREVIATED_SCALES[scale]
        found.append(_figure(_key(value), value, sentence, m.start(), m.end(), text))
    for m in _WORD_NUMBER.finditer(text):
        if _in_a_name(text, m.start()):
            continue
        if m.group("dozens"):
            value = 12.0 * _small(m.group("dozens"))
        elif m.group("plain") or m.group("scaled"):
            value = float(_small(m.group("plain") or m.group("scaled")))
        else:
            value = 100.0 * _small(m.group("hundreds")) + _small(m.group("rest") or "zero")
        end = m.end()
        if scaled := _SCALED.match(text, end):  # "three million"
            value *= _SCALES[scaled.group(1).lower()]
            end = scaled.end()
        found.append(_figure(_key(value), value, sentence, m.start(), end, text))
    for m in _COMPOUND.finditer(text):
        number = m.group("n").lower().replace(",", "")
        if _YEAR.match(number) or _in_a_name(text, m.start()):  # "2022-era", "Three-Body"
            continue
        value = float(_COMPOUND_VALUES.get(number) or number)
        counts = m.group("noun").lower()[:4]
        found.append(Figure(_key(value), value, m.group(0), "exact", counts, m.start(), m.end()))
    # The numbers inside a fraction ("three in five") are its parts, not figures of their own.
    found = [f for f in found if not any(s.start <= f.start < s.end for s in shares)]
    # "15 years ago", "ten years ago this week": how long before the article was written, not a
    # value of the fact; two reports written years apart count it differently.
    return tuple(f for f in [*found, *shares] if not _AGO.match(text, f.end))


def _fraction_shares(sentence: str, text: str) -> list[Figure]:
    """The shares the sentence writes as fractions, in percent ("three in five": 60)."""
    shares = []
    for m in _FRACTION_SHARE.finditer(text):
        if m.group("half"):
            part, whole = 1, 2
        elif m.group("den"):
            part, whole = _small(m.group("num")), _DENOMINATORS[m.group("den").lower()]
        else:
            part, whole = (_count(m.group(g)) for g in ("part", "whole"))
        if not 0 < part < whole:
            continue  # "ten in two" is no share, nor "one in one"
        value = round(100.0 * part / whole, 1)
        figure = _figure(_key(value), value, sentence, m.start(), m.end(), text)
        bound = "about" if figure.bound == "exact" else figure.bound
        shares.append(replace(figure, counts="perc", then="", bound=bound))
    return shares


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _small(word)


_AGO = re.compile(r"\s+(?:years?|months?|weeks?|days?|decades?)\s+ago\b", re.I)


def _in_a_name(text: str, start: int) -> bool:
    """Whether a number word starting at ``start`` is part of a name: capitalised where a
    sentence does not open ("the Three Gorges Dam", "at Ten Downing Street")."""
    opens_sentence = not text[:start].strip(" \"'“‘([")
    return text[start].isupper() and not opens_sentence


def _times_of(times: Figure, thing: Figure) -> bool:
    return times.counts == "time" and not thing.then and thing.counts in times.times_of


def _verbs_before(text: str, start: int) -> frozenset[str]:
    """The starts of the past or present participles in the clause before ``start``
    ("scrambled", "launching"): the acts a count of "times" counts."""
    clause = re.split(r"[,;:]|\b(?:and|but|while|whereas)\b", text[max(0, start - 60) : start])[-1]
    words = re.findall(r"[a-z]+", clause.lower())
    return frozenset(w[:4] for w in words if len(w) > 5 and w.endswith(("ed", "ing")))


def _figure(key: str, value: float, sentence: str, start: int, end: int, text: str) -> Figure:
    after = _NEXT_WORD.match(sentence, end)
    counts = after.group(1).lower()[:4] if after else ""
    if sentence.startswith("%", end):  # "80%" counts what "80 percent" does
        after, counts = None, "perc"
    # "three Russian warships" are warships: after a nationality, the next word says what of
    # theirs is counted ("three Russian and five Chinese warships": "and", nothing named).
    following = _NEXT_WORD.match(sentence, after.end()) if after else None
    then = following.group(1).lower()[:4] if following and is_nationality(after.group(1)) else ""
    window = max(0, start - 24)
    qualifier = _QUALIFIER.search(text[window:start])
    bound = _BOUND_OF[qualifier.group(1).lower()] if qualifier else "exact"
    opens = window + qualifier.start() if qualifier else start
    times_of = _verbs_before(text, start) if counts == "time" else frozenset()
    return Figure(key, value, sentence[start:end], bound, counts, opens, end, then, times_of)


def _blank_dates_and_names(sentence: str) -> str:
    """The sentence with its dates, and numbers that end a name, blanked out (same length)."""
    blank = lambda m: " " * len(m.group(0))  # noqa: E731
    text = _MONTH_DAY.sub(blank, _DAY_MONTH.sub(blank, sentence))
    return _NAMED_NUMBER.sub(
        lambda m: " " * len(m.group(0)) if _names_a_number(m.group(1)) else m.group(0), text
    )


def _names_a_number(word: str) -> bool:
    """Whether a capitalised word before a number makes it part of a name ("PlayStation 4"),
    not a month, a qualifier or a function word that opens a sentence ("Between 20 and 30",
    "Some 20", "About 20")."""
    from assistant.keyword import stopwords

    lowered = word.lower()
    return lowered not in _MONTHS and lowered not in stopwords() and lowered not in _QUALIFIER_WORDS


_YEAR = re.compile(r"^(1[89]|20)\d\d$")


def _dashed(m: re.Match[str]) -> str:
    """ "20-30" as "20–30"; a season or a span of years ("2024-25", "1939-45") stays as it is."""
    return m.group(0) if _YEAR.match(m.group(1).replace(",", "")) else f"{m.group(1)}–{m.group(2)}"


_HYPHEN_RANGE = re.compile(r"(?<![\w-])(\d[\d,]*)-(\d[\d,]*)(?![\w-])")
# "PlayStation 4", "Season 17", "Spider-Man 2": a number that ends a name is part of it.
_NAMED_NUMBER = re.compile(r"\b([A-Z][\w\-]*)\s+(\d{1,3})\b(?![.,]?\d)")


def values(sentence: str) -> dict[str, set[str]]:
    """Dates (as month-day), years, numbers and capitalised names a sentence states."""
    return {kind: set(found) for kind, found in _values(sentence).items()}


@lru_cache(maxsize=4096)
def _values(sentence: str) -> dict[str, frozenset[str]]:
    dates = {
        f"{_MONTHS[m.group(2).lower()]}-{int(m.group(1))}" for m in _DAY_MONTH.finditer(sentence)
    }
    dates |= {
        f"{_MONTHS[m.group(1).lower()]}-{int(m.group(2))}" for m in _MONTH_DAY.finditer(sentence)
    }
    no_dates = _MONTH_DAY.sub(" ", _DAY_MONTH.sub(" ", sentence))
    no_dates = _NAMED_NUMBER.sub(
        lambda m: f"{m.group(1)}_{m.group(2)}" if _names_a_number(m.group(1)) else m.group(0),
        no_dates,
    )
    years = {n for m in _NUMBER.finditer(no_dates) if _YEAR.match(n := m.group(0).replace(",", ""))}
    numbers = {f.key for f in _figures(sentence)}
    from assistant.keyword import stopwords

    # Capitalised words, one by one, less function words that open a sentence ("The", "On")
    # and a title's abbreviation before a name ("Rep. Patrick McHenry", then "McHenry").
    names = {
        word
        for m in _NAME.finditer(no_dates)
        if (word := m.group(0).lower()) not in _MONTHS
        and word not in stopwords()
        and word not in _QUALIFIER_WORDS  # "More than 600", "About 64 percent": no names
        and not (word in _TITLES and no_dates.startswith(".", m.end()))
    }
    return {
        "date": frozenset(dates),
        "month": frozenset(_months(sentence) | {date.split("-")[0] for date in dates}),
        "year": frozenset(years),
        "number": frozenset(numbers - years),
        "name": frozenset(names),
    }


def _months(sentence: str) -> set[str]:
    """The months a sentence names without a day, as the month's number ("6" for "in June")."""
    found = set()
    for m in _BARE_MONTH.finditer(sentence):
        month, end = m.group(1) or m.group(2), m.end()
        found.add(str(_MONTHS[month.lower()]))
        while joined := _JOINED_MONTH.match(sentence[end:]):
            found.add(str(_MONTHS[joined.group(1).lower()]))
            end += joined.end()
    return found


def value_text(sentence: str, kind: str, value: str) -> str:
    """How ``sentence`` writes one of the values ``values`` gives normalised ("28 January" for
    date "1-28", "2,400" for number "2400", "Okinawa" for name "okinawa")."""
    if kind == "date":
        for pattern, day, month in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
            for m in pattern.finditer(sentence):
                if f"{_MONTHS[m.group(month).lower()]}-{int(m.group(day))}" == value:
                    return m.group(0).rstrip(".")
    elif kind == "number":
        for figure in figures(sentence):
            if figure.key == value:
                return figure.text
    elif kind == "year":
        for m in _NUMBER.finditer(sentence):
            if m.group(0).replace(",", "") == value:
                return m.group(0)
    elif found := re.search(rf"\b{re.escape(value)}\b", sentence, re.I):
        return found.group(0)
    return value


def compared_values(
    claim: str, other: str, *, both_ways: bool = False
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """The values of ``claim`` and ``other`` as ``values`` gives them, less the figures that
    agree once the claim's wording is read: "more than 600" is what "670" states, "roughly four
    dozen" what "48" does, so neither is a changed or a missing value. ``both_ways``: the other
    sentence's bounds count too (two sources, neither of which is the claim)."""
    mine, theirs = values(claim), values(other)
    _settle(mine["number"], theirs["number"], figures(claim), figures(other))
    _settle_ranges(mine["number"], theirs["number"], claim, other)
    if both_ways:
        _settle(theirs["number"], mine["number"], figures(other), figures(claim))
        _settle_ranges(theirs["number"], mine["number"], other, claim)
    return mine, theirs


def restated(claim: str, evidence: str) -> str:
    """The claim with each figure the evidence meets written as the evidence writes it ("more
    than 600 times" as "670 times", "four dozen" as "48"): what the entailment judge reads,
    so that it weighs the words while the figures are the rules' to compare (a small model
    reads "more than 600" against "670" as a contradiction)."""
    theirs = figures(evidence)
    rewritten = claim
    for figure in sorted(figures(claim), key=lambda f: -f.start):
        # The same figure written another way ("2,400,000" for "about 2.4 million"); a
        # bounded claim keeps its own words ("more than 2.4 million" is no estimate).
        meets = [
            e
            for e in theirs
            if (figure.bound == "exact" and e.key == figure.key and e.text != figure.text)
            or _bound_met(figure, e)
        ]
        if meets:
            nearest = min(meets, key=lambda e: abs(e.value - figure.value))
            text = nearest.text
            if not _SHARE_UNIT.match(claim, figure.end):  # "two-thirds" as "64 percent"
                text += _share_unit(evidence, nearest)
            rewritten = rewritten[: figure.start] + text + rewritten[figure.end :]
    return rewritten


_SHARE_UNIT = re.compile(r"\s*(?:%|per\s?cent\b)", re.I)


def _share_unit(sentence: str, figure: Figure) -> str:
    """The "%" or "percent" after a figure, as the sentence writes it; else nothing."""
    found = _SHARE_UNIT.match(sentence, figure.end)
    return found.group(0) if found else ""


def _settle(
    bounded_keys: set[str], exact_keys: set[str], bounded: list[Figure], exact: list[Figure]
) -> None:
    """Each bound or estimate takes the nearest figure of the other side that meets it and is
    not stated on both sides already ("over 600" takes 670, not the 2,400,000 beside it)."""
    stated_by_both = bounded_keys & exact_keys
    for figure in bounded:
        if figure.bound == "exact" or figure.key in stated_by_both:
            continue
        agreeing = [
            e for e in exact if e.key in exact_keys - stated_by_both and _bound_met(figure, e)
        ]
        if agreeing:
            nearest = min(agreeing, key=lambda e: abs(e.value - figure.value))
            bounded_keys.discard(figure.key)
            exact_keys.discard(nearest.key)


def shares(sentence: str) -> set[str]:
    """The keys of the figures a sentence gives as shares ("64 percent", "80%")."""
    return {
        f.key
        for f in figures(sentence)
        if f.counts in ("perc", "per") or sentence[f.end : f.end + 1] == "%"
    }


def _settle_ranges(range_keys: set[str], exact_keys: set[str], ranged: str, exact: str) -> None:
    """A range ("20 to 30 warships") is met by an exact figure of the same thing inside it
    ("25 warships"): neither end is a changed value."""
    for first, last in _ranges(ranged):
        if first is last:
            continue
        low, high = sorted((first.value, last.value))
        inside = [
            e.key
            for e in figures(exact)
            if e.bound == "exact" and e.counts_as(last) and low <= e.value <= high
        ]
        if inside:
            range_keys.difference_update({first.key, last.key})
            exact_keys.discard(inside[0])


def _bound_met(figure: Figure, other: Figure) -> bool:
    """Whether the bound or estimate ``figure`` is met by the exact figure ``other`` of the
    same thing."""
    return (
        figure.bound != "exact"
        and other.bound in ("exact", "about")  # "about 64 percent" is "more than three in five"
        and other.counts_as(figure)
        and figure.allows(other.value)
    )


def counted_otherwise(claim: str, evidence: str) -> tuple[Figure, Figure] | None:
    """A figure of the claim and one of the evidence that count the same thing and cannot
    both be true ("two dozen F-35As" against "48 F-35A stealth fighters", "about a dozen
    warships" against "more than 20 warships"), where no figure the evidence gives for that
    thing could be the claim's. The thing counted is the word after the figure; a function
    word ("80% of") names nothing, so it never pairs two figures."""
    theirs = _counted(evidence)
    for mine, my_span in _counted(claim):
        if not _counts_a_thing(mine.counts):
            continue
        same_thing = [(e, span) for e, span in theirs if e.counts_as(mine, acts=False)]
        if same_thing and not any(_meet(my_span, span) for _, span in same_thing):
            return mine, same_thing[0][0]
    return None


# What follows a figure that is a unit, a span of time or a rate rather than a thing counted:
# "3 per cent" and "5 per cent", "three days" and "five days" may well be of two things.
_NOT_THINGS = frozenset(
    {
        "per", "perc", "cent", "time", "more", "less", "fewe",  # rates and comparisons
        "seco", "minu", "hour", "day", "days", "week", "mont", "year",  # spans of time
        "kilo", "metr", "mile", "feet", "foot", "inch", "knot", "ton", "tonn", "degr",  # units
        "doll", "euro", "poun",  # money
    }
)  # fmt: skip
# "20 to 30 warships", "between 20 and 30 warships", "20-30 warships": one range.
_RANGE_JOIN = re.compile(r"^\s*(?:to|and|or|-|–)\s*$", re.I)


def _counted(sentence: str) -> list[tuple[Figure, tuple[float, float]]]:
    """Each figure of the sentence with the values its wording allows, a range ("20 to 30")
    read as one figure: its upper end, allowing all between."""
    counted: list[tuple[Figure, tuple[float, float]]] = []
    for first, last in _ranges(sentence):
        (low, _), (_, high) = first.span(), last.span()
        counted.append((last, (min(low, high), max(low, high))))
    return counted


def _ranges(sentence: str) -> list[tuple[Figure, Figure]]:
    """The sentence's figures in order as (first, last) pairs: both ends of a range ("20 to
    30"), or one figure twice."""
    ranges: list[tuple[Figure, Figure]] = []
    for figure in sorted(figures(sentence), key=lambda f: f.start):
        if ranges and _RANGE_JOIN.match(sentence[ranges[-1][1].end : figure.start]):
            ranges[-1] = (ranges[-1][0], figure)
        else:
            ranges.append((figure, figure))
    return ranges


def _meet(first: tuple[float, float], second: tuple[float, float]) -> bool:
    return first[0] <= second[1] and second[0] <= first[1]


def _counts_a_thing(counts: str) -> bool:
    from assistant.keyword import stopwords

    return len(counts) >= 3 and counts not in _NOT_THINGS and counts not in stopwords()


def shared_words(first: str, second: str) -> float:
    """Share of the shorter sentence's search terms, values masked, that the other holds: two
    sentences on one fact share many whatever their figures ("The ship was first seen on
    28 January" / "First seen on 30 January, the ship …")."""
    mine, theirs = _masked_terms(first), _masked_terms(second)
    if not mine or not theirs:
        return 0.0
    return len(mine & theirs) / min(len(mine), len(theirs))


@lru_cache(maxsize=4096)
def _masked_terms(sentence: str) -> frozenset[str]:
    from assistant.keyword import terms

    # Placeholders are no shared word: any two sentences with a figure would share "number".
    return frozenset(terms(mask_values(sentence))) - _PLACEHOLDERS


_PLACEHOLDERS = frozenset({"date", "number"})


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


# Fewest words a claim needs for "said within" to mean anything: a longer sentence holds
# "Russia won" in "Russia won nothing".
WITHIN_MIN_WORDS = 6
# Most words of a lead-in before the claim ("On 26 January,", "According to the Joint Staff,").
WITHIN_LEAD_WORDS = 8
# Lead-ins that make what follows a condition or a rebuttal ("If …,", "Contrary to reports,").
_FRAMING_LEAD = re.compile(
    r"\s*(?:if|unless|whether|though|although|despite|contrary|while|even)\b", re.I
)


def said_within(claim: str, evidence: str) -> bool:
    """Whether the evidence opens with the claim word for word, or says it whole after a short
    lead-in that ends with a comma, with more after it: "the ministry denied that Chinese
    companies shipped drone engines" in "… shipped drone engines to Russia's Alabuga drone
    factory". Words before the claim that are not a lead-in may frame it as false, doubtful or
    hypothetical ("It is false that …", "Officials doubt that …", "If …, sanctions follow"),
    so they never count; nor do words in order broken by others ("China says the US supplies
    Russia" does not hold "China supplies Russia")."""
    mine = _words(claim)
    if len(mine) < WITHIN_MIN_WORDS:
        return False
    lead_ins = [] if _FRAMING_LEAD.match(evidence) else re.finditer(r",(?!\d)\s*", evidence)
    openings = (
        [evidence]
        + [
            evidence[m.end() :]
            for m in lead_ins  # a comma, not the comma of "1,200"
            if len(_words(evidence[: m.start()])) <= WITHIN_LEAD_WORDS
        ]
    )
    return any(_words(opening)[: len(mine)] == mine for opening in openings)


@lru_cache(maxsize=4096)
def content_words(sentence: str) -> int:
    """Words that are not dates or numbers: what is left to tell what a sentence is about."""
    stated = values(sentence)["year"] | {
        w.lower() for f in figures(sentence) for w in _WORD.findall(f.text)
    }
    return sum(1 for w in _words(sentence) if w not in stated and not w.startswith("date_"))

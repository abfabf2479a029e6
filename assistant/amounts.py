"""Questions that compare the figures two reports give (issue 18, comparisons across outlets).

"Did Northern Dispatch report more scrambles than Defense Notes Weekly?", "Does A give a higher
death toll than B?", "Did A report a different bonus amount for new users than the A article
on Caesars?": each report's figure for the thing asked about, quoted and cited, and whether
the first is more, less, other than or the same as the second. A report is a ``Side``, named as
comparison questions name them (an outlet, a day, what it is about). What the second figure is
of may be said apart: "a higher batting average for Lee than B reported for Soto".

A figure is read from the report's sentence nearest to the thing asked about that states one;
of several figures in that sentence, the one with most of the thing's words around it
("$150 in bonus bets" for "bonus amount"). Figures with a bound ("more than 600") are
compared only where the bound decides: "more than 600" is not more than 650.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from assistant.candidates import Candidate, Quote, build_answer, citation_markers
from assistant.comparisons import Side, beyond_the_report, report_names, sides_of
from assistant.keyword import stopwords, terms
from assistant.parts import named_outlets
from assistant.polar import verdict_first
from assistant.types import Answer, Verdict
from assistant.values import Figure, figures, values

Relation = Literal["more", "less", "different", "same"]


@dataclass(frozen=True)
class FigureQuestion:
    sides: tuple[Side, Side]
    # What each report's figure is of ("batting average for Jung Hoo Lee in 2022").
    subjects: tuple[str, str]
    relation: Relation
    # "Which reported more X, A or B?": the answer is the report, not yes or no.
    which: bool = False


@dataclass(frozen=True)
class Reading:
    """One report's figure for its subject, and the sentence that states it."""

    figure: Figure
    sentence: Candidate


_RELATIONS: dict[str, Relation] = {
    **dict.fromkeys(("higher", "larger", "bigger", "greater", "more"), "more"),
    **dict.fromkeys(("lower", "smaller", "fewer", "less"), "less"),
    "different": "different",
    "the same": "same",
}
_GIVES = (
    r"(?:(?:report|give|cite|specify|state|mention|list|put|show|quote|record|count|carry|"
    r"publish|have|has)(?:s|ed|d)?|gave|had)"
)
# The words of a relation, as ``_RELATIONS`` reads them.
_MORE_OR_LESS = r"higher|lower|larger|smaller|bigger|greater|more|fewer|less"
_ANY_RELATION = rf"(?P<relation>{_MORE_OR_LESS}|different|the\s+same)"
_ASKS = re.compile(
    rf"^\s*(?:did|does|do|is|was|has|have)\s+(?P<first>.+?)\s+{_GIVES}\s+"
    rf"(?:(?:a|an|the)\s+)?{_ANY_RELATION}\s+(?P<what>.+?)\s+"
    r"(?P<connector>than|compared\s+(?:to|with)|from|as)\s+(?P<second>.+?)\s*\?*\s*$",
    re.I,
)
# "Did A and B report the same number of X?", "Do A and B give different figures for X?"
_PAIR_ASKS = re.compile(
    r"^\s*(?:did|does|do|have|has)\s+(?P<pair>.+?)\s+(?:both\s+)?" + _GIVES + r"\s+"
    r"(?:(?:a|an|the)\s+)?(?P<relation>different|the\s+same)\s+(?P<what>.+?)\s*\?*\s*$",
    re.I,
)
# "Do A and B agree on the number of X?", "Did A and B differ on how many X …?": agreement on
# a figure is the same figure (the comparisons module reads agreement on anything else).
_AGREE_ON_FIGURE = re.compile(
    r"^\s*(?:do|does|did)\s+(?P<pair>.+?)\s+(?:both\s+)?(?:(?P<agree>agree|concur)|"
    r"(?P<differ>disagree|differ))\s+(?:on|about|over|regarding|as\s+to|in)\s+(?:the\s+)?"
    r"(?P<what>(?:(?:number|count|tally|total|toll|amount|size)\s+of|how\s+many)\s+.+?)"
    r"\s*\?*\s*$",
    re.I,
)
# "Which outlet reported more X, A or B?", "Which of A and B gave a higher X?", "Between A
# and B, which reported fewer X?"
_WHICH = (
    r"(?:which|who)(?:\s+(?:one|outlet|source|report|article|paper|newspaper|publication|site))?"
    r"(?:\s+of\s+(?:the\s+two|them))?"
)
_WHICH_ASKS = (
    re.compile(
        rf"^\s*{_WHICH}\s+{_GIVES}\s+(?:(?:a|an|the)\s+)?(?P<relation>{_MORE_OR_LESS})\s+"
        r"(?P<what>.+?),?"
        r"\s+(?P<pair>[^,]+?\s+or\s+[^,]+?)\s*\?*\s*$",
        re.I,
    ),
    re.compile(
        rf"^\s*(?:which\s+of|between)\s+(?P<pair>.+?),?\s+(?:{_WHICH}\s+)?{_GIVES}\s+"
        rf"(?:(?:a|an|the)\s+)?(?P<relation>{_MORE_OR_LESS})\s+(?P<what>.+?)\s*\?*\s*$",
        re.I,
    ),
)
# "Is the scramble count in A higher than in B?", "Is A's toll lower than B's?"
_IS_HIGHER = re.compile(
    rf"^\s*(?:is|was|are|were)\s+(?P<first>.+?)\s+{_ANY_RELATION}"
    r"\s+(?P<connector>than|from|as)\s+(?P<second>.+?)\s*\?*\s*$",
    re.I,
)
# "… than B reported for Soto": what the second figure is of, said apart.
_SECOND_FOR = re.compile(rf"\s+(?:(?:{_GIVES}|does|did|do)\s+)?for\s+(?P<of>.+)$", re.I)
_FOR = re.compile(r"\s+for\s+.+$", re.I)


def figure_question(question: str, outlets: list[str]) -> FigureQuestion | None:
    """The two reports and what each figure is of, or None for any other question."""
    found = _ASKS.match(question)
    if found is None:
        asked = (
            _pair_question(question, outlets)
            or _agree_question(question, outlets)
            or _which_question(question, outlets)
            or _is_question(question, outlets)
        )
    else:
        asked = _than_question(found, outlets)
    return asked if asked is not None and _countable(asked.subjects[0]) else None


def _than_question(found: re.Match[str], outlets: list[str]) -> FigureQuestion | None:
    if not _connects(found):
        return None
    what = " ".join(found.group("what").split())
    second = found.group("second")
    own = _SECOND_FOR.search(second)
    second_subject = what
    if own is not None:
        second = second[: own.start()]
        second_subject = f"{_FOR.sub('', what)} for {own.group('of')}"
    if _says_more_than_a_report(second, outlets):
        return None
    sides = sides_of(found.group("first"), second, outlets)
    if sides is None:
        return None
    return FigureQuestion(sides, (what, second_subject), _relation(found))


def _connects(found: re.Match[str]) -> bool:
    """ "than" and "compared to" join any comparison; "from" only "different", "as" only
    "the same" ("more imports from China than B" compares imports from China)."""
    connector = found.group("connector").lower()
    relation = _relation(found)
    return connector not in ("from", "as") or (connector, relation) in (
        ("from", "different"),
        ("as", "same"),
    )


# Words that may stand around an outlet's name in the words that name a report.
_REPORT_NAMING_WORDS = """
    the a an its their article articles report reports story coverage piece one did does do
    has have had reported gave gives give stated states said says"""
_REPORT_NAMING = frozenset(_REPORT_NAMING_WORDS.split())


def _says_more_than_a_report(text: str, outlets: list[str]) -> bool:
    """Whether the words after "than" say more than which report ("than B in fiscal 2023"):
    what they add would be a condition on the figure the comparison cannot read."""
    words = re.findall(r"[\w’'-]+", beyond_the_report(text, outlets).lower())
    return any(w not in _REPORT_NAMING and w not in ("'s", "’s") for w in words)


# A subject that asks about coverage, not a figure ("more about the scrambles").
_NOT_COUNTED = re.compile(
    r"^(?:about|on|of|coverage|attention|reporting|stories|articles|reports|detail|details|"
    r"favou?rabl[ey]|critical|often|recently)\b",
    re.I,
)


def _countable(subject: str) -> bool:
    return bool(subject.strip()) and not _NOT_COUNTED.match(subject.strip())


def _pair_question(question: str, outlets: list[str]) -> FigureQuestion | None:
    found = _PAIR_ASKS.match(question)
    return _of_pair(found, r"and", outlets, which=False) if found else None


def _agree_question(question: str, outlets: list[str]) -> FigureQuestion | None:
    found = _AGREE_ON_FIGURE.match(question)
    if found is None:
        return None
    relation: Relation = "same" if found.group("agree") else "different"
    return _of_pair(found, r"and", outlets, which=False, relation=relation)


def _which_question(question: str, outlets: list[str]) -> FigureQuestion | None:
    for pattern in _WHICH_ASKS:
        found = pattern.match(question)
        asked = _of_pair(found, r"or|and", outlets, which=True) if found else None
        if asked is not None:
            return asked
    return None


def _of_pair(
    found: re.Match[str],
    joins: str,
    outlets: list[str],
    *,
    which: bool,
    relation: Relation | None = None,
) -> FigureQuestion | None:
    """The question whose two reports are named together ("A and B", "A or B"), cut at the
    first join that leaves a report on each side."""
    pair = found.group("pair")
    what = " ".join(found.group("what").split())
    for cut in re.finditer(rf"\s+(?:{joins})\s+", pair, re.I):
        sides = sides_of(pair[: cut.start()], pair[cut.end() :], outlets)
        if sides is not None:
            relation = relation or _relation(found)
            return FigureQuestion(sides, (what, what), relation, which=which)
    return None


def _is_question(question: str, outlets: list[str]) -> FigureQuestion | None:
    """ "Is the scramble count in A higher than in B?": what is compared is the first part
    less the words that name its report ("in A", "A's", "reported by A")."""
    found = _IS_HIGHER.match(question)
    if found is None or not _connects(found):
        return None
    first, second = found.group("first"), found.group("second")
    named = named_outlets(first, outlets)
    if len(named) != 1:
        return None
    start, end, _ = named[0]
    what = _REPORT_WORDS.sub(" ", f"{first[:start]} {first[end:]}")
    what = " ".join(re.sub(r"^\s*(?:the|a|an)\s+", "", what, flags=re.I).split())
    sides = sides_of(first[start:end], second, outlets)
    if sides is None or not what:
        return None
    return FigureQuestion(sides, (what, what), _relation(found))


# The words left around an outlet's name once it is cut from "the X reported by A".
_REPORT_WORDS = re.compile(
    r"\s(?:(?:as\s+)?(?:reported|given|cited|published)\s+)?(?:in|by|from|of|according\s+to)\s*$"
    r"|^\s*['’]s\b",
    re.I,
)


def _relation(found: re.Match[str]) -> Relation:
    return _RELATIONS[" ".join(found.group("relation").lower().split())]


def figure_of(
    subject: str, ranked: list[Candidate], covers: Callable[[Candidate], bool]
) -> Reading | None:
    """The figure for ``subject`` of the first of the ``_NEAREST`` sentences of ``ranked``
    (nearest first) that gives one: of a sentence's figures, the one the subject's words
    stand nearest to ("$150 in bonus bets" for "bonus amount for new users", not the "$5" a
    few words before). A sentence of one figure gives it if it ``covers`` the subject; a
    sentence of several, only one that some of the subject's words stand beside (".349/.421
    /.575 with 36 doubles" gives no batting average). A share ("64 percent of the scrambles")
    is no count of the thing: it answers only a subject that asks for a share."""
    # What the figure is of is the subject's head ("batting average"), not whom or when it
    # is for ("for Lee in 2022": a year beside another figure is no batting average).
    wanted = {t[:5] for t in terms(_FOR.sub("", subject))} - _GENERIC or {
        t[:5] for t in terms(subject)
    }
    shares = bool(_SHARE_WORDS.search(subject))
    for sentence in ranked[:_NEAREST]:
        if not _names_whom_it_is_for(subject, sentence):
            continue
        stated = [f for f in figures(sentence.text) if _is_share(f, sentence.text) == shares]
        if not stated:
            continue
        nearness = [_nearness(f, sentence.text, wanted) for f in stated]
        best = max(range(len(stated)), key=nearness.__getitem__)
        if nearness[best] > 0 or (len(stated) == 1 and covers(sentence)):
            return Reading(_moved_to(stated, best, sentence.text), sentence)
    return None


# "… from 10 on Friday to 25": the figure a change ended at, in the same clause.
_MOVED_TO = re.compile(r"^[^.;,]{0,30}?\bto\s+$")


def _moved_to(stated: list[Figure], index: int, sentence: str) -> Figure:
    """The figure a sentence says its figure changed to ("climbed from 10 on Friday to 25"):
    the later value is the one the report gives now."""
    while index + 1 < len(stated):
        following = stated[index + 1]
        between = sentence[stated[index].end : following.start]
        if not _MOVED_TO.match(between):
            break
        index += 1
    return stated[index]


# Words that say a figure is asked for, not what it is of ("different figures for X").
_GENERIC = {t[:5] for t in terms("figures number amount count total value tally")}
# How far down a report's sentences, nearest to the subject first, its figure is looked for.
_NEAREST = 5
# How many words either side of a figure may say what it is of.
_BESIDE = 4


def _nearness(figure: Figure, sentence: str, wanted: set[str]) -> float:
    """The subject's words within ``_BESIDE`` words of the figure, each counted 1/distance
    (by their first five letters: "scrambled" for "scrambles")."""
    before = terms(" ".join(sentence[: figure.start].split()[-_BESIDE:]))[::-1]
    after = terms(" ".join(sentence[figure.end :].split()[:_BESIDE]))
    return sum(
        1 / distance
        for side in (before, after)
        for distance, term in enumerate(side, start=1)
        if term[:5] in wanted
    )


def _names_whom_it_is_for(subject: str, sentence: Candidate) -> bool:
    """Whether the sentence, the one before it or its headline names each name of the subject,
    by its last word ("Soto" for "Juan Soto", as news names people after the first mention),
    and gives each of its years and dates: "scrambles in fiscal 2023" are not the 704 of
    fiscal 2024."""
    around = f"{sentence.context} {sentence.text} {sentence.passage.title}"
    named = all(
        re.search(rf"\b{re.escape(run.split()[-1])}\b", around)
        for run in _NAME_RUN.findall(subject)
    )
    asked, given = values(subject), values(around)
    return named and all(asked[kind] <= given[kind] for kind in ("year", "date"))


# A name in the subject: capitalised words after its first ("for Juan Soto", "Caesars'").
_NAME_RUN = re.compile(r"(?<=\s)[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)*")
_SHARE_WORDS = re.compile(r"\b(?:percent(?:age)?|per\s+cent|share|proportion|rate|%)", re.I)


def _is_share(figure: Figure, sentence: str) -> bool:
    end = figure.end
    return sentence.startswith("%", end) or figure.counts.startswith(("perc", "pct"))


def as_written(figure: Figure, sentence: str) -> str:
    """The figure as its sentence writes it: its qualifier, currency, and the lower-case words
    that say what it counts ("about 64 percent", "704 times", "35 home runs", "$150")."""
    start, end = figure.start, figure.end
    if start > 0 and not sentence[start - 1].isspace() and not sentence[start - 1].isalnum():
        start -= 1  # "$150", "£2m"
    if sentence.startswith("%", end):
        return sentence[start : end + 1]
    for _ in range(2):
        word = re.match(r"\s+([a-z]+)\b", sentence[end:])
        if word is None or word.group(1) in stopwords():
            break
        end += word.end()
    return sentence[start:end].strip()


def holds(relation: Relation, first: Figure, second: Figure) -> bool | None:
    """Whether the first figure is more than, less than, other than or the same as the second;
    None where a wording's bound leaves it open ("more than 600" against 650)."""
    (low1, high1), (low2, high2) = first.span(), second.span()
    if relation in ("more", "less"):
        (low_a, high_a), (low_b, high_b) = (
            ((low1, high1), (low2, high2)) if relation == "more" else ((low2, high2), (low1, high1))
        )
        if low_a > high_b:
            return True
        return False if high_a <= low_b else None
    apart = high1 < low2 or high2 < low1
    same = first.bound == second.bound == "exact" and first.value == second.value
    if relation == "different":
        return True if apart else (False if same else None)
    return True if same else (False if apart else None)


def answered(
    question: str,
    asked: FigureQuestion,
    readings: tuple[Reading | None, Reading | None],
    quote: Quote,
) -> Answer:
    """One answer: each report's figure cited, and whether the relation holds."""
    written = [quote(r.sentence) for r in readings if r is not None]
    answer = build_answer(question, written)
    markers = citation_markers(answer)
    names = report_names(asked.sides)
    claim = f"{names[0]} gives a {asked.relation} figure for {asked.subjects[0]} than {names[1]}"
    silent = [n for n, r in zip(names, readings, strict=True) if r is None]
    first, second = readings
    if first is None or second is None:
        does = "does" if len(silent) == 1 else "do"
        line = f"The sources do not say: {' and '.join(silent)} {does} not give a figure for "
        line += f"{asked.subjects[0 if first is None else 1]}."
        return verdict_first(answer, "not_in_sources", claim, line)
    gives = (
        f"{names[0]} reports {as_written(first.figure, first.sentence.text)} "
        f"{markers([first.sentence])}, {names[1]} "
        f"{as_written(second.figure, second.sentence.text)} {markers([second.sentence])}"
    )
    verdict: Verdict
    result = holds(asked.relation, first.figure, second.figure)
    if result is None:
        line, verdict = f"The sources do not say: {gives}.", "not_in_sources"
    elif asked.which:
        other = holds(asked.relation, second.figure, first.figure)
        if other is None:
            line, verdict = f"The sources do not say: {gives}.", "not_in_sources"
        elif other == result:  # the same figure: neither is more
            line, verdict = f"Neither: {gives}.", "contradicted"
        else:
            line, verdict = f"{names[0 if result else 1]}: {gives}.", "supported"
    else:
        line = f"{'Yes' if result else 'No'}: {gives}."
        verdict = "supported" if result else "contradicted"
    return verdict_first(answer, verdict, claim, line)

"""Questions that compare two reports on one subject (issue 18, items 2 and 4).

"Do A and B agree on X?", "Between A's report of 6 October and B's, was there consistency in
X?", "Was there a change in X between the report of 2 October and the one of 6 November?",
"Has X remained consistent between A and B?": no statement of either report, a subject both
cover, and whether what the two say of it agrees. "Between A and B, which one mentions X?"
(a ``Choice``) asks which of the two covers the subject. A report is a ``Side``: an outlet, and the
day of its report when the question names one (two reports of one outlet are told apart by
their days).

Three readings of "the same":

* **agreement** ("do they agree?", "do they differ?"): agreeing needs one report to back the
  other; when neither backs nor refutes the other, the sources do not say whether they agree.
* **consistency** ("was there consistency / an inconsistency / a discrepancy?", "has X
  remained consistent?"): consistent means that neither contradicts the other, so two reports
  that say different things of X without a conflict are consistent.
* **sameness** ("was there a change / a shift / a difference?", "has X changed / remained the
  same?"): the same means that one report backs the other. Two reports that each say something
  else of X, neither backing nor refuting the other, show a change: "a change in the focus of
  Messi's season" between a report on his club and one on his national team is a yes, though
  nothing conflicts.

A report may be named by what it is about as well as by its outlet and day ("the TechCrunch
report on OpenAI's launch of GPT-4 with vision"). When its closest sentence to an abstract
subject ("the company's strategic focus") is too far from it, the sentence closest to what
the report is about stands for its account.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from assistant.candidates import Candidate, Quote, build_answer, citation_markers
from assistant.parts import DATE, month_day, named_outlets
from assistant.polar import verdict_first
from assistant.types import Answer, Verdict

Reading = Literal["agreement", "consistency", "sameness"]
# What the question asks to be true: that the reports agree, that they differ, or which of the
# two ("consistent or inconsistent?").
Asks = Literal["agree", "differ", "either"]


@dataclass(frozen=True)
class Side:
    outlet: str
    when: str | None = None  # the report's day as the question gives it ("October 6, 2023")
    # What the question says the report is about ("OpenAI's launch of GPT-4 with vision").
    about: str | None = None

    @property
    def day(self) -> str | None:
        """``when`` as month-day ("10-6"), the form ``values`` gives dates in."""
        return month_day(self.when) if self.when else None


@dataclass(frozen=True)
class Comparison:
    sides: tuple[Side, Side]
    subject: str
    asks: Asks
    reading: Reading = "agreement"


# "Do A and B agree on X?", "Did A and B differ about X?"
_ABOUT = r"(?:on|about|over|regarding|as\s+to|in)"
_AGREE_ON = re.compile(
    rf"^(?:do|does|did)\s+(?P<pair>.+?)\s+(?:(?:both\s+)?(?:agree|concur)|(?P<differ>"
    rf"disagree|differ))\s+{_ABOUT}\s+(?P<subject>.+?)\s*\?$",
    re.I,
)
# The relation a consistency or sameness question asks about, and what "yes" means for it.
_DIFFER_WORDS = (
    r"(?:an?\s+|any\s+)?(?:inconsistency|inconsistencies|discrepancy|discrepancies|"
    r"contradictions?)"
)
_AGREE_WORDS = r"(?:consistency|no\s+(?:inconsistency|discrepancy|contradiction))"
_CHANGE_WORDS = r"(?:an?\s+|any\s+)?(?:changes?|shifts?|differences?)"
_NO_CHANGE_WORDS = r"no\s+(?:change|shift|difference)"
# "Was there agreement / disagreement between A and B on X?" asks what "do they agree?" asks.
_AGREEMENT_WORDS = r"(?:agreement|no\s+disagreement)"
_DISAGREEMENT_WORDS = r"(?:an?\s+|any\s+)?(?:disagreement|disagreements)"
_EITHER_WORDS = r"(?:consistency\s+or\s+inconsistency|inconsistency\s+or\s+consistency)"
_THERE = r"(?:was|is|were|are|has|have)\s+there\s+(?:been\s+)?"
# "Between A and B", "After A and the later B": the two reports, named first.
_BETWEEN = r"(?:between|after|following)\s+(?P<pair>.+?),\s+"
# "Between A and B, was there consistency in X?"
_BETWEEN_THERE = re.compile(
    rf"^{_BETWEEN}{_THERE}(?P<rel>.+?)\s+{_ABOUT}\s+(?P<subject>.+?)\s*\?$",
    re.I,
)
# "After A and B, was the coverage of X consistent?"
_BETWEEN_WAS = re.compile(
    rf"^{_BETWEEN}(?:was|were|is|are|has|have)\s+(?:been\s+)?(?P<subject>.+?)\s+"
    r"(?P<rel>consistent\s+or\s+inconsistent|inconsistent\s+or\s+consistent|consistent|"
    r"inconsistent|the\s+same|unchanged|different)\s*\?$",
    re.I,
)
_WAS_RELATIONS: dict[str, tuple[Asks, Reading]] = {
    "consistent or inconsistent": ("either", "consistency"),
    "inconsistent or consistent": ("either", "consistency"),
    "consistent": ("agree", "consistency"),
    "inconsistent": ("differ", "consistency"),
    "the same": ("agree", "sameness"),
    "unchanged": ("agree", "sameness"),
    "different": ("differ", "sameness"),
}
# "After A reported X, did B maintain consistency regarding Y?"
_AFTER_MAINTAINED = re.compile(
    r"^(?:after|following)\s+(?P<first>.+?),\s+did\s+(?P<second>.+?)\s+(?:maintain|keep|show)\s+"
    rf"(?P<rel>consistency|agreement)\s+(?:{_ABOUT}|with)\s+(?P<subject>.+?)\s*\?$",
    re.I,
)
# "According to Fortune, has X changed between …?": the outlet of both reports, named first.
_ACCORDING_TO = re.compile(r"^according\s+to\s+(?P<by>[^,]+),\s+(?P<rest>.+)$", re.I)
# "Was there a change in X between A and B?"
_THERE_BETWEEN = re.compile(
    rf"^{_THERE}(?P<rel>.+?)\s+{_ABOUT}\s+(?P<subject>.+?),?\s+between\s+(?P<pair>.+?)\s*\?$",
    re.I,
)
# "Was there any inconsistency between A and B about X?": where the pair ends and the subject
# begins is the first "about"/"on"/"in" after which both sides read whole.
_THERE_BETWEEN_ABOUT = re.compile(
    rf"^{_THERE}(?P<rel>.+?)\s+between\s+(?P<rest>.+?)\s*\?$",
    re.I,
)
_REMAINED = (
    r"(?:remain(?:ed)?|stay(?:ed)?|been|kept|keep)\s+(?P<rel>consistent(?:\s+or\s+inconsistent)?|"
    r"(?P<same>the\s+same|unchanged|stable))|"
    r"(?P<changed>chang(?:e|ed)|shift(?:ed)?|differ(?:ed)?|var(?:y|ied))"
)
# "Has X remained consistent between A and B?"
_HAS_REMAINED = re.compile(
    rf"^(?:has|have|did)\s+(?P<subject>.+?)\s+(?:{_REMAINED}),?\s+between\s+(?P<pair>.+?)\s*\?$",
    re.I,
)
# "Between A and B, has X remained consistent (or inconsistent)?"
_BETWEEN_REMAINED = re.compile(
    rf"^{_BETWEEN}(?:has|have|did)\s+(?P<subject>.+?)\s+(?:{_REMAINED})\s*\?$",
    re.I,
)
# "X as reported by TechCrunch": the outlet of both reports, named with the subject.
_AS_REPORTED = re.compile(r",?\s+as\s+reported\s+by\s+(?P<by>.+?)$", re.I)
# "X by Sporting News", "X, according to TechCrunch": the same, the words before the
# outlet's name; "X in Polygon's coverage" only with the coverage named ("interest in Wired"
# is the subject's own).
_BY_OUTLET = re.compile(
    r"(?:,?\s+(?:as\s+)?(?:reported|covered|described)\s+by|\s+by|,?\s+according\s+to)\s*$",
    re.I,
)
_IN_OUTLET = re.compile(r"\s+in\s*$", re.I)
_ITS_COVERAGE = re.compile(r"^\s*(?P<coverage>coverage|reporting|reports|articles)?\s*$", re.I)
# "… as reported by the same news source": no outlet of its own, and no part of the subject.
_SAME_SOURCE = re.compile(
    r"(?:the\s+same|both|each)\s+(?:news\s+)?(?:source|outlet|publication|site|(?:news)?paper)s?",
    re.I,
)
# Words that make a pair a statement about the reports' content, not two reports.
_STATED = re.compile(r"\b(?:that|whether|if)\b", re.I)
# Where the pair is cut into its two reports, the first that leaves each side whole.
_PAIR_JOINS = (r",\s+and\s+", r"\s+and\s+")


def comparison(question: str, outlets: list[str]) -> Comparison | None:
    """The two reports, the subject and the relation of a question that compares what two
    reports say of one subject, or None for any other question."""
    text = " ".join(question.strip().split())
    according = _ACCORDING_TO.match(text)
    by = None
    if according is not None:  # "According to the reports, …" names no outlet: words only
        named = named_outlets(according.group("by"), outlets)
        by = named[0][2] if len(named) == 1 else None
        text = according.group("rest")[:1].upper() + according.group("rest")[1:]
    agree_on = _AGREE_ON.match(text)
    if agree_on is not None:
        pair = agree_on.group("pair")
        sides = _outlet_pair(pair, outlets)
        if sides is None and not _STATED.search(pair):  # not "… report that X and Y agree on"
            sides = _report_pair(pair, outlets, None)
        asks: Asks = "differ" if agree_on.group("differ") else "agree"
        return _made(sides, agree_on.group("subject"), asks, "agreement")
    for pattern in (_BETWEEN_THERE, _THERE_BETWEEN):
        found = pattern.match(text)
        relation = _relation(found.group("rel")) if found else None
        if found is not None and relation is not None:
            pair, subject = found.group("pair"), found.group("subject")
            return _consistency(pair, subject, *relation, outlets, by)
    found = _THERE_BETWEEN_ABOUT.match(text)
    relation = _relation(found.group("rel")) if found else None
    if found is not None and relation is not None:
        return _pair_then_subject(found.group("rest"), *relation, outlets)
    for pattern in (_HAS_REMAINED, _BETWEEN_REMAINED):
        found = pattern.match(text)
        if found is not None:
            pair, subject = found.group("pair"), found.group("subject")
            return _consistency(pair, subject, *_kept(found), outlets, by)
    found = _BETWEEN_WAS.match(text)
    if found is not None:
        relation = _WAS_RELATIONS[" ".join(found.group("rel").lower().split())]
        return _consistency(found.group("pair"), found.group("subject"), *relation, outlets, by)
    found = _AFTER_MAINTAINED.match(text)
    if found is not None:
        pair = f"{found.group('first')} and {found.group('second')}"
        relation = _relation(found.group("rel"))
        assert relation is not None  # "consistency" and "agreement" are relations
        return _consistency(pair, found.group("subject"), *relation, outlets, by)
    return None


def _kept(found: re.Match[str]) -> tuple[Asks, Reading]:
    """ "remained consistent" asks for consistency, "remained the same" for sameness,
    "changed" for a difference, "remained consistent or inconsistent" for either."""
    if found.group("changed"):
        return "differ", "sameness"
    if found.group("same"):
        return "agree", "sameness"
    asks: Asks = "either" if " or " in (found.group("rel") or "") else "agree"
    return asks, "consistency"


_RELATIONS: tuple[tuple[Asks, Reading, str], ...] = (
    ("either", "consistency", _EITHER_WORDS),
    ("agree", "consistency", _AGREE_WORDS),
    ("differ", "consistency", _DIFFER_WORDS),
    ("agree", "sameness", _NO_CHANGE_WORDS),
    ("differ", "sameness", _CHANGE_WORDS),
    ("agree", "agreement", _AGREEMENT_WORDS),
    ("differ", "agreement", _DISAGREEMENT_WORDS),
)


def _relation(words: str) -> tuple[Asks, Reading] | None:
    return next(((a, r) for a, r, p in _RELATIONS if re.fullmatch(p, words.strip(), re.I)), None)


def _outlet_pair(pair: str, outlets: list[str]) -> tuple[Side, Side] | None:
    """ "A and B", "the A and B": two outlets named and nothing else."""
    mentions = named_outlets(pair, outlets)
    if len(mentions) != 2 or mentions[0][2] == mentions[1][2]:
        return None
    (first_start, first_end, first), (second_start, second_end, second) = mentions
    joined = pair[first_end:second_start].strip().lower() in ("and", ",", "and the")
    opening = pair[:first_start].strip().lower()
    if not joined or pair[second_end:].strip() or opening not in ("", "the"):
        return None
    return Side(first), Side(second)


def _consistency(
    pair: str,
    subject: str,
    asks: Asks,
    reading: Reading,
    outlets: list[str],
    by: str | None = None,
) -> Comparison | None:
    reported = _AS_REPORTED.search(subject)
    if reported is not None:
        named = named_outlets(reported.group("by"), outlets)
        if len(named) == 1:
            by = named[0][2]
            subject = subject[: reported.start()]
        elif _SAME_SOURCE.fullmatch(reported.group("by")):  # the pair names it: words only
            subject = subject[: reported.start()]
    subject, by = _outlet_of_subject(subject, outlets, by)
    if named_outlets(subject, outlets) or _STATED.search(pair):
        return None  # "did A report that X changed between …": a statement, not two reports
    sides = _report_pair(pair, outlets, by)
    return _made(sides, subject, asks, reading)


def _outlet_of_subject(subject: str, outlets: list[str], by: str | None) -> tuple[str, str | None]:
    """ "the approach to prop bets by Sporting News" → ("the approach to prop bets", "Sporting
    News"): an outlet named at the end of the subject is the outlet of both reports."""
    mentions = named_outlets(subject, outlets)
    if by is not None or len(mentions) != 1:
        return subject, by  # an outlet named already is not overridden
    start, end, outlet = mentions[0]
    after = _ITS_COVERAGE.match(subject[end:])
    before = _BY_OUTLET.search(subject[:start]) or (
        _IN_OUTLET.search(subject[:start]) if after and after.group("coverage") else None
    )
    if before is None or after is None:
        return subject, by
    return subject[: before.start()], outlet


def _pair_then_subject(
    rest: str, asks: Asks, reading: Reading, outlets: list[str]
) -> Comparison | None:
    for cut in re.finditer(rf"\s+{_ABOUT}\s+", rest, re.I):
        asked = _consistency(rest[: cut.start()], rest[cut.end() :], asks, reading, outlets)
        if asked is not None:
            return asked
    return None


def _report_pair(pair: str, outlets: list[str], by: str | None) -> tuple[Side, Side] | None:
    """Two reports, each named by its outlet and, optionally, its day: "the TechCrunch report
    published on October 6, 2023, and The Verge's coverage", "the article published by Sporting
    News on 2023-10-02 and the one on 2023-11-06". A report that names no outlet is the other
    report's outlet's (or the outlet the subject is "reported by"); two reports of one outlet
    must name two days."""
    for join in _PAIR_JOINS:
        for cut in reversed(list(re.finditer(join, pair, re.I))):
            first, second = pair[: cut.start()], pair[cut.end() :]
            sides = _sides(first, second, outlets, by)
            if sides is not None:
                return sides
    return None


def sides_of(first: str, second: str, outlets: list[str]) -> tuple[Side, Side] | None:
    """The two reports the words ``first`` and ``second`` name (see ``_sides``)."""
    return _sides(first, second, outlets, None)


def _sides(first: str, second: str, outlets: list[str], by: str | None) -> tuple[Side, Side] | None:
    named = [{o for _, _, o in named_outlets(text, outlets)} for text in (first, second)]
    if any(len(n) > 1 for n in named):
        return None
    own = [next(iter(n)) if n else None for n in named]
    fallback = by or own[0] or own[1]
    if fallback is None:
        return None
    sides = (
        Side(own[0] or fallback, _when(first), _about(first, outlets)),
        Side(own[1] or fallback, _when(second), _about(second, outlets)),
    )
    days = [side.day for side in sides]
    abouts = [side.about for side in sides]
    told_apart = (None not in days and days[0] != days[1]) or (
        None not in abouts and abouts[0] != abouts[1]
    )
    if sides[0].outlet == sides[1].outlet and not told_apart:
        return None  # one outlet's two reports, told apart by neither day nor subject
    return sides


def _when(text: str) -> str | None:
    """The report's day as the words naming it give it; not a day it came "before" or "after"
    (that one is no day of the report's)."""
    for found in re.finditer(DATE, text, re.I):
        if not re.search(r"\b(?:before|after|since|until)\s+$", text[: found.start()], re.I):
            return found.group(0)
    return None


# "the TechCrunch report on OpenAI's launch …", "the article from The Verge discussing …": what
# a report is about, once its outlet and day are taken out of the words that name it.
_TOPIC = re.compile(
    r"\b(?:report|article|story|piece|coverage|review|post|explainer|one)s?\s+"
    r"(?:(?:from|by)\s+)?(?:on|about|regarding|concerning|discussing|detailing|covering|"
    r"highlighting|describing|mentioning|portraying|citing|involving|featuring|indicating|"
    r"stating|alleging|suggesting)\s+(?P<about>.+)$",
    re.I,
)
_PUBLISHED = re.compile(
    r"\b(?:was\s+)?(?:published|released)(?:\s+(?:later|earlier|on\s+the\s+same\s+day))?\b",
    re.I,
)


def _about(text: str, outlets: list[str]) -> str | None:
    """What the words naming a report say it is about, or None when they say nothing of it."""
    found = _TOPIC.search(_report_words(text, outlets))
    about = found.group("about").strip(" ,;'\"‘’“”") if found else ""
    return about if len(about.split()) >= 2 else None


def beyond_the_report(text: str, outlets: list[str]) -> str:
    """The words naming a report less its outlet, its day and what it is about: what they add
    besides ("than B in fiscal 2023" adds "in fiscal 2023")."""
    return _TOPIC.sub(" ", _report_words(text, outlets)).strip()


def _report_words(text: str, outlets: list[str]) -> str:
    """The words naming a report, without its outlet's name and its day."""
    for start, end, _ in reversed(named_outlets(text, outlets)):
        text = f"{text[:start]} {text[end:]}"
    text = re.sub(rf"\b(?:on|from|dated|of|before|after)\s+{DATE}", " ", text, flags=re.I)
    return " ".join(_PUBLISHED.sub(" ", text).replace(",", " ").split())


def _made(
    sides: tuple[Side, Side] | None, subject: str, asks: Asks, reading: Reading
) -> Comparison | None:
    subject = " ".join(subject.strip(" ,;'\"‘’“”").split())
    if sides is None or not subject:
        return None
    return Comparison(sides, subject, asks, reading)


def compared(
    question: str,
    asked: Comparison,
    evidence: tuple[Candidate | None, Candidate | None],
    differ: bool | None,
    quote: Quote,
) -> Answer:
    """One answer to a comparison: what each report says of the subject, cited, and whether
    it agrees (``differ`` False), differs (True) or cannot be told (None)."""
    written = [quote(e) for e in evidence if e is not None]
    answer = build_answer(question, written)
    markers = citation_markers(answer)
    names = _names(asked)
    cited = [
        f"{name} {markers([e])}" if e is not None else name
        for name, e in zip(names, evidence, strict=True)
    ]
    subject = asked.subject
    silent = [name for name, e in zip(names, evidence, strict=True) if e is None]
    if silent:
        does = "does" if len(silent) == 1 else "do"
        line = f"The sources do not say: {' and '.join(silent)} {does} not cover {subject}."
        verdict: Verdict = "not_in_sources"
    elif differ is None and asked.reading == "agreement":
        line = (
            f"The sources do not say whether they agree: {cited[0]} and {cited[1]} each "
            f"report on {subject}."
        )
        verdict = "not_in_sources"
    else:
        line, verdict = _verdict_line(asked, differ, cited)
    relation = {"agree": "agree", "differ": "differ", "either": "agree or differ"}[asked.asks]
    return verdict_first(
        answer, verdict, f"{names[0]} and {names[1]} {relation} on {subject}", line
    )


def _verdict_line(asked: Comparison, differ: bool | None, cited: list[str]) -> tuple[str, Verdict]:
    """``differ`` None (neither backs nor contradicts the other) is read as consistent, and
    as a change when sameness is asked."""
    pair, subject = f"{cited[0]} and {cited[1]}", asked.subject
    if differ is None and asked.reading == "sameness":
        differ = True
        said = f"{pair} give different accounts of {subject}; neither backs what the other says."
    elif differ:
        relation = "differ on" if asked.reading == "agreement" else "contradict each other on"
        said = f"{pair} {relation} {subject}."
    elif differ is None:
        said = f"{pair} do not contradict each other on {subject}."
    else:
        said = f"{pair} say the same about {subject}."
    if asked.asks == "either":
        if differ:
            return f"Inconsistent: {said}", "contradicted"
        return f"Consistent: {said}", "supported"
    yes = bool(differ) == (asked.asks == "differ")
    return f"{'Yes' if yes else 'No'}: {said}", "supported" if yes else "contradicted"


def _names(asked: Comparison | Choice) -> list[str]:
    return report_names(asked.sides)


def report_names(sides: tuple[Side, Side]) -> list[str]:
    """How the answer names each report: its outlet, and, when both are one outlet's, its
    day ("Sporting News (October 2, 2023)") or else what it is about, as the question gives
    them."""
    if sides[0].outlet != sides[1].outlet:
        return [side.outlet for side in sides]
    days = [side.day for side in sides]
    if None not in days and days[0] != days[1]:
        return [f"{side.outlet} ({side.when})" for side in sides]
    # Told apart by what each is about: "TechCrunch (on the antitrust suit)".
    return [f"{side.outlet} (on {side.about})" for side in sides]


# -- which of two reports covers a subject ----------------------------------------------------


@dataclass(frozen=True)
class Choice:
    sides: tuple[Side, Side]
    subject: str
    verb: str  # as asked: "mentions", "involves", "reports on"


_WHICH_ONE = (
    r"which(?:\s+one|\s+of\s+(?:the\s+|these\s+|those\s+)?(?:two|them|both)(?:\s+\w+s)?|"
    r"\s+(?:news\s+)?(?:report|article|story|piece|outlet|source|narrative|account|coverage|"
    r"publication))?"
)
# Verbs of covering a subject only: "which one reported more / first / that X" asks for a
# value, an order or a statement, which the nearest sentence in meaning does not settle.
_WHICH_VERBS = (
    r"(?:(?:mention|cover|involve|discuss|describe|feature|address|highlight|detail)(?:s|e?d)?|"
    r"carr(?:y|ies|ied)|(?:report|focus|talk|write|writes|wrote)(?:s|e?d|es)?\s+(?:on|about))"
)
_NOT_A_SUBJECT = re.compile(
    r"^(?:that|whether|if|first|earlier|later|last|more|most|less|fewer|higher|lower|larger|"
    r"bigger|smaller|the\s+(?:most|highest|largest|first|latest|earliest))\b",
    re.I,
)
# "Between A and B, which one mentions X?"
_BETWEEN_WHICH = re.compile(
    rf"^between\s+(?P<pair>.+?),\s+{_WHICH_ONE}\s+(?P<verb>{_WHICH_VERBS})\s+(?P<subject>.+?)"
    r"\s*\?$",
    re.I,
)
# "Which of A and B mentions X?", "Which outlet, A or B, mentions X?"; not "Which company,
# reported by A and B, is described as X?", which asks for a name.
_REPORT_NOUNS = (
    r"one|outlet|source|report|article|story|piece|publication|paper|newspaper|site|account|"
    r"coverage|narrative|agency|website|magazine|journal|blog|wire|channel|network|media"
)
_WHICH_OF = re.compile(
    rf"^which(?:\s+(?:news\s+)?(?:{_REPORT_NOUNS})s?)?(?:\s+of|,)\s+(?P<pair>.+?),?\s+"
    rf"(?P<verb>{_WHICH_VERBS})\s+"
    r"(?P<subject>.+?)\s*\?$",
    re.I,
)


def choice(question: str, outlets: list[str]) -> Choice | None:
    """The two reports and the subject of "Between A and B, which one mentions X?", or None."""
    text = " ".join(question.strip().split())
    for pattern in (_BETWEEN_WHICH, _WHICH_OF):
        found = pattern.match(text)
        if found is None:
            continue
        pair = re.sub(r"\s+or\s+", " and ", found.group("pair"), flags=re.I)
        sides = _outlet_pair(pair, outlets) or _report_pair(pair, outlets, None)
        subject = " ".join(found.group("subject").strip(" ,;'\"‘’“”").split())
        if sides is not None and subject and not _NOT_A_SUBJECT.match(subject):
            return Choice(sides, subject, found.group("verb"))
    return None


def chosen(
    question: str,
    asked: Choice,
    evidence: tuple[Candidate | None, Candidate | None],
    quote: Quote,
) -> Answer:
    """The report that covers the subject, named first and cited; of two that both cover it,
    the one whose sentence is nearer to it in meaning, the other cited after it."""
    names = _names(asked)
    covering = [(n, e) for n, e in zip(names, evidence, strict=True) if e is not None]
    covering.sort(key=lambda pair: -pair[1].meaning)
    answer = build_answer(question, [quote(e) for _, e in covering])
    markers = citation_markers(answer)
    subject = asked.subject
    if not covering:
        line = f"The sources do not say: neither {names[0]} nor {names[1]} covers {subject}."
        verdict: Verdict = "not_in_sources"
    elif len(covering) == 1:
        (name, e), other = covering[0], next(n for n in names if n != covering[0][0])
        line = f"{name}: {name} {markers([e])} covers {subject}; {other} does not."
        verdict = "supported"
    else:
        (name, e), (other, runner_up) = covering
        line = (
            f"{name}: {name} {markers([e])} covers {subject} most closely; {other} "
            f"{markers([runner_up])} touches on it too."
        )
        verdict = "supported"
    claim = f"which of {names[0]} and {names[1]} {asked.verb} {subject}"
    return verdict_first(answer, verdict, claim, line)

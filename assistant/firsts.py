"""Who reported it first: "Which outlet first reported that Chinese firms shipped drone engines
to Russia?", "Who was the first to report that …?", "When was it first reported that …?"; and
who reported it at all: "Which outlets reported that …?".

A journalist asks who broke a story. Among the indexed articles, the answer is the earliest
published one with a sentence that states the claim (the claim check's supporting sentences,
so a denial or a sentence about something else never counts), named first with its day and
cited; the outlets that reported it later follow, each cited once. The claim check's flags
come with the answer: a story another party denies is still shown as disputed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.candidates import Candidate, Quote, build_answer, citation_markers, same_sentence
from assistant.check import Weighed
from assistant.parts import as_phrase
from assistant.polar import verdict_first
from assistant.types import Answer

# "Which outlet first reported that X?", "Who was the first to report X?", "Which source broke
# the news that X?", "Who reported X first?"
_WHO = (
    r"(?:(?:which|what)\s+(?:news\s+)?(?:outlet|source|publication|paper|newspaper|site|"
    r"article|report|media|agency)s?|who)"
)
# Verbs of reporting only: "Who first said that X?" asks for a speaker, not an outlet.
_FIRST_VERB = (
    r"(?:first\s+(?:reported|wrote|revealed|broke)|"
    r"(?:was|were)\s+(?:the\s+)?first\s+to\s+(?:report|write|reveal|break)|"
    r"broke\s+the\s+(?:news|story))"
)
_ASKS_FIRST = (
    re.compile(
        rf"^\s*{_WHO}\s+{_FIRST_VERB}\s+(?:(?:the\s+)?(?:news|story)\s+)?(?:that\s+|of\s+)?"
        r"(?P<what>.+?)\s*\?\s*$",
        re.I,
    ),
    re.compile(
        rf"^\s*{_WHO}\s+reported\s+(?:that\s+)?(?P<what>.+?)\s+first\s*\?\s*$",
        re.I,
    ),
)
# "Which outlets reported that X?", "Who reported that X?": every report, in order.
_ASKS_WHO = re.compile(
    rf"^\s*{_WHO}\s+(?:have\s+|has\s+)?(?:reported|report|reports|wrote|written|writes)\s+that\s+"
    r"(?P<what>.+?)\s*\?\s*$",
    re.I,
)
_ASKS_WHEN = re.compile(
    r"^\s*when\s+was\s+it\s+first\s+reported\s+that\s+(?P<what>.+?)\s*\?\s*$", re.I
)


@dataclass(frozen=True)
class FirstQuestion:
    claim: str  # what was reported, as a statement to check
    when: bool  # "When was it first reported …?": the day first, then the outlet
    first: bool = True  # False: "Who reported that X?", every report in order


def first_question(question: str) -> FirstQuestion | None:
    """The statement whose first report is asked for, or None for any other question (or
    one with too little to check: "Who reported it first?")."""
    asked = None
    for pattern in _ASKS_FIRST:
        if found := pattern.match(question):
            asked = FirstQuestion(_statement(found.group("what")), when=False)
            break
    else:
        if found := _ASKS_WHEN.match(question):
            asked = FirstQuestion(_statement(found.group("what")), when=True)
        elif found := _ASKS_WHO.match(question):
            asked = FirstQuestion(_statement(found.group("what")), when=False, first=False)
    if asked is None or len(re.findall(r"[A-Za-z0-9][\w'-]*", asked.claim)) < _LEAST_WORDS:
        return None
    return asked


# A statement needs a subject, a verb and what it says: "It." is nothing to check.
_LEAST_WORDS = 3


def _statement(what: str) -> str:
    text = " ".join(what.strip(" ,'\"‘’“”").split())
    return f"{text[:1].upper()}{text[1:].rstrip('.')}."


def reports_in_order(weighed: Weighed) -> list[Candidate]:
    """One supporting sentence per article (the nearest to the claim in meaning), earliest
    published first: the reports of the claim in the order they appeared. A syndicated copy
    (the same sentence word for word) is no report of its own."""
    firsts: dict[str, Candidate] = {}
    for judged in sorted(weighed.judged, key=lambda j: -j.similarity):
        if judged.judgement.label == "supports":
            firsts.setdefault(judged.candidate.passage.article_id, judged.candidate)
    reports: list[Candidate] = []
    for candidate in sorted(firsts.values(), key=lambda c: c.passage.published):
        if not any(same_sentence(candidate, earlier) for earlier in reports):
            reports.append(candidate)
    return reports


# Outlets that reported it later, named after the first; every report, up to a list's length.
_LATER = 2
_MOST_LISTED = 5


def first_answer(question: str, asked: FirstQuestion, weighed: Weighed, quote: Quote) -> Answer:
    """The first report named and cited, then up to ``_LATER`` later ones; the sources do not
    say when no indexed sentence states the claim."""
    reports = reports_in_order(weighed)
    shown = reports[: 1 + _LATER] if asked.first else reports[:_MOST_LISTED]
    answer = build_answer(question, [quote(c) for c in shown], weighed.flags)
    if not shown:
        line = f"The sources do not say: no indexed article states that {as_phrase(asked.claim)}."
        return verdict_first(answer, "not_in_sources", asked.claim, line)
    markers = citation_markers(answer)
    if not asked.first:
        listed = ", ".join(
            f"{c.passage.outlet} {markers([c])} ({c.passage.published[:10]})" for c in shown
        )
        more = f", and {len(reports) - len(shown)} more" if len(reports) > len(shown) else ""
        line = f"Reported by {listed}{more}."
        return verdict_first(answer, "supported", asked.claim, line)
    first, later = shown[0], shown[1:]
    day = first.passage.published[:10]
    if asked.when:
        line = f"On {day}, by {first.passage.outlet} {markers([first])}"
    else:
        line = (
            f"{first.passage.outlet} {markers([first])}, on {day}: the first of the indexed "
            "articles to report it"
        )
    if later:
        then = ", ".join(
            f"{c.passage.outlet} ({c.passage.published[:10]}) {markers([c])}" for c in later
        )
        line += f"; then {then}"
    return verdict_first(answer, "supported", asked.claim, f"{line}.")

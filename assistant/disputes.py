"""Questions about disagreement: "What do the sources disagree about on X?", "Who says what
about X?" (issue 18, item 3).

Such a question does not ask for the sentence most like it: it asks for the contested points
among the articles about X. Every sentence the search finds about X is a candidate claim; the
flagger (the same that flags answers) finds the ones another party denies or another source
states with another value, and each point is answered with the claiming and the disputing
side, both quoted and cited. The first line counts the points and says who stands where, in
templates around the sources' names; every other sentence is a quoted source sentence.
"""

from __future__ import annotations

import re

from assistant.candidates import (
    Flag,
    Markers,
    Quote,
    Written,
    build_answer,
    citation_markers,
    dated_sides,
    later_report,
)
from assistant.types import Answer

CONTESTED = ("denied", "conflict")
# A question about disagreement has the sources as the ones that disagree ("What do the
# sources disagree about?", "Where do the reports differ on X?", "Which outlets contradict
# each other?", "Is there any disagreement between the articles?", "Are there conflicting
# reports about X?"), or asks who says what. "Where did the conflict start?" and "What is the
# dispute about?" are questions about a conflict, not about the sources: the word alone is not
# enough.
_SOURCES = r"(?:sources?|articles?|reports?|outlets?|accounts?|papers?|stories)"
_DISAGREE = r"(?:disagree|differ|contradict|conflict|dispute)"
_ASKS = re.compile(
    r"^\s*(?:"
    rf"(?:what|where|which|how|on\s+what)\b[^?]*\b{_SOURCES}\s+(?:\w+\s+)?{_DISAGREE}\w*\b"
    rf"|which\s+{_SOURCES}\s+{_DISAGREE}\w*\b"
    r"|who\s+says\s+what\b|who\s+(?:denies|disputes)\s+what\b"
    # "disagreement" is about sources; "conflicts" and "disputes" may be wars and quarrels,
    # so they count only between sources.
    r"|(?:is|are)\s+there\s+(?:any\s+)?(?:(?:disagreements?|contradictions?)\b"
    rf"|(?:conflicts?|disputes?)\s+(?:between|among|in|across)\s+(?:the\s+)?{_SOURCES}"
    rf"|conflicting\s+{_SOURCES})"
    r")",
    re.I,
)
_FRAME = re.compile(
    r"\b(?:what|where|which|who|do|does|did|is|are|the|sources?|articles?|reports?|outlets?|"
    r"says?|what|disagree\w*|dispute[sd]?|contested|contradict\w*|differ\w*|conflict\w*|"
    r"about|on|over|in|of|for|with|between|regarding|concerning|any|there|points?|claims?|"
    r"these|those|they|them|all|our|my|here|collection|documents?|texts?|"
    r"denies|disputes|disagreements?|conflicts?|conflicting|contradictions?|accounts?|papers?|"
    r"stories|across|among|each\s+other|one\s+another)\b",
    re.I,
)


def asks_for_disputes(question: str) -> bool:
    """Whether ``question`` asks what the sources disagree about, or who says what."""
    return bool(_ASKS.match(question))


def topic(question: str) -> str:
    """What the disagreement is asked about ("drone engines"), or "" when the question names
    nothing ("What do the sources disagree about?")."""
    rest = _FRAME.sub(" ", question)
    return " ".join(re.sub(r"[?.!,;:]", " ", rest).split())


def contested_points(flags: list[Flag], limit: int) -> list[Flag]:
    """The hard flags (denied, conflict), strongest kind first, at most ``limit``; a point
    whose sentences another point already quotes is the same point seen from its other side."""
    points: list[Flag] = []
    seen: set[tuple[str, int, int]] = set()
    for flag in sorted(flags, key=lambda f: CONTESTED.index(f.kind) if f.kind in CONTESTED else 9):
        if flag.kind not in CONTESTED:
            continue
        keys = {c.key for c in [*flag.claims, *flag.counter]}
        if keys & seen:
            continue
        seen |= keys
        points.append(flag)
        if len(points) == limit:
            break
    return points


def disputes_answer(
    question: str, about: str, points: list[Flag], quote: Quote, *, more: bool = False
) -> Answer | None:
    """The answer listing ``points`` (each side quoted, claim first), or None when there are
    none; ``more``: others were found beyond those listed, and the count says so."""
    if not points:
        return None
    written: list[Written] = []
    quoted: set[tuple[str, int, int]] = set()
    for point in points:
        for candidate in [*point.claims, *point.counter]:
            if candidate.key not in quoted:
                quoted.add(candidate.key)
                written.append(quote(candidate))
    answer = build_answer(question, written, points)
    markers = citation_markers(answer)
    lines = [_point_line(flag, markers) for flag in points]
    subject = f" about {about}" if about else ""
    count = f"{'at least ' if more else ''}{len(points)} point{'s' if len(points) > 1 else ''}"
    line = f"The sources disagree{subject} on {count}: " + " ".join(
        f"({i}) {text}" for i, text in enumerate(lines, start=1)
    )
    return answer.model_copy(update={"verdict_line": line, "answer": f"{line} {answer.answer}"})


def _point_line(flag: Flag, markers: Markers) -> str:
    claimed, against = markers(flag.claims), markers(flag.counter)
    if flag.kind == "denied":
        return (
            f"{flag.claimed_by or 'a source'} {claimed} says so; "
            f"{flag.disputed_by or 'another party'} {against} denies it."
        )
    sides = dated_sides(flag)
    if sides is not None:
        return f"{later_report(sides, markers)}."
    if flag.claim_value and flag.counter_value:
        return (
            f"{flag.claimed_by} {claimed} says {flag.claim_value}; "
            f"{flag.disputed_by} {against} says {flag.counter_value}."
        )
    return f"{flag.claimed_by} {claimed} and {flag.disputed_by} {against} say the opposite."

"""Yes/no questions that name two or more outlets: split into one part per outlet (issue 18,
item 2).

"Does the Baltic Courier report that Chinese firms shipped drone engines to Russia, while
Continental Times says China's foreign ministry denied it?" is two questions, each about what
one outlet says. Checked as one statement against all articles, either outlet's sentence can
answer for the other. Split, each part is answered from its outlet's articles alone (the
outlet filter), and the parts are combined: "Yes" only when every part holds, each cited.

A part is a statement ("… report(s)/claim(s)/say(s) that X": the claim check of X) or a
subject ("… discuss(es)/mention(s)/cover(s) Y": the outlet's closest sentence to Y must reach
``answer.covers_similarity``). A part with nothing of its own to check ("… says so too",
"… reports 12") leaves the question whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from assistant.candidates import Candidate, Quote, build_answer, citation_markers
from assistant.polar import AUXILIARIES, is_polar
from assistant.types import Answer, Verdict

# Where one part ends and the next begins, before the next outlet's name.
_JOINS = re.compile(r",?\s+(?:while|whereas|and|but|and\s+also|,)\s+|;\s+|,\s+", re.I)
# "the 'Sporting News' article claims that", "Harbour Ledger reports": the outlet's frame.
_SOURCE_NOUNS = r"(?:article|report|story|piece|coverage|review|post)s?"
_STATEMENT_VERBS = (
    r"claim|report|say|state|suggest|indicate|assert|argue|write|note|allege|contend|"
    r"confirm|conclude|add"
)
_SUBJECT_VERBS = r"discuss|mention|cover|address|focus(?:es)?\s+on|talk\s+about|report\s+on"
Kind = Literal["statement", "subject"]


@dataclass(frozen=True)
class Part:
    outlet: str
    kind: Kind
    text: str  # the statement to check, or the subject to find


def named_outlets(question: str, outlets: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, outlet) of each indexed outlet the question names, in order; quotes and a
    leading "the" are part of the mention. Longer names win over names inside them."""
    found: list[tuple[int, int, str]] = []
    for outlet in sorted(set(outlets), key=len, reverse=True):
        name = re.escape(outlet.strip())
        pattern = rf"(?:\bthe\s+)?['\"‘’“”]?\b{name}\b(?:['’]s\b|['\"‘’“”])?"
        for m in re.finditer(pattern, question, re.I):
            if not any(s < m.end() and m.start() < e for s, e, _ in found):
                found.append((m.start(), m.end(), outlet))
    return sorted(found)


def split(question: str, outlets: list[str]) -> list[Part] | None:
    """The parts of a yes/no question that names two or more outlets, one per outlet, or None
    when it is not such a question or cannot be cut between the outlets."""
    if not is_polar(question):
        return None
    mentions = named_outlets(question, outlets)
    if len({outlet for _, _, outlet in mentions}) < 2:
        return None
    body = question.strip().rstrip("?")
    # Each part runs from the end of the join before its outlet to the start of the next.
    starts, ends = [0], []
    for (_, end, _), (start, _, _) in pairwise(mentions):
        joins = list(_JOINS.finditer(body, end, start))
        if not joins:
            return None
        ends.append(joins[-1].start())
        starts.append(joins[-1].end())
    ends.append(len(body))
    parts = []
    for (start, end, outlet), a, b in zip(mentions, starts, ends, strict=True):
        part = _part(outlet, body[a:start], body[end:b])
        if part is None:
            return None
        parts.append(part)
    parts = _resolved(parts)
    # A part with nothing of its own to check ("says so too", "reports 12", "it did not") is
    # not a question about that outlet we can answer alone: the question stays whole.
    if any(_too_little(part) for part in parts):
        return None
    return parts


_EMPTY_WORDS = frozenset(
    [
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "they",
        "them",
        "so",
        "too",
        "also",
        "the",
        "a",
        "an",
        "same",
        "otherwise",
        "opposite",
        "did",
        "do",
        "does",
        "not",
        "no",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "had",
        "has",
        "have",
        "one",
    ]
)


def _too_little(part: Part) -> bool:
    words = re.findall(r"[A-Za-z][\w'-]*", part.text)
    own = [w for w in words if w.lower() not in _EMPTY_WORDS]
    # A subject may be one name ("the Kareliya"); a statement needs a subject and a verb.
    return len(own) < (1 if part.kind == "subject" else 2)


# "… while B says the ministry denied it": "it" is what the part before states; only after a
# verb of saying or denying ("fighting resumed after that" refers to something else).
_REPORTING = (
    r"(?:denied|denies|deny|confirmed|confirms|disputed|disputes|rejected|rejects|dismissed|"
    r"dismisses|repeated|repeats|said|says|reported|reports|claimed|claims|acknowledged)"
)
_BACK_REFERENCE = re.compile(
    rf"\b{_REPORTING}(\s+(?:it|this|that|so|these\s+claims|the\s+claims?|the\s+reports?))\.$",
    re.I,
)
_COMMON_OPENINGS = frozenset(["the", "a", "an", "it", "this", "these", "those", "there"])


def _resolved(parts: list[Part]) -> list[Part]:
    """A statement that refers back ("denied it") spelled out with the statement before it
    ("denied that Chinese companies shipped …"), so that it can be checked on its own."""
    resolved = parts[:1]
    for part in parts[1:]:
        before = resolved[-1]
        found = _BACK_REFERENCE.search(part.text)
        if part.kind == "statement" and before.kind == "statement" and found:
            words = before.text.rstrip(".").split(maxsplit=1)
            if words and words[0].lower() in _COMMON_OPENINGS:
                words[0] = words[0].lower()
            part = Part(
                part.outlet, part.kind, f"{part.text[: found.start(1)]} that {' '.join(words)}."
            )
        resolved.append(part)
    return resolved


def _part(outlet: str, before: str, after: str) -> Part | None:
    """The part of one outlet from the words before its name ("Does the", "did") and after it
    ("article claim that X")."""
    lead = before.strip().split()
    if lead and lead[0].lower() in AUXILIARIES:
        lead = lead[1:]
    if [w for w in lead if w.lower() not in ("the", "also", "both")]:
        return None  # words before the outlet that are not a frame: not a part we can read
    rest = re.sub(r"^(?:also|too|both)\s+", "", after.strip(), flags=re.I)
    # "article claims", "report says": a source noun only where a verb follows it, so that
    # "reports that X" is the verb.
    noun = rf"(?:{_SOURCE_NOUNS}\s+(?:also\s+)?)?"
    subject = re.match(rf"^{noun}(?:{_SUBJECT_VERBS})(?:e?s|ed|ing)?\b\s+(.+)$", rest, re.I)
    if subject and not subject.group(1).lower().startswith("that "):
        return Part(outlet, "subject", _clean(subject.group(1)))
    if subject:  # "mentions that X" states X
        return Part(outlet, "statement", _sentence(_clean(subject.group(1)[5:])))
    # "…, and Harbour Ledger that X": the verb of the part before, left out.
    statement = re.match(
        rf"^{noun}(?:(?:{_STATEMENT_VERBS})(?:e?s|ed|ing)?\b\s+)?(that\s+.+)$", rest, re.I
    ) or re.match(rf"^{noun}(?:{_STATEMENT_VERBS})(?:e?s|ed|ing)?\b\s+(.+)$", rest, re.I)
    if statement:
        text = re.sub(r"^that\s+", "", statement.group(1), flags=re.I)
        return Part(outlet, "statement", _sentence(_clean(text)))
    return None


def _clean(text: str) -> str:
    return " ".join(text.strip(" ,;").split())


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else f"{text}."


@dataclass(frozen=True)
class Answered:
    """One part and what its outlet's articles say: ``holds`` (the outlet says it, or covers
    the subject), ``evidence`` (the sentence that shows it either way, if any) and, for a
    statement, the claim check's verdict."""

    part: Part
    holds: bool
    evidence: Candidate | None
    verdict: Verdict | None = None


def combined(question: str, answered: list[Answered], quote: Quote) -> Answer:
    """One answer for all parts: "Yes" when every part holds, else "No", each part in one
    clause with its outlet and citation, then the quoted sentences."""
    seen: set[tuple[str, int, int]] = set()
    written = []
    for a in answered:
        if a.evidence is not None and a.evidence.key not in seen:
            seen.add(a.evidence.key)
            written.append(quote(a.evidence))
    answer = build_answer(question, written)
    markers = citation_markers(answer)

    def cited(a: Answered) -> str:
        marker = markers([a.evidence]) if a.evidence is not None else ""
        return f" {marker}" if marker else ""

    clauses = [_clause(a, cited(a)) for a in answered]
    yes = all(a.holds for a in answered)
    line = ("Yes: " if yes else "No: ") + "; ".join(clauses) + "."
    return answer.model_copy(
        update={
            "verdict": "supported" if yes else "contradicted",
            "claim": " / ".join(f"{a.part.outlet}: {a.part.text}" for a in answered),
            "verdict_line": line,
            "answer": f"{line} {answer.answer}".strip(),
        }
    )


def _clause(a: Answered, cited: str) -> str:
    outlet, text = a.part.outlet, a.part.text.rstrip(".")
    if a.part.kind == "subject":
        return f"{outlet}{cited} covers {text}" if a.holds else f"{outlet} does not cover {text}"
    if a.holds:
        return f"{outlet}{cited} says so"
    if a.verdict == "contradicted":
        return f"{outlet}{cited} says otherwise"
    if a.verdict == "contested":
        return f"{outlet}{cited} reports it as disputed"
    return f"{outlet} does not say that {text[:1].lower()}{text[1:]}"

"""What one outlet says, and which outlets cover a subject: "What does Continental Times
say?", "What did Harbour Ledger report?", "Summarise the Baltic Courier".

The question names an outlet and nothing to look for, so no sentence is nearer to it than
another: what the outlet reports is what its articles lead with. The answer quotes the first
sentences of its most recent articles, each cited, under a line that lists the articles by
headline and day; the flags of those sentences (a denial elsewhere, a later figure) come along.
A question that also says about what ("What does Continental Times say about the engines?")
is answered from the outlet's articles alone, as "What is said about the engines?".

"Which outlets reported on the Beijixing?" lists each outlet whose closest sentence covers the
subject (as comparison questions read coverage), earliest report first, each cited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.parts import named_outlets
from assistant.types import Answer, IndexedArticle

_ASKS = re.compile(
    r"^\s*(?:(?:what|what's)\s+(?:does|did|do|is|has|have)\s+(?P<a>.+?)\s+"
    r"(?:say(?:ing)?|said|report(?:ing|ed)?|writ(?:e|ing)|wr[io]tten|cover(?:ing|ed)?|claim(?:ing|ed)?)"
    r"(?:\s+(?:about|on|regarding|concerning|of)\s+(?P<topic>.+?))?"
    r"|(?:summari[sz]e|sum\s+up|give\s+me\s+an\s+overview\s+of)\s+(?P<b>.+?))"
    r"\s*[?.!]*\s*$",
    re.I,
)
# The words that may stand around the outlet's name: "the", "article(s) of", "'s reports".
_FRAME = re.compile(
    r"^(?:the|a|an|its|their|article|articles|report|reports|reporting|coverage|story|stories|"
    r"piece|pieces|of|in|from|by|'s|’s|latest|recent|most|so|far)$",
    re.I,
)
# Articles of one outlet quoted, most recent first.
MOST_ARTICLES = 3


@dataclass(frozen=True)
class OutletAsked:
    outlet: str
    topic: str | None  # "… say about the engines?": what to look for in its articles

    @property
    def question(self) -> str:
        """What is asked of the outlet's articles, as a question the composer answers."""
        return f"What is said about {self.topic}?"


def outlet_asked_about(question: str, outlets: list[str]) -> OutletAsked | None:
    """The one outlet whose reporting the question asks for, and what about (None: all of
    it); None for any other question."""
    found = _ASKS.match(question)
    if found is None:
        return None
    named_part = found.group("a") or found.group("b")
    named = named_outlets(named_part, outlets)
    if len(named) != 1:
        return None
    start, end, outlet = named[0]
    rest = f"{named_part[:start]} {named_part[end:]}"
    words = re.findall(r"[\w'’]+|'s|’s", rest)
    if not all(_FRAME.match(w) for w in words):
        return None
    return OutletAsked(outlet, found.group("topic"))


def most_recent(articles: list[IndexedArticle], limit: int = MOST_ARTICLES) -> list[IndexedArticle]:
    return sorted(articles, key=lambda a: a.published, reverse=True)[:limit]


def with_overview_line(
    answer: Answer, outlet: str, shown: list[IndexedArticle], total: int
) -> Answer:
    """The answer opened by a line naming the outlet's articles quoted, by headline and day,
    and how many it has."""
    listed = "; ".join(f"“{a.title}” ({a.published[:10]})" for a in shown)
    count = f"{total} article{'s' if total != 1 else ''}"
    latest = f"; the latest {len(shown)}" if total > len(shown) else ""
    leads = "What it leads with:" if len(shown) == 1 else "What they lead with:"
    line = f"{outlet}, {count}{latest}: {listed}. {leads}"
    return answer.model_copy(update={"verdict_line": line, "answer": f"{line} {answer.answer}"})


# "Which outlets reported on the Beijixing?", "What sources have covered the Misawa upgrade?"
_WHICH_COVER = re.compile(
    r"^\s*(?:which|what)\s+(?:news\s+)?(?:outlets?|sources?|publications?|papers?|newspapers?|"
    r"sites?|media)\s+(?:have\s+|has\s+)?(?:reported|report|wrote|write|written|covered|cover|"
    r"mentioned|mention|discussed|discuss)(?:\s+(?:on|about))?\s+(?P<topic>.+?)\s*\?\s*$",
    re.I,
)
# What the coverage question is not about: a statement ("reported that …"), an order or a
# comparison ("first", "more"), answered elsewhere.
_NOT_A_TOPIC = re.compile(
    r"^(?:that|whether|first|earliest|latest|more|most|less|fewer|higher|lower|larger|bigger|"
    r"smaller|greater|the\s+(?:most|least|highest|lowest|largest|same))\b",
    re.I,
)


def covered_topic(question: str) -> str | None:
    """The subject of "Which outlets reported on X?", or None for any other question."""
    found = _WHICH_COVER.match(question)
    if found is None or _NOT_A_TOPIC.match(found.group("topic")):
        return None
    return found.group("topic").strip(" ,'\"‘’“”")


def with_coverage_line(
    answer: Answer, topic: str, outlets: list[str], markers: list[str]
) -> Answer:
    """The answer opened by the outlets that cover ``topic``, earliest first, each cited."""
    named = [f"{o} {m}" for o, m in zip(outlets, markers, strict=True)]
    listed = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} and {named[-1]}"
    if len(named) == 1:
        line = f"{listed} covers {topic}."
    else:
        line = f"{listed} cover {topic} (earliest report first)."
    return answer.model_copy(update={"verdict_line": line, "answer": f"{line} {answer.answer}"})

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

Reports in time and agreement read the same way: "After A reported X (on October 18th), did
B agree / dispute it / agree or disagree?" makes B's part a stance on X; "Do A and B both
report that X?" gives both the statement; "Do A and B agree on X?" is a ``Comparison`` of what
each says of X (``assistant.comparisons``). "Did A report X before B reported Y?" asks both
parts and the order of the reports: the days their cited articles were published; so does
"Before A reported X, did B report Y?" (B's report the earlier one; "After …", the later).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Literal

from assistant.candidates import Candidate, Quote, build_answer, citation_markers
from assistant.polar import AUXILIARIES, is_polar, verdict_first
from assistant.types import Answer, Verdict
from assistant.values import values

# "Did A report X before B mentioned Y?": the order of the two reports is asked too.
_ORDER_WORDS = r"before|after|earlier\s+than|later\s+than|prior\s+to"
# Where one part ends and the next begins, before the next outlet's name.
# A quotation may close before the comma or after it ("… the levels,' did B …").
_JOINS = re.compile(
    r",?['’\"”]?\s+(?:while|whereas|and|but|and\s+also|as\s+opposed\s+to|in\s+contrast\s+to|"
    r"unlike|,|similar(?:ly)?\s+to\s+how|just\s+as|compared\s+to\s+how|"
    r"in\s+the\s+same\s+(?:manner|way)\s+(?:that|as))\s+|;\s+|,['’\"”]?\s+"
    rf"|,?\s+(?:(?:was\s+)?(?:published|reported|released|out)\s+)?(?P<order>{_ORDER_WORDS})\s+",
    re.I,
)
# How a part's report stands in time against the part before it, as the question asks:
# "A … before B …" makes B's report the later one.
Sequence = Literal["later", "earlier"]
# "the 'Sporting News' article claims that", "Harbour Ledger reports": the outlet's frame.
_SOURCE_NOUNS = r"(?:article|report|story|piece|coverage|review|post)s?"
_STATEMENT_VERBS = (
    r"claim|report|say|state|suggest|indicate|assert|argue|write|note|allege|contend|"
    r"confirm|conclude|add"
)
_SUBJECT_VERBS = (
    r"(?:discuss|mention|cover|address|carr(?:y|ies|ied)|feature)(?:e?s|ed|ing)?|"
    r"(?:focus(?:es|ed|ing)?|talk(?:s|ed|ing)?|report(?:s|ed|ing)?|writ(?:e|es|ing|ten)|wrote)"
    r"\s+(?:on|about)"
)
# Verbs of showing: "depicts X" is what the report is about; "depicts X as Y" a statement.
_SHOWING_VERBS = r"depict|highlight|detail|show|anticipat|describ|portray|characteri[sz]"
# "agrees" / "disagrees": the outlet's stance on the statement of the part before it ("After A
# reported X, did B agree?").
# "either": "did B agree or disagree?", answered "Agree" or "Disagree".
Kind = Literal["statement", "subject", "agrees", "disagrees", "either"]
_STANCES = ("agrees", "disagrees", "either")
_AGREE_VERBS = (
    r"agree|concur|corroborate|confirm|echo|back|support|"
    r"(?:say|report|state|claim|write)(?:e?s|ed)?\s+the\s+same(?:\s+thing)?"
)
_DISAGREE_VERBS = r"disagree|differ|contradict|dispute|deny|denie|refute|reject|challenge"
# What a stance verb may take as its object: the report before, never a statement of its own.
_STANCE_OBJECT = re.compile(
    r"^(?:(?:with|to)\s+)?(?:it|this|that|them|the\s+(?:earlier\s+|first\s+|previous\s+)?"
    r"(?:report|claim|account|story|article|finding|figure)s?|(?:the\s+|its\s+)?"
    r"(?:earlier|previous|first)\s+(?:one|report)|so|as\s+well|too)?\s*(?:too|as\s+well)?$",
    re.I,
)
# A report's date, as questions put it: "on October 18th", "on 4 February 2025", "on 2025-02-04".
_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
DATE = (
    rf"(?:{_MONTHS}\s+{_DAY}(?:,?\s+\d{{4}})?|{_DAY}\s+(?:of\s+)?{_MONTHS}(?:,?\s+\d{{4}})?"
    r"|\d{4}-\d{2}-\d{2})"
)
_TRAILING_DATE = re.compile(rf",?\s+(?:on|from|dated)\s+({DATE})$", re.I)
# Words that put the first part in time: "After A reported X, did B …?"
_TEMPORAL_LEADS = frozenset(["after", "following", "before", "since", "when", "once", "as"])


@dataclass(frozen=True)
class Part:
    outlet: str
    kind: Kind
    text: str  # the statement to check (for a stance, the one before), or the subject to find
    # The day of the outlet's report, as the question gives it ("on October 18th"); ``when_cut``:
    # it was cut from the end of the statement, so it may be the day of what is reported.
    when: str | None = None
    when_cut: bool = False
    sequence: Sequence | None = None
    # What the question says the outlet's article is about ("the TechCrunch article on
    # Spill's new platform"): of an outlet's articles, the one the part is read from.
    about: str | None = None
    # "the other TechCrunch article", "another Fortune article": not the article of the
    # part before.
    another: bool = False
    # A statement asked as "reports X" (no "that"): X may be a subject the outlet covers
    # ("reported a discount on the MacBook Air"), see ``as_subjects``.
    reported: bool = False
    # Read from the article the part before was found in: "both suggest X, with one
    # discussing Y …" asks X of the article that discusses Y.
    same_report: bool = False
    # A subject written as a clause ("… both suggest that bettors have options"): it is shown
    # as "the point that bettors have options".
    clause: bool = False

    def on_day(self) -> str | None:
        """``when`` as month-day ("10-18"), the form ``values`` gives dates in."""
        return month_day(self.when) if self.when else None

    def with_date_restored(self) -> Part:
        """The statement with its cut date put back (it was not the report's day)."""
        text = f"{self.text.rstrip('.')} on {self.when}."
        return replace(self, text=text, when=None, when_cut=False)


def month_day(when: str) -> str | None:
    """A date as a question gives it ("October 18th", "2023-10-18") as month-day ("10-18")."""
    iso = re.fullmatch(r"\d{4}-(\d{2})-(\d{2})", when.strip())
    if iso:
        return f"{int(iso.group(1))}-{int(iso.group(2))}"
    days = values(when)["date"]
    return next(iter(days)) if days else None


# How a question names the one outlet it is asked of: "did A report", "according to A",
# "in A's report", "as reported by A".
_REPORTER_BEFORE = re.compile(
    r"(?:,\s*)?(?:\b(?:did|does|do|has|have)|\baccording\s+to|\b(?:as\s+)?reported\s+by|\bin)"
    r"\s*$",
    re.I,
)
# After "did A": a verb of reporting whose object is what is asked ("did A report?"), not
# "report on / that / whether", which ask of the report itself.
_REPORTING_VERB = re.compile(
    r"^\s*(?:report|say|said|write|wrote|state|put|count|record)(?:s|ed)?\b"
    r"(?!\s+(?:on|about|that|whether)\b)",
    re.I,
)
_REPORT_NOUN = re.compile(r"^\s*(?:['’]s\s+)?(?:report|article|story|coverage)\b", re.I)
_CLAUSE_END = re.compile(r"\s*(?:[?.,;]|$)")
_AUXILIARIES = ("did", "does", "do", "has", "have")


def reporter_of(question: str, outlets: list[str]) -> tuple[str, str] | None:
    """The one outlet a question is asked of, and the question without the words that name
    it ("How many scrambles did Northern Dispatch report?" → "How many scrambles?"); None
    when it names no outlet, several, or one in another role ("Does A cover B?", "what was
    announced in TechCrunch Disrupt?", "when did A report that …?")."""
    named = named_outlets(question, outlets)
    if len(named) != 1:
        return None
    start, end, outlet = named[0]
    before = _REPORTER_BEFORE.search(question[:start])
    if before is None:
        return None
    frame = before.group(0).strip(" ,").lower().split()[-1]
    tail = question[end:]
    if frame in _AUXILIARIES:
        verb = _REPORTING_VERB.match(tail)
        if verb is None:
            return None
        cut = verb.end()
    else:  # "according to A", "reported by A", "in A('s report)": the clause ends there
        noun = _REPORT_NOUN.match(tail) if frame == "in" else None
        cut = noun.end() if noun else 0
        if not _CLAUSE_END.match(tail[cut:]):
            return None
    rest = question[: before.start()] + tail[cut:]
    rest = re.sub(r"\s+([?.,])", r"\1", " ".join(rest.split())).strip(" ,")
    return (outlet, rest) if rest and rest != "?" else None


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


# "… while the same source indicates that Y": the outlet named before, named again.
_SAME_OUTLET = re.compile(
    r"\bthe\s+same\s+(?:news\s+)?(?:source|outlet|publication|(?:news)?paper|site)\b",
    re.I,
)


def mentions_with_repeats(question: str, outlets: list[str]) -> list[tuple[int, int, str]]:
    """The outlets a question names (``named_outlets``), and "the same source" as a mention
    of the outlet named before it."""
    mentions = named_outlets(question, outlets)
    for m in _SAME_OUTLET.finditer(question):
        before = [mention for mention in mentions if mention[1] <= m.start()]
        if before:
            mentions.append((m.start(), m.end(), before[-1][2]))
    return sorted(mentions)


def split(question: str, outlets: list[str]) -> list[Part] | None:
    """The parts of a yes/no question that names outlets two times or more (one outlet may be
    named twice: "the TechCrunch article on X …, while another TechCrunch article …", "…
    while the same source …"), one per mention, or None when it is not such a question or
    cannot be cut between the mentions."""
    if not asks_yes_no(question):
        return None
    mentions = mentions_with_repeats(question, outlets)
    if len(mentions) < 2:
        return None
    body = question.strip().rstrip("?")
    # Each part runs from the end of the join before its outlet to the start of the next.
    starts, ends = [0], []
    sequences: list[Sequence | None] = [None]
    for (_, end, _), (start, _, _) in pairwise(mentions):
        joins = list(_JOINS.finditer(body, end, start))
        if not joins:
            return None
        ends.append(joins[-1].start())
        starts.append(joins[-1].end())
        sequences.append(_sequence(joins[-1].group("order")))
    ends.append(len(body))
    segments = [
        (outlet, body[a:start], body[end:b])
        for (start, end, outlet), a, b in zip(mentions, starts, ends, strict=True)
    ]
    led = _led_in_time(body, segments[1][1]) if len(segments) == 2 else None
    if sequences[-1] is None and led is not None:
        sequences[-1] = led
    parts = []
    for number, (outlet, before, after) in enumerate(_shared(segments, sequences)):
        after, about = _described_report(after, _framed(before))
        part = _part(outlet, before, after, first=number == 0)
        if part is None:
            return None
        another = bool(re.search(r"\b(?:other|another)\s*$", before, re.I))
        parts.append(replace(part, sequence=sequences[number], about=about, another=another))
    parts = _resolved(parts)
    if parts is None:
        return None
    if led is not None and parts[-1].kind in _STANCES:
        # "After A reported X, did B agree?" asks B's stance; the words before set the scene.
        parts[-1] = replace(parts[-1], sequence=None)
    # A part with nothing of its own to check ("says so too", "reports 12", "it did not") is
    # not a question about that outlet we can answer alone: the question stays whole.
    if any(_too_little(part) for part in parts):
        return None
    return parts


# "…, with one discussing Y and the other detailing Z": what each of two reports is asked
# to cover, after what both are asked ("Do both articles from A suggest that X, …"). Each
# side is "one" / "the other", or the outlet itself ("with A discussing Y and B reporting Z").
_EACH_SIDE = (
    r",?\s+with\s+(?P<first>{first})\s+(?P<says>\w+ing|\w+s)(?P<on>\s+(?:on|about))?\s+"
    r"(?P<one>.+?),?\s+(?:and|while|whereas)\s+(?P<second>{second})\s+"
    r"(?P<also_says>\w+ing|\w+s)(?P<also_on>\s+(?:on|about))?\s+(?P<other>.+)$"
)
_ONE = r"(?:the\s+)?(?:one|former|first(?:\s+one)?)"
_OTHER = r"(?:the\s+)?(?:other(?:\s+one)?|latter|second(?:\s+one)?)"
# What both reports are asked to say, after the outlets: "… both suggest that X".
_BOTH_SAY = re.compile(
    rf"^\s*(?:['’]s\s+)?(?:{_SOURCE_NOUNS}\s+)?(?:both\s+|all\s+)?"
    rf"(?:{_STATEMENT_VERBS}|imply|show|discuss|highlight)(?:e?s|ed)?\s+"
    r"(?:(?P<that>that\s+)|(?:on|about)\s+)?(?P<theme>.+)$",
    re.I,
)
# Between two outlets that share what they are asked: "the A and B articles", "A and B".
_ONLY_AND = re.compile(r"\s*(?:['’]s\s+)?(?:and|&)\s+(?:the\s+)?['‘“\"]?\s*$", re.I)


def split_each(question: str, outlets: list[str]) -> list[Part] | None:
    """The parts of "Do both articles from A suggest that X, with one discussing Y and the
    other detailing Z?" (or "Do the A and B articles both suggest X, with A discussing Y and B
    reporting Z?"): one report covers Y, another Z (another article where one outlet is named),
    and the article of each covers X, their shared theme: the specifics make it a subject, not
    a statement to check word for word. None for any other question."""
    if not asks_yes_no(question):
        return None
    body = question.strip().rstrip("?")
    mentions = named_outlets(body, outlets)
    sides = _sides(body, mentions)
    if sides is None:
        return None
    each, (first, second) = sides
    head = body[: each.start()]
    theme = _BOTH_SAY.match(head[max(end for _, end, _ in mentions if end <= len(head)) :])
    if theme is None:
        return None
    shared, one, other = (_clean(theme.group("theme")), *map(_clean, each.group("one", "other")))
    if not (shared and one and other):
        return None
    clause = bool(theme.group("that"))
    return [
        Part(first, "subject", one, clause=_says(each.group("says"), each.group("on"))),
        Part(first, "subject", shared, same_report=True, clause=clause),
        Part(
            second,
            "subject",
            other,
            another=first == second,
            clause=_says(each.group("also_says"), each.group("also_on")),
        ),
        Part(second, "subject", shared, same_report=True, clause=clause),
    ]


def _sides(
    body: str, mentions: list[tuple[int, int, str]]
) -> tuple[re.Match[str], tuple[str, str]] | None:
    """The "with one …, and the other …" clause and the outlet of each side: two outlets named
    before it ("with A discussing …"), or one whose two articles it is ("both articles from
    A … with one discussing …")."""
    longest_first = sorted({o for _, _, o in mentions}, key=len, reverse=True)
    if not longest_first:
        return None
    names = "|".join(re.escape(o) for o in longest_first)
    outlet = rf"(?:the\s+)?['‘“\"]?(?:{names})['’”\"]?(?:\s+(?:article|report|piece))?"
    each = re.search(
        _EACH_SIDE.format(first=f"{_ONE}|{outlet}", second=f"{_OTHER}|{outlet}"), body, re.I
    )
    if each is None:
        return None
    head = [m for m in mentions if m[1] <= each.start()]
    both = re.search(r"\bboth\b", body[: each.start()], re.I)
    if len(head) == 2 and head[0][2] != head[1][2]:
        if not (both and _ONLY_AND.fullmatch(body[head[0][1] : head[1][0]])):
            return None  # "Does A claim X, and does B claim Y, with …": each its own statement
        named = (head[0][2], head[1][2])
        return each, (_side(each.group("first"), named, 0), _side(each.group("second"), named, 1))
    if len(head) == 1 and both and re.fullmatch(_ONE, each.group("first"), re.I):
        return each, (head[0][2], head[0][2])
    return None


def _side(words: str, named: tuple[str, str], position: int) -> str:
    """The outlet a side of "with A discussing Y and B detailing Z" names, or for "one" / "the
    other" the outlet named in that position."""
    for outlet in named:
        if named_outlets(words, [outlet]):
            return outlet
    return named[position]


def _says(verb: str, on: str | None) -> bool:
    """ "suggesting X", "indicating X": X is a clause; "discussing X", "reporting on X" a
    subject."""
    said = rf"(?:{_STATEMENT_VERBS}|impl[yi])(?:ing|e?s)"
    return not on and bool(re.fullmatch(said, verb, re.I))


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


def asks_yes_no(question: str) -> bool:
    """A yes/no question, also after a clause that puts it in time: "After A reported X, did
    B agree?" (the ordinary yes/no path reads only questions that open with the auxiliary)."""
    if is_polar(question):
        return True
    text = question.strip()
    first = text.split(maxsplit=1)[0].lower() if text else ""
    if first not in _TEMPORAL_LEADS or not text.endswith("?") or text.count("?") != 1:
        return False
    clauses = re.finditer(r",['’\"”]?\s+(\w+)\s", text)
    return any(clause.group(1).lower() in AUXILIARIES for clause in clauses)


def as_subjects(parts: list[Part], states_something: Callable[[str], bool]) -> list[Part]:
    """ "Did Engadget report a discount on the MacBook Air before …?": what a part "reports"
    (not "reports that") with no verb of its own is a subject the outlet covers, not a
    statement to check; the claim check can never back "A discount on the MacBook Air."
    ("suggests a bleak future" stays a statement: it says something of its subject.)
    A subject asked as what a report suggests ("with one suggesting X") is shown as "the
    point that X" only where X is a clause ("suggesting a confirmation from Beijing" is not).
    ``states_something``: whether a text is built on a verb (a parse)."""
    read = []
    for part in parts:
        if part.kind == "statement" and part.reported and _only_names(part.text, states_something):
            part = replace(part, kind="subject", text=as_phrase(part.text))
        elif part.kind == "subject" and part.clause and not states_something(part.text):
            part = replace(part, clause=False)
        read.append(part)
    return read


def _only_names(text: str, states_something: Callable[[str], bool]) -> bool:
    """A phrase with no verb, date or figure: "the Beijixing on 30 January" says when, and
    is checked as a statement."""
    found = values(text)
    if found["date"] or found["month"] or found["year"] or found["number"]:
        return False
    return not states_something(text)


def as_phrase(sentence: str) -> str:
    """A statement's text as the phrase it was asked as: "A discount on X." → "a discount on
    X" (a name that opens it keeps its capital)."""
    first, _, rest = sentence.rstrip(".").partition(" ")
    return f"{first.lower() if first.lower() in _COMMON_OPENINGS else first} {rest}".strip()


def _led_in_time(question: str, before_second: str) -> Sequence | None:
    """ "Before A reported X, did B report Y?": B's report came earlier; "After A …, did B …?"
    (or "Following", "Once"): later ("since" may mean "because"). Only where the second
    outlet's part asks the question (an auxiliary before its name): in "After A's report on X
    and B's report on Y, was there a change?" both reports set the time, and their order is
    not asked."""
    lead = question.split(maxsplit=1)[0].lower() if question.strip() else ""
    asks = before_second.strip().split(maxsplit=1)
    if not asks or asks[0].lower() not in AUXILIARIES:
        return None
    if lead == "before":
        return "earlier"
    return "later" if lead in ("after", "following", "once") else None


def _sequence(order: str | None) -> Sequence | None:
    if order is None:
        return None
    return "later" if order.split()[0].lower() in ("before", "earlier", "prior") else "earlier"


def _shared(
    segments: list[tuple[str, str, str]], sequences: list[Sequence | None]
) -> list[tuple[str, str, str]]:
    """ "Do A and B both report that X?": an outlet with nothing after it but the join to the
    next one shares what the next one is asked. "Did A report X before B?": a last outlet
    with nothing after it shares what the one before it is asked."""
    shared = list(segments)
    for i in range(len(shared) - 2, -1, -1):
        outlet, before, after = shared[i]
        if not after.strip():
            shared[i] = (outlet, before, shared[i + 1][2])
        elif _only_described(after, before):
            _, next_before, next_after = shared[i + 1]
            told = _report_described(next_after.strip(), _framed(next_before))
            if told is not None:  # its own description, then the next one's verb and words
                shared[i] = (outlet, before, f"{after.strip()} {next_after.strip()[told.end() :]}")
    outlet, before, after = shared[-1]
    if not after.strip() and sequences[-1] is not None:
        shared[-1] = (outlet, before, shared[-2][2])
    return shared


# "article on Spill's new platform suggest …", "article featuring Jayden Fielding mention …":
# what the article is about, up to the part's verb.
_ABOUT_WORDS = (
    r"(?:on|about|regarding|featuring|with|involving|discussing|covering|concerning|"
    r"that\s+(?:discusses|covers|reports\s+on|focuses\s+on))"
)
_PART_VERBS = (
    rf"(?:(?:also|too|then|later)\s+)?(?:(?:{_STATEMENT_VERBS})(?:e?s|ed|ing)?|{_SUBJECT_VERBS}|"
    rf"(?:{_AGREE_VERBS})|(?:{_DISAGREE_VERBS})(?:e?s|d|ed)?|attribut\w*|describ\w*|"
    r"portray\w*|characteri[sz]\w*|specif\w*|provid\w*|show\w*|credit\w*|anticipat\w*)\b"
)
# "the Fortune article's claims about X": the report described by what it claims.
_REPORT_WORDS = rf"{_SOURCE_NOUNS}(?:['’]s\s+(?:claims?|coverage|account|reporting))?"
_DESCRIBED_REPORT = re.compile(
    rf"^(?P<noun>{_REPORT_WORDS})\s+{_ABOUT_WORDS}\s+(?P<about>.+?),?\s+"
    rf"(?:both\s+)?(?=(?:{_PART_VERBS}))",
    re.I,
)
# The same after "the article from A", whose noun came before the outlet ("… about X claims").
_DESCRIBED_FRAMED = re.compile(
    rf"^(?P<noun>){_ABOUT_WORDS}\s+(?P<about>.+?),?\s+(?:both\s+)?(?=(?:{_PART_VERBS}))",
    re.I,
)
# "the article from A": the words before an outlet frame its report.
_FRAMING = re.compile(rf"\b{_SOURCE_NOUNS}\s+(?:from|by|in|of)\s*$", re.I)


def _framed(before: str) -> bool:
    return bool(_FRAMING.search(before))


def _report_described(after: str, framed: bool) -> re.Match[str] | None:
    """What an outlet's report is about and where its verb starts: "article on X claims"; after
    "the article from A", also "about X claims"."""
    return _DESCRIBED_REPORT.match(after) or (_DESCRIBED_FRAMED.match(after) if framed else None)


def _only_described(after: str, before: str) -> bool:
    """A report described and nothing more ("the TechCrunch article on X and the Hacker News
    article on Y both report Z"): it shares the next report's verb and what follows it."""
    text, framed = after.strip(), _framed(before)
    noun = rf"(?:{_REPORT_WORDS}\s+)?" if framed else rf"{_REPORT_WORDS}\s+"
    described = re.match(rf"^{noun}{_ABOUT_WORDS}\s+\S", text, re.I)
    return described is not None and _report_described(text, framed) is None


def _described_report(after: str, framed: bool = False) -> tuple[str, str | None]:
    """The words after an outlet's name without what its article is about, and what it is
    about ("article on X claims that Y" → "article claims that Y", "X"). ``framed``: the noun
    came before the outlet ("the article from A about X claims …")."""
    found = _report_described(after.strip(), framed)
    if found is None or re.match(DATE, found.group("about"), re.I):
        return after, None  # "review on October 20th agree": the report's day, read later
    if len(found.group("about").split()) < 2:
        return after, None  # "article on Apple's support …": the verb came too early to tell
    rest = after.strip()[found.end() :]
    return f"{found.group('noun')} {rest}".strip(), found.group("about")


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
_ONLY_PRONOUN = re.compile(r"(?:it|this|that|them|these|those|the\s+same)\.?", re.I)
_COMMON_OPENINGS = frozenset(["the", "a", "an", "it", "this", "these", "those", "there"])


def _resolved(parts: list[Part]) -> list[Part] | None:
    """A statement that refers back ("denied it") spelled out with the statement before it
    ("denied that Chinese companies shipped …"), so that it can be checked on its own; a
    stance ("did B agree?") takes the statement before it. None when a stance has none."""
    if parts[0].kind in _STANCES:
        return None
    resolved = parts[:1]
    for part in parts[1:]:
        before = resolved[-1]
        if part.kind in _STANCES:
            if before.kind == "subject":
                return None
            resolved.append(replace(part, text=before.text))
            continue
        if part.sequence and _ONLY_PRONOUN.fullmatch(part.text):  # "… before B reported it"
            resolved.append(replace(part, kind=before.kind, text=before.text))
            continue
        found = _BACK_REFERENCE.search(part.text)
        if part.kind == "statement" and before.kind == "statement" and found:
            words = before.text.rstrip(".").split(maxsplit=1)
            if words and words[0].lower() in _COMMON_OPENINGS:
                words[0] = words[0].lower()
            spelled = f"{part.text[: found.start(1)]} that {' '.join(words)}."
            part = replace(part, text=spelled)
        resolved.append(part)
    return resolved


def _part(outlet: str, before: str, after: str, *, first: bool = False) -> Part | None:
    """The part of one outlet from the words before its name ("Does the", "did", "After")
    and after it ("article claim that X", "review on October 20th agree")."""
    lead = before.strip().split()
    timed = first and bool(lead) and lead[0].lower() in _TEMPORAL_LEADS
    if lead and (lead[0].lower() in AUXILIARIES or timed):
        lead = lead[1:]
    # "the article from Fortune", "the report by The Verge": the source noun before the name.
    framing = re.search(rf"\b{_SOURCE_NOUNS}\s+(?:from|by|in|of)$", " ".join(lead), re.I)
    if framing:
        lead = " ".join(lead)[: framing.start()].split()
    if [w for w in lead if w.lower() not in ("the", "also", "both", "other", "another")]:
        return None  # words before the outlet that are not a frame: not a part we can read
    # "… as opposed to the article from B, which discusses Y": the relative pronoun is the frame.
    rest = re.sub(r"^(?:,\s*)?which\s+(?=\w+s\b)", "", after.strip(), flags=re.I)
    rest = re.sub(r"^(?:also|too|both)\s+", "", rest, flags=re.I)
    # "article claims", "report says": a source noun only where a verb follows it, so that
    # "reports that X" is the verb.
    noun = rf"(?:{_REPORT_WORDS}\s+(?:also\s+)?)?"
    # The report's date is not part of what it says: "'s review on October 20th agree",
    # "reported on October 18th that X".
    verb = rf"(?:(?:{_STATEMENT_VERBS})(?:e?s|ed|ing)?\s+)?"
    framed = re.match(
        rf"^({noun}{verb})(?:on|from|dated|published\s+on)\s+({DATE})\b,?\s*", rest, re.I
    )
    when = framed.group(2) if framed else None
    if framed:
        rest = framed.group(1) + rest[framed.end() :]
    stance = re.match(
        rf"^{noun}(?:(?:also|too|then|later)\s+)?(?:(?P<agree>{_AGREE_VERBS})|"
        rf"(?P<disagree>{_DISAGREE_VERBS}))(?:e?s|d|ed|ing)?\b\s*(?P<object>.*)$",
        rest,
        re.I,
    )
    either = re.match(
        rf"^{noun}(?:(?:also|then|later)\s+)?(?:agree\s+or\s+disagree|disagree\s+or\s+agree)\b",
        rest,
        re.I,
    )
    if either:  # what it is asked about is the statement before ("… on the new mechanic")
        return Part(outlet, "either", "", when)
    if stance and _STANCE_OBJECT.match(stance.group("object").strip(" ,")):
        return Part(outlet, "agrees" if stance.group("agree") else "disagrees", "", when)
    # "Do A and B agree that X?": each says X ("agree on X" names no statement).
    agreed = re.match(rf"^{noun}(?:agree|concur)(?:s|d)?\s+that\s+(.+)$", rest, re.I)
    if agreed:
        return Part(outlet, "statement", _sentence(_clean(agreed.group(1))))
    subject = re.match(rf"^{noun}(?:{_SUBJECT_VERBS})\b\s+(.+)$", rest, re.I)
    if subject and not subject.group(1).lower().startswith("that "):
        return Part(outlet, "subject", _clean(subject.group(1)))
    if subject:  # "mentions that X" states X
        return Part(outlet, "statement", _sentence(_clean(subject.group(1)[5:])))
    # "attribute X to Y", "describe X as Y": the statement they make, in plain words.
    framed_as = re.match(
        rf"^{noun}(?P<verb>attribut|describ|portray|depict|show|characteri[sz])e?s?d?\s+"
        rf"(?P<what>.+?)\s+(?P<link>to|as)\s+(?P<how>.+)$",
        rest,
        re.I,
    )
    if framed_as and (framed_as.group("verb").lower() == "attribut") == (
        framed_as.group("link").lower() == "to"
    ):
        link = "was due to" if framed_as.group("link").lower() == "to" else "is"
        text = f"{_clean(framed_as.group('what'))} {link} {_clean(framed_as.group('how'))}"
        return Part(outlet, "statement", _sentence(text), when)
    credited = _credited(rest, noun)
    if credited:
        return Part(outlet, "statement", _sentence(credited), when)
    # "…, and Harbour Ledger that X": the verb of the part before, left out.
    said_that = re.match(
        rf"^{noun}(?:(?:{_STATEMENT_VERBS})(?:e?s|ed|ing)?\b\s+)?(that\s+.+)$", rest, re.I
    )
    said = said_that or re.match(
        rf"^{noun}(?P<verb>{_STATEMENT_VERBS})(?:e?s|ed|ing)?\b\s+(.+)$", rest, re.I
    )
    if said:
        text = re.sub(r"^that\s+", "", said.group(said.lastindex or 1), flags=re.I)
        # "reported a discount on X" (no "that"): what is reported may be a subject.
        reported = said_that is None and said.group("verb").lower() == "report"
        trailing = _TRAILING_DATE.search(text.strip()) if timed and not when else None
        if trailing:  # "After A reported X on October 18th": the report's date, or X's
            text = text.strip()[: trailing.start()]
            return Part(
                outlet,
                "statement",
                _sentence(_clean(text)),
                trailing.group(1),
                True,
                reported=reported,
            )
        return Part(outlet, "statement", _sentence(_clean(text)), when, reported=reported)
    # "depicts X", "highlights X", "shows X", "anticipates X" (no "as", no "that"): what the
    # report is about, a subject.
    shown = re.match(
        rf"^{noun}(?:{_SHOWING_VERBS})\w*\s+(?!that\b|on\b|about\b)(?P<what>.+)$", rest, re.I
    )
    if shown and not re.match(_PART_VERBS, shown.group("what"), re.I):
        # What it shows is a subject, unless a parse finds a clause in it ("anticipates rates
        # will fall"): ``as_subjects`` decides, as for "reports X".
        return Part(
            outlet, "statement", _sentence(_clean(shown.group("what"))), when, reported=True
        )
    return None


def _credited(rest: str, noun: str) -> str | None:
    """ "credits X for Y" as the statement it makes, "Y was due to X"; "credits X with
    scoring Y" as "X scored Y" (with a noun, "Y was due to X" again). None for another verb."""
    found = re.match(
        rf"^{noun}credit(?:s|ed)?\s+(?P<who>.+?)\s+(?P<link>for|with)\s+(?P<what>.+)$", rest, re.I
    )
    if found is None:
        return None
    who, what = _clean(found.group("who")), _clean(found.group("what"))
    first, _, after = what.partition(" ")
    past = _past(first) if found.group("link").lower() == "with" else None
    if past is not None:
        return f"{who} {past} {after}".strip()
    return f"{what} was due to {who}"


def _past(word: str) -> str | None:
    """ "scoring" → "scored"; None for a word that is no verb's "-ing" form ("nothing",
    "Spring")."""
    from lemminflect import getAllLemmas, getInflection

    if not word.endswith("ing") or not word.islower():
        return None
    lemmas = getAllLemmas(word, upos="VERB").get("VERB", ())
    if not lemmas or word not in getInflection(lemmas[0], tag="VBG"):
        return None
    forms = getInflection(lemmas[0], tag="VBD")
    return forms[0] if forms else None


# ", indicating different approaches to security": what the question makes of a part, not
# what the outlet is asked to say.
_COMMENTARY = re.compile(
    r",\s+(?:indicating|suggesting|implying|contrasting|highlighting|showing|reflecting|"
    r"demonstrating|underscoring)\b[^,;]*",
    re.I,
)


def _clean(text: str) -> str:
    """Spaces made single; commas and the marks of a quotation around it dropped (a quoted
    statement is checked as a statement), and the question's commentary after it."""
    return " ".join(_COMMENTARY.sub("", text).strip(" ,;'\"‘’“”").split())


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
    unknown_order = False
    for before, after in pairwise(answered):
        if after.part.sequence is not None and before.holds and after.holds:
            in_order, clause = _in_order(before, after)
            clauses.append(clause)
            yes = yes and bool(in_order)
            unknown_order = unknown_order or in_order is None
    verdict: Verdict = "supported" if yes else "contradicted"
    opening = "Yes: " if yes else "No: "
    asked = next((a for a in answered if a.part.kind == "either"), None)
    if asked is not None:  # "did B agree or disagree?": B's stance is the answer
        opening, verdict = _either(asked)
    elif unknown_order and all(a.holds for a in answered):
        opening, verdict = "The sources do not say which came first: ", "not_in_sources"
    line = opening + "; ".join(clauses) + "."
    claim = " / ".join(f"{a.part.outlet}: {a.part.text}" for a in answered)
    return verdict_first(answer, verdict, claim, line)


def _in_order(first: Answered, then: Answered) -> tuple[bool | None, str]:
    """Whether two reports came in the order the question asks ("A … before B …"), by the
    days their cited articles were published (None: a day is not known), and the clause that
    says so."""
    days = [a.evidence.passage.published[:10] if a.evidence else "" for a in (first, then)]
    if not all(days):
        return None, "the day of one report is not known"
    earlier, later = (first, then) if days[0] <= days[1] else (then, first)
    asked_first = first if then.part.sequence == "later" else then
    if days[0] == days[1]:
        return False, f"both were published on {days[0]}"
    came = (
        f"{earlier.part.outlet} published first ({min(days)}), "
        f"{later.part.outlet} later ({max(days)})"
    )
    return earlier is asked_first, came


def _either(asked: Answered) -> tuple[str, Verdict]:
    if asked.verdict == "supported":
        return "Agree: ", "supported"
    if asked.verdict in ("contradicted", "contested"):
        return "Disagree: ", "contradicted"
    return "The sources do not say: ", "not_in_sources"


def _clause(a: Answered, cited: str) -> str:
    outlet, text = a.part.outlet, a.part.text.rstrip(".")
    said = _inline(text)
    if a.part.kind in _STANCES:
        if a.verdict == "supported":
            return f"{outlet}{cited} agrees"
        if a.verdict in ("contradicted", "contested"):
            return f"{outlet}{cited} says otherwise"
        return f"{outlet} does not say whether {said}"
    if a.part.kind == "subject":
        text = f"the point that {_inline(text)}" if a.part.clause else text
        return f"{outlet}{cited} covers {text}" if a.holds else f"{outlet} does not cover {text}"
    if a.holds:
        return f"{outlet}{cited} says so"
    if a.verdict == "contradicted":
        return f"{outlet}{cited} says otherwise"
    if a.verdict == "contested":
        return f"{outlet}{cited} reports it as disputed"
    return f"{outlet} does not say that {said}"


def _inline(statement: str) -> str:
    """A statement inside a clause: "The ship sank" → "the ship sank"; a name keeps its
    capital ("Chinese companies shipped …")."""
    first = statement.split(maxsplit=1)[0] if statement else ""
    if first.lower() in _COMMON_OPENINGS:
        return statement[:1].lower() + statement[1:]
    return statement

"""Yes/no questions: the statement a question asks about, and an answer from its check.

"Did Japan shoot down the Il-20?" asks whether "Japan shot down the Il-20." is true. Such a
question is answered through the claim check, not by quoting the sentence most like it (which
reads as an answer and is not one): a first line says what the sources say in plain words
(yes, no, disputed, or that they do not say), then the sentences for and against, each cited.

The statement is made from the question's parse: the subject moves before the auxiliary ("Is
China supplying …" → "China is supplying …"), and a do-auxiliary is folded into its verb ("Did
Japan shoot" → "Japan shot", by ``lemminflect``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.candidates import (
    Candidate,
    Quote,
    build_answer,
    citation_markers,
    dated_sides,
    later_report,
)
from assistant.text import normalise
from assistant.types import Answer, Verdict
from assistant.values import is_nationality

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

    from assistant.check import Weighed

# Words that open a yes/no question; "do" forms are folded into the verb that follows.
DO_FORMS = {"do": "VBP", "does": "VBZ", "did": "VBD"}
_BE = ("is", "are", "was", "were", "am")
_HAVE = ("has", "have", "had")
_MODALS = ("will", "would", "can", "could", "shall", "should", "may", "might", "must")
AUXILIARIES = frozenset((*_BE, *_HAVE, *_MODALS, *DO_FORMS))
# Words that may open a statement in lower case inside "whether …".
_LOWER_OPENINGS = frozenset(
    ["the", "a", "an", "there", "both", "all", "some", "this", "these", "those", "it"]
)
# "Is it true that X?", "Do the sources say that X?", "Is there any proof that X?": the
# statement is X.
_WRAPPERS = re.compile(
    r"(?:is it (?:true|the case)|do the (?:sources|articles|reports) say"
    r"|(?:is|was) there (?:any |some |real |hard |clear )?"
    r"(?:proof|evidence|confirmation|sign|indication))\s+that\s+",
    re.IGNORECASE,
)
SUBJECTS = ("nsubj", "nsubjpass", "expl", "csubj")


def is_polar(question: str) -> bool:
    """A question that asks yes or no: it opens with an auxiliary and ends in one '?'."""
    text = question.strip()
    words = text.split(maxsplit=1)
    return (
        len(words) == 2
        and text.endswith("?")
        and text.count("?") == 1
        and words[0].lower() in AUXILIARIES
    )


def as_claim(question: str, nlp: Language) -> str | None:
    """The statement a yes/no question asks about, or ``None`` when it is not one."""
    if not is_polar(question):
        return None
    text = normalise(question)
    wrapper = _WRAPPERS.match(text)
    if wrapper:
        inner = text[wrapper.end() :].rstrip("?").strip()
        return _sentence(inner) if inner else None
    doc = nlp(text)
    if _verb_misread(doc) and (named := _named_doer(text, doc)):
        subject, verb, rest, aux = named
        return _sentence(f"{subject} {_inflect_word(verb, DO_FORMS[aux])}{rest}")
    subject = _subject(doc)
    if subject is None:
        return None
    return _sentence(_reordered(doc, subject))


# "Did Russia ship drones to China?": a name, then the verb "did" asks about.
_NAMED_DOER = re.compile(
    r"^(?P<aux>(?i:do|does|did))\s+(?P<subject>(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)"
    r"\s+(?P<verb>[a-z][a-z-]*)(?P<rest>\b[^?]*)\?\s*$"
)


def _named_doer(text: str, doc: Doc) -> tuple[str, str, str, str] | None:
    """Subject, verb, the rest and the auxiliary of "Did <name> <verb> …?", read from the
    words; a nationality takes its noun ("Chinese companies ship …"), and so does a word the
    parse makes the subject of the next ("Did the US Navy ship arrive?"). None where a verb of
    the parse follows the word taken for the verb."""
    named = _NAMED_DOER.match(text)
    if named is None:
        return None
    subject, verb, rest = named.group("subject"), named.group("verb"), named.group("rest")
    verb_at, rest_at = named.start("verb"), named.start("rest")
    if is_nationality(subject.split()[-1]):
        noun_verb = re.match(r"\s+([a-z][a-z-]*)\b", rest)
        if noun_verb is None:
            return None
        subject, verb, rest = f"{subject} {verb}", noun_verb.group(1), rest[noun_verb.end() :]
        verb_at, rest_at = rest_at + noun_verb.start(1), rest_at + noun_verb.end()
    taken = next((t for t in doc if t.idx == verb_at), None)
    next_word = re.match(r"\s+([a-z][a-z-]*)\b", rest)
    if (
        taken is not None
        and next_word
        and taken.dep_ in SUBJECTS  # "ship" of "the US Navy ship arrive"; not "Russia ship oil"
        and taken.head.i == taken.i + 1
        and _is_base_verb(next_word.group(1))  # "arrive", not "drones"
        # ... and no noun after it ("ship drone engines": "drone" is no verb there)
        and (taken.i + 2 >= len(doc) or doc[taken.i + 2].pos_ in ("ADP", "ADV", "PUNCT", "PART"))
    ):
        # "Did the US Navy ship arrive?": the word taken for the verb is the subject of the
        # word after it, which the auxiliary asks about.
        subject, verb, rest = f"{subject} {verb}", next_word.group(1), rest[next_word.end() :]
    elif any(t.pos_ == "VERB" and t.idx >= rest_at for t in doc):
        return None
    return subject, verb, rest, named.group("aux").lower()


def _verb_misread(doc: Doc) -> bool:
    """Whether the parse missed the verb after "do"/"did": the small pipeline reads "Did
    Russia ship drones …" as a noun phrase ("Russia ship drones"), "did" then has no verb."""
    aux = doc[0]
    return aux.lower_ in DO_FORMS and (aux.dep_ == "ROOT" or aux.head.pos_ not in ("VERB", "AUX"))


def _is_base_verb(word: str) -> bool:
    from lemminflect import getLemma

    return getLemma(word, upos="VERB")[:1] == (word,)


def _inflect_word(word: str, tag: str) -> str:
    from lemminflect import getInflection

    forms = getInflection(word, tag=tag)
    return forms[0] if forms else word


def _subject(doc: Doc) -> Span | None:
    """The subject phrase right after the opening auxiliary ("the Russian spy vessel")."""
    aux = doc[0]
    for token in doc[1:]:
        if token.dep_ not in SUBJECTS or token.head.i not in (aux.i, aux.head.i):
            continue
        if token.left_edge.i != 1:
            return None  # something stands between the auxiliary and its subject
        end = token.i + 1
        for child in token.rights:
            # "Were Chinese firms shipping engines …": the parser hangs the verb on the
            # subject; it is the question's own verb, not part of the subject.
            if child.dep_ in ("acl", "relcl") and child.tag_ in ("VBG", "VBN"):
                break
            end = child.right_edge.i + 1
        return doc[1:end]
    return None


def _reordered(doc: Doc, subject: Span) -> str:
    """Subject, then the auxiliary, then the rest; "did" + verb becomes the verb's past."""
    aux = doc[0]
    verb = aux.head
    folded = (
        aux.lower_ in DO_FORMS
        and verb.i >= subject.end
        and verb.tag_ in ("VB", "VBP")  # the parser tags "does … claim" VBP
        and not any(child.dep_ == "neg" for child in verb.children)
    )
    end = len(doc) - 1 if doc[-1].text == "?" else len(doc)
    rest = "".join(
        _inflected(t, DO_FORMS[aux.lower_]) if folded and t.i == verb.i else t.text_with_ws
        for t in doc[subject.end : end]
    )
    return " ".join(part for part in (subject.text, "" if folded else aux.lower_, rest) if part)


def _inflected(verb: Token, tag: str) -> str:
    return _inflect_word(verb.lemma_ or verb.text, tag) + verb.whitespace_


def _sentence(text: str) -> str:
    text = text.strip().rstrip("?").rstrip()
    return text[:1].upper() + text[1:] + "."


def answer_from_check(question: str, weighed: Weighed, quote: Quote) -> Answer:
    """The answer to a yes/no question whose statement the sources speak to: the verdict in
    plain words, then the sentences for the statement and those against it, each cited."""
    supporting = [j.candidate for j in weighed.supporting]
    against = [c for c in weighed.against_candidates if c.key not in {s.key for s in supporting}]
    answer = build_answer(question, [quote(c) for c in supporting + against], weighed.flags)
    markers = citation_markers(answer)

    def by_outlet(candidates: list[Candidate]) -> str:
        """Each outlet once, with the citations of its sentences: "Meridian Wire [1][2]"."""
        outlets: dict[str, list[Candidate]] = {}
        for c in candidates:
            outlets.setdefault(c.passage.outlet, []).append(c)
        return _listed([f"{outlet} {markers(cs)}" for outlet, cs in outlets.items()])

    dispute = weighed.disputes[0] if weighed.disputes else None
    if weighed.verdict == "supported":
        line = f"Yes, according to {by_outlet(supporting)}."
    elif weighed.verdict == "contradicted":
        line = f"No: {by_outlet(against)} {_say(by_outlet(against))} otherwise."
    elif dispute is not None and dispute.kind == "denied":
        # Every denial of the statement, each side with its own sentences: "Ukraine's Foreign
        # Intelligence Service [1] and Baltic Courier [2] say so; Beijing [5] and China's
        # foreign ministry [4] deny it."
        denials = [d for d in weighed.disputes if d.kind == "denied"]
        claimants = _parties([(d.claimed_by, d.claims) for d in denials], markers)
        deniers = _parties([(d.disputed_by, d.counter) for d in denials], markers)
        line = (
            f"Disputed: {claimants} {_say(claimants)} so; "
            f"{deniers} {'deny' if ' and ' in deniers else 'denies'} it."
        )
    elif dispute is not None and (sides := dated_sides(dispute)) is not None:
        line = f"Disputed: {later_report(sides, markers)}."
    elif dispute is not None:
        line = (
            f"Disputed: {dispute.claimed_by} {markers(supporting)} and "
            f"{dispute.disputed_by} {markers(against)} disagree."
        )
    else:
        backers = by_outlet(supporting)
        line = f"Disputed: {backers} {_say(backers)} so; {by_outlet(against)} otherwise."
    return verdict_first(answer, weighed.verdict, weighed.claim, line)


def verdict_first(answer: Answer, verdict: Verdict, claim: str, line: str) -> Answer:
    """``answer`` opened by its verdict line: the one shape of every judged answer (yes/no,
    parts, comparisons)."""
    return answer.model_copy(
        update={
            "verdict": verdict,
            "claim": claim,
            "verdict_line": line,
            "answer": f"{line} {answer.answer}".strip(),
        }
    )


def not_said(answer: Answer, claim: str) -> Answer:
    """The sources neither back nor contradict the statement: say so, then what they do say
    in answer to the question (or abstain, as the composer did)."""
    update: dict[str, object] = {"verdict": "not_in_sources", "claim": claim}
    if not answer.abstained:
        line = f"The sources do not say whether {_inline(claim)}; what they say:"
        update |= {"verdict_line": line, "answer": f"{line} {answer.answer}"}
    return answer.model_copy(update=update)


def _say(subject: str) -> str:
    return "say" if " and " in subject else "says"


def _parties(
    sides: list[tuple[str | None, list[Candidate]]], markers: Callable[[list[Candidate]], str]
) -> str:
    """Each party once, with the citations of its sentences: "Beijing [5] and China's foreign
    ministry [4]"."""
    cited: dict[str, list[Candidate]] = {}
    for party, sentences in sides:
        cited.setdefault(party or "a source", []).extend(sentences)
    return _listed(
        [f"{party} {markers(list({c.key: c for c in cs}.values()))}" for party, cs in cited.items()]
    )


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _inline(claim: str) -> str:
    """The statement inside a sentence: no final stop, a leading article in lower case."""
    text = claim.rstrip(".")
    first = text.split(maxsplit=1)[0] if text else ""
    return text[:1].lower() + text[1:] if first.lower() in _LOWER_OPENINGS else text


def verdict_word(verdict: Verdict | None) -> str:
    """How a yes/no answer begins, for scoring and for the first line."""
    return {"supported": "yes", "contradicted": "no", "contested": "disputed"}.get(
        verdict or "", "not said"
    )

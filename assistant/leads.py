"""The name a who/which question asks for, stated before the sentences that give it (issue 18,
item 2): "Which destroyer shadowed the Beijixing?" is answered "JS Suzutsuki [1]." and then the
sentence it comes from, cited.

A wrong name said first misleads more than none, so a name is stated only when the best answer
sentence (the one the composer ranks first) gives exactly one name the question does not, and
ties it to the question:

* right after the noun of "which/what <noun>" ("the destroyer JS Suzutsuki", "the ship,
  Kareliya"), or holding it ("Naha Air Base" for "which air base"); a possessive between them
  ties another ("the destroyer's captain, Kenji Ito");
* or just before the verb of "who <verb>", in one of its forms ("Beijing has dismissed" for
  "who dismissed"; not "Russia blamed the attack" for "who attacked").

Names are runs of capitalised words, less the question's own names (and a country's other
forms), outlets, nationalities, months, days, function words, and a sentence's capitalised
first word unless the sources write it capitalised inside a sentence too ("Officials said" is
no name, "Beijing has dismissed" is). For "who", an acronym ("FTX") is no person. No name is
stated this way for "who is …", "where …", a plural ("which ships …": there may be several),
or a question about a time or an amount ("which year …"). The fullest form the best sentence's
article writes of the name, when it writes one ("Sam Bankman-Fried" for "Bankman-Fried"), is
stated, cited where it is written; "South Sudan" is no fuller form of "Sudan". The name opens
the answer as its first line (``Answer.verdict_line``), not as a sentence of its own: a bare
name is no claim a citation could back.

A question that describes what it asks for in parts, each from a report ("Who is the individual
whose trial is approaching, as reported by TechCrunch, who faced difficulties managing FTX as
mentioned by The Verge, …?", "Which company, noted by TechCrunch for …, is also …?"), has no
sentence that answers it whole (``described``): the name is the one the best-ranked sentences
give more often than any other, in two articles or more (a description's parts come from
different reports of one subject), unless the best sentence ties a name to the description's
noun ("Moen's lawyer, Ingrid Dahl" for "who is the lawyer …"). For a person, a name the
sources write before an organisation's word ("Alameda Research") and a capitalised common
abbreviation ("CEO", "AI") are left out. A clipped name counts as the one it clips ("Fed" as
"Federal Reserve"), and two names given equally often are told apart by the next-best
sentences.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from assistant.candidates import Candidate
from assistant.keyword import stopwords
from assistant.polar import AUXILIARIES
from assistant.values import (
    COUNTRY_FORMS,
    GOVERNMENT_SEATS,
    MONTH_NAMES,
    NATIONALITIES,
    is_nationality,
    named_in_another_form,
    same_name,
)

_RUN = re.compile(r"[A-Z][\w\-]*(?:['’]s\b)?(?:\s+[A-Z][\w\-]*(?:['’]s\b)?)*")
_WORD = re.compile(r"[\w\-]+(?:['’]s\b)?")
_WEEKDAYS = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
)
_AUXILIARIES = AUXILIARIES | {"be", "been"}
# Words that may stand between a name and its verb: "Beijing has firmly dismissed".
_BEFORE_VERB = _AUXILIARIES | frozenset(["also", "not", "never", "firmly", "reportedly", "then"])
# Words that may stand between a noun and its name: "the ship called Kareliya".
_NAMING = frozenset(["called", "named", "dubbed"])
# What a second noun may be ("which spy ship"): a kind of named thing, not a verb ("which ship
# sank", "which team won").
_KIND_WORDS = """
    ship vessel boat destroyer frigate submarine carrier aircraft plane jet drone base
    port island strait sea city town country state region prefecture province agency
    ministry department company firm group party team club unit fleet force army navy outlet
    newspaper organisation organization body court bank fund union alliance festival factory
    plant airport station"""
_KINDS = frozenset(_KIND_WORDS.split())
# Last words that make a name a place and nothing else ("East China Sea", "Tsushima Strait",
# "Misawa Air Base"): no answer to a description of a ship, a person or a company. Not "City"
# or "State" ("Manchester City", "Islamic State" are a club and a group).
_PLACE_WORDS = """sea seas strait straits ocean bay gulf river lake island islands peninsula
    canal channel prefecture province base airport"""
_PLACE_ENDINGS = frozenset(_PLACE_WORDS.split())
# Nouns of questions that do ask for a place.
_PLACE_NOUN_WORDS = """place location area site region country state city town port station
    waterway water waters route"""
_PLACE_NOUNS = _PLACE_ENDINGS | frozenset(_PLACE_NOUN_WORDS.split())
# Nouns that ask for a time or an amount, not a name: "which year", "what day".
_NOT_NAME_WORDS = """year years day days month months week weeks date time times season edition
    number percentage share amount kind type sort one"""
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())
# Abbreviations of common nouns, written in capitals but naming no one ("the AI", "its CEO").
_ACRONYM_WORDS = """ai ceo cfo coo cto tv pc pr hr it vr ar gpu cpu api app ipo etf ev faq
    ui ux"""
_COMMON_ACRONYMS = frozenset(_ACRONYM_WORDS.split())
# What makes "which <noun> …" a description in parts, not one question a sentence answers
# ("Which ship passed through the strait?"): a clause set off by a comma, or the reports named.
_DESCRIPTION = re.compile(
    r",|\b(?:according\s+to|reported\s+by|covered\s+by|featured\s+in|mentioned\s+(?:in|by)"
    r"|articles?|reports?)\b",
    re.I,
)
# Sentences read for the name a description asks for: the best-ranked this many.
_DESCRIBED_POOL = 10
# What "which <noun>" asks a person for.
_PERSON_WORDS = """individual person man woman player artist singer star figure executive
    founder leader official athlete coach author actor actress celebrity musician politician
    entrepreneur investor"""
_PERSON_NOUNS = frozenset(_PERSON_WORDS.split())
# Words that make the name before them an organisation's ("Alameda Research"), no person's.
_ORGANISATION_WORD_LIST = """research group inc corp corporation capital labs ventures partners
    holdings exchange bank fund university college institute foundation agency company records
    studios media entertainment technologies systems networks airlines motors"""
_ORGANISATION_WORDS = frozenset(_ORGANISATION_WORD_LIST.split())
# Longest form taken: at most this many more words than the name read ("Sam Bankman-Fried").
_FULLER_BY = 2
_COMPASS_WORDS = """north south east west northern southern eastern western central new upper
    lower greater"""
COMPASS = frozenset(_COMPASS_WORDS.split())


@dataclass(frozen=True)
class Lead:
    name: str
    source: Candidate  # the sentence that writes the name as stated


@dataclass(frozen=True)
class Anchor:
    """What ties the name to the question: the noun(s) of "which destroyer" / "which air
    base", or the verb of "who dismissed"."""

    kind: Literal["noun", "verb"]
    words: tuple[str, ...]


_WHICH_NOUN = re.compile(
    r"^\s*(?i:which|what)\s+(?:[A-Z][\w\-]*\s+)*([a-z][\w\-]*)(?:\s+([a-z][\w\-]*))?"
)
_WHO_VERB = re.compile(r"^\s*(?i:who)\s+([a-z][\w\-]*)")
# "Who is the individual who …", "What is the name of the platform that …": a description,
# with no noun or verb a name stands next to in one sentence.
_DESCRIBED = re.compile(
    r"^\s*(?i:who\s+(?:is|was)\s+the|what\s+(?:is|was)\s+the\s+name\s+of\s+the)"
    r"\s+(?:[A-Z][\w\-]*\s+)*([a-z][\w\-]*)(?:\s+([a-z][\w\-]*))?"
)


def lead(
    question: str,
    asked: set[str],
    best: Candidate,
    quoted: list[Candidate],
    candidates: list[Candidate],
) -> Lead | None:
    """The name to state first for a who/which question (``asked``: the names it gives,
    lower-cased), from the ``best`` of the ``quoted`` sentences; None when it gives no single
    name tied to the question. ``candidates``: every sentence read, to tell names from words
    capitalised because they open a sentence."""
    anchor = _anchor(question)
    if anchor is None:
        return None
    outlets = {c.passage.outlet.lower() for c in candidates}
    proper = _written_inside_sentences(candidates)
    naming = proper | _name_openers(candidates)
    names = _names(best.text, asked, outlets, naming, person=anchor.kind == "verb")
    if len(names) != 1 or not _anchored(names[0], anchor, best.text):
        return None
    article = [c for c in quoted if c.passage.article_id == best.passage.article_id]
    return _fullest_read(names[0], best, article, candidates, proper)


def described(
    question: str,
    asked: set[str],
    best: Candidate,
    quoted: list[Candidate],
    candidates: list[Candidate],
) -> Lead | None:
    """The name a question that describes someone or something asks for ("Who is the
    individual who …, as reported by TechCrunch and The Verge?", "Which company, noted by … for
    …, is also …?"). The ``best`` sentence may tie a name to the description's noun ("Moen's
    lawyer, Ingrid Dahl" for "who is the lawyer …"); else it is the one name that more of the
    best-ranked sentences (the ``quoted`` ones and the first ``_DESCRIBED_POOL``
    ``candidates``) give than any other, in at least two articles: a description's parts come
    from different reports of the same one. Its fullest form is stated, from the sentence that
    writes it (maybe one not quoted yet)."""
    noun = _described_noun(question)
    if noun is None:
        return None
    reader = _NameReader(question, noun, asked, candidates)
    tied = [n for n in reader.names(best) if _anchored(n, Anchor("noun", (noun,)), best.text)]
    if tied:
        own = [c for c in candidates if c.passage.article_id == best.passage.article_id]
        return (
            _fullest_read(tied[0], best, own, candidates, reader.proper) if len(tied) == 1 else None
        )
    pool = list({c.key: c for c in [*quoted, *candidates[:_DESCRIBED_POOL]]}.values())
    shared = reader.shared(pool)
    if shared is None:
        return None
    found, sentences = shared
    # A question asked in one piece ("Who is the official that said …?") is answered by one
    # sentence: the name the reports share must be in the best one, or tied to the noun where
    # it is written ("Director Justin Kurzel"), else it is only the place every report of
    # the event mentions ("Hokkaido").
    if _DESCRIPTION.search(question) or _writes(found.name.split()[-1], best.text):
        return found
    anchor = Anchor("noun", (noun,))
    tied_somewhere = any(_anchored(found.name, anchor, c.text) for c in [found.source, *sentences])
    return found if tied_somewhere else None


def converging(
    question: str, asked: set[str], candidates: list[Candidate]
) -> tuple[Lead, list[Candidate]] | None:
    """For a question that describes someone in parts, none of whose sentences answers it
    alone ("Which company, noted by TechCrunch for …, has also …?": each report gives one
    part): the name the best-ranked sentences of two articles or more share, and one
    sentence of each of those articles that gives it, best first. None for any other
    question, or when the sentences do not agree on one name."""
    noun = _described_noun(question)
    if noun is None:
        return None
    return _NameReader(question, noun, asked, candidates).shared(candidates[:_DESCRIBED_POOL])


# What a description question says around its parts: its opening ("Who is the individual
# that", "Which company,"), and who reported each part ("according to 'The Age'", "as
# reported by TechCrunch", "in a TechCrunch article").
_DESCRIPTION_OPENING = re.compile(
    r"^\s*(?:who|which|what)(?:\s+(?:is|was|are|were))?(?:\s+the)?(?:\s+name\s+of\s+the)?"
    r"(?:\s+[\w\-]+){0,3}?\s*(?:,|\b(?:who|that|which|whose)\b)",
    re.I,
)


def _reported_by(outlets: set[str]) -> re.Pattern[str] | None:
    """Who reported a part, as questions write it: "according to 'The Age'", "by TechCrunch",
    "in a Fortune article", "as The Verge reports", for the outlets given (lower-cased)."""
    if not outlets:
        return None
    names = "|".join(re.escape(o) for o in sorted(outlets, key=len, reverse=True))
    quoted = rf"['\"‘’“”]?(?:{names})['\"‘’“”]?(?:['’]s)?"
    return re.compile(
        rf"\b(?:as\s+)?(?:according\s+to|by|in|from)\s+(?:(?:both|an?|the)\s+)?"
        rf"(?:articles?\s+(?:from|by|in)\s+)?{quoted}(?:\s+(?:articles?|reports?|pieces?))?"
        rf"|\bas\s+(?:the\s+)?{quoted}\s+(?:reports|reported|notes|noted|says|said)\b",
        re.I,
    )


_PART_JOINS = re.compile(r",|;|\s+and\s+(?:also\s+)?|\s+but\s+also\s+|\s+while\s+", re.I)


def description_parts(question: str, outlets: set[str]) -> list[str]:
    """The parts of a question that describes someone ("Which company, noted by TechCrunch
    for its browser deal, has also …?" → ["noted for its browser deal", "has also …"]): its
    clauses without its opening and without which of ``outlets`` reported each ("acquired by
    Microsoft" keeps its Microsoft), of three words or more."""
    body = _DESCRIPTION_OPENING.sub("", question, count=1).rstrip(" ?")
    reported_by = _reported_by(outlets)
    if reported_by is not None:
        body = reported_by.sub(" ", body)
    parts = [
        re.sub(r"\s+(?:and|or|but)$", "", " ".join(p.split())) for p in _PART_JOINS.split(body)
    ]
    return [p for p in parts if len(re.findall(r"\w{3,}", p)) >= 3]


class _NameReader:
    """The names sentences give for a description question, read as ``described`` reads
    them."""

    def __init__(
        self, question: str, noun: str, asked: set[str], candidates: list[Candidate]
    ) -> None:
        self.person = question.lstrip()[:3].lower() == "who" or noun in _PERSON_NOUNS
        self.place = noun in _PLACE_NOUNS
        self.individual = noun in _PERSON_NOUNS
        self.asked = asked
        self.candidates = candidates
        self.outlets = {c.passage.outlet.lower() for c in candidates}
        self.proper = _written_inside_sentences(candidates)
        self.naming = self.proper | _name_openers(candidates)

    def names(self, c: Candidate) -> list[str]:
        """The names ``c`` gives, less places where the description is of no place: "the
        Russian spy vessel that sailed through the strait …" is not the "Sea" of "the Sea of
        Japan" that every report of it names."""
        found = _names(
            c.text, self.asked, self.outlets, self.naming, person=self.person, possessors=True
        )
        if self.individual:  # "China's foreign ministry" gives no individual "China"
            found = [n for n in found if not _a_country(n)]
        if self.place:
            return found
        return [n for n in found if n.split()[-1].lower() not in _PLACE_ENDINGS]

    def shared(self, pool: list[Candidate]) -> tuple[Lead, list[Candidate]] | None:
        """The name most sentences of ``pool`` give, in two articles or more, in its fullest
        form, and the first sentence of each article that gives it."""
        excluded = _organisations(self.candidates) if self.person else set()
        wider = self.candidates[: 2 * _DESCRIBED_POOL]
        found = _most_named(pool, self.names, excluded, wider)
        if found is None:
            return None
        name, source = min(found, key=lambda pair: len(pair[0]))
        articles = {c.passage.article_id for _, c in found}
        own = [c for c in self.candidates if c.passage.article_id in articles]
        fullest = _fullest_read(name, source, own, self.candidates, self.proper)
        if fullest.name == name:  # as another of the sentences writes it, opening with it
            fullest = _fullest(name, source, [c for _, c in found], self.naming)
        firsts: dict[str, Candidate] = {}
        for _, c in found:
            firsts.setdefault(c.passage.article_id, c)
        return fullest, list(firsts.values())


def _a_country(name: str) -> bool:
    """A country's name or its seat of government ("China", "the United States", "Beijing")."""
    lowered = name.lower()
    return (
        lowered in GOVERNMENT_SEATS
        or any(lowered == form.lower() for forms in COUNTRY_FORMS for form in forms)
        or (" " not in lowered and any(same_name(lowered, n) for n in NATIONALITIES))
    )


def _described_noun(question: str) -> str | None:
    """The noun of a description ("individual" of "Who is the individual who …", "company" of
    "Which company, noted by …, …"), or None for a question that is no description."""
    described = _DESCRIBED.match(question)
    if described:
        return _nouns(described.group(1).lower(), described.group(2))[0]
    anchor = _anchor(question)
    if anchor is not None and _DESCRIPTION.search(question):
        return anchor.words[0]
    return None


def _most_named(
    pool: list[Candidate],
    names: Callable[[Candidate], list[str]],
    excluded: set[str],
    wider: list[Candidate] | None = None,
) -> list[tuple[str, Candidate]] | None:
    """The mentions (name as written, sentence) of the name more sentences of ``pool`` give than
    any other, when they come from two articles or more; names are told apart by their last
    word ("Bankman-Fried" is "Sam Bankman-Fried"), and ``excluded`` ones are left out. Names
    the pool gives equally often are told apart by the ``wider`` pool of the next-best
    sentences: the trial's defendant and its star witness are both named in its best
    sentences, the defendant in more of the rest."""
    mentions = _mentions(pool, names, excluded)
    counts = _counts(mentions)
    if len(counts) > 1 and counts[1][0] == counts[0][0] and wider:
        tied = {key for n, key in counts if n == counts[0][0]}
        counts = _counts({k: v for k, v in _mentions(wider, names, excluded).items() if k in tied})
    if not counts or (len(counts) > 1 and counts[1][0] == counts[0][0]):
        return None
    found = mentions[counts[0][1]]
    return found if len({c.passage.article_id for _, c in found}) >= 2 else None


def _mentions(
    pool: list[Candidate], names: Callable[[Candidate], list[str]], excluded: set[str]
) -> dict[str, list[tuple[str, Candidate]]]:
    """The names the sentences of ``pool`` give, by last word, each with where it is written."""
    mentions: dict[str, list[tuple[str, Candidate]]] = {}
    for c in pool:
        for name in names(c):
            key = name.split()[-1].lower()
            if key not in excluded:
                mentions.setdefault(key, []).append((name, c))
    return _clippings_joined(mentions)


def _counts(mentions: dict[str, list[tuple[str, Candidate]]]) -> list[tuple[int, str]]:
    """(sentences giving it, name) for each name, most given first."""
    return sorted(
        ((len({c.key for _, c in found}), key) for key, found in mentions.items()), reverse=True
    )


def _clippings_joined(
    mentions: dict[str, list[tuple[str, Candidate]]],
) -> dict[str, list[tuple[str, Candidate]]]:
    """A one-word name that clips the first word of one longer name of the pool ("Fed" of
    "Federal Reserve", "Man" of "Manchester City") counted as that name, written in full:
    news writes an institution in full once, then clipped."""
    longer = {key: found[0][0] for key, found in mentions.items() if len(found[0][0].split()) > 1}
    joined = {key: list(found) for key, found in mentions.items()}
    for key, found in mentions.items():
        if " " in found[0][0] or len(key) < 3 or key not in joined:
            continue
        into = [k for k, full in longer.items() if k != key and _clips(key, full.split()[0])]
        if len(into) == 1:
            target = into[0]
            joined[target] += [(longer[target], c) for _, c in joined.pop(key)]
    return joined


def _clips(short: str, word: str) -> bool:
    """Whether ``short`` is ``word`` cut to half its length or less ("fed" of "Federal", "man"
    of "Manchester"; not "japan" of "Japan", nor "ford" of "Fordham")."""
    return word.lower().startswith(short) and len(short) <= len(word) / 2


def _organisations(candidates: list[Candidate]) -> set[str]:
    """Names (lower-cased) the sources write before an organisation's word: "Alameda" of
    "Alameda Research"."""
    found = set()
    for c in candidates:
        for m in re.finditer(r"([A-Z][\w\-]*)\s+([A-Z][a-z]+)\b", c.text):
            if m.group(2).lower() in _ORGANISATION_WORDS:
                found.add(m.group(1).lower())
    return found


def _anchor(question: str) -> Anchor | None:
    """The noun(s) of "which/what <noun>", or the verb of "who <verb>"; None where no name is
    stated ("who is …", "where …", "which ships …", "which year …", "which of …")."""
    noun = _WHICH_NOUN.match(question)
    if noun:
        nouns = _nouns(noun.group(1), noun.group(2))
        head = nouns[0]
        if head in stopwords() or head in _NOT_NAMES or _plural(head):
            return None
        return Anchor("noun", nouns)
    verb = _WHO_VERB.match(question)
    if verb and verb.group(1).lower() not in _AUXILIARIES:
        return Anchor("verb", (verb.group(1).lower(),))
    return None


def _nouns(first: str, second: str | None) -> tuple[str, ...]:
    """The noun(s) a question asks for, its head first: "spy ship" is a ship, a spy's kind."""
    if second in _KINDS:
        return (second, first)
    return (first,)


def _plural(noun: str) -> bool:
    return noun.endswith("s") and not noun.endswith(("ss", "us", "is"))


def _anchored(name: str, anchor: Anchor, sentence: str) -> bool:
    words = _WORD.findall(sentence)
    lowered = [w.lower() for w in words]
    start = _find(name.split(), words)
    if start is None:
        return False
    if anchor.kind == "noun":
        if any(_same_noun(noun, w.lower()) for noun in anchor.words for w in name.split()):
            return True  # "Naha Air Base" for "which air base"
        before = start - 1
        while before >= 0 and lowered[before] in _NAMING:
            before -= 1
        return before >= 0 and any(_same_noun(n, lowered[before]) for n in anchor.words)
    after = start + len(name.split())
    while after < len(words) and lowered[after] in _BEFORE_VERB:
        after += 1
    return after < len(words) and lowered[after] in _verb_forms(anchor.words[0])


def _verb_forms(verb: str) -> set[str]:
    """The forms of a question's verb ("dismissed": dismiss, dismisses, dismissed,
    dismissing); a sentence's word must be one of them."""
    stems = {verb}
    for ending in ("ed", "d", "es", "s", "ing"):
        if verb.endswith(ending) and len(verb) - len(ending) >= 3:
            stems.add(verb[: -len(ending)])
    forms = set()
    for stem in stems:
        forms |= {stem, f"{stem}s", f"{stem}es", f"{stem}ed", f"{stem}d", f"{stem}ing"}
        if stem.endswith("e"):
            forms.add(f"{stem[:-1]}ing")
        if stem.endswith("y"):
            forms |= {f"{stem[:-1]}ies", f"{stem[:-1]}ied"}
    return forms


def _same_noun(noun: str, word: str) -> bool:
    """The noun or its plural ("unit" is not "united"; "destroyer's" is not "destroyer")."""
    return word in (noun, f"{noun}s", f"{noun}es") or noun in (f"{word}s", f"{word}es")


def _find(name: list[str], words: list[str]) -> int | None:
    for i in range(len(words) - len(name) + 1):
        if words[i : i + len(name)] == name:
            return i
    return None


def _names(
    sentence: str,
    asked: set[str],
    outlets: set[str],
    proper: set[str],
    *,
    person: bool,
    possessors: bool = False,
) -> list[str]:
    """The names a sentence gives that the question does not, in order; ``possessors``: with
    those written as possessors ("Altman's exit" gives "Altman")."""
    found: list[str] = []
    for run in _runs(sentence, proper):
        if run and re.search(r"['’]s$", run[-1]):
            if not possessors:
                continue  # "the country's president, Javier Milei": not the one asked for
            run = [*run[:-1], run[-1][:-2]]
        words = _unshouted(run)
        while words and _never_a_name(words[0]):
            words = words[1:]
        if not words or all(is_nationality(w) or w.lower() in _COMMON_ACRONYMS for w in words):
            continue
        text = " ".join(words)
        if text.lower() in outlets or (person and all(w.isupper() for w in words)):
            continue
        if any(same_name(w.lower(), a) for w in words for a in asked) or any(
            named_in_another_form(a, text) for a in asked
        ):
            continue  # the question's own names are not its answer ("US": "United States")
        if text not in found:
            found.append(text)
    return found


def _runs(sentence: str, proper: set[str]) -> list[list[str]]:
    """The runs of capitalised words of a sentence, less a first word capitalised only because
    it opens the sentence (or a quotation at its start): "Yesterday Biden said" gives
    "Biden"."""
    opening = len(sentence) - len(sentence.lstrip(" \"'“‘([—-"))
    runs = []
    for m in _RUN.finditer(sentence):
        if len(m.group(0)) == 1 and re.search(r"[A-Z]['’]$", sentence[: m.start()]):
            continue  # the end of a shouted contraction ("DIDN'T")
        words = m.group(0).split()
        opens = m.start() == opening and re.sub(r"['’]s$", "", words[0]) not in proper
        runs.append(words[1:] if opens else words)
    return runs


# Words that open a sentence before a name and are none ("While Swift has …", "Yesterday
# Biden said"), whether or not the sources write them in lower case too. (spaCy's list would
# load spaCy, and with it torch, for every who/which question.)
_OPENING_WORD_LIST = """while although though whereas meanwhile since because unless until once
    despite former amid unlike following according regarding given like
    however yet still now today yesterday tomorrow tonight earlier later last next even only
    instead indeed besides moreover nevertheless both either neither each every all some most
    several another other her his its our your my we he she you i"""
_OPENING_WORDS = frozenset(_OPENING_WORD_LIST.split())
# Contractions' first halves, as a shouted word writes them ("the Vikings DIDN'T throw").
_CONTRACTED_WORDS = """didn doesn don isn wasn weren aren hasn haven hadn won wouldn can couldn
    shouldn"""
_CONTRACTED = frozenset(_CONTRACTED_WORDS.split())
_SHOUTED_NEGATIONS = frozenset(["not", "never", "no"])


def _unshouted(run: list[str]) -> list[str]:
    """The run up to a negation shouted in capitals for emphasis ("the Vikings DIDN'T throw",
    "Biden will NOT run"): no part of a name. An abbreviation that spells a function word
    ("US President Joe Biden", "WHO Director-General") is."""
    for i, word in enumerate(run[1:], start=1):
        lowered = word.lower()
        if word.isupper() and (lowered in _CONTRACTED or lowered in _SHOUTED_NEGATIONS):
            return run[:i]
    return run


def _never_a_name(word: str) -> bool:
    lowered = word.lower()
    return lowered in stopwords() or lowered in MONTH_NAMES or lowered in _WEEKDAYS


def _written_inside_sentences(candidates: list[Candidate]) -> set[str]:
    """Words the sources write capitalised after a sentence's first word: proper names."""
    return {w for c in candidates for w in re.findall(r"(?<=\s)[A-Z][\w\-]*", c.text)}


def _name_openers(candidates: list[Candidate]) -> set[str]:
    """Sentences' first words that open a run of names and that the sources never write in
    lower case: read as names too ("Manchester United are out of Europe"; not "Yesterday Biden
    said" where they write "yesterday" too). Only for reading the name asked for, and its
    fuller form among the sentences that give it: a fuller form is not sought in them across
    the sources ("Singer Taylor Swift")."""
    lowered = {w for c in candidates for w in re.findall(r"\b[a-z][\w\-]*", c.text)}
    lowered |= _OPENING_WORDS
    opening = (re.match(r"[\s\"'“‘(\[—-]*([A-Z][\w\-]*)\s+[A-Z]", c.text) for c in candidates)
    return {
        m.group(1)
        for m in opening
        if m
        and m.group(1).lower() not in lowered
        and not _never_a_name(m.group(1))
        and not m.group(1).lower().endswith("ly")
    }


def fuller_form(found: Lead, read: list[Candidate]) -> Lead:
    """``found`` in the one fuller form passages from anywhere in the sources write it in, in
    two articles at least (cited where it is first written), else as it is. One mention is
    too little from outside the answer's own reports: "Hunter Biden appeared in court" once
    does not make the "Biden" who signed the bill Hunter Biden."""
    fuller = _fullest(found.name, found.source, read, _written_inside_sentences(read))
    if fuller.name == found.name:
        return found
    articles = {c.passage.article_id for c in read if _writes(fuller.name, c.text)}
    return fuller if len(articles) >= 2 else found


def _writes(name: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) is not None


def _fullest_read(
    name: str, best: Candidate, own: list[Candidate], read: list[Candidate], proper: set[str]
) -> Lead:
    """The fullest form of ``name`` its own article writes, else the one fuller form among all
    the sentences read: news names someone in full once, then by the surname ("Swift [1]"
    from a report that only says "Swift", where another says "Taylor Swift")."""
    fullest = _fullest(name, best, own, proper)
    if fullest.name == name:
        fullest = _fullest(name, best, read, proper)
    return fullest


def _fullest(name: str, best: Candidate, article: list[Candidate], proper: set[str]) -> Lead:
    """The one longer form of ``name`` the article's quoted sentences write (it ends the same
    way, with at most ``_FULLER_BY`` more names before it, none a compass word or a capital
    that only opens a sentence), or the name as read."""
    words = name.split()
    fuller: dict[str, Candidate] = {}
    for c in [best, *article]:
        for run in _runs(c.text, proper):
            if len(run) <= len(words) or run[-len(words) :] != words:
                continue
            extra = run[: -len(words)]
            if len(extra) > _FULLER_BY or any(
                w.lower() in COMPASS
                or w.lower() in _COMMON_ACRONYMS
                or _never_a_name(w)
                or is_nationality(w)
                for w in extra
            ):
                continue
            fuller.setdefault(" ".join(run), c)
    if len(fuller) == 1:
        ((text, source),) = fuller.items()
        return Lead(text, source)
    return Lead(name, best)

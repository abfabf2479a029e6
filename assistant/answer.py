"""Extractive answers: pick the source sentences that answer the question, cite each one.

No language model writes anything, so every sentence of an answer is a sentence of an
article, cited to its exact span. Which sentences answer is the relevance judge's call (a
cross-encoder reading the question and the sentence together), over the few candidates that
three cheap signals rank first:

* meaning: cosine similarity of the question with the sentence, and with the passage it sits
  in (headline and neighbours, which carry the subject of an "it transited"), read from the
  vector the index already holds for that passage;
* words: how much of the question's informative vocabulary (IDF-weighted, stemmed) it covers;
* answer type: a "when" question wants a date, "how many" a number, "which/who/where" a name.

When no sentence answers (a question about another ship, base or year than the sources
speak of), the assistant abstains and lists the nearest sources instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import combinations

import numpy as np

from assistant.candidates import (
    Candidate,
    Flag,
    Written,
    abstention,
    article_openings,
    build_answer,
    citation_markers,
    collect_candidates,
    is_heading,
    never_answers,
    original_copy,
    same_sentence,
)
from assistant.config import AnswerSettings, JudgeSettings
from assistant.disputes import contested_points, disputes_answer
from assistant.embeddings import SentenceEmbeddings
from assistant.flags import Flagger
from assistant.judges import RelevanceJudge
from assistant.keyword import terms
from assistant.leads import (
    COMPASS,
    Lead,
    converging,
    described,
    description_parts,
    fuller_form,
    lead,
)
from assistant.parts import asks_yes_no
from assistant.polar import is_polar
from assistant.stance import may_have_stance
from assistant.support import Evidence, SupportJudge
from assistant.types import Answer, Passage
from assistant.values import is_nationality, named_in_another_form, same_name, values

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DATE = re.compile(
    rf"\b(\d{{1,2}}(st|nd|rd|th)?\s+({_MONTHS})\b|({_MONTHS})\.?\s+\d{{1,2}}\b|"
    rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b(in|by|since|until|during|early|late|mid-?)\s+\d{{4}}\b|"
    rf"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today)\b|"
    rf"\b(early|late|mid-?)\s*({_MONTHS})\b)",
    re.IGNORECASE,
)
# Does a sentence state a quantity (the answer type of "how many")? Words count ("two dozen").
# Not values.py's number pattern, which extracts digits that two sentences can compare.
_STATES_QUANTITY = re.compile(
    r"\b\d[\d,.]*\s*(%|percent|per cent)?|\b(one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|dozen|dozens|hundred|hundreds|thousand|thousands|million|billion)\b",
    re.IGNORECASE,
)
# Times the strict _DATE leaves to the prior: a year alone, a month with its year, a season,
# a span of time ("last week", "two years ago"), a time told by another event ("at the same
# time", "after the talks collapsed").
_GIVES_TIME = re.compile(
    rf"\b(1[5-9]\d\d|20\d\d)s?\b|\b({_MONTHS})\b|\b(spring|summer|autumn|fall|winter|"
    r"season|quarter|week|weeks|month|months|year|years|decade|decades|century|ago|tonight|"
    r"tomorrow|morning|evening|night|midnight|noon|hours?|minutes?|days?|time|then|later|"
    r"earlier|recently|now|after|before|since|until|during|while|following)\b|"
    r"\b\d{1,2}:\d\d\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w\-]*[A-Za-z0-9]")
_PRONOUN_START = re.compile(
    r"^(it|its|they|their|them|this|these|those|he|she|his|her|the (ship|vessel|aircraft|plane|"
    r"company|ministry|agency|report))\b",
    re.IGNORECASE,
)
# "Beijing has dismissed these claims": what is dismissed is in the sentence before.
_POINTS_BACK = re.compile(
    r"\b(these|those|such|the) (claims?|reports?|allegations?|accusations?|charges|figures?|"
    r"findings|assertions?|ship|vessel|aircraft|plane)\b",
    re.IGNORECASE,
)


def names_asked(question: str) -> set[str]:
    """The names and years a question asks about ("the Admiral Kuznetsov", "fiscal 2023"),
    less a first word that is capitalised only because it opens the question ("Roughly how
    many …", "According to …")."""
    found = values(question)
    names = found["name"] - _opening_word_if_not_a_name(question, found["name"])
    return names | found["year"] | _capitals_spelling_a_function_word(question)


def _capitals_spelling_a_function_word(question: str) -> set[str]:
    """Abbreviations in capitals that spell a function word ("the US Navy": "us"), which
    ``values`` leaves out with the function words; a word shouted for emphasis ("Why did
    Biden NOT run?") is none."""
    return {w.lower() for w in re.findall(r"\b[A-Z]{2,}\b", question) if w in _SPELLING_WORDS}


# Abbreviations of names that are also function words, as a question writes them.
_SPELLING_WORDS = frozenset(["US"])


# Parts of speech a name never has: an opening word tagged so is no name asked about. An
# adjective often is one ("Iranian drones …", "Swiss banks …": another country), so only the
# adjectives that open questions about amounts and times are left out ("Exact number of …").
_NEVER_NAMES = frozenset(
    {"ADV", "VERB", "AUX", "PRON", "DET", "ADP", "SCONJ", "CCONJ", "PART", "INTJ"}
)


_OPENING_ADJECTIVES = frozenset(
    {
        "exact", "approximate", "rough", "total", "overall", "average", "recent", "latest",
        "previous", "former", "early", "first", "last", "next", "current",
    }
)  # fmt: skip


def _opening_word_if_not_a_name(question: str, names: frozenset[str] | set[str]) -> set[str]:
    opening = re.search(r"[\w\-]+", question)
    first = opening.group(0).lower() if opening else ""
    if first not in names:
        return set()  # spaCy is loaded only for a question that needs it
    from assistant.stance import nlp

    word = next((t for t in nlp()(question) if not t.is_punct and not t.is_space), None)
    if word is None or word.lower_ != first:
        return set()
    # A plural common noun ("Pilots from which base …", "Officials in which city …") names
    # nothing; a singular one may be a name the small model does not know ("Beijixing").
    never = (
        word.pos_ in _NEVER_NAMES
        or word.tag_ == "NNS"
        or (word.pos_ == "ADJ" and first in _OPENING_ADJECTIVES)
    )
    return {first} if never else set()


def unknown_names(question: str, passages: list[Passage]) -> set[str]:
    """Names and years of the question that no retrieved passage (text, headline, outlet or
    year of publication) mentions: a question about another ship, year or country than the
    sources speak of is not answered by them, however alike the rest reads, and the relevance
    judge is not asked."""
    return names_missing(NamesAsked.of(question), _passages_text(passages))


def _passages_text(passages: list[Passage]) -> str:
    return " ".join(f"{p.title} {p.outlet} {p.published[:4]} {p.chunk.text}" for p in passages)


class NamesAsked:
    """What a question names: single names and years (``names_asked``), and the runs of
    capitalised words that make one name together ("the Northern Fleet", "Air Self-Defense
    Force"), which a text must hold in that order: "Pacific Fleet" and "Northern Dispatch" do
    not mention the Northern Fleet. A nationality opening a run of three may be left out ("the
    Russian Pacific Fleet" is mentioned by "Russia's Pacific Fleet"), and a title may have a
    name after it ("President Biden" by "President Joe Biden")."""

    def __init__(self, names: set[str], runs: list[tuple[str, ...]]) -> None:
        self.names = names
        self.runs = runs

    @classmethod
    def of(cls, question: str) -> NamesAsked:
        question = undotted(question)
        names = names_asked(question)
        runs: list[tuple[str, ...]] = []
        run: list[str] = []
        end = 0
        for m in re.finditer(r"([\w\-]+)(['’]s)?", question):
            word = m.group(1)
            if run and question[end : m.start()].strip():  # "China, Russia": punctuation ends it
                runs.append(tuple(run))
                run = []
            end = m.end()
            if word.lower() in names and not word.isdigit():
                run.append(word)
            elif run:
                runs.append(tuple(run))
                run = []
            if m.group(2) and run:  # "Japan's Air Self-Defense Force": a possessive ends a run
                runs.append(tuple(run))
                run = []
        runs.append(tuple(run))
        return cls(names, [r for r in runs if len(r) > 1])

    def things(self, either: dict[str, set[str]]) -> int:
        """How many things the question names: a run counts once, and so do names joined by
        "and" or "or" (``coordinated``), one of which will do."""
        in_runs = {word.lower() for run in self.runs for word in run}
        singles = sorted(self.names - in_runs)
        group = {name: name for name in singles}
        for name in singles:
            for other in either.get(name, set()) & set(singles):
                first, second = group[name], group[other]
                group = {n: first if g == second else g for n, g in group.items()}
        return len(self.runs) + len(set(group.values()))


_DOTTED = re.compile(r"\b(?:[A-Z]\.){2,}")


def undotted(text: str) -> str:
    """Dotted initials as one word ("U.S. Open" as "US Open"), as names are compared."""
    return _DOTTED.sub(lambda m: m.group(0).replace(".", ""), text)


def names_missing(asked: NamesAsked, text: str) -> set[str]:
    """The names and runs of ``asked`` that ``text`` does not mention. Names match by a
    shared start ("Korea" / "Korean", "China" / "Chinese"), a country also by its other forms
    ("American" / "the United States" / "US"); years exactly."""
    dotless = undotted(text)
    words = [w.lower() for w in re.findall(r"[\w\-]+", dotless)]
    known = set(words) | {part for w in words if "-" in w for part in w.split("-")}

    def in_another_form(name: str) -> bool:
        return named_in_another_form(name, dotless)

    # "the United States" is met by "American": its words need not be there one by one.
    met_otherwise = {
        word.lower() for run in asked.runs if in_another_form(" ".join(run)) for word in run
    }
    missing = {
        n
        for n in asked.names - met_otherwise
        if not any(same_name(n, w) for w in known) and not in_another_form(n)
    }
    for run in asked.runs:
        shorter = run[1:] if len(run) > 2 and is_nationality(run[0]) else None
        if (
            not _run_in(run, words)
            and not (shorter and _run_in(shorter, words))
            and not in_another_form(" ".join(run))
        ):
            missing.add(" ".join(run).lower())
    return missing


_COORDINATED = re.compile(
    r"\b([A-Z][\w\-]*)(?:['’]s)?(?:,? and|,? or|,)\s+(?:the\s+)?(?=([A-Z][\w\-]*))"
)


def coordinated(question: str, runs: list[tuple[str, ...]] | None = None) -> dict[str, set[str]]:
    """For each name of the question, the names joined to it by "and", "or" or a comma; a run
    of names (``NamesAsked.runs``) by its words ("the Northern Fleet or the Pacific Fleet")."""
    phrases = [" ".join(run) for run in runs or []]
    either: dict[str, set[str]] = {}
    for m in _COORDINATED.finditer(question):
        before, after = question[: m.end(1)], question[m.start(2) :]
        first = next((p for p in phrases if before.endswith(p)), m.group(1)).lower()
        second = next((p for p in phrases if after.startswith(p)), m.group(2)).lower()
        either.setdefault(first, set()).add(second)
        either.setdefault(second, set()).add(first)
    return either


def _run_in(run: tuple[str, ...], words: list[str]) -> bool:
    """Whether ``words`` hold the run in order, one other word allowed between two of its
    names ("President Biden" in "President Joe Biden"). A run of three or more is the title of
    an event or office ("the World Cup Final", "the French Presidential Election"), which
    prose writes in another order ("the final of the FIFA World Cup"): its words are enough
    close together, in any order. Two-word names keep their order: "Pacific Fleet" beside
    "Northern Dispatch" does not mention the Northern Fleet."""
    names = [name.lower() for name in run]
    if any(_run_from(names, words, start) for start in range(len(words))):
        return True
    # A run with a point of the compass is a place, which keeps its order: "the East China
    # Sea" does not mention the South China Sea, whatever "south" stands near it.
    if any(name in COMPASS for name in names):
        return False
    return len(names) >= 3 and _close_together(names, words, len(names) + 3)


def _close_together(names: list[str], words: list[str], width: int) -> bool:
    """Whether every one of ``names`` is among ``width`` consecutive ``words``."""
    for start in range(max(1, len(words) - width + 1)):
        window = words[start : start + width]
        if all(any(same_name(name, w) for w in window) for name in names):
            return True
    return False


def _run_from(names: list[str], words: list[str], start: int) -> bool:
    at = start
    for i, name in enumerate(names):
        gap = 0 if i == 0 else 1
        found = next(
            (j for j in range(at, min(at + gap + 1, len(words))) if same_name(name, words[j])),
            None,
        )
        if found is None:
            return False
        at = found + 1
    return True


def _leads(passages: list[Passage]) -> dict[str, str]:
    """The first sentence of each article whose first passage was found: a news article
    names in its lead what it is about ("Tesla reported …"), and its later sentences call it
    "the company"."""
    leads = {}
    for passage in passages:
        if passage.chunk.index != 0:
            continue
        texts = (passage.sentence_text(tuple(span)) for span in passage.chunk.sentences)
        lead = next((t for t in texts if not is_heading(t)), None)
        if lead is not None:
            leads[passage.article_id] = lead
    return leads


def refers_back(sentence: str) -> bool:
    """Whether a sentence needs the one before it to say what it is about."""
    return bool(_PRONOUN_START.match(sentence) or _POINTS_BACK.search(sentence))


# What "which <noun>" asks a name of.
_NAMED_THINGS = (
    r"ship|vessel|aircraft|plane|country|countries|agency|outlet|base|strait|sea|island|"
    r"islands|city|company|name|organi[sz]ation|firm|person|individual|player|team|group|port|"
    r"region|prefecture|ministry|publication|institution|entity|entities|platform|tool|service|"
    r"app|brand|product|club|league|network|website|establishments?"
)
_QUESTION_TYPES: list[tuple[str, re.Pattern[str]]] = [
    (
        "date",
        re.compile(
            r"\b(when|(what|which) (dates?|days?|years?|months?|time)|since when|how long ago|"
            r"(what|which) (is|was|were|are) the (\w+ ){0,2}(date|day|year|month)s?"
            r"(?=\s+(?:of|for|in|on|when)\b|\s*[?,.]|$))\b",
            re.I,
        ),
    ),
    (
        "number",
        re.compile(
            r"\b(how (many|much|far|long|big|large)|(what|which) (number|percentage|share|"
            r"proportion|amount))\b",
            re.I,
        ),
    ),
    (
        "name",
        re.compile(
            r"^\s*(who|whom|whose|which|where)\b|\b(what|which) (is|was|are|were) the names? of|"
            rf"\b(what|which) (type of |kind of )?({_NAMED_THINGS})\b|"
            # "What are the entities associated with …?", not "What is the company doing?"
            rf"\b(what|which) (is|was|are|were) the ({_NAMED_THINGS})\s*"
            r"(,|that|which|who|whose|associated with)",
            re.I,
        ),
    ),
]


# The values a conflict must be over to dispute the answer to each kind of question.
_DISPUTED_KINDS = {"name": ("name",), "date": ("date", "year"), "number": ("number",)}


def question_type(question: str) -> str | None:
    for kind, pattern in _QUESTION_TYPES:
        found = pattern.search(question)
        if found and not _joins_clauses(question, found):
            return kind
    return None


_WH_WORD = re.compile(r"\b(what|which|who|whom|whose|how|where|why)\b", re.IGNORECASE)


def _joins_clauses(question: str, found: re.Match[str]) -> bool:
    """A "when" after another question word joins two clauses ("What did China say when it
    rejected the story?"): it asks for no date."""
    return found.group(0).lower() == "when" and bool(_WH_WORD.search(question, 0, found.start()))


def has_answer_type(sentence: str, kind: str | None, question: str) -> bool:
    if kind == "date":
        return bool(_DATE.search(sentence))
    if kind == "number":
        return bool(_STATES_QUANTITY.search(_DATE.sub(" ", sentence)))
    if kind == "name":
        asked = {t.lower() for t in re.findall(r"\w[\w\-]*", question)}
        return any(m.group(0).lower() not in asked for m in _NAME.finditer(sentence))
    return False


def asks_for_something(question: str) -> bool:
    """A question that asks for something a sentence must give ("What was Tesla's revenue in
    Q2 2020?"), not a yes/no question ("After the storm, did the port reopen?"), whose answer
    may be its own statement, nor a choice ("Which company grew faster, Apple or Google?"),
    whose answer holds only words of the question."""
    text = question.rstrip()
    return text.endswith("?") and not asks_yes_no(text) and not _CHOICE.search(text)


# "…, Apple or Google?": the question names the answers to choose from.
_CHOICE = re.compile(r"\b\w[\w'’-]*\s+or\s+\w", re.I)


def echoes(sentence: str, asked: list[str]) -> bool:
    """Whether a sentence only repeats the question's words: "Tesla Q2 2020 revenue." (a
    heading) holds every word of "What was Tesla's revenue in Q2 2020?" and answers none of
    it. The judge and the word overlap both rank such a sentence first."""
    said = set(terms(sentence))
    return bool(said) and said <= set(asked)


IdfLookup = Callable[[str], float]
# Passages that speak of the given sentences, searched by the sentences themselves.
RelatedPassages = Callable[[list[str]], list[Passage]]
# Passages that hold a name's words, anywhere in the sources (see ``Assistant.name_passages``).
NamePassages = Callable[[str], list[Passage]]
# One vector per passage, as the index embedded it (see ``Assistant.passage_vectors``).
PassageVectors = Callable[[list[Passage]], np.ndarray]


class ExtractiveComposer:
    """Turns retrieved passages into a cited ``Answer`` without a language model."""

    def __init__(
        self,
        embeddings: SentenceEmbeddings,
        settings: AnswerSettings,
        relevance: RelevanceJudge,
        judging: JudgeSettings,
        flagger: Flagger,
        support: SupportJudge,
        passage_vectors: PassageVectors,
        idf: IdfLookup | None = None,
        related: RelatedPassages | None = None,
        name_passages: NamePassages | None = None,
    ) -> None:
        self.embeddings = embeddings
        self.settings = settings
        self.relevance = relevance
        self.judging = judging
        self.flagger = flagger
        self.support = support
        self.passage_vectors = passage_vectors
        self.idf = idf or (lambda _term: 1.0)
        self.related = related or (lambda _texts: [])
        self.name_passages = name_passages or (lambda _name: [])

    def compose(self, question: str, passages: list[Passage]) -> Answer:
        return self.compose_ranked(question, self.score(question, passages), passages)

    def compose_ranked(
        self, question: str, ranked: list[Candidate], passages: list[Passage]
    ) -> Answer:
        """The answer from sentences already scored by ``score``."""
        if not self.answerable(ranked):
            converged = self._converging(question, ranked)
            if converged is None:
                return abstention(question, passages)
            found, sentences = converged
            found = self._written_in_full(found)
            if all(c.key != found.source.key for c in sentences):
                sentences = [*sentences, found.source]
            answer = self.cite(question, [self.quoted(c) for c in sentences], ranked)
            return self._name_first(answer, found)
        chosen = self._choose(ranked)
        found = self._lead(question, chosen, ranked)
        if found is not None:
            found = self._written_in_full(found)
        if found is not None and all(c.key != found.source.key for c in chosen):
            chosen = [*chosen, found.source]  # the sentence that writes the name in full
        written = [self.quoted(c) for c in chosen]
        flags, related = self._flags_and_related(written, ranked)
        if not any(flag.kind in ("conflict", "denied") for flag in flags):
            disputed = self._disputed_runner_up(question, chosen, ranked, related)
            if disputed is not None:
                written.append(self.quoted(disputed.claims[0]))
                flags.append(disputed)
        answer = build_answer(question, written, flags)
        return answer if found is None else self._name_first(answer, found)

    def _disputed_runner_up(
        self,
        question: str,
        chosen: list[Candidate],
        ranked: list[Candidate],
        related: list[Candidate],
    ) -> Flag | None:
        """The conflict over the asked value in one of the next answering sentences
        (``answer.disputed_runners_up``) or in another article's sentence that restates the
        best one's value (``answer.disputed_restatements``): the best sentence may be one
        every source repeats ("Meta acquired Instagram") while they disagree on the answer in
        others ("Facebook bought Instagram" / "Apple bought Instagram"), or a third source's,
        that no one contradicts, while one that agrees with it is contradicted. Only a
        sentence that gives what the question asks for counts, and only a conflict over that
        kind of value (a name for "who", a date or year for "when") that the question does not
        itself state: another crowd size beside the winner is no dispute over who won."""
        wanted = _DISPUTED_KINDS.get(question_type(question) or "", ())
        if not wanted:
            return None
        pool = self._runners_up(chosen, ranked)
        pool += [
            c
            for c in self._restatements(question, wanted, chosen, ranked, related)
            if all(c.key != o.key for o in pool)
        ]
        if not pool:
            return None
        candidates = self._with_related(pool, ranked)
        asked = question.lower()
        for claim in pool:
            flag = self.flagger.conflict(claim, candidates)
            if (
                flag is not None
                and flag.differs_in in wanted
                and flag.claim_value
                and flag.claim_value.lower() not in asked
            ):
                return flag
        return None

    def _runners_up(self, chosen: list[Candidate], ranked: list[Candidate]) -> list[Candidate]:
        """The next answering sentences that give what the question asks for."""
        found: list[Candidate] = []
        for c in ranked[1:]:
            if len(found) >= self.settings.disputed_runners_up:
                break
            if c.typed and self._answers(c) and not any(same_sentence(c, o) for o in chosen):
                found.append(original_copy(c, ranked))
        return found

    def _restatements(
        self,
        question: str,
        wanted: tuple[str, ...],
        chosen: list[Candidate],
        ranked: list[Candidate],
        related: list[Candidate],
    ) -> list[Candidate]:
        """Sentences of other articles among ``related`` (found by searching for the answer's
        sentences, the best one among them) that give the best one's answer again: its date,
        or a name of it the question does not give ("released in Japan on November 21, 1998"
        restates "… was released on November 21 of 1998")."""
        if not self.settings.disputed_restatements:
            return []
        best = original_copy(ranked[0], ranked)
        asked = {name.lower() for name in names_asked(question)}
        answer_values = {(k, v) for k in wanted for v in values(best.text)[k] if v not in asked}
        if not answer_values:
            return []
        found: list[Candidate] = []
        for c in related:
            if len(found) >= self.settings.disputed_restatements:
                break
            if (
                c.passage.article_id != best.passage.article_id
                and not any(same_sentence(c, o) for o in chosen)
                and any(v in values(c.text)[k] for k, v in answer_values)
            ):
                found.append(c)
        return found

    def _lead(self, question: str, chosen: list[Candidate], ranked: list[Candidate]) -> Lead | None:
        """The name a who/which question asks for (``assistant.leads``): tied to the question
        in the best sentence, or else the one the chosen sentences share."""
        if not self.settings.name_first or question_type(question) != "name":
            return None
        asked = names_asked(question)
        best = original_copy(ranked[0], ranked)
        return lead(question, asked, best, chosen, ranked) or described(
            question, asked, best, chosen, ranked
        )

    def _written_in_full(self, found: Lead) -> Lead:
        """A one-word name ("Swift", "Vikings") in the one fuller form other passages of the
        sources write it in ("Taylor Swift"): news names someone in full once, then by the
        surname, and the sentence that answered may be a later one of another report."""
        if self.settings.fuller_name_k == 0 or " " in found.name:
            return found
        return fuller_form(found, collect_candidates(self.name_passages(found.name)))

    def _converging(
        self, question: str, ranked: list[Candidate]
    ) -> tuple[Lead, list[Candidate]] | None:
        """The name several articles' best sentences share, for a question that describes
        it in parts and that no sentence answers alone (``answer.converging_names``)."""
        if not (self.settings.name_first and self.settings.converging_names) or not ranked:
            return None
        if question_type(question) != "name":
            return None
        found = converging(question, names_asked(question), ranked)
        if found is None:
            return None
        lead, sentences = found
        # Two reports must each give another part of the description: one that fits nothing
        # found converges on whoever the sources name most.
        outlets = {c.passage.outlet.lower() for c in ranked}
        if not self._parts_given(description_parts(question, outlets), sentences):
            return None
        return lead, [original_copy(c, ranked) for c in sentences[: self.settings.max_sentences]]

    def _parts_given(self, parts: list[str], sentences: list[Candidate]) -> bool:
        """Whether two of ``sentences`` (one per article) each reach another part of a
        description at ``answer.covers_similarity``, read alone or after their headline and
        the sentence before."""
        if len(parts) < 2 or len(sentences) < 2:
            return False
        reached = self.meanings_in_context(parts, sentences) >= self.settings.covers_similarity
        return any(
            reached[i, p] and reached[j, q]
            for i, j in combinations(range(len(sentences)), 2)
            for p in range(len(parts))
            for q in range(len(parts))
            if p != q
        )

    def _name_first(self, answer: Answer, found: Lead) -> Answer:
        """The answer opened by the name, cited where it is written."""
        marker = citation_markers(answer)([found.source])
        if not marker:
            return answer
        line = f"{found.name} {marker}."
        return answer.model_copy(update={"verdict_line": line, "answer": f"{line} {answer.answer}"})

    def disputes(self, question: str, about: str, passages: list[Passage]) -> Answer:
        """The contested points among the sentences about ``about`` (the question's own
        subject, or the whole question when it names none), each side quoted and cited; an
        abstention that says so when the sources found do not disagree."""
        ranked = self.score(about or question, passages)
        if about:
            claims = [c for c in ranked if not never_answers(c.text)]
            claims = claims[: self.settings.dispute_claims]
        else:  # the whole collection: what each article leads with is what it claims, and
            # what its opening attributes or hedges ("…, according to Ukraine's intelligence")
            leads = article_openings(ranked, self.settings.lead_sentences)
            said = [
                c
                for c in ranked
                if c.passage.chunk.index == 0
                and not never_answers(c.text)
                and may_have_stance(c.text)
            ]
            claims = list({c.key: c for c in [*leads, *said]}.values())
        flags = self.flagger.flag(claims, self._with_related(claims, ranked))
        limit = self.settings.dispute_points
        points = contested_points(flags, limit + 1)
        more = len(points) > limit  # listed up to the limit, and said to be more
        answer = disputes_answer(question, about, points[:limit], self.quoted, more=more)
        if answer is not None:
            return answer
        subject = f" about {about}" if about else ""
        return abstention(question, passages).model_copy(
            update={
                "answer": f"The articles found{subject} do not disagree: none denies what "
                "another states, or gives another date, number or name for it."
            }
        )

    def quoted(self, chosen: Candidate) -> Written:
        """A quoted sentence, judged against its source like any written one: the judge must
        find the source backing its own words, which also catches a broken span."""
        source = chosen.passage.sentence_text(chosen.span)
        judged = self.support.judge_many(chosen.text, [Evidence(source, 1.0)])[0]
        backed = judged.label == "supports"
        return Written(chosen.text, [chosen], backed, "" if backed else judged.reason)

    def cite(self, question: str, written: list[Written], candidates: list[Candidate]) -> Answer:
        """The answer for ``written`` sentences, numbered citations to the source sentences they
        quote, and the flags of those source sentences (denied, conflict, attributed, ...)."""
        return build_answer(question, written, self.flags_of(written, candidates))

    def flags_of(self, written: list[Written], candidates: list[Candidate]) -> list[Flag]:
        return self._flags_and_related(written, candidates)[0]

    def _flags_and_related(
        self, written: list[Written], candidates: list[Candidate]
    ) -> tuple[list[Flag], list[Candidate]]:
        """The flags of the sentences ``written`` quotes, and the candidates they were read
        against: ``candidates`` and the sentences of passages found by searching for each
        quoted sentence, which the check for restatements reuses instead of searching again."""
        quoted = list({c.key: c for w in written for c in w.cited}.values())
        related = self._with_related(quoted, candidates)
        return self.flagger.flag(quoted, related, denials_quoted=True), related

    def _with_related(
        self, chosen: list[Candidate], candidates: list[Candidate]
    ) -> list[Candidate]:
        """The question's sentences plus those of passages found by searching for each chosen
        sentence: a source that disputes a claim need not match the question's words."""
        passages = self.related([c.text for c in chosen])
        if not passages:
            return candidates
        known = {c.key for c in candidates}
        extra = [c for c in collect_candidates(passages) if c.key not in known]
        return candidates + extra

    # -- scoring -----------------------------------------------------------------------------

    def score(self, question: str, passages: list[Passage]) -> list[Candidate]:
        """Every sentence of the passages, best answer first."""
        candidates = collect_candidates(passages)
        if not candidates:
            return []
        vectors = self.embeddings.encode([question] + [c.text for c in candidates])
        q, sentences = vectors[0], vectors[1:]
        plain = sentences @ q
        in_context = self._in_passage(q, candidates, passages)
        wanted = terms(question)
        kind = question_type(question)
        for i, c in enumerate(candidates):
            c.meaning = float(max(plain[i], self.settings.context_meaning * in_context[i]))
            c.words = self._coverage(wanted, c.text)
            c.words_in_context = self._coverage(wanted, c.context)
            c.typed = has_answer_type(c.text, kind, question)
            lexical = 0.5 * c.words + 0.5 * c.words_in_context
            if kind:
                meaning, words, typed = self.settings.prior_typed
                c.prior = meaning * c.meaning + words * lexical + typed * float(c.typed)
            else:
                meaning, words = self.settings.prior_untyped
                c.prior = meaning * c.meaning + words * lexical
        candidates.sort(key=lambda c: c.prior, reverse=True)
        asked = NamesAsked.of(question)
        if not names_missing(asked, _passages_text(passages)):  # as unknown_names
            self._judge_relevance(question, candidates[: self.judging.rerank])
        for c in candidates:
            # Both readings, weighed: the judge knows which ship or year was asked about, the
            # cheap signals know the corpus's vocabulary (IDF) and the answer type asked for.
            weight = self.judging.prior_weight
            c.score = (1 - weight) * c.relevance + weight * c.prior
        if asks_for_something(question):
            for c in candidates:
                if echoes(c.text, wanted):
                    c.score = 0.0
        if self.settings.names_in_context:
            self._ground(question, asked, candidates, passages)
        if self.settings.days_in_context:
            _ground_days(question, candidates)
        if self.settings.types_in_sentence:
            _ground_types(question, candidates)
        return sorted(candidates, key=lambda c: (c.can_answer, c.score), reverse=True)

    def _ground(
        self,
        question: str,
        asked: NamesAsked,
        candidates: list[Candidate],
        passages: list[Passage],
    ) -> None:
        """Marks the sentences that do not speak of all the question names: neither they, the
        sentence before nor the headline mention it. "Which destroyer shadowed the Kareliya?"
        is not answered by "The destroyer JS Suzutsuki shadowed the ship" about the Beijixing,
        although the Kareliya is named elsewhere in the passages found. An outlet the question
        names in full ("Does the Sporting News article …") picks articles, so it need not be in
        the text; a year is also met by the article's year of publication;
        of names joined by "and" or "or" ("the Kareliya and the Beijixing", "between Korea and
        Japan"), one will do. A question that names more things than
        ``answer.names_in_context_most`` asks several questions at once (MultiHop-RAG's do),
        which no one sentence answers: its sentences are not marked; nor are a yes/no
        question's, whose claim check asks the evidence itself to name what it names
        (``judges.readings_need_names``)."""
        outlets = " ".join(o for o in {p.outlet for p in passages} if o.lower() in question.lower())
        not_outlets = names_missing(asked, outlets)
        asked = NamesAsked(
            asked.names & not_outlets,
            [r for r in asked.runs if " ".join(r).lower() in not_outlets],
        )
        either = coordinated(question, asked.runs)
        if (
            is_polar(question)
            or not 0 < asked.things(either) <= self.settings.names_in_context_most
        ):
            return
        leads = _leads(passages) if self.settings.names_in_lead else {}
        for c in candidates:
            lead = leads.get(c.passage.article_id, "")
            around = f"{c.context} {lead} {c.passage.outlet} {c.passage.published[:4]}"
            missing = names_missing(asked, around)
            c.can_answer = all(either.get(name, set()) - missing for name in missing)

    def _in_passage(
        self, q: np.ndarray, candidates: list[Candidate], passages: list[Passage]
    ) -> list[float]:
        """Each sentence's meaning read in its passage: the question's cosine with the best of
        the passages holding it (chunks overlap). The index holds these vectors already;
        encoding each sentence with its headline and neighbour instead took two thirds of an
        answer's time and, on WikiQA dev, answered no better (benchmarks/answer_triggering.py)."""
        similarity = self.passage_vectors(passages) @ q
        best: dict[tuple[str, int, int], float] = {}
        for passage, score in zip(passages, similarity, strict=True):
            for span in passage.chunk.sentences:
                key = (passage.article_id, span[0], span[1])
                best[key] = max(best.get(key, -1.0), float(score))
        return [best.get(c.key, 0.0) for c in candidates]

    def meaning_in_context(self, question: str, candidate: Candidate) -> float:
        """The question's cosine with the sentence alone and with the sentence after its
        headline and the sentence before, for one sentence: the reading a yes-or-no decision
        on it was set with (``answer.covers_similarity``), which a whole passage's vector
        dilutes."""
        return float(self.meanings_in_context([question], [candidate])[0, 0])

    def meanings_in_context(self, texts: list[str], candidates: list[Candidate]) -> np.ndarray:
        """``meaning_in_context`` of every candidate (rows) with every text (columns), in one
        encoder call."""
        vectors = self.embeddings.encode(
            [*texts, *(c.text for c in candidates), *(c.context for c in candidates)]
        )
        asked = vectors[: len(texts)]
        alone = vectors[len(texts) : len(texts) + len(candidates)]
        context = vectors[len(texts) + len(candidates) :]
        return np.maximum(alone @ asked.T, self.settings.context_meaning * (context @ asked.T))

    def _judge_relevance(self, question: str, shortlist: list[Candidate]) -> None:
        """The judge reads each sentence alone, and a sentence that refers back ("it
        transited", "these claims") also after the sentence before it, which it then brings
        into the answer. Read in context a sentence borrows the relevance of the one before
        it, so that reading counts for less (``judges.context_discount``): the sentence that
        answers by itself ranks first. A sentence whose headline holds words of the question it
        lacks is also read after the headline (``judges.headline_reading``), which often names
        the subject a news sentence leaves out."""
        back = [c for c in shortlist if refers_back(c.text)]
        asked = set(terms(question))
        headed = [c for c in shortlist if self._headline_adds(asked, c)]
        texts = (
            [c.text for c in shortlist]
            + [c.context for c in back]
            + [f"{c.passage.title}. {c.text}" for c in headed]
        )
        scores = self.relevance.score(question, texts)
        alone, in_context = scores[: len(shortlist)], scores[len(shortlist) :]
        for c, score in zip(shortlist, alone, strict=True):
            c.relevance = float(score)
        for c, score in zip(back + headed, in_context, strict=True):
            c.relevance = max(c.relevance, self.judging.context_discount * float(score))

    def _headline_adds(self, asked: set[str], candidate: Candidate) -> bool:
        """Whether the headline brings terms of the question (``asked``) the sentence lacks:
        only then can reading the sentence after it say more (and cost a judge pass)."""
        if not self.judging.headline_reading or not candidate.passage.title:
            return False
        return bool(asked & set(terms(candidate.passage.title)) - set(terms(candidate.text)))

    def _coverage(self, wanted: list[str], text: str) -> float:
        """IDF-weighted share of the question's terms found in ``text``."""
        if not wanted:
            return 0.0
        present = set(terms(text))
        weights = {t: self.idf(t) for t in set(wanted)}
        total = sum(weights.values()) or 1.0
        return sum(w for t, w in weights.items() if t in present) / total

    def answerable(self, ranked: list[Candidate]) -> bool:
        """Whether the best sentence answers the question: its weighed score reaches
        ``judges.answers``, the judge read it, and it speaks of every name asked about."""
        return bool(ranked) and self._answers(ranked[0])

    def _answers(self, candidate: Candidate) -> bool:
        return (
            candidate.can_answer
            and candidate.relevance > 0
            and candidate.relevance >= self.judging.min_relevance
            and candidate.score >= self.judging.answers
        )

    # -- choosing ----------------------------------------------------------------------------

    def _choose(self, candidates: list[Candidate]) -> list[Candidate]:
        best = candidates[0]
        chosen = [original_copy(best, candidates)]
        floor = max(self.judging.answers, self.judging.related_share * best.score)
        for c in candidates[1:]:
            if len(chosen) >= self.settings.max_sentences:
                break
            if c.score < floor or any(same_sentence(c, other) for other in chosen):
                continue
            chosen.append(original_copy(c, candidates))
        return _with_context(chosen, candidates)


def _ground_days(question: str, candidates: list[Candidate]) -> None:
    """Marks the sentences that date what they say to other days than the question asks
    about (``answer.days_in_context``): none of their dates is one asked, nor are they a
    range ("from 12 January to 24 January") around one. A sentence that gives no date goes
    on from the one before ("After reaching the Pacific, the aircraft continued south" after
    "On 26 January, the Il-20 took off …"), and is dated by it. The day an article was
    published is met by all of it ("the report of 27 January"); a yes/no question is left
    alone, as ``_ground`` leaves it: its claim check reads the values itself."""
    asked = [_month_day(d) for d in values(question)["date"]]
    if not asked or is_polar(question):
        return
    for c in candidates:
        dated = values(c.text)["date"] or values(c.context)["date"]
        own = [_month_day(d) for d in dated]
        published = c.passage.published[5:10]
        if (
            own
            and not any(day in own or min(own) < day < max(own) for day in asked)
            and published.replace("-", "") not in {f"{m:02d}{d:02d}" for m, d in asked}
        ):
            c.can_answer = False


def _ground_types(question: str, candidates: list[Candidate]) -> None:
    """Marks the sentences that cannot answer a "when" question (no time in them) or a "how
    many" one (no quantity beside their dates) (``answer.types_in_sentence``). A name is not
    required here: "Which ship …" is often answered by "It …" after the sentence naming it;
    a yes/no question is the claim check's, as in ``_ground_days``."""
    kind = None if is_polar(question) else question_type(question)
    if kind == "date":
        for c in candidates:
            c.can_answer = c.can_answer and bool(_DATE.search(c.text) or _GIVES_TIME.search(c.text))
    elif kind == "number":
        for c in candidates:
            c.can_answer = c.can_answer and has_answer_type(c.text, kind, "")


def _month_day(key: str) -> tuple[int, int]:
    month, day = key.split("-")
    return int(month), int(day)


def _with_context(chosen: list[Candidate], candidates: list[Candidate]) -> list[Candidate]:
    """A chosen sentence that opens with "it"/"they" brings the sentence before it, so that the
    answer says what "it" is."""
    by_key = {c.key: c for c in candidates}
    keys = {c.key for c in chosen}
    result: list[Candidate] = []
    for c in chosen:
        if c.previous and refers_back(c.text):
            before = by_key.get((c.passage.article_id, *c.previous))
            if before is not None and before.key not in keys:
                result.append(before)
                keys.add(before.key)
        result.append(c)
    return result

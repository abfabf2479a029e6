"""Questions about what named outlets say, answered outlet by outlet (issue 18, item 2).

``assistant.parts`` reads the question (which outlet is asked what); this module answers it
with the service's search, composer and judges: each part from its outlet's articles alone
(of the report's day, when the question names one), a stance ("did B agree?") checked against
the statement before it and, failing that, compared with it as conflicts between sources are,
and "Do A and B agree on X?" or "Between A's report and B's, was there a change in X?"
(``assistant.comparisons``) from each report's closest sentence on X.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Protocol, TypeVar

from assistant.amounts import Reading, answered, figure_of, figure_question
from assistant.answer import ExtractiveComposer, question_type
from assistant.candidates import (
    Candidate,
    article_openings,
    citation_markers,
    collect_candidates,
    same_sentence,
)
from assistant.check import ClaimChecker
from assistant.comparisons import Choice, Comparison, Side, choice, chosen, compared, comparison
from assistant.config import JudgeSettings, Settings
from assistant.conflicts import LearnedConflictJudge
from assistant.embeddings import SentenceEmbeddings
from assistant.firsts import first_answer, first_question
from assistant.index import Store
from assistant.overview import (
    covered_topic,
    most_recent,
    outlet_asked_about,
    with_coverage_line,
    with_overview_line,
)
from assistant.parts import (
    Answered,
    Part,
    as_subjects,
    asks_yes_no,
    combined,
    month_day,
    named_outlets,
    reporter_of,
    split,
    split_each,
)
from assistant.retrieval import HybridRetriever, document_to_passage
from assistant.stance import StanceReader, states_something
from assistant.types import Answer, IndexedArticle, Passage
from assistant.values import mask_values

# Each report's closest sentence on the subject (None: it does not cover it), and the passages
# found in each report.
Read = tuple[tuple[Candidate | None, Candidate | None], list[list[Passage]]]
Asked = TypeVar("Asked", Comparison, Choice)


class Service(Protocol):
    """What answering needs of the assistant (``assistant.service.Assistant`` is one): its
    settings, index, encoder and stance reader, and its search, composer and judges."""

    settings: Settings
    store: Store
    embeddings: SentenceEmbeddings
    reader: StanceReader

    def retriever(self, k: int | None = ..., allowed: set[str] | None = ...) -> HybridRetriever: ...

    def composer(self, allowed: set[str] | None = ...) -> ExtractiveComposer: ...

    def claim_checker(self, judging: JudgeSettings | None = ...) -> ClaimChecker: ...

    def conflict_judge(self) -> LearnedConflictJudge: ...

    def guarded_judging(self) -> JudgeSettings: ...


# Passages searched for a subject whose outlets are listed: more than one answer needs.
_COVERAGE_K = 20


class OutletQuestions:
    def __init__(self, service: Service) -> None:
        self.service = service

    def answer(self, question: str, k: int | None, allowed: set[str] | None) -> Answer | None:
        """The answer to a question about named outlets, or None for any other question."""
        return (
            self.figures(question, k, allowed)
            or self.agreement(question, k, allowed)
            or self.which(question, k, allowed)
            or self.by_parts(question, k, allowed)
            or self.one_reporter(question, k, allowed)
            or self.first_report(question, k, allowed)
            or self.overview(question, k, allowed)
            or self.coverage(question, allowed)
        )

    def coverage(self, question: str, allowed: set[str] | None) -> Answer | None:
        """ "Which outlets reported on the Beijixing?": each outlet whose closest sentence
        covers the subject, earliest report first, each quoted and cited."""
        topic = covered_topic(question)
        if topic is None:
            return None
        composer = self.service.composer(allowed)
        ranked, _ = self._nearest(topic, allowed, composer, _COVERAGE_K)
        closest: dict[str, Candidate] = {}
        for candidate in ranked:
            closest.setdefault(candidate.passage.outlet, candidate)
        covering: list[Candidate] = []
        for candidate in sorted(closest.values(), key=lambda c: c.passage.published):
            reprint = any(same_sentence(candidate, earlier) for earlier in covering)
            if not reprint and self._covers(topic, candidate, composer):
                covering.append(candidate)  # a syndicated copy is not an outlet's own report
        if not covering:
            return None
        answer = composer.cite(question, [composer.quoted(c) for c in covering], ranked)
        markers = citation_markers(answer)
        cited = [markers([c]) for c in covering]
        return with_coverage_line(answer, topic, [c.passage.outlet for c in covering], cited)

    def overview(self, question: str, k: int | None, allowed: set[str] | None) -> Answer | None:
        """ "What does Continental Times say?": the leads of the outlet's latest articles,
        each quoted and cited; "… say about the engines?": what its articles say of them
        (``assistant.overview``)."""
        articles = self.service.store.list_articles()
        asked = outlet_asked_about(question, [a.outlet for a in articles])
        if asked is None:
            return None
        own, ids = _of_outlet(articles, asked.outlet, allowed)
        if asked.topic and ids:
            answer = self._answer_within(asked.question, ids, k)
            if answer.abstained:  # not another outlet's sentence in its place
                said = f"The sources do not say: {asked.outlet} does not cover {asked.topic}."
                return answer.model_copy(update={"answer": said})
            return answer
        shown = most_recent([a for a in own if a.article_id in ids])
        if not shown:
            return None  # the filters leave it none: answered as any other question
        passages = self.service.store.first_passages([a.article_id for a in shown])
        # Flags are looked for in every article the filters allow: another outlet may deny it.
        composer = self.service.composer(allowed)
        candidates = collect_candidates(passages)
        leads = article_openings(candidates, self.service.settings.answer.lead_sentences)
        answer = composer.cite(question, [composer.quoted(c) for c in leads], candidates)
        return with_overview_line(answer, asked.outlet, shown, len(ids))

    def first_report(self, question: str, k: int | None, allowed: set[str] | None) -> Answer | None:
        """ "Which outlet first reported that X?": the claim check of X, its supporting
        sentences in the order their articles were published (``assistant.firsts``)."""
        asked = first_question(question)
        if asked is None:
            return None
        passages = [
            document_to_passage(d) for d in self.service.retriever(k, allowed).invoke(asked.claim)
        ]
        # Guarded as a yes/no answer is: naming an outlet is saying "yes, it reported this".
        checker = self.service.claim_checker(self.service.guarded_judging())
        weighed = checker.weigh(asked.claim, passages)
        return first_answer(question, asked, weighed, self.service.composer(allowed).quoted)

    def one_reporter(self, question: str, k: int | None, allowed: set[str] | None) -> Answer | None:
        """ "How many scrambles did Northern Dispatch report?", "When did the Kareliya pass the
        strait, according to Meridian Wire?": a question asked of one outlet is answered from
        its articles alone, the words naming it left out of what is judged (no sentence says
        "Northern Dispatch"). None for any other question, or when its articles do not
        answer (the question is then answered as any other)."""
        if asks_yes_no(question) or question_type(question) == "name":
            return None
        articles = self.service.store.list_articles()
        asked = reporter_of(question, [a.outlet for a in articles])
        if asked is None:
            return None
        outlet, rest = asked
        _, ids = _of_outlet(articles, outlet, allowed)
        if not ids:
            return None
        answer = self._answer_within(rest, ids, k)
        return None if answer.abstained else answer

    def _answer_within(self, question: str, ids: set[str], k: int | None) -> Answer:
        """``question`` answered from the articles ``ids`` alone (one outlet's)."""
        found = self.service.retriever(k, ids).invoke(question)
        passages = [document_to_passage(d) for d in found]
        return self.service.composer(ids).compose(question, passages)

    def passages(self, question: str, k: int | None, allowed: set[str] | None) -> list[Passage]:
        """The passages found for the whole question, then those of each outlet it names
        found in that outlet's articles alone: "Who is the individual who …, as reported by
        The Verge and TechCrunch?" needs each outlet's report, and one search over every
        article may bring only one outlet's."""
        found = [
            document_to_passage(d) for d in self.service.retriever(k, allowed).invoke(question)
        ]
        articles = self.service.store.list_articles()
        named = {outlet for _, _, outlet in named_outlets(question, [a.outlet for a in articles])}
        seen = {p.chunk.chunk_id for p in found}
        for outlet in sorted(named):
            _, ids = _of_outlet(articles, outlet, allowed)
            if not ids:
                continue
            for document in self.service.retriever(k, ids).invoke(question):
                passage = document_to_passage(document)
                if passage.chunk.chunk_id not in seen:
                    seen.add(passage.chunk.chunk_id)
                    found.append(passage)
        return found

    def openings(self, allowed: set[str] | None) -> list[Passage]:
        """The first passage of each of the ``answer.dispute_articles`` most recent articles
        (of those the filters allow): where a question about disagreement names no subject,
        what the collection's articles claim."""
        articles = [
            a
            for a in self.service.store.list_articles()
            if allowed is None or a.article_id in allowed
        ]
        latest = most_recent(articles, self.service.settings.answer.dispute_articles)
        return self.service.store.first_passages([a.article_id for a in latest])

    def by_parts(self, question: str, k: int | None, allowed: set[str] | None) -> Answer | None:
        """A yes/no question that names two or more outlets, answered part by part, each from
        its outlet's articles alone (``assistant.parts``); None for any other question."""
        if not self.service.settings.answer.yes_no or not asks_yes_no(question):
            return None
        articles = self.service.store.list_articles()
        names = [a.outlet for a in articles]
        parts = split_each(question, names) or split(question, names)
        if parts is None:
            return None
        parts = as_subjects(parts, states_something)
        composer = self.service.composer(allowed)
        answered = []
        restored: dict[str, str] = {}  # a statement whose cut date was not its report's day
        for part in parts:
            outlet, ids = _of_outlet(articles, part.outlet, allowed)
            if not ids:
                return None  # the filters leave none of its articles: not "it does not say"
            part, ids = self._on_its_day(part, outlet, ids, restored)
            ids = self._of_part(part, ids, answered[-1].evidence if answered else None, k)
            found = self.service.retriever(k, ids).invoke(part.text)
            passages = [document_to_passage(d) for d in found]
            reply = self._answer_part(part, passages, composer)
            if part.kind in ("agrees", "disagrees", "either") and reply.verdict == "not_in_sources":
                report = answered[-1].evidence
                other = self._conflicting(report, passages, composer) if report else None
                if other is not None:  # B gives A's fact another value: "says otherwise"
                    reply = Answered(part, part.kind == "disagrees", other, "contradicted")
            answered.append(reply)
        return combined(question, answered, composer.quoted)

    def _of_part(
        self, part: Part, ids: set[str], before: Candidate | None, k: int | None
    ) -> set[str]:
        """Of an outlet's articles, those a part is read from: not the article of the part
        before (``another``), or that very article (``same_report``), or the one about what
        the question says its article is about ("the TechCrunch article on X")."""
        if part.another and before is not None:
            ids = ids - {before.passage.article_id} or ids
        if part.same_report and before is not None:
            ids = {before.passage.article_id} & ids or ids
        if part.about and len(ids) > 1:
            ids = self._article_about(part.about, ids, k)
        return ids

    @staticmethod
    def _on_its_day(
        part: Part, outlet: list[IndexedArticle], ids: set[str], restored: dict[str, str]
    ) -> tuple[Part, set[str]]:
        """A part that names its report's day ("Engadget's review on October 20th") is read
        from the outlet's articles of that day. A date cut from the end of a statement
        ("after A reported X on October 18th") is the report's day when A published that day;
        otherwise it is X's, and goes back into the statement."""
        if part.text in restored:  # a stance on a statement whose date went back
            part = replace(part, text=restored[part.text])
        day = part.on_day()
        if day is None:
            return part, ids
        that_day = _published_on(outlet, day) & ids
        if that_day:
            return part, that_day
        if part.when_cut:
            whole = part.with_date_restored()
            restored[part.text] = whole.text
            return whole, ids
        return part, ids

    def figures(self, question: str, k: int | None, allowed: set[str] | None) -> Answer | None:
        """ "Did A report more scrambles than B?": each report's figure for what is asked
        (``assistant.amounts``), and whether the first is more, less, other or the same."""
        if not self.service.settings.answer.yes_no:
            return None
        articles = self.service.store.list_articles()
        asked = figure_question(question, [a.outlet for a in articles])
        if asked is None:
            return None
        composer = self.service.composer(allowed)
        one_outlet = asked.sides[0].outlet == asked.sides[1].outlet
        readings: list[Reading | None] = []
        for side, subject in zip(asked.sides, asked.subjects, strict=True):
            ids = self._report_ids(articles, side, one_outlet, allowed, k)
            if not ids:
                return None  # the filters leave a report no articles
            ranked, _ = self._nearest(subject, ids, composer, k)
            covers = partial(self._covers, subject, composer=composer)
            readings.append(figure_of(subject, ranked, covers))
        first, second = readings
        if first is None and second is None:
            return None  # no figure on either side: answered as any other question
        if first is not None and second is not None and first.sentence.key == second.sentence.key:
            return None  # one sentence for both: not two reports to compare
        return answered(question, asked, (first, second), composer.quoted)

    def agreement(self, question: str, k: int | None, allowed: set[str] | None) -> Answer | None:
        """ "Do A and B agree on X?", "Between A and B, was there a change in X?": each
        report's closest sentence on X, and whether the two differ (a conflict between
        sources) or say the same (one backs the other)."""
        if not self.service.settings.answer.yes_no:
            return None
        paired = self._read_pair(question, comparison, k, allowed)
        if paired is None:
            return None
        asked, ((first, second), found), composer = paired
        differ = None
        if first is not None and second is not None:
            differ = self._differ(first, second, found, composer)
        return compared(question, asked, (first, second), differ, composer.quoted)

    def which(self, question: str, k: int | None, allowed: set[str] | None) -> Answer | None:
        """ "Between A and B, which one mentions X?": the report whose closest sentence on X
        is nearest to it in meaning, among those that cover X."""
        paired = self._read_pair(question, choice, k, allowed)
        if paired is None:
            return None
        asked, (evidence, _), composer = paired
        return chosen(question, asked, evidence, composer.quoted)

    def _read_pair(
        self,
        question: str,
        parse: Callable[[str, list[str]], Asked | None],
        k: int | None,
        allowed: set[str] | None,
    ) -> tuple[Asked, Read, ExtractiveComposer] | None:
        """The question parsed against the indexed outlets, and both reports read on its
        subject (see ``_both_sides``); None when it is not such a question or cannot be read."""
        articles = self.service.store.list_articles()
        asked = parse(question, [a.outlet for a in articles])
        if asked is None:
            return None
        composer = self.service.composer(allowed)
        read = self._both_sides(articles, asked.sides, asked.subject, composer, k, allowed)
        return None if read is None else (asked, read, composer)

    def _both_sides(
        self,
        articles: list[IndexedArticle],
        sides: tuple[Side, Side],
        subject: str,
        composer: ExtractiveComposer,
        k: int | None,
        allowed: set[str] | None,
    ) -> Read | None:
        """Each report's sentence closest to ``subject`` (None for a report that does not
        cover it) and the passages found in each; None when the filters leave a report no
        articles, or both reports land on one sentence (not two reports to compare). A report
        the question names by what it is about ("the report on the launch of GPT-4") and
        whose sentences are all far from an abstract subject ("the company's strategic
        focus") gives its sentence closest to what it is about."""
        one_outlet = sides[0].outlet == sides[1].outlet
        evidence: list[Candidate | None] = []
        found: list[list[Passage]] = []
        reports: list[set[str]] = []
        for side in sides:
            ids = self._report_ids(articles, side, one_outlet, allowed, k)
            if not ids or ids in reports:
                return None  # no article, or both reports are one article
            reports.append(ids)
            closest, passages = self._closest(subject, ids, composer, k)
            if closest is None and side.about:
                closest, more = self._closest(side.about, ids, composer, k)
                seen = {p.chunk.chunk_id for p in passages}
                passages += [p for p in more if p.chunk.chunk_id not in seen]
            evidence.append(closest)
            found.append(passages)
        first, second = evidence
        if first is not None and second is not None and first.key == second.key:
            return None
        return (first, second), found

    def _report_ids(
        self,
        articles: list[IndexedArticle],
        side: Side,
        one_outlet: bool,
        allowed: set[str] | None,
        k: int | None,
    ) -> set[str]:
        """The articles of one report; of one outlet's two reports, each is told apart by its
        day, else by what it is about."""
        ids = _of_report(articles, side, allowed, by_day=one_outlet)
        if one_outlet and side.about and len(ids) > 1:
            ids = self._article_about(side.about, ids, k)
        return ids

    def _article_about(self, about: str, ids: set[str], k: int | None) -> set[str]:
        """Of one outlet's articles, the one that is about ``about`` (the article of the
        passage found first for it): one outlet's two reports told apart by subject."""
        found = self.service.retriever(k, ids).invoke(about)
        return {document_to_passage(found[0]).article_id} if found else set()

    def _closest(
        self, subject: str, ids: set[str], composer: ExtractiveComposer, k: int | None
    ) -> tuple[Candidate | None, list[Passage]]:
        """The sentence of the articles ``ids`` closest to ``subject`` when it covers it, and
        the passages found for it."""
        ranked, passages = self._nearest(subject, ids, composer, k)
        covered = bool(ranked) and self._covers(subject, ranked[0], composer)
        return (ranked[0] if covered else None), passages

    def _nearest(
        self, subject: str, ids: set[str] | None, composer: ExtractiveComposer, k: int | None
    ) -> tuple[list[Candidate], list[Passage]]:
        """The sentences of the passages of the articles ``ids`` (None: all) found for ``subject``,
        nearest first, and those passages. Meaning and the subject's own words together:
        "when the Beijixing was first detected" is nearer in meaning to "The Beijixing is a
        Type 815 … ship" than to the sentence that says when it was first detected."""
        retrieved = self.service.retriever(k, ids).invoke(subject)
        passages = [document_to_passage(d) for d in retrieved]
        ranked = sorted(composer.score(subject, passages), key=lambda c: -(c.meaning + c.words))
        return ranked, passages

    def _covers(self, subject: str, closest: Candidate, composer: ExtractiveComposer) -> bool:
        """Whether a report covers a subject: its closest sentence holds every word of it
        ("Chitose Air Base", where a cosine to a long sentence sits near any threshold), or
        is near it in meaning, read alone and after its headline and the sentence before."""
        if closest.words >= 1.0:
            return True
        meaning = composer.meaning_in_context(subject, closest)
        return meaning >= self.service.settings.answer.covers_similarity

    def _differ(
        self,
        first: Candidate,
        second: Candidate,
        found: list[list[Passage]],
        composer: ExtractiveComposer,
    ) -> bool | None:
        """Whether two outlets' sentences on one subject differ (True: another value, a
        contradiction, or one denies what the other reports), say the same (False: either's
        articles back the other's sentence), or neither can be told (None)."""
        if self._conflicting(first, found[1], composer) is not None:
            return True
        denials = [
            stance.kind == "denial"
            for stance in self.service.reader.read_many([first.text, second.text])
        ]
        if denials[0] != denials[1]:
            return True
        # Unguarded: each sentence carries details the other lacks (a date, a place), which
        # the yes/no guards would read as "not said".
        checker = self.service.claim_checker()
        for sentence, passages in ((first.text, found[1]), (second.text, found[0])):
            verdict = checker.weigh(sentence, passages).verdict
            if verdict in ("contradicted", "contested"):
                return True
            if verdict == "supported":
                return False
        return None

    def _conflicting(
        self, report: Candidate, passages: list[Passage], composer: ExtractiveComposer
    ) -> Candidate | None:
        """The sentence of ``passages`` that gives ``report``'s fact another value, if any.
        B's articles may neither back nor refute A's statement as worded, yet say "first
        spotted on 30 January" against "first detected on 28 January": A's sentence is
        compared with B's nearest ones, as conflicts between sources are."""
        nearest = sorted(composer.score(report.text, passages), key=lambda c: -c.meaning)[:4]
        if not nearest:
            return None
        masked = self.service.embeddings.encode(
            [mask_values(report.text), *(mask_values(c.text) for c in nearest)]
        )
        similarities = [float(masked[0] @ row) for row in masked[1:]]
        judged = self.service.conflict_judge().judge_many(
            report.text, [c.text for c in nearest], similarities
        )
        return next((c for c, j in zip(nearest, judged, strict=True) if j.conflict), None)

    def _answer_part(
        self, part: Part, passages: list[Passage], composer: ExtractiveComposer
    ) -> Answered:
        if part.kind == "subject":
            # A subject is not a question, which is what the relevance judge reads: whether
            # an outlet covers it is the closest sentence's cosine.
            ranked = sorted(composer.score(part.text, passages), key=lambda c: -c.meaning)
            holds = bool(ranked) and self._covers(part.text, ranked[0], composer)
            return Answered(part, holds, ranked[0] if holds else None)
        weighed = self.service.claim_checker(self.service.guarded_judging()).weigh(
            part.text, passages
        )
        evidence = [j.candidate for j in weighed.supporting] or weighed.against_candidates
        if part.kind == "disagrees":  # "did B disagree?": yes when B says otherwise
            holds = weighed.verdict in ("contradicted", "contested")
            evidence = weighed.against_candidates or evidence
        else:
            holds = weighed.verdict == "supported"
        return Answered(part, holds, evidence[0] if evidence else None, weighed.verdict)


def _of_report(
    articles: list[IndexedArticle], side: Side, allowed: set[str] | None, *, by_day: bool
) -> set[str]:
    """The ids of a report's articles: its outlet's, of the day the question names when the
    outlet published that day. ``by_day``: the day is what tells the report apart (one
    outlet's two reports), so a day the outlet published nothing on leaves no articles."""
    outlet, ids = _of_outlet(articles, side.outlet, allowed)
    if side.day is None:
        return ids
    that_day = _published_on(outlet, side.day) & ids
    return that_day if by_day else that_day or ids


def _published_on(articles: list[IndexedArticle], day: str) -> set[str]:
    """The ids of the articles published on ``day`` (month-day, "2-4")."""
    return {a.article_id for a in articles if a.published and month_day(a.published[:10]) == day}


def _of_outlet(
    articles: list[IndexedArticle], outlet: str, allowed: set[str] | None
) -> tuple[list[IndexedArticle], set[str]]:
    """An outlet's articles, and the ids of those the filters allow."""
    own = [a for a in articles if a.outlet.casefold() == outlet.casefold()]
    ids = {a.article_id for a in own}
    return own, ids & allowed if allowed is not None else ids

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer import (
    NamesAsked,
    _ground_days,
    _ground_types,
    asks_for_something,
    coordinated,
    echoes,
    names_asked,
    names_missing,
    question_type,
)
from assistant.candidates import (
    ABSTAIN_TEXT,
    with_its_referents_named,
    with_markers,
    with_what_it_points_back_at,
)
from assistant.config import JudgeSettings
from assistant.errors import InputError
from assistant.keyword import terms
from assistant.service import Assistant
from assistant.types import Answer
from tests.conftest import SEED_FACTS
from tests.sentences import sentence_of


def check_integrity(answer: Answer, assistant: Assistant) -> None:
    """[n] in range and used, each quote is exactly the article text at its span."""
    numbers = [c.n for c in answer.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    used = {n for s in answer.sentences for n in s.citations}
    # Counter-evidence of a contested flag is cited too, even when no sentence quotes it.
    used |= {n for f in answer.contested for n in f["counter_citations"]}
    assert used == set(numbers)
    for flag in answer.contested:
        assert all(0 <= i < len(answer.sentences) for i in flag["sentences"])
    for sentence in answer.sentences:
        assert sentence.citations, sentence
        assert all(1 <= n <= len(numbers) for n in sentence.citations)
        assert f"[{sentence.citations[0]}]" in answer.answer
    folder = assistant.settings.sources_dir
    for c in answer.citations:
        from assistant.sources import load_file

        articles = {a.article_id: a for a in load_file(folder / c.path, c.path).articles}
        assert articles[c.article_id].text[c.start : c.end] == c.quote
        assert c.passage[c.start - c.passage_start : c.end - c.passage_start] == c.quote


def test_kareliya_transit_dates(demo: Assistant) -> None:
    answer = demo.ask("When did the Kareliya transit the Tsushima Strait?")
    assert not answer.abstained
    assert "25 January" in answer.answer and "26 January" in answer.answer
    seed = [c for c in answer.citations if c.path == SEED_FACTS]
    assert seed and any("25 January to 26 January" in c.quote for c in seed)
    check_integrity(answer, demo)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How many F-35A fighters are being deployed at Misawa Air Base?", "48"),
        ("Which Chinese ship was detected near Japan?", "CNS Beijixing"),
    ],
)
def test_seed_facts(demo: Assistant, question: str, expected: str) -> None:
    answer = demo.ask(question)
    assert not answer.abstained
    assert expected in answer.answer
    assert any(expected in c.quote for c in answer.citations)
    check_integrity(answer, demo)


def test_question_the_corpus_cannot_answer_abstains(demo: Assistant) -> None:
    answer = demo.ask("What is the population of Lisbon?")
    assert answer.abstained
    assert answer.answer == ABSTAIN_TEXT
    assert answer.sentences == [] and answer.citations == []
    assert 1 <= len(answer.nearest) <= 3


@pytest.mark.parametrize(
    "question",
    [
        "When did the Admiral Kuznetsov transit the Tsushima Strait?",
        "How many times did Japan scramble fighter jets in fiscal 2023?",
        "When did the Yantar research ship pass Okinawa?",
        # Named elsewhere in the passages found, but not where the answer would come from:
        # Taiwan only in a later sentence about drone routes, the "Northern" of the Northern
        # Fleet only in an outlet's name and "northern Honshu", Iran only as "Iranian Shahed".
        "How many times did Taiwan scramble fighter jets in fiscal 2024?",
        "How many warships will take part in the Northern Fleet drills?",
        "How did Iran's foreign ministry respond to the reports about drone engines?",
        "How many F-35B fighters will Misawa get?",  # F-35A fighters, says the source
    ],
)
def test_a_near_miss_name_or_year_abstains(demo: Assistant, question: str) -> None:
    """One name or year swapped from an answerable question: the sources speak of another
    ship, year, fleet or country, and no sentence of theirs answers."""
    assert demo.ask(question).abstained


def test_a_name_the_article_gives_in_its_lead_grounds_its_later_sentences(
    demo: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "Misawa sits in Aomori Prefecture" never names the United States or the F-35As; the
    article's lead does ("The United States is modernising Misawa Air Base …, where 48 F-35A
    stealth fighters will replace …"), so the sentence may answer a question that names
    them. A name neither the sentence, its headline nor its lead gives still leaves it
    unable to answer."""

    def can_answer(question: str) -> bool:
        passages = demo.retriever().search(question)
        scored = demo.composer().score(question, passages)
        return next(c for c in scored if c.text.startswith("Misawa sits in Aomori")).can_answer

    question = "Which prefecture are the United States' new F-35A fighters going to?"
    assert can_answer(question)
    assert not can_answer("Which prefecture are China's new F-35A fighters going to?")
    monkeypatch.setattr(demo.composer().settings, "names_in_lead", False)
    assert not can_answer(question)


def test_syndicated_copy_is_cited_once_as_the_original(demo: Assistant) -> None:
    answer = demo.ask("When did the Kareliya transit the Tsushima Strait?")
    quotes = [c.quote for c in answer.citations]
    assert len(quotes) == len(set(quotes))
    assert all(c.outlet != "Kyushu Evening Post" for c in answer.citations)


def test_answer_json_contract(demo: Assistant) -> None:
    data = demo.ask("Which Chinese ship was detected near Japan?").to_json()
    assert {"question", "answer", "abstained", "sentences", "citations", "contested"} <= set(data)
    citation_keys = {
        "n",
        "article_id",
        "title",
        "outlet",
        "published",
        "url",
        "path",
        "start",
        "end",
        "quote",
    }
    assert all(citation_keys <= set(c) for c in data["citations"])
    assert all({"text", "citations", "supported"} <= set(s) for s in data["sentences"])
    flag_keys = {
        "claim",
        "kind",
        "claimed_by",
        "disputed_by",
        "citations",
        "counter_citations",
        "sentences",
        "update",
    }
    assert all(set(f) == flag_keys for f in data["contested"])


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "The question is empty; type what you want to know."),
        ("  \n\t ", "The question is empty; type what you want to know."),
        ("\x00\x07 \x1b", "The question is empty; type what you want to know."),
        ("w" * 10_000, "The question is 10000 characters long; the limit is 2000."),
        ("x" * 2001, "The question is 2001 characters long; the limit is 2000."),
    ],
)
def test_bad_questions_are_refused(demo: Assistant, question: str, message: str) -> None:
    with pytest.raises(InputError) as error:
        demo.ask(question)
    assert str(error.value) == message


def test_empty_index_says_what_to_do(make_assistant) -> None:
    with pytest.raises(Exception, match="The index is empty"):
        make_assistant().ask("Anything?")


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("When did it leave?", "date"),
        ("How many fighters?", "number"),
        ("Which ship was seen?", "name"),
        ("Where did the Il-20 take off from?", "name"),
        ("What organization runs the base?", "name"),
        ("In what prefecture is Misawa?", "name"),
        ("Which year did it open?", "date"),
        ("What did China say when it rejected the story?", None),
        ("Where was the ship when Japan spotted it?", "name"),
        ("Over which dates was the ship near the islands?", "date"),
        ("In what years did the drills take place?", "date"),
        ("What is the premiere date of the series?", "date"),
        ("What was the release date?", "date"),
        ("What is the name of the ship?", "name"),
        ("What institution, reported by Fortune, raised rates?", "name"),
        ("What are the entities associated with the betting lines?", "name"),
        ("What is the company doing?", None),
        ("What was the group responsible for?", None),
        ("What is the Election Day turnout?", None),
        ("Is China supplying drones?", None),
    ],
)
def test_question_type(question: str, kind: str | None) -> None:
    assert question_type(question) == kind


@pytest.mark.parametrize(
    ("text", "numbers", "expected"),
    [
        ("It left port.", [1], "It left port [1]."),
        ("It left port", [1, 2], "It left port [1][2]"),
        ('He said "no."', [3], 'He said "no." [3]'),
    ],
)
def test_markers_go_before_the_final_stop(text: str, numbers: list[int], expected: str) -> None:
    assert with_markers(text, numbers) == expected


FAQ_PAGE = """---
title: Tesla first-quarter results, questions and answers
outlet: Motor Ledger
published: 2021-04-27
---

What was Tesla's revenue in Q1 2021?

Tesla reported revenue of $10.4 billion for the first quarter of 2021, up 74% from a year earlier.

How many vehicles did Tesla deliver in the quarter?

The company delivered 184,800 vehicles between January and March.
"""


def _asked_of_page(make_assistant, tmp_path, page: str, question: str) -> tuple[Assistant, Answer]:
    """An assistant over one page, and its answer to ``question`` (which it must not abstain
    on)."""
    path = tmp_path / "page.md"
    path.write_text(page, encoding="utf-8")
    assistant = make_assistant(files=[path])
    assert not assistant.ingest().failed
    answer = assistant.ask(question)
    assert not answer.abstained
    return assistant, answer


def test_a_sentence_that_asks_is_never_the_answer(make_assistant, tmp_path) -> None:
    """A page that repeats the reader's question matches every word of it; the answer is the
    sentence after it."""
    assistant, answer = _asked_of_page(
        make_assistant, tmp_path, FAQ_PAGE, "What was Tesla's revenue in Q1 2021?"
    )
    assert "$10.4 billion" in answer.answer
    assert all(not c.quote.rstrip().endswith("?") for c in answer.citations)
    check_integrity(answer, assistant)


ECHO_PAGE = """---
title: Tesla Q2 2020 results
outlet: Motor Ledger
published: 2020-07-23
---

Tesla Q2 2020 revenue.

The carmaker reported sales of $6.04 billion for the three months to June, ahead of forecasts.
"""


def test_a_sentence_that_only_repeats_the_question_is_never_the_answer(
    make_assistant, tmp_path
) -> None:
    """A heading made of the question's own words ranks first on every word and on the judge's
    reading, and says nothing: the sentence that gives the figure answers."""
    _, answer = _asked_of_page(
        make_assistant, tmp_path, ECHO_PAGE, "What was Tesla's revenue in Q2 2020?"
    )
    assert "$6.04 billion" in answer.answer
    assert all("Tesla Q2 2020 revenue" not in c.quote for c in answer.citations)


@pytest.mark.parametrize(
    ("sentence", "repeats"),
    [
        ("Tesla Q2 2020 revenue.", True),
        ("Tesla's revenue in Q2 2020 was $6.04 billion.", False),
        ("Revenue, Q2 2020: Tesla.", True),
        ("", False),
    ],
)
def test_what_only_repeats_the_question(sentence: str, repeats: bool) -> None:
    assert echoes(sentence, terms("What was Tesla's revenue in Q2 2020?")) is repeats


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("When did Japan scramble jets?", True),
        # A yes/no question may be answered by its own statement, also after a leading clause.
        ("Did Japan scramble jets?", False),
        ("After the storm, did the port reopen?", False),
        # A choice is answered by words of the question.
        ("Which company reported higher revenue, Apple or Google?", False),
    ],
)
def test_what_asks_for_something_beyond_its_own_words(question: str, asks: bool) -> None:
    assert asks_for_something(question) is asks


def test_passages_are_read_through_the_vectors_the_index_holds(demo: Assistant) -> None:
    """The answer reads each sentence in its passage through the chunk's indexed vector, which
    is the encoder's vector of the chunk's indexed text; a passage the index does not hold
    (removed meanwhile) is encoded now, the same way."""
    import numpy as np

    from assistant.index import embedding_text

    passages = demo.retriever().search("When did the Kareliya transit the Tsushima Strait?")[:3]
    stored = demo.passage_vectors(passages)
    encoded = demo.embeddings.encode([embedding_text(p.title, p.chunk.text) for p in passages])
    assert stored.shape == (3, demo.embeddings.dimension)
    assert np.allclose(stored, encoded, atol=1e-4)
    gone = passages[0].model_copy(
        update={"chunk": passages[0].chunk.model_copy(update={"chunk_id": "gone:0"})}
    )
    assert np.allclose(demo.passage_vectors([gone]), encoded[:1], atol=1e-4)
    assert demo.passage_vectors([]).shape == (0, demo.embeddings.dimension)


@pytest.mark.parametrize(
    ("question", "names"),
    [
        # A word capitalised only because it opens the question is no name asked about.
        ("Roughly how far off Kyushu was the ship?", {"kyushu"}),
        ("According to Meridian Wire, who dismissed the claims?", {"meridian", "wire"}),
        ("Exactly how many jets did Japan scramble in fiscal 2024?", {"japan", "2024"}),
        # An opening name stays one, and so does a nationality: another country is asked.
        ("Misawa gets how many jets?", {"misawa"}),
        ("Iranian drones: who builds them?", {"iranian"}),
        ("Swiss banks were fined how much?", {"swiss"}),
        # An adjective that is no nationality opens the question; punctuation before it too.
        ("Exact number of F-35A fighters planned for Misawa?", {"f-35a", "misawa"}),
        ("(Roughly) how far off Kyushu was the ship?", {"kyushu"}),
        # A plural common noun that opens the question names nothing; a singular word the
        # small model does not know may be a name.
        ("Pilots from which base flew the most missions in fiscal 2024?", {"2024"}),
        ("Officials in which city denied it?", set()),
        ("Beijixing was spotted where?", {"beijixing"}),
    ],
)
def test_the_names_a_question_asks_about(question: str, names: set[str]) -> None:
    assert names_asked(question) == names


@pytest.mark.parametrize(
    ("question", "text", "missing"),
    [
        # A run of capitalised words is one name, mentioned only in its order.
        (
            "How big are the Northern Fleet drills?",
            "Northern Dispatch: the Pacific Fleet",
            {"northern fleet"},
        ),
        ("How big are the Northern Fleet drills?", "the Northern Fleet sails", set()),
        # A run of three, an event's title, may be written in another order, close together.
        ("Who won the World Cup Final in 2014?", "the final of the FIFA World Cup 2014", set()),
        (
            "Who won the World Cup Final in 2014?",
            "the World Cup 2014 was won by Germany; its final was in Rio",
            {"world cup final"},
        ),
        # A nationality opening the run may be said otherwise; a possessive ends a run.
        ("Will the Russian Pacific Fleet drill?", "Russia's Pacific Fleet will", set()),
        ("Did Japan's Air Self-Defense Force fly?", "Japan: the Air Self-Defense Force", set()),
        # A title may have a name after it; a nationality is left out of a run of three only.
        ("What did President Biden say?", "US President Joe Biden said", set()),
        ("Where does the Pacific Fleet drill?", "a Pacific drill: the Fleet", {"pacific fleet"}),
        # Punctuation ends a run; a hyphenated word mentions its parts.
        ("What did China, Russia and Iran agree on?", "China and Iran agreed", {"russia"}),
        ("What did pro-Russian hackers attack?", "Pro-Russian hackers attacked", set()),
        # Dotted initials are one word.
        ("Who won the U.S. Open in 2021?", "Medvedev won the US Open in 2021", set()),
        # An abbreviation that spells a function word is a name ("the US Navy").
        ("Did the US Navy ship arrive?", "the United States and the Russian navy", {"us navy"}),
        ("Did the US Navy ship arrive?", "A U.S. Navy ship arrived", set()),
        # ... a word shouted for emphasis is none; a place with a point of the compass keeps
        # its order.
        ("Why did Biden NOT run again?", "Biden said he would run again.", set()),
        (
            "Where is the South China Sea?",
            "They sailed south through the East China Sea",
            {"south china sea"},
        ),
        # Names match by a shared start; years exactly.
        ("What did Korea say in 2024?", "the Korean Peninsula, 2025", {"2024"}),
        # A model with a number: its variant and plural match it, another variant or model
        # does not.
        ("How many F-35Bs will Misawa get?", "Misawa gets 48 F-35A stealth fighters", {"f-35bs"}),
        ("How many F-35s will Misawa get?", "Misawa gets 48 F-35A stealth fighters", set()),
        ("How many F-35As will Misawa get?", "Misawa gets 48 F-35A stealth fighters", set()),
        ("Did a MiG-31 fly there?", "a MiG-29 flew there", {"mig-31"}),
        ("How many COVID-19 cases?", "COVID cases rose", set()),
        # A country is also named by its other forms; an abbreviation only in capitals.
        ("Where is the American air base?", "the United States is modernising", set()),
        ("Where is the American air base?", "the U.S. is modernising", set()),
        ("Where is the American air base?", "they told us the base", {"american"}),
        ("Did the United States agree?", "American officials agreed", set()),
        ("What did French officials say?", "France said", set()),
        ("What did French officials say?", "Germany said", {"french"}),
        # ... written as a name, in full, and not as part of another place's name.
        ("Did Poland agree?", "The firm will polish the plan.", {"poland"}),
        (
            "Did the United States agree?",
            "Latin America agreed.",
            {"united states", "united", "states"},
        ),
    ],
)
def test_the_names_a_text_does_not_mention(question: str, text: str, missing: set[str]) -> None:
    assert names_missing(NamesAsked.of(question), text) == missing


def test_runs_of_names_joined_by_or_are_either_enough() -> None:
    question = "Which ships did the Northern Fleet or the Pacific Fleet send?"
    asked = NamesAsked.of(question)
    assert coordinated(question, asked.runs) == {
        "northern fleet": {"pacific fleet"},
        "pacific fleet": {"northern fleet"},
    }
    asked = NamesAsked.of("What did Japan and South Korea agree?")
    assert coordinated("What did Japan and South Korea agree?", asked.runs) == {
        "japan": {"south korea"},
        "south korea": {"japan"},
    }


def test_a_curly_possessive_still_joins_names() -> None:
    assert coordinated("Did Japan’s and China’s navies meet?") == {
        "japan": {"china"},
        "china": {"japan"},
    }


def test_names_joined_by_and_or_or_are_either_enough() -> None:
    either = coordinated("How did Japan tell the Kareliya and the Beijixing, or the Yantar apart?")
    assert either == {
        "kareliya": {"beijixing"},
        "beijixing": {"kareliya", "yantar"},
        "yantar": {"beijixing"},
    }


def test_an_answer_names_what_the_question_names_in_its_sentence_or_the_one_before(
    demo: Assistant,
) -> None:
    """A question about two ships may be answered about either; the spy ship "between Korea and
    Japan" by a sentence whose headline names Japan."""
    answer = demo.ask("How did Japan tell which ships were the Kareliya and the Beijixing?")
    assert not answer.abstained and "hull number" in answer.answer
    answer = demo.ask(
        "When did the Russian spy ship pass through the strait between Korea and Japan?"
    )
    assert "25 January" in answer.answer


ICE_FESTIVAL = """---
title: Harbin Ice and Snow Festival opens on the Songhua River
outlet: Harbour Ledger
published: 2025-01-06
---

# Harbin Ice and Snow Festival opens on the Songhua River

The 41st Harbin Ice and Snow Festival opened on Sunday with more than 2,000 ice sculptures cut
from the frozen Songhua River. Organisers expect about 1.8 million visitors before the ice melts
in February. Tickets cost 328 yuan for adults.
"""


@pytest.mark.parametrize(
    ("headline_reading", "expected"), [(True, "1.8 million"), (False, "2,000")]
)
def test_a_sentence_is_read_after_its_headline_when_it_leaves_the_subject_to_it(
    make_assistant, tmp_path, headline_reading: bool, expected: str
) -> None:
    """ "Organisers expect about 1.8 million visitors" does not say which festival; its headline
    does. Read alone, the judge prefers the sentence that names the festival (and counts
    sculptures); read after the headline too, the one that answers ranks first."""
    page = tmp_path / "ice.md"
    page.write_text(ICE_FESTIVAL, encoding="utf-8")
    settings = JudgeSettings(headline_reading=headline_reading)
    assistant = make_assistant(files=[page], judges=settings)
    assert not assistant.ingest().failed
    answer = assistant.ask("How many visitors does the Harbin Ice and Snow Festival expect?")
    assert expected in answer.answer.split("[1]")[0]


def test_the_judge_must_read_some_relevance_itself(make_assistant, tmp_path) -> None:
    """The cheap signals alone never make an answer: below ``judges.min_relevance`` the
    assistant abstains, however many of the question's words the sentence has."""
    page = tmp_path / "ice.md"
    page.write_text(ICE_FESTIVAL, encoding="utf-8")
    question = "How many visitors does the Harbin Ice and Snow Festival expect?"
    strict = make_assistant(files=[page], judges=JudgeSettings(min_relevance=0.99))
    assert not strict.ingest().failed
    assert strict.ask(question).abstained
    assert not make_assistant(files=[page]).ask(question).abstained


def _article(path: Path, title: str, outlet: str, text: str) -> Path:
    path.write_text(
        f"---\ntitle: {title}\noutlet: {outlet}\npublished: 2023-03-11\n---\n\n{text}\n",
        encoding="utf-8",
    )
    return path


def _outlets_cited(answer: Answer, flag: dict) -> set[str]:
    """The outlets a flag's citations and counter-citations point at."""
    outlet_of = {c.n: c.outlet for c in answer.citations}
    return {outlet_of[n] for n in flag["citations"] + flag["counter_citations"]}


INSTAGRAM_TEXT = (
    "Meta acquired Instagram in April 2012 for $1 billion. The deal was a watershed moment "
    "for Big Tech. In 2012, {buyer} bought Instagram for $1 billion, when the app had "
    "13 employees."
)


@pytest.mark.parametrize("runners_up", [4, 0])
def test_sources_that_disagree_on_the_answer_beyond_its_best_sentence_are_flagged(
    make_assistant, tmp_path, runners_up: int
) -> None:
    """The best sentence is one both sources repeat ("Meta acquired Instagram"); they disagree
    on the buyer in another. The answer shows that sentence and its counterpart, flagged; with
    ``answer.disputed_runners_up`` at 0 it does not look past its own sentences."""
    files = [
        _article(tmp_path / f"{b}.md", "Instagram deal", outlet, INSTAGRAM_TEXT.format(buyer=b))
        for outlet, b in (("Tech Ledger", "Facebook"), ("Gadget Wire", "Apple"))
    ]
    assistant = make_assistant(files=files, answer={"disputed_runners_up": runners_up})
    assert not assistant.ingest().failed
    answer = assistant.ask("Who acquired Instagram?")
    conflicts = [f for f in answer.contested if f["kind"] == "conflict"]
    if not runners_up:
        assert not conflicts
        return
    assert conflicts, answer.answer
    assert _outlets_cited(answer, conflicts[0]) == {"Tech Ledger", "Gadget Wire"}
    quotes = " ".join(c.quote for c in answer.citations)
    assert "Facebook" in quotes and "Apple" in quotes
    check_integrity(answer, assistant)


FINAL_TEXT = (
    "Argentina won the World Cup final in Lusail on 18 December 2022. "
    "In Lusail, captain Lionel Messi lifted the trophy in front of {crowd} fans after the final."
)


def test_runners_up_that_differ_only_in_another_kind_of_value_are_not_a_dispute(
    make_assistant, tmp_path
) -> None:
    """Who won is not disputed by two crowd sizes: the sentence on the trophy gives a name and
    answers, but a conflict over its number does not join the answer to a "who" question."""
    files = [
        _article(tmp_path / f"{i}.md", "World Cup final", outlet, FINAL_TEXT.format(crowd=crowd))
        for i, (outlet, crowd) in enumerate((("Sport Daily", "88,966"), ("Goal Wire", "80,000")))
    ]
    assistant = make_assistant(files=files)
    assert not assistant.ingest().failed
    answer = assistant.ask("Who won the World Cup final in Lusail?")
    assert not answer.abstained
    assert "Argentina" in answer.answer
    assert not [f for f in answer.contested if f["kind"] == "conflict"], answer.answer


OCARINA_TEXT = (
    "Ocarina of Time was developed by Nintendo EAD for the Nintendo 64. It was released in "
    "Japan on {date}, and in North America two days later. Critics called it a landmark."
)
OCARINA_RETRO = (
    "Looking back, The Legend of Zelda: Ocarina of Time was released on November 21 of 1998 "
    "and sold 7.6 million copies."
)


def _ocarina_sources(tmp_path: Path, headline: str = "Game notes") -> list[Path]:
    """A third outlet's answer, an outlet that restates it, that outlet's reprint with another
    date, and an article on something else."""
    return [
        _article(tmp_path / "retro.md", "Thirty years of Zelda", "Retro Review", OCARINA_RETRO),
        *(
            _article(tmp_path / f"{i}.md", headline, outlet, OCARINA_TEXT.format(date=d))
            for i, (outlet, d) in enumerate(
                (("Game Archive", "November 21, 1998"), ("Play Digest", "November 1, 2020"))
            )
        ),
        _article(
            tmp_path / "rain.md",
            "Weather",
            "City Desk",
            "Heavy rain is expected in the capital on Sunday, forecasters said.",
        ),
    ]


@pytest.mark.parametrize("restatements", [4, 0])
def test_an_outlet_that_restates_the_answer_and_is_contradicted_is_flagged(
    make_assistant, tmp_path, restatements: int
) -> None:
    """The best sentence is a third source's, which no one contradicts; an outlet that gives
    the same date in other words is contradicted by its own reprint's date. Searching for the
    best sentence finds the restatement (``answer.disputed_restatements``), and its conflict
    joins the answer; at 0 only the answer's own sentences and runners-up are checked."""
    assistant = make_assistant(
        files=_ocarina_sources(tmp_path, headline="Ocarina of Time"),
        answer={"disputed_runners_up": 0, "disputed_restatements": restatements},
    )
    assert not assistant.ingest().failed
    answer = assistant.ask("When was The Legend of Zelda: Ocarina of Time released?")
    assert not answer.abstained
    conflicts = [f for f in answer.contested if f["kind"] == "conflict"]
    if not restatements:
        assert not conflicts, answer.answer
        return
    assert conflicts, answer.answer
    assert _outlets_cited(answer, conflicts[0]) == {"Game Archive", "Play Digest"}
    check_integrity(answer, assistant)


def test_related_search_also_finds_the_sentences_that_share_a_claims_words(
    make_assistant, tmp_path
) -> None:
    """``answer.related_keyword_k`` passages that share most words with a sentence (BM25) are
    searched beside the nearest in meaning, and only those that share any."""
    by_meaning_only = make_assistant(
        files=_ocarina_sources(tmp_path), answer={"related_k": 0, "related_keyword_k": 0}
    )
    assert not by_meaning_only.ingest().failed
    assert by_meaning_only.related_passages([OCARINA_RETRO]) == []
    by_words = make_assistant(answer={"related_k": 0, "related_keyword_k": 4})
    found = {p.outlet for p in by_words.related_passages([OCARINA_RETRO])}
    assert {"Retro Review", "Game Archive", "Play Digest"} <= found
    assert "City Desk" not in found


@pytest.mark.parametrize("keyword_k", [3, 0])
def test_a_restatement_that_names_nothing_is_found_by_its_words(
    make_assistant, tmp_path, keyword_k: int
) -> None:
    """ "It was released in Japan on November 21, 1998" names no game: a search by meaning for
    the best sentence ("The Legend of Zelda: Ocarina of Time … was released on November 21 of
    1998") may rank it below every article that names the game, while it shares the values
    and the verb. Narrowed to one passage each, the question's search and the search by
    meaning find only the best sentence's article; the search by words finds the outlet that
    restates it and its reprint that gives another date."""
    assistant = make_assistant(
        files=_ocarina_sources(tmp_path),
        retrieval={"k": 1},
        answer={"disputed_runners_up": 0, "related_k": 1, "related_keyword_k": keyword_k},
    )
    assert not assistant.ingest().failed
    answer = assistant.ask("When was The Legend of Zelda: Ocarina of Time released?")
    assert "November 21 of 1998" in answer.answer
    conflicts = [f for f in answer.contested if f["kind"] == "conflict"]
    if not keyword_k:
        assert not conflicts, answer.answer
        return
    assert conflicts, answer.answer
    assert _outlets_cited(answer, conflicts[0]) == {"Game Archive", "Play Digest"}
    check_integrity(answer, assistant)


@pytest.mark.parametrize(
    ("question", "text", "context", "published", "can_answer"),
    [
        # Another day: no answer. The day asked, or a range around it: one.
        ("What did the Il-20 do on 27 January?", "On 26 January, the Il-20 took off.", "",
         "2025-01-29", False),
        ("What did the Il-20 do on 26 January?", "On 26 January, the Il-20 took off.", "",
         "2025-01-29", True),
        ("Where was the Kareliya on 20 January?", "It operated there from 12 January to 24 "
         "January.", "", "2025-01-29", True),
        ("Where was the Kareliya on 3 February?", "It operated there from 12 January to 24 "
         "January.", "", "2025-01-29", False),
        # A sentence without a date is dated by the one before it, or is left to the judges.
        ("What did the Il-20 do on 27 January?", "The aircraft then continued south.",
         "Title. On 26 January, the Il-20 took off. The aircraft then continued south.",
         "2025-01-29", False),
        ("What did the Il-20 do on 26 January?", "On Sunday, the Il-20 took off.", "",
         "2025-01-27", True),
        # The day an article came out is met by all of it; yes/no questions are the claim
        # check's to read.
        ("What did the report of 27 January say?", "It said on 26 January that it left.", "",
         "2025-01-27", True),
        ("Did the Il-20 take off on 27 January?", "On 26 January, the Il-20 took off.", "",
         "2025-01-29", True),
    ],
)  # fmt: skip
def test_a_sentence_dated_to_another_day_does_not_answer(
    question: str, text: str, context: str, published: str, can_answer: bool
) -> None:
    candidate = sentence_of("a", published, text)
    candidate.context = context or text
    _ground_days(question, [candidate])
    assert candidate.can_answer == can_answer


@pytest.mark.parametrize(
    ("question", "text", "can_answer"),
    [
        # A "when" question needs a time, in any of the ways news writes one.
        ("When did the Kareliya pass the strait?", "The Kareliya passed the strait.", False),
        ("When did the Kareliya pass the strait?", "It passed on 26 January.", True),
        ("When was the game released?", "The game was released in May 2012.", True),
        ("When was the game released?", "Its 2012 release sold well.", True),
        ("When did the drills start?", "The drills started two weeks ago.", True),
        ("When did the drills start?", "The drills started on Sunday.", True),
        ("When was the Beijixing detected?", "At the same time, Japan detected it.", True),
        # A "how many/much" question needs a quantity, not only the numbers of a date.
        ("How much did the Kareliya cost to build?",
         "The Kareliya entered the sea on 7 January.", False),
        ("How many fighters will Misawa get?", "Misawa will get 48 F-35A fighters.", True),
        ("How long did the destroyer shadow it?", "It shadowed the ship for two days.", True),
        # Other questions are not typed here.
        ("Which ship passed the strait?", "It passed the strait.", True),
        ("Did the Kareliya pass the strait?", "The Kareliya passed the strait.", True),
    ],
)  # fmt: skip
def test_a_sentence_without_the_kind_of_value_asked_for_does_not_answer(
    question: str, text: str, can_answer: bool
) -> None:
    candidate = sentence_of("a", "2025-01-29", text)
    _ground_types(question, [candidate])
    assert candidate.can_answer == can_answer


def test_a_question_for_a_figure_no_source_gives_is_abstained(demo: Assistant) -> None:
    assert demo.ask("How much did the Kareliya cost to build?").abstained
    assert not demo.ask("How many F-35A fighters will Misawa get?").abstained


@pytest.mark.parametrize(
    ("before", "text", "read"),
    [
        ("Chinese firms shipped drone engines.", "The engines went through Central Asia.",
         "Chinese firms shipped drone engines. The engines went through Central Asia."),
        ("Chinese firms shipped drone engines.", "It went through Central Asia.",
         "Chinese firms shipped drone engines. It went through Central Asia."),
        # A noun the sentence before never named, or no sentence before: the sentence alone.
        ("Chinese firms shipped drone engines.", "The plant assembles Geran-2 drones.",
         "The plant assembles Geran-2 drones."),
        ("", "The engines went through Central Asia.", "The engines went through Central Asia."),
    ],
)  # fmt: skip
def test_a_sentence_is_read_after_the_one_it_points_back_at(
    before: str, text: str, read: str
) -> None:
    candidate = sentence_of("a", "2025-02-10", text)
    candidate.before = before
    assert with_what_it_points_back_at(candidate) == read


@pytest.mark.parametrize(
    ("before", "text", "read"),
    [
        # "the vessel" for the ship the sentence before names; "the ship" for it too.
        ("Japan detected the Chinese intelligence ship CNS Beijixing on 28 January.",
         "A P-3C patrol aircraft photographed the vessel as it sailed north-east.",
         "A P-3C patrol aircraft photographed the Chinese intelligence ship CNS Beijixing as "
         "it sailed north-east."),
        ("Among the assets was the Russian electronic intelligence ship Kareliya.",
         "The destroyer JS Suzutsuki shadowed the ship for two days.",
         "The destroyer JS Suzutsuki shadowed the Russian electronic intelligence ship "
         "Kareliya for two days."),
        # "The destroyer JS Suzutsuki" is named where it stands; a sentence that names the
        # ship itself is left as written.
        ("Japan detected the Chinese intelligence ship CNS Beijixing on 28 January.",
         "The Beijixing sailed on, and the ship was tracked for two days.",
         "The Beijixing sailed on, and the ship was tracked for two days."),
        # Two ships before it: which one "the vessel" is, the reader cannot tell.
        ("The Russian ship Kareliya and the Chinese ship CNS Beijixing sailed together.",
         "A patrol aircraft photographed the vessel.",
         "A patrol aircraft photographed the vessel."),
        # A kind the sentence before names no thing of, or no sentence before.
        ("Japan detected the Chinese intelligence ship CNS Beijixing on 28 January.",
         "The aircraft returned to Kanoya.", "The aircraft returned to Kanoya."),
        ("", "The destroyer shadowed the ship.", "The destroyer shadowed the ship."),
    ],
)  # fmt: skip
def test_a_thing_a_sentence_points_back_at_is_named_for_the_entailment_judge(
    before: str, text: str, read: str
) -> None:
    candidate = sentence_of("a", "2025-02-10", text)
    candidate.before = before
    assert with_its_referents_named(candidate) == read


def test_a_claim_about_a_ship_a_sentence_calls_the_vessel_is_backed(demo: Assistant) -> None:
    """ "A P-3C patrol aircraft … photographed the vessel" speaks of the Beijixing, which the
    sentence before names: it backs a paraphrase about the Beijixing, and no longer one
    about another ship."""
    photographed = "took pictures of the Beijixing while it was steaming north-east."
    assert demo.check(f"A Japanese maritime patrol plane {photographed}").verdict == "supported"
    other = demo.check("A patrol plane photographed the Kareliya as it sailed north-east.")
    assert other.verdict != "supported"


def test_a_denial_in_another_article_disputes_what_a_sentence_says_after_the_one_before(
    demo: Assistant,
) -> None:
    """ "The engines travelled through trading firms in Central Asia" carries the shipments
    Beijing denied only after its sentence before; so the answer shows the denial."""
    answer = demo.ask("What route did the Chinese drone engines take to reach Tatarstan?")
    assert "Central Asia" in answer.answer
    assert any(flag["kind"] == "denied" for flag in answer.contested)
    checked = demo.check(
        "Chinese drone engines reached Tatarstan through middlemen in Central Asia."
    )
    assert checked.verdict == "contested"


def test_a_question_about_a_day_the_sources_do_not_cover_is_abstained(demo: Assistant) -> None:
    """The Il-20 flew on 26 January; on the 27th the sources say nothing it did."""
    assert demo.ask("What did the Il-20 do on 27 January?").abstained
    answer = demo.ask("What did the Il-20 do on 26 January?")
    assert not answer.abstained and "Sea of Okhotsk" in answer.answer

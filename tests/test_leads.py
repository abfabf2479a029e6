"""Who/which answers open with the name asked for, cited, only when the best sentence gives
exactly one name the question does not and ties it to the question (issue 18, item 2). A wrong
name said first misleads more than none: most cases here are ones that must state nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.leads import (
    _anchor,
    _anchored,
    _described_noun,
    _name_openers,
    _names,
    converging,
    description_parts,
)
from assistant.service import Assistant
from tests.sentences import sentence_of


@pytest.mark.parametrize(
    ("sentence", "asked", "person", "names"),
    [
        # The question's own names, nationalities, months and function words are no answer.
        (
            "The destroyer JS Suzutsuki shadowed the Beijixing on 30 January.",
            {"beijixing"},
            False,
            ["JS Suzutsuki"],
        ),
        ("Japanese forces spotted it in January.", set(), False, []),
        # A word capitalised only because it opens the sentence (or a quotation) is no name;
        # one the sources write capitalised inside a sentence is.
        ("Officials said the plan failed.", set(), False, []),
        ('"Terrorists attacked the convoy," the army said.', set(), False, []),
        ("Beijing has dismissed these claims.", set(), False, ["Beijing"]),
        # "Who" asks for a person: an acronym is not one. A possessor is not what is named.
        ("The court heard Bankman-Fried, the FTX founder.", set(), True, ["Bankman-Fried"]),
        ("The court heard Bankman-Fried, the FTX founder.", set(), False, ["Bankman-Fried", "FTX"]),
        ("Prime Minister Fumio Kishida's spokesman criticised it.", set(), True, []),
        # A country the question names in another form is its own name ("US").
        ("The United States will replace the F-16s.", {"us"}, False, ["F-16s"]),
        # The outlet that prints the sentence is not what it reports.
        ("Meridian Wire reported that Kareliya sailed.", set(), False, ["Kareliya"]),
    ],
)
def test_the_names_a_sentence_gives(
    sentence: str, asked: set[str], person: bool, names: list[str]
) -> None:
    proper = {"Beijing", "Kareliya", "Bankman-Fried", "Meridian", "JS", "Prime"}
    assert _names(sentence, asked, {"meridian wire"}, proper, person=person) == names


@pytest.mark.parametrize(
    ("question", "name", "sentence", "tied"),
    [
        # Right after the noun asked about (a naming word or a comma between), or holding it.
        ("Which destroyer shadowed it?", "JS Suzutsuki", "The destroyer JS Suzutsuki shadowed "
         "the ship.", True),
        ("Which Russian spy ship sailed?", "Kareliya", "The spy ship, Kareliya, sailed.", True),
        ("Which ship sailed?", "Kareliya", "A ship called Kareliya sailed.", True),
        ("Which air base sent them?", "Naha Air Base", "Fighters from Naha Air Base flew.", True),
        # Not after a possessive, a relative clause, or anything but the noun.
        ("Which destroyer sailed?", "Kenji Ito", "The destroyer's captain, Kenji Ito, spoke.",
         False),
        ("Which destroyer sailed?", "Ito", "The destroyer, which Captain Ito commands, sailed.",
         False),
        ("Which ship sank?", "Lampedusa", "The ship sank near Lampedusa on Tuesday.", False),
        ("Which unit is leaving?", "United States", "The United States unit is leaving.", False),
        # "who <verb>": the name just before a form of the verb, auxiliaries between.
        ("Who dismissed the claims?", "Beijing", "Beijing has dismissed these claims.", True),
        ("Who dismissed the claims?", "Moscow", "Beijing dismissed what Moscow said.", False),
        ("Who attacked the dam?", "Russia", "Russia blamed the attack on Ukraine.", False),
        ("Who sold the shares?", "Kyiv", "Kyiv soldiers held the line.", False),
    ],
)  # fmt: skip
def test_a_name_is_stated_only_where_the_sentence_ties_it_to_the_question(
    question: str, name: str, sentence: str, tied: bool
) -> None:
    anchor = _anchor(question)
    assert anchor is not None and _anchored(name, anchor, sentence) == tied


@pytest.mark.parametrize(
    "question",
    [
        "Who is the founder of FTX?",  # "who is": no verb to stand before
        "Where did the Il-20 take off from?",
        "Which ships sailed through the strait?",  # a plural: there may be several
        "Which year did the festival open?",  # a time, not a name
        "Which edition of the snow festival opened this year?",  # not "Odori Park"
        "What kind of ship is the Kareliya?",
        "Which of the ships sailed first?",
        "Which one of the ships sailed first?",
    ],
)
def test_no_name_is_stated_for_these_questions(question: str) -> None:
    assert _anchor(question) is None


def test_a_which_answer_states_the_name_first_cited(demo: Assistant) -> None:
    answer = demo.ask("Which destroyer shadowed the Beijixing?")
    name, _, marker = answer.verdict_line.partition(" [")
    assert name == "JS Suzutsuki" and answer.answer.startswith(answer.verdict_line)
    number = int(marker.removesuffix("]."))
    assert "JS Suzutsuki" in answer.citations[number - 1].quote


def test_a_who_answer_states_who_did_it(demo: Assistant) -> None:
    answer = demo.ask("Who dismissed the claims about drone components?")
    assert answer.verdict_line.startswith("Beijing [")


def test_no_name_is_stated_when_the_sentence_gives_several(demo: Assistant) -> None:
    """The Kareliya sentence also names the East China Sea and the Sea of Japan: which one the
    question asks for is not read, so none is said first."""
    answer = demo.ask("Which ship passed through the Tsushima Strait?")
    assert not answer.abstained and answer.verdict_line == ""
    assert "Kareliya" in answer.answer


# Three reports on one businessman from two outlets, and one on another: a question that
# describes him by what each outlet reports is answered by the name they share.
FERRY_REPORTS = {
    "2025-03-03-fjord-gazette-ferry-sale.md": (
        "Skagerrak Lines sold to Danish group",
        "Fjord Gazette",
        "2025-03-03",
        "On Monday, Halvard Moen, who founded Skagerrak Lines in 1998, sold the ferry operator "
        "to a Danish shipping group. Moen said the sale of the ferry operator would close in "
        "March. The buyer plans to keep the Bergen route.",
    ),
    "2025-03-06-northern-ledger-inquiry.md": (
        "Prosecutors open fraud inquiry into ferry founder",
        "Northern Ledger",
        "2025-03-06",
        "Prosecutors in Bergen opened a fraud inquiry into Moen on Thursday. Moen's lawyer, "
        "Ingrid Dahl, said her client denied any wrongdoing. The inquiry concerns fuel "
        "subsidies paid between 2019 and 2022.",
    ),
    "2025-03-07-northern-ledger-harbour.md": (
        "Bergen harbour fees rise",
        "Northern Ledger",
        "2025-03-07",
        "Bergen raised its harbour fees for ferries by four percent. Harbour director Per Olsen "
        "said the money would pay for new quays.",
    ),
}


def _indexed(root: Path, reports: dict, embeddings) -> Assistant:  # type: ignore[no-untyped-def, type-arg]
    from assistant.config import Settings

    sources = root / "sources"
    sources.mkdir()
    for name, (title, outlet, published, body) in reports.items():
        front = f"---\ntitle: {title}\noutlet: {outlet}\npublished: {published}\n---\n\n"
        (sources / name).write_text(f"{front}# {title}\n\n{body}\n", encoding="utf-8")
    assistant = Assistant(
        Settings(sources_dir=sources, index_dir=root / "index"), embeddings=embeddings
    )
    assert not assistant.ingest().failed
    return assistant


@pytest.fixture(scope="module")
def ferry(tmp_path_factory: pytest.TempPathFactory, embeddings) -> Assistant:  # type: ignore[no-untyped-def]
    return _indexed(tmp_path_factory.mktemp("ferry"), FERRY_REPORTS, embeddings)


def test_a_description_is_answered_by_the_name_its_reports_share(ferry: Assistant) -> None:
    """Neither sentence ties "Moen" to "businessman"; both reports name him, one in full, so
    the full name is stated, cited where it is written."""
    answer = ferry.ask(
        "Who is the businessman that sold a ferry operator, according to Fjord Gazette, and "
        "is the subject of a fraud inquiry reported by Northern Ledger?"
    )
    name, _, marker = answer.verdict_line.partition(" [")
    assert name == "Halvard Moen"
    assert "Halvard Moen" in answer.citations[int(marker.removesuffix("].")) - 1].quote


def test_a_description_whose_noun_the_best_sentence_names_states_that_name(
    ferry: Assistant,
) -> None:
    """Moen is named most, but the lawyer asked for is the one "lawyer" is written beside."""
    answer = ferry.ask(
        "Who is the lawyer that, according to Northern Ledger, said her client denied any "
        "wrongdoing?"
    )
    assert answer.verdict_line.startswith("Ingrid Dahl [")


def test_a_name_from_one_report_only_is_not_stated_for_a_description(ferry: Assistant) -> None:
    """Per Olsen is named by one article alone: a description in parts is not answered by it."""
    answer = ferry.ask(
        "Who is the official that, according to Northern Ledger, raised harbour fees for "
        "ferries in Bergen?"
    )
    assert not answer.verdict_line.startswith("Per Olsen")


def test_the_passages_of_each_outlet_a_question_names_are_searched(ferry: Assistant) -> None:
    from assistant.outlets import OutletQuestions

    passages = OutletQuestions(ferry).passages(
        "Which businessman is in the news, according to Fjord Gazette and Northern Ledger?",
        1,
        None,
    )
    assert {p.outlet for p in passages} == {"Fjord Gazette", "Northern Ledger"}


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        (
            "Who is the individual that, according to Fjord Gazette, bought an airline in 2010 "
            "and, as Northern Ledger reports, won a local election?",
            ["bought an airline in 2010", "won a local election"],
        ),
        (
            "Which company, recently noted by 'Northern Ledger' for its browser deal with phone "
            "makers, was acquired by Microsoft in Europe and is also reported by Fjord Gazette "
            "to pay billions for search?",
            [
                "recently noted for its browser deal with phone makers",
                "was acquired by Microsoft in Europe",
                "is also reported to pay billions for search",
            ],
        ),
    ],
)
def test_the_parts_of_a_description(question: str, parts: list[str]) -> None:
    """Its clauses, without the question's opening and without which outlet reported each
    part; another name after "by" or "in" stays."""
    assert description_parts(question, {"fjord gazette", "northern ledger"}) == parts


@pytest.fixture(scope="module")
def ferry_strict(ferry: Assistant, embeddings) -> Assistant:  # type: ignore[no-untyped-def]
    """The ferry reports, with an answer level no sentence reaches: a long description is
    often read so by the judge, each sentence giving one part of it."""
    judges = ferry.settings.judges.model_copy(update={"answers": 0.99})
    return Assistant(ferry.settings.model_copy(update={"judges": judges}), embeddings=embeddings)


def test_a_description_no_sentence_answers_alone_gets_the_name_its_reports_share(
    ferry_strict: Assistant,
) -> None:
    answer = ferry_strict.ask(
        "Who is the man that, according to Fjord Gazette, sold a ferry operator to a Danish "
        "group, and faces a fraud inquiry by prosecutors in Bergen, as Northern Ledger reports?"
    )
    assert answer.verdict_line.startswith("Halvard Moen [")
    assert {c.outlet for c in answer.citations} == {"Fjord Gazette", "Northern Ledger"}


def test_a_description_the_reports_do_not_give_is_abstained(ferry_strict: Assistant) -> None:
    """Moen is named in both outlets' best sentences whatever is asked; he is not the answer
    when no report gives a part of the description."""
    answer = ferry_strict.ask(
        "Who is the individual that, according to Fjord Gazette, bought an airline in 2010 and, "
        "as Northern Ledger reports, won a local election?"
    )
    assert answer.abstained


# A rescue reported by the surname alone; the pilot named in full in another outlet's report.
PILOT_REPORTS = {
    "2025-04-01-harbour-times-tanker.md": (
        "Tanker docks after storm",
        "Harbour Times",
        "2025-04-01",
        "Harbour pilot Ragnhild Saetre guided the tanker into port on Tuesday. The tanker "
        "carried 40,000 tonnes of fuel.",
    ),
    "2025-04-04-harbour-times-medal.md": (
        "Coastguard medal for harbour pilot",
        "Harbour Times",
        "2025-04-04",
        "On Friday the coastguard gave its medal to pilot Ragnhild Saetre.",
    ),
    "2025-04-03-coast-post-rescue.md": (
        "Pilot honoured for night rescue",
        "Coast Post",
        "2025-04-03",
        "On Wednesday night, Saetre rescued two fishermen off Stavanger. The coastguard praised "
        "the rescue.",
    ),
}


def test_a_surname_is_stated_as_the_sources_write_it_in_full(
    tmp_path: Path,
    embeddings,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The one passage read names "Saetre" only; another outlet's report writes "Ragnhild
    Saetre", which is stated, cited where it is written. Off, the surname stays."""
    assistant = _indexed(tmp_path, PILOT_REPORTS, embeddings)
    question = "Who rescued two fishermen off Stavanger?"
    answer = assistant.ask(question, k=1)
    name, _, marker = answer.verdict_line.partition(" [")
    assert name == "Ragnhild Saetre"
    cited = answer.citations[int(marker.removesuffix("].")) - 1]
    assert "Ragnhild Saetre" in cited.quote and cited.outlet == "Harbour Times"
    monkeypatch.setattr(assistant.settings.answer, "fuller_name_k", 0)
    assert assistant.ask(question, k=1).verdict_line.startswith("Saetre [")


def test_a_fuller_form_written_once_elsewhere_is_not_taken(
    tmp_path: Path,
    embeddings,  # type: ignore[no-untyped-def]
) -> None:
    """One mention of "Ragnhild Saetre" in another report is too little: another Saetre may
    have rescued the fishermen."""
    reports = {n: r for n, r in PILOT_REPORTS.items() if "medal" not in n}
    assistant = _indexed(tmp_path, reports, embeddings)
    answer = assistant.ask("Who rescued two fishermen off Stavanger?", k=1)
    assert answer.verdict_line.startswith("Saetre [")


def test_a_surname_two_people_share_is_left_as_written(
    tmp_path: Path,
    embeddings,  # type: ignore[no-untyped-def]
) -> None:
    """Two Saetres in the sources: no one fuller form, so the answer says "Saetre"."""
    reports = {
        **PILOT_REPORTS,
        "2025-04-02-harbour-times-school.md": (
            "New head for maritime school",
            "Harbour Times",
            "2025-04-02",
            "On Saturday, Eirik Saetre became head of the Stavanger maritime school.",
        ),
    }
    assistant = _indexed(tmp_path, reports, embeddings)
    answer = assistant.ask("Who rescued two fishermen off Stavanger?", k=1)
    assert answer.verdict_line.startswith("Saetre [")


def _name_given(question: str, sentences: list[tuple[str, str]]) -> str | None:
    candidates = [sentence_of(article, "2023-11-01", text) for text, article in sentences]
    found = converging(question, set(), candidates)
    return found[0].name if found else None


def test_a_clipped_name_counts_as_the_name_it_clips_stated_in_full() -> None:
    # "Fed" three times, "Federal Reserve" once: one institution, named in full.
    sentences = [
        ("Home prices boomed before Fed officials were forced to hike rates.", "a"),
        ("The Fed has insisted it will make decisions on incoming data.", "b"),
        ("Investors hope the Federal Reserve is done raising rates.", "b"),
        ("Eventually the Fed will cut interest rates.", "a"),
        ("Treasury yields rose on Tuesday.", "b"),
    ]
    assert _name_given("What institution, reported by A and B, raised rates?", sentences) == (
        "Federal Reserve"
    )


def test_names_given_equally_often_are_told_apart_by_the_next_best_sentences() -> None:
    best = [
        ("Using Caroline Ellison as a front, Bankman-Fried had access to the money.", "a"),
        ("Bankman-Fried was even compared to Warren Buffett.", "b"),
        ("The trial heard from Ellison for three days.", "b"),
        ("In fact, he pointed the finger at the CEO.", "a"),
    ]
    filler = [(f"The jury heard witness number {n} on Monday.", "c") for n in range(6)]
    rest = [("Bankman-Fried faces seven counts of fraud.", "c")]
    question = "Who is the individual that, as A and B report, faced fraud charges?"
    assert _name_given(question, best + filler) is None  # a tie, and nothing else to go on
    assert _name_given(question, best + filler + rest) == "Bankman-Fried"


def test_a_word_shouted_for_emphasis_ends_a_name() -> None:
    sentence = "Week 4 was the first time the Vikings DIDN'T throw on 69% of their snaps."
    assert _names(sentence, set(), set(), set(), person=False) == ["Vikings"]
    assert _names("It was 'Barbie' that won.", set(), set(), set(), person=False) == ["Barbie"]
    # An abbreviation in capitals that spells a function word does not empty the name.
    chaired = "The meeting was chaired by US President Joe Biden on Monday."
    proper = {"US", "President", "Joe", "Biden"}
    assert _names(chaired, set(), set(), proper, person=False) == ["President Joe Biden"]


def test_a_name_is_clipped_only_to_half_its_first_word_or_less() -> None:
    sentences = [
        ("Japan protested the incursion on Tuesday.", "a"),
        ("The Japan Coast Guard tracked the ship.", "b"),
        ("Japan summoned the ambassador.", "b"),
    ]
    question = "Which country, reported by A and B, protested the incursion?"
    assert _name_given(question, sentences) == "Japan"


def test_a_name_that_opens_a_sentence_is_read_whole() -> None:
    sentences = [
        ("Manchester United are out of Europe after a loss at Old Trafford.", "a"),
        ("While Swift has attended games, Kelce has gone to her shows.", "b"),
        ("Yesterday Biden said that yesterday was long.", "c"),
    ]
    openers = _name_openers(
        [sentence_of(article, "2023-11-01", text) for text, article in sentences]
    )
    assert openers == {"Manchester"}


def test_a_description_of_a_ship_is_not_answered_by_the_sea_its_reports_name() -> None:
    # Every report names the seas the ship sailed; the ship is what the question asks for.
    sentences = [
        ("The Kareliya transited from the East China Sea to the Sea of Japan.", "a"),
        ("The Kareliya entered the East China Sea on 7 January.", "b"),
        ("The Kareliya crossed the Sea of Okhotsk in late January.", "b"),
        ("Ships also crossed the East China Sea in February.", "a"),
    ]
    question = "Which vessel, reported by A and B, sailed through the strait?"
    assert _name_given(question, sentences) == "Kareliya"
    assert _described_noun("What is the name of the Russian spy vessel that sailed?") == ("vessel")


def test_a_country_is_no_individual() -> None:
    sentences = [
        ("On Tuesday, China's foreign ministry denied the shipments.", "a"),
        ("Later, China's embassy called the report groundless.", "b"),
        ("Spokesperson Lin Jian denied the shipments.", "a"),
    ]
    question = "Who is the individual that, as A and B report, denied the shipments?"
    assert _name_given(question, sentences) is None


def test_a_question_in_one_piece_states_only_a_name_its_best_sentence_gives(
    demo: Assistant,
) -> None:
    """Not the place every report of the flight names ("Hokkaido"), where the best sentence
    answers with a name the question's noun does not tie ("The Joint Staff said …")."""
    answer = demo.ask("Who is the official that said the Il-20 did not violate Japanese airspace?")
    assert answer.verdict_line == "" and "Joint Staff" in answer.answer
    answer = demo.ask(
        "What is the name of the Russian spy vessel that sailed through the strait between "
        "Korea and Japan?"
    )
    assert answer.verdict_line.startswith("Kareliya [")

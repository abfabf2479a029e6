"""Who/which answers open with the name asked for, cited, only when the best sentence gives
exactly one name the question does not and ties it to the question (issue 18, item 2). A wrong
name said first misleads more than none: most cases here are ones that must state nothing."""

from __future__ import annotations

import pytest

from assistant.leads import _anchor, _anchored, _names
from assistant.service import Assistant


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

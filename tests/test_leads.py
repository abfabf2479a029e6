"""Who/which answers open with the name asked for, cited, only when the best sentence gives
exactly one name the question does not (issue 18, item 2)."""

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
        # A word capitalised only because it opens the sentence is no name; one the sources
        # write capitalised inside a sentence is.
        ("Officials said the plan failed.", set(), False, []),
        ("Beijing has dismissed these claims.", set(), False, ["Beijing"]),
        # "Who" asks for a person: an acronym is not one.
        ("The court heard Bankman-Fried, the FTX founder.", set(), True, ["Bankman-Fried"]),
        ("The court heard Bankman-Fried, the FTX founder.", set(), False, ["Bankman-Fried", "FTX"]),
        # A country the question names in another form is its own name ("US").
        ("The United States will replace the F-16s.", {"us"}, False, ["F-16s"]),
        # The outlet that prints the sentence is not what it reports.
        ("Meridian Wire reported that Kareliya sailed.", set(), False, ["Kareliya"]),
    ],
)
def test_the_names_a_sentence_gives(
    sentence: str, asked: set[str], person: bool, names: list[str]
) -> None:
    proper = {"Beijing", "Kareliya", "Bankman-Fried", "Meridian", "JS"}
    assert _names(sentence, asked, {"meridian wire"}, proper, person=person) == names


@pytest.mark.parametrize(
    ("question", "name", "sentence", "tied"),
    [
        # Right after the noun asked about, or holding it.
        ("Which destroyer shadowed it?", "JS Suzutsuki", "The destroyer JS Suzutsuki shadowed "
         "the ship.", True),
        ("Which air base sent them?", "Naha Air Base", "Fighters from Naha Air Base flew.", True),
        # The one name of a sentence that does not say what was asked is not stated.
        ("Which edition opened?", "Odori Park", "The 75th festival opened in Odori Park.", False),
        ("Which unit is leaving?", "United States", "The United States unit is leaving.", False),
        ("Which spy ship sailed?", "Kareliya", "The spy ship Kareliya sailed.", True),
        # "who <verb>": the name before the verb; "who is …" ties no name.
        ("Who dismissed the claims?", "Beijing", "Beijing has dismissed these claims.", True),
        ("Who dismissed the claims?", "Moscow", "Beijing dismissed what Moscow said.", False),
        ("Who is the founder?", "Bankman-Fried", "Bankman-Fried is the founder.", False),
        ("Which of the ships sailed?", "Japan", "The Sea of Japan ships sailed.", False),
    ],
)  # fmt: skip
def test_a_name_is_stated_only_where_the_sentence_ties_it_to_the_question(
    question: str, name: str, sentence: str, tied: bool
) -> None:
    anchor = _anchor(question)
    assert (anchor is not None and _anchored(name, anchor, sentence)) == tied


def test_a_which_answer_states_the_name_first_cited(demo: Assistant) -> None:
    answer = demo.ask("Which destroyer shadowed the Beijixing?")
    name, _, marker = answer.verdict_line.partition(" [")
    assert name == "JS Suzutsuki" and answer.answer.startswith(answer.verdict_line)
    number = int(marker.removesuffix("]."))
    assert "JS Suzutsuki" in answer.citations[number - 1].quote


def test_its_article_may_tie_the_name_to_the_noun(demo: Assistant) -> None:
    """ "From 25 January … the Kareliya transited …" says no "ship"; its article calls the
    Kareliya an intelligence ship before."""
    answer = demo.ask(
        "Which Russian spy ship sailed through the Tsushima Strait into the Sea of Japan?"
    )
    assert answer.verdict_line.startswith("Kareliya [")


def test_no_name_is_stated_when_the_sentence_gives_several(demo: Assistant) -> None:
    """The Kareliya sentence also names the East China Sea and the Sea of Japan: which one the
    question asks for is not read, so none is said first."""
    answer = demo.ask("Which ship passed through the Tsushima Strait?")
    assert not answer.abstained and answer.verdict_line == ""
    assert "Kareliya" in answer.answer

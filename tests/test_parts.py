"""Yes/no questions that name two or more outlets: split into one part per outlet, each
answered from its outlet's articles alone, combined into one cited verdict (issue 18, item 2)."""

from __future__ import annotations

import pytest

from assistant.filters import SearchFilters
from assistant.parts import Part, named_outlets, split
from assistant.service import Assistant

OUTLETS = [
    "Baltic Courier",
    "Continental Times",
    "Meridian Wire",
    "Harbour Ledger",
    "Pacific Security Review",
    "Sporting News",
    "Yardbarker",
    "News",  # inside "Sporting News": the longer name wins
]


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        (
            "Does the 'Sporting News' article claim that the Lions won, while the 'Yardbarker' "
            "article discusses the injury report?",
            [
                Part("Sporting News", "statement", "The Lions won."),
                Part("Yardbarker", "subject", "the injury report"),
            ],
        ),
        (
            "Does the Baltic Courier report that Chinese companies shipped drone engines to "
            "Russia, while Continental Times says China's foreign ministry denied it?",
            [
                Part(
                    "Baltic Courier",
                    "statement",
                    "Chinese companies shipped drone engines to Russia.",
                ),
                Part(
                    "Continental Times",
                    "statement",
                    "China's foreign ministry denied that Chinese companies shipped drone engines "
                    "to Russia.",
                ),
            ],
        ),
        (
            "Does Meridian Wire report that the Kareliya passed the Tsushima Strait, and Harbour "
            "Ledger that the Beijixing was near Okinawa?",
            [
                Part("Meridian Wire", "statement", "The Kareliya passed the Tsushima Strait."),
                Part("Harbour Ledger", "statement", "The Beijixing was near Okinawa."),
            ],
        ),
        (
            "Does Harbour Ledger's report say the Beijixing was near Okinawa, while Meridian "
            "Wire covers the Kareliya?",
            [
                Part("Harbour Ledger", "statement", "The Beijixing was near Okinawa."),
                Part("Meridian Wire", "subject", "the Kareliya"),
            ],
        ),
    ],
)
def test_a_question_is_cut_between_the_outlets_it_names(question: str, parts: list[Part]) -> None:
    assert split(question, OUTLETS) == parts


@pytest.mark.parametrize(
    "question",
    [
        "Does Meridian Wire mention the Kareliya?",  # one outlet: the ordinary yes/no path
        "When did Meridian Wire and Harbour Ledger report on the Beijixing?",  # not yes/no
        "Do Meridian Wire and Harbour Ledger agree on the Beijixing?",  # no part per outlet
    ],
)
def test_other_questions_are_left_whole(question: str) -> None:
    assert split(question, OUTLETS) is None


@pytest.mark.parametrize(
    "question",
    [
        # Nothing of its own to check: the part only points back or gives a bare value.
        "Does Meridian Wire report that the ship sank, while Harbour Ledger says that it did not?",
        "Does Meridian Wire report that the ship sank, while Harbour Ledger says so too?",
        "Does Meridian Wire claim 40 people died, while Harbour Ledger reports 12?",
        "Does Meridian Wire report that the ship sank, while Harbour Ledger covers it?",
    ],
)
def test_a_part_with_nothing_to_check_leaves_the_question_whole(question: str) -> None:
    assert split(question, OUTLETS) is None


def test_only_a_reported_it_is_spelled_out() -> None:
    parts = split(
        "Does Meridian Wire report that talks failed, while Harbour Ledger says fighting "
        "resumed after that?",
        OUTLETS,
    )
    assert parts is not None and parts[1].text == "Fighting resumed after that."
    parts = split(
        "Does Meridian Wire mention that the ship sank, while Harbour Ledger covers the rescue?",
        OUTLETS,
    )
    assert parts == [
        Part("Meridian Wire", "statement", "The ship sank."),
        Part("Harbour Ledger", "subject", "the rescue"),
    ]


def test_the_longer_outlet_name_wins() -> None:
    mentions = named_outlets("Did the 'Sporting News' piece say so?", OUTLETS)
    assert [outlet for *_, outlet in mentions] == ["Sporting News"]


def test_a_part_that_refers_back_is_spelled_out() -> None:
    parts = split(
        "Does the Baltic Courier report that Chinese companies shipped drone engines to "
        "Russia, while Continental Times says China's foreign ministry denied it?",
        OUTLETS,
    )
    assert parts is not None
    assert parts[1].text == (
        "China's foreign ministry denied that Chinese companies shipped drone engines to Russia."
    )


def test_each_part_is_answered_from_its_outlet(demo: Assistant) -> None:
    answer = demo.ask(
        "Does Meridian Wire report that the Kareliya passed the Tsushima Strait, and Harbour "
        "Ledger that the Beijixing was near Okinawa?"
    )
    assert answer.verdict == "supported"
    line = answer.verdict_line or ""
    assert line.startswith("Yes: Meridian Wire [1] says so; Harbour Ledger [2] says so.")
    assert [c.outlet for c in answer.citations] == ["Meridian Wire", "Harbour Ledger"]


def test_a_subject_is_found_in_its_outlet_or_the_answer_is_no(demo: Assistant) -> None:
    """Continental Times reported China's denial; Harbour Ledger wrote about the Beijixing."""
    asked = (
        "Does the Baltic Courier report that Chinese companies shipped drone engines to "
        "Russia, while {} covers China's denial?"
    )
    yes = demo.ask(asked.format("Continental Times"))
    assert yes.verdict == "supported"
    assert {c.outlet for c in yes.citations} == {"Baltic Courier", "Continental Times"}
    no = demo.ask(asked.format("Harbour Ledger"))
    assert no.verdict == "contradicted"
    assert (no.verdict_line or "").startswith(
        "No: Baltic Courier [1] says so; Harbour Ledger does not cover China's denial."
    )
    assert {c.outlet for c in no.citations} == {"Baltic Courier"}


def test_an_outlet_the_filters_exclude_is_not_said_to_be_silent(demo: Assistant) -> None:
    answer = demo.ask(
        "Does Meridian Wire report that the Kareliya passed the Tsushima Strait, and Harbour "
        "Ledger that the Beijixing was near Okinawa?",
        filters=SearchFilters(outlets=["Meridian Wire"]),
    )
    assert "Harbour Ledger does not say" not in answer.answer
    assert {c.outlet for c in answer.citations} <= {"Meridian Wire"}

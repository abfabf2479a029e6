"""What one outlet says (``assistant.overview``): the leads of its latest articles, or what
its articles say about a subject."""

from __future__ import annotations

import pytest

from assistant.filters import SearchFilters
from assistant.overview import OutletAsked, covered_topic, outlet_asked_about
from assistant.service import Assistant

OUTLETS = ["Continental Times", "Northern Dispatch", "Harbour Ledger"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What does Continental Times say?", OutletAsked("Continental Times", None)),
        ("What did the Northern Dispatch report?", OutletAsked("Northern Dispatch", None)),
        ("Summarise the Harbour Ledger coverage.", OutletAsked("Harbour Ledger", None)),
        ("What has Harbour Ledger's latest reporting said?", OutletAsked("Harbour Ledger", None)),
        (
            "What does Continental Times say about the engines?",
            OutletAsked("Continental Times", "the engines"),
        ),
        # Another question about an outlet, or about two.
        ("What did Northern Dispatch say the scramble count was?", None),
        ("What does Continental Times say that Harbour Ledger does not?", None),
        ("What does the ministry say?", None),
    ],
)
def test_a_question_about_what_one_outlet_says(question: str, expected: OutletAsked | None) -> None:
    assert outlet_asked_about(question, OUTLETS) == expected


def test_an_outlet_is_summed_up_by_what_its_articles_lead_with(demo: Assistant) -> None:
    answer = demo.ask("What did Northern Dispatch report?")
    line = answer.verdict_line or ""
    assert line.startswith("Northern Dispatch, 3 articles: “Japan scrambled fighter jets 704 times")
    assert "(2025-01-27)" in line and line.endswith("What they lead with:")
    quoted = {n for s in answer.sentences for n in s.citations}
    assert {c.outlet for c in answer.citations if c.n in quoted} == {"Northern Dispatch"}
    # Its 704 is contested by a later report in another outlet: the flag comes along, cited.
    conflict = next(f for f in answer.contested if f["kind"] == "conflict")
    assert conflict["disputed_by"] == "Defense Notes Weekly"


def test_what_an_outlet_says_about_a_subject(demo: Assistant) -> None:
    answer = demo.ask("What does Continental Times say about the engines?")
    assert not answer.abstained
    assert {c.outlet for c in answer.citations} == {"Continental Times"}
    assert "denied" in answer.answer
    # A subject the outlet does not cover: another outlet's sentence never stands in.
    other_subject = demo.ask("What does Continental Times say about Japan's fighter scrambles?")
    assert other_subject.abstained
    assert other_subject.answer.startswith("The sources do not say: Continental Times does not")
    # Filtered to other outlets, it is not this outlet's answer.
    other = demo.ask(
        "What does Continental Times say?", filters=SearchFilters(outlets=["Harbour Ledger"])
    )
    assert "Continental Times" not in {c.outlet for c in other.citations}


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Which outlets reported on the Beijixing?", "the Beijixing"),
        ("What sources have covered the Misawa upgrade?", "the Misawa upgrade"),
        ("Which outlet mentioned the Sapporo Snow Festival?", "the Sapporo Snow Festival"),
        # A statement, an order or a comparison: asked elsewhere.
        ("Which outlets reported that the Beijixing was spotted?", None),
        ("Which outlet reported first on the Beijixing?", None),
        ("Which outlet reported more scrambles?", None),
        ("Which outlet reported fewer scrambles?", None),
        ("Which ship reported to the base?", None),
    ],
)
def test_a_question_about_which_outlets_cover_a_subject(question: str, topic: str | None) -> None:
    assert covered_topic(question) == topic


def test_the_outlets_that_cover_a_subject_earliest_first(demo: Assistant) -> None:
    answer = demo.ask("Which outlets reported on the Beijixing?")
    assert (answer.verdict_line or "").startswith(
        "Meridian Wire [1], Pacific Security Review [2] and Harbour Ledger [3] cover the Beijixing"
    )
    # The Kyushu Evening Post reprints Meridian Wire: no report of its own.
    assert "Kyushu Evening Post" not in (answer.verdict_line or "")
    # A subject no article covers is answered as any other question: not in the sources.
    assert demo.ask("Which outlets reported on the Admiral Kuznetsov?").abstained

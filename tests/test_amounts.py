"""Questions that compare two reports' figures (``assistant.amounts``): how they are read, which
figure of a sentence is the one asked for, when a bound leaves the answer open, and the answers
on the demo corpus."""

from __future__ import annotations

import pytest

from assistant.amounts import as_written, figure_of, figure_question, holds
from assistant.candidates import collect_candidates
from assistant.comparisons import Side
from assistant.service import Assistant
from assistant.types import Chunk, Passage
from assistant.values import figures

OUTLETS = ["Northern Dispatch", "Defense Notes Weekly", "Harbour Ledger"]


@pytest.mark.parametrize(
    ("question", "sides", "subjects", "relation"),
    [
        (
            "Did Northern Dispatch report more scrambles than Defense Notes Weekly?",
            ("Northern Dispatch", "Defense Notes Weekly"),
            ("scrambles", "scrambles"),
            "more",
        ),
        (
            "Does the Harbour Ledger article give a lower death toll than Northern Dispatch?",
            ("Harbour Ledger", "Northern Dispatch"),
            ("death toll", "death toll"),
            "less",
        ),
        (
            "Did Harbour Ledger report a higher price for the Osaka tower than Northern "
            "Dispatch reported for the Kobe tower?",
            ("Harbour Ledger", "Northern Dispatch"),
            ("price for the Osaka tower", "price for the Kobe tower"),
            "more",
        ),
        (
            "Did Northern Dispatch and Defense Notes Weekly report the same number of scrambles?",
            ("Northern Dispatch", "Defense Notes Weekly"),
            ("number of scrambles", "number of scrambles"),
            "same",
        ),
        # Agreement on a figure is the same figure; disagreement, another one.
        (
            "Did Northern Dispatch and Defense Notes Weekly agree on the number of scrambles?",
            ("Northern Dispatch", "Defense Notes Weekly"),
            ("number of scrambles", "number of scrambles"),
            "same",
        ),
        (
            "Do Harbour Ledger and Northern Dispatch differ on how many ships sailed?",
            ("Harbour Ledger", "Northern Dispatch"),
            ("how many ships sailed", "how many ships sailed"),
            "different",
        ),
        (
            "Do Harbour Ledger and Northern Dispatch give different figures for the budget?",
            ("Harbour Ledger", "Northern Dispatch"),
            ("figures for the budget", "figures for the budget"),
            "different",
        ),
        (
            "Is the scramble count in Northern Dispatch higher than in Defense Notes Weekly?",
            ("Northern Dispatch", "Defense Notes Weekly"),
            ("scramble count", "scramble count"),
            "more",
        ),
        (
            "Is Harbour Ledger's death toll lower than Northern Dispatch's?",
            ("Harbour Ledger", "Northern Dispatch"),
            ("death toll", "death toll"),
            "less",
        ),
    ],
)
def test_a_figure_question_names_two_reports_and_what_each_figure_is_of(
    question: str, sides: tuple[str, str], subjects: tuple[str, str], relation: str
) -> None:
    asked = figure_question(question, OUTLETS)
    assert asked is not None
    assert tuple(side.outlet for side in asked.sides) == sides
    assert asked.subjects == subjects
    assert asked.relation == relation


@pytest.mark.parametrize(
    ("question", "relation"),
    [
        (
            "Which outlet reported more scrambles, Northern Dispatch or Defense Notes Weekly?",
            "more",
        ),
        ("Which of Harbour Ledger and Northern Dispatch gave a lower death toll?", "less"),
        ("Between Harbour Ledger and Northern Dispatch, which reported fewer injuries?", "less"),
    ],
)
def test_which_of_two_reports_gives_the_higher_figure_is_a_figure_question(
    question: str, relation: str
) -> None:
    asked = figure_question(question, OUTLETS)
    assert asked is not None and asked.which and asked.relation == relation


@pytest.mark.parametrize(
    "question",
    [
        "How many scrambles did Northern Dispatch report?",
        "Did Northern Dispatch report more scrambles than last year?",  # one report only
        "Do Northern Dispatch and Defense Notes Weekly agree on the coverage of the scrambles?",
        "Did Japan scramble more jets than China?",
        # A condition after the second report, coverage instead of a figure, "from" that
        # belongs to what is counted: never read as a plain comparison of two figures.
        "Did Northern Dispatch report more scrambles than Defense Notes Weekly in fiscal 2023?",
        "Did Northern Dispatch report more about the scrambles than Defense Notes Weekly?",
        "Is the coverage of scrambles in Northern Dispatch different from Defense Notes Weekly?",
        "Did Harbour Ledger report more imports from Northern Dispatch than Meridian Wire?",
    ],
)
def test_other_questions_are_no_figure_questions(question: str) -> None:
    assert figure_question(question, OUTLETS) is None


def _figure(text: str):  # type: ignore[no-untyped-def]
    (found,) = figures(text)
    return found


@pytest.mark.parametrize(
    ("relation", "first", "second", "expected"),
    [
        ("more", "It flew 704 times.", "It flew 670 times.", True),
        ("less", "It flew 704 times.", "It flew 670 times.", False),
        ("different", "It flew 704 times.", "It flew 670 times.", True),
        ("same", "It flew 704 times.", "It flew 704 times.", True),
        ("same", "It flew 704 times.", "It flew 670 times.", False),
        # A bound decides only where the ranges part.
        ("more", "It flew more than 600 times.", "It flew 650 times.", None),
        ("more", "It flew more than 700 times.", "It flew 650 times.", True),
        ("less", "It flew fewer than 600 times.", "It flew 650 times.", True),
        ("same", "It flew about 650 times.", "It flew 650 times.", None),
    ],
)
def test_a_bound_leaves_a_comparison_open_where_its_range_overlaps(
    relation: str, first: str, second: str, expected: bool | None
) -> None:
    assert holds(relation, _figure(first), _figure(second)) is expected  # type: ignore[arg-type]


def _sentences(*texts: str) -> list:  # type: ignore[type-arg]
    """One article's sentences as candidates, in order."""
    body = " ".join(texts)
    spans, at = [], 0
    for text in texts:
        start = body.index(text, at)
        spans.append((start, start + len(text)))
        at = start + len(text)
    chunk = Chunk(
        chunk_id="a1-0",
        article_id="a1",
        index=0,
        start=0,
        end=len(body),
        text=body,
        sentences=spans,
    )
    passage = Passage(
        chunk=chunk,
        article_id="a1",
        source="test",
        path="a1.md",
        title="Ferry fares",
        outlet="Harbour Ledger",
        published="2025-03-01",
        url=None,
        illustrative=True,
    )
    return collect_candidates([passage])


def test_the_figure_asked_for_is_the_one_its_words_stand_beside() -> None:
    ranked = _sentences(
        "For the Oslo route, a $5 deposit gets riders $150 in fare credit after their first trip."
    )
    found = figure_of("fare credit for new riders", ranked, lambda _c: True)
    assert found is not None and as_written(found.figure, found.sentence.text) == "$150"


def test_a_share_is_no_count_and_several_unlabelled_figures_give_none() -> None:
    shares = _sentences("About 64 percent of the crossings were at night.")
    assert figure_of("number of crossings", shares, lambda _c: True) is None
    found = figure_of("share of crossings at night", shares, lambda _c: True)
    assert found is not None and as_written(found.figure, found.sentence.text) == "About 64 percent"
    # Three figures, none beside "fare": the sentence gives no fare.
    several = _sentences("Moen sold 3 ferries, 12 buses and 40 vans in 2024.")
    assert figure_of("fare for Moen", several, lambda _c: True) is None


def test_a_figure_that_changed_is_read_where_it_ended() -> None:
    ranked = _sentences("The death toll climbed from 10 on Friday to 25 on Sunday.")
    found = figure_of("death toll", ranked, lambda _c: True)
    assert found is not None and found.figure.value == 25


def test_whom_a_figure_is_for_must_be_named_there() -> None:
    ranked = _sentences("Dahl paid a fare of $40 on the Bergen route.")
    assert figure_of("fare for Halvard Moen", ranked, lambda _c: True) is None
    assert figure_of("fare for Ingrid Dahl", ranked, lambda _c: True) is not None


def test_two_reports_figures_are_compared_on_the_demo_corpus(demo: Assistant) -> None:
    more = demo.ask("Did Northern Dispatch report more scrambles than Defense Notes Weekly?")
    assert more.verdict == "supported"
    assert more.verdict_line.startswith("Yes: Northern Dispatch reports 704 times [")
    outlets = {c.outlet for c in more.citations}
    assert outlets == {"Northern Dispatch", "Defense Notes Weekly"}
    fewer = demo.ask(
        "Does Defense Notes Weekly give a higher scramble count than Northern Dispatch?"
    )
    assert fewer.verdict == "contradicted" and fewer.verdict_line.startswith("No:")
    same = demo.ask(
        "Did Northern Dispatch and Defense Notes Weekly report the same number of scrambles?"
    )
    assert same.verdict_line.startswith("No: Northern Dispatch reports 704 times")
    # Asked as agreement: the two counts, not the sentences on shares nearest to "number".
    agree = demo.ask(
        "Did the Northern Dispatch and Defense Notes Weekly agree on the number of scrambles?"
    )
    assert agree.verdict_line.startswith("No: Northern Dispatch reports 704 times")
    assert "670" in agree.verdict_line
    which = demo.ask(
        "Between Northern Dispatch and Defense Notes Weekly, which reported fewer scrambles?"
    )
    assert which.verdict_line.startswith("Defense Notes Weekly: Northern Dispatch reports 704")
    for question in (
        "Did Northern Dispatch report more scrambles in fiscal 2023 than Defense Notes Weekly?",
        "Did Northern Dispatch report more scrambles from Naha Air Base than Defense Notes Weekly?",
    ):
        # Both figures are of fiscal 2024 and of all bases: no "Yes" from them.
        assert not demo.ask(question).verdict_line.startswith(("Yes", "No")), question
    share = demo.ask(
        "Did Northern Dispatch report a higher share of scrambles against Chinese aircraft "
        "than Defense Notes Weekly?"
    )
    assert share.verdict == "not_in_sources"
    assert "Defense Notes Weekly does not give a figure" in share.verdict_line


def test_a_side_is_read_as_comparison_questions_read_reports() -> None:
    asked = figure_question(
        "Did the Harbour Ledger report on the Osaka tower give a higher price than the "
        "Harbour Ledger report on the Kobe tower?",
        OUTLETS,
    )
    assert asked is not None
    assert asked.sides == (
        Side("Harbour Ledger", None, "the Osaka tower"),
        Side("Harbour Ledger", None, "the Kobe tower"),
    )

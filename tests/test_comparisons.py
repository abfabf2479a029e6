"""Questions that compare two reports on one subject: do they agree, was there a change, has it
remained consistent (issue 18, items 2 and 4)."""

from __future__ import annotations

import pytest

from assistant.comparisons import Choice, Comparison, Side, _verdict_line, choice, comparison
from assistant.service import Assistant

OUTLETS = [
    "Baltic Courier",
    "Continental Times",
    "Meridian Wire",
    "Harbour Ledger",
    "Pacific Security Review",
    "Northern Dispatch",
    "Defense Notes Weekly",
    "TechCrunch",
    "The Verge",
]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "Do Meridian Wire and Harbour Ledger agree on the Beijixing?",
            Comparison((Side("Meridian Wire"), Side("Harbour Ledger")), "the Beijixing", "agree"),
        ),
        (
            "Did the Baltic Courier and Continental Times disagree about the drone engines?",
            Comparison(
                (Side("Baltic Courier"), Side("Continental Times")), "the drone engines", "differ"
            ),
        ),
        ("Do Meridian Wire and Harbour Ledger agree that the ship sank?", None),  # a statement
        ("Do Meridian Wire, Harbour Ledger and Yardbarker agree on the ship?", None),
        ("Does Meridian Wire agree on the ship?", None),
    ],
)
def test_do_two_outlets_agree_on_a_subject(question: str, expected: Comparison | None) -> None:
    assert comparison(question, OUTLETS) == expected


def test_two_outlets_on_one_subject(demo: Assistant) -> None:
    """Another day, a denial, the same fact in other words, and a subject neither covers."""
    differ = demo.ask(
        "Do Pacific Security Review and Harbour Ledger agree on when the Beijixing was first "
        "detected?"
    )
    assert (differ.verdict_line or "").startswith(
        "No: Pacific Security Review [1] and Harbour Ledger [2] differ on when the Beijixing"
    )
    assert "28 January" in differ.answer and "30 January" in differ.answer
    denied = demo.ask("Did Baltic Courier and Continental Times disagree about the drone engines?")
    assert denied.verdict == "supported" and (denied.verdict_line or "").startswith("Yes:")
    same = demo.ask("Do Meridian Wire and Pacific Security Review agree on the F-35A deployment?")
    assert (same.verdict_line or "").startswith(
        "Yes: Meridian Wire [1] and Pacific Security Review [2] say the same about"
    )
    silent = demo.ask("Do Meridian Wire and Harbour Ledger agree on the Sapporo Snow Festival?")
    assert silent.verdict_line == (
        "The sources do not say: Meridian Wire and Harbour Ledger do not cover the Sapporo Snow "
        "Festival."
    )
    assert silent.citations == []


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "Between the Northern Dispatch report of 18 April and the Defense Notes Weekly report "
            "of 19 April, was there a change in the number of scrambles?",
            Comparison(
                (Side("Northern Dispatch", "18 April"), Side("Defense Notes Weekly", "19 April")),
                "the number of scrambles",
                "differ",
                "sameness",
            ),
        ),
        (
            "Was there any inconsistency between Pacific Security Review and Harbour Ledger about "
            "when the Beijixing was first detected?",
            Comparison(
                (Side("Pacific Security Review"), Side("Harbour Ledger")),
                "when the Beijixing was first detected",
                "differ",
                "consistency",
            ),
        ),
        (
            "Was there no change in the count of scrambles between Northern Dispatch and "
            "Defense Notes Weekly?",
            Comparison(
                (Side("Northern Dispatch"), Side("Defense Notes Weekly")),
                "the count of scrambles",
                "agree",
                "sameness",
            ),
        ),
        (
            "Has the count of scrambles remained the same between Northern Dispatch and Defense "
            "Notes Weekly?",
            Comparison(
                (Side("Northern Dispatch"), Side("Defense Notes Weekly")),
                "the count of scrambles",
                "agree",
                "sameness",
            ),
        ),
        (
            "Has the date of the first sighting changed between Pacific Security Review and "
            "Harbour Ledger?",
            Comparison(
                (Side("Pacific Security Review"), Side("Harbour Ledger")),
                "the date of the first sighting",
                "differ",
                "sameness",
            ),
        ),
        # One outlet's two reports, told apart by their days; the second names only its day.
        (
            "Between the Northern Dispatch reports of 27 January and 18 April, has the account "
            "of the scrambles remained consistent or inconsistent?",
            Comparison(
                (Side("Northern Dispatch", "27 January"), Side("Northern Dispatch", "18 April")),
                "the account of the scrambles",
                "either",
                "consistency",
            ),
        ),
        # The outlet named with the subject ("as reported by"), the reports by their days;
        # a report's own description ("on the trial") is not the subject.
        (
            "Was there a shift in the company's strategy as reported by TechCrunch between the "
            "report on the launch on September 28, 2023, and the report on the store published "
            "on December 1, 2023?",
            Comparison(
                (
                    Side("TechCrunch", "September 28, 2023", "the launch"),
                    Side("TechCrunch", "December 1, 2023", "the store"),
                ),
                "the company's strategy",
                "differ",
                "sameness",
            ),
        ),
        # "As reported by the same source" names no outlet and is no part of the subject.
        (
            "Between the Northern Dispatch reports of 27 January and 18 April, was there a change "
            "in the count of scrambles as reported by the same news source?",
            Comparison(
                (Side("Northern Dispatch", "27 January"), Side("Northern Dispatch", "18 April")),
                "the count of scrambles",
                "differ",
                "sameness",
            ),
        ),
        (
            "Between the TechCrunch report on the trial published on October 6, 2023, and The "
            "Verge's coverage, was there consistency in the portrayal of the founder?",
            Comparison(
                (Side("TechCrunch", "October 6, 2023", "the trial"), Side("The Verge")),
                "the portrayal of the founder",
                "agree",
                "consistency",
            ),
        ),
        # Not a comparison of two reports: no outlet, one outlet's two reports without days,
        # a relation that is not one of consistency.
        ("Was there a change in the weather between Monday and Friday?", None),
        ("Between the two Northern Dispatch reports, was there a change in the count?", None),
        ("Between Meridian Wire and Harbour Ledger, was there a storm in the strait?", None),
        # Statements about the reports' content, not two reports compared.
        (
            "Did Meridian Wire and Harbour Ledger report that Japan and China agree on a hotline?",
            None,
        ),
        (
            "Did Meridian Wire report that patrols changed between October 6 and November 6, "
            "and did Harbour Ledger say so?",
            None,
        ),
        # "Agreement" asks what "do they agree?" asks: one must back the other.
        (
            "Was there agreement between Meridian Wire and Harbour Ledger on the Beijixing?",
            Comparison((Side("Meridian Wire"), Side("Harbour Ledger")), "the Beijixing", "agree"),
        ),
    ],
)
def test_a_question_about_two_reports_is_read(question: str, expected: Comparison | None) -> None:
    assert comparison(question, OUTLETS) == expected


@pytest.mark.parametrize(
    ("asks", "differ", "expected"),
    [
        ("agree", None, ("Yes", "supported")),
        ("agree", False, ("Yes", "supported")),
        ("agree", True, ("No", "contradicted")),
        ("differ", None, ("No", "contradicted")),
        ("differ", True, ("Yes", "supported")),
        ("either", None, ("Consistent", "supported")),
    ],
)
def test_two_reports_that_never_contradict_each_other_are_consistent(
    asks: str, differ: bool | None, expected: tuple[str, str]
) -> None:
    """Neither report backing the other (``differ`` None) reads as consistent, as the line
    itself says ("do not contradict each other"): "was there consistency?" is answered yes."""
    asked = Comparison(
        (Side("Northern Dispatch"), Side("Defense Notes Weekly")),
        "the scrambles",
        asks,
        "consistency",
    )
    line, verdict = _verdict_line(asked, differ, ["Northern Dispatch [1]", "Defense Notes [2]"])
    assert (line.split(":")[0], verdict) == expected


def test_two_reports_consistent_or_changed(demo: Assistant) -> None:
    """A changed count and a denial are inconsistent; two reports that never contradict each
    other are consistent (nothing of one needs to back the other); one outlet's two reports
    are named by their days."""
    changed = demo.ask(
        "Between the Northern Dispatch report of 18 April and the Defense Notes Weekly report "
        "of 19 April, was there a change in the number of scrambles in fiscal 2024?"
    )
    assert (changed.verdict_line or "").startswith(
        "Yes: Northern Dispatch [1] and Defense Notes Weekly [2] contradict each other on"
    )
    assert "704" in changed.answer and "670" in changed.answer
    denied = demo.ask(
        "Between the Baltic Courier and Continental Times reports, was there consistency on "
        "whether Chinese firms shipped drone engines to Russia?"
    )
    assert denied.verdict == "contradicted" and (denied.verdict_line or "").startswith("No:")
    same_outlet = demo.ask(
        "Between the Northern Dispatch reports of 27 January and 18 April, was there "
        "consistency in the reporting of Japan's fighter scrambles?"
    )
    assert (same_outlet.verdict_line or "").startswith(
        "Yes: Northern Dispatch (27 January) [1] and Northern Dispatch (18 April) [2] "
    )
    assert [c.published[:10] for c in same_outlet.citations] == ["2025-01-27", "2025-04-18"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "Between Meridian Wire and Harbour Ledger, which one mentions the Kareliya?",
            Choice((Side("Meridian Wire"), Side("Harbour Ledger")), "the Kareliya", "mentions"),
        ),
        (
            "Which outlet, Baltic Courier or Continental Times, covers the denial?",
            Choice((Side("Baltic Courier"), Side("Continental Times")), "the denial", "covers"),
        ),
        (
            "Between the Northern Dispatch reports of 27 January and 18 April, which one "
            "mentions Chitose Air Base?",
            Choice(
                (Side("Northern Dispatch", "27 January"), Side("Northern Dispatch", "18 April")),
                "Chitose Air Base",
                "mentions",
            ),
        ),
        ("Between Meridian Wire and Harbour Ledger, which is older?", None),
        # A value, an order or a statement: not settled by the nearest sentence.
        ("Which of Meridian Wire and Harbour Ledger reported a higher scramble count?", None),
        ("Which of Meridian Wire and Harbour Ledger reported the Kareliya first?", None),
        ("Which of Meridian Wire and Harbour Ledger reports that the ship sank?", None),
        ("Which ship passed the strait?", None),
        # A name is asked for: the outlets only say where it was reported.
        (
            "Which ship, reported by both Meridian Wire and Harbour Ledger, is described as "
            "a Chinese intelligence vessel?",
            None,
        ),
    ],
)
def test_which_of_two_reports_is_read(question: str, expected: Choice | None) -> None:
    assert choice(question, OUTLETS) == expected


def test_which_of_two_reports_covers_a_subject(demo: Assistant) -> None:
    """The answer names the report first; one that does not cover the subject is named as
    such, and neither covering it is no answer."""
    one = demo.ask(
        "Between the Northern Dispatch reports of 27 January and 18 April, which one mentions "
        "Chitose Air Base?"
    )
    assert one.verdict_line == (
        "Northern Dispatch (27 January): Northern Dispatch (27 January) [1] covers Chitose Air "
        "Base; Northern Dispatch (18 April) does not."
    )
    assert [c.published[:10] for c in one.citations] == ["2025-01-27"]
    kareliya = demo.ask("Which of Harbour Ledger and Meridian Wire mentions the Kareliya?")
    assert (kareliya.verdict_line or "").startswith("Meridian Wire: Meridian Wire [1] covers")
    neither = demo.ask(
        "Which outlet, Baltic Courier or Continental Times, covers the Sapporo Snow Festival?"
    )
    assert neither.verdict == "not_in_sources" and neither.citations == []


def test_a_report_that_names_the_subject_covers_it_whatever_the_cosine(demo: Assistant) -> None:
    """A question "which one mentions Chitose Air Base?" is settled by the name written in
    the report: the cosine of a three-word subject to a long sentence sits near any threshold
    (0.40 against 0.4 in fp32, 0.37 with int8 vectors). With a cosine no sentence reaches, the
    report naming it still covers it and the other still does not."""
    settings = demo.settings.model_copy(
        update={"answer": demo.settings.answer.model_copy(update={"covers_similarity": 0.99})}
    )
    strict = Assistant(settings)
    one = strict.ask(
        "Between the Northern Dispatch reports of 27 January and 18 April, which one mentions "
        "Chitose Air Base?"
    )
    assert (one.verdict_line or "").startswith("Northern Dispatch (27 January): ")
    assert "Northern Dispatch (18 April) does not" in (one.verdict_line or "")
    neither = strict.ask(
        "Which outlet, Baltic Courier or Continental Times, covers the Sapporo Snow Festival?"
    )
    assert neither.verdict == "not_in_sources"


@pytest.mark.parametrize(
    ("asks", "differ", "expected"),
    [
        ("differ", None, "Yes: A [1] and B [2] give different accounts of the focus"),
        ("agree", None, "No: A [1] and B [2] give different accounts of the focus"),
        ("differ", False, "No: A [1] and B [2] say the same about the focus"),
        ("agree", False, "Yes: A [1] and B [2] say the same about the focus"),
    ],
)
def test_a_change_is_two_reports_that_do_not_back_each_other(
    asks: str, differ: bool | None, expected: str
) -> None:
    """ "Was there a change?" asks for sameness: two reports that each say something else of
    the subject, neither backing the other, show a change, though nothing conflicts."""
    asked = Comparison((Side("A"), Side("B")), "the focus", asks, "sameness")
    line, _ = _verdict_line(asked, differ, ["A [1]", "B [2]"])
    assert line.startswith(expected)


@pytest.mark.parametrize(
    ("question", "about"),
    [
        (
            "Between the Northern Dispatch report on the Il-20 flight published on 27 January "
            "and the Northern Dispatch report on the snow festival published on 5 February, was "
            "there a change in the paper's focus?",
            ("the Il-20 flight", "the snow festival"),
        ),
        (
            "Between the report from The Verge on Apple's search deal published on September 26, "
            "2023, and the TechCrunch article detailing the antitrust case, was there agreement "
            "on Google's payments?",
            ("Apple's search deal", "the antitrust case"),
        ),
        (
            "Between the report from Meridian Wire before 30 January mentioning the Kareliya's "
            "route and the Harbour Ledger report, was there a change in the ship's route?",
            ("the Kareliya's route", None),
        ),
        # A report named by its outlet and day only says nothing of what it is about.
        (
            "Between the report from Meridian Wire published on 29 January and the report from "
            "Harbour Ledger published on 4 February, was there a change in the ship's route?",
            (None, None),
        ),
    ],
)
def test_what_a_report_is_about_is_read_from_its_name(
    question: str, about: tuple[str | None, str | None]
) -> None:
    asked = comparison(question, OUTLETS)
    assert asked is not None
    assert (asked.sides[0].about, asked.sides[1].about) == about


def test_a_change_of_focus_between_two_reports_of_one_outlet(demo: Assistant) -> None:
    """An abstract subject no sentence is near ("the paper's focus") is read from what each
    report is about; two reports on other things, neither backing the other, show a change."""
    changed = demo.ask(
        "Between the Northern Dispatch report on the Il-20 flight published on 27 January and "
        "the Northern Dispatch report on the snow festival published on 5 February, was there a "
        "change in the paper's focus?"
    )
    assert (changed.verdict_line or "").startswith(
        "Yes: Northern Dispatch (27 January) [1] and Northern Dispatch (5 February) [2] give "
        "different accounts of the paper's focus"
    )
    assert [c.published[:10] for c in changed.citations] == ["2025-01-27", "2025-02-05"]
    same = demo.ask(
        "Did the number of F-35A fighters headed to Misawa change between Pacific Security "
        "Review's 15 January report and Meridian Wire's 29 January report?"
    )
    assert (same.verdict_line or "").startswith("No:")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # The reports named after "After", the relation after them.
        (
            "After the Meridian Wire report of 29 January and the later Harbour Ledger report of "
            "4 February, was there consistency in the account of the Beijixing?",
            Comparison(
                (Side("Meridian Wire", "29 January"), Side("Harbour Ledger", "4 February")),
                "the account of the Beijixing",
                "agree",
                "consistency",
            ),
        ),
        (
            "Following the Baltic Courier report and the Continental Times report, was the "
            "coverage of the drone engines consistent?",
            Comparison(
                (Side("Baltic Courier"), Side("Continental Times")),
                "the coverage of the drone engines",
                "agree",
                "consistency",
            ),
        ),
        (
            "After the report by Meridian Wire on 29 January about the Kareliya, did the Harbour "
            "Ledger report on 4 February maintain consistency regarding Chinese ships?",
            Comparison(
                (
                    Side("Meridian Wire", "29 January", "the Kareliya"),
                    Side("Harbour Ledger", "4 February"),
                ),
                "Chinese ships",
                "agree",
                "consistency",
            ),
        ),
        # The outlet of both reports, named before the question or with the subject; one
        # outlet's two reports told apart by what each is about.
        (
            "According to Northern Dispatch, has the count of scrambles changed between the "
            "article published on 27 January and the article published on 18 April?",
            Comparison(
                (Side("Northern Dispatch", "27 January"), Side("Northern Dispatch", "18 April")),
                "the count of scrambles",
                "differ",
                "sameness",
            ),
        ),
        (
            "Has the account of the scrambles by Northern Dispatch remained consistent between "
            "the report on the Il-20 flight and the report on the fiscal year published later?",
            Comparison(
                (
                    Side("Northern Dispatch", None, "the Il-20 flight"),
                    Side("Northern Dispatch", None, "the fiscal year"),
                ),
                "the account of the scrambles",
                "agree",
                "consistency",
            ),
        ),
        (
            "Has the portrayal of Russian flights in Northern Dispatch's coverage remained "
            "consistent between the report of 27 January and the report of 18 April?",
            Comparison(
                (Side("Northern Dispatch", "27 January"), Side("Northern Dispatch", "18 April")),
                "the portrayal of Russian flights",
                "agree",
                "consistency",
            ),
        ),
        # One outlet's two reports on one subject: nothing tells them apart.
        (
            "Has the account of the scrambles by Northern Dispatch remained consistent between "
            "the report on the scrambles and the report on the scrambles?",
            None,
        ),
    ],
)
def test_more_ways_to_name_two_reports(question: str, expected: Comparison | None) -> None:
    assert comparison(question, OUTLETS) == expected


def test_one_outlets_two_reports_told_apart_by_subject(demo: Assistant) -> None:
    """No days: each report is the outlet's article about what the question says it is about,
    and the answer names it so."""
    changed = demo.ask(
        "Between the Northern Dispatch report on the Il-20 flight and the Northern Dispatch "
        "report on the snow festival, was there a change in the paper's focus?"
    )
    assert (changed.verdict_line or "").startswith(
        "Yes: Northern Dispatch (on the Il-20 flight) [1] and Northern Dispatch (on the snow "
        "festival) [2] give different accounts"
    )
    assert [c.published[:10] for c in changed.citations] == ["2025-01-27", "2025-02-05"]


def test_consistent_or_inconsistent_and_which_news_source() -> None:
    asked = comparison(
        "Between the Meridian Wire report of 29 January and the Harbour Ledger report of 4 "
        "February, was the account of the Beijixing consistent or inconsistent?",
        OUTLETS,
    )
    assert asked == Comparison(
        (Side("Meridian Wire", "29 January"), Side("Harbour Ledger", "4 February")),
        "the account of the Beijixing",
        "either",
        "consistency",
    )
    which = choice(
        "Between the Meridian Wire report and the Harbour Ledger report, which news source "
        "mentions the Kareliya?",
        OUTLETS,
    )
    assert which == Choice(
        (Side("Meridian Wire"), Side("Harbour Ledger")), "the Kareliya", "mentions"
    )

"""Who reported it first (``assistant.firsts``): the earliest indexed article whose sentence
states the claim, named with its day and cited, then the later ones."""

from __future__ import annotations

import pytest

from assistant.firsts import FirstQuestion, first_question
from assistant.service import Assistant


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "Which outlet first reported that Chinese firms shipped drone engines to Russia?",
            FirstQuestion("Chinese firms shipped drone engines to Russia.", when=False),
        ),
        (
            "Who was the first to report that the Beijixing was spotted near Okinawa?",
            FirstQuestion("The Beijixing was spotted near Okinawa.", when=False),
        ),
        (
            "Which source reported that the Kareliya passed the Tsushima Strait first?",
            FirstQuestion("The Kareliya passed the Tsushima Strait.", when=False),
        ),
        (
            "Who broke the news that Misawa will get F-35As?",
            FirstQuestion("Misawa will get F-35As.", when=False),
        ),
        (
            "When was it first reported that Japan scrambled jets 704 times?",
            FirstQuestion("Japan scrambled jets 704 times.", when=True),
        ),
        # Every report, in order.
        (
            "Which outlets reported that the Kareliya passed the Tsushima Strait?",
            FirstQuestion("The Kareliya passed the Tsushima Strait.", when=False, first=False),
        ),
        # Not about who was first: a speaker, or nothing to check.
        ("Who first said that the reports were groundless?", None),
        ("Who reported it first?", None),
        ('Who first reported ""?', None),
        ("Which ship first entered the East China Sea?", None),
        ("When did the Kareliya first enter the East China Sea?", None),
    ],
)
def test_questions_about_the_first_report(question: str, expected: FirstQuestion | None) -> None:
    assert first_question(question) == expected


def test_the_first_report_is_the_earliest_article_that_states_it(demo: Assistant) -> None:
    answer = demo.ask(
        "Which outlet first reported that Chinese firms shipped drone engines to Russia?"
    )
    assert answer.verdict == "supported"
    assert (answer.verdict_line or "").startswith("Baltic Courier [1], on 2025-02-10: the first ")
    assert "shipped hundreds of drone engines" in answer.citations[0].quote
    # The denial in Continental Times mentions the shipments; it does not report them.
    assert "Continental Times" not in (answer.verdict_line or "")
    # The claim is denied: the flag comes with the answer.
    assert any(f["kind"] == "denied" for f in answer.contested)


def test_later_reports_follow_and_a_copy_is_no_report(demo: Assistant) -> None:
    answer = demo.ask("Who was the first to report that Japan detected the Beijixing?")
    line = answer.verdict_line or ""
    assert line.startswith("Meridian Wire [1], on 2025-01-29")
    assert "then Pacific Security Review (2025-02-03)" in line
    # The Kyushu Evening Post reprints Meridian Wire word for word.
    assert "Kyushu Evening Post" not in line


def test_when_and_nothing_to_report(demo: Assistant) -> None:
    when = demo.ask("When was it first reported that Japan scrambled fighter jets 704 times?")
    assert (when.verdict_line or "").startswith("On 2025-04-18, by Northern Dispatch [1]")
    # The sources have China supply Russia, never the other way round.
    reversed_ = demo.ask("Who first reported that Russia shipped drones to China?")
    assert reversed_.verdict == "not_in_sources"
    assert (reversed_.verdict_line or "").startswith("The sources do not say: no indexed article")


def test_who_reported_it_lists_every_report(demo: Assistant) -> None:
    answer = demo.ask("Who reported that Japan scrambled 670 times?")
    assert (answer.verdict_line or "").startswith(
        "Reported by Defense Notes Weekly [1] (2025-04-19)"
    )
    engines = demo.ask("Which outlets reported that Chinese firms shipped drone engines to Russia?")
    assert (engines.verdict_line or "") == "Reported by Baltic Courier [1] (2025-02-10)."

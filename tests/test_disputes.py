"""Questions about disagreement: the contested points among the articles about a subject,
each with the claiming and the disputing side quoted and cited (issue 18, item 3)."""

from __future__ import annotations

import pytest

from assistant.config import AnswerSettings
from assistant.disputes import asks_for_disputes, topic
from assistant.filters import SearchFilters
from assistant.service import Assistant


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("Who says what about drone engines?", "drone engines"),
        ("What do the sources disagree about?", ""),
        ("What do the sources disagree about regarding the Beijixing?", "Beijixing"),
        ("Where do the reports differ on fighter jet scrambles?", "fighter jet scrambles"),
        ("Which outlets contradict each other on the Il-20 flight?", "Il-20 flight"),
        (
            "Is there any disagreement between outlets about the Kareliya's route?",
            "Kareliya's route",
        ),
        ("Are there conflicting reports about the Beijixing?", "Beijixing"),
    ],
)
def test_questions_about_disagreement_and_their_subject(question: str, subject: str) -> None:
    assert asks_for_disputes(question)
    assert topic(question) == subject


@pytest.mark.parametrize(
    "question",
    [
        "When did the Kareliya pass the Tsushima Strait?",
        "Did China deny shipping drone engines?",
        "Who dismissed the claims about drone components?",
        "What is the Kareliya?",
        # About a conflict or a dispute in the world, not between the sources.
        "Where did the conflict start?",
        "What is the conflict in Sudan about?",
        "Are there conflicts in the Middle East?",
        "Where is the disputed island?",
        "What did the minister say about the conflict in Ukraine?",
        "What are the differences between the two ships?",
        "What did the court decide in the border dispute?",
        "What do the reports say about the disputed island?",
    ],
)
def test_other_questions_are_not_about_disagreement(question: str) -> None:
    assert not asks_for_disputes(question)


def test_who_says_what_cites_the_claim_and_the_denial(demo: Assistant) -> None:
    answer = demo.ask("Who says what about drone engines?")
    assert not answer.abstained and answer.verdict is None
    line = answer.verdict_line or ""
    assert line.startswith("The sources disagree about drone engines on ")
    assert answer.answer.startswith(line)
    outlets = {c.n: c.outlet for c in answer.citations}
    denied = [f for f in answer.contested if f["kind"] == "denied"]
    assert denied, answer.contested
    for flag in denied:
        # Both sides are quoted in the answer, not only cited in the flag.
        quoted = {n for s in answer.sentences for n in s.citations}
        assert set(flag["citations"]) <= quoted and set(flag["counter_citations"]) <= quoted
    first = denied[0]
    assert f"[{first['counter_citations'][0]}] denies it" in line
    assert "Continental Times" in {outlets[n] for f in denied for n in f["counter_citations"]}


def test_a_later_report_is_a_point_with_its_order(demo: Assistant) -> None:
    answer = demo.ask("Where do the reports differ on fighter jet scrambles?")
    line = answer.verdict_line or ""
    assert "on 1 point: (1) first reported as 704 by Northern Dispatch [" in line
    assert "a later report by Defense Notes Weekly [" in line and line.endswith("says 670.")


def test_a_question_with_no_subject_reads_every_article(demo: Assistant) -> None:
    """ "What do the sources disagree about?" is no search: what each article leads with, and
    what its opening attributes, is read, so the four disputes of the demo corpus come back,
    each side cited."""
    answer = demo.ask("What do the sources disagree about?")
    line = answer.verdict_line or ""
    assert line.startswith("The sources disagree on 4 points: ")
    assert "Ukraine's Foreign Intelligence Service [" in line and "Beijing [" in line
    assert "China's foreign ministry [" in line and "denies it" in line
    assert "first reported as 704 by Northern Dispatch [" in line
    assert "first reported as 28 January by Pacific Security Review [" in line
    assert {c.outlet for c in answer.citations} >= {
        "Baltic Courier",
        "Continental Times",
        "Northern Dispatch",
        "Defense Notes Weekly",
        "Pacific Security Review",
        "Harbour Ledger",
    }
    # The filters narrow what is read: one outlet alone disagrees with nobody.
    alone = demo.ask(
        "What do the sources disagree about?", filters=SearchFilters(outlets=["Harbour Ledger"])
    )
    assert alone.abstained


def test_points_beyond_the_limit_are_said_to_exist(demo: Assistant) -> None:
    """Listed up to ``answer.dispute_points``; the count does not read as the whole."""
    settings = demo.settings.model_copy(update={"answer": AnswerSettings(dispute_points=2)})
    capped = Assistant(settings, embeddings=demo.embeddings, store=demo.store)
    line = capped.ask("What do the sources disagree about?").verdict_line or ""
    assert line.startswith("The sources disagree on at least 2 points: (1) ")
    assert "(3)" not in line


def test_no_disagreement_is_said_plainly(demo: Assistant) -> None:
    answer = demo.ask("What do the sources disagree about on the Sapporo snow festival?")
    assert answer.abstained and answer.nearest
    assert answer.answer.startswith(
        "The articles found about Sapporo snow festival do not disagree"
    )


def test_the_setting_turns_it_off(demo: Assistant) -> None:
    settings = demo.settings.model_copy(update={"answer": AnswerSettings(disputes=False)})
    plain = Assistant(settings, embeddings=demo.embeddings, store=demo.store)
    answer = plain.ask("Who says what about drone engines?")
    assert not (answer.verdict_line or "").startswith("The sources disagree")

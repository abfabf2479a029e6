"""Yes/no questions: the statement they ask about, and answers through the claim check."""

from __future__ import annotations

import pytest

from assistant.polar import as_claim, is_polar
from assistant.render import answer_as_chat, conversation_as_markdown
from assistant.service import Assistant
from assistant.stance import nlp


@pytest.mark.parametrize(
    ("question", "claim"),
    [
        ("Did Japan shoot down the Il-20?", "Japan shot down the Il-20."),
        ("Is China supplying drone parts to Russia?", "China is supplying drone parts to Russia."),
        (
            "Has the Kareliya passed through the Tsushima Strait?",
            "The Kareliya has passed through the Tsushima Strait.",
        ),
        (
            "Is the Kareliya a Chinese intelligence ship?",
            "The Kareliya is a Chinese intelligence ship.",
        ),
        (
            "Were Chinese firms shipping drone engines to Russia?",
            "Chinese firms were shipping drone engines to Russia.",
        ),
        (
            "Will China and Russia stop their military activity near Japan?",
            "China and Russia will stop their military activity near Japan.",
        ),
        ("Does the ministry deny the claims?", "The ministry denies the claims."),
        ("Did the Kareliya not pass the strait?", "The Kareliya did not pass the strait."),
        ("Are there Chinese ships near Japan?", "There are Chinese ships near Japan."),
        ("Is it true that Beijing confirmed the shipments?", "Beijing confirmed the shipments."),
        # A question for evidence asks whether what it is evidence of holds.
        (
            "Is there any evidence that Japan shot down the Il-20?",
            "Japan shot down the Il-20.",
        ),
        (
            "Was there proof that Beijing confirmed the shipments?",
            "Beijing confirmed the shipments.",
        ),
        # The small parser reads "Russia ship drones" as one noun phrase: after "did" and a
        # name, the next word is the verb asked about.
        ("Did Russia ship drones to China?", "Russia shipped drones to China."),
        ("Did China ship drone engines to Russia?", "China shipped drone engines to Russia."),
        # A nationality takes its noun: "Chinese companies" is the subject.
        (
            "Did Russian companies ship drone engines to China?",
            "Russian companies shipped drone engines to China.",
        ),
        # ... unless the parse makes that word the subject of a verb right after it.
        ("Did the US Navy ship arrive?", "The US Navy ship arrived."),
        ("Did the Navy ship arrive in Japan?", "The Navy ship arrived in Japan."),
        ("Did Russia ship oil to India?", "Russia shipped oil to India."),
        ("Did Japan export rice to China?", "Japan exported rice to China."),
    ],
)
def test_a_yes_no_question_becomes_the_statement_it_asks_about(question: str, claim: str) -> None:
    assert as_claim(question, nlp()) == claim


@pytest.mark.parametrize(
    "question",
    [
        "When did the Kareliya pass the Tsushima Strait?",
        "Who dismissed the claims?",
        "Kareliya transit dates?",
        "Did it? Did it really?",
        "Is",
    ],
)
def test_other_questions_are_not_yes_no(question: str) -> None:
    assert not is_polar(question) or as_claim(question, nlp()) is None


def test_a_stated_fact_is_yes_with_its_source(demo: Assistant) -> None:
    answer = demo.ask("Did the Kareliya pass through the Tsushima Strait?")
    assert answer.verdict == "supported"
    assert answer.claim == "The Kareliya passed through the Tsushima Strait."
    assert answer.verdict_line == "Yes, according to Meridian Wire [1]."
    assert answer.answer.startswith(answer.verdict_line)
    assert "25 January" in answer.citations[0].quote
    assert all(s.supported for s in answer.sentences)


def test_a_denied_claim_is_disputed_naming_both_sides(demo: Assistant) -> None:
    answer = demo.ask("Is China supplying drone parts to Russia?")
    assert answer.verdict == "contested"
    assert answer.verdict_line.startswith("Disputed: ")
    # Both denials, each side named with its own sentences: the intelligence service's claim
    # and Beijing's dismissal, the Baltic Courier's report and the ministry's denial.
    assert "deny it." in answer.verdict_line
    claimed, denied = answer.verdict_line.removeprefix("Disputed: ").split("; ")
    assert "Foreign Intelligence Service" in claimed and "Baltic Courier" in claimed
    assert "Beijing" in denied and "foreign ministry" in denied
    assert any("denied" in c.quote or "dismissed" in c.quote for c in answer.citations)
    assert sum(f["kind"] == "denied" for f in answer.contested) == 2


def test_a_statement_the_sources_contradict_is_no(demo: Assistant) -> None:
    """The sources call the Beijixing a Chinese ship: the reader asks about a Russian one."""
    answer = demo.ask("Is the Beijixing a Russian ship?")
    assert answer.verdict == "contradicted"
    assert answer.verdict_line.startswith("No: ")
    assert any("Chinese" in c.quote and "Beijixing" in c.quote for c in answer.citations)


def test_a_no_on_someones_word_says_whose_word_it_is(demo: Assistant) -> None:
    """A "no" drawn from a spokesman's statement shows it as his ("Lin Jian said China has
    never provided lethal weapons …": attributed), as a "yes" would; a "no" from a forecast
    shows the forecast."""
    answer = demo.ask("Does China arm either side in the Ukraine war?")
    assert answer.verdict == "contradicted"
    assert ("attributed", "Lin Jian") in {(f["kind"], f["claimed_by"]) for f in answer.contested}
    stop = demo.ask("Will China and Russia stop their military activity near Japan?")
    assert stop.verdict == "contradicted"
    assert "forecast" in {f["kind"] for f in stop.contested}


def test_another_month_for_the_same_event_is_no(demo: Assistant) -> None:
    """The Beijixing was first detected on 28 January: not in April. A ship may pass a strait
    more than once, so a transit in January says nothing of one in June (different words:
    the rules cannot tell it is the same statement)."""
    april = demo.ask("Was the Beijixing first detected in April?")
    assert april.verdict == "contradicted"
    assert any("28 January" in c.quote for c in april.citations)
    june = demo.ask("Did the Kareliya pass the Tsushima Strait in June?")
    assert june.verdict == "not_in_sources"
    assert "25 January" in june.answer


def test_who_sends_to_whom_decides_the_answer(demo: Assistant) -> None:
    """The sources have China supply Russia: asked the other way round, they do not say so
    (the judge alone backs it from the names), and the right way round is disputed."""
    reversed_ = demo.ask("Did Russia ship drones to China?")
    assert reversed_.verdict == "not_in_sources"
    assert demo.ask("Is Russia supplying drone parts to China?").verdict == "not_in_sources"
    right = demo.ask("Did China ship drone engines to Russia?")
    assert right.verdict == "contested"
    assert (right.verdict_line or "").startswith("Disputed: Baltic Courier [")


def test_a_question_about_another_ship_abstains(demo: Assistant) -> None:
    """No source names the Admiral Kuznetsov: the Kareliya's transit is no answer."""
    answer = demo.ask("Did the Admiral Kuznetsov transit the Tsushima Strait?")
    assert answer.abstained and answer.verdict is None


def test_a_headline_does_not_make_a_yes(demo: Assistant) -> None:
    """A headline naming Chinese ships does not make the Kareliya one, and "will likely
    continue" does not back "will stop"."""
    assert demo.ask("Is the Kareliya a Chinese ship?").verdict != "supported"
    stop = demo.ask("Will China and Russia stop their military activity near Japan?")
    assert stop.verdict not in ("supported", "contested")


def test_yes_no_answers_can_be_switched_off(make_assistant) -> None:
    from tests.conftest import DEMO_SOURCES, SEED_FACTS

    assistant = make_assistant([DEMO_SOURCES / SEED_FACTS])
    assistant.settings.answer.yes_no = False
    assistant.ingest()
    answer = assistant.ask("Did the Kareliya pass through the Tsushima Strait?")
    assert answer.verdict is None and answer.verdict_line == ""


def test_the_verdict_line_is_shown_and_escaped(demo: Assistant) -> None:
    answer = demo.ask("Did the Kareliya pass through the Tsushima Strait?")
    hostile = answer.model_copy(update={"verdict_line": "Yes, according to <b>Wire</b> [1]."})
    chat = answer_as_chat(hostile)
    verdict = answer.verdict or "not_in_sources"
    assert chat.startswith(
        f'<strong class="na-verdict na-{verdict}">Yes, according to &lt;b&gt;Wire'
    )
    assert "**Yes, according to" in conversation_as_markdown([hostile])

"""Follow-up questions made self-contained, and filters by outlet and date."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.conversation import Conversation, Turn, rewrite, salient_entity
from assistant.errors import InputError
from assistant.filters import SearchFilters, parse_filters
from assistant.service import Assistant

SHIP = Turn(
    "Which Russian intelligence ship operated near Japan?",
    "Which Russian intelligence ship operated near Japan?",
    "Among the detected assets was the Russian electronic intelligence ship Kareliya, which "
    "Japan identified by its hull number.",
)
TRANSIT = Turn(
    "When did it transit the Tsushima Strait?",
    "When did the Kareliya transit the Tsushima Strait?",
    "From 25 January to 26 January, the Kareliya transited from the East China Sea to the Sea "
    "of Japan via the Tsushima Strait.",
)

AIRCRAFT = Turn(
    "Which aircraft flew near Hokkaido?",
    "Which aircraft flew near Hokkaido?",
    "After reaching the Pacific Ocean east of Hokkaido, the aircraft continued south towards "
    "waters off the northern coast of Honshu. On 26 January, the Il-20 took off from mainland "
    "Russia west of Hokkaido and flew over the Sea of Okhotsk.",
)


@pytest.mark.parametrize(
    ("question", "turns", "searched_for"),
    [
        (
            "When did it transit the Tsushima Strait?",
            [SHIP],
            "When did Kareliya transit the Tsushima Strait?",
        ),
        ("What is its hull number?", [TRANSIT], "What is Kareliya's hull number?"),
        ("And the Il-20?", [TRANSIT], "When did the Il-20 transit the Tsushima Strait?"),
        (
            "Did anyone else report that?",
            [TRANSIT],
            "Did anyone else report that: When did the Kareliya transit the Tsushima Strait?",
        ),
        # A new topic is searched as typed: the old subject does not leak in.
        ("How many F-35A are at Misawa?", [TRANSIT], "How many F-35A are at Misawa?"),
        ("When did it transit the strait?", [], "When did it transit the strait?"),
        # "that" as a determiner or a conjunction is not a reference back.
        ("Which outlet reported that ship?", [TRANSIT], "Which outlet reported that ship?"),
        # The name that did what was asked, wherever the answer gives it: not the ocean named
        # first in a sentence about "the aircraft".
        ("Where did it take off from?", [AIRCRAFT], "Where did Il-20 take off from?"),
    ],
)
def test_rewrite(question: str, turns: list[Turn], searched_for: str) -> None:
    assert rewrite(question, turns) == searched_for


@pytest.mark.parametrize(
    ("question", "answer", "entity"),
    [
        # Who did it, said in the passive: the "by" phrase, not the ship it was done to.
        (
            "Which warship shadowed the Admiral Kuznetsov?",
            "After a long voyage through the East China Sea, the Admiral Kuznetsov was "
            "shadowed by JS Akizuki for three days.",
            "JS Akizuki",
        ),
        # What it was done to, answered in the active.
        (
            "Which ship was shadowed by JS Akizuki?",
            "After leaving Vladivostok, JS Akizuki shadowed the Admiral Kuznetsov for three days.",
            "Admiral Kuznetsov",
        ),
    ],
)
def test_the_entity_is_the_name_in_the_role_asked_about(
    question: str, answer: str, entity: str
) -> None:
    assert salient_entity(Turn(question, question, answer)) == entity


def test_conversation_keeps_the_last_turns() -> None:
    conversation = Conversation()
    for i in range(5):
        conversation.add(Turn(f"q{i}", f"q{i}", "a"))
    assert [t.question for t in conversation.turns] == ["q2", "q3", "q4"]


def test_two_turns_in_process(demo: Assistant) -> None:
    conversation = Conversation()
    first = demo.ask(
        "Which Russian intelligence ship operated near Japan?", conversation=conversation
    )
    assert "Kareliya" in first.answer
    second = demo.ask("When did it transit the Tsushima Strait?", conversation=conversation)
    assert "Kareliya" in second.searched_for
    assert "25 January" in second.answer and "26 January" in second.answer
    third = demo.ask("Which aircraft flew near Hokkaido?", conversation=conversation)
    assert "Il-20" in third.answer
    fourth = demo.ask("Where did it take off from?", conversation=conversation)
    assert "mainland Russia west of Hokkaido" in fourth.answer
    fifth = demo.ask("How many F-35A are at Misawa?", conversation=conversation)
    assert fifth.searched_for == "How many F-35A are at Misawa?"


def test_outlet_filter_cites_only_that_outlet(demo: Assistant) -> None:
    filters = parse_filters(outlets=["harbour ledger"])
    answer = demo.ask("When was CNS Beijixing first detected?", filters=filters)
    assert not answer.abstained
    assert {c.outlet for c in answer.citations} == {"Harbour Ledger"}
    assert "30 January" in answer.answer
    assert answer.filters == {"outlets": ["harbour ledger"], "since": None, "until": None}


def test_date_range_excluding_every_relevant_article_abstains(demo: Assistant) -> None:
    filters = parse_filters(since="2025-03-01")
    answer = demo.ask("When did the Kareliya transit the Tsushima Strait?", filters=filters)
    assert answer.abstained
    assert all(s.published >= "2025-03-01" for s in answer.nearest)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"since": "last week"},
            "The since date must be written like 2025-01-31, not 'last week'.",
        ),
        (
            {"since": "2025-03-01", "until": "2025-01-01"},
            "Invalid filters: since (2025-03-01) is after until (2025-01-01).",
        ),
    ],
)
def test_bad_filters(kwargs: dict, message: str) -> None:
    with pytest.raises(InputError) as info:
        parse_filters(**kwargs)
    assert str(info.value) == message


def test_no_filters_allow_everything() -> None:
    assert SearchFilters().allowed_ids([]) is None


def test_terminal_chat_json_two_turns(demo: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(demo.settings.index_dir))
    result = CliRunner().invoke(
        app,
        ["chat", "--json"],
        input="Which Russian intelligence ship operated near Japan?\n"
        "When did it transit the Tsushima Strait?\n\n"
        "Which aircraft flew near Hokkaido?\n"
        "Where did it take off from?\n"
        "How many F-35A are at Misawa?\n",
    )
    assert result.exit_code == 0, result.output
    ship, transit, aircraft, origin, misawa = (
        json.loads(line) for line in result.stdout.splitlines() if line.strip()
    )
    assert "Kareliya" in ship["answer"]
    assert transit["searched_for"] == "When did Kareliya transit the Tsushima Strait?"
    assert "25 January" in transit["answer"]
    assert "Il-20" in aircraft["answer"]
    assert origin["searched_for"] == "Where did Il-20 take off from?"
    assert "mainland Russia west of Hokkaido" in origin["answer"]
    assert misawa["searched_for"] == misawa["question"]

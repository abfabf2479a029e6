"""What a sentence says a name is, and the two support guards read from it: another
nationality for the same name contradicts; evidence about another name of the same kind
neither backs nor refutes."""

from __future__ import annotations

import pytest

from assistant.config import RuleSettings
from assistant.descriptions import (
    another_of_its_kind,
    described,
    described_alike,
    described_otherwise,
)
from assistant.support import OfflineSupportJudge
from assistant.values import is_nationality

KARELIYA = (
    "Among the detected assets was the Russian electronic intelligence ship Kareliya, which "
    "Japan identified by its hull number."
)
BEIJIXING = "Japan detected the Chinese intelligence ship CNS Beijixing on 30 January."


@pytest.mark.parametrize(
    ("sentence", "name", "nationality", "kind"),
    [
        (KARELIYA, "kareliya", "russian", "ship"),  # "ship Kareliya": compounded into it
        (BEIJIXING, "beijixing", "chinese", "ship"),  # "ship CNS Beijixing": in apposition
        ("The Kareliya is a Chinese intelligence ship.", "kareliya", "chinese", "ship"),
        ("The Russian spy ship Kareliya sailed through the strait.", "kareliya", "russian", "ship"),
    ],
)
def test_a_name_is_described_by_its_noun_phrase(
    sentence: str, name: str, nationality: str, kind: str
) -> None:
    description = described(sentence)[name]
    assert description.nationalities == {nationality} and description.kinds == {kind}


def test_a_name_that_only_acts_is_not_described() -> None:
    """Japan identifies the ship in KARELIYA: nothing there says what Japan is."""
    assert "japan" not in described(KARELIYA)


def test_another_nationality_for_the_same_name_contradicts() -> None:
    claim = "The Kareliya is a Chinese intelligence ship."
    assert described_otherwise(claim, KARELIYA) == ("Kareliya", "Chinese", "Russian")
    judged = OfflineSupportJudge().judge(claim, KARELIYA, 0.6)
    assert judged.label == "contradicts" and judged.changes_a_value
    assert "Chinese" in judged.reason and "Russian" in judged.reason


@pytest.mark.parametrize(
    "claim",
    [
        "The Kareliya is a Russian intelligence ship.",  # the same nationality
        "The Kareliya is an intelligence ship.",  # none given
        "The Kareliya followed a Chinese ship.",  # the Chinese ship is another one
    ],
)
def test_an_agreeing_or_unstated_nationality_is_no_change(claim: str) -> None:
    assert described_otherwise(claim, KARELIYA) is None


def test_evidence_about_another_ship_of_the_kind_speaks_of_another() -> None:
    claim = "The Kareliya is a Chinese intelligence ship."
    assert another_of_its_kind(claim, BEIJIXING) == ("Kareliya", "CNS Beijixing")
    judged = OfflineSupportJudge().judge(claim, BEIJIXING, 0.7)
    assert judged.label == "unrelated" and judged.speaks_of_another
    # A sentence that names the claim's ship too is about it, whatever else it names.
    both = f"{BEIJIXING} It sailed with the Kareliya."
    assert another_of_its_kind(claim, both) is None


@pytest.mark.parametrize(
    ("claim", "evidence"),
    [
        # Not country adjectives: oceans, seas, continents.
        ("Russia's Pacific Fleet held drills.", "Russia's Baltic Fleet held drills."),
        (
            "The Japanese carmaker Toyota recalled cars.",
            "The Asian carmaker Toyota said sales fell.",
        ),
        # No kind of thing: the nationality tells two ministries apart.
        (
            "The Chinese Foreign Ministry said the patrol was lawful.",
            "The Japanese Foreign Ministry summoned the ambassador.",
        ),
    ],
)
def test_only_a_country_adjective_of_a_described_name_is_a_nationality(
    claim: str, evidence: str
) -> None:
    assert described_otherwise(claim, evidence) is None


def test_a_ship_the_claim_names_too_or_named_around_the_evidence_is_no_other() -> None:
    claim = "The Russian ship Kareliya trailed the Chinese ship Beijixing."
    evidence = "The Chinese ship Beijixing was trailed by the Russian vessel."
    assert another_of_its_kind(claim, evidence) is None
    single = "The Kareliya is a Russian intelligence ship."
    around = "The Russian ship Kareliya entered the Tsushima Strait on Monday."
    other = "Japan later detected the Chinese intelligence ship CNS Beijixing."
    assert another_of_its_kind(single, other) == ("Kareliya", "CNS Beijixing")
    assert another_of_its_kind(single, other, around) is None


def test_the_guards_can_be_turned_off() -> None:
    off = OfflineSupportJudge(rules=RuleSettings(descriptions=False))
    claim = "The Kareliya is a Chinese intelligence ship."
    assert not off.judge(claim, KARELIYA, 0.6).changes_a_value
    assert not off.judge(claim, BEIJIXING, 0.7).speaks_of_another


@pytest.mark.parametrize(
    ("word", "nationality"),
    [("Russian", True), ("Israeli", True), ("Chinese", True), ("russian", False),
     ("Japan", False), ("Pacific", False), ("Caribbean", False), ("Republican", False)],
)  # fmt: skip
def test_a_nationality_is_a_listed_country_adjective(word: str, nationality: bool) -> None:
    """Read by its ending, "Japan", "Pacific" and "Republican" were nationalities too."""
    assert is_nationality(word) is nationality


@pytest.mark.parametrize(
    ("claim", "evidence", "alike"),
    [
        ("The Beijixing is a Type 815 ship.", "Japan detected the intelligence ship Beijixing.",
         True),
        ("The Beijixing is a Chinese ship.", "Japan saw the Chinese spy ship CNS Beijixing.",
         True),
        # Another nationality, another kind, or a claim that says more than what it is.
        ("The Beijixing is a Russian ship.", "Japan saw the Chinese spy ship CNS Beijixing.",
         False),
        ("The Beijixing is a destroyer.", "Japan saw the spy ship CNS Beijixing.", False),
        ("The spy ship Beijixing sailed into Japanese waters.",
         "Japan saw the spy ship CNS Beijixing.", False),
    ],
)  # fmt: skip
def test_two_descriptions_of_one_name_as_one_kind(claim: str, evidence: str, alike: bool) -> None:
    assert described_alike(claim, evidence) == alike

"""Who did what to whom, read from the parse: a claim with the roles the other way round is
another statement, whatever words it shares with the source."""

import pytest

from assistant.roles import (
    receiver_acts,
    receiver_does,
    replaced_the_other_way,
    swapped_roles,
    verb_roles,
)
from assistant.support import OfflineSupportJudge

SHIPPED = "Chinese companies shipped hundreds of drone engines to Russia's Alabuga drone factory."
REPLACE = (
    "At Misawa, 48 F-35A stealth fighters will replace the older F-16s of the 35th Fighter Wing."
)


@pytest.mark.parametrize(
    ("claim", "evidence", "swapped"),
    [
        # The receiver of the source's verb does in the claim, the doer receives.
        ("Russia supplies drone components to China.", SHIPPED, ("russia", "china")),
        # The parse reads "supplies" here as a noun: the roles are read from the wording.
        ("Russia supplies drone engines to China.", SHIPPED, ("russia", "china")),
        ("Chinese firms are supplying drone engines to Russia.", SHIPPED, None),
        (
            "The Kareliya tracked Japan.",
            "The Kareliya was tracked by Japan.",
            ("kareliya", "japan"),
        ),
        # "replace X with Y" is "Y replaces X".
        (
            "The United States is replacing the F-35As at Misawa with F-16s.",
            REPLACE,
            ("f-16s", "f-35as"),
        ),
        # The same roles, said otherwise: active and passive, another verb, replace-with.
        ("China supplies drone parts to Russia.", SHIPPED, None),
        ("Japan tracked the Kareliya.", "The Kareliya was tracked by Japan.", None),
        ("The US is replacing the F-16s at Misawa with F-35As.", REPLACE, None),
        # Converse or symmetric verbs, and another verb elsewhere in the sentence, prove nothing.
        ("Putin visited Xi in Beijing in May.", "Xi hosted Putin in Beijing in May.", None),
        ("Putin met Xi in Beijing.", "Xi met Putin in Beijing.", None),
        (
            "China warned Japan against interfering in Taiwan.",
            "China warned Japan against interfering in Taiwan, days after Japan criticised China.",
            None,
        ),
        # A verb with names on one side only says nothing of roles.
        ("Beijing dismissed the claims.", "Beijing has dismissed these claims.", None),
    ],
)
def test_roles_the_other_way_round(claim: str, evidence: str, swapped: tuple | None) -> None:
    assert swapped_roles(claim, evidence) == swapped


@pytest.mark.parametrize(
    ("claim", "label"),
    [
        # A replacement goes one way only: the F-35As replacing the F-16s rules out the
        # reverse, in any wording, so the reverse is contradicted, not another statement.
        ("The United States is replacing the F-35As at Misawa with F-16s.", "contradicts"),
        ("F-16s will replace the F-35As at Misawa.", "contradicts"),
        ("The F-35As at Misawa will be replaced by F-16s.", "contradicts"),
        ("The US is replacing the F-16s at Misawa with F-35As.", "supports"),
        # Sending goes both ways: the reverse is another statement.
        ("Russia supplies drone parts to China.", "unrelated"),
    ],
)  # fmt: skip
def test_a_replacement_the_other_way_round_contradicts(claim: str, label: str) -> None:
    evidence = SHIPPED if "drone" in claim else REPLACE
    judged = OfflineSupportJudge().judge(claim, evidence, similarity=0.8)
    assert judged.label == label, judged
    if label == "contradicts":
        assert judged.changes_a_value
        assert judged.reason.endswith("replacement the other way round: f-16s replacing f-35as")
    assert (replaced_the_other_way(claim, evidence) is not None) == (label == "contradicts")


def test_a_pronoun_or_common_noun_fills_no_role() -> None:
    """'It has been supplying components' names no doer: no frame to compare."""
    assert verb_roles("It has been supplying components to the factory.") == ()


def test_the_rules_read_a_swap_as_another_statement() -> None:
    judge = OfflineSupportJudge()
    judged = judge.judge("Russia supplies drone parts to China.", SHIPPED, similarity=0.8)
    assert judged.label == "unrelated" and judged.swaps_roles
    assert "russia" in judged.reason and "china" in judged.reason
    same = judge.judge("Chinese companies shipped drone engines to Russia.", SHIPPED, 0.9)
    assert same.label == "supports"


@pytest.mark.parametrize(
    "sentence",
    [
        "Russia sent troops to the front, officials said.",  # no name receives
        "The ship sailed to Okinawa.",  # no verb of sending
        "Chinese exports to China rose.",  # no verb: nothing sent by anyone
        "Chinese navy ships were spotted close to Japan.",  # "ships" is a noun here
        "China sells more drones than ever according to Russian officials.",
    ],
)
def test_the_wording_gives_roles_only_to_names_on_both_sides_of_a_sending(sentence: str) -> None:
    assert verb_roles(sentence) == () or all(r.verb != "supply" for r in verb_roles(sentence))


SOURCE_OF = (
    "By early 2025, China was reportedly the source of 80% of the electronics in Russian drones."
)
SUPPLYING = (
    "China says it is neutral in the Russo-Ukrainian war, but it has been supplying components "
    "for Russian ammunition and drone production."
)
ALONGSIDE = "Russia and China sent reconnaissance aircraft and ships close to Japan's borders."


@pytest.mark.parametrize(
    ("claim", "evidence", "found"),
    [
        # The claim's receiver is the one acting in the source, and receives nothing there.
        ("Russia supplies drone parts to China.", SOURCE_OF, ("russia", "china")),
        ("Russia shipped drones to China.", SUPPLYING, ("russia", "china")),
        # Sending alongside the other is not sending to it.
        ("Russia shipped drones to China.", ALONGSIDE, ("russia", "china")),
        # The sender acting in the source is what the claim says.
        ("China supplies drone parts to Russia.", SOURCE_OF, None),
        ("China supplies drone parts to Russia.", SUPPLYING, None),
        # A claim that sends nothing, or a source where the receiver receives.
        ("China watched Russia.", SOURCE_OF, None),
        ("Russia shipped drones to China.", "China received drones from Russia.", None),
        # The claim's sender sends in the source too, the receiver acting elsewhere in it.
        (
            "Russia supplies drone parts to China.",
            "China uses drone parts supplied by Russia.",
            None,
        ),
        (
            "Russia supplies drone parts to China.",
            "China said Russia had supplied it with drone parts.",
            None,
        ),
        (
            "The US sent F-35A fighters to Japan.",
            "Japan deployed F-35A fighters sent by the US.",
            None,
        ),
    ],
)
def test_the_receiver_of_what_is_sent_acting_in_the_source(
    claim: str, evidence: str, found: tuple | None
) -> None:
    assert receiver_acts(claim, evidence) == found


def test_a_source_where_the_receiver_acts_backs_no_sending_to_it() -> None:
    """The entailment judge reads "China was the source of the electronics in Russian drones"
    as backing "Russia supplies drone parts to China" (0.67): the names alone."""
    judged = OfflineSupportJudge().judge("Russia supplies drone parts to China.", SOURCE_OF, 0.7)
    assert judged.label == "unrelated" and judged.swaps_roles


SHADOWED = "The destroyer JS Suzutsuki shadowed the ship for two days."


@pytest.mark.parametrize(
    ("claim", "evidence", "found"),
    [
        # The claim's receiver does the same to someone the source does not name.
        (
            "The Chinese spy ship Beijixing shadowed the Japanese destroyer JS Suzutsuki.",
            SHADOWED,
            ("beijixing", "js"),
        ),
        (
            "Russia attacked Ukraine.",
            "Ukraine attacked the depot overnight.",
            ("russia", "ukraine"),
        ),
        # The roles as the claim has them, a named receiver (swapped_roles' to read), the
        # claim's doer acting too, or a verb whose sides can trade places: nothing found.
        ("The destroyer JS Suzutsuki shadowed the Beijixing.", SHADOWED, None),
        ("Russia attacked Ukraine.", "Russia attacked the depot overnight.", None),
        ("Russia attacked Ukraine.", "Ukraine attacked Russia's depot.", None),
        ("Russia attacked Ukraine.", "Russia and Ukraine attacked the depot.", None),
        ("Putin met Xi.", "Xi met the delegation.", None),
    ],
)
def test_the_receiver_doing_it_to_someone_unnamed(
    claim: str, evidence: str, found: tuple | None
) -> None:
    assert receiver_does(claim, evidence) == found


def test_a_name_in_apposition_fills_its_role() -> None:
    """ "the destroyer JS Suzutsuki": the destroyer is named after the noun, and the small
    model tags "Beijixing" there as a common noun."""
    (roles,) = verb_roles("The spy ship Beijixing shadowed the destroyer JS Suzutsuki.")
    assert "beijixing" in roles.doer and {"js", "suzutsuki"} <= roles.receiver

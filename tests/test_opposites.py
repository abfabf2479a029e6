"""The opposite-word rule: "will stop" against "will likely continue" is contradicted; a
negated side, a converse pair or another statement is not."""

from __future__ import annotations

import pytest

from assistant.config import RuleSettings
from assistant.opposites import (
    OPPOSITES,
    comparison_missing,
    opposed_word,
    other_side_missing,
    same_direction,
)
from assistant.support import OfflineSupportJudge

FORECAST = "Russia and China will likely continue expanding their military activity around Japan."


def test_the_opposite_word_in_the_same_statement_contradicts() -> None:
    judged = OfflineSupportJudge().judge(
        "China and Russia will stop their military activity near Japan.", FORECAST, 0.8
    )
    assert judged.label == "contradicts" and judged.changes_a_value
    assert "stop" in judged.reason and "continue" in judged.reason


def test_the_same_word_still_supports_and_the_rule_can_be_turned_off() -> None:
    same = "Russia and China will continue their military activity near Japan."
    assert OfflineSupportJudge().judge(same, FORECAST, 0.8).label == "supports"
    off = OfflineSupportJudge(rules=RuleSettings(opposite_words=False))
    claim = "China and Russia will stop their military activity near Japan."
    assert off.judge(claim, FORECAST, 0.8).label != "contradicts"


def test_a_negated_side_or_another_statement_is_not_flipped() -> None:
    judge = OfflineSupportJudge()
    negated = judge.judge("Russia and China did not stop their military activity.", FORECAST, 0.8)
    assert "opposite" not in negated.reason
    other = judge.judge("The Kareliya stopped at Vladivostok.", FORECAST, 0.8)
    assert other.label != "contradicts"


def test_converse_pairs_are_not_listed() -> None:
    assert opposed_word("Japan won the match.", "Japan lost the match.") is None
    assert all(word not in OPPOSITES for word in ("before", "after", "bought", "sold", "more"))
    assert all(word in OPPOSITES[other] for word in OPPOSITES for other in OPPOSITES[word])


def test_an_opposite_direction_in_a_reworded_statement_contradicts() -> None:
    """Most of the claim's other words around the evidence are enough for an opposite word
    ("keeping … away" is not "flying", and "than in earlier years" is left unsaid: 0.73 of
    them); a changed value needs 0.8."""
    evidence = (
        "The number was lower than the year before, but officials said Chinese drones were "
        "flying closer to Japan's south-western islands."
    )
    claim = (
        "Chinese drones are keeping further away from Japan's south-western islands "
        "than in earlier years."
    )
    judged = OfflineSupportJudge().judge(claim, evidence, 0.8)
    assert judged.label == "contradicts" and "further" in judged.reason
    strict = OfflineSupportJudge(rules=RuleSettings(opposite_min_frame_coverage=0.8))
    assert strict.judge(claim, evidence, 0.8).label != "contradicts"


def test_comparatives_are_opposites_only_against_the_same_thing() -> None:
    """ "More often … than the year before" against "lower than the year before" compares with
    one thing; "more ships than Russia" against "fewer ships than China" swaps the sides."""
    evidence = "The number of scrambles was lower than the year before, officials said."
    claim = "The number of scrambles was higher than the year before."
    assert opposed_word(claim, evidence, comparatives=True) == ("higher", "lower")
    assert opposed_word(claim, evidence) is None
    assert OfflineSupportJudge().judge(claim, evidence, 0.8).label == "contradicts"
    swapped = ("China sent more ships than Russia.", "Russia sent fewer ships than China.")
    assert opposed_word(*swapped, comparatives=True) is None
    plain = ("China sent more ships.", "China sent fewer ships.")
    assert opposed_word(*plain, comparatives=True) is None
    # A comparison of two other things needs the frame of a changed value: here only
    # "inflation" and "unemployment" differ, rare words in a news corpus (weighed so here).
    rare = OfflineSupportJudge(idf=lambda term: 3.0 if term[:5] in {"infla", "unemp"} else 1.0)
    other = rare.judge(
        "Japan's inflation in March was higher than expected.",
        "Japan's unemployment in March was lower than expected.",
        0.8,
    )
    assert other.label != "contradicts"


def test_two_flipped_words_cancel_and_further_is_a_direction_only_away_or_from() -> None:
    patrols = (
        "Russia will likely continue its patrols.",
        "Russia is unlikely to stop its patrols.",
    )
    assert opposed_word(*patrols) is None
    ties = ("They agreed to closer defence ties.", "They agreed to further defence ties.")
    assert opposed_word(*ties) is None
    drones = ("The drones kept further away.", "The drones flew closer.")
    assert opposed_word(*drones) == ("further", "closer")


def test_a_curly_apostrophe_negates_too() -> None:
    judged = OfflineSupportJudge().judge("Russia won’t stop its military activity.", FORECAST, 0.8)
    assert "opposite" not in judged.reason


FISCAL_2024 = "Japan's Air Self-Defense Force scrambled fighter jets 670 times in fiscal year 2024."
MORE_OFTEN = "Japan scrambled its fighters more often in fiscal 2024 than the year before."


def test_a_comparison_the_evidence_does_not_make_is_not_backed() -> None:
    """A count for one year says nothing of the year before: the claim's comparison is its
    own statement, which neither the rules nor the model may back with it."""
    assert comparison_missing(MORE_OFTEN, FISCAL_2024) == "year before"
    judged = OfflineSupportJudge().judge(MORE_OFTEN, FISCAL_2024, 0.9)
    assert judged.label == "unrelated" and "year before" in judged.reason
    off = OfflineSupportJudge(rules=RuleSettings(comparisons_given=False))
    assert "year before" not in off.judge(MORE_OFTEN, FISCAL_2024, 0.9).reason


@pytest.mark.parametrize(
    "evidence",
    [
        "Japan scrambled fighters 670 times in fiscal 2024, up from 600 the year before.",
        "Japan scrambled its fighters more often in fiscal 2024 than the year before.",
        "Japan scrambled jets 704 times in fiscal 2024, up from 669 in fiscal 2023.",
        "Japan scrambled jets 704 times in fiscal 2024 compared with 669 in fiscal 2023.",
    ],
)
def test_a_comparison_the_evidence_makes_too_is_left_to_the_other_readings(
    evidence: str,
) -> None:
    assert comparison_missing(MORE_OFTEN, evidence) is None


@pytest.mark.parametrize(
    "claim",
    [
        "The Kareliya stayed near the islands for more than a week.",
        "More than half of the scrambles were against Chinese aircraft.",
        "Scrambles against drones more than doubled.",
        "Japan chose to protest rather than send more ships.",
    ],
)
def test_a_bound_or_rather_than_compares_nothing(claim: str) -> None:
    assert comparison_missing(claim, FISCAL_2024) is None


def test_every_than_is_read_not_only_the_first() -> None:
    claim = (
        "Japan scrambled jets more than 600 times in fiscal 2024, more often than the year before."
    )
    assert comparison_missing(claim, FISCAL_2024) == "year before"


def test_a_bound_is_a_value_not_a_comparison() -> None:
    bound = "Japan scrambled fighter jets more than 600 times in fiscal 2024."
    assert comparison_missing(bound, FISCAL_2024) is None
    assert OfflineSupportJudge().judge(bound, FISCAL_2024, 0.9).label == "supports"


def test_a_sentence_inherits_its_moment_from_the_sentence_before() -> None:
    """ "The number was lower …" gives no year, the sentence before it does: the claim's 2024
    is not a value this evidence leaves out."""
    claim = "Japan scrambled fewer fighters in fiscal 2024 than the year before."
    evidence = "The number was lower than the year before."
    judge = OfflineSupportJudge()
    assert "2024" in judge.judge(claim, evidence, 0.7).reason
    assert "2024" not in judge.judge(claim, evidence, 0.7, context=FISCAL_2024).reason
    # A sentence that gives its own year keeps it: it speaks of that year.
    own = "The number was lower in 2016 than the year before."
    assert "2024" in judge.judge(claim, own, 0.7, context=FISCAL_2024).reason


FEWER = "Japan scrambled fewer jets in fiscal 2024 than the year before."
LOWER = (
    "The number was lower than the year before, but officials said Chinese drones were "
    "flying closer to Japan's south-western islands than in earlier years."
)
HEADLINE = "Japan scrambled fighter jets 704 times in fiscal 2024"


def test_the_same_comparison_in_another_word_backs_the_claim() -> None:
    """ "Fewer … than the year before" is what "lower than the year before" says: the rules
    back it where its other words are around the evidence, and only then."""
    assert same_direction(FEWER, LOWER) == ("fewer", "lower")
    judged = OfflineSupportJudge().judge(FEWER, LOWER, 0.6, HEADLINE)
    assert judged.label == "supports" and judged.compares_alike
    assert "“fewer” as “lower”" in judged.reason
    # Without the headline, nothing says the number is of fiscal 2024's scrambles.
    assert not OfflineSupportJudge().judge(FEWER, LOWER, 0.6).compares_alike
    off = OfflineSupportJudge(rules=RuleSettings(comparatives_alike=False))
    assert not off.judge(FEWER, LOWER, 0.6, HEADLINE).compares_alike


def test_a_comparison_alike_needs_the_same_thing_one_direction_and_no_negation() -> None:
    more = "Japan scrambled more jets in fiscal 2024 than the year before."
    assert same_direction(more, LOWER) is None  # the opposite: opposed_word's to judge
    assert same_direction("China sent fewer ships than Russia.", LOWER) is None
    assert same_direction(FEWER, "The trip took less than a week.") is None  # a bound
    assert same_direction(FEWER, "Japan scrambled fewer jets than the year before.") is None
    both = "Fewer jets flew, though more drones came, than the year before."
    assert same_direction(both, LOWER) is None
    negated = "Japan did not scramble fewer jets in fiscal 2024 than the year before."
    assert not OfflineSupportJudge().judge(negated, LOWER, 0.6, HEADLINE).compares_alike


@pytest.mark.parametrize("period", ["the previous year", "the prior year", "a year earlier"])
def test_one_period_back_is_the_same_thing_in_any_of_its_words(period: str) -> None:
    """ "Than in the previous year" compares with what "than the year before" does, and the
    claim's other words are met without it."""
    more = f"Japan scrambled more fighter jets in fiscal 2024 than {period}."
    assert opposed_word(more, LOWER, comparatives=True) == ("more", "lower")
    fewer = more.replace("more", "fewer")
    assert same_direction(fewer, LOWER) == ("fewer", "lower")
    assert OfflineSupportJudge().judge(fewer, LOWER, 0.6, HEADLINE).compares_alike
    other = "Japan scrambled fewer jets in fiscal 2024 than the month before."
    assert same_direction(other, LOWER) is None


KARELIYA_FIRST = "The Kareliya was seen before the Beijixing."


@pytest.mark.parametrize(
    ("claim", "evidence", "missing"),
    [
        # One side alone says nothing of how the two compare.
        (KARELIYA_FIRST, "The Beijixing later sailed towards the East China Sea.", "Kareliya"),
        # The subject is the claim's first name, not the last one before "than".
        ("China sent more ships to the Sea of Japan than Russia.", "Russia sent ten.", "China"),
        # Every word of a name; a country by its adjective; a word that only opens the claim.
        (
            "China sent more ships than North Korea.",
            "China sent 12, South Korea said.",
            "North Korea",
        ),
        (
            "China sent more warships than Russia.",
            "Chinese warships outnumbered Russian ones.",
            None,
        ),
        (
            "Shortly after Japan protested, China withdrew.",
            "China withdrew after Japan protested.",
            None,
        ),
        (
            KARELIYA_FIRST,
            "The Kareliya first entered the East China Sea on 7 January.",
            "Beijixing",
        ),
        ("China sent more ships than Russia.", "Russia sent ten ships.", "China"),
        # Both sides named: the judge and the other rules read it.
        (KARELIYA_FIRST, "The Kareliya was seen three weeks before the Beijixing.", None),
        ("China sent more ships than Russia.", "China sent 12 ships and Russia 10.", None),
        # A moment, a clause that opens the claim, a comparison with no name: not this rule's.
        ("The drills ended before Monday.", "The drills ended.", None),
        ("The ship left before 28 January.", "The ship left port.", None),
        ("After the talks, China sent more ships.", "China sent 12 ships.", None),
        ("Japan scrambled fewer jets than the year before.", LOWER, None),
    ],
)
def test_a_claim_that_sets_one_name_against_another_needs_both(
    claim: str, evidence: str, missing: str | None
) -> None:
    assert other_side_missing(claim, evidence) == missing
    if missing:
        judged = OfflineSupportJudge().judge(claim, evidence, 0.7)
        assert judged.label == "unrelated" and missing in judged.reason


def test_the_same_comparison_must_be_said_of_what_the_claim_counts() -> None:
    """ "Higher" of a budget or of altitudes is no "more jets"; a negated side is no backing."""
    more = "Japan scrambled more jets in fiscal 2024 than the year before."
    assert same_direction(more, "Its defence budget was higher than the year before.") is None
    assert same_direction(more, "The jets flew at higher altitudes than the year before.") is None
    not_fewer = "Japan did not scramble fewer jets in fiscal 2024 than the year before."
    though = "The number was lower than the year before, though officials gave no reason."
    assert not OfflineSupportJudge().judge(not_fewer, though, 0.6, HEADLINE).compares_alike


def test_a_period_back_is_looked_for_as_the_claim_writes_it() -> None:
    """ "Than the previous year" is found in evidence that says "the previous year"."""
    claim = "Japan scrambled fewer jets in 2024 than the previous year."
    evidence = "Japan scrambled jets 704 times in 2024, against 778 the previous year."
    assert comparison_missing(claim, evidence) is None

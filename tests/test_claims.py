from __future__ import annotations

import pytest

from assistant.chunking import split_sentences
from assistant.conflicts import ValueConflictJudge, names_unwritten
from assistant.service import Assistant
from assistant.stance import StanceReader, may_deny_content, may_have_stance, nlp
from assistant.support import OfflineSupportJudge, negates_otherwise
from assistant.values import (
    compared_values,
    counted_otherwise,
    figures,
    mask_values,
    restated,
    said_within,
    shared_words,
    values,
    with_governments,
)
from tests.conftest import DEMO_SOURCES, SEED_FACTS

reader = StanceReader()


@pytest.mark.parametrize(
    ("sentence", "kind", "party"),
    [
        (
            "China has been supplying components for Russian drone production, according to "
            "Ukraine's Foreign Intelligence Service.",
            "attributed",
            "Ukraine's Foreign Intelligence Service",
        ),
        (
            "It supplied parts, as per Ukraine's intelligence agency.",
            "attributed",
            "Ukraine's intelligence agency",
        ),
        # Plain attribution is a softer label, not a dispute.
        ("The ministry said the ship left port.", "attributed", "The ministry"),
        ("Japan's forces logged the activity, Newsweek reported.", "attributed", "Newsweek"),
        (
            "By early 2025, 80% of the electronics were reportedly sourced from China.",
            "hedged",
            None,
        ),
        ("The ship is believed to carry radar equipment.", "hedged", None),
        ("Russia and China will likely continue expanding their activity.", "forecast", None),
        (
            "The fleet is expected to hold drills in April, a navy spokesperson said.",
            "forecast",
            "a navy spokesperson",
        ),
        ("Beijing has dismissed these claims as baseless accusations.", "denial", "Beijing"),
        (
            "China's foreign ministry denied that Chinese companies shipped drone engines.",
            "denial",
            "China's foreign ministry",
        ),
        ("Lin Jian called the reports groundless.", "denial", "Lin Jian"),
        ("The claims were dismissed by Beijing.", "denial", "Beijing"),
        ("Tokyo rejected the suggestion that its jets entered the zone.", "denial", "Tokyo"),
        ("The company denied any wrongdoing.", "denial", "The company"),
        ("Officials denied it.", "denial", "Officials"),
        # Denial verbs acting on things that are no claims.
        ("The club dismissed its head coach after a 1-4 start.", "asserted", None),
        ("The court rejected the appeal on Tuesday.", "asserted", None),
        ("McHenry has dismissed efforts to keep him in the role.", "asserted", None),
        ("The minister rebuffed calls to resign.", "asserted", None),
        ("The delegation was denied entry to the talks.", "asserted", None),
        ("The league denied the request for a replay.", "asserted", None),
        ("He was dismissed from his post.", "asserted", None),
        ("Israel denied the journalists access to Gaza.", "asserted", None),
        # The parser makes a clause of "him bail"; its subject is an object pronoun.
        ("The court denied him bail.", "asserted", None),
        ("He denied he was there.", "denial", "He"),
        ("The Kareliya entered the East China Sea on 7 January.", "asserted", None),
        # "not" and "deny" inside quotation marks are someone's words, not the article's denial.
        ('The banner read "we deny everything" in red.', "asserted", None),
        ('Tourists called the festival "not to be missed".', "asserted", None),
    ],
)
def test_stance_reader(sentence: str, kind: str, party: str | None) -> None:
    stance = reader.read(sentence)
    assert (stance.kind, stance.party) == (kind, party)


def test_a_sentence_without_a_cue_is_asserted_unparsed() -> None:
    """The stance reader parses only sentences that hold a cue word or phrase: on every
    sentence of the demo articles (and a few written to tempt the shortcut) its reading is
    the full parse's, and no denial of a content of its own is missed by ``may_deny_content``."""
    sentences = [
        text[a:b]
        for path in sorted(DEMO_SOURCES.rglob("*.md"))
        for text in [path.read_text(encoding="utf-8")]
        for a, b in split_sentences(text)
    ] + [
        "The statement was issued late.",  # starts like "stated": parsed, still asserted
        "Officials denied it, calling the reports fabricated.",
        'The ministry "denied these claims" and said shipments were legal.',
        "Moscow had told reporters the drills were routine.",
        # A line break inside "the claims": no phrase for the parse, a content of its own.
        "Beijing denied the\nclaims that Chinese firms shipped engines.",
    ]
    full = [reader._stance(doc) for doc in nlp().pipe(sentences)]
    assert reader.read_many(sentences) == full
    assert sum(not may_have_stance(s) for s in sentences) > len(sentences) / 2
    for sentence, stance in zip(sentences, full, strict=True):
        if stance.kind == "denial" and stance.denied_text:
            assert may_deny_content(sentence), sentence


def test_denials_point_back_or_carry_their_content() -> None:
    back = reader.read("Beijing has dismissed these claims as baseless accusations.")
    explicit = reader.read(
        "The ministry denied that Chinese firms shipped drone engines to Russia."
    )
    assert back.refers_back and back.denied_text is None
    assert not explicit.refers_back
    assert explicit.denied_text == "Chinese firms shipped drone engines to Russia"


def test_values_and_masking() -> None:
    found = values("The ship was seen on 28 January and on Feb. 3, about 90 km from Kyushu.")
    assert found["date"] == {"1-28", "2-3"}
    assert found["number"] == {"90"}
    assert "kyushu" in found["name"]
    assert mask_values("On 28 January, 704 jets flew.") == "On DATE, NUMBER jets flew."


@pytest.mark.parametrize(
    ("sentence", "months"),
    [
        ("The Kareliya passed the strait in June.", {"6"}),
        ("In early February the ship sailed north; it returned in mid-March.", {"2", "3"}),
        ("Drills ran between January and March 2025.", {"1", "3"}),
        ("Sales fell in October 2023.", {"10"}),
        # A month with its day is a date, and its month is the date's.
        ("From 25 January to 26 January, the Kareliya transited the strait.", {"1"}),
        # "may" is a verb, "March" opening a sentence a word, "May" after a name a name.
        ("China may stop. March is cold. Theresa May spoke.", set()),
        # At the start of a sentence too; not a name that begins with a month's word.
        ("In May, the fleet will hold drills planned for June.", {"5", "6"}),
        ("The report by June Cross came out.", set()),
    ],
)
def test_months_without_a_day(sentence: str, months: set[str]) -> None:
    assert values(sentence)["month"] == months


@pytest.mark.parametrize(
    ("claim", "evidence", "label"),
    [
        # Another month for the same statement is a changed value, as another date is.
        ("Japan first detected the Chinese intelligence ship CNS Beijixing in April.",
         "Japan first detected the Chinese intelligence ship CNS Beijixing on 28 January.",
         "contradicts"),
        ("Japan first detected the Chinese intelligence ship CNS Beijixing in January.",
         "Japan first detected the Chinese intelligence ship CNS Beijixing on 28 January.",
         "supports"),
        # "early", "late" and "mid" go with the month: the rest of the words are the same.
        ("Japan first detected the Chinese intelligence ship CNS Beijixing in early April.",
         "Japan first detected the Chinese intelligence ship CNS Beijixing on 28 January.",
         "contradicts"),
        # A month the evidence never gives is a moment it does not speak of.
        ("Japan first detected the Chinese intelligence ship CNS Beijixing in January.",
         "Japan first detected the Chinese intelligence ship CNS Beijixing near Kyushu.",
         "unrelated"),
    ],
)  # fmt: skip
def test_a_month_is_a_value(claim: str, evidence: str, label: str) -> None:
    judged = OfflineSupportJudge().judge(claim, evidence, 0.9)
    assert judged.label == label
    if label == "contradicts":
        assert judged.reason == "the claim gives the month as April, the source as January"


@pytest.mark.parametrize(
    ("claim", "label"),
    [
        # "more often" is one comparative, and "its" states nothing the evidence must hold:
        # the rest is the statement the evidence makes under its headline.
        ("Japan scrambled its fighters more often in fiscal 2024 than the year before.",
         "contradicts"),
        ("Japan scrambled its fighters less often in fiscal 2024 than the year before.",
         "supports"),
    ],
)  # fmt: skip
def test_a_comparative_with_its_adverb(claim: str, label: str) -> None:
    evidence = "The number was lower than the year before, officials said."
    headline = "Japan scrambled fighter jets 704 times in fiscal 2024"
    judged = OfflineSupportJudge().judge(claim, evidence, 0.6, headline)
    assert judged.label == label, judged


_SHARE = (
    "About 64 percent of the scrambles were against Chinese aircraft and most of the rest "
    "against Russian aircraft."
)


@pytest.mark.parametrize(
    ("claim", "label"),
    [
        # A fraction is the share it states: "half" is not "about 64 percent", "three in five"
        # or "two-thirds" may be, and "more than three in five" is met by an estimate of 64.
        ("Half of the scrambles were against Chinese aircraft.", "contradicts"),
        ("A quarter of the scrambles were against Chinese aircraft.", "contradicts"),
        ("More than three in five of the scrambles were against Chinese aircraft.", "supports"),
        ("About two-thirds of the scrambles were against Chinese aircraft.", "supports"),
        ("Fewer than one in three of the scrambles were against Chinese aircraft.",
         "contradicts"),
    ],
)  # fmt: skip
def test_a_fraction_is_a_share(claim: str, label: str) -> None:
    judged = OfflineSupportJudge().judge(claim, _SHARE, 0.9)
    assert judged.label == label, judged


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Japan scrambled jets more than 600 times in fiscal 2024.", {("600", "above")}),
        ("Misawa will receive roughly four dozen F-35As.", {("48", "about")}),
        ("The fleet will bring a couple of dozen ships.", {("24", "exact")}),
        ("It flew six hundred and seventy sorties, nearly 100 a month.", {("100", "nearly"),
                                                                           ("670", "exact")}),
        ("It holds 2.4 million dollars in no more than 3 banks.", {("2400000", "exact"),
                                                                     ("3", "at_most")}),
        ("One of the two ships entered on 28 January 2025 beside a PlayStation 4.", set()),
        ("About ten warships and forty-eight jets.", {("10", "about"), ("48", "exact")}),
        ("A dozen warships, some 7,000 troops, at least 2 planes.", {("12", "exact"),
                                                                       ("2", "at_least"),
                                                                       ("7000", "about")}),
        # A scale word belongs to a figure in words as to one in digits.
        ("The city has three million residents.", {("3000000", "exact")}),
        # A number word inside a name, or joined to another word, counts nothing.
        ("Visitors reached the Three Gorges Dam and Ten Downing Street.", set()),
        ("The top-three teams met.", set()),
        # A number that opens a compound counts what follows it; "twenty-five" is one number.
        ("A four-engine plane, a twin-engine jet and a 20-year-old pilot.", {("4", "exact"),
                                                                             ("2", "exact"),
                                                                             ("20", "exact")}),
        ("Twenty-five ships, a one-off visit.", {("25", "exact")}),
        # A fraction is a share, in percent, and read loosely unless a qualifier bounds it; the
        # numbers inside "three in five" are no figures of their own.
        ("Four-fifths of the parts, two-thirds of the crews.", {("80", "about"),
                                                                ("66.7", "about")}),
        ("Half of the scrambles; more than three in five jets; nine out of ten pilots.",
         {("50", "about"), ("60", "above"), ("90", "about")}),
        ("One in four Americans and 1 in 3 adults; a quarter of the crews.", {("25", "about"),
                                                                              ("33.3", "about")}),
        # "Half an hour", "one and a half days", "the second half of" and "5 in 7 days" state
        # no share.
        ("In the second half of the century and the first half of 2024.", set()),
        ("It took half an hour, then one and a half days; 5 in 7 days.", {("5", "exact"),
                                                                          ("7", "exact")}),
        ("A 1,000-strong force on a 2.5-hour flight.", {("1000", "exact"), ("2.5", "exact")}),
        ("Its 2022-era rules and The Three-Body Problem; three-fourths left.", set()),
        ("Three ships sailed past the Seven Sisters.", {("3", "exact")}),
        ("A million residents fled.", {("1000000", "exact")}),
        # A qualifier or function word that opens a sentence makes no name of the number after
        # it ("PlayStation 4" is one), and a hyphen between two numbers is a range.
        ("Between 20 and 30 boats gathered.", {("20", "exact"), ("30", "exact")}),
        ("About 64 percent were Chinese.", {("64", "about")}),
        ("Only 3 ships sailed; All 12 returned.", {("3", "exact"), ("12", "exact")}),
        ("Apollo 11 and Article 5 and a Boeing 737.", set()),
        ("The navy sent 20-30 warships.", {("20", "exact"), ("30", "exact")}),
        # A season or a span of years is no range of figures.
        ("Arsenal won the 2024-25 title with 88 points.", {("88", "exact")}),
        # How long ago is counted from the day of writing: no figure of the fact. "Earlier"
        # than planned is one.
        ("Ten years ago, 40 ships sailed; it sank 3 days ago.", {("40", "exact")}),
        ("The ship left 3 days earlier than planned.", {("3", "exact")}),
    ],
)  # fmt: skip
def test_figures_read_as_written(sentence: str, expected: set[tuple[str, str]]) -> None:
    assert {(f.key, f.bound) for f in figures(sentence)} == expected


def test_the_judge_reads_figures_as_the_evidence_writes_them() -> None:
    evidence = "Japan scrambled fighter jets 704 times, 2,400,000 dollars' worth, in 2024."
    assert (
        restated("Japan scrambled jets more than 600 times for $2.4 million.", evidence)
        == "Japan scrambled jets 704 times for $2,400,000."
    )
    # A bound the evidence misses, or a figure of another thing, is left as the claim says it.
    assert restated("Japan scrambled jets over 800 times.", evidence) == (
        "Japan scrambled jets over 800 times."
    )
    assert restated("It cost over 600 euros.", evidence) == "It cost over 600 euros."
    # An estimate of the same figure: the claim's figure as the evidence writes it, the
    # claim's own bound kept.
    estimate = "Organisers expect about 2.4 million visitors over the week."
    assert restated("The festival expects 2,400,000 visitors.", estimate) == (
        "The festival expects 2.4 million visitors."
    )
    assert restated("It expects more than 2,400,000 visitors.", estimate) == (
        "It expects more than 2,400,000 visitors."
    )


@pytest.mark.parametrize(
    ("sentence", "keys"),
    [
        ("The deal was worth $2m, or £1.5bn.", {"2000000", "1500000000"}),
        ("It cost $2mn.", {"2000000"}),
        ("Exports reached 2.4bn euros.", {"2400000000"}),
        # "m" and "k" without a currency sign are metres and kilometres, or a run.
        ("A 10m wall stood beside a 5k course.", set()),
        ("2m visitors came.", set()),
    ],
)
def test_abbreviated_scales(sentence: str, keys: set[str]) -> None:
    assert {f.key for f in figures(sentence)} == keys


def test_an_abbreviated_figure_is_the_same_figure_written_out() -> None:
    mine, theirs = compared_values("The deal was worth $2m.", "The deal was worth $2,000,000.")
    assert mine["number"] == theirs["number"] == {"2000000"}


def test_a_count_of_times_counts_the_act_before_it() -> None:
    """ "Scrambled fighter jets 704 times" counts scrambles, so "more than 700 scrambles" is
    met by it; "fighter jets" are not what it counts, nor is another clause's verb."""
    times = figures("Japan's Air Self-Defense Force scrambled fighter jets 704 times in 2024.")[0]
    (scrambles,) = figures("More than 700 scrambles were recorded by Japan in 2024.")
    assert times.counts_as(scrambles) and scrambles.counts_as(times)
    (fighters,) = figures("More than 700 fighters were recorded.")
    assert not times.counts_as(fighters)
    (other,) = figures("Japan scrambled jets and the ships sailed 704 times.")
    assert not other.counts_as(scrambles)
    # A part of the total is no changed count of it.
    part = "Japan made about 460 scrambles against Chinese aircraft in 2024."
    assert counted_otherwise(part, "Japan scrambled fighter jets 704 times in 2024.") is None
    claim = "More than 700 scrambles were recorded by Japan in 2024."
    evidence = "Japan scrambled fighter jets 704 times in 2024."
    mine, theirs = compared_values(claim, evidence)
    assert not mine["number"] and not theirs["number"]  # the bound is met: no changed value


def test_figures_that_agree_once_their_wording_is_read() -> None:
    source = "Japan scrambled jets 670 times, or 2,400,000 dollars' worth."
    mine, theirs = compared_values("They scrambled over 600 times for $2.4 million.", source)
    assert mine["number"] == theirs["number"] == {"2400000"}
    mine, theirs = compared_values("They scrambled more than 700 times.", source)
    assert mine["number"] == {"700"} and "670" in theirs["number"]
    # A source's bound does not make the claim's exact figure stated, unless both are sources.
    bounded = "The Joint Staff counted more than 700 scrambles."
    assert compared_values("It counted 704 scrambles.", bounded)[0]["number"] == {"704"}
    assert (
        compared_values("It counted 704 scrambles.", bounded, both_ways=True)[0]["number"] == set()
    )


@pytest.mark.parametrize(
    ("claim", "evidence", "pair"),
    [
        # The same thing counted, figures that cannot both hold.
        ("Misawa gets two dozen F-35As.", "It will field 48 F-35A jets.", ("two dozen", "48")),
        (
            "The drills involve about a dozen warships.",
            "The drills will involve more than 20 warships and support vessels.",
            ("a dozen", "20"),
        ),
        # Ranges that meet: "about two dozen" may be "more than 20".
        ("The drills involve about two dozen warships.", "Over 20 warships take part.", None),
        # One of the evidence's figures for the thing may be the claim's.
        ("Jets scrambled 670 times.", "704 times by one count, 670 times by another.", None),
        # Different things counted, or nothing named after the figure ("80% of").
        ("The fleet sent 12 warships.", "The fleet sent 20 aircraft.", None),
        ("China made 50% of the parts.", "China made 80% of the parts.", None),
        # A rate, a unit or a span of time is not a thing counted: two may be of two things.
        ("Prices rose 3 per cent.", "Prices rose 5 per cent.", None),
        ("The talks lasted three days.", "The talks lasted five days.", None),
        ("The ship was 20 kilometres offshore.", "The ship was 30 kilometres offshore.", None),
        # A range is one figure: met by any figure inside it, refuted by one outside.
        ("The navy sent 20 to 30 warships.", "The navy sent 25 warships.", None),
        ("The navy sent between 20 and 30 warships.", "The navy sent 50 warships.", ("30", "50")),
        ("Some 3 sunk and 20 damaged ships.", "20 damaged ships.", None),
        # A nationality is not the thing counted: warships are not aircraft.
        (
            "Three Russian warships sailed through the strait.",
            "Five Russian aircraft flew over the strait.",
            None,
        ),
        ("The navy sent 20-30 warships.", "The navy sent 50 warships.", ("30", "50")),
    ],
)
def test_figures_counted_otherwise(claim: str, evidence: str, pair: tuple[str, str] | None) -> None:
    found = counted_otherwise(claim, evidence)
    assert (None if found is None else (found[0].text, found[1].text)) == pair


def test_a_range_met_by_a_figure_inside_it_is_no_changed_value() -> None:
    mine, theirs = compared_values("The navy sent 20 to 30 warships.", "It sent 25 warships.")
    assert mine["number"] == theirs["number"] == set()
    mine, theirs = compared_values("The navy sent 20 to 30 warships.", "It sent 35 warships.")
    assert mine["number"] == {"20", "30"} and theirs["number"] == {"35"}


CLAIM = "Kazakh trading firms shipped drone engines to Russia's Alabuga drone factory."


@pytest.mark.parametrize(
    ("claim", "evidence", "within"),
    [
        (
            "China's foreign ministry denied that Chinese companies shipped drone engines.",
            "China's foreign ministry denied that Chinese companies shipped drone engines to "
            "Russia's Alabuga drone factory.",
            True,
        ),
        # Words in order but broken by others are not the claim: the US supplies Russia here.
        (
            "China supplies drone parts to Russia.",
            "China says the US supplies drone parts to Russia.",
            False,
        ),
        # Too short to mean anything inside a longer sentence.
        ("Russia won.", "Russia won nothing at all this year.", False),
        # Words before the claim may call it false, doubtful or hypothetical: only a short
        # lead-in ending with a comma counts.
        *[
            (CLAIM, framed.format(CLAIM.rstrip(".")), within)
            for framed, within in [
                ("It is false that {}.", False),
                ("Officials doubt that {}.", False),
                ("If {}, sanctions would follow.", False),
                ("Contrary to reports, {}.", False),
                ("According to the Joint Staff, {}.", True),
                ("{} in 2024, officials said.", True),
            ]
        ],
    ],
)
def test_a_claim_said_within_a_longer_sentence(claim: str, evidence: str, within: bool) -> None:
    assert said_within(claim, evidence) is within


@pytest.mark.parametrize(
    ("claim", "evidence", "label"),
    [
        # A share is not a count: not a changed value, nor one the source confirms.
        (
            "Japan scrambled fighter jets 704 times in fiscal 2024.",
            "About 64 percent of Japan's fighter jet scrambles in fiscal 2024 were against China.",
            "unrelated",
        ),
        ("Turnout was 60 percent in the election in Kenya.", "Turnout was 45 percent in the "
         "election in Kenya.", "contradicts"),
        ("Inflation in Turkey reached 75 percent in May.", "Inflation in Turkey reached 70 in "
         "May.", "unrelated"),
        # A nationality in a list stays what is counted: three Russian warships are there.
        ("Three Russian warships passed through the Tsushima Strait on Monday.", "Three Russian "
         "and five Chinese warships passed through the Tsushima Strait on Monday.", "supports"),
        # A figure inside a compound word is a figure: two engines are not four.
        ("The Il-20 is a twin-engine turboprop.", "The Il-20 is a four-engine turboprop that "
         "collects radar and radio signals.", "contradicts"),
        # The comma of "1,200" is no lead-in: 200 is not 1,200.
        ("200 troops crossed the border near Kharkiv on Monday.", "About 1,200 troops crossed "
         "the border near Kharkiv on Monday.", "contradicts"),
    ],
)  # fmt: skip
def test_figures_of_different_kinds(claim: str, evidence: str, label: str) -> None:
    assert OfflineSupportJudge().judge(claim, evidence, 0.9).label == label


def test_sentences_on_one_fact_share_words() -> None:
    first = "Japan first detected the Beijixing on 28 January near Okinawa."
    assert shared_words(first, "Japanese forces first detected the Beijixing on 30 January.") > 0.5
    assert shared_words(first, "The Sapporo Snow Festival expects 2.4 million visitors.") == 0.0
    # Figures and dates are not words the two share.
    assert shared_words("Ships left on 3 May.", "Snow fell on 3 May.") == 0.0


@pytest.mark.parametrize(
    ("claim", "speaker"),
    [
        ("Beijing confirmed that Chinese firms shipped drone engines to Russia.", "Beijing"),
        ("China's foreign ministry says it controls exports tightly.", "China's foreign ministry"),
        ("The Kareliya is a Russian intelligence ship.", None),
        # Denying or calling is not reporting what one said the claim is about.
        ("Officials called the reports groundless.", None),
        # Who "he" is lies outside the claim: no speaker to match a source against.
        ("He said that Chinese firms shipped drone engines to Russia.", None),
    ],
)
def test_the_speaker_a_claim_is_about(claim: str, speaker: str | None) -> None:
    assert reader.speaker(claim) == speaker


# Pairs from the demo corpus and from RGB's counterfactual dev rows (shortened). The judge is
# given what the Flagger gives it: the real encoder's cosine of the two sentences with their
# values masked.
@pytest.mark.parametrize(
    ("a", "b", "conflict"),
    [
        ("Jets scrambled 704 times in 2024.", "Jets scrambled 670 times in 2024.", True),
        ("The ship was first seen on 28 January.", "The ship was first seen on 30 January.", True),
        ("The ship was first seen on 28 January.", "The ship was first seen on 28 January.", False),
        # The demo corpus's two detection dates, worded differently (a paraphrase).
        (
            "Japan's Maritime Self-Defense Force first detected the Chinese intelligence ship "
            "CNS Beijixing on 28 January, about 90 kilometres southwest of Kyushu.",
            "Japanese forces first spotted the Chinese intelligence ship CNS Beijixing on "
            "30 January, about 120 kilometres north-west of Okinawa's main island.",
            True,
        ),
        # One side adds a detail the other lacks: more information, not a contradiction.
        (
            "The Il-20 flew over the Sea of Okhotsk.",
            "On 26 January the Il-20 flew over the Sea of Okhotsk.",
            False,
        ),
        # Different facts with different figures are not in conflict.
        ("Entered on 7 January.", "Transited on 25 January.", False),
        (
            "The Kareliya entered the East China Sea on 7 January.",
            "From 25 January to 26 January, the Kareliya transited from the East China Sea to "
            "the Sea of Japan via the Tsushima Strait.",
            False,
        ),
        # A sentence reprinted with one value swapped: a conflict whatever the cosine.
        ("The Chiefs won the Super Bowl.", "The Eagles won the Super Bowl.", True),
        (
            "Johnny Manziel won the 2012 Heisman Trophy.",
            "Baker Mayfield won the 2012 Heisman Trophy.",
            True,
        ),
        ("It was released in June 2020.", "It was released in June 2010.", True),
        # Two values changed: two facts, not one in dispute.
        ("Spain won the 2010 World Cup.", "France won the 2018 World Cup.", False),
        # Paraphrases: a name alone needs a very close match; a year means another year.
        ("The Chiefs won the title.", "In the end the Eagles took the title home.", False),
        (
            "Norway won 39 medals, beating the 37 the United States won in 2010.",
            "Norway collected 39 medals in 2018, the largest haul ever.",
            False,
        ),
        (
            "Norway collected 39 medals at the Winter Olympics in 2018.",
            "At the 2010 Winter Olympics Norway won 39 medals in all.",
            False,
        ),
        # A name's number is part of the name, not a figure in dispute.
        (
            "Spider-Man was released for the PlayStation 4 in September.",
            "Here is the Spider-Man 2 release date for the PlayStation 5.",
            False,
        ),
        # Nothing but values: too little to tell what they are about.
        ("Oct 6, 2021 ...", "December 1, 2017 ...", False),
        # A name one side capitalises and the other does not, or runs into a hashtag, is the
        # same name ("Literature", "#NobelPrize"); "BREAKING NEWS" is no other winner.
        (
            "The Nobel prize in literature has been awarded to the novelist Abdulrazak Gurnah.",
            "BREAKING NEWS: The #NobelPrize in Literature is awarded to the novelist "
            "Abdulrazak Gurnah.",
            False,
        ),
        (
            "The Nobel prize in literature has been awarded to the novelist Abdulrazak Gurnah.",
            "The Nobel prize in literature has been awarded to the novelist Olga Tokarczuk.",
            True,
        ),
        # How long ago, counted from two days of writing, is no value in dispute.
        (
            "Google purchased YouTube for $1.65 billion nearly 15 years ago.",
            "Ten years ago this week, Google purchased YouTube for $1.65 billion.",
            False,
        ),
        (
            "Google purchased YouTube for $1.65 billion in stock.",
            "Google purchased YouTube for $1.95 billion in stock.",
            True,
        ),
        # Whole words only: a name inside a longer one, or a common word, is another name.
        (
            "The company will build its new battery plant in India next year.",
            "The company will build its new battery plant in Indiana next year.",
            True,
        ),
        (
            "The refinery is operated by Shell under a long lease.",
            "The refinery is operated by BP through a shell company under a long lease.",
            True,
        ),
    ],
)
def test_value_conflict_judge(embeddings, a: str, b: str, conflict: bool) -> None:
    vectors = embeddings.encode([mask_values(a), mask_values(b)])
    similarity = float(vectors[0] @ vectors[1])
    judgement = ValueConflictJudge().judge(a, b, similarity)
    assert judgement.conflict is conflict, (similarity, judgement.reason)


@pytest.mark.parametrize("similarities", [[0.95, 0.9, 0.1], [0.9, 0.95, 0.1], [0.9, 0.9, 0.9]])
def test_the_first_conflict_is_the_nearest_and_the_model_reads_no_further(
    demo: Assistant, similarities: list[float]
) -> None:
    """``first_conflict`` picks what ``judge_many`` would, nearest first, and the entailment
    judge reads only the sentences nearer than the first value conflict (pinned cosines)."""
    judge = demo.conflict_judge()
    asked: list[tuple[str, str]] = []
    model = judge.entailment

    class Counting:
        def judge(self, pairs: list[tuple[str, str]]) -> list:
            asked.extend(pairs)
            return model.judge(pairs)

    judge.entailment = Counting()  # type: ignore[assignment]
    claim = "Russia and China will stop their military activity around Japan on 12 March."
    others = [
        "Russia and China will stop their military activity around Japan on 14 March.",
        "Russia and China will likely continue expanding their military activity around Japan.",
        "Cherry blossoms open in Kyoto in April.",
    ]
    found = judge.first_conflict(claim, others, similarities)
    reads = len(asked)
    every = judge.judge_many(claim, others, similarities)
    nearest = sorted(range(3), key=lambda i: -similarities[i])
    expected = next((i for i in nearest if every[i].conflict), None)
    assert (found[0] if found else None) == expected
    assert found is None or found[1] == every[found[0]]
    # The value conflict (another date) is nearest or first among equals: nothing to read.
    assert reads == (1 if similarities[1] > similarities[0] else 0)


def test_seed_claim_is_flagged_denied_with_both_sides_cited(demo: Assistant) -> None:
    answer = demo.ask("Is China supplying components for Russian drones?")
    assert "supplying components" in answer.answer or "80%" in answer.answer
    [flag] = [f for f in answer.contested if f["kind"] == "denied"]
    assert flag["claimed_by"] == "Ukraine's Foreign Intelligence Service"
    assert flag["disputed_by"] == "Beijing"
    assert flag["citations"] and flag["counter_citations"]
    by_n = {c.n: c for c in answer.citations}
    assert "dismissed these claims" in by_n[flag["counter_citations"][0]].quote
    assert all(by_n[n].path == SEED_FACTS for n in flag["citations"])
    assert 0 in flag["sentences"]


def test_an_answer_that_quotes_a_denial_shows_what_is_denied(demo: Assistant) -> None:
    answer = demo.ask("How did Beijing's foreign ministry answer the reports of drone engines?")
    by_n = {c.n: c for c in answer.citations}
    [flag] = [f for f in answer.contested if f["kind"] == "denied"]
    # The denial is the answer; the claim it denies is cited beside it, from another outlet.
    [denial] = flag["counter_citations"]
    assert "denied that Chinese companies shipped drone engines" in by_n[denial].quote
    assert flag["disputed_by"] == "China's foreign ministry"
    assert flag["claimed_by"] == "Baltic Courier"
    [claim] = flag["citations"]
    assert "hundreds of drone engines" in by_n[claim].quote
    assert by_n[claim].path != by_n[denial].path
    assert flag["sentences"] == [i for i, s in enumerate(answer.sentences) if denial in s.citations]
    # "These claims": the sentences just before the denial in its article.
    seed = demo.ask("Who dismissed the claims about drone components?")
    [flag] = [f for f in seed.contested if f["kind"] == "denied"]
    assert flag["disputed_by"] == "Beijing"
    assert "80% of the electronics" in flag["claim"]


def test_a_claim_check_does_not_read_its_own_denial_as_a_dispute(demo: Assistant) -> None:
    check = demo.check(
        "China's foreign ministry denied that Chinese companies shipped drone engines."
    )
    assert check.verdict == "supported", check
    # Reworded, the denial is compared with the ministry's by what each denies.
    check = demo.check(
        "China denied that Chinese companies shipped drone engines to Russia's Alabuga factory."
    )
    assert check.verdict == "supported", check


def test_a_capital_speaks_for_its_government(demo: Assistant) -> None:
    """ "Beijing denied …" is China's foreign ministry's denial, asked as a claim or as a
    yes/no question (whose guarded reading would not back the whole sentence); Moscow's is
    not."""
    assert with_governments({"beijing"}) == {"beijing", "china", "chinese"}
    assert with_governments({"seoul"}) == {"seoul"}  # "Korea" would name the North too
    claim = "Beijing denied that Chinese firms sent drone engines to Russia."
    assert demo.check(claim).verdict == "supported"
    answer = demo.ask("Did Beijing deny that Chinese companies shipped drone engines to Russia?")
    assert answer.verdict == "supported" and answer.answer.startswith("Yes"), answer.answer
    moscow = demo.check(claim.replace("Beijing", "Moscow"))
    assert moscow.verdict == "not_in_sources", moscow


def test_forecast_and_plain_facts(demo: Assistant) -> None:
    forecast = demo.ask("What will Russia and China do next around Japan?")
    assert [f["kind"] for f in forecast.contested] == ["forecast"]
    plain = demo.ask("When did the Kareliya enter the East China Sea?")
    assert plain.contested == []


@pytest.mark.parametrize(
    ("question", "kind", "outlets"),
    [
        (
            "When was CNS Beijixing first detected?",
            "conflict",
            {"Pacific Security Review", "Harbour Ledger"},
        ),
        (
            "How many times did Japan scramble fighter jets in fiscal 2024?",
            "conflict",
            {"Northern Dispatch", "Defense Notes Weekly"},
        ),
        (
            "Did Chinese companies ship drone engines to Russia?",
            "denied",
            {"Baltic Courier", "Continental Times"},
        ),
    ],
)
def test_cross_source_disagreements_cite_both_articles(
    demo: Assistant, question: str, kind: str, outlets: set[str]
) -> None:
    answer = demo.ask(question)
    [flag] = [f for f in answer.contested if f["kind"] == kind]
    by_n = {c.n: c for c in answer.citations}
    cited = {by_n[n].outlet for n in flag["citations"] + flag["counter_citations"]}
    assert cited == outlets


def test_syndicated_copy_is_not_a_second_source(demo: Assistant) -> None:
    answer = demo.ask("When did the Kareliya transit the Tsushima Strait?")
    assert answer.contested == []


@pytest.mark.parametrize(
    ("claim", "evidence", "negates"),
    [
        ("The ship did not enter Japanese waters.", "The ship entered the waters, though no "
         "shots were fired.", True),
        ("The ship entered Japanese waters.", "The ship did not enter Japanese waters.", True),
        # Both say "no" of one thing, worded apart: the evidence's verb is under its own "no".
        ("Google has no plans to add measures on YouTube.", "Google's report states it has no "
         "additional measures planned for YouTube.", False),
        ("The Joint Staff said it did not violate airspace.", "The Joint Staff said the "
         "aircraft didn't violate Japanese airspace.", False),
        # A "not" ends with its clause.
        ("The ship did not enter Japanese waters.", "The ship did not stop, and entered "
         "Japanese waters.", True),
        ("The ship did not enter the strait.", "No shots were fired and the ship has not yet "
         "entered the strait.", False),
        # "non-" says "not" of the word it is joined to.
        ("Businesses on Amazon are setting non-competitive prices.", "Some businesses on Amazon "
         "set prices that aren't competitive.", False),
        ("Businesses on Amazon are setting competitive prices.", "Some businesses on Amazon "
         "set prices that aren't competitive.", True),
    ],
)  # fmt: skip
def test_one_side_negates_what_the_other_states(claim: str, evidence: str, negates: bool) -> None:
    assert negates_otherwise(claim, evidence) == negates


@pytest.mark.parametrize(
    ("names", "other", "unwritten"),
    [
        ({"nobel"}, "The #NobelPrize in Literature", set()),
        ({"nobelprize"}, "The Nobel Prize in Literature", set()),
        ({"india"}, "A plant in Indiana", {"india"}),
        ({"shell"}, "BP runs it through a shell company", {"shell"}),
    ],
)
def test_names_are_written_run_together_or_apart_but_whole(
    names: set[str], other: str, unwritten: set[str]
) -> None:
    assert names_unwritten(names, other) == unwritten

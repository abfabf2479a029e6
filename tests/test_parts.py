"""Yes/no questions that name two or more outlets: split into one part per outlet, each
answered from its outlet's articles alone, combined into one cited verdict (issue 18, item 2)."""

from __future__ import annotations

import pytest

from assistant.filters import SearchFilters
from assistant.parts import Part, as_subjects, named_outlets, reporter_of, split, split_each
from assistant.service import Assistant
from assistant.stance import states_something

OUTLETS = [
    "Baltic Courier",
    "Continental Times",
    "Meridian Wire",
    "Harbour Ledger",
    "Pacific Security Review",
    "Sporting News",
    "Yardbarker",
    "Polygon",
    "Engadget",
    "News",  # inside "Sporting News": the longer name wins
]


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        (
            "Does the 'Sporting News' article claim that the Lions won, while the 'Yardbarker' "
            "article discusses the injury report?",
            [
                Part("Sporting News", "statement", "The Lions won."),
                Part("Yardbarker", "subject", "the injury report"),
            ],
        ),
        (
            "Does the Baltic Courier report that Chinese companies shipped drone engines to "
            "Russia, while Continental Times says China's foreign ministry denied it?",
            [
                Part(
                    "Baltic Courier",
                    "statement",
                    "Chinese companies shipped drone engines to Russia.",
                ),
                Part(
                    "Continental Times",
                    "statement",
                    "China's foreign ministry denied that Chinese companies shipped drone engines "
                    "to Russia.",
                ),
            ],
        ),
        (
            "Does Meridian Wire report that the Kareliya passed the Tsushima Strait, and Harbour "
            "Ledger that the Beijixing was near Okinawa?",
            [
                Part("Meridian Wire", "statement", "The Kareliya passed the Tsushima Strait."),
                Part("Harbour Ledger", "statement", "The Beijixing was near Okinawa."),
            ],
        ),
        (
            "Does Harbour Ledger's report say the Beijixing was near Okinawa, while Meridian "
            "Wire covers the Kareliya?",
            [
                Part("Harbour Ledger", "statement", "The Beijixing was near Okinawa."),
                Part("Meridian Wire", "subject", "the Kareliya"),
            ],
        ),
        # "the article from A", "as opposed to", "which discusses": the frames people write.
        (
            "Does the article from Harbour Ledger say that the Beijixing was near Okinawa, as "
            "opposed to the report by Meridian Wire, which discusses the Kareliya?",
            [
                Part("Harbour Ledger", "statement", "The Beijixing was near Okinawa."),
                Part("Meridian Wire", "subject", "the Kareliya"),
            ],
        ),
        (
            "Does the story in the Baltic Courier claim that engines reached Russia, unlike the "
            "article from Continental Times, which reports a denial from Beijing?",
            [
                Part("Baltic Courier", "statement", "Engines reached Russia."),
                # "reports" a phrase: a subject, once the parse finds no verb in it.
                Part("Continental Times", "statement", "A denial from Beijing.", reported=True),
            ],
        ),
        # "attribute X to Y", "describe X as Y": the statement in plain words.
        (
            "Does Harbour Ledger describe the Beijixing as a Chinese spy ship, while "
            "Meridian Wire attributes the patrols to Russia?",
            [
                Part("Harbour Ledger", "statement", "The Beijixing is a Chinese spy ship."),
                Part("Meridian Wire", "statement", "The patrols was due to Russia."),
            ],
        ),
        # Each report described by its subject, then what both are asked.
        (
            "Do the Harbour Ledger article on the Beijixing sighting and the Meridian Wire "
            "article's claims about the Kareliya transit both report that ships sailed near "
            "Japan?",
            [
                Part(
                    "Harbour Ledger",
                    "statement",
                    "Ships sailed near Japan.",
                    about="the Beijixing sighting",
                ),
                Part(
                    "Meridian Wire",
                    "statement",
                    "Ships sailed near Japan.",
                    about="the Kareliya transit",
                ),
            ],
        ),
        (
            "Did the article from Harbour Ledger about the Beijixing sighting and the article "
            "from Meridian Wire regarding the Kareliya transit both state that ships sailed?",
            [
                Part(
                    "Harbour Ledger", "statement", "Ships sailed.", about="the Beijixing sighting"
                ),
                Part("Meridian Wire", "statement", "Ships sailed.", about="the Kareliya transit"),
            ],
        ),
        # "similar to how", "in the same manner that": a join between two parts.
        (
            "Does Harbour Ledger mention the Beijixing similar to how Meridian Wire reports on "
            "the Kareliya?",
            [
                Part("Harbour Ledger", "subject", "the Beijixing"),
                Part("Meridian Wire", "subject", "the Kareliya"),
            ],
        ),
        (
            "Did Harbour Ledger report that the ship turned back in the same manner that "
            "Meridian Wire reported the jets landed?",
            [
                Part("Harbour Ledger", "statement", "The ship turned back."),
                Part("Meridian Wire", "statement", "The jets landed.", reported=True),
            ],
        ),
        # "credits X for Y", "credits X with doing Y": the statement it makes.
        (
            "Does Harbour Ledger credit the Joint Staff for the sighting, while Meridian Wire "
            "credits the destroyer with shadowing the Kareliya?",
            [
                Part("Harbour Ledger", "statement", "The sighting was due to the Joint Staff."),
                Part("Meridian Wire", "statement", "The destroyer shadowed the Kareliya."),
            ],
        ),
        # Questions that put reports in time, or ask whether outlets agree (issue 18, item 2).
        (
            "After Polygon reported that the console sold out on October 18th, did Engadget's "
            "review on October 20th agree?",
            [
                Part("Polygon", "statement", "The console sold out.", "October 18th", True),
                Part("Engadget", "agrees", "The console sold out.", "October 20th"),
            ],
        ),
        (
            "After Polygon reported on October 18th that the console sold out, did Engadget "
            "dispute it?",
            [
                Part("Polygon", "statement", "The console sold out.", "October 18th"),
                Part("Engadget", "disagrees", "The console sold out."),
            ],
        ),
        (
            "After Polygon reported on October 18th that 'Wonder Seeds change the levels,' did "
            "Engadget's review on October 20th agree or disagree on the new mechanic?",
            [
                Part("Polygon", "statement", "Wonder Seeds change the levels.", "October 18th"),
                Part(
                    "Engadget",
                    "either",
                    "Wonder Seeds change the levels.",
                    "October 20th",
                ),
            ],
        ),
        (
            "Following the Baltic Courier's report that Chinese firms shipped engines, did "
            "Continental Times say the same?",
            [
                Part("Baltic Courier", "statement", "Chinese firms shipped engines."),
                Part(
                    "Continental Times",
                    "agrees",
                    "Chinese firms shipped engines.",
                ),
            ],
        ),
        # "…, and B that X": B's statement, its verb left out ("that" is no relative pronoun).
        (
            "Did Harbour Ledger report that the Kareliya sailed, and Meridian Wire that ships "
            "turned back?",
            [
                Part("Harbour Ledger", "statement", "The Kareliya sailed."),
                Part("Meridian Wire", "statement", "Ships turned back."),
            ],
        ),
        (
            "Do Meridian Wire and Harbour Ledger both report that the Beijixing was near Okinawa?",
            [
                Part("Meridian Wire", "statement", "The Beijixing was near Okinawa."),
                Part("Harbour Ledger", "statement", "The Beijixing was near Okinawa."),
            ],
        ),
        (
            "Do Meridian Wire and Harbour Ledger agree that the Beijixing was near Okinawa?",
            [
                Part("Meridian Wire", "statement", "The Beijixing was near Okinawa."),
                Part("Harbour Ledger", "statement", "The Beijixing was near Okinawa."),
            ],
        ),
    ],
)
def test_a_question_is_cut_between_the_outlets_it_names(question: str, parts: list[Part]) -> None:
    assert split(question, OUTLETS) == parts


@pytest.mark.parametrize(
    "question",
    [
        "Does Meridian Wire mention the Kareliya?",  # one outlet: the ordinary yes/no path
        "When did Meridian Wire and Harbour Ledger report on the Beijixing?",  # not yes/no
        "Do Meridian Wire and Harbour Ledger agree on the Beijixing?",  # no part per outlet
        "After Meridian Wire's report, did Harbour Ledger agree?",  # nothing to agree with
        "After the storm, did Meridian Wire report that the port reopened?",  # one outlet
        "Did Harbour Ledger agree, after Meridian Wire reported that the ship sank?",
    ],
)
def test_other_questions_are_left_whole(question: str) -> None:
    assert split(question, OUTLETS) is None


@pytest.mark.parametrize(
    "question",
    [
        # Nothing of its own to check: the part only points back or gives a bare value.
        "Does Meridian Wire report that the ship sank, while Harbour Ledger says that it did not?",
        "Does Meridian Wire report that the ship sank, while Harbour Ledger says so too?",
        "Does Meridian Wire claim 40 people died, while Harbour Ledger reports 12?",
        "Does Meridian Wire report that the ship sank, while Harbour Ledger covers it?",
    ],
)
def test_a_part_with_nothing_to_check_leaves_the_question_whole(question: str) -> None:
    assert split(question, OUTLETS) is None


def test_only_a_reported_it_is_spelled_out() -> None:
    parts = split(
        "Does Meridian Wire report that talks failed, while Harbour Ledger says fighting "
        "resumed after that?",
        OUTLETS,
    )
    assert parts is not None and parts[1].text == "Fighting resumed after that."
    parts = split(
        "Does Meridian Wire mention that the ship sank, while Harbour Ledger covers the rescue?",
        OUTLETS,
    )
    assert parts == [
        Part("Meridian Wire", "statement", "The ship sank."),
        Part("Harbour Ledger", "subject", "the rescue"),
    ]


def test_the_longer_outlet_name_wins() -> None:
    mentions = named_outlets("Did the 'Sporting News' piece say so?", OUTLETS)
    assert [outlet for *_, outlet in mentions] == ["Sporting News"]


def test_a_part_that_refers_back_is_spelled_out() -> None:
    parts = split(
        "Does the Baltic Courier report that Chinese companies shipped drone engines to "
        "Russia, while Continental Times says China's foreign ministry denied it?",
        OUTLETS,
    )
    assert parts is not None
    assert parts[1].text == (
        "China's foreign ministry denied that Chinese companies shipped drone engines to Russia."
    )


def test_each_part_is_answered_from_its_outlet(demo: Assistant) -> None:
    answer = demo.ask(
        "Does Meridian Wire report that the Kareliya passed the Tsushima Strait, and Harbour "
        "Ledger that the Beijixing was near Okinawa?"
    )
    assert answer.verdict == "supported"
    line = answer.verdict_line or ""
    assert line.startswith("Yes: Meridian Wire [1] says so; Harbour Ledger [2] says so.")
    assert [c.outlet for c in answer.citations] == ["Meridian Wire", "Harbour Ledger"]


def test_a_subject_is_found_in_its_outlet_or_the_answer_is_no(demo: Assistant) -> None:
    """Continental Times reported China's denial; Harbour Ledger wrote about the Beijixing."""
    asked = (
        "Does the Baltic Courier report that Chinese companies shipped drone engines to "
        "Russia, while {} covers China's denial?"
    )
    yes = demo.ask(asked.format("Continental Times"))
    assert yes.verdict == "supported"
    assert {c.outlet for c in yes.citations} == {"Baltic Courier", "Continental Times"}
    no = demo.ask(asked.format("Harbour Ledger"))
    assert no.verdict == "contradicted"
    assert (no.verdict_line or "").startswith(
        "No: Baltic Courier [1] says so; Harbour Ledger does not cover China's denial."
    )
    assert {c.outlet for c in no.citations} == {"Baltic Courier"}


def test_an_outlet_the_filters_exclude_is_not_said_to_be_silent(demo: Assistant) -> None:
    answer = demo.ask(
        "Does Meridian Wire report that the Kareliya passed the Tsushima Strait, and Harbour "
        "Ledger that the Beijixing was near Okinawa?",
        filters=SearchFilters(outlets=["Meridian Wire"]),
    )
    assert "Harbour Ledger does not say" not in answer.answer
    assert {c.outlet for c in answer.citations} <= {"Meridian Wire"}


def test_did_one_outlet_agree_with_another(demo: Assistant) -> None:
    """Harbour Ledger gives the Beijixing's first sighting another day than Pacific Security
    Review: worded differently ("detected" / "spotted"), the two reports are compared as
    conflicts between sources are."""
    first = "After Pacific Security Review reported that the Beijixing was first detected on "
    agreed = demo.ask(first + "28 January, did Harbour Ledger agree?")
    assert agreed.verdict == "contradicted"
    assert (agreed.verdict_line or "").startswith(
        "No: Pacific Security Review [1] says so; Harbour Ledger [2] says otherwise."
    )
    assert "30 January" in agreed.answer
    disputed = demo.ask(first + "28 January, did Harbour Ledger dispute it?")
    assert disputed.verdict == "supported" and (disputed.verdict_line or "").startswith("Yes:")
    silent = demo.ask(
        "After the Baltic Courier reported that Chinese companies shipped drone engines to "
        "Russia, did Meridian Wire agree?"
    )
    assert (silent.verdict_line or "").endswith(
        "Meridian Wire does not say whether Chinese companies shipped drone engines to Russia."
    )


def test_a_date_that_is_not_the_report_day_stays_in_the_statement(demo: Assistant) -> None:
    """Pacific Security Review published on 3 February: "on 28 January" is the sighting's day,
    kept in what is checked (without it, Harbour Ledger's 30 January would agree)."""
    answer = demo.ask(
        "After Pacific Security Review reported that the Beijixing was first detected on 28 "
        "January, did Harbour Ledger report the same?"
    )
    assert "28 January" in answer.claim and answer.verdict == "contradicted"
    dated = demo.ask(
        "After Northern Dispatch reported on 18 April that Japan scrambled jets 704 times in "
        "fiscal 2024, did Defense Notes Weekly's report on 19 April agree?"
    )
    assert "18 April" not in dated.claim and "670" in dated.answer
    assert (dated.verdict_line or "").startswith("No: Northern Dispatch [1] says so;")


def test_agree_or_disagree_is_answered_with_the_stance(demo: Assistant) -> None:
    answer = demo.ask(
        "After Pacific Security Review reported on 3 February that the Beijixing was first "
        "detected on 28 January, did Harbour Ledger's report on 4 February agree or disagree?"
    )
    assert (answer.verdict_line or "").startswith(
        "Disagree: Pacific Security Review [1] says so; Harbour Ledger [2] says otherwise."
    )


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        (
            "Did Meridian Wire report that the Kareliya passed the strait before Harbour Ledger "
            "mentioned the Beijixing?",
            [
                Part("Meridian Wire", "statement", "The Kareliya passed the strait."),
                Part("Harbour Ledger", "subject", "the Beijixing", sequence="later"),
            ],
        ),
        (
            "Did Continental Times write about the denial after the Baltic Courier reported on "
            "the shipments?",
            [
                Part("Continental Times", "subject", "the denial"),
                Part("Baltic Courier", "subject", "the shipments", sequence="earlier"),
            ],
        ),
        # The last outlet shares what the one before it is asked.
        (
            "Did Harbour Ledger report that the Beijixing was near Okinawa earlier than "
            "Meridian Wire?",
            [
                Part("Harbour Ledger", "statement", "The Beijixing was near Okinawa."),
                Part(
                    "Meridian Wire",
                    "statement",
                    "The Beijixing was near Okinawa.",
                    sequence="later",
                ),
            ],
        ),
    ],
)
def test_a_question_about_the_order_of_reports(question: str, parts: list[Part]) -> None:
    assert split(question, OUTLETS) == parts


@pytest.mark.parametrize(
    ("question", "sequence"),
    [
        # "Before A reported X, did B …?": B's report is asked to be the earlier one.
        (
            "Before Harbour Ledger reported that the Beijixing was near Okinawa, did Meridian "
            "Wire report that the Kareliya passed the strait?",
            "earlier",
        ),
        (
            "After Harbour Ledger reported that the Beijixing was near Okinawa, did Meridian "
            "Wire report that the Kareliya passed the strait?",
            "later",
        ),
        # Both reports set the time; what is asked is not their order.
        (
            "After Harbour Ledger's report that the Beijixing was near Okinawa and Meridian "
            "Wire's report that the Kareliya passed the strait, was there a change?",
            None,
        ),
    ],
)
def test_a_question_led_by_before_or_after_asks_the_order(
    question: str, sequence: str | None
) -> None:
    parts = split(question, OUTLETS)
    if sequence is None:
        assert parts is None or parts[-1].sequence is None
        return
    assert parts is not None and [p.sequence for p in parts] == [None, sequence]


def test_a_report_asked_to_come_before_another_came_after_it(demo: Assistant) -> None:
    """Harbour Ledger published on 4 February, Pacific Security Review on 3 February: both say
    what they are asked, so only the order the question's first word asks decides."""
    asked = (
        "{} Pacific Security Review reported that the Beijixing was first detected on 28 "
        "January, did Harbour Ledger report that it was first spotted on 30 January?"
    )
    after = demo.ask(asked.format("After"))
    assert after.verdict == "supported", after.verdict_line
    before = demo.ask(asked.format("Before"))
    assert before.verdict == "contradicted", before.verdict_line
    assert (before.verdict_line or "").endswith(
        "Pacific Security Review published first (2025-02-03), Harbour Ledger later (2025-02-04)."
    )


def test_the_order_of_reports_is_their_days(demo: Assistant) -> None:
    """Both parts hold in either question; only the order asked decides, by the days the cited
    articles were published (Pacific Security Review 3 February, Harbour Ledger 4 February)."""
    asked = (
        "Did {} report that the Beijixing was first detected on 28 January before {} reported "
        "that it was first spotted on 30 January?"
    )
    right = demo.ask(asked.format("Pacific Security Review", "Harbour Ledger"))
    assert right.verdict == "supported"
    assert (right.verdict_line or "").endswith(
        "Pacific Security Review published first (2025-02-03), Harbour Ledger later (2025-02-04)."
    )
    wrong = demo.ask(
        "Did Harbour Ledger write about the Beijixing near Okinawa before Pacific Security "
        "Review covered the Beijixing southwest of Kyushu?"
    )
    assert wrong.verdict == "contradicted"
    assert (wrong.verdict_line or "").startswith("No: Harbour Ledger [1] covers")


def test_what_a_report_names_without_a_verb_is_a_subject(demo: Assistant) -> None:
    """ "Reported a scramble by Chitose fighters" reports no statement: the outlet covers it or
    not. Read as the statement "A scramble by Chitose fighters.", nothing could back it."""
    parts = split(
        "Did Northern Dispatch report a scramble by Chitose fighters before Harbour Ledger "
        "reported that the Beijixing was spotted near Okinawa?",
        ["Northern Dispatch", "Harbour Ledger"],
    )
    assert parts is not None
    read = as_subjects(parts, states_something)
    assert [(p.kind, p.text) for p in read] == [
        ("subject", "a scramble by Chitose fighters"),
        ("statement", "The Beijixing was spotted near Okinawa."),
    ]
    answer = demo.ask(
        "Did Northern Dispatch report a scramble by Chitose fighters before Harbour Ledger "
        "reported a sighting of the Beijixing?"
    )
    assert answer.verdict == "supported"
    assert (answer.verdict_line or "").startswith(
        "Yes: Northern Dispatch [1] covers a scramble by Chitose fighters; "
    )


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        # "The same source" is the outlet named before it.
        (
            "Does Meridian Wire report that the ship sailed north, while the same source says "
            "that the destroyer followed it?",
            [
                Part("Meridian Wire", "statement", "The ship sailed north."),
                Part("Meridian Wire", "statement", "The destroyer followed it."),
            ],
        ),
        # One outlet named twice, each article by what it is about ("the other": not the
        # first part's); the question's commentary after a part is no part of it.
        (
            "Does the Harbour Ledger article on the Beijixing claim that it was spotted near "
            "Okinawa, while the other Harbour Ledger article discusses the Tsushima Strait, "
            "indicating a wider focus?",
            [
                Part(
                    "Harbour Ledger",
                    "statement",
                    "It was spotted near Okinawa.",
                    about="the Beijixing",
                ),
                Part("Harbour Ledger", "subject", "the Tsushima Strait", another=True),
            ],
        ),
    ],
)
def test_one_outlet_asked_twice(question: str, parts: list[Part]) -> None:
    assert split(question, OUTLETS) == parts


def test_each_part_is_read_from_the_article_it_is_about(demo: Assistant) -> None:
    """Two Northern Dispatch articles: the hotels are in the one on the snow festival, so the
    one on the Il-20 flight does not say so."""
    asked = (
        "Does the Northern Dispatch article on the {} report that hotels in the city were "
        "almost fully booked, while the other Northern Dispatch article says that Japan "
        "scrambled F-15J fighters from Chitose Air Base?"
    )
    festival = demo.ask(asked.format("snow festival"))
    assert festival.verdict_line.startswith("Yes:")
    assert [c.published[:10] for c in festival.citations] == ["2025-02-05", "2025-01-27"]
    flight = demo.ask(asked.format("Il-20 flight"))
    assert flight.verdict_line.startswith("No: Northern Dispatch does not say that")


def test_the_other_article_is_not_the_one_before(demo: Assistant) -> None:
    """ "The other Northern Dispatch article" cannot be the snow festival report the first part
    was read from: the hotels are in that one only."""
    answer = demo.ask(
        "Does the Northern Dispatch article on the snow festival report that hotels in the city "
        "were almost fully booked, while the other Northern Dispatch article says that hotels "
        "in the city were almost fully booked?"
    )
    assert answer.verdict_line.startswith("No: Northern Dispatch [1] says so; Northern Dispatch")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "How many scrambles did Northern Dispatch report?",
            ("Northern Dispatch", "How many scrambles?"),
        ),
        (
            "How many times did Japan scramble jets, according to Defense Notes Weekly?",
            ("Defense Notes Weekly", "How many times did Japan scramble jets?"),
        ),
        (
            "According to Meridian Wire, when did the Kareliya pass the strait?",
            ("Meridian Wire", "when did the Kareliya pass the strait?"),
        ),
        (
            "How many ships were named in Meridian Wire's report?",
            ("Meridian Wire", "How many ships were named?"),
        ),
        # Not asked of one outlet: two outlets, or an outlet in another role.
        ("How many scrambles did Northern Dispatch and Meridian Wire report?", None),
        ("Does Northern Dispatch cover the Il-20?", None),
        ("Which outlet wrote about Meridian Wire?", None),
        # The outlet does or is something else, or the question asks of the report itself.
        ("How many times did Northern Dispatch cite the Joint Staff?", None),
        ("When did Meridian Wire report that the ship left?", None),
        ("How many ships were seen in Meridian Wire's photos of the port?", None),
        ("What was announced in Northern Dispatch Live?", None),
    ],
)
def test_the_one_outlet_a_question_is_asked_of(
    question: str, expected: tuple[str, str] | None
) -> None:
    outlets = ["Northern Dispatch", "Defense Notes Weekly", "Meridian Wire"]
    assert reporter_of(question, outlets) == expected


def test_a_question_asked_of_one_outlet_is_answered_from_its_articles(demo: Assistant) -> None:
    """No sentence says "Defense Notes Weekly": the outlet's words are left out of what is
    judged, and its articles alone answer (not Northern Dispatch's 704)."""
    answer = demo.ask(
        "How many times did Japan scramble jets in fiscal 2024, according to Defense Notes Weekly?"
    )
    assert not answer.abstained and "670 times" in answer.answer
    assert {c.outlet for c in answer.citations} == {"Defense Notes Weekly"}
    own = demo.ask("How many scrambles did Northern Dispatch report?")
    assert "704 times" in own.answer
    assert {c.outlet for c in own.citations} == {"Northern Dispatch"}


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        # One outlet's two articles: one covers each specific, and each covers the theme.
        (
            "Do both articles from Pacific Security Review suggest that Japan is on alert, with "
            "one discussing the F-35A fighters and the other detailing the Beijixing?",
            [
                Part("Pacific Security Review", "subject", "the F-35A fighters"),
                Part(
                    "Pacific Security Review",
                    "subject",
                    "Japan is on alert",
                    same_report=True,
                    clause=True,
                ),
                Part("Pacific Security Review", "subject", "the Beijixing", another=True),
                Part(
                    "Pacific Security Review",
                    "subject",
                    "Japan is on alert",
                    same_report=True,
                    clause=True,
                ),
            ],
        ),
        # Two outlets, each named again with its own specific; "reporting on" takes a subject,
        # "suggesting" a clause.
        (
            "Do Baltic Courier and Continental Times both report on drone engines, with Baltic "
            "Courier suggesting engines reached Alabuga and Continental Times reporting on "
            "Beijing's denial?",
            [
                Part("Baltic Courier", "subject", "engines reached Alabuga", clause=True),
                Part("Baltic Courier", "subject", "drone engines", same_report=True),
                Part("Continental Times", "subject", "Beijing's denial"),
                Part("Continental Times", "subject", "drone engines", same_report=True),
            ],
        ),
    ],
)
def test_both_reports_with_one_and_the_other(question: str, parts: list[Part]) -> None:
    assert split_each(question, OUTLETS) == parts


@pytest.mark.parametrize(
    "question",
    [
        # "one … the other" of one outlet needs "both" of its articles.
        "Does the Baltic Courier article suggest that engines moved, with one discussing "
        "Alabuga and the other detailing Beijing?",
        # The sides name an outlet the question did not name before.
        "Do both articles from Baltic Courier suggest that engines moved, with Polygon "
        "discussing Alabuga and Engadget detailing Beijing?",
        # No "with one …, the other …" clause: ``split`` reads it.
        "Do Baltic Courier and Continental Times both report that engines moved?",
    ],
)
def test_what_is_not_both_reports_with_one_and_the_other(question: str) -> None:
    assert split_each(question, OUTLETS) is None


def test_both_articles_of_one_outlet_are_cited_apart(demo: Assistant) -> None:
    yes = demo.ask(
        "Do both articles from Pacific Security Review suggest that Japan's defences are on "
        "alert, with one discussing the F-35A fighters at Misawa and the other detailing the "
        "detection of the Beijixing?"
    )
    assert yes.verdict == "supported", yes.verdict_line
    cited = {c.path for c in yes.citations}
    assert {
        "2025-01-15-pacific-security-review-misawa-upgrade.md",
        "2025-02-03-pacific-security-review-beijixing-detected.md",
    } <= cited
    assert "covers the point that Japan's defences are on alert" in (yes.verdict_line or "")
    no = demo.ask(
        "Do both articles from Northern Dispatch suggest that Japan scrambles fighter jets, "
        "with one discussing the Il-20 flight near Hokkaido and the other detailing a naval "
        "exercise off Australia?"
    )
    assert no.verdict == "contradicted"
    assert "Northern Dispatch does not cover a naval exercise off Australia" in (
        no.verdict_line or ""
    )


def test_what_a_report_shows_is_a_subject_unless_it_is_a_clause() -> None:
    """ "shows X", "anticipates X" without "as" or "that": a subject where the parse finds no
    verb in X, a statement where it does ("anticipates that rates will fall" without "that");
    "depicts X as Y" states that X is Y."""
    parts = split(
        "Does Harbour Ledger depict the Beijixing as a spy ship, while Meridian Wire shows "
        "Japanese jets on patrol and Baltic Courier anticipates exports will fall?",
        OUTLETS,
    )
    assert parts is not None
    read = as_subjects(parts, states_something)
    assert [(p.kind, p.text) for p in read] == [
        ("statement", "The Beijixing is a spy ship."),
        ("subject", "Japanese jets on patrol"),
        ("statement", "Exports will fall."),
    ]


def test_the_sides_of_both_reports_go_by_the_names_given() -> None:
    parts = split_each(
        "Do Harbour Ledger and Meridian Wire both report on the strike, with Meridian Wire "
        "discussing wage demands and Harbour Ledger detailing port delays?",
        OUTLETS,
    )
    assert parts is not None
    assert [(p.outlet, p.text) for p in parts] == [
        ("Meridian Wire", "wage demands"),
        ("Meridian Wire", "the strike"),
        ("Harbour Ledger", "port delays"),
        ("Harbour Ledger", "the strike"),
    ]


@pytest.mark.parametrize(
    ("question", "texts"),
    [
        # Each outlet asked its own statement: not one theme for both.
        (
            "Does Harbour Ledger claim that prices rose, and does Meridian Wire claim that "
            "prices fell, with Harbour Ledger quoting the minister and Meridian Wire quoting "
            "analysts?",
            None,
        ),
        # "reports" after the outlet is the noun, not the verb.
        (
            "Do both Harbour Ledger reports suggest that the strike hurt trade, with one "
            "discussing wages and the other detailing delays?",
            ["wages", "the strike hurt trade", "delays", "the strike hurt trade"],
        ),
    ],
)
def test_both_reports_read_only_where_they_share_the_theme(
    question: str, texts: list[str] | None
) -> None:
    parts = split_each(question, OUTLETS)
    assert (None if parts is None else [p.text for p in parts]) == texts


@pytest.mark.parametrize(
    ("question", "statements"),
    [
        # A word in "-ing" that is no verb's form is credited, not turned into a past tense.
        (
            "Does Harbour Ledger credit the coach with nothing, while Meridian Wire credits "
            "the mayor with Spring Street's revival?",
            ["Nothing was due to the coach.", "Spring Street's revival was due to the mayor."],
        ),
        # "Since" may mean "because": it sets no order; a stance asked after a report neither.
        (
            "Since Harbour Ledger reported that ships sailed, did Meridian Wire report that "
            "jets flew?",
            ["Ships sailed.", "Jets flew."],
        ),
    ],
)
def test_credited_and_ordered_only_where_the_words_say_so(
    question: str, statements: list[str]
) -> None:
    parts = split(question, OUTLETS)
    assert parts is not None
    assert [p.text for p in parts] == statements
    assert all(p.sequence is None for p in parts)
    stance = split(
        "After Harbour Ledger reported that ships sailed, did Meridian Wire agree?", OUTLETS
    )
    assert stance is not None and stance[-1].kind == "agrees" and stance[-1].sequence is None

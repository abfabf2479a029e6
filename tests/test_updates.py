"""A later report that gives another value for the same fact: which came first, both cited
(issue 18, item 4), in answers, yes/no verdicts and claim checks."""

from __future__ import annotations

from assistant.candidates import Candidate, Flag, dated_sides
from assistant.service import Assistant
from assistant.values import value_text

FIRST = "2025-04-18-northern-dispatch-scrambles-fiscal-2024.md"
LATER = "2025-04-19-defense-notes-weekly-scramble-count.md"


def test_values_are_shown_as_the_sentence_writes_them() -> None:
    sentence = "On 28 January, 2,400 sailors left Okinawa; by March 3 they were back."
    assert value_text(sentence, "date", "1-28") == "28 January"
    assert value_text(sentence, "date", "3-3") == "March 3"
    assert value_text(sentence, "number", "2400") == "2,400"
    assert value_text(sentence, "name", "okinawa") == "Okinawa"
    assert value_text(sentence, "name", "kyushu") == "kyushu"  # not in it: the value itself


def test_an_answer_says_which_report_came_first(demo: Assistant) -> None:
    answer = demo.ask("How many times did Japan scramble fighter jets in fiscal 2024?")
    (flag,) = [f for f in answer.contested if f["kind"] == "conflict"]
    update = flag["update"]
    path = {c.n: c.path for c in answer.citations}
    assert update["earlier"]["value"] == "704" and update["later"]["value"] == "670"
    assert update["earlier"]["published"] < update["later"]["published"]
    assert path[update["earlier"]["citation"]] == FIRST
    assert path[update["later"]["citation"]] == LATER
    assert update["note"] == (
        f"First reported as 704 [{update['earlier']['citation']}] (Northern Dispatch, "
        f"2025-04-18); a later report (Defense Notes Weekly, 2025-04-19) says 670 "
        f"[{update['later']['citation']}]."
    )


def test_the_update_reads_the_same_whichever_side_the_answer_quotes(demo: Assistant) -> None:
    """Asked so that the later report is quoted first, the earlier one is still first."""
    answer = demo.ask("When was CNS Beijixing first detected?")
    (flag,) = [f for f in answer.contested if f["kind"] == "conflict"]
    assert flag["update"]["earlier"]["value"] == "28 January"
    assert flag["update"]["earlier"]["outlet"] == "Pacific Security Review"
    assert flag["update"]["later"]["value"] == "30 January"


def test_a_claim_check_and_a_yes_no_answer_say_it_too(demo: Assistant) -> None:
    check = demo.check("Japan scrambled fighter jets 704 times in fiscal 2024.")
    assert check.verdict == "contested"
    assert check.explanation.startswith("First reported as 704 by Northern Dispatch [")
    assert "a later report by Defense Notes Weekly [" in check.explanation
    answer = demo.ask("Did Japan scramble fighter jets 704 times in fiscal 2024?")
    assert answer.verdict_line is not None
    assert answer.verdict_line.startswith("Disputed: first reported as 704 by Northern Dispatch")


def test_reports_of_one_day_are_a_conflict_not_an_update(demo: Assistant) -> None:
    claim, counter = (_first_sentence(demo, path) for path in (FIRST, LATER))
    flag = Flag("conflict", [claim], "A", "B", [counter], claim_value="704", counter_value="670")
    assert dated_sides(flag) is not None
    same_day = counter.passage.model_copy(update={"published": claim.passage.published})
    flag.counter = [Candidate(same_day, counter.span, counter.text, counter.text, None)]
    assert dated_sides(flag) is None
    # Sentences the judge reads as opposite, with no value between them, are no update.
    assert dated_sides(Flag("conflict", [claim], "A", "B", [counter])) is None


def _first_sentence(demo: Assistant, path: str) -> Candidate:
    article = next(a for a in demo.sources() if a.path == path)
    passage = demo.store.article_passages(article.article_id)[0]
    span = tuple(passage.chunk.sentences[0])
    return Candidate(passage, span, passage.sentence_text(span), "", None)  # type: ignore[arg-type]

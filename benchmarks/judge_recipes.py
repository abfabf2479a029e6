"""Judge recipes side by side, over several seeds: is a change to the recipe better than the
spread between seeds of the same recipe?

    .venv/bin/python benchmarks/judge_recipes.py [--data ../shared/data/judges] [--jobs 8]
        [--seeds 13 14 15] [--only entailment]

Each variant is ``python -m assistant.judges.train JUDGE --set KEY=VALUE ...`` with the
held-out figures on (WikiQA dev/test and TrecQA test for relevance; SICK test, HealthVer test,
SciFact dev, COVID-Fact dev, RTE dev for entailment), written to a scratch folder; the shipped
weights are not touched. Writes benchmarks/results/judge_recipes.json: per variant and seed,
steps, training seconds, the device and the figures, and the mean over seeds.

Meant for a GPU (``--jobs 8`` runs eight trainings at once on one card, about 2 minutes for the
grid below on an H100); on 2 CPU cores one variant of one seed takes 16 to 70 minutes.

Measured on an H100 (2026-11-27, base weights carried in fp16 and cast back to fp32), means over
seeds 13-15 where three were run:

* relevance, WikiQA test MAP: 12k pairs one epoch (the shipped recipe) 0.724 (seed 13 on
  2 CPU threads: 0.730); 24k pairs 0.747 (0.751 / 0.759 / 0.732); 12k pairs two epochs 0.747
  (0.744 / 0.764 / 0.732); all 31k pairs 0.735. Dev MAP 0.745 for both 750-step recipes.
* entailment, SICK test / HealthVer test accuracy: 16k pairs one epoch (shipped) 0.797 / 0.424;
  16k two epochs 0.826 / 0.479 (three seeds); 24k 0.814 / 0.463 (two); 32k 0.839 / 0.435; all
  48k 0.852 / 0.488.

Neither 750-step relevance recipe nor the two-epoch entailment recipe was shipped: on the
assistant's own sets the relevance recipe answered one more demo question it should abstain on
(abstention recall 0.917 → 0.833, under the gate's 0.85) and raised MultiHop-RAG's false
abstention (first 80 queries, 0.271 → 0.329); the entailment recipe lifted CLIMATE-FEVER
(first 200 claims: verdict macro-F1 0.364 → 0.381, evidence 0.458 → 0.472) but read more
news paraphrases as contradictions (hard-set claim accuracy 0.341 → 0.293, under its 0.32).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from statistics import mean

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "judge_recipes.json"

# (judge, variant name, --set values): the shipped recipe first, then what it is weighed with.
VARIANTS: list[tuple[str, str, list[str]]] = [
    ("relevance", "shipped", []),
    ("relevance", "24k pairs", ["max_pairs=24000"]),
    ("relevance", "two epochs", ["epochs=2"]),
    ("entailment", "shipped", []),
    ("entailment", "two epochs", ["epochs=2"]),
    ("entailment", "32k pairs", ["max_pairs=32000"]),
]


# --quick: the plumbing alone, two steps on a few rows and no figures.
QUICK = ["--max-steps", "2", "--limit", "64", "--no-figures"]


def train_one(
    judge: str, settings: list[str], seed: int, data: Path, scratch: Path, extra: list[str]
) -> dict:
    out = scratch / f"{judge}-{'-'.join(settings) or 'shipped'}-{seed}"
    command = [sys.executable, "-m", "assistant.judges.train", judge, "--data", str(data)]
    command += ["--out", str(out), "--seed", str(seed), "--threads", "2", *extra]
    for setting in settings:
        command += ["--set", setting]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        return {"seed": seed, "error": done.stdout[-500:] + done.stderr[-500:]}
    meta = json.loads((out / judge / "judge.json").read_text(encoding="utf-8"))
    keep = ("seed", "steps", "train_seconds", "trained_on", "figures")
    return {key: meta[key] for key in keep if key in meta}


def summary(runs: list[dict]) -> dict[str, float]:
    figured = [run["figures"] for run in runs if "figures" in run]
    if not figured:
        return {}
    return {name: round(mean(f[name] for f in figured), 4) for name in figured[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "judges")
    parser.add_argument("--seeds", type=int, nargs="+", default=[13, 14, 15])
    parser.add_argument("--jobs", type=int, default=1, help="trainings at once (GPU: 8)")
    parser.add_argument("--only", choices=["relevance", "entailment"], default=None)
    parser.add_argument("--quick", action="store_true", help="two steps each, no figures")
    args = parser.parse_args()
    extra = QUICK if args.quick else []
    if not args.data.is_dir():
        print(f"Error: the judges' data is not at {args.data} (see its README).")
        return 1
    chosen = [v for v in VARIANTS if args.only in (None, v[0])]
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch, ThreadPoolExecutor(args.jobs) as pool:
        futures = {
            (judge, name): [
                pool.submit(train_one, judge, settings, seed, args.data, Path(scratch), extra)
                for seed in args.seeds
            ]
            for judge, name, settings in chosen
        }
        results = {
            f"{judge}: {name}": {"runs": runs, "mean": summary(runs)}
            for (judge, name), runs in (
                (key, [f.result() for f in group]) for key, group in futures.items()
            )
        }
    results["seconds"] = round(time.monotonic() - started, 1)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for name, result in results.items():
        if isinstance(result, dict):
            print(f"{name:32} {result['mean']}")
    print(f"written {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

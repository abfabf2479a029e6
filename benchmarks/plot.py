"""Latency against corpus size, from benchmarks/results/bench-*.json, as docs/bench-latency.png.

.venv/bin/python benchmarks/plot.py [--out docs/bench-latency.png]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"

SERIES = [
    ("hybrid search", lambda r: r["retrieval"]["hybrid"], "tab:blue"),
    (
        "plain similarity_search",
        lambda r: r["retrieval"]["baseline_dense_similarity_search"],
        "tab:gray",
    ),
    ("ask (extractive, in process)", lambda r: r["answer"], "tab:orange"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "bench-latency.png")
    args = parser.parse_args()
    runs = sorted(
        (json.loads(p.read_text()) for p in RESULTS.glob("bench-*.json")),
        key=lambda r: r["size_chunks"],
    )
    if not runs:
        raise SystemExit(f"No results in {RESULTS}; run `make bench` first.")
    sizes = [r["size_chunks"] for r in runs]
    figure, axis = plt.subplots(figsize=(7, 4.2))
    for label, pick, colour in SERIES:
        axis.plot(
            sizes, [pick(r)["p50_ms"] for r in runs], "o-", color=colour, label=f"{label} p50"
        )
        axis.plot(
            sizes,
            [pick(r)["p95_ms"] for r in runs],
            "o--",
            color=colour,
            alpha=0.6,
            label=f"{label} p95",
        )
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xlabel("chunks in the index")
    axis.set_ylabel("milliseconds per query")
    axis.set_title("Latency against corpus size (2 CPU cores)")
    axis.grid(True, which="both", alpha=0.3)
    axis.legend(fontsize=7, loc="upper left")
    figure.tight_layout()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(args.out, dpi=120)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

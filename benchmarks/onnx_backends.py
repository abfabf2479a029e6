"""The encoder and the judges on PyTorch, ONNX Runtime fp32 and ONNX Runtime int8, on this CPU.

    .venv/bin/python benchmarks/onnx_backends.py [--chunks 600] [--pairs 600]

Writes benchmarks/results/onnx_backends.json:

* encoder: chunks/s of each runtime on the same news-like chunk texts (``benchmarks/corpus.py``,
  best of two passes, batch size as ingest's), and the cosine of each runtime's vectors to
  PyTorch's (mean and worst), and the worst cosine of a chunk's vector read in a batch to
  the same chunk read alone (1.0: a vector depends on its text only, not its neighbours);
* judges: pairs/s of fp32 and int8, and how far int8 moves their probabilities, on held-out
  pairs of their own public sets (WikiQA dev for relevance, SICK test for entailment; read
  from ``../shared/data/judges``, skipped when absent);
* the CPU's int8 instructions (VNNI, AMX), which decide whether int8 pays off here: the
  ``precision=auto`` setting reads the same flags.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus import generate

from assistant.chunking import chunk_article
from assistant.config import EmbeddingSettings, JudgeSettings, Settings
from assistant.embeddings import SentenceEmbeddings
from assistant.index import embedding_text
from assistant.inference.cpu import int8_instructions
from assistant.judges import Judges, corpora
from assistant.sources import iter_articles

RESULTS = Path(__file__).resolve().parent / "results"
ALONE = 50  # chunks also read one at a time


def chunk_texts(count: int) -> list[str]:
    folder = Path(tempfile.mkdtemp(prefix="onnx-backends-"))
    generate(folder, max(1, count // 3))
    settings = Settings()
    texts = [
        embedding_text(article.title, chunk.text)
        for article in iter_articles([folder], folder)
        for chunk in chunk_article(article, settings.chunking)
    ]
    return texts[:count]


def best_rate(action, items: int) -> float:  # type: ignore[no-untyped-def]
    """Items per second, the better of two passes (the first may pay for page faults)."""
    seconds = []
    for _ in range(2):
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
    return items / min(seconds)


def encoders(texts: list[str]) -> dict:
    runtimes = {
        "torch": EmbeddingSettings(backend="torch"),
        "onnx-fp32": EmbeddingSettings(precision="fp32"),
        "onnx-int8": EmbeddingSettings(precision="int8"),
    }
    vectors: dict[str, np.ndarray] = {}
    report: dict[str, dict] = {}
    for name, settings in runtimes.items():
        encoder = SentenceEmbeddings(settings)
        encoder.encode(["Loaded before anything is timed."], cache=False)
        rate = best_rate(lambda e=encoder: e.encode(texts, cache=False), len(texts))
        vectors[name] = encoder.encode(texts, cache=False)
        alone = np.stack([encoder.encode([t], cache=False)[0] for t in texts[:ALONE]])
        report[name] = {
            "chunks_per_s": round(rate, 1),
            "cosine_batched_to_alone_worst": round(
                float((alone * vectors[name][:ALONE]).sum(axis=1).min()), 5
            ),
        }
    for name, found in vectors.items():
        cosine = (found * vectors["torch"]).sum(axis=1)
        report[name]["cosine_to_torch_mean"] = round(float(cosine.mean()), 5)
        report[name]["cosine_to_torch_worst"] = round(float(cosine.min()), 5)
        report[name]["ratio_to_torch"] = round(
            report[name]["chunks_per_s"] / report["torch"]["chunks_per_s"], 3
        )
    return report


def judges(data: Path, count: int) -> dict:
    if not data.is_dir():
        return {"skipped": f"{data} is absent: the judges' held-out pairs come from there"}
    both = {p: Judges.from_settings(JudgeSettings(precision=p)) for p in ("fp32", "int8")}
    report: dict[str, dict] = {}
    for name, pairs in (
        ("relevance", [(p.first, p.second) for p in corpora.wikiqa(data, "dev")[:count]]),
        ("entailment", [(p.first, p.second) for p in corpora.sick(data, ("TEST",))[:count]]),
    ):
        probabilities = {}
        for precision, loaded in both.items():
            judge = getattr(loaded, name)
            read = _reader(name, judge, pairs)
            read()
            probabilities[precision] = read()
            report.setdefault(name, {})[f"{precision}_pairs_per_s"] = round(
                best_rate(read, len(pairs)), 1
            )
        fp32, int8 = probabilities["fp32"], probabilities["int8"]
        moved = np.abs(int8 - fp32)
        report[name] |= {
            "pairs": len(pairs),
            "int8_probability_moved_mean": round(float(moved.mean()), 4),
            "int8_probability_moved_worst": round(float(moved.max()), 4),
            "int8_same_decision": round(float((_decision(int8) == _decision(fp32)).mean()), 4),
        }
    return report


def _decision(probabilities: np.ndarray) -> np.ndarray:
    """Relevance: answers at 0.5; entailment: the most probable label."""
    if probabilities.ndim == 1:
        return probabilities >= 0.5
    return probabilities.argmax(axis=1)


def _reader(name: str, judge, pairs: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    if name == "relevance":
        by_question: dict[str, list[str]] = {}
        for question, sentence in pairs:
            by_question.setdefault(question, []).append(sentence)

        def read() -> np.ndarray:
            return np.concatenate([judge.score(q, s) for q, s in by_question.items()])

        return read
    return lambda: np.asarray([[j.entails, j.neutral, j.contradicts] for j in judge.judge(pairs)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chunks", type=int, default=600)
    parser.add_argument("--pairs", type=int, default=600)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/judges"))
    args = parser.parse_args()
    texts = chunk_texts(args.chunks)
    result = {
        "cpu_int8_instructions": sorted(int8_instructions()),
        "encoder": {"chunks": len(texts), **encoders(texts)},
        "judges": judges(args.data, args.pairs),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "onnx_backends.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

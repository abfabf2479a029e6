"""Speed of the packaged GGUF models on this machine, through the same path the chat uses.

For each model: the time to load it, then for each of a few demo questions the prompt the
assistant really builds (numbered passages), and per answer the prompt tokens, the time to the
first token, and the tokens written per second after it. Prompt reading speed is prompt tokens
over the time to the first token. Results go to ``benchmarks/results/llm-speed.json``.

    .venv/bin/python benchmarks/llm_speed.py [--models smollm2-135m qwen2.5-0.5b] [--questions 5]

Needs the llm extra (``make install-llm``; ``make install-qwen`` for Qwen).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from assistant.config import GenerationSettings, Settings
from assistant.llm import LlamaCppChat, gguf_path
from assistant.retrieval import document_to_passage
from assistant.service import Assistant

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "When did the Kareliya transit the Tsushima Strait?",
    "Is China supplying drone parts to Russia?",
    "How many F-35A fighters are being deployed at Misawa Air Base?",
    "Which Chinese ship was detected near Japan?",
    "How many times did Japan scramble jets in fiscal 2024?",
]


def measure(model_key: str, assistant: Assistant, questions: list[str]) -> dict:
    settings = GenerationSettings(provider="llamacpp", packaged_model=model_key, max_tokens=160)
    started = time.perf_counter()
    chat = LlamaCppChat(model_path=str(gguf_path(settings)), max_tokens=settings.max_tokens)
    llama = chat.load()
    load_s = time.perf_counter() - started
    generator = assistant.generator()
    runs = []
    for question in questions:
        passages = [document_to_passage(d) for d in assistant.retriever().invoke(question)]
        messages = generator.messages(question, passages[: settings.passages])
        prompt_tokens = len(
            llama.tokenize(
                "\n".join(str(m.content) for m in messages).encode(), add_bos=False, special=True
            )
        )
        llama.reset()  # no prompt cache between questions: each is measured cold
        started = time.perf_counter()
        first = None
        chunks = 0
        for _ in chat.stream(messages):
            if first is None:
                first = time.perf_counter() - started
            chunks += 1
        total = time.perf_counter() - started
        runs.append(
            {
                "question": question,
                "prompt_tokens": prompt_tokens,
                "first_token_s": round(first or total, 3),
                "tokens_written": chunks,
                "total_s": round(total, 3),
                "write_tokens_per_s": round((chunks - 1) / (total - first), 1)
                if first and chunks > 1 and total > first
                else None,
                "read_tokens_per_s": round(prompt_tokens / first, 1) if first else None,
            }
        )
    written = [r["write_tokens_per_s"] for r in runs if r["write_tokens_per_s"]]
    return {
        "model": model_key,
        "file": str(gguf_path(settings)),
        "load_s": round(load_s, 2),
        "first_token_s_median": statistics.median(r["first_token_s"] for r in runs),
        "write_tokens_per_s_median": statistics.median(written) if written else None,
        "read_tokens_per_s_median": statistics.median(
            r["read_tokens_per_s"] for r in runs if r["read_tokens_per_s"]
        ),
        "prompt_tokens_median": statistics.median(r["prompt_tokens"] for r in runs),
        "runs": runs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", nargs="+", default=["smollm2-135m", "qwen2.5-0.5b"])
    parser.add_argument("--questions", type=int, default=len(QUESTIONS))
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/llm-speed.json")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(
            sources_dir=ROOT / "sources",
            index_dir=Path(scratch),
            generation=GenerationSettings(provider="llamacpp", packaged_model="smollm2-135m"),
        )
        assistant = Assistant(settings)
        assistant.ingest()
        for key in args.models:
            result = measure(key, assistant, QUESTIONS[: args.questions])
            results.append(result)
            print(
                f"{key}: load {result['load_s']} s, first token {result['first_token_s_median']} s "
                f"(median, {result['prompt_tokens_median']} prompt tokens), "
                f"reads {result['read_tokens_per_s_median']} tok/s, "
                f"writes {result['write_tokens_per_s_median']} tok/s"
            )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "models": results,
    }
    args.out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

"""Where the time of one extractive ``ask`` goes, on a generated corpus of the given size.

    .venv/bin/python benchmarks/profile_ask.py [--chunks 10000] [--queries 20] [--keep DIR]

The corpus is indexed once into ``--keep`` (reused on later runs), the first question warms the
caches, then pyinstrument samples the next ``--queries`` asks and prints the call tree; the HTML
goes to benchmarks/results/profile-ask-<chunks>.html. Needs ``pip install pyinstrument``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate, questions
from pyinstrument import Profiler

from assistant.config import Settings
from assistant.service import Assistant

RESULTS = Path(__file__).resolve().parent / "results"
CHUNKS_PER_ARTICLE = 3


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chunks", type=int, default=10000)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--keep", type=Path, default=Path("/tmp/assistant-profile"))
    args = parser.parse_args()
    root = args.keep / str(args.chunks)
    sources = root / "sources"
    if not sources.exists():
        generate(sources, max(1, args.chunks // CHUNKS_PER_ARTICLE))
    assistant = Assistant(Settings(sources_dir=sources, index_dir=root / "index"))
    report = assistant.ingest()
    print(f"index: {report.summary()} ({assistant.store.chunk_count()} chunks)")
    asked = questions(random.Random(11), args.queries + 1)
    assistant.ask(asked[0])
    profiler = Profiler(interval=0.002)
    started = time.perf_counter()
    with profiler:
        for question in asked[1:]:
            assistant.ask(question)
    mean = (time.perf_counter() - started) / args.queries
    print(f"mean ask under the profiler: {mean * 1000:.0f} ms")
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"profile-ask-{args.chunks}.html").write_text(profiler.output_html())


if __name__ == "__main__":
    main()

"""Scale benchmarks, each against a baseline measured in the same process and run.

    .venv/bin/python benchmarks/bench.py [--sizes 1000 10000] [--queries 50]

For each corpus size (chunks, approximately) it writes benchmarks/results/bench-<size>.json:

* ingest: end-to-end chunks/s vs the raw PyTorch encoder (sentence-transformers) on the same
  chunk texts and batch size, and the raw encoder of the configured backend (ONNX Runtime);
* retrieval: hybrid search p50/p95 vs a plain langchain-chroma ``similarity_search``;
* answer: extractive ``ask`` p50/p95 (and of yes/no questions, and of questions that name two
  outlets, apart), and ``check`` (claim check) p50/p95, all with the learned judges;
* CLI: ``assistant ask`` wall time from process start to the printed answer, answered in its
  own process (``--local``) and handed to a running ``assistant serve`` (``assistant.running``);
* re-ingest: seconds to sync after editing 1% of the articles, vs the first ingest;
* memory: peak RSS of this process (ingest included), and of an ``assistant serve`` process;
* cold start: an ``assistant serve`` process started on the index, from spawn to its first
  answer through the Gradio API; then more questions through the API, and that process's peak
  RSS (VmHWM) is the serving memory.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import claims, generate, multi_part_questions, questions, yes_no_questions

from assistant import running
from assistant.chunking import chunk_article
from assistant.config import Settings
from assistant.embeddings import SentenceEmbeddings
from assistant.index import embedding_text
from assistant.service import Assistant
from assistant.sources import iter_articles

RESULTS = Path(__file__).resolve().parent / "results"
CHUNKS_PER_ARTICLE = 3  # 10 sentences, 4 per chunk with 1 overlapping


def percentiles(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(float(np.percentile(values, 50)) * 1000, 1),
        "p95_ms": round(float(np.percentile(values, 95)) * 1000, 1),
    }


def timed(action, repeat: list) -> list[float]:  # type: ignore[no-untyped-def]
    seconds = []
    for item in repeat:
        started = time.perf_counter()
        action(item)
        seconds.append(time.perf_counter() - started)
    return seconds


def run(size: int, query_count: int, embeddings: SentenceEmbeddings) -> dict:
    articles = max(1, size // CHUNKS_PER_ARTICLE)
    with tempfile.TemporaryDirectory(prefix="assistant-bench-") as folder:
        root = Path(folder)
        sources = root / "sources"
        paths = generate(sources, articles)
        settings = Settings(sources_dir=sources, index_dir=root / "index")
        assistant = Assistant(settings, embeddings=embeddings)
        ingest = measure_ingest(assistant, embeddings)
        queries = measure_queries(assistant, paths, query_count)
        reingest = queries["reingest_1_percent"]
        reingest["ratio_to_first_ingest"] = round(reingest["seconds"] / ingest["seconds"], 3)
        return {
            "size_chunks": ingest.pop("chunks"),
            "articles": articles,
            "machine": "2 CPU cores, no GPU",
            "ingest": ingest,
            **queries,
        }


def run_existing(folder: Path, query_count: int, embeddings: SentenceEmbeddings) -> dict:
    """The query-side figures on a corpus generated and indexed earlier under ``folder``
    (``sources/`` and ``index/``), e.g. one whose timed ingest was cut short: the sync first
    completes it, untimed."""
    settings = Settings(sources_dir=folder / "sources", index_dir=folder / "index")
    assistant = Assistant(settings, embeddings=embeddings)
    assistant.ingest()
    paths = sorted(settings.sources_dir.iterdir())
    return {
        "size_chunks": assistant.store.chunk_count(),
        "articles": len(paths),
        "machine": "2 CPU cores, no GPU",
        "ingest": {"not_measured": f"index reused from {folder}"},
        **measure_queries(assistant, paths, query_count),
    }


def measure_ingest(assistant: Assistant, embeddings: SentenceEmbeddings) -> dict:
    """End-to-end ingest against the raw encoder over exactly the texts ingest embeds."""
    settings = assistant.settings
    sources = settings.sources_dir
    texts = [
        embedding_text(article.title, chunk.text)
        for article in iter_articles([sources], sources)
        for chunk in chunk_article(article, settings.chunking)
    ]
    torch_encoder = SentenceEmbeddings(embeddings.settings.model_copy(update={"backend": "torch"}))
    raw = {}
    for name, encoder in (("torch", torch_encoder), (embeddings.backend, embeddings)):
        encoder.encode(["The model is loaded before anything is timed."], cache=False)
        started = time.perf_counter()
        encoder.encode(texts, cache=False)
        raw[name] = len(texts) / (time.perf_counter() - started)
    started = time.perf_counter()
    report = assistant.ingest()
    ingest_seconds = time.perf_counter() - started
    chunks = report.chunks_written
    rate = chunks / ingest_seconds
    return {
        "chunks": chunks,
        "chunks_per_s": round(rate, 1),
        "backend": embeddings.backend,
        "raw_torch_encoder_chunks_per_s": round(raw["torch"], 1),
        "raw_backend_encoder_chunks_per_s": round(raw[embeddings.backend], 1),
        "ratio_to_raw_torch_encoder": round(rate / raw["torch"], 3),
        "ratio_to_raw_backend_encoder": round(rate / raw[embeddings.backend], 3),
        "seconds": round(ingest_seconds, 1),
    }


def measure_queries(assistant: Assistant, paths: list[Path], query_count: int) -> dict:
    settings = assistant.settings
    embeddings = assistant.embeddings
    rng = random.Random(11)
    asked = questions(rng, query_count)
    retriever = assistant.retriever()
    retriever.search(asked[0])  # the keyword cache is built once, not per query
    # Each phase starts with an empty vector cache, so none reuses another's work; within
    # the ask phase, sentences met again are reused, as in a running server.
    embeddings.clear_cache()
    hybrid = timed(retriever.search, asked)
    store = assistant.store.vectorstore
    store.similarity_search(asked[0], k=settings.retrieval.k)
    embeddings.clear_cache()
    dense = timed(lambda q: store.similarity_search(q, k=settings.retrieval.k), asked)
    embeddings.clear_cache()
    answers = timed(assistant.ask, asked)
    yes_no = timed(assistant.ask, yes_no_questions(rng, max(5, query_count // 2)))
    checks = timed(assistant.check, claims(rng, max(5, query_count // 2)))
    multi_part = timed(assistant.ask, multi_part_questions(rng, max(5, query_count // 2)))
    peak_rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)

    serving = serve_cold_start(settings, asked[:20])

    # A sync with nothing to do: the part of every sync that grows with the corpus.
    started = time.perf_counter()
    assistant.ingest()
    idle_sync_seconds = time.perf_counter() - started
    # Re-ingest after editing 1% of the articles, then the first query, which brings the
    # keyword index up to date.
    for path in rng.sample(paths, max(1, len(paths) // 100)):
        path.write_text(path.read_text() + "\nA correction was appended.\n")
    started = time.perf_counter()
    again = assistant.ingest()
    reingest_seconds = time.perf_counter() - started
    started = time.perf_counter()
    retriever.search(asked[1])
    first_query_seconds = time.perf_counter() - started
    first = assistant.store.chunk_count()
    return {
        "retrieval": {
            "hybrid": percentiles(hybrid),
            "baseline_dense_similarity_search": percentiles(dense),
        },
        "answer": percentiles(answers),
        "answer_yes_no": percentiles(yes_no),
        "check": percentiles(checks),
        "answer_multi_part": percentiles(multi_part),
        "cli_ask": cli_ask(settings, asked[0]),
        "reingest_1_percent": {
            "seconds": round(reingest_seconds, 2),
            "updated": len(again.updated),
            "chunks_written": again.chunks_written,
            "chunks_in_index": first,
            "first_query_after_s": round(first_query_seconds, 2),
            "sync_with_no_change_s": round(idle_sync_seconds, 2),
        },
        "peak_rss_mb": peak_rss_mb,
        "serve": serving,
    }


def cli_ask(settings: Settings, question: str, runs: int = 3, local: bool = True) -> dict:
    """``assistant ask`` as a user runs it: wall time from process start to the printed
    answer (the models' exports are in the cache already, as after any first use); ``local``:
    answered in its own process, else by the running ``assistant serve`` when there is one."""
    command = [
        str(Path(sys.executable).parent / "assistant"),
        "ask",
        "--index",
        str(settings.index_dir),
        question,
        *(["--local"] if local else []),
    ]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=True, timeout=300)
        seconds.append(time.perf_counter() - started)
    return {"runs": runs, "median_s": round(float(np.median(seconds)), 2)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_cold_start(settings: Settings, asked: list[str]) -> dict:
    """Spawn ``assistant serve`` on the index; time to its first answer, then its peak RSS
    after answering ``asked`` through the API."""
    from gradio_client import Client

    port = _free_port()
    command = [
        str(Path(sys.executable).parent / "assistant"),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--index",
        str(settings.index_dir),
        "--sources",
        str(settings.sources_dir),
    ]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        client = None
        while client is None and time.perf_counter() - started < 300:
            try:
                client = Client(f"http://127.0.0.1:{port}/", verbose=False)
            except Exception:
                if process.poll() is not None:
                    raise RuntimeError("assistant serve exited before it served") from None
                time.sleep(0.2)
        if client is None:
            raise RuntimeError("assistant serve did not start within 300 s")
        json.loads(client.predict(asked[0], api_name="/ask_json"))
        first_answer = time.perf_counter() - started
        answers = timed(lambda q: client.predict(q, api_name="/ask_json"), asked[1:-1])
        # `assistant ask` hands its question to this server once it has written its record.
        record = settings.index_dir / running.RECORD
        while not record.exists():
            if time.perf_counter() - started > 300:
                raise RuntimeError("assistant serve wrote no serve.json within 300 s")
            time.sleep(0.2)
        through_serve = cli_ask(settings, asked[-1], local=False)
        status = Path(f"/proc/{process.pid}/status").read_text()
        hwm_kb = int(
            next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
        )
    finally:
        process.terminate()
        process.wait(timeout=30)
    return {
        "cold_start_to_first_answer_s": round(first_answer, 2),
        "answers_through_api": percentiles(answers),
        "cli_ask_through_serve": through_serve,
        "peak_rss_mb": round(hwm_kb / 1024, 1),
    }


def install_size() -> dict:
    """What the environment the benchmark runs in takes on disk: the whole virtual
    environment, and the largest packages in it (the encoder's weights and torch dominate)."""
    site = Path(sysconfig.get_paths()["purelib"])
    packages = {
        entry.name: _folder_bytes(entry)
        for entry in site.iterdir()
        if entry.is_dir() and not entry.name.endswith((".dist-info", "__pycache__"))
    }
    largest = sorted(packages.items(), key=lambda item: item[1], reverse=True)[:8]
    return {
        "environment": sys.prefix,
        "total_mb": round(_folder_bytes(Path(sys.prefix)) / 2**20, 1),
        "largest_packages_mb": {name: round(size / 2**20, 1) for name, size in largest},
    }


def _folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument(
        "--existing",
        type=Path,
        help="Measure queries on a corpus indexed earlier (its sources/ and index/), saved "
        "under the one size given.",
    )
    args = parser.parse_args()
    embeddings = SentenceEmbeddings()
    RESULTS.mkdir(parents=True, exist_ok=True)
    rows = []
    install = install_size()  # the same for every size
    for size in args.sizes:
        if args.existing:
            result = run_existing(args.existing, args.queries, embeddings)
        else:
            result = run(size, args.queries, embeddings)
        result["install"] = install
        (RESULTS / f"bench-{size}.json").write_text(json.dumps(result, indent=2))
        rows.append(result)
        print(json.dumps(result, indent=2), flush=True)
    print(
        f"{'chunks':>8} {'ingest/raw':>10} {'hybrid p50/p95 ms':>18} {'dense p50/p95 ms':>17} "
        f"{'ask p50/p95 ms':>15} {'re-ingest s':>11} {'RSS MB':>7} {'serve RSS':>9} "
        f"{'cold start s':>12}"
    )
    for r in rows:
        h, d, a = (
            r["retrieval"]["hybrid"],
            r["retrieval"]["baseline_dense_similarity_search"],
            r["answer"],
        )
        print(
            f"{r['size_chunks']:>8} {r['ingest'].get('ratio_to_raw_torch_encoder', '-'):>10} "
            f"{h['p50_ms']:>8}/{h['p95_ms']:<9} {d['p50_ms']:>8}/{d['p95_ms']:<8} "
            f"{a['p50_ms']:>7}/{a['p95_ms']:<7} {r['reingest_1_percent']['seconds']:>11} "
            f"{r['peak_rss_mb']:>7} {r['serve']['peak_rss_mb']:>9} "
            f"{r['serve']['cold_start_to_first_answer_s']:>12}"
        )


if __name__ == "__main__":
    main()

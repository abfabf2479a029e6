"""Incremental sync of article files into the store.

Each article is keyed by ``source`` (its file, plus ``#key`` inside ``.jsonl``) and identified by a
content hash. Same hash: skipped. New hash for a known source: the new version is written, then the
old one removed. A source no longer on disk is removed, unless its file failed to load this time
(a file that breaks keeps its last good version in the index).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.chunking import chunk_article
from assistant.config import Settings
from assistant.index import IndexedRecord, Store, embedding_text
from assistant.sources import iter_articles, source_name
from assistant.types import Article, Chunk, IngestFailure, IngestReport

# Chunks encoded together: large enough to keep the encoder busy, small enough that progress
# shows and that a crash loses little work.
ENCODE_BATCH = 256

ProgressCallback = Callable[[int, int], None]


@dataclass
class _Plan:
    to_write: list[tuple[Article, str]] = field(default_factory=list)  # (article, added|updated)
    to_remove: list[IndexedRecord] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[IngestFailure] = field(default_factory=list)


def sync(
    paths: Iterable[Path] | None,
    store: Store,
    settings: Settings,
    *,
    progress: ProgressCallback | None = None,
) -> IngestReport:
    """Bring the index in line with the files under ``paths`` (default: the sources folder)."""
    started = time.perf_counter()
    paths = list(paths) if paths else [settings.sources_dir]
    store.remove_orphan_chunks()
    plan = _plan(paths, store, settings.sources_dir, int(settings.max_file_mb * 1_000_000))
    report = IngestReport(unchanged=plan.unchanged, failed=plan.failed)

    # New versions are committed before old ones go, so a crash in between loses nothing.
    report.chunks_written = _write(plan.to_write, store, settings, report, progress)
    rewritten = {article.source for article, _ in plan.to_write}
    kept_ids = {article.article_id for article, _ in plan.to_write}
    # A renamed file keeps its content id: its record was just re-homed, not removed.
    store.remove_articles(
        list(dict.fromkeys(r.article_id for r in plan.to_remove if r.article_id not in kept_ids))
    )
    for record in plan.to_remove:
        if record.source not in rewritten and record.source not in report.removed:
            report.removed.append(record.source)
    report.seconds = time.perf_counter() - started
    return report


def _plan(paths: list[Path], store: Store, base: Path, max_bytes: int) -> _Plan:
    plan = _Plan()
    indexed: dict[str, list[IndexedRecord]] = defaultdict(list)
    for record in store.indexed():
        indexed[record.source].append(record)
    seen_sources: set[str] = set()
    seen_ids: dict[str, str] = {}
    failed_paths: set[str] = set()

    for item in iter_articles(paths, base, max_bytes):
        if isinstance(item, IngestFailure):
            plan.failed.append(item)
            failed_paths.add(item.path)
            continue
        if item.article_id in seen_ids:
            reason = f"{item.source}: same text as {seen_ids[item.article_id]}; skipped."
            plan.failed.append(IngestFailure(path=item.path, reason=reason))
            continue
        seen_ids[item.article_id] = item.source
        seen_sources.add(item.source)
        previous = indexed.get(item.source, [])
        current = [r for r in previous if r.article_id == item.article_id]
        # Older versions of this source (and duplicates left by a crash) go.
        plan.to_remove.extend(r for r in previous if r.article_id != item.article_id)
        if current:
            plan.unchanged.append(item.source)
        else:
            plan.to_write.append((item, "updated" if previous else "added"))

    scopes = [source_name(p, base) for p in paths]
    for source, records in indexed.items():
        path = records[0].path
        if source in seen_sources or path in failed_paths:
            continue
        if any(_within(path, scope, p.is_dir()) for scope, p in zip(scopes, paths, strict=True)):
            plan.to_remove.extend(records)
    return plan


def _within(path: str, scope: str, scope_is_folder: bool) -> bool:
    if not scope_is_folder:
        return path == scope
    if scope in ("", "."):  # the sources folder itself: everything stored relative to it
        return not path.startswith("/")
    return path.startswith(scope.rstrip("/") + "/")


def _write(
    items: list[tuple[Article, str]],
    store: Store,
    settings: Settings,
    report: IngestReport,
    progress: ProgressCallback | None,
) -> int:
    """Chunk, encode in large batches across articles, commit each batch's articles together.

    Writing a batch to Chroma overlaps with encoding the next one (one writer thread, one batch
    in flight, batches committed in order), so the encoder is rarely left waiting."""
    chunked = [
        (article, kind, chunk_article(article, settings.chunking)) for article, kind in items
    ]
    total = sum(len(chunks) for _, _, chunks in chunked)
    done = 0
    if progress:
        progress(0, total)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-writer") as writer:
        pending: Future[int] | None = None
        for batch in _batches(chunked):
            entries = _encode(batch, store)
            if pending is not None:
                done += pending.result()  # a failed write stops the ingest here
                if progress:
                    progress(done, total)
            pending = writer.submit(_commit, batch, entries, store, report)
        if pending is not None:
            done += pending.result()
    if progress:
        progress(done, total)
    return done


Batch = list[tuple[Article, str, list[Chunk]]]


def _batches(chunked: Batch) -> Iterator[Batch]:
    batch: Batch = []
    size = 0
    for entry in chunked:
        batch.append(entry)
        size += len(entry[2])
        if size >= ENCODE_BATCH:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _encode(batch: Batch, store: Store) -> list[tuple[Article, list[Chunk], np.ndarray]]:
    texts = [embedding_text(a.title, c.text) for a, _, chunks in batch for c in chunks]
    vectors = store.embeddings.encode(texts, cache=False)
    entries = []
    offset = 0
    for article, _, chunks in batch:
        entries.append((article, chunks, np.asarray(vectors[offset : offset + len(chunks)])))
        offset += len(chunks)
    return entries


def _commit(
    batch: Batch,
    entries: list[tuple[Article, list[Chunk], np.ndarray]],
    store: Store,
    report: IngestReport,
) -> int:
    store.write_articles(entries)
    for article, kind, _ in batch:
        (report.added if kind == "added" else report.updated).append(article.source)
    return sum(len(chunks) for _, chunks, _ in entries)

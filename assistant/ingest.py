"""Incremental sync of article files into the store.

Each article is keyed by ``source`` (its file, plus ``#key`` inside ``.jsonl``) and identified by a
content hash. Same hash: skipped. New hash for a known source: the new version is written, then the
old one removed. A source no longer on disk is removed, unless its file failed to load this time
(a file that breaks keeps its last good version in the index).

A file is only read when it may have changed: each article record keeps its file's size and
modification time, so a sync after editing 1% of the files reads 1% of them (as ``make``,
``rsync`` and git's index do). ``full`` reads everything.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.chunking import chunk_many
from assistant.config import ChunkingSettings, Settings
from assistant.errors import SourceError
from assistant.index import IndexedRecord, Store, embedding_text
from assistant.inference.cpu import available_cores
from assistant.sources import iter_files, load_file, source_name
from assistant.types import Article, Chunk, IngestFailure, IngestReport

# Chunks encoded together: large enough to keep the encoder busy, small enough that progress
# shows and that a crash loses little work.
ENCODE_BATCH = 256

# Articles from which sentences are split in helper processes too: starting one costs about
# 0.3 s, which fewer articles than this do not win back.
PARALLEL_CHUNKING_MIN = 300

# A file modified this recently is read again on the next sync whatever its signature says.
RECENT_NS = 2_000_000_000

ProgressCallback = Callable[[int, int], None]


@dataclass
class _Plan:
    to_write: list[tuple[Article, str]] = field(default_factory=list)  # (article, added|updated)
    to_remove: list[IndexedRecord] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[IngestFailure] = field(default_factory=list)
    # The signature each read file leaves with its articles, and the new signature of
    # unchanged articles whose file was read again.
    signatures: dict[str, str] = field(default_factory=dict)
    resigned: dict[str, str] = field(default_factory=dict)


def sync(
    paths: Iterable[Path] | None,
    store: Store,
    settings: Settings,
    *,
    full: bool = False,
    progress: ProgressCallback | None = None,
) -> IngestReport:
    """Bring the index in line with the files under ``paths`` (default: the sources folder).

    A file whose size and modification time match what the index recorded when it was last
    read is not read again; ``full`` reads every file and checks every chunk."""
    with store.sync_lock:
        targets = list(paths) if paths else [settings.sources_dir]
        return _sync(targets, store, settings, full, progress)


def _sync(
    paths: list[Path],
    store: Store,
    settings: Settings,
    full: bool,
    progress: ProgressCallback | None,
) -> IngestReport:
    started = time.perf_counter()
    store.remove_orphan_chunks(full=full)
    planner = _Planner(store, settings.sources_dir, full)
    plan = planner.plan(paths, int(settings.max_file_mb * 1_000_000))
    report = IngestReport(unchanged=plan.unchanged, failed=plan.failed)

    # New versions are committed before old ones go, so a crash in between loses nothing.
    report.chunks_written = _write(plan, store, settings, report, progress)
    store.update_signatures(plan.resigned)
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


class _Planner:
    """Compares the files on disk with what the index holds, file by file."""

    def __init__(self, store: Store, base: Path, full: bool) -> None:
        self.base = base
        self.full = full
        self.by_source: dict[str, list[IndexedRecord]] = defaultdict(list)
        self.by_path: dict[str, list[IndexedRecord]] = defaultdict(list)
        for record in store.indexed():
            self.by_source[record.source].append(record)
            self.by_path[record.path].append(record)
        self.seen_sources: set[str] = set()
        self.seen_ids: dict[str, str] = {}
        # Files that failed keep their last good version (and, in .jsonl, every article).
        self.failed_paths: set[str] = set()
        self.result = _Plan()

    def plan(self, paths: list[Path], max_bytes: int) -> _Plan:
        for item in iter_files(paths, self.base):
            if isinstance(item, IngestFailure):
                self._fail(item, keep_indexed=True)
            else:
                self._file(*item, max_bytes)
        self._remove_missing(paths)
        return self.result

    def _file(self, file: Path, name: str, max_bytes: int) -> None:
        signature = file_signature(file)
        records = self.by_path.get(name, [])
        if not self.full and signature and _signed(records, signature):
            for record in records:
                self._article(record.article_id, record.source, name)
            return
        try:
            loaded = load_file(file, name, max_bytes)
        except SourceError as exc:
            self._fail(IngestFailure(path=name, reason=str(exc)), keep_indexed=True)
            return
        for failure in loaded.failures:
            self._fail(failure, keep_indexed=True)
        clean = not loaded.failures
        unchanged: list[IndexedRecord] = []
        for article in loaded.articles:
            if not self._article(article.article_id, article.source, name, article):
                clean = False  # a copy of another article: reported on every sync
                continue
            unchanged.extend(
                r
                for r in self.by_source.get(article.source, [])
                if r.article_id == article.article_id
            )
        # A file is only skipped next time if all of it went in: every line of a .jsonl.
        signed = f"{signature}/{len(loaded.articles)}" if signature and clean else ""
        self.result.signatures[name] = signed
        self.result.resigned.update(
            {r.article_id: signed for r in unchanged if r.file_signature != signed}
        )

    def _article(
        self, article_id: str, source: str, path: str, article: Article | None = None
    ) -> bool:
        """Place one article of a file in the plan; ``False`` when it was refused."""
        if article_id in self.seen_ids:
            reason = f"{source}: same text as {self.seen_ids[article_id]}; skipped."
            self._fail(IngestFailure(path=path, reason=reason), keep_indexed=False)
            return False
        self.seen_ids[article_id] = source
        self.seen_sources.add(source)
        previous = self.by_source.get(source, [])
        # Older versions of this source (and duplicates left by a crash) go.
        self.result.to_remove.extend(r for r in previous if r.article_id != article_id)
        if any(r.article_id == article_id for r in previous):
            self.result.unchanged.append(source)
        elif article is not None:
            self.result.to_write.append((article, "updated" if previous else "added"))
        return True

    def _fail(self, failure: IngestFailure, *, keep_indexed: bool) -> None:
        self.result.failed.append(failure)
        if keep_indexed:
            self.failed_paths.add(failure.path)

    def _remove_missing(self, paths: list[Path]) -> None:
        """Articles of files no longer there, within the folders or files that were synced."""
        scopes = [source_name(p, self.base) for p in paths]
        # A folder that could not be read keeps what it had, like a file that could not.
        failed_folders = tuple(f"{path}/" for path in self.failed_paths)
        for source, records in self.by_source.items():
            path = records[0].path
            if source in self.seen_sources or path in self.failed_paths:
                continue
            if path.startswith(failed_folders):
                continue
            if any(
                _within(path, scope, p.is_dir()) for scope, p in zip(scopes, paths, strict=True)
            ):
                self.result.to_remove.extend(records)


def file_signature(file: Path) -> str:
    """Size and modification time, or "" for a file changed in the last seconds: one written
    again within the file system's time resolution would keep the same signature."""
    try:
        stat = file.stat()
    except OSError:
        return ""  # reading it will say what is wrong
    if time.time_ns() - stat.st_mtime_ns < RECENT_NS:
        return ""
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def _signed(records: list[IndexedRecord], signature: str) -> bool:
    """Whether every article of a file was indexed from the file as it is now. The count
    catches a crash between batches that committed only some articles of a .jsonl file."""
    return bool(records) and all(r.file_signature == f"{signature}/{len(records)}" for r in records)


def _within(path: str, scope: str, scope_is_folder: bool) -> bool:
    if not scope_is_folder:
        return path == scope
    if scope in ("", "."):  # the sources folder itself: everything stored relative to it
        return not path.startswith("/")
    return path.startswith(scope.rstrip("/") + "/")


def _write(
    plan: _Plan,
    store: Store,
    settings: Settings,
    report: IngestReport,
    progress: ProgressCallback | None,
) -> int:
    """Chunk, encode in large batches across articles, commit each batch's articles together.

    Writing a batch to Chroma overlaps with encoding the next one (one writer thread, one batch
    in flight, batches committed in order), so the encoder is rarely left waiting."""
    articles = [article for article, _ in plan.to_write]
    chunks_of = _chunk_all(articles, settings.chunking)
    chunked = [
        (article, kind, chunks)
        for (article, kind), chunks in zip(plan.to_write, chunks_of, strict=True)
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
            pending = writer.submit(_commit, batch, entries, store, plan.signatures, report)
        if pending is not None:
            done += pending.result()
    if progress:
        progress(done, total)
    return done


Batch = list[tuple[Article, str, list[Chunk]]]


def _chunk_all(articles: list[Article], chunking: ChunkingSettings) -> list[list[Chunk]]:
    """Every article's chunks, in order; a large ingest splits sentences on every core
    (``chunk_many``): 10k chunks spent 8 s of a 56 s ingest splitting on one core while the
    other waited."""
    helpers = available_cores() - 1 if len(articles) >= PARALLEL_CHUNKING_MIN else 0
    return chunk_many(articles, chunking, helpers)


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
    signatures: dict[str, str],
    report: IngestReport,
) -> int:
    store.write_articles(entries, signatures)
    for article, kind, _ in batch:
        (report.added if kind == "added" else report.updated).append(article.source)
    return sum(len(chunks) for _, chunks, _ in entries)

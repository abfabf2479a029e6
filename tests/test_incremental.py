"""Syncs that scale with the change: unchanged files are not read again, and crash marks let
a sync clean up after an interrupted write without reading the whole chunk collection."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

import assistant.index.state as index_state
import assistant.ingest as ingest_module
from assistant.chunking import chunk_article
from assistant.index import Store
from assistant.service import Assistant
from assistant.sources import load_file
from tests.conftest import DEMO_SOURCES

SAMPLE = sorted(p for p in DEMO_SOURCES.glob("*.md") if p.name != "README.md")[:3]
AN_HOUR_AGO = time.time() - 3600


def age(folder: Path, seconds_ago: float = 3600) -> None:
    """Files copied a moment ago are too fresh to trust their times; make them an hour old."""
    when = time.time() - seconds_ago
    for file in folder.iterdir():
        os.utime(file, (when, when))


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """How often each file was read (parsed) by a sync."""
    counted: Counter = Counter()
    real = ingest_module.load_file

    def counting(file: Path, name: str, max_bytes: int):  # type: ignore[no-untyped-def]
        counted[name] += 1
        return real(file, name, max_bytes)

    monkeypatch.setattr(ingest_module, "load_file", counting)
    return counted


def test_a_second_sync_reads_only_the_file_that_changed(make_assistant, reads: Counter) -> None:
    assistant = make_assistant(SAMPLE)
    folder = assistant.settings.sources_dir
    age(folder)
    assistant.ingest()
    assert sum(reads.values()) == 3
    reads.clear()

    assert assistant.ingest().summary() == "0 added, 0 updated, 0 removed, 3 unchanged, 0 failed"
    assert reads == Counter()

    edited = folder / SAMPLE[0].name
    edited.write_text(edited.read_text() + "\nA correction was appended.\n")
    os.utime(edited, (AN_HOUR_AGO + 60, AN_HOUR_AGO + 60))
    report = assistant.ingest()
    assert report.updated == [SAMPLE[0].name]
    assert reads == Counter({SAMPLE[0].name: 1})


def test_a_touched_file_is_read_once_then_trusted_again(make_assistant, reads: Counter) -> None:
    assistant = make_assistant(SAMPLE[:1])
    folder = assistant.settings.sources_dir
    age(folder)
    assistant.ingest()
    age(folder, seconds_ago=1800)  # same text, new time
    reads.clear()
    assert assistant.ingest().summary() == "0 added, 0 updated, 0 removed, 1 unchanged, 0 failed"
    assert reads == Counter({SAMPLE[0].name: 1})
    reads.clear()
    assistant.ingest()
    assert reads == Counter()


def test_a_file_written_moments_ago_is_read_on_every_sync(make_assistant, reads: Counter) -> None:
    assistant = make_assistant(SAMPLE[:1])
    assistant.ingest()
    assistant.ingest()
    assert reads == Counter({SAMPLE[0].name: 2})


def test_full_sync_finds_an_edit_that_kept_size_and_time(make_assistant, reads: Counter) -> None:
    """A restore that keeps the size and the time (``cp -p`` of another version) slips past
    the quick check, as it does past make and rsync; ``--full`` is the answer."""
    assistant = make_assistant(SAMPLE[:1])
    file = assistant.settings.sources_dir / SAMPLE[0].name
    age(file.parent)
    assistant.ingest()
    stat = file.stat()
    text = file.read_text()
    swapped = text.replace("Japan", "Nepal", 1)
    assert swapped != text and len(swapped) == len(text)
    file.write_text(swapped)
    os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    assert assistant.ingest().updated == []
    assert assistant.ingest(full=True).updated == [SAMPLE[0].name]
    assert "Nepal" in (assistant.store.article_text(assistant.sources()[0].article_id) or "")


def test_a_jsonl_file_with_a_bad_line_is_read_and_reported_every_time(
    make_assistant, reads: Counter
) -> None:
    assistant = make_assistant()
    folder = assistant.settings.sources_dir
    lines = [
        json.dumps({"id": "a", "title": "One", "text": "The port reopened on Monday."}),
        "{not json",
        json.dumps({"id": "b", "title": "Two", "text": "The ferry sailed on Tuesday."}),
    ]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n")
    age(folder)
    first = assistant.ingest()
    second = assistant.ingest()
    assert len(first.added) == 2 and len(second.unchanged) == 2
    assert [f.reason for f in second.failed] == [f.reason for f in first.failed]
    assert len(second.failed) == 1 and "line 2" in second.failed[0].reason
    assert reads == Counter({"feed.jsonl": 2})


def test_a_jsonl_file_missing_an_article_is_read_again(make_assistant, reads: Counter) -> None:
    """A crash between two write batches can commit part of a .jsonl file: the article count
    kept with the signature sends the file to be read again."""
    assistant = make_assistant()
    folder = assistant.settings.sources_dir
    records = [{"id": str(n), "title": f"T{n}", "text": f"Ship {n} left port."} for n in range(3)]
    (folder / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    age(folder)
    assistant.ingest()
    lost = next(a for a in assistant.sources() if a.source == "feed.jsonl#1")
    assistant.store.remove_articles([lost.article_id])
    reads.clear()

    report = assistant.ingest()
    assert report.added == ["feed.jsonl#1"] and len(report.unchanged) == 2
    assert reads == Counter({"feed.jsonl": 1})


def test_a_copy_of_a_trusted_file_is_still_reported(make_assistant) -> None:
    assistant = make_assistant(SAMPLE[:1])
    folder = assistant.settings.sources_dir
    age(folder)
    assistant.ingest()
    (folder / "zz-copy.md").write_text((folder / SAMPLE[0].name).read_text())
    report = assistant.ingest()
    assert [f.reason for f in report.failed] == [
        f"zz-copy.md: same text as {SAMPLE[0].name}; skipped."
    ]
    assert report.unchanged == [SAMPLE[0].name]


# -- crash marks -------------------------------------------------------------------------------

CRASHING_INGEST = """
import os, sys
from pathlib import Path
from assistant.config import Settings
from assistant.index import Store
from assistant.service import Assistant

assistant = Assistant(Settings(sources_dir=Path(sys.argv[1]), index_dir=Path(sys.argv[2])))
articles = assistant.store.articles


class DiesBeforeTheRecords:
    # The chunks are written; the process is killed before the article records.
    def __getattr__(self, name):
        return getattr(articles, name)

    def upsert(self, **kwargs):
        os._exit(9)


assistant.store.articles = DiesBeforeTheRecords()
assistant.ingest()
"""


def _marks(assistant) -> list[str]:
    return [mark.mark_id for mark in assistant.store.state.marks()]


def _chunk_ids(assistant, article_id: str) -> list[str]:
    return assistant.store.chunks.get(where={"article_id": article_id}, include=[])["ids"]


def test_a_killed_ingest_is_cleaned_up_by_the_next_sync(make_assistant) -> None:
    assistant = make_assistant()
    settings = assistant.settings
    assistant.ingest()  # an empty index, which from now on relies on crash marks
    shutil.copy(SAMPLE[0], settings.sources_dir / SAMPLE[0].name)
    killed = subprocess.run(
        [sys.executable, "-c", CRASHING_INGEST, str(settings.sources_dir), str(settings.index_dir)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
    )
    assert killed.returncode == 9, killed.stderr[-2000:]

    survivor = make_assistant()
    path = settings.sources_dir / SAMPLE[0].name
    [article] = load_file(path, path.name).articles
    assert survivor.sources() == []
    assert _chunk_ids(survivor, article.article_id), "the killed ingest wrote no chunks"
    assert len(_marks(survivor)) == 1

    report = survivor.ingest()
    assert report.added == [path.name]
    expected = len(chunk_article(article, settings.chunking))
    assert len(_chunk_ids(survivor, article.article_id)) == expected
    assert survivor.store.chunk_count() == expected
    assert _marks(survivor) == []


def test_a_failed_write_removes_its_own_orphans_at_once(make_assistant) -> None:
    assistant = make_assistant(SAMPLE[:1])
    store = assistant.store
    real = store.articles

    class FailsOnRecords:
        def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
            return getattr(real, name)

        def upsert(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
            raise RuntimeError("Chroma refused the records")

    store.articles = FailsOnRecords()
    with pytest.raises(RuntimeError, match="refused"):
        assistant.ingest()
    store.articles = real
    assert store.chunk_count() == 0
    assert _marks(assistant) == []


def _leave_orphans(assistant, writer: str, started: float) -> None:
    store = assistant.store
    vector = np.asarray(assistant.embeddings.encode(["ghost"]))
    store.chunks.upsert(
        ids=["ghost:0"], embeddings=vector, documents=["ghost"], metadatas=[{"article_id": "ghost"}]
    )
    store.state.collection.upsert(
        ids=["write-test"],
        embeddings=[[1.0]],
        documents=[json.dumps(["ghost"])],
        metadatas=[{"kind": "write", "writer": writer, "started": started}],
    )


def test_a_write_still_going_on_elsewhere_is_left_alone(
    make_assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    assistant = make_assistant(SAMPLE[:1])
    assistant.ingest()
    _leave_orphans(assistant, "another-machine:4242:abcd", time.time())
    assistant.ingest()
    assert _chunk_ids(assistant, "ghost") == ["ghost:0"]
    assert assistant.ingest(full=True).added == []  # a full check respects live writes too
    assert _chunk_ids(assistant, "ghost") == ["ghost:0"]

    monkeypatch.setattr(index_state, "ABANDONED_AFTER_SECONDS", 0.0)
    assistant.ingest()
    assert _chunk_ids(assistant, "ghost") == []
    assert _marks(assistant) == []


def test_a_mark_of_a_dead_process_on_this_machine_is_settled_at_once(make_assistant) -> None:
    assistant = make_assistant(SAMPLE[:1])
    assistant.ingest()
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = int(finished.stdout)
    _leave_orphans(assistant, f"{socket.gethostname()}:{dead}:abcd", time.time())
    assistant.ingest()
    assert _chunk_ids(assistant, "ghost") == []
    assert _marks(assistant) == []


def test_the_article_list_follows_writes_of_another_store(make_assistant) -> None:  # type: ignore[no-untyped-def]
    """The list is kept per index version: a write through another opened store (as another
    process would make) shows at the next read, and an unchanged index is not read again."""
    demo = sorted((Path(__file__).resolve().parents[1] / "sources").glob("*.md"))
    reader = make_assistant(files=demo[:1])
    reader.ingest()
    assert [a.path for a in reader.store.list_articles()] == [demo[0].name]
    assert reader.store.list_articles() == reader.store.list_articles()
    writer = Assistant(reader.settings, embeddings=reader.embeddings)
    shutil.copy(demo[1], reader.settings.sources_dir / demo[1].name)
    writer.ingest()
    assert {a.path for a in reader.store.list_articles()} == {demo[0].name, demo[1].name}


def test_a_new_process_reads_the_saved_article_list_until_a_write(  # type: ignore[no-untyped-def]
    make_assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list read under one version is saved beside the index: the next store opened on
    it (as the next `assistant ask` would) reads no article record, and after a write by
    anyone it reads them again instead of trusting the saved copy."""
    demo = sorted(p for p in DEMO_SOURCES.glob("*.md") if p.name != "README.md")
    first = make_assistant(files=demo[:1])
    first.ingest()
    listed = first.store.list_articles()

    scans: list[str] = []
    real = Store._read_articles

    def counting(store: Store) -> list:  # type: ignore[type-arg]
        scans.append("scan")
        return real(store)

    monkeypatch.setattr(Store, "_read_articles", counting)
    second = Assistant(first.settings, embeddings=first.embeddings)
    assert second.store.list_articles() == listed
    assert scans == []

    shutil.copy(demo[1], first.settings.sources_dir / demo[1].name)
    second.ingest()
    third = Assistant(first.settings, embeddings=first.embeddings)
    assert {a.path for a in third.store.list_articles()} == {demo[0].name, demo[1].name}
    assert scans == ["scan"]


@pytest.mark.parametrize("damage", ["not json {", '{"format": 1, "version": "x"}', ""])
def test_a_damaged_or_stale_saved_list_is_read_again_from_the_index(  # type: ignore[no-untyped-def]
    make_assistant, damage: str
) -> None:
    assistant = make_assistant(files=SAMPLE[:2])
    assistant.ingest()
    saved = assistant.store._saved_listing.path
    assistant.store.list_articles()
    assert saved.is_file()
    saved.write_text(damage)
    fresh = Assistant(assistant.settings, embeddings=assistant.embeddings)
    assert {a.path for a in fresh.store.list_articles()} == {p.name for p in SAMPLE[:2]}


def test_a_saved_list_that_cannot_be_written_costs_only_the_scan(make_assistant) -> None:  # type: ignore[no-untyped-def]
    """A file where the listing folder should be (as on a read-only index folder, which
    root would write anyway): the articles are listed all the same, from the index."""
    assistant = make_assistant(files=SAMPLE[:1])
    assistant.ingest()
    folder = assistant.store._saved_listing.path.parent
    shutil.rmtree(folder, ignore_errors=True)
    folder.write_text("in the way")
    fresh = Assistant(assistant.settings, embeddings=assistant.embeddings)
    assert [a.path for a in fresh.store.list_articles()] == [SAMPLE[0].name]
    assert folder.read_text() == "in the way"

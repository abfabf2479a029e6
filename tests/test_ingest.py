from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from assistant.chunking import chunk_article
from assistant.sources import load_file
from tests.conftest import DEMO_SOURCES

SAMPLE = sorted(p for p in DEMO_SOURCES.glob("*.md") if p.name != "README.md")[:4]


def chunk_ids_of(assistant, article_id: str) -> list[str]:
    return assistant.store.chunks.get(where={"article_id": article_id}, include=[])["ids"]


def keyword_article_ids(assistant) -> set[str]:
    return {cid.split(":")[0] for cid in assistant.store.keyword().ids}


def test_first_ingest_adds_everything_and_second_is_a_no_op(make_assistant) -> None:
    assistant = make_assistant(SAMPLE)
    first = assistant.ingest()
    assert len(first.added) == 4 and first.chunks_written > 0
    assert first.summary() == "4 added, 0 updated, 0 removed, 0 unchanged, 0 failed"
    second = assistant.ingest()
    assert second.summary() == "0 added, 0 updated, 0 removed, 4 unchanged, 0 failed"
    assert second.chunks_written == 0
    listed = assistant.sources()
    assert sum(a.chunks for a in listed) == assistant.store.chunk_count()


def test_progress_counts_up_to_every_chunk_written(make_assistant, monkeypatch) -> None:
    """The bar a user watches: it starts at nothing done, never runs backwards or past its
    total, and ends at every chunk written."""
    from assistant import ingest

    monkeypatch.setattr(ingest, "ENCODE_BATCH", 1)  # a batch per article
    assistant = make_assistant(SAMPLE)
    calls: list[tuple[int, int]] = []
    report = assistant.ingest(progress=lambda done, total: calls.append((done, total)))
    done = [d for d, _ in calls]
    assert len(calls) > 3 and done == sorted(done)
    assert calls[0][0] == 0 and all(total >= d for d, total in calls)
    assert calls[-1] == (report.chunks_written, report.chunks_written)
    assert report.chunks_written == assistant.store.chunk_count()


def test_editing_one_file_replaces_only_it(make_assistant) -> None:
    assistant = make_assistant(SAMPLE)
    assistant.ingest()
    before = {a.source: a.article_id for a in assistant.sources()}
    edited = assistant.settings.sources_dir / SAMPLE[0].name
    edited.write_text(edited.read_text() + "\nA new closing sentence about the Kareliya.\n")

    report = assistant.ingest()
    assert report.updated == [SAMPLE[0].name]
    assert report.summary() == "0 added, 1 updated, 0 removed, 3 unchanged, 0 failed"
    after = {a.source: a.article_id for a in assistant.sources()}
    assert after[SAMPLE[0].name] != before[SAMPLE[0].name]
    assert chunk_ids_of(assistant, before[SAMPLE[0].name]) == []
    assert {k: v for k, v in after.items() if k != SAMPLE[0].name} == {
        k: v for k, v in before.items() if k != SAMPLE[0].name
    }
    assert keyword_article_ids(assistant) == set(after.values())


def test_deleting_a_file_removes_it_from_both_indexes(make_assistant) -> None:
    assistant = make_assistant(SAMPLE)
    assistant.ingest()
    gone = {a.source: a.article_id for a in assistant.sources()}[SAMPLE[1].name]
    assert gone in keyword_article_ids(assistant)

    (assistant.settings.sources_dir / SAMPLE[1].name).unlink()
    report = assistant.ingest()
    assert report.removed == [SAMPLE[1].name]
    assert chunk_ids_of(assistant, gone) == []
    assert gone not in {a.article_id for a in assistant.sources()}
    assert gone not in keyword_article_ids(assistant)


def test_a_broken_file_is_reported_and_keeps_its_last_good_version(make_assistant) -> None:
    assistant = make_assistant(SAMPLE[:2])
    assistant.ingest()
    broken = assistant.settings.sources_dir / SAMPLE[0].name
    broken.write_bytes(b"\x00\x01binary garbage")
    (assistant.settings.sources_dir / "new.md").write_text(
        "# New\n\nA fresh article about Misawa.\n"
    )

    report = assistant.ingest()
    assert [f.reason for f in report.failed] == [
        f"{SAMPLE[0].name}: this looks like a binary file, not text."
    ]
    assert report.added == ["new.md"]
    assert report.removed == []
    assert {a.source for a in assistant.sources()} == {SAMPLE[0].name, SAMPLE[1].name, "new.md"}


def test_renamed_file_keeps_its_content(make_assistant) -> None:
    assistant = make_assistant(SAMPLE[:1])
    assistant.ingest()
    folder = assistant.settings.sources_dir
    (folder / SAMPLE[0].name).rename(folder / "renamed.md")
    report = assistant.ingest()
    assert report.added == ["renamed.md"] and report.removed == [SAMPLE[0].name]
    [listed] = assistant.sources()
    assert listed.source == "renamed.md"
    assert len(chunk_ids_of(assistant, listed.article_id)) == listed.chunks > 0


def test_identical_copy_is_reported_not_indexed_twice(make_assistant) -> None:
    assistant = make_assistant(SAMPLE[:1])
    folder = assistant.settings.sources_dir
    (folder / "copy.md").write_text((folder / SAMPLE[0].name).read_text())
    report = assistant.ingest()
    assert len(report.added) == 1
    # Files are read in name order, so the copy is the one reported.
    assert [f.reason for f in report.failed] == [
        f"copy.md: same text as {SAMPLE[0].name}; skipped."
    ]


def test_chunks_of_an_interrupted_ingest_are_cleaned_up(make_assistant) -> None:
    """A crash after the chunks but before the article record leaves orphans; the next sync
    removes them and writes the article whole."""
    assistant = make_assistant(SAMPLE[:1])
    path = assistant.settings.sources_dir / SAMPLE[0].name
    [article] = load_file(path, path.name).articles
    chunks = chunk_article(article, assistant.settings.chunking)
    vectors = assistant.embeddings.encode([c.text for c in chunks])
    assistant.store.chunks.upsert(
        ids=[c.chunk_id for c in chunks[:2]],
        embeddings=vectors[:2],
        documents=[c.text for c in chunks[:2]],
        metadatas=[{"article_id": article.article_id, "index": c.index} for c in chunks[:2]],
    )
    assistant.store.chunks.upsert(
        ids=["ghost:0"],
        embeddings=np.asarray(vectors[:1]),
        documents=["ghost"],
        metadatas=[{"article_id": "ghost"}],
    )
    assert assistant.sources() == []

    report = assistant.ingest()
    assert report.added == [path.name]
    assert chunk_ids_of(assistant, "ghost") == []
    assert len(chunk_ids_of(assistant, article.article_id)) == len(chunks)
    assert assistant.store.chunk_count() == len(chunks)


def test_ingesting_one_file_does_not_remove_the_others(make_assistant) -> None:
    assistant = make_assistant(SAMPLE[:2])
    assistant.ingest()
    report = assistant.ingest([assistant.settings.sources_dir / SAMPLE[0].name])
    assert report.summary() == "0 added, 0 updated, 0 removed, 1 unchanged, 0 failed"
    assert len(assistant.sources()) == 2


def test_keyword_cache_survives_a_restart(make_assistant, tmp_path: Path) -> None:
    assistant = make_assistant(SAMPLE[:2])
    assistant.ingest()
    built = assistant.store.keyword()
    cache = assistant.settings.index_dir / "keyword" / assistant.settings.collection
    assert (cache / "ids.json").is_file()
    reopened = make_assistant()
    assert reopened.store.keyword().ids == built.ids


def test_a_folder_that_cannot_be_read_keeps_its_articles(make_assistant, monkeypatch) -> None:
    import os

    assistant = make_assistant(SAMPLE[:1])
    folder = assistant.settings.sources_dir
    (folder / "desk").mkdir()
    shutil.copy(SAMPLE[1], folder / "desk" / SAMPLE[1].name)
    assert len(assistant.ingest().added) == 2
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if str(path).endswith("desk"):  # a folder without read permission (tests run as root)
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    report = assistant.ingest()
    assert [f.path for f in report.failed] == ["desk"]
    assert report.removed == []
    assert {a.source for a in assistant.sources()} == {SAMPLE[0].name, f"desk/{SAMPLE[1].name}"}


def test_an_article_record_holds_a_placeholder_vector_not_a_mean(make_assistant) -> None:
    """Nothing searches articles by meaning; Chroma held a 384-number mean per article in
    memory from the first read of the collection."""
    assistant = make_assistant(SAMPLE[:2])
    assistant.ingest()
    got = assistant.store.articles.get(include=["embeddings"])
    assert len(got["ids"]) == 2 and all(len(v) == 1 for v in got["embeddings"])


def test_an_index_with_article_means_takes_new_articles(make_assistant) -> None:
    """An index written before the placeholder keeps its articles' width: Chroma fixes it."""
    assistant = make_assistant(SAMPLE[:1])
    dimension = assistant.store.embeddings.dimension
    assistant.store.articles.upsert(
        ids=["written-before"],
        embeddings=np.ones((1, dimension), dtype=np.float32),
        metadatas=[{"outlet": "x"}],
    )
    assistant.store.articles.delete(ids=["written-before"])
    reopened = make_assistant([SAMPLE[0], SAMPLE[1]])  # the same folder, a new Store
    report = reopened.ingest()
    assert len(report.added) == 2 and not report.failed
    widths = {len(v) for v in reopened.store.articles.get(include=["embeddings"])["embeddings"]}
    assert widths == {dimension}

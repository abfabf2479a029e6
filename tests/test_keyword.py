"""The BM25 side after a change: brought up to date from its token table, reading only the
chunks of added articles, with the scores a fresh build would give."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.keyword import KeywordIndex, best_scores
from tests.conftest import DEMO_SOURCES

SAMPLE = sorted(p for p in DEMO_SOURCES.glob("*.md") if p.name != "README.md")[:4]

TEXTS = {
    "a:0": "The Kareliya passed the Tsushima Strait on 7 January.",
    "a:1": "Japan's defence ministry tracked the Kareliya.",
    "b:0": "Russia's Il-20 flew over the Sea of Okhotsk.",
    "c:0": "Beijing dismissed claims that it supplies drone engines.",
    "c:1": "The engines reportedly reached the Alabuga plant.",
    "d:0": "F-35A fighters at Misawa were scrambled.",
}
QUERIES = ["Kareliya Tsushima", "drone engines Alabuga", "Il-20 Okhotsk", "F-35A Misawa", "Japan"]


def _index(chunk_ids: list[str], fingerprint: str) -> KeywordIndex:
    return KeywordIndex.build(chunk_ids, [TEXTS[i] for i in chunk_ids], fingerprint)


def _results(index: KeywordIndex) -> list[dict[str, float]]:
    return [{cid: round(score, 5) for cid, score in index.search(q, k=len(TEXTS))} for q in QUERIES]


def test_an_updated_index_scores_as_a_fresh_build() -> None:
    earlier = _index(["a:0", "a:1", "b:0", "c:0", "c:1"], "earlier")
    updated = earlier.updated({"c"}, ["d:0"], [TEXTS["d:0"]], "now")
    fresh = _index(["a:0", "a:1", "b:0", "d:0"], "now")
    assert sorted(updated.ids) == sorted(fresh.ids)
    assert updated.article_ids() == {"a", "b", "d"}
    assert _results(updated) == _results(fresh)
    assert updated.idf("kareliya") == pytest.approx(fresh.idf("kareliya"))
    # A word only the removed article had no longer matches anything.
    assert updated.search("Alabuga", k=3) == []


def test_a_saved_index_keeps_its_token_table(tmp_path: Path) -> None:
    built = _index(list(TEXTS), "all")
    built.save(tmp_path / "cache")
    assert KeywordIndex.load(tmp_path / "cache", "other") is None
    loaded = KeywordIndex.load(tmp_path / "cache")
    assert loaded is not None and loaded.fingerprint == "all"
    again = loaded.updated({"d"}, [], [], "without-d")
    assert _results(again) == _results(_index([i for i in TEXTS if i != "d:0"], "x"))


def test_a_loaded_index_reads_its_token_table_only_if_still_its_own(tmp_path: Path) -> None:
    """A searching process does not hold the token table; when an update needs it and another
    process has saved a different index in the folder since, it is rebuilt, never mixed."""
    _index(list(TEXTS), "all").save(tmp_path / "cache")
    loaded = KeywordIndex.load(tmp_path / "cache")
    assert loaded is not None and loaded._tokens is None
    _index(["a:0", "b:0"], "two").save(tmp_path / "cache")
    assert loaded.tokens is None
    assert _results(loaded) == _results(_index(list(TEXTS), "all"))  # it still searches


def test_after_an_edit_only_the_new_chunks_are_read(make_assistant, monkeypatch) -> None:
    assistant = make_assistant(SAMPLE)
    assistant.ingest()
    store = assistant.store
    before = store.keyword()

    def no_full_read(collection):  # type: ignore[no-untyped-def]
        raise AssertionError("the whole chunk collection was read")

    monkeypatch.setattr(store, "_get_all_documents", no_full_read)
    edited = assistant.settings.sources_dir / SAMPLE[0].name
    edited.write_text(edited.read_text() + "\nThe Suzutsuki shadowed the Kareliya.\n")
    assistant.ingest()
    after = store.keyword()
    assert after is not before
    assert after.article_ids() == {a.article_id for a in assistant.sources()}
    assert len(after) == store.chunk_count()
    assert any(
        store.passages([cid])[cid].source == SAMPLE[0].name
        for cid, _ in after.search("Suzutsuki shadowed", 3)
    )


def test_a_restart_brings_the_saved_index_up_to_date(make_assistant, monkeypatch) -> None:
    """`assistant ingest` in one process, then a server started later: the server updates
    the index the last run saved rather than reading every chunk."""
    first = make_assistant(SAMPLE[:2])
    first.ingest()
    first.store.keyword()
    for file in SAMPLE[2:]:
        shutil.copy(file, first.settings.sources_dir / file.name)
    first.ingest()  # no query: the saved keyword index is now one change behind

    later = make_assistant()
    monkeypatch.setattr(later.store, "_get_all_documents", lambda c: iter(()))
    refreshed = later.store.keyword()
    assert refreshed.article_ids() == {a.article_id for a in later.sources()}
    assert len(refreshed) == later.store.chunk_count()


def test_a_cache_without_a_token_table_is_rebuilt_once(make_assistant) -> None:
    assistant = make_assistant(SAMPLE[:2])
    assistant.ingest()
    assistant.store.keyword()
    cache = assistant.settings.index_dir / "keyword" / assistant.settings.collection
    (cache / "tokens.npz").unlink()  # as written before token tables were kept
    for file in SAMPLE[2:]:
        shutil.copy(file, assistant.settings.sources_dir / file.name)
    assistant.ingest()
    later = make_assistant()
    rebuilt = later.store.keyword()
    assert rebuilt.tokens is not None
    assert len(rebuilt) == later.store.chunk_count()
    assert (cache / "tokens.npz").is_file()


def test_a_filtered_search_ranks_only_the_allowed_articles() -> None:
    index = _index(list(TEXTS), "all")
    assert {cid for cid, _ in index.search("Kareliya engines", k=6, allowed={"c"})} == {
        "c:0",
        "c:1",
    }
    found = index.search("Kareliya", k=6, allowed={"a", "d"})
    assert {cid for cid, _ in found} == {"a:0", "a:1"}
    assert index.search("Kareliya", k=6, allowed={"b"}) == []


def _best_by_sorting(scores: np.ndarray, k: int) -> list[int]:
    """The reference: every positive score sorted, best first, lower index first on ties."""
    ranked = sorted((-float(s), i) for i, s in enumerate(scores) if s > 0)
    return [i for _, i in ranked[:k]]


@pytest.mark.parametrize("size", [5, 700, 20_000])
@pytest.mark.parametrize("k", [1, 6, 24])
def test_the_best_scores_are_those_a_full_sort_gives(size: int, k: int) -> None:
    """The sampled threshold never loses one of the top ``k``: scores with many zeros, many
    ties (BM25 gives equal scores to chunks of the same length and counts), a few positives."""
    rng = np.random.default_rng(size + k)
    tied = rng.integers(0, 6, size).astype(np.float32)  # 0 (no query word) to 5: ties galore
    spread = rng.random(size).astype(np.float32) * (rng.random(size) < 0.3)
    sparse = np.zeros(size, dtype=np.float32)
    sparse[rng.choice(size, min(size, 3), replace=False)] = [2.0, 1.0, 2.0][: min(size, 3)]
    for scores in (tied, spread, sparse, np.zeros(size, dtype=np.float32)):
        assert best_scores(scores, k).tolist() == _best_by_sorting(scores, k)

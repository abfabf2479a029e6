from __future__ import annotations

from assistant.retrieval import reciprocal_rank_fusion
from assistant.service import Assistant


def test_rrf_rewards_agreement_between_rankings() -> None:
    # c: 1/63 + 1/61 beats b: 1/62 + 1/62, and both beat a chunk only one side found.
    fused = reciprocal_rank_fusion(["a", "b", "c"], ["c", "b", "d"], k=60)
    assert [r.chunk_id for r in fused] == ["c", "b", "a", "d"]
    assert fused[0].dense_rank == 3 and fused[0].keyword_rank == 1
    assert fused[-1].dense_rank is None and fused[-1].keyword_rank == 3


def test_rrf_weights_can_switch_a_side_off() -> None:
    fused = reciprocal_rank_fusion(["a", "b"], ["b", "c"], dense_weight=1.0, keyword_weight=0.0)
    assert [r.chunk_id for r in fused[:2]] == ["a", "b"]
    assert fused[-1].score == 0.0


def test_keyword_side_finds_rare_exact_names(demo: Assistant) -> None:
    # "Suzutsuki" appears once in the corpus; BM25 must rank that chunk first.
    hits = demo.store.keyword().search("Suzutsuki destroyer", 5)
    passages = demo.store.passages([cid for cid, _ in hits])
    assert "Suzutsuki" in passages[hits[0][0]].chunk.text


def test_dense_side_finds_paraphrases(demo: Assistant) -> None:
    passages = demo.retriever(k=3).search("spy plane flying near the northern island")
    assert any("Il-20" in p.chunk.text for p in passages)


def test_hybrid_retriever_is_a_langchain_retriever(demo: Assistant) -> None:
    documents = demo.retriever(k=4).invoke("Kareliya Tsushima Strait")
    assert 1 <= len(documents) <= 4
    assert any("Kareliya" in d.page_content for d in documents)
    assert all(d.metadata["passage"].chunk.chunk_id == d.id for d in documents)
    scores = [d.metadata["score"] for d in documents]
    assert scores == sorted(scores, reverse=True)


def test_dense_ids_are_the_langchain_ranking(demo: Assistant) -> None:
    """Hybrid search reads ids alone from Chroma; they are langchain-chroma's ranking."""
    query = "Which Russian ship passed between Korea and Japan?"
    vector = demo.embeddings.encode([query])[0]
    mine = demo.store.dense_ids(vector, 8)
    theirs = demo.store.vectorstore.similarity_search_by_vector_with_relevance_scores(
        vector.tolist(), k=8
    )
    assert [cid for cid, _ in mine] == [doc.id for doc, _ in theirs]
    assert all(
        abs(sim - (1 - dist)) < 1e-6 for (_, sim), (_, dist) in zip(mine, theirs, strict=True)
    )
    # More than the index holds is the whole index, not an error.
    assert len(demo.store.dense_ids(vector, 10_000)) == demo.store.chunk_count()


def test_an_empty_index_finds_nothing(make_assistant) -> None:  # type: ignore[no-untyped-def]
    assistant = make_assistant()
    assert assistant.retriever().search("Kareliya Tsushima Strait") == []

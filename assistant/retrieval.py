"""Hybrid retrieval: Chroma's dense ranking and BM25's keyword ranking fused by reciprocal rank.

Dense search finds paraphrases ("drone parts" for "components for drone production"); BM25 finds
the rare exact tokens that embeddings blur (hull names, "Il-20", figures). Reciprocal-rank fusion
needs no score calibration between the two, which is why it is the default of most hybrid search
engines.
"""

from __future__ import annotations

from dataclasses import dataclass

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.config import RetrievalSettings
from assistant.index import Store
from assistant.types import Passage


@dataclass(frozen=True)
class Ranked:
    chunk_id: str
    score: float
    dense_rank: int | None
    keyword_rank: int | None


def reciprocal_rank_fusion(
    dense: list[str],
    keyword: list[str],
    *,
    dense_weight: float = 1.0,
    keyword_weight: float = 1.0,
    k: int = 60,
) -> list[Ranked]:
    """Fuse two rankings: score = Σ weight / (k + rank), ranks 1-based; ties keep dense order."""
    dense_ranks = {cid: rank for rank, cid in enumerate(dense, start=1)}
    keyword_ranks = {cid: rank for rank, cid in enumerate(keyword, start=1)}
    fused = []
    for order, cid in enumerate(dict.fromkeys([*dense, *keyword])):
        d, kw = dense_ranks.get(cid), keyword_ranks.get(cid)
        score = (dense_weight / (k + d) if d else 0.0) + (keyword_weight / (k + kw) if kw else 0.0)
        fused.append((score, -order, Ranked(cid, score, d, kw)))
    fused.sort(reverse=True, key=lambda item: (item[0], item[1]))
    return [ranked for _, _, ranked in fused]


class HybridRetriever(BaseRetriever):
    """A LangChain retriever over the store; ``search`` returns typed passages."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: Store
    settings: RetrievalSettings
    # Articles a filtered search may return (None: all); see ``assistant.filters``.
    allowed: set[str] | None = None

    def search(self, query: str, k: int | None = None) -> list[Passage]:
        k = k or self.settings.k
        fetch = max(self.settings.fetch_k, k)
        dense_ids: list[str] = []
        if self.settings.dense_weight > 0:
            vector = self.store.embeddings.encode([query])[0]
            dense_ids = [cid for cid, _ in self.store.dense_ids(vector, fetch, self.allowed)]
        keyword_ids: list[str] = []
        if self.settings.keyword_weight > 0:
            keyword_ids = [
                cid for cid, _ in self.store.keyword().search(query, fetch, self.allowed)
            ]
        fused = reciprocal_rank_fusion(
            dense_ids,
            keyword_ids,
            dense_weight=self.settings.dense_weight,
            keyword_weight=self.settings.keyword_weight,
            k=self.settings.rrf_k,
        )[:k]
        # Records are read for the fused few only, in one call.
        found = self.store.passages([r.chunk_id for r in fused])
        return [
            found[r.chunk_id].model_copy(
                update={
                    "score": r.score,
                    "dense_rank": r.dense_rank,
                    "keyword_rank": r.keyword_rank,
                }
            )
            for r in fused
            if r.chunk_id in found  # a chunk removed between the two reads is skipped
        ]

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [passage_to_document(p) for p in self.search(query)]


def passage_to_document(passage: Passage) -> Document:
    """A passage as a LangChain ``Document``; the full record rides in the metadata."""
    return Document(
        id=passage.chunk.chunk_id,
        page_content=passage.chunk.text,
        metadata={"passage": passage, "title": passage.title, "score": passage.score},
    )


def document_to_passage(document: Document) -> Passage:
    return document.metadata["passage"]

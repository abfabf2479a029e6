"""``Assistant``: the one object the CLI, the chat and the evals talk to.

It wires the services together (encoder, store, retriever, answer chain) from ``Settings``; each
can also be passed in, which is how tests share one loaded model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from assistant.answer import ExtractiveComposer, build_chain
from assistant.config import Settings
from assistant.embeddings import SentenceEmbeddings
from assistant.errors import AssistantError, InputError
from assistant.index import Store
from assistant.ingest import ProgressCallback, sync
from assistant.retrieval import HybridRetriever
from assistant.types import Answer, IndexedArticle, IngestReport, Passage

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class Assistant:
    def __init__(
        self,
        settings: Settings | None = None,
        *,
        embeddings: SentenceEmbeddings | None = None,
        store: Store | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.embeddings = embeddings or SentenceEmbeddings(self.settings.embedding)
        self.store = store or Store(self.settings, self.embeddings)

    def ingest(
        self, paths: Iterable[Path] | None = None, *, progress: ProgressCallback | None = None
    ) -> IngestReport:
        return sync(paths, self.store, self.settings, progress=progress)

    def sources(self) -> list[IndexedArticle]:
        return self.store.list_articles()

    def retriever(self, k: int | None = None) -> HybridRetriever:
        settings = self.settings.retrieval
        if k is not None:
            settings = settings.model_copy(update={"k": k})
        return HybridRetriever(store=self.store, settings=settings)

    def composer(self) -> ExtractiveComposer:
        return ExtractiveComposer(
            self.embeddings,
            self.settings.answer,
            idf=lambda term: self.store.keyword().idf(term),
            next_passage=self.store.next_passage,
            related=self.related_passages,
        )

    def related_passages(self, sentences: list[str]) -> list[Passage]:
        """Passages nearest to each sentence: where a source that disputes it would be."""
        k = self.settings.answer.related_k
        if k == 0 or not sentences:
            return []
        vectors = self.embeddings.encode(sentences)
        return [passage for vector in vectors for passage, _ in self.store.dense_search(vector, k)]

    def ask(self, question: str, *, k: int | None = None) -> Answer:
        """Answer from the indexed articles, every sentence cited; abstain when they don't say."""
        question = self.clean_question(question)
        if k is not None and not 1 <= k <= 50:
            raise InputError(f"-k must be between 1 and 50, not {k}.")
        if self.store.chunk_count() == 0:
            raise AssistantError(
                "The index is empty; add articles to the sources folder and run `assistant ingest`."
            )
        chain = build_chain(self.retriever(k), self.composer())
        return chain.invoke(question)

    def clean_question(self, question: str) -> str:
        question = " ".join(_CONTROL.sub(" ", question or "").split())
        if not question:
            raise InputError("The question is empty; type what you want to know.")
        limit = self.settings.answer.max_question_chars
        if len(question) > limit:
            raise InputError(
                f"The question is {len(question)} characters long; the limit is {limit}."
            )
        return question

"""The store: Chroma for vectors and records, the BM25 cache beside it.

Three Chroma collections:

* ``<name>-chunks``: one record per chunk (document = chunk text, metadata = where it sits);
* ``<name>-articles``: one record per article, written only after all of its chunks;
* ``<name>-state``: the version of the set of articles and the crash marks (``state``).

The article record is the commit mark of an article: chunks whose article has no record were
left by an interrupted ingest. Removal goes the other way (record first, then chunks), so a
crash at any point leaves every listed article whole.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from assistant.config import Settings
from assistant.embeddings import SentenceEmbeddings
from assistant.errors import StoreError
from assistant.index.client import open_client
from assistant.index.keyword_cache import KeywordCache
from assistant.index.listing import SavedListing
from assistant.index.records import (
    IndexedRecord,
    article_metadata,
    chunk_metadata,
    embedding_text,
    passage_from_record,
)
from assistant.index.state import IndexState
from assistant.keyword import KeywordIndex
from assistant.types import Article, Chunk, IndexedArticle, Passage

WRITE_BATCH = 512
READ_BATCH = 2000
# Reads of ids alone are cheap per row; fewer, larger pages save seconds at 100k rows.
ID_READ_BATCH = 10_000


class Store:
    """Chroma collections plus the keyword cache, opened from ``Settings``."""

    def __init__(
        self,
        settings: Settings,
        embeddings: SentenceEmbeddings,
        *,
        replace_other_encoder: bool = False,
    ) -> None:
        """``replace_other_encoder`` (``ingest --full``): an index written by another encoder
        is emptied, for the sync that follows to write it again; otherwise it is refused."""
        self.settings = settings
        self.embeddings = embeddings
        self._client = open_client(settings)
        try:
            self.chunks = self._collection(f"{settings.collection}-chunks")
            self.articles = self._collection(f"{settings.collection}-articles")
            self.state = IndexState(self._collection(f"{settings.collection}-state"))
            if not replace_other_encoder:
                self.embeddings = embeddings.for_index(self._built_with())
            elif self._built_with() not in (None, embeddings.name):
                self._drop_vectors()
        except Exception as exc:
            raise StoreError(f"Cannot open the index at {self.location}: {exc}.") from exc
        self._check_model()
        keyword_folder = settings.index_dir / "keyword" / settings.collection
        self._keyword = KeywordCache(keyword_folder, self.state, self)
        self._vectorstore: Any = None
        self._listed: tuple[str, list[IndexedArticle]] | None = None
        self._saved_listing = SavedListing(
            settings.index_dir / "listing" / f"{settings.collection}.json"
        )
        self._article_vector_width: int | None = None
        # One sync at a time per process (uploads arrive on several server threads).
        self.sync_lock = threading.Lock()

    @property
    def location(self) -> str:
        return self.settings.chroma_url or str(self.settings.index_dir)

    def _collection(self, name: str) -> Any:
        return self._client.get_or_create_collection(
            name,
            configuration={"hnsw": {"space": "cosine"}},
            # The backend is recorded for the reader; only the encoder's name must match.
            metadata={
                "embedding_model": self.embeddings.name,
                "embedding_backend": self.embeddings.backend,
            },
            embedding_function=None,
        )

    def _built_with(self) -> str | None:
        return (self.chunks.metadata or {}).get("embedding_model")

    def _check_model(self) -> None:
        """Vectors of two encoders cannot be compared: refuse to mix them in one index."""
        built_with = self._built_with()
        if built_with and built_with != self.embeddings.name:
            raise StoreError(
                f"The index at {self.location} was written by the encoder '{built_with}', "
                f"not '{self.embeddings.name}'; run `assistant ingest --full` to index the "
                "sources again with this one, or use another index folder."
            )

    def _drop_vectors(self) -> None:
        """Empty the chunks and articles of another encoder; the sources stay as they are.
        The version moves on, so other processes reload rather than read dropped rows."""
        self.state.bump_version()
        for collection in (self.chunks, self.articles):
            self._client.delete_collection(collection.name)
        self.chunks = self._collection(f"{self.settings.collection}-chunks")
        self.articles = self._collection(f"{self.settings.collection}-articles")
        self._article_vector_width = None
        self.state.bump_version()

    @property
    def vectorstore(self) -> Any:
        """The chunk collection as a LangChain ``VectorStore`` (langchain-chroma)."""
        if self._vectorstore is None:
            from langchain_chroma import Chroma

            self._vectorstore = Chroma(
                client=self._client,
                collection_name=self.chunks.name,
                embedding_function=self.embeddings,
                create_collection_if_not_exists=False,
            )
        return self._vectorstore

    # -- reading -----------------------------------------------------------------------------

    def indexed(self) -> list[IndexedRecord]:
        rows = self._get_all(self.articles, include=["metadatas"])
        return [
            IndexedRecord(
                article_id=i,
                source=str(m["source"]),
                path=str(m["path"]),
                file_signature=str(m.get("file_signature", "")),
            )
            for i, m in rows
        ]

    def article_ids(self) -> list[str]:
        return [i for got in self._pages(self.articles, [], ID_READ_BATCH) for i in got["ids"]]

    def list_articles(self) -> list[IndexedArticle]:
        """Every indexed article, newest first. Kept, in memory and on disk for the next
        process, until the version moves (every write bumps it): reading 3,333 records took
        0.2-0.3 s at 10k chunks, and every question reads the outlets' names from the list."""
        version = self.state.version()
        listed = self._listed
        if listed is None or listed[0] != version:
            articles = self._saved_listing.load(version)
            if articles is None:
                articles = self._read_articles()
                self._saved_listing.save(version, articles)
            listed = (version, articles)
            self._listed = listed
        return list(listed[1])

    def _read_articles(self) -> list[IndexedArticle]:
        rows = self._get_all(self.articles, include=["metadatas"])
        listed = [
            IndexedArticle(
                article_id=article_id,
                source=str(meta["source"]),
                title=str(meta["title"]),
                outlet=str(meta["outlet"]),
                published=str(meta.get("published", "")),
                path=str(meta["path"]),
                url=meta.get("url") or None,
                illustrative=bool(meta.get("illustrative", False)),
                chunks=int(meta.get("chunks", 0)),
            )
            for article_id, meta in rows
        ]
        return sorted(listed, key=lambda a: (a.published, a.title), reverse=True)

    def chunk_count(self) -> int:
        return int(self.chunks.count())

    def passages(self, chunk_ids: Sequence[str]) -> dict[str, Passage]:
        if not chunk_ids:
            return {}
        got = self.chunks.get(ids=list(chunk_ids), include=["documents", "metadatas"])
        return {
            cid: passage_from_record(cid, doc, meta)
            for cid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        }

    def chunk_vectors(self, chunk_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The vectors the index holds for these chunks (ids it lacks are left out): the
        answer reads each sentence in its passage through them, with no encoder pass."""
        if not chunk_ids:
            return {}
        got = self.chunks.get(ids=list(dict.fromkeys(chunk_ids)), include=["embeddings"])
        return {
            str(cid): np.asarray(vector, dtype=np.float32)
            for cid, vector in zip(got["ids"], got["embeddings"], strict=True)
        }

    def article_passages(self, article_id: str) -> list[Passage]:
        """All chunks of one indexed article, in order (empty if it is not indexed)."""
        record = self.articles.get(ids=[article_id], include=["metadatas"])
        if not record["ids"]:
            return []
        count = int(record["metadatas"][0].get("chunks", 0))
        found = self.passages([f"{article_id}:{i}" for i in range(count)])
        return sorted(found.values(), key=lambda p: p.chunk.index)

    def first_passages(self, article_ids: Sequence[str]) -> list[Passage]:
        """The first chunk of each of these articles, in their order (those not indexed left
        out): where an article states its lead."""
        ids = [f"{article_id}:0" for article_id in article_ids]
        found = self.passages(ids)
        return [found[i] for i in ids if i in found]

    def article_text(self, article_id: str) -> str | None:
        """An article's text as indexed, stitched from its chunks (``None`` if not indexed).
        Characters no chunk covers (white space between non-overlapping chunks) read as
        U+FFFD, so that a check against this text can never match across a gap."""
        chunks = [p.chunk for p in self.article_passages(article_id)]
        if not chunks:
            return None
        end = max(c.start + len(c.text) for c in chunks)
        text = ["\ufffd"] * end
        for chunk in chunks:
            text[chunk.start : chunk.start + len(chunk.text)] = chunk.text
        return "".join(text)

    def next_passage(self, passage: Passage) -> Passage | None:
        """The chunk after ``passage`` in its article, if there is one."""
        next_id = f"{passage.article_id}:{passage.chunk.index + 1}"
        return self.passages([next_id]).get(next_id)

    def dense_search(
        self, query_vector: np.ndarray, k: int, allowed: set[str] | None = None
    ) -> list[tuple[Passage, float]]:
        """Nearest chunks by cosine similarity, best first, with their records."""
        nearest = self.dense_ids(query_vector, k, allowed)
        found = self.passages([chunk_id for chunk_id, _ in nearest])
        return [(found[cid], similarity) for cid, similarity in nearest if cid in found]

    def dense_ids(
        self, query_vector: np.ndarray, k: int, allowed: set[str] | None = None
    ) -> list[tuple[str, float]]:
        """Ids of the nearest chunks and their cosine similarity, best first; with
        ``allowed``, only chunks of those articles (a Chroma ``where`` on the article id).

        Ids alone, because hybrid search reads records only for the few chunks that survive
        fusion: at 10k chunks, reading 24 records took 3.4 of the query's 5.6 ms. Chroma
        returns fewer than ``k`` from a smaller index, so the index is not counted first (two
        counts cost 3.9 ms at 10k chunks)."""
        if allowed is not None and not allowed:
            return []
        where = {"article_id": {"$in": sorted(allowed)}} if allowed is not None else None
        found = self.chunks.query(
            query_embeddings=[query_vector.tolist()],
            n_results=k,
            where=where,
            include=["distances"],
        )
        return [
            (str(cid), 1.0 - float(distance))
            for cid, distance in zip(found["ids"][0], found["distances"][0], strict=True)
        ]

    def keyword(self) -> KeywordIndex:
        """The BM25 index of the articles indexed now (see ``KeywordCache``)."""
        return self._keyword.current()

    def bump_version(self) -> None:
        """Tell every reader, in this process or another, that the articles changed."""
        self.state.bump_version()
        self._keyword.expire()

    def keyword_texts(
        self, article_ids: list[str], *, every: bool = False
    ) -> tuple[list[str], list[str]]:
        """Ids and keyword texts of the chunks of these (committed) articles. ``every``: the
        articles are all there are, so the collection is read straight through, leaving out
        the orphans of a write in progress."""
        wanted = set(article_ids)
        if every:
            rows: Iterator[tuple[str, str, dict]] = self._get_all_documents(self.chunks)
        else:
            rows = self._documents_of(article_ids)
        ids: list[str] = []
        texts: list[str] = []
        for cid, doc, meta in rows:
            if meta.get("article_id") in wanted:
                ids.append(cid)
                texts.append(embedding_text(str(meta.get("title", "")), doc))
        return ids, texts

    def _documents_of(self, article_ids: list[str]) -> Iterator[tuple[str, str, dict]]:
        for start in range(0, len(article_ids), WRITE_BATCH):
            got = self.chunks.get(
                where={"article_id": {"$in": article_ids[start : start + WRITE_BATCH]}},
                include=["documents", "metadatas"],
            )
            yield from zip(got["ids"], got["documents"], got["metadatas"], strict=True)

    def _pages(
        self, collection: Any, include: list[str], size: int = READ_BATCH
    ) -> Iterator[dict[str, Any]]:
        """A whole collection, a page at a time: one get of everything trips SQLite's limit
        on query variables at a few tens of thousands of records."""
        offset = 0
        while ids := (got := collection.get(include=include, limit=size, offset=offset))["ids"]:
            yield got
            offset += len(ids)

    def _get_all(self, collection: Any, include: list[str]) -> Iterator[tuple[str, dict]]:
        for got in self._pages(collection, include):
            yield from zip(got["ids"], got["metadatas"], strict=True)

    def _get_all_documents(self, collection: Any) -> Iterator[tuple[str, str, dict]]:
        for got in self._pages(collection, ["documents", "metadatas"]):
            yield from zip(got["ids"], got["documents"], got["metadatas"], strict=True)

    # -- writing -----------------------------------------------------------------------------

    def write_articles(
        self,
        entries: list[tuple[Article, list[Chunk], np.ndarray]],
        signatures: Mapping[str, str] | None = None,
    ) -> None:
        """Many articles in few Chroma calls (each call has a fixed cost that dominated ingest
        when paid per article): all their chunks first, then all their records. A record is
        still only written after its chunks, so a crash leaves whole articles or orphans that
        the next sync removes. ``signatures`` maps a file to its signature (see ``ingest``)."""
        if not entries:
            return
        signatures = signatures or {}
        ids = [article.article_id for article, _, _ in entries]
        # Bumped before and after: a reader that listed the articles in between looks again.
        self.bump_version()
        with self.state.marked(ids, clean_up=self._remove_orphans_of):
            self.chunks.delete(where={"article_id": {"$in": ids}})  # leftovers of a crash
            rows = [
                (article, chunk, vector)
                for article, chunks, vectors in entries
                for chunk, vector in zip(chunks, vectors, strict=True)
            ]
            for start in range(0, len(rows), WRITE_BATCH):
                batch = rows[start : start + WRITE_BATCH]
                self.chunks.upsert(
                    ids=[chunk.chunk_id for _, chunk, _ in batch],
                    embeddings=np.asarray([vector for _, _, vector in batch]),
                    documents=[chunk.text for _, chunk, _ in batch],
                    metadatas=[chunk_metadata(article, chunk) for article, chunk, _ in batch],
                )
            self.articles.upsert(
                ids=ids,
                embeddings=np.ones((len(ids), self._article_width()), dtype=np.float32),
                documents=[article.title for article, _, _ in entries],
                metadatas=[
                    article_metadata(article, len(chunks), signatures.get(article.path, ""))
                    for article, chunks, _ in entries
                ],
            )
        self.bump_version()

    def _article_width(self) -> int:
        """How many numbers an article record's vector has. Chroma keeps no record without a
        vector, but nothing searches articles by meaning, so the vector is a placeholder of
        one number. It was the mean of the article's chunk vectors, which Chroma held in
        memory, 384 numbers per article, from the first read of the collection (76 MB at 100k
        chunks). An index written before keeps its width (Chroma fixes a collection's width at
        its first vector) until its collections are made again."""
        if self._article_vector_width is None:
            got = self.articles.get(limit=1, include=["embeddings"])
            vectors = got.get("embeddings")
            if vectors is not None and len(vectors):
                self._article_vector_width = len(vectors[0])
            else:  # empty; a reopened collection that held vectors still knows their width
                model = getattr(self.articles, "_model", None)
                self._article_vector_width = getattr(model, "dimension", None) or 1
        return self._article_vector_width

    def update_signatures(self, signatures: Mapping[str, str]) -> None:
        """Record the file signature of articles that were read again and found unchanged
        (a file touched, or one line of a .jsonl edited), so the next sync skips them."""
        ids = list(signatures)
        for start in range(0, len(ids), WRITE_BATCH):
            batch = ids[start : start + WRITE_BATCH]
            self.articles.update(
                ids=batch, metadatas=[{"file_signature": signatures[i]} for i in batch]
            )

    def remove_articles(self, article_ids: list[str]) -> None:
        """The records first: from then on the articles are gone, whatever happens to their
        chunks. Many in one call each: a Chroma delete has a fixed cost that grows with the
        collection (0.18 s at 100k chunks), which a 1% re-sync paid once per article."""
        if not article_ids:
            return
        # Bumped before and after: an article list saved for another process (``listing``)
        # never outlives a removal cut short between the two.
        self.bump_version()
        for start in range(0, len(article_ids), WRITE_BATCH):
            batch = article_ids[start : start + WRITE_BATCH]
            with self.state.marked(batch, clean_up=self._remove_orphans_of):
                self.articles.delete(ids=batch)
                self.chunks.delete(where={"article_id": {"$in": batch}})
        self.bump_version()

    def _remove_orphans_of(self, article_ids: Sequence[str]) -> None:
        if not article_ids:
            return
        committed = set(self.articles.get(ids=list(article_ids), include=[])["ids"])
        orphans = [i for i in dict.fromkeys(article_ids) if i not in committed]
        for start in range(0, len(orphans), WRITE_BATCH):
            self.chunks.delete(where={"article_id": {"$in": orphans[start : start + WRITE_BATCH]}})

    def remove_orphan_chunks(self, *, full: bool = False) -> None:
        """Delete chunks whose article record was never written (an interrupted ingest).
        Runs at the start of every sync, which also bumps the version: a crash after a write
        and before its closing bump is noticed by readers now.

        Only the articles named by abandoned crash marks are checked; the whole chunk
        collection is read when ``full``, or once for an index from before the marks."""
        self.bump_version()
        if full or not self.state.relies_on_marks():
            self._remove_all_orphans()
            return
        for mark in self.state.marks():
            if mark.abandoned:
                self._remove_orphans_of(mark.article_ids)
                self.state.settle([mark.mark_id])

    def _remove_all_orphans(self) -> None:
        marks = self.state.marks()
        # Chunks of a write still going on in another process are not orphans (yet).
        committed = set(self.article_ids()).union(
            *(mark.article_ids for mark in marks if not mark.abandoned)
        )
        orphans = {
            str(meta["article_id"])
            for _, meta in self._get_all(self.chunks, include=["metadatas"])
            if meta.get("article_id") not in committed
        }
        self._remove_orphans_of(sorted(orphans))
        self.state.settle([mark.mark_id for mark in marks if mark.abandoned])
        # From now on every write leaves a mark, and the marks suffice.
        self.state.rely_on_marks()

"""The store: Chroma for vectors and records, the BM25 cache beside it.

Two Chroma collections:

* ``<name>-chunks``: one record per chunk (document = chunk text, metadata = where it sits);
* ``<name>-articles``: one record per article, written only after all of its chunks.

The article record is the commit mark of an article: chunks whose article has no record were
left by an interrupted ingest. Removal goes the other way (record first, then chunks), so a
crash at any point leaves every listed article whole. Every write first leaves a mark naming its
articles in ``<name>-state``; a crash leaves the mark behind, and the next sync deletes the
chunks it names that never got their record, without reading the rest of the collection.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from assistant.config import Settings
from assistant.embeddings import SentenceEmbeddings
from assistant.errors import StoreError
from assistant.keyword import KeywordIndex, fingerprint_of
from assistant.types import Article, Chunk, IndexedArticle, Passage

WRITE_BATCH = 512
READ_BATCH = 2000
# Reads of ids alone are cheap per row; fewer, larger pages save seconds at 100k rows.
ID_READ_BATCH = 10_000
# How often a long-running process checks whether another process changed the index. The
# check reads one small record, so it can be frequent.
KEYWORD_REFRESH_SECONDS = 0.5
# The record whose version changes with every change to the set of articles.
STATE_ID = "articles"
# Present once every write leaves a crash mark; an index without it is scanned in full once.
MARKED_ID = "writes-marked"
# A crash mark of a process on another machine (or one we cannot check) counts as abandoned
# only after this long: before, it may be a write still going on.
ABANDONED_AFTER_SECONDS = 600.0


@dataclass(frozen=True)
class IndexedRecord:
    """What the store knows of an indexed article, enough to decide what a sync must do."""

    article_id: str
    source: str
    path: str
    # "size:mtime_ns/articles" of the file when it was last read in full, "" when unknown.
    file_signature: str = ""


def embedding_text(title: str, chunk_text: str) -> str:
    """The title travels with every chunk into both indexes: a chunk that says "the ship"
    is still found by the ship's name in the headline."""
    return f"{title}\n{chunk_text}"


class Store:
    """Chroma collections plus the keyword cache, opened from ``Settings``."""

    def __init__(self, settings: Settings, embeddings: SentenceEmbeddings) -> None:
        self.settings = settings
        self.embeddings = embeddings
        self._client = _open_client(settings)
        try:
            self.chunks = self._collection(f"{settings.collection}-chunks")
            self.articles = self._collection(f"{settings.collection}-articles")
            # One record: a version token rewritten whenever articles are added, replaced or
            # removed. Readers compare it instead of listing every article on each query.
            self.state = self._collection(f"{settings.collection}-state")
        except Exception as exc:
            raise StoreError(f"Cannot open the index at {self.location}: {exc}.") from exc
        self._check_model()
        self._keyword: KeywordIndex | None = None
        self._keyword_checked = 0.0
        self._keyword_version: str | None = None
        self._keyword_lock = threading.Lock()
        self._vectorstore: Any = None
        # One sync at a time per process (uploads arrive on several server threads).
        self.sync_lock = threading.Lock()
        # Who wrote a crash mark: this machine and process, so a later sync can tell a
        # dead writer from one still at work.
        self._writer = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    @property
    def location(self) -> str:
        return self.settings.chroma_url or str(self.settings.index_dir)

    def _collection(self, name: str) -> Any:
        return self._client.get_or_create_collection(
            name,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedding_model": self.embeddings.name},
            embedding_function=None,
        )

    def _check_model(self) -> None:
        """Vectors of two encoders cannot be compared: refuse to mix them in one index."""
        built_with = (self.chunks.metadata or {}).get("embedding_model")
        if built_with and built_with != self.embeddings.name:
            raise StoreError(
                f"The index at {self.location} was built with the embedding model "
                f"'{built_with}', not '{self.embeddings.name}'; use another index folder or "
                "delete this one and ingest again."
            )

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

    def article_passages(self, article_id: str) -> list[Passage]:
        """All chunks of one indexed article, in order (empty if it is not indexed)."""
        record = self.articles.get(ids=[article_id], include=["metadatas"])
        if not record["ids"]:
            return []
        count = int(record["metadatas"][0].get("chunks", 0))
        found = self.passages([f"{article_id}:{i}" for i in range(count)])
        return sorted(found.values(), key=lambda p: p.chunk.index)

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
        """Nearest chunks by cosine similarity, best first, through langchain-chroma; with
        ``allowed``, only chunks of those articles (a Chroma ``where`` on the article id)."""
        if self.chunk_count() == 0 or (allowed is not None and not allowed):
            return []
        where = {"article_id": {"$in": sorted(allowed)}} if allowed is not None else None
        found = self.vectorstore.similarity_search_by_vector_with_relevance_scores(
            query_vector.tolist(), k=min(k, self.chunk_count()), filter=where
        )
        # langchain-chroma hands back the raw cosine distance here.
        return [
            (passage_from_record(str(doc.id), doc.page_content, doc.metadata), 1.0 - distance)
            for doc, distance in found
        ]

    def keyword(self) -> KeywordIndex:
        """The BM25 cache for the articles indexed now (built or loaded when they change).

        A query costs one read of the state version; only when it changed (this or another
        process wrote) are the articles listed, and only when they differ is BM25 reloaded."""
        with self._keyword_lock:
            now = time.monotonic()
            fresh = now - self._keyword_checked < KEYWORD_REFRESH_SECONDS
            if self._keyword is not None and fresh:
                return self._keyword
            version = self.version()  # before the listing: a write after it bumps it again
            self._keyword_checked = now
            if self._keyword is not None and version == self._keyword_version:
                return self._keyword
            article_ids = self.article_ids()
            fingerprint = fingerprint_of(article_ids)
            if self._keyword is None or self._keyword.fingerprint != fingerprint:
                self._keyword = self._refresh_keyword(article_ids, fingerprint)
            self._keyword_version = version
            return self._keyword

    def version(self) -> str:
        """The current version of the set of articles (created on first use)."""
        got = self.state.get(ids=[STATE_ID], include=["metadatas"])
        if got["ids"]:
            return str(got["metadatas"][0]["version"])
        return self.bump_version()

    def bump_version(self) -> str:
        """Tell every reader, in this process or another, that the articles changed."""
        version = uuid.uuid4().hex
        # Chroma wants a vector with every record; this one is never searched.
        self.state.upsert(
            ids=[STATE_ID], embeddings=[[1.0]], documents=[""], metadatas=[{"version": version}]
        )
        self._keyword_checked = 0.0
        return version

    def _refresh_keyword(self, article_ids: list[str], fingerprint: str) -> KeywordIndex:
        """The BM25 index of these articles: the one saved on disk if it matches (another
        process built it), else the one at hand (in memory, or on disk from an earlier run)
        brought up to date by reading only the chunks of articles added since, else one
        built from every chunk."""
        folder = self._keyword_folder()
        saved = KeywordIndex.load(folder, fingerprint)
        if saved is not None:
            return saved
        earlier = self._keyword or KeywordIndex.load(folder)
        if earlier is not None and earlier.tokens is not None:
            indexed = earlier.article_ids()
            added = [a for a in article_ids if a not in indexed]
            ids, texts = self._chunk_texts(added)
            removed = indexed.difference(article_ids)
            refreshed = earlier.updated(removed, ids, texts, fingerprint)
        else:
            ids, texts = self._chunk_texts(article_ids, every=True)
            refreshed = KeywordIndex.build(ids, texts, fingerprint)
        # A read-only index folder still answers; it just refreshes again on the next start.
        with contextlib.suppress(OSError):
            refreshed.save(folder)
        return refreshed

    def _chunk_texts(
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

    def _keyword_folder(self) -> Path:
        return self.settings.index_dir / "keyword" / self.settings.collection

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
        with self._crash_mark(ids):
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
                embeddings=np.asarray([self._article_vector(v) for _, _, v in entries]),
                documents=[article.title for article, _, _ in entries],
                metadatas=[
                    article_metadata(article, len(chunks), signatures.get(article.path, ""))
                    for article, chunks, _ in entries
                ],
            )
        self.bump_version()

    def _article_vector(self, vectors: np.ndarray) -> np.ndarray:
        mean = vectors.mean(axis=0) if len(vectors) else np.zeros(self.embeddings.dimension)
        norm = float(np.linalg.norm(mean)) or 1.0
        return (mean / norm).astype(np.float32)

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
        for start in range(0, len(article_ids), WRITE_BATCH):
            batch = article_ids[start : start + WRITE_BATCH]
            with self._crash_mark(batch):
                self.articles.delete(ids=batch)
                self.chunks.delete(where={"article_id": {"$in": batch}})
        self.bump_version()

    @contextlib.contextmanager
    def _crash_mark(self, article_ids: list[str]) -> Iterator[None]:
        """Name the articles whose chunks are about to change, until they are consistent again.

        If the block fails (Ctrl-C included), the orphans are removed at once where Chroma
        still answers; if the process dies, the mark stays for the next sync."""
        mark = f"write-{uuid.uuid4().hex}"
        self.state.upsert(
            ids=[mark],
            embeddings=[[1.0]],
            documents=[json.dumps(article_ids)],
            metadatas=[{"kind": "write", "writer": self._writer, "started": time.time()}],
        )
        try:
            yield
        except BaseException:
            with contextlib.suppress(Exception):
                self._remove_orphans_of(article_ids)
                self.state.delete(ids=[mark])
            raise
        self.state.delete(ids=[mark])

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
        marked = bool(self.state.get(ids=[MARKED_ID], include=[])["ids"])
        if full or not marked:
            self._remove_all_orphans()
            return
        for mark, names, abandoned in self._crash_marks():
            if abandoned:
                self._remove_orphans_of(names)
                self.state.delete(ids=[mark])

    def _crash_marks(self) -> Iterator[tuple[str, list[str], bool]]:
        """Each crash mark: its id, the articles it names, whether its writer is gone."""
        got = self.state.get(where={"kind": "write"}, include=["documents", "metadatas"])
        for mark, names, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
            yield mark, json.loads(names), self._abandoned(meta)

    def _abandoned(self, mark: Mapping[str, Any]) -> bool:
        writer = str(mark.get("writer", ""))
        if writer == self._writer:
            return True  # this process syncs one at a time: its own marks are not live
        host, _, pid = writer.partition(":")
        pid = pid.partition(":")[0]
        if host == socket.gethostname() and pid.isdigit():
            return not _process_alive(int(pid))
        return time.time() - float(mark.get("started", 0.0)) > ABANDONED_AFTER_SECONDS

    def _remove_all_orphans(self) -> None:
        marks = list(self._crash_marks())
        # Chunks of a write still going on in another process are not orphans (yet).
        committed = set(self.article_ids()).union(
            *(names for _, names, abandoned in marks if not abandoned)
        )
        orphans = {
            str(meta["article_id"])
            for _, meta in self._get_all(self.chunks, include=["metadatas"])
            if meta.get("article_id") not in committed
        }
        self._remove_orphans_of(sorted(orphans))
        settled = [mark for mark, _, abandoned in marks if abandoned]
        if settled:
            self.state.delete(ids=settled)
        # From now on every write leaves a mark, and the marks suffice.
        self.state.upsert(
            ids=[MARKED_ID], embeddings=[[1.0]], documents=[""], metadatas=[{"kind": "flag"}]
        )


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process, alive
    return True


def _open_client(settings: Settings) -> Any:
    """The embedded store under ``index/chroma``, or a Chroma server when ``chroma_url`` is set
    (``chroma run --path DIR --port N``, or any hosted Chroma). Telemetry is off either way."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        try:
            client = chromadb.HttpClient(
                host=url.hostname or "127.0.0.1",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
            client.heartbeat()
            return client
        except Exception as exc:
            raise StoreError(
                f"Cannot reach the Chroma server at {settings.chroma_url}: {_reason(exc)}."
            ) from exc
    folder = settings.index_dir / "chroma"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(folder), settings=chroma_settings)
    except Exception as exc:
        raise StoreError(f"Cannot open the index at {folder}: {exc}.") from exc


def _reason(exc: Exception) -> str:
    return str(exc).strip().rstrip(".") or type(exc).__name__


def chunk_metadata(article: Article, chunk: Chunk) -> dict[str, Any]:
    return {
        "article_id": article.article_id,
        "source": article.source,
        "path": article.path,
        "title": article.title,
        "outlet": article.outlet,
        "published": article.published,
        "url": article.url or "",
        "illustrative": article.illustrative,
        "index": chunk.index,
        "start": chunk.start,
        "end": chunk.end,
        "sentences": json.dumps(chunk.sentences),
    }


def article_metadata(article: Article, chunks: int, file_signature: str = "") -> dict[str, Any]:
    return {
        "source": article.source,
        "path": article.path,
        "title": article.title,
        "outlet": article.outlet,
        "published": article.published,
        "url": article.url or "",
        "author": article.author or "",
        "illustrative": article.illustrative,
        "chunks": chunks,
        "file_signature": file_signature,
    }


def passage_from_record(chunk_id: str, text: str, meta: dict[str, Any]) -> Passage:
    chunk = Chunk(
        chunk_id=chunk_id,
        article_id=str(meta["article_id"]),
        index=int(meta["index"]),
        start=int(meta["start"]),
        end=int(meta["end"]),
        text=text,
        sentences=[tuple(s) for s in json.loads(meta["sentences"])],
    )
    return Passage(
        chunk=chunk,
        article_id=chunk.article_id,
        source=str(meta["source"]),
        path=str(meta["path"]),
        title=str(meta["title"]),
        outlet=str(meta["outlet"]),
        published=str(meta.get("published", "")),
        url=meta.get("url") or None,
        illustrative=bool(meta.get("illustrative", False)),
    )

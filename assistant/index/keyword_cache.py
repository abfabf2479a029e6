"""The BM25 side of the index, kept beside Chroma and in step with it.

Chroma (local) has no sparse index, so the keyword index lives in the index folder and is
rebuilt or brought up to date whenever the set of articles changes, in this process or another.
"""

from __future__ import annotations

import contextlib
import threading
import time
from pathlib import Path
from typing import Protocol

from assistant.index.state import IndexState
from assistant.keyword import KeywordIndex, fingerprint_of

# How often a long-running process checks whether another process changed the index. The
# check reads one small record, so it can be frequent.
REFRESH_SECONDS = 0.5


class ChunkTexts(Protocol):
    """What the cache reads from the store."""

    def article_ids(self) -> list[str]: ...

    def keyword_texts(
        self, article_ids: list[str], *, every: bool = False
    ) -> tuple[list[str], list[str]]: ...


class KeywordCache:
    """The BM25 index of the articles indexed now, loaded, updated or built on demand."""

    def __init__(self, folder: Path, state: IndexState, store: ChunkTexts) -> None:
        self.folder = folder
        self._state = state
        self._store = store
        self._index: KeywordIndex | None = None
        self._checked = 0.0
        self._version: str | None = None
        self._lock = threading.Lock()

    def current(self) -> KeywordIndex:
        """A query costs one read of the state version; only when it changed (this or another
        process wrote) are the articles listed, and only when they differ is BM25 reloaded."""
        with self._lock:
            now = time.monotonic()
            if self._index is not None and now - self._checked < REFRESH_SECONDS:
                return self._index
            version = self._state.version()  # before the listing: a later write bumps it again
            self._checked = now
            if self._index is not None and version == self._version:
                return self._index
            article_ids = self._store.article_ids()
            fingerprint = fingerprint_of(article_ids)
            if self._index is None or self._index.fingerprint != fingerprint:
                self._index = self._refreshed(article_ids, fingerprint)
            self._version = version
            return self._index

    def expire(self) -> None:
        """This process changed the articles: look again on the next query."""
        self._checked = 0.0

    def _refreshed(self, article_ids: list[str], fingerprint: str) -> KeywordIndex:
        """The one saved on disk if it matches (another process built it), else the one at
        hand (in memory, or on disk from an earlier run) brought up to date by reading only
        the chunks of articles added since, else one built from every chunk."""
        saved = KeywordIndex.load(self.folder, fingerprint)
        if saved is not None:
            return saved
        earlier = self._index or KeywordIndex.load(self.folder)
        if earlier is not None and earlier.tokens is not None:
            indexed = earlier.article_ids()
            added = [a for a in article_ids if a not in indexed]
            ids, texts = self._store.keyword_texts(added)
            refreshed = earlier.updated(indexed.difference(article_ids), ids, texts, fingerprint)
        else:
            ids, texts = self._store.keyword_texts(article_ids, every=True)
            refreshed = KeywordIndex.build(ids, texts, fingerprint)
        # A read-only index folder still answers; it just refreshes again on the next start.
        with contextlib.suppress(OSError):
            refreshed.save(self.folder)
        return refreshed

"""The index: Chroma collections (``store``), the BM25 cache beside them (``keyword_cache``),
the version and crash marks that keep readers and interrupted writers honest (``state``), and
how records are written to and read from Chroma metadata (``records``)."""

from assistant.index.records import IndexedRecord, embedding_text
from assistant.index.store import Store

__all__ = ["IndexedRecord", "Store", "embedding_text"]

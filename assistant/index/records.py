"""How our records travel through Chroma: flat metadata out, typed records back in."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from assistant.types import Article, Chunk, Passage


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


def chunk_metadata(article: Article, chunk: Chunk) -> dict[str, Any]:
    """A chunk's metadata: where it sits in its article, and the article's fields a citation
    shows, so a search hit needs no second read."""
    return {
        "article_id": article.article_id,
        **_shown(article),
        "index": chunk.index,
        "start": chunk.start,
        "end": chunk.end,
        # Chroma metadata holds scalars only.
        "sentences": json.dumps(chunk.sentences),
    }


def article_metadata(article: Article, chunks: int, file_signature: str = "") -> dict[str, Any]:
    """An article record's metadata; ``chunks`` counts its chunks, so they can be read back
    by id without a search."""
    return {
        **_shown(article),
        "author": article.author or "",
        "chunks": chunks,
        "file_signature": file_signature,
    }


def _shown(article: Article) -> dict[str, Any]:
    """The fields of an article that a listing or a citation shows."""
    return {
        "source": article.source,
        "path": article.path,
        "title": article.title,
        "outlet": article.outlet,
        "published": article.published,
        "url": article.url or "",
        "illustrative": article.illustrative,
    }


def passage_from_record(chunk_id: str, text: str, meta: dict[str, Any]) -> Passage:
    """The passage a chunk record stands for (the inverse of ``chunk_metadata``)."""
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

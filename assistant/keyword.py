"""The keyword (BM25) side of hybrid search, kept beside Chroma.

Chroma's own sparse indexes exist only in its cloud, so BM25 lives here, built with bm25s from
the chunk texts stored in Chroma. Chroma stays the single source of truth: this index is a cache
derived from it, named by a fingerprint of the indexed articles, rebuilt when they change, and
saved on disk so that a restart does not rebuild it.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np

_TOKEN = re.compile(r"(?u)\b\w[\w\-]*\w\b|\b\w\b")


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("english")


# Words that shape a question but say nothing about its subject ("How many … were there?").
QUESTION_WORDS = frozenset(
    [
        "how",
        "many",
        "much",
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "whose",
        "why",
        "did",
        "does",
        "do",
        "done",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "will",
        "would",
        "can",
        "could",
        "should",
        "shall",
        "may",
        "might",
        "must",
        "tell",
        "me",
        "us",
        "please",
        "there",
        "any",
        "ever",
        "from",
        "about",
        "into",
        "onto",
        "over",
        "under",
        "after",
        "before",
        "between",
        "through",
        "during",
        "against",
        "among",
        "within",
        "without",
        "also",
    ]
)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN) | QUESTION_WORDS


def terms(text: str) -> list[str]:
    """Lower-cased, stemmed content words. Hyphenated names ("Il-20", "F-35A") stay whole,
    so a query for "F-35A" does not match every "35"."""
    words = [w for w in _TOKEN.findall(text.lower()) if w not in stopwords()]
    return _stemmer().stemWords(words)


class KeywordIndex:
    """BM25 over chunk texts, addressed by chunk id."""

    def __init__(self, ids: list[str], retriever: bm25s.BM25, fingerprint: str) -> None:
        self.ids = ids
        self.fingerprint = fingerprint
        self._retriever = retriever
        self._document_frequency = _document_frequencies(retriever)
        # The article of each chunk, for filtered searches (chunk ids are "<article>:<n>").
        self._articles = np.array([i.rsplit(":", 1)[0] for i in ids], dtype=object)

    @classmethod
    def build(cls, ids: list[str], texts: list[str], fingerprint: str) -> KeywordIndex:
        retriever = bm25s.BM25()
        if texts:
            retriever.index([terms(text) or ["\u2205"] for text in texts], show_progress=False)
        return cls(list(ids), retriever, fingerprint)

    def __len__(self) -> int:
        return len(self.ids)

    def search(
        self, query: str, k: int, allowed: set[str] | None = None
    ) -> list[tuple[str, float]]:
        """Best ``k`` chunk ids with a positive BM25 score, best first; with ``allowed``, only
        chunks of those articles (masked inside BM25, so the top ``k`` are the top allowed)."""
        query_terms = [t for t in terms(query) if t in self._vocabulary]
        if not query_terms or not self.ids or (allowed is not None and not allowed):
            return []
        k = min(k, len(self.ids))
        mask = None
        if allowed is not None:
            mask = np.isin(self._articles, list(allowed)).astype(np.float32)
        docs, scores = self._retriever.retrieve(
            [query_terms], k=k, show_progress=False, n_threads=1, weight_mask=mask
        )
        return [
            (self.ids[int(doc)], float(score))
            for doc, score in zip(docs[0], scores[0], strict=True)
            if score > 0
        ]

    def idf(self, term: str) -> float:
        """Inverse document frequency of a stemmed term; unseen terms get the highest value."""
        n = max(len(self.ids), 1)
        df = self._document_frequency.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    @property
    def _vocabulary(self) -> dict[str, int]:
        return self._retriever.vocab_dict or {}

    # -- persistence -------------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        """Write to ``folder`` atomically: a crash leaves the old cache or none, never half."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".keyword-", dir=folder.parent))
        try:
            if self.ids:
                self._retriever.save(str(tmp / "bm25"))
            (tmp / "ids.json").write_text(
                json.dumps({"fingerprint": self.fingerprint, "ids": self.ids})
            )
            if folder.exists():
                shutil.rmtree(folder)
            tmp.rename(folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path, fingerprint: str) -> KeywordIndex | None:
        """The saved index if it was built from the same articles, else ``None``."""
        try:
            meta = json.loads((folder / "ids.json").read_text())
            if meta.get("fingerprint") != fingerprint:
                return None
            ids = meta["ids"]
            retriever = bm25s.BM25.load(str(folder / "bm25")) if ids else bm25s.BM25()
        except (OSError, ValueError, KeyError):
            return None
        return cls(ids, retriever, fingerprint)


def _document_frequencies(retriever: bm25s.BM25) -> dict[str, int]:
    vocab = retriever.vocab_dict or {}
    scores = getattr(retriever, "scores", None)
    if not vocab or not scores or "indptr" not in scores:
        return {}
    counts = np.diff(np.asarray(scores["indptr"]))
    return {term: int(counts[i]) for term, i in vocab.items() if i < len(counts)}


# Bump when ``terms`` changes: a cache built with other tokens must not be loaded.
TOKENIZER_VERSION = "2"


def fingerprint_of(article_ids: Iterable[str]) -> str:
    import hashlib

    digest = hashlib.sha256(TOKENIZER_VERSION.encode())
    for article_id in sorted(article_ids):
        digest.update(article_id.encode())
    return digest.hexdigest()[:24]

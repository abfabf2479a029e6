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
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import bm25s
import bm25s.tokenization
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


@dataclass(frozen=True)
class TokenTable:
    """Each chunk's terms as vocabulary ids, kept beside BM25 so that a change to a few
    articles rebuilds the index from these, without reading or tokenising every chunk again
    (at 100k chunks: 14 of the 18 seconds a rebuild took)."""

    vocab: dict[str, int]
    flat: np.ndarray  # int32: the ids of all chunks, one after another
    offsets: np.ndarray  # int64: chunk i is flat[offsets[i]:offsets[i + 1]]

    @classmethod
    def empty(cls) -> TokenTable:
        return cls({}, np.zeros(0, dtype=np.int32), np.zeros(1, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def extended(self, documents: list[list[str]]) -> TokenTable:
        """These documents added at the end (new terms are appended to the vocabulary)."""
        vocab = dict(self.vocab)
        encoded = [[vocab.setdefault(t, len(vocab)) for t in doc] for doc in documents]
        lengths = np.fromiter((len(doc) for doc in encoded), dtype=np.int64, count=len(encoded))
        added = np.fromiter(
            (i for doc in encoded for i in doc), dtype=np.int32, count=int(lengths.sum())
        )
        offsets = np.concatenate([self.offsets, self.offsets[-1] + np.cumsum(lengths)])
        return TokenTable(vocab, np.concatenate([self.flat, added]), offsets)

    def kept(self, keep: np.ndarray) -> TokenTable:
        """Only the documents where ``keep`` is true, in order."""
        lengths = np.diff(self.offsets)
        flat = self.flat[np.repeat(keep, lengths)]
        offsets = np.concatenate([[0], np.cumsum(lengths[keep])]).astype(np.int64)
        return TokenTable(self.vocab, flat, offsets)

    def documents(self) -> list[list[int]]:
        ids = self.flat.tolist()
        bounds = self.offsets.tolist()
        return [ids[bounds[i] : bounds[i + 1]] for i in range(len(self))]


class KeywordIndex:
    """BM25 over chunk texts, addressed by chunk id."""

    def __init__(
        self,
        ids: list[str],
        retriever: bm25s.BM25,
        fingerprint: str,
        tokens: TokenTable | None = None,
        tokens_folder: Path | None = None,
    ) -> None:
        self.ids = ids
        self.fingerprint = fingerprint
        self._tokens = tokens
        # A loaded index reads its token table from disk when an update first needs it: a
        # process that only searches never holds it (20 MB at 100k chunks).
        self._tokens_folder = tokens_folder
        self._retriever = retriever
        self._document_frequency = _document_frequencies(retriever)
        # The article of each chunk, for filtered searches (chunk ids are "<article>:<n>"), as
        # a position in ``_article_list``: one string per article, not one per chunk.
        articles = [i.rsplit(":", 1)[0] for i in ids]
        self._article_list = list(dict.fromkeys(articles))
        position = {article: n for n, article in enumerate(self._article_list)}
        self._article_of_chunk = np.fromiter(
            (position[a] for a in articles), dtype=np.int32, count=len(articles)
        )

    @property
    def tokens(self) -> TokenTable | None:
        """The token ids of every chunk, kept for updates; ``None`` for a cache saved before
        token tables were kept (or one replaced on disk since it was loaded): it can only be
        rebuilt."""
        if self._tokens is None and self._tokens_folder is not None:
            self._tokens = _load_tokens(self._tokens_folder, self.fingerprint, len(self.ids))
            self._tokens_folder = None
        return self._tokens

    @classmethod
    def build(cls, ids: list[str], texts: list[str], fingerprint: str) -> KeywordIndex:
        return cls._from_tokens(
            list(ids), TokenTable.empty().extended(_documents(texts)), fingerprint
        )

    @classmethod
    def _from_tokens(cls, ids: list[str], tokens: TokenTable, fingerprint: str) -> KeywordIndex:
        retriever = bm25s.BM25()
        if ids:
            # bm25s adds its empty token to the vocabulary it is given: give it a copy.
            corpus = bm25s.tokenization.Tokenized(ids=tokens.documents(), vocab=dict(tokens.vocab))
            retriever.index(corpus, show_progress=False)
        return cls(ids, retriever, fingerprint, tokens)

    def article_ids(self) -> set[str]:
        return set(self._article_list)

    def _chunks_of(self, articles: set[str]) -> np.ndarray:
        """Whether each chunk belongs to one of ``articles``: a set lookup per article, then
        one per chunk by position (np.isin on article ids compares every pair: 6.2 s at 100k
        chunks and 5,000 articles)."""
        wanted = np.fromiter(
            (article in articles for article in self._article_list),
            dtype=bool,
            count=len(self._article_list),
        )
        return wanted[self._article_of_chunk]

    def updated(
        self,
        removed_articles: set[str],
        added_ids: list[str],
        added_texts: list[str],
        fingerprint: str,
    ) -> KeywordIndex:
        """A new index without the chunks of ``removed_articles`` and with the added chunks;
        only the added texts are tokenised. Scores equal a fresh build's: BM25 is rebuilt
        from the kept token ids, since every score depends on the corpus-wide statistics."""
        if self.tokens is None:
            raise ValueError("This keyword index keeps no token table; build it afresh.")
        keep = ~self._chunks_of(removed_articles)
        ids = [i for i, kept in zip(self.ids, keep.tolist(), strict=True) if kept] + added_ids
        tokens = self.tokens.kept(keep).extended(_documents(added_texts))
        return KeywordIndex._from_tokens(ids, tokens, fingerprint)

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
        mask = None
        if allowed is not None:
            mask = self._chunks_of(allowed).astype(np.float32)
        # Scored here rather than through ``retrieve``, which starts a thread pool per query
        # and partitions every score: together 1.2 of its 1.4 ms at 100k chunks.
        scores = self._retriever.get_scores(query_terms, weight_mask=mask)
        return [(self.ids[int(doc)], float(scores[doc])) for doc in best_scores(scores, k)]

    def idf(self, term: str) -> float:
        """Inverse document frequency of a stemmed term; unseen terms get the highest value."""
        return bm25_idf(max(len(self.ids), 1), self._document_frequency.get(term, 0))

    @property
    def _vocabulary(self) -> dict[str, int]:
        return getattr(self._retriever, "vocab_dict", None) or {}  # unset when empty

    # -- persistence -------------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        """Write to ``folder`` atomically: a crash leaves the old cache or none, never half."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".keyword-", dir=folder.parent))
        try:
            if self.ids:
                self._retriever.save(str(tmp / "bm25"))
            if self.tokens is not None:
                np.savez(tmp / "tokens.npz", flat=self.tokens.flat, offsets=self.tokens.offsets)
                (tmp / "vocab.json").write_text(json.dumps(self.tokens.vocab))
            meta = {"fingerprint": self.fingerprint, "tokenizer": TOKENIZER_VERSION}
            (tmp / "ids.json").write_text(json.dumps({**meta, "ids": self.ids}))
            if folder.exists():
                shutil.rmtree(folder)
            tmp.rename(folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path, fingerprint: str | None = None) -> KeywordIndex | None:
        """The saved index (only if built from the articles of ``fingerprint``, when given),
        or ``None`` when there is none or it was written by another tokeniser."""
        try:
            meta = json.loads((folder / "ids.json").read_text())
            if fingerprint is not None and meta.get("fingerprint") != fingerprint:
                return None
            if meta.get("tokenizer", TOKENIZER_VERSION) != TOKENIZER_VERSION:
                return None
            ids = meta["ids"]
            retriever = bm25s.BM25.load(str(folder / "bm25")) if ids else bm25s.BM25()
        except (OSError, ValueError, KeyError):
            return None
        return cls(ids, retriever, str(meta["fingerprint"]), tokens_folder=folder)


def _load_tokens(folder: Path, fingerprint: str, chunks: int) -> TokenTable | None:
    """The token table saved in ``folder``, if it is still the one saved with the index of
    ``fingerprint`` (another process may have replaced the folder since), else None."""
    try:
        meta = json.loads((folder / "ids.json").read_text())
        if meta.get("fingerprint") != fingerprint or not (folder / "tokens.npz").is_file():
            return None
        with np.load(folder / "tokens.npz") as arrays:
            flat, offsets = arrays["flat"], arrays["offsets"]
        vocab = json.loads((folder / "vocab.json").read_text())
    except (OSError, ValueError, KeyError):
        return None
    return TokenTable(vocab, flat, offsets) if len(offsets) == chunks + 1 else None


def _documents(texts: list[str]) -> list[list[str]]:
    # A chunk with no content word still needs a token of its own.
    return [terms(text) or ["\u2205"] for text in texts]


def _document_frequencies(retriever: bm25s.BM25) -> dict[str, int]:
    vocab = getattr(retriever, "vocab_dict", None) or {}
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


def best_scores(scores: np.ndarray, k: int, stride: int = 64) -> np.ndarray:
    """Indices of the ``k`` highest positive scores, best first (equal scores: lower index
    first). Exact, without partitioning every score: the ``k``-th highest of every
    ``stride``-th score is a threshold that leaves a few hundred candidates, and when at least
    ``k`` scores reach it, the top ``k`` are all among them; otherwise every positive score is
    a candidate."""
    candidates = None
    sample = scores[::stride]
    if len(scores) > stride * k:  # so the sample holds more than k scores
        threshold = np.partition(sample, len(sample) - k)[len(sample) - k]
        if threshold > 0:
            above = np.flatnonzero(scores >= threshold)
            candidates = above if len(above) >= k else None
    if candidates is None:
        candidates = np.flatnonzero(scores > 0)
    order = np.lexsort((candidates, -scores[candidates]))
    return candidates[order[:k]]


def bm25_idf(documents: int, frequency: int) -> float:
    """BM25's inverse document frequency (never negative)."""
    return math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5))


def idf_over(texts: Iterable[str]) -> Callable[[str], float]:
    """IDF of stemmed terms over ``texts`` taken as documents: how the judges weigh words
    against a corpus that is not indexed (an evaluation file's evidence sentences)."""
    documents = [set(terms(text)) for text in texts]
    frequency = Counter(t for doc in documents for t in doc)
    return lambda term: bm25_idf(len(documents), frequency[term])

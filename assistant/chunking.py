"""Sentence-aware chunking that keeps every sentence's character span in the article.

Sentences come from pysbd (rule-based, handles "Jan. 26", "U.S.", decimals) run on each line block;
chunks are windows of a few sentences that overlap by one, so a fact that straddles a boundary is
still retrieved whole. Offsets are absolute in ``Article.text``, which is what citations point at.
"""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

from assistant.config import ChunkingSettings
from assistant.text import TERMINAL
from assistant.types import Article, Chunk, Span

# A line ending in none of these, followed by one in lower case, is wrapped mid-sentence.
_TERMINAL = (*TERMINAL, ":", ";")
_BLANK_LINES = re.compile(r"\n\s*\n")


@lru_cache(maxsize=1)
def _segmenter():  # type: ignore[no-untyped-def]
    import pysbd
    from pysbd.utils import TextSpan

    class Segmenter(pysbd.Segmenter):  # type: ignore[misc]
        """pysbd's segmenter, less one cost: to find each sentence back in the text, pysbd
        compiles a regular expression per sentence (its escaped text, then ``\\s*``), which
        took a third of its time and pushed its own rules out of ``re``'s cache. The same
        search is done here with ``str.find``, match for match."""

        def sentences_with_char_spans(self, sentences):  # type: ignore[no-untyped-def]
            if not all(sentences):  # an empty sentence matches anywhere: pysbd's own way
                return super().sentences_with_char_spans(sentences)
            return [
                TextSpan(self.original_text[a:b], a, b)
                for a, b in sentence_spans(sentences, self.original_text)
            ]

    return Segmenter(language="en", clean=False)


def sentence_spans(sentences: list[str], text: str) -> list[Span]:
    """Where each sentence is in ``text``, with the white space after it, as pysbd finds them:
    the first non-overlapping occurrence, searching from the start, that ends after the
    sentence before it; a sentence with no such occurrence is left out."""
    spans: list[Span] = []
    prior_end = 0
    for sentence in sentences:
        position = 0
        while (found := text.find(sentence, position)) >= 0:
            end = found + len(sentence)
            while end < len(text) and text[end].isspace():
                end += 1
            if end > prior_end:
                spans.append((found, end))
                prior_end = end
                break
            position = end  # the next match starts after this one, as re.finditer's does
    return spans


# A helper process that has not answered in this long (plus a second per article) is given up.
HELPER_SECONDS = 60

# pysbd's cost grows faster than linearly with the length of what it is given; a paragraph
# longer than this (a runaway scrape with no line breaks) is cut at a sentence end first.
MAX_BLOCK_CHARS = 5_000
_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*\s+")


def split_sentences(text: str) -> list[Span]:
    """Sentence spans of ``text``; every span is non-empty and stripped of surrounding space."""
    spans: list[Span] = []
    for block_start, block_end in _blocks(text):
        for piece_start, piece_end in _pieces(text, block_start, block_end):
            spans.extend(_sentences_in_block(text, piece_start, piece_end))
    return spans


def _pieces(text: str, start: int, end: int) -> list[Span]:
    """A block cut into parts of at most ``MAX_BLOCK_CHARS``, each ending at a sentence end
    when there is one (else at a space, else anywhere)."""
    pieces = []
    while end - start > MAX_BLOCK_CHARS:
        window = text[start : start + MAX_BLOCK_CHARS]
        ends = [m.end() for m in _SENTENCE_END.finditer(window)]
        cut = ends[-1] if ends else (window.rfind(" ") + 1 or MAX_BLOCK_CHARS)
        pieces.append((start, start + cut))
        start += cut
    pieces.append((start, end))
    return pieces


def _blocks(text: str) -> list[Span]:
    """Lines that form a paragraph on their own.

    A line break ends a block unless the line stops mid-sentence and the next line goes on in
    lower case (hard-wrapped prose). Headings, which have no final full stop but are followed by
    a capitalised paragraph, therefore stay separate from the sentence after them.
    """
    blocks: list[Span] = []
    start = 0
    lines = text.split("\n")
    offset = 0
    for i, line in enumerate(lines):
        end = offset + len(line)
        next_line = lines[i + 1].lstrip() if i + 1 < len(lines) else ""
        continues = (
            bool(line.strip()) and not line.rstrip().endswith(_TERMINAL) and next_line[:1].islower()
        )
        if not continues:
            if text[start:end].strip():
                blocks.append((start, end))
            start = end + 1
        offset = end + 1
    return blocks


def _sentences_in_block(text: str, start: int, end: int) -> list[Span]:
    # pysbd ends a sentence at every line break; a block's breaks are wraps, so hide them
    # (same length, so offsets stay valid).
    block = text[start:end].replace("\n", " ")
    spans: list[Span] = []
    cursor = 0
    for sentence in _segmenter().segment(block):
        piece = sentence.strip()
        if not piece:
            continue
        found = block.find(piece, cursor)
        if found < 0:  # pysbd altered the text; fall back to the rest of the block
            found = cursor
            piece = block[cursor:].strip()
        spans.append((start + found, start + found + len(piece)))
        cursor = found + len(piece)
    return _merge_fragments(spans, text)


def _merge_fragments(spans: list[Span], text: str) -> list[Span]:
    """pysbd sometimes leaves a stray closing quote or bracket as a sentence; glue it back."""
    merged: list[Span] = []
    for span in spans:
        fragment = text[span[0] : span[1]]
        if merged and len(fragment) <= 2 and not any(ch.isalnum() for ch in fragment):
            merged[-1] = (merged[-1][0], span[1])
        else:
            merged.append(span)
    return merged


def cap_spans(spans: list[Span], text: str, max_chars: int) -> list[Span]:
    """Cut sentences longer than ``max_chars`` at a space (a page of text with no full stop
    would otherwise become one unbounded chunk)."""
    capped: list[Span] = []
    for start, end in spans:
        while end - start > max_chars:
            cut = text.rfind(" ", start + max_chars // 2, start + max_chars)
            cut = cut if cut > start else start + max_chars
            capped.append((start, cut))
            start = cut
            while start < end and text[start].isspace():
                start += 1
        if end > start:
            capped.append((start, end))
    return capped


def chunk_article(article: Article, settings: ChunkingSettings) -> list[Chunk]:
    """Overlapping windows of sentences, closed early when a window grows past ``max_chars``."""
    sentences = cap_spans(split_sentences(article.text), article.text, settings.max_chars)
    chunks: list[Chunk] = []
    i = 0
    while i < len(sentences):
        window = [sentences[i]]
        j = i + 1
        while (
            j < len(sentences)
            and len(window) < settings.sentences_per_chunk
            and sentences[j][1] - window[0][0] <= settings.max_chars
        ):
            window.append(sentences[j])
            j += 1
        start, end = window[0][0], window[-1][1]
        chunks.append(
            Chunk(
                chunk_id=f"{article.article_id}:{len(chunks)}",
                article_id=article.article_id,
                index=len(chunks),
                start=start,
                end=end,
                text=article.text[start:end],
                sentences=window,
            )
        )
        if j >= len(sentences):
            break
        # Step forward keeping ``overlap`` sentences, but always advance by at least one.
        i = max(i + 1, j - settings.overlap)
    return chunks


def chunk_many(
    articles: list[Article], settings: ChunkingSettings, helpers: int
) -> list[list[Chunk]]:
    """Every article's chunks, in order. With ``helpers``, the later parts of the list are
    chunked in that many helper processes (``python -m assistant.chunking``) while this one
    chunks the first: sentence splitting is pure Python and holds the interpreter's lock, so
    threads would take turns. A helper is a fresh interpreter, never a fork of this process
    (whose ONNX Runtime and Chroma threads a fork would copy mid-operation), and one that fails
    leaves its part to this process: the chunks are the same either way."""
    if helpers < 1 or len(articles) < 2:
        return [chunk_article(article, settings) for article in articles]
    parts = _parts(articles, helpers + 1)
    with ThreadPoolExecutor(helpers, thread_name_prefix="chunk-helper") as waiting:
        asked = [waiting.submit(_in_helper, part, settings) for part in parts[1:]]
        chunks = [chunk_article(article, settings) for article in parts[0]]
        for part, answer in zip(parts[1:], asked, strict=True):
            done = answer.result()
            chunks.extend(done if done is not None else [chunk_article(a, settings) for a in part])
    return chunks


def _parts(articles: list[Article], count: int) -> list[list[Article]]:
    """``articles`` in ``count`` runs of about the same length of text, in order."""
    total = sum(len(a.text) for a in articles) or 1
    parts: list[list[Article]] = [[] for _ in range(count)]
    seen = 0
    for article in articles:
        parts[min(count - 1, seen * count // total)].append(article)
        seen += len(article.text)
    return parts


def _in_helper(articles: list[Article], settings: ChunkingSettings) -> list[list[Chunk]] | None:
    """The chunks of ``articles`` from a helper process, or None when it fails."""
    if not articles:
        return []
    root = str(Path(__file__).resolve().parent.parent)  # where ``assistant`` is imported from
    path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "assistant.chunking"],
            input=pickle.dumps((settings, articles)),
            capture_output=True,
            env={**os.environ, "PYTHONPATH": path},
            timeout=HELPER_SECONDS + len(articles),
            check=False,
        )
        chunks = pickle.loads(done.stdout) if done.returncode == 0 else None
    except (OSError, subprocess.SubprocessError, pickle.UnpicklingError, EOFError):
        return None
    return chunks if isinstance(chunks, list) and len(chunks) == len(articles) else None


def _serve_as_helper() -> None:
    """A helper's side: (settings, articles) pickled on stdin, their chunks on stdout."""
    settings, articles = pickle.load(sys.stdin.buffer)
    pickle.dump([chunk_article(article, settings) for article in articles], sys.stdout.buffer)


if __name__ == "__main__":
    _serve_as_helper()

"""Sentence-aware chunking that keeps every sentence's character span in the article.

Sentences come from pysbd (rule-based, handles "Jan. 26", "U.S.", decimals) run on each line block;
chunks are windows of a few sentences that overlap by one, so a fact that straddles a boundary is
still retrieved whole. Offsets are absolute in ``Article.text``, which is what citations point at.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.config import ChunkingSettings
from assistant.text import TERMINAL
from assistant.types import Article, Chunk, Span

# A line ending in none of these, followed by one in lower case, is wrapped mid-sentence.
_TERMINAL = (*TERMINAL, ":", ";")
_BLANK_LINES = re.compile(r"\n\s*\n")


@lru_cache(maxsize=1)
def _segmenter():  # type: ignore[no-untyped-def]
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


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

from __future__ import annotations

import pytest

from assistant.chunking import cap_spans, chunk_article, split_sentences
from assistant.config import ChunkingSettings
from assistant.types import Article


def article(text: str) -> Article:
    return Article(article_id="a1", source="a.md", path="a.md", title="T", text=text)


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two! Three?", ["One.", "Two!", "Three?"]),
        # Abbreviations and decimals do not end a sentence.
        (
            "The U.S. Navy said 2.5 ships left on Jan. 26 at 10 a.m. local time. Then it rained.",
            [
                "The U.S. Navy said 2.5 ships left on Jan. 26 at 10 a.m. local time.",
                "Then it rained.",
            ],
        ),
        # A heading line without a full stop stays apart from the paragraph after it.
        (
            "Russian ship near Japan\nThe ship sailed north. It turned back.",
            ["Russian ship near Japan", "The ship sailed north.", "It turned back."],
        ),
        # Hard-wrapped prose is one sentence across lines.
        (
            "The ship sailed\nnorth towards the strait.",
            ["The ship sailed\nnorth towards the strait."],
        ),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_spans_point_into_the_text() -> None:
    text = "  Alpha one.\n\nBeta two.  Gamma three.\n"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["Alpha one.", "Beta two.", "Gamma three."]
    assert all(text[s:e] == text[s:e].strip() for s, e in spans)


def test_chunks_overlap_by_one_sentence_and_keep_offsets() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(10))
    chunks = chunk_article(article(text), ChunkingSettings(sentences_per_chunk=4, overlap=1))
    assert [len(c.sentences) for c in chunks] == [4, 4, 4]
    assert chunks[0].sentences[-1] == chunks[1].sentences[0]
    for c in chunks:
        assert c.text == text[c.start : c.end]
        assert c.chunk_id == f"a1:{c.index}"
        assert all(c.start <= s < e <= c.end for s, e in c.sentences)
    covered = {span for c in chunks for span in c.sentences}
    assert len(covered) == 10


def test_long_sentence_is_cut_at_a_space() -> None:
    text = "word " * 600
    spans = cap_spans([(0, len(text.strip()))], text, 1000)
    assert all(e - s <= 1000 for s, e in spans)
    assert all(text[s] != " " for s, _ in spans)
    chunks = chunk_article(article(text.strip()), ChunkingSettings())
    assert all(len(c.text) <= ChunkingSettings().max_chars for c in chunks)


def test_overlap_must_be_smaller_than_chunk() -> None:
    with pytest.raises(ValueError, match="must be smaller than"):
        ChunkingSettings(sentences_per_chunk=2, overlap=2)

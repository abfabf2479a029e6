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


@pytest.mark.parametrize(
    "text",
    [
        "He left. He left. He left.",  # the same sentence again: found after the one before
        "A.\u00a0B. C.\u2003D.",  # white space other than a space after a sentence
        "Mr. Smith went to Washington D.C. on Jan. 26. He said so.\tThen he left.\x1cNext.",
        "Yes! Yes! No? “Quote.” (Aside.) End",
        "Wait... what?  Two  spaces.   ",
        "1.5 million. 2.4 m. U.S. troops left.  \n\nNew para.",
    ],
)
def test_sentences_are_found_back_in_the_text_as_pysbd_finds_them(text: str) -> None:
    """pysbd finds each sentence with a regular expression compiled for it; the segmenter here
    does the same search with str.find, and must give the very same sentences."""
    import pysbd

    from assistant.chunking import _segmenter

    own = pysbd.Segmenter(language="en", clean=False)
    assert _segmenter().segment(text) == own.segment(text)


def demo_articles() -> list[Article]:
    from pathlib import Path

    from assistant.sources import load_file

    folder = Path(__file__).resolve().parent.parent / "sources"
    return [a for path in sorted(folder.glob("*.md")) for a in load_file(path, path.name).articles]


def test_helper_processes_chunk_articles_as_this_process_does() -> None:
    from assistant.chunking import _in_helper, chunk_many

    articles = demo_articles()
    settings = ChunkingSettings(max_chars=400)
    alone = [chunk_article(a, settings) for a in articles]
    assert _in_helper(articles, settings) == alone  # it answers, and not by falling back
    assert chunk_many(articles, settings, helpers=2) == alone


def test_a_helper_that_fails_leaves_its_part_to_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    from assistant.chunking import chunk_many

    articles = demo_articles()
    settings = ChunkingSettings()
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    assert chunk_many(articles, settings, helpers=1) == [
        chunk_article(a, settings) for a in articles
    ]

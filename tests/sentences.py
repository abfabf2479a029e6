"""Source sentences as answer material, built by hand for tests that pin exact behaviour."""

from __future__ import annotations

from assistant.candidates import Candidate
from assistant.types import Chunk, Passage


def sentence_of(article: str, published: str, text: str) -> Candidate:
    chunk = Chunk(
        chunk_id=f"{article}-0",
        article_id=article,
        index=0,
        start=0,
        end=len(text),
        text=text,
        sentences=[(0, len(text))],
    )
    passage = Passage(
        chunk=chunk,
        article_id=article,
        source="test",
        path=f"{article}.md",
        title=article,
        outlet=article,
        published=published,
        url=None,
        illustrative=True,
    )
    return Candidate(passage, (0, len(text)), text, "", None)

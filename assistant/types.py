"""The typed records that flow through the pipeline, left to right:

``Article`` → ``Chunk`` (with sentence spans) → ``Passage`` (a retrieved chunk) → ``Answer``
(``AnswerSentence`` + ``Citation``). Offsets are character offsets into ``Article.text``, so a
citation's quote is always ``article.text[start:end]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Span = tuple[int, int]
Verdict = Literal["supported", "contradicted", "contested", "not_in_sources"]


class Article(BaseModel):
    """One news article, normalised: plain text plus what its front matter said."""

    model_config = ConfigDict(frozen=True)

    article_id: str = Field(description="Content hash: unchanged text keeps its id.")
    source: str = Field(description="Stable key: the relative path, plus '#n' inside .jsonl files.")
    path: str = Field(description="File the article came from, relative to the sources folder.")
    title: str
    outlet: str = "unknown outlet"
    published: str = Field("", description="ISO date (YYYY-MM-DD) or empty when unknown.")
    url: str | None = None
    author: str | None = None
    illustrative: bool = Field(False, description="Written to exercise a case, not reporting.")
    text: str


class Chunk(BaseModel):
    """A few consecutive sentences of one article, the unit that is embedded and retrieved."""

    model_config = ConfigDict(frozen=True)

    chunk_id: str
    article_id: str
    index: int
    start: int
    end: int
    text: str
    sentences: list[Span] = Field(description="Sentence spans, absolute offsets in the article.")


class Passage(BaseModel):
    """A retrieved chunk with its article's metadata and how it ranked."""

    model_config = ConfigDict(frozen=True)

    chunk: Chunk
    article_id: str
    source: str
    path: str
    title: str
    outlet: str
    published: str
    url: str | None
    illustrative: bool
    score: float = Field(0.0, description="Fused (reciprocal-rank) score; higher is better.")
    dense_rank: int | None = None
    keyword_rank: int | None = None

    def sentence_text(self, span: Span) -> str:
        start, end = span
        return self.chunk.text[start - self.chunk.start : end - self.chunk.start]


class Citation(BaseModel):
    """What ``[n]`` points at: one sentence span of one retrieved passage."""

    n: int = Field(ge=1)
    article_id: str
    title: str
    outlet: str
    published: str
    url: str | None
    path: str
    start: int
    end: int
    quote: str
    illustrative: bool = False
    passage_start: int = Field(description="Where the surrounding passage starts in the article.")
    passage: str = Field(description="The retrieved passage, for highlighting the quote in it.")


class AnswerSentence(BaseModel):
    text: str
    citations: list[int]
    supported: bool = Field(True, description="Whether a cited source sentence backs it.")
    note: str = Field("", description="Why a written sentence is not supported.")


class NearestSource(BaseModel):
    """Shown when the assistant abstains, so the reader can look for themselves."""

    article_id: str
    title: str
    outlet: str
    published: str
    path: str
    url: str | None
    snippet: str


class Answer(BaseModel):
    """The answer contract; ``to_json`` is what ``assistant ask --json`` prints."""

    question: str
    answer: str
    abstained: bool
    sentences: list[AnswerSentence] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    contested: list[dict[str, Any]] = Field(default_factory=list)
    nearest: list[NearestSource] = Field(default_factory=list)
    searched_for: str = Field(
        "", description="The question as searched: made self-contained from the conversation."
    )
    filters: dict[str, Any] = Field(
        default_factory=dict, description="Outlet and date filters the answer was limited to."
    )
    generated_by: str = Field(
        "extractive", description="extractive (quoted), or the model that wrote the sentences."
    )
    note: str = Field("", description="What the reader should know about how it was made.")
    removed_citations: int = Field(
        0, description="Citations a model gave to passage numbers it was never shown."
    )
    verdict: Verdict | None = Field(
        None,
        description="For a yes/no question: what the sources say of the statement it asks "
        "about (supported = yes, contradicted = no, contested, not_in_sources).",
    )
    claim: str = Field("", description="For a yes/no question: the statement checked.")
    verdict_line: str = Field(
        "",
        description="The answer's first line: for a yes/no question the verdict in plain "
        "words; for a who/which question the name it asks for, cited ('JS Suzutsuki [2].').",
    )

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexedArticle:
    """One row of ``assistant sources``. A slotted dataclass, not a model: the index keeps one
    per article in memory (33k at 100k chunks: 14 MB, against 45 MB as pydantic models)."""

    article_id: str
    source: str
    title: str
    outlet: str
    published: str
    path: str
    url: str | None = None
    illustrative: bool = False
    chunks: int


class IngestFailure(BaseModel):
    path: str
    reason: str


class IngestReport(BaseModel):
    added: list[str] = Field(default_factory=list)
    updated: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)
    failed: list[IngestFailure] = Field(default_factory=list)
    chunks_written: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed, "
            f"{len(self.unchanged)} unchanged, {len(self.failed)} failed"
        )


class ClaimCheck(BaseModel):
    """The claim-check contract; ``to_json`` is what ``assistant check --json`` prints."""

    model_config = ConfigDict(populate_by_name=True)

    claim: str
    verdict: Verdict
    confidence: float = Field(ge=0, le=1)
    supporting: list[Citation] = Field(default_factory=list, alias="for")
    against: list[Citation] = Field(default_factory=list)
    explanation: str
    claimed_by: str | None = None
    disputed_by: str | None = None

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


class CheckedSentence(BaseModel):
    """One sentence of a text under citation check."""

    text: str
    citations: list[int]
    supported: bool = Field(description="The cited articles together back the sentence.")
    precise: dict[int, bool] = Field(
        default_factory=dict, description="Per citation: its article backs the sentence alone."
    )
    evidence: dict[int, str] = Field(
        default_factory=dict, description="Per citation: the article sentence that judged it."
    )
    problems: list[str] = Field(default_factory=list)


class CitationReport(BaseModel):
    """``assistant check --text``: per sentence, do its citations back it."""

    sentences: list[CheckedSentence]
    citation_recall: float = Field(description="Share of cited sentences their citations back.")
    citation_precision: float = Field(description="Share of citations that back their sentence.")
    dangling: list[int] = Field(
        default_factory=list, description="Citation numbers whose source is not indexed."
    )

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

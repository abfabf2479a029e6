"""Restrict a question to some outlets and a date range.

Filters are resolved against the indexed articles into the set of article ids they allow; that
one set then restricts both sides of retrieval (a Chroma ``where`` on the dense side, a BM25
weight mask on the keyword side), so an answer can never cite an article outside them.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field, field_validator, model_validator

from assistant.errors import InputError
from assistant.types import IndexedArticle


class SearchFilters(BaseModel):
    outlets: list[str] = Field(
        default_factory=list, description="Only these outlets (case-insensitive); empty = all."
    )
    since: date | None = Field(None, description="Only articles published on or after this day.")
    until: date | None = Field(None, description="Only articles published on or before this day.")

    @field_validator("outlets")
    @classmethod
    def _clean(cls, outlets: list[str]) -> list[str]:
        return [o.strip() for o in outlets if o and o.strip()]

    @model_validator(mode="after")
    def _ordered(self) -> SearchFilters:
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since ({self.since}) is after until ({self.until})")
        return self

    @property
    def active(self) -> bool:
        return bool(self.outlets or self.since or self.until)

    def allows(self, article: IndexedArticle) -> bool:
        if self.outlets and article.outlet.casefold() not in {o.casefold() for o in self.outlets}:
            return False
        if self.since or self.until:
            published = _day(article.published)
            if published is None:
                return False  # an undated article cannot be shown to fall inside a range
            if (self.since and published < self.since) or (self.until and published > self.until):
                return False
        return True

    def allowed_ids(self, articles: list[IndexedArticle]) -> set[str] | None:
        """Article ids the filters allow; ``None`` when there are no filters."""
        if not self.active:
            return None
        return {a.article_id for a in articles if self.allows(a)}

    def describe(self) -> str:
        parts = []
        if self.outlets:
            parts.append("outlets: " + ", ".join(self.outlets))
        if self.since or self.until:
            parts.append(f"published {self.since or '…'} to {self.until or '…'}")
        return "; ".join(parts)


def parse_filters(
    outlets: list[str] | None = None, since: str | None = None, until: str | None = None
) -> SearchFilters:
    """Filters from user text, with a one-line error for a bad date or range."""
    try:
        return SearchFilters(
            outlets=outlets or [],
            since=_parse_day(since, "since"),
            until=_parse_day(until, "until"),
        )
    except ValueError as exc:
        raise InputError(f"Invalid filters: {_message(exc)}.") from None


def _parse_day(text: str | None, name: str) -> date | None:
    if text is None or not str(text).strip():
        return None
    try:
        return date.fromisoformat(str(text).strip()[:10])
    except ValueError:
        raise InputError(
            f"The {name} date must be written like 2025-01-31, not {text!r}."
        ) from None


def _day(published: str) -> date | None:
    try:
        return date.fromisoformat(published[:10])
    except (TypeError, ValueError):
        return None


def _message(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        return str(errors()[0]["msg"]).removeprefix("Value error, ")
    return str(exc)

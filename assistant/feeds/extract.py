"""Feeds and pages into articles: feedparser reads the feed, trafilatura the page, and the
result is a Markdown file with front matter that the sources loader reads like any other."""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml

from assistant.feeds.http import FetchError, Response
from assistant.feeds.state import first_line, now, text_hash
from assistant.sources import normalise

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
HTML_TYPES = {"text/html", "application/xhtml+xml", ""}  # a missing type is sniffed
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml"}
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Entry:
    """One item of a feed: its link and what the feed says about it."""

    link: str
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD
    author: str | None = None


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    entries: list[Entry]
    skipped: int  # entries without a link

    def newest(self, count: int) -> list[Entry]:
        """The ``count`` newest entries: by date when every entry has one (feeds are not
        always newest first), else in the feed's order."""
        if all(entry.published for entry in self.entries):
            ordered = sorted(self.entries, key=lambda e: e.published or "", reverse=True)
            return ordered[:count]
        return self.entries[:count]


@dataclass(frozen=True)
class FetchedArticle:
    url: str
    title: str
    outlet: str
    published: str
    author: str | None
    text: str
    feed: str | None
    links: tuple[str, ...] = ()  # other links that led to this article (the feed's, say)

    def with_links(self, links: list[str]) -> FetchedArticle:
        others = tuple(dict.fromkeys(link for link in links if link != self.url))
        return replace(self, links=others)

    @property
    def content_hash(self) -> str:
        return text_hash(self.text)

    def markdown(self) -> str:
        meta: dict[str, Any] = {
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published or None,
            "author": self.author,
            "url": self.url,
            "feed": self.feed,
            "links": list(self.links),
            "fetched": now(),
        }
        meta = {key: value for key, value in meta.items() if value}
        header = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
        return f"---\n{header}---\n\n{self.text}\n"

    def file_name(self) -> str:
        """``2026-11-20-kareliya-passes-the-tsushima-strait.md``: the day first, so that a
        folder listing reads in order."""
        slug = _slug(self.title)[:80].strip("-") or "article"
        return f"{self.published}-{slug}.md" if self.published else f"{slug}.md"


def parse_feed(response: Response) -> ParsedFeed:
    """The entries of an RSS (0.9x, 1.0, 2.0) or Atom feed. A feed with a few broken bits is
    read as far as it goes, as feed readers do; one with no entry to read is refused."""
    import feedparser

    # Bytes, never a URL: feedparser would fetch a URL itself, outside our rules.
    parsed = feedparser.parse(
        response.body,
        response_headers={"content-location": response.url, "content-type": response.content_type},
    )
    if parsed.bozo and not any(item.get("link") for item in parsed.entries):
        reason = first_line(parsed.get("bozo_exception")) or "it does not parse"
        raise _not_a_feed(response, reason)
    if not parsed.get("version") and not parsed.entries:
        raise _not_a_feed(response, "no feed elements in it")
    entries = [_entry(item) for item in parsed.entries]
    kept = [entry for entry in entries if entry is not None]
    title = _clean(parsed.feed.get("title"))
    return ParsedFeed(title=title, entries=kept, skipped=len(entries) - len(kept))


def _not_a_feed(response: Response, reason: str) -> FetchError:
    """The error for a link that is not a feed; a web page that names its feed (as most news
    sites' pages do, for feed readers) gets that link in the message."""
    found = advertised_feed(response) if response.content_type in HTML_TYPES else None
    hint = f"; the page points to its feed, {found}: add that instead" if found else ""
    return FetchError(f"{response.url}: not an RSS or Atom feed ({reason}){hint}.", transient=False)


def advertised_feed(response: Response) -> str | None:
    """The first ``<link rel="alternate" type="application/rss+xml" href=…>`` of a page."""
    import lxml.html

    try:
        page = lxml.html.fromstring(response.body)
    except (ValueError, lxml.etree.ParserError):
        return None
    for link in page.iter("link"):
        kind = (link.get("type") or "").lower()
        if "alternate" in (link.get("rel") or "").lower() and kind in FEED_TYPES:
            href = link.get("href")
            return urljoin(response.url, href) if href else None
    return None


def _entry(item: Any) -> Entry | None:
    link = _clean(item.get("link"))
    if not link:
        return None
    when = item.get("published_parsed") or item.get("updated_parsed")
    published = time.strftime("%Y-%m-%d", when) if when else None
    return Entry(link, _clean(item.get("title")), published, _clean(item.get("author")))


def extract_article(
    response: Response,
    entry: Entry,
    *,
    feed: str | None,
    feed_title: str | None,
    min_chars: int,
) -> FetchedArticle:
    """The article in a page, with its metadata: the feed's entry is preferred for the title
    and the date (it is what the outlet published; a page's own title often carries the
    site's name, and a page's date is guessed when it states none), the page for the rest."""
    import trafilatura

    if response.content_type not in HTML_TYPES:
        raise FetchError(
            f"{response.url}: not an HTML page ({response.content_type}); not stored.",
            transient=False,
        )
    doc = trafilatura.bare_extraction(
        response.body, url=response.url, with_metadata=True, include_comments=False
    )
    text = normalise(getattr(doc, "text", None) or "") if doc is not None else ""
    if not text:
        raise FetchError(f"{response.url}: no article text was found in the page.", transient=False)
    if len(text) < min_chars:
        raise FetchError(
            f"{response.url}: only {len(text)} characters of article text (a teaser or a "
            f"paywall?; feeds.min_article_chars is {min_chars}); not stored.",
            transient=False,
        )
    host = (urlsplit(response.url).hostname or "").removeprefix("www.")
    title = entry.title or _clean(doc.title) or host
    return FetchedArticle(
        url=response.url,
        title=title,
        outlet=_clean(doc.sitename) or feed_title or host,
        published=entry.published or _day(doc.date),
        author=_clean(doc.author) or entry.author,
        text=_without_heading(text, {title, _clean(doc.title) or title}),
        feed=feed,
    )


def _without_heading(text: str, titles: set[str]) -> str:
    """The page's headline is kept as the title; as the text's first line it would be
    quoted as if it were a sentence of the report."""
    first, _, rest = text.partition("\n")
    return rest.strip() if first.strip() in titles and rest.strip() else text


def _day(value: Any) -> str:
    match = re.match(r"\d{4}-\d{2}-\d{2}", str(value or ""))
    return match.group(0) if match else ""


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG.sub("-", ascii_text.lower()).strip("-")


def _clean(value: Any) -> str | None:
    if not value:
        return None
    text = " ".join(str(value).split())
    return text[:300] or None

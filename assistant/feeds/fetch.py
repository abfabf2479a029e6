"""One fetch run: read every followed feed (or the given links), store each new article as a
Markdown file in the sources folder, then sync the fetched folder into the index.

Nothing already stored is fetched or stored again: a link is looked up in the ledger before
its page is downloaded, and a page whose text matches a stored one (the same story under a new
link) is not written. A feed's ETag and Last-Modified are kept only when every entry of the run
was dealt with, so a page that timed out is tried again next time rather than hidden behind
a 304. One run at a time, across processes (a lock file beside the ledger).
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from assistant.config import Settings
from assistant.errors import AssistantError, InputError
from assistant.feeds.extract import (
    FEED_ACCEPT,
    PAGE_ACCEPT,
    Entry,
    FetchedArticle,
    ParsedFeed,
    extract_article,
    parse_feed,
)
from assistant.feeds.http import FetchError, PoliteClient, normalise_url
from assistant.feeds.state import (
    Feed,
    FeedList,
    FeedStatus,
    Ledger,
    RunSummary,
    StoredLink,
    ledger_path,
    now,
)
from assistant.types import IngestReport
from assistant.upload import place

LINKS_FOLDER = "links"
# 410: gone; 401, 403, 451: not for us. A 404 or another 4xx may pass (a page announced in
# its feed before it is published), so it is tried again on the next runs.
_GONE = {401, 403, 410, 451}

Ingest = Callable[[list[Path]], IngestReport]
Progress = Callable[[str], None]


class Outcome(BaseModel):
    """What a run did with one feed or one link."""

    name: str
    url: str
    status: Literal["fetched", "unchanged", "failed"]
    written: list[str] = Field(default_factory=list)  # files, relative to the sources folder
    skipped: int = 0  # entries stored before, refused before, or the same story again
    errors: list[str] = Field(default_factory=list)

    def line(self) -> str:
        if self.status == "failed":  # the error names the link; a feed's name goes first
            error = self.errors[0]
            return error if error.startswith(self.name) else f"{self.name}: {error}"
        if self.status == "unchanged":
            return f"{self.name}: unchanged since the last fetch."
        parts = [f"{len(self.written)} new"]
        if self.skipped:
            parts.append(f"{self.skipped} already stored")
        if self.errors:
            parts.append(f"{len(self.errors)} not stored")
        return f"{self.name}: " + ", ".join(parts) + "."


class FetchReport(BaseModel):
    outcomes: list[Outcome] = Field(default_factory=list)
    ingest: IngestReport | None = None
    requests: int = 0
    seconds: float = 0.0

    @property
    def written(self) -> list[str]:
        return [file for outcome in self.outcomes for file in outcome.written]

    @property
    def errors(self) -> list[str]:
        return [error for outcome in self.outcomes for error in outcome.errors]

    def lines(self) -> list[str]:
        """One line per feed or link, then each article that was not stored, then the sync."""
        lines = [outcome.line() for outcome in self.outcomes]
        for outcome in self.outcomes:
            if outcome.status != "failed":
                lines.extend(f"  {error}" for error in outcome.errors)
        if self.ingest is not None:
            lines.append(f"Index: {self.ingest.summary()}.")
        return lines


class Fetcher:
    def __init__(self, settings: Settings, ingest: Ingest) -> None:
        self.settings = settings
        self.ingest = ingest
        self.feeds = FeedList(settings.feeds_file)
        self.ledger_path = ledger_path(settings.feeds_file)
        self.folder = settings.sources_dir / settings.feeds.folder

    def run(self, links: list[str] | None = None, progress: Progress | None = None) -> FetchReport:
        """Fetch ``links``, or every followed feed when there are none."""
        feeds = [] if links else self.feeds.load()
        if not links and not feeds:
            raise InputError("No feed is followed yet; add one with `assistant feeds add URL`.")
        started, clock = now(), time.perf_counter()
        with self._exclusive():
            ledger = Ledger.load(self.ledger_path)
            ledger.reconcile(self.settings.sources_dir, self.folder)
            _remove_partial_files(self.folder)
            report = FetchReport()
            with PoliteClient(self.settings.feeds, ledger.robots) as client:
                run = _Run(self, client, ledger, progress or (lambda _: None))
                for feed in feeds:
                    report.outcomes.append(run.feed(feed))
                for link in links or []:
                    report.outcomes.append(run.link(link))
                report.requests = client.stats.requests
            report.seconds = time.perf_counter() - clock
            ledger.last_run = RunSummary(
                started=started,
                seconds=round(report.seconds, 2),
                new=len(report.written),
                requests=report.requests,
                errors=[o.line() for o in report.outcomes if o.status == "failed"]
                + [e for o in report.outcomes if o.status != "failed" for e in o.errors],
            )
            ledger.save(self.ledger_path)
            if self.folder.is_dir():
                # The whole fetched folder: files written by a run that died before its
                # sync are indexed now. Unchanged files cost a stat each.
                report.ingest = self.ingest([self.folder])
        return report

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        lock_path = self.ledger_path.with_suffix(".lock")
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(lock_path, "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise InputError("A fetch is already running; try again when it ends.") from None
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


class _Run:
    """The work of one run, sharing its client and ledger."""

    def __init__(self, fetcher: Fetcher, client: PoliteClient, ledger: Ledger, say: Progress):
        self.settings = fetcher.settings.feeds
        self.sources = fetcher.settings.sources_dir
        self.folder = fetcher.folder
        self.client = client
        self.ledger = ledger
        self.ledger_path = fetcher.ledger_path
        self.say = say

    def feed(self, feed: Feed) -> Outcome:
        outcome = Outcome(name=feed.name, url=feed.url, status="fetched")
        status = self.ledger.feeds.get(feed.url, FeedStatus())
        self.say(f"{feed.name}: reading {feed.url}")
        retry_pending = False
        try:
            response = self.client.get(feed.url, accept=FEED_ACCEPT, validators=status.validators)
            if response.not_modified:
                outcome.status = "unchanged"
            else:
                _require_ok(response.url, response.status)
                retry_pending = self._entries(feed, parse_feed(response), outcome)
        except FetchError as exc:
            outcome.status = "failed"
            outcome.errors.append(str(exc))
            status.error = str(exc)
        else:
            status.error = None
            # Kept only when nothing is left to retry: otherwise a 304 would hide it.
            if response.status == 200 and not retry_pending:
                status.etag = response.validators.etag
                status.last_modified = response.validators.last_modified
        status.checked = now()
        self.ledger.feeds[feed.url] = status
        self.ledger.save(self.ledger_path)
        return outcome

    def _entries(self, feed: Feed, parsed: ParsedFeed, outcome: Outcome) -> bool:
        """Store the new entries; True when some failed in a way that may pass next time."""
        retry_pending = False
        if parsed.skipped:
            outcome.errors.append(f"{feed.url}: {parsed.skipped} entries have no link; skipped.")
        for entry in parsed.newest(self.settings.max_entries):
            try:
                url = normalise_url(entry.link)
                if self.ledger.stored(url) or url in self.ledger.refused:
                    outcome.skipped += 1
                    continue
                self.say(f"{feed.name}: {entry.link}")
                found = self._article(entry, feed=feed.name, feed_title=parsed.title)
            except FetchError as exc:
                outcome.errors.append(str(exc))
                retry_pending |= self._failed(entry.link, exc)
                continue
            self._keep(found, entry.link, feed.name, outcome)
        return retry_pending

    def _failed(self, link: str, exc: FetchError) -> bool:
        """Note a failed entry; True when it will be tried again. A transient failure is
        tried on the next few runs, then given up like any other."""
        try:
            url = normalise_url(link)
        except FetchError:
            return False
        attempts = self.ledger.attempts.get(url, 0) + 1
        if exc.transient and attempts < self.settings.attempts:
            self.ledger.attempts[url] = attempts
            return True
        self.ledger.attempts.pop(url, None)
        self.ledger.refused[url] = str(exc)
        return False

    def link(self, link: str) -> Outcome:
        """A single link the user asked for: fetched even if it was refused before (they may
        know better now), never stored twice."""
        outcome = Outcome(name=link, url=link, status="fetched")
        try:
            self.client.check_address(link)
            if self.ledger.stored(link):
                outcome.skipped += 1
                return outcome
            self.say(f"reading {link}")
            found = self._article(Entry(link), feed=None, feed_title=None)
        except FetchError as exc:
            outcome.status = "failed"
            outcome.errors.append(str(exc))
            return outcome
        self._keep(found, link, LINKS_FOLDER, outcome)
        return outcome

    def _article(
        self, entry: Entry, *, feed: str | None, feed_title: str | None
    ) -> FetchedArticle | StoredLink:
        """The article at the entry's link, or the stored one it redirects to."""
        response = self.client.get(entry.link, accept=PAGE_ACCEPT)
        _require_ok(response.url, response.status)
        stored = self.ledger.stored(response.url)
        if stored is not None:
            return stored
        return extract_article(
            response,
            entry,
            feed=feed,
            feed_title=feed_title,
            min_chars=self.settings.min_article_chars,
        )

    def _keep(
        self, found: FetchedArticle | StoredLink, link: str, subfolder: str, outcome: Outcome
    ) -> None:
        if isinstance(found, StoredLink):  # a new link to a stored article: remember it
            self.ledger.record([link], found.file, found.hash)
            self.ledger.save(self.ledger_path)
            outcome.skipped += 1
            return
        written = self._store(found, [link], subfolder)
        if written is None:
            outcome.skipped += 1
        else:
            outcome.written.append(written)

    def _store(self, article: FetchedArticle, links: list[str], subfolder: str) -> str | None:
        """Write the article (atomically) and record it; None when its text is stored."""
        same = self.ledger.same_text(article.content_hash)
        if same is not None:
            self.ledger.record([*links, article.url], same.file, article.content_hash)
            self.ledger.save(self.ledger_path)
            return None
        # Every link that led here goes into the front matter: a ledger rebuilt from the
        # files (after a crash) knows them all, so none is downloaded again.
        article = article.with_links(links)
        try:
            path = place(self.folder / subfolder, article.file_name(), article.markdown().encode())
        except OSError as exc:
            raise AssistantError(
                f"{self.folder / subfolder}: an article could not be written "
                f"({exc.strerror or exc}); fetching stopped."
            ) from None
        relative = path.relative_to(self.sources).as_posix()
        self.ledger.record([*links, article.url], relative, article.content_hash)
        self.ledger.save(self.ledger_path)
        return relative


def _require_ok(url: str, status: int) -> None:
    if 200 <= status < 300:
        return
    raise FetchError(f"{url}: the server answered HTTP {status}.", transient=status not in _GONE)


def _remove_partial_files(folder: Path) -> None:
    """A run killed while writing leaves ``.name.part`` files (hidden, so never ingested):
    nothing else reads them, so they go."""
    if not folder.is_dir():
        return
    for partial in folder.rglob(".*.part"):
        os.unlink(partial)

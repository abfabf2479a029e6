"""What the fetcher keeps between runs: the feed list (YAML, the user's to edit) and the
ledger (JSON, ours): what each feed's server said last time, every link already stored with
its file and content hash, hosts' robots.txt, and the last run's summary.

Both are written to a temporary file and renamed, so a crash leaves the old or the new
version, never half of one. The ledger can always be rebuilt from the fetched files'
front matter (``reconcile``), which is what makes a crash between writing an article and
writing the ledger harmless: the article is found on the next run and never fetched again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import frontmatter
import yaml
from pydantic import BaseModel, Field, ValidationError

from assistant.errors import InputError
from assistant.feeds.http import FetchError, RobotsRecord, Validators, normalise_url
from assistant.sources import normalise

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$")
_HEADER = "# Feeds that `assistant fetch` reads; edit with `assistant feeds add/remove`.\n"


class Feed(BaseModel):
    # The name is also the feed's folder under the fetched folder: no path in it.
    name: str = Field(pattern=_NAME.pattern)
    url: str
    added: str = ""


class FeedList:
    """The followed feeds, in ``feeds.yaml``. A file that does not parse is reported and left
    as it is: it is the user's, and rewriting it would lose their edits."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> list[Feed]:
        if not self.path.exists():
            return []
        try:
            data = yaml.safe_load(self.path.read_text(encoding="utf-8")) or {}
            return [Feed.model_validate(row) for row in data.get("feeds") or []]
        except (yaml.YAMLError, ValidationError, AttributeError, TypeError) as exc:
            raise InputError(
                f"{self.path}: the feed list is not valid ({first_line(exc)}); fix or remove it."
            ) from None

    def add(self, url: str, name: str | None = None) -> Feed:
        url = url.strip()
        try:
            parts = urlsplit(url)
            valid = parts.scheme in {"http", "https"} and bool(parts.hostname)
        except ValueError:
            valid = False
        if not valid:
            raise InputError(f"{url}: a feed is an http or https link, such as https://…/rss.")
        feeds = self.load()
        name = name or _name_from(parts.hostname, {f.name for f in feeds})
        if not _NAME.fullmatch(name):
            raise InputError(
                f"{name}: a feed name is letters, digits, '.', '_' and '-' (at most 60)."
            )
        try:
            normalised = normalise_url(url)
        except FetchError as exc:
            raise InputError(str(exc)) from None
        for feed in feeds:
            if feed.name == name:
                raise InputError(f"A feed named {name} is already followed ({feed.url}).")
            if normalise_url(feed.url) == normalised:
                raise InputError(f"{url} is already followed, as {feed.name}.")
        feed = Feed(name=name, url=url, added=now())
        self._save([*feeds, feed])
        return feed

    def remove(self, name: str) -> Feed:
        feeds = self.load()
        kept = [f for f in feeds if f.name != name]
        if len(kept) == len(feeds):
            known = ", ".join(f.name for f in feeds) or "none"
            raise InputError(f"No feed is named {name} (followed: {known}).")
        self._save(kept)
        return next(f for f in feeds if f.name == name)

    def _save(self, feeds: list[Feed]) -> None:
        rows = [feed.model_dump() for feed in feeds]
        text = _HEADER + yaml.safe_dump({"feeds": rows}, sort_keys=False, allow_unicode=True)
        write_atomically(self.path, text)


def _name_from(host: str, taken: set[str]) -> str:
    base = host.removeprefix("www.")
    name, number = base, 2
    while name in taken:
        name, number = f"{base}-{number}", number + 1
    return name


class FeedStatus(BaseModel):
    etag: str | None = None
    last_modified: str | None = None
    checked: str = ""
    error: str | None = None

    @property
    def validators(self) -> Validators:
        return Validators(self.etag, self.last_modified)


class StoredLink(BaseModel):
    """A link already fetched: the file it became (relative to the sources folder) and the
    hash of its text, which catches the same story under another link."""

    file: str
    hash: str
    fetched: str = ""


class RunSummary(BaseModel):
    started: str
    seconds: float
    new: int
    requests: int
    errors: list[str] = Field(default_factory=list)


class Ledger(BaseModel):
    feeds: dict[str, FeedStatus] = Field(default_factory=dict)  # by feed URL
    links: dict[str, StoredLink] = Field(default_factory=dict)  # by normalised URL
    refused: dict[str, str] = Field(default_factory=dict)  # link → why it was not stored
    attempts: dict[str, int] = Field(default_factory=dict)  # link → runs it failed for now
    robots: dict[str, RobotsRecord] = Field(default_factory=dict)  # by origin
    last_run: RunSummary | None = None

    @classmethod
    def load(cls, path: Path) -> Ledger:
        """The ledger, or an empty one: one that does not parse is set aside (``.broken``)
        and rebuilt from the fetched files by ``reconcile``."""
        if not path.exists():
            return cls()
        try:
            return cls.model_validate_json(path.read_bytes())
        except (ValidationError, ValueError, OSError):
            os.replace(path, path.with_name(path.name + ".broken"))
            return cls()

    def save(self, path: Path) -> None:
        write_atomically(path, self.model_dump_json(indent=1))

    def stored(self, url: str) -> StoredLink | None:
        return self.links.get(normalise_url(url))

    def same_text(self, content_hash: str) -> StoredLink | None:
        """The article already stored with this text, if any."""
        return next((link for link in self.links.values() if link.hash == content_hash), None)

    def record(self, urls: list[str], file: str, content_hash: str) -> None:
        stored = StoredLink(file=file, hash=content_hash, fetched=now())
        for url in urls:
            self.links[normalise_url(url)] = stored

    def reconcile(self, sources: Path, folder: Path) -> int:
        """Add every fetched file the ledger does not know (written just before a crash, or
        the ledger was lost); returns how many."""
        known = {link.file for link in self.links.values()}
        found = 0
        for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
            relative = path.relative_to(sources).as_posix()
            if relative in known or path.name.startswith("."):
                continue
            try:
                post = frontmatter.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError):
                continue
            links = [post.metadata.get("url"), *(post.metadata.get("links") or [])]
            links = [link for link in links if isinstance(link, str) and link]
            if links:
                self.record(links, relative, text_hash(post.content))
                found += 1
        return found


def ledger_path(feeds_file: Path) -> Path:
    """The ledger lives beside the feed list: ``feeds.yaml`` → ``feeds.state.json``."""
    return feeds_file.with_suffix(".state.json")


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()[:24]


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.part")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def first_line(value: object) -> str:
    """An error's or a parser's message, cut to its first line, for a one-line report."""
    return str(value or "").strip().split("\n")[0].rstrip(".:")[:160]

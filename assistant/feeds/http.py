"""A polite, guarded HTTP client for feeds and article pages.

Every request a feed can cause is one this module agreed to make: only http(s); never into
loopback, private or link-local addresses unless the user allows it (a feed is untrusted input
and must not reach into the local network); robots.txt obeyed for our User-Agent; one request at
a time with a pause per host; redirects followed by hand so that each hop is checked again;
bodies read in pieces against a size cap and a deadline; 429 and 5xx retried with a growing
pause (``Retry-After`` honoured when it is reasonable). Each refusal is a ``FetchError`` whose
message is one sentence naming the link.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import httpx
from protego import Protego

from assistant.config import FeedSettings
from assistant.errors import AssistantError

REDIRECTS = {301, 302, 303, 307, 308}
# robots.txt files are small; a huge one is treated as unreadable rather than read.
MAX_ROBOTS_BYTES = 512_000
# Query parameters that only track a click: the same article under them is the same link.
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid")


class FetchError(AssistantError):
    """A feed or page could not be fetched; the message names the link and the reason.

    ``transient``: it may work next time (a timeout, a 503), so the link is tried again on the
    next run; otherwise (a refused address, a page too large, not an article) it is not."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


@dataclass(frozen=True)
class Validators:
    """What a server said about a feed last time, for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def validators(self) -> Validators:
        return Validators(self.headers.get("etag"), self.headers.get("last-modified"))

    @property
    def location(self) -> str | None:
        """Where a redirect points, if this is one."""
        return self.headers.get("location") if self.status in REDIRECTS else None


@dataclass
class RobotsRecord:
    """One host's robots.txt as read (an empty body allows everything)."""

    body: str
    read_at: float  # wall-clock seconds


@dataclass
class ClientStats:
    requests: int = 0
    per_host: dict[str, int] = field(default_factory=dict)


def normalise_url(url: str) -> str:
    """One spelling per link: scheme and host in lower case, default port, fragment and
    click-tracking parameters dropped (``?utm_source=rss`` names the same article)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and (parts.scheme, port) not in {("http", 80), ("https", 443)}:
        host = f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", urlencode(query), ""))


def _tracking(key: str) -> bool:
    return key.lower().startswith(_TRACKING)


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class PoliteClient:
    """Fetches one URL at a time under the rules above. ``robots`` is shared with the caller,
    who keeps it between runs so that an unchanged feed costs one request, not two."""

    def __init__(
        self,
        settings: FeedSettings,
        robots: dict[str, RobotsRecord] | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.robots = robots if robots is not None else {}
        self.stats = ClientStats()
        self._sleep = sleep
        self._last_request: dict[str, float] = {}
        self._parsed_robots: dict[str, Protego] = {}
        self._client = httpx.Client(
            follow_redirects=False,
            timeout=httpx.Timeout(settings.timeout_s),
            headers={"User-Agent": settings.user_agent},
            trust_env=False,  # a proxy from the environment would bypass the address checks
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, *, accept: str, validators: Validators | None = None) -> Response:
        """GET ``url`` following at most ``max_redirects`` redirects, each hop checked."""
        seen: set[str] = set()
        headers = {"Accept": accept, **(validators.headers() if validators else {})}
        for _ in range(self.settings.max_redirects + 1):
            self.check_address(url)
            if not self._allowed_by_robots(url):
                raise FetchError(f"{url}: robots.txt of {origin(url)} does not allow fetching it.")
            seen.add(url)
            response = self._request(url, headers)
            if response.location is None:
                return response
            following = urljoin(url, response.location)
            if following in seen:
                raise FetchError(f"{url}: the redirects go round in a loop; nothing fetched.")
            url = following
        raise FetchError(
            f"{url}: more than {self.settings.max_redirects} redirects (setting "
            "feeds.max_redirects); nothing fetched."
        )

    def check_address(self, url: str) -> None:
        """Refuse what is not http(s) and, unless allowed, every name that resolves into
        loopback, private, link-local or otherwise non-public address space."""
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"}:
            raise FetchError(f"{url}: only http and https links can be fetched.")
        if not parts.hostname:
            raise FetchError(f"{url}: the link has no host name.")
        if self.settings.allow_private:
            return
        for address in _addresses(url, parts.hostname, parts.port):
            if not address.is_global or address.is_multicast:
                raise FetchError(
                    f"{url}: {parts.hostname} is a private or local address ({address}); "
                    "set feeds.allow_private to fetch from it."
                )

    def _allowed_by_robots(self, url: str) -> bool:
        site = origin(url)
        parser = self._parsed_robots.get(site)
        if parser is None:
            record = self.robots.get(site)
            ttl = self.settings.robots_ttl_h * 3600
            if record is None or time.time() - record.read_at > ttl:
                record = RobotsRecord(body=self._read_robots(site), read_at=time.time())
                self.robots[site] = record
            parser = Protego.parse(record.body)
            self._parsed_robots[site] = parser
        return bool(parser.can_fetch(url, self.settings.user_agent))

    def _read_robots(self, site: str) -> str:
        """A missing robots.txt (4xx) allows everything. One the server fails to give (5xx, a
        timeout) forbids everything for now, as RFC 9309 asks: the site may be in trouble."""
        url = f"{site}/robots.txt"
        try:
            response = self._request(url, {"Accept": "text/plain"}, limit=MAX_ROBOTS_BYTES)
            for _ in range(self.settings.max_redirects):
                if response.location is None:
                    break
                following = urljoin(url, response.location)
                self.check_address(following)
                response = self._request(
                    following, {"Accept": "text/plain"}, limit=MAX_ROBOTS_BYTES
                )
        except FetchError as exc:
            reason = str(exc).removeprefix(f"{url}: ").rstrip(".")
            raise FetchError(
                f"{url} could not be read ({reason}), so nothing on the site is fetched now.",
                transient=True,
            ) from None
        if 400 <= response.status < 500:
            return ""
        if response.status >= 300:
            raise FetchError(
                f"{url} answered HTTP {response.status}, so nothing on the site is fetched now.",
                transient=True,
            )
        return response.body.decode("utf-8", errors="replace")

    def _request(self, url: str, headers: dict[str, str], *, limit: int | None = None) -> Response:
        """One GET, retried on 429 and 5xx."""
        attempt = 0
        while True:
            response = self._once(url, headers, limit)
            retryable = response.status == 429 or response.status >= 500
            if not retryable:
                return response
            if attempt >= self.settings.retries:
                raise FetchError(
                    f"{url}: the server answered HTTP {response.status} "
                    f"{attempt + 1} time{'s' if attempt else ''}; giving up for now.",
                    transient=True,
                )
            self._sleep(self._retry_pause(url, response, attempt))
            attempt += 1

    def _retry_pause(self, url: str, response: Response, attempt: int) -> float:
        pause = self.settings.backoff_s * 2**attempt
        asked = _retry_after(response.headers.get("retry-after"))
        if asked is None:
            return pause
        if asked > self.settings.max_retry_after_s:
            raise FetchError(
                f"{url}: the server asks to wait {asked:.0f} s (over feeds.max_retry_after_s); "
                "giving up for now.",
                transient=True,
            )
        return max(pause, asked)

    def _once(self, url: str, headers: dict[str, str], limit: int | None) -> Response:
        limit = limit or int(self.settings.max_page_mb * 1_000_000)
        self._pause_for(url)
        deadline = time.monotonic() + self.settings.timeout_s
        self.stats.requests += 1
        host = origin(url)
        self.stats.per_host[host] = self.stats.per_host.get(host, 0) + 1
        try:
            with self._client.stream("GET", url, headers=headers) as streamed:
                redirect = streamed.status_code in REDIRECTS
                body = b"" if redirect else _read(streamed, url, limit, deadline)
                return Response(url, streamed.status_code, streamed.headers, body)
        except httpx.TimeoutException:
            raise FetchError(
                f"{url}: no answer within {self.settings.timeout_s:g} s (feeds.timeout_s).",
                transient=True,
            ) from None
        except httpx.HTTPError as exc:
            raise FetchError(
                f"{url}: could not be fetched ({_reason(exc)}).", transient=True
            ) from None
        finally:
            self._last_request[host] = time.monotonic()

    def _pause_for(self, url: str) -> None:
        last = self._last_request.get(origin(url))
        if last is None:
            return
        wait = self.settings.delay_s - (time.monotonic() - last)
        if wait > 0:
            self._sleep(wait)


def _read(streamed: httpx.Response, url: str, limit: int, deadline: float) -> bytes:
    """The body, refused as soon as it passes ``limit`` (after decompression: a small gzip
    can unpack to gigabytes) or the deadline (a server that drips one byte a second)."""
    declared = streamed.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(
            f"{url}: {int(declared) / 1e6:.1f} MB is over the {limit / 1e6:g} MB limit."
        )
    pieces: list[bytes] = []
    size = 0
    for piece in streamed.iter_bytes():
        size += len(piece)
        if size > limit:
            raise FetchError(f"{url}: the page is over the {limit / 1e6:g} MB limit; not read.")
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("deadline passed")
        pieces.append(piece)
    return b"".join(pieces)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _addresses(url: str, host: str, port: int | None) -> list[Any]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port or 443, type=socket.SOCK_STREAM)
    except OSError:
        raise FetchError(
            f"{url}: the host name {host} could not be resolved.", transient=True
        ) from None
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def _reason(exc: httpx.HTTPError) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.rstrip(".").split("\n")[0][:160]

"""A polite, guarded HTTP client for feeds and article pages.

Every request a feed can cause is one this module agreed to make: only http(s); never into
loopback, private or link-local addresses unless the user allows it (``guard``); robots.txt
obeyed for our product token, with its Crawl-delay; one request at a time with a pause per host;
redirects followed by hand so that each hop is checked again; bodies read raw and unpacked here
against a size cap and a deadline (a small compressed body can unpack to gigabytes); 429 and
5xx retried with a growing pause (``Retry-After`` honoured when it is reasonable). Each refusal
is a ``FetchError`` whose message is one sentence naming the link.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import httpx
from protego import Protego

from assistant.config import FeedSettings
from assistant.errors import AssistantError
from assistant.feeds.guard import RefusedAddress, UnknownHost, check_host, guarded_transport

REDIRECTS = {301, 302, 303, 307, 308}
# RFC 9309: a crawler reads at least the first 500 KiB of robots.txt; we read no more.
ROBOTS_BYTES = 500 * 1024
# Query parameters that only track a click: the same article under them is the same link.
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid")
# The encodings we unpack ourselves, under the size cap; a server that sends another is refused.
_DECODERS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
MAX_CRAWL_DELAY_S = 30.0


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


def normalise_url(url: str) -> str:
    """One spelling per link: scheme and host in lower case, default port, fragment and
    click-tracking parameters dropped (``?utm_source=rss`` names the same article).
    A link that does not parse is a ``FetchError``."""
    try:
        parts = urlsplit(url.strip())
        host, port = (parts.hostname or "").lower(), parts.port
    except ValueError:
        raise FetchError(f"{url}: not a valid link.") from None
    if ":" in host:
        host = f"[{host}]"
    if port and (parts.scheme, port) not in {("http", 80), ("https", 443)}:
        host = f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", urlencode(query), ""))


def _tracking(key: str) -> bool:
    return key.lower().startswith(_TRACKING)


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


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
        # robots.txt rules match a product token ("news-assistant"), not the whole User-Agent.
        self._agent = settings.user_agent.split("/")[0].split()[0]
        self._last_request: dict[str, float] = {}  # by host name: http and https alike
        self._crawl_delay: dict[str, float] = {}
        self._parsed_robots: dict[str, Protego | FetchError] = {}  # a failure, for this run
        self._client = httpx.Client(
            follow_redirects=False,
            timeout=httpx.Timeout(settings.timeout_s),
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
            transport=httpx.HTTPTransport(trust_env=False)
            if settings.allow_private
            else guarded_transport(),
            trust_env=False,
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
        """Refuse, before any request, what is not http(s) and (unless allowed) a name that
        resolves into non-public address space. The same check runs again where the
        connection is made (``guard``): this one only makes the message early and exact."""
        try:
            parts = urlsplit(url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise FetchError(f"{url}: not a valid link.") from None
        if parts.scheme not in {"http", "https"}:
            raise FetchError(f"{url}: only http and https links can be fetched.")
        if not parts.hostname:
            raise FetchError(f"{url}: the link has no host name.")
        if self.settings.allow_private:
            return
        try:
            check_host(parts.hostname, port)
        except (RefusedAddress, UnknownHost) as exc:
            raise _address_error(url, exc) from None

    def _allowed_by_robots(self, url: str) -> bool:
        site = origin(url)
        parser = self._parsed_robots.get(site)
        if parser is None:
            parser = self._robots_for(site)
            self._parsed_robots[site] = parser
        if isinstance(parser, FetchError):  # unreadable this run: not asked again
            raise parser
        return bool(parser.can_fetch(url, self._agent))

    def _robots_for(self, site: str) -> Protego | FetchError:
        record = self.robots.get(site)
        ttl = self.settings.robots_ttl_h * 3600
        if record is None or time.time() - record.read_at > ttl:
            try:
                record = RobotsRecord(body=self._read_robots(site), read_at=time.time())
            except FetchError as exc:
                return exc
            self.robots[site] = record
        parser = Protego.parse(record.body)
        delay = parser.crawl_delay(self._agent)
        if delay:
            self._crawl_delay[_host(site)] = min(float(delay), MAX_CRAWL_DELAY_S)
        return parser

    def _read_robots(self, site: str) -> str:
        """A missing robots.txt (4xx, or more redirects than we follow) allows everything.
        One the server fails to give (5xx, a timeout) forbids the site for now, as RFC 9309
        asks: the site may be in trouble."""
        url = f"{site}/robots.txt"
        headers = {"Accept": "text/plain"}
        try:
            response = self._request(url, headers, limit=ROBOTS_BYTES, truncate=True)
            for _ in range(self.settings.max_redirects):
                if response.location is None:
                    break
                following = urljoin(url, response.location)
                self.check_address(following)
                response = self._request(following, headers, limit=ROBOTS_BYTES, truncate=True)
        except FetchError as exc:
            reason = str(exc).removeprefix(f"{url}: ").rstrip(".")
            raise _robots_unreadable(url, reason) from None
        if 300 <= response.status < 500:
            return ""
        if response.status >= 500:
            raise _robots_unreadable(url, f"HTTP {response.status}")
        return response.body.decode("utf-8", errors="replace")

    def _request(
        self, url: str, headers: dict[str, str], *, limit: int | None = None, truncate: bool = False
    ) -> Response:
        """One GET, retried on 429 and 5xx."""
        attempt = 0
        while True:
            response = self._once(url, headers, limit, truncate)
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

    def _once(
        self, url: str, headers: dict[str, str], limit: int | None, truncate: bool
    ) -> Response:
        limit = limit or int(self.settings.max_page_mb * 1_000_000)
        host = _host(url)
        self._pause_for(host)
        deadline = time.monotonic() + self.settings.timeout_s
        self.stats.requests += 1
        try:
            with self._client.stream("GET", url, headers=headers) as streamed:
                redirect = streamed.status_code in REDIRECTS
                body = b"" if redirect else _read(streamed, url, limit, deadline, truncate)
                return Response(url, streamed.status_code, streamed.headers, body)
        except (RefusedAddress, UnknownHost) as exc:
            raise _address_error(url, exc) from None
        except httpx.TimeoutException:
            raise FetchError(
                f"{url}: no answer within {self.settings.timeout_s:g} s (feeds.timeout_s).",
                transient=True,
            ) from None
        except httpx.InvalidURL:
            raise FetchError(f"{url}: not a valid link.") from None
        except httpx.HTTPError as exc:
            raise FetchError(
                f"{url}: could not be fetched ({_reason(exc)}).", transient=True
            ) from None
        finally:
            self._last_request[host] = time.monotonic()

    def _pause_for(self, host: str) -> None:
        last = self._last_request.get(host)
        if last is None:
            return
        delay = max(self.settings.delay_s, self._crawl_delay.get(host, 0.0))
        wait = delay - (time.monotonic() - last)
        if wait > 0:
            self._sleep(wait)


def _robots_unreadable(url: str, reason: str) -> FetchError:
    return FetchError(
        f"{url} could not be read ({reason}), so nothing on the site is fetched now.",
        transient=True,
    )


def _address_error(url: str, exc: RefusedAddress | UnknownHost) -> FetchError:
    if isinstance(exc, UnknownHost):
        return FetchError(f"{url}: {exc}.", transient=True)
    return FetchError(f"{url}: {exc}; set feeds.allow_private to fetch from it.")


def _read(streamed: httpx.Response, url: str, limit: int, deadline: float, truncate: bool) -> bytes:
    """The body, unpacked here and refused (or, for robots.txt, cut) as soon as it passes
    ``limit`` once unpacked, or passes the deadline (a server that drips a byte a second)."""
    declared = streamed.headers.get("content-length", "")
    encoding = streamed.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in {"identity", "", *_DECODERS}:
        raise FetchError(f"{url}: the server sent it {encoding}-encoded, which is not read.")
    plain = encoding in {"identity", ""}
    if not truncate and plain and declared.isdigit() and int(declared) > limit:
        raise FetchError(
            f"{url}: {int(declared) / 1e6:.1f} MB is over the {limit / 1e6:g} MB limit."
        )
    body = bytearray()
    for piece in _unpacked(streamed.iter_raw(), encoding, limit + 1, url):
        body += piece
        if len(body) > limit:
            if truncate:
                return bytes(body[:limit])
            raise FetchError(f"{url}: the page is over the {limit / 1e6:g} MB limit; not read.")
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("deadline passed")
    return bytes(body)


def _unpacked(raw: Iterator[bytes], encoding: str, most: int, url: str) -> Iterator[bytes]:
    """Decompress piece by piece, never more than ``most`` bytes out of one piece in."""
    if encoding not in _DECODERS:
        yield from raw
        return
    decoder = zlib.decompressobj(_DECODERS[encoding])
    try:
        for piece in raw:
            out = decoder.decompress(piece, most)
            yield out
            if decoder.unconsumed_tail:  # more than ``most`` from one piece: over the cap
                yield decoder.decompress(decoder.unconsumed_tail, most)
                return
        yield decoder.flush()
    except zlib.error:
        raise FetchError(f"{url}: the compressed body is damaged.", transient=True) from None


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


def _reason(exc: httpx.HTTPError) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.rstrip(".").split("\n")[0][:160]

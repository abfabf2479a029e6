"""A real news site on 127.0.0.1 for the feed tests: feeds, article pages, robots.txt, and one
route for each way a site can go wrong. Every request is logged, so a test can say how many
requests a fetch made and that nothing was fetched twice. Bounded: it serves until the test
shuts it down, and the slow routes sleep a fixed, short time."""

from __future__ import annotations

import datetime as dt
import gzip
import html
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOWNS = [
    "Aldervik",
    "Brennmoor",
    "Castelrock",
    "Dunhallow",
    "Elmsport",
    "Farrowgate",
    "Glenbourne",
    "Harwick",
    "Ilsmere",
    "Jorvale",
    "Kestrelby",
    "Lindholm",
    "Marrowdale",
    "Northwold",
    "Oakhaven",
    "Pellston",
    "Quarrybank",
    "Redmarsh",
    "Saltcombe",
    "Thornbury",
    "Ulverleigh",
    "Valemount",
    "Westerby",
    "Yarrowfield",
    "Zennor",
    "Ashcombe",
    "Birchover",
    "Coldharbour",
    "Dovecot",
    "Eastling",
    "Fennick",
    "Greyholm",
    "Hollowmere",
    "Ironbridge",
    "Juniper Bay",
    "Kingsferry",
    "Larkspur",
    "Millbrook",
    "Netherby",
    "Otterburn",
    "Pinecliff",
    "Rookwood",
    "Stonehaven",
    "Tidewell",
    "Underhill",
    "Wrenfield",
    "Amberley",
    "Blackwater",
    "Crowmere",
    "Driftwood",
]  # fictional towns: no test can pass on what the encoder already knows


@dataclass(frozen=True)
class Story:
    slug: str
    title: str
    town: str
    ferries: int
    published: dt.date
    author: str

    def paragraphs(self) -> list[str]:
        return [
            f"The harbour authority of {self.town} said on Tuesday that {self.ferries} ferries "
            f"called at the port during the autumn season, the highest number since records "
            "began, as new routes to the outer islands opened.",
            f"Officials in {self.town} credited a rebuilt breakwater and longer opening hours "
            "for the rise. Fishermen said the busier quay had made it harder to land catches "
            "in the early morning, and asked the council for a separate berth.",
            f"The council of {self.town} will vote next month on a plan to dredge the channel, "
            "which engineers say would let larger vessels dock at low tide. Opponents argue "
            "the work would disturb seal colonies along the estuary.",
        ]


def stories(count: int, start: dt.date = dt.date(2026, 10, 1)) -> list[Story]:
    return [
        Story(
            slug=f"harbour-{i:02d}",
            title=f"{TOWNS[i % len(TOWNS)]} harbour records {200 + 7 * i} ferry calls",
            town=TOWNS[i % len(TOWNS)],
            ferries=200 + 7 * i,
            published=start + dt.timedelta(days=i),
            author=f"Reporter {i}",
        )
        for i in range(count)
    ]


def article_page(story: Story, outlet: str = "Coastal Courier") -> str:
    """An article as news sites write them: metadata in the head, menus and a footer around
    the text, which the extractor has to leave out."""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in story.paragraphs())
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(story.title)} | {outlet}</title>
<meta property="og:title" content="{html.escape(story.title)}">
<meta property="og:site_name" content="{outlet}">
<meta property="article:published_time" content="{story.published.isoformat()}T08:00:00Z">
<meta name="author" content="{story.author}">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>{html.escape(story.title)}</h1><p class="byline">By {story.author}</p>{body}</article>
<footer>Subscribe to our newsletter. © {outlet}. All rights reserved.</footer>
</body></html>"""


def rss(
    base: str, items: list[tuple[str, str, dt.date | None]], title: str = "Coastal Courier"
) -> str:
    """RSS 2.0 with one item per (path, title, published)."""
    rows = []
    for path, item_title, published in items:
        date = (
            f"<pubDate>{format_datetime(dt.datetime.combine(published, dt.time(8), dt.UTC))}"
            "</pubDate>"
            if published
            else ""
        )
        rows.append(
            f"<item><title>{html.escape(item_title)}</title><link>{base}{path}</link>"
            f"<guid>{base}{path}</guid>{date}</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>{base}/</link><description>News</description>"
        + "".join(rows)
        + "</channel></rss>"
    )


def atom(base: str, story: Story) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Gazette</title>
<id>{base}/atom.xml</id><updated>2026-11-01T00:00:00Z</updated>
<entry><title>{html.escape(story.title)}</title><link href="{base}/{story.slug}"/>
<id>{base}/{story.slug}</id><updated>{story.published.isoformat()}T08:00:00Z</updated>
<author><name>{story.author}</name></author></entry></feed>"""


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    # Conditional GET: the ETag this route answers with, and 304 when it is asked for.
    etag: str | None = None
    # A route that changes from one request to the next (e.g. 429 then 200).
    dynamic: Callable[[int], Route] | None = None


class FeedSite:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                site._serve(self)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def add(self, path: str, route: Route | str, content_type: str = "text/html") -> str:
        if isinstance(route, str):
            route = Route(body=route.encode(), headers={"Content-Type": content_type})
        self.routes[path] = route
        return self.base + path

    def requests(self, path: str | None = None) -> int:
        with self._lock:
            return sum(1 for p, _ in self.log if path is None or p == path)

    def counts(self) -> Counter[str]:
        with self._lock:
            return Counter(p for p, _ in self.log)

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        with self._lock:
            self.log.append((path, dict(handler.headers)))
            seen = sum(1 for p, _ in self.log if p == path)
        route = self.routes.get(path) or Route(404, b"not found", {"Content-Type": "text/plain"})
        if route.dynamic is not None:
            route = route.dynamic(seen)
        if route.delay_s:
            time.sleep(route.delay_s)
        if route.etag and handler.headers.get("If-None-Match") == route.etag:
            handler.send_response(304)
            handler.send_header("ETag", route.etag)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        handler.send_response(route.status)
        headers = {"Content-Length": str(len(route.body)), **route.headers}
        if route.etag:
            headers["ETag"] = route.etag
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.end_headers()
        with suppress(BrokenPipeError, ConnectionResetError):
            handler.wfile.write(route.body)

    @contextmanager
    def running(self) -> Iterator[FeedSite]:
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.server.shutdown()
            self.server.server_close()
            thread.join(5)


def gzip_bomb(size: int) -> Route:
    """A page that is small on the wire and ``size`` bytes once unpacked."""
    return Route(
        body=gzip.compress(b"<p>" + b"a" * size + b"</p>"),
        headers={"Content-Type": "text/html", "Content-Encoding": "gzip"},
    )

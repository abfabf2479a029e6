"""Feeds and links, fetched from a real HTTP server on 127.0.0.1 (tests/feedsite.py): polite,
deduplicated, crash-safe, and every hostile case reported in one line with nothing lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import frontmatter
import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.config import FeedSettings, Settings
from assistant.embeddings import SentenceEmbeddings
from assistant.errors import InputError
from assistant.feeds import FeedList, Fetcher
from assistant.feeds.http import FetchError, PoliteClient, normalise_url
from assistant.feeds.schedule import FetchSchedule, parse_interval
from assistant.feeds.state import Ledger, ledger_path
from assistant.service import Assistant
from assistant.types import IngestReport
from tests.feedsite import FeedSite, Route, article_page, atom, gzip_bomb, rss, stories

FAST = {
    "allow_private": True,  # the test site is on 127.0.0.1
    "delay_s": 0.0,
    "backoff_s": 0.01,
    "timeout_s": 2.0,
    "max_page_mb": 0.2,
    "max_redirects": 3,
}


@pytest.fixture
def site() -> FeedSite:
    with FeedSite().running() as running:
        yield running


def _settings(tmp_path: Path, **feeds: object) -> Settings:
    return Settings(
        sources_dir=tmp_path / "sources",
        index_dir=tmp_path / "index",
        feeds=FeedSettings(**{**FAST, **feeds}),
    )


class Recorder:
    """The ingest step, recorded: for the tests about fetching alone."""

    def __init__(self) -> None:
        self.calls: list[list[Path]] = []

    def __call__(self, paths: list[Path]) -> IngestReport:
        self.calls.append(paths)
        return IngestReport()


def _feed(site: FeedSite, count: int, path: str = "/rss.xml", etag: str | None = '"v1"') -> str:
    items = []
    for story in stories(count):
        site.add(f"/{story.slug}", article_page(story))
        items.append((f"/{story.slug}", story.title, story.published))
    body = rss(site.base, items).encode()
    headers = {"Content-Type": "application/rss+xml"}
    return site.add(path, Route(body=body, headers=headers, etag=etag))


def _fetcher(settings: Settings, *feeds: str) -> tuple[Fetcher, Recorder]:
    for number, url in enumerate(feeds):
        FeedList(settings.feeds_file).add(url, f"feed{number}")
    recorder = Recorder()
    return Fetcher(settings, ingest=recorder), recorder


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.mark.slow
def test_a_fresh_feed_of_fifty_is_fetched_indexed_and_answerable(
    tmp_path: Path, site: FeedSite, embeddings: SentenceEmbeddings
) -> None:
    feed = _feed(site, 50)
    settings = _settings(tmp_path)
    FeedList(settings.feeds_file).add(feed, "courier")
    assistant = Assistant(settings, embeddings=embeddings)

    report = assistant.fetch()

    assert len(report.written) == 50 and not report.errors, report.lines()
    assert report.requests == 52  # robots.txt, the feed, 50 pages: one each
    assert len(report.ingest.added) == 50
    indexed = {a.url: a for a in assistant.sources()}
    for story in stories(50):
        article = indexed[f"{site.base}/{story.slug}"]
        assert article.title == story.title
        assert article.outlet == "Coastal Courier"
        assert article.published == story.published.isoformat()
    kestrelby = next(s for s in stories(50) if s.town == "Kestrelby")
    answer = assistant.ask("How many ferries called at the port of Kestrelby?")
    assert f"{kestrelby.ferries} ferries" in answer.answer
    assert answer.citations[0].title == kestrelby.title

    # The same feed again, unchanged: one conditional request, nothing downloaded or indexed.
    before = site.requests()
    again = assistant.fetch()
    assert site.requests() - before == 1
    assert site.log[-1][1].get("If-None-Match") == '"v1"'
    assert [o.status for o in again.outcomes] == ["unchanged"]
    assert not again.written and not again.ingest.added and not again.ingest.updated


def test_an_atom_feed_and_a_feed_with_new_entries(tmp_path: Path, site: FeedSite) -> None:
    story = stories(3)[2]
    site.add(f"/{story.slug}", article_page(story, outlet="Harbour Gazette"))
    feed = site.add("/atom.xml", atom(site.base, story), "application/atom+xml")
    fetcher, _ = _fetcher(_settings(tmp_path), feed)
    report = fetcher.run()
    [written] = report.written
    meta = frontmatter.load(tmp_path / "sources" / written).metadata
    assert meta["title"] == story.title and meta["author"] == story.author
    assert meta["outlet"] == "Harbour Gazette" and meta["published"] == "2026-10-03"


def test_a_feed_whose_etag_changes_costs_only_its_new_entries(
    tmp_path: Path, site: FeedSite
) -> None:
    feed = _feed(site, 3, etag='"v1"')
    fetcher, _ = _fetcher(_settings(tmp_path), feed)
    fetcher.run()
    _feed(site, 5, etag='"v2"')  # two more stories
    before = site.counts()
    report = fetcher.run()
    fetched = site.counts() - before
    assert len(report.written) == 2 and report.outcomes[0].skipped == 3
    assert set(fetched) == {"/rss.xml", "/harbour-03", "/harbour-04"}


def test_the_same_story_under_another_link_is_stored_once(tmp_path: Path, site: FeedSite) -> None:
    story = stories(1)[0]
    page = article_page(story)
    site.add("/a/story", page)
    site.add("/b/story", page)  # a syndicated copy under another address
    site.add("/a/story?utm_source=rss", page)
    items = [
        ("/a/story", story.title, story.published),
        ("/a/story?utm_source=rss", story.title, story.published),
        ("/b/story", story.title, story.published),
    ]
    feed = site.add("/rss.xml", rss(site.base, items), "application/rss+xml")
    fetcher, _ = _fetcher(_settings(tmp_path), feed)
    report = fetcher.run()
    assert len(report.written) == 1 and report.outcomes[0].skipped == 2
    assert site.requests("/a/story?utm_source=rss") == 0  # the same link, tracking aside
    assert len(_files(tmp_path / "sources")) == 1


def test_a_retry_after_429_and_a_redirect_are_followed(tmp_path: Path, site: FeedSite) -> None:
    story = stories(1)[0]
    site.add("/final", article_page(story))
    site.add("/moved", Route(status=301, headers={"Location": "/final"}))
    ok = Route(body=article_page(story).encode(), headers={"Content-Type": "text/html"})
    busy = Route(status=429, headers={"Retry-After": "0"})
    site.add("/busy", Route(dynamic=lambda seen: busy if seen == 1 else ok))
    fetcher, _ = _fetcher(_settings(tmp_path))
    moved = fetcher.run([f"{site.base}/moved"])
    assert moved.written and moved.outcomes[0].status == "fetched"
    meta = frontmatter.load(tmp_path / "sources" / moved.written[0]).metadata
    assert meta["url"] == f"{site.base}/final"
    busy_report = fetcher.run([f"{site.base}/busy"])
    assert site.requests("/busy") == 2
    assert busy_report.outcomes[0].skipped == 1  # the same text as /final: stored once


def _hostile(site: FeedSite) -> dict[str, tuple[str, str]]:
    """Each way a site can go wrong: (the link to fetch, what the one-line report says)."""
    base = site.base
    story = stories(1)[0]
    stub = "<html><body><article><p>Subscribe to read the full story.</p></article></body></html>"
    empty = "<html><head><script>var a = 1;</script></head><body><nav>Menu</nav></body></html>"
    site.add("/pdf", Route(body=b"%PDF-1.7 ...", headers={"Content-Type": "application/pdf"}))
    site.add("/paywall", stub)
    site.add("/empty", empty)
    site.add("/loop-a", Route(status=302, headers={"Location": "/loop-b"}))
    site.add("/loop-b", Route(status=302, headers={"Location": "/loop-a"}))
    for hop in range(6):
        site.add(f"/hop{hop}", Route(status=302, headers={"Location": f"/hop{hop + 1}"}))
    site.add("/slow", Route(body=article_page(story).encode(), delay_s=4.0))
    site.add("/huge", "<p>" + "word " * 60_000 + "</p>")
    site.add("/bomb", gzip_bomb(5_000_000))
    site.add("/down", Route(status=503))
    site.add("/wait", Route(status=503, headers={"Retry-After": "3600"}))
    site.add("/gone", Route(status=410))
    site.add("/private/page", article_page(story))
    return {
        "not html": (f"{base}/pdf", "not an HTML page (application/pdf)"),
        "paywall stub": (f"{base}/paywall", "characters of article text (a teaser or a paywall?"),
        "no article": (f"{base}/empty", "only 4 characters of article text"),
        "redirect loop": (f"{base}/loop-a", "the redirects go round in a loop"),
        "redirect chain": (f"{base}/hop0", "more than 3 redirects"),
        "timeout": (f"{base}/slow", "no answer within 2 s"),
        "huge": (f"{base}/huge", "MB is over the 0.2 MB limit"),
        "gzip bomb": (f"{base}/bomb", "the page is over the 0.2 MB limit"),
        "server down": (f"{base}/down", "answered HTTP 503 3 times"),
        "retry-after too long": (f"{base}/wait", "asks to wait 3600 s"),
        "gone": (f"{base}/gone", "answered HTTP 410"),
        "robots.txt": (f"{base}/private/page", "robots.txt of"),
        "not http": ("file:///etc/passwd", "only http and https links"),
    }


def test_hostile_links_are_each_reported_in_one_line_and_nothing_is_stored(
    tmp_path: Path, site: FeedSite
) -> None:
    site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    cases = _hostile(site)
    fetcher, recorder = _fetcher(_settings(tmp_path))
    report = fetcher.run([link for link, _ in cases.values()])
    assert len(report.outcomes) == len(cases) >= 10
    for (name, (link, expected)), outcome in zip(cases.items(), report.outcomes, strict=True):
        assert outcome.status == "failed", name
        [line] = outcome.line().splitlines()
        assert expected in line and link in line, (name, line)
    assert _files(tmp_path / "sources") == []
    assert recorder.calls == []  # nothing to index
    assert site.requests("/slow") == 1  # a timeout is not retried at once


def test_hostile_feeds_are_reported_and_cost_nothing_stored(tmp_path: Path, site: FeedSite) -> None:
    good = _feed(site, 2)
    broken = site.add("/broken.xml", "<rss><channel><item><title>x</ti", "application/rss+xml")
    page = site.add(
        "/index.html",
        '<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml">'
        "</head><body><p>Not a feed.</p></body></html>",
    )
    settings = _settings(tmp_path)
    fetcher, _ = _fetcher(settings, good)
    fetcher.run()
    stored = {p: p.read_bytes() for p in _files(tmp_path / "sources")}
    for url in (broken, page):
        FeedList(settings.feeds_file).add(url)
    report = fetcher.run()
    lines = [o.line() for o in report.outcomes]
    assert lines[0] == "feed0: unchanged since the last fetch."
    assert "not an RSS or Atom feed" in lines[1] and broken in lines[1]
    assert "not an RSS or Atom feed" in lines[2] and page in lines[2]
    assert lines[2].endswith(f"the page points to its feed, {good}: add that instead.")
    assert {p: p.read_bytes() for p in _files(tmp_path / "sources")} == stored


def test_private_addresses_are_refused_unless_allowed(tmp_path: Path, site: FeedSite) -> None:
    feed = _feed(site, 1)
    refused_names = (
        feed,
        feed.replace("127.0.0.1", "localhost"),
        "http://[::1]/",
        "http://10.0.0.8/",
        "http://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
        "http://0x7f000001/",  # 127.0.0.1 spelled in hex
    )
    for name in refused_names:
        with PoliteClient(FeedSettings()) as client, pytest.raises(FetchError) as refused:
            client.get(name, accept="*/*")
        assert "private or local address" in str(refused.value)
    assert site.requests() == 0
    fetcher, _ = _fetcher(_settings(tmp_path, allow_private=False), feed)
    [outcome] = fetcher.run().outcomes
    assert outcome.status == "failed" and "set feeds.allow_private" in outcome.line()


def test_a_page_that_failed_for_now_is_tried_again(tmp_path: Path, site: FeedSite) -> None:
    feed = _feed(site, 2)
    story = stories(2)[1]
    page = site.routes[f"/{story.slug}"]
    down = Route(status=503)
    site.add(f"/{story.slug}", Route(dynamic=lambda seen: down if seen <= 3 else page))
    fetcher, _ = _fetcher(_settings(tmp_path), feed)
    first = fetcher.run()
    assert len(first.written) == 1 and "HTTP 503" in first.errors[0]
    second = fetcher.run()  # the ETag was not kept: the feed is read again, the page retried
    assert len(second.written) == 1 and second.outcomes[0].skipped == 1
    third = fetcher.run()
    assert third.outcomes[0].status == "unchanged"


def test_a_lost_ledger_is_rebuilt_from_the_fetched_files(tmp_path: Path, site: FeedSite) -> None:
    settings = _settings(tmp_path)
    fetcher, _ = _fetcher(settings, _feed(site, 3))
    fetcher.run()
    ledger_path(settings.feeds_file).write_text("{not json")
    before = site.counts()
    report = fetcher.run()
    assert not report.written and report.outcomes[0].skipped == 3
    assert set(site.counts() - before) <= {"/rss.xml", "/robots.txt"}
    assert ledger_path(settings.feeds_file).with_name("feeds.state.json.broken").exists()


@pytest.mark.slow
def test_killed_mid_fetch_leaves_no_partial_file_and_fetches_nothing_twice(
    tmp_path: Path, site: FeedSite
) -> None:
    feed = _feed(site, 6)
    # Entries are read newest first: 05, 04, 03, then 02 hangs until the process is killed.
    slow = site.routes["/harbour-02"]
    site.add("/harbour-02", Route(body=slow.body, headers=slow.headers, delay_s=30))
    settings = _settings(tmp_path)
    FeedList(settings.feeds_file).add(feed, "courier")
    env = {
        **os.environ,
        "ASSISTANT_SOURCES_DIR": str(settings.sources_dir),
        "ASSISTANT_INDEX_DIR": str(settings.index_dir),
        "ASSISTANT_FEEDS__DELAY_S": "0",
        "ASSISTANT_FEEDS__TIMEOUT_S": "60",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "fetch", "--allow-private"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while site.requests("/harbour-02") == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(10)
    assert len(_files(settings.sources_dir / "fetched")) == 3  # pages 05-03, whole

    site.add("/harbour-02", slow)
    before = site.counts()
    report = Fetcher(settings, ingest=Recorder()).run()
    again = site.counts() - before
    assert len(report.written) == 3 and report.outcomes[0].skipped == 3
    assert not any(again[f"/harbour-0{i}"] for i in range(3, 6))
    files = _files(settings.sources_dir)
    assert len(files) == 6 and not [f for f in files if f.name.startswith(".")]


def test_one_fetch_at_a_time(tmp_path: Path, site: FeedSite) -> None:
    settings = _settings(tmp_path)
    fetcher, _ = _fetcher(settings, _feed(site, 1))
    with fetcher._exclusive(), pytest.raises(InputError, match="already running"):
        Fetcher(settings, ingest=Recorder()).run()


def test_the_feed_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    monkeypatch.setenv("ASSISTANT_SOURCES_DIR", str(tmp_path / "sources"))
    added = runner.invoke(app, ["feeds", "add", "https://www.example.com/rss.xml"])
    assert added.exit_code == 0 and "Following example.com" in added.stdout
    same = runner.invoke(
        app, ["feeds", "add", "https://WWW.example.com/rss.xml#top", "--name", "x"]
    )
    assert same.exit_code == 1 and "already followed, as example.com" in same.stderr
    for bad, message in (
        (["feeds", "add", "ftp://example.com/feed"], "a feed is an http or https link"),
        (["feeds", "add", "https://a.example/rss", "--name", "../etc"], "a feed name is"),
        (["feeds", "add", "https://a.example/rss", "--name", "news\n"], "a feed name is"),
        (["feeds", "add", "http://[::1"], "a feed is an http or https link"),
        (["feeds", "remove", "nope"], "No feed is named nope (followed: example.com)."),
    ):
        result = runner.invoke(app, bad)
        assert result.exit_code == 1 and message in result.stderr, result.stderr
    listed = runner.invoke(app, ["feeds", "list"])
    assert listed.stdout.startswith("example.com\thttps://www.example.com/rss.xml\tnever fetched")
    assert runner.invoke(app, ["feeds", "remove", "example.com"]).exit_code == 0
    assert "No feed is followed" in runner.invoke(app, ["feeds", "list"]).stdout
    fetched = runner.invoke(app, ["fetch"])
    assert fetched.exit_code == 1 and "add one with `assistant feeds add URL`" in fetched.stderr
    (tmp_path / "feeds.yaml").write_text("feeds: [oops")
    broken = runner.invoke(app, ["feeds", "list"])
    assert broken.exit_code == 1 and "the feed list is not valid" in broken.stderr
    assert (tmp_path / "feeds.yaml").read_text() == "feeds: [oops"  # the user's file, kept


def test_intervals_and_the_schedule() -> None:
    assert parse_interval("30m") == 1800 and parse_interval("1h30m") == 5400
    for bad in ("5s", "soon", "30", "m30"):
        with pytest.raises(InputError):
            parse_interval(bad)
    runs: list[float] = []

    def fetch():  # type: ignore[no-untyped-def]
        runs.append(time.monotonic())
        raise InputError("No feed is followed yet.")

    schedule = FetchSchedule(fetch, 3600, first_after_s=0.05).start()
    deadline = time.monotonic() + 5
    while not runs and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.05)
    status = schedule.status()
    schedule.stop()
    assert len(runs) == 1 and status.last_error == "No feed is followed yet."
    assert status.next_at is not None and status.next_at > time.time() + 3000


def test_links_are_compared_without_tracking_or_fragments() -> None:
    assert normalise_url("HTTPS://News.Example:443/a?id=3&utm_source=rss#top") == (
        "https://news.example/a?id=3"
    )
    assert normalise_url("http://news.example:8080") == "http://news.example:8080/"


def test_ledger_round_trip(tmp_path: Path) -> None:
    ledger = Ledger()
    ledger.record(["https://a.example/x?utm_medium=feed"], "fetched/a/x.md", "abc")
    ledger.save(tmp_path / "state.json")
    again = Ledger.load(tmp_path / "state.json")
    assert again.stored("https://A.example/x").file == "fetched/a/x.md"
    assert again.same_text("abc").file == "fetched/a/x.md"


def test_a_redirect_into_the_local_network_is_refused(
    tmp_path: Path, site: FeedSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every hop is checked: the site (taken for a public one here, as if it were on the web)
    redirects to another loopback address."""
    from assistant.feeds import guard

    real = guard.is_public
    monkeypatch.setattr(guard, "is_public", lambda a: str(a) == "127.0.0.1" or real(a))
    story = stories(1)[0]
    site.add("/inside", article_page(story))
    inside = site.base.replace("127.0.0.1", "127.0.0.2") + "/inside"
    site.add("/out", Route(status=302, headers={"Location": inside}))
    fetcher, _ = _fetcher(_settings(tmp_path, allow_private=False))
    [outcome] = fetcher.run([f"{site.base}/out"]).outcomes
    assert outcome.status == "failed"
    assert "127.0.0.2 is a private or local address (127.0.0.2)" in outcome.line()
    assert site.requests("/inside") == 0 and site.requests("/out") == 1


def test_a_name_that_turns_private_when_connected_is_refused(
    tmp_path: Path, site: FeedSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the name resolves to a public address when checked, and to loopback
    when connected. The connection is made only to the address checked there."""
    import ipaddress

    from assistant.feeds import guard

    answers = iter([ipaddress.ip_address("93.184.216.34")])
    loopback = ipaddress.ip_address("127.0.0.1")
    monkeypatch.setattr(guard, "resolve", lambda host, port: [next(answers, loopback)])
    link = site.base.replace("127.0.0.1", "rebind.test") + "/page"
    fetcher, _ = _fetcher(_settings(tmp_path, allow_private=False))
    [outcome] = fetcher.run([link]).outcomes
    assert outcome.status == "failed"
    assert "rebind.test is a private or local address (127.0.0.1)" in outcome.line()
    assert site.requests() == 0


def test_encodings_the_cap_cannot_watch_are_refused(tmp_path: Path, site: FeedSite) -> None:
    story = stories(1)[0]
    site.add("/br", Route(body=b"\x1b\x00", headers={"Content-Encoding": "br"}))
    site.add(
        "/gz",
        Route(
            body=__import__("gzip").compress(article_page(story).encode()),
            headers={"Content-Type": "text/html", "Content-Encoding": "gzip"},
        ),
    )
    fetcher, _ = _fetcher(_settings(tmp_path))
    refused, packed = fetcher.run([f"{site.base}/br", f"{site.base}/gz"]).outcomes
    assert "sent it br-encoded, which is not read" in refused.line()
    assert packed.status == "fetched" and packed.written  # gzip is unpacked, under the cap
    assert site.log[-1][1]["Accept-Encoding"] == "gzip, deflate"


def test_a_bad_link_in_a_feed_is_one_line_and_the_rest_is_read(
    tmp_path: Path, site: FeedSite
) -> None:
    story = stories(1)[0]
    site.add(f"/{story.slug}", article_page(story))
    items = [
        ("http://example.com:99999/x", "A port out of range", None),
        ("http://[::1/x", "An address that does not parse", None),
        (f"{site.base}/{story.slug}", story.title, story.published),
    ]
    body = rss("", items).encode()
    feed = site.add("/rss.xml", Route(body=body, headers={"Content-Type": "text/xml"}))
    fetcher, _ = _fetcher(_settings(tmp_path), feed)
    [outcome] = fetcher.run().outcomes
    assert len(outcome.written) == 1
    assert "http://example.com:99999/x: not a valid link." in outcome.errors


def test_a_site_whose_robots_txt_fails_is_asked_once_per_run(
    tmp_path: Path, site: FeedSite
) -> None:
    feed = _feed(site, 3)
    site.add("/robots.txt", Route(status=503))
    fetcher, _ = _fetcher(_settings(tmp_path), feed)
    [outcome] = fetcher.run().outcomes
    assert outcome.status == "failed" and "robots.txt could not be read (" in outcome.line()
    assert site.requests("/robots.txt") == 3  # one request and its two retries, then no more
    assert site.requests("/rss.xml") == 0


def test_redirected_entries_are_known_after_the_ledger_is_lost(
    tmp_path: Path, site: FeedSite
) -> None:
    """The feed's links redirect (as feed proxies do): the files remember those links, so a
    ledger rebuilt from them after a crash knows not to follow them again."""
    items = []
    for story in stories(2):
        site.add(f"/{story.slug}", article_page(story))
        site.add(f"/go/{story.slug}", Route(status=301, headers={"Location": f"/{story.slug}"}))
        items.append((f"/go/{story.slug}", story.title, story.published))
    feed = site.add("/rss.xml", rss(site.base, items), "application/rss+xml")
    settings = _settings(tmp_path)
    fetcher, _ = _fetcher(settings, feed)
    assert len(fetcher.run().written) == 2
    ledger_path(settings.feeds_file).unlink()
    before = site.counts()
    report = fetcher.run()
    assert not report.written and report.outcomes[0].skipped == 2
    assert set(site.counts() - before) == {"/rss.xml", "/robots.txt"}


def test_a_missing_page_is_tried_on_a_few_runs_then_given_up(
    tmp_path: Path, site: FeedSite
) -> None:
    story = stories(1)[0]
    items = [("/not-yet", "Announced before it is published", None)]
    items.append((f"/{story.slug}", story.title, story.published))
    site.add(f"/{story.slug}", article_page(story))
    feed = site.add("/rss.xml", Route(body=rss(site.base, items).encode(), etag='"v1"'))
    fetcher, _ = _fetcher(_settings(tmp_path, attempts=3), feed)
    reports = [fetcher.run() for _ in range(4)]
    assert site.requests("/not-yet") == 3
    assert [len(r.errors) for r in reports] == [1, 1, 1, 0]
    assert reports[-1].outcomes[0].status == "unchanged"  # the feed's ETag kept at last


def test_the_newest_entries_are_read_whatever_the_feed_order(
    tmp_path: Path, site: FeedSite
) -> None:
    """Oldest first, and more entries than feeds.max_entries: the newest are the ones read."""
    feed = _feed(site, 4)  # stories in date order, the newest last
    fetcher, _ = _fetcher(_settings(tmp_path, max_entries=2), feed)
    report = fetcher.run()
    assert [Path(f).name[:10] for f in report.written] == ["2026-10-04", "2026-10-03"]

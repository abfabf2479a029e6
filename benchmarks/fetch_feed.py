"""What following a feed costs: a fresh feed of N entries on loopback (tests/feedsite.py),
fetched, extracted and indexed, then fetched again unchanged, then with one new entry.

    .venv/bin/python benchmarks/fetch_feed.py [--entries 50] [--delay 0]

Reports seconds and requests of each run, split into fetching (network and extraction) and
indexing, against the raw encoder on the same texts, in benchmarks/results/fetch-feed.json.
``--delay`` is the pause between two requests to the site (1 s by default in real use: with it,
a fresh feed of 50 costs at least 50 s, which is the point).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.config import FeedSettings, Settings  # noqa: E402
from assistant.feeds import FeedList  # noqa: E402
from assistant.service import Assistant  # noqa: E402
from tests.feedsite import FeedSite, Route, article_page, rss, stories  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


def _serve_feed(site: FeedSite, count: int, etag: str) -> None:
    items = []
    for story in stories(count):
        site.add(f"/{story.slug}", article_page(story))
        items.append((f"/{story.slug}", story.title, story.published))
    body = rss(site.base, items).encode()
    site.add(
        "/rss.xml", Route(body=body, headers={"Content-Type": "application/rss+xml"}, etag=etag)
    )


def _run(assistant: Assistant) -> dict[str, float]:
    started = time.perf_counter()
    report = assistant.fetch()
    total = time.perf_counter() - started
    indexing = report.ingest.seconds if report.ingest else 0.0
    return {
        "seconds": round(total, 3),
        "fetch_seconds": round(total - indexing, 3),
        "index_seconds": round(indexing, 3),
        "requests": report.requests,
        "new": len(report.written),
        "errors": len(report.errors),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="fetch-feed-"))
    feeds = FeedSettings(allow_private=True, delay_s=args.delay)
    settings = Settings(sources_dir=root / "sources", index_dir=root / "index", feeds=feeds)
    assistant = Assistant(settings)
    assistant.embeddings.encode(["warm up"], cache=False)
    with FeedSite().running() as site:
        _serve_feed(site, args.entries, '"v1"')
        FeedList(settings.feeds_file).add(f"{site.base}/rss.xml", "courier")
        fresh = _run(assistant)
        unchanged = _run(assistant)
        _serve_feed(site, args.entries + 1, '"v2"')
        one_new = _run(assistant)
    texts = [p.read_text() for p in sorted((root / "sources").rglob("*.md"))]
    started = time.perf_counter()
    assistant.embeddings.encode(texts, cache=False)
    raw_encoder = time.perf_counter() - started
    result = {
        "entries": args.entries,
        "delay_s": args.delay,
        "fresh": fresh,
        "unchanged": unchanged,
        "one_new_entry": one_new,
        "raw_encoder_seconds_same_articles": round(raw_encoder, 3),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "fetch-feed.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

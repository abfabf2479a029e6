"""End to end in a real browser: Debian's headless chromium driven by Playwright against the
launched chat. Screenshots go to the test's temp folder; ASSISTANT_SCREENSHOT_DIR=docs
refreshes the README's."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import FeedSettings, Settings
from assistant.embeddings import SentenceEmbeddings
from assistant.service import Assistant
from assistant.ui import launch
from tests.conftest import DEMO_SOURCES, free_port
from tests.feedsite import FeedSite, Route, article_page, rss, stories

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 60_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"chromium not installed at {CHROMIUM}"),
]

NEW_ARTICLE = """---
title: Icebreaker Shirase returns to Tokyo
outlet: Polar Gazette
published: 2025-03-04
---

The Japanese icebreaker Shirase returned to Tokyo on 3 March after four months in Antarctica.
"""


@pytest.fixture(scope="module")
def site() -> Iterator[FeedSite]:
    """A news site with a feed, on 127.0.0.1."""
    with FeedSite().running() as running:
        yield running


@pytest.fixture(scope="module")
def url(
    tmp_path_factory: pytest.TempPathFactory, embeddings: SentenceEmbeddings, site: FeedSite
) -> Iterator[str]:
    """The chat over a private copy of the demo sources (the upload and feed tests add
    articles); the feed site is on loopback, so private addresses are allowed here."""
    root = tmp_path_factory.mktemp("browser")
    sources = root / "sources"
    shutil.copytree(DEMO_SOURCES, sources)
    feeds = FeedSettings(allow_private=True, delay_s=0)
    settings = Settings(sources_dir=sources, index_dir=root / "index", feeds=feeds)
    assistant = Assistant(settings, embeddings=embeddings)
    assistant.ingest()
    port = free_port()
    app = launch(assistant, host="127.0.0.1", port=port, block=False, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        app.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, url: str) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    try:
        yield page
    finally:
        context.close()


def ask(page, question: str, expect: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("#question textarea").fill(question)
    page.locator("#ask").click()
    page.locator("#chat").get_by_text(expect, exact=False).first.wait_for()


def shot(page, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=str(tmp_path / name), full_page=True)
    folder = os.environ.get("ASSISTANT_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def test_question_answer_and_highlighted_citation(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ask(page, "When did the Kareliya transit the Tsushima Strait?", "25 January to 26 January")
    card = page.locator("#citation-1")
    card.click()
    highlighted = card.locator("mark")
    assert highlighted.inner_text().startswith("From 25 January to 26 January")
    assert highlighted.is_visible()
    shot(page, tmp_path, "chat.png")


def test_contested_badge(page) -> None:  # type: ignore[no-untyped-def]
    ask(
        page,
        "Is China supplying components for Russian drones?",
        "Contested: claimed by Ukraine's Foreign Intelligence Service, denied by Beijing",
    )
    assert page.locator("#citations").get_by_text("Beijing has dismissed these claims").count()


def test_claim_check_tab(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("tab", name="Check a claim").click()
    page.locator("#claim textarea").fill(
        "The Kareliya transited the Tsushima Strait on 12 January."
    )
    page.locator("#check").click()
    verdict = page.locator("#verdict .na-verdict")
    verdict.wait_for()
    assert verdict.inner_text().startswith("Contradicted")
    assert page.locator("#verdict mark").first.inner_text().startswith("From 25 January")
    shot(page, tmp_path, "claim-check.png")


def test_upload_an_article_then_ask_about_it(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    article = tmp_path / "shirase.md"
    article.write_text(NEW_ARTICLE)
    page.get_by_role("tab", name="Sources").click()
    page.locator("#upload input[type=file]").set_input_files(str(article))
    page.locator("#upload-status").get_by_text("Added shirase.md").wait_for()
    assert page.locator("#sources").get_by_text("Icebreaker Shirase returns to Tokyo").count()
    page.get_by_role("tab", name="Chat").click()
    ask(page, "When did the Shirase return to Tokyo?", "3 March")


def test_follow_a_feed_then_ask_about_what_it_brought(page, site: FeedSite, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    story = stories(3)[2]
    site.add(f"/{story.slug}", article_page(story))
    feed = rss(site.base, [(f"/{story.slug}", story.title, story.published)])
    site.add("/rss.xml", Route(body=feed.encode(), headers={"Content-Type": "application/rss+xml"}))
    page.get_by_role("tab", name="Sources").click()
    page.locator("#feed-url textarea, #feed-url input").first.fill(f"{site.base}/rss.xml")
    page.locator("#feed-name textarea, #feed-name input").first.fill("courier")
    page.locator("#add-feed").click()
    page.locator("#fetch-status").get_by_text("Following courier").wait_for()
    assert page.locator("#feeds").get_by_text("never").count()
    page.locator("#fetch-now").click()
    page.locator("#fetch-status").get_by_text("courier: 1 new.").wait_for()
    assert page.locator("#sources").get_by_text(story.title).count()
    shot(page, tmp_path, "feeds.png")
    page.get_by_role("tab", name="Chat").click()
    ask(page, f"How many ferries called at {story.town}?", f"{story.ferries} ferries")


def test_did_one_outlet_agree_with_another(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A yes/no answer about two outlets: the verdict first, each outlet's sentence cited."""
    ask(
        page,
        "After Pacific Security Review reported that the Beijixing was first detected on "
        "28 January, did Harbour Ledger agree?",
        "Harbour Ledger",
    )
    page.locator("#chat").get_by_text("says otherwise", exact=False).first.wait_for()
    page.locator("#citation-2").click()
    marked = page.locator("#citation-2 mark").inner_text()
    assert marked.startswith("Japanese forces first spotted the Chinese intelligence ship")
    assert "30 January" in marked
    shot(page, tmp_path, "agree.png")

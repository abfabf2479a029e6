from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from gradio_client import Client

from assistant.embeddings import SentenceEmbeddings
from assistant.service import Assistant
from assistant.ui import is_loopback, launch
from tests.conftest import free_port

pytestmark = [pytest.mark.ui, pytest.mark.slow]


def message_text(message: dict) -> str:
    """Gradio 6 hands message content back as a string or a list of typed parts."""
    content = message["content"]
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if isinstance(part, dict))


@pytest.fixture(scope="module")
def client(demo: Assistant) -> Iterator[Client]:
    port = free_port()
    app = launch(demo, host="127.0.0.1", port=port, block=False, quiet=True)
    try:
        yield Client(f"http://127.0.0.1:{port}/", verbose=False)
    finally:
        app.close()


def test_chat_answers_with_citations(client: Client) -> None:
    history, panel, box = client.predict(
        "When did the Kareliya transit the Tsushima Strait?", [], api_name="/respond"
    )
    assert box == ""
    assert [m["role"] for m in history] == ["user", "assistant"]
    reply = message_text(history[-1])
    assert "25 January to 26 January" in reply and "&#91;1&#93;" in reply
    assert '<div class="na-citation" id="citation-1">' in panel
    assert "<mark>From 25 January to 26 January" in panel
    assert "Meridian Wire" in panel


def test_json_endpoint_follows_the_answer_contract(client: Client) -> None:
    data = json.loads(
        client.predict("Which Chinese ship was detected near Japan?", api_name="/ask_json")
    )
    assert data["abstained"] is False
    assert "CNS Beijixing" in data["answer"]
    assert all(1 <= n <= len(data["citations"]) for s in data["sentences"] for n in s["citations"])


def test_errors_show_as_a_message(client: Client) -> None:
    history, _panel, _box = client.predict("   ", [], api_name="/respond")
    assert "The question is empty" in message_text(history[-1])
    assert "Traceback" not in str(history)
    assert json.loads(client.predict("", api_name="/ask_json")) == {
        "error": "The question is empty; type what you want to know."
    }


def test_sources_tab_lists_articles(client: Client) -> None:
    table = client.predict(api_name="/sources")
    assert "13 articles indexed." in table
    assert "illustrative" in table


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("192.168.1.4", False),
        ("example.org", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_contested_claim_shows_a_badge(client: Client) -> None:
    history, panel, _box = client.predict(
        "Is China supplying components for Russian drones?", [], api_name="/respond"
    )
    reply = message_text(history[-1])
    assert "Contested: claimed by Ukraine&#x27;s Foreign Intelligence Service" in reply
    assert "denied by Beijing" in reply and "1 contested claim" in reply
    assert "dismissed these claims" in panel  # the counter-evidence is in the citations panel


def test_a_who_which_answer_shows_the_name_first_neutral(client: Client) -> None:
    """The name asked for opens the reply, bold and neutral: no verdict colour, as no claim
    was checked."""
    history, _panel, _box = client.predict(
        "Which destroyer shadowed the Beijixing?", [], api_name="/respond"
    )
    reply = message_text(history[-1])
    assert '<strong class="na-verdict na-neutral">JS Suzutsuki &#91;' in reply


def test_claim_check_tab_shows_verdict_and_both_sides(client: Client) -> None:
    html = client.predict("China supplies components for Russian drones.", api_name="/check")
    assert 'class="na-verdict na-contested"' in html
    assert "<h4>For</h4>" in html and "<h4>Against</h4>" in html
    assert "<mark>Beijing has dismissed these claims" in html


def test_check_json_and_its_errors(client: Client) -> None:
    result = json.loads(
        client.predict(
            "The Il-20 flew over the Sea of Okhotsk on 26 January.", api_name="/check_json"
        )
    )
    assert result["verdict"] == "supported" and result["for"]
    error = json.loads(client.predict("   ", api_name="/check_json"))
    assert error == {"error": "The claim is empty; paste the sentence you want checked."}


@pytest.fixture
def fresh_session(client: Client) -> Client:
    """A new browser session: its own conversation state."""
    return Client(client.src, verbose=False)


def test_follow_up_question_in_the_chat(fresh_session: Client) -> None:
    history, _panel, _box = fresh_session.predict(
        "Which Russian intelligence ship operated near Japan?", [], [], "", "", api_name="/respond"
    )
    history, _panel, _box = fresh_session.predict(
        "When did it transit the Tsushima Strait?", history, [], "", "", api_name="/respond"
    )
    reply = message_text(history[-1])
    assert "25 January to 26 January" in reply
    assert "Searched for: When did Kareliya transit the Tsushima Strait?" in reply
    exported = fresh_session.predict(api_name="/export_markdown")
    markdown = Path(exported).read_text()
    assert "**Q:** When did it transit the Tsushima Strait?" in markdown
    assert "*Searched for: When did Kareliya transit the Tsushima Strait?*" in markdown
    assert re.search(r"\[\^2\]: .* — Meridian Wire, 2025-01-29, <https://example.org/", markdown)
    rows = json.loads(Path(fresh_session.predict(api_name="/export_json")).read_text())
    assert [r["question"] for r in rows] == [
        "Which Russian intelligence ship operated near Japan?",
        "When did it transit the Tsushima Strait?",
    ]


def test_outlet_filter_in_the_chat(fresh_session: Client) -> None:
    _history, panel, _box = fresh_session.predict(
        "When was CNS Beijixing first detected?",
        [],
        ["Harbour Ledger"],
        "",
        "",
        api_name="/respond",
    )
    assert "Harbour Ledger" in panel and "Pacific Security Review" not in panel


def test_bad_date_filter_is_a_message(fresh_session: Client) -> None:
    history, _panel, box = fresh_session.predict(
        "When was CNS Beijixing first detected?", [], [], "soon", "", api_name="/respond"
    )
    reply = html.unescape(message_text(history[-1]))
    assert "The since date must be written like 2025-01-31, not 'soon'." in reply
    assert box == "When was CNS Beijixing first detected?"


def test_chat_streams_a_models_draft_then_the_checked_answer(demo: Assistant) -> None:
    from tests.test_generate import TSUSHIMA, ScriptedChat, tsushima_reply

    model = ScriptedChat(reply=tsushima_reply(" It then sank near Okinawa [1]."), delay=0.02)
    writer = Assistant(demo.settings, embeddings=demo.embeddings, store=demo.store, model=model)
    port = free_port()
    app = launch(writer, host="127.0.0.1", port=port, block=False, quiet=True)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        job = client.submit(TSUSHIMA, [], api_name="/respond")
        history, panel, box = job.result(timeout=120)
        updates = [message_text(output[0][-1]) for output in job.outputs()[:-1]]
    finally:
        app.close()
    assert len(updates) >= 5, "the draft streams into the bubble"
    assert all("Writing… citations are checked" in u for u in updates)
    assert "The Kareliya transited" in updates[-1] and "&#91;" in updates[-1]
    reply = message_text(history[-1])
    assert box == "" and "Writing…" not in reply
    assert '<span class="na-unsupported">It then sank near Okinawa' in reply
    assert "not backed by its sources" in reply and "Written by model" in reply
    assert "<mark>From 25 January to 26 January" in panel


def test_feed_controls_report_mistakes_as_messages(client: Client) -> None:
    status, _table, _feeds, _names = client.predict("", api_name="/fetch")
    assert "No feed is followed yet" in status and "Traceback" not in status
    status, _feeds, _names, url, _name = client.predict(
        "ftp://example.com/<script>alert(1)</script>", "", api_name="/add_feed"
    )
    assert "a feed is an http or https link" in status
    assert "<script>" not in status and "&lt;script&gt;" in status
    assert url == "ftp://example.com/<script>alert(1)</script>"  # kept, to be corrected
    status, _feeds, _names = client.predict(None, api_name="/remove_feed")
    assert "Choose a feed to remove." in status


def test_a_scheduled_fetch_shows_in_the_sources_tab(
    tmp_path: Path, embeddings: SentenceEmbeddings
) -> None:
    """`serve --fetch-every`: the schedule fetches soon after start, and the Sources tab says
    what it did and when it runs next."""
    from assistant.config import FeedSettings, Settings
    from assistant.feeds import FeedList
    from assistant.feeds.schedule import FetchSchedule
    from tests.feedsite import FeedSite, Route, article_page, rss, stories

    story = stories(1)[0]
    with FeedSite().running() as site:
        site.add(f"/{story.slug}", article_page(story))
        feed = rss(site.base, [(f"/{story.slug}", story.title, story.published)])
        site.add("/rss.xml", Route(body=feed.encode(), headers={"Content-Type": "text/xml"}))
        feeds = FeedSettings(allow_private=True, delay_s=0)
        settings = Settings(
            sources_dir=tmp_path / "sources", index_dir=tmp_path / "index", feeds=feeds
        )
        FeedList(settings.feeds_file).add(f"{site.base}/rss.xml", "courier")
        assistant = Assistant(settings, embeddings=embeddings)
        schedule = FetchSchedule(assistant.fetch, 1800, first_after_s=0.1).start()
        port = free_port()
        app = launch(
            assistant, host="127.0.0.1", port=port, block=False, quiet=True, schedule=schedule
        )
        try:
            client = Client(f"http://127.0.0.1:{port}/", verbose=False)
            deadline = time.monotonic() + 60
            status = ""
            while "Last fetch" not in status and time.monotonic() < deadline:
                time.sleep(0.2)
                status = client.predict(api_name="/fetch_status")
        finally:
            schedule.stop()
            app.close()
    assert "1 new article, 3 requests." in status
    assert "Fetching every 30 min, next at" in status
    assert [a.title for a in assistant.sources()] == [story.title]


def test_feed_controls_are_off_when_served_to_all_without_a_login(demo: Assistant) -> None:
    """Off loopback with no login, anyone could make the machine fetch any link and read
    it back in the chat: the controls say so and do nothing."""
    from assistant.ui import build_app

    app = build_app(demo, open_to_all=True)
    port = free_port()
    app.queue().launch(
        server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True
    )
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        status, *_ = client.predict("https://example.com/rss.xml", "", api_name="/add_feed")
        assert "served to other machines without a login" in status
        status, *_ = client.predict("https://example.com/story", api_name="/fetch")
        assert "served to other machines without a login" in status
    finally:
        app.close()
    assert not demo.settings.feeds_file.exists()

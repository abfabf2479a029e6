"""The Gradio chat: a thin layer over ``Assistant``.

Chat on the left, the citations of the last answer on the right (each cited sentence highlighted
inside its passage), the indexed articles in a second tab. Errors show as a chat message, never
as a traceback. A "Check a claim" tab shows a verdict with the evidence for and against side by
side. API endpoints serve scripts and tests: ``/respond`` (what the chat does), ``/ask_json``
and ``/check_json`` (the ``--json`` contracts of ``ask`` and ``check``), ``/check`` (the tab).
"""

from __future__ import annotations

import ipaddress
import json
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

# No calls home: analytics off before gradio is imported.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr

from assistant.conversation import Conversation
from assistant.errors import AssistantError
from assistant.feeds import FeedList
from assistant.feeds.schedule import FetchSchedule
from assistant.feeds.state import Ledger, ledger_path
from assistant.filters import parse_filters
from assistant.render import (
    PANEL_CSS,
    answer_as_chat,
    check_panel,
    citations_panel,
    conversation_as_markdown,
    draft_as_chat,
    escape,
    feeds_table,
    fetch_status,
    sources_table,
)
from assistant.service import Assistant
from assistant.sources import SUPPORTED_SUFFIXES
from assistant.types import Answer, IndexedArticle

EXAMPLES = [
    "When did the Kareliya transit the Tsushima Strait?",
    "Is China supplying drone parts to Russia?",
    "How many F-35A fighters are being deployed at Misawa Air Base?",
    "Which Chinese ship was detected near Japan?",
]

CLAIM_EXAMPLES = [
    "The Kareliya transited the Tsushima Strait on 12 January.",
    "China supplies components for Russian drones.",
    "The Il-20 flew over the Sea of Okhotsk on 26 January.",
]

Message = dict[str, str]
WRITING_PANEL = '<div class="na-panel"><p class="na-hint">Checking the citations…</p></div>'


def build_app(
    assistant: Assistant, schedule: FetchSchedule | None = None, *, open_to_all: bool = False
) -> gr.Blocks:
    """``open_to_all``: served to other machines with no login. Then the feed controls are
    off: anyone who reaches the page could make this machine fetch any link and read it back
    through the chat."""
    feed_list = FeedList(assistant.settings.feeds_file)
    feeds_locked = (
        "Feeds are managed with `assistant feeds` and `assistant fetch` while the chat is "
        "served to other machines without a login."
    )

    def respond(
        question: str,
        history: list[Message] | None,
        outlets: list[str] | None,
        since: str | None,
        until: str | None,
        conversation: Conversation,
        answers: list[Answer],
    ) -> Iterator[tuple[list[Message], str, str, Conversation, list[Answer]]]:
        """The chat turn. A model's draft streams into the bubble as it is written; then the
        bubble is replaced by the verified answer, and the citations panel is filled."""
        history = list(history or [])
        asked = {"role": "user", "content": escape(question or "")}
        try:
            filters = parse_filters(outlets, since, until)
            draft = ""
            for item in assistant.ask_stream(question, filters=filters, conversation=conversation):
                if isinstance(item, str):
                    draft += item
                    bubble = {"role": "assistant", "content": draft_as_chat(draft)}
                    yield [*history, asked, bubble], WRITING_PANEL, "", conversation, answers
                else:
                    answer = item
        except AssistantError as exc:
            failed = {"role": "assistant", "content": f"⚠️ {escape(str(exc))}"}
            yield [*history, asked, failed], citations_panel(None), question, conversation, answers
            return
        history += [
            {"role": "user", "content": escape(answer.question)},
            {"role": "assistant", "content": answer_as_chat(answer)},
        ]
        yield history, citations_panel(answer), "", conversation, [*answers, answer]

    def export(answers: list[Answer], kind: str) -> str | None:
        """The conversation as a file to download: Markdown with footnotes, or JSON."""
        if not answers:
            return None
        folder = Path(tempfile.mkdtemp(prefix="assistant-export-"))
        if kind == "md":
            path = folder / "conversation.md"
            path.write_text(conversation_as_markdown(answers), encoding="utf-8")
        else:
            path = folder / "conversation.json"
            rows = [a.to_json() for a in answers]
            path.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
        return str(path)

    def ask_json(question: str) -> str:
        """The answer contract of `assistant ask --json`, as a JSON string; errors come back
        as {"error": ...}. A string, because Gradio treats any returned dict with a "path"
        key (every citation has one) as a file to serve."""
        try:
            return json.dumps(assistant.ask(question).to_json(), ensure_ascii=False)
        except AssistantError as exc:
            return json.dumps({"error": str(exc)})

    def check_claim(claim: str) -> str:
        try:
            return check_panel(assistant.check(claim))
        except AssistantError as exc:
            return f'<div class="na-panel"><p>⚠️ {escape(str(exc))}</p></div>'

    def check_json(claim: str) -> str:
        """The claim-check contract of `assistant check --json`, as a JSON string."""
        try:
            return json.dumps(assistant.check(claim).to_json(), ensure_ascii=False)
        except AssistantError as exc:
            return json.dumps({"error": str(exc)})

    def upload(path: str | None) -> tuple[str, str, None]:
        """An article file from the browser: checked, stored under sources/, ingested."""
        if not path:
            return "", list_sources(), None
        file = Path(path)
        try:
            report = assistant.add_source(file.name, file.read_bytes())
        except AssistantError as exc:
            return f"<p>⚠️ {escape(str(exc))}</p>", list_sources(), None
        if report.failed:
            return f"<p>⚠️ {escape(report.failed[0].reason)}</p>", list_sources(), None
        added = report.added + report.updated
        message = f"Added {escape(added[0])}." if added else "Already indexed; nothing changed."
        return f"<p>✅ {message}</p>", list_sources(), None

    def list_sources() -> str:
        return sources_table(assistant.sources())

    def list_feeds() -> tuple[str, dict[str, object]]:
        """The feeds table, and the names for the "remove" menu."""
        try:
            feeds = feed_list.load()
        except AssistantError as exc:
            return f"<p>⚠️ {escape(str(exc))}</p>", gr.update(choices=[])
        ledger = Ledger.load(ledger_path(feed_list.path))
        return feeds_table(feeds, ledger), gr.update(choices=[f.name for f in feeds], value=None)

    def feed_message(text: str, ok: bool) -> str:
        return f"<p>{'✅' if ok else '⚠️'} {escape(text)}</p>"

    def add_feed(url: str, name: str) -> tuple[str, str, dict[str, object], str, str]:
        if open_to_all:
            return feed_message(feeds_locked, False), *list_feeds(), url, name
        try:
            feed = feed_list.add(url or "", (name or "").strip() or None)
        except AssistantError as exc:
            return feed_message(str(exc), False), *list_feeds(), url, name
        message = feed_message(f"Following {feed.name}; press Fetch now to read it.", True)
        return message, *list_feeds(), "", ""

    def remove_feed(name: str | None) -> tuple[str, str, dict[str, object]]:
        if open_to_all:
            return feed_message(feeds_locked, False), *list_feeds()
        if not name:
            return feed_message("Choose a feed to remove.", False), *list_feeds()
        try:
            feed = feed_list.remove(name)
        except AssistantError as exc:
            return feed_message(str(exc), False), *list_feeds()
        return feed_message(f"No longer following {feed.name}.", True), *list_feeds()

    def fetch_now(links: str) -> tuple[str, str, str, dict[str, object]]:
        """Every followed feed, or the links typed in, fetched and indexed now."""
        given = [line.strip() for line in (links or "").splitlines() if line.strip()]
        if open_to_all:
            return feed_message(feeds_locked, False), list_sources(), *list_feeds()
        try:
            report = assistant.fetch(given or None)
        except AssistantError as exc:
            return feed_message(str(exc), False), list_sources(), *list_feeds()
        status = fetch_status(None, report, schedule_line())
        return status, list_sources(), *list_feeds()

    def last_fetch() -> str:
        return fetch_status(
            Ledger.load(ledger_path(feed_list.path)).last_run, None, schedule_line()
        )

    def schedule_line() -> str:
        if schedule is None:
            return "Nothing is fetched unless you press Fetch now (or serve --fetch-every 30m)."
        state = schedule.status()
        every = _duration(schedule.interval_s)
        if state.running:
            return f"Fetching every {every}; a fetch is running now."
        line = f"Fetching every {every}"
        if state.next_at:
            line += f", next at {time.strftime('%H:%M:%S', time.localtime(state.next_at))}"
        return line + (f"; last problem: {state.last_error}" if state.last_error else ".")

    with gr.Blocks(title="News assistant") as app:
        gr.Markdown(
            "## News assistant\nAsk about the articles in the sources folder. "
            + _how_answers_are_made(assistant)
        )
        indexed = assistant.sources()
        first, last = _date_range(indexed)
        conversation = gr.State(Conversation())
        answers = gr.State([])
        with gr.Tab("Chat"), gr.Row():
            with gr.Column(scale=3):
                chat = gr.Chatbot(
                    label="Conversation",
                    height=460,
                    sanitize_html=True,
                    feedback_options=None,
                    elem_id="chat",
                )
                question = gr.Textbox(
                    label="Question",
                    placeholder="When did the Kareliya transit the Tsushima Strait?",
                    lines=1,
                    max_lines=4,
                    elem_id="question",
                )
                with gr.Row():
                    ask = gr.Button("Ask", variant="primary", elem_id="ask")
                    clear = gr.Button("New conversation", elem_id="clear")
                with gr.Accordion("Filters", open=False):
                    outlets = gr.Dropdown(
                        choices=sorted({a.outlet for a in indexed}, key=str.casefold),
                        value=[],
                        multiselect=True,
                        label="Outlets (none selected: all)",
                        elem_id="outlets",
                    )
                    with gr.Row():
                        since = gr.Textbox(
                            "", label="Published since", placeholder=f"YYYY-MM-DD, from {first}"
                        )
                        until = gr.Textbox(
                            "", label="Published until", placeholder=f"YYYY-MM-DD, to {last}"
                        )
                gr.Examples(EXAMPLES, inputs=question)
                with gr.Row():
                    export_md = gr.Button("Export Markdown", size="sm")
                    export_json = gr.Button("Export JSON", size="sm")
                exported = gr.File(label="Export", interactive=False, height=90, elem_id="export")
            with gr.Column(scale=2):
                panel = gr.HTML(citations_panel(None), label="Citations", elem_id="citations")
        with gr.Tab("Check a claim"):
            claim = gr.Textbox(
                label="Claim",
                placeholder="The Kareliya transited the Tsushima Strait on 12 January.",
                lines=2,
                max_lines=6,
                elem_id="claim",
            )
            check = gr.Button("Check", variant="primary", elem_id="check")
            gr.Examples(CLAIM_EXAMPLES, inputs=claim)
            verdict = gr.HTML(check_panel(None), elem_id="verdict")
        with gr.Tab("Sources"):
            added = gr.File(
                label=(
                    "Add an article (.md, .txt, .html, .jsonl; up to "
                    f"{assistant.settings.server.max_upload_mb:g} MB)"
                ),
                file_types=sorted(SUPPORTED_SUFFIXES),
                type="filepath",
                elem_id="upload",
            )
            upload_status = gr.HTML(elem_id="upload-status")
            with gr.Accordion("Feeds and links", open=True):
                feeds = gr.HTML(elem_id="feeds")
                with gr.Row():
                    feed_url = gr.Textbox(
                        label="Feed link (RSS or Atom)",
                        placeholder="https://example.com/rss.xml",
                        elem_id="feed-url",
                        scale=3,
                    )
                    feed_name = gr.Textbox(label="Name (optional)", elem_id="feed-name", scale=1)
                with gr.Row():
                    add_feed_button = gr.Button("Add feed", elem_id="add-feed")
                    removable = gr.Dropdown(
                        choices=[], label="Feed to remove", elem_id="feed-remove", scale=2
                    )
                    remove_button = gr.Button("Remove feed", elem_id="remove-feed")
                links = gr.Textbox(
                    label="Article links to fetch instead of the feeds (one per line)",
                    lines=2,
                    elem_id="links",
                )
                fetch_button = gr.Button("Fetch now", variant="primary", elem_id="fetch-now")
                fetched = gr.HTML(elem_id="fetch-status")
            table = gr.HTML(elem_id="sources")
            refresh = gr.Button("Refresh")

        chat_inputs = [question, chat, outlets, since, until, conversation, answers]
        chat_outputs = [chat, panel, question, conversation, answers]
        ask.click(
            respond,
            inputs=chat_inputs,
            outputs=chat_outputs,
            api_name="respond",
            concurrency_id="answer",
        )
        question.submit(
            respond,
            inputs=chat_inputs,
            outputs=chat_outputs,
            api_visibility="private",
            concurrency_id="answer",
        )
        clear.click(
            lambda: ([], citations_panel(None), "", Conversation(), [], None),
            outputs=[chat, panel, question, conversation, answers, exported],
            api_visibility="private",
        )
        export_md.click(
            lambda a: export(a, "md"), inputs=answers, outputs=exported, api_name="export_markdown"
        )
        export_json.click(
            lambda a: export(a, "json"), inputs=answers, outputs=exported, api_name="export_json"
        )
        check.click(
            check_claim, inputs=claim, outputs=verdict, api_name="check", concurrency_id="answer"
        )
        claim.submit(
            check_claim,
            inputs=claim,
            outputs=verdict,
            api_visibility="private",
            concurrency_id="answer",
        )
        refresh.click(list_sources, outputs=table, api_name="sources")
        refresh.click(last_fetch, outputs=fetched, api_name="fetch_status")
        added.upload(
            upload,
            inputs=added,
            outputs=[upload_status, table, added],
            api_name="upload",
            concurrency_id="ingest",
            concurrency_limit=1,
        )
        app.load(list_sources, outputs=table, api_visibility="private")
        app.load(list_feeds, outputs=[feeds, removable], api_visibility="private")
        app.load(last_fetch, outputs=fetched, api_visibility="private")
        add_feed_button.click(
            add_feed,
            inputs=[feed_url, feed_name],
            outputs=[fetched, feeds, removable, feed_url, feed_name],
            api_name="add_feed",
        )
        remove_button.click(
            remove_feed,
            inputs=removable,
            outputs=[fetched, feeds, removable],
            api_name="remove_feed",
        )
        fetch_button.click(
            fetch_now,
            inputs=links,
            outputs=[fetched, table, feeds, removable],
            api_name="fetch",
            concurrency_id="ingest",
            concurrency_limit=1,
        )
        gr.api(ask_json, api_name="ask_json", concurrency_id="answer")
        gr.api(check_json, api_name="check_json", concurrency_id="answer")
    return app


def _how_answers_are_made(assistant: Assistant) -> str:
    if not assistant.generative:
        return (
            "Every sentence of an answer is quoted from an article and cited; the cited "
            "sentence is highlighted on the right."
        )
    return (
        "A model writes the answer; each sentence is then checked against the article sentence "
        "it cites, which is highlighted on the right. Sentences the sources do not back are "
        "greyed."
    )


def _duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


def _date_range(indexed: list[IndexedArticle]) -> tuple[str, str]:
    """The first and last publication days indexed, as hints for the date filters."""
    days = sorted(a.published[:10] for a in indexed if a.published)
    return (days[0], days[-1]) if days else ("any day", "any day")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def launch(
    assistant: Assistant,
    *,
    host: str,
    port: int,
    block: bool = True,
    quiet: bool = False,
    schedule: FetchSchedule | None = None,
) -> gr.Blocks:
    open_to_all = not is_loopback(host) and assistant.settings.server.auth is None
    app = build_app(assistant, schedule, open_to_all=open_to_all)
    app.queue(default_concurrency_limit=assistant.settings.server.concurrency_limit)
    app.launch(
        server_name=host,
        server_port=port or None,
        prevent_thread_lock=not block,
        show_error=False,
        quiet=quiet,
        auth=assistant.settings.server.auth,
        max_file_size=f"{assistant.settings.server.max_upload_mb:g}mb",
        css=PANEL_CSS,
        footer_links=["api"],
    )
    return app

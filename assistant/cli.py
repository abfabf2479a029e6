"""``assistant``: ingest, ask, sources, serve. A thin layer over ``Assistant``.

User mistakes end with one line on stderr (``Error: …``) and exit code 1, never a traceback.
Exit code 2 is a usage error (typer's own), 1 a failed command, and for ``ingest`` 1 also means
that some files could not be read (the others were indexed).
"""

from __future__ import annotations

import gc
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import ValidationError

from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.memory import limit_malloc_arenas
from assistant.running import ASK, CHECK
from assistant.text import cleaned

app = typer.Typer(
    help="Answer questions about a folder of news articles, with citations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

T = TypeVar("T")

IndexOption = Annotated[
    Path | None,
    typer.Option("--index", help="Index folder (default: index/ or ASSISTANT_INDEX_DIR)."),
]
SourcesOption = Annotated[
    Path | None,
    typer.Option("--sources", help="Sources folder (default: sources/ or ASSISTANT_SOURCES_DIR)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


@app.callback()
def main(
    chroma_url: Annotated[
        str | None,
        typer.Option(
            "--chroma-url",
            help="Use a Chroma server (http://host:port) instead of the embedded index/.",
            envvar="ASSISTANT_CHROMA_URL",
        ),
    ] = None,
) -> None:
    """Answer questions about a folder of news articles, with citations."""
    if chroma_url:
        # Settings read the environment: every command below sees the server.
        os.environ["ASSISTANT_CHROMA_URL"] = chroma_url


def _fail(message: str) -> typer.Exit:
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(1)


def _guard(action: Callable[[], T]) -> T:
    """Run ``action``; user-facing errors become one line and exit code 1."""
    try:
        return action()
    except AssistantError as exc:
        raise _fail(str(exc)) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise _fail(f"invalid setting {where}: {first['msg']}.") from None


def _settings(index: Path | None = None, sources: Path | None = None, **extra: Any) -> Settings:
    overrides: dict[str, Any] = dict(extra)
    if index is not None:
        overrides["index_dir"] = index
    if sources is not None:
        overrides["sources_dir"] = sources
    return Settings(**overrides)


def _skip_heap_walk_at_exit() -> None:
    """A read-only command has printed its result: freeze the heap, so the garbage collections
    of the interpreter's shutdown skip every object the models and the index left behind.
    They took 0.4 s of a 3.2 s ``ask`` at 10k chunks, after the answer was printed. Objects
    are still released by reference count; nothing is left to write."""
    gc.freeze()


def _assistant(settings: Settings, **options: Any):  # type: ignore[no-untyped-def]
    from assistant.service import Assistant

    return Assistant(settings, **options)


@app.command()
def ingest(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or folders to sync (default: the sources folder)."),
    ] = None,
    index: IndexOption = None,
    sources: SourcesOption = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Read every file again, even those whose size and modification time are "
            "unchanged, and check every chunk of the index; without paths, an index written "
            "by another encoder is written again with this one.",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Sync articles into the index: new ones added, changed ones replaced, deleted ones removed."""

    def run() -> Any:
        settings = _settings(index, sources)
        for path in paths or [settings.sources_dir]:
            if not path.exists():
                raise AssistantError(f"No such file or folder: {path}.")
        # Re-encoding drops every vector of the other encoder, so only a sync of the whole
        # sources folder may do it; with paths, the index is refused as it is.
        assistant = _assistant(settings, replace_other_encoder=full and not paths)
        return _ingest_with_progress(assistant, paths, full=full, quiet=as_json)

    report = _guard(run)
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        for failure in report.failed:
            typer.echo(f"failed: {failure.reason}", err=True)
        typer.echo(f"{report.summary()} ({report.chunks_written} chunks, {report.seconds:.1f} s)")
    if report.failed:
        raise typer.Exit(1)


def _rich_progress() -> Any:
    """The progress bar of long commands (ingest, eval), cleared when done."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=True,
    )


def _ingest_with_progress(
    assistant: Any, paths: list[Path] | None, *, full: bool = False, quiet: bool
) -> Any:
    if quiet or not sys.stderr.isatty():
        return assistant.ingest(paths, full=full)
    with _rich_progress() as bar:
        task = bar.add_task("Embedding chunks", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return assistant.ingest(paths, full=full, progress=update)


OutletOption = Annotated[
    list[str] | None,
    typer.Option("--outlet", help="Only this outlet (repeat for several)."),
]
SinceOption = Annotated[
    str | None, typer.Option("--since", help="Only articles published on or after YYYY-MM-DD.")
]
UntilOption = Annotated[
    str | None, typer.Option("--until", help="Only articles published on or before YYYY-MM-DD.")
]
KOption = Annotated[int | None, typer.Option("-k", help="Passages to retrieve (1-50).")]
LocalOption = Annotated[
    bool,
    typer.Option(
        "--local", help="Answer in this process even when `assistant serve` runs on this index."
    ),
]
StreamOption = Annotated[
    bool,
    typer.Option(
        "--stream",
        help="With a model (generation.provider), print its answer as it is written, then "
        "the answer checked against the sources.",
    ),
]


def _streamed(items: Any, show: bool) -> Any:
    """The final answer of ``Assistant.ask_stream``; with ``show``, the draft tokens before it
    are printed as they arrive."""
    wrote = False
    for item in items:
        if isinstance(item, str):
            if show:
                sys.stdout.write(item)
                sys.stdout.flush()
                wrote = True
            continue
        if wrote:
            typer.echo("\n\n--- checked against the sources ---")
        return item
    raise AssertionError("ask_stream ends with an answer")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in quotes.")],
    k: KOption = None,
    outlet: OutletOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    index: IndexOption = None,
    stream: StreamOption = False,
    as_json: JsonOption = False,
    local: LocalOption = False,
) -> None:
    """Answer a question from the indexed articles, citing each sentence.

    When `assistant serve` runs on the same index with the same settings, the question goes to
    it, which has the models loaded already: the same answer, seconds sooner."""
    from assistant.filters import parse_filters
    from assistant.render import answer_as_text

    if stream and as_json:
        raise _fail("--stream prints text as it is written; leave it out with --json.")

    def run() -> Any:
        filters = parse_filters(outlet, since, until)
        settings = _settings(index)
        # Refused before any model loads; the service checks again for its other callers.
        limit = settings.answer.max_question_chars
        cleaned(question, "question", "type what you want to know", limit)
        unfiltered = not (filters.outlets or filters.since or filters.until)
        plain = unfiltered and not (local or stream or k is not None)
        served = _from_running_server(settings, ASK, question) if plain else None
        if served is not None:
            return served
        items = _assistant(settings).ask_stream(question, k=k, filters=filters)
        return _streamed(items, show=stream)

    answer = _guard(run)
    if as_json:
        typer.echo(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
    else:
        typer.echo(answer_as_text(answer))
    _skip_heap_walk_at_exit()


def _from_running_server(settings: Settings, endpoint: str, text: str) -> Any:
    """The answer or check of a running `assistant serve` on this index, or None (see
    assistant.running)."""
    from assistant.running import from_running_server
    from assistant.types import Answer, ClaimCheck

    found = from_running_server(settings, endpoint, text)
    if found is None:
        return None
    if "error" in found:
        raise AssistantError(str(found["error"]))
    try:
        return (Answer if endpoint == ASK else ClaimCheck).model_validate(found)
    except ValidationError:
        return None  # a server of another version: answered here instead


@app.command()
def chat(
    k: KOption = None,
    outlet: OutletOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    index: IndexOption = None,
    stream: StreamOption = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON answer per input line, for scripts.")
    ] = False,
) -> None:
    """Chat in the terminal: follow-up questions understood from the previous turns.

    One question per line; an empty line is skipped, /clear starts a new conversation, and
    end of input (Ctrl-D) ends the chat."""
    from assistant.conversation import Conversation
    from assistant.filters import parse_filters
    from assistant.render import answer_as_text

    filters = _guard(lambda: parse_filters(outlet, since, until))
    assistant = _guard(lambda: _assistant(_settings(index)))
    conversation = Conversation()
    interactive = sys.stdin.isatty() and not as_json
    if interactive:
        typer.echo("Ask about the indexed articles; /clear starts over, Ctrl-D ends.")
    for line in _lines(prompt="> " if interactive else None):
        question = line.strip()
        if not question:
            continue
        if question == "/clear":
            conversation.clear()
            continue
        try:
            items = assistant.ask_stream(question, k=k, filters=filters, conversation=conversation)
            answer = _streamed(items, show=stream and not as_json)
        except AssistantError as exc:
            if as_json:
                typer.echo(json.dumps({"question": question, "error": str(exc)}))
            else:
                typer.echo(f"Error: {exc}", err=True)
            continue
        if as_json:
            typer.echo(json.dumps(answer.to_json(), ensure_ascii=False))
            continue
        if answer.searched_for != answer.question:
            typer.echo(f"(searched for: {answer.searched_for})")
        typer.echo(answer_as_text(answer) + "\n")


def _lines(prompt: str | None) -> Any:
    """Input lines until end of input; with ``prompt``, read interactively."""
    while True:
        try:
            line = input(prompt) if prompt else sys.stdin.readline()
        except EOFError:
            return
        if not prompt and line == "":
            return
        yield line


@app.command()
def check(
    claim: Annotated[
        str | None, typer.Argument(help="The claim to check, in quotes.", show_default=False)
    ] = None,
    text: Annotated[
        str | None,
        typer.Option(
            "--text",
            help="Check the [n] citations of a text instead: a file, or - for standard input.",
        ),
    ] = None,
    index: IndexOption = None,
    as_json: JsonOption = False,
    local: LocalOption = False,
) -> None:
    """Check a claim against the sources, or the citations of a text (--text FILE|-); a claim
    goes to a running `assistant serve` on this index, like `ask`'s questions."""
    from assistant.render import check_as_text, citation_report_as_text

    def run() -> Any:
        if (claim is None) == (text is None):
            raise AssistantError("Give a claim in quotes, or --text FILE (or - for stdin).")
        settings = _settings(index)
        served = (
            None
            if local or text is not None
            else _from_running_server(settings, CHECK, claim or "")
        )
        if served is not None:
            return served
        assistant = _assistant(settings)
        if text is None:
            return assistant.check(claim or "")
        return assistant.check_citations(_read_text(text))

    result = _guard(run)
    if as_json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    elif text is None:
        typer.echo(check_as_text(result))
    else:
        typer.echo(citation_report_as_text(result))
    _skip_heap_walk_at_exit()


def _read_text(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    path = Path(source)
    if not path.is_file():
        raise AssistantError(f"No such file: {path}.")
    from assistant.sources import decode

    return decode(path.read_bytes(), str(path))


@app.command("sources")
def list_sources(index: IndexOption = None, as_json: JsonOption = False) -> None:
    """List the indexed articles."""
    articles = _guard(lambda: _assistant(_settings(index)).sources())
    if as_json:
        fields = ("article_id", "title", "outlet", "published", "path", "chunks")
        rows = [{name: getattr(a, name) for name in fields} for a in articles]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not articles:
        typer.echo("No articles are indexed; run `assistant ingest`.")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("Published", "Title", "Outlet", "File", "Chunks", show_lines=False)
    for a in articles:
        title = f"{a.title} (illustrative)" if a.illustrative else a.title
        table.add_row(a.published, title, a.outlet, a.path, str(a.chunks))
    Console(soft_wrap=False).print(table)


feeds_app = typer.Typer(
    help="The RSS/Atom feeds `assistant fetch` reads (kept in feeds.yaml beside the sources).",
    no_args_is_help=True,
)
app.add_typer(feeds_app, name="feeds")


def _feed_list(sources: Path | None):  # type: ignore[no-untyped-def]
    from assistant.feeds import FeedList

    return FeedList(_settings(sources=sources).feeds_file)


@feeds_app.command("add")
def feeds_add(
    url: Annotated[str, typer.Argument(help="The feed's link (RSS 0.9x/1.0/2.0 or Atom).")],
    name: Annotated[
        str | None, typer.Option(help="A short name (default: the site's host name).")
    ] = None,
    sources: SourcesOption = None,
) -> None:
    """Follow a feed: `assistant fetch` reads it from now on."""
    feed = _guard(lambda: _feed_list(sources).add(url, name))
    typer.echo(f"Following {feed.name}: {feed.url}")


@feeds_app.command("list")
def feeds_list(sources: SourcesOption = None, as_json: JsonOption = False) -> None:
    """List the followed feeds, with what the last fetch found."""
    from assistant.feeds.state import FeedStatus, Ledger, ledger_path

    def read() -> tuple[list[Any], Any]:
        feed_list = _feed_list(sources)
        return feed_list.load(), Ledger.load(ledger_path(feed_list.path))

    feeds, ledger = _guard(read)
    if as_json:
        rows = [
            {**f.model_dump(), **ledger.feeds.get(f.url, FeedStatus()).model_dump()} for f in feeds
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not feeds:
        typer.echo("No feed is followed; add one with `assistant feeds add URL`.")
        return
    for feed in feeds:
        status = ledger.feeds.get(feed.url)
        checked = f"checked {status.checked}" if status and status.checked else "never fetched"
        problem = f"; last error: {status.error}" if status and status.error else ""
        typer.echo(f"{feed.name}\t{feed.url}\t{checked}{problem}")


@feeds_app.command("remove")
def feeds_remove(
    name: Annotated[str, typer.Argument(help="The feed's name (see `assistant feeds list`).")],
    sources: SourcesOption = None,
) -> None:
    """Stop following a feed; the articles fetched from it stay in the sources folder."""
    feed = _guard(lambda: _feed_list(sources).remove(name))
    typer.echo(f"No longer following {feed.name} ({feed.url}).")


@app.command()
def fetch(
    links: Annotated[
        list[str] | None,
        typer.Argument(help="Article links to fetch (default: every followed feed)."),
    ] = None,
    index: IndexOption = None,
    sources: SourcesOption = None,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private",
            help="Allow loopback and private addresses (e.g. a feed on this machine).",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Fetch new articles from the followed feeds (or the given links) into the sources
    folder, and index them. Nothing is fetched unless this runs."""

    def run() -> Any:
        settings = _settings(index, sources)
        if allow_private:
            feeds = settings.feeds.model_copy(update={"allow_private": True})
            settings = settings.model_copy(update={"feeds": feeds})
        say = None if as_json else (lambda line: typer.echo(line, err=True))
        return _assistant(settings).fetch(links or None, progress=say)

    report = _guard(run)
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        for line in report.lines():
            typer.echo(line)
    if any(outcome.status == "failed" for outcome in report.outcomes):
        raise typer.Exit(1)


def _warm_up(assistant: Any, served_at: Callable[[], str | None]) -> None:
    """Load the models; then tell `assistant ask` where to send its questions."""
    from assistant.running import announce

    try:
        assistant.warm_up()
    except Exception as exc:
        logging.getLogger(__name__).info("Warming up failed: %s", exc)
        return
    url = served_at()
    if url:
        announce(assistant.settings, url)


def _exit_on_sigterm() -> None:
    """A plain `kill` ends the server through `finally` blocks, as Ctrl-C does, so that its
    record goes; a handler set before (Gradio's, in some modes) still runs first."""
    previous = signal.getsignal(signal.SIGTERM)

    def stop(number: int, frame: Any) -> None:
        if callable(previous):
            previous(number, frame)
        raise SystemExit(128 + number)

    signal.signal(signal.SIGTERM, stop)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 7860).")] = None,
    index: IndexOption = None,
    sources: SourcesOption = None,
    sync_first: Annotated[
        bool, typer.Option("--ingest/--no-ingest", help="Sync the sources folder before serving.")
    ] = False,
    fetch_every: Annotated[
        str | None,
        typer.Option(
            "--fetch-every",
            help="Fetch the followed feeds on this schedule (e.g. 30m, 2h; off by default).",
        ),
    ] = None,
) -> None:
    """Serve the chat in the browser."""
    # A server runs for days: two malloc arenas keep 90 MB less at 100k chunks. Not for
    # ingest, which they slowed by a tenth. Set before Chroma, ONNX Runtime or the server
    # start a thread.
    limit_malloc_arenas()

    def run() -> Any:
        from assistant.feeds.schedule import FetchSchedule, parse_interval

        interval = parse_interval(fetch_every) if fetch_every else None
        from assistant.running import withdraw
        from assistant.ui import is_loopback, launch

        settings = _settings(index, sources)
        server = settings.server.model_copy(
            update={k: v for k, v in {"host": host, "port": port}.items() if v is not None}
        )
        assistant = _assistant(settings.model_copy(update={"server": server}))
        if sync_first:
            report = assistant.ingest()
            for failure in report.failed:
                typer.echo(f"failed: {failure.reason}", err=True)
            typer.echo(report.summary())
        if not is_loopback(server.host):
            login = (
                "" if server.auth else " with no login (set ASSISTANT_SERVER__USERNAME/PASSWORD)"
            )
            typer.echo(
                f"Warning: serving on {server.host} makes the chat reachable from other "
                f"machines{login}.",
                err=True,
            )
        assistant.judges.load()  # a broken judge setting is one line now, not mid-answer
        launched = threading.Event()
        url: list[str] = []
        served_at = lambda: url[0] if launched.wait() and url else None  # noqa: E731
        threading.Thread(target=_warm_up, args=(assistant, served_at), daemon=True).start()
        schedule = None
        if interval is not None:
            schedule = FetchSchedule(assistant.fetch, interval).start()
            typer.echo(f"Fetching the followed feeds every {fetch_every}.")
        typer.echo(f"Serving the chat on http://{server.host}:{server.port}")
        try:
            app = launch(
                assistant,
                host=server.host,
                port=server.port,
                block=False,
                quiet=True,
                schedule=schedule,
            )
            url.append(app.local_url)
        finally:
            launched.set()
        _exit_on_sigterm()
        try:
            app.block_thread()
        finally:
            withdraw(assistant.settings)

    _guard(run)


DEFAULT_THRESHOLDS = Path("evals/thresholds.yaml")


@app.command("eval")
def evaluate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Eval sets (.yaml) to run (default: evals/*.yaml)."),
    ] = None,
    rgb: Annotated[
        Path | None, typer.Option("--rgb", help="RGB counterfactual .jsonl: conflict flagging.")
    ] = None,
    multihop: Annotated[
        Path | None,
        typer.Option("--multihop", help="MultiHop-RAG folder (queries.jsonl, articles.jsonl)."),
    ] = None,
    climate_fever: Annotated[
        Path | None,
        typer.Option("--climate-fever", help="CLIMATE-FEVER .jsonl: claim-check verdicts."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Only the first N cases of each run.")
    ] = None,
    thresholds: Annotated[
        Path, typer.Option("--thresholds", help="Floors and ceilings per suite and metric.")
    ] = DEFAULT_THRESHOLDS,
    report_dir: Annotated[
        Path | None,
        typer.Option("--report", help="Folder for report.json, report.md and metrics.png."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Run eval sets (and external benchmarks); exit 1 when a metric misses its threshold."""
    from assistant.evaluation import report as reports
    from assistant.evaluation.runner import Run, run_all

    def run() -> Any:
        limits = reports.load_thresholds(thresholds) if thresholds.exists() else {}
        plan = Run(
            eval_sets=paths, rgb=rgb, multihop=multihop, climate_fever=climate_fever, limit=limit
        )
        with _progress_bar(quiet=as_json) as progress:
            results = run_all(plan, progress=progress)
        return [r.check(limits.get(r.suite, {})) for r in results]

    results = _guard(run)
    if report_dir is not None:
        written = _guard(lambda: reports.write(results, report_dir))
        if not as_json:
            typer.echo("Report: " + ", ".join(str(p) for p in written))
    if as_json:
        typer.echo(json.dumps([r.model_dump(mode="json") for r in results], indent=2))
    else:
        _print_reports(results)
    failed = [f"{r.suite}.{name} ({why})" for r in results for name, why in r.breaches.items()]
    if failed:
        typer.echo("Below threshold: " + "; ".join(failed), err=True)
        raise typer.Exit(1)


@contextmanager
def _progress_bar(*, quiet: bool) -> Iterator[Callable[[str, int, int], None]]:
    """A rich progress bar per suite on a terminal; a no-op callback otherwise."""
    if quiet or not sys.stderr.isatty():
        yield lambda _suite, _done, _total: None
        return
    tasks: dict[str, Any] = {}
    with _rich_progress() as bar:

        def update(suite: str, done: int, total: int) -> None:
            if suite not in tasks:
                tasks[suite] = bar.add_task(suite, total=total)
            bar.update(tasks[suite], completed=done, total=total)

        yield update


def _print_reports(results: list[Any]) -> None:
    from rich.console import Console

    from assistant.evaluation.report import console_tables

    console = Console(soft_wrap=False)
    for item in console_tables(results):
        console.print(item)


if __name__ == "__main__":  # pragma: no cover
    app()

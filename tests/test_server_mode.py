"""Client/server mode: the same ingest, retrieval (both sides), sources listing and sync
against a real `chroma run` server on a free 127.0.0.1 port."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.config import Settings
from assistant.embeddings import SentenceEmbeddings
from assistant.errors import StoreError
from assistant.service import Assistant
from tests.conftest import DEMO_SOURCES, SEED_FACTS, free_port, wait_until_serving

pytestmark = pytest.mark.slow
CHROMA = Path(sys.executable).parent / "chroma"
ASSISTANT = Path(sys.executable).parent / "assistant"


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    server = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"ANONYMIZED_TELEMETRY": "False", "PATH": "/usr/bin:/bin"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(server, f"{url}/api/v2/heartbeat", "chroma run", seconds=30)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def _assistant(
    url: str, folder: Path, embeddings: SentenceEmbeddings, name: str, cache: str = ""
) -> Assistant:
    settings = Settings(
        sources_dir=folder / "sources",
        index_dir=folder / (cache or f"cache-{name}"),
        chroma_url=url,
        collection=f"test-{name}",
    )
    return Assistant(settings, embeddings=embeddings)


def _other_process(url: str, index: Path, collection: str, *args: str) -> Any:
    """``assistant --chroma-url URL ARGS --json`` in a fresh process whose own index folder
    (its BM25 cache) is ``index``; its parsed JSON output."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")},
        "ASSISTANT_INDEX_DIR": str(index),
        "ASSISTANT_COLLECTION": collection,
    }
    done = subprocess.run(
        [str(ASSISTANT), "--chroma-url", url, *args, "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_ingest_ask_and_sync_against_a_server(
    chroma_url: str, tmp_path: Path, embeddings: SentenceEmbeddings
) -> None:
    shutil.copytree(DEMO_SOURCES, tmp_path / "sources")
    first = _assistant(chroma_url, tmp_path, embeddings, "demo")
    report = first.ingest()
    assert not report.failed and len(report.added) == 13
    assert not (tmp_path / "cache-demo" / "chroma").exists()  # nothing embedded locally

    # A second process, with its own empty index folder, sees what the first one wrote to
    # the server and answers the same.
    other = tmp_path / "other-process-index"
    listed = _other_process(chroma_url, other, "test-demo", "sources")
    assert sorted(row["path"] for row in listed) == sorted(a.path for a in first.sources())
    question = "When did the Kareliya transit the Tsushima Strait?"
    mine = first.ask(question).to_json()
    theirs = _other_process(chroma_url, other, "test-demo", "ask", question)
    assert "25 January" in theirs["answer"] and theirs == mine
    assert (other / "keyword").is_dir() and not (other / "chroma").exists()

    # Incremental sync in the first process: one file deleted. The other process (its BM25
    # cache on disk now out of date) sees 12 articles and no longer cites the deleted one.
    (tmp_path / "sources" / SEED_FACTS).unlink()
    sync = first.ingest()
    assert sync.removed == [SEED_FACTS] and len(sync.unchanged) == 12
    listed = _other_process(chroma_url, other, "test-demo", "sources")
    assert len(listed) == 12 and SEED_FACTS not in {row["path"] for row in listed}
    after = _other_process(chroma_url, other, "test-demo", "ask", question)
    assert after["citations"] and SEED_FACTS not in {c["path"] for c in after["citations"]}
    assert after == first.ask(question).to_json()


def test_cli_with_chroma_url(chroma_url: str, tmp_path: Path, monkeypatch) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(DEMO_SOURCES / SEED_FACTS, sources / SEED_FACTS)
    monkeypatch.setenv("ASSISTANT_SOURCES_DIR", str(sources))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("ASSISTANT_COLLECTION", "test-cli")
    # --chroma-url exports ASSISTANT_CHROMA_URL for the commands; registering it here first
    # makes the test restore the environment afterwards.
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", chroma_url)
    runner = CliRunner()
    assert runner.invoke(app, ["--chroma-url", chroma_url, "ingest"]).exit_code == 0
    result = runner.invoke(app, ["--chroma-url", chroma_url, "ask", "Which ship was detected?"])
    assert result.exit_code == 0 and "Beijixing" in result.stdout


def test_unreachable_server_is_one_sentence(tmp_path: Path, embeddings) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(StoreError) as info:
        Assistant(Settings(index_dir=tmp_path, chroma_url=url), embeddings=embeddings)
    assert str(info.value).startswith(f"Cannot reach the Chroma server at {url}: ")


def test_queries_read_one_version_record_not_the_article_list(
    chroma_url: str, tmp_path: Path, embeddings: SentenceEmbeddings, monkeypatch
) -> None:
    """The keyword side is neither rebuilt nor re-listed per query; a write by another
    process is still seen by the next query."""
    import assistant.index.keyword_cache as keyword_cache

    monkeypatch.setattr(keyword_cache, "REFRESH_SECONDS", 0.0)  # check on every query
    (tmp_path / "sources").mkdir()
    shutil.copy(DEMO_SOURCES / SEED_FACTS, tmp_path / "sources")
    writer = _assistant(chroma_url, tmp_path, embeddings, "version")
    writer.ingest()
    reader = _assistant(chroma_url, tmp_path, embeddings, "version", cache="reader-cache")
    reader.retriever().search("Kareliya")  # first query: lists once, builds BM25

    listings = []
    original = reader.store.article_ids
    monkeypatch.setattr(reader.store, "article_ids", lambda: listings.append(1) or original())
    built = reader.store.keyword()
    for question in ["Kareliya Tsushima", "Il-20 Okhotsk", "F-35A Misawa"] * 3:
        reader.retriever().search(question)
    assert listings == [] and reader.store.keyword() is built

    shutil.copy(DEMO_SOURCES / "2025-02-10-baltic-courier-drone-engines.md", tmp_path / "sources")
    writer.ingest()
    found = reader.retriever().search("Alabuga drone engines")
    assert listings == [1] and reader.store.keyword() is not built
    assert found[0].outlet == "Baltic Courier" and found[0].keyword_rank is not None

"""Shared fixtures: one loaded encoder per session, the demo corpus ingested once.

Every test that writes gets its own folder under ``tmp_path``; the shared demo index is only read.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.embeddings import SentenceEmbeddings
from assistant.service import Assistant

ROOT = Path(__file__).resolve().parent.parent
DEMO_SOURCES = ROOT / "sources"
DEMO_EVAL = ROOT / "evals" / "demo.yaml"
SEED_FACTS = "2025-01-29-meridian-russia-china-reconnaissance-near-japan.md"


def free_port() -> int:
    """A port nobody listens on now, on 127.0.0.1 (servers in tests bind nowhere else)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(process: subprocess.Popen, url: str, what: str, seconds: float = 60) -> None:
    """Poll ``url`` until the server started as ``process`` answers (bounded), or fail the
    test naming ``what``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"{what} exited before it served")
            time.sleep(0.2)
    pytest.fail(f"{what} did not answer within {seconds:g} s")


@pytest.fixture(scope="session")
def embeddings() -> SentenceEmbeddings:
    return SentenceEmbeddings()


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory, embeddings: SentenceEmbeddings) -> Assistant:
    """The demo corpus ingested into a session-wide index. Read-only for tests."""
    index = tmp_path_factory.mktemp("demo-index")
    # The feed list too lives in the test's folder: a fetch through the demo never writes
    # into the repository's sources/.
    settings = Settings(
        sources_dir=DEMO_SOURCES, index_dir=index, feeds={"file": index / "feeds.yaml"}
    )
    assistant = Assistant(settings, embeddings=embeddings)
    report = assistant.ingest()
    assert not report.failed, report.failed
    return assistant


@pytest.fixture
def make_assistant(tmp_path: Path, embeddings: SentenceEmbeddings):
    """An assistant over a private copy of some articles: ``make_assistant(files=[...])``."""

    def make(files: list[Path] | None = None, **settings) -> Assistant:
        sources = tmp_path / "sources"
        sources.mkdir(exist_ok=True)
        for file in files or []:
            shutil.copy(file, sources / file.name)
        config = Settings(sources_dir=sources, index_dir=tmp_path / "index", **settings)
        return Assistant(config, embeddings=embeddings)

    return make

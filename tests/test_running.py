"""`assistant ask` and `check` hand their question or claim to a running `assistant serve` on the
same index: the same answer, without loading the models; anything amiss and they answer in
their own process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant import running
from assistant.config import ServerSettings, Settings
from tests.conftest import DEMO_SOURCES, SEED_FACTS, free_port

QUESTION = "When did the Kareliya transit the Tsushima Strait?"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(sources_dir=tmp_path / "sources", index_dir=tmp_path / "index")


def test_a_record_is_read_back_and_withdrawn(settings: Settings) -> None:
    path = running.announce(settings, "http://127.0.0.1:1234")
    record = running.read_record(path)
    assert record == running.ServerRecord(
        url="http://127.0.0.1:1234/",
        pid=os.getpid(),
        fingerprint=running.fingerprint(settings),
        login=False,
    )
    assert running.usable_server(settings) == record
    running.withdraw(settings)
    assert not path.exists() and running.usable_server(settings) is None


def test_a_server_of_other_settings_is_not_asked(settings: Settings) -> None:
    running.announce(settings, "http://127.0.0.1:1234")
    other = settings.model_copy(
        update={"answer": settings.answer.model_copy(update={"max_sentences": 1})}
    )
    assert running.usable_server(other) is None
    # Where it listens or what it ingests is no difference: the CLI knows neither.
    moved = settings.model_copy(
        update={
            "server": settings.server.model_copy(update={"port": 1}),
            "sources_dir": Path("elsewhere"),
        }
    )
    assert running.usable_server(moved) is not None


def test_a_dead_or_broken_record_is_ignored(settings: Settings) -> None:
    path = running.announce(settings, "http://127.0.0.1:1234")
    data = json.loads(path.read_text())
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    path.write_text(json.dumps({**data, "pid": int(dead.stdout)}))
    assert running.usable_server(settings) is None
    path.write_text("{not json")
    assert running.usable_server(settings) is None
    # A record whose server does not answer: no answer, no exception (the CLI goes on).
    running.announce(settings, f"http://127.0.0.1:{free_port()}")
    assert running.from_running_server(settings, running.ASK, QUESTION, timeout=5) is None


def test_a_server_with_a_login_is_not_asked(settings: Settings) -> None:
    guarded = settings.model_copy(
        update={"server": ServerSettings(username="editor", password="s3cret")}
    )
    running.announce(guarded, "http://127.0.0.1:1234")
    assert running.usable_server(settings) is None


def test_the_event_stream_gives_the_completed_answer() -> None:
    answer = json.dumps({"answer": "On 25 January [1]."})
    lines = [
        "event: heartbeat\n",
        "data: null\n",
        "\n",
        "event: generating\n",
        "data: null\n",
        "\n",
        "event: complete\n",
        f"data: {json.dumps([answer])}\n",
    ]
    assert running._completed(iter(lines)) == {"answer": "On 25 January [1]."}
    assert running._completed(iter(["event: error\n", "data: null\n"])) is None
    assert running._completed(iter(lines[:5])) is None  # the stream ended unanswered
    # Heartbeats alone never answer: the deadline ends the wait.
    assert running._completed(iter(["event: heartbeat\n"] * 3), deadline=0.0) is None


def test_a_broken_reply_is_no_answer(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the server sends back that is not an answer, the CLI answers on its own."""
    running.announce(settings, "http://127.0.0.1:1234")
    for reply in (None, ["not", "a", "dict"], TypeError("null complete data")):

        def call(route: str, text: str, timeout: float, reply=reply):
            if isinstance(reply, Exception):
                raise reply
            return reply

        monkeypatch.setattr(running, "_call", call)
        assert running.from_running_server(settings, running.ASK, QUESTION) is None


def test_a_record_never_sends_questions_off_this_machine(settings: Settings) -> None:
    running.announce(settings, "http://203.0.113.7:7860")
    assert running.usable_server(settings) is None


def test_an_ingest_elsewhere_retires_the_servers_record(make_assistant) -> None:
    """A server in another process may answer from vectors loaded before this ingest."""
    assistant = make_assistant(files=[DEMO_SOURCES / SEED_FACTS])
    path = running.announce(assistant.settings, "http://127.0.0.1:1234")
    path.write_text(json.dumps({**json.loads(path.read_text()), "pid": 1}))
    assistant.ingest()
    assert not path.exists()
    # Its own ingests (uploads, feeds) leave a server's record in place.
    running.announce(assistant.settings, "http://127.0.0.1:1234")
    (assistant.settings.sources_dir / "note.md").write_text("A short note about the Kareliya.\n")
    assistant.ingest()
    assert path.exists()


@pytest.mark.slow
def test_ask_uses_the_running_server_and_falls_back_when_it_stops(tmp_path: Path) -> None:
    """A real `assistant serve` and real `assistant ask` processes: the answer through the
    server equals the one answered in-process (`--local`), comes sooner, and once the server
    has stopped (its record gone) `ask` answers on its own again."""
    exe = Path(sys.executable).with_name("assistant")
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(DEMO_SOURCES / SEED_FACTS, sources / SEED_FACTS)
    env = {
        **os.environ,
        "ASSISTANT_SOURCES_DIR": str(sources),
        "ASSISTANT_INDEX_DIR": str(tmp_path / "index"),
    }
    record = tmp_path / "index" / running.RECORD

    def ask(*options: str, command: str = "ask", text: str = QUESTION) -> tuple[dict, float]:
        started = time.monotonic()
        done = subprocess.run(
            [exe, command, text, "--json", *options],
            capture_output=True,
            text=True,
            env=env,
            timeout=240,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout), time.monotonic() - started

    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [exe, "serve", "--ingest", "--port", str(port)], env=env, stdout=log, stderr=log
    )
    try:
        deadline = time.monotonic() + 120
        while not record.exists():
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "serve wrote no record within 120 s"
            time.sleep(0.2)
        assert running.read_record(record).url == f"http://127.0.0.1:{port}/"
        ask()  # on a fresh machine the first run reads the CLI's imports from disk: untimed
        served, served_s = ask()
        local, local_s = ask("--local")
        assert served == local
        assert "25 January to 26 January" in served["answer"]
        assert served_s < local_s / 2, (served_s, local_s)
        claim = "The Kareliya transited the Tsushima Strait on 12 January"
        checked, _ = ask(command="check", text=claim)
        assert checked == ask("--local", command="check", text=claim)[0]
        assert checked["verdict"] == "contradicted"
    finally:
        server.terminate()
        try:
            assert server.wait(timeout=30) == 143  # 128 + SIGTERM, through its finally blocks
        finally:
            server.kill()
            log.close()
    assert not record.exists()
    alone, _ = ask()
    assert alone == local

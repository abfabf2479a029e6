"""A running ``assistant serve`` that the CLI hands its questions to.

Loading the encoder, the judges, spaCy and Chroma costs a fresh ``assistant ask`` seconds
before its first word; a server has them loaded already. So ``serve``, once warmed up, writes
``serve.json`` into the index folder (its address, its process and a fingerprint of its
settings), and ``ask`` and ``check`` send their question or claim there when the record is
fresh: the same answer, without the loading. Anything amiss (no record, a dead process, other
settings, a login, no reply) and the CLI answers in its own process, as it always did. Nothing
here imports more than the standard library (and `assistant.processes`, which needs no more).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import math
import os
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.processes import process_alive

if TYPE_CHECKING:
    from assistant.config import Settings

RECORD = "serve.json"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# The Gradio API endpoints of ``assistant.ui`` that give the CLI's JSON contracts.
ASK = "ask_json"
CHECK = "check_json"


@dataclass(frozen=True)
class ServerRecord:
    url: str
    pid: int
    fingerprint: str
    login: bool


# Settings no answer depends on: where the server listens, what ingest reads and how it cuts
# it, and the index folder itself (the record is found in it, however its path is spelled).
NOT_ANSWERING = {"server", "sources_dir", "index_dir", "max_file_mb", "chunking", "feeds"}


def fingerprint(settings: Settings) -> str:
    """What makes two processes answer alike: every setting an answer depends on, and the
    folder relative model paths are read from."""
    data = settings.model_dump(mode="json", exclude=NOT_ANSWERING)
    data["working_directory"] = os.getcwd()
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def record_path(settings: Settings) -> Path:
    return settings.index_dir / RECORD


def announce(settings: Settings, url: str) -> Path:
    """Write this server's record (atomically: a reader never sees half of it) and remove it
    when the process ends."""
    record = ServerRecord(
        url=url.rstrip("/") + "/",
        pid=os.getpid(),
        fingerprint=fingerprint(settings),
        login=settings.server.auth is not None,
    )
    path = record_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".tmp", delete=False) as f:
        json.dump(asdict(record), f)
    os.replace(f.name, path)
    atexit.register(withdraw, settings)
    return path


def withdraw(settings: Settings) -> None:
    """Remove the record if it is still this process's (a newer server may have replaced it)."""
    _remove_record(settings, mine=True)


def retire_others(settings: Settings) -> None:
    """After this process changed the index, a server in another process may answer from the
    vectors it loaded before: its record goes, and questions are answered in their own process
    until it is started again."""
    _remove_record(settings, mine=False)


def _remove_record(settings: Settings, *, mine: bool) -> None:
    found = read_record(record_path(settings))
    if found is not None and (found.pid == os.getpid()) == mine:
        record_path(settings).unlink(missing_ok=True)


def read_record(path: Path) -> ServerRecord | None:
    try:
        return ServerRecord(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def usable_server(settings: Settings) -> ServerRecord | None:
    """The server to hand questions to, or None: its record must be there, its process alive,
    its settings those of this process, and no login in the way."""
    record = read_record(record_path(settings))
    if record is None or record.login or record.fingerprint != fingerprint(settings):
        return None
    if urllib.parse.urlsplit(record.url).hostname not in LOOPBACK:
        return None  # questions never leave this machine on a record's word
    return record if process_alive(record.pid) else None


def from_running_server(
    settings: Settings, endpoint: str, text: str, timeout: float = 120.0
) -> dict | None:
    """What the running server's ``endpoint`` (ASK or CHECK) returns for ``text`` (the CLI's
    JSON contract, or ``{"error": ...}``), or None when there is no server to ask or it did
    not answer within ``timeout`` seconds in all."""
    record = usable_server(settings)
    if record is None:
        return None
    try:
        found = _call(f"{record.url}gradio_api/call/{endpoint}", text, timeout)
    except Exception:  # whatever went wrong there, the CLI answers on its own
        return None
    return found if isinstance(found, dict) else None


# Straight to 127.0.0.1: a proxy in the environment must not see the questions.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _call(route: str, text: str, timeout: float) -> Any:
    """Gradio's two-step API: POST the input, then read the event stream until it completes."""
    deadline = time.monotonic() + timeout
    body = json.dumps({"data": [text]}).encode()
    request = urllib.request.Request(route, data=body, headers={"Content-Type": "application/json"})
    with _OPENER.open(request, timeout=10) as response:
        event_id = json.loads(response.read())["event_id"]
    with _OPENER.open(f"{route}/{event_id}", timeout=timeout) as stream:
        return _completed((line.decode("utf-8") for line in stream), deadline)


def _completed(lines: Iterable[str], deadline: float = math.inf) -> Any:
    """The payload of the ``complete`` event; None on an error event, at the end of the
    stream, or past ``deadline`` (heartbeats keep a stream alive however long it waits)."""
    event = ""
    for line in lines:
        if time.monotonic() > deadline:
            return None
        line = line.rstrip("\r\n")
        if line.startswith("event:"):
            event = line.partition(":")[2].strip()
        elif line.startswith("data:") and event == "complete":
            (payload,) = json.loads(line.partition(":")[2])
            return json.loads(payload)
        elif event == "error":
            return None
    return None

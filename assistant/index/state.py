"""The ``<name>-state`` collection: the version of the set of articles, and the crash marks.

Every write first leaves a mark naming its articles; a crash leaves the mark behind, and the
next sync deletes the chunks it names that never got their article record, without reading the
rest of the collection. A mark names its writer (machine, process), so a sync can tell a dead
writer from one still at work.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.processes import process_alive

# The record whose version changes with every change to the set of articles.
STATE_ID = "articles"
# Present once every write leaves a crash mark; an index without it is scanned in full once.
MARKED_ID = "writes-marked"
# A crash mark of a process on another machine (or one we cannot check) counts as abandoned
# only after this long: before, it may be a write still going on.
ABANDONED_AFTER_SECONDS = 600.0


@dataclass(frozen=True)
class CrashMark:
    """A write that started and has not finished (yet, or ever)."""

    mark_id: str
    article_ids: list[str]
    # Its writer is gone: the chunks it names without a record are orphans.
    abandoned: bool


class IndexState:
    """Version token and crash marks, over one Chroma collection (``collection``)."""

    def __init__(self, collection: Any) -> None:
        self.collection = collection
        # Who writes this process's marks: this machine and process, plus a nonce for two
        # stores opened in one process.
        self.writer = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    # -- the version -------------------------------------------------------------------------

    def version(self) -> str:
        """The current version of the set of articles (created on first use)."""
        got = self.collection.get(ids=[STATE_ID], include=["metadatas"])
        if got["ids"]:
            return str(got["metadatas"][0]["version"])
        return self.bump_version()

    def bump_version(self) -> str:
        """Tell every reader, in this process or another, that the articles changed."""
        version = uuid.uuid4().hex
        self._put(STATE_ID, "", {"version": version})
        return version

    # -- crash marks -------------------------------------------------------------------------

    @contextlib.contextmanager
    def marked(
        self, article_ids: list[str], clean_up: Callable[[list[str]], None]
    ) -> Iterator[None]:
        """Name the articles whose chunks are about to change, until they are consistent again.

        If the block fails (Ctrl-C included), ``clean_up`` removes the orphans at once where
        Chroma still answers; if the process dies, the mark stays for the next sync."""
        mark = f"write-{uuid.uuid4().hex}"
        self._put(
            mark,
            json.dumps(article_ids),
            {"kind": "write", "writer": self.writer, "started": time.time()},
        )
        try:
            yield
        except BaseException:
            with contextlib.suppress(Exception):
                clean_up(article_ids)
                self.settle([mark])
            raise
        self.settle([mark])

    def marks(self) -> list[CrashMark]:
        got = self.collection.get(where={"kind": "write"}, include=["documents", "metadatas"])
        rows = zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        return [CrashMark(mark, json.loads(ids), self._abandoned(meta)) for mark, ids, meta in rows]

    def settle(self, mark_ids: Sequence[str]) -> None:
        if mark_ids:
            self.collection.delete(ids=list(mark_ids))

    def relies_on_marks(self) -> bool:
        """Whether every write to this index has left a mark (see ``MARKED_ID``)."""
        return bool(self.collection.get(ids=[MARKED_ID], include=[])["ids"])

    def rely_on_marks(self) -> None:
        self._put(MARKED_ID, "", {"kind": "flag"})

    def _abandoned(self, mark: Mapping[str, Any]) -> bool:
        writer = str(mark.get("writer", ""))
        if writer == self.writer:
            return True  # this process syncs one at a time: its own marks are not live
        host, _, pid = writer.partition(":")
        pid = pid.partition(":")[0]
        if host == socket.gethostname() and pid.isdigit():
            return not process_alive(int(pid))
        return time.time() - float(mark.get("started", 0.0)) > ABANDONED_AFTER_SECONDS

    def _put(self, record_id: str, document: str, metadata: dict[str, Any]) -> None:
        # Chroma wants a vector with every record; these are never searched.
        self.collection.upsert(
            ids=[record_id], embeddings=[[1.0]], documents=[document], metadatas=[metadata]
        )

"""Throwaway indexes: a corpus indexed in a temporary folder for one eval run, then deleted.

Eval sets name a folder of articles; benchmarks build one small corpus per question. Both go
through the real ingest path, and never touch the user's own index.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.embeddings import SentenceEmbeddings
from assistant.errors import AssistantError
from assistant.service import Assistant


@contextmanager
def scratch_index(
    folder: Path, embeddings: SentenceEmbeddings, settings: Settings | None = None
) -> Iterator[Assistant]:
    """An assistant over the articles in ``folder``, indexed in a temporary folder. Articles
    that fail to load make the whole corpus fail: an eval over part of its corpus would lie."""
    with tempfile.TemporaryDirectory(prefix="assistant-eval-") as scratch:
        config = (settings or Settings()).model_copy(
            update={"sources_dir": folder, "index_dir": Path(scratch) / "index"}
        )
        assistant = Assistant(config, embeddings=embeddings)
        report = assistant.ingest()
        if report.failed:
            raise AssistantError(f"Could not index the eval corpus: {report.failed[0].reason}")
        yield assistant


@contextmanager
def scratch_assistant(
    records: list[dict[str, Any]],
    embeddings: SentenceEmbeddings,
    settings: Settings | None = None,
) -> Iterator[Assistant]:
    """An assistant over ``records`` (article objects, as in a ``.jsonl`` source)."""
    with tempfile.TemporaryDirectory(prefix="assistant-corpus-") as folder:
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        (Path(folder) / "corpus.jsonl").write_text(lines, encoding="utf-8")
        with scratch_index(Path(folder), embeddings, settings) as assistant:
            yield assistant

"""The list of indexed articles, saved beside the index for the next process.

Every question reads the outlets' names from this list, and reading it from Chroma means one
scan of every article record: 0.2 s at 10k chunks for each new process (``assistant ask``).
The saved copy is labelled with the state version it was read under and is only used while
that version is current; every write bumps the version, so a stale copy is never read.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import tempfile
from pathlib import Path

from assistant.types import IndexedArticle

FORMAT = 1


class SavedListing:
    """One JSON file: ``{"format", "version", "articles": [...]}``."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self, version: str) -> list[IndexedArticle] | None:
        """The saved list if it was read under ``version``; None when absent, stale or
        unreadable (the caller reads Chroma instead)."""
        try:
            saved = json.loads(self.path.read_text(encoding="utf-8"))
            if saved.get("format") != FORMAT or saved.get("version") != version:
                return None
            return [IndexedArticle(**row) for row in saved["articles"]]
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None

    def save(self, version: str, articles: list[IndexedArticle]) -> None:
        """Write the list (atomically: a reader never meets half of it). Best effort: a
        read-only index folder only costs the next process its own scan."""
        rows = [dataclasses.asdict(article) for article in articles]
        text = json.dumps({"format": FORMAT, "version": version, "articles": rows})
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            descriptor, partial = tempfile.mkstemp(dir=self.path.parent, suffix=".part")
            try:
                with os.fdopen(descriptor, "w", encoding="utf-8") as out:
                    out.write(text)
                os.chmod(partial, 0o644)  # readable as the index beside it is
                os.replace(partial, self.path)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(partial)

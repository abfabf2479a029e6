"""Articles added through the chat: checked before they land in the sources folder.

An upload is untrusted in every way: its name may hold ``..`` or a path, its bytes may be a
binary renamed ``.md`` or far too large. It is parsed in a temporary folder first; only a file
that loads as at least one article is moved (atomically) into the sources folder, under a safe
name that cannot leave it, and then ingested on its own.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from assistant.errors import InputError, SourceError
from assistant.sources import SUPPORTED_SUFFIXES, load_file

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME = 100


def safe_filename(name: str) -> str:
    """A file name with no folder part, no leading dot and only plain characters:
    "../../etc/passwd.md" → "passwd.md", "Éclair report (1).md" → "Eclair-report-1-.md"."""
    base = Path(name.replace("\\", "/")).name
    ascii_name = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem, suffix = os.path.splitext(ascii_name)
    stem = _UNSAFE.sub("-", stem).strip(".-") or "article"
    return f"{stem[: MAX_NAME - len(suffix)]}{suffix.lower()}"


def check_upload(name: str, data: bytes, max_bytes: int) -> str:
    """The safe name for an upload, or an ``InputError`` saying what is wrong with it."""
    safe = safe_filename(name)
    suffix = Path(safe).suffix
    if suffix not in SUPPORTED_SUFFIXES:
        allowed = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise InputError(f"{name}: only {allowed} files can be added.")
    if len(data) > max_bytes:
        raise InputError(
            f"{name}: {len(data) / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB upload limit."
        )
    with tempfile.TemporaryDirectory(prefix="assistant-upload-") as folder:
        trial = Path(folder) / safe
        trial.write_bytes(data)
        try:
            loaded = load_file(trial, safe)
        except SourceError as exc:
            raise InputError(str(exc)) from None
    if not loaded.articles:
        reason = loaded.failures[0].reason if loaded.failures else f"{safe}: no article in it."
        raise InputError(reason)
    return safe


def place(sources: Path, safe: str, data: bytes) -> Path:
    """Write ``data`` into ``sources`` as ``safe`` (or ``safe`` with -2, -3… if another file
    has that name), atomically, and return the path."""
    sources.mkdir(parents=True, exist_ok=True)
    stem, suffix = os.path.splitext(safe)
    target = sources / safe
    number = 2
    while target.exists() and target.read_bytes() != data:
        target = sources / f"{stem}-{number}{suffix}"
        number += 1
    if target.resolve().parent != sources.resolve():
        raise InputError(f"{safe}: refusing a name that leaves the sources folder.")
    temporary = target.with_name(f".{target.name}.part")
    temporary.write_bytes(data)
    os.replace(temporary, target)
    return target

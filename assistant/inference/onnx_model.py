"""An exported transformer run by ONNX Runtime, tokenised by Hugging Face ``tokenizers``.

Neither needs PyTorch: answering a question imports ONNX Runtime and the tokenizer (~0.3 s)
instead of sentence-transformers and torch (~10 s on 2 cores). Texts are tokenised in one
call, then batched in order of length and padded per batch, as sentence-transformers does, so
short sentences never pay for a long neighbour's padding.

Int8 exports are the exception: their activations are quantized on the fly with one scale per
run, taken from every row of the batch, so a text read beside other texts came out different
(cosine 0.98 to itself read alone) and a score depended on its neighbours. They run one row
per run, which keeps every vector and score a function of its own text. A run of one row is
too small to share between cores, so each run gets one thread and the rows run side by side,
one per core: on 2 cores 259 chunks/s against 201 for one two-thread run at a time
(``benchmarks/onnx_backends.py``). The batch size asked for applies to fp32 only.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import ModelNotFoundError
from assistant.inference import export
from assistant.inference.cpu import available_cores
from assistant.inference.export import Kind, Precision

_lock = threading.Lock()


class OnnxModel:
    def __init__(self, folder: Path) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.folder = folder
        self.runtime = json.loads((folder / export.RUNTIME_FILE).read_text(encoding="utf-8"))
        self.config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        # One activation scale per run: rows of an int8 model must not share a run. Such runs
        # are single-threaded and side by side, one per core (see the module's docstring).
        self.rows_per_run = 1 if self.runtime.get("precision") == "int8" else None
        options = ort.SessionOptions()
        options.log_severity_level = 3  # warnings about unused initialisers are noise here
        if self.rows_per_run:
            options.intra_op_num_threads = 1
        self.session = _session(folder, options)
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(int(self.runtime["max_length"]), strategy="longest_first")
        self.pad_id = int(self.runtime.get("pad_id") or 0)
        self._side_by_side = _side_by_side() if self.rows_per_run else None

    @property
    def id2label(self) -> dict[int, str]:
        return {int(k): v for k, v in (self.config.get("id2label") or {}).items()}

    @property
    def dimension(self) -> int:
        return int(self.config.get("hidden_size") or 0)

    def embed(self, texts: Sequence[str], batch_size: int) -> np.ndarray:
        """Pooled (and, if the model says so, normalised) vectors, one row per text."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(list(texts))
        pooling = self.runtime.get("pooling", "mean")
        for rows, inputs, (hidden,) in self._runs(encodings, batch_size):
            out[rows] = _pool(hidden, inputs["attention_mask"], pooling)
        if self.runtime.get("normalize", True):
            out /= np.clip(np.linalg.norm(out, axis=1, keepdims=True), 1e-12, None)
        return out

    def logits(self, pairs: Sequence[tuple[str, str]], batch_size: int) -> np.ndarray:
        """The classification head's logits, one row per (first, second) pair."""
        labels = max(len(self.id2label), 1)
        out = np.zeros((len(pairs), labels), dtype=np.float32)
        encodings = self.tokenizer.encode_batch([(a, b) for a, b in pairs])
        for rows, _, (logits,) in self._runs(encodings, batch_size):
            out[rows] = logits.reshape(len(rows), labels)
        return out

    def _runs(
        self, encodings: list, batch_size: int
    ) -> Iterator[tuple[np.ndarray, dict, list[np.ndarray]]]:
        """Each batch with the model's outputs for it: in turn, or side by side for int8."""
        batches = list(self._batches(encodings, batch_size))
        if self._side_by_side is None or len(batches) < 2:
            outputs = (self.session.run(None, inputs) for _, inputs in batches)
        else:
            outputs = self._side_by_side.map(lambda b: self.session.run(None, b[1]), batches)
        for (rows, inputs), output in zip(batches, outputs, strict=True):
            yield rows, inputs, output

    def _batches(self, encodings: list, batch_size: int) -> Iterator[tuple[np.ndarray, dict]]:
        order = np.argsort([-len(e.ids) for e in encodings], kind="stable")
        names = self.runtime["inputs"]
        batch_size = self.rows_per_run or batch_size
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            width = max(len(encodings[i].ids) for i in rows)
            arrays = {
                "input_ids": np.full((len(rows), width), self.pad_id, dtype=np.int64),
                "attention_mask": np.zeros((len(rows), width), dtype=np.int64),
                "token_type_ids": np.zeros((len(rows), width), dtype=np.int64),
            }
            for line, index in enumerate(rows):
                encoding = encodings[index]
                length = len(encoding.ids)
                arrays["input_ids"][line, :length] = encoding.ids
                arrays["attention_mask"][line, :length] = 1
                arrays["token_type_ids"][line, :length] = encoding.type_ids
            yield rows, {name: arrays[name] for name in names}


def _session(folder: Path, options: Any) -> Any:
    """The export's session, from the graph ONNX Runtime optimised for this machine the first
    time (saved beside the export, per ONNX Runtime version and processor): optimising it
    again at every start took 0.03-0.2 s per model, a tenth of a command's answer. A saved
    graph that does not load is removed, and one that cannot be saved (a read-only or full
    cache) is not: either way the export itself still runs."""
    import onnxruntime as ort

    providers = ["CPUExecutionProvider"]
    source = str(folder / export.MODEL_FILE)
    optimised = folder / f"model.optimised-ort{ort.__version__}-{_processor()}.onnx"
    if optimised.is_file():
        level = options.graph_optimization_level
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        try:
            return ort.InferenceSession(str(optimised), options, providers=providers)
        except Exception:
            options.graph_optimization_level = level
            with contextlib.suppress(OSError):
                optimised.unlink()
    partial = folder / f".{optimised.name}.{os.getpid()}.part"
    options.optimized_model_filepath = str(partial)
    try:
        session = ort.InferenceSession(source, options, providers=providers)
    except Exception:
        # Saving the graph failed (or the export is damaged, which fails again here).
        options.optimized_model_filepath = ""
        return ort.InferenceSession(source, options, providers=providers)
    with contextlib.suppress(OSError):
        os.replace(partial, optimised)
    with contextlib.suppress(OSError):
        partial.unlink()
    return session


@lru_cache(maxsize=1)
def _processor() -> str:
    """A short name for this processor's instruction sets: an optimised graph may use them."""
    import hashlib
    import platform

    flags = ""
    with contextlib.suppress(OSError):
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        flags = next((line for line in info.splitlines() if line.startswith("flags")), "")
    key = f"{platform.machine()} {' '.join(sorted(flags.split()))}"
    return hashlib.sha256(key.encode()).hexdigest()[:8]


@lru_cache(maxsize=1)
def _side_by_side() -> ThreadPoolExecutor:
    """One pool for every int8 model and request: a worker per core, however many use it."""
    return ThreadPoolExecutor(available_cores(), thread_name_prefix="onnx-run")


def _pool(hidden: np.ndarray, mask: np.ndarray, pooling: str) -> np.ndarray:
    if pooling == "cls":
        return hidden[:, 0]
    weights = mask[..., None].astype(np.float32)
    return (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)


def open_model(
    source: Path, kind: Kind, cache_dir: Path, precision: Precision = "fp32", **runtime: object
) -> OnnxModel:
    """The ONNX form of ``source``, exported on first use and loaded once per process."""
    with _lock:
        return _open(source, kind, cache_dir, precision, tuple(sorted(runtime.items())))


@lru_cache(maxsize=8)
def _open(
    source: Path, kind: Kind, cache_dir: Path, precision: Precision, runtime: tuple
) -> OnnxModel:
    folder = export.exported(source, kind, cache_dir, precision, **dict(runtime))
    try:
        return OnnxModel(folder)
    except ImportError:
        raise  # ONNX Runtime itself is missing: the export is not to blame
    except Exception:
        # A damaged cache file (a truncated model, a broken runtime.json): export it again,
        # once.
        export.discard(folder)
        folder = export.exported(source, kind, cache_dir, precision, **dict(runtime))
        try:
            return OnnxModel(folder)
        except Exception as exc:
            raise ModelNotFoundError(
                f"ONNX Runtime cannot run the export of {source} ({exc}); set the backend to torch."
            ) from exc

"""Export a transformer folder to ONNX once, into the cache, for ONNX Runtime to run.

Export needs PyTorch and the ``onnx`` package; running the result needs neither, which is what
makes a cold start fast (importing sentence-transformers and torch costs ~10 s on 2 cores,
ONNX Runtime and ``tokenizers`` ~0.3 s). The exported folder is named after the source
folder's file sizes and modification times and the precision, written under a temporary name
and renamed: a crash mid-export never leaves a folder that looks complete, and changed
weights are exported again. Besides ``model.onnx`` it holds what running needs: the
tokenizer, the model's ``config.json`` (labels) and ``runtime.json`` (inputs, length, pooling).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import warnings
from pathlib import Path
from typing import Literal

from assistant.errors import ModelNotFoundError
from assistant.inference import import_torch
from assistant.integrity import stamp

log = logging.getLogger(__name__)

Kind = Literal["encoder", "classifier"]
Precision = Literal["fp32", "int8"]
MODEL_FILE = "model.onnx"
RUNTIME_FILE = "runtime.json"
# Raised when the layout of exported folders changes, so stale exports are not reused.
EXPORT_VERSION = 1
OPSET = 17
_lock = threading.Lock()


def exported(
    source: Path, kind: Kind, cache_dir: Path, precision: Precision = "fp32", **runtime: object
) -> Path:
    """The ONNX export of the model in ``source``, made on first use and cached.

    ``kind`` "encoder" outputs the last hidden state (pooled by the caller), "classifier" the
    logits of a sequence-classification head. ``runtime`` (max_length, pooling, ...) is written
    into ``runtime.json`` for the runner."""
    target = _target(source, kind, cache_dir, precision, runtime)
    if (target / RUNTIME_FILE).is_file():
        return target
    with _lock:
        if (target / RUNTIME_FILE).is_file():
            return target
        log.info("Exporting %s to ONNX (%s), once: %s", source, precision, target)
        target.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
        try:
            _export(source, kind, precision, scratch, runtime)
            if target.exists() and not (target / RUNTIME_FILE).is_file():
                discard(target)  # left by an interrupted discard: never complete
            scratch.rename(target)
        except ModelNotFoundError:
            raise
        except OSError as exc:
            # Another process exported the same model first: theirs is the same file.
            if not (target / RUNTIME_FILE).is_file():
                raise ModelNotFoundError(
                    f"Cannot write the ONNX export of {source} to {target} ({exc}); check the "
                    "cache folder, or set the backend to torch."
                ) from exc
        except Exception as exc:
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0].rstrip(".")
            raise ModelNotFoundError(
                f"Cannot export {source} to ONNX ({reason}); set the backend to torch."
            ) from exc
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return target


def discard(folder: Path) -> None:
    """Drop an export that ONNX Runtime could not load, so the next call makes it again.
    Renamed away first: an interrupted removal leaves no half folder under the real name."""
    doomed = folder.with_name(f".discarded-{folder.name}-{os.getpid()}")
    try:
        folder.rename(doomed)
    except OSError:
        doomed = folder
    shutil.rmtree(doomed, ignore_errors=True)


def _target(source: Path, kind: Kind, cache_dir: Path, precision: Precision, runtime: dict) -> Path:
    key = json.dumps(
        [EXPORT_VERSION, str(source.resolve()), stamp(source), kind, precision, runtime],
        sort_keys=True,
        default=str,
    )
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    name = source.parent.name if source.name == "model" else source.name
    return cache_dir / "onnx" / f"{name}-{kind}-{precision}-{digest}"


def _export(source: Path, kind: Kind, precision: Precision, out: Path, runtime: dict) -> None:
    try:
        torch = import_torch()
        from transformers import AutoModel, AutoModelForSequenceClassification, AutoTokenizer
    except ImportError as exc:  # pragma: no cover - torch is a dependency
        raise ModelNotFoundError(
            f"Exporting {source} to ONNX needs PyTorch and transformers ({exc}); run "
            "`make install`, or set the backend to torch."
        ) from exc
    loader = AutoModel if kind == "encoder" else AutoModelForSequenceClassification
    model = loader.from_pretrained(source, local_files_only=True).eval()
    tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=True)
    if not getattr(tokenizer, "is_fast", False):
        raise ModelNotFoundError(
            f"The tokenizer of {source} has no fast (tokenizer.json) form, which the ONNX "
            "backend needs; set the backend to torch."
        )
    inputs = [n for n in tokenizer.model_input_names if n in _ACCEPTED]
    sample = tokenizer(
        ["an example", "a second, longer example"], padding=True, return_tensors="pt"
    )
    output = "last_hidden_state" if kind == "encoder" else "logits"
    axes = {name: {0: "batch", 1: "tokens"} for name in inputs}
    axes[output] = {0: "batch", 1: "tokens"} if kind == "encoder" else {0: "batch"}
    # The tracer's warnings (shape-dependent branches in the attention code) are about
    # shapes the dynamic axes cover; they would only land in the middle of CLI output.
    with torch.inference_mode(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _named_outputs(model, inputs, output),
            tuple(sample[name] for name in inputs),
            str(out / "full.onnx"),
            input_names=inputs,
            output_names=[output],
            dynamic_axes=axes,
            opset_version=OPSET,
            # The TorchScript exporter handles dynamic batch and length for BERT-like models
            # without onnxscript; the dynamo exporter would add a dependency for no gain here.
            dynamo=False,
        )
    _finish(out, precision)
    tokenizer.backend_tokenizer.save(str(out / "tokenizer.json"))
    model.config.to_json_file(str(out / "config.json"))
    longest = min(tokenizer.model_max_length, model.config.max_position_embeddings)
    meta = {
        "kind": kind,
        "inputs": inputs,
        "output": output,
        "precision": precision,
        "pad_id": tokenizer.pad_token_id or 0,
        **runtime,
        "max_length": runtime.get("max_length") or longest,
    }
    (out / RUNTIME_FILE).write_text(json.dumps(meta, indent=2, default=str), encoding="utf-8")


# Inputs a BERT-like model takes from its tokenizer; others (e.g. RoBERTa without token types)
# name fewer.
_ACCEPTED = ("input_ids", "attention_mask", "token_type_ids")


def _finish(out: Path, precision: Precision) -> None:
    full = out / "full.onnx"
    if precision == "int8":
        from onnxruntime.quantization import QuantType, quantize_dynamic

        # Per-channel int8 weights, activations quantized on the fly: measured in
        # benchmarks/onnx_backends.py (cosine to the fp32 vectors and speed on this CPU).
        root = logging.getLogger()
        root.addFilter(_no_preprocessing_hint)
        try:
            quantize_dynamic(
                str(full), str(out / MODEL_FILE), weight_type=QuantType.QInt8, per_channel=True
            )
        finally:
            root.removeFilter(_no_preprocessing_hint)
        full.unlink()
    else:
        full.rename(out / MODEL_FILE)


def _no_preprocessing_hint(record: logging.LogRecord) -> bool:
    """The quantizer advises a pre-processing step (shape inference, for static quantization)
    on the root logger at every export; dynamic quantization does not need it."""
    return not str(record.msg).startswith("Please consider to run pre-processing")


def _named_outputs(model, inputs: list[str], output: str):  # type: ignore[no-untyped-def]
    """The model as a module of positional inputs and one output: the exporter passes
    tensors by position, transformers 5 models take them by name and return a dict-like
    output."""
    import torch

    class NamedOutputs(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *tensors):  # type: ignore[no-untyped-def]
            return getattr(self.model(**dict(zip(inputs, tensors, strict=True))), output)

    return NamedOutputs()

"""Running the transformer models (the sentence encoder and the judges) on ONNX Runtime:
exported once from their PyTorch weights into the cache, then run without importing torch.

Torch is also what made spaCy slow to import: thinc imports it when it is installed (~2 s on
2 cores), for GPU wrappers the English pipeline never uses. ``torch_hidden`` imports spaCy
with torch out of sight; ``import_torch`` is how every other path loads torch, under the same
lock, so no thread ever finds torch hidden when it needs it.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

_torch_lock = threading.RLock()


@contextmanager
def torch_hidden() -> Iterator[None]:
    """Within the block, ``import torch`` fails (unless torch is loaded already)."""
    with _torch_lock:
        if "torch" in sys.modules:
            yield
            return
        sys.modules["torch"] = None  # type: ignore[assignment]
        try:
            yield
        finally:
            if "torch" in sys.modules and sys.modules["torch"] is None:
                del sys.modules["torch"]


def import_torch() -> ModuleType:
    """Torch, imported now (before a library that imports it, e.g. sentence-transformers)."""
    with _torch_lock:
        import torch

        return torch

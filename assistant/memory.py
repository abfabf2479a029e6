"""Fewer malloc arenas: less memory a long-running process keeps.

glibc gives threads that allocate at the same time arenas of their own (up to eight per core),
and memory freed in one arena serves no other. Chroma's Rust workers, ONNX Runtime's runs and
the server's threads each filled their own: ``assistant serve`` on 100k chunks peaked at
970-980 MB, and at 874-891 MB with two arenas (same index and questions, two runs each;
answers as fast). Ingest, whose encoder threads allocate at once, ran a tenth slower with two
(187 against 210 chunks/s at 10k), so only ``serve`` sets it. The limit holds for arenas made
after it is set, so it is set before any thread starts.
"""

from __future__ import annotations

import ctypes
import os
import sys

M_ARENA_MAX = -8  # mallopt's parameter number in glibc's malloc.h
ARENAS = 2


def limit_malloc_arenas(arenas: int = ARENAS) -> bool:
    """Whether the limit was set: on Linux with glibc, and unless ``MALLOC_ARENA_MAX`` in the
    environment already set one (glibc read it at start)."""
    if not sys.platform.startswith("linux") or "MALLOC_ARENA_MAX" in os.environ:
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library this process already runs on
    except (OSError, AttributeError):  # another C library (musl has no mallopt)
        return False
    return bool(mallopt(M_ARENA_MAX, arenas))

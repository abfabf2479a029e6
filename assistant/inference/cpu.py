"""Which int8 instructions this CPU has: they decide whether int8 weights pay off.

ONNX Runtime's int8 matrix products use VNNI (AVX-512 or AVX) and AMX where the CPU has them.
Without them int8 ran at fp32's speed on an AVX2 machine (1.01-1.06×) while moving the
vectors; with them (VNNI and AMX) the encoder ran at 2.9× PyTorch
(``benchmarks/onnx_backends.py``). Only Linux's
``/proc/cpuinfo`` is read: elsewhere nothing is found and ``precision=auto`` keeps fp32.
"""

from __future__ import annotations

import math
import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

INT8_FLAGS = frozenset({"avx512_vnni", "avx_vnni", "amx_int8"})
CPUINFO = Path("/proc/cpuinfo")


@lru_cache(maxsize=1)
def int8_instructions(cpuinfo: Path = CPUINFO) -> frozenset[str]:
    """The int8 instruction flags of the first CPU listed (all cores of a machine match)."""
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "flags":
            return INT8_FLAGS & set(value.split())
    return frozenset()


def chosen_precision(
    requested: str, flags: frozenset[str] | None = None
) -> Literal["fp32", "int8"]:
    """``auto``: int8 where the CPU has int8 instructions (``flags``, default this CPU's),
    fp32 elsewhere; otherwise as asked."""
    if requested == "auto":
        found = int8_instructions() if flags is None else flags
        return "int8" if found else "fp32"
    return "int8" if requested == "int8" else "fp32"


def available_cores(cpu_max: Path = Path("/sys/fs/cgroup/cpu.max")) -> int:
    """The cores this process may use: its CPU set, capped by a container's CPU quota
    (cgroup v2 ``cpu.max``, e.g. ``docker --cpus=2`` on a larger host)."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        available = os.cpu_count() or 1
    try:
        quota, period = cpu_max.read_text(encoding="utf-8").split()[:2]
        if quota != "max":
            available = min(available, math.ceil(int(quota) / int(period)))
    except (OSError, ValueError):
        pass  # no cgroup v2 quota to read
    return max(1, available)

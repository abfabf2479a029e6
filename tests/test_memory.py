"""The malloc arena limit ``assistant serve`` sets before its threads start."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from assistant.memory import limit_malloc_arenas


def test_the_environment_keeps_its_own_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert limit_malloc_arenas() is False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt is Linux's")
def test_the_limit_is_set_on_glibc() -> None:
    """In a fresh interpreter (this one's threads have their arenas already)."""
    code = "from assistant.memory import limit_malloc_arenas; print(limit_malloc_arenas())"
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    libc = subprocess.run(["ldd", "--version"], capture_output=True, text=True, check=False)
    glibc = "glibc" in (libc.stdout + libc.stderr).lower() or "gnu" in libc.stdout.lower()
    assert done.stdout.strip() == str(glibc)

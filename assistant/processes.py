"""Whether a process still runs: the crash marks of an interrupted ingest and the record of a
running server both name one, and are stale once it has gone."""

from __future__ import annotations

import os


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process, alive
    return True

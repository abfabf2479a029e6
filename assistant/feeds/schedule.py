"""Fetching on a schedule while the chat is served (``serve --fetch-every 30m``, off by
default): a daemon thread runs one fetch soon after start, then one per interval. Runs never
overlap, with each other or with a "Fetch now" or a CLI ``fetch`` (the fetcher's lock)."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from assistant.errors import AssistantError, InputError
from assistant.feeds.fetch import FetchReport

_PART = re.compile(r"(\d+)\s*([smhd])")
_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MIN_INTERVAL_S = 60  # a feed polled more often than once a minute gains nothing and annoys

log = logging.getLogger(__name__)


def parse_interval(text: str) -> float:
    """ "30m" → 1800, "1h30m" → 5400, "90s" → 90; under a minute or unreadable: InputError."""
    compact = text.strip().lower().replace(" ", "")
    parts = _PART.findall(compact)
    if not parts or "".join(n + u for n, u in parts) != compact:
        raise InputError(f"{text!r} is not an interval; write it as 30m, 2h, 1h30m or 90s.")
    seconds = float(sum(int(number) * _UNIT_S[unit] for number, unit in parts))
    if seconds < MIN_INTERVAL_S:
        raise InputError(f"{text}: fetch at most once a minute (60s or more).")
    return seconds


@dataclass(frozen=True)
class ScheduleStatus:
    interval_s: float
    running: bool
    next_at: float | None  # wall-clock seconds
    last_error: str | None


class FetchSchedule:
    def __init__(
        self, fetch: Callable[[], FetchReport], interval_s: float, *, first_after_s: float = 5.0
    ) -> None:
        self._fetch = fetch
        self.interval_s = interval_s
        self._first_after_s = first_after_s
        self._stop = threading.Event()
        self._running = threading.Event()
        self._next_at: float | None = None
        self._last_error: str | None = None
        self._thread = threading.Thread(target=self._loop, name="fetch-schedule", daemon=True)

    def start(self) -> FetchSchedule:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def status(self) -> ScheduleStatus:
        return ScheduleStatus(
            self.interval_s, self._running.is_set(), self._next_at, self._last_error
        )

    def _loop(self) -> None:
        wait = self._first_after_s
        while True:
            self._next_at = time.time() + wait
            if self._stop.wait(wait):
                return
            self._run_once()
            wait = self.interval_s

    def _run_once(self) -> None:
        self._running.set()
        try:
            report = self._fetch()
            self._last_error = None
            log.info("Scheduled fetch: %s", "; ".join(report.lines()))
        except AssistantError as exc:  # e.g. no feed followed, or a fetch already running
            self._last_error = str(exc)
        except Exception as exc:  # the schedule must outlive one bad run
            log.exception("Scheduled fetch failed")
            self._last_error = f"the scheduled fetch failed ({type(exc).__name__}: {exc})."
        finally:
            self._running.clear()

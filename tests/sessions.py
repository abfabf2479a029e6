"""Concurrent chat sessions against a launched app: the load test and its benchmark share this.

Each session is its own ``gradio_client.Client`` (its own browser session and queue slot)
asking a fixed list of questions in a bounded loop; every answer is checked for its expected
fact, and latencies are kept for percentiles.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field

import numpy as np

QUESTIONS = [
    ("When did the Kareliya transit the Tsushima Strait?", "25 January"),
    ("Which Chinese ship was detected near Japan?", "Beijixing"),
    ("How many F-35A fighters are being deployed at Misawa Air Base?", "48"),
    ("Where did the Il-20 take off from?", "mainland Russia"),
]


@dataclass
class LoadResult:
    sessions: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        values = self.latencies or [0.0]
        return {
            "sessions": self.sessions,
            "answers": len(self.latencies),
            "errors": len(self.errors),
            "wrong": len(self.wrong),
            "seconds": round(self.seconds, 2),
            "answers_per_second": round(len(self.latencies) / self.seconds, 2),
            "latency_p50_s": round(float(np.percentile(values, 50)), 3),
            "latency_p95_s": round(float(np.percentile(values, 95)), 3),
            "latency_max_s": round(float(max(values)), 3),
        }


def run_sessions(url: str, sessions: int, duration_s: float, max_rounds: int = 1000) -> LoadResult:
    """``sessions`` concurrent clients, each looping over ``QUESTIONS`` until ``duration_s``
    has passed (checked between questions) or ``max_rounds`` questions are asked."""
    from gradio_client import Client

    result = LoadResult(sessions=sessions, seconds=0.0)
    lock = threading.Lock()
    deadline = time.monotonic() + duration_s

    def session(index: int) -> None:
        try:
            client = Client(url, verbose=False)
        except Exception as exc:  # a refused session is an error to report, not a crash
            with lock:
                result.errors.append(f"session {index}: {exc}")
            return
        for round_ in range(max_rounds):
            if time.monotonic() >= deadline:
                return
            question, expected = QUESTIONS[(index + round_) % len(QUESTIONS)]
            started = time.perf_counter()
            try:
                data = json.loads(client.predict(question, api_name="/ask_json"))
            except Exception as exc:
                with lock:
                    result.errors.append(f"session {index}: {exc}")
                continue
            elapsed = time.perf_counter() - started
            with lock:
                result.latencies.append(elapsed)
                if expected not in data.get("answer", ""):
                    result.wrong.append(f"{question} -> {data.get('answer') or data}")

    started = time.perf_counter()
    threads = [threading.Thread(target=session, args=(i,)) for i in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration_s + 120)
    result.seconds = time.perf_counter() - started
    return result

"""20 chat sessions for 60 seconds against the launched app on 127.0.0.1 (run by hand).

    .venv/bin/python benchmarks/concurrency.py [--sessions 20] [--seconds 60]

Writes benchmarks/results/concurrency.json: answers, errors, wrong answers, p50/p95 latency,
and, as the baseline in the same process, the same questions asked one at a time in process.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from assistant.config import Settings
from assistant.service import Assistant
from assistant.ui import launch

ROOT = Path(__file__).resolve().parent.parent
# The session harness is shared with the load test (tests/sessions.py).
sys.path.insert(0, str(ROOT))
from tests.sessions import QUESTIONS, run_sessions  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        assistant = Assistant(Settings(sources_dir=ROOT / "sources", index_dir=Path(folder)))
        assistant.ingest()
        baseline = []
        for question, _ in QUESTIONS * 3:
            started = time.perf_counter()
            assistant.ask(question)
            baseline.append(time.perf_counter() - started)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        app = launch(assistant, host="127.0.0.1", port=port, block=False, quiet=True)
        try:
            result = run_sessions(f"http://127.0.0.1:{port}/", args.sessions, args.seconds)
        finally:
            app.close()
    report = {
        "concurrent": result.summary(),
        "baseline_in_process_one_at_a_time": {
            "latency_p50_s": round(float(np.percentile(baseline, 50)), 3),
            "latency_p95_s": round(float(np.percentile(baseline, 95)), 3),
        },
        "concurrency_limit": assistant.settings.server.concurrency_limit,
        "errors": result.errors[:20],
        "wrong": result.wrong[:20],
    }
    out = ROOT / "benchmarks" / "results" / "concurrency.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

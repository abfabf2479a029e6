"""What the judge benchmarks share: the data folder option, the settings, the shipped judges
and the encoder, loaded once."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.config import Settings
from assistant.embeddings import SentenceEmbeddings
from assistant.judges import Judges


def start(description: str) -> tuple[Path, Settings, Judges, SentenceEmbeddings]:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--data",
        type=Path,
        default=Path("../shared/data/judges"),
        help="the judges' public data sets (see its README)",
    )
    data = parser.parse_args().data
    settings = Settings()
    judges = Judges.from_settings(settings.judges)
    return data, settings, judges, SentenceEmbeddings(settings.embedding)

"""Reading benchmark files: JSON Lines validated row by row, errors named by line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from assistant.errors import InputError

Row = TypeVar("Row", bound=BaseModel)


def read_jsonl(path: Path) -> list[tuple[int, Any]]:
    """``(line number, parsed value)`` for each non-blank line."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise InputError(f"{path} line {number}: not valid JSON ({exc.msg}).") from None
    return rows


def load_rows(path: Path, model: type[Row], what: str) -> list[Row]:
    """Every line of ``path`` as a ``model``; ``what`` names the expected file in errors."""
    if not path.is_file():
        raise InputError(f"{path}: no such file (expected {what}).")
    rows = []
    for number, value in read_jsonl(path):
        try:
            rows.append(model.model_validate(value))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise InputError(f"{path} line {number}: {where}: {first['msg']}.") from None
    if not rows:
        raise InputError(f"{path}: the file holds no rows.")
    return rows

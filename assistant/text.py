"""Small text helpers shared across the package."""

from __future__ import annotations

# Characters that end a sentence (or a quotation closing one); a short line without one is a
# heading.
TERMINAL = (".", "!", "?", '"', "”", "’", "'", ")")


def normalise(text: str, *, lower: bool = False) -> str:
    """White space collapsed to single spaces (and lower case with ``lower``): how two copies
    of one sentence are compared."""
    text = " ".join(text.split())
    return text.lower() if lower else text

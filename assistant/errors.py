"""Errors a user can cause and fix. The CLI and the UI print their message as one sentence."""

from __future__ import annotations


class AssistantError(Exception):
    """Base of every error whose message is meant for the user."""


class SourceError(AssistantError):
    """An article file could not be read; the message names the file and the reason."""


class InputError(AssistantError):
    """A question, claim or option the assistant cannot work with."""


class ModelNotFoundError(AssistantError):
    """The embedding model is not installed where the settings point."""


class StoreError(AssistantError):
    """The index (Chroma and the keyword side) cannot be opened or written."""


class GenerationError(AssistantError):
    """A language model could not be loaded or did not answer (in time)."""

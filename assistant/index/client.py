"""Opening Chroma: embedded under the index folder, or a server at ``chroma_url``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from assistant.config import Settings
from assistant.errors import StoreError


def open_client(settings: Settings) -> Any:
    """The embedded store under ``index/chroma``, or a Chroma server when ``chroma_url`` is set
    (``chroma run --path DIR --port N``, or any hosted Chroma). Telemetry is off either way."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        try:
            client = chromadb.HttpClient(
                host=url.hostname or "127.0.0.1",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
            client.heartbeat()
            return client
        except Exception as exc:
            raise StoreError(
                f"Cannot reach the Chroma server at {settings.chroma_url}: {_reason(exc)}."
            ) from exc
    folder = settings.index_dir / "chroma"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(folder), settings=chroma_settings)
    except Exception as exc:
        raise StoreError(f"Cannot open the index at {folder}: {exc}.") from exc


def _reason(exc: Exception) -> str:
    return str(exc).strip().rstrip(".") or type(exc).__name__

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.config import EmbeddingSettings, Settings
from assistant.embeddings import SentenceEmbeddings, packaged_model_path, resolve_model_path
from assistant.errors import ModelNotFoundError


def test_environment_reaches_nested_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", "/tmp/x")
    monkeypatch.setenv("ASSISTANT_RETRIEVAL__K", "9")
    monkeypatch.setenv("ASSISTANT_SERVER__PORT", "8000")
    settings = Settings()
    assert settings.index_dir == Path("/tmp/x")
    assert settings.retrieval.k == 9
    assert settings.server.port == 8000
    assert settings.server.host == "127.0.0.1"


def test_every_field_is_described() -> None:
    def undocumented(model) -> list[str]:
        missing = []
        for name, field in model.model_fields.items():
            annotation = field.annotation
            if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
                missing += [f"{name}.{m}" for m in undocumented(annotation)]
            elif not field.description:
                missing.append(name)
        return missing

    assert undocumented(Settings) == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"retrieval": {"dense_weight": 0, "keyword_weight": 0}},
        {"collection": "a"},
        {"collection": "bad name!"},
        {"judges": {"answers": 2}},
    ],
)
def test_invalid_settings_are_rejected(overrides: dict) -> None:
    with pytest.raises(ValidationError):
        Settings(**overrides)


def test_packaged_model_is_found_and_loads_offline(embeddings: SentenceEmbeddings) -> None:
    path = packaged_model_path()
    assert path is not None and (path / "modules.json").is_file()
    assert embeddings.dimension == 384
    vectors = embeddings.encode(["The Kareliya transited the strait.", "A ship passed."])
    assert vectors.shape == (2, 384)
    assert abs(float((vectors[0] ** 2).sum()) - 1.0) < 1e-4  # normalised


def test_missing_model_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match=r"No sentence-transformers model in .*; point"):
        resolve_model_path(EmbeddingSettings(model_path=tmp_path))

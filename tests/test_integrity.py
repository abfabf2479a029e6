"""Pinned checksums of the re-uploaded model packages: a changed file is one sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import ModelNotFoundError
from assistant.integrity import tree_digest, verify


def _model(folder: Path) -> Path:
    (folder / "sub").mkdir(parents=True)
    (folder / "weights.bin").write_bytes(b"\x00" * 1000)
    (folder / "sub" / "config.json").write_text("{}", encoding="utf-8")
    return folder


def test_verified_once_then_remembered(tmp_path: Path) -> None:
    model = _model(tmp_path / "model")
    digest = tree_digest(model)
    verify(model, digest, "test model", "reinstall it", tmp_path / "cache")
    assert len(list((tmp_path / "cache" / "verified").iterdir())) == 1
    verify(model, digest, "test model", "reinstall it", tmp_path / "cache")


def test_a_changed_file_is_refused(tmp_path: Path) -> None:
    model = _model(tmp_path / "model")
    digest = tree_digest(model)
    verify(model, digest, "test model", "reinstall it", tmp_path / "cache")
    (model / "weights.bin").write_bytes(b"\x01" + b"\x00" * 999)  # same size, new content
    with pytest.raises(
        ModelNotFoundError,
        match=r"^The test model in .* does not match its "
        r"pinned checksum; reinstall it\.$",
    ):
        verify(model, digest, "test model", "reinstall it", tmp_path / "cache")


def test_the_installed_packages_match_their_pins(tmp_path: Path) -> None:
    from assistant.embeddings import PACKAGED_MODEL_SHA256, packaged_model_path

    path = packaged_model_path()
    assert path is not None
    verify(path, PACKAGED_MODEL_SHA256, "encoder", "reinstall", tmp_path)

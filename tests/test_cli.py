from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from tests.conftest import DEMO_SOURCES, SEED_FACTS

runner = CliRunner()


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    sources, index = tmp_path / "sources", tmp_path / "index"
    sources.mkdir()
    shutil.copy(DEMO_SOURCES / SEED_FACTS, sources / SEED_FACTS)
    monkeypatch.setenv("ASSISTANT_SOURCES_DIR", str(sources))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(index))
    return sources, index


# The Beijixing story as four outlets tell it: the Meridian Wire report, its word-for-word
# syndicated copy in the Kyushu Evening Post, and two reports that give other detection dates.
BEIJIXING = [
    SEED_FACTS,
    "2025-01-30-kyushu-evening-post-reconnaissance-copy.md",
    "2025-02-03-pacific-security-review-beijixing-detected.md",
    "2025-02-04-harbour-ledger-beijixing-okinawa.md",
]


@pytest.fixture
def several_outlets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    sources = tmp_path / "sources"
    sources.mkdir()
    for name in BEIJIXING:
        shutil.copy(DEMO_SOURCES / name, sources / name)
    monkeypatch.setenv("ASSISTANT_SOURCES_DIR", str(sources))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    return sources


def test_ingest_then_ask(folders) -> None:
    result = runner.invoke(app, ["ingest"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 added, 0 updated, 0 removed, 0 unchanged, 0 failed (")

    result = runner.invoke(app, ["ask", "Which Chinese ship was detected near Japan?"])
    assert result.exit_code == 0
    assert "CNS Beijixing" in result.stdout
    assert "Sources:\n  [1] Russian and Chinese reconnaissance ships" in result.stdout


def test_ingest_full_reads_a_file_whose_size_and_time_were_kept(folders) -> None:
    sources, _ = folders
    article = sources / SEED_FACTS
    os.utime(article, (1_700_000_000, 1_700_000_000))
    assert runner.invoke(app, ["ingest"]).exit_code == 0
    text = article.read_text()
    article.write_text(text.replace("Kareliya", "Karelija", 1))  # same size, then same time
    os.utime(article, (1_700_000_000, 1_700_000_000))

    quick = runner.invoke(app, ["ingest", "--json"])
    assert json.loads(quick.stdout)["unchanged"] == [SEED_FACTS]
    full = runner.invoke(app, ["ingest", "--full", "--json"])
    assert full.exit_code == 0, full.output
    assert json.loads(full.stdout)["updated"] == [SEED_FACTS]


def test_ask_json_follows_the_contract(folders) -> None:
    runner.invoke(app, ["ingest"])
    result = runner.invoke(
        app, ["ask", "How many F-35A are deployed at Misawa?", "--json", "-k", "3"]
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["abstained"] is False and "48" in data["answer"]
    assert data["citations"][0]["path"] == SEED_FACTS
    assert isinstance(data["contested"], list)


def test_sources_json(folders) -> None:
    runner.invoke(app, ["ingest"])
    result = runner.invoke(app, ["sources", "--json"])
    assert result.exit_code == 0
    [row] = json.loads(result.stdout)
    assert set(row) == {"article_id", "title", "outlet", "published", "path", "chunks"}
    assert row["outlet"] == "Meridian Wire" and row["chunks"] > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ingest", "nope"], "Error: No such file or folder: nope.\n"),
        (["ask", ""], "Error: The question is empty; type what you want to know.\n"),
        (["ask", "   "], "Error: The question is empty; type what you want to know.\n"),
        (
            ["ask", "Anything?"],
            "Error: The index is empty; add articles to the sources folder "
            "and run `assistant ingest`.\n",
        ),
    ],
)
def test_user_mistakes_are_one_line(folders, args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert result.stderr == message
    assert result.stdout == ""


def test_k_out_of_range(folders) -> None:
    runner.invoke(app, ["ingest"])
    result = runner.invoke(app, ["ask", "Which ship?", "-k", "0"])
    assert result.exit_code == 1
    assert result.stderr == "Error: -k must be between 1 and 50, not 0.\n"


def test_unreadable_file_is_named_and_the_rest_ingested(folders) -> None:
    sources, _ = folders
    (sources / "bad.md").write_bytes(b"\x00\x01\x02 not text")
    result = runner.invoke(app, ["ingest"])
    assert result.exit_code == 1
    assert result.stderr == "failed: bad.md: this looks like a binary file, not text.\n"
    assert result.stdout.startswith("1 added, 0 updated, 0 removed, 0 unchanged, 1 failed (")


def test_invalid_setting_is_one_line(folders, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_RETRIEVAL__K", "0")
    result = runner.invoke(app, ["ask", "Which ship?"])
    assert result.exit_code == 1
    assert (
        result.stderr
        == "Error: invalid setting retrieval.k: Input should be greater than or equal to 1.\n"
    )


@pytest.mark.slow
def test_console_script_runs_in_a_fresh_process(folders) -> None:
    """The installed `assistant` command, as a user runs it: no traceback, exact exit codes."""
    exe = Path(sys.executable).with_name("assistant")
    env = dict(os.environ)
    done = subprocess.run([exe, "ingest"], capture_output=True, text=True, env=env, timeout=240)
    assert done.returncode == 0, done.stderr
    done = subprocess.run(
        [exe, "ask", "When did the Kareliya transit the Tsushima Strait?", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    assert "25 January to 26 January" in json.loads(done.stdout)["answer"]
    assert "Traceback" not in done.stderr


def test_check_a_claim_and_a_cited_text(folders, tmp_path: Path) -> None:
    runner.invoke(app, ["ingest"])
    result = runner.invoke(
        app, ["check", "The Kareliya transited the Tsushima Strait on 12 January", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["verdict"] == "contradicted" and data["for"] == []
    assert "From 25 January to 26 January" in data["against"][0]["quote"]

    text = tmp_path / "draft.md"
    text.write_text(
        f"---\nsources:\n  1: {SEED_FACTS}\n---\n"
        "The Il-20 flew over the Sea of Okhotsk on 26 January [1].\n"
    )
    result = runner.invoke(app, ["check", "--text", str(text)])
    assert result.exit_code == 0, result.output
    assert "ok The Il-20 flew over the Sea of Okhotsk on 26 January. [1]" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check"], "Error: Give a claim in quotes, or --text FILE (or - for stdin)."),
        (["check", "a claim", "--text", "x"], "Error: Give a claim in quotes, or --text FILE"),
        (["check", "--text", "no-such-file.md"], "Error: No such file: no-such-file.md."),
        (["check", "  "], "Error: The claim is empty; paste the sentence you want checked."),
    ],
)
def test_check_mistakes_are_one_line(folders, args: list[str], message: str) -> None:
    runner.invoke(app, ["ingest"])
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(message)


def test_ask_with_filters(several_outlets) -> None:
    """Four outlets report the Beijixing: with --outlet, every citation (counter-evidence
    included) comes from that outlet; without it, the same question cites the others."""
    assert runner.invoke(app, ["ingest"]).exit_code == 0
    question = "When was the Chinese ship Beijixing first detected?"
    unfiltered = json.loads(runner.invoke(app, ["ask", question, "--json"]).stdout)
    assert {c["outlet"] for c in unfiltered["citations"]} - {"Meridian Wire"}, unfiltered

    result = runner.invoke(app, ["ask", question, "--outlet", "meridian wire", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["filters"]["outlets"] == ["meridian wire"]
    assert not data["abstained"] and "Beijixing" in data["answer"]
    assert {c["outlet"] for c in data["citations"]} == {"Meridian Wire"}
    assert {c["path"] for c in data["citations"]} == {SEED_FACTS}

    result = runner.invoke(app, ["ask", question, "--outlet", "Harbour Ledger", "--json"])
    data = json.loads(result.stdout)
    assert "30 January" in data["answer"]
    assert {c["outlet"] for c in data["citations"]} == {"Harbour Ledger"}

    result = runner.invoke(app, ["ask", "Which ship?", "--until", "2024-13-01"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: The until date must be written like 2025-01-31, not '2024-13-01'."
    )

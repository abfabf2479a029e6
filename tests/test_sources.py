from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import SourceError
from assistant.sources import (
    decode,
    discover,
    iter_articles,
    iter_files,
    load_file,
    normalise,
)
from assistant.types import Article, IngestFailure

FRONT_MATTER = """---
title: Kareliya passes Tsushima
outlet: Test Wire
published: 2025-01-29
url: https://example.org/a
author: A. Writer
illustrative: true
---

# Kareliya passes Tsushima

The ship passed the strait on 26 January. It was watched closely.
"""


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_markdown_front_matter_becomes_metadata(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", FRONT_MATTER)
    [article] = load_file(path, "a.md").articles
    assert article.title == "Kareliya passes Tsushima"
    assert article.outlet == "Test Wire"
    assert article.published == "2025-01-29"
    assert article.url == "https://example.org/a"
    assert article.author == "A. Writer"
    assert article.illustrative is True
    # The first heading repeats the title, so it is not part of the text.
    assert article.text == "The ship passed the strait on 26 January. It was watched closely."
    assert article.source == "a.md"


def test_plain_text_without_front_matter_takes_title_from_first_line(tmp_path: Path) -> None:
    path = write(tmp_path, "b.txt", "Japan tracks a ship\nThe ship sailed north.\n")
    [article] = load_file(path, "b.txt").articles
    assert article.title == "Japan tracks a ship"
    assert article.outlet == "unknown outlet"
    assert article.published == ""
    assert article.illustrative is False


def test_html_goes_through_trafilatura(tmp_path: Path) -> None:
    html = """<html><head><title>Spy ship seen off Okinawa</title>
    <meta property="og:site_name" content="Harbour Ledger">
    <meta name="date" content="2025-02-04"></head>
    <body><nav>Home | World | Sport</nav><article><h1>Spy ship seen off Okinawa</h1>
    <p>Japanese forces first spotted the Chinese intelligence ship CNS Beijixing on 30 January,
    about 120 kilometres north-west of Okinawa's main island, the ministry said on Tuesday.</p>
    <p>The destroyer JS Suzutsuki shadowed the ship for two days before it sailed away towards
    the East China Sea, officials in Naha told reporters.</p></article>
    <script>alert('x')</script></body></html>"""
    path = write(tmp_path, "c.html", html)
    [article] = load_file(path, "c.html").articles
    assert "Beijixing" in article.text
    assert "alert" not in article.text
    assert "Home | World" not in article.text
    assert article.title == "Spy ship seen off Okinawa"
    assert article.published == "2025-02-04"


def test_jsonl_reads_each_line_and_reports_bad_ones(tmp_path: Path) -> None:
    lines = [
        '{"title": "One", "outlet": "W", "published": "2025-01-01", "text": "First story."}',
        "{not json",
        '{"title": "No text"}',
        '{"title": "Two", "body": "Second story.", "url": "https://example.org/2"}',
    ]
    path = write(tmp_path, "d.jsonl", "\n".join(lines))
    result = load_file(path, "d.jsonl")
    assert [a.title for a in result.articles] == ["One", "Two"]
    assert [a.source for a in result.articles] == [
        "d.jsonl#line-1",
        "d.jsonl#https://example.org/2",
    ]
    assert [f.reason for f in result.failures] == [
        "d.jsonl line 2: not valid JSON (Expecting property name enclosed in double quotes at "
        "column 2).",
        "d.jsonl line 3: no article text (one of text, body, content, article).",
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.md", "", "empty.md: the file is empty."),
        ("blank.md", "  \n\n ", "blank.md: the file is empty."),
        (
            "binary.md",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "binary.md: this looks like a binary file, not text.",
        ),
        (
            "broken.md",
            "---\ntitle: [unclosed\n---\nBody.",
            "broken.md: the front matter is not valid YAML (line 2).",
        ),
        (
            "script.html",
            "<html><body><script>var a = 1;</script></body></html>",
            "script.html: no article text was found in the HTML page.",
        ),
        ("none.jsonl", "\n\n", "none.jsonl: the file is empty."),
    ],
)
def test_unreadable_files_raise_one_sentence(
    tmp_path: Path, name: str, content, message: str
) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(SourceError) as error:
        load_file(path, name)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Café in Sapporo".encode("latin-1"), "Café in Sapporo"),
        ("\ufeffCafé".encode("utf-8"), "Café"),
        ("Café".encode("utf-16"), "Café"),
    ],
)
def test_decode_handles_common_encodings(raw: bytes, expected: str) -> None:
    assert decode(raw, "x") == expected


def test_normalise_is_stable() -> None:
    assert normalise("a\r\nb\t c  \n\n\n\nd\x07") == "a\nb  c\n\nd"


def test_discover_skips_readme_hidden_and_reports_missing(tmp_path: Path) -> None:
    write(tmp_path, "README.md", "about the corpus")
    write(tmp_path, ".hidden/x.md", "hidden")
    write(tmp_path, "notes.pdf", "pdf")
    keep = write(tmp_path, "sub/keep.md", "Kept.")
    files, failures = discover([tmp_path])
    assert files == [keep]
    assert failures == []
    with pytest.raises(SourceError, match=r"^No such file or folder: .*nope\.$"):
        discover([tmp_path / "nope"])


def test_iter_articles_keeps_going_after_a_bad_file(tmp_path: Path) -> None:
    write(tmp_path, "a.md", FRONT_MATTER)
    write(tmp_path, "b.md", b"\x00\x01\x02")
    items = list(iter_articles([tmp_path], tmp_path))
    assert [type(i) for i in items] == [Article, IngestFailure]
    assert items[1].path == "b.md"


def test_content_id_changes_with_text_or_metadata(tmp_path: Path) -> None:
    first = load_file(write(tmp_path, "a.md", FRONT_MATTER), "a.md").articles[0]
    again = load_file(write(tmp_path, "a.md", FRONT_MATTER), "a.md").articles[0]
    retitled = load_file(
        write(tmp_path, "a.md", FRONT_MATTER.replace("outlet: Test Wire", "outlet: Other")), "a.md"
    ).articles[0]
    assert first.article_id == again.article_id
    assert first.article_id != retitled.article_id


def test_iter_files_names_files_and_follows_only_links_that_stay_inside(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    write(sources, "b/two.md", "Two.")
    write(sources, "a.md", "One.")
    write(sources, ".git/config.md", "hidden")
    (sources / "alias.md").symlink_to(sources / "b" / "two.md")
    (sources / "b-link").symlink_to(sources / "b")  # a folder link is not entered
    items = list(iter_files([sources], sources))
    assert [file.relative_to(sources).as_posix() for file, _ in items] == [
        "a.md",
        "alias.md",
        "b/two.md",
    ]
    # A link is named by what it points at, so it is found to be a copy, not a new article.
    assert [name for _, name in items] == ["a.md", "b/two.md", "b/two.md"]
    # A folder outside the sources folder is named by its full path.
    outside = tmp_path / "elsewhere"
    write(outside, "x.md", "X.")
    assert [name for _, name in iter_files([outside], sources)] == [f"{outside.resolve()}/x.md"]


def test_a_folder_that_cannot_be_read_is_reported_and_the_rest_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    write(tmp_path, "a.md", "One.")
    write(tmp_path, "locked/b.md", "Two.")
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if str(path).endswith("locked"):  # as for a folder without read permission (not root)
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files, failures = discover([tmp_path])
    assert files == [tmp_path / "a.md"]
    assert [f.reason for f in failures] == [
        "locked: the folder cannot be read (Permission denied); skipped."
    ]
    # The folder given itself: nothing can be said of its articles, so nothing goes on.
    with pytest.raises(SourceError, match=r"locked: the folder cannot be read \(Permission"):
        discover([tmp_path / "locked"])

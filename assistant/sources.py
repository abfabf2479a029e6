"""Reading article files into ``Article`` records.

Supported: ``.md``/``.markdown``/``.txt`` (YAML front matter optional), ``.html``/``.htm`` (main
text and metadata through trafilatura) and ``.jsonl`` (one article object per line). Each file is
read on its own, so one broken file is reported by name and never stops the others.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from assistant.errors import SourceError
from assistant.types import Article, IngestFailure

MARKDOWN_SUFFIXES = {".md", ".markdown", ".txt"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
SUPPORTED_SUFFIXES = MARKDOWN_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
# A folder's README describes the corpus; it is not an article.
SKIPPED_NAMES = {"readme.md", "readme.txt"}
# Larger files are reported, not read: a runaway file must not stall an ingest for hours.
MAX_FILE_BYTES = 20_000_000

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TEXT_KEYS = ("text", "body", "content", "article")
_OUTLET_KEYS = ("outlet", "source", "sitename", "publisher")
_DATE_KEYS = ("published", "published_at", "date", "pubdate")


@dataclass
class LoadResult:
    articles: list[Article] = field(default_factory=list)
    failures: list[IngestFailure] = field(default_factory=list)


def source_name(path: Path, base: Path) -> str:
    """How a file is named in the index: relative to the sources folder when inside it, so the
    folder can move; otherwise its absolute path."""
    return _relative_name(path.resolve(), base.resolve())


def _relative_name(resolved: Path, resolved_base: Path) -> str:
    try:
        return resolved.relative_to(resolved_base).as_posix()
    except ValueError:
        return resolved.as_posix()


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[IngestFailure]]:
    """Expand files and folders into article files; a missing path is an error."""
    found: list[Path] = []
    failures: list[IngestFailure] = []
    for item in iter_files(paths, Path.cwd()):
        if isinstance(item, IngestFailure):
            failures.append(item)
        else:
            found.append(item[0])
    return found, failures


@dataclass
class _Walked:
    files: list[tuple[str, ...]] = field(default_factory=list)  # relative parts, name order
    links: set[tuple[str, ...]] = field(default_factory=set)  # the files that are links
    failures: list[IngestFailure] = field(default_factory=list)


def _walk(folder: Path) -> _Walked:
    """The article files under ``folder``. Hidden names are skipped and links to folders are
    not entered. A link that leads outside ``folder`` is refused: it could smuggle any file on
    the machine into the index, and from there into the chat. (``os.scandir``, whose entries
    know their type without a system call: ``rglob`` + ``resolve`` per file cost seconds of
    every sync at 30k files.)"""
    root = folder.resolve()
    walked = _Walked()

    def visit(directory: str, parts: tuple[str, ...]) -> None:
        try:
            entries = list(os.scandir(directory))
        except OSError as exc:
            why = exc.strerror or str(exc)
            if not parts:  # nothing can be said of any article in it: stop, remove nothing
                raise SourceError(f"{folder}: the folder cannot be read ({why}).") from exc
            relative = "/".join(parts)
            reason = f"{relative}: the folder cannot be read ({why}); skipped."
            walked.failures.append(IngestFailure(path=relative, reason=reason))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            here = (*parts, entry.name)
            if entry.is_symlink():
                visit_link(Path(entry.path), here)
            elif entry.is_dir(follow_symlinks=False):
                visit(entry.path, here)
            elif entry.is_file(follow_symlinks=False) and _is_article_name(entry.name):
                walked.files.append(here)

    def visit_link(link: Path, here: tuple[str, ...]) -> None:
        target = link.resolve()
        if not target.is_relative_to(root):
            kind = "folder" if target.is_dir() else "file"
            relative = "/".join(here)
            reason = f"{relative}: a link to a {kind} outside {folder}; skipped."
            walked.failures.append(IngestFailure(path=relative, reason=reason))
        elif target.is_file() and _is_article_name(link.name):
            walked.files.append(here)
            walked.links.add(here)

    visit(str(folder), ())
    walked.files.sort()
    walked.failures.sort(key=lambda f: f.path)
    return walked


def _is_article_name(name: str) -> bool:
    if name.lower() in SKIPPED_NAMES:
        return False
    return os.path.splitext(name)[1].lower() in SUPPORTED_SUFFIXES


def load_file(path: Path, relative: str, max_bytes: int = MAX_FILE_BYTES) -> LoadResult:
    """Read one file; file-level problems raise ``SourceError``, bad ``.jsonl`` lines are listed.

    ``relative`` is the name the file gets in the index and in messages.
    """
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise SourceError(f"{relative}: {_unsupported(path)}")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(
                f"{relative}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:g} MB limit for "
                "one file (setting max_file_mb); not read."
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{relative}: cannot be read ({exc.strerror or exc}).") from exc
    text = decode(raw, relative)
    if suffix in JSONL_SUFFIXES:
        return _load_jsonl(text, relative)
    if suffix in HTML_SUFFIXES:
        return LoadResult(articles=[_load_html(text, relative)])
    return LoadResult(articles=[_load_markdown(text, relative)])


def decode(raw: bytes, name: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, else the detected charset."""
    if not raw.strip():
        raise SourceError(f"{name}: the file is empty.")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if b"\x00" in raw[:4096]:
        raise SourceError(f"{name}: this looks like a binary file, not text.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise SourceError(f"{name}: the text encoding could not be recognised; save it as UTF-8.")
    return str(best)


def normalise(text: str) -> str:
    """One canonical form so that offsets and hashes are stable across platforms."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text).replace("\t", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return text.strip()


def _load_markdown(text: str, relative: str) -> Article:
    try:
        post = frontmatter.loads(text)
    except (yaml.YAMLError, ValueError) as exc:
        # Where the broken construct starts (python-frontmatter reports lines of the file).
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        at = f" (line {mark.line + 1})" if mark is not None else ""
        raise SourceError(f"{relative}: the front matter is not valid YAML{at}.") from exc
    meta = dict(post.metadata)
    body, first_heading = _strip_headings(post.content, title=_clean(meta.get("title")))
    return _make_article(meta, body, relative, relative, fallback_title=first_heading)


def _strip_headings(markdown: str, *, title: str | None) -> tuple[str, str | None]:
    """Markdown heading markers are layout, not words: keep each heading's text as its own
    line, except a first heading that only repeats the title."""
    lines: list[str] = []
    first_heading: str | None = None
    for line in markdown.split("\n"):
        match = _HEADING.match(line)
        if not match:
            lines.append(line)
            continue
        heading = match.group(1)
        is_first = first_heading is None
        first_heading = first_heading or heading
        if is_first and title and _one_line(heading) == _one_line(title):
            continue
        # A blank line around headings keeps them out of the neighbouring sentence.
        lines.extend(["", heading, ""])
    return "\n".join(lines), first_heading


def _load_html(html: str, relative: str) -> Article:
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    body = getattr(doc, "text", None) if doc is not None else None
    if not body or not body.strip():
        raise SourceError(f"{relative}: no article text was found in the HTML page.")
    meta = {
        "title": doc.title,
        "outlet": doc.sitename,
        "published": doc.date,
        "url": doc.url,
        "author": doc.author,
    }
    return _make_article(meta, body, relative, relative)


def _load_jsonl(text: str, relative: str) -> LoadResult:
    result = LoadResult()
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{relative} line {number}"
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise SourceError(
                    f"{where}: expected a JSON object, found {type(record).__name__}."
                )
            body = _first(record, _TEXT_KEYS)
            if not isinstance(body, str) or not body.strip():
                raise SourceError(f"{where}: no article text (one of {', '.join(_TEXT_KEYS)}).")
            key = record.get("id") or record.get("url") or f"line-{number}"
            result.articles.append(_make_article(record, body, f"{relative}#{key}", relative))
        except json.JSONDecodeError as exc:
            reason = f"{where}: not valid JSON ({exc.msg} at column {exc.colno})."
            result.failures.append(IngestFailure(path=relative, reason=reason))
        except SourceError as exc:
            result.failures.append(IngestFailure(path=relative, reason=str(exc)))
    if not result.articles and not result.failures:
        raise SourceError(f"{relative}: the file holds no articles.")
    return result


def _make_article(
    meta: dict[str, Any],
    body: str,
    source: str,
    relative: str,
    *,
    fallback_title: str | None = None,
) -> Article:
    text = normalise(body)
    if not text:
        raise SourceError(f"{relative}: the article has no text.")
    title = _clean(meta.get("title")) or fallback_title or _first_line(text) or Path(relative).stem
    fields = {
        "title": _one_line(title),
        "outlet": _one_line(_clean(_first(meta, _OUTLET_KEYS)) or "unknown outlet"),
        "published": _iso_date(_first(meta, _DATE_KEYS)),
        "url": _clean(meta.get("url")),
        "author": _clean(meta.get("author")),
        "illustrative": _truthy(meta.get("illustrative")),
        "text": text,
    }
    return Article(article_id=content_id(fields), source=source, path=relative, **fields)


def content_id(fields: dict[str, Any]) -> str:
    """Hash of text and metadata: an edit to either makes a new id, nothing else does."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:20]


def _first(record: dict[str, Any], keys: Iterable[str]) -> Any:
    for key in keys:
        if record.get(key) not in (None, ""):
            return record[key]
    return None


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    value = normalise(str(value))
    return value or None


def _one_line(value: str) -> str:
    return " ".join(value.split())[:300]


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0][:120]


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"true", "yes", "1"}
    return bool(value)


def _iso_date(value: Any) -> str:
    """Front matter dates come as date objects, ISO strings or timestamps; keep the day."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    match = re.match(r"^(\d{4}-\d{2}-\d{2})", text)
    if match:
        return match.group(1)
    return _one_line(text)[:40]


def _unsupported(path: Path) -> str:
    kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
    return f"unsupported file type '{path.suffix or '(none)'}' (supported: {kinds})."


def iter_files(paths: Iterable[Path], base: Path) -> Iterator[tuple[Path, str] | IngestFailure]:
    """Every article file under ``paths`` with its name in the index (see ``source_name``), in
    a stable order, with the refused ones in their place; a missing path is an error."""
    paths = list(paths)
    for path in paths:
        if not path.exists():
            raise SourceError(f"No such file or folder: {path}.")
    for path in paths:
        if not path.is_file():
            yield from _folder_files(path, base)
        elif path.suffix.lower() in SUPPORTED_SUFFIXES:
            yield path, source_name(path, base)
        else:
            yield IngestFailure(path=str(path), reason=_unsupported(path))


def _folder_files(folder: Path, base: Path) -> Iterator[tuple[Path, str] | IngestFailure]:
    walked = _walk(folder)
    # The folder is resolved once; a file in it that is not a link has no other name.
    prefix = source_name(folder, base)
    for failure in walked.failures:  # named as the index names files, to match their records
        path = failure.path if prefix == "." else f"{prefix}/{failure.path}"
        yield failure.model_copy(update={"path": path})
    for parts in walked.files:
        file = folder.joinpath(*parts)
        if parts in walked.links:
            yield file, source_name(file, base)
        else:
            relative = "/".join(parts)
            yield file, relative if prefix == "." else f"{prefix}/{relative}"


def iter_articles(
    paths: Iterable[Path], base: Path, max_bytes: int = MAX_FILE_BYTES
) -> Iterator[Article | IngestFailure]:
    """Every article under ``paths`` in a stable order, with failures in their place."""
    for item in iter_files(paths, base):
        if isinstance(item, IngestFailure):
            yield item
            continue
        file, name = item
        try:
            result = load_file(file, name, max_bytes)
        except SourceError as exc:
            yield IngestFailure(path=name, reason=str(exc))
            continue
        yield from result.failures
        yield from result.articles

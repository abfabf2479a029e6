from __future__ import annotations

from assistant.render import (
    answer_as_chat,
    citations_panel,
    conversation_as_markdown,
    escape,
    safe_url,
    sources_table,
)
from assistant.types import Answer, AnswerSentence, Citation, IndexedArticle

HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3))"


def hostile_answer() -> Answer:
    passage = f"Before. {HOSTILE} After."
    start = passage.index("<script>")
    citation = Citation(
        n=1,
        article_id="a",
        title=HOSTILE,
        outlet="<b>Outlet</b>",
        published="2025-01-01",
        url="javascript:alert(4)",
        path="a.md",
        start=start,
        end=start + len(HOSTILE),
        quote=HOSTILE,
        passage_start=0,
        passage=passage,
    )
    return Answer(
        question="q",
        answer=f"{HOSTILE} [1]",
        abstained=False,
        sentences=[AnswerSentence(text=HOSTILE, citations=[1])],
        citations=[citation],
    )


def test_source_text_never_becomes_markup() -> None:
    answer = hostile_answer()
    for html in (answer_as_chat(answer), citations_panel(answer)):
        assert "<script" not in html and "<img" not in html and "<b>Outlet" not in html
        assert 'href="javascript' not in html.lower()
        assert "](" not in html  # no Markdown link can form
    panel = citations_panel(answer)
    assert "href=" not in panel  # the javascript: URL is not linked
    assert "<mark>&lt;script&gt;" in panel


def test_only_http_links() -> None:
    assert safe_url("https://example.org/a") == "https://example.org/a"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("data:text/html,x") is None
    assert safe_url("//example.org") is None


def test_escape_keeps_the_characters_readable() -> None:
    assert escape("[1] 5 < 6 & *bold*") == "&#91;1&#93; 5 &lt; 6 &amp; &#42;bold&#42;"


def test_sources_table_escapes_and_labels_illustrative() -> None:
    row = IndexedArticle(
        article_id="a",
        source="a.md",
        title=HOSTILE,
        outlet="O",
        published="",
        path="a.md",
        url="https://example.org",
        illustrative=True,
        chunks=2,
    )
    html = sources_table([row])
    assert "<script" not in html
    assert "illustrative" in html and 'href="https://example.org"' in html


def test_markdown_export_numbers_footnotes_across_turns_and_links_only_http() -> None:
    hostile = hostile_answer()
    second = hostile.model_copy(update={"question": "q2", "searched_for": "q2 rewritten"})
    markdown = conversation_as_markdown([hostile, second])
    assert "[^1]\n" in markdown and "[^2]\n" in markdown
    assert "*Searched for: q2 rewritten*" in markdown
    assert "[^1]: " in markdown and "[^2]: " in markdown
    assert "<script>" not in markdown and "](javascript:" not in markdown

"""Answers as text for people: plain text for the terminal, escaped HTML for the chat.

Article text is untrusted input. Everything that comes from a source (titles, outlets, quotes,
URLs) goes through ``escape`` before it reaches the page, and only http(s) links are rendered.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from assistant.types import Answer, Citation, CitationReport, ClaimCheck, IndexedArticle

if TYPE_CHECKING:
    from assistant.feeds import Feed, FetchReport, RunSummary
    from assistant.feeds.state import Ledger

# Characters that Markdown would turn into links, emphasis or code. As numeric entities they
# still display as themselves but can no longer form markup.
_MARKDOWN = {c: f"&#{ord(c)};" for c in "[]()*_`#!|~\\"}


def escape(text: str) -> str:
    """HTML-escape and neutralise Markdown, for text shown inside Markdown or HTML."""
    # One pass, character by character, so that no entity is escaped twice.
    return "".join(_MARKDOWN.get(c) or html.escape(c, quote=True) for c in text)


def safe_url(url: str | None) -> str | None:
    if not url:
        return None
    parsed = urlparse(url.strip())
    if parsed.scheme.lower() in ("http", "https") and parsed.netloc:
        return url.strip()
    return None


def source_line(title: str, outlet: str, published: str) -> str:
    when = f", {published}" if published else ""
    return f"{title} — {outlet}{when}"


def flag_label(flag: dict) -> str:
    """'Contested: claimed by X, denied by Y' and the softer labels, as one line of text."""
    kind, by, against = flag["kind"], flag.get("claimed_by"), flag.get("disputed_by")
    if kind == "denied":
        return f"Contested: claimed by {by or 'a source'}, denied by {against or 'another party'}"
    if kind == "conflict" and flag.get("update"):
        first, then = flag["update"]["earlier"], flag["update"]["later"]
        return (
            f"Contested: first reported as {first['value']} by {first['outlet']} "
            f"({first['published']}); a later report by {then['outlet']} "
            f"({then['published']}) says {then['value']}"
        )
    if kind == "conflict":
        return f"Contested: {by or 'one source'} and {against or 'another source'} disagree"
    if kind == "attributed":
        return f"Attributed to {by}" if by else "Attributed"
    label = {"hedged": "Hedged (unconfirmed)", "forecast": "Forecast"}[kind]
    return f"{label}, per {by}" if by else label


def flag_summary(answer: Answer) -> str:
    hard = [f for f in answer.contested if f["kind"] in ("denied", "conflict")]
    soft = [f for f in answer.contested if f["kind"] not in ("denied", "conflict")]
    parts = []
    if hard:
        parts.append(f"{len(hard)} contested claim{'s' if len(hard) > 1 else ''}")
    if soft:
        parts.append(", ".join(sorted({flag_label(f).split(",")[0].lower() for f in soft})))
    return "; ".join(parts)


# -- terminal ----------------------------------------------------------------------------------


def provenance(answer: Answer) -> list[str]:
    """Who wrote the answer and anything the reader should know about it, as lines of text."""
    lines = []
    if answer.generated_by != "extractive":
        lines.append(
            f"Written by {answer.generated_by}; each sentence checked against what it cites."
        )
    if answer.removed_citations:
        lines.append(
            f"{answer.removed_citations} citation(s) to passages the model was never shown "
            "were removed."
        )
    if answer.note:
        lines.append(answer.note)
    return lines


def unsupported_lines(answer: Answer) -> list[str]:
    return [
        f"Not backed by its sources: “{s.text}” ({s.note or 'not supported'})"
        for s in answer.sentences
        if not s.supported
    ]


def answer_as_text(answer: Answer) -> str:
    lines = [answer.answer, ""]
    extra = provenance(answer) + unsupported_lines(answer)
    if extra:
        lines += [*(f"Note: {line}" for line in extra), ""]
    if answer.abstained:
        if answer.nearest:
            lines.append("Nearest sources:")
            for source in answer.nearest:
                lines.append(f"  - {source_line(source.title, source.outlet, source.published)}")
                lines.append(f"    {source.path}")
        return "\n".join(lines).rstrip()
    if answer.contested:
        lines.append("Flags:")
        for flag in answer.contested:
            cited = ", ".join(f"[{n}]" for n in flag["citations"] + flag["counter_citations"])
            lines.append(f"  ! {flag_label(flag)} ({cited})")
        lines.append("")
    lines.append("Sources:")
    for c in answer.citations:
        label = " (illustrative)" if c.illustrative else ""
        lines.append(f"  [{c.n}] {source_line(c.title, c.outlet, c.published)}{label}")
        lines.append(f"      {c.path}:{c.start}-{c.end}")
        lines.append(f"      “{c.quote}”")
    return "\n".join(lines)


VERDICT_LABELS = {
    "supported": "Supported",
    "contradicted": "Contradicted",
    "contested": "Contested",
    "not_in_sources": "Not in the sources",
}


def check_as_text(result: ClaimCheck) -> str:
    lines = [
        f"{VERDICT_LABELS[result.verdict]} (confidence {result.confidence:.2f}): "
        f"{result.explanation}",
        "",
    ]
    for title, citations in (("For:", result.supporting), ("Against:", result.against)):
        if citations:
            lines.append(title)
            lines += _citation_lines(citations)
    return "\n".join(lines).rstrip()


def citation_report_as_text(report: CitationReport) -> str:
    lines = [
        f"Citation recall {report.citation_recall:.2f}, precision {report.citation_precision:.2f}"
        f" over {sum(1 for s in report.sentences if s.citations)} cited sentences.",
        "",
    ]
    for sentence in report.sentences:
        mark = "ok" if sentence.supported else "!!"
        cited = "".join(f"[{n}]" for n in sentence.citations)
        lines.append(f"{mark} {sentence.text} {cited}".rstrip())
        lines += [f"     {problem}" for problem in sentence.problems]
    if report.dangling:
        lines.append("")
        lines.append(
            "Citations pointing at nothing indexed: " + ", ".join(f"[{n}]" for n in report.dangling)
        )
    return "\n".join(lines)


def conversation_as_markdown(answers: list[Answer]) -> str:
    """A conversation as Markdown, each citation a numbered footnote (title, outlet, date,
    link, quoted sentence), numbered across the whole conversation. Source text is escaped:
    a title that holds a Markdown link must not become one in the export."""
    lines = ["# Conversation with the news assistant", ""]
    footnotes: list[str] = []
    for answer in answers:
        lines += [f"**Q:** {escape(answer.question)}", ""]
        if answer.searched_for and answer.searched_for != answer.question:
            lines += [f"*Searched for: {escape(answer.searched_for)}*", ""]
        number = {c.n: len(footnotes) + i for i, c in enumerate(answer.citations, start=1)}
        text = " ".join(
            escape(s.text) + "".join(f"[^{number[n]}]" for n in s.citations if n in number)
            for s in answer.sentences
        )
        if text and answer.verdict_line:
            text = f"**{escape(answer.verdict_line)}** {text}"
        lines += [f"**A:** {text or escape(answer.answer)}", ""]
        lines += [f"*{escape(note)}*\n" for note in provenance(answer) + unsupported_lines(answer)]
        for flag in answer.contested:
            cited = "".join(f"[^{number[n]}]" for n in flag["counter_citations"] if n in number)
            lines += [f"> ⚑ {escape(flag_label(flag))} {cited}".rstrip(), ""]
        for c in answer.citations:
            url = safe_url(c.url)
            link = f", <{url}>" if url else ""
            when = f", {escape(c.published)}" if c.published else ""
            footnotes.append(
                f"[^{number[c.n]}]: {escape(c.title)} — {escape(c.outlet)}{when}{link}. "
                f"“{escape(c.quote)}”"
            )
    return "\n".join(lines + footnotes).rstrip() + "\n"


def _citation_lines(citations: list[Citation]) -> list[str]:
    lines = []
    for c in citations:
        lines.append(f"  [{c.n}] {source_line(c.title, c.outlet, c.published)}")
        lines.append(f"      {c.path}:{c.start}-{c.end}")
        lines.append(f"      “{c.quote}”")
    return lines


# -- chat --------------------------------------------------------------------------------------


def answer_as_chat(answer: Answer) -> str:
    """The chat bubble: escaped sentences, each followed by its citation numbers."""
    if answer.abstained:
        return (
            escape(answer.answer)
            + (" The nearest sources are listed beside the chat." if answer.nearest else "")
            + _searched_for(answer)
        )
    flags_by_sentence: dict[int, list[dict]] = {}
    for flag in answer.contested:
        for index in flag["sentences"]:
            flags_by_sentence.setdefault(index, []).append(flag)
    parts = []
    for i, sentence in enumerate(answer.sentences):
        marks = "".join(f"&#91;{n}&#93;" for n in sentence.citations)
        badges = "".join(_badge(flag) for flag in flags_by_sentence.get(i, []))
        if sentence.supported:
            parts.append(f"{escape(sentence.text)} {marks}{badges}")
        else:
            why = escape(sentence.note or "not supported")
            parts.append(
                f'<span class="na-unsupported">{escape(sentence.text)} {marks}</span>'
                f" <small>(not backed by its sources: {why})</small>{badges}"
            )
    text = " ".join(parts) + _searched_for(answer)
    if answer.verdict_line:
        # A yes/no question: the verdict first, in plain words, then the sentences it rests on.
        # Its colour says the verdict (the claim check's badge): white text needs it. A line
        # with no verdict (the name a who/which question asks for, the points in dispute) is
        # neutral: grey as "not in the sources" would say what it does not.
        colour = f" na-{answer.verdict}" if answer.verdict else " na-neutral"
        text = (
            f'<strong class="na-verdict{colour}">{escape(answer.verdict_line)}</strong>\n\n{text}'
        )
    summary = flag_summary(answer)
    if summary:
        text += f"\n\n<em>⚑ {escape(summary)}</em>"
    notes = provenance(answer)
    if notes:
        text += "\n\n<small>" + " ".join(escape(n) for n in notes) + "</small>"
    return text


def draft_as_chat(draft: str) -> str:
    """A model's answer while it is being written: escaped, and said to be unchecked."""
    return (
        f'<span class="na-draft">{escape(draft)} ▌</span>\n\n'
        "<small>Writing… citations are checked when the answer is complete.</small>"
    )


def _searched_for(answer: Answer) -> str:
    """Shown when a follow-up was rewritten, so the reader sees what was understood."""
    if not answer.searched_for or answer.searched_for == answer.question:
        return ""
    return f"\n\n<small>Searched for: {escape(answer.searched_for)}</small>"


def _badge(flag: dict) -> str:
    counter = "".join(f"&#91;{n}&#93;" for n in flag["counter_citations"])
    icon = "⚠️" if flag["kind"] in ("denied", "conflict") else "ℹ️"
    return f" <strong>{icon} {escape(flag_label(flag))}</strong> {counter}".rstrip()


def citations_panel(answer: Answer | None) -> str:
    if answer is None:
        return '<div class="na-panel"><p class="na-hint">Citations appear here.</p></div>'
    if answer.abstained:
        items = "".join(
            f"<li><b>{escape(s.title)}</b> — {escape(s.outlet)}"
            f"{', ' + escape(s.published) if s.published else ''}"
            f'<div class="na-passage">{escape(s.snippet)}</div></li>'
            for s in answer.nearest
        )
        body = f"<p>Nearest sources:</p><ul>{items}</ul>" if items else "<p>No sources.</p>"
        return f'<div class="na-panel">{body}</div>'
    cards = "".join(_citation_card(c) for c in answer.citations)
    return f'<div class="na-panel">{cards}</div>'


def _citation_card(c: Citation) -> str:
    offset = c.start - c.passage_start
    before, quote, after = (
        c.passage[:offset],
        c.passage[offset : offset + len(c.quote)],
        c.passage[offset + len(c.quote) :],
    )
    if quote != c.quote:  # never show a highlight that is not the quoted text
        before, quote, after = "", c.quote, ""
    url = safe_url(c.url)
    link = (
        f' · <a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener noreferrer">'
        "link</a>"
        if url
        else ""
    )
    badge = ' <span class="na-badge">illustrative</span>' if c.illustrative else ""
    return (
        f'<div class="na-citation" id="citation-{c.n}">'
        f'<div class="na-head"><span class="na-n">[{c.n}]</span> <b>{escape(c.title)}</b>{badge}'
        f"</div>"
        f'<div class="na-meta">{escape(c.outlet)}'
        f"{' · ' + escape(c.published) if c.published else ''}{link}"
        f" · <code>{escape(c.path)}</code></div>"
        f'<div class="na-passage">{escape(before)}<mark>{escape(quote)}</mark>{escape(after)}</div>'
        f"</div>"
    )


def check_panel(result: ClaimCheck | None) -> str:
    """The claim-check tab: a coloured verdict, then the evidence for and against side by
    side, each cited sentence highlighted in its passage."""
    if result is None:
        return '<div class="na-panel"><p class="na-hint">Paste a claim and press Check.</p></div>'
    verdict = (
        f'<div class="na-verdict na-{result.verdict}">{VERDICT_LABELS[result.verdict]}'
        f'<span class="na-confidence">confidence {result.confidence:.2f}</span></div>'
        f'<p class="na-explanation">{escape(result.explanation)}</p>'
    )
    columns = "".join(
        f'<div class="na-side"><h4>{title}</h4>'
        f"{''.join(_citation_card(c) for c in citations) or '<p class=na-hint>None found.</p>'}"
        "</div>"
        for title, citations in (("For", result.supporting), ("Against", result.against))
    )
    return f'<div class="na-panel">{verdict}<div class="na-sides">{columns}</div></div>'


def sources_table(articles: list[IndexedArticle]) -> str:
    if not articles:
        return "<p>No articles are indexed yet. Add files to the sources folder and ingest.</p>"
    badge = ' <span class="na-badge">illustrative</span>'
    rows = "".join(
        "<tr>"
        f"<td>{escape(a.published)}</td>"
        f"<td>{_linked(a.title, a.url)}{badge if a.illustrative else ''}</td>"
        f"<td>{escape(a.outlet)}</td><td><code>{escape(a.path)}</code></td><td>{a.chunks}</td>"
        "</tr>"
        for a in articles
    )
    return (
        f"<p>{len(articles)} articles indexed.</p>"
        '<table class="na-sources"><thead><tr><th>Published</th><th>Title</th><th>Outlet</th>'
        f"<th>File</th><th>Chunks</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def feeds_table(feeds: list[Feed], ledger: Ledger) -> str:
    """The followed feeds, each with when it was last read and its last error."""
    if not feeds:
        return "<p>No feed is followed. Add an RSS or Atom link below.</p>"
    rows = []
    for feed in feeds:
        status = ledger.feeds.get(feed.url)
        checked = escape(status.checked) if status and status.checked else "never"
        error = (
            f'<span class="na-error">⚠️ {escape(status.error)}</span>'
            if status and status.error
            else ""
        )
        rows.append(
            f"<tr><td>{escape(feed.name)}</td><td>{_linked(feed.url, feed.url)}</td>"
            f"<td>{checked}</td><td>{error}</td></tr>"
        )
    return (
        '<table class="na-sources"><thead><tr><th>Name</th><th>Feed</th><th>Last read</th>'
        f"<th>Problem</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def fetch_status(
    summary: RunSummary | None, report: FetchReport | None = None, schedule: str = ""
) -> str:
    """What the last fetch did (this one's lines when it just ran), and the schedule."""
    parts = [f"<p>{escape(schedule)}</p>"] if schedule else []
    if report is not None:
        items = "".join(f"<li>{escape(line)}</li>" for line in report.lines())
        parts.append(f"<p>✅ Fetched in {report.seconds:.1f} s:</p><ul>{items}</ul>")
    elif summary is not None:
        errors = "".join(f"<li>{escape(e)}</li>" for e in summary.errors)
        parts.append(
            f"<p>Last fetch {escape(summary.started)}: {summary.new} new article"
            f"{'' if summary.new == 1 else 's'}, {summary.requests} requests"
            f"{', problems:' if errors else '.'}</p>" + (f"<ul>{errors}</ul>" if errors else "")
        )
    else:
        parts.append("<p>Nothing fetched yet: press Fetch now.</p>")
    return "".join(parts)


def _linked(title: str, url: str | None) -> str:
    safe = safe_url(url)
    if not safe:
        return escape(title)
    return (
        f'<a href="{html.escape(safe, quote=True)}" target="_blank" rel="noopener noreferrer">'
        f"{escape(title)}</a>"
    )


PANEL_CSS = """
.na-panel { font-size: 0.92rem; }
.na-citation { border-left: 3px solid #6b7280; padding: 4px 10px; margin-bottom: 12px; }
.na-head { margin-bottom: 2px; }
.na-n { font-weight: 700; }
.na-meta { color: #6b7280; font-size: 0.85rem; margin-bottom: 4px; }
.na-passage { white-space: pre-wrap; line-height: 1.45; }
.na-passage mark { background: #fde68a; color: inherit; padding: 0 1px; }
.na-badge { background: #e0e7ff; color: #3730a3; border-radius: 4px; padding: 0 6px;
            font-size: 0.75rem; font-weight: 600; }
.na-hint { color: #6b7280; }
.na-error { color: #b91c1c; }
.na-unsupported, .na-draft { color: #6b7280; }
.na-unsupported { text-decoration: underline dotted; }
.na-verdict { display: inline-block; font-weight: 700; border-radius: 6px; padding: 4px 12px;
              color: #fff; }
.na-supported { background: #15803d; }
.na-contradicted { background: #b91c1c; }
.na-contested { background: #c2410c; }
.na-not_in_sources { background: #4b5563; }
.na-neutral { background: #1e3a8a; }
.na-confidence { font-weight: 400; margin-left: 10px; font-size: 0.8rem; }
.na-sides { display: flex; gap: 16px; }
.na-side { flex: 1; min-width: 0; }
.na-sources td, .na-sources th { padding: 4px 8px; text-align: left; vertical-align: top; }
"""

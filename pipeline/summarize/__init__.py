"""Summarize stage: the extractive summarizer, or a model per language when the config names one, with a
fallback to the extractive summarizer (stated in the summary's warning and details) when it cannot load."""
from __future__ import annotations

from ..config import SummarizeConfig
from ..errors import ModelLoadError
from ..schema import Lang, Sentence, Summary
from .extractive import ExtractiveSummarizer
from .model import ModelSummarizer, sentences_of


class Summarizer:
    def __init__(self, config: SummarizeConfig):
        self.config = config
        self.extractive = ExtractiveSummarizer(config)
        self.models = {}
        if config.backend != "extractive":
            for lang in ("en", "zh"):
                spec = getattr(config, lang)
                if spec is not None:
                    self.models[lang] = ModelSummarizer(spec, config.backend, lang, config)

    def summarize_many(self, items: list[tuple[list[Sentence], Lang, set[int], str | None]]) -> list[Summary]:
        """One summary per (sentences, language, excluded sentence indices, title), in order."""
        out: list[Summary | None] = [None] * len(items)
        for lang, model in self.models.items():
            todo = [k for k, (_, item_lang, _, _) in enumerate(items) if item_lang == lang]
            if not todo:
                continue
            try:
                summaries = model.summarize_many([sentences_of(items[k][0], items[k][2]) for k in todo])
            except ModelLoadError as exc:
                if not self.config.fallback:
                    raise
                for k in todo:
                    out[k] = self._fallback(items[k], model, exc)
                continue
            for k, summary in zip(todo, summaries):
                out[k] = summary
        for k, (sentences, lang, exclude, title) in enumerate(items):
            if out[k] is None:
                out[k] = self.extractive.summarize(sentences, lang, exclude=exclude, title=title)
                if self.config.backend != "extractive":
                    out[k].details["model_configured"] = f"none for '{lang}': the extractive summarizer is used"
        return out

    def _fallback(self, item, model: ModelSummarizer, exc: ModelLoadError) -> Summary:
        sentences, lang, exclude, title = item
        summary = self.extractive.summarize(sentences, lang, exclude=exclude, title=title)
        summary.details["fallback_from"] = model.name
        note = f"model '{model.name}' could not be loaded, so the extractive summarizer was used ({exc.message})"
        summary.warning = f"{summary.warning}; {note}" if summary.warning else note
        return summary


def build_summarizer(config: SummarizeConfig) -> Summarizer:
    return Summarizer(config)


__all__ = ["ExtractiveSummarizer", "ModelSummarizer", "Summarizer", "build_summarizer"]

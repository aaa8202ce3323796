"""Translate stage: turns each summary into another output language with the backend its model spec names
(`translate.<src>_<tgt>.backend`, else `translate.backend`), registered by name in TRANSLATORS. The stage
owns the quality checks of a translation: every number of the source summary must be in it, and every
glossary term in its glossary form; otherwise a notice says what is missing."""
from __future__ import annotations

from typing import Protocol

from ..config import ModelSpec, TranslateConfig
from ..errors import ModelLoadError
from ..figures import unsupported
from ..glossary.detect import TermDetector
from ..lang import profile
from ..schema import Notice, Summary
from ..segment import split_sentences
from .checks import untranslated
from .model import ModelTranslator


class TranslatorBackend(Protocol):
    """Translates sentences from `source` to `target`: (translations in input order, details for provenance).
    Raises ModelLoadError when its model cannot load."""

    name: str
    spec: ModelSpec
    kind: str

    def translate(self, sentences: list[str]) -> tuple[list[str], dict]: ...


# backend name -> factory(spec, source, target, detector, protect); add a backend here (and to the config).
TRANSLATORS = {
    "seq2seq": lambda spec, source, target, detector, protect: ModelTranslator(spec, "seq2seq", source, target,
                                                                               detector, protect=protect),
    "causal": lambda spec, source, target, detector, protect: ModelTranslator(spec, "causal", source, target,
                                                                              detector, protect=protect),
}


class TranslateStage:
    def __init__(self, config: TranslateConfig, detector: TermDetector | None = None):
        self.config = config
        self.detector = detector

    def backend(self, source: str, target: str) -> TranslatorBackend | None:
        spec: ModelSpec | None = getattr(self.config, f"{source}_{target}", None)
        if self.config.backend == "none" or spec is None:
            return None
        return TRANSLATORS[spec.backend or self.config.backend](spec, source, target, self.detector,
                                                               self.config.protect)

    def run(self, summaries: list[Summary], target: str) -> list[Summary]:
        """Each summary (all in one source language) in `target`, in order: translated, or missing with a
        notice that says why."""
        if not summaries:
            return []
        source = summaries[0].lang
        field = f"summary_{target}"
        backend = self.backend(source, target)
        if backend is None:
            why = ("translation is disabled by config (translate.backend: none)" if self.config.backend == "none"
                   else f"no {source}_{target} model is configured (translate.{source}_{target}: null)")
            return [Summary(lang=target, text=None, backend="none",
                            notices=[Notice.missing("translation_disabled", field, why)]) for _ in summaries]
        groups = [[s.text for s in split_sentences(summary.text, source)] for summary in summaries]
        try:
            translated, details = backend.translate([s for group in groups for s in group])
        except ModelLoadError as exc:
            return [Summary(lang=target, text=None, backend=backend.kind, model=backend.spec.model,
                            revision=backend.spec.revision,
                            notices=[Notice.missing("translation_unavailable", field, exc.message)])
                    for _ in summaries]
        out, pos = [], 0
        for group in groups:
            text = profile(target).join(translated[pos:pos + len(group)])
            pos += len(group)
            out.append(Summary(lang=target, text=text, backend=backend.kind, model=backend.spec.model,
                               revision=backend.spec.revision, details={**details, "translated_from": source},
                               notices=self.check(profile(source).join(group), source, text, target)))
        return out

    def check(self, source_text: str, source: str, text: str, target: str) -> list[Notice]:
        """Glossary terms not in their glossary form, words left in the source language, and numbers of the source
        missing from the translation."""
        field = f"summary_{target}"
        notices = [Notice.about("term_not_rendered", field, m)
                   for m in (self.detector.missing_renderings(source_text, source, text, target)
                             if self.detector is not None else [])]
        left = untranslated(source_text, text, target)
        if left:
            notices.append(Notice.about("untranslated_words", field, f"words of summary_{source} left untranslated "
                                                                     "in the translation: " + ", ".join(left)))
        lost = unsupported(source_text, text)[0]
        if lost:
            notices.append(Notice.about("numbers_missing", field, f"numbers of summary_{source} missing from the "
                                                                  "translation: " + ", ".join(lost)))
        return notices


__all__ = ["TRANSLATORS", "ModelTranslator", "TranslateStage", "TranslatorBackend"]

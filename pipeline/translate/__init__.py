"""Translate stage: turns each summary into another output language with the backend its model spec names
(`translate.<src>_<tgt>.backend`, else `translate.backend`), registered by name in TRANSLATORS. The stage
owns the quality checks of a translation (translate/checks.py: figures, words left untranslated, glossary terms,
names): every sentence is checked, retried while a check fails (bounded by `translate.repair_attempts`), and what
still fails is a notice that names the check and the span."""
from __future__ import annotations

from typing import Protocol

import regex

from ..config import ModelSpec, TranslateConfig
from ..errors import ModelLoadError
from ..glossary.detect import TermDetector
from ..lang import profile
from ..schema import Notice, Summary
from ..segment import split_sentences
from .checks import failures
from .model import ModelTranslator


class TranslatorBackend(Protocol):
    """Translates sentences from `source` to `target`: (translations in input order, details for provenance).
    `attempt` > 0 asks for another way of translating sentences that failed a check (the backend chooses it).
    Raises ModelLoadError when its model cannot load."""

    name: str
    spec: ModelSpec
    kind: str

    def translate(self, sentences: list[str], attempt: int = 0) -> tuple[list[str], dict]: ...


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

    def unavailable(self) -> dict[str, str]:
        """{output field: why} for each translation that cannot be produced with this config, found without
        loading a model (translation off, no model configured, a model file or package missing): the commands say
        each once before a run."""
        from ..runtimes import runtime

        out = {}
        for source, target in (("en", "zh"), ("zh", "en")):
            spec = getattr(self.config, f"{source}_{target}", None)
            why = _disabled(self.config, source, target) if self.backend(source, target) is None else \
                runtime(spec.runtime).missing(spec)
            if why:
                out[f"summary_{target}"] = why
        return out

    def run(self, summaries: list[Summary], target: str) -> list[Summary]:
        """Each summary (all in one source language) in `target`, in order: translated, or missing with a
        notice that says why."""
        if not summaries:
            return []
        source = summaries[0].lang
        field = f"summary_{target}"
        backend = self.backend(source, target)
        if backend is None:
            return [Summary(lang=target, text=None, backend="none", notices=[Notice.missing(
                "translation_disabled", field, _disabled(self.config, source, target))]) for _ in summaries]
        groups = [[s.text for s in split_sentences(summary.text, source)] for summary in summaries]
        sentences = [s for group in groups for s in group]
        try:
            translated, details, attempts, failed, words = self._translate(backend, sentences, source, target)
        except ModelLoadError as exc:
            return [Summary(lang=target, text=None, backend=backend.kind, model=backend.spec.model,
                            revision=backend.spec.revision,
                            notices=[Notice.missing("translation_unavailable", field, exc.message)])
                    for _ in summaries]
        out, pos = [], 0
        for group in groups:
            span = range(pos, pos + len(group))
            pos += len(group)
            repair = {"attempts": [attempts[i] for i in span], "checks_failed": [sorted(failed[i]) for i in span],
                      "words_translated_alone": [words[i] for i in span],
                      "max_attempts": 1 + self.config.repair_attempts}
            out.append(Summary(lang=target, text=profile(target).join(translated[i] for i in span),
                               backend=backend.kind, model=backend.spec.model, revision=backend.spec.revision,
                               details={**details, "translated_from": source, "repair": repair},
                               notices=_notices([failed[i] for i in span], source, field)))
        return out

    def _translate(self, backend: TranslatorBackend, sentences: list[str], source: str, target: str):
        """Translations of `sentences`, each checked and, while a check fails, translated again (at most
        `repair_attempts` more times); the candidate failing fewest checks is kept (the earlier one on a tie).
        Then words still left untranslated are translated alone. Returns (translations, details, attempts per
        sentence, failures per sentence, words translated alone per sentence)."""
        def check(src: str, text: str) -> dict[str, list[str]]:
            return failures(src, text, source, target, self.detector, self.config.checks)

        translated, details = backend.translate(sentences)
        failed = [check(src, text) for src, text in zip(sentences, translated)]
        attempts = [1] * len(sentences)
        for attempt in range(1, self.config.repair_attempts + 1):
            todo = [i for i, found in enumerate(failed) if found]
            if not todo:
                break
            retried, _ = backend.translate([sentences[i] for i in todo], attempt)
            for i, text in zip(todo, retried):
                attempts[i] += 1
                found = check(sentences[i], text)
                if _weight(found) < _weight(failed[i]):
                    translated[i], failed[i] = text, found
        words = [0] * len(sentences)
        if self.config.repair_attempts:
            self._translate_words(backend, sentences, translated, failed, words, check, target)
        return translated, details, attempts, failed, words

    @staticmethod
    def _translate_words(backend, sentences, translated, failed, words, check, target) -> None:
        """The last repair, in place: words still left untranslated are translated alone (one batch) and put where
        they stand; a sentence keeps the result when it fails fewer checks. `words` counts them per sentence."""
        todo = [i for i, found in enumerate(failed) if found.get("untranslated_words")]
        left = list(dict.fromkeys(w for i in todo for w in failed[i]["untranslated_words"]))
        if not left:
            return
        rendered = dict(zip(left, backend.translate(left)[0]))
        for i in todo:
            text, done = translated[i], 0
            for word in failed[i]["untranslated_words"]:
                new = _put(text, word, rendered[word], target)
                done, text = done + (new != text), new
            found = check(sentences[i], text)
            if _weight(found) < _weight(failed[i]):
                translated[i], failed[i], words[i] = text, found, done


def _put(text: str, word: str, rendering: str, target: str) -> str:
    """`text` with `word` replaced by its translation alone (one short phrase, end mark dropped; else unchanged)."""
    rendering = rendering.strip().rstrip("。.！!").strip()
    if not rendering or "\n" in rendering or len(rendering) > 6 * max(4, len(word)):
        return text
    if target == "en":  # a word between English words: spaces around it, none before punctuation
        out = regex.sub(rf"\s*{regex.escape(word)}\s*", f" {rendering} ", text)
        out = regex.sub(r"\s+([,.;:!?)\]”’'])", r"\1", out)
        return regex.sub(r"([(\[“‘])\s+", r"\1", out).strip()
    return regex.sub(rf"\s*(?<![A-Za-z]){regex.escape(word)}(?![A-Za-z])\s*", rendering, text)


def _weight(found: dict[str, list[str]]) -> tuple[int, int]:
    return len(found), sum(len(spans) for spans in found.values())


# warning code -> what the notice says before the failing spans
_SAY = {
    "numbers_missing": "figures of summary_{src} missing from the translation (or changed): ",
    "numbers_added": "figures in the translation that summary_{src} does not state: ",
    "untranslated_words": "words of summary_{src} left untranslated in the translation: ",
    "entity_unmatched": "names of summary_{src} without a counterpart in the translation: ",
    "entity_added": "organisations the translation names that summary_{src} does not: ",
}


def _notices(failed: list[dict[str, list[str]]], source: str, field: str) -> list[Notice]:
    """One notice per failing check of a summary's sentences, naming every failing span (glossary terms: one each)."""
    spans: dict[str, list[str]] = {}
    for found in failed:
        for code, items in found.items():
            spans.setdefault(code, []).extend(items)
    out = []
    for code, items in spans.items():
        items = list(dict.fromkeys(items))
        if code == "term_not_rendered":
            out += [Notice.about(code, field, m) for m in items]
        else:
            out.append(Notice.about(code, field, _SAY[code].format(src=source) + ", ".join(items)))
    return out


def _disabled(config: TranslateConfig, source: str, target: str) -> str:
    return ("translation is disabled by config (translate.backend: none)" if config.backend == "none"
            else f"no {source}_{target} model is configured (translate.{source}_{target}: null)")


__all__ = ["TRANSLATORS", "ModelTranslator", "TranslateStage", "TranslatorBackend"]

"""The orchestrator: clean -> segment -> summarize -> translate -> glossary, one article at a time or in
batches (translation is batched across articles)."""
from __future__ import annotations

import time
from contextlib import contextmanager

from .clean import clean_text
from .config import Config, load_config
from .errors import BisumError, EmptyTextError, InputError, ModelLoadError
from .gate import admit, admit_title
from .glossary.detect import detector_for
from .glossary.discover import discover
from .lang import detect_language
from .schema import Article, CleanResult, Provenance, Result, Sentence, Summary
from .segment import split_sentences
from .summarize import build_summarizer
from .translate import build_translator
from .figures import unsupported

CLEANER = Provenance(backend="rules", model="bisum-cleaner")


@contextmanager
def _timer(timings: dict[str, float], name: str):
    start = time.perf_counter()
    yield
    timings[name] = round(timings.get(name, 0.0) + time.perf_counter() - start, 4)


class _Work:
    """What the stages have produced so far for one article."""

    def __init__(self, article: Article):
        self.article = article
        self.timings: dict[str, float] = {}
        self.warnings: list[str] = []
        self.lang = "en"
        self.clean: CleanResult | None = None
        self.sentences: list[Sentence] = []
        self.summaries: dict[str, Summary] = {}
        self.flagged: set[int] = set()


class BilingualSummarizer:
    """Runs the configured stages. Build once, call `run` or `run_batch` many times."""

    def __init__(self, config: Config | str | None = None):
        self.config = config if isinstance(config, Config) else load_config(config)
        self.summarizer = build_summarizer(self.config.summarize)
        self.detector = detector_for(self.config.glossary.user_terms) if self.config.glossary.enabled else None
        self.translators = {d: build_translator(self.config.translate, d, self.detector) for d in ("en_zh", "zh_en")}

    def run(self, article: Article | str) -> Result:
        """One article's Result; an article the input gate refuses raises its InputError."""
        return self.run_batch([article])[0]

    def run_batch(self, articles: list[Article | str]) -> list[Result]:
        """Results in input order; raises the error of the first refused article."""
        outcomes = self.run_many(articles)
        for outcome in outcomes:
            if isinstance(outcome, BisumError):
                raise outcome
        return outcomes

    def run_many(self, articles: list[Article | str]) -> list[Result | InputError]:
        """One outcome per article, in input order: its Result, or the InputError that refused it. Summaries
        and translations are batched over the accepted articles."""
        prepared: list[_Work | InputError] = []
        for i, article in enumerate(articles):
            try:
                prepared.append(self._prepare(article, i))
            except InputError as exc:
                prepared.append(exc)
        work = [w for w in prepared if isinstance(w, _Work)]
        self._summarize(work)
        for direction in ("en_zh", "zh_en"):
            self._translate([w for w in work if _direction(w.lang) == direction], direction)
        return [self._finish(w) if isinstance(w, _Work) else w for w in prepared]

    # --- stages --------------------------------------------------------------------------------------
    def _prepare(self, article: Article | str, position: int) -> _Work:
        if isinstance(article, str):
            article = Article(id=f"doc-{position + 1}", text=article)
        elif not isinstance(article, Article):
            raise InputError(f"an article is a string or an Article, not {type(article).__name__}",
                             record=f"doc-{position + 1}", code="bad_text_type")
        text = admit(article.text, article.id, self.config.input.max_chars)
        title = admit_title(article.title, article.id)
        if text is not article.text or title is not article.title:
            article = article.model_copy(update={"text": text, "title": title})
        w = _Work(article)
        with _timer(w.timings, "detect"):
            w.lang = self.config.language if self.config.language != "auto" else detect_language(
                article.text, record=article.id)
        with _timer(w.timings, "clean"):
            w.clean = clean_text(article.text, w.lang, self.config.clean)
        if not w.clean.cleaned_text.strip():
            raise EmptyTextError("nothing is left after cleaning", record=article.id)
        with _timer(w.timings, "segment"):
            w.sentences = split_sentences(w.clean.cleaned_text, w.lang)
        w.flagged = {s.index for s in w.sentences for f in w.clean.flags if s.start < f.end and f.start < s.end}
        return w

    def _summarize(self, work: list[_Work]) -> None:
        start = time.perf_counter()
        summaries = self.summarizer.summarize_many(
            [(w.sentences, w.lang, w.flagged, w.article.title) for w in work])
        share = round((time.perf_counter() - start) / max(len(work), 1), 4)
        for w, summary in zip(work, summaries):
            w.timings["summarize"] = share
            w.summaries[w.lang] = summary
            if summary.warning:
                w.warnings.append(f"summary_{w.lang}: {summary.warning}")

    def _translate(self, work: list[_Work], direction: str) -> None:
        target = direction.split("_")[1]
        todo = [w for w in work if w.summaries[w.lang].text]
        if not todo:
            return
        translator = self.translators[direction]
        if translator is None:
            why = ("translation is disabled by config (translate.backend: none)" if self.config.translate.backend == "none"
                   else f"no {direction} model is configured (translate.{direction}: null)")
            for w in todo:
                w.summaries[target] = Summary(lang=target, text=None, backend="none",
                                              warning=f"summary_{target} is missing: {why}")
            return
        sources = [[s.text for s in split_sentences(w.summaries[w.lang].text, w.lang)] for w in todo]
        flat = [s for group in sources for s in group]
        start = time.perf_counter()
        try:
            translated, details = translator.translate(flat)
        except ModelLoadError as exc:
            for w in todo:
                w.summaries[target] = Summary(lang=target, text=None, backend=translator.kind,
                                              model=translator.spec.model, revision=translator.spec.revision,
                                              warning=f"summary_{target} is missing: {exc.message}")
            return
        share = (time.perf_counter() - start) / len(todo)
        joiner = "" if target == "zh" else " "
        pos = 0
        for w, group in zip(todo, sources):
            text = joiner.join(translated[pos:pos + len(group)])
            source = ("" if w.lang == "zh" else " ").join(group)
            if self.detector is not None:
                w.warnings += [f"summary_{target}: {m}" for m in self.detector.missing_renderings(
                    source, w.lang, text, target)]
            lost = unsupported(source, text)[0]  # every number of the source must be in the translation
            if lost:
                w.warnings.append(f"summary_{target}: numbers of summary_{w.lang} missing from the translation: "
                                  + ", ".join(lost))
            w.summaries[target] = Summary(lang=target, text=text,
                                          backend=translator.kind, model=translator.spec.model,
                                          revision=translator.spec.revision,
                                          details={**details, "translated_from": w.lang})
            w.timings["translate"] = round(share, 4)
            pos += len(group)

    def _finish(self, w: _Work) -> Result:
        glossary, candidates = [], []
        if self.detector is not None:
            with _timer(w.timings, "glossary"):
                glossary = self.detector.glossary(w.clean.cleaned_text, w.lang, w.sentences)
                if self.config.glossary.discover:
                    candidates = discover(w.clean.cleaned_text, w.lang, w.sentences, self.detector, glossary)
        for lang in ("en", "zh"):
            summary = w.summaries.get(lang)
            if summary is not None and summary.warning and summary.text is None and lang != w.lang:
                w.warnings.append(summary.warning)
        provenance = {"cleaned_text": CLEANER}
        for lang in ("en", "zh"):
            s = w.summaries.get(lang)
            if s is not None:
                provenance[f"summary_{lang}"] = Provenance(backend=s.backend, model=s.model, revision=s.revision,
                                                           details={**s.details, "available": s.text is not None})
        provenance["glossary"] = Provenance(backend="term-base", model="bisum-terms",
                                            details={"user_terms": self.config.glossary.user_terms,
                                                     "enabled": self.detector is not None})
        provenance["config"] = Provenance(backend="config", model=self.config.source)
        w.timings["total"] = round(sum(w.timings.values()), 4)
        return Result(
            id=w.article.id,
            source_lang=w.lang,
            cleaned_text=w.clean.cleaned_text,
            edits=w.clean.edits,
            flags=w.clean.flags,
            summary_en=_text(w.summaries.get("en")),
            summary_zh=_text(w.summaries.get("zh")),
            glossary=glossary,
            term_candidates=candidates,
            provenance=provenance,
            warnings=w.warnings,
            timings=w.timings,
        )


def _direction(lang: str) -> str:
    return "en_zh" if lang == "en" else "zh_en"


def _text(summary: Summary | None) -> str | None:
    return summary.text if summary is not None else None

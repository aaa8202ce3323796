"""The orchestrator: gate -> detect -> clean -> segment -> summarize -> translate -> glossary, one article at a
time or in batches (summaries and translations are batched across articles). It only sequences the stages
and assembles the Result; each stage reports its own provenance and notices."""
from __future__ import annotations

import bisect
import copy
import time
from contextlib import contextmanager

from .clean import PROVENANCE as CLEANER
from .clean import clean_text
from .config import BUDGET_FIELDS, Config, load_config
from .errors import BisumError, EmptyTextError, InputError
from .gate import admit, admit_title
from .glossary import provenance as glossary_provenance
from .glossary.detect import detector_for
from .glossary.discover import discover
from .lang import OUTPUT_LANGS, detect_language, profile
from .models import set_threads
from .schema import Article, CleanResult, Document, Notice, Provenance, Result, Sentence, Summary
from .segment import split_sentences
from .summarize import SummarizeStage
from .translate import TranslateStage


def _overlapping(sentences: list[Sentence], flags) -> set[int]:
    """Indices of the sentences (in text order) that a flag overlaps; a binary search per flag."""
    ends = [s.end for s in sentences]
    out = set()
    for flag in flags:
        k = bisect.bisect_right(ends, flag.start)  # the first sentence ending after the flag starts
        while k < len(sentences) and sentences[k].start < flag.end:
            out.add(sentences[k].index)
            k += 1
    return out


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
        self.lang = "en"
        self.clean: CleanResult | None = None
        self.sentences: list[Sentence] = []
        self.summaries: dict[str, Summary] = {}
        self.flagged: set[int] = set()


class BilingualSummarizer:
    """Runs the configured stages. Build once, call `run` (one article) or `run_many` (a batch) many times."""

    def __init__(self, config: Config | str | dict | None = None):
        self.config = config if isinstance(config, Config) else load_config(config)
        set_threads(self.config.threads)
        self.detector = detector_for(self.config.glossary.user_terms) if self.config.glossary.enabled else None
        self.summarize_stage = SummarizeStage(self.config.summarize)
        self.translate_stage = TranslateStage(self.config.translate, self.detector)

    def variant(self, language: str | None = None, budget: dict | None = None) -> "BilingualSummarizer":
        """A summarizer like this one with another input language ("auto", "en", "zh") and/or summary budget
        (max_sentences, ratio, max_words, max_chars: the ones given replace the whole budget, as the CLI flags
        do). It shares this one's term detector and translate stage: a loaded model is not loaded again."""
        other = copy.copy(self)
        update: dict = {"language": language} if language else {}
        if budget:
            update["summarize"] = self.config.summarize.model_copy(update={
                **dict.fromkeys(BUDGET_FIELDS), "max_share": None, **budget})
            other.summarize_stage = SummarizeStage(update["summarize"])
        other.config = self.config.model_copy(update=update)
        return other

    def run(self, article: Article | str) -> Result:
        """One article's Result; an article the input gate refuses raises its InputError."""
        outcome = self.run_many([article])[0]
        if isinstance(outcome, BisumError):
            raise outcome
        return outcome

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
        for target in OUTPUT_LANGS:
            for source in dict.fromkeys(w.lang for w in work if w.lang != target):
                self._translate([w for w in work if w.lang == source and w.summaries[source].text], target)
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
        w.flagged = _overlapping(w.sentences, w.clean.flags)
        return w

    def _summarize(self, work: list[_Work]) -> None:
        start = time.perf_counter()
        # Flagged sentences are left out of the summary, unless nothing else is left to summarize.
        only_flagged = [bool(w.flagged) and all(s.index in w.flagged or profile(w.lang).is_heading(s.text)
                                                for s in w.sentences) for w in work]
        summaries = self.summarize_stage.run([
            Document(sentences=w.sentences, lang=w.lang, exclude=set() if fallback else w.flagged,
                     title=w.article.title) for w, fallback in zip(work, only_flagged)])
        share = round((time.perf_counter() - start) / max(len(work), 1), 4)
        for w, summary, fallback in zip(work, summaries, only_flagged):
            w.timings["summarize"] = share
            if fallback and summary.text:
                summary = summary.model_copy(update={"notices": [*summary.notices, Notice.about(
                    "flagged_only", summary.field, "every sentence left is flagged as suspicious (see flags): the "
                    "summary is made of them")]})
            w.summaries[w.lang] = summary

    def _translate(self, work: list[_Work], target: str) -> None:
        if not work:
            return
        start = time.perf_counter()
        translations = self.translate_stage.run([w.summaries[w.lang] for w in work], target)
        share = round((time.perf_counter() - start) / len(work), 4)
        for w, translation in zip(work, translations):
            w.summaries[target] = translation
            if translation.text is not None:
                w.timings["translate"] = share

    def _finish(self, w: _Work) -> Result:
        glossary, candidates = [], []
        if self.detector is not None:
            with _timer(w.timings, "glossary"):
                glossary = self.detector.glossary(w.clean.cleaned_text, w.lang, w.sentences)
                if self.config.glossary.discover:
                    candidates = discover(w.clean.cleaned_text, w.lang, w.sentences, self.detector, glossary)
        summaries = [w.summaries[w.lang]] + [w.summaries[lang] for lang in OUTPUT_LANGS
                                             if lang != w.lang and lang in w.summaries]
        notices = [n for summary in summaries for n in summary.notices]
        provenance = {"cleaned_text": CLEANER}
        provenance.update({f"summary_{lang}": w.summaries[lang].provenance() for lang in OUTPUT_LANGS
                           if lang in w.summaries})
        provenance["glossary"] = glossary_provenance(self.config.glossary.user_terms, self.detector is not None)
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
            warnings=[n.message for n in notices],
            warning_details=notices,
            timings=w.timings,
        )


def _text(summary: Summary | None) -> str | None:
    return summary.text if summary is not None else None

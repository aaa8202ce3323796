"""One glossary over many articles: counts per term, the articles each occurs in, and unknown-term
candidates merged the same way (still unverified)."""
from __future__ import annotations

from collections.abc import Iterable

from ..lang import detect_language
from ..schema import Article
from ..segment import split_sentences
from .detect import TermDetector
from .discover import discover


def merged_glossary(articles: Iterable[Article], detector: TermDetector, lang: str = "auto",
                    candidates: bool = True) -> dict[str, list[dict]]:
    """{"terms": [...], "candidates": [...]}, each in order of first occurrence across the articles."""
    terms: dict[str, dict] = {}
    found: dict[tuple[str, str], dict] = {}
    for article in articles:
        article_lang = lang if lang != "auto" else detect_language(article.text, record=article.id)
        sentences = split_sentences(article.text, article_lang)
        entries = detector.glossary(article.text, article_lang, sentences)
        for entry in entries:
            row = terms.setdefault(entry.term_en, {
                "term_en": entry.term_en, "term_zh": entry.term_zh, "category": entry.category,
                "definition_en": entry.definition_en, "definition_zh": entry.definition_zh,
                "count": 0, "articles": [], "surfaces": []})
            row["count"] += len(entry.occurrences)
            row["articles"].append(article.id)
            row["surfaces"] = list(dict.fromkeys(row["surfaces"] + [o.surface for o in entry.occurrences]))
        for cand in discover(article.text, article_lang, sentences, detector, entries) if candidates else []:
            row = found.setdefault((cand.term, cand.lang), {
                "term": cand.term, "lang": cand.lang, "count": 0, "articles": [], "contexts": [],
                "status": cand.status})
            row["count"] += cand.count
            row["articles"].append(article.id)
            row["contexts"] = (row["contexts"] + cand.contexts)[:3]
    return {"terms": list(terms.values()), "candidates": list(found.values())}

"""Evaluate stage: ROUGE of predictions against references, correct for Chinese.

English uses google rouge-score unchanged (stemmer on, one sentence per line for rougeLsum). Chinese is
scored at character level and at jieba word level, since rouge-score's default tokenizer deletes Chinese.
"""
from __future__ import annotations

import json
from pathlib import Path

import regex
from rouge_score import rouge_scorer

from .errors import InputError
from .lang import detect_language
from .segment import split_sentences
from .textstats import jieba

METRICS = ("rouge1", "rouge2", "rougeL", "rougeLsum")
_KEEP = regex.compile(r"[\p{Han}]|[\p{L}\p{N}]+")


class CharTokenizer:
    """Chinese characters one by one, Latin words and numbers whole, punctuation dropped."""

    def tokenize(self, text: str) -> list[str]:
        return [t.lower() for t in _KEEP.findall(text)]


class JiebaTokenizer:
    """jieba words, punctuation dropped."""

    def tokenize(self, text: str) -> list[str]:
        return [w.lower() for w in jieba.lcut(text) if _KEEP.search(w)]


def scorers(lang: str) -> dict[str, rouge_scorer.RougeScorer]:
    if lang == "en":
        return {"en": rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)}
    return {"char": rouge_scorer.RougeScorer(list(METRICS), tokenizer=CharTokenizer()),
            "word": rouge_scorer.RougeScorer(list(METRICS), tokenizer=JiebaTokenizer())}


def lines_for_lsum(text: str, lang: str) -> str:
    """One sentence per line, as rougeLsum expects."""
    return "\n".join(s.text for s in split_sentences(text, lang))


def score_pairs(preds: list[str], refs: list[str], lang: str) -> dict[str, dict[str, float]]:
    """Mean F1 x 100 per metric, for each tokenisation ('en', or 'char' and 'word' for Chinese)."""
    out = {}
    for level, scorer in scorers(lang).items():
        totals = dict.fromkeys(METRICS, 0.0)
        for pred, ref in zip(preds, refs):
            scores = scorer.score(lines_for_lsum(ref, lang), lines_for_lsum(pred, lang))
            for m in METRICS:
                totals[m] += scores[m].fmeasure
        out[level] = {m: 100 * v / max(len(preds), 1) for m, v in totals.items()}
    return out


def read_jsonl_column(path: str | Path, column: str, id_field: str = "id") -> dict[str, str]:
    """{id: text} from a JSONL file; a missing or duplicate id is an error naming it."""
    out: dict[str, str] = {}
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    for number, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{p}:{number}: invalid JSON ({exc.msg})") from None
        rid = row.get(id_field)
        if rid is None:
            raise InputError(f"{p}:{number}: no '{id_field}' field")
        if str(rid) in out:
            raise InputError(f"{p}:{number}: duplicate id {rid!r}")
        value = row.get(column)
        if not isinstance(value, str):
            raise InputError(f"{p}:{number}: record {rid!r} has no text in '{column}'")
        out[str(rid)] = value
    return out


def evaluate_files(pred_path: str | Path, ref_path: str | Path, pred_column: str = "summary_en",
                   ref_column: str = "summary", lang: str = "auto") -> dict:
    preds = read_jsonl_column(pred_path, pred_column)
    refs = read_jsonl_column(ref_path, ref_column)
    missing = sorted(set(refs) - set(preds))
    if missing:
        raise InputError(f"{pred_path}: no prediction for id {missing[0]!r} ({len(missing)} missing)")
    ids = sorted(refs)
    if lang == "auto":
        lang = detect_language(" ".join(refs[i] for i in ids[:20]))
    return {"lang": lang, "pairs": len(ids), "scores": score_pairs([preds[i] for i in ids], [refs[i] for i in ids], lang)}

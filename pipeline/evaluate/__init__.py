"""Evaluate stage: summaries against references (ROUGE), against their sources (figures the source does not
state, glossary consistency, compression, novel n-grams), with bootstrap intervals and paired tests.

    from pipeline import evaluate
    report = evaluate(["ours.jsonl", "lead3.jsonl"], "refs.jsonl", names=["ours", "lead-3"])
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from ..errors import InputError
from ..glossary.detect import detector_for
from ..lang import detect_language
from .abstraction import NGRAMS, abstraction
from .data import column, is_error_record, label, pick_column, read_table
from ..figures import unsupported
from ..io import TEXT_COLUMNS
from .faithfulness import inconsistent_terms
from .rouge import METRICS, metric_name, rouge_columns, scorers
from .stats import bootstrap_ci, corpus_value, paired_bootstrap, resamples

MAX_ROUNDS = 100_000  # bootstrap resamples: more only costs memory (rounds x articles indices)
# Metrics where a pair of systems is tested for a difference.
PAIRED_STATS = ("f",)
FAITHFULNESS = ("figures_unsupported_%", "summaries_with_unsupported_figure_%", "terms_inconsistent_%")


@dataclass
class Score:
    value: float
    low: float
    high: float


@dataclass
class SystemReport:
    name: str
    scores: dict[str, Score]
    articles: list[dict] = field(default_factory=list)  # per id: F1 scores, unsupported figures, terms


@dataclass
class Comparison:
    metric: str
    a: str
    b: str
    difference: float  # a - b
    p_value: float


@dataclass
class EvalReport:
    lang: str
    pairs: int
    levels: list[str]
    systems: list[SystemReport]
    comparisons: list[Comparison]
    notes: list[str]
    rounds: int
    seed: int

    def to_dict(self) -> dict:
        return asdict(self)

    def to_pandas(self):
        """One row per system and metric with its value and interval (low, high), as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame([{"system": system.name, "metric": metric, **asdict(score)}
                             for system in self.systems for metric, score in system.scores.items()])

    def metrics(self) -> list[str]:
        return list(self.systems[0].scores)


def evaluate(predictions, references, *, names: list[str] | None = None, pred_column: str | None = None,
             ref_column: str = "summary", id_column: str = "id", sources=None, source_column: str | None = None,
             lang: str = "auto", rounds: int = 1000, seed: int = 0, glossary: bool = True,
             subset: bool = False) -> EvalReport:
    """Score one system (a table) or several (a list of tables) against `references`, joined by id.

    Tables are paths (JSONL/CSV/parquet/`save_to_disk` folder), `datasets.Dataset` objects or lists of dicts.
    Sources come from `source_column` of the references, or of `sources` when given (by default the first
    column of `pipeline.io.TEXT_COLUMNS` there: text, article, content, ...); without them the
    faithfulness and abstraction metrics are left out and the report says so. Every reference needs a prediction
    in every table, unless `subset`: then the ids all of them have are scored and a note says how many were left
    out (a `bisum batch --limit` run)."""
    if isinstance(rounds, bool) or not isinstance(rounds, int) or not 1 <= rounds <= MAX_ROUNDS:
        raise InputError(f"rounds (bootstrap resamples) must be a whole number from 1 to {MAX_ROUNDS:,}, not {rounds!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError(f"seed must be a whole number of 0 or more, not {seed!r}")
    if lang not in ("auto", "en", "zh"):
        raise InputError(f"lang must be 'auto', 'en' or 'zh', not {lang!r}")
    systems = predictions if isinstance(predictions, (list, tuple)) and not _is_row_list(predictions) else [predictions]
    if not systems:
        raise InputError("no prediction tables given")
    names = list(names) if names else [_default_name(s, i) for i, s in enumerate(systems)]
    if len(names) != len(systems):
        raise InputError(f"{len(names)} names for {len(systems)} prediction tables")
    ref_rows = read_table(references, id_column)
    tables = [read_table(table, id_column) for table in systems]
    ids = list(ref_rows)
    notes: list[str] = []
    if subset:
        ids = [i for i in ids if all(i in rows for rows in tables)]
        if not ids:
            raise InputError("subset: no reference id is in every prediction table")
        if len(ids) < len(ref_rows):
            notes.append(f"subset: scored on the {len(ids)} references that every prediction table has; "
                         f"{len(ref_rows) - len(ids)} left out")
    else:
        for table, rows in zip(systems, tables):
            lacking = [i for i in ids if i not in rows]
            if lacking:
                raise InputError(f"{label(table)}: no record with id {lacking[0]!r} ({len(lacking)} of {len(ids)} "
                                 "references have none); score the ids both sides have with --subset (subset=True)")
    refs = column(ref_rows, label(references), ref_column, ids)
    lang, ids, refs = _one_language(lang, ids, refs, notes)
    source_texts = _sources(ref_rows, ids, references, sources, source_column, id_column, notes)
    detector = detector_for(None) if glossary and source_texts else None
    idx = resamples(len(ids), rounds, seed)
    reports, columns = [], []
    for name, table, rows in zip(names, systems, tables):
        extra = sorted(set(rows) - set(ref_rows))
        if extra:
            raise InputError(f"{label(table)}: id {extra[0]!r} is not in the references ({len(extra)} such ids)")
        chosen = pred_column or pick_column(rows, ["prediction", "summary", f"summary_{lang}"], label(table))
        failed = sum(is_error_record(rows[i]) for i in ids if i in rows)
        if failed:
            notes.append(f"{name}: {failed} predictions are error records of `bisum batch`, scored as empty summaries")
        absent = [i for i in ids if i in rows and not is_error_record(rows[i]) and rows[i].get(chosen) is None]
        if absent:
            notes.append(f"{name}: {len(absent)} predictions have no '{chosen}' ({_some(absent)}; `bisum batch` "
                         "says why in their warnings), scored as empty summaries")
        preds = column(rows, label(table), chosen, ids, missing_is_empty=True)
        checks = _faithfulness(preds, source_texts, detector, lang)
        cols = _columns(preds, refs, source_texts, lang, checks)
        columns.append(cols)
        scores = {m: Score(corpus_value(*nd), *bootstrap_ci(*nd, idx)) for m, nd in cols.items()}
        reports.append(SystemReport(name, scores, _articles(ids, cols, checks)))
    comparisons = [
        Comparison(m, names[i], names[j], *paired_bootstrap(columns[i][m], columns[j][m], idx))
        for i in range(len(names)) for j in range(i + 1, len(names))
        for m in columns[i] if m.split(" ")[0].endswith(tuple(f"_{s}" for s in PAIRED_STATS)) or m in FAITHFULNESS
    ]
    levels = list(scorers(lang))
    return EvalReport(lang, len(ids), levels, reports, comparisons, notes, rounds, seed)


def _one_language(lang: str, ids: list[str], refs: list[str], notes: list[str]) -> tuple[str, list[str], list[str]]:
    """The language scored (`lang`, or with "auto" that of most references; on a tie the first one's) and the
    references in it. References in the other language are left out with a note saying how to score them; one
    whose language cannot be told (no letters) stays."""
    found = []
    for text in refs:
        try:
            found.append(detect_language(text))
        except InputError:
            found.append(None)
    told = [x for x in found if x is not None]
    if lang == "auto":
        if not told:
            raise InputError("cannot tell the language of the references (no English or Chinese letters): "
                             "pass lang / --lang")
        lang = max(dict.fromkeys(told), key=told.count)  # first seen wins a tie
    keep = [k for k, x in enumerate(found) if x in (None, lang)]
    if len(keep) < len(ids):
        other = [ids[k] for k, x in enumerate(found) if x not in (None, lang)]
        others = sorted({x for x in found if x not in (None, lang)})
        if not keep:
            raise InputError(f"no reference is in {lang} (they are in {', '.join(others)}): pass lang / --lang "
                             f"{others[0]}")
        notes.append(f"{len(other)} of {len(ids)} references are not in {lang} ({_some(other)}): left out of this "
                     f"report; score them with lang / --lang {' or '.join(others)}")
    return lang, [ids[k] for k in keep], [refs[k] for k in keep]


def _some(ids: list[str], shown: int = 3) -> str:
    return ", ".join(repr(i) for i in ids[:shown]) + (f" and {len(ids) - shown} more" if len(ids) > shown else "")


def _is_row_list(value) -> bool:
    return bool(value) and isinstance(value[0], dict)


def _default_name(table, i: int) -> str:
    text = label(table)
    return text.rsplit("/", 1)[-1].rsplit(".", 1)[0] if isinstance(table, str) or hasattr(table, "__fspath__") \
        else f"system {i + 1}"


def _sources(ref_rows, ids, references, sources, source_column, id_column, notes) -> list[str] | None:
    if sources is not None:
        rows = read_table(sources, id_column)
        return column(rows, label(sources), source_column or pick_column(rows, list(TEXT_COLUMNS), label(sources)),
                      ids)
    first = next(iter(ref_rows.values()))
    found = source_column or next((c for c in TEXT_COLUMNS if c in first), None)
    if found in first:
        return column(ref_rows, label(references), found, ids)
    named = f"'{source_column}'" if source_column else f"source ({', '.join(TEXT_COLUMNS)})"
    notes.append(f"no source texts (no {named} column in the references and no --sources): "
                 "faithfulness and abstraction metrics are left out")
    return None


def _faithfulness(preds, source_texts, detector, lang) -> list[tuple[tuple[list[str], int], tuple[list[str], int]]] | None:
    """Per article: (unsupported figures, figure count), (inconsistent terms, term count)."""
    if source_texts is None:
        return None
    return [(unsupported(p, s), inconsistent_terms(p, detector, lang) if detector else ([], 0))
            for p, s in zip(preds, source_texts)]


def _columns(preds, refs, source_texts, lang, checks) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Every metric as (numerator, denominator) per article; the corpus value is sum / sum."""
    ones = np.ones(len(preds))
    cols = {m: (v, ones) for m, v in rouge_columns(preds, refs, lang).items()}
    if checks is None:
        return cols
    figures = [f for f, _ in checks]
    terms = [t for _, t in checks]
    bad = np.array([len(u) for u, _ in figures], dtype=float)
    cols["figures_unsupported_%"] = (100 * bad, np.array([t for _, t in figures], dtype=float))
    cols["summaries_with_unsupported_figure_%"] = (100.0 * (bad > 0), ones)
    cols["terms_inconsistent_%"] = (100.0 * np.array([len(u) for u, _ in terms], dtype=float),
                                    np.array([t for _, t in terms], dtype=float))
    abstr = [abstraction(p, s, lang) for p, s in zip(preds, source_texts)]
    for key in ["compression", "summary_tokens", *(f"novel_{k}gram" for k in NGRAMS)]:
        values = np.array([a[key] for a in abstr])
        valid = ~np.isnan(values)
        cols[key + ("_%" if key.startswith("novel") else "")] = (np.where(valid, values, 0.0), valid.astype(float))
    return cols


def _articles(ids, cols, checks) -> list[dict]:
    f1 = [m for m in cols if m.split(" ")[0].endswith("_f")]
    out = []
    for k, rid in enumerate(ids):
        row = {"id": rid, **{m: round(float(cols[m][0][k]), 4) for m in f1}}
        if checks is not None:
            row["unsupported_figures"] = checks[k][0][0]
            row["inconsistent_terms"] = checks[k][1][0]
        out.append(row)
    return out


# A report as Markdown and as a PNG chart (render_report.py imports EvalReport from here, hence the late import).
from .render_report import plot, to_markdown  # noqa: E402

__all__ = ["METRICS", "Comparison", "EvalReport", "Score", "SystemReport", "evaluate", "metric_name", "plot", "scorers",
           "to_markdown"]

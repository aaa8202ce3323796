"""Bootstrap confidence intervals and the paired bootstrap test, over articles.

Every corpus score is a ratio of sums over articles (a mean has a denominator of ones), so one resampling
of articles serves means and corpus rates alike."""
from __future__ import annotations

import numpy as np


def resamples(n: int, rounds: int, seed: int) -> np.ndarray:
    """`rounds` x `n` article indices drawn with replacement; shared by systems for paired tests."""
    return np.random.default_rng(seed).integers(0, n, size=(rounds, n))


def corpus_value(num: np.ndarray, den: np.ndarray) -> float:
    total = den.sum()
    return float(num.sum() / total) if total else float("nan")


def _resampled(num: np.ndarray, den: np.ndarray, idx: np.ndarray) -> np.ndarray:
    dens = den[idx].sum(axis=1)
    return np.divide(num[idx].sum(axis=1), dens, out=np.full(len(idx), np.nan), where=dens > 0)


def bootstrap_ci(num: np.ndarray, den: np.ndarray, idx: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """Percentile interval of the corpus value."""
    values = _resampled(num, den, idx)
    values = values[~np.isnan(values)]
    if not len(values):
        return float("nan"), float("nan")
    tail = 100 * (1 - level) / 2
    return float(np.percentile(values, tail)), float(np.percentile(values, 100 - tail))


def paired_bootstrap(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray],
                     idx: np.ndarray) -> tuple[float, float]:
    """Difference a - b of the corpus values and its two-sided bootstrap p-value (same resampled articles
    for both systems)."""
    diff = corpus_value(*a) - corpus_value(*b)
    deltas = _resampled(*a, idx) - _resampled(*b, idx)
    deltas = deltas[~np.isnan(deltas)]
    if not len(deltas):
        return diff, float("nan")
    p = 2 * min((deltas <= 0).mean(), (deltas >= 0).mean())
    return diff, float(min(1.0, p))

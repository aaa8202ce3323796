"""Number-faithfulness checker against labels made by perturbing reference summaries.

For each dev set, reference summaries whose figures all appear verbatim in the article are the clean
starting point (so their labels do not depend on the checker). From each we make:
- the reference itself: faithful (label 0);
- an equivalent rewrite of one figure ("1.2bn" -> "1,200 million", "5%" -> "5 per cent", "12.5万亿" ->
  "125000亿", "50%" -> "百分之五十", "$140 billion" -> "1400亿美元"): faithful (label 0);
- a perturbation of one figure (swapped digits, another scale word, another currency, another year):
  unfaithful (label 1), kept only if the new figure is not stated anywhere in the article.
The checker flags a summary when it finds a figure the article does not support. Usage:

    python benchmarks/faithfulness.py [--sets ...] [--limit N]
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._data import SETS, load  # noqa: E402
from pipeline.figures import Quantity, extract, unsupported  # noqa: E402

SEED = 20261126
_EN_SCALE_SWAP = {"million": "billion", "billion": "million", "bn": "m", "m": "bn", "trillion": "billion",
                  "thousand": "million", "mn": "bn", "tn": "bn"}
_ZH_SCALE_SWAP = {"万亿": "亿", "亿": "万", "万": "亿", "千亿": "百亿", "百亿": "千亿"}
_CURRENCY_SWAP = [("$", "£"), ("£", "$"), ("€", "$"), ("美元", "港元"), ("港元", "美元"), ("元", "美元"),
                  ("yuan", "dollars"), ("dollars", "yuan")]
_ZH_DIGITS = "零一二三四五六七八九"


def _zh_int(n: int) -> str:
    """Integers below 10,000 in Chinese numerals: 50 -> 五十, 15 -> 十五, 305 -> 三百零五."""
    if n < 10:
        return _ZH_DIGITS[n]
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            if zero and out:
                out += "零"
            out += ("" if (unit == "十" and not out and digit == 1) else _ZH_DIGITS[digit]) + unit
            zero = False
        elif out:
            zero = True
    return out


def _fmt(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text


def perturbations(q: Quantity) -> list[tuple[str, str]]:
    """(kind, new text) for one figure."""
    out = []
    digits = [i for i, ch in enumerate(q.text) if ch.isdigit()]
    for a, b in zip(digits, digits[1:]):
        if b == a + 1 and q.text[a] != q.text[b]:
            chars = list(q.text)
            chars[a], chars[b] = chars[b], chars[a]
            out.append(("swapped digits", "".join(chars)))
            break
    else:
        if digits:
            i = digits[-1]
            out.append(("changed digit", q.text[:i] + str((int(q.text[i]) + 3) % 10) + q.text[i + 1:]))
    for old, new in sorted({**_EN_SCALE_SWAP, **_ZH_SCALE_SWAP}.items(), key=lambda kv: -len(kv[0])):
        pos = q.text.find(old)
        if pos > 0 and q.text[pos - 1].isdigit() or pos > 1 and q.text[pos - 1] == " " and q.text[pos - 2].isdigit():
            out.append(("scale word", q.text[:pos] + new + q.text[pos + len(old):]))
            break
    for old, new in _CURRENCY_SWAP:
        if old in q.text:
            out.append(("currency", q.text.replace(old, new, 1)))
            break
    if q.kind == "year":
        out.append(("year", q.text.replace(str(int(q.value)), str(int(q.value) + 1), 1)))
    return out


def rewrites(q: Quantity, lang: str) -> list[tuple[str, str]]:
    """(kind, equivalent text) for one figure."""
    out = []
    t = q.text
    if lang == "en":
        for word, factor, smaller in (("billion", 1000, "million"), ("bn", 1000, "m"), ("trillion", 1000, "billion")):
            if t.endswith(word) and t[: -len(word)].rstrip()[-1:].isdigit():
                number = t[: -len(word)].rstrip()
                head = number.rstrip("0123456789.,")
                value = float(number[len(head):].replace(",", ""))
                out.append(("scale rewrite", f"{head}{_fmt(value * factor)} {smaller}"))
                break
        if t.endswith("%"):
            out.append(("per cent", t[:-1] + " per cent"))
        if q.currency in ("USD", "CNY") and q.value >= 1e8 and q.kind == "number":
            unit = "美元" if q.currency == "USD" else "元"
            out.append(("Chinese form", f"{_fmt(q.value / 1e8)}亿{unit}"))
    else:
        for word, factor, smaller in (("万亿", 10000, "亿"), ("亿", 10000, "万")):
            pos = t.find(word)
            if pos > 0 and t[pos - 1].isdigit():
                start = pos
                while start > 0 and (t[start - 1].isdigit() or t[start - 1] in ".,"):
                    start -= 1
                value = float(t[start:pos].replace(",", ""))
                out.append(("scale rewrite", t[:start] + _fmt(value * factor) + smaller + t[pos + len(word):]))
                break
        if q.kind == "percent" and t.endswith("%") and float(q.value).is_integer() and q.value < 10000:
            out.append(("百分之", "百分之" + _zh_int(int(q.value))))
    return out


def build(records: list[dict], lang: str, rng: random.Random) -> list[tuple[str, str, str, int]]:
    """(kind, summary, article, label) samples."""
    samples = []
    for r in records:
        summary, article = r["summary"], r["article"]
        figures = extract(summary)
        if not figures or any(q.text not in article for q in figures):
            continue
        samples.append(("original", summary, article, 0))
        q = rng.choice(figures)
        for kind, text in rewrites(q, lang):
            samples.append((kind, summary[:q.start] + text + summary[q.end:], article, 0))
        stated = extract(article)
        for kind, text in perturbations(q):
            new = extract(text)
            if not new or any(n.supported_by(s) for n in new for s in stated):
                continue  # the perturbed figure happens to be stated in the article
            samples.append((kind, summary[:q.start] + text + summary[q.end:], article, 1))
    return samples


def run(names: list[str], limit: int | None) -> None:
    by_lang: dict[str, list] = defaultdict(list)
    for name in names:
        loaded = load(name)
        if loaded is None:
            continue
        records, lang = loaded
        by_lang[lang] += build(records[:limit] if limit else records, lang, random.Random(SEED))
    for lang, samples in by_lang.items():
        start = time.perf_counter()
        flagged = [bool(unsupported(summary, article)[0]) for _, summary, article, _ in samples]
        elapsed = time.perf_counter() - start
        per_kind: dict[str, Counter] = defaultdict(Counter)
        for (kind, _, _, label), flag in zip(samples, flagged):
            per_kind[kind][(label, flag)] += 1
        tp = sum(c[(1, True)] for c in per_kind.values())
        fp = sum(c[(0, True)] for c in per_kind.values())
        fn = sum(c[(1, False)] for c in per_kind.values())
        print(f"\n### {'English' if lang == 'en' else 'Chinese'} ({', '.join(n for n in names if SETS[n][1] == lang)})\n")
        print("| sample kind | label | samples | flagged |")
        print("|---|---|---|---|")
        for kind, c in sorted(per_kind.items(), key=lambda kv: (-max(l for l, _ in kv[1]), kv[0])):
            label = max(l for l, _ in c)
            total = sum(c.values())
            print(f"| {kind} | {'unfaithful' if label else 'faithful'} | {total} | {c[(label, True)]} |")
        precision = tp / (tp + fp) if tp + fp else float("nan")
        recall = tp / (tp + fn) if tp + fn else float("nan")
        print(f"\nprecision {precision:.4f}, recall {recall:.4f} (TP {tp}, FP {fp}, FN {fn}); "
              f"{1000 * elapsed / len(samples):.2f} ms per check")
        misses = [(k, s) for (k, s, _, l), f in zip(samples, flagged) if l != f]
        for kind, summary in misses[:6]:
            print(f"  wrong on [{kind}]: {summary[:160]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*", default=list(SETS), choices=list(SETS))
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    run(args.sets, args.limit)


if __name__ == "__main__":
    main()

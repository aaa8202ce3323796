"""Cleaning benchmark: false positives on clean human-written news, recall / precision on injected
machine-translation residue, and speed. Reads ../shared/data; prints Markdown tables.

    .venv/bin/python benchmarks/cleaning.py [--limit N] [--show-fp]
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import regex  # noqa: E402

from benchmarks._data import load  # noqa: E402
from pipeline.clean import clean_text  # noqa: E402
from pipeline.segment import split_sentences  # noqa: E402

SEED = 20261126


def _is_whitespace_only(edit) -> bool:
    return not edit.original.strip() and not edit.replacement.strip()


def false_positives(records: list[dict], lang: str, show: bool) -> dict:
    """Sentences of the ORIGINAL text touched by a non-whitespace edit. Returns counts and examples."""
    sentences = touched = whitespace = 0
    by_rule: Counter = Counter()
    examples = []
    start = time.perf_counter()
    for rec in records:
        text = rec["article"]
        result = clean_text(text, lang)
        spans = split_sentences(text, lang)
        sentences += len(spans)
        whitespace += sum(_is_whitespace_only(e) for e in result.edits)
        for sent in spans:
            hits = [e for e in result.edits if not _is_whitespace_only(e) and e.start < sent.end and sent.start < e.end]
            if hits:
                touched += 1
                by_rule.update(e.rule for e in hits)
                examples.append((rec["id"], hits[0].rule, sent.text, hits[0].original, hits[0].replacement))
    elapsed = time.perf_counter() - start
    if show:
        for ex in examples:
            print(f"  FP? {ex[0]} [{ex[1]}] {ex[2][:140]!r}: {ex[3]!r} -> {ex[4]!r}")
    return {"sentences": sentences, "touched": touched, "whitespace_edits": whitespace, "rules": dict(by_rule),
            "seconds": elapsed}


# --- injected residue ------------------------------------------------------------------------------
# Each kind builds (new_text, (start, end)) from a text and a sentence span; the span is what was injected.

def _after(text, sent, junk, sep=" "):
    at = sent.end
    return text[:at] + sep + junk + text[at:], (at, at + len(sep) + len(junk))


def _inside(text, sent, junk, rng):
    words = [i for i, ch in enumerate(text[sent.start:sent.end]) if ch == " "]
    at = sent.start + (rng.choice(words) if words else 0)
    return text[:at] + junk + text[at:], (at, at + len(junk))


EN_KINDS = {
    "romanised 'Ta.'": lambda t, s, r: _after(t, s, r.choice(["Ta.", "ta.", "TA."]), r.choice([" ", "  "])),
    "romanised other": lambda t, s, r: _after(t, s, r.choice(["Desu.", "Ne.", "Ka.", "Masu.", "Yo."])),
    "'It is.'": lambda t, s, r: _after(t, s, r.choice(["It is.", "it is.", "It was.", "It is not."])),
    "pronoun + auxiliary": lambda t, s, r: _after(t, s, r.choice(["This is.", "They were.", "There are.",
                                                                       "He will.", "We can.", "That has."])),
    "function-word fragment": lambda t, s, r: _after(t, s, r.choice(["And.", "The.", "Of the.", "But so."])),
    "fragment on own line": lambda t, s, r: _after(t, s, r.choice(["Ta.", "It is."]), "\n\n"),
    "duplicated sentence": lambda t, s, r: _after(t, s, t[s.start:s.end]),
    "stray kana": lambda t, s, r: _inside(t, s, " " + r.choice(["です", "ました", "ね", "カ"]), r),
    "stray Han": lambda t, s, r: _inside(t, s, " " + r.choice(["他", "的", "是的"]), r),
    "HTML tag": lambda t, s, r: _inside(t, s, r.choice(["<br>", "<br/>", "</span>", "<p>"]), r),
    "HTML entity space": lambda t, s, r: _inside(t, s, r.choice(["&nbsp;", "&#160;"]), r),
    "zero-width char": lambda t, s, r: _inside(t, s, r.choice(["\u200b", "\ufeff"]), r),
    "repeated spaces": lambda t, s, r: _inside(t, s, r.choice(["  ", "\t", " \u00a0"]), r),
}


def _doubled_comma(text, sent, rng):
    commas = [i for i in range(sent.start, sent.end) if text[i] == ","]
    if not commas:
        return None
    at = rng.choice(commas)
    return text[:at] + "," + text[at:], (at, at + 1)


def _glued(text, sent, rng):
    at = sent.end
    if at + 1 < len(text) and text[at] == " " and text[at + 1].isupper() and text[at + 2:at + 3].islower() \
            and text[at - 1] == "." and text[at - 2].islower():
        return text[:at] + text[at + 1:], (at, at)
    return None


def _mojibake(text, sent, rng):
    at = text.find("'", sent.start, sent.end)
    if at < 0:
        return None
    return text[:at] + "â€™" + text[at + 1:], (at, at + 3)


def _repeat(pattern: str):
    """An injection that writes a match of `pattern` in the sentence twice."""
    def inject(text, sent, rng):
        spots = list(regex.finditer(pattern, text[sent.start:sent.end]))
        if not spots:
            return None
        m = rng.choice(spots)
        at = sent.start + m.end()
        return text[:at] + " " + m.group() + text[at:], (at, at + 1 + len(m.group()))

    return inject


EN_SPECIAL = {"doubled comma": _doubled_comma, "missing space after full stop": _glued, "mojibake apostrophe": _mojibake}
# Added later, after the others so that their samples (one seeded generator for all kinds) stay the same.
EN_LATER = {
    "romanised two syllables": lambda t, s, r: _after(t, s, r.choice(["Ta de.", "Ta men.", "Ma."])),
    "connector fragment": lambda t, s, r: _after(t, s, r.choice(["According to.", "Such as.", "Due to the.",
                                                                  "As well as."])),
    # added with the rules for doubled words, Chinese punctuation in English and connectors ending in a comma
    "doubled word": _repeat(r"(?<= )(?:the|of|and|to|for|with)(?= )"),
    "Chinese comma in English": lambda t, s, r: _fullwidth_comma(t, s, r),
    "connector ending in a comma": lambda t, s, r: _after(t, s, r.choice(["Among them,.", "In addition,.",
                                                                          "For example,.", "At the same time,."])),
    "romanised 'Er.' and others": lambda t, s, r: _after(t, s, r.choice(["Er.", "Shi.", "Zhe.", "Ye."])),
    # added with the rule for doubled phrases
    "doubled phrase": _repeat(r"(?<= )(?:of|in|to|for|with|from)(?: [a-z]+){1,2}(?= )"),
}


def _fullwidth_comma(text, sent, rng):
    commas = [i for i in range(sent.start, sent.end - 1) if text[i:i + 2] == ", " and text[i - 1].isalpha()]
    if not commas:
        return None
    at = rng.choice(commas)
    return text[:at] + "，" + text[at + 2:], (at, at + 1)


def _doubled(chars: str):
    """An injection that writes one of `chars` found in the sentence twice."""
    def inject(text, sent, rng):
        spots = [i for i in range(sent.start, sent.end) if text[i] in chars]
        if not spots:
            return None
        at = rng.choice(spots)
        return text[:at] + text[at] + text[at:], (at, at + 1)

    return inject


ZH_KINDS = {
    "one-character fragment": lambda t, s, r: _after(t, s, r.choice(["他。", "是。", "了。", "吗。"]), ""),
    "duplicated sentence": lambda t, s, r: _after(t, s, t[s.start:s.end], ""),
    "space between Han": lambda t, s, r: _inside_han(t, s, r),
    "doubled punctuation": _doubled("，。"),
    "HTML tag": lambda t, s, r: _inside(t, s, r.choice(["<br>", "</p>"]), r) if " " in t[s.start:s.end]
    else _after(t, s, "<br>", ""),
    "zero-width char": lambda t, s, r: _after(t, s, "\u200b", ""),
    # added later (last, so the kinds above keep their samples)
    "pronoun / connector fragment": lambda t, s, r: _after(t, s, r.choice(["据悉。", "这是。", "此外。", "对此。"]), ""),
    "connector ending in a comma": lambda t, s, r: _after(t, s, r.choice(["其中，。", "此外，。", "对此：。", "同时，。"]), ""),
    "doubled function character": _doubled("的在将是"),
}


def _inside_han(text, sent, rng):
    spots = [i for i in range(sent.start + 1, sent.end) if "\u4e00" <= text[i - 1] <= "\u9fff" and "\u4e00" <= text[i] <= "\u9fff"]
    if not spots:
        return None
    at = rng.choice(spots)
    return text[:at] + " " + text[at:], (at, at + 1)


def injected(records: list[dict], lang: str, per_kind: int) -> dict:
    """Inject one residue at a time into clean articles; recall = the cleaned text equals the cleaned
    original; precision = share of new edits that touch the injected span."""
    rng = random.Random(SEED)
    kinds = dict(ZH_KINDS) if lang == "zh" else {**EN_KINDS, **EN_SPECIAL, **EN_LATER}
    table = {}
    for kind, make in kinds.items():
        found = tried = true_edits = false_edits = 0
        misses = []
        for rec in rng.sample(records, min(per_kind, len(records))):
            text = rec["article"]
            sentences = [s for s in split_sentences(text, lang) if len(s.text) > 20 and s.text[-1] in ".!?。！？"]
            if not sentences:
                continue
            sent = rng.choice(sentences)
            made = make(text, sent, rng)
            if made is None:
                continue
            new_text, (a, b) = made
            base = clean_text(text, lang)
            got = clean_text(new_text, lang)
            tried += 1
            base_edits = {(e.original, e.replacement, e.rule) for e in base.edits}
            for e in got.edits:
                touches = e.start <= b and a <= e.end
                if touches:
                    true_edits += 1
                elif (e.original, e.replacement, e.rule) not in base_edits:
                    false_edits += 1
            if _norm(got.cleaned_text, lang) == _norm(base.cleaned_text, lang):
                found += 1
            elif len(misses) < 3:
                misses.append(new_text[max(0, a - 40):b + 40])
        table[kind] = {"tried": tried, "found": found, "tp_edits": true_edits, "fp_edits": false_edits,
                       "misses": misses}
    return table


def _norm(text: str, lang: str) -> str:
    """Whitespace does not count (the cleaner may normalise it); a repaired apostrophe may be curly."""
    return ("" if lang == "zh" else " ").join(text.replace("’", "'").split())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="articles per data set (default: all)")
    parser.add_argument("--per-kind", type=int, default=100, help="injections per residue kind and data set")
    parser.add_argument("--show-fp", action="store_true", help="print every sentence counted as a false positive")
    args = parser.parse_args()

    print("## False positives on clean news (sentences touched by a non-whitespace edit)\n")
    print("| data | articles | sentences | touched | rate | whitespace-only edits | rules | sentences/s |")
    print("|---|---|---|---|---|---|---|---|")
    loaded = {}
    for name in ("BBC business", "ECTSum", "FinNA", "LCSTS"):
        got = load(name)
        if got is None:
            continue
        records, lang = got
        records = records[:args.limit] if args.limit else records
        loaded[name] = (records, lang)
        fp = false_positives(records, lang, args.show_fp)
        rules = ", ".join(f"{k}: {v}" for k, v in sorted(fp["rules"].items())) or "-"
        print(f"| {name} | {len(records)} | {fp['sentences']} | {fp['touched']} | "
              f"{100 * fp['touched'] / max(fp['sentences'], 1):.2f}% | {fp['whitespace_edits']} | {rules} | "
              f"{fp['sentences'] / fp['seconds']:.0f} |")

    for lang, names in (("en", ("BBC business", "ECTSum")), ("zh", ("FinNA", "LCSTS"))):
        pool = [r for n in names if n in loaded for r in loaded[n][0]]
        if not pool:
            continue
        table = injected(pool, lang, args.per_kind)
        print(f"\n## Injected residue ({lang}: {', '.join(n for n in names if n in loaded)}; seed {SEED})\n")
        print("| kind | injected | cleaned away | recall | edits on it | other new edits | precision |")
        print("|---|---|---|---|---|---|---|")
        tot = Counter()
        for kind, row in table.items():
            tot.update({k: v for k, v in row.items() if k != "misses"})
            prec = row["tp_edits"] / max(row["tp_edits"] + row["fp_edits"], 1)
            print(f"| {kind} | {row['tried']} | {row['found']} | {100 * row['found'] / max(row['tried'], 1):.1f}% | "
                  f"{row['tp_edits']} | {row['fp_edits']} | {100 * prec:.1f}% |")
        prec = tot["tp_edits"] / max(tot["tp_edits"] + tot["fp_edits"], 1)
        print(f"| **all {len(table)} kinds** | {tot['tried']} | {tot['found']} | "
              f"{100 * tot['found'] / max(tot['tried'], 1):.2f}% | {tot['tp_edits']} | {tot['fp_edits']} | "
              f"{100 * prec:.2f}% |")
        for kind, row in table.items():
            for miss in row["misses"]:
                print(f"  missed [{kind}]: {miss!r}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

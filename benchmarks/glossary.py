"""Glossary detection against the team-labelled check set (benchmarks/glossary_checkset.yaml), and the
seed article's expected terms when ../shared/data is present. Usage: python benchmarks/glossary.py"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._data import DATA  # noqa: E402
from pipeline.glossary.detect import detector_for  # noqa: E402
from pipeline.segment import split_sentences  # noqa: E402

CHECKSET = Path(__file__).with_name("glossary_checkset.yaml")
GROUPS = ("used while writing the detector", "held out (`held_out: true`)")
SEED_EXPECTED = {"S fund": "S基金", "relending": "再贷款", "rediscount": "再贴现", "STAR Market": "科创板",
                 "green loan": "绿色贷款", "equity investment": "股权投资", "private equity fund": "私募股权基金",
                 "asset management": "资产管理", "multi-tier capital market": "多层次资本市场",
                 "outstanding loans": "贷款余额"}


def main() -> None:
    detector = detector_for(None)
    known = {t.en for t in detector.terms}
    articles = yaml.safe_load(CHECKSET.read_text(encoding="utf-8"))
    totals = {(group, lang): [0, 0, 0] for group in GROUPS for lang in ("en", "zh")}
    trap_sentences = trap_wrong = 0
    print("| article | labels | found | false positives | missed |")
    print("|---|---|---|---|---|")
    for a in articles:
        labels = set(a["terms"])
        unknown = labels - known
        if unknown:
            raise SystemExit(f"{a['id']}: labels not in the term base: {sorted(unknown)}")
        text = " ".join(a["text"].split())
        hits = [detector.terms[idx].en for _, _, idx in detector.find(text, a["lang"])]
        found = set(hits)
        tp, fp, fn = len(found & labels), sorted(found - labels), sorted(labels - found)
        t = totals[GROUPS[1] if a.get("held_out") else GROUPS[0], a["lang"]]
        t[0] += tp
        t[1] += len(fp)
        t[2] += len(fn)
        if a.get("trap"):
            trap_sentences += len(split_sentences(text, a["lang"]))
            trap_wrong += sum(1 for h in hits if h not in labels)
        print(f"| {a['id']} | {len(labels)} | {len(found)} | {', '.join(fp) or '-'} | {', '.join(fn) or '-'} |")
    print("\n| articles | language | count | precision | recall |\n|---|---|---|---|---|")
    for group in GROUPS:
        for lang in ("en", "zh", "all"):
            rows = [v for (g, lg), v in totals.items() if g == group and lang in ("all", lg)]
            tp, fp, fn = map(sum, zip(*rows))
            n = sum(1 for a in articles if bool(a.get("held_out")) == (group == GROUPS[1]) and lang in ("all", a["lang"]))
            print(f"| {group} | {lang} | {n} | {tp / max(tp + fp, 1):.4f} | {tp / max(tp + fn, 1):.4f} |")
    traps = sum(1 for a in articles if a.get("trap"))
    print(f"\nTrap articles: {traps}, {trap_sentences} sentences, {trap_wrong} wrong hits "
          f"({100 * trap_wrong / max(trap_sentences, 1):.2f} per 100 sentences)")
    seed = DATA / "seed_article_mt_artifacts.txt"
    if not seed.exists():
        print(f"\nskipping the seed article: {seed} not found", file=sys.stderr)
        return
    seed_text = seed.read_text(encoding="utf-8")
    found = {detector.terms[idx].en: (detector.terms[idx].zh, seed_text[s:e])
             for s, e, idx in detector.find(seed_text, "en")}
    print("\nSeed article, the terms the issue names:\n\n| term | expected Chinese | found as | Chinese |\n|---|---|---|---|")
    for term, zh in SEED_EXPECTED.items():
        got = found.get(term)
        print(f"| {term} | {zh} | {got[1] if got else 'NOT FOUND'} | {got[0] if got else '-'} |")
    print(f"\nAll terms found in the seed article: {', '.join(sorted(found))}")


if __name__ == "__main__":
    main()

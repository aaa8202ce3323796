"""The language gate on Latin-script text (pipeline/lang/detect.py): English news must pass, other languages
written in Latin letters must be refused. English: WMT18 economy sentences (the `en` side, short: many are under
the gate's 15-word minimum and pass unread) and BBC business / general articles; others: the finance sentences
below, written for this benchmark, joined two at a time into short news items. Also the identifier's start-up.

Usage: python benchmarks/language.py
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._data import DATA  # noqa: E402

FOREIGN = {
    "German": ["Die Europäische Zentralbank hat den Leitzins am Donnerstag um 0,25 Prozentpunkte gesenkt.",
               "Die Aktien der Deutschen Bank stiegen nach den Quartalszahlen um drei Prozent.",
               "Der Umsatz des Konzerns wuchs im dritten Quartal auf 12 Milliarden Euro.",
               "Die Inflation in der Eurozone sank im Oktober auf 2,9 Prozent."],
    "French": ["La Banque centrale européenne a relevé ses taux d'intérêt d'un quart de point jeudi.",
               "Les actions de BNP Paribas ont reculé de 2 % à la Bourse de Paris après les résultats.",
               "Le chiffre d'affaires du groupe a progressé de 8 % au troisième trimestre.",
               "L'inflation en France a ralenti à 4,9 % sur un an en septembre."],
    "Spanish": ["El Banco Central Europeo subió los tipos de interés en un cuarto de punto el jueves.",
                "Las acciones de Santander cayeron un 3 % en la bolsa de Madrid tras los resultados.",
                "La inflación en España se moderó al 3,5 % en octubre, según el instituto de estadística.",
                "Los ingresos de la compañía crecieron un 12 % en el tercer trimestre del año."],
    "Italian": ["La Banca d'Italia prevede una crescita del PIL dello 0,8 per cento quest'anno.",
                "Le azioni di UniCredit sono salite del 3 per cento alla Borsa di Milano.",
                "Il fatturato del gruppo è aumentato del 7 per cento nel terzo trimestre.",
                "L'inflazione in Italia è scesa al 5,3 per cento a settembre."],
    "Portuguese": ["O Banco Central do Brasil cortou a taxa básica de juros em meio ponto percentual.",
                   "As ações da Petrobras subiram 4 % na bolsa de São Paulo nesta segunda-feira.",
                   "A receita da empresa cresceu 10 % no terceiro trimestre, informou a companhia.",
                   "A inflação em Portugal abrandou para 3,6 % em outubro."],
    "Dutch": ["De Nederlandsche Bank verwacht dat de inflatie volgend jaar verder daalt.",
              "De aandelen van ING stegen maandag met twee procent op de beurs van Amsterdam.",
              "De omzet van het concern groeide in het derde kwartaal met acht procent.",
              "Analisten verwachten dat de centrale bank de rente in december verhoogt."],
    "Indonesian": ["Bank Indonesia menaikkan suku bunga acuan sebesar 25 basis poin pada hari Kamis.",
                   "Saham perbankan di Bursa Efek Indonesia melemah pada perdagangan hari Senin.",
                   "Inflasi tahunan Indonesia turun menjadi 2,6 persen pada bulan Oktober.",
                   "Pendapatan perusahaan naik 15 persen pada kuartal ketiga tahun ini."],
}


def _english() -> dict[str, list[str]]:
    sets = {}
    wmt = DATA / "mt_wmt18_zhen_econ_dev.jsonl"
    if wmt.exists():
        sets["WMT18 en sentences"] = [json.loads(line)["en"] for line in wmt.read_text(encoding="utf-8").splitlines()]
    for name, file in (("BBC business articles", "en_bbc_business_dev.jsonl"),
                       ("BBC general articles", "en_bbc_general_dev.jsonl")):
        path = DATA / file
        if path.exists():
            sets[name] = [json.loads(line)["article"] for line in path.read_text(encoding="utf-8").splitlines()]
    return sets


def main() -> int:
    from pipeline.errors import UnsupportedLanguageError
    from pipeline.lang.detect import _identifier, detect_language

    start = time.perf_counter()
    _identifier()
    startup = time.perf_counter() - start

    def refused(text: str) -> bool:
        try:
            detect_language(text)
        except UnsupportedLanguageError:
            return True
        return False

    print("| text | items | refused | % |\n|---|---|---|---|")
    english = _english()
    if not english:
        print("skipping the English rows: ../shared/data not found", file=sys.stderr)
    for name, texts in english.items():
        n = sum(refused(t) for t in texts)
        print(f"| English: {name} | {len(texts)} | {n} | {100 * n / len(texts):.1f} |")
    for name, sentences in FOREIGN.items():
        items = [" ".join(sentences[i:i + 2]) for i in range(0, len(sentences), 2)] + sentences
        n = sum(refused(t) for t in items)
        print(f"| {name}: 2 two-sentence items + 4 sentences | {len(items)} | {n} | {100 * n / len(items):.1f} |")
    texts = [t for ts in english.values() for t in ts][:500]
    t0 = time.perf_counter()
    for t in texts:
        detect_language(t)
    per = 1000 * (time.perf_counter() - t0) / max(len(texts), 1)
    print(f"\nidentifier start-up (import + model): {startup:.2f} s; detection {per:.2f} ms per English text")
    return 0


if __name__ == "__main__":
    sys.exit(main())

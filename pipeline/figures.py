"""Figures (numbers, amounts, percentages and years) in English and Chinese text, normalised so that
different renderings of one quantity compare equal: "1.2 trillion yuan" = "1.2万亿元" = "12000亿元",
"$140 billion" = "1400亿美元", "50%" = "百分之五十". Used by evaluation (figures a summary's source does
not state) and translation (protection, and the check that every number of the source is translated)."""
from __future__ import annotations

from dataclasses import dataclass

import regex

_EN_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6, "billion": 1e9,
              "bn": 1e9, "bln": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12}
_ZH_SCALES = {"十": 10, "百": 100, "千": 1e3, "万": 1e4, "十万": 1e5, "百万": 1e6, "千万": 1e7, "亿": 1e8,
              "十亿": 1e9, "百亿": 1e10, "千亿": 1e11, "万亿": 1e12}
_CURRENCIES = {
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "美元": "USD",
    "hk$": "HKD", "hkd": "HKD", "港元": "HKD", "港币": "HKD",
    "£": "GBP", "pound": "GBP", "pounds": "GBP", "英镑": "GBP",
    "€": "EUR", "euro": "EUR", "euros": "EUR", "欧元": "EUR",
    "¥": "CNY", "rmb": "CNY", "cny": "CNY", "yuan": "CNY", "renminbi": "CNY", "元": "CNY", "人民币": "CNY",
    "yen": "JPY", "日元": "JPY",
}
_PERCENT = {"%", "％", "per cent", "percent"}
_PERCENTAGE_POINTS = {"percentage point", "percentage points", "个百分点", "百分点"}
_BASIS_POINTS = {"basis point", "basis points", "bp", "bps", "个基点", "基点"}
_ZH_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_ZH_NUMERAL = "〇零一二两三四五六七八九十百千万亿"

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_EN = regex.compile(
    rf"""(?<![\p{{Latin}}\d.,])(?<!\p{{Latin}}-)(?P<cur>US\$|HK\$|[$£€¥]|(?:RMB|CNY|USD|HKD)\s?)?(?P<num>{_NUMBER})(?![\d])"""
    r"""(?:\s?(?P<scale>trillion|billion|million|thousand|tn|bln|bn|mln|mn|m|k|b)(?![\p{Latin}]))?"""
    r"""(?:\s?(?P<unit>%|percentage\s+points?|per\s?cent|percent|basis\s+points?|bps|bp(?![\p{L}])|yuan|"""
    r"""renminbi|dollars?|pounds?|euros?|yen|元|美元|港元|欧元|日元|英镑))?""",
    regex.IGNORECASE,
)
_ZH = regex.compile(
    rf"""(?P<pct>百分之)?(?P<cur>人民币|美元)?(?P<num>{_NUMBER}|[{_ZH_NUMERAL}]*[一二两三四五六七八九十][{_ZH_NUMERAL}]*)"""
    r"""(?P<scale>万亿|千亿|百亿|十亿|亿|千万|百万|十万|万|千)?"""
    r"""(?P<unit>%|％|个百分点|百分点|个基点|基点|元|美元|港元|港币|欧元|日元|英镑|年)?"""
)


_EN_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_EN_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)}
_WORD = "|".join(sorted([*_EN_UNITS, *_EN_TENS], key=len, reverse=True))
# Spelled-out numbers count as figures only with a percent, scale or currency word: "fifty per cent",
# "two billion dollars" (not "two banks").
_EN_WORDS = regex.compile(
    rf"(?<![\p{{L}}-])(?P<num>(?:{_WORD})(?:[-\s]+(?:{_WORD}|hundred|and))*)\s+"
    r"(?P<unit>percentage\s+points?|per\s?cent|percent|(?P<scale>trillion|billion|million|thousand)"
    r"(?:\s+(?P<cur>yuan|dollars?|pounds?|euros?|yen))?)(?![\p{L}])",
    regex.IGNORECASE,
)


# A cheap mark of a figure written with digits (an amount, percentage or year), for counting per sentence where
# `extract`'s full parse is not needed (the extractive summarizer's figures feature, hot on every sentence).
FIGURE_MARK = regex.compile(r"(?<![\p{Latin}\d])[$£€¥]?\d[\d,.]*\s*(?:%|bn|billion|million|m\b|亿|万)?")


@dataclass(frozen=True)
class Quantity:
    """One number found in a text: its value in base units, kind, currency and where it was found."""

    value: float
    kind: str            # "percent", "pp" (percentage points), "bp", "year" or "number"
    currency: str | None
    text: str
    start: int
    end: int
    step: float          # half a unit of the last written digit, in base units: the rounding it allows

    def supported_by(self, other: "Quantity") -> bool:
        """True when `other` (from the source) states this quantity, allowing for rounding."""
        if self.kind != other.kind and {self.kind, other.kind} not in ({"year", "number"}, {"percent", "pp"}):
            return False
        if self.currency and other.currency and self.currency != other.currency:
            return False
        tolerance = max(self.step, 1e-9 * abs(other.value))
        return abs(self.value - other.value) <= tolerance


def _decimals(number: str) -> int:
    return len(number.split(".", 1)[1]) if "." in number else 0


def _zh_numeral(text: str) -> float | None:
    """五十 -> 50, 三千二百 -> 3200, 一万二千 -> 12000, 十五 -> 15, 二〇二一 -> 2021."""
    if all(ch in _ZH_DIGITS for ch in text):  # digit by digit, as in years
        return float("".join(str(_ZH_DIGITS[ch]) for ch in text)) if len(text) > 1 else float(_ZH_DIGITS[text])
    total, section, digit = 0.0, 0.0, None
    for ch in text:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch in "十百千":
            section += (1 if digit is None else digit) * {"十": 10, "百": 100, "千": 1000}[ch]
            digit = None
        elif ch in "万亿":
            total = (total + section + (digit or 0)) * (1e4 if ch == "万" else 1e8)
            section, digit = 0.0, None
        else:
            return None
    return total + section + (digit or 0)


def _kind(unit: str, value: float, has_scale: bool, raw: str) -> str:
    unit = " ".join(unit.lower().split())
    if unit in _PERCENT:
        return "percent"
    if unit in _PERCENTAGE_POINTS:
        return "pp"
    if unit in _BASIS_POINTS:
        return "bp"
    if unit == "年" or (not unit and not has_scale and "." not in raw and "," not in raw and 1900 <= value <= 2100):
        return "year"
    return "number"


def extract(text: str) -> list[Quantity]:
    """All quantities in `text` (English and Chinese renderings, mixed text allowed)."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for match in _ZH.finditer(text):
        if not regex.search(r"[\p{Han}%％]", match.group()) or _inside_latin(text, match.start("num")):
            continue  # plain digits are handled by the English pattern
        raw = match.group("num")
        base = _zh_numeral(raw) if raw[0] in _ZH_NUMERAL else float(raw.replace(",", ""))
        if base is None:
            continue
        scale = _ZH_SCALES.get(match.group("scale") or "", 1.0)
        unit = "%" if match.group("pct") else (match.group("unit") or "")
        currency = _CURRENCIES.get(match.group("cur") or unit or "")
        if raw[0] in _ZH_NUMERAL and not (match.group("pct") or match.group("scale") or unit):
            continue  # a bare Chinese numeral such as 一 in 一家 is a word, not a figure
        kind = _kind(unit, base, bool(match.group("scale")), raw)
        step = 0.5 * 10 ** -_decimals(raw) * scale if raw[0] not in _ZH_NUMERAL else 0.5 * scale
        found.append(Quantity(base * scale, kind, currency, match.group(), match.start(), match.end(), step))
        taken.append((match.start(), match.end()))
    for match in _EN.finditer(text):
        if any(s <= match.start("num") < e for s, e in taken):
            continue
        raw = match.group("num")
        scale_word = (match.group("scale") or "").lower()
        scale = _EN_SCALES.get(scale_word, 1.0)
        unit = match.group("unit") or ""
        currency = _CURRENCIES.get((match.group("cur") or "").strip().lower() or unit.lower())
        value = float(raw.replace(",", ""))
        kind = _kind(unit, value, bool(scale_word), raw)
        found.append(Quantity(value * scale, kind, currency, match.group().strip(), match.start(), match.end(),
                              0.5 * 10 ** -_decimals(raw) * scale))
    for match in _EN_WORDS.finditer(text):
        value = _word_number(match.group("num"))
        if value is None or any(s < match.end() and match.start() < e for s, e in taken):
            continue
        scale = _EN_SCALES.get((match.group("scale") or "").lower(), 1.0)
        kind = "number" if match.group("scale") else _kind(match.group("unit"), value, False, "")
        currency = _CURRENCIES.get((match.group("cur") or "").lower())
        found.append(Quantity(value * scale, kind, currency, match.group(), match.start(), match.end(), 0.5 * scale))
    return sorted(found, key=lambda q: q.start)


def _word_number(words: str) -> float | None:
    """"fifty" -> 50, "twenty-five" -> 25, "three hundred and two" -> 302."""
    total = 0
    for word in regex.split(r"[-\s]+", words.lower()):
        if word in _EN_UNITS or word in _EN_TENS:
            total += _EN_UNITS.get(word, 0) + _EN_TENS.get(word, 0)
        elif word == "hundred":
            total *= 100
        elif word != "and":
            return None
    return float(total)


def _inside_latin(text: str, pos: int) -> bool:
    """Digits glued to Latin letters ("Q2", "A320", "COVID-19") are names, not figures."""
    return pos > 0 and bool(regex.match(r"[\p{Latin}\-]", text[pos - 1]))


def unsupported(text: str, reference: str) -> tuple[list[str], int]:
    """Figures of `text` that no figure of `reference` states (allowing rounding to the written
    precision), and how many figures `text` has."""
    stated = extract(reference)
    figures = extract(text)
    return [q.text for q in figures if not any(q.supported_by(s) for s in stated)], len(figures)

"""Figures (numbers, amounts, percentages and years) in English and Chinese text, normalised so that
different renderings of one quantity compare equal: "1.2 trillion yuan" = "1.2万亿元" = "12000亿元",
"$140 billion" = "1400亿美元", "50%" = "百分之五十". Used by evaluation (figures a summary's source does
not state) and translation (protection, and the check that every number of the source is translated)."""
from __future__ import annotations

from dataclasses import dataclass, replace

import regex

_EN_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6, "billion": 1e9,
              "bn": 1e9, "bln": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12}
_ZH_SCALES = {"十": 10, "百": 100, "千": 1e3, "万": 1e4, "十万": 1e5, "百万": 1e6, "千万": 1e7, "亿": 1e8,
              "十亿": 1e9, "百亿": 1e10, "千亿": 1e11, "万亿": 1e12}
_CURRENCIES = {
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "美元": "USD",
    "hk$": "HKD", "hkd": "HKD", "港元": "HKD", "港币": "HKD",
    "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "英镑": "GBP",
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "欧元": "EUR",
    "¥": "CNY", "rmb": "CNY", "cny": "CNY", "yuan": "CNY", "renminbi": "CNY", "元": "CNY", "人民币": "CNY",
    "yen": "JPY", "jpy": "JPY", "日元": "JPY",
}
_LATIN_CURRENCY = sorted((w for w in _CURRENCIES if w.isalpha() and w.isascii()), key=len, reverse=True)
_HAN_CURRENCY = sorted((w for w in _CURRENCIES if w.isalpha() and not w.isascii()), key=len, reverse=True)
_CURRENCY_WORD = regex.compile(r"US\$|HK\$|[$£€¥]|(?<![\p{Latin}])(?:" + "|".join(_LATIN_CURRENCY)
                               + r")(?![\p{Latin}])|" + "|".join(_HAN_CURRENCY), regex.IGNORECASE)


def currency(word: str) -> str | None:
    """The ISO code of a currency word or symbol (美元, dollars, HK$), None for anything else."""
    return _CURRENCIES.get(word.strip().lower())


def currencies(text: str) -> set[str]:
    """ISO codes of the currencies that `text` names, by word, symbol or code (US$, 美元, RMB, euros)."""
    return {_CURRENCIES[m.group().lower()] for m in _CURRENCY_WORD.finditer(text)}


_PERCENT = {"%", "％", "per cent", "percent"}
_PERCENTAGE_POINTS = {"percentage point", "percentage points", "个百分点", "百分点"}
_BASIS_POINTS = {"basis point", "basis points", "bp", "bps", "个基点", "基点"}
_ZH_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_ZH_NUMERAL = "〇零一二两三四五六七八九十百千万亿"

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_EN = regex.compile(
    rf"""(?<![\p{{Latin}}\d.,])(?<!\p{{Latin}}-)(?<!双)(?P<cur>US\$|HK\$|[$£€¥]|(?:RMB|CNY|USD|HKD|GBP|EUR|JPY)\s?|[A-Z]{{3}}(?=\d))?(?P<num>{_NUMBER})(?![\d])"""
    r"""(?:\s{0,2}(?P<scale>trillion|billion|million|thousand|tn|bln|bn|mln|mn|m|k|b)(?![\p{Latin}\d]))?"""
    r"""(?:\s?(?P<unit>%|percentage\s+points?|per\s?cent|percent|basis\s+points?|bps|bp(?![\p{L}])|yuan|"""
    r"""renminbi|dollars?|pounds?|euros?|yen|元|美元|港元|欧元|日元|英镑))?""",
    regex.IGNORECASE,
)
_ZH_DECIMAL = "点"
_ZH = regex.compile(
    rf"""(?P<pct>百分之)?(?P<cur>人民币|美元)?(?P<num>{_NUMBER}|[{_ZH_NUMERAL}]+点[〇零一二三四五六七八九]+"""
    rf"""|[{_ZH_NUMERAL}]*[一二两三四五六七八九十][{_ZH_NUMERAL}]*)\s?(?P<about>多|余)?"""
    r"""(?P<scale>万亿|千亿|百亿|十亿|亿|千万|百万|十万|万|千)?(?:多|余)?"""
    r"""(?P<unit>%|％|个百分点|百分点|个基点|基点|元|美元|港元|港币|欧元|日元|英镑|年(?!代))?"""
)
# A scale word standing alone after 上/过/破/超/逾/近 is a round figure: 上万 (10,000), 破万亿 (a trillion).
_ZH_ROUND = regex.compile(r"(?<=[上过破超逾近])(?P<scale>万亿|千亿|百亿|亿|万|千)(?P<unit>元|美元)?")
# A bare Chinese numeral is a figure before a measure word (三家 three firms, 八个省份); 一些 or 十分 are words.
_ZH_MEASURE = regex.compile(r"\s?(?:多|余)?[个家名位人只件项次倍条艘架辆座所户股吨天周月日岁届期部口款米亩斤克升台套张份篇轮批层场]")
# 一 after a determiner is "the" or "a": 这一年 (this year), 新的一年 (the new year), 同一天 (the same day).
_ZH_DETERMINER = regex.compile(r"(?:这|那|每|同|另|某|新的?|上|下)$")
# Decades: 80后 and 70、80年代 are the 1980s and the 1970s.
_ZH_DECADE = regex.compile(r"(?<![\d.])(?P<num>\d0)(?=(?:[、和至到-]\d0)*(?:年代|后))")
_ZH_MONTH = regex.compile(r"(?<![\d.])(?P<num>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s?月(?!亮|球|饼)")
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_EN_MONTH = regex.compile(
    r"(?<![\p{L}])(?P<name>" + "|".join(_MONTHS) + r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
    r"(?![\p{L}])")
# "March" and "May" are verbs too: months when next to a day or year, or after a word that introduces a date.
_DATE_CONTEXT = regex.compile(r"(?:\b(?:in|on|since|until|till|by|from|of|last|next|this|early|late|mid|end|to|"
                              r"through)[\s-]+$)", regex.IGNORECASE)
# Between two figures, a word that makes them a range or a list: the first takes the unit, scale and currency of
# the second when it has none ("1.1个和0.2个百分点", "14-30%", "1-9月", "2 to 3 billion").
_JOINED = regex.compile(r"\s*个?\s*(?:和|、|至|到|-|–|—|~|～|或|与|及|and|to|or)\s*", regex.IGNORECASE)


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


# "half a billion dollars" is 0.5 billion.
_EN_HALF = regex.compile(r"(?<![\p{L}])half\s+an?\s+(?P<scale>trillion|billion|million|thousand)"
                         r"(?:\s+(?P<cur>yuan|dollars?|pounds?|euros?|yen))?(?![\p{L}])", regex.IGNORECASE)
# Fractions: 2/3, 三分之二, "two-thirds", "a third of" (a fraction word not hyphenated counts before "of": "a quarter"
# is also three months, and "the first three quarters of 2017" nine months).
_FRACTION_DIGITS = regex.compile(r"(?<![\d/.,])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?![\d/])")
_ZH_FRACTION = regex.compile(r"(?P<b>\d{1,2}|[一二两三四五六七八九十]+)分之(?P<a>\d{1,2}|[一二两三四五六七八九十]+)")
_EN_DENOMINATORS = {w: d for d, forms in enumerate(
    ["", "", "half halves", "third thirds", "quarter quarters", "fifth fifths", "sixth sixths", "seventh sevenths",
     "eighth eighths", "ninth ninths", "tenth tenths"]) for w in forms.split()}
_EN_FRACTION = regex.compile(
    r"(?<![\p{L}-])(?<!(?:first|last|past|next|previous|recent|consecutive)\s+)"
    r"(?P<a>one|a|two|three|four|five|six|seven|eight|nine)(?:-(?P<b>"
    + "|".join(_EN_DENOMINATORS) + r")|\s(?P<b>" + "|".join(_EN_DENOMINATORS) + r")(?=\s+of\b))(?![\p{L}])",
    regex.IGNORECASE)


# A cheap mark of a figure written with digits (an amount, percentage or year), for counting per sentence where
# `extract`'s full parse is not needed (the extractive summarizer's figures feature, hot on every sentence).
FIGURE_MARK = regex.compile(r"(?<![\p{Latin}\d])[$£€¥]?\d[\d,.]*\s*(?:%|bn|billion|million|m\b|亿|万)?")


@dataclass(frozen=True)
class Quantity:
    """One number found in a text: its value in base units, kind, currency and where it was found."""

    value: float
    kind: str            # "percent", "pp" (percentage points), "bp", "year", "month" (1-12), "fraction" or "number"
    currency: str | None
    text: str
    start: int
    end: int
    step: float          # half a unit of the last written digit, in base units: the rounding it allows
    scale: float = 1.0   # the scale word's factor (million, 亿, ...), 1 without one
    area: float | None = None  # an area unit's size in hectares (亩 1/15, acre 0.4047), None for no area

    def supported_by(self, other: "Quantity") -> bool:
        """True when `other` (from the source) states this quantity, allowing for rounding."""
        if self.area and other.area and self.area != other.area:  # 7.5万亩 = 5,000 hectares
            return abs(self.value * self.area - other.value * other.area) <= _AREA_TOLERANCE * other.value * other.area
        if self.kind != other.kind and {self.kind, other.kind} not in ({"year", "number"}, {"percent", "pp"}):
            return False
        if self.currency and other.currency and self.currency != other.currency:
            return False
        tolerance = max(self.step, 1e-9 * abs(other.value))
        return abs(self.value - other.value) <= tolerance

    @property
    def bare(self) -> bool:
        """A plain count as written ("14", "1.1"): no unit, scale or currency."""
        return self.kind == "number" and self.currency is None and self.scale == 1.0


def _decimals(number: str) -> int:
    return len(number.split(".", 1)[1]) if "." in number else 0


def _zh_numeral(text: str) -> float | None:
    """五十 -> 50, 三千二百 -> 3200, 一万二千 -> 12000, 十五 -> 15, 二〇二一 -> 2021, 零点二五 -> 0.25."""
    if "点" in text:
        whole, _, fraction = text.partition("点")
        head = _zh_numeral(whole) if whole else 0.0
        if head is None or not fraction or any(ch not in _ZH_DIGITS for ch in fraction):
            return None
        return head + float("0." + "".join(str(_ZH_DIGITS[ch]) for ch in fraction))
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
    if (unit == "年" and 1900 <= value <= 2100) or (not unit and not has_scale and "." not in raw and "," not in raw
                                                    and 1900 <= value <= 2100):
        return "year"
    return "number"


def _is_date(text: str, start: int, end: int) -> bool:
    return bool(regex.match(r"\s*,?\s*\d", text[end:end + 4]) or regex.search(r"\d\s*$", text[max(0, start - 4):start])
                or _DATE_CONTEXT.search(text[max(0, start - 12):start]))


def _month_number(name: str) -> int:
    return next(i for i, month in enumerate(_MONTHS, start=1) if month.startswith(name.rstrip(".")[:3]))


# Area units and their size in hectares: Chinese news writes land in 亩 (mu), English translations often convert it
# to hectares (7.5万亩 = 5,000 hectares), rounding the result.
_AREAS = regex.compile(r"\s?(?:(?:多|余)?(?P<zh>英亩|亩|公顷|平方公里)|(?P<en>hectares?|ha|acres?|square\s+kilomet(?:re|er)s?"
                       r"|sq\.?\s?km|km2|km²|mu)(?![\p{L}]))", regex.IGNORECASE)
_HECTARES = {"亩": 1 / 15, "英亩": 0.4047, "公顷": 1.0, "平方公里": 100.0, "hectare": 1.0, "hectares": 1.0, "ha": 1.0, "acre": 0.4047,
             "acres": 0.4047, "mu": 1 / 15, "sq km": 100.0, "sqkm": 100.0, "sq.km": 100.0, "sq. km": 100.0,
             "km2": 100.0, "km²": 100.0}
_AREA_TOLERANCE = 0.03  # a converted area is rounded: 7.5万亩 is 5,000 ha, 100万亩 "about 66,700 hectares"
# "US$2. 4 trillion": a decimal point followed by a space before the scale word, a typesetting slip.
_SPLIT_DECIMAL = regex.compile(r"(?<=\d)\. (\d+)(?=\s?(?:trillion|billion|million)\b)", regex.IGNORECASE)


def _with_area(q: Quantity, text: str) -> Quantity:
    """`q` with the size of its area unit when one follows it."""
    match = _AREAS.match(text, q.end)
    if not match or q.kind != "number":
        return q
    unit = " ".join((match.group("zh") or match.group("en")).lower().split())
    factor = _HECTARES.get(unit) or (100.0 if unit.startswith("square") else None)
    return q if factor is None else replace(q, area=factor)


# Full-width digits, point and percent sign read as their ASCII forms (one character for one: offsets hold).
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")


def extract(text: str) -> list[Quantity]:
    """All quantities in `text` (English and Chinese renderings, mixed text allowed)."""
    found: list[Quantity] = []
    text = _SPLIT_DECIMAL.sub(lambda m: "." + m.group(1) + " ", text.translate(_FULL_WIDTH))

    def free(start: int, end: int) -> bool:
        return not any(q.start < end and start < q.end for q in found)

    found += _fractions(text)
    for match in _ZH_MONTH.finditer(text):
        raw = match.group("num")
        value = _zh_numeral(raw) if raw[0] in _ZH_NUMERAL else float(raw)
        found.append(Quantity(value, "month", None, match.group(), match.start(), match.end(), 0.5))
    for match in _ZH_DECADE.finditer(text):
        value = float(match.group("num"))
        found.append(Quantity(value + (1900 if value >= 20 else 2000), "year", None, match.group(), match.start(),
                              match.end(), 0.5))
    for match in _EN_MONTH.finditer(text):
        if match.group("name") in ("March", "May") and not _is_date(text, match.start(), match.end()):
            continue
        found.append(Quantity(float(_month_number(match.group("name"))), "month", None, match.group(),
                              match.start(), match.end(), 0.5))
    for match in _ZH.finditer(text):
        if (not regex.search(r"[\p{Han}%％]", match.group()) or _inside_latin(text, match.start("num"))
                or not free(match.start(), match.end())):
            continue  # plain digits are handled by the English pattern
        raw = match.group("num")
        base = _zh_numeral(raw) if raw[0] in _ZH_NUMERAL else float(raw.replace(",", ""))
        if base is None:
            continue
        scale = _ZH_SCALES.get(match.group("scale") or "", 1.0)
        unit = "%" if match.group("pct") else (match.group("unit") or "")
        currency = _CURRENCIES.get(match.group("cur") or unit or "")
        if raw[0] in _ZH_NUMERAL and not (match.group("pct") or match.group("scale") or unit
                                          or (raw != "一" and _ZH_MEASURE.match(text, match.end("num")))):
            continue  # a bare Chinese numeral such as 一 in 一些 or 一家 (a, one) is a word, not a figure
        if raw[0] in "十百千" and match.start() > 0 and text[match.start() - 1] in "数几":
            continue  # 数十亿 (billions), 几百万 (millions): no figure
        if raw == "一" and _ZH_DETERMINER.search(text, 0, match.start()):
            continue  # 这一年, 新的一年, 同一天: "this year", "the new year", "the same day"
        kind = _kind(unit, base, bool(match.group("scale")), raw)
        step = 0.5 * 10 ** -_decimals(raw) * scale if raw[0] not in _ZH_NUMERAL else 0.5 * scale
        found.append(Quantity(base * scale, kind, currency, match.group().strip(), match.start(), match.end(), step,
                              scale))
    for match in _ZH_ROUND.finditer(text):
        if free(match.start(), match.end()):
            scale = _ZH_SCALES[match.group("scale")]
            found.append(Quantity(scale, "number", _CURRENCIES.get(match.group("unit") or ""), match.group(),
                                  match.start(), match.end(), 0.5 * scale, scale))
    for match in _EN.finditer(text):
        if not free(match.start("num"), match.end("num")):
            continue
        raw = match.group("num")
        scale_word = (match.group("scale") or "").lower()
        scale = _EN_SCALES.get(scale_word, 1.0)
        unit = match.group("unit") or ""
        currency = _CURRENCIES.get((match.group("cur") or "").strip().lower() or unit.lower())
        value = float(raw.replace(",", ""))
        kind = _kind(unit, value, bool(scale_word), raw)
        found.append(Quantity(value * scale, kind, currency, match.group().strip(), match.start(), match.end(),
                              0.5 * 10 ** -_decimals(raw) * scale, scale))
    for match in _EN_WORDS.finditer(text):
        value = _word_number(match.group("num"))
        if value is None or not free(match.start(), match.end()):
            continue
        scale = _EN_SCALES.get((match.group("scale") or "").lower(), 1.0)
        kind = "number" if match.group("scale") else _kind(match.group("unit"), value, False, "")
        currency = _CURRENCIES.get((match.group("cur") or "").lower())
        found.append(Quantity(value * scale, kind, currency, match.group(), match.start(), match.end(), 0.5 * scale,
                              scale))
    for match in _EN_HALF.finditer(text):
        if free(match.start(), match.end()):
            scale = _EN_SCALES[match.group("scale").lower()]
            found.append(Quantity(0.5 * scale, "number", _CURRENCIES.get((match.group("cur") or "").lower()),
                                  match.group(), match.start(), match.end(), 0.05 * scale, scale))
    return [_with_area(q, text) for q in _join_ranges(text, sorted(found, key=lambda q: q.start))]


def _fractions(text: str) -> list[Quantity]:
    """Proper fractions in digits, Chinese or English words: 2/3 = 三分之二 = two-thirds."""
    found = []
    for pattern in (_FRACTION_DIGITS, _ZH_FRACTION, _EN_FRACTION):
        for match in pattern.finditer(text):
            a, b = (_fraction_part(match.group(g)) for g in ("a", "b"))
            if a and b and a < b <= 12:
                found.append(Quantity(a / b, "fraction", None, match.group(), match.start(), match.end(), 1e-3))
    return found


def _fraction_part(word: str) -> float | None:
    word = word.lower()
    if word.isdigit():
        return float(word)
    if word in _EN_DENOMINATORS:
        return float(_EN_DENOMINATORS[word])
    if word in ("a", "one"):
        return 1.0
    return float(_EN_UNITS[word]) if word in _EN_UNITS else _zh_numeral(word)


def _join_ranges(text: str, found: list[Quantity]) -> list[Quantity]:
    """A bare figure joined to the next by 和 / 至 / - / and / to takes that figure's unit, scale and currency."""
    out = list(found)
    for i in range(len(out) - 2, -1, -1):
        first, second = out[i], out[i + 1]
        if first.bare and not second.bare and _JOINED.fullmatch(text, first.end, second.start):
            out[i] = Quantity(first.value * second.scale, second.kind, second.currency, first.text, first.start,
                              first.end, first.step * second.scale, second.scale)
    return out


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


_ORDINALS = {w: i for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split(), start=1)}
_MULTIPLES = {"twice": 2, "double": 2, "doubled": 2, "both": 2, "triple": 3, "tripled": 3, "dozen": 12,
              "decade": 10, "a year": 1, "an year": 1, "a month": 1, "a week": 1, "a day": 1, "a quarter": 1,
              "ii": 2, "iii": 3, "iv": 4, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "xi": 11, "xii": 12}
_EN_WORD_NUMBER = regex.compile(rf"(?<![\p{{L}}])(?:{_WORD})(?:-(?:{_WORD}))?(?![\p{{L}}])", regex.IGNORECASE)
_COUNT_WORD = regex.compile(r"(?<![\p{L}])(?:" + "|".join([*_ORDINALS, *_MULTIPLES]) + r")(?![\p{L}])",
                            regex.IGNORECASE)
_ZH_RUN = regex.compile(rf"[{_ZH_NUMERAL}]+(?:点[{_ZH_NUMERAL}]+)?")
_DIGITS = regex.compile(_NUMBER)
_DECADES = regex.compile(rf"(?<![\p{{L}}])(\d+|{_WORD})\s+decades(?![\p{{L}}])", regex.IGNORECASE)


def mentions(text: str) -> set[float]:
    """Every plain number the text states in any form: digits, English number words, ordinals and multiples
    (third, twice), month names, runs of Chinese numerals (十九 in 十九大). Small counts are often written in
    words in one language and in digits in the other ("six years", "连续6年", "top 10", "十大")."""
    text = text.translate(_FULL_WIDTH)
    found = {float(m.group().replace(",", "")) for m in _DIGITS.finditer(text)}
    for m in _EN_WORD_NUMBER.finditer(text):
        value = _word_number(m.group())
        if value is not None:
            found.add(value)
    for m in _COUNT_WORD.finditer(text):
        word = m.group().lower()
        found.add(float(_ORDINALS.get(word) or _MULTIPLES[word]))
    for m in _ZH_RUN.finditer(text):
        value = _zh_numeral(m.group())
        if value is not None:
            found.add(value)
    found.update(float(_month_number(m.group("name"))) for m in _EN_MONTH.finditer(text))
    for m in _DECADES.finditer(text):  # "four decades": 40 years
        value = float(m.group(1)) if m.group(1).isdigit() else _word_number(m.group(1))
        if value is not None:
            found.add(10 * value)
    return found


@dataclass
class FigureCheck:
    """Figures of a source and of its translation compared: which source figures the translation lacks and which
    translation figures the source does not state (a changed figure is both)."""

    missing: list[str]
    added: list[str]
    source_figures: int
    output_figures: int


# Words that state a figure without digits: "half" is 50%, and "year-on-year" states the year a comparison is with
# (比2016年增长 = "up ... year-on-year").
_CUES = {"half": regex.compile(r"(?<![\p{L}])half(?![\p{L}])|半数|一半|过半|减半", regex.IGNORECASE),
         "year_on_year": regex.compile(r"year[-\s]on[-\s]year|(?<![\p{L}])(?:y-o-y|yoy)(?![\p{L}])|from a year "
                                       r"(?:earlier|ago|before)|同比", regex.IGNORECASE)}
_COMPARED = regex.compile(r"(?:比|较|相比|from|over|compared\s+(?:with|to)|than)\s*$", regex.IGNORECASE)


def _stated(q: Quantity, text: str, others: list[Quantity], numbers: set[float], cues: set[str]) -> bool:
    """Whether the other side (its quantities, the plain numbers it mentions, its cue words) states `q` of `text`."""
    if any(q.supported_by(o) for o in others) or any(o.supported_by(q) for o in others):
        return True
    if q.kind == "percent" and q.value == 50 and "half" in cues:
        return True
    if q.kind == "year" and "year_on_year" in cues and _COMPARED.search(text[max(0, q.start - 14):q.start]):
        return True
    # a plain count or a month may be written in words on the other side ("six consecutive years"), unless that
    # side writes the same number with another area unit (3,000 acres is not 3,000亩)
    return (q.kind in ("number", "month") and q.scale == 1.0 and q.value in numbers
            and not any(o.area != q.area and o.value == q.value for o in others))


def compare(source: str, output: str) -> FigureCheck:
    """Unit-aware comparison of the figures of `source` and of its translation `output` (either language)."""
    theirs, ours = extract(source), extract(output)
    cues = {side: {name for name, cue in _CUES.items() if cue.search(side)} for side in (source, output)}
    missing = [q.text for q in theirs if not _stated(q, source, ours, mentions(output), cues[output])]
    added = [q.text for q in ours if not _stated(q, output, theirs, mentions(source), cues[source])]
    return FigureCheck(list(dict.fromkeys(missing)), list(dict.fromkeys(added)), len(theirs), len(ours))


def unsupported(text: str, reference: str) -> tuple[list[str], int]:
    """Figures of `text` that no figure of `reference` states (allowing rounding to the written
    precision), and how many figures `text` has."""
    stated = extract(reference)
    figures = extract(text)
    return [q.text for q in figures if not any(q.supported_by(s) for s in stated)], len(figures)

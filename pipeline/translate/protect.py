"""Term and number protection for translation: amounts, percentages and glossary terms are replaced by
placeholders (QZX1, QZX2, ...) that models copy through, then restored in their target form (the glossary's
Chinese or English term; amounts rescaled with 万/亿 or million/billion/trillion)."""
from __future__ import annotations

from dataclasses import dataclass

import regex

from ..figures import Quantity, extract
from ..glossary.detect import TermDetector
from ..lang import profile
from ..lang.base import plain_number

_PLACEHOLDER = "QZX{}"
_FOUND = regex.compile(r"Q\s*Z\s*X\s*(\d+)", regex.IGNORECASE)


@dataclass
class Protected:
    text: str
    slots: dict[str, str]  # placeholder -> target rendering


def render_quantity(q: Quantity, target: str) -> str | None:
    """The quantity written in the target language (its profile's amount forms), or None to leave it to the
    model (plain numbers, years)."""
    if q.kind == "percent":
        return f"{plain_number(q.value)}%"
    if q.kind == "bp":
        return profile(target).basis_points.format(plain_number(q.value))
    if q.kind == "pp":
        return profile(target).percentage_points.format(plain_number(q.value))
    if q.kind != "number" or (q.currency is None and q.value < 1e4):
        return None
    return profile(target).render_amount(q.value, q.currency)


def protect(text: str, source_lang: str, detector: TermDetector | None, target_lang: str) -> Protected:
    """Replace glossary terms and amounts by placeholders; the slots say what each one becomes."""
    target = target_lang
    spans: list[tuple[int, int, str]] = []
    for q in extract(text):
        rendered = render_quantity(q, target)
        if rendered:
            spans.append((q.start, q.end, rendered))
    if detector is not None:
        for start, end, idx in detector.find(text, source_lang):
            if not any(s < end and start < e for s, e, _ in spans):
                term = detector.terms[idx]
                spans.append((start, end, profile(target).term_form(term)))
    out, slots, pos = [], {}, 0
    starts = {start for start, _, _ in spans}
    for start, end, rendered in sorted(spans):
        name = _PLACEHOLDER.format(len(slots) + 1)
        out += [text[pos:start], name]
        if text[end:end + 1].isdigit() and end not in starts:
            out.append(" ")  # "降准2024年" would give "QZX22024年", read as placeholder 22024
        slots[name] = rendered
        pos = end
    out.append(text[pos:])
    return Protected("".join(out), slots)


def has_placeholder(text: str) -> bool:
    return bool(_FOUND.search(text))


def restore(translation: str, protected: Protected) -> tuple[str, list[str]]:
    """Put the target forms back; also returns the renderings whose placeholder the model dropped."""
    seen = set()

    def put(match: regex.Match) -> str:
        digits = match.group(1)
        # the number as written, else its longest start that is a placeholder, the rest being a figure the model
        # glued to it ("QZX20.5" for QZX2 and 0.5)
        for cut in range(len(digits), 0, -1):
            name = _PLACEHOLDER.format(int(digits[:cut]))
            if name in protected.slots:
                seen.add(name)
                return protected.slots[name] + digits[cut:]
        return match.group()

    text = _FOUND.sub(put, translation)
    return text, [rendered for name, rendered in protected.slots.items() if name not in seen]


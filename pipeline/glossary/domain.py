"""How financial a text is: a logistic model over hashed words (crc32 into buckets: no text is stored), one per
language, trained by `benchmarks/train_domain.py` (finance news against general news) and shipped as JSON weights
in `domain/` beside this module (nothing is unpickled or executed). The glossary's context check uses it to set how
much evidence an ambiguous form needs: less in a finance article or sentence, more in a sports or arts report."""
from __future__ import annotations

import json
import math
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex

from ..schema import Lang

FOLDER = Path(__file__).with_name("domain")
_EN_WORD = regex.compile(r"[a-z]+(?:'[a-z]+)?")
_HAN = regex.compile(r"\p{Han}")


def words(text: str, lang: Lang) -> set[str]:
    """The distinct words a model sees: lower-cased English words; Chinese words cut by jieba-rs (Han only)."""
    if lang == "en":
        return set(_EN_WORD.findall(text.lower()))
    import rjieba

    return {w for w in rjieba.cut(text) if _HAN.search(w)}


def bucket(word: str, buckets: int) -> int:
    return zlib.crc32(word.encode("utf-8")) % buckets


@dataclass(frozen=True)
class DomainModel:
    """P(finance) = sigmoid(bias + sum of the weights of the text's word buckets / sqrt(number of words))."""

    lang: Lang
    bias: float
    weights: tuple[float, ...]

    def probability(self, text: str) -> float:
        seen = {bucket(w, len(self.weights)) for w in words(text, self.lang)}
        if not seen:
            return 0.5
        z = self.bias + sum(self.weights[b] for b in sorted(seen)) / math.sqrt(len(seen))  # a fixed order
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def to_json(self) -> str:
        return json.dumps({"lang": self.lang, "bias": round(self.bias, 5),
                           "weights": [round(w, 4) for w in self.weights]}, separators=(",", ":"))


@lru_cache(maxsize=None)
def model(lang: Lang) -> DomainModel | None:
    """The shipped model of `lang`, or None where none is shipped (the context check then uses fixed evidence)."""
    path = FOLDER / f"{lang}.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return DomainModel(data["lang"], float(data["bias"]), tuple(float(w) for w in data["weights"]))

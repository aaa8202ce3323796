"""The term base: curated English-Chinese entries shipped as YAML, plus the user's own YAML file.

Categories of the shipped entries (a user's file may add its own):
monetary_policy, banking, capital_markets, bonds, funds, insurance, corporate_finance, real_estate, trusts,
fiscal, macroeconomy, currency, regulators, green_finance, fintech, risk."""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from ..config import read_yaml
from ..errors import ConfigError

SHIPPED = Path(__file__).with_name("terms.yaml")
CATEGORIES = ("monetary_policy", "banking", "capital_markets", "bonds", "funds", "insurance", "corporate_finance",
              "real_estate", "trusts", "fiscal", "macroeconomy", "currency", "regulators", "green_finance", "fintech",
              "risk")


class Term(BaseModel):
    model_config = ConfigDict(extra="forbid")

    en: str
    zh: str
    aliases_en: list[str] = []
    aliases_zh: list[str] = []
    # Renderings seen in machine-translated text that the glossary does not recommend (e.g. "reloan"):
    # detected as the term, and reported as inconsistent with the glossary.
    variants_en: list[str] = []
    variants_zh: list[str] = []
    # Forms with an everyday sense ("unicorn", 熔断): found only with evidence of the financial sense
    # (pipeline/glossary/context.py). Acronyms are always treated so.
    ambiguous: list[str] = []
    # Ambiguous forms whose everyday sense is common even in finance text ("trust", "fine", 指引): found only with
    # the entry's own evidence (a cue word close by, or its unambiguous form in the article).
    strict: list[str] = []
    # Forms naming a kind of institution (央行, "central bank"): after another country's name they are dropped.
    generic: list[str] = []
    # Words that, in the same sentence, show an ambiguous form is meant in this entry's sense.
    cues_en: list[str] = []
    cues_zh: list[str] = []
    # Words that, right beside an ambiguous form, show its everyday sense ("copper deposit", "police custody",
    # 游戏开发商): the form is not this entry there, whatever the other evidence.
    against_en: list[str] = []
    against_zh: list[str] = []
    category: str
    definition_en: str
    definition_zh: str

    @field_validator("en", "zh", "category", "definition_en", "definition_zh")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    @field_validator("aliases_en", "aliases_zh", "variants_en", "variants_zh", "ambiguous", "strict", "generic",
                     "cues_en", "cues_zh", "against_en", "against_zh")
    @classmethod
    def _no_blank_forms(cls, value: list[str]) -> list[str]:
        if any(not form.strip() for form in value):
            raise ValueError("must not hold an empty form (it would match everywhere)")
        return [form.strip() for form in value]

    @model_validator(mode="after")
    def _marks_name_own_forms(self) -> "Term":
        forms = set(self.forms())
        for form in self.ambiguous + self.strict + self.generic:
            if form not in forms:
                raise ValueError(f"'{form}' is marked ambiguous, strict or generic but is not one of the entry's forms")
        if (self.against_en or self.against_zh) and not (self.ambiguous or self.strict or any(map(is_acronym, forms))):
            raise ValueError("against_en / against_zh need an ambiguous or strict form or an acronym (the others are "
                             "always found)")
        return self

    def forms(self) -> list[str]:
        """Every surface form of the entry, in both languages."""
        return [self.en, *self.aliases_en, *self.variants_en, self.zh, *self.aliases_zh, *self.variants_zh]


def capitals(form: str) -> bool:
    """Written in capitals (digits, &, hyphens, spaces and a plural s allowed): "MLF", "CSI 300", "LGFVs"."""
    core = form[:-1] if form.endswith("s") and form[:-1].isupper() else form
    return core.replace("-", "").replace(" ", "").replace("&", "").isupper()


def mixed_case(form: str) -> bool:
    """A short word with a capital after its first letter and small letters too: an acronym in its own case
    ("MoM", "YoY", "QoQ")."""
    return " " not in form and len(form) <= 6 and any(c.isupper() for c in form[1:]) and any(c.islower() for c in form)


def is_acronym(form: str) -> bool:
    """A short capitalised word ("MLF", "M2", "M&A", "PE"): ambiguous unless the context shows finance."""
    return " " not in form and len(form) <= 6 and capitals(form)


def read_terms(path: Path) -> list[Term]:
    raw = read_yaml(path, "term file") or []
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: a term file is a YAML list of entries")
    terms = []
    for i, item in enumerate(raw):
        try:
            terms.append(Term.model_validate(item))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = f"'{'.'.join(map(str, first['loc']))}' " if first["loc"] else ""
            raise ConfigError(f"{path}: entry {i + 1}: {where}{first['msg']}") from None
    return terms


def load_terms(user_file: str | Path | None = None) -> list[Term]:
    """Shipped terms, extended or overridden (same English term) by the user's file. A form the user's file gives
    (超长期特别国债) is the user's entry's wherever a shipped entry also lists it as an alias or variant: the shipped
    entry keeps its other forms (特别国债)."""
    terms = {t.en.lower(): t for t in read_terms(SHIPPED)}
    if not user_file:
        return list(terms.values())
    user = read_terms(Path(user_file))
    taken = {form.lower() for t in user for form in (t.en, t.zh, *t.aliases_en, *t.aliases_zh, *t.variants_en,
                                                       *t.variants_zh)}
    for key, term in terms.items():
        fields = ("aliases_en", "aliases_zh", "variants_en", "variants_zh")
        kept = {name: [f for f in getattr(term, name) if f.lower() not in taken] for name in fields}
        if any(kept[name] != getattr(term, name) for name in fields):
            terms[key] = term.model_copy(update=kept)
    for term in user:
        terms[term.en.lower()] = term
    return list(terms.values())

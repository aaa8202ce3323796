"""Plain typed objects passed between stages, and the output record (the documented JSON schema)."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .errors import WARNINGS

Lang = Literal["en", "zh"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Article(_Model):
    """One input record."""

    id: str
    text: str
    title: str | None = None


class Edit(_Model):
    """A change the cleaner made. `start`/`end` index the ORIGINAL text; `original` is the text that stood
    there and `replacement` what stands in the cleaned text now ("" for a removal)."""

    start: int
    end: int
    original: str
    replacement: str
    rule: str
    reason: str
    confidence: float = Field(ge=0.0, le=1.0)


class Flag(_Model):
    """A sentence the cleaner suspects but kept. Offsets index the CLEANED text."""

    start: int
    end: int
    text: str
    rule: str
    reason: str
    confidence: float = Field(ge=0.0, le=1.0)


class Sentence(_Model):
    """A sentence span of the cleaned text."""

    index: int
    start: int
    end: int
    text: str


class CleanResult(_Model):
    original_text: str
    cleaned_text: str
    edits: list[Edit] = []
    flags: list[Flag] = []


class Occurrence(_Model):
    start: int
    end: int
    surface: str
    sentence: int
    lang: Lang


class GlossaryEntry(_Model):
    """A term found in the article, with both languages and where it occurs in the cleaned text."""

    term_en: str
    term_zh: str
    category: str
    definition_en: str = ""
    definition_zh: str = ""
    occurrences: list[Occurrence] = []


class TermCandidate(_Model):
    """A finance-looking phrase that is not in the term base: listed for a human to check, never translated."""

    term: str
    lang: Lang
    count: int
    contexts: list[str] = []
    status: Literal["unverified"] = "unverified"


class Notice(_Model):
    """A structured warning: a stable code (errors.WARNINGS), the output field it concerns, the readable text."""

    code: str
    field: str
    message: str

    @field_validator("code")
    @classmethod
    def _documented(cls, code: str) -> str:
        if code not in WARNINGS:
            raise ValueError(f"undocumented warning code {code!r}")
        return code

    @classmethod
    def about(cls, code: str, field: str, text: str) -> Notice:
        """A notice whose message is "FIELD: text"."""
        return cls(code=code, field=field, message=f"{field}: {text}")

    @classmethod
    def missing(cls, code: str, field: str, reason: str) -> Notice:
        """A notice whose message is "FIELD is missing: reason"."""
        return cls(code=code, field=field, message=f"{field} is missing: {reason}")


class Provenance(_Model):
    backend: str
    model: str | None = None
    revision: str | None = None
    details: dict[str, Any] = {}


class Summary(_Model):
    """A summary in one language, or the reason it is missing (`text is None`). `sentences`: the indices the
    extractive summarizer chose (empty for models); a one-sentence summary cut to some of its clauses says so in
    details.trim (which clauses, and their span in the cleaned text)."""

    lang: Lang
    text: str | None
    sentences: list[int] = []
    backend: str
    model: str | None = None
    revision: str | None = None
    details: dict[str, Any] = {}
    notices: list[Notice] = []

    @property
    def field(self) -> str:
        return f"summary_{self.lang}"

    def provenance(self) -> Provenance:
        return Provenance(backend=self.backend, model=self.model, revision=self.revision,
                          details={**self.details, "available": self.text is not None})


class Document(_Model):
    """What the summarize stage takes for one article: its sentences, language, the indices of sentences
    flagged by the cleaner (left out), and its title."""

    sentences: list[Sentence]
    lang: Lang
    exclude: set[int] = set()
    title: str | None = None


class Result(_Model):
    """The output record for one article: the schema documented in README."""

    id: str
    source_lang: Lang
    cleaned_text: str
    edits: list[Edit]
    flags: list[Flag]
    summary_en: str | None
    summary_zh: str | None
    glossary: list[GlossaryEntry]
    term_candidates: list[TermCandidate] = []
    provenance: dict[str, Provenance]
    warnings: list[str]
    warning_details: list[Notice] = []
    timings: dict[str, float]  # summarize and translate: the batch time shared evenly (README, Output schema)

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class ErrorInfo(_Model):
    code: str
    message: str


class ErrorRecord(_Model):
    """What the batch runner writes for an input record that could not be processed."""

    id: str
    error: ErrorInfo

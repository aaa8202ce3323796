"""Errors with stable codes. The CLI prints them as one line; the batch runner turns them into error records."""
from __future__ import annotations


class BisumError(Exception):
    """Base error. `code` is stable and documented in README; `record` names the input record when known."""

    code = "error"

    def __init__(self, message: str, *, record: str | None = None):
        super().__init__(message)
        self.message = message
        self.record = record

    def __str__(self) -> str:
        where = f"record {self.record!r}: " if self.record else ""
        return f"{where}{self.message}"


class ConfigError(BisumError):
    code = "bad_config"


class InputError(BisumError):
    code = "bad_input"


class EmptyTextError(InputError):
    code = "empty_text"


class EncodingError(InputError):
    code = "not_utf8"


class UnsupportedLanguageError(InputError):
    code = "unsupported_language"


class ModelLoadError(BisumError):
    code = "model_unavailable"

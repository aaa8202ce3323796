"""Reading articles: one text file or stdin, JSONL and CSV record files. Errors name the file and record."""
from __future__ import annotations

import csv
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from .errors import EmptyTextError, EncodingError, InputError
from .schema import Article


def read_text_file(path: str | Path) -> str:
    """Read a UTF-8 text file ('-' is stdin). Empty files, folders and non-UTF-8 bytes are errors."""
    if str(path) == "-":
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        p = Path(path)
        if p.is_dir():
            raise InputError(f"{p} is a directory, not a text file (use `bisum batch` for many articles)")
        if not p.exists():
            raise InputError(f"{p}: no such file")
        data = p.read_bytes()
        name = str(p)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EncodingError(f"{name}: not valid UTF-8 (byte {exc.start}: {data[exc.start:exc.start + 1]!r})") from None
    if not text.strip():
        raise EmptyTextError(f"{name}: the text is empty")
    return text


def stable_id(text: str) -> str:
    """An id derived from the text, the same on every run."""
    return "sha1-" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


class RecordError(InputError):
    """A record that cannot be read; the batch runner writes it as an error record and goes on."""

    def __init__(self, message: str, *, record: str, code: str = "bad_record"):
        super().__init__(message, record=record)
        self.code = code


def iter_records(path: str | Path, id_field: str = "id", text_field: str = "text",
                 title_field: str = "title") -> Iterator[Article | RecordError]:
    """Yield an Article, or a RecordError, for every record of a JSONL or CSV file, in file order."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file" if not p.exists() else f"{p} is not a file")
    suffix = p.suffix.lower()
    if suffix in (".jsonl", ".json", ".ndjson"):
        yield from _jsonl(p, id_field, text_field, title_field)
    elif suffix in (".csv", ".tsv"):
        yield from _csv(p, id_field, text_field, title_field, "\t" if suffix == ".tsv" else ",")
    else:
        raise InputError(f"{p}: unsupported input format '{suffix}' (use .jsonl or .csv)")


def _article(row: dict, line_id: str, id_field: str, text_field: str, title_field: str) -> Article | RecordError:
    rid = row.get(id_field)
    rid = str(rid) if rid not in (None, "") else None
    text = row.get(text_field)
    if text is None:
        return RecordError(f"field '{text_field}' is missing", record=rid or line_id, code="missing_text")
    if not isinstance(text, str):
        return RecordError(f"field '{text_field}' is a {type(text).__name__}, not a string",
                           record=rid or line_id, code="bad_text_type")
    title = row.get(title_field)
    return Article(id=rid or stable_id(text), text=text, title=title if isinstance(title, str) else None)


def _jsonl(p: Path, id_field: str, text_field: str, title_field: str):
    with p.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            line_id = f"{p.name}:{number}"
            if not raw.strip():
                continue
            try:
                row = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError:
                yield RecordError("line is not valid UTF-8", record=line_id, code="not_utf8")
                continue
            except json.JSONDecodeError as exc:
                yield RecordError(f"invalid JSON ({exc.msg} at column {exc.colno})", record=line_id, code="bad_json")
                continue
            if not isinstance(row, dict):
                yield RecordError("a JSONL record must be an object", record=line_id, code="bad_json")
                continue
            yield _article(row, line_id, id_field, text_field, title_field)


def _csv(p: Path, id_field: str, text_field: str, title_field: str, delimiter: str):
    try:
        with p.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh, delimiter=delimiter)
            if reader.fieldnames is None or text_field not in reader.fieldnames:
                raise InputError(f"{p}: no '{text_field}' column (columns: {reader.fieldnames})")
            for number, row in enumerate(reader, start=2):
                yield _article(row, f"{p.name}:{number}", id_field, text_field, title_field)
    except UnicodeDecodeError as exc:
        raise EncodingError(f"{p}: not valid UTF-8 (byte {exc.start})") from None

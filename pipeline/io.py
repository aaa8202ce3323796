"""Reading articles and tables: one text file or stdin; JSONL, CSV/TSV and parquet files, `datasets` folders
saved with `save_to_disk`, folders of .txt files, in-memory datasets. Rows stream one at a time, so memory
stays flat on large inputs. Errors name the file and record."""
from __future__ import annotations

import csv
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from .errors import EmptyTextError, EncodingError, InputError, IOFailure
from .gate import MAX_CHARS, safe_id
from .schema import Article

# A CSV field may hold a whole article: fields up to the input limit (and some) are read, longer ones are
# refused by the gate with too_long instead of stopping the reader.
csv.field_size_limit(8 * MAX_CHARS)


def read_text_file(path: str | Path, max_chars: int = MAX_CHARS) -> str:
    """Read a UTF-8 text file ('-' is stdin), at most `max_chars` characters (an endless stdin is cut off with
    the error too_long). Empty files, folders, unreadable files and non-UTF-8 bytes are one-line errors."""
    limit = 4 * max_chars + 4  # UTF-8 takes at most 4 bytes a character
    if str(path) == "-":
        name = "<stdin>"
        if sys.stdin is None or sys.stdin.closed:
            raise InputError("<stdin> is closed: give a file, or pipe the text in")
        try:
            data = sys.stdin.buffer.read(limit + 1)
        except OSError as exc:
            raise IOFailure.of(name, exc, "cannot read") from None
    else:
        p = Path(path)
        name = str(p)
        if p.is_dir():
            raise InputError(f"{p} is a directory, not a text file (use `bisum batch` for many articles)")
        if not p.exists():
            raise InputError(f"{p}: no such file")
        try:
            with p.open("rb") as fh:
                data = fh.read(limit + 1)
        except OSError as exc:
            raise IOFailure.of(p, exc, "cannot read") from None
    if len(data) > limit:
        raise InputError(f"{name}: more than {max_chars:,} characters (setting input.max_chars)", code="too_long")
    try:
        text = decode(data)
    except UnicodeDecodeError as exc:
        raise EncodingError(f"{name}: {exc.reason}") from None
    if not text.strip():
        raise EmptyTextError(f"{name}: the text is empty")
    return text


_CONVERT = "convert it to UTF-8 (Chinese text saved as GBK: iconv -f GB18030 -t UTF-8)"
# What a file that is not text usually is, by its first bytes.
_NOT_TEXT = ((b"\x1f\x8b", "a gzip file: decompress it first"),
             (b"PK\x03\x04", "a ZIP archive (also .docx / .xlsx): extract or export the text first"),
             (b"%PDF", "a PDF: extract its text first"))


_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"),
         (b"\xfe\xff", "utf-16"))


def _encoding(p: Path) -> str:
    """The encoding a file's byte-order mark names (UTF-16 / UTF-32: Excel's "Unicode text"), else UTF-8."""
    with p.open("rb") as fh:
        head = fh.read(4)
    return next((codec for bom, codec in _BOMS if head.startswith(bom)), "utf-8-sig")


def decode(data: bytes) -> str:
    """Text of a file's bytes: UTF-8 (a byte-order mark dropped), or UTF-16 / UTF-32 when a byte-order mark says
    so. Anything else raises UnicodeDecodeError whose `reason` says what the bytes look like and what to do."""
    kind = next((what for magic, what in _NOT_TEXT if data.startswith(magic)), None)
    if kind is not None:
        raise UnicodeDecodeError("utf-8", data, 0, 1, f"not text but {kind}")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise UnicodeDecodeError(codec, data, exc.start, exc.end, f"not valid {codec.upper()} although "
                                         f"it starts with a {codec.upper()} byte-order mark; {_CONVERT}") from None
            if _eight_bit(data, text):
                raise UnicodeDecodeError(codec, data, 0, len(bom), f"it starts with a {codec.upper()} byte-order "
                                         "mark, but the bytes after it are 8-bit text (ASCII or UTF-8), not "
                                         f"{codec.upper()}: remove the mark or {_CONVERT}")
            return text
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnicodeDecodeError(exc.encoding, exc.object, exc.start, exc.end,
                                 f"not valid UTF-8 (byte {exc.start}: {data[exc.start:exc.start + 1]!r}); "
                                 f"{_CONVERT}") from None


def _eight_bit(data: bytes, text: str) -> bool:
    """ASCII or UTF-8 bytes behind a UTF-16 / UTF-32 mark: the bytes after it are valid UTF-8 with hardly a NUL
    (real UTF-16 Chinese almost never is: its bytes of 0x80 and above do not form UTF-8 sequences; real UTF-16
    English is half NULs), and read as UTF-16 they give characters beyond ASCII (戀 from "\\x00b", 摡 from "ad")."""
    body = data[2:] if data[:2] in (b"\xff\xfe", b"\xfe\xff") and not data.startswith(b"\xff\xfe\x00\x00") else data[4:]
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return body.count(0) <= max(1, len(body) // 10) and not text.isascii()


def stable_id(text: str) -> str:
    """An id derived from the text, the same on every run."""
    return "sha1-" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


class RecordError(InputError):
    """A record that cannot be read; the batch runner writes it as an error record and goes on."""

    def __init__(self, message: str, *, record: str, code: str = "bad_input"):
        super().__init__(message, record=record, code=code)


def is_stdin(source) -> bool:
    """Whether a record source is "-" (JSONL on stdin)."""
    return isinstance(source, str) and source == "-"


def _is_dataframe(source) -> bool:
    return hasattr(source, "itertuples") and hasattr(source, "columns")


def _is_saved_dataset(folder: Path) -> bool:
    """A folder written by `datasets.Dataset.save_to_disk`."""
    return (folder / "dataset_info.json").exists() or (folder / "state.json").exists()


def iter_rows(source, id_field: str = "id", text_field: str = "text") -> Iterator[tuple[str, dict | RecordError]]:
    """(location, row) for every record, in order; a row that cannot be read is a RecordError.

    `source` is a path (.jsonl/.json/.ndjson, .csv/.tsv, .parquet, a `save_to_disk` folder, a folder of .txt
    files whose names become ids), "-" (JSONL on stdin), a `datasets.Dataset`, a pandas DataFrame or a list of
    dicts."""
    if is_stdin(source):
        yield from _jsonl_rows("<stdin>", "UTF-8", _utf8_lines(sys.stdin.buffer))
        return
    if _is_dataframe(source):  # iterating a DataFrame gives its column names: read its rows (NaN is no value)
        columns = list(source.columns)
        source = ({k: (None if isinstance(v, float) and v != v else v) for k, v in zip(columns, values)}
                  for values in source.itertuples(index=False, name=None))
    if not isinstance(source, (str, Path)):
        if not hasattr(source, "__iter__") or isinstance(source, (bytes, dict)):
            raise InputError(f"cannot read records from a {type(source).__name__}: give a path, a list of dicts "
                             "or a datasets.Dataset")
        for number, row in enumerate(source, start=1):
            if not isinstance(row, dict):
                yield f"row {number}", RecordError(f"a record must be a mapping, not {type(row).__name__}",
                                                   record=f"row {number}", code="bad_input")
                continue
            yield f"row {number}", dict(row)
        return
    p = check_source(source)
    if p.is_dir():
        if _is_saved_dataset(p):
            yield from iter_rows(_readable(p, "saved dataset", lambda: _load_dataset(p)))
        elif shards := _shards(p):
            for shard in shards:
                yield from _parquet(shard, whole_records=True)
        else:
            yield from _txt_folder(p, id_field, text_field)
        return
    suffix = p.suffix.lower()
    if suffix == ".json" and _pretty_printed(p):
        yield from _json_document(p)
    elif suffix in (".jsonl", ".json", ".ndjson"):
        yield from _jsonl(p)
    elif suffix in (".csv", ".tsv"):
        yield from _csv(p, "\t" if suffix == ".tsv" else ",")
    else:
        yield from _parquet(p)


TABLE_SUFFIXES = (".jsonl", ".json", ".ndjson", ".csv", ".tsv", ".parquet")


def check_source(source: str | Path) -> Path:
    """The path of a readable source (a table file of a known format, or a folder), else an InputError."""
    p = Path(source)
    if p.is_dir():
        return p
    if not p.exists():
        raise InputError(f"{p}: no such file or folder")
    if not p.is_file():
        raise InputError(f"{p}: not a regular file or folder (a device or a pipe cannot be read as a table)")
    if p.suffix.lower() in (".gz", ".bz2", ".xz", ".zst", ".zip"):
        raise InputError(f"{p}: compressed input cannot be read: decompress it first")
    if p.suffix.lower() not in TABLE_SUFFIXES:
        raise InputError(f"{p}: unsupported input format '{p.suffix.lower()}' (use .jsonl, .csv, .tsv, .parquet, "
                         "a datasets folder or a folder of .txt files)")
    return p


def count_records(source) -> int | None:
    """How many records `source` has, when that is cheap to know (for a progress bar); else None."""
    if not isinstance(source, (str, Path)):
        return len(source) if hasattr(source, "__len__") else None
    p = Path(source)
    try:
        if p.is_dir():
            if _is_saved_dataset(p):
                return len(_load_dataset(p))
            if shards := _shards(p):
                return sum(_parquet_rows(shard) for shard in shards)
            return sum(1 for f in p.iterdir() if f.suffix.lower() == ".txt")
        suffix = p.suffix.lower()
        if suffix in (".jsonl", ".ndjson", ".json") and p.is_file() and not (suffix == ".json" and _pretty_printed(p)):
            return sum(1 for _ in _lines(p))
        if suffix == ".parquet" and p.is_file():
            return _parquet_rows(p)
    except Exception:  # noqa: BLE001 - unreadable: reading it says why, record by record or in one line
        return None
    if suffix in (".csv", ".tsv") and p.is_file():
        try:  # a CSV field may span lines, so rows are counted by the csv reader
            with p.open(encoding=_encoding(p), newline="") as fh:
                return max(sum(1 for _ in csv.reader(fh, delimiter="\t" if suffix == ".tsv" else ",")) - 1, 0)
        except (UnicodeDecodeError, csv.Error):
            return None
    return None


# Column names tried, in order, where a column is not named: news dumps call the text `article` or `content`.
TEXT_COLUMNS = ("text", "article", "content", "body", "document", "story")
ID_COLUMNS = ("id", "doc_id", "article_id", "uid", "guid", "uuid")
TITLE_COLUMNS = ("title", "headline", "heading")


def choose_columns(row: dict, id_field: str | None = None, text_field: str | None = None,
                   title_field: str | None = None) -> tuple[str, str, str]:
    """(id, text, title) column names for records like `row`: each given name as it is, each missing one the first
    of its candidates that `row` has. No text column among the candidates is an InputError naming the fields."""
    if text_field is None:
        text_field = next((c for c in TEXT_COLUMNS if c in row), None)
        if text_field is None:
            names = ", ".join(repr(str(k)[:40]) for k in list(row)[:8]) + (", ..." if len(row) > 8 else "")
            raise InputError(f"no text column: the first record has {names or 'no fields'}, none of "
                             f"{', '.join(TEXT_COLUMNS)}; name it with --text-column (text_field)")
    id_field = id_field or next((c for c in ID_COLUMNS if c in row), ID_COLUMNS[0])
    title_field = title_field or next((c for c in TITLE_COLUMNS if c in row), TITLE_COLUMNS[0])
    return id_field, text_field, title_field


def first_row(source) -> dict | None:
    """The first readable record of a path, list or dataset (for choosing columns before a run); None when there is
    none, or when `source` is an iterator that a peek would consume."""
    if is_stdin(source) or not isinstance(source, (str, Path)) and iter(source) is source:
        return None
    return next((row for _, row in iter_rows(source) if not isinstance(row, RecordError)), None)


def iter_records(source, id_field: str | None = None, text_field: str | None = None,
                 title_field: str | None = None) -> Iterator[Article | RecordError]:
    """Yield an Article, or a RecordError, for every record of `source` (see `iter_rows`), in order. A column not
    named is chosen on the first record (`choose_columns`)."""
    columns = None
    for location, row in iter_rows(source, id_field or ID_COLUMNS[0], text_field or TEXT_COLUMNS[0]):
        if isinstance(row, RecordError):
            yield row
            continue
        columns = columns or choose_columns(row, id_field, text_field, title_field)
        yield _article(row, location, *columns)


def _article(row: dict, line_id: str, id_field: str, text_field: str, title_field: str) -> Article | RecordError:
    rid = safe_id(row.get(id_field))
    text = row.get(text_field)
    if text is None:
        if text_field in row:
            problem = f"field '{text_field}' is null"
        else:  # most often the text sits under another name: say which names the record has
            names = ", ".join(repr(str(k)[:40]) for k in list(row)[:8]) + (", ..." if len(row) > 8 else "")
            problem = (f"field '{text_field}' is missing (the record has {names or 'no fields'}; "
                       "--text-column / text_field names the text column)")
        return RecordError(problem, record=rid or line_id, code="missing_text")
    if not isinstance(text, str):
        return RecordError(f"field '{text_field}' is a {type(text).__name__}, not a string",
                           record=rid or line_id, code="bad_text_type")
    title = row.get(title_field)
    return Article(id=rid or stable_id(text), text=text, title=safe_id(title) if isinstance(title, str) else None)


def _lines(p: Path):
    """(line number, text or None when the line is not valid in the file's encoding) of every non-blank line."""
    encoding = _encoding(p)
    if encoding == "utf-8-sig":  # a byte-order mark may open the file (and, after concatenation, any line)
        with p.open("rb") as fh:
            yield from _utf8_lines(fh)
        return
    # UTF-16 / UTF-32: a line that does not decode (an odd byte, a lone surrogate) comes back with U+FFFD marks
    with p.open(encoding=encoding, errors="replace", newline=None) as fh:
        for number, line in enumerate(fh, start=1):
            if line.strip():
                yield number, None if "\ufffd" in line else line


def _utf8_lines(stream):
    """(line number, text or None when the line is not valid UTF-8) of every non-blank line of a byte stream."""
    for number, raw in enumerate(stream, start=1):
        if raw.strip():
            try:
                yield number, raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                yield number, None


def _jsonl(p: Path):
    yield from _jsonl_rows(p.name, _encoding(p).replace("-sig", "").upper(), _lines(p))


def _jsonl_rows(name: str, encoding: str, lines):
    for number, text in lines:
        line_id = f"{name}:{number}"
        if text is None:
            yield line_id, RecordError(f"line is not valid {encoding}", record=line_id, code="not_utf8")
            continue
        try:
            row = json.loads(text)
        except json.JSONDecodeError as exc:
            yield line_id, RecordError(f"invalid JSON ({exc.msg} at column {exc.colno})", record=line_id,
                                       code="bad_json")
            continue
        if not isinstance(row, dict):
            yield line_id, RecordError("a JSONL record must be an object", record=line_id, code="bad_json")
            continue
        yield line_id, row


def _csv(p: Path, delimiter: str):
    """Rows of a CSV/TSV file (UTF-8, or UTF-16 / UTF-32 with a byte-order mark); a row the csv module cannot parse
    becomes an error record and reading goes on. A header that names a column twice is refused: which one to read
    would be a guess."""
    encoding = _encoding(p)
    try:
        with p.open(encoding=encoding, newline="") as fh:
            reader = csv.DictReader(fh, delimiter=delimiter)
            names = reader.fieldnames or []
            twice = next((n for i, n in enumerate(names) if n in names[:i]), None)
            if twice is not None:
                where = [str(i + 1) for i, n in enumerate(names) if n == twice]
                raise InputError(f"{p}: the header names column '{twice}' more than once (columns "
                                 f"{', '.join(where)}): rename the others so the column to read is clear")
            while True:
                line_id = f"{p.name}:{reader.line_num + 1}"
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield line_id, RecordError(f"unreadable CSV row ({exc})", record=line_id, code="bad_input")
                    continue
                yield line_id, row
    except UnicodeDecodeError as exc:
        name = encoding.replace("-sig", "").upper()
        raise EncodingError(f"{p}: not valid {name} (byte {exc.start}); {_CONVERT}") from None


def _readable(p: Path, what: str, load):
    """`load()`, with a damaged file's library error (pyarrow, datasets) turned into one InputError."""
    try:
        return load()
    except PermissionError:
        raise
    except Exception as exc:  # noqa: BLE001 - pyarrow and datasets raise many kinds for a damaged file
        first = (str(exc).strip().splitlines() or [""])[0][:160]
        raise InputError(f"{p}: not a readable {what} ({type(exc).__name__}: {first})") from None


def _load_dataset(p: Path):
    import datasets

    return datasets.load_from_disk(str(p))


def _starts_with(p: Path, prefix: bytes) -> bool:
    with p.open("rb") as fh:
        return fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(prefix)


def _pretty_printed(p: Path) -> bool:
    """Whether a .json file holds one document over many lines: it starts with "[", or its first non-blank line
    is a lone "{" (json.dumps(indent=...), jq). Anything else is read as JSON lines, a bad line an error record."""
    if _starts_with(p, b"["):
        return True
    return next((text.strip() == "{" for _, text in _lines(p)), False)


def _json_document(p: Path):
    """A .json file holding one document, read whole (such files are small by nature): an array of records, or
    one record as an object; anything else is refused once."""
    rows = _readable(p, "JSON document", lambda: json.loads(p.read_bytes().decode("utf-8-sig")))
    rows = [rows] if isinstance(rows, dict) else rows
    if not isinstance(rows, list):
        raise InputError(f"{p}: a .json input is an array of records, one record, or JSON lines")
    for number, row in enumerate(rows, start=1):
        line_id = f"{p.name}:[{number - 1}]"
        yield line_id, row if isinstance(row, dict) else RecordError("a record must be an object", record=line_id,
                                                                       code="bad_json")


def _parquet_rows(p: Path) -> int:
    import pyarrow.parquet as pq

    return pq.ParquetFile(p).metadata.num_rows


def _shards(p: Path) -> list[Path]:
    """The parquet files of a folder with no .txt file (`bisum batch --output-format parquet` writes such a
    folder), in name order."""
    names = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in (".txt", ".parquet"))
    return [] if any(f.suffix.lower() == ".txt" for f in names) else names


# the columns of `bisum batch --output-format parquet`; `record` is the whole output line as JSON
OUTPUT_COLUMNS = ("id", "source_lang", "summary_en", "summary_zh", "error_code", "error_message", "record")


def _parquet(p: Path, whole_records: bool = False):
    """Rows of a parquet file; with `whole_records`, a shard of bisum's parquet output gives its records as the
    JSONL output has them (read from its `record` column), so both outputs read alike."""
    import pyarrow.parquet as pq

    number = 0
    batches = _readable(p, "parquet file", lambda: pq.ParquetFile(p).iter_batches(batch_size=256))
    while True:
        batch = _readable(p, "parquet file", lambda: next(batches, None))
        if batch is None:
            return
        whole = whole_records and tuple(batch.schema.names) == OUTPUT_COLUMNS
        for row in batch.to_pylist():
            number += 1
            location = f"{p.name}:row {number}"
            yield location, _record(row["record"], location) if whole else row


def _record(line: str, location: str) -> dict | RecordError:
    try:
        row = json.loads(line)
    except (TypeError, ValueError):
        row = None
    return row if isinstance(row, dict) else RecordError("the 'record' column is not a JSON object",
                                                         record=location)


def _txt_folder(p: Path, id_field: str, text_field: str):
    files = sorted(f for f in p.iterdir() if f.suffix.lower() == ".txt" and f.is_file())
    if not files:
        raise InputError(f"{p}: folder has no .txt or .parquet files and is not a saved dataset")
    for f in files:
        try:
            text = decode(f.read_bytes())
        except UnicodeDecodeError as exc:
            yield f.name, RecordError(exc.reason, record=f.stem, code="not_utf8")
            continue
        except OSError as exc:
            yield f.name, RecordError(f"cannot read: {exc.strerror or type(exc).__name__}", record=f.stem,
                                      code="io_error")
            continue
        yield f.name, {id_field: f.stem, text_field: text}

"""Predictions, references and sources as {id: row}, from any table `pipeline.io.iter_rows` reads.
A missing or duplicate id, or a row without the needed text, is an error naming it."""
from __future__ import annotations

from ..errors import InputError
from ..io import RecordError, iter_rows


def label(source) -> str:
    return str(source) if isinstance(source, (str, bytes)) or hasattr(source, "__fspath__") else type(source).__name__


def is_error_record(row: dict) -> bool:
    """A `bisum batch` error record {id, error: {code, message}}: an article that produced no summary."""
    return isinstance(row.get("error"), dict)


def read_table(source, id_column: str = "id") -> dict[str, dict]:
    """{id: row}. An error record of `bisum batch` stands for its id unless a real row has the same id (a
    duplicate-id error line repeats an id that was processed)."""
    if source is None or isinstance(source, (int, float, bool)):
        raise InputError(f"no table given ({source!r}): pass a path, a list of dicts or a datasets.Dataset")
    rows: dict[str, dict] = {}
    name = label(source)
    for location, row in iter_rows(source):
        if isinstance(row, RecordError):
            raise InputError(f"{name}: {location}: {row.message}")
        rid = row.get(id_column)
        if rid in (None, ""):
            raise InputError(f"{name}: {location}: no '{id_column}' value")
        rid = str(rid)
        if rid in rows and not (is_error_record(row) or is_error_record(rows[rid])):
            raise InputError(f"{name}: {location}: duplicate id {rid!r}")
        if rid not in rows or is_error_record(rows[rid]):
            rows[rid] = row
    if not rows:
        raise InputError(f"{name}: no records")
    return rows


def column(rows: dict[str, dict], name: str, column_name: str, ids: list[str],
           missing_is_empty: bool = False) -> list[str]:
    """The text in `column_name` for each id; every id must be there with a string (an error record of
    `bisum batch` counts as an empty text: the system produced nothing for that article; so does a missing or
    null value with `missing_is_empty`, for predictions)."""
    out = []
    for rid in ids:
        row = rows.get(rid)
        if row is None:
            raise InputError(f"{name}: no record with id {rid!r}")
        if is_error_record(row):
            out.append("")
            continue
        value = row.get(column_name)
        if value is None and missing_is_empty:
            value = ""
        if not isinstance(value, str):
            got = "nothing" if value is None else type(value).__name__
            raise InputError(f"{name}: record {rid!r} has {got} in '{column_name}', not a text")
        out.append(value)
    return out


def pick_column(rows: dict[str, dict], candidates: list[str], name: str) -> str:
    first = next((r for r in rows.values() if not is_error_record(r)), None)
    if first is None:
        raise InputError(f"{name}: every record is an error record: nothing to score")
    for candidate in candidates:
        if candidate in first:
            return candidate
    raise InputError(f"{name}: none of the columns {candidates} is there (columns: {sorted(first)}); "
                     "name one with --pred-column / --ref-column")

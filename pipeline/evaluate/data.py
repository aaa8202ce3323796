"""Predictions, references and sources as {id: row}, from any table `pipeline.io.iter_rows` reads.
A missing or duplicate id, or a row without the needed text, is an error naming it."""
from __future__ import annotations

from ..errors import InputError
from ..io import RecordError, iter_rows


def label(source) -> str:
    return str(source) if isinstance(source, (str, bytes)) or hasattr(source, "__fspath__") else type(source).__name__


def read_table(source, id_column: str = "id") -> dict[str, dict]:
    rows: dict[str, dict] = {}
    name = label(source)
    for location, row in iter_rows(source):
        if isinstance(row, RecordError):
            raise InputError(f"{name}: {location}: {row.message}")
        rid = row.get(id_column)
        if rid in (None, ""):
            raise InputError(f"{name}: {location}: no '{id_column}' value")
        rid = str(rid)
        if rid in rows:
            raise InputError(f"{name}: {location}: duplicate id {rid!r}")
        rows[rid] = row
    if not rows:
        raise InputError(f"{name}: no records")
    return rows


def column(rows: dict[str, dict], name: str, column_name: str, ids: list[str]) -> list[str]:
    """The text in `column_name` for each id; every id must be there with a string."""
    out = []
    for rid in ids:
        row = rows.get(rid)
        if row is None:
            raise InputError(f"{name}: no record with id {rid!r}")
        value = row.get(column_name)
        if not isinstance(value, str):
            got = "nothing" if value is None else type(value).__name__
            raise InputError(f"{name}: record {rid!r} has {got} in '{column_name}', not a text")
        out.append(value)
    return out


def pick_column(rows: dict[str, dict], candidates: list[str], name: str) -> str:
    first = next(iter(rows.values()))
    for candidate in candidates:
        if candidate in first:
            return candidate
    raise InputError(f"{name}: none of the columns {candidates} is there (columns: {sorted(first)}); "
                     "name one with --pred-column / --ref-column")

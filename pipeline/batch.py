"""Batch runner: JSONL / CSV in, JSONL out, exactly one output line per input record."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .core import BilingualSummarizer
from .errors import BisumError
from .io import RecordError, iter_records
from .schema import Article, ErrorInfo, ErrorRecord

EXIT_OK = 0
EXIT_RECORDS_FAILED = 3  # the run finished, some records are error records
EXIT_RUN_FAILED = 2  # the run could not start or stopped: bad config, unreadable input


@dataclass
class BatchStats:
    done: int = 0
    failed: int = 0

    @property
    def exit_code(self) -> int:
        return EXIT_RECORDS_FAILED if self.failed else EXIT_OK


def _error_line(record: str, exc: BisumError) -> dict:
    return ErrorRecord(id=record, error=ErrorInfo(code=exc.code, message=str(exc))).model_dump()


def run_batch(input_path: str | Path, output_path: str | Path, runner: BilingualSummarizer,
              batch_size: int = 16, id_field: str = "id", text_field: str = "text") -> BatchStats:
    """Process every record of `input_path` and write results (or error records) to `output_path`."""
    stats = BatchStats()
    seen: set[str] = set()
    pending: list[Article] = []
    with Path(output_path).open("w", encoding="utf-8") as out:
        def write(line: dict, ok: bool) -> None:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
            out.flush()
            stats.done += ok
            stats.failed += not ok

        def flush() -> None:
            for article, result in zip(pending, _process(runner, pending)):
                write(result, "error" not in result)
            pending.clear()

        for item in iter_records(input_path, id_field=id_field, text_field=text_field):
            if isinstance(item, RecordError):
                flush()
                write(_error_line(item.record, item), False)
                continue
            if item.id in seen:
                flush()
                write(_error_line(item.id, RecordError("duplicate id: an earlier record has the same id",
                                                       record=item.id, code="duplicate_id")), False)
                continue
            seen.add(item.id)
            pending.append(item)
            if len(pending) >= batch_size:
                flush()
        flush()
    return stats


def _process(runner: BilingualSummarizer, articles: list[Article]) -> list[dict]:
    """Results in input order; if the batch fails, each article is retried alone so only bad ones fail."""
    if not articles:
        return []
    try:
        return [r.to_dict() for r in runner.run_batch(articles)]
    except BisumError:
        out = []
        for article in articles:
            try:
                out.append(runner.run(article).to_dict())
            except BisumError as exc:
                out.append(_error_line(article.id, exc))
        return out

"""Batch runner: records in (JSONL, CSV, parquet, a `datasets` folder, a folder of .txt files), one JSON line
out per input record, in input order.

Each output line is written with one `write` call on a file opened for appending, so a killed run leaves
whole lines; `--resume` drops a trailing partial line if one is there (a crash inside the kernel's write)
and skips the records whose ids are already in the output. Bad records become error records
`{id, error: {code, message}}` and the run goes on. With `workers > 1` the embedded pipeline runs in that
many processes (one pipeline per process); output order stays the input order."""
from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import regex

from .config import Config, load_config
from .core import BilingualSummarizer
from .errors import BisumError, InputError
from .io import RecordError, count_records, iter_records
from .schema import Article, ErrorInfo, ErrorRecord

EXIT_OK = 0
EXIT_RECORDS_FAILED = 3  # the run finished, some records are error records
EXIT_RUN_FAILED = 2  # the run could not start or stopped: bad config, unreadable input, output in the way
MAX_CHARS = 1_000_000  # longer texts are refused (code too_long): news articles are far shorter

_HTML_START = regex.compile(r"^\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", regex.IGNORECASE)
_TAG = regex.compile(r"<[^<>]{1,200}>")
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


@dataclass
class BatchStats:
    done: int = 0
    failed: int = 0
    skipped: int = 0  # already in the output (--resume)
    skipped_failed: int = 0  # of those, error records
    seconds: float = 0.0
    codes: Counter = field(default_factory=Counter)

    @property
    def exit_code(self) -> int:
        return EXIT_RECORDS_FAILED if self.failed or self.skipped_failed else EXIT_OK

    @property
    def rate(self) -> float:
        return (self.done + self.failed) / self.seconds if self.seconds else 0.0


def refuse(article: Article, max_chars: int = MAX_CHARS) -> RecordError | None:
    """Texts the pipeline must not take: too long, binary, or a whole HTML page."""
    text = article.text
    if len(text) > max_chars:
        return RecordError(f"text has {len(text):,} characters, more than the limit of {max_chars:,}",
                           record=article.id, code="too_long")
    if "\x00" in text or len(_CONTROL.findall(text[:20000])) > 0.01 * min(len(text), 20000):
        return RecordError("text looks binary (control characters), not an article", record=article.id,
                           code="binary_text")
    tagged = sum(len(m.group()) for m in _TAG.finditer(text[:50000]))
    if _HTML_START.match(text) or tagged > 0.2 * min(len(text), 50000):
        return RecordError("text is an HTML page, not plain text: strip the markup first", record=article.id,
                           code="html_input")
    return None


def _error_line(record: str, exc: BisumError) -> dict:
    return ErrorRecord(id=record, error=ErrorInfo(code=exc.code, message=str(exc))).model_dump()


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


def _run_tasks(runner: BilingualSummarizer, tasks: list[tuple[str, object]]) -> list[dict]:
    """A task is ("ok", Article) or ("error", error line); lines come back in task order."""
    results = iter(_process(runner, [item for kind, item in tasks if kind == "ok"]))
    return [next(results) if kind == "ok" else item for kind, item in tasks]


_WORKER_RUNNER: BilingualSummarizer | None = None


def _worker_init(config: Config) -> None:
    global _WORKER_RUNNER
    _WORKER_RUNNER = BilingualSummarizer(config)


def _worker_run(tasks: list[tuple[str, object]]) -> list[dict]:
    return _run_tasks(_WORKER_RUNNER, tasks)


def completed_ids(output: Path) -> tuple[Counter, Counter]:
    """Ids of the complete lines of an earlier run's output, and of its error records; a trailing partial
    line is cut off."""
    done: Counter = Counter()
    failed: Counter = Counter()
    if not output.exists():
        return done, failed
    with output.open("rb+") as fh:
        data = fh.read()
        end = data.rfind(b"\n") + 1
        if end < len(data):
            fh.truncate(end)  # the half line of a killed write
        for number, line in enumerate(data[:end].splitlines(), start=1):
            try:
                row = json.loads(line)
                done[str(row["id"])] += 1
            except (ValueError, KeyError, TypeError):
                raise InputError(f"{output}:{number}: not a bisum output line; cannot resume into this file") from None
            if "error" in row:
                failed[str(row["id"])] += 1
    return done, failed


def _tasks(source, id_field: str, text_field: str, limit: int | None, done: tuple[Counter, Counter],
           stats: BatchStats, max_chars: int) -> Iterator[tuple[str, object]]:
    seen: set[str] = set()
    for number, item in enumerate(iter_records(source, id_field=id_field, text_field=text_field), start=1):
        if limit is not None and number > limit:
            return
        record = item.record if isinstance(item, RecordError) else item.id
        if done[0][record] > 0:
            done[0][record] -= 1
            stats.skipped += 1
            if done[1][record] > 0:
                done[1][record] -= 1
                stats.skipped_failed += 1
            if not isinstance(item, RecordError):
                seen.add(record)
            continue
        if isinstance(item, RecordError):
            yield "error", _error_line(item.record, item)
        elif item.id in seen:
            yield "error", _error_line(item.id, RecordError("duplicate id: an earlier record has the same id",
                                                            record=item.id, code="duplicate_id"))
        else:
            seen.add(item.id)
            refused = refuse(item, max_chars)
            yield ("error", _error_line(item.id, refused)) if refused else ("ok", item)


def _chunks(tasks: Iterator, size: int) -> Iterator[list]:
    chunk = []
    for task in tasks:
        chunk.append(task)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_batch(source, output: str | Path, config: Config | str | None = None, *, resume: bool = False,
              overwrite: bool = False, workers: int = 1, limit: int | None = None, quiet: bool = True,
              id_field: str = "id", text_field: str = "text", batch_size: int = 16,
              max_chars: int = MAX_CHARS) -> BatchStats:
    """Process every record of `source` into the JSONL file `output`; see the module docstring."""
    from tqdm import tqdm

    config = config if isinstance(config, Config) else load_config(config)
    out = Path(output)
    if out.exists() and out.stat().st_size and not (resume or overwrite):
        raise InputError(f"{out} already has results: pass --resume to continue it or --overwrite to replace it")
    done = completed_ids(out) if resume else (Counter(), Counter())
    stats = BatchStats()
    total = count_records(source)
    total = min(total, limit) if total is not None and limit is not None else (total if limit is None else limit)
    start = time.perf_counter()
    chunks = _chunks(_tasks(source, id_field, text_field, limit, done, stats, max_chars), batch_size)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_APPEND | (0 if resume else os.O_TRUNC), 0o644)
    try:
        with tqdm(total=total, disable=quiet, unit="article", file=sys.stderr, dynamic_ncols=True) as bar:
            for lines in _results(chunks, config, workers):
                for line in lines:
                    _write_line(fd, line)
                    failed = "error" in line
                    stats.failed += failed
                    stats.done += not failed
                    if failed:
                        stats.codes[line["error"]["code"]] += 1
                bar.n = stats.done + stats.failed + stats.skipped
                bar.refresh()
    finally:
        os.close(fd)
    stats.seconds = time.perf_counter() - start
    return stats


def _results(chunks: Iterator[list], config: Config, workers: int) -> Iterator[list[dict]]:
    """Output lines chunk by chunk, in input order; at most 2 chunks per worker are in flight, so memory stays
    flat however long the input is."""
    if workers <= 1:
        runner = BilingualSummarizer(config)
        for chunk in chunks:
            yield _run_tasks(runner, chunk)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(workers, initializer=_worker_init, initargs=(config,)) as pool:
        pending: deque = deque()
        for chunk in chunks:
            pending.append(pool.apply_async(_worker_run, (chunk,)))
            if len(pending) >= 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def _write_line(fd: int, line: dict) -> None:
    data = (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8")
    while data:
        data = data[os.write(fd, data):]

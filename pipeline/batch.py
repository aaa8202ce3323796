"""Batch summarizer: records in (JSONL, CSV, parquet, a `datasets` folder, a folder of .txt files), one JSON line
out per input record, in input order.

Each output line is written with one `write` call on a file opened for appending, so a killed run leaves
whole lines; `--resume` drops a trailing partial line if one is there (a crash inside the kernel's write)
and skips the records whose ids are already in the output. Bad records become error records
`{id, error: {code, message}}` and the run goes on. With `workers > 1` the embedded pipeline runs in that
many processes (one pipeline per process); output order stays the input order."""
from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from .config import Config, load_config
from .core import BilingualSummarizer
from .errors import EXIT_OK, EXIT_RECORDS_FAILED, BisumError, InputError, IOFailure, UsageError
from .io import (OUTPUT_COLUMNS, TEXT_COLUMNS, RecordError, check_source, choose_columns, count_records, first_row,
                 is_stdin, iter_records)
from .models import available_cores
from .ray_engine import RayOptions
from .schema import Article, ErrorInfo, ErrorRecord

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory lock, the rest works
    fcntl = None


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


def _error_line(record: str, exc: BaseException) -> dict:
    if isinstance(exc, BisumError):
        code, message = exc.code, str(exc)
    else:  # anything else (MemoryError, a bug) is this record's failure, not the run's
        code, message = "internal_error", f"record {record!r}: {type(exc).__name__}: {exc}"
    return ErrorRecord(id=record, error=ErrorInfo(code=code, message=message)).model_dump()


def _process(summarizer: BilingualSummarizer, articles: list[Article]) -> list[dict]:
    """Output lines in input order. Refused articles become error lines; if the batch as a whole fails (out of
    memory, a model error), each article is run alone so that only the one at fault fails. With
    `input.max_seconds`, every article runs alone under that limit."""
    if not articles:
        return []
    limit = summarizer.config.input.max_seconds
    outcomes = None
    if not limit:  # with a limit, it is each record's own: records run one by one, each under its own timer
        try:
            outcomes = summarizer.run_many(articles)
        except Exception:  # noqa: BLE001 - isolated below, record by record
            pass
    if outcomes is None:
        outcomes = []
        for article in articles:
            try:
                with _time_limit(limit, article.id):
                    outcomes += summarizer.run_many([article])
            except Exception as exc:  # noqa: BLE001
                outcomes.append(exc)
    return [_error_line(a.id, o) if isinstance(o, BaseException) else o.to_dict() for a, o in zip(articles, outcomes)]


class _Expired(Exception):
    """Raised into a thread whose record ran past input.max_seconds."""


@contextmanager
def _time_limit(seconds: float | None, record: str | None):
    """Raise a timeout error in this thread after `seconds` (none without seconds). The main thread is told by
    SIGALRM, which also ends a blocking call; any other thread (a Ray actor runs records in one) gets the error
    raised into it by a timer, at its next Python instruction."""
    if not seconds:
        yield
        return
    try:
        with (_alarm if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
              else _async_raise)(seconds):
            yield
    except _Expired:
        raise BisumError(f"processing took longer than {seconds:g} s (setting input.max_seconds)", record=record,
                         code="timeout") from None


@contextmanager
def _alarm(seconds: float):
    def expire(signum, frame):
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _async_raise(seconds: float):
    target, lock, state = ctypes.c_ulong(threading.get_ident()), threading.Lock(), {"done": False}

    def expire():
        with lock:
            if not state["done"]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, ctypes.py_object(_Expired))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:  # a timer that fired as the record finished must not hit the code after it
            state["done"] = True
            ctypes.pythonapi.PyThreadState_SetAsyncExc(target, None)


def run_tasks(summarizer: BilingualSummarizer, tasks: list[tuple[str, object]]) -> list[dict]:
    """A task is ("ok", Article) or ("error", error line); lines come back in task order."""
    results = iter(_process(summarizer, [item for kind, item in tasks if kind == "ok"]))
    return [next(results) if kind == "ok" else item for kind, item in tasks]


_WORKER_SUMMARIZER: BilingualSummarizer | None = None


def _worker_init(config: Config, parent: int, output_fd: int) -> None:
    """Build the worker's pipeline; Ctrl-C is the parent's to handle, the worker exits when the parent is gone
    (killed with -9, say) instead of living on, and it lets go of the parent's output file (a forked copy
    would keep the output locked after the run)."""
    global _WORKER_SUMMARIZER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        os.close(output_fd)
    except OSError:  # spawned, not forked: the worker never had it
        pass
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    _WORKER_SUMMARIZER = BilingualSummarizer(config)


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _worker_run(tasks: list[tuple[str, object]]) -> list[dict]:
    return run_tasks(_WORKER_SUMMARIZER, tasks)


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


def _columns(source, id_field: str | None, text_field: str | None, quiet: bool) -> tuple[str | None, str | None]:
    """The id and text columns, chosen on the first record where not given (before the output is touched: no
    column that fits is one error, not an error record per record); a chosen text column is said on stderr."""
    row = first_row(source)
    if row is None:
        return id_field, text_field
    chosen_id, chosen_text, _ = choose_columns(row, id_field, text_field)
    if not quiet and text_field is None and chosen_text != TEXT_COLUMNS[0]:
        print(f"bisum: text column '{chosen_text}' (found; --text-column names another)", file=sys.stderr)
    return chosen_id, chosen_text


def read_tasks(source, id_field: str, text_field: str, limit: int | None, done: tuple[Counter, Counter],
           stats: BatchStats, report_skipped: bool = False) -> Iterator[tuple[str, object]]:
    """("ok", Article) or ("error", error line) per record to process; records already in the output are
    counted in `stats`, and also yielded as ("skipped", {"id", "failed"}) with `report_skipped` (the Ray
    engine reads in another process, so the driver counts them from the stream)."""
    seen: set[str] = set()
    for number, item in enumerate(iter_records(source, id_field=id_field, text_field=text_field), start=1):
        if limit is not None and number > limit:
            return
        record = item.record if isinstance(item, RecordError) else item.id
        if done[0][record] > 0:
            done[0][record] -= 1
            stats.skipped += 1
            failed = done[1][record] > 0
            if failed:
                done[1][record] -= 1
                stats.skipped_failed += 1
            if not isinstance(item, RecordError):
                seen.add(record)
            if report_skipped:
                yield "skipped", {"id": record, "failed": failed}
            continue
        if isinstance(item, RecordError):
            yield "error", _error_line(item.record, item)
        elif item.id in seen:
            yield "error", _error_line(item.id, RecordError("duplicate id: an earlier record has the same id",
                                                            record=item.id, code="duplicate_id"))
        else:
            seen.add(item.id)
            yield "ok", item


def _chunks(tasks: Iterator, size: int) -> Iterator[list]:
    chunk = []
    for task in tasks:
        chunk.append(task)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def chunk_size(config: Config) -> int:
    """Records handed to the pipeline (a worker) at once: the largest `batch_size` of the models the config
    names, so a chunk fills a model batch and every worker gets work; 16 when no model is named."""
    from .summarize import backend_name

    specs = [spec for spec in (config.summarize.en, config.summarize.zh)
             if backend_name(config.summarize, spec) != "extractive"]
    specs += [config.translate.en_zh, config.translate.zh_en] if config.translate.backend != "none" else []
    sizes = [spec.batch_size for spec in specs if spec is not None]
    return max(sizes) if sizes else 16


def check_options(source, output: Path, *, resume: bool, overwrite: bool, workers: int, limit: int | None,
                  batch_size: int, output_format: str = "jsonl") -> None:
    """Refuse contradictory or impossible options before anything is opened or written."""
    if resume and overwrite:
        raise UsageError("--resume and --overwrite contradict each other: choose one")
    for name, value, low in (("--workers", workers, 1), ("--limit", limit, 1), ("batch size", batch_size, 1)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < low):
            raise UsageError(f"{name} must be a whole number of at least {low}, not {value!r}")
    if output_format == "jsonl" and output.is_dir():
        raise IOFailure(f"{output}: is a folder; --output must be a file path (or use --output-format parquet)")
    if output_format == "parquet" and output.exists() and not output.is_dir():
        raise IOFailure(f"{output}: is a file; with --output-format parquet, --output is a folder of shards")
    if str(output) == "-" and (resume or overwrite or output_format != "jsonl"):
        raise UsageError("--output - writes JSONL to stdout: --resume, --overwrite and parquet need a file or folder")
    if str(output) == "-" or is_stdin(source):
        return
    if isinstance(source, (str, Path)):
        src = check_source(source)
        if output.exists() and output.samefile(src):
            raise UsageError(f"--output {output} is the input itself: choose another output file")
        if output.resolve() in src.resolve().parents:  # a shard of the output folder: --overwrite would delete it
            raise UsageError(f"--input {src} is inside the --output folder {output}: choose an output folder "
                             "that holds no input")
        if src.is_dir() and output.resolve().parent == src.resolve() and output.suffix.lower() == ".txt":
            raise UsageError(f"--output {output} would be read as an input article of {src}: choose another path")


def run_batch(source, output: str | Path, config: Config | str | None = None, *, resume: bool = False,
              overwrite: bool = False, workers: int = 1, limit: int | None = None, quiet: bool = True,
              id_field: str | None = None, text_field: str | None = None, batch_size: int | None = None,
              ray: RayOptions | None = None, output_format: str = "jsonl",
              on_start: Callable[[], None] | None = None) -> BatchStats:
    """Process every record of `source` into `output`: a JSONL file, or with `output_format="parquet"` a folder
    of parquet shards (ParquetShards); see the module docstring. The output is locked while the run writes it:
    a second run on the same output stops with the error output_locked. With `ray` (RayOptions) the records are
    processed by Ray Data actors (pipeline/ray_engine.py) instead of local processes; reading, resume, output
    and errors are the same. `on_start()` is called once, when the first record comes back (the engine runs)."""
    from tqdm import tqdm

    config = config if isinstance(config, Config) else load_config(config)
    if ray is not None and ray.batch_size is None:  # a Ray task costs more to schedule: larger calls by default
        from .ray_engine import RECORDS_PER_CALL

        ray = replace(ray, batch_size=batch_size or max(chunk_size(config), RECORDS_PER_CALL))
    batch_size = chunk_size(config) if batch_size is None else batch_size
    out = Path(output)
    check_options(source, out, resume=resume, overwrite=overwrite, workers=workers, limit=limit,
                  batch_size=batch_size, output_format=output_format)
    if ray is not None and is_stdin(source):
        raise UsageError("--input - (stdin) is read by this process: use the local engine, or give Ray a file")
    if ray is not None:
        from .ray_engine import require

        require()  # before the output is touched
    id_field, text_field = _columns(source, id_field, text_field, quiet)
    existed = out.exists()
    sink = StdoutSink() if str(output) == "-" else ParquetShards(out) if output_format == "parquet" else JsonlFile(out)
    try:
        if sink.has_results() and not (resume or overwrite):
            raise InputError(f"{out} already has results: pass --resume to continue it or --overwrite to replace it")
        if overwrite:
            sink.clear()
        done = sink.completed() if resume else (Counter(), Counter())
        stats = BatchStats()
        total = count_records(source)
        total = min(total, limit) if total is not None and limit is not None else (total if limit is None else limit)
        if total is not None:  # the bar counts the records this run processes: its rate is theirs, not the skips'
            total = max(total - sum(done[0].values()), 0)
        start = time.perf_counter()
        with tqdm(total=total, disable=quiet, unit="article", file=sys.stderr, dynamic_ncols=True, delay=0.5) as bar:
            for kind, line in _stream(source, id_field, text_field, limit, done, stats, config, workers, sink.fd,
                                      batch_size, ray):
                if on_start is not None:  # the first record came back: the engine runs
                    on_start, started = None, on_start
                    started()
                if kind == "skipped":
                    stats.skipped += 1
                    stats.skipped_failed += line["failed"]
                else:
                    code = sink.write(line)
                    stats.failed += code is not None
                    stats.done += code is None
                    if code is not None:
                        stats.codes[code] += 1
                    bar.update()  # per record; tqdm redraws at most every 0.1 s and ends its line on close
            sink.flush()
    except BaseException:
        if not existed:  # a run that stops before its first record leaves no empty output behind
            sink.discard_if_empty()
        raise
    finally:
        sink.close()
    stats.seconds = time.perf_counter() - start
    return stats


class JsonlFile:
    """The JSONL output: one line per record, appended with one write call each."""

    def __init__(self, path: Path):
        self.path = path
        self.fd = _open_locked(path)

    def has_results(self) -> bool:
        return os.fstat(self.fd).st_size > 0

    def clear(self) -> None:
        try:
            os.ftruncate(self.fd, 0)
        except OSError as exc:
            raise IOFailure.of(self.path, exc, "cannot empty the output") from None

    def completed(self) -> tuple[Counter, Counter]:
        return completed_ids(self.path)

    def write(self, line: dict | Encoded) -> str | None:
        return _write_line(self.fd, line, self.path)

    def flush(self) -> None:
        pass

    def discard_if_empty(self) -> None:
        if not self.has_results():
            self.path.unlink(missing_ok=True)

    def close(self) -> None:
        os.close(self.fd)


class StdoutSink:
    """`--output -`: JSONL on stdout (progress and the summary go to stderr); nothing to resume or replace."""

    path = Path("<stdout>")

    def __init__(self):
        sys.stdout.flush()
        self.fd = os.dup(sys.stdout.fileno())  # workers close their copy of it, not stdout

    def has_results(self) -> bool:
        return False

    def clear(self) -> None:
        pass

    def completed(self) -> tuple[Counter, Counter]:
        return Counter(), Counter()

    def write(self, line: dict | Encoded) -> str | None:
        return _write_line(self.fd, line, self.path)

    def flush(self) -> None:
        pass

    def discard_if_empty(self) -> None:
        pass

    def close(self) -> None:
        os.close(self.fd)


class ParquetShards:
    """A folder of parquet shards `part-NNNNN.parquet` of SHARD_ROWS records each, in input order. Columns: id,
    source_lang, summary_en, summary_zh, error_code, error_message, and `record` (the whole output line as
    JSON, the schema of the JSONL output). A shard is written under a temporary name and renamed when
    complete, so a killed run leaves whole shards; `--resume` reads their ids. Locked by `.bisum.lock`."""

    SHARD_ROWS = 1000
    COLUMNS = OUTPUT_COLUMNS

    def __init__(self, folder: Path):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise IOFailure.of(folder, exc, "cannot create the output folder") from None
        self.folder = folder
        self.fd = _open_locked(folder / ".bisum.lock")
        self.rows: list[dict] = []
        self.next = len(self.shards())

    def shards(self) -> list[Path]:
        return sorted(self.folder.glob("part-*.parquet"))

    def has_results(self) -> bool:
        return bool(self.shards())

    def clear(self) -> None:
        for shard in self.shards():
            shard.unlink()
        self.next = 0

    def completed(self) -> tuple[Counter, Counter]:
        import pyarrow.parquet as pq

        done: Counter = Counter()
        failed: Counter = Counter()
        for shard in self.shards():
            try:
                table = pq.read_table(shard, columns=["id", "error_code"])
            except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a damaged file
                raise InputError(f"{shard}: not a readable bisum parquet shard ({type(exc).__name__}); cannot resume "
                                 "into this folder") from None
            for record, code in zip(table.column("id").to_pylist(), table.column("error_code").to_pylist()):
                done[record] += 1
                failed[record] += code is not None
        return done, failed

    def write(self, line: dict | Encoded) -> str | None:
        data, row = (line.data, json.loads(line.data)) if isinstance(line, Encoded) else (encode(line), line)
        error = row.get("error") or {}
        self.rows.append({"id": str(row["id"]), "source_lang": row.get("source_lang"),
                          "summary_en": row.get("summary_en"), "summary_zh": row.get("summary_zh"),
                          "error_code": error.get("code"), "error_message": error.get("message"),
                          "record": data.decode("utf-8").rstrip("\n")})
        if len(self.rows) >= self.SHARD_ROWS:
            self.flush()
        return error.get("code")

    def flush(self) -> None:
        if not self.rows:
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table({name: pa.array([r[name] for r in self.rows], pa.string()) for name in self.COLUMNS})
        final = self.folder / f"part-{self.next:05d}.parquet"
        partial = final.with_suffix(".parquet.partial")
        try:
            pq.write_table(table, partial)
            os.replace(partial, final)
        except OSError as exc:
            raise IOFailure.of(final, exc, "cannot write the output") from None
        self.next += 1
        self.rows = []

    def discard_if_empty(self) -> None:
        if not self.has_results():
            (self.folder / ".bisum.lock").unlink(missing_ok=True)
            try:
                self.folder.rmdir()
            except OSError:
                pass  # something else is in the folder: leave it

    def close(self) -> None:
        os.close(self.fd)


def _stream(source, id_field: str, text_field: str, limit: int | None, done: tuple[Counter, Counter],
            stats: BatchStats, config: Config, workers: int, output_fd: int, batch_size: int,
            ray: RayOptions | None) -> Iterator[tuple[str, object]]:
    """("line", output line) per record processed, in input order, from the chosen engine; the Ray engine also
    reports ("skipped", ...) for records already in the output (the local one counts them in `stats`)."""
    if ray is not None:
        from .ray_engine import results

        yield from results(source, id_field, text_field, limit, done, config, ray)
        return
    chunks = _chunks(read_tasks(source, id_field, text_field, limit, done, stats), batch_size)
    for lines in _results(chunks, config, workers, output_fd):
        for line in lines:
            yield "line", line


def _open_locked(out: Path) -> int:
    """Open (create) the output for appending and take an exclusive lock on it, before anything is cut."""
    try:
        fd = os.open(out, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
    except OSError as exc:
        raise IOFailure.of(out, exc, "cannot open the output") from None
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise UsageError(f"{out} is being written by another bisum batch run: wait for it, or choose "
                             "another output", code="output_locked") from None
    return fd


def _results(chunks: Iterator[list], config: Config, workers: int, output_fd: int) -> Iterator[list[dict]]:
    """Output lines chunk by chunk, in input order; at most 2 chunks per worker are in flight, so memory stays
    flat however long the input is. A worker that dies (killed, out of memory) loses no record: its chunks are
    run again record by record in a fresh pool, and a record that kills a worker again becomes an error line."""
    if workers <= 1:
        summarizer = BilingualSummarizer(config)
        for chunk in chunks:
            yield run_tasks(summarizer, chunk)
        return
    config = config.model_copy(update={"threads": config.threads or max(1, available_cores() // workers)})
    pool = _pool(config, workers, output_fd)
    pending: deque = deque()
    try:
        for chunk in chunks:
            pending.append((chunk, pool.submit(_worker_run, chunk)))
            while len(pending) >= 2 * workers or pending and pending[0][1].done():
                chunk_done, future = pending.popleft()
                lines, pool = _collect(chunk_done, future, pool, config, workers, output_fd)
                yield lines
        while pending:
            chunk_done, future = pending.popleft()
            lines, pool = _collect(chunk_done, future, pool, config, workers, output_fd)
            yield lines
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _pool(config: Config, workers: int, output_fd: int) -> ProcessPoolExecutor:
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method), initializer=_worker_init,
                               initargs=(config, os.getpid(), output_fd))


def _collect(chunk: list, future, pool: ProcessPoolExecutor, config: Config, workers: int, output_fd: int):
    """The chunk's lines, and the pool to go on with (a new one if a worker died)."""
    try:
        return future.result(), pool
    except BrokenProcessPool:
        pass
    lines = []
    for task in chunk:
        for _ in range(2):  # on the pool at hand (may be broken already), then on a fresh one
            try:
                lines += pool.submit(_worker_run, [task]).result()
                break
            except BrokenProcessPool:
                pool.shutdown(wait=False, cancel_futures=True)
                pool = _pool(config, workers, output_fd)
        else:
            record = task[1].id if task[0] == "ok" else task[1]["id"]
            lines.append(_error_line(record, BisumError("the worker process died while processing this record "
                                                        "(killed, or out of memory)", record=record)))
    return lines, pool


@dataclass(frozen=True)
class Encoded:
    """An output line encoded where it was made (a Ray actor), with its error code (None: not an error)."""

    data: bytes
    code: str | None


def encode(line: dict) -> bytes:
    """One output line; a line that cannot be encoded as UTF-8 (a lone surrogate) is written with ASCII escapes."""
    try:
        return (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(line, ensure_ascii=True) + "\n").encode("ascii")


def _write_line(fd: int, line: dict | Encoded, out: Path) -> str | None:
    """Write one whole line with one write call (retried for the rest if the kernel writes less); returns the
    line's error code, None for a result. A write that fails part-way (a full disk) is cut back to the last whole
    line, so readers of the file meanwhile never see half a record."""
    if isinstance(line, Encoded):
        data, code = line.data, line.code
    else:
        data, code = encode(line), line["error"]["code"] if "error" in line else None
    size = len(data)
    try:
        while data:
            data = data[os.write(fd, data):]
    except OSError as exc:
        with contextlib.suppress(OSError):  # the file is locked: only this line's bytes came after its last line
            os.ftruncate(fd, os.fstat(fd).st_size - (size - len(data)))
        raise IOFailure.of(out, exc, "cannot write the output") from None
    return code

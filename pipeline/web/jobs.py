"""Batches uploaded to the web page: each runs in a background thread over the batch runner's record stream and
per-record processing (one output line per input record, error records in place), with its progress readable
while it runs. Jobs live in memory; the oldest finished ones are dropped past a bound."""
from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
import threading
import uuid
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from ..batch import BatchStats, chunk_size, read_tasks, run_tasks
from ..errors import BisumError
from ..escape import spreadsheet_cell
from ..io import count_records

# The formats a batch upload may have; the server names the file it saves (upload<suffix>) itself.
UPLOAD_SUFFIXES = (".jsonl", ".json", ".csv", ".tsv", ".parquet")
CSV_COLUMNS = ["id", "status", "source_lang", "summary_en", "summary_zh", "glossary", "warnings", "error_code",
               "error_message"]


@dataclass
class Job:
    id: str
    name: str
    total: int | None = None
    lines: list[dict] = field(default_factory=list)
    state: str = "running"  # running, done or failed
    error: str | None = None

    def status(self) -> dict:
        failed = sum("error" in line for line in self.lines)
        return {"id": self.id, "state": self.state, "done": len(self.lines), "failed": failed, "total": self.total,
                "error": self.error}

    def jsonl(self) -> str:
        return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in self.lines)

    def csv(self) -> str:
        """One row per record, cells that a spreadsheet would run as formulas neutralised."""
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(CSV_COLUMNS)
        for line in self.lines:
            error = line.get("error") or {}
            row = [line["id"], "error" if error else "ok", line.get("source_lang"), line.get("summary_en"),
                   line.get("summary_zh"), "; ".join(f'{g["term_en"]} = {g["term_zh"]}' for g in line.get("glossary", [])),
                   " | ".join(line.get("warnings", [])), error.get("code"), error.get("message")]
            writer.writerow([spreadsheet_cell(cell) for cell in row])
        return buf.getvalue()


class Jobs:
    """The batch jobs of one server process. `run_lock` serialises model calls with the article page."""

    def __init__(self, summarizer, run_lock: threading.Lock, keep: int = 16):
        self.summarizer, self.run_lock, self.keep = summarizer, run_lock, keep
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def start(self, data: bytes, suffix: str, name: str) -> Job:
        job = Job(id=uuid.uuid4().hex, name=name)
        with self._lock:
            self._jobs[job.id] = job
            finished = [k for k, j in self._jobs.items() if j.state != "running"]
            for key in finished[:max(0, len(self._jobs) - self.keep)]:
                del self._jobs[key]
        folder = Path(tempfile.mkdtemp(prefix="bisum-upload-"))
        path = folder / f"upload{suffix}"
        path.write_bytes(data)
        threading.Thread(target=self._run, args=(job, path, folder), daemon=True, name=f"bisum-job-{job.id[:8]}").start()
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def _run(self, job: Job, path: Path, folder: Path) -> None:
        summarizer = self.summarizer()
        size = chunk_size(summarizer.config)
        try:
            job.total = count_records(path)
            chunk: list = []
            for task in read_tasks(path, None, None, None, (Counter(), Counter()), BatchStats()):
                chunk.append(task)
                if len(chunk) >= size:
                    self._process(job, summarizer, chunk)
                    chunk = []
            self._process(job, summarizer, chunk)
            job.state = "done"
        except BisumError as exc:  # the file as a whole cannot be read (not parquet, not UTF-8 text, ...)
            job.state, job.error = "failed", str(exc)
        except Exception as exc:  # noqa: BLE001 - shown on the page; the server goes on
            job.state, job.error = "failed", f"{type(exc).__name__}: {exc}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _process(self, job: Job, summarizer, chunk: list) -> None:
        if chunk:
            with self.run_lock:
                job.lines.extend(run_tasks(summarizer, chunk))

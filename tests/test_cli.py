import csv
import gzip
import io
import json
import re
import subprocess
import sys

import pytest

from pipeline.cli import main
from pipeline.schema import ErrorRecord, Result


def run_cli(*args):
    proc = subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture
def article_file(tmp_path, example_en):
    path = tmp_path / "article.txt"
    path.write_text(example_en, encoding="utf-8")
    return path


def test_summarize_json_is_the_schema(article_file, capsys):
    assert main(["summarize", str(article_file), "--format", "json"]) == 0
    result = Result.model_validate(json.loads(capsys.readouterr().out))
    assert result.id == "article" and result.summary_en


def test_summarize_text_and_markdown(article_file, capsys):
    assert main(["summarize", str(article_file)]) == 0
    text = capsys.readouterr().out
    # a summary says what wrote it; a missing one says why instead
    assert "English summary (extractive: bisum-textrank-mmr):" in text and "Chinese summary:\n(missing)" in text
    assert main(["summarize", str(article_file), "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert "| English | Chinese |" in md and "_(extractive: bisum-textrank-mmr)_" in md


def _write(path, data: bytes):
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize("case,pattern", [
    ("empty", "the text is empty"),
    ("dir", "is a directory"),
    ("binary", "not valid UTF-8"),
    ("gbk", "not valid UTF-8 (byte 0: b'\\xd1'); convert it to UTF-8 (Chinese text saved as GBK: iconv"),
    ("gzip", "not text but a gzip file: decompress it first"),
    ("pdf", "not text but a PDF: extract its text first"),
    ("gzip_table", "compressed input cannot be read: decompress it first"),
    ("table", "is a table of records, not one article: summarize it with `bisum batch -i"),
    ("missing", "no such file"),
    ("unknown_key", "unknown config key 'summarize.bogus'"),
    ("missing_config", "config file not found"),
])
def test_bad_input_one_line_error(case, pattern, tmp_path, article_file, capsys):
    args = {
        "empty": ["summarize", _write(tmp_path / "e.txt", b"  \n")],
        "dir": ["summarize", str(tmp_path)],
        "binary": ["summarize", _write(tmp_path / "b.txt", b"Bank \xff\xfe profit")],
        "gbk": ["summarize", _write(tmp_path / "g.txt", "央行降准。".encode("gb18030"))],
        "gzip": ["summarize", _write(tmp_path / "z.txt", gzip.compress(b"The bank cut rates."))],
        "pdf": ["summarize", _write(tmp_path / "p.txt", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj")],
        "table": ["summarize", _write(tmp_path / "a.jsonl", b'{"text": "The bank cut rates."}\n')],
        "gzip_table": ["batch", "-i", _write(tmp_path / "a.jsonl.gz", gzip.compress(b'{"text": "x"}\n')),
                       "-o", str(tmp_path / "out.jsonl")],
        "missing": ["summarize", str(tmp_path / "nope.txt")],
        "unknown_key": ["summarize", str(article_file), "--config",
                        _write(tmp_path / "c.yaml", b"summarize:\n  bogus: 1\n")],
        "missing_config": ["summarize", str(article_file), "--config", str(tmp_path / "none.yaml")],
    }[case]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and pattern in err and err.startswith("bisum: error [")


def test_utf16_and_utf32_files_with_a_byte_order_mark_are_read(tmp_path, capsys):
    for codec in ("utf-16", "utf-16-be", "utf-32"):
        data = ("\ufeff" if codec.endswith("-be") else "") + "The central bank cut rates. Loans to small firms rose."
        path = _write(tmp_path / f"{codec}.txt", data.encode(codec))
        assert main(["clean", path]) == 0
        assert capsys.readouterr().out.strip() == "The central bank cut rates. Loans to small firms rose."


def test_stdin_and_module_entry_point(example_zh):
    proc = subprocess.run([sys.executable, "-m", "pipeline", "summarize", "-", "--format", "json"],
                          input=example_zh, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["source_lang"] == "zh"


def test_batch_one_line_per_record(tmp_path, example_en, example_zh, capsys):
    src = tmp_path / "in.jsonl"
    lines = [json.dumps({"id": "en", "text": example_en}), "{not json", json.dumps({"id": "n", "text": 5}),
             json.dumps({"id": "e", "text": "  "}), json.dumps({"id": "en", "text": example_en}),
             json.dumps({"text": example_zh})]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["batch", "--input", str(src), "--output", str(out)]) == 3
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(lines)
    codes = [r["error"]["code"] if "error" in r else "ok" for r in records]
    assert codes == ["ok", "bad_json", "bad_text_type", "empty_text", "duplicate_id", "ok"]
    assert records[5]["id"].startswith("sha1-")
    for r in records:
        (ErrorRecord if "error" in r else Result).model_validate(r)


def test_batch_csv(tmp_path, example_en, capsys):

    src = tmp_path / "in.csv"
    with src.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["id", "text"], ["a", example_en], ["b", example_en.replace("Shenzhen", "Xiamen")]])
    out = tmp_path / "out.jsonl"
    assert main(["batch", "--input", str(src), "--output", str(out)]) == 0
    assert [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()] == ["a", "b"]


def test_glossary_formats(article_file, capsys):
    assert main(["glossary", str(article_file), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["terms"]
    assert {"term_en": "relending", "term_zh": "再贷款"}.items() <= next(r for r in rows if r["term_en"] == "relending").items()
    assert main(["glossary", str(article_file), "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("term_en,term_zh,category,count")


def test_glossary_merges_a_batch_with_user_terms_and_candidates(tmp_path, capsys):
    records = tmp_path / "batch.jsonl"
    records.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"id": "a", "text": "Green loans grew. The bank expanded innovation-themed reloans."},
        {"id": "b", "text": "绿色贷款余额增长，科创板企业增加。"},
        {"id": "c", "text": "Green loans and tech credit rose."}]) + "\n", encoding="utf-8")
    user = tmp_path / "terms.yaml"
    user.write_text("- {en: tech credit, zh: 科技信贷, category: custom, definition_en: x, definition_zh: y}\n",
                    encoding="utf-8")
    assert main(["glossary", str(records), "--terms", str(user), "--format", "json"]) == 0
    merged = json.loads(capsys.readouterr().out)
    rows = {r["term_en"]: r for r in merged["terms"]}
    assert rows["green loan"]["articles"] == ["a", "b", "c"] and rows["green loan"]["count"] == 3
    assert rows["tech credit"]["term_zh"] == "科技信贷" and rows["tech credit"]["articles"] == ["c"]
    assert rows["STAR Market"]["articles"] == ["b"]
    assert [(c["term"], c["status"]) for c in merged["candidates"]] == [("innovation-themed reloans", "unverified")]
    assert main(["glossary", str(records), "--format", "md"]) == 0
    out = capsys.readouterr().out
    assert "unverified candidates" in out and "|Definition\n" in out


def test_glossary_lists_each_surface_once_and_csv_has_definitions(tmp_path, capsys):
    text = tmp_path / "a.txt"
    text.write_text("成交额上升。成交额继续上升，再贷款增加，成交额创新高。\n", encoding="utf-8")
    assert main(["glossary", str(text), "--format", "json"]) == 0
    row = next(r for r in json.loads(capsys.readouterr().out)["terms"] if r["term_zh"] == "成交额")
    assert row["count"] == 3 and row["surfaces"] == ["成交额"]
    assert main(["glossary", str(text), "--format", "csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert all(r["definition_en"] and r["definition_zh"] for r in table if r["status"] == "glossary")


def test_evaluate_identical_chinese_scores_100(tmp_path, capsys):
    ref = tmp_path / "ref.jsonl"
    ref.write_text(json.dumps({"id": "1", "summary": "央行下调存款准备金率。"}, ensure_ascii=False) + "\n", encoding="utf-8")
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"id": "1", "summary_zh": "央行下调存款准备金率。"}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    assert main(["evaluate", "--pred", str(pred), "--ref", str(ref), "--pred-column", "summary_zh",
                 "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    scores = report["systems"][0]["scores"]
    assert scores["rouge1_f (char)"]["value"] == pytest.approx(100.0)
    assert scores["rougeLsum_f (word)"]["value"] == pytest.approx(100.0)


def test_help_for_every_subcommand(capsys):
    for sub in ("summarize", "batch", "clean", "glossary", "evaluate", "demo"):
        with pytest.raises(SystemExit) as done:
            main([sub, "--help"])
        assert done.value.code == 0 and "usage: bisum " + sub in capsys.readouterr().out


def test_column_options_are_spelled_alike_in_every_command():
    from pipeline.cli import build_parser

    parse = build_parser().parse_args
    long = parse(["batch", "--input", "a.csv", "--output", "o.jsonl", "--id-column", "doc", "--text-column", "body"])
    short = parse(["batch", "-i", "a.csv", "-o", "o.jsonl", "--id-field", "doc", "--text-field", "body"])
    assert vars(long) == vars(short) and (long.id_field, long.text_field) == ("doc", "body")
    glossary = parse(["glossary", "a.csv", "--id-field", "doc", "--text-field", "body"])
    assert (glossary.id_column, glossary.text_column) == ("doc", "body")


def test_clean_diff_marks_edits_in_plain_text_without_a_terminal(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("The bank cut rates. Ta. It said loans would rise by 1 trillion yuan yuan.\n", encoding="utf-8")
    code, out, _ = run_cli("clean", str(article), "--diff")  # stdout is a pipe here
    assert code == 0 and "[- Ta.-]" in out and "yuan[-" in out and "2 edits, 0 flagged" in out
    assert "\x1b[" not in out


def test_summary_length_flags_on_summarize_and_batch(tmp_path, example_en, capsys):
    article = tmp_path / "a.txt"
    article.write_text(example_en, encoding="utf-8")
    assert main(["summarize", str(article), "--format", "json", "--max-sentences", "1"]) == 0
    one = json.loads(capsys.readouterr().out)
    assert one["summary_en"].count(". ") == 0 and one["summary_en"]
    assert main(["summarize", str(article), "--format", "json", "--max-words", "30"]) == 0
    assert len(json.loads(capsys.readouterr().out)["summary_en"].split()) <= 30
    records = tmp_path / "in.jsonl"
    records.write_text(json.dumps({"id": "a", "text": example_en}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["batch", "-i", str(records), "-o", str(out), "--quiet", "--max-sentences", "1"]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["summary_en"] == one["summary_en"]


@pytest.mark.parametrize("argv", [["--ratio", "0"], ["--ratio", "1.5"], ["--max-sentences", "0"]])
def test_bad_length_flags_are_refused_before_anything_runs(tmp_path, argv, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["summarize", str(tmp_path / "missing.txt"), *argv])
    assert stop.value.code == 2 and argv[0] in capsys.readouterr().err


def test_version_flag(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0 and capsys.readouterr().out.startswith("bisum 0.")


@pytest.mark.parametrize("column", ["article", "content", "body"])
def test_batch_finds_the_text_column_and_says_which(tmp_path, example_en, column, capsys):
    records = tmp_path / "in.jsonl"
    records.write_text(json.dumps({"doc_id": "a", "title": "Green loans", column: example_en}) + "\n",
                       encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["batch", "-i", str(records), "-o", str(out)]) == 0
    assert f"text column '{column}'" in capsys.readouterr().err
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["id"] == "a" and record["summary_en"]


def test_batch_without_a_text_column_stops_before_writing(tmp_path, capsys):
    records = tmp_path / "in.jsonl"
    records.write_text(json.dumps({"id": "a", "words": "Banks lent more."}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["batch", "-i", str(records), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no text column" in err and "'words'" in err
    assert not out.exists()


def test_glossary_finds_the_text_column(tmp_path, capsys):
    records = tmp_path / "in.csv"
    records.write_text("uid,content\nx,央行新增再贷款额度。\n", encoding="utf-8")
    assert main(["glossary", str(records), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["terms"]
    assert [r["articles"] for r in rows if r["term_zh"] == "再贷款"] == [["x"]]


def test_batch_reads_stdin_and_writes_stdout_with_progress_on_stderr(example_en, tmp_path):
    lines = "".join(json.dumps(r) + "\n" for r in [{"id": "a", "text": example_en}, {"id": "b"}]) + "not json\n"
    proc = subprocess.run([sys.executable, "-m", "pipeline", "batch", "-i", "-", "-o", "-"], input=lines,
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    records = [json.loads(x) for x in proc.stdout.splitlines()]
    assert proc.returncode == 3 and [r["id"] for r in records] == ["a", "b", "<stdin>:3"]
    assert records[0]["summary_en"] and [r["error"]["code"] for r in records[1:]] == ["missing_text", "bad_json"]
    assert "done: 1, failed: 2" in proc.stderr and not (tmp_path / "-").exists()
    code, _, err = run_cli("batch", "-i", str(tmp_path / "x.jsonl"), "-o", "-", "--resume")
    assert code == 2 and "--output - writes JSONL to stdout" in err


def test_did_you_mean_for_flags_config_keys_and_config_names(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["summarize", "a.txt", "--max-sentenses", "1"])
    assert "did you mean --max-sentences?" in capsys.readouterr().err
    config = tmp_path / "c.yaml"
    config.write_text("summarize:\n  max_sentence: 2\n", encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("Banks lent more to small firms this year.\n", encoding="utf-8")
    assert main(["summarize", str(article), "--config", str(config)]) == 2
    assert "unknown config key 'summarize.max_sentence' (did you mean 'max_sentences'?)" in capsys.readouterr().err
    assert main(["summarize", str(article), "--config", "hf-smal"]) == 2
    assert "did you mean 'hf-small'?" in capsys.readouterr().err


def test_a_field_null_for_every_record_is_said_once_and_each_warning_stays_short(tmp_path, example_en, capsys):
    records = tmp_path / "in.jsonl"
    records.write_text("".join(json.dumps({"id": f"r{i}", "text": example_en}) + "\n" for i in range(3)),
                       encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["batch", "-i", str(records), "-o", str(out), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert err.count("bisum: note: summary_zh will be null for every English article") == 1
    assert "How to fix" in err
    for line in out.read_text(encoding="utf-8").splitlines():
        (warning,) = [w for w in json.loads(line)["warnings"] if w.startswith("summary_zh is missing")]
        assert len(warning) < 260  # the reason and a short fix (it was 391 characters)


def test_verbose_says_what_loads(article_file):
    code, _, err = run_cli("--verbose", "summarize", str(article_file))
    assert code == 0 and "bisum: config: <embedded default>" in err and re.search(r"bisum: term base: \d+ entries", err)
    assert "could not load seq2seq model Helsinki-NLP/opus-mt-en-zh" in err
    code, _, err = run_cli("summarize", str(article_file))
    assert code == 0 and "bisum: config:" not in err

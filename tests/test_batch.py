import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from pipeline.batch import EXIT_OK, EXIT_RECORDS_FAILED, completed_ids, run_batch
from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.io import count_records

from .conftest import ROOT

GOOD_EN = ("The central bank cut the reserve requirement ratio by 0.5 percentage points on Monday. The move releases "
           "about 1 trillion yuan of liquidity. Analysts expect lending rates to fall. Banks welcomed the decision.")
GOOD_ZH = "央行宣布下调存款准备金率0.5个百分点。此次降准释放长期资金约1万亿元。市场人士认为降准有助于稳定经济。"


def _jsonl(path, rows):
    path.write_bytes(b"".join(r if isinstance(r, bytes) else json.dumps(r, ensure_ascii=False).encode() + b"\n"
                              for r in rows))
    return path


def _lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _without_timings(lines):
    return [{k: v for k, v in line.items() if k != "timings"} for line in lines]


def test_every_kind_of_bad_record_gives_one_error_line(tmp_path):
    src = _jsonl(tmp_path / "in.jsonl", [
        {"id": "good-en", "text": GOOD_EN},
        b'{"id": "broken", "text": "no closing brace"\n',
        {"id": "no-text"},
        {"id": "number", "text": 42},
        {"id": "empty", "text": ""},
        {"id": "blank", "text": "  \n\t "},
        b'{"id": "latin1", "text": "caf\xe9"}\n',
        {"id": "junk", "text": "\x01\x02\x03\x04 binary \x05\x06\x07\x08" * 20},
        {"id": "huge", "text": GOOD_EN * 25_000},
        {"id": "page", "text": "<!DOCTYPE html><html><body><p>" + GOOD_EN + "</p></body></html>"},
        {"id": "good-en", "text": GOOD_EN},
        {"id": "russian", "text": "Центральный банк снизил ставку. Рынок вырос."},
        {"id": "good-zh", "text": GOOD_ZH},
        {"text": GOOD_EN + " No id here."},
    ])
    out = tmp_path / "out.jsonl"
    stats = run_batch(src, out)
    lines = _lines(out)
    assert len(lines) == 14 and stats.done + stats.failed == 14
    codes = [line["error"]["code"] if "error" in line else "ok" for line in lines]
    assert codes == ["ok", "bad_json", "missing_text", "bad_text_type", "empty_text", "empty_text", "not_utf8",
                     "binary_text", "too_long", "html_input", "duplicate_id", "unsupported_language", "ok", "ok"]
    assert lines[1]["id"] == "in.jsonl:2" and lines[13]["id"].startswith("sha1-")
    assert all(line["error"]["message"] for line in lines if "error" in line)
    assert lines[2]["error"]["message"] == ("record 'no-text': field 'text' is missing (the record has 'id'; "
                                            "--text-column / text_field names the text column)")
    assert stats.exit_code == EXIT_RECORDS_FAILED


def test_a_missing_text_column_names_the_columns_there_are(tmp_path):
    from pipeline.io import iter_records

    csv = tmp_path / "in.csv"
    csv.write_text("doc,body\nx1,Rates fell.\n", encoding="utf-8")
    nulls = tmp_path / "in.jsonl"
    nulls.write_text('{"id": "n", "text": null}\n', encoding="utf-8")
    (wrong,), (null,) = list(iter_records(csv, text_field="text")), list(iter_records(nulls))
    # the record is named by its line in the file: the header is line 1
    assert (wrong.code, wrong.record) == ("missing_text", "in.csv:2") and "has 'doc', 'body';" in str(wrong)
    assert (null.code, str(null)) == ("missing_text", "record 'n': field 'text' is null")
    (article,) = iter_records(csv, id_field="doc", text_field="body")
    assert (article.id, article.text) == ("x1", "Rates fell.")
    (found,) = iter_records(csv)  # not named: 'body' is a text column; 'doc' is no id column, so the id is a hash
    assert found.text == "Rates fell." and found.id.startswith("sha1-")


@pytest.mark.parametrize("kind", ["csv", "parquet", "dataset", "txt"])
def test_other_input_formats(tmp_path, kind):
    import datasets

    rows = [{"id": "a", "text": GOOD_EN}, {"id": "b", "text": GOOD_ZH}]
    if kind == "csv":
        src = tmp_path / "in.csv"
        datasets.Dataset.from_list(rows).to_csv(str(src), index=False)
    elif kind == "parquet":
        src = tmp_path / "in.parquet"
        datasets.Dataset.from_list(rows).to_parquet(str(src))
    elif kind == "dataset":
        src = tmp_path / "ds"
        datasets.Dataset.from_list(rows).save_to_disk(str(src))
    else:
        src = tmp_path / "txt"
        src.mkdir()
        for r in rows:
            (src / f"{r['id']}.txt").write_text(r["text"], encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert run_batch(src, out).exit_code == EXIT_OK
    assert [line["id"] for line in _lines(out)] == ["a", "b"]
    assert count_records(src) == 2  # the progress bar's total


def test_workers_limit_and_order(tmp_path):
    src = _jsonl(tmp_path / "in.jsonl", [{"id": f"r{i}", "text": GOOD_EN if i % 2 else GOOD_ZH} for i in range(40)])
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    run_batch(src, one, batch_size=4)
    run_batch(src, two, workers=2, batch_size=4)
    assert _without_timings(_lines(one)) == _without_timings(_lines(two))
    assert [line["id"] for line in _lines(one)] == [f"r{i}" for i in range(40)]
    limited = tmp_path / "limited.jsonl"
    assert run_batch(src, limited, limit=5).done == 5 and len(_lines(limited)) == 5


def test_a_run_that_fails_before_its_first_record_leaves_no_output(tmp_path):
    from pipeline.errors import EncodingError

    src = tmp_path / "in.csv"
    src.write_bytes(b"id,text\nx,caf\xe9\n")
    for out, fmt in ((tmp_path / "out.jsonl", "jsonl"), (tmp_path / "shards", "parquet")):
        with pytest.raises(EncodingError):
            run_batch(src, out, quiet=True, output_format=fmt)
        assert not out.exists()
    kept = tmp_path / "kept.jsonl"
    kept.write_bytes(b"")  # an output the user made stays
    with pytest.raises(EncodingError):
        run_batch(src, kept, quiet=True)
    assert kept.exists()


def test_existing_output_needs_resume_or_overwrite_and_partial_line_is_dropped(tmp_path):
    src = _jsonl(tmp_path / "in.jsonl", [{"id": f"r{i}", "text": GOOD_EN} for i in range(6)])
    out = tmp_path / "out.jsonl"
    run_batch(src, out, limit=3)
    with pytest.raises(InputError, match="--resume"):
        run_batch(src, out)
    with out.open("ab") as fh:
        fh.write(b'{"id": "r3", "source_la')  # a write cut short
    assert completed_ids(out) == ({"r0": 1, "r1": 1, "r2": 1}, {})
    stats = run_batch(src, out, resume=True)
    assert (stats.skipped, stats.done) == (3, 3)
    assert [line["id"] for line in _lines(out)] == [f"r{i}" for i in range(6)]
    assert run_batch(src, out, overwrite=True).done == 6 and len(_lines(out)) == 6


def test_sigkill_then_resume_equals_an_uninterrupted_run(tmp_path):
    rng = random.Random(20261126)
    rows = [{"id": f"r{i}", "text": (GOOD_EN if i % 3 else GOOD_ZH) + f" Item {i}."} for i in range(240)]
    rows.insert(100, {"id": "bad", "text": ""})
    src = _jsonl(tmp_path / "in.jsonl", rows)
    reference = tmp_path / "reference.jsonl"
    run_batch(src, reference)

    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "pipeline", "batch", "--input", str(src), "--output", str(out), "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    kill_after = rng.randint(1, 150)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= kill_after:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.005)
    proc.wait()
    killed = proc.returncode == -signal.SIGKILL
    written = out.read_bytes().count(b"\n")
    assert main(["batch", "--input", str(src), "--output", str(out), "--resume", "--quiet"]) == EXIT_RECORDS_FAILED
    assert _without_timings(_lines(out)) == _without_timings(_lines(reference))
    assert killed and 0 < written < len(rows), "the run should have been killed part way"


def test_progress_counts_processed_records_and_the_summary_has_its_own_line(tmp_path, monkeypatch, capsys):
    import tqdm

    from pipeline.cli import main

    class Immediate(tqdm.tqdm):  # draw at once (the real bar waits 0.5 s before it shows)
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **{**kwargs, "delay": 0, "mininterval": 0})

    monkeypatch.setattr(tqdm, "tqdm", Immediate)
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": f"r{i}", "text": "Banks lent more to small firms this year."}) + "\n"
                              for i in range(3)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["batch", "-i", str(source), "-o", str(out), "--limit", "2"]) == 0
    err = capsys.readouterr().err
    assert "2/2" in err and "\ndone: 2," in err
    assert main(["batch", "-i", str(source), "-o", str(out), "--resume"]) == 0
    err = capsys.readouterr().err
    assert "1/1" in err and "/3" not in err and "\ndone: 1," in err  # the two skipped records are not progress


def test_a_pretty_printed_json_file_is_read_as_its_records_or_refused_once(tmp_path):
    from pipeline.errors import InputError
    from pipeline.io import iter_records

    one = tmp_path / "one.json"
    one.write_text(json.dumps({"id": "a", "text": "Banks lent more."}, indent=2), encoding="utf-8")
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"id": "a", "text": "Banks lent more."}, {"id": "b", "text": "Rates fell."}],
                               indent=2), encoding="utf-8")
    lines = tmp_path / "lines.json"
    lines.write_text('{"id": "a", "text": "Banks lent more."}\n{"id": "b", "text": "Rates fell."}\n', encoding="utf-8")
    assert [a.id for a in iter_records(one)] == ["a"]
    assert [a.id for a in iter_records(many)] == [a.id for a in iter_records(lines)] == ["a", "b"]
    bad_first = tmp_path / "bad_first.json"  # JSON lines whose first line is broken: the others are still read
    bad_first.write_text('not json\n{"id": "b", "text": "Rates fell."}\n', encoding="utf-8")
    first, second = iter_records(bad_first)
    assert first.code == "bad_json" and second.id == "b"
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "id": "a",\n  "text": "Banks lent more."\n', encoding="utf-8")
    with pytest.raises(InputError, match="not a readable JSON document"):
        list(iter_records(broken))


def test_run_batch_reads_a_dataframe(tmp_path):
    import pandas as pd

    frame = pd.DataFrame([{"id": "a", "article": "Banks lent more to small firms this year."}])
    out = tmp_path / "out.jsonl"
    assert run_batch(frame, out).done == 1 and json.loads(out.read_text(encoding="utf-8"))["id"] == "a"

"""`bisum batch --output-format parquet`: shards of whole records, the JSONL output's content, resume."""
import json

import pyarrow.parquet as pq
import pytest

from pipeline.batch import ParquetShards
from pipeline.cli import main


@pytest.fixture
def source(tmp_path, example_en, example_zh):
    rows = [{"id": f"a{i}", "text": example_en if i % 2 else example_zh} for i in range(25)]
    rows[7]["text"] = ""
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def records(folder):
    rows = []
    for shard in sorted(folder.glob("part-*.parquet")):
        rows += pq.read_table(shard).to_pylist()
    return rows


def without_timings(line: dict) -> dict:
    return {k: v for k, v in line.items() if k != "timings"}


def test_parquet_shards_hold_the_jsonl_records(source, tmp_path, monkeypatch):
    monkeypatch.setattr(ParquetShards, "SHARD_ROWS", 10)
    assert main(["batch", "--input", str(source), "--output", str(tmp_path / "o.jsonl"), "--quiet"]) == 3
    expected = [json.loads(line) for line in (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()]
    out = tmp_path / "shards"
    assert main(["batch", "--input", str(source), "--output", str(out), "--output-format", "parquet", "--quiet"]) == 3
    assert [p.name for p in sorted(out.glob("part-*"))] == ["part-00000.parquet", "part-00001.parquet",
                                                            "part-00002.parquet"]
    rows = records(out)
    assert [without_timings(json.loads(r["record"])) for r in rows] == [without_timings(e) for e in expected]
    assert [r["error_code"] for r in rows if r["error_code"]] == ["empty_text"]
    assert rows[0]["summary_zh"] == expected[0]["summary_zh"] and rows[1]["id"] == "a1"


def test_resume_keeps_whole_shards_and_redoes_the_rest(source, tmp_path, monkeypatch):
    monkeypatch.setattr(ParquetShards, "SHARD_ROWS", 10)
    out = tmp_path / "shards"
    main(["batch", "--input", str(source), "--output", str(out), "--output-format", "parquet", "--quiet"])
    complete = records(out)
    (out / "part-00002.parquet").unlink()  # the run was killed before its last shard was renamed in place
    (out / "part-00002.parquet.partial").write_bytes(b"half a file")
    assert main(["batch", "--input", str(source), "--output", str(out), "--output-format", "parquet",
                 "--quiet"]) == 2  # results there: resume or overwrite must be chosen
    assert main(["batch", "--input", str(source), "--output", str(out), "--output-format", "parquet", "--resume",
                 "--quiet"]) == 3
    assert [r["id"] for r in records(out)] == [r["id"] for r in complete]


def test_a_file_is_not_a_shard_folder(source, tmp_path, capsys):
    target = tmp_path / "file.parquet"
    target.write_text("x")
    assert main(["batch", "--input", str(source), "--output", str(target), "--output-format", "parquet"]) == 4
    assert "is a file" in capsys.readouterr().err


@pytest.mark.parametrize("flag", ["--overwrite", "--resume"])
def test_an_input_inside_the_output_folder_is_refused_and_kept(source, tmp_path, capsys, flag):
    out = tmp_path / "out"
    main(["batch", "--input", str(source), "--output", str(out), "--output-format", "parquet", "--quiet"])
    shard = out / "part-00000.parquet"
    before = shard.read_bytes()
    capsys.readouterr()
    assert main(["batch", "--input", str(shard), "--output", str(out), "--output-format", "parquet", flag]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "inside the --output folder" in err
    assert shard.read_bytes() == before  # nothing deleted, nothing appended


def test_a_shard_folder_is_read_as_one_table(source, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(ParquetShards, "SHARD_ROWS", 10)
    main(["batch", "--input", str(source), "--output", str(tmp_path / "o.jsonl"), "--quiet"])
    out = tmp_path / "shards"
    main(["batch", "--input", str(source), "--output", str(out), "--output-format", "parquet", "--quiet"])
    refs = [{"id": f"a{i}", "summary": "Banks lent more to small firms this year." if i % 2 else "银行贷款增长。"}
            for i in range(25)]
    ref = tmp_path / "ref.jsonl"
    ref.write_text("".join(json.dumps(r) + "\n" for r in refs), encoding="utf-8")
    capsys.readouterr()
    scores = []
    for pred in (tmp_path / "o.jsonl", out):  # the JSONL output and the shard folder score the same
        assert main(["evaluate", "--pred", str(pred), "--ref", str(ref), "--format", "json", "--rounds", "10",
                     "--lang", "en"]) == 0
        report = json.loads(capsys.readouterr().out)
        for system in report["systems"]:
            system.pop("name")
        report["notes"] = [note.split(": ", 1)[-1] for note in report["notes"]]  # the system's name in front
        scores.append(report)
    assert scores[0] == scores[1] and scores[0]
    # an output has no text column of its own: one error, nothing written; named, every shard row is read in order
    assert main(["batch", "--input", str(out), "--output", str(tmp_path / "again.jsonl"), "--quiet"]) == 2
    assert not (tmp_path / "again.jsonl").exists() and "no text column" in capsys.readouterr().err
    assert main(["batch", "--input", str(out), "--output", str(tmp_path / "again.jsonl"), "--quiet",
                 "--text-column", "cleaned_text"]) == 3  # the source's error record has no cleaned text
    lines = (tmp_path / "again.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["id"] for x in lines] == [f"a{i}" for i in range(25)]

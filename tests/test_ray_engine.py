"""`bisum batch --engine ray` on a local Ray (2 CPUs): the same records as the local engine, the same error
records, resume after a killed driver, and the documented cluster command in the KubeRay example."""
import json
import os
import shlex
import signal
import subprocess
import sys
import time

import pytest
import yaml

from pipeline.batch import run_batch
from pipeline.cli import main
from tests.conftest import EXAMPLES, ROOT

ray = pytest.importorskip("ray")

RAY = ["--engine", "ray", "--actors", "2", "--batch-size", "8"]
SENTENCES = ["The central bank cut the reserve requirement ratio by {n} basis points on Friday.",
             "Shares of the lender rose {n} percent in Shanghai after the results were published.",
             "Green loans reached {n} trillion yuan at the end of the quarter, the regulator said.",
             "The fund bought existing stakes from {n} investors in a secondary transaction.",
             "Analysts expect net interest margins to narrow by {n} basis points next year."]


def records(count: int = 200) -> list[dict]:
    rows = []
    for i in range(count):
        text = " ".join(SENTENCES[(i + k) % 5].format(n=i + k) for k in range(4))
        rows.append({"id": f"r{i:03d}", "text": text})
    rows[17]["text"] = ""  # empty
    rows[50]["text"] = 42  # not a string
    rows[99]["id"] = "r098"  # a duplicate id
    rows[150]["text"] = "这是一个日本語のテキストです。" * 3  # not English or Chinese
    return rows


def lines(path) -> list[dict]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        row.pop("timings", None)  # seconds differ from run to run
        out.append(row)
    return out


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ray")
    src = folder / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records()), encoding="utf-8")
    local = folder / "local.jsonl"
    assert main(["batch", "--input", str(src), "--output", str(local), "--quiet"]) == 3  # some records fail
    return src, lines(local)


def test_ray_gives_the_local_engines_records_and_errors(inputs, tmp_path, capsys):
    src, expected = inputs
    out = tmp_path / "ray.jsonl"
    assert main(["batch", "--input", str(src), "--output", str(out), "--quiet", *RAY]) == 3
    got = lines(out)
    assert got == expected  # same lines, same order, timings aside
    assert {r["error"]["code"] for r in got if "error" in r} == {"empty_text", "bad_text_type", "duplicate_id",
                                                                   "unsupported_language"}
    summary = capsys.readouterr().err.strip().splitlines()[-1]
    assert summary.startswith("done: 196, failed: 4") and "articles/s" in summary


def test_resume_after_a_killed_driver_loses_and_repeats_nothing(tmp_path):
    src = tmp_path / "big.jsonl"  # long enough that the driver is killed half way
    src.write_text("".join(json.dumps(r) + "\n" for r in records(1500)), encoding="utf-8")
    local = tmp_path / "local.jsonl"
    main(["batch", "--input", str(src), "--output", str(local), "--quiet", "--workers", "2"])
    expected = lines(local)
    out = tmp_path / "killed.jsonl"
    command = [sys.executable, "-m", "pipeline", "batch", "--input", str(src), "--output", str(out), "--quiet", *RAY]
    driver = subprocess.Popen(command, cwd=ROOT, start_new_session=True, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not out.exists() or out.read_text().count("\n") < 100):
        time.sleep(0.02)
    os.killpg(driver.pid, signal.SIGKILL)  # the driver and the local Ray it started
    driver.wait()
    partial = out.read_text(encoding="utf-8").count("\n")
    assert 100 <= partial < len(expected)
    assert main(["batch", "--input", str(src), "--output", str(out), "--quiet", "--resume", *RAY]) == 3
    got = lines(out)
    assert [r["id"] for r in got] == [r["id"] for r in expected]  # each id once, in input order
    assert got == expected


def test_without_ray_installed_the_engine_is_a_one_line_error(inputs, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "ray", None)
    src, _ = inputs
    assert main(["batch", "--input", str(src), "--output", str(tmp_path / "o.jsonl"), *RAY]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "pip install 'bisum[ray]'" in err


def test_run_batch_without_ray_still_works_locally(inputs, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)
    src, expected = inputs
    stats = run_batch(src, tmp_path / "o.jsonl")
    assert stats.done == len(expected) - 4 and lines(tmp_path / "o.jsonl") == expected


def documented_command() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- ray-job-command -->", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    return shlex.split(block.replace("\\\n", " "))


def test_the_kuberay_example_runs_the_documented_command():
    manifest = yaml.safe_load((EXAMPLES / "kuberay-rayjob.yaml").read_text(encoding="utf-8"))
    assert manifest["apiVersion"] == "ray.io/v1" and manifest["kind"] == "RayJob"
    assert shlex.split(manifest["spec"]["entrypoint"]) == documented_command()
    workers = manifest["spec"]["rayClusterSpec"]["workerGroupSpecs"][0]["template"]["spec"]["containers"][0]
    assert workers["resources"]["limits"]["nvidia.com/gpu"] == 1


def test_the_documented_command_parses(monkeypatch):
    command = documented_command()
    assert command[:4] == ["bisum", "batch", "--engine", "ray"] and "--ray-address" in command
    from pipeline.cli import build_parser

    args = build_parser().parse_args(command[1:])
    assert args.engine == "ray" and args.ray_address == "auto" and args.gpus_per_actor == 1


def test_ray_writes_parquet_shards_too(inputs, tmp_path):
    import pyarrow.parquet as pq

    src, expected = inputs
    out = tmp_path / "shards"
    assert main(["batch", "--input", str(src), "--output", str(out), "--output-format", "parquet", "--quiet", *RAY]) == 3
    rows = [r for shard in sorted(out.glob("part-*.parquet")) for r in pq.read_table(shard).to_pylist()]
    got = [json.loads(r["record"]) for r in rows]
    for row in got:
        row.pop("timings", None)
    assert got == expected


def test_asking_for_a_gpu_the_cluster_lacks_is_one_line_not_a_hang(inputs, tmp_path, capsys):
    src, _ = inputs
    code = main(["batch", "--input", str(src), "--output", str(tmp_path / "o.jsonl"), *RAY, "--gpus-per-actor", "512"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and "asks for 512 GPU(s) but the Ray cluster has" in err[-1]


@pytest.fixture(scope="module")
def bad_runs(tmp_path_factory):
    """Every bad-input case of test_bad_input.py as one JSONL (a raw line keeps a lone surrogate as the \\u
    escape a broken export writes), through both engines."""
    from tests.test_bad_input import BAD_TEXTS, GOOD_EN

    folder = tmp_path_factory.mktemp("bad")
    src = folder / "bad.jsonl"
    rows = [{"id": name, "text": text} for name, (text, _) in BAD_TEXTS.items()] + [{"id": "good", "text": GOOD_EN}]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")  # ensure_ascii: \ud800 stays escaped
    config = folder / "limited.yaml"
    config.write_text("input:\n  max_chars: 1000\n", encoding="utf-8")  # the limit of test_bad_input's too_long
    runs = {}
    for engine in ("local", "ray"):
        out = folder / f"{engine}.jsonl"
        extra = RAY if engine == "ray" else []
        assert main(["batch", "--input", str(src), "--output", str(out), "--config", str(config), "--quiet",
                     *extra]) == 3
        runs[engine] = {r["id"]: r for r in lines(out)}
    return runs


@pytest.mark.parametrize("case", sorted(__import__("tests.test_bad_input", fromlist=["BAD_TEXTS"]).BAD_TEXTS))
def test_ray_turns_each_bad_record_into_the_local_engines_error_record(bad_runs, case):
    from tests.test_bad_input import BAD_TEXTS

    local, ray_run = bad_runs["local"][case], bad_runs["ray"][case]
    assert local["error"]["code"] == BAD_TEXTS[case][1]
    assert ray_run == local
    assert "summary_en" in bad_runs["ray"]["good"]


@pytest.mark.parametrize("address, message", [("127.0.0.1:1", "cannot reach Ray at 127.0.0.1:1 within 10 s"),
                                              ("ray://127.0.0.1:1", "cannot reach Ray at ray://127.0.0.1:1"),
                                              ("nowhere", "give auto, HOST:PORT or ray://HOST:PORT")])
def test_an_address_that_does_not_answer_is_one_line_not_a_hang(address, message, inputs, tmp_path, capsys):
    src, _ = inputs
    start = time.monotonic()
    code = main(["batch", "--input", str(src), "--output", str(tmp_path / "o.jsonl"), *RAY, "--ray-address", address])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and message in err[0] and time.monotonic() - start < 60


def test_the_ray_client_missing_is_named(inputs, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "grpc", None)
    src, _ = inputs
    code = main(["batch", "--input", str(src), "--output", str(tmp_path / "o.jsonl"), *RAY,
                 "--ray-address", "ray://head:10001"])
    assert code == 2 and "needs the Ray client" in capsys.readouterr().err


def test_the_time_limit_holds_in_ray_actors_too(tmp_path):
    text = " ".join(SENTENCES[i % 5].format(n=i) for i in range(3000))  # seconds of work, far past the limit
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "long", "text": text}) + "\n", encoding="utf-8")
    config = tmp_path / "limited.yaml"
    config.write_text("input:\n  max_seconds: 0.2\n  max_chars: 2000000\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    assert main(["batch", "--input", str(src), "--output", str(out), "--config", str(config), "--quiet", *RAY]) == 3
    [line] = lines(out)
    assert line["error"]["code"] == "timeout" and "input.max_seconds" in line["error"]["message"]

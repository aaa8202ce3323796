"""`bisum serve` over HTTP: the page, one article (edits in place, both summary fields, glossary rows), the budget,
batches with error records and downloads, hostile input escaped or refused, concurrent requests kept apart."""
import csv
import io
import json
import socket
from concurrent.futures import ThreadPoolExecutor

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from pipeline.web import create_app, is_loopback  # noqa: E402
from pipeline.web.app import Limits  # noqa: E402

from .web_server import Server, get, post, wait_for_job  # noqa: E402

HOSTILE = ("Shares of Tesla rose 5% on Monday <img src=x onerror=alert(1)> after the company said profit doubled. "
           "Ta. The bank's \u202eevil\u202c relending quota grew to 30 billion yuan, a <script>alert(2)</script> "
           "record for the STAR Market. The central bank said lenders in the region would keep supporting small "
           "technology firms through the end of the year, and that more quotas would follow.")


@pytest.fixture(scope="module")
def server():
    s = Server(create_app(None, Limits(article_bytes=4 * 2**20, upload_bytes=2**20)))
    yield s
    s.stop()


def test_the_page_answers_with_a_strict_content_policy(server):
    status, body, headers = get(server.url + "/")
    assert status == 200 and b'<form id="article-form"' in body
    assert "script-src 'self'" in headers["content-security-policy"]
    assert get(server.url + "/static/app.js")[0] == 200
    assert get(server.url + "/static/../pyproject.toml")[0] == 404
    assert get(server.url + "/static/render.py")[0] == 404  # only the page's own files


def test_an_article_shows_its_edits_in_place_both_summaries_and_the_glossary(server, example_en, summarizer):
    status, body = post(server.url + "/api/summarize", {"text": example_en, "lang": "auto"})
    assert status == 200
    expected = summarizer.run(example_en).to_dict()
    got = body["result"]
    assert {k: v for k, v in got.items() if k not in ("id", "timings")} == \
        {k: v for k, v in expected.items() if k not in ("id", "timings")}
    html = body["html"]
    assert '<del class="edit" data-edit="0" title="fragment.romanized: ' in html and "> Ta.</del>" in html
    assert '<mark class="flag"' in html
    # the Chinese field is missing in the embedded default: its reason is shown, not an empty box
    assert '<p class="missing">(missing) summary_zh is missing: cannot load model' in html
    assert html.count('<tr data-term="') == len(got["glossary"]) > 5
    assert '<span class="term" data-term="3">relending</span>' in html and "再贷款" in html
    assert body["markdown"].startswith("# article")


def test_the_budget_and_language_of_the_form_apply(server, example_en):
    one = post(server.url + "/api/summarize", {"text": example_en, "max_sentences": "1"})[1]["result"]
    three = post(server.url + "/api/summarize", {"text": example_en, "max_sentences": "3"})[1]["result"]
    assert one["summary_en"] in three["summary_en"] and len(one["summary_en"]) < len(three["summary_en"])
    status, body = post(server.url + "/api/summarize", {"text": example_en, "ratio": "2"})
    assert status == 422 and "ratio above 0 and at most 1" in body["error"]["message"]
    status, body = post(server.url + "/api/summarize", {"text": example_en, "lang": "zh"})
    assert status == 200 and body["result"]["source_lang"] == "zh"


def test_hostile_text_is_shown_as_text_and_runs_nothing(server):
    status, body = post(server.url + "/api/summarize", {"text": HOSTILE})
    assert status == 200
    html = body["html"]
    assert "<img" not in html and "<script" not in html and "onerror=alert(1)&gt;" in html
    assert "\u202e" not in html and "\\u202e" in html  # a bidi override is shown, not obeyed
    status, body = post(server.url + "/api/summarize", {"text": HOSTILE, "title": "<script>alert(3)</script>"})
    assert status == 422 and body["error"]["message"] == \
        "record 'article': the title is HTML, not plain text: strip the markup first"


def test_oversized_binary_and_empty_input_get_clear_refusals(server):
    status, body = post(server.url + "/api/summarize", {"text": "Profit rose. " * 160_000})  # 2 MB paste
    assert status == 422 and body["error"]["code"] == "too_long" and "input.max_chars" in body["error"]["message"]
    status, body = post(server.url + "/api/summarize", {}, {"file": ("a.txt", b"%PDF-1.7\x00\x01\x02")})
    assert status == 422 and "not text but a PDF" in body["error"]["message"]
    assert post(server.url + "/api/summarize", {"text": "  "})[1]["error"]["code"] == "empty_text"
    # 100 MB announced: refused from the headers, before the body is read
    with socket.create_connection(("127.0.0.1", server.port)) as s:
        s.sendall(b"POST /api/batch HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                  b"Content-Length: 104857600\r\n\r\n--b\r\n")
        s.settimeout(10)
        answer = b""
        while not answer.endswith(b"}"):
            answer += s.recv(4096)
        answer = answer.decode()
    assert answer.startswith("HTTP/1.1 413") and "at most 1 MB" in answer
    assert get(server.url + "/")[0] == 200  # and the server goes on


def test_a_batch_runs_with_error_records_in_place_and_downloads(server, example_en):
    rows = [{"id": "a1", "text": example_en}, {"id": "=HYPERLINK(\"x\")", "text": "Profits rose 5% at the bank."},
            {"id": "<img src=x onerror=alert(1)>", "text": ""}, {"id": "a1", "text": example_en}]
    data = "".join(json.dumps(r) + "\n" for r in rows).encode() + b"{broken\n"
    status, job = post(server.url + "/api/batch", {}, {"file": ("articles.jsonl", data)})
    assert status == 200 and job["state"] == "running"
    done = wait_for_job(server.url, job["id"])
    assert (done["state"], done["done"], done["failed"], done["total"]) == ("done", 5, 3, 5)
    assert "&lt;img src=x onerror=alert(1)&gt;" in done["html"] and "<img" not in done["html"]
    lines = [json.loads(line) for line in get(f"{server.url}/api/batch/{job['id']}/results.jsonl")[1].splitlines()]
    assert [line["id"] for line in lines[:4]] == [r["id"] for r in rows]
    assert [line.get("error", {}).get("code") for line in lines] == [None, None, "empty_text", "duplicate_id",
                                                                      "bad_json"]
    status, csv_body, headers = get(f"{server.url}/api/batch/{job['id']}/results.csv")
    assert headers["content-disposition"] == 'attachment; filename="bisum-results.csv"'
    table = list(csv.reader(io.StringIO(csv_body.decode())))
    assert len(table) == 6 and table[2][:2] == ["'=HYPERLINK(\"x\")", "ok"]  # no formula runs in a spreadsheet
    assert table[3][1] == "error" and table[3][7] == "empty_text"


def test_bad_batch_uploads_are_refused_or_fail_with_their_reason(server):
    status, body = post(server.url + "/api/batch", {}, {"file": ("run.sh", b"rm -rf /")})
    assert status == 422 and body["error"]["code"] == "bad_input"
    status, job = post(server.url + "/api/batch", {}, {"file": ("a.parquet", b"\x00\x01not parquet" * 50)})
    done = wait_for_job(server.url, job["id"])
    assert done["state"] == "failed" and "parquet" in done["error"]
    assert get(server.url + "/api/batch/nope")[0] == 404


def test_concurrent_requests_get_their_own_results(server, summarizer):
    articles = [f"Shares of Company{i} rose {i + 1}% on Monday after it said quarterly profit doubled. Analysts at "
                f"the bank said Company{i} would raise its dividend. The firm plans {i + 10} new branches." for i in
                range(20)]
    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(lambda text: post(server.url + "/api/summarize", {"text": text}), articles))
    assert all(status == 200 for status, _ in answers)
    expected = [summarizer.run(text).summary_en for text in articles]
    assert [body["result"]["summary_en"] for _, body in answers] == expected
    assert all(f"Company{i}" in summary for i, summary in enumerate(expected))


def test_only_loopback_is_quiet():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")


def test_a_budget_or_language_variant_shares_the_loaded_models(summarizer):
    other = summarizer.variant("zh", {"max_sentences": 1})
    assert other.translate_stage is summarizer.translate_stage and other.detector is summarizer.detector
    assert (other.config.language, other.config.summarize.max_sentences, other.config.summarize.max_share) == \
        ("zh", 1, None)
    assert summarizer.config.summarize.max_sentences == 3 and summarizer.config.language == "auto"

"""The web page in a real browser (the system chromium, driven by Selenium): paste an article with residue, see its
edits highlighted, both summary fields and the glossary rows, pick a term, upload a small batch; a screenshot is
saved (BISUM_SCREENSHOT=path keeps it). Skipped with its reason where chromium or chromedriver is not installed
(.ci/run installs them: apt-get install chromium chromium-driver)."""
import json
import os
import shutil

import pytest

pytest.importorskip("starlette")
webdriver = pytest.importorskip("selenium.webdriver")

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from pipeline.web import create_app  # noqa: E402

from .web_server import Server  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="no chromium/chromedriver (apt-get install "
                                "chromium chromium-driver)")


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=DRIVER))
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def server():
    s = Server(create_app(None))
    yield s
    s.stop()


def test_paste_an_article_see_edits_summaries_glossary_and_run_a_batch(browser, server, example_en, tmp_path):
    wait = WebDriverWait(browser, 60)
    browser.get(server.url + "/")
    wait.until(ec.text_to_be_present_in_element((By.ID, "status"), "ready"))
    browser.find_element(By.ID, "title").send_keys("Shenzhen <b>banks</b>")
    browser.execute_script("document.getElementById('text').value = arguments[0];",  # send_keys is slow on 2 kB
                           example_en + "\n<img src=x onerror=\"document.title='pwned'\">")
    browser.find_element(By.ID, "run").click()
    error = browser.find_element(By.ID, "article-error")
    wait.until(ec.visibility_of(error))
    assert "the title is HTML" in error.text  # refused with its reason, shown as text
    browser.find_element(By.ID, "title").clear()
    browser.find_element(By.ID, "title").send_keys("Shenzhen banks")
    browser.find_element(By.ID, "run").click()
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#result table.glossary")))

    removed = browser.find_elements(By.CSS_SELECTOR, "#result del.edit")
    assert any(e.text.strip() == "Ta." and e.get_attribute("title").startswith("fragment.romanized:") for e in removed)
    assert any("<img" in e.text for e in removed)  # the tag is shown as removed text, not run
    assert browser.title != "pwned"
    assert browser.find_elements(By.CSS_SELECTOR, "#result mark.flag")
    english = browser.find_element(By.CSS_SELECTOR, '.summary-box[data-lang="en"]')
    assert "green loans" in english.find_element(By.CSS_SELECTOR, "p.summary").text
    assert "extractive" in english.find_element(By.CSS_SELECTOR, "p.provenance").text
    chinese = browser.find_element(By.CSS_SELECTOR, '.summary-box[data-lang="zh"]')
    assert chinese.find_element(By.CSS_SELECTOR, "p.missing").text.startswith("(missing) summary_zh is missing")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.glossary tbody tr")
    terms = {row.find_elements(By.TAG_NAME, "td")[0].text: row for row in rows}
    assert {"relending", "rediscount", "green bond"} <= set(terms)
    terms["relending"].click()
    marked = browser.find_elements(By.CSS_SELECTOR, "span.term.active")
    assert {m.text for m in marked} == {"relending", "reloans"}
    assert browser.find_element(By.ID, "download-json").get_attribute("href").startswith("blob:")
    browser.save_screenshot(os.environ.get("BISUM_SCREENSHOT") or str(tmp_path / "article.png"))

    batch = tmp_path / "articles.jsonl"
    batch.write_text(json.dumps({"id": "one", "text": example_en}) + "\n" +
                     json.dumps({"id": "<i>two</i>", "text": ""}) + "\n", encoding="utf-8")
    browser.get(server.url + "/#batch")
    browser.find_element(By.ID, "batch-file").send_keys(str(batch))
    browser.find_element(By.ID, "batch-run").click()
    wait.until(ec.visibility_of_element_located((By.ID, "batch-downloads")))
    cells = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")]
             for tr in browser.find_elements(By.CSS_SELECTOR, "table.batch tbody tr")]
    assert [c[0] for c in cells] == ["one", "<i>two</i>"] and cells[1][1] == "empty_text"
    assert browser.find_element(By.ID, "batch-count").text == "2 of 2 records, 1 failed"
    browser.save_screenshot(str(tmp_path / "batch.png"))

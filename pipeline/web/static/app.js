// The page's only script: sends the forms, shows the server's (escaped) HTML fragments, highlights a glossary
// term's occurrences when its row is chosen, and polls a batch's progress. Text from input is never put into the
// page by this script except as textContent.
"use strict";

function show(el, on) { el.hidden = !on; }

function fail(box, message) { box.textContent = message; show(box, true); }

async function answer(response) {
  let body = null;
  try { body = await response.json(); } catch (e) { /* not JSON: a proxy or a crash */ }
  if (!response.ok) {
    throw new Error(body && body.error ? body.error.message : `the server answered ${response.status}`);
  }
  return body;
}

function download(link, text, type) {
  if (link.href.startsWith("blob:")) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([text], {type}));
}

function pickTerm(row) {
  const term = row.dataset.term;
  const active = !row.classList.contains("active");
  document.querySelectorAll("tr.active, span.term.active").forEach(el => el.classList.remove("active"));
  if (!active) return;
  row.classList.add("active");
  const spans = document.querySelectorAll(`span.term[data-term~="${term}"]`);
  spans.forEach(el => el.classList.add("active"));
  if (spans.length) spans[0].scrollIntoView({block: "center"});
}

async function summarize(event) {
  event.preventDefault();
  const box = document.getElementById("article-error");
  show(box, false);
  const button = document.getElementById("run");
  button.disabled = true;
  button.textContent = "Working…";
  try {
    const body = await answer(await fetch("/api/summarize", {method: "POST", body: new FormData(event.target)}));
    document.getElementById("result").innerHTML = body.html;  // built and escaped by the server
    download(document.getElementById("download-json"), JSON.stringify(body.result, null, 2), "application/json");
    download(document.getElementById("download-md"), body.markdown, "text/markdown");
    show(document.getElementById("downloads"), true);
    document.querySelectorAll("table.glossary tr[data-term]").forEach(row => {
      row.addEventListener("click", () => pickTerm(row));
      row.addEventListener("keydown", e => { if (e.key === "Enter") pickTerm(row); });
    });
  } catch (e) {
    fail(box, e.message);
  } finally {
    button.disabled = false;
    button.textContent = "Summarize";
  }
}

async function poll(id) {
  const progress = document.getElementById("batch-progress");
  const count = document.getElementById("batch-count");
  for (;;) {
    const job = await answer(await fetch(`/api/batch/${id}`));
    progress.max = job.total || Math.max(job.done, 1);
    progress.value = job.done;
    count.textContent = `${job.done}${job.total ? " of " + job.total : ""} records, ${job.failed} failed`;
    if (job.state !== "running") return job;
    await new Promise(resolve => setTimeout(resolve, 300));
  }
}

async function batch(event) {
  event.preventDefault();
  const box = document.getElementById("batch-error");
  show(box, false);
  show(document.getElementById("batch-downloads"), false);
  document.getElementById("batch-result").innerHTML = "";
  try {
    const started = await answer(await fetch("/api/batch", {method: "POST", body: new FormData(event.target)}));
    show(document.getElementById("batch-progress"), true);
    const job = await poll(started.id);
    if (job.state === "failed") fail(box, job.error);
    document.getElementById("batch-result").innerHTML = job.html;  // built and escaped by the server
    document.getElementById("batch-jsonl").href = `/api/batch/${job.id}/results.jsonl`;
    document.getElementById("batch-csv").href = `/api/batch/${job.id}/results.csv`;
    show(document.getElementById("batch-downloads"), job.state === "done");
  } catch (e) {
    fail(box, e.message);
  }
}

function route() {
  const onBatch = location.hash === "#batch";
  show(document.getElementById("article-page"), !onBatch);
  show(document.getElementById("batch-page"), onBatch);
  document.getElementById("tab-article").classList.toggle("active", !onBatch);
  document.getElementById("tab-batch").classList.toggle("active", onBatch);
}

async function health() {
  const status = document.getElementById("status");
  for (;;) {
    try {
      const state = await answer(await fetch("/api/health"));
      if (state.error) { status.textContent = "the pipeline failed to load: " + state.error; return; }
      if (state.ready) { status.textContent = "ready"; status.classList.add("ready"); return; }
    } catch (e) { status.textContent = "the server does not answer"; }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("article-form").addEventListener("submit", summarize);
  document.getElementById("batch-form").addEventListener("submit", batch);
  window.addEventListener("hashchange", route);
  route();
  health();
});

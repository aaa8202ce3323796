"""HTML fragments of the web page, built on the server: a Result (the article with every edit in place, flagged
sentences and glossary terms marked; both summaries with provenance and notices; the glossary table; warnings and
timings) and a batch's results table. Everything that came from input is escaped (`escape.html_text`)."""
from __future__ import annotations

from ..errors import MISSING
from ..escape import html_text as esc
from ..render_result import produced_by
from ..schema import Result

_NAMES = {"en": "English", "zh": "Chinese"}


def _pieces(original: str, result: Result) -> list[tuple[str, str, int, int | None]]:
    """(kind, text, start in the cleaned text, edit index) in reading order; kind is "same", "removed" or "added".
    Empty when the edits do not rebuild the cleaned text (then the text is shown without them)."""
    out, pos, at = [], 0, 0
    for k, edit in enumerate(result.edits):
        out.append(("same", original[pos:edit.start], at, None))
        at += edit.start - pos
        if edit.original:
            out.append(("removed", edit.original, at, k))
        if edit.replacement:
            out.append(("added", edit.replacement, at, k))
            at += len(edit.replacement)
        pos = edit.end
    out.append(("same", original[pos:], at, None))
    rebuilt = "".join(text for kind, text, _, _ in out if kind != "removed")
    return [p for p in out if p[1]] if rebuilt == result.cleaned_text else []


def _marks(result: Result) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, value) in the cleaned text: flagged sentences (value: the reason) and the occurrences of
    each glossary term (value: the term's row number)."""
    marks = [(f.start, f.end, "flag", f"{f.rule}: {f.reason}") for f in result.flags]
    marks += [(o.start, o.end, "term", str(i)) for i, g in enumerate(result.glossary) for o in g.occurrences]
    return marks


def _runs(text: str, start: int, marks: list[tuple[int, int, str, str]]) -> str:
    """`text` (at `start` of the cleaned text) cut where a mark begins or ends, each run wrapped in its marks."""
    end = start + len(text)
    cuts = sorted({start, end, *(p for s, e, _, _ in marks for p in (s, e) if start < p < end)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        run = esc(text[a - start:b - start])
        covering = [(kind, value) for s, e, kind, value in marks if s <= a and b <= e]
        terms = " ".join(value for kind, value in covering if kind == "term")
        if terms:
            run = f'<span class="term" data-term="{terms}">{run}</span>'
        for kind, value in covering:
            if kind == "flag":
                run = f'<mark class="flag" title="flagged, kept: {esc(value)}">{run}</mark>'
        out.append(run)
    return "".join(out)


def article_html(original: str, result: Result) -> str:
    """The article with removed text struck through and inserted text underlined where the edit happened (rule,
    reason and the original on hover), flagged sentences highlighted and glossary terms marked."""
    pieces, marks = _pieces(original, result), _marks(result)
    if not pieces:  # edits that do not rebuild the text: the cleaned text alone, the edits in their table
        return f'<div class="text">{_runs(result.cleaned_text, 0, marks)}</div>'
    out = []
    for kind, text, at, k in pieces:
        if kind == "removed":
            e = result.edits[k]
            out.append(f'<del class="edit" data-edit="{k}" title="{esc(e.rule)}: {esc(e.reason)}">{esc(text)}</del>')
        elif kind == "added":
            e = result.edits[k]
            out.append(f'<ins class="edit" data-edit="{k}" title="{esc(e.rule)}: {esc(e.reason)} (was '
                       f'{esc(repr(e.original))})">{_runs(text, at, marks)}</ins>')
        else:
            out.append(_runs(text, at, marks))
    return f'<div class="text">{"".join(out)}</div>'


def _summary(result: Result, lang: str) -> str:
    text = getattr(result, f"summary_{lang}")
    notices = [n for n in result.warning_details if n.field == f"summary_{lang}"]
    body = (f'<p class="summary" lang="{lang}">{esc(text)}</p>' if text else
            f'<p class="missing">(missing) {esc(notices[0].message if notices else "not produced")}</p>')
    notes = "".join(f'<li><code>{esc(n.code)}</code> {esc(n.message)}</li>' for n in notices if text)
    return (f'<section class="summary-box" data-lang="{lang}"><h3>{_NAMES[lang]} summary</h3>{body}'
            f'<p class="provenance">{esc(produced_by(result, lang))}</p>'
            + (f'<ul class="notices">{notes}</ul>' if notes else "") + "</section>")


def glossary_html(result: Result) -> str:
    if not result.glossary:
        return '<p class="empty">No term of the term base in this article.</p>'
    rows = "".join(
        f'<tr data-term="{i}" tabindex="0"><td>{esc(g.term_en)}</td><td lang="zh">{esc(g.term_zh)}</td>'
        f'<td>{esc(g.category)}</td><td>{esc(g.definition_en)}<br><span lang="zh">{esc(g.definition_zh)}</span></td>'
        f"<td>{len(g.occurrences)}</td></tr>" for i, g in enumerate(result.glossary))
    return ('<table class="glossary"><thead><tr><th>Term</th><th>Chinese</th><th>Category</th><th>Definition</th>'
            f"<th>Occurrences</th></tr></thead><tbody>{rows}</tbody></table>")


def edits_html(result: Result) -> str:
    if not result.edits:
        return '<p class="empty">No edit: the cleaner left the text as it was.</p>'
    rows = "".join(f'<tr data-edit="{k}"><td><code>{esc(e.rule)}</code></td><td>{esc(repr(e.original))}</td>'
                   f"<td>{esc(repr(e.replacement))}</td><td>{esc(e.reason)}</td></tr>"
                   for k, e in enumerate(result.edits))
    return ('<table class="edits"><thead><tr><th>Rule</th><th>Original</th><th>Now</th><th>Reason</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def result_html(original: str, result: Result) -> str:
    """The whole result panel of the article page."""
    other = [n for n in result.warning_details if n.code not in MISSING and not n.field.startswith("summary_")]
    warnings = "".join(f"<li><code>{esc(n.code)}</code> {esc(n.message)}</li>" for n in other)
    timings = " · ".join(f"{esc(k)} {v * 1000:.0f} ms" for k, v in result.timings.items())
    return (f'<h2>Result <small>({esc(result.source_lang)}, {len(result.edits)} edits, {len(result.flags)} '
            f"flagged)</small></h2>"
            f'<div class="summaries">{_summary(result, "en")}{_summary(result, "zh")}</div>'
            f"<h3>Cleaned text</h3>{article_html(original, result)}"
            f"<h3>Edits</h3>{edits_html(result)}"
            f"<h3>Glossary</h3>{glossary_html(result)}"
            + (f'<h3>Warnings</h3><ul class="warnings">{warnings}</ul>' if warnings else "")
            + f'<p class="timings">{timings}</p>')


def batch_rows_html(lines: list[dict]) -> str:
    """The results table of a batch: one row per input record, error records in their place."""
    rows = []
    for line in lines:
        if "error" in line:
            rows.append(f'<tr class="error"><td>{esc(line["id"])}</td><td><code>{esc(line["error"]["code"])}</code>'
                        f'</td><td colspan="3">{esc(line["error"]["message"])}</td></tr>')
        else:
            rows.append(f'<tr><td>{esc(line["id"])}</td><td>ok ({esc(line["source_lang"])})</td>'
                        f'<td>{esc(line["summary_en"] or "(missing)")}</td>'
                        f'<td lang="zh">{esc(line["summary_zh"] or "(missing)")}</td>'
                        f'<td>{len(line["glossary"])}</td></tr>')
    return ('<table class="batch"><thead><tr><th>Id</th><th>Status</th><th>English summary</th>'
            f'<th>Chinese summary</th><th>Terms</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')

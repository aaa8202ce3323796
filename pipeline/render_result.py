"""Human-readable renderings of a Result: plain text for the terminal and Markdown."""
from __future__ import annotations

from .errors import MISSING
from .escape import markdown, markdown_cell, terminal
from .schema import Result


def _missing(result: Result, lang: str) -> str:
    reason = next((n.message for n in result.warning_details if n.field == f"summary_{lang}"), "not produced")
    return f"(missing) {reason}"


def produced_by(result: Result, lang: str) -> str:
    """What wrote a summary, from its provenance: backend and model, and for a model file its runtime, name and
    SHA-256 ("" for a missing summary)."""
    field = result.provenance.get(f"summary_{lang}")
    if field is None or getattr(result, f"summary_{lang}") is None:
        return ""
    details = field.details
    parts = [f"{field.backend}: {field.model}"] + [f"{key} {details[key]}" for key in ("runtime", "file", "sha256")
                                                   if key in details]
    return "(" + ", ".join(parts) + ")"


def to_text(result: Result) -> str:
    lines = [f"=== {result.id} ({result.source_lang}) ===", "", "Cleaned text:", result.cleaned_text.strip(), ""]
    lines.append(f"Edits ({len(result.edits)}):")
    lines += [f"  - [{e.rule}] {e.original!r} -> {e.replacement!r} at {e.start}-{e.end}: {e.reason}"
              for e in result.edits] or ["  (none)"]
    lines.append(f"Flagged ({len(result.flags)}):")
    lines += [f"  - [{f.rule}] {f.text!r} ({f.confidence:.2f}): {f.reason}" for f in result.flags] or ["  (none)"]
    for lang, name in (("en", "English"), ("zh", "Chinese")):
        text = getattr(result, f"summary_{lang}")
        lines += ["", f"{name} summary {produced_by(result, lang)}".rstrip() + ":", text or _missing(result, lang)]
    lines += ["", f"Glossary ({len(result.glossary)}):"]
    lines += [f"  - {g.term_en} | {g.term_zh} | {g.category} | {', '.join(sorted({o.surface for o in g.occurrences}))}"
              for g in result.glossary] or ["  (none)"]
    if result.term_candidates:
        lines += ["", f"Not in the term base ({len(result.term_candidates)}, unverified, not translated):"]
        lines += [f"  - {c.term} (x{c.count})" for c in result.term_candidates]
    other = [n.message for n in result.warning_details if n.code not in MISSING]  # missing ones stand in place
    if other:
        lines += ["", "Warnings:"] + [f"  - {w}" for w in other]
    return terminal("\n".join(lines) + "\n")


def to_markdown(result: Result) -> str:
    """Markdown with everything that came from the input escaped (no live HTML, no broken tables)."""
    md, cell = markdown, markdown_cell
    out = [f"# {md(result.id)}", "", f"Source language: **{result.source_lang}**", ""]
    for lang, name in (("en", "English"), ("zh", "Chinese")):
        text = getattr(result, f"summary_{lang}")
        out += [f"## {name} summary", "", md(text) if text else f"_{md(_missing(result, lang))}_", ""]
        out += [f"_{md(produced_by(result, lang))}_", ""] if text else []
    out += ["## Glossary", "",
           "| English | Chinese | Category | Occurrences |", "|---|---|---|---|"]
    out += [f"| {cell(g.term_en)} | {cell(g.term_zh)} | {cell(g.category)} | {len(g.occurrences)} |"
            for g in result.glossary]
    if result.term_candidates:
        out += ["", "Not in the term base (unverified, not translated): "
                + ", ".join(f"{md(c.term)} (x{c.count})" for c in result.term_candidates)]
    out += ["", "## Edits", "", "| Rule | Original | Replacement | Offsets | Reason |", "|---|---|---|---|---|"]
    out += [f"| {e.rule} | {cell(repr(e.original))} | {cell(repr(e.replacement))} | {e.start}-{e.end} | {cell(e.reason)} |"
            for e in result.edits]
    out += ["", "## Flagged sentences", ""] + [f"- {md(f.text)} — {md(f.reason)} ({f.confidence:.2f})"
                                                for f in result.flags]
    out += ["", "## Cleaned text", "", md(result.cleaned_text.strip()), ""]
    if result.warnings:
        out += ["## Warnings", ""] + [f"- {md(w)}" for w in result.warnings] + [""]
    return "\n".join(out)


def diff_segments(original: str, edits) -> list[tuple[str, str]]:
    """The original text as (piece, kind) with kind "same", "removed" or "added", in reading order."""
    out, pos = [], 0
    for edit in edits:
        out.append((original[pos:edit.start], "same"))
        if edit.original:
            out.append((edit.original, "removed"))
        if edit.replacement:
            out.append((edit.replacement, "added"))
        pos = edit.end
    out.append((original[pos:], "same"))
    return [(piece, kind) for piece, kind in out if piece]


# Without a terminal (a log, a file, a pipe) colours are lost: edits are marked as wdiff does.
PLAIN_MARKS = {"same": ("", ""), "removed": ("[-", "-]"), "added": ("{+", "+}")}


def render_diff(result) -> None:
    """Before/after of every edit (a CleanResult): coloured in a terminal, marked [-removed-] {+added+} in plain
    text anywhere else."""
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    styles = {"same": "", "removed": "bold red strike", "added": "bold green"}
    out = Text()
    for piece, kind in diff_segments(result.original_text, result.edits):
        if console.is_terminal:
            out.append(terminal(piece), style=styles[kind])
        else:
            before, after = PLAIN_MARKS[kind]
            out.append(f"{before}{terminal(piece)}{after}")
    console.print(out)
    console.print(f"[bold]{len(result.edits)} edits, {len(result.flags)} flagged[/bold]")
    for flag in result.flags:
        line = Text("flagged", style="yellow")
        line.append(f" {terminal(repr(flag.text))}: {flag.reason} ({flag.confidence:.2f})")
        console.print(line)


def diff_html(original: str, result) -> str:
    """Before (removed text struck through in red, insertions in green) and after (flagged sentences
    highlighted, the reason on hover) as HTML, e.g. for a notebook. `result` is a Result or a CleanResult."""
    from html import escape

    styles = {"same": "", "removed": "background:#fdd;color:#a00;text-decoration:line-through",
              "added": "background:#dfd;color:#060"}
    before = "".join(f'<span style="{styles[k]}">{escape(p)}</span>' if styles[k] else escape(p)
                     for p, k in diff_segments(original, result.edits))
    after, pos, text = [], 0, result.cleaned_text
    for flag in sorted(result.flags, key=lambda f: f.start):
        after.append(escape(text[pos:flag.start]))
        after.append(f'<mark title="{escape(flag.rule)}: {escape(flag.reason)}" style="background:#ffe58a">'
                     f"{escape(text[flag.start:flag.end])}</mark>")
        pos = flag.end
    after.append(escape(text[pos:]))
    box = "white-space:pre-wrap;border:1px solid #ccc;padding:8px;margin:4px 0"
    return (f'<div><b>Before</b> ({len(result.edits)} edits)<div style="{box}">{before}</div>'
            f'<b>After</b> ({len(result.flags)} flagged)<div style="{box}">{"".join(after)}</div></div>')

"""Human-readable renderings of a Result: plain text for the terminal and Markdown."""
from __future__ import annotations

from .schema import Result


def _missing(result: Result, lang: str) -> str:
    reason = next((w for w in result.warnings if w.startswith(f"summary_{lang}")), "not produced")
    return f"(missing) {reason}"


def to_text(result: Result) -> str:
    lines = [f"=== {result.id} ({result.source_lang}) ===", "", "Cleaned text:", result.cleaned_text.strip(), ""]
    lines.append(f"Edits ({len(result.edits)}):")
    lines += [f"  - [{e.rule}] {e.original!r} -> {e.replacement!r} at {e.start}-{e.end}: {e.reason}"
              for e in result.edits] or ["  (none)"]
    lines.append(f"Flagged ({len(result.flags)}):")
    lines += [f"  - [{f.rule}] {f.text!r} ({f.confidence:.2f}): {f.reason}" for f in result.flags] or ["  (none)"]
    lines += ["", "English summary:", result.summary_en or _missing(result, "en"), "",
              "Chinese summary:", result.summary_zh or _missing(result, "zh"), "", f"Glossary ({len(result.glossary)}):"]
    lines += [f"  - {g.term_en} | {g.term_zh} | {g.category} | {', '.join(sorted({o.surface for o in g.occurrences}))}"
              for g in result.glossary] or ["  (none)"]
    other = [w for w in result.warnings if not w.startswith(("summary_en is missing", "summary_zh is missing"))]
    if other:
        lines += ["", "Warnings:"] + [f"  - {w}" for w in other]
    return "\n".join(lines) + "\n"


def to_markdown(result: Result) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", "\\n")

    out = [f"# {result.id}", "", f"Source language: **{result.source_lang}**", "", "## English summary", "",
           result.summary_en or f"_{_missing(result, 'en')}_", "", "## Chinese summary", "",
           result.summary_zh or f"_{_missing(result, 'zh')}_", "", "## Glossary", "",
           "| English | Chinese | Category | Occurrences |", "|---|---|---|---|"]
    out += [f"| {g.term_en} | {g.term_zh} | {g.category} | {len(g.occurrences)} |" for g in result.glossary]
    out += ["", "## Edits", "", "| Rule | Original | Replacement | Offsets | Reason |", "|---|---|---|---|---|"]
    out += [f"| {e.rule} | `{cell(e.original)}` | `{cell(e.replacement)}` | {e.start}-{e.end} | {e.reason} |"
            for e in result.edits]
    out += ["", "## Flagged sentences", ""] + [f"- {f.text} — {f.reason} ({f.confidence:.2f})" for f in result.flags]
    out += ["", "## Cleaned text", "", result.cleaned_text.strip(), ""]
    if result.warnings:
        out += ["## Warnings", ""] + [f"- {w}" for w in result.warnings] + [""]
    return "\n".join(out)


def render_diff(result) -> None:
    """Print the original text with removals struck through in red and replacements in green."""
    from rich.console import Console
    from rich.text import Text

    out = Text()
    pos = 0
    text = result.original_text
    for edit in result.edits:
        out.append(text[pos:edit.start])
        if edit.original:
            out.append(edit.original, style="bold red strike")
        if edit.replacement:
            out.append(edit.replacement, style="bold green")
        pos = edit.end
    out.append(text[pos:])
    console = Console(highlight=False)
    console.print(out)
    console.print(f"[bold]{len(result.edits)} edits, {len(result.flags)} flagged[/bold]")
    for flag in result.flags:
        console.print(f"[yellow]flagged[/yellow] {flag.text!r}: {flag.reason} ({flag.confidence:.2f})")

"""Evaluation reports: terminal table, Markdown, CSV, JSON and a PNG plot of scores with intervals."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..errors import InputError
from ..escape import markdown, markdown_cell, spreadsheet_cell, terminal
from . import EvalReport

PLOTTED = ("rouge1_f", "rouge2_f", "rougeL_f", "rougeLsum_f")


def _cell(report: EvalReport, system: int, metric: str) -> str:
    s = report.systems[system].scores[metric]
    return f"{s.value:.2f} [{s.low:.2f}, {s.high:.2f}]"


def _header(report: EvalReport) -> str:
    return (f"{report.pairs} pairs, {report.lang}; 95% bootstrap intervals over articles "
            f"({report.rounds} resamples, seed {report.seed})")


def _rows(report: EvalReport) -> list[list[str]]:
    return [[m, *(_cell(report, i, m) for i in range(len(report.systems)))] for m in report.metrics()]


def _comparison_rows(report: EvalReport) -> list[list]:
    """Per comparison: metric, (system a, system b), difference, p, verdict."""
    return [[c.metric, (c.a, c.b), f"{c.difference:+.2f}", f"{c.p_value:.3f}" if c.p_value >= 0.001 else "<0.001",
             "yes" if c.p_value < 0.05 else "no"] for c in report.comparisons]


def to_markdown(report: EvalReport) -> str:
    names = [s.name for s in report.systems]
    lines = ["# Evaluation\n", _header(report) + "\n", "| metric | " + " | ".join(map(markdown_cell, names)) + " |",
             "|---" * (len(names) + 1) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in _rows(report)]
    if report.comparisons:
        lines += ["", "## Paired bootstrap tests", "", "| metric | difference | value | p | p < 0.05 |",
                  "|---|---|---|---|---|"]
        # system names came from input and are escaped; metric names and numbers are ours and stay as written
        lines += ["| " + " | ".join([row[0], " - ".join(map(markdown_cell, row[1])), *row[2:]]) + " |"
                  for row in _comparison_rows(report)]
    lines += [f"\nNote: {markdown(n)}" for n in report.notes]
    return "\n".join(lines) + "\n"


def to_csv(report: EvalReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["system", "metric", "value", "ci_low", "ci_high"])
    for system in report.systems:
        for metric, s in system.scores.items():
            writer.writerow([spreadsheet_cell(system.name), metric, f"{s.value:.6f}", f"{s.low:.6f}", f"{s.high:.6f}"])
    return out.getvalue()


def to_json(report: EvalReport) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=float)


def print_table(report: EvalReport, console=None) -> None:
    from rich.console import Console
    from rich.table import Table

    from rich.text import Text

    def plain(value: str) -> Text:  # names and notes come from input: no rich markup, no control characters
        return Text(terminal(value))

    console = console or Console()
    table = Table(title=_header(report))
    table.add_column("metric")
    for system in report.systems:
        table.add_column(plain(system.name), justify="right")
    for row in _rows(report):
        table.add_row(*map(plain, row))
    console.print(table)
    if report.comparisons:
        tests = Table(title="paired bootstrap tests")
        for name in ("metric", "difference", "value", "p", "p < 0.05"):
            tests.add_column(name)
        for row in _comparison_rows(report):
            tests.add_row(*map(plain, [row[0], " - ".join(row[1]), *row[2:]]))
        console.print(tests)
    for note in report.notes:
        console.print(plain(f"note: {note}"))


def plot(report: EvalReport, path: str | Path) -> Path:
    """Bars per ROUGE F1 metric (and level), one colour per system, with 95% interval whiskers."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    metrics = [m for m in report.metrics() if m.split(" ")[0] in PLOTTED]
    width = 0.8 / len(report.systems)
    fig, ax = plt.subplots(figsize=(max(6, 1.2 * len(metrics)), 4))
    x = np.arange(len(metrics))
    for k, system in enumerate(report.systems):
        values = [system.scores[m].value for m in metrics]
        errors = [[v - system.scores[m].low for v, m in zip(values, metrics)],
                  [system.scores[m].high - v for v, m in zip(values, metrics)]]
        ax.bar(x + k * width, values, width, yerr=errors, capsize=3, label=system.name)
    ax.set_xticks(x + width * (len(report.systems) - 1) / 2, metrics, rotation=20, ha="right")
    ax.set_ylabel("F1 x 100")
    ax.set_title(f"ROUGE F1 with 95% bootstrap intervals ({report.pairs} pairs, {report.lang})")
    ax.legend()
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def write_all(report: EvalReport, folder: str | Path) -> list[Path]:
    """report.md, report.csv, report.json and report.png in `folder`."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder} is a file: --out names a folder for the report files")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, render in (("report.md", to_markdown), ("report.csv", to_csv), ("report.json", to_json)):
        (folder / name).write_text(render(report), encoding="utf-8")
        written.append(folder / name)
    written.append(plot(report, folder / "report.png"))
    return written

"""Eval reports: metrics against thresholds, written as JSON, Markdown and a chart.

A thresholds file (``evals/thresholds.yaml``) gives, per suite, a floor (``min``) or a ceiling
(``max``) for any metric; a report fails when one of its metrics is on the wrong side.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field, ValidationError, model_validator

from assistant.errors import InputError


def rate(hits: float, total: float) -> float:
    """``hits / total``, 0.0 for an empty denominator (a rate over no cases is reported as 0)."""
    return hits / total if total else 0.0


class Threshold(BaseModel):
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> Threshold:
        if self.min is None and self.max is None:
            raise ValueError("a threshold needs min or max")
        return self

    def breached_by(self, value: float) -> str | None:
        if math.isnan(value):
            return "no value"
        if self.min is not None and value < self.min:
            return f"{value:.3f} < min {self.min}"
        if self.max is not None and value > self.max:
            return f"{value:.3f} > max {self.max}"
        return None

    def describe(self) -> str:
        return " ".join(
            part
            for part in (
                f">= {self.min}" if self.min is not None else "",
                f"<= {self.max}" if self.max is not None else "",
            )
            if part
        )


class EvalReport(BaseModel):
    suite: str
    source: str
    answers_by: str = Field("extractive", description="generation provider and model used")
    cases: int
    metrics: dict[str, float]
    counts: dict[str, float] = Field(default_factory=dict)
    baselines: dict[str, dict[str, float]] = Field(
        default_factory=dict,
        description="Per baseline run alongside (by name): the same metrics, for comparison.",
    )
    thresholds: dict[str, Threshold] = Field(default_factory=dict)
    breaches: dict[str, str] = Field(default_factory=dict)
    failures: list[dict[str, Any]] = Field(default_factory=list)
    seconds: float = 0.0

    def check(self, thresholds: dict[str, Threshold]) -> EvalReport:
        """This report with its thresholds applied: ``breaches`` names each metric that fails.
        A threshold for a metric the report lacks is a breach too (a renamed metric must not
        pass silently)."""
        breaches = {}
        for name, threshold in thresholds.items():
            value = self.metrics.get(name, math.nan)
            problem = threshold.breached_by(value)
            if problem:
                breaches[name] = problem
        return self.model_copy(update={"thresholds": thresholds, "breaches": breaches})

    @property
    def passed(self) -> bool:
        return not self.breaches


def load_thresholds(path: Path) -> dict[str, dict[str, Threshold]]:
    """``{suite: {metric: Threshold}}`` from a YAML file."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise InputError(f"{path}: no such thresholds file.") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML ({exc}).") from None
    if not isinstance(raw, dict):
        raise InputError(f"{path}: expected a mapping of suite names to metric thresholds.")
    try:
        return {
            suite: {name: Threshold.model_validate(t) for name, t in (metrics or {}).items()}
            for suite, metrics in raw.items()
        }
    except (ValidationError, AttributeError) as exc:
        raise InputError(f"{path}: bad threshold ({_first_error(exc)}).") from None


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return exc.errors()[0]["msg"]
    return str(exc)


# -- writing ------------------------------------------------------------------------------------


def write(reports: list[EvalReport], folder: Path) -> list[Path]:
    """``report.json``, ``report.md`` and ``metrics.png`` in ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    json_path = folder / "report.json"
    json_path.write_text(
        json.dumps([r.model_dump(mode="json") for r in reports], indent=2, ensure_ascii=False),
        encoding="utf-8",
    )
    markdown_path = folder / "report.md"
    markdown_path.write_text(markdown(reports), encoding="utf-8")
    chart_path = folder / "metrics.png"
    chart(reports, chart_path)
    return [json_path, markdown_path, chart_path]


def markdown(reports: list[EvalReport]) -> str:
    lines = ["# Evaluation report", ""]
    for report in reports:
        verdict = "passed" if report.passed else f"FAILED ({', '.join(report.breaches)})"
        lines += [
            f"## {report.suite}: {verdict}",
            "",
            f"{report.cases} cases from `{report.source}` in {report.seconds:.1f} s; "
            f"answers: {report.answers_by}.",
            "",
            "| metric | value | threshold |" + "".join(f" {b} |" for b in report.baselines),
            "|---|---|---|" + "---|" * len(report.baselines),
        ]
        for name, value in report.metrics.items():
            threshold = report.thresholds.get(name)
            mark = " ✗" if name in report.breaches else ""
            bases = "".join(f" {_value(b.get(name))} |" for b in report.baselines.values())
            lines.append(
                f"| {name} | {value:.3f}{mark} | {threshold.describe() if threshold else ''} |"
                + bases
            )
        if report.failures:
            lines += ["", f"### Failing cases ({len(report.failures)})", ""]
            for failure in report.failures[:50]:
                lines.append(f"- {_one_line(failure)}")
        lines.append("")
    return "\n".join(lines)


def console_tables(reports: list[EvalReport]) -> list[Any]:
    """Each report as a rich table for the terminal (metric, value, threshold, baselines),
    followed by the count of failing cases when there are some."""
    from rich.table import Table

    shown: list[Any] = []
    for report in reports:
        verdict = "[green]passed[/]" if report.passed else "[red]FAILED[/]"
        table = Table(
            "Metric",
            "Value",
            "Threshold",
            *report.baselines,
            title=f"{report.suite} ({report.cases} cases, {report.seconds:.1f} s, "
            f"answers: {report.answers_by}): {verdict}",
        )
        for name, value in report.metrics.items():
            limit = report.thresholds.get(name)
            cell = f"[red]{value:.3f}[/]" if name in report.breaches else f"{value:.3f}"
            bases = [
                "" if (b := base.get(name)) is None else f"{b:.3f}"
                for base in report.baselines.values()
            ]
            table.add_row(name, cell, limit.describe() if limit else "", *bases)
        shown.append(table)
        if report.failures:
            shown.append(f"{len(report.failures)} failing cases (see --report or --json).")
    return shown


def _value(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def _one_line(failure: dict[str, Any]) -> str:
    head = failure.get("question") or failure.get("claim") or "?"
    problems = "; ".join(failure.get("problems", []))
    return f"**{_md(head)}**: {_md(problems)}"


def _md(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def chart(reports: list[EvalReport], path: Path) -> None:
    """One bar per metric in [0, 1] (latencies and other units left out), threshold marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [
        (f"{r.suite}: {name}", value, r.thresholds.get(name), name in r.breaches)
        for r in reports
        for name, value in r.metrics.items()
        if 0.0 <= value <= 1.0 and not name.endswith("_s")
    ]
    height = max(2.0, 0.32 * len(rows) + 1.0)
    figure, axes = plt.subplots(figsize=(8, height))
    labels = [row[0] for row in rows]
    axes.barh(
        labels,
        [row[1] for row in rows],
        color=["#c0392b" if row[3] else "#2e86c1" for row in rows],
    )
    for y, (_, _, threshold, _) in enumerate(rows):
        for bound in (threshold.min, threshold.max) if threshold else ():
            if bound is not None:
                axes.plot([bound, bound], [y - 0.4, y + 0.4], color="black", linewidth=2)
    axes.set_xlim(0, 1)
    axes.invert_yaxis()
    axes.set_xlabel("value (black mark: threshold; red: below it)")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)

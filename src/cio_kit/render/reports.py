"""Output of the three decision reports: JSON, Markdown, and Rich text with bars.

JSON is stable and documented in the README; Markdown is meant for a
pull-request comment or a board pack; text is for the terminal.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cio_kit.render.escape import markdown as _md
from cio_kit.render.escape import markdown_code, terminal
from cio_kit.reports.budget import BudgetReport
from cio_kit.reports.gaps import GapsReport
from cio_kit.reports.readiness import Readiness

if TYPE_CHECKING:
    from rich.console import Console

_STATE_STYLE = {
    "done": "green",
    "in-progress": "cyan",
    "ready": "bold green",
    "waiting": "yellow",
    "blocked": "bold red",
    "cancelled": "dim",
}
_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan", "ok": "green"}


def _dump(document: object) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _money(amount: float) -> str:
    return f"{amount:,.0f}"


def _pct(share: float | None) -> str:
    return "n/a" if share is None else f"{share:.0%}"


def _bar(share: float, width: int) -> str:
    """A bar of ``share`` × ``width`` cells, in eighths for a smooth end."""
    eighths = max(0, round(share * width * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + ("▏▎▍▌▋▊▉"[rest - 1] if rest else "")


# -- readiness ---------------------------------------------------------------


def readiness_json(report: Readiness) -> str:
    """The readiness report as JSON."""
    return _dump(
        {
            "plan": report.plan,
            "summary": {
                "stages": len(report.stages),
                "states": report.counts,
                "ready_or_done_share": round(report.stage_share, 4),
                "budget_ready_or_done_share": round(report.budget_share, 4),
            },
            "next_up": [stage.id for stage in report.next_up],
            "stages": [
                {
                    "id": s.id,
                    "title": s.title,
                    "kind": s.kind,
                    "state": s.state,
                    "reasons": [{"code": r.code, "text": r.text} for r in s.reasons],
                    "budget": round(s.budget, 2),
                }
                for s in report.stages
            ],
            "groups": [
                {
                    "id": g.id,
                    "name": g.name,
                    "adkar": g.adkar,
                    "first_barrier": g.first_barrier,
                    "rollouts": list(g.rollouts),
                    "actions": [
                        {"type": a.type, "stage": a.stage, "before_rollouts": a.before_rollouts}
                        for a in g.actions
                    ],
                }
                for g in report.groups
            ],
        }
    )


def readiness_markdown(report: Readiness) -> str:
    """The readiness report as Markdown."""
    lines = [
        f"## Readiness — {_md(report.plan)}",
        "",
        f"**{_pct(report.stage_share)}** of stages and **{_pct(report.budget_share)}** of the budget "
        "are ready or done. " + ", ".join(f"{state}: {n}" for state, n in report.counts.items()),
        "",
        "**Next up:** " + (", ".join(s.id for s in report.next_up) or "nothing can start now"),
        "",
        "| Stage | State | Reasons |",
        "|---|---|---|",
    ]
    for stage in report.stages:
        reasons = "; ".join(f"`{r.code}` {_md(r.text)}" for r in stage.reasons)
        lines.append(f"| {_md(stage.id)} | {stage.state} | {reasons} |")
    if report.groups:
        lines += [
            "",
            "| Group | A | D | K | A | R | First barrier | Actions |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for group in report.groups:
            scores = list(group.adkar.values()) if group.adkar else ["–"] * 5
            actions = ", ".join(
                f"{a.type} in {a.stage}"
                + ("" if a.before_rollouts is not False else " (not before the rollout in the plan's order)")
                for a in group.actions
            )
            cells = " | ".join(str(score) for score in scores)
            lines.append(f"| {_md(group.id)} | {cells} | {group.first_barrier or '—'} | {_md(actions)} |")
    return "\n".join(lines) + "\n"


def readiness_text(report: Readiness, console: Console) -> None:
    """The readiness report for the terminal."""
    from rich.table import Table
    from rich.text import Text

    console.print(Text(f"{terminal(report.plan)} — readiness", style="bold"))
    width = max(10, min(40, console.width - 40))
    console.print(f"Stages ready or done  {_bar(report.stage_share, width)} {_pct(report.stage_share)}")
    console.print(f"Budget ready or done  {_bar(report.budget_share, width)} {_pct(report.budget_share)}")
    console.print("  ".join(f"[{_STATE_STYLE[state]}]{state}[/] {n}" for state, n in report.counts.items()))
    console.print(Text("Next up: " + (", ".join(s.id for s in report.next_up) or "nothing can start now")))
    console.print()
    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("Stage", no_wrap=True)
    table.add_column("State", no_wrap=True)
    table.add_column("Reasons")
    for stage in report.stages:
        reasons = "\n".join(r.text for r in stage.reasons)
        table.add_row(stage.id, Text(stage.state, style=_STATE_STYLE[stage.state]), reasons)
    console.print(table)
    if not report.groups:
        return
    console.print()
    groups = Table(
        show_edge=False, pad_edge=False, header_style="bold", title="ADKAR by group", title_justify="left"
    )
    groups.add_column("Group", no_wrap=True)
    for letter in "ADKAR":
        groups.add_column(letter, justify="right", no_wrap=True)
    groups.add_column("First barrier", no_wrap=True)
    groups.add_column("Actions")
    for group in report.groups:
        scores = [
            Text(str(score), style="red" if score <= 3 else "green") for score in (group.adkar or {}).values()
        ] or [Text("–")] * 5
        actions = "\n".join(
            f"{a.type} in {a.stage}"
            + (" [red](not before the rollout in the plan's order)[/]" if a.before_rollouts is False else "")
            for a in group.actions
        )
        groups.add_row(group.id, *scores, group.first_barrier or "—", actions)
    console.print(groups)


# -- budget ------------------------------------------------------------------


def budget_document(report: BudgetReport) -> dict[str, Any]:
    """The budget report as a JSON-ready mapping (the portfolio report reuses its classes and years)."""
    ev = report.earned_value
    return {
        "plan": report.plan,
        "currency": report.currency,
        "total": round(report.total, 2),
        "envelope": report.envelope,
        "stage_total": round(report.stage_total, 2),
        "lines_total": round(report.lines_total, 2),
        "actual_total": round(report.actual_total, 2),
        "classes": [
            {
                "class": c.budget_class,
                "amount": round(c.amount, 2),
                "share": round(c.share, 4),
                "limit": c.limit,
                "status": c.status,
            }
            for c in report.classes
        ],
        "categories": {name: round(amount, 2) for name, amount in report.categories.items()},
        "years": [
            {
                "year": year,
                **{name: round(amount, 2) for name, amount in classes.items()},
                "total": round(sum(classes.values()), 2),
                "envelope": report.year_envelopes.get(year),
                "revenue_share": round(report.revenue_share[year], 6)
                if year in report.revenue_share
                else None,
            }
            for year, classes in report.years.items()
        ],
        "quarters": {name: round(amount, 2) for name, amount in report.quarters.items()},
        "capex": round(report.capex, 2),
        "opex": round(report.opex, 2),
        "goals": {goal: round(amount, 2) for goal, amount in report.goals.items()},
        "goals_unsplit": {goal: round(amount, 2) for goal, amount in report.goals_unsplit.items()},
        "stages": [
            {
                "id": s.id,
                "kind": s.kind,
                "planned": round(s.planned, 2),
                "actual": s.actual,
                "overrun": round(s.overrun, 2),
                "percent_complete": s.percent_complete,
            }
            for s in report.stages
        ],
        "earned_value": None
        if ev is None
        else {
            "status_date": ev.status_date.isoformat(),
            "baseline": ev.baseline,
            "planned_value": round(ev.pv, 2),
            "earned_value": round(ev.ev, 2),
            "actual_cost": round(ev.ac, 2),
            "spi": None if ev.spi is None else round(ev.spi, 4),
            "cpi": None if ev.cpi is None else round(ev.cpi, 4),
        },
        "personnel_estimate": {
            "total": round(sum(report.personnel_estimates.values()), 2),
            "stages": {stage: round(amount, 2) for stage, amount in report.personnel_estimates.items()},
        },
    }


def budget_json(report: BudgetReport) -> str:
    """The budget report as JSON."""
    return _dump(budget_document(report))


def budget_markdown(report: BudgetReport) -> str:
    """The budget report as Markdown."""
    cur = report.currency
    envelope = f" of an approved {_money(report.envelope)}" if report.envelope is not None else ""
    lines = [
        f"## Budget — {_md(report.plan)}",
        "",
        f"Planned spend **{_money(report.total)} {cur}**{envelope}: stage budgets "
        f"{_money(report.stage_total)}, budget lines {_money(report.lines_total)}; capex "
        f"{_money(report.capex)}, opex {_money(report.opex)}. Stage actuals so far "
        f"{_money(report.actual_total)} against stage budgets of {_money(report.stage_total)}.",
        "",
        "| Class | Amount | Share | Limit | Status |",
        "|---|---:|---:|---|---|",
    ]
    lines += [
        f"| {c.budget_class} | {_money(c.amount)} | {_pct(c.share)} | {c.limit} | {c.status} |"
        for c in report.classes
    ]
    if report.years:
        lines += [
            "",
            "| Year | Run | Grow | Transform | Total | Envelope | % of revenue |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for year, classes in report.years.items():
            envelope_year = report.year_envelopes.get(year)
            cells = [str(year), *(_money(classes[name]) for name in ("run", "grow", "transform"))]
            cells.append(_money(sum(classes.values())))
            cells.append(_money(envelope_year) if envelope_year is not None else "")
            cells.append(f"{report.revenue_share[year]:.2%}" if year in report.revenue_share else "")
            lines.append("| " + " | ".join(cells) + " |")
    if report.quarters:
        lines += ["", "| Fiscal quarter | Planned |", "|---|---:|"]
        lines += [f"| {quarter} | {_money(amount)} |" for quarter, amount in report.quarters.items()]
    lines += ["", "| Category | Amount |", "|---|---:|"]
    lines += [f"| {name} | {_money(amount)} |" for name, amount in report.categories.items()]
    if report.goals:
        lines += [
            "",
            "| Goal | Share of stage spend | All stages serving it (not additive) |",
            "|---|---:|---:|",
        ]
        lines += [
            f"| {_md(goal)} | {_money(amount)} | {_money(report.goals_unsplit[goal])} |"
            for goal, amount in report.goals.items()
        ]
        if report.no_goal:
            lines.append(f"| (serves no goal) | {_money(report.no_goal)} | |")
        lines.append(f"| **Stage total** | **{_money(report.stage_total)}** | |")
    if report.overruns:
        lines += ["", "| Overrun | Planned | Actual | Over |", "|---|---:|---:|---:|"]
        lines += [
            f"| {_md(s.id)} | {_money(s.planned)} | {_money(s.actual or 0)} | {_money(s.overrun)} |"
            for s in report.overruns
        ]
    ev = report.earned_value
    if ev is not None:
        lines += [
            "",
            f"Earned value at {ev.status_date} ({_md(_ev_basis(ev.baseline))}; stage budgets only): "
            f"PV {_money(ev.pv)}, EV {_money(ev.ev)}, AC {_money(ev.ac)}; SPI {_index(ev.spi)}, "
            f"CPI {_index(ev.cpi)}, SPI(t) {_index(ev.spi_t)}. `cio-kit report evm` has every figure.",
        ]
    if report.personnel_estimates:
        lines += ["", _personnel_line(report, _md)]
    return "\n".join(lines) + "\n"


def _personnel_line(report: BudgetReport, escape: Callable[[str], str]) -> str:
    estimates = report.personnel_estimates
    shown = ", ".join(f"{escape(stage)} {_money(amount)}" for stage, amount in estimates.items())
    return (
        f"Personnel estimate (day rate × effort, for stages with no personnel line; not in any total): "
        f"{_money(sum(estimates.values()))} {report.currency} — {shown}."
    )


def _index(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _ev_basis(baseline: str | None) -> str:
    return (
        "no baseline: planned value from the plan as written" if baseline is None else f"baseline {baseline}"
    )


def budget_text(report: BudgetReport, console: Console) -> None:
    """The budget report for the terminal, with bar charts."""
    from rich.table import Table
    from rich.text import Text

    cur = report.currency
    console.print(Text(f"{terminal(report.plan)} — budget ({cur})", style="bold"))
    envelope = f" of {_money(report.envelope)} approved" if report.envelope is not None else ""
    console.print(
        f"Planned {_money(report.total)}{envelope} = stage budgets {_money(report.stage_total)} + "
        f"budget lines {_money(report.lines_total)}",
        highlight=False,
    )
    console.print(
        f"Stage actuals so far {_money(report.actual_total)} "
        f"against stage budgets {_money(report.stage_total)}",
        highlight=False,
    )
    console.print(f"Capex {_money(report.capex)} · opex {_money(report.opex)}")
    width = max(10, min(40, console.width - 50))
    console.print()
    console.print(Text("Run / grow / transform", style="bold"))
    split = Table.grid(padding=(0, 1))
    for right in (False, False, True, True, False):
        split.add_column(justify="right" if right else "left", no_wrap=True)
    for c in report.classes:
        bar = Text(_bar(c.share, width), style=_SEVERITY_STYLE[c.status])
        split.add_row(c.budget_class, bar, _pct(c.share), _money(c.amount), c.limit)
    console.print(split)
    if report.years:
        console.print()
        years = Table(
            show_edge=False, pad_edge=False, header_style="bold", title="By fiscal year", title_justify="left"
        )
        for column in ("Year", "Run", "Grow", "Transform", "Total", "Envelope", "% revenue"):
            years.add_column(column, justify="right", no_wrap=True)
        for year, classes in report.years.items():
            envelope_year = report.year_envelopes.get(year)
            total = sum(classes.values())
            over = envelope_year is not None and total > envelope_year
            years.add_row(
                str(year),
                _money(classes["run"]),
                _money(classes["grow"]),
                _money(classes["transform"]),
                Text(_money(total), style="bold red" if over else ""),
                _money(envelope_year) if envelope_year is not None else "",
                f"{report.revenue_share[year]:.2%}" if year in report.revenue_share else "",
            )
        console.print(years)
    if report.quarters:
        console.print()
        console.print(Text("By quarter", style="bold"))
        peak = max(report.quarters.values()) or 1
        for quarter, amount in report.quarters.items():
            console.print(
                f"{quarter}  {_bar(amount / peak, width):<{width}} {_money(amount):>14}", highlight=False
            )
    console.print()
    console.print(Text("By category", style="bold"))
    peak = max(report.categories.values(), default=0) or 1
    for name, amount in report.categories.items():
        console.print(
            f"{name:<18} {_bar(amount / peak, width):<{width}} {_money(amount):>14}", highlight=False
        )
    if report.goals:
        console.print()
        console.print(
            Text("By goal: each stage split evenly across its goals; last column not additive", style="bold")
        )
        console.print(f"{'':<18} {'share':>14} {'all serving':>14}", highlight=False)
        for goal, amount in report.goals.items():
            console.print(
                f"{goal:<18} {_money(amount):>14} {_money(report.goals_unsplit[goal]):>14}", highlight=False
            )
        if report.no_goal:
            console.print(f"{'(serves no goal)':<18} {_money(report.no_goal):>14}", highlight=False)
        console.print(f"{'stage total':<18} {_money(report.stage_total):>14}", highlight=False)
    if report.overruns:
        console.print()
        console.print(Text("Overruns", style="bold red"))
        for s in report.overruns:
            console.print(
                f"{s.id}: planned {_money(s.planned)}, actual {_money(s.actual or 0)} (+{_money(s.overrun)})",
                highlight=False,
            )
    ev = report.earned_value
    if ev is not None:
        console.print()
        console.print(Text(f"Earned value at {ev.status_date} ({_ev_basis(ev.baseline)})", style="bold"))
        console.print(
            f"PV {_money(ev.pv)} · EV {_money(ev.ev)} · AC {_money(ev.ac)} · "
            f"SPI {_index(ev.spi)} · CPI {_index(ev.cpi)} · SPI(t) {_index(ev.spi_t)}"
            "  (report evm: every figure)",
            highlight=False,
        )
    if report.personnel_estimates:
        console.print()
        console.print(_personnel_line(report, terminal), highlight=False)


# -- gaps --------------------------------------------------------------------


def _counts(errors: int, warnings: int, infos: int) -> str:
    def plural(count: int, word: str) -> str:
        return f"{count} {word}" + ("" if count == 1 else "s")

    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}, {plural(infos, 'info')}"


def gaps_json(report: GapsReport) -> str:
    """The gaps report as JSON."""
    return _dump(
        {
            "plan": report.plan,
            "lessons": [
                {
                    "lesson": lesson.key,
                    "title": lesson.title,
                    "errors": lesson.weight[0],
                    "warnings": lesson.weight[1],
                    "infos": lesson.weight[2],
                    "findings": [finding.to_json() for finding in lesson.findings],
                }
                for lesson in report.lessons
            ],
            "coverage": [
                {
                    "key": c.key,
                    "label": c.label,
                    "lesson": c.lesson,
                    "covered": c.covered,
                    "total": c.total,
                    "share": None if c.share is None else round(c.share, 4),
                }
                for c in report.coverage
            ],
        }
    )


def gaps_markdown(report: GapsReport) -> str:
    """The gaps report as Markdown, worst lesson first."""
    lines = [f"## Gaps — {_md(report.plan)}", "", "| Coverage | |", "|---|---:|"]
    lines += [f"| {c.label} | {c.covered}/{c.total} ({_pct(c.share)}) |" for c in report.coverage]
    for lesson in report.lessons:
        errors, warnings, infos = lesson.weight
        lines += ["", f"### {lesson.title} — {_counts(errors, warnings, infos)}"]
        if not lesson.findings:
            lines.append("No gaps.")
        for finding in lesson.findings:
            where = markdown_code(f"{finding.file}:{finding.line}")
            lines.append(f"- **{finding.rule}** ({finding.severity.value}) {where} {_md(finding.message)}")
    return "\n".join(lines) + "\n"


def gaps_text(report: GapsReport, console: Console, per_lesson: int | None = 3) -> None:
    """The one-screen gaps summary: coverage, then each lesson's worst findings."""
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    console.print(Text(f"{terminal(report.plan)} — gaps by lesson", style="bold"))
    width = max(10, min(30, console.width - 60))
    for c in report.coverage:
        if c.share is None:
            console.print(f"{c.label:<44} {'—':<{width}} n/a", highlight=False, style="dim")
            continue
        style = "green" if c.share >= 1 else ("yellow" if c.share >= 0.5 else "red")
        console.print(
            f"{c.label:<44} [{style}]{_bar(c.share, width):<{width}}[/] {c.covered}/{c.total}",
            highlight=False,
        )
    for lesson in report.lessons:
        errors, warnings, infos = lesson.weight
        if not lesson.findings:
            console.print(f"[green]✓[/] {escape(lesson.title)}: no gaps", highlight=False)
            continue
        console.print()
        style = "bold red" if errors else ("yellow" if warnings else "cyan")
        console.print(
            f"[{style}]{escape(lesson.title)}[/]: {_counts(errors, warnings, infos)}", highlight=False
        )
        # A grid gives each message a hanging indent under its rule ID.
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column()
        for finding in lesson.findings[:per_lesson] if per_lesson is not None else lesson.findings:
            grid.add_row(
                f"  [{_SEVERITY_STYLE[finding.severity.value]}]{finding.rule}[/]",
                escape(terminal(finding.message)),
            )
        console.print(grid)
        hidden = len(lesson.findings) - per_lesson if per_lesson is not None else 0
        if hidden > 0:
            console.print(f"  … and {hidden} more (see `cio-kit plan validate`)", style="dim")

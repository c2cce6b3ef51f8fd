"""The readiness report (SPEC §7): JSON, Markdown, and Rich text with bars."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cio_kit.render.escape import markdown as _md
from cio_kit.render.escape import terminal
from cio_kit.render.figures import bar, percent
from cio_kit.render.jsondoc import pretty
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


def readiness_json(report: Readiness) -> str:
    """The readiness report as JSON."""
    return pretty(
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
        f"**{percent(report.stage_share)}** of stages and **{percent(report.budget_share)}** of the budget "
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


TEXT_ROWS = 400
"""Stages the terminal table shows at most; JSON and Markdown list every one."""
_URGENCY = {"blocked": 0, "waiting": 1, "ready": 2, "in-progress": 3, "done": 4, "cancelled": 5}


def readiness_text(report: Readiness, console: Console) -> None:
    """The readiness report for the terminal."""
    from rich.text import Text

    from cio_kit.render.tables import Table

    console.print(Text(f"{terminal(report.plan)} — readiness", style="bold"))
    width = max(10, min(40, console.width - 40))
    console.print(f"Stages ready or done  {bar(report.stage_share, width)} {percent(report.stage_share)}")
    console.print(f"Budget ready or done  {bar(report.budget_share, width)} {percent(report.budget_share)}")
    console.print("  ".join(f"[{_STATE_STYLE[state]}]{state}[/] {n}" for state, n in report.counts.items()))
    console.print(Text("Next up: " + (", ".join(s.id for s in report.next_up) or "nothing can start now")))
    console.print()
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("Stage", no_wrap=True)
    table.add_column("State", no_wrap=True)
    table.add_column("Reasons")
    # A screenful, not a book: past TEXT_ROWS the stages that cannot start come first.
    shown = report.stages
    if len(shown) > TEXT_ROWS:
        first = sorted(range(len(shown)), key=lambda n: (_URGENCY[shown[n].state], n))[:TEXT_ROWS]
        shown = tuple(shown[n] for n in sorted(first))
    for stage in shown:
        reasons = "\n".join(r.text for r in stage.reasons)
        table.add_row(Text(stage.id), Text(stage.state, style=_STATE_STYLE[stage.state]), Text(reasons))
    console.print(table)
    if len(shown) < len(report.stages):
        more = len(report.stages) - len(shown)
        console.print(
            Text(f"… and {more:,} more stages: --format json or markdown lists every one", style="bold")
        )
    if not report.groups:
        return
    console.print()
    groups = Table(show_edge=False, pad_edge=False, title="ADKAR by group", title_justify="left")
    groups.add_column("Group", no_wrap=True)
    for letter in "ADKAR":
        groups.add_column(letter, no_wrap=True)  # a score is one digit: no alignment to choose
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

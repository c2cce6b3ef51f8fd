"""Lesson 3, chicken and egg: the order of the stages (DEP001–DEP005)."""

from __future__ import annotations

from collections.abc import Iterator

from cio_kit.findings import Draft, Severity, days
from cio_kit.rules.context import Context
from cio_kit.rules.registry import document, rule

document(
    "DEP001",
    "dependency-cycle",
    "deps",
    """
    Stages depend on each other in a cycle.

    What it checks:
        The depends_on links form no cycle (a stage depending on itself is
        one). The finding is at the first stage of the cycle in file order;
        the message lists the whole cycle and `related` holds its ids.

    Why it matters:
        No stage in a cycle can ever start, so the plan has no schedule at
        all; every date-based analysis stops here.

    Example:
        - {id: S-BUILD, depends_on: [S-GOLIVE], ...}
        - {id: S-GOLIVE, depends_on: [S-BUILD], ...}

    Fix:
        Remove the dependency that points backwards in time.
    """,
)


def rollout_before_redesign(ctx: Context) -> Iterator[Draft]:
    """A system rollout for a process has no process redesign for it among its predecessors.

    What it checks:
        Every system-rollout stage, for each process it lists, has a
        process-redesign stage for the same process among its transitive
        predecessors. Cancelled redesigns count for nothing. One finding per
        missing process.

    Why it matters:
        Lesson 3, chicken and egg: automating a process before redesigning it
        pours concrete over today's workarounds. The system then encodes the
        old process and the redesign becomes a costly change request.

    Example:
        - {id: S-ERP, kind: system-rollout, processes: [P-O2C], depends_on: [S-INFRA], ...}
        # no process-redesign stage for P-O2C before S-ERP

    Fix:
        Add a process-redesign stage for the process (or reuse an existing
        one) and make the rollout depend on it.

    """
    bit = ctx.process_bit

    def redesigned(number: int) -> int:
        current = ctx.stages[number]
        if current.kind != "process-redesign" or not ctx.live(number):
            return 0
        mask = 0
        for process in current.processes:
            mask |= bit.get(process, 0)
        return mask

    before = ctx.ancestor_bits(redesigned)
    redesigns: dict[str, list[str]] = {}
    for number, stage in enumerate(ctx.stages):
        if stage.kind == "process-redesign" and ctx.live(number):
            for process in stage.processes:
                redesigns.setdefault(process, []).append(stage.id)
    for number, stage in enumerate(ctx.stages):
        if stage.kind != "system-rollout" or not ctx.live(number):
            continue
        for process in dict.fromkeys(stage.processes):
            if before[number] & bit.get(process, 0):
                continue
            existing = redesigns.get(process, [])
            if existing:
                message = (
                    f"{stage.id} (system-rollout for {process}) does not come after the redesign of "
                    f"{process} ({', '.join(existing)}); make {stage.id} depend on it"
                )
            else:
                message = (
                    f"{stage.id} (system-rollout for {process}) has no process-redesign stage for "
                    f"{process} before it; add one and make {stage.id} depend on it"
                )
            yield Draft("DEP002", ("stages", number), message, stage.id, (process, *existing))


rule("DEP002", "rollout-before-redesign", Severity.ERROR, rollout_before_redesign)


def redundant_dependency(ctx: Context) -> Iterator[Draft]:
    """A dependency is already implied through another dependency.

    What it checks:
        For each stage, no entry of depends_on is also reachable through
        another entry (directly listed twice, or an ancestor of another
        predecessor).

    Why it matters:
        Lesson 3 is about order, and the order has to stay readable: redundant
        links clutter the roadmap and hide the real chain behind a date; when
        the intermediate stage is later removed, the reader cannot tell which
        links were meant.

    Example:
        - {id: S-C, depends_on: [S-A, S-B], ...}   # and S-B depends on S-A

    Fix:
        Remove the redundant entry; the order is kept by the other path.

    """
    for stage_number, position, dependency, via in ctx.graph.redundant_links(ctx.stages):
        stage = ctx.stages[stage_number]
        if via is None:
            count = stage.depends_on.count(dependency)
            message = f"{stage.id} lists {dependency} {count} times in depends_on; keep one"
            related: tuple[str, ...] = (dependency,)
        else:
            message = (
                f"{stage.id}'s dependency on {dependency} is already implied through {via}; "
                f"remove {dependency} from depends_on"
            )
            related = (dependency, via)
        yield Draft("DEP003", ("stages", stage_number, "depends_on", position), message, stage.id, related)


rule("DEP003", "redundant-dependency", Severity.INFO, redundant_dependency)


def progress_out_of_order(ctx: Context) -> Iterator[Draft]:
    """A stage is in progress or done while one of its predecessors has not started.

    What it checks:
        No stage with status in-progress or done has a transitive predecessor
        whose status is planned or blocked.

    Why it matters:
        Either the status is stale or the work really started out of order —
        for instance a system built before its process was redesigned, the
        very thing Lesson 3 warns against. Either way the roadmap no longer
        describes what is happening.

    Example:
        - {id: S-REDESIGN, status: planned, ...}
        - {id: S-ERP, depends_on: [S-REDESIGN], status: in-progress, ...}

    Fix:
        Update the predecessor's status, or correct the dependency.

    """
    stages = ctx.stages
    waiting: list[int | None] = [None] * len(stages)
    for node in ctx.order:
        found: int | None = None
        for pred in ctx.graph.preds[node]:
            candidate = pred if stages[pred].status in ("planned", "blocked") else waiting[pred]
            if candidate is not None and (found is None or candidate < found):
                found = candidate
        waiting[node] = found
    for number, stage in enumerate(stages):
        culprit = waiting[number]
        if stage.status in ("in-progress", "done") and culprit is not None:
            other = stages[culprit]
            yield Draft(
                "DEP004",
                ("stages", number, "status"),
                f"{stage.id} is {stage.status} but its predecessor {other.id} is still {other.status}; "
                f"update {other.id}'s status or correct the dependency",
                stage.id,
                (other.id,),
            )


rule("DEP004", "progress-out-of-order", Severity.WARNING, progress_out_of_order)


def deadline_missed(ctx: Context) -> Iterator[Draft]:
    """The schedule misses a stage deadline or a fixed milestone date.

    What it checks:
        Each stage's last day in the schedule as written (the day before its
        finish; a milestone's own date) is on or before its deadline, and the
        predecessors of a milestone with a fixed date finish by that date.
        With a status_date, SCHED002 judges these dates on the forecast
        instead and this rule is not reported.

    Why it matters:
        Lesson 3 puts stages in the right order; this checks that the order
        fits the calendar. A deadline the plan itself cannot meet is a promise
        already broken; the board should hear it from the plan, not from the
        calendar.

    Example:
        - {id: S-GOLIVE, duration_weeks: 6, depends_on: [S-BUILD], deadline: 2027-03-31, ...}
        # S-BUILD finishes on 2027-03-15, so S-GOLIVE's last day is 2027-04-25

    Fix:
        Shorten or start the critical chain earlier, or move the deadline
        with the sponsor's agreement. `cio-kit roadmap show` names the chain.

    """
    if ctx.forecast is not None:
        return
    schedule = ctx.schedule
    for number, stage in enumerate(ctx.stages):
        if not ctx.live(number):
            continue
        timing = schedule.timings[number]
        last = schedule.last_day(timing)
        if stage.deadline is not None and last is not None and last > stage.deadline:
            late = (last - stage.deadline).days
            yield Draft(
                "DEP005",
                ("stages", number),
                f"{stage.id} ends on {last} in the schedule, {days(late)} after its deadline "
                f"{stage.deadline}; the chain through {timing.driver or 'its start'} sets the date",
                stage.id,
                (timing.driver,) if timing.driver else (),
            )
        if stage.kind == "milestone" and stage.date is not None:
            preds = ctx.graph.preds[number]
            ready = max((schedule.timings[p].earliest_finish for p in preds), default=0)
            ready_date = schedule.date(ready)
            if ready_date is not None and ready_date > stage.date:
                latest = max(preds, key=lambda p: schedule.timings[p].earliest_finish)
                yield Draft(
                    "DEP005",
                    ("stages", number),
                    f"{stage.id} is fixed on {stage.date} but its predecessors are not finished until "
                    f"{ready_date} ({ctx.stages[latest].id} is last); move the date or speed up the chain",
                    stage.id,
                    (ctx.stages[latest].id,),
                )


rule("DEP005", "deadline-missed", Severity.ERROR, deadline_missed)

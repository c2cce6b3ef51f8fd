"""The validate pipeline: find plan files, load each, and collect the report."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from cio_kit.config import Config, ConfigError
from cio_kit.findings import BLOCKING_RULES, Draft, FileResult, Finding, Report, Severity, sort_findings
from cio_kit.plan.loader import Loaded, load_plan, oversized

if TYPE_CHECKING:
    from cio_kit.portfolio.scenario import Applied, Scenario
    from cio_kit.situation import Situation

YAML_SUFFIXES = (".yaml", ".yml")

#: Drafts of one rule placed and matched against suppressions at most; far above the 200 listed.
PLACED_PER_RULE = 10_000


class UsageError(Exception):
    """A problem with how cio-kit was called (exit code 2)."""


def known_rules_only(config: Config) -> Config:
    """``config`` once every rule id it ignores or re-levels is in the catalogue; else ConfigError."""
    if not config.ignore and not config.severity:
        return config  # nothing to look up: leave the rule modules unloaded
    from cio_kit.rules import all_rules

    known = set(all_rules())
    for what, named in (("ignore", config.ignore), ("severity", config.severity)):
        unknown = sorted(set(named) - known)
        if unknown:
            raise ConfigError(f"{config.path}: {what} names unknown rule {unknown[0]}")
    return config


def discover(paths: Sequence[Path]) -> list[tuple[Path, bool]]:
    """Files to check, each with whether it was named explicitly.

    Directories are searched recursively for ``*.yaml``/``*.yml`` in sorted
    order, without following symbolic links to directories (a link loop must
    not hang CI). A path that does not exist is a usage error.
    """
    found: list[tuple[Path, bool]] = []
    for path in paths:
        if path.is_dir():
            found += ((file, False) for file in _walk(path))
        elif path.exists() or path.is_symlink():
            found.append((path, True))
        else:
            raise UsageError(f"{path}: no such file or directory")
    return found


def _walk(top: Path) -> Iterator[Path]:
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(YAML_SUFFIXES) and not name.startswith("."):
                yield Path(folder, name)


def load_all(paths: Sequence[Path], config: Config | None = None) -> list[Loaded]:
    """Load and check every plan file under ``paths``; raise UsageError when there is none.

    A folder, or several files, is checked as a portfolio (SPEC §12): plans
    that depend on other plans' stages are resolved against the plans given
    and those under the configured paths. One file alone is one plan.
    """
    config = config or Config()
    found = discover(paths)
    alone = len(found) == 1 and not any(path.is_dir() for path in paths)
    loaded = [check_file(path, explicit, config, alone=alone) for path, explicit in found]
    if not any(not entry.skipped for entry in loaded):
        shown = ", ".join(str(p) for p in paths)
        raise NoPlanError(f"no cio-kit plan found in {shown}", loaded)
    if not alone:
        from cio_kit.portfolio.merge import cross_refs, resolve

        others: list[Loaded] = []
        if any(entry.plan is not None and any(cross_refs(entry.plan)) for entry in loaded):
            seen = {path.resolve() for path, _ in found}
            around = [p for p, _ in discover([p for p in config.paths if p.exists()])]
            others = [check_file(p, False, config, rules=False) for p in around if p.resolve() not in seen]
        resolve(loaded, others)
    return loaded


class NoPlanError(UsageError):
    """No plan among the paths given; carries the skipped files' warnings."""

    def __init__(self, message: str, loaded: list[Loaded]) -> None:
        super().__init__(message)
        self.loaded = loaded


def validate(paths: Sequence[Path], config: Config | None = None) -> Report:
    """Check every plan under ``paths`` and return the report."""
    return report_of(load_all(paths, config))


#: Objects a load must leave for them to be frozen out of the collector (about 3,000 stages).
FREEZE_OVER = 200_000


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while one plan is loaded and checked.

    Loading builds hundreds of thousands of small acyclic objects, and each
    allocation burst triggers collections that find nothing to free; pausing
    roughly halves load time. Reference counting still frees memory, and the
    collector runs again between files. A large plan's objects are frozen
    first: they outlive the load, and otherwise the collections after it scan
    them again and again (half a second on 10,000 stages) to free nothing.
    Frozen objects' cycles are never freed, so small files, which cost the
    collector little, are not frozen: a folder of them leaves nothing behind.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_count()[0] > FREEZE_OVER:
                gc.freeze()
            gc.enable()


def check_file(
    path: Path, explicit: bool, config: Config | None = None, *, rules: bool = True, alone: bool = True
) -> Loaded:
    """Load one file and, when it is sound and ``rules`` is true, run the catalogue and suppressions.

    ``alone`` says the plan is checked without the rest of its portfolio (PLAN009).
    """
    config = config or Config()
    with paused_gc():
        loaded = load_plan(path, explicit=explicit, limits=config.limits)
        if rules and not loaded.skipped and not loaded.blocked:
            analyse(loaded, config, alone=alone)
    return loaded


def check_bytes(
    raw: bytes, file: str, config: Config | None = None, *, rules: bool = True, explicit: bool = True
) -> Loaded:
    """Like :func:`check_file`, for a plan held in memory (e.g. from ``git show``).

    Such a plan is itself history, so no configured baseline is read for it.
    """
    from cio_kit.plan.loader import load_bytes

    config = config or Config()
    with paused_gc():
        loaded = load_bytes(raw, file, limits=config.limits, explicit=explicit)
        if rules and not loaded.blocked and not loaded.skipped:
            analyse(loaded, config, with_baseline=False)
    return loaded


def analyse(
    loaded: Loaded,
    config: Config,
    *,
    with_baseline: bool = True,
    alone: bool = True,
    situation: Situation | None = None,
) -> None:
    """Run the rule catalogue on a sound plan; apply configuration and suppressions.

    ``situation``: the plan's situation a command already computed (as it stands, not levelled,
    no baseline configured), so the rules judge the figures the command shows, computed once.

    With a configured ``baseline`` and a plan that has a status date, progress
    is judged against the baseline; a baseline that cannot be read is one
    PLAN010 info and the plan as written is used instead (SPEC §10).
    """
    from cio_kit.rules import all_rules
    from cio_kit.rules.context import Context

    plan = loaded.plan
    if plan is None:  # nothing loaded, nothing to check
        return
    rules = all_rules()
    baseline, drafts = None, []
    if with_baseline and config.baseline is not None and plan.enterprise.status_date is not None:
        from cio_kit.analysis.baseline import BaselineError, read_baseline

        try:
            baseline = read_baseline(config.baseline, Path(loaded.file), config.limits)
        except BaselineError as error:
            drafts.append(
                Draft(
                    "PLAN010",
                    ("enterprise", "status_date"),
                    f"the configured baseline cannot be read ({error}); progress is judged against the "
                    "plan as written. Fetch the history (e.g. a full clone) or fix `baseline:`",
                )
            )
    if situation is None:  # the rules' own, on the stage graph the blocking checks built
        from cio_kit.situation import Situation

        situation = Situation(plan, baseline, graph=loaded.graph)
    context = Context(plan, loaded.data, config.thresholds, baseline, situation=situation)
    drafts += [
        draft
        for rule in rules.values()
        if rule.check is not None and rule.id not in config.ignore
        for draft in rule.check(context)
    ]
    if alone:
        from cio_kit.portfolio.merge import unchecked

        drafts += unchecked(plan)
    for rule_id in ("PLAN009", "PLAN010"):  # applied here, not by a check: ignored here too
        if rule_id in config.ignore:
            drafts = [draft for draft in drafts if draft.rule != rule_id]
    # Findings are placed (looked up in the read's positions) and matched to suppressions before
    # the cap of 200 a rule, so a suppressed finding does not take a place; a first, looser cap
    # keeps a pull request that repeats one mistake a million times from costing a million lookups.
    drafts = loaded.cap(drafts, limit=PLACED_PER_RULE, counts={})
    defaults = {rule_id: rule.severity for rule_id, rule in rules.items()}
    findings = loaded.locate(drafts, defaults)
    findings = [
        replace(finding, severity=config.severity[finding.rule])
        if finding.rule in config.severity
        else finding
        for finding in findings
    ]
    kept, suppressed, stale = _apply_suppressions(loaded, drafts, findings, set(rules))
    if "PLAN008" not in config.ignore:
        level = config.severity.get("PLAN008", Severity.INFO)
        kept += [replace(finding, severity=level) for finding in stale]
    loaded.findings += loaded.cap(kept)
    loaded.suppressed += suppressed


def _apply_suppressions(
    loaded: Loaded, drafts: list[Draft], findings: list[Finding], known: set[str]
) -> tuple[list[Finding], list[tuple[Finding, str]], list[Finding]]:
    """Split findings into kept and suppressed, and report suppressions that do not work (PLAN008)."""
    from cio_kit.plan.suppress import find_suppressions

    comments = find_suppressions(loaded.text)
    if not comments:
        return findings, [], []
    by_line: dict[int, list[tuple[tuple[str, ...], str]]] = {}
    for comment in comments:
        if comment.reason:
            by_line.setdefault(comment.line, []).append((comment.rules, comment.reason))
    kept: list[Finding] = []
    suppressed: list[tuple[Finding, str]] = []
    used: set[tuple[int, str]] = set()
    for draft, finding in zip(drafts, findings, strict=True):
        lines = {finding.line, *loaded.anchor_lines(draft.loc)}
        hit = next(
            (
                (line, reason)
                for line in sorted(lines)
                for rules, reason in by_line.get(line, [])
                if finding.rule in rules
            ),
            None,
        )
        if hit is None:
            kept.append(finding)
        else:
            suppressed.append((finding, hit[1]))
            used.add((hit[0], finding.rule))
    stale = []
    for comment in comments:
        problems = []
        if not comment.reason:
            problems.append("gives no reason, so it silences nothing; say why after the brackets")
        for rule_id in comment.rules:
            if rule_id not in known:
                problems.append(f"names unknown rule {rule_id}")
            elif rule_id in BLOCKING_RULES:
                problems.append(f"names {rule_id}, a blocking rule that cannot be suppressed")
            elif comment.reason and (comment.line, rule_id) not in used:
                problems.append(f"silences no {rule_id} finding on this line; remove it")
        if not comment.rules:
            problems.append("names no rule")
        for problem in problems:
            stale.append(
                Finding(
                    file=loaded.file,
                    line=comment.line,
                    column=comment.column,
                    rule="PLAN008",
                    path="",
                    message=f"suppression {problem}",
                    severity=Severity.INFO,
                )
            )
    return kept, suppressed, stale


def report_of(loaded: Sequence[Loaded]) -> Report:
    """Collect loaded files into a report, skipped ones included."""
    results = []
    for entry in loaded:
        plan_name = entry.plan.enterprise.name if entry.plan is not None else _raw_name(entry.data)
        results.append(
            FileResult(
                entry.file,
                plan_name,
                sort_findings(entry.findings),
                entry.skipped,
                tuple(sorted(entry.suppressed)),
                entry.truncated,
            )
        )
    return Report(tuple(results))


def _raw_name(data: object) -> str | None:
    """The enterprise name of a plan that did not validate, if it can be read."""
    enterprise = data.get("enterprise") if isinstance(data, dict) else None
    name = enterprise.get("name") if isinstance(enterprise, dict) else None
    return str(name) if isinstance(name, str | int | float) and not isinstance(name, bool) else None


def versions_since(
    ref: str, folders: Sequence[Path], config: Config
) -> list[tuple[str, Loaded | None, Loaded | None]]:
    """Every plan file under ``folders``, as it was at git ``ref`` and as it is now (None: absent).

    Used by ``plan diff --git REF`` without a plan: a plan added since REF has
    no old side, one removed has no new side. Files that are plans on neither
    side are left out. Raises BaselineError when git cannot list REF.
    """
    from cio_kit.analysis.baseline import git_blobs, git_files

    at_ref = {path.as_posix(): path for folder in folders for path in git_files(ref, folder)}
    limit = int(config.limits.max_file_mib * 1024 * 1024)
    blobs = git_blobs(ref, list(at_ref.values()), limit)
    now = {
        path.as_posix(): path
        for folder in folders
        if folder.exists()
        for path in (folder.rglob("*") if folder.is_dir() else [folder])
        if path.suffix in YAML_SUFFIXES and path.is_file() and not path.name.startswith(".")
    }
    versions = []
    for name in sorted(set(at_ref) | set(now)):
        # Found in a folder, not named: a YAML file that is not a plan (CI settings, notes) is
        # skipped, as validate skips it, and a side that is not a plan counts as absent.
        new = check_file(now[name], False, config) if name in now else None
        old = None
        if name in at_ref:
            raw = blobs.get(at_ref[name])
            shown = f"{ref}:{name}"
            # A blob over the size limit was not read: it is one PLAN007, not an absent file.
            old = (
                oversized(shown, config.limits)
                if raw is None
                else check_bytes(raw, shown, config, explicit=False)
            )
        old, new = (side if side is not None and not side.skipped else None for side in (old, new))
        if old is None and new is None:
            continue  # not a plan on either side
        versions.append((name, old, new))
    return versions


def apply_scenario(scenario: Scenario, loaded: Sequence[Loaded], config: Config) -> Applied:
    """The portfolio as ``scenario`` changes it: every plan file loaded and checked again.

    Each changed document is loaded and checked as the file edited by hand
    would be; unchanged plans are checked again too, so cross-plan findings
    see the changed ones. ScenarioError when the scenario names what is not
    there or leaves a plan unreadable.
    """
    from cio_kit.plan.loader import load_bytes
    from cio_kit.portfolio.merge import resolve
    from cio_kit.portfolio.scenario import Applied, ScenarioError, as_in_base, edit

    changes = edit(scenario, loaded)
    result = []
    for entry in loaded:
        if entry.skipped or entry.blocked:
            result.append(entry)
            continue
        text = changes.texts.get(id(entry), entry.text)
        with paused_gc():
            again = load_bytes(text.encode("utf-8"), entry.file, limits=config.limits, explicit=True)
            if not again.blocked:
                analyse(again, config, alone=False)
        if again.blocked:
            first = next((f for f in again.findings if f.blocking), None)
            why = f"{first.rule} {first.message}" if first else "it no longer loads"
            raise ScenarioError(f"the scenario leaves {entry.file} unreadable: {why}")
        if id(entry) in changes.texts:
            as_in_base(entry, again)
        result.append(again)
    resolve(result)
    return Applied(scenario, result, changes.envelope, changes.dropped)

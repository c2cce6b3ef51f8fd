"""``cio-kit.yaml``: discovery, validation and what it changes (SPEC §8).

The file is found by walking up from the current directory, stopping at the
repository root (the first directory holding ``.git``); ``--config FILE``
overrides. A bad file, or one that tries to ignore or re-level a blocking
rule, is a usage error (exit 2) — a configuration that silently does nothing
is worse than none.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeGuard

from cio_kit.findings import BLOCKING_RULES, Severity
from cio_kit.plan.loader import FileLimits

CONFIG_NAME = "cio-kit.yaml"
_THRESHOLDS = (
    "run_warn",
    "run_error",
    "transform_min",
    "cio_ops_warn",
    "cio_ops_error",
    "adkar_max_age_days",
    "spi_warn",
    "spi_error",
    "cpi_warn",
    "cpi_error",
    "benefit_tolerance",
)


@dataclass(frozen=True)
class Thresholds:
    """Configurable thresholds (SPEC §8); a plan's own ``budget.limits`` win for that plan."""

    run_warn: float = 0.70
    """Run share above which BUDGET002 warns."""
    run_error: float = 0.80
    """Run share above which BUDGET002 is an error."""
    transform_min: float = 0.10
    """Transform share below which BUDGET003 warns."""
    cio_ops_warn: float = 0.30
    """Share of the CIO's time on maintenance and upgrades above which CIO002 warns."""
    cio_ops_error: float = 0.50
    """…and above which CIO002 is an error."""
    adkar_max_age_days: int = 90
    """Age at which an ADKAR assessment is stale (PEOPLE007)."""
    spi_warn: float = 0.95
    """SPI(t) below which SCHED004 warns and the schedule is amber (SPEC §16)."""
    spi_error: float = 0.85
    """SPI(t) below which SCHED004 is an error and the schedule is red."""
    cpi_warn: float = 0.95
    """CPI below which BUDGET007 warns and the cost is amber."""
    cpi_error: float = 0.90
    """CPI below which BUDGET007 is an error and the cost is red."""
    benefit_tolerance: float = 0.10
    """How far behind its straight line, as a share of |target − baseline|, a KPI is at risk (BEN001)."""


_INDEXES = ("spi_warn", "spi_error", "cpi_warn", "cpi_error")
"""Thresholds on performance indexes, which may exceed 1 (a plan may be asked to run ahead)."""


class ConfigError(Exception):
    """The configuration cannot be used (exit code 2)."""


@dataclass(frozen=True)
class Config:
    """The effective configuration."""

    path: Path | None = None
    """The file it came from, if any."""
    paths: tuple[Path, ...] = ()
    """Paths to validate when none are given, relative to the current directory."""
    ignore: frozenset[str] = frozenset()
    """Rules whose findings are dropped."""
    severity: dict[str, Severity] = field(default_factory=dict)
    """Severity overrides by rule."""
    thresholds: Thresholds = field(default_factory=Thresholds)
    """Rule thresholds."""
    limits: FileLimits = field(default_factory=FileLimits)
    """Loader safety limits."""
    baseline: str | None = None
    """Default baseline: a git ref, or a file path (relative to the current directory)."""
    default_plan: Path | None = None
    """The plan one-plan commands use when given none (SPEC §12), relative to the current directory."""
    level: bool = False
    """Every view shows the plan levelled to capacity (SPEC §16, ``level: true``)."""
    board_since: str | None = None
    """The git ref of the last board: the board pack's trend starts there (SPEC §17)."""


def find_config(start: Path | None = None) -> Path | None:
    """The nearest cio-kit.yaml from ``start`` up to the repository root (SPEC §15).

    Without a repository (a tarball, an exported tree) only ``start`` itself is
    searched: a cio-kit.yaml in some parent folder must not re-level this plan's rules.
    """
    folder = (start or Path.cwd()).resolve()
    chain = (folder, *folder.parents)
    root = next((candidate for candidate in chain if (candidate / ".git").exists()), None)
    for candidate in chain if root is not None else (folder,):
        path = candidate / CONFIG_NAME
        if path.is_file():
            return path
        if candidate == root:
            return None
    return None


def load_config(explicit: Path | None = None) -> Config:
    """Read ``explicit`` or the discovered configuration; defaults when there is none."""
    path = explicit if explicit is not None else find_config()
    if path is None:
        return Config()
    if not path.is_file():
        raise ConfigError(f"{path}: configuration file not found")
    from cio_kit.plan.files import UnreadableFile, read_side_file

    try:
        document = read_side_file(path, str(path))
    except UnreadableFile as error:
        raise ConfigError(str(error)) from None
    data = document.data if document.data is not None else {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping")
    return _parse(path, data)


def _parse(path: Path, data: dict[object, object]) -> Config:
    allowed = {
        "paths",
        "ignore",
        "severity",
        "max_file_mib",
        "baseline",
        "default_plan",
        "level",
        "board_since",
        *_THRESHOLDS,
    }
    unknown = sorted(str(key) for key in data if key not in allowed)
    if unknown:
        raise ConfigError(
            f"{path}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}"
        )
    # Checked in the order of the file's documentation, so the first problem named is the same each time.
    ignore = frozenset(_rule_ids(path, data.get("ignore", []), "ignore"))
    severity = _severity(path, data.get("severity", {}))
    thresholds = _thresholds(path, data)
    limits = _limits(path, data)
    baseline = _baseline(path, data.get("baseline"))
    paths = _paths(path, data.get("paths", []))
    default_plan = _default_plan(path, data.get("default_plan"))
    level = data.get("level", False)
    if not isinstance(level, bool):
        raise ConfigError(f"{path}: level must be true or false")
    since = data.get("board_since")
    if since is not None and (not isinstance(since, str) or not since.strip() or since.startswith("-")):
        raise ConfigError(f"{path}: board_since must be a git ref, e.g. board-2027-06")
    for warn, error in (("spi_warn", "spi_error"), ("cpi_warn", "cpi_error")):
        if getattr(thresholds, error) <= getattr(thresholds, warn):
            continue
        if error in data:
            raise ConfigError(f"{path}: {error} must not be above {warn} (red is below amber)")
        # A lower warning alone lowers the error threshold with it: red is never above amber.
        thresholds = replace(thresholds, **{error: getattr(thresholds, warn)})
    return Config(
        path,
        paths,
        ignore,
        severity,
        thresholds,
        limits,
        baseline,
        _relative(path.parent / default_plan) if default_plan is not None else None,
        level,
        since,
    )


def _rule_ids(path: Path, value: object, what: str) -> list[str]:
    """Rule ids listed under ``what``; none may be a blocking rule, which always applies."""
    if not isinstance(value, list | dict) or not all(isinstance(r, str) for r in value):
        raise ConfigError(f"{path}: {what} must list rule IDs")
    ids = [str(r) for r in value]
    for rule_id in ids:
        if rule_id in BLOCKING_RULES:
            raise ConfigError(f"{path}: {what} cannot change {rule_id}: blocking rules always apply")
    return ids


def _severity(path: Path, raw: object) -> dict[str, Severity]:
    """Severity overrides by rule id."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: severity must map rule IDs to error, warning or info")
    severity: dict[str, Severity] = {}
    for rule_id in _rule_ids(path, raw, "severity"):
        level = raw[rule_id]
        if level not in ("error", "warning", "info"):
            raise ConfigError(f"{path}: severity of {rule_id} must be error, warning or info, not {level!r}")
        severity[rule_id] = Severity(level)
    return severity


def _thresholds(path: Path, data: dict[object, object]) -> Thresholds:
    """The thresholds the file sets; the others keep their defaults."""
    thresholds: dict[str, float] = {}
    for name in _THRESHOLDS:
        if name not in data:
            continue
        value = data[name]
        whole = name == "adkar_max_age_days"
        if not _finite_number(value) or value < 0 or value > 10**6:
            raise ConfigError(f"{path}: {name} must be a finite, non-negative number")
        if whole and not isinstance(value, int):
            raise ConfigError(f"{path}: {name} must be a whole number of days")
        if not whole and value > (10 if name in _INDEXES else 1):
            raise ConfigError(f"{path}: {name} is a share between 0 and 1 (e.g. 0.7 for 70%)")
        thresholds[name] = value
    return Thresholds(**thresholds)  # type: ignore[arg-type]


def _limits(path: Path, data: dict[object, object]) -> FileLimits:
    """The loader's limits: the largest plan file read."""
    if "max_file_mib" not in data:
        return FileLimits()
    value = data["max_file_mib"]
    if not _finite_number(value) or value <= 0 or value > MAX_FILE_MIB:
        raise ConfigError(f"{path}: max_file_mib must be a number above 0 and at most {MAX_FILE_MIB}")
    return FileLimits(max_file_mib=float(value))


def _baseline(path: Path, baseline: object) -> str | None:
    """The default baseline: a file relative to the configuration's folder, else a git ref."""
    if baseline is None:
        return None
    if not isinstance(baseline, str) or not baseline.strip():
        raise ConfigError(f"{path}: baseline must be a git ref or a file path")
    as_file = path.parent / baseline
    if not as_file.is_file():
        return baseline
    # Like paths: and default_plan:, a repository's configuration names its own files only.
    if path.parent.resolve() not in as_file.resolve().parents:
        raise ConfigError(f"{path}: baseline {baseline!r} is outside the configuration's folder")
    return str(_relative(as_file))


def _paths(path: Path, raw_paths: object) -> tuple[Path, ...]:
    """The paths to validate, each inside the configuration's folder."""
    if isinstance(raw_paths, str):
        raw_paths = [raw_paths]
    if not isinstance(raw_paths, list) or not all(isinstance(p, str) for p in raw_paths):
        raise ConfigError(f"{path}: paths must be a list of paths")
    base = path.parent
    for raw in raw_paths:
        # A repository's configuration names its own plans, not /etc/passwd or ../other-repo.
        target = (base / str(raw)).resolve()
        if target != base.resolve() and base.resolve() not in target.parents:
            raise ConfigError(f"{path}: paths entry {raw!r} is outside the configuration's folder")
    return tuple(_relative(base / str(p)) for p in raw_paths)


def _default_plan(path: Path, default_plan: object) -> str | None:
    """The plan one-plan commands use when given none: a file next to or below the configuration."""
    if default_plan is None:
        return None
    base = path.parent
    if not isinstance(default_plan, str) or not (base / default_plan).is_file():
        raise ConfigError(f"{path}: default_plan must name a plan file next to or below it")
    target = (base / default_plan).resolve()
    if base.resolve() not in target.parents:
        raise ConfigError(f"{path}: default_plan {default_plan!r} is outside the configuration's folder")
    return default_plan


#: No plan is larger; a limit beyond it is a limit switched off.
MAX_FILE_MIB = 4096


def _finite_number(value: object) -> TypeGuard[int | float]:
    """A real number: not a boolean, not NaN, not infinite (SPEC §15)."""
    import math

    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _relative(path: Path) -> Path:
    import os

    try:
        return Path(os.path.relpath(path))
    except ValueError:
        return path

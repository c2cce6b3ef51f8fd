"""The validate pipeline: find plan files, load each, and collect the report."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from cio_kit.findings import FileResult, Report, sort_findings
from cio_kit.loader import Limits, Loaded, load_plan

YAML_SUFFIXES = (".yaml", ".yml")


class UsageError(Exception):
    """A problem with how cio-kit was called (exit code 2)."""


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


def load_all(paths: Sequence[Path], limits: Limits | None = None) -> list[Loaded]:
    """Load every plan file under ``paths``; raise UsageError when there is none."""
    loaded = [load_plan(path, explicit=explicit, limits=limits) for path, explicit in discover(paths)]
    if not any(not entry.skipped for entry in loaded):
        shown = ", ".join(str(p) for p in paths)
        raise NoPlanError(f"no cio-kit plan found in {shown}", loaded)
    return loaded


class NoPlanError(UsageError):
    """No plan among the paths given; carries the skipped files' warnings."""

    def __init__(self, message: str, loaded: list[Loaded]) -> None:
        super().__init__(message)
        self.loaded = loaded


def validate(paths: Sequence[Path], limits: Limits | None = None) -> Report:
    """Check every plan under ``paths`` and return the report."""
    return report_of(load_all(paths, limits))


def report_of(loaded: Sequence[Loaded]) -> Report:
    """Collect loaded files into a report, skipped ones included."""
    results = []
    for entry in loaded:
        plan_name = entry.plan.enterprise.name if entry.plan is not None else _raw_name(entry.data)
        results.append(FileResult(entry.file, plan_name, sort_findings(entry.findings), entry.skipped))
    return Report(tuple(results))


def _raw_name(data: object) -> str | None:
    """The enterprise name of a plan that did not validate, if it can be read."""
    enterprise = data.get("enterprise") if isinstance(data, dict) else None
    name = enterprise.get("name") if isinstance(enterprise, dict) else None
    return str(name) if isinstance(name, str | int | float) and not isinstance(name, bool) else None

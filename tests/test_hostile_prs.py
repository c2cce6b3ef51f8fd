"""Every hostile pull request of tests/hostile/ through the command CI runs, stdout a pipe.

What is checked here is the outcome — an exit code of the spec, bounded output,
no line that GitHub would execute, a SARIF file that parses — not the time:
the 2 s / 300 MiB budget is measured by benchmarks/hostile.py on the same cases.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .hostile.cases import ACTION, CASES

#: Cases whose command is heavy by design (the dense Monte Carlo) get fewer runs here.
LIGHTER = {"roadmap": ["--runs", "200"]}


@pytest.mark.slow
@pytest.mark.parametrize("name, make, command", CASES, ids=[case[0] for case in CASES])
def test_a_hostile_pull_request_gets_findings_not_a_broken_ci(
    name: str, make: Callable[[Path], None], command: list[str], tmp_path: Path
) -> None:
    if not hasattr(os, "mkfifo") and "FIFO" in name:
        pytest.skip("no FIFOs on this system")
    plans = tmp_path / "plans"
    plans.mkdir()
    make(plans)
    extra = LIGHTER.get(command[0], []) if command[:2] == ["roadmap", "risk"] else []
    result = subprocess.run(
        [sys.executable, "-m", "cio_kit", *command, *extra],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,  # a hang guard only
        env={**os.environ, "GITHUB_ACTIONS": "true"},
    )
    assert result.returncode in (0, 1, 2), (name, result.stderr[-500:])
    printed = result.stdout + result.stderr
    assert len(printed) < 256 * 1024, (name, len(printed))  # output is bounded
    assert b"Traceback" not in printed
    for line in printed.splitlines():
        if line.startswith(b"::"):  # only cio-kit's own annotations, one per finding
            assert line.split(b" ", 1)[0] in (b"::error", b"::warning", b"::notice"), (name, line[:120])
            assert b",title=" in line, (name, line[:120])
    if command == ACTION:
        log = json.loads((tmp_path / "cio-kit.sarif").read_text(encoding="utf-8"))
        assert log["version"] == "2.1.0"
        assert len(log["runs"][0]["results"]) <= 200 * len(log["runs"][0]["tool"]["driver"]["rules"])

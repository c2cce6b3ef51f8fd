"""GitHub Actions workflow commands: one annotation per finding on the pull request.

``::error file=…,line=…,col=…,title=RULE::message`` for errors, ``::warning``
for warnings and ``::notice`` for infos, escaped as GitHub's runner expects.
"""

from __future__ import annotations

from cio_kit.findings import Report, Severity
from cio_kit.render.escape import workflow_data as _data
from cio_kit.render.escape import workflow_property as _property

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(report: Report) -> str:
    """One workflow command per finding."""
    lines = [
        f"::{_COMMAND[f.severity]} file={_property(f.file)},line={f.line},col={f.column},"
        f"title={_property(f.rule)}::{_data(f.message)}"
        for f in report.findings
    ]
    return "".join(line + "\n" for line in lines)

"""The JSON report of ``plan validate`` (SPEC §4), key for key."""

from __future__ import annotations

from cio_kit import __version__
from cio_kit.findings import Report, Severity
from cio_kit.render import jsondoc

SCHEMA_VERSION = 1


def render(report: Report) -> str:
    """One JSON document: tool, version, schema, files, findings and summary."""
    document = {
        "tool": "cio-kit",
        "version": __version__,
        "schema": SCHEMA_VERSION,
        "config": report.config,
        "files": [
            {
                "file": result.file,
                "plan": result.plan,
                "errors": result.count(Severity.ERROR),
                "warnings": result.count(Severity.WARNING),
                "infos": result.count(Severity.INFO),
            }
            for result in report.plans
        ],
        "findings": [finding.to_json() for finding in report.findings],
        "summary": {
            "files": len(report.plans),
            "skipped": report.skipped,
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "infos": report.count(Severity.INFO),
            "truncated": report.truncated,
        },
    }
    return jsondoc.dump(document, rows=("files", "findings"))

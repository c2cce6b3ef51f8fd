"""SARIF 2.1.0 output, for GitHub code scanning and other SARIF viewers.

The tool driver lists every rule of the catalogue with its name, short and
full description, help text and default level; results carry a physical
location; suppressed findings appear with a ``suppressions`` entry (SPEC §9).
Severities map to SARIF levels: error → error, warning → warning, info → note.

Locations are relative to the repository root — the folder holding ``.git``
above the file, else the current directory — percent-encoded as RFC 3986
references with ``"uriBaseId": "%SRCROOT%"`` (SPEC §15), so an alert and its
fingerprint do not move with the folder cio-kit ran in.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from cio_kit import __version__
from cio_kit.findings import Finding, Report, Severity
from cio_kit.render.jsondoc import pretty
from cio_kit.rules import all_rules
from cio_kit.rules.registry import SECTIONS

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/cio-kit/"


def _flow(text: str) -> str:
    """Join a docstring's hard-wrapped lines into paragraphs."""
    return re.sub(r"(?<!\n)\n(?!\n)", " ", text)


def render(report: Report) -> str:
    """The report as one SARIF log with a single run."""
    rules = all_rules()
    index = {rule_id: number for number, rule_id in enumerate(rules)}
    descriptors = []
    for rule in rules.values():
        sections = {
            title: rule.section(title) if title == "Example" else _flow(rule.section(title))
            for title in SECTIONS
        }
        help_text = "\n\n".join(f"{title}:\n{body}" for title, body in sections.items())
        help_markdown = "\n\n".join(
            f"**{title}**\n\n" + (f"```yaml\n{body}\n```" if title == "Example" else body)
            for title, body in sections.items()
        )
        descriptors.append(
            {
                "id": rule.id,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": sections["What it checks"] or rule.summary},
                "help": {"text": help_text, "markdown": help_markdown},
                "defaultConfiguration": {"level": _LEVEL[rule.severity]},
                "properties": {"tags": [rule.family, rule.lesson], "blocking": rule.blocking},
            }
        )
    root = Path.cwd()
    results = [_result(finding, index, None) for finding in report.findings]
    for result in report.files:
        results += [_result(finding, index, reason) for finding, reason in result.suppressed]
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "cio-kit",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": descriptors,
                    }
                },
                "results": results,
                "columnKind": "unicodeCodePoints",
                "originalUriBaseIds": {"%SRCROOT%": {"uri": _root_of(str(root)).as_uri() + "/"}},
                "properties": {"config": report.config},
            }
        ],
    }
    return pretty(log)


@lru_cache(maxsize=256)
def _root_of(folder: str) -> Path:
    """The repository root for a folder: the nearest one holding ``.git``, else the current directory."""
    start = Path(folder).resolve()
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
    return Path.cwd().resolve()


def artifact_location(file: str) -> dict[str, str]:
    """``artifactLocation`` of a file: a percent-encoded path under %SRCROOT%, or a file URI outside it."""
    absolute = Path(file).resolve()
    root = _root_of(str(absolute.parent))
    try:
        relative = absolute.relative_to(root).as_posix()
    except ValueError:
        return {"uri": absolute.as_uri()}
    return {"uri": quote(relative), "uriBaseId": "%SRCROOT%"}  # quote keeps "/" as it is


def _result(finding: Finding, index: dict[str, int], reason: str | None) -> dict[str, Any]:
    location = artifact_location(finding.file)
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": _LEVEL[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": location,
                    "region": {"startLine": finding.line, "startColumn": finding.column},
                },
                **({"logicalLocations": [{"fullyQualifiedName": finding.path}]} if finding.path else {}),
            }
        ],
        "partialFingerprints": {
            "cioKitFinding/v1": f"{finding.rule}:{location['uri']}:{finding.path or finding.line}"
        },
        "properties": {"subject": finding.subject, "related": list(finding.related)},
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    if reason is not None:
        result["suppressions"] = [{"kind": "inSource", "justification": reason}]
    return result

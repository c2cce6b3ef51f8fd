"""Where a finding points (SPEC §4): its path in the document, written as a reader would look it up."""

from __future__ import annotations

from pathlib import Path

import pytest

from cio_kit.findings import Finding, Severity, format_path
from cio_kit.render.sarif import artifact_location


def test_an_integer_is_an_index_only_where_it_indexes_a_list() -> None:
    document = {
        "stages": [{"depends_on": ["S-A"]}, {"id": "S-B"}],
        "budget": {"years": {2027: 5}},
    }
    assert format_path(("stages", 0, "depends_on", 0), document) == "stages[0].depends_on[0]"
    assert format_path(("stages", 1, "id"), document) == "stages[1].id"
    assert format_path(("budget", "years", 2027), document) == "budget.years.2027"
    # Past the end of a list, and a key asked of a list: the rest is written as given.
    assert format_path(("stages", 2, "depends_on", 0), document) == "stages[2].depends_on.0"
    assert format_path(("stages", "id", 0), document) == "stages.id.0"
    assert format_path((), document) == ""


def test_a_finding_is_the_same_finding_wherever_its_stage_moved() -> None:
    """The key names the stage by its id in place of its first index, not its line or position."""

    def finding(path: str, line: int, subject: str | None) -> Finding:
        return Finding("p.yaml", line, 5, "BUDGET001", path, "m", Severity.WARNING, subject)

    moved = finding("stages[3].budget[1]", 40, "S-ERP")
    assert moved.key == ("BUDGET001", "stages[S-ERP].budget[1]", "S-ERP")
    assert moved.key == finding("stages[2].budget[1]", 31, "S-ERP").key
    assert moved.key != finding("stages[3].budget[1]", 40, "S-CRM").key
    assert finding("stages[3].budget[1]", 40, None).key == ("BUDGET001", "stages[3].budget[1]", None)


def test_a_sarif_location_is_relative_to_the_files_own_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The nearest folder up holding ``.git`` is %SRCROOT%, wherever the command runs from."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "plans dir").mkdir()
    plan = repo / "plans dir" / "a+b.yaml"
    plan.write_text("cio_kit: 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert artifact_location(str(plan)) == {"uri": "plans%20dir/a%2Bb.yaml", "uriBaseId": "%SRCROOT%"}
    outside = tmp_path / "loose.yaml"
    outside.write_text("cio_kit: 1\n", encoding="utf-8")
    assert artifact_location(str(outside)) == {"uri": "loose.yaml", "uriBaseId": "%SRCROOT%"}  # the cwd


def test_a_count_of_days_is_singular_only_for_one_either_way() -> None:
    from cio_kit.findings import days

    assert [days(n) for n in (-2, -1, 0, 1, 2, 31)] == [
        "-2 days",
        "-1 day",
        "0 days",
        "1 day",
        "2 days",
        "31 days",
    ]

"""Where a finding points (SPEC §4): its path in the document, written as a reader would look it up."""

from __future__ import annotations

from cio_kit.findings import format_path


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

"""The row-per-line JSON writer: valid JSON, one row per line, plan text kept as written."""

from __future__ import annotations

import json

from cio_kit.render.jsondoc import dump, pretty


def test_dump_lays_rows_out_one_per_line_and_keeps_plan_text_unescaped() -> None:
    document = {
        "plan": "Zürich ERP — 第一期",
        "stages": [{"id": "s1", "name": "Café"}, {"id": "s2"}],
        "empty": [],
    }
    text = dump(document, rows=("stages",))
    assert json.loads(text) == document
    assert text == (
        "{\n"
        '  "plan": "Zürich ERP — 第一期",\n'
        '  "stages": [\n'
        '    {"id": "s1", "name": "Café"},\n'
        '    {"id": "s2"}\n'
        "  ],\n"
        '  "empty": []\n'
        "}\n"
    )


def test_pretty_indents_two_spaces_and_keeps_plan_text_unescaped() -> None:
    assert pretty({"title": "Ärger"}) == '{\n  "title": "Ärger"\n}\n'

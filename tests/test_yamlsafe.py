"""The event-level YAML reader: YAML 1.2 scalars, duplicates, positions and limits."""

from __future__ import annotations

import math

import pytest

from cio_kit.plan.yamlsafe import read_yaml, resolve_plain


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("False", False),
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("off", "off"),
        ("12:30", "12:30"),
        ("1_000", "1_000"),
        ("0755", 755),
        ("0o17", 15),
        ("0x1F", 31),
        ("-3", -3),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("2027-01-04", "2027-01-04"),
        ("~", None),
        ("null", None),
        ("", None),
        ("S-KICKOFF", "S-KICKOFF"),
        ("+", "+"),
    ],
)
def test_plain_scalars_follow_the_yaml_1_2_core_schema(text: str, value: object) -> None:
    resolved = resolve_plain(text)
    assert resolved == value
    assert type(resolved) is type(value)


def test_infinity_and_nan_are_floats_for_the_schema_to_refuse() -> None:
    assert resolve_plain(".inf") == math.inf
    assert resolve_plain("-.Inf") == -math.inf
    assert math.isnan(resolve_plain(".nan"))  # type: ignore[arg-type]


def test_quoted_scalars_stay_text() -> None:
    assert read_yaml("a: \"true\"\nb: '12'\n").data == {"a": "true", "b": "12"}


def test_duplicate_key_is_reported_at_the_second_key() -> None:
    document = read_yaml("a: 1\nb:\n  c: 1\n  c: 2\n")
    [problem] = document.problems
    assert problem.rule == "PLAN003"
    assert problem.mark == (3, 2)
    assert problem.path == ("b", "c")


def test_key_overriding_a_merged_key_is_not_a_duplicate() -> None:
    document = read_yaml("base: &b {x: 1, y: 2}\nthing:\n  <<: *b\n  y: 3\n")
    assert document.problems == []
    assert document.data == {"base": {"x": 1, "y": 2}, "thing": {"x": 1, "y": 3}}


def test_merge_list_earlier_mappings_win() -> None:
    document = read_yaml("a: &a {x: 1}\nb: &b {x: 2, z: 3}\nc:\n  <<: [*a, *b]\n")
    assert document.data["c"] == {"x": 1, "z": 3}  # type: ignore[index]


def test_two_merge_keys_in_one_mapping_are_a_duplicate() -> None:
    document = read_yaml("a: &a {x: 1}\nc:\n  <<: *a\n  <<: *a\n")
    assert [p.rule for p in document.problems] == ["PLAN003"]
    assert document.problems[0].mark == (3, 2)


def test_positions_point_at_keys_items_and_aliases() -> None:
    text = "a: &x {p: 1}\nb:\n  - one\n  - *x\n"
    document = read_yaml(text, positions=True)
    assert document.positions is not None
    assert document.positions[("a",)] == (0, 0)
    assert document.positions[("a", "p")] == (0, 7)
    assert document.positions[("b", 0)] == (2, 4)
    # A value reached through an alias is located at the alias.
    assert document.positions[("b", 1)] == (3, 4)
    assert ("b", 1, "p") not in document.positions


def test_custom_tags_are_refused_not_constructed() -> None:
    document = read_yaml("a: !!python/object/apply:os.system ['echo pwned']\n")
    assert [p.rule for p in document.problems] == ["PLAN002"]
    assert "!!python/object/apply:os.system" in document.problems[0].message


def test_core_tags_are_honoured() -> None:
    assert read_yaml("a: !!str 12\nb: !!float 1\n").data == {"a": "12", "b": 1.0}


def test_alias_bomb_is_refused() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        previous, name = chr(96 + level), chr(97 + level)
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    document = read_yaml("\n".join(lines))  # how fast: benchmarks/hostile.py
    assert [p.rule for p in document.problems] == ["PLAN007"]
    assert document.data is None


def test_modest_anchor_reuse_is_fine() -> None:
    text = "item: &i {amount: 1, class: run}\nlist: [" + ", ".join(["*i"] * 200) + "]\n"
    document = read_yaml(text)
    assert document.problems == []
    assert len(document.data["list"]) == 200  # type: ignore[index]


def test_recursive_alias_is_refused() -> None:
    document = read_yaml("a: &a [1, *a]\n")
    assert [p.rule for p in document.problems] == ["PLAN007"]


def test_undefined_alias_is_a_syntax_error() -> None:
    document = read_yaml("a: *nowhere\n")
    assert [(p.rule, p.mark) for p in document.problems] == [("PLAN001", (0, 3))]


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        "{a: " * 100_000 + "1" + "}" * 100_000,
        "".join(" " * i + "a:\n" for i in range(2_000)) + " " * 2_000 + "b\n",
        "- " * 10_000 + "x\n",
    ],
    ids=["flow-lists", "flow-maps", "block-maps", "block-lists"],
)
def test_deep_nesting_is_refused(text: str) -> None:
    document = read_yaml(text)  # how fast: benchmarks/hostile.py
    assert [p.rule for p in document.problems] == ["PLAN007"]


def test_sixty_four_levels_are_allowed() -> None:
    text = "[" * 64 + "]" * 64
    assert read_yaml(text).problems == []


def test_syntax_error_has_line_and_column() -> None:
    document = read_yaml("a: 1\nb: [1, 2\nc: 3\n")
    [problem] = document.problems
    assert problem.rule == "PLAN001"
    assert problem.mark[0] >= 1


def test_tab_indentation_gets_a_hint() -> None:
    document = read_yaml("a:\n\tb: 1\n")
    [problem] = document.problems
    assert problem.rule == "PLAN001"
    assert "tab" in problem.message


def test_second_document_is_refused() -> None:
    document = read_yaml("a: 1\n---\nb: 2\n")
    assert [(p.rule, p.mark) for p in document.problems] == [("PLAN002", (1, 0))]


def test_empty_and_comment_only_streams_hold_no_document() -> None:
    assert read_yaml("").present is False
    assert read_yaml("# only a comment\n").present is False
    assert read_yaml("~\n").present is True


def test_control_character_is_a_syntax_error() -> None:
    document = read_yaml('a: "x\x00"\n')
    assert [p.rule for p in document.problems] == ["PLAN001"]
    assert "#x0000" in document.problems[0].message


def test_complex_keys_are_refused() -> None:
    document = read_yaml("? [a, b]\n: 1\n")
    assert [p.rule for p in document.problems] == ["PLAN002"]

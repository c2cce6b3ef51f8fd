"""Loading files: encodings, limits, plan detection, and where findings point."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cio_kit.findings import Severity
from cio_kit.plan.loader import FileLimits, load_plan
from cio_kit.validate import NoPlanError, load_all, validate

from .conftest import MINIMAL


def rules_of(path: Path, **kwargs: object) -> list[tuple[str, int, int]]:
    loaded = load_plan(path, explicit=True, **kwargs)  # type: ignore[arg-type]
    return [(f.rule, f.line, f.column) for f in sorted(loaded.findings)]


def test_minimal_plan_loads(write_plan: Callable[..., Path]) -> None:
    loaded = load_plan(write_plan(), explicit=True)
    assert loaded.findings == []
    assert loaded.plan.enterprise.name == "Example Co"


def test_utf8_bom_is_accepted(write_plan: Callable[..., Path]) -> None:
    path = write_plan()
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert rules_of(path) == []


def test_utf16_is_plan001(write_plan: Callable[..., Path]) -> None:
    path = write_plan()
    path.write_bytes(MINIMAL.encode("utf-16"))
    assert rules_of(path) == [("PLAN001", 1, 1)]


def test_invalid_utf8_points_at_the_byte(write_plan: Callable[..., Path]) -> None:
    path = write_plan()
    path.write_bytes(MINIMAL.encode().replace(b"Example Co", b"Exa\xffmple"))
    assert rules_of(path) == [("PLAN001", 3, 12)]


def test_oversized_file_is_plan007(write_plan: Callable[..., Path]) -> None:
    path = write_plan(MINIMAL + "# " + "x" * 3000 + "\n")
    assert rules_of(path, limits=FileLimits(max_file_mib=0.001)) == [("PLAN007", 1, 1)]


def test_empty_explicit_file_is_plan006(write_plan: Callable[..., Path]) -> None:
    assert rules_of(write_plan("")) == [("PLAN006", 1, 1)]


def test_top_level_list_is_plan006(write_plan: Callable[..., Path]) -> None:
    loaded = load_plan(write_plan("- a\n- b\n"), explicit=True)
    assert [f.rule for f in loaded.findings] == ["PLAN006"]
    assert "list" in loaded.findings[0].message


def test_unsupported_version_is_plan006_at_the_key(write_plan: Callable[..., Path]) -> None:
    assert rules_of(write_plan(MINIMAL.replace("cio_kit: 1", "cio_kit: 2"))) == [("PLAN006", 1, 1)]
    assert rules_of(write_plan(MINIMAL.replace("cio_kit: 1", "cio_kit: '1'"))) == [("PLAN006", 1, 1)]


def test_directory_skips_non_plans_and_fails_lookalikes(write_plan: Callable[..., Path]) -> None:
    write_plan(name="plans/good.yaml")
    write_plan("name: docker\nservices: {}\n", name="plans/compose.yml")
    write_plan(MINIMAL.replace("cio_kit:", "cio-kit:"), name="plans/typo.yaml")
    write_plan("", name="plans/empty.yaml")
    write_plan(": : broken [\n", name="plans/broken-other.yaml")
    report = validate([Path("plans")])
    assert [r.file for r in report.plans] == ["plans/good.yaml", "plans/typo.yaml"]
    assert report.skipped == 3
    [error] = report.findings
    assert (error.rule, error.severity, error.file, error.line) == (
        "PLAN006",
        Severity.ERROR,
        "plans/typo.yaml",
        1,
    )


def test_broken_file_that_is_meant_as_a_plan_is_reported_from_a_directory(
    write_plan: Callable[..., Path],
) -> None:
    write_plan(MINIMAL + "  - [broken\n", name="plans/a.yaml")
    report = validate([Path("plans")])
    assert [f.rule for f in report.findings] == ["PLAN001"]


def test_no_plan_found_is_a_usage_error(write_plan: Callable[..., Path]) -> None:
    write_plan("name: docker\nservices: {}\n", name="plans/compose.yml")
    try:
        load_all([Path("plans")])
    except NoPlanError as error:
        assert [f.rule for entry in error.loaded for f in entry.findings] == []
    else:  # pragma: no cover
        raise AssertionError("expected NoPlanError")


def test_symlink_loop_does_not_hang(write_plan: Callable[..., Path], tmp_path: Path) -> None:
    write_plan(name="plans/good.yaml")
    (tmp_path / "plans" / "loop").symlink_to(tmp_path / "plans")
    report = validate([Path("plans")])  # returns at all: the loop is not followed
    assert [r.file for r in report.plans] == ["plans/good.yaml"]


def test_schema_errors_point_at_the_value(write_plan: Callable[..., Path]) -> None:
    text = MINIMAL.replace("duration_weeks: 2", "duration_weeks: two")
    loaded = load_plan(write_plan(text), explicit=True)
    [finding] = loaded.findings
    assert (finding.rule, finding.line, finding.column, finding.path, finding.subject) == (
        "PLAN002",
        9,
        5,
        "stages[0].duration_weeks",
        "S-A",
    )


def test_missing_required_key_points_at_its_parent(write_plan: Callable[..., Path]) -> None:
    loaded = load_plan(write_plan(MINIMAL.replace("    title: Kickoff\n", "")), explicit=True)
    [finding] = loaded.findings
    assert (finding.line, finding.column, finding.path) == (6, 5, "stages[0].title")
    assert "title" in finding.message


def test_unknown_key_suggests_the_right_one(write_plan: Callable[..., Path]) -> None:
    loaded = load_plan(write_plan(MINIMAL + "    dependson: []\n"), explicit=True)
    [finding] = loaded.findings
    assert "did you mean 'depends_on'" in finding.message
    assert (finding.line, finding.column) == (12, 5)


def test_year_keys_render_as_mapping_keys(write_plan: Callable[..., Path]) -> None:
    loaded = load_plan(write_plan(MINIMAL + "budget:\n  years: {2027: -5}\n"), explicit=True)
    [finding] = loaded.findings
    assert finding.path == "budget.years.2027"
    assert (finding.line, finding.column) == (13, 11)


def test_finding_inside_an_alias_points_at_the_alias(write_plan: Callable[..., Path]) -> None:
    text = MINIMAL + "    budget:\n      - &item {amount: -1, class: run, category: other}\n      - *item\n"
    loaded = load_plan(write_plan(text), explicit=True)
    assert sorted((f.line, f.column) for f in loaded.findings) == [(13, 16), (14, 9)]


def test_a_budget_year_key_that_is_not_a_year_blames_the_key(write_plan: Callable[..., Path]) -> None:
    path = write_plan(
        "cio_kit: 1\nenterprise: {name: T, plan_start: 2027-01-04}\nbudget:\n  years: {2027: 5, FY2028: 6}\n"
    )
    [finding] = load_plan(path, explicit=True).findings
    assert (finding.rule, finding.line, finding.column) == ("PLAN002", 4, 20)
    assert "key 'FY2028'" in finding.message and "not a fiscal year" in finding.message


def test_a_duplicate_number_key_is_plan003(write_plan: Callable[..., Path]) -> None:
    """`years: {2027: 1, 2027: 2}` repeats a key as surely as two text keys do."""
    path = write_plan(
        "cio_kit: 1\nenterprise: {name: T, plan_start: 2027-01-04}\nbudget:\n  years: {2027: 1, 2027: 2}\n"
    )
    findings = load_plan(path, explicit=True).findings
    assert [(f.rule, f.line, f.column) for f in findings] == [("PLAN003", 4, 20)]  # at the second 2027


@pytest.mark.parametrize(
    ("key", "counts"),
    [
        ("cio-kit", True),  # punctuation: the letters spell cio_kit
        ("C-I-O-K-I-T", True),  # far from cio_kit as text, but the same letters
        ("cio_kti", True),  # transposed letters, close as text
        ("cio_ki__", True),  # exactly 80% alike: 6 of 7 letters matched, as long as 8
        ("cio", False),  # too short to be a typo of the marker
        ("kit_cio", False),
        ("risk", False),
    ],
)
def test_a_key_like_the_marker_in_a_plan_looking_file_fails_as_a_plan(
    write_plan: Callable[..., Path], key: str, counts: bool
) -> None:
    write_plan(MINIMAL.replace("cio_kit:", f"{key}:"), name="plans/typo.yaml")
    write_plan(name="plans/good.yaml")
    report = validate([Path("plans")])
    assert [r.file for r in report.plans] == ["plans/good.yaml", "plans/typo.yaml"][: 1 + counts]
    messages = [f.message for f in report.findings if f.rule == "PLAN006"]
    assert messages == (
        [f"this file looks like a plan but has '{key}' instead of 'cio_kit', so none of it was checked; "
         "rename the key to cio_kit"] if counts else []
    )  # fmt: skip


@pytest.mark.parametrize(
    "keys", ["{cio-kit: 1, services: {}}", "{cio-kit: 1, stages: []}", "{cio-kit: 1, enterprise: {}}"]
)
def test_a_marker_typo_counts_only_beside_a_plan_key(write_plan: Callable[..., Path], keys: str) -> None:
    write_plan(keys + "\n", name="plans/other.yaml")
    write_plan(name="plans/good.yaml")
    report = validate([Path("plans")])
    assert len(report.plans) == (1 if "services" in keys else 2)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("- a\n- b\n", "its top level is a list, not a mapping"),
        ("just words\n", "its top level is a single value, not a mapping"),
        ("name: x\n", "its top-level mapping has no cio_kit key"),
        ("", "the file is empty"),
    ],
)
def test_a_named_file_that_is_not_a_plan_says_why(
    write_plan: Callable[..., Path], text: str, why: str
) -> None:
    loaded = load_plan(write_plan(text), explicit=True)
    [finding] = loaded.findings
    assert (finding.rule, finding.line, finding.column, finding.path) == ("PLAN006", 1, 1, "")
    assert finding.message == f"not a cio-kit plan: {why}; a plan starts with 'cio_kit: 1'"


def test_bytes_from_history_must_be_a_plan() -> None:
    """An old version read with git show is named by the user: not a plan is an error, not a skip."""
    from cio_kit.plan.loader import load_bytes

    loaded = load_bytes(b"name: docker\n", "HEAD~1:plans/x.yaml")
    assert not loaded.skipped
    assert [f.rule for f in loaded.findings] == ["PLAN006"]
    assert load_bytes(MINIMAL.encode(), "HEAD~1:plans/x.yaml").plan is not None


def test_a_plan_with_findings_is_read_once(
    write_plan: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The read records where each element is written, so placing findings needs no second read.
    import cio_kit.plan.loader as loader

    reads: list[str] = []
    real = loader.read_yaml

    def counted(text: str, **options: object) -> object:
        reads.append(text)
        return real(text, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "read_yaml", counted)
    path = write_plan(MINIMAL.replace("cio_kit: 1", "cio_kit: 1\nsurprise: 1"))
    (finding,) = validate([path]).findings
    assert (finding.rule, finding.line) == ("PLAN002", 2)  # an unknown key
    assert len(reads) == 1


def test_a_checked_plan_leaves_few_reference_cycles_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    # check_file freezes a large plan's objects out of the collector (which would otherwise scan
    # them again and again); that is only sound while a load leaves next to no cyclic garbage that
    # freezing would keep alive. Frozen here whatever the plan's size.
    import gc

    import cio_kit.validate
    from cio_kit.validate import check_file

    from .conftest import ROOT

    monkeypatch.setattr(cio_kit.validate, "FREEZE_OVER", -1)
    gc.unfreeze()  # what earlier loads in this process left behind is not this load's
    gc.collect()
    loaded = check_file(ROOT / "plans" / "hengda-group.yaml", True)
    assert loaded.findings
    frozen = gc.get_freeze_count()
    gc.unfreeze()
    del loaded
    assert frozen > 10_000  # the plan's objects were frozen
    assert gc.collect() < 1000  # and hardly any of them were garbage


def test_a_small_plan_is_not_frozen() -> None:
    import gc

    from cio_kit.validate import check_file

    from .conftest import ROOT

    gc.unfreeze()
    check_file(ROOT / "plans" / "hengda-group.yaml", True)
    assert gc.get_freeze_count() == 0

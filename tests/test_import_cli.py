"""``cio-kit import`` as a user meets it (SPEC §14): what goes to stdout, to the file and to stderr,
with which exit code, word for word. The readers' figures are checked in test_real_data and
test_export; here, the command around them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

NOTE = "t.csv: note: no currency given; the plan is in USD, the default (--currency)"
TABLE = "id,title,kind,duration_weeks,start\nS-A,A,training,2,2027-01-04\nS-B,B,training,1,\n"


@pytest.fixture
def here(write_plan: Callable[..., Path]) -> Path:
    """The current folder, a temporary one."""
    return write_plan().parent


def _table(text: str, name: str = "t.csv") -> str:
    Path(name).write_text(text, encoding="utf-8")
    return name


def test_a_table_becomes_a_plan_on_stdout_headed_with_its_source(cli: Any, here: Path) -> None:
    result = cli("import", "csv", _table(TABLE))
    assert result.exit_code == 0
    assert result.stdout.startswith("# Imported by cio-kit import from t.csv\ncio_kit: 1\n")
    assert yaml.safe_load(result.stdout)["enterprise"] == {"name": "t", "plan_start": dt.date(2027, 1, 4)}
    assert result.stderr.splitlines() == [
        "t.csv:1:5: left out: 'start' follows from the plan; not imported",
        NOTE,
    ]


def test_with_output_the_plan_goes_to_the_file_and_stdout_stays_empty(cli: Any, here: Path) -> None:
    result = cli(
        "import", "csv", _table(TABLE), "-o", "plan-out.yaml", "--currency", "EUR", "--name", "Plant"
    )
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr.splitlines() == [
        "t.csv:1:5: left out: 'start' follows from the plan; not imported",
        "cio-kit: wrote plan-out.yaml (2 stages)",
    ]
    written = yaml.safe_load(Path("plan-out.yaml").read_text(encoding="utf-8"))
    assert written["enterprise"]["name"] == "Plant" and written["enterprise"]["currency"] == "EUR"
    assert [stage["id"] for stage in written["stages"]] == ["S-A", "S-B"]


def test_a_plan_start_given_is_day_zero(cli: Any, here: Path) -> None:
    result = cli("import", "csv", _table(TABLE), "--plan-start", "2026-12-28")
    assert str(yaml.safe_load(result.stdout)["enterprise"]["plan_start"]) == "2026-12-28"


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--decimal", ";"], "--decimal ';': write . or ,"),
        (["--currency", "euro"], "--currency 'euro': an ISO 4217 code of three capital letters, e.g. EUR"),
        (["--plan-start", "4 Jan 2027"], "--plan-start '4 Jan 2027': write a date as YYYY-MM-DD"),
    ],
)
def test_an_option_that_cannot_be_read_is_a_usage_error(
    cli: Any, here: Path, option: list[str], message: str
) -> None:
    result = cli("import", "csv", _table(TABLE), *option)
    assert (result.exit_code, result.stdout) == (2, "")
    assert message in result.stderr


@pytest.mark.parametrize(
    ("kind", "name", "content", "said"),
    [
        ("xlsx", "t.xlsx", b"not a zip", "t.xlsx: not a readable xlsx file (UnreadableWorkbook: "),
        ("csv", "t.csv", b"\xff\xfe\x00bad", "t.csv: not a readable csv file (UnicodeDecodeError: "),
        ("csv", "missing.csv", None, "missing.csv: "),
    ],
)
def test_a_file_that_cannot_be_read_is_a_usage_error(
    cli: Any, here: Path, kind: str, name: str, content: bytes | None, said: str
) -> None:
    if content is not None:
        Path(name).write_bytes(content)
    result = cli("import", kind, name)
    assert (result.exit_code, result.stdout) == (2, "")
    assert said in result.stderr


def test_cells_that_cannot_be_read_are_each_named_by_row_and_column_and_nothing_is_written(
    cli: Any, here: Path
) -> None:
    table = (
        "id,title,kind,duration_weeks,colour\nS-A,A,training,2,red\nS-A,B,training,x,blue\nS-C,,training,1,\n"
    )
    result = cli("import", "csv", _table(table), "-o", "plan-out.yaml")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        "t.csv:1:5: left out: 'colour' is not a stage field; the column is left out",
        "t.csv:3:4: error: duration_weeks: 'x' is not a number",
        "t.csv:3:1: error: id S-A is already the stage of row 2",
        "t.csv:4: error: title: Field required",
        "cio-kit: nothing written; fix the cells named above",
    ]
    assert not Path("plan-out.yaml").exists()


@pytest.mark.parametrize(
    ("depends", "finding"),
    [
        (
            ("S-B", "S-A"),
            "t.csv: DEP001 dependency cycle: S-A → S-B → S-A (each depends on the next); no stage in it can "
            "ever start — remove one of these dependencies",
        ),
        (
            ("S-X", ""),
            "t.csv: PLAN005 S-A refers to stage S-X, which is not defined in this plan; did you mean S-B?",
        ),
    ],
)
def test_a_table_that_does_not_make_a_plan_that_loads_writes_nothing(
    cli: Any, here: Path, depends: tuple[str, str], finding: str
) -> None:
    table = (
        "id,title,kind,duration_weeks,depends_on\n"
        f"S-A,A,training,2,{depends[0]}\nS-B,B,training,2,{depends[1]}\n"
    )
    result = cli("import", "csv", _table(table), "-o", "plan-out.yaml")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        NOTE,
        finding,
        "cio-kit: the table does not make a plan that loads; nothing written",
    ]
    assert not Path("plan-out.yaml").exists()


def test_imported_text_never_begins_a_workflow_command_line(cli: Any, here: Path) -> None:
    """A title ``::error::…`` would be a GitHub Actions command in any log that prints the plan."""
    table = 'id,title,kind,duration_weeks,objective\nS-A,"::error::A",training,2,"x\n::warning::y"\n'
    result = cli("import", "csv", _table(table))
    assert result.exit_code == 0
    assert not any(line.lstrip().startswith("::") for line in result.stdout.splitlines())
    stage = yaml.safe_load(result.stdout)["stages"][0]
    assert stage["title"].endswith("::error::A") and stage["title"] != "::error::A"
    assert stage["objective"].split("\n")[0] == "x" and stage["objective"].endswith("::warning::y")


def test_a_file_name_with_a_line_break_stays_on_the_header_line(cli: Any, here: Path) -> None:
    name = _table(TABLE, "two\nlines.csv")
    result = cli("import", "csv", name)
    assert result.stdout.splitlines()[0] == "# Imported by cio-kit import from two\\nlines.csv"
    assert result.stdout.splitlines()[1] == "cio_kit: 1"


def _project(header: str) -> None:
    """p.xml: a Microsoft Project file of one two-week task under ``header``."""
    Path("p.xml").write_text(
        f'<Project xmlns="http://schemas.microsoft.com/project">{header}'
        "<Tasks><Task><UID>1</UID><ID>1</ID><Name>Build</Name><WBS>S-A</WBS><Duration>PT80H0M0S</Duration>"
        "</Task></Tasks></Project>",
        encoding="utf-8",
    )


def test_a_project_file_takes_the_currency_given(cli: Any, here: Path) -> None:
    _project("<StartDate>2027-01-04T08:00:00</StartDate>")
    result = cli("import", "mspdi", "p.xml", "--currency", "CNY")
    assert result.exit_code == 0
    assert yaml.safe_load(result.stdout)["enterprise"]["currency"] == "CNY"
    assert "note: no currency given" not in result.stderr
    plain = cli("import", "mspdi", "p.xml")
    assert "p.xml: note: no currency given; the plan is in USD, the default (--currency)" in plain.stderr


def test_decimal_commas_are_detected_with_a_semicolon_delimiter_or_told(cli: Any, here: Path) -> None:
    table = "id;title;kind;duration_weeks\nS-A;A;training;2,5\n"
    detected = cli("import", "csv", _table(table))
    assert detected.exit_code == 0 and yaml.safe_load(detected.stdout)["stages"][0]["duration_weeks"] == 2.5
    # Told the decimal is a point, "2,5" is no number: a thousands comma stands between groups of three.
    told = cli("import", "csv", _table(table), "--decimal", ".")
    assert told.exit_code == 1 and "t.csv:2:4: error: duration_weeks: '2,5' is not a number" in told.stderr


@pytest.mark.parametrize(
    ("cell", "decimal", "number"),
    [
        ("1,5", None, 1.5),
        ("1.234,5", None, 1234.5),  # European Excel
        ("1,234.5", None, 1234.5),
        ("-1,234,567.25", ".", -1234567.25),
        ("1.234.567,5", ",", 1234567.5),
        ("1 234,5", None, 1234.5),  # a space, or a no-break space, groups digits
        ("1\u00a0234", ",", 1234.0),
        ("1,500", ",", 1.5),
        ("1,500", ".", 1500.0),
        ("1.500", ".", 1.5),
        (".5", None, 0.5),
        ("1e3", None, 1000.0),
        (7, None, 7.0),
    ],
)
def test_a_tables_number_reads_as_its_separators_say(
    cell: object, decimal: str | None, number: float
) -> None:
    from cio_kit.interchange.rows import _number

    assert _number(cell, decimal) == number


@pytest.mark.parametrize(
    ("cell", "decimal"),
    [
        ("2,5", "."),  # a thousands comma stands between groups of three: not 25
        ("12,34.5", None),
        ("1.5,3", "."),  # nor after the decimal point: not 1.53
        ("1,5.3", ","),
        ("1,500", None),  # one and a half, or fifteen hundred: the user says which
        ("1.500", None),
        ("nan", None),
        ("inf", None),
        (True, None),
    ],
)
def test_a_cell_that_is_not_one_number_is_refused(cell: object, decimal: str | None) -> None:
    from cio_kit.interchange.rows import _number

    with pytest.raises(ValueError):
        _number(cell, decimal)


def test_a_project_file_takes_the_name_given(cli: Any, here: Path) -> None:
    _project("<Name>From Project</Name>")
    assert yaml.safe_load(cli("import", "mspdi", "p.xml").stdout)["enterprise"]["name"] == "From Project"
    named = cli("import", "mspdi", "p.xml", "--name", "Plant Two")
    assert yaml.safe_load(named.stdout)["enterprise"]["name"] == "Plant Two"


def test_a_project_file_that_is_not_xml_is_named_with_a_currency_given_too(cli: Any, here: Path) -> None:
    Path("p.xml").write_text("id,title\n", encoding="utf-8")
    result = cli("import", "mspdi", "p.xml", "--currency", "EUR")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        "p.xml:1:1: error: not well-formed XML: syntax error: line 1, column 0",
        "cio-kit: nothing written; fix the cells named above",
    ]


def test_the_output_may_not_be_the_table_read(cli: Any, here: Path) -> None:
    result = cli("import", "csv", _table(TABLE), "-o", "t.csv")
    assert result.exit_code == 2
    assert result.stderr == "cio-kit: t.csv: is an input of this command; writing it would destroy it\n"
    assert Path("t.csv").read_text(encoding="utf-8") == TABLE


def test_a_table_over_ten_mib_is_refused_unread(cli: Any, here: Path) -> None:
    Path("t.csv").write_bytes(TABLE.encode() + b"#" * (10 * 1024 * 1024 - len(TABLE) + 1))
    result = cli("import", "csv", "t.csv")
    assert result.exit_code == 2
    assert result.stderr.startswith("cio-kit: t.csv: larger than 10 MiB")


def test_what_a_table_cannot_carry_is_said_of_the_whole_file(cli: Any, here: Path) -> None:
    """Effort names its resources, each of capacity 1: said once, of the file, not of a row."""
    table = "id,title,kind,duration_weeks,effort\nS-A,A,training,2,R-ERP: 10\n"
    result = cli("import", "csv", _table(table), "--currency", "EUR", "--plan-start", "2027-01-04")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "t.csv: left out: resources come in with capacity 1; a table does not carry capacity"
    ]
    assert yaml.safe_load(result.stdout)["resources"] == [{"id": "R-ERP"}]


def test_a_comma_table_reads_a_quoted_comma_as_a_thousands_separator(cli: Any, here: Path) -> None:
    """In a comma-delimited table decimals are written with a point, so "1,500" is fifteen hundred;
    in a semicolon table it could be either, and is refused (test_real_data)."""
    table = 'id,title,kind,duration_weeks,actual_cost\nS-A,A,training,2,"1,500"\n'
    result = cli("import", "csv", _table(table))
    assert result.exit_code == 0 and yaml.safe_load(result.stdout)["stages"][0]["actual_cost"] == 1500


def test_imported_text_is_written_as_it_reads_each_scalar_on_one_line(cli: Any, here: Path) -> None:
    """Chinese stays Chinese (not \\u escapes), and a long title is not folded over lines: a line of
    the plan never starts inside imported text."""
    title = "财务共享中心上线 " + "and a title far longer than any terminal's eighty columns " * 3
    table = f"id,title,kind,duration_weeks\nS-A,{title},training,2\n"
    result = cli("import", "csv", _table(table))
    assert result.exit_code == 0
    assert f"  title: {title.strip()}\n" in result.stdout


def test_the_plan_written_keeps_the_tables_order_of_fields(cli: Any, here: Path) -> None:
    """The plan reads as the table did: a stage's fields in the order of the table's columns."""
    table = "id,title,kind,duration_weeks,owner\nS-A,Kick-off,training,2,PMO\n"
    result = cli("import", "csv", _table(table), "--currency", "EUR", "--plan-start", "2027-01-04")
    assert result.stdout == (
        "# Imported by cio-kit import from t.csv\n"
        "cio_kit: 1\n"
        "enterprise:\n  name: t\n  currency: EUR\n  plan_start: 2027-01-04\n"
        "stages:\n- id: S-A\n  title: Kick-off\n  kind: training\n  duration_weeks: 2.0\n  owner: PMO\n"
    )

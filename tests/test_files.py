"""Reading an input file: regular files only, never past a limit, never a hang (SPEC §3, §15)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cio_kit.plan.files import UnreadableFile, read_input, read_regular, read_side_file, read_text

MIB = 1024 * 1024


def test_a_regular_file_is_read_up_to_the_size_asked(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"0123456789")
    assert read_regular(path, 4) == b"0123"
    assert read_regular(path, 10) == read_regular(path, 11) == b"0123456789"
    # Over a megabyte it is read in pieces; every byte comes back once, in order.
    big = bytes(range(256)) * (3 * MIB // 256 + 7)
    path.write_bytes(big)
    assert read_regular(path, len(big) + 1) == big
    assert read_regular(path, MIB + 5) == big[: MIB + 5]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    import signal

    def hung(*_: object) -> None:
        raise TimeoutError("opening a pipe with no writer waited for one")

    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(3)  # a blocking open would wait forever: fail in 3 s instead
    try:
        assert read_regular(fifo, 100) is None
        with pytest.raises(UnreadableFile) as refused:
            read_input(fifo, 100)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert str(refused.value) == "not a regular file (a pipe, a device or a terminal); name a file"


def test_a_limit_reads_in_the_mebibytes_that_were_configured() -> None:
    """A configured 0.01 MiB is 10,485 bytes once whole: said as 0.01, as the configuration has it;
    1.234567 MiB is 1,294,537 bytes; 300 bytes take nine decimals (0.0002861 MiB is 299.9976)."""
    from cio_kit.plan.files import mebibytes

    assert [mebibytes(n) for n in (10_485, 10 * MIB, MIB // 2, 1_294_537, 1000 * MIB, 300)] == [
        "0.01",
        "10",
        "0.5",
        "1.234567",
        "1000",
        "0.000286102",
    ]


def test_a_file_at_the_limit_is_read_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"x" * MIB)
    assert len(read_input(path, MIB)) == MIB
    path.write_bytes(b"x" * (MIB + 1))
    with pytest.raises(UnreadableFile) as refused:
        read_input(path, MIB)
    assert str(refused.value) == "larger than 1 MiB; it is not an input cio-kit reads"
    with pytest.raises(UnreadableFile) as missing:
        read_input(tmp_path / "absent.yaml", MIB)
    assert str(missing.value) == "cannot read: No such file or directory"


def test_text_is_utf8_without_its_bom(tmp_path: Path) -> None:
    path = tmp_path / "cio-kit.yaml"
    path.write_bytes("\ufeffname: Zürich\n".encode())
    assert read_text(path) == "name: Zürich\n"
    path.write_bytes(b"ab\xffcd")
    with pytest.raises(UnreadableFile) as refused:
        read_text(path)
    assert str(refused.value) == "not UTF-8 text (byte 2)"
    path.write_bytes(b"a" * 11)
    with pytest.raises(UnreadableFile, match="larger than"):
        read_text(path, limit=10)


def test_a_side_file_names_itself_and_its_first_problem(tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text("name: cut\nchanges: [\n", encoding="utf-8")
    with pytest.raises(UnreadableFile) as broken:
        read_side_file(path, "scenarios/cut.yaml")
    assert str(broken.value).startswith("scenarios/cut.yaml:3:1: ")  # 1-based line and column
    with pytest.raises(UnreadableFile) as missing:
        read_side_file(tmp_path / "gone.yaml", "gone.yaml", reading="cannot read the scenario: ")
    assert str(missing.value) == "gone.yaml: cannot read the scenario: cannot read: No such file or directory"
    with pytest.raises(UnreadableFile) as plain:
        read_side_file(tmp_path / "gone.yaml", "gone.yaml")
    assert str(plain.value) == "gone.yaml: cannot read: No such file or directory"
    path.write_text("name: cut\nchanges: []\n", encoding="utf-8")
    document = read_side_file(path, "cut.yaml", positions=True)
    assert document.data == {"name": "cut", "changes": []}
    assert document.positions is not None
    assert read_side_file(path, "cut.yaml").positions is None

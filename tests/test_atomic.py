"""Writing an output: in one step, through a device or pipe, and a clear exit 2 where it cannot be done."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
import typer

from cio_kit.cli.atomic import write_atomic


def _refused(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(typer.Exit) as raised:
        write_atomic(path, "data")
    assert raised.value.exit_code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


def test_text_is_written_as_utf8_under_a_bare_name_with_nothing_left_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_atomic(Path("report.txt"), "Société Générale — 恒达\n")
    assert Path("report.txt").read_bytes() == "Société Générale — 恒达\n".encode()
    write_atomic(Path("deeper/still/report.bin"), b"\x00\xff")  # missing folders are made
    assert Path("deeper/still/report.bin").read_bytes() == b"\x00\xff"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deeper", "report.txt"]


def test_a_new_file_follows_the_umask_and_a_replaced_one_keeps_its_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.json", "{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640
    kept = tmp_path / "kept.json"
    kept.write_text("old")
    kept.chmod(0o604)
    write_atomic(kept, "new")
    assert kept.read_text() == "new" and stat.S_IMODE(kept.stat().st_mode) == 0o604


def test_a_folder_is_named_and_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "out").mkdir()
    err = _refused(tmp_path / "out", capsys)
    assert err == f"cio-kit: cannot write {tmp_path / 'out'}: is a folder; name a file to write\n"


def test_a_path_through_a_file_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("plan.yaml").write_text("cio_kit: 1\n")
    reason = "a part of this path is a file, not a folder"
    for name in ("plan.yaml/out.json", "plan.yaml/x/out.json"):
        assert _refused(Path(name), capsys) == f"cio-kit: cannot write {name}: {reason}\n"


def test_a_control_character_in_the_name_is_shown_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("plan.yaml").write_text("cio_kit: 1\n")
    err = _refused(Path("plan.yaml/\x1b[31mred"), capsys)
    assert (
        err == "cio-kit: cannot write plan.yaml/\\x1b[31mred: a part of this path is a file, not a folder\n"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_is_written_through_and_stays_a_pipe(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_atomic(fifo, "BEGIN:VCALENDAR\n")
    reader.join(timeout=10)
    assert received == [b"BEGIN:VCALENDAR\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_the_temporary_file_is_hidden_beside_the_target_so_the_rename_is_atomic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renamed: list[tuple[str, str]] = []
    real_replace = os.replace

    def replace(source: str, target: str) -> None:
        renamed.append((str(source), str(target)))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    write_atomic(tmp_path / "out" / "report.json", "{}")
    [(source, target)] = renamed
    assert Path(source).parent == tmp_path / "out" and target == str(tmp_path / "out" / "report.json")
    assert Path(source).name.startswith(".report.json.") and source.endswith(".tmp")


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.json"
    target.write_text("old")

    def interrupted(source: str, destination: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new")
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_an_interrupt_just_after_the_rename_is_the_interrupt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The temporary file is already the target then: nothing is left to remove, and Ctrl-C says so."""
    real_replace = os.replace

    def renamed_then_interrupted(source: str, destination: str) -> None:
        real_replace(source, destination)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", renamed_then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "report.json", "new")
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]

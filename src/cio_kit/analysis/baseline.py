"""Baselines: an earlier version of the same plan, from a git ref or a file (SPEC §10).

A value naming an existing file is a file; anything else is a git ref, and
the baseline is the plan file as it was at that ref (as ``plan diff --git``
reads it). The baseline goes through the loader's blocking checks only: a
baseline is history, and its lesson findings are not ours to report.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cio_kit.analysis.schedule import Schedule
from cio_kit.plan.files import UnreadableFile, mebibytes, read_input
from cio_kit.plan.loader import FileLimits, load_bytes
from cio_kit.plan.model import Plan


class BaselineError(Exception):
    """The baseline cannot be read; the message names the ref or file and the plan path."""


@dataclass(frozen=True)
class Baseline:
    """A loaded baseline plan."""

    plan: Plan
    """The plan as baselined."""
    label: str
    """Where it came from: the ref or the file, as given."""


#: Settings that could make a reading git run a program, switched off for every call: cio-kit reads
#: history, and a plan repository's own configuration is not ours to execute (SPEC §17).
_SAFE_GIT = ("git", "--no-pager", "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null")


def run_git(args: list[str], cwd: Path | str, stdin: bytes | None = None) -> bytes:
    """Run a reading git command and give its stdout; CalledProcessError / FileNotFoundError as git's.

    No pager, no hooks, no file-system monitor, no prompt, no optional locks
    (reading never writes the index), no system configuration.
    """
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(
        [*_SAFE_GIT, *args], cwd=cwd, input=stdin, capture_output=True, check=True, env=env
    ).stdout


def git_top(near: Path) -> Path:
    """The top folder of the git work tree holding ``near`` (CalledProcessError outside one)."""
    return Path(run_git(["rev-parse", "--show-toplevel"], near).decode().strip()).resolve()


def _said(error: subprocess.CalledProcessError) -> str:
    """The last line git wrote on stderr (run_git captures it as bytes, which may not be UTF-8)."""
    lines = error.stderr.decode(errors="replace").strip().splitlines()
    return lines[-1] if lines else "failed"


def checked_ref(ref: str) -> str:
    """A ref that git cannot read as an option: ``--output=x`` would make git write a file."""
    if not ref or ref.startswith("-") or any(ord(char) < 32 for char in ref):
        raise BaselineError(f"{ref!r} is not a git revision")
    return ref


def git_show(ref: str, path: Path, limit: int | None = None) -> bytes:
    """The content of ``path`` at git revision ``ref``; BaselineError when git cannot give it.

    The blob's size is asked first (``git cat-file -s``): a 1.5 GB blob at the
    ref is refused, like a file on disk over the plan size limit, unread.
    """
    limit = limit if limit is not None else int(FileLimits().max_file_mib * 1024 * 1024)
    ref = checked_ref(ref)
    absolute = path.resolve()
    try:
        top = git_top(absolute.parent)
        relative = absolute.relative_to(top).as_posix()
        size = run_git(["cat-file", "-s", "--end-of-options", f"{ref}:{relative}"], top)
        if int(size) > limit:  # git prints the size and a newline; int() reads past the newline
            raise BaselineError(
                f"{path} at {ref} is larger than {mebibytes(limit)} MiB; it is not a plan cio-kit reads"
            )
        return run_git(["show", "--end-of-options", f"{ref}:{relative}"], top)
    except FileNotFoundError:
        raise BaselineError("git is not installed") from None
    except subprocess.CalledProcessError as error:
        raise BaselineError(f"git cannot show {path} at {ref}: {_said(error)}") from None
    except ValueError:
        raise BaselineError(f"{path} is not inside a git repository") from None


def read_baseline(spec: str, plan_file: Path, limits: FileLimits | None = None) -> Baseline:
    """The baseline named by ``spec`` (a file, else a git ref) for the plan at ``plan_file``.

    Read as bytes and parsed by the loader alone: a baseline is history, so no rule runs on it.
    """
    candidate = Path(spec)
    if candidate.is_file():
        try:
            raw = read_input(candidate, int((limits or FileLimits()).max_file_mib * 1024 * 1024))
        except UnreadableFile as error:
            raise BaselineError(f"the baseline file {spec}: {error}") from None
        origin = spec
    else:
        raw = git_show(spec, plan_file, int((limits or FileLimits()).max_file_mib * 1024 * 1024))
        origin = f"{spec}:{plan_file.as_posix()}"
    loaded = load_bytes(raw, origin, limits=limits or FileLimits(), explicit=True)
    if loaded.blocked or loaded.plan is None:
        first = next((f for f in loaded.findings if f.blocking), None)
        why = f"{first.rule} {first.message}" if first else "it is not a plan"
        raise BaselineError(f"the baseline {origin} cannot be used: {why}")
    return Baseline(loaded.plan, spec)


@dataclass(frozen=True)
class Variance:
    """How one stage's dates moved against the baseline (positive: later than the baseline)."""

    baseline_start: dt.date | None
    """The first day in the baseline."""
    baseline_last_day: dt.date | None
    """The last day in the baseline."""
    start_variance_days: int | None
    """Days the start moved (None without dates)."""
    finish_variance_days: int | None
    """Days the last day moved (None without dates)."""


def variances(schedule: Schedule, baseline: Schedule) -> dict[str, Variance]:
    """Each stage both schedules hold (the baseline not cancelling it): its dates against the baseline."""
    before = {timing.id: timing for timing in baseline.timings if not timing.cancelled}
    found: dict[str, Variance] = {}
    for timing in schedule.timings:
        old = before.get(timing.id)
        if old is None:
            continue
        start, last = baseline.date(old.earliest_start), baseline.last_day(old)
        now_start, now_last = schedule.date(timing.earliest_start), schedule.last_day(timing)
        found[timing.id] = Variance(
            start,
            last,
            (now_start - start).days if now_start and start else None,
            (now_last - last).days if now_last and last else None,
        )
    return found


def git_files(ref: str, folder: Path) -> list[Path]:
    """The YAML files under ``folder`` at git revision ``ref``, as paths like the working tree's.

    An empty list when the folder did not exist at ``ref``; BaselineError when git cannot answer.
    """
    ref = checked_ref(ref)
    anchor = folder.resolve()
    probe = anchor if anchor.is_dir() else anchor.parent
    while not probe.exists():
        probe = probe.parent
    try:
        top = git_top(probe)
        relative = anchor.relative_to(top).as_posix()  # "." for the top itself
        listed = run_git(  # -z: names as they are, not quoted (a Chinese file name stays one)
            ["ls-tree", "-r", "-z", "--name-only", "--end-of-options", ref, relative], top
        ).decode("utf-8", errors="surrogateescape")
    except FileNotFoundError:
        raise BaselineError("git is not installed") from None
    except subprocess.CalledProcessError as error:
        raise BaselineError(f"git cannot list {folder} at {ref}: {_said(error)}") from None
    except ValueError:
        raise BaselineError(f"{folder} is not inside a git repository") from None
    found = []
    for name in listed.split("\0"):
        if name.endswith((".yaml", ".yml")) and not any(part.startswith(".") for part in name.split("/")):
            found.append(Path(os.path.relpath(top / name)))
    return found


def git_blobs(ref: str, paths: list[Path], limit: int) -> dict[Path, bytes | None]:
    """The content of each of ``paths`` at ``ref``, read by two git processes whatever their number.

    A blob over the limit, or missing, is None.
    """
    if not paths:
        return {}
    ref = checked_ref(ref)
    anchor = paths[0].resolve().parent
    try:
        top = git_top(anchor)
        specs = [f"{ref}:{path.resolve().relative_to(top).as_posix()}" for path in paths]
        contents = blobs(top, specs, limit)
    except FileNotFoundError:
        raise BaselineError("git is not installed") from None
    except subprocess.CalledProcessError as error:
        raise BaselineError(f"git cannot read the files at {ref}: {_said(error)}") from None
    except ValueError:
        raise BaselineError(f"{anchor} is not inside a git repository") from None
    return dict(zip(paths, contents, strict=True))


def blobs(top: Path, specs: list[str], limit: int) -> list[bytes | None]:
    """The content of each ``REV:PATH`` in ``specs``: None when missing or over ``limit`` bytes.

    ``git cat-file --batch-check`` gives every blob's size first; only those
    within ``limit`` are read, by one ``git cat-file --batch`` (3,000 files
    used to cost 6,000 processes).
    """
    # A name the file system holds in another encoding than UTF-8 goes back to git as its own bytes.
    asked = [os.fsencode(f"{spec}\n") for spec in specs]
    checked = run_git(["cat-file", "--batch-check"], top, b"".join(asked))
    wanted = [
        number
        for number, line in enumerate(checked.decode(errors="replace").splitlines())
        if line.endswith(tuple("0123456789")) and int(line.rsplit(" ", 1)[1]) <= limit
    ]
    batch = run_git(["cat-file", "--batch"], top, b"".join(asked[n] for n in wanted))
    found: list[bytes | None] = [None] * len(specs)
    at = 0
    for number in wanted:  # each answer: "<sha> blob <size>\n", the content, "\n"
        end = batch.index(b"\n", at)
        size = int(batch[at:end].rsplit(b" ", 1)[1])
        found[number] = batch[end + 1 : end + 1 + size]
        at = end + 1 + size + 1
    return found

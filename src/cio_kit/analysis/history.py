"""The plan's own history: the versions of one plan file in git, newest first (SPEC §17).

Every commit that changed the file is a version; ``report trend`` keeps those
that moved the status date. History is read as ``plan diff --git`` reads it
(:func:`~cio_kit.analysis.baseline.run_git`): refs checked, a bounded number
of commits, every blob's size asked before it is read, nothing written.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cio_kit.analysis.baseline import BaselineError, blobs, checked_ref, git_top, run_git

#: The most commits a trend reads (SPEC §17).
MOST_COMMITS = 200


@dataclass(frozen=True)
class Version:
    """The plan file as one commit left it."""

    commit: str
    """The commit's full hash."""
    committed: dt.date
    """The commit date."""
    content: bytes | None
    """The file's bytes; None when it is over the size limit (or absent at that commit)."""


def versions(path: Path, since: str | None, limit: int, most: int = MOST_COMMITS) -> list[Version]:
    """The versions of ``path`` in the commits since ``since`` (all reachable from HEAD without it).

    With ``since``, the file as it was at ``since`` is the oldest version, so
    a trend shows the change since then. Newest first; at most ``most``.
    BaselineError when git cannot answer.
    """
    try:
        top = git_top(path.resolve().parent)
        relative = path.resolve().relative_to(top).as_posix()
        span = ["HEAD"] if since is None else [f"{checked_ref(since)}..HEAD"]
        log = run_git(
            ["log", f"--max-count={most}", "--format=%H %cs", "--end-of-options", *span, "--", relative], top
        ).decode()
        found = [line.split(" ") for line in log.splitlines() if line.strip()]
        if since is not None and len(found) < most:
            at = run_git(["log", "-1", "--format=%H %cs", "--end-of-options", checked_ref(since)], top)
            found.append(at.decode().split())
        contents = blobs(top, [f"{commit}:{relative}" for commit, _ in found], limit)
    except FileNotFoundError:
        raise BaselineError("git is not installed") from None
    except subprocess.CalledProcessError as error:
        said = (error.stderr or b"").decode(errors="replace").strip().splitlines()[-1:] or ["failed"]
        raise BaselineError(f"git cannot read the history of {path}: {said[0]}") from None
    except ValueError:
        raise BaselineError(f"{path} is not inside a git repository") from None
    return [
        Version(commit, dt.date.fromisoformat(day), content)
        for (commit, day), content in zip(found, contents, strict=True)
    ]

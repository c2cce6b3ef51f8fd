"""Atomic file writes: a temporary file in the same folder, then a rename.

An interrupted write leaves either the old file or the new one, never half
of one; the rename is atomic on POSIX and Windows when both names are in the
same folder. The temporary file is created 0600, so before the rename it gets
the permissions the file would get from a plain ``open()`` under the user's
umask (SPEC §15), or keeps those of the file it replaces.

A target that exists and is not a regular file (``/dev/stdout``, a pipe) is
written straight through: replacing it would turn the device link into a
file. A target that cannot be written (``/proc/version``, a path through a
file) is a usage error naming it, exit 2, never a traceback.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: str | bytes) -> None:
    """Replace ``path`` with ``data`` in one step (a device or pipe: write to it); exit 2 if it cannot be."""
    payload = data.encode() if isinstance(data, str) else data  # UTF-8
    try:
        if path.exists() and not path.is_file():
            if path.is_dir():
                raise IsADirectoryError("is a folder; name a file to write")
            with path.open("wb") as stream:  # a device or a pipe: nothing to replace atomically
                stream.write(payload)
            return
        _replace(path, payload)
    except OSError as error:
        import typer

        from cio_kit.render.escape import terminal

        reason = error.strerror or str(error)
        typer.echo(f"cio-kit: cannot write {terminal(str(path))}: {reason}", err=True)
        raise typer.Exit(2) from None


def _replace(path: Path, payload: bytes) -> None:
    folder = path.parent  # "." for a bare file name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):  # the system would say "File exists"
        raise NotADirectoryError("a part of this path is a file, not a folder") from None
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """The mode of the file being replaced, or 0666 less the umask for a new one."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)  # reading the umask means setting it; put it straight back
        os.umask(umask)
        return 0o666 & ~umask

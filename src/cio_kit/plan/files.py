"""Reading an input file safely: regular files only, no more than a limit, never a hang (SPEC §3, §15).

Every file cio-kit reads goes through here: plans, side files (``cio-kit.yaml``,
``portfolio.yaml``, scenarios), imported tables and projects, baseline files.
A FIFO, a device or a link to one (``/dev/zero``, cio-kit's own stdout) is
refused after opening it without blocking, and no more than one byte past the
limit is read, so a sparse 3 GB file costs nothing.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cio_kit.plan.yamlsafe import Document

#: Largest side file (configuration, portfolio, scenario) read, in bytes: far above any real one.
SIDE_FILE_LIMIT = 4 * 1024 * 1024

# Without blocking (a FIFO with no writer would wait forever), without taking a terminal as the
# controlling one, and in binary where the platform distinguishes it.
_OPEN_FLAGS = (
    os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
)


class UnreadableFile(Exception):
    """A file that cannot be read as an input; the message says why, without the path."""


def read_regular(path: Path, size: int) -> bytes | None:
    """Up to ``size`` bytes of a regular file, or None for anything else.

    The file is opened without blocking and checked after opening (so a link
    swapped in between cannot fool a check made before): a FIFO, or a link to
    cio-kit's own stdout (``/proc/self/fd/1``), would otherwise hang the read.
    """
    handle = os.open(path, _OPEN_FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return None
        chunks = []
        left = size
        while left > 0:
            chunk = os.read(handle, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(handle)


def mebibytes(limit: int) -> str:
    """A limit in bytes as the fewest decimals of MiB that give those bytes again.

    The limit was configured in MiB and made whole bytes (0.01 MiB is 10,485 bytes), so it
    reads as configured: 0.01, not 0.00999928.
    """
    exact = limit / 1024 / 1024
    for decimals in range(10):
        said = f"{exact:.{decimals}f}"
        if int(float(said) * 1024 * 1024) == limit:
            return said
    return f"{exact:g}"


def read_input(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``; UnreadableFile when it is not one or is over ``limit``."""
    try:
        raw = read_regular(path, limit + 1)  # one byte more tells "too large" without reading it all
    except OSError as error:
        raise UnreadableFile(f"cannot read: {error.strerror or error}") from None
    if raw is None:
        raise UnreadableFile("not a regular file (a pipe, a device or a terminal); name a file")
    if len(raw) > limit:
        raise UnreadableFile(f"larger than {mebibytes(limit)} MiB; it is not an input cio-kit reads")
    return raw


def read_text(path: Path, limit: int = SIDE_FILE_LIMIT) -> str:
    """The UTF-8 text of the regular file ``path`` (a BOM is dropped); UnreadableFile otherwise."""
    raw = read_input(path, limit)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"not UTF-8 text (byte {error.start})") from None


def read_side_file(path: Path, shown: str, *, reading: str = "", positions: bool = False) -> Document:
    """A side file (``cio-kit.yaml``, ``portfolio.yaml``, a scenario) read and parsed as YAML.

    UnreadableFile names the file, and the line and column of the first YAML
    problem; ``reading`` words what failed to be read ("cannot read the scenario: ").
    """
    from cio_kit.plan.yamlsafe import read_yaml

    try:
        text = read_text(path)
    except UnreadableFile as error:
        raise UnreadableFile(f"{shown}: {reading}{error}") from None
    parsed = read_yaml(text, positions=positions)
    if parsed.problems:
        problem = parsed.problems[0]
        raise UnreadableFile(f"{shown}:{problem.mark[0] + 1}:{problem.mark[1] + 1}: {problem.message}")
    return parsed

"""Tables for the terminal that never cut a word short.

Rich ends a word too long for its column with '…', so on a narrow terminal a
stage id, a goal id or a reason lost its end and could not be told from
another. Here a column that may wrap folds such a word onto the next line
instead (every character stays). A column that asks for '…' itself (a long
title beside a bar, say) keeps it, and so does one that never wraps (amounts
and dates), where the '…' at least shows that something was cut.
"""

from __future__ import annotations

from typing import Any

from rich.console import OverflowMethod
from rich.table import Table as _RichTable


class Table(_RichTable):
    """A Rich table whose columns fold a word that does not fit, unless they say otherwise."""

    def add_column(self, *args: Any, overflow: OverflowMethod | None = None, **kwargs: Any) -> None:
        """Rich's ``add_column``, folding by default a column that may wrap.

        A column that never wraps keeps Rich's '…' when squeezed: folding there would crop
        its value with no mark at all (an amount shown as 80,845,4 instead of 80,845,…).
        """
        chosen: OverflowMethod = overflow or ("ellipsis" if kwargs.get("no_wrap") else "fold")
        super().add_column(*args, overflow=chosen, **kwargs)

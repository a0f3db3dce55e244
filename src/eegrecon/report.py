"""Plain-text renderings of result tables (Markdown for committed files, rich for the console)."""

from __future__ import annotations

import pandas as pd
from rich.table import Table


def to_markdown(df: pd.DataFrame, floatfmt: str = ".3f") -> str:
    """A GitHub-flavoured Markdown table of ``df`` (no index).

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    floatfmt : str
        Format of float cells.

    Returns
    -------
    str
        The Markdown text, ending with a newline.
    """
    def fmt(v) -> str:
        return format(v, floatfmt) if isinstance(v, float) else str(v)

    cols = list(df.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    lines += ["| " + " | ".join(fmt(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def to_rich(df: pd.DataFrame, title: str = "", floatfmt: str = ".3f") -> Table:
    """A rich table of ``df`` for the console (numbers right-aligned).

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    title : str
        Caption.
    floatfmt : str
        Format of float cells.

    Returns
    -------
    rich.table.Table
        Ready for ``Console.print``.
    """
    table = Table(title=title)
    for c in df.columns:
        table.add_column(str(c), justify="right" if df[c].dtype.kind in "fi" else "left")
    for row in df.itertuples(index=False):
        table.add_row(*(format(v, floatfmt) if isinstance(v, float) else str(v) for v in row))
    return table

"""A self-contained HTML report: figures embedded as base64 PNG, tables rendered from the same DataFrames
that are written as CSV (so the numbers are identical), plus a manifest of what it contains."""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path

import pandas as pd

FLOAT_FORMAT = "{:.4f}"

STYLE = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#222;line-height:1.45}
table{border-collapse:collapse;font-size:13px;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 7px;text-align:right}
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}figure{margin:1.5em 0}img{max-width:100%}
figcaption{font-size:13px;color:#555}pre{background:#f7f7f7;padding:1em;overflow:auto;font-size:12px}"""


def format_cell(v) -> str:
    """A table cell as text (floats with four decimals).

    Parameters
    ----------
    v : object
        The value.

    Returns
    -------
    str
        The text.
    """
    if isinstance(v, float):
        return FLOAT_FORMAT.format(v)
    return str(v)


class HtmlReport:
    """Collects sections; ``write`` produces one self-contained HTML file and ``<name>.manifest.json``.

    Parameters
    ----------
    title : str
        Page title.
    """

    def __init__(self, title: str):
        self.title = title
        self.parts: list[str] = []
        self.figures: list[dict] = []
        self.tables: list[dict] = []

    def heading(self, text: str, level: int = 2) -> None:
        """Add a heading.

        Parameters
        ----------
        text : str
            Heading text.
        level : int
            HTML heading level.
        """
        self.parts.append(f"<h{level}>{html.escape(text)}</h{level}>")

    def paragraph(self, text: str) -> None:
        """Add a paragraph.

        Parameters
        ----------
        text : str
            Plain text (escaped).
        """
        self.parts.append(f"<p>{html.escape(text)}</p>")

    def preformatted(self, text: str) -> None:
        """Add preformatted text.

        Parameters
        ----------
        text : str
            Plain text (escaped).
        """
        self.parts.append(f"<pre>{html.escape(text)}</pre>")

    def table(self, df: pd.DataFrame, table_id: str, caption: str, csv: str) -> None:
        """Render a table (which the caller also writes to ``csv``) and list it in the manifest.

        Parameters
        ----------
        df : pandas.DataFrame
            The table.
        table_id : str
            Anchor and manifest id.
        caption : str
            Caption.
        csv : str
            Name of the CSV file holding the same numbers.
        """
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
        rows = "".join("<tr>" + "".join(f"<td>{html.escape(format_cell(v))}</td>" for v in row) + "</tr>"
                       for row in df.itertuples(index=False))
        self.parts.append(f'<table id="{table_id}"><caption>{html.escape(caption)}</caption>'
                          f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        self.tables.append({"id": table_id, "caption": caption, "csv": csv, "rows": len(df)})

    def figure(self, path: Path, figure_id: str, caption: str) -> None:
        """Embed a PNG (base64) and list it in the manifest.

        Parameters
        ----------
        path : Path
            The PNG.
        figure_id : str
            Anchor and manifest id.
        caption : str
            Caption.
        """
        data = base64.b64encode(Path(path).read_bytes()).decode()
        self.parts.append(f'<figure id="{figure_id}"><img alt="{html.escape(caption)}" '
                          f'src="data:image/png;base64,{data}"><figcaption>{html.escape(caption)}</figcaption></figure>')
        self.figures.append({"id": figure_id, "caption": caption, "file": Path(path).name})

    def write(self, path: Path) -> Path:
        """Write the HTML page and its manifest.

        Parameters
        ----------
        path : Path
            The HTML file.

        Returns
        -------
        Path
            ``path``.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        body = "\n".join(self.parts)
        path.write_text(f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(self.title)}</title>"
                        f"<style>{STYLE}</style></head><body><h1>{html.escape(self.title)}</h1>\n{body}\n</body></html>")
        path.with_suffix(".manifest.json").write_text(json.dumps({"figures": self.figures, "tables": self.tables},
                                                                 indent=2))
        return path

"""Figures of the noise-robustness study."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from eegrecon.plots import _save, plt


def heatmap(cells: pd.DataFrame, method: str, metric: str, path: Path) -> Path:
    """Noise type × SNR heatmap of ``metric`` for one method.

    Parameters
    ----------
    cells : pandas.DataFrame
        Sweep cells.
    method : str
        Method shown.
    metric : str
        Metric shown.
    path : Path
        PNG to write.

    Returns
    -------
    Path
        ``path``.
    """
    sub = cells[cells["method"] == method].pivot_table(index="noise", columns="snr", values=metric, sort=False)
    fig, ax = plt.subplots(figsize=(1.0 + 0.6 * sub.shape[1], 0.8 + 0.35 * sub.shape[0]))
    im = ax.imshow(sub.to_numpy(), aspect="auto", cmap="viridis" if metric == "cc" else "viridis_r")
    ax.set_xticks(range(sub.shape[1]), [f"{c:g}" for c in sub.columns])
    ax.set_yticks(range(sub.shape[0]), sub.index)
    for i in range(sub.shape[0]):
        for j in range(sub.shape[1]):
            v = sub.to_numpy()[i, j]
            if np.isfinite(v):
                ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=6, color="w")
    ax.set_xlabel("SNR (dB)")
    ax.set_title(f"{method}: {metric}", fontsize=9)
    fig.colorbar(im, ax=ax, fraction=0.03)
    fig.tight_layout()
    return _save(fig, path)


def curves(cells: pd.DataFrame, metric: str, path: Path, cols: int = 4) -> Path:
    """``metric`` vs SNR with the 95 % CI band, one panel per noise type, one line per method.

    Parameters
    ----------
    cells : pandas.DataFrame
        Sweep cells with ``_lo``/``_hi`` columns.
    metric : str
        Metric shown.
    path : Path
        PNG to write.
    cols : int
        Panels per row.

    Returns
    -------
    Path
        ``path``.
    """
    noises = list(dict.fromkeys(cells["noise"]))
    rows = int(np.ceil(len(noises) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(3.4 * cols, 2.6 * rows), squeeze=False, sharex=True, sharey=True)
    for ax, noise in zip(axes.flat, noises):
        for method, g in cells[cells["noise"] == noise].groupby("method", sort=False):
            line, = ax.plot(g["snr"], g[metric], marker="o", ms=2.5, lw=1, label=method)
            ax.fill_between(g["snr"], g[f"{metric}_lo"], g[f"{metric}_hi"], color=line.get_color(), alpha=0.2)
        ax.set_title(noise, fontsize=9)
        ax.grid(alpha=0.3)
    for ax in axes.flat[len(noises):]:
        ax.axis("off")
    for ax in axes[:, 0]:
        ax.set_ylabel(metric)
    for ax in axes[-1]:
        ax.set_xlabel("SNR (dB)")
    axes.flat[0].legend(fontsize=6)
    fig.tight_layout()
    return _save(fig, path)


def matrix(df: pd.DataFrame, path: Path, title: str) -> Path:
    """A labelled matrix (rows = first column, numeric columns).

    Parameters
    ----------
    df : pandas.DataFrame
        The matrix.
    path : Path
        PNG to write.
    title : str
        Figure title.

    Returns
    -------
    Path
        ``path``.
    """
    num = df.select_dtypes("number")
    fig, ax = plt.subplots(figsize=(1.2 + 0.8 * num.shape[1], 0.9 + 0.4 * num.shape[0]))
    im = ax.imshow(num.to_numpy(), aspect="auto", cmap="viridis")
    ax.set_xticks(range(num.shape[1]), num.columns, rotation=45, ha="right")
    ax.set_yticks(range(num.shape[0]), df.iloc[:, 0])
    for i in range(num.shape[0]):
        for j in range(num.shape[1]):
            ax.text(j, i, f"{num.to_numpy()[i, j]:.2f}", ha="center", va="center", fontsize=7, color="w")
    ax.set_title(title, fontsize=9)
    fig.colorbar(im, ax=ax, fraction=0.03)
    fig.tight_layout()
    return _save(fig, path)

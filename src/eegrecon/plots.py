"""Figures shared by the CLI, the main job and the benchmarks (matplotlib, Agg backend)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from eegrecon.metrics import psd  # noqa: E402


def _save(fig, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return path


def plot_window_triplet(ax_time, ax_psd, sfreq: float, traces: dict[str, np.ndarray], title: str) -> None:
    """Draw traces in time on ``ax_time`` and their Welch PSDs on ``ax_psd``.

    Parameters
    ----------
    ax_time, ax_psd : matplotlib.axes.Axes
        Target axes.
    sfreq : float
        Sampling rate, Hz.
    traces : dict of str to ndarray
        Label → (n_times,) trace.
    title : str
        Title of the time panel.
    """
    t = np.arange(len(next(iter(traces.values())))) / sfreq
    for name, x in traces.items():
        ax_time.plot(t, x, lw=0.8, label=name)
        f, p = psd(x[None, :], sfreq)
        ax_psd.semilogy(f, p[0] + 1e-12, lw=0.8, label=name)
    ax_time.set_title(title, fontsize=9)
    ax_time.set_xlabel("time (s)")
    ax_psd.set_xlabel("frequency (Hz)")
    ax_psd.set_ylabel("PSD")
    ax_time.legend(fontsize=7, loc="upper right")


def plot_examples(rows: list[tuple[str, float, dict[str, np.ndarray]]], sfreq: float, path: Path,
                  ylabel: str = "µV") -> Path:
    """One row per example: traces in time and their PSDs.

    Parameters
    ----------
    rows : list of (str, float, dict)
        (title, unused, {label: trace}) per row.
    sfreq : float
        Sampling rate, Hz.
    path : Path
        PNG to write.
    ylabel : str
        Unit of the traces.

    Returns
    -------
    Path
        ``path``.
    """
    fig, axes = plt.subplots(len(rows), 2, figsize=(11, 2.4 * len(rows)), squeeze=False,
                             gridspec_kw={"width_ratios": [2.2, 1]})
    for (title, _, traces), (a, b) in zip(rows, axes):
        plot_window_triplet(a, b, sfreq, traces, title)
        a.set_ylabel(ylabel)
    fig.tight_layout()
    return _save(fig, path)


def plot_metric_vs_snr(table: pd.DataFrame, metric: str, path: Path) -> Path:
    """Mean ``metric`` per SNR level, one panel per noise, one line per method.

    Parameters
    ----------
    table : pandas.DataFrame
        Per-window metrics with ``noise``, ``method`` and ``snr`` columns.
    metric : str
        Column to plot.
    path : Path
        PNG to write.

    Returns
    -------
    Path
        ``path``.
    """
    noises = list(dict.fromkeys(table["noise"]))
    fig, axes = plt.subplots(1, len(noises), figsize=(3.6 * len(noises), 3.2), squeeze=False, sharey=True)
    for ax, noise in zip(axes[0], noises):
        sub = table[table["noise"] == noise].groupby(["method", "snr"], sort=False)[metric].mean().reset_index()
        for method, g in sub.groupby("method", sort=False):
            ax.plot(g["snr"], g[metric], marker="o", ms=3, label=method)
        ax.set_title(noise)
        ax.set_xlabel("SNR (dB)")
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel(metric)
    axes[0][-1].legend(fontsize=7)
    fig.tight_layout()
    return _save(fig, path)


def plot_before_after(before: np.ndarray, after: np.ndarray, sfreq: float, ch_names: list[str], path: Path,
                      title: str = "", seconds: float = 10.0) -> Path:
    """Before/after traces (first ``seconds``, µV, one row per channel) and the mean PSD over channels.

    Parameters
    ----------
    before, after : ndarray, shape (n_chans, n_times)
        Input and cleaned signals, µV.
    sfreq : float
        Sampling rate, Hz.
    ch_names : list of str
        One name per row.
    path : Path
        PNG to write.
    title : str
        Figure title.
    seconds : float
        Length of the traces shown.

    Returns
    -------
    Path
        ``path``.
    """
    n = min(before.shape[1], int(seconds * sfreq))
    t = np.arange(n) / sfreq
    rows = max(1, len(ch_names))
    fig = plt.figure(figsize=(12, 1.2 * rows + 2.5))
    grid = fig.add_gridspec(rows, 2, width_ratios=[2.4, 1])
    for i, name in enumerate(ch_names):
        ax = fig.add_subplot(grid[i, 0])
        ax.plot(t, before[i, :n], lw=0.6, color="0.6", label="input")
        ax.plot(t, after[i, :n], lw=0.7, color="C0", label="cleaned")
        ax.set_ylabel(f"{name}\nµV", fontsize=7)
        if i == 0:
            ax.set_title(title, fontsize=9)
            ax.legend(fontsize=7, loc="upper right")
        if i < rows - 1:
            ax.set_xticklabels([])
    ax.set_xlabel("time (s)")
    ax_psd = fig.add_subplot(grid[:, 1])
    for data, label, color in ((before, "input", "0.6"), (after, "cleaned", "C0")):
        f, p = psd(data, sfreq)
        ax_psd.semilogy(f, p.mean(axis=0) + 1e-30, color=color, label=label)
    ax_psd.set_xlabel("frequency (Hz)")
    ax_psd.set_ylabel("PSD (µV²/Hz), channel mean")
    ax_psd.legend(fontsize=7)
    fig.tight_layout()
    return _save(fig, path)

"""Bootstrap confidence intervals of a mean over test windows."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def bootstrap_ci(values: np.ndarray, n_boot: int = 1000, level: float = 0.95,
                 rng: np.random.Generator | None = None) -> tuple[float, float]:
    """Percentile bootstrap CI of the mean: resample windows with replacement.

    Parameters
    ----------
    values : ndarray, shape (n,)
        Per-window values.
    n_boot : int
        Resamples.
    level : float
        Confidence level.
    rng : numpy.random.Generator or None
        Random source (seed 0 when None).

    Returns
    -------
    (float, float)
        Lower and upper bounds.
    """
    values = np.asarray(values, dtype=np.float64)
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return float("nan"), float("nan")
    if len(values) == 1:
        return float(values[0]), float(values[0])
    rng = rng or np.random.default_rng(0)
    means = values[rng.integers(0, len(values), (n_boot, len(values)))].mean(axis=1)
    alpha = (1.0 - level) / 2.0
    lo, hi = np.quantile(means, [alpha, 1.0 - alpha])
    return float(lo), float(hi)


def cells_with_ci(table: pd.DataFrame, by: Sequence[str], metrics: Sequence[str], n_boot: int = 1000,
                  level: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """One row per group: ``n`` windows, and for each metric its mean, ``_lo`` and ``_hi``.

    Parameters
    ----------
    table : pandas.DataFrame
        Per-window metrics.
    by : sequence of str
        Grouping columns.
    metrics : sequence of str
        Metrics to summarise.
    n_boot : int
        Bootstrap resamples.
    level : float
        Confidence level.
    seed : int
        Bootstrap seed.

    Returns
    -------
    pandas.DataFrame
        The cells.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for key, g in table.groupby(list(by), sort=False):
        row = dict(zip(by, key if isinstance(key, tuple) else (key,)))
        row["n"] = len(g)
        for m in metrics:
            v = g[m].to_numpy()
            lo, hi = bootstrap_ci(v, n_boot, level, rng)
            row.update({m: float(np.nanmean(v)), f"{m}_lo": lo, f"{m}_hi": hi})
        rows.append(row)
    return pd.DataFrame(rows)

"""Generalisation across noise types, and what a model does to clean input."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from eegrecon.data.corpus import Corpus
from eegrecon.method import Method
from eegrecon.metrics import preservation


def cross_matrix(sweep_table: pd.DataFrame, trained_on: dict[str, list[str]], metric: str = "cc") -> pd.DataFrame:
    """Train-type × test-type matrix of ``metric`` (mean over windows and SNRs) from a sweep table whose methods
    are the specialists/generalist named in ``trained_on``.

    Parameters
    ----------
    sweep_table : pandas.DataFrame
        Per-window metrics of the variants.
    trained_on : dict of str to list of str
        Method → the noises it was trained on.
    metric : str
        Metric averaged.

    Returns
    -------
    pandas.DataFrame
        One row per method, one column per test noise.
    """
    sub = sweep_table[sweep_table["method"].isin(list(trained_on))]
    mat = sub.groupby(["method", "noise"], sort=False)[metric].mean().unstack("noise")
    mat = mat.reindex(index=list(trained_on))
    mat.insert(0, "trained_on", [", ".join(trained_on[m]) for m in mat.index])
    return mat.reset_index()


def clean_input_damage(corpus: Corpus, methods: dict[str, Callable[[], Method]], n: int = 300,
                       seed: int = 0) -> pd.DataFrame:
    """Feed *clean* test windows (SNR = +∞) and measure how much each method changes them, with the evaluation's
    clean-input metric (:func:`~eegrecon.metrics.preservation`: CC and RRMSE against the input, band-power change
    in dB; 1, 0 and 0 dB = untouched).

    Parameters
    ----------
    corpus : Corpus
        Clean test windows.
    methods : dict of str to callable
        Name → factory of a ready method (oracles are skipped).
    n : int
        Windows used.
    seed : int
        Which windows.

    Returns
    -------
    pandas.DataFrame
        One row per method.
    """
    clean = corpus.clean["test"].x
    rng = np.random.default_rng(seed)
    x = clean[np.sort(rng.choice(len(clean), min(n, len(clean)), replace=False))].astype(np.float64)
    x = x / x.std(axis=1, keepdims=True)  # the normalisation every method sees
    rows = []
    for name, factory in methods.items():
        method = factory()
        if method.requires_oracle:
            continue
        rows.append({"method": name, **preservation(method.denoise(x, corpus.sfreq), x, corpus.sfreq)})
    return pd.DataFrame(rows)

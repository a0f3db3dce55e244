"""Which scenarios are hardest, and a measured reason: how much of the artifact's spectrum overlaps the EEG's."""

from __future__ import annotations

import numpy as np
import pandas as pd

from eegrecon.data.corpus import Corpus
from eegrecon.metrics import BANDS, psd
from eegrecon.noise import get_noise
from eegrecon.noise.sampling import noise_seed


def spectrum_partition() -> dict[str, tuple[float, float]]:
    """The metric bands (:data:`eegrecon.metrics.BANDS`) stretched to cover the whole spectrum: the lowest band
    from 0 Hz, plus everything above the highest. Labels carry the edges, e.g. ``"delta (<4 Hz)"``.

    Returns
    -------
    dict of str to (float, float)
        Label → (low, high) edges in Hz; together they tile [0, ∞).
    """
    names = list(BANDS)
    out = {}
    for i, name in enumerate(names):
        lo, hi = BANDS[name]
        out[f"{name} (<{hi:g} Hz)" if i == 0 else f"{name} ({lo:g}-{hi:g} Hz)"] = (0.0 if i == 0 else lo, hi)
    top = BANDS[names[-1]][1]
    out[f">{top:g} Hz"] = (top, np.inf)
    return out


def mean_spectrum(x: np.ndarray, sfreq: float) -> tuple[np.ndarray, np.ndarray]:
    """Mean Welch PSD of windows, normalised to sum 1.

    Parameters
    ----------
    x : ndarray, shape (n, n_times)
        Windows.
    sfreq : float
        Sampling rate, Hz.

    Returns
    -------
    freqs : ndarray
        Frequencies, Hz.
    power : ndarray
        Normalised mean spectrum.
    """
    f, p = psd(x, sfreq)
    m = p.mean(axis=0)
    return f, m / max(m.sum(), 1e-30)


def spectral_profile(corpus: Corpus, noise: str, n: int = 200, seed: int = 0) -> dict:
    """Overlap coefficient Σ min(P_eeg, P_artifact) of the normalised spectra (0 = disjoint bands, 1 = same
    spectrum), and the band holding most of the artifact's power.

    Parameters
    ----------
    corpus : Corpus
        Clean test windows and artifact pools.
    noise : str
        Noise type.
    n : int
        Windows compared.
    seed : int
        Random seed.

    Returns
    -------
    dict
        ``spectral_overlap``, ``main_band``, ``main_band_share``, ``eeg_share_in_main_band``.
    """
    clean = corpus.clean["test"].x[:n].astype(np.float64)
    gen = get_noise(noise, corpus.pools("test"))
    rng = np.random.default_rng(noise_seed(seed, noise, "profile"))
    art = gen.generate(len(clean), clean.shape[1], corpus.sfreq, rng)
    f, pe = mean_spectrum(clean, corpus.sfreq)
    _, pa = mean_spectrum(art, corpus.sfreq)
    bands = spectrum_partition()
    share = {b: float(pa[(f >= lo) & (f < hi)].sum()) for b, (lo, hi) in bands.items()}
    top = max(share, key=share.get)
    return {"noise": noise, "spectral_overlap": float(np.minimum(pe, pa).sum()), "main_band": top,
            "main_band_share": share[top],
            "eeg_share_in_main_band": float(pe[(f >= bands[top][0]) & (f < bands[top][1])].sum())}


def hardest_scenarios(cells: pd.DataFrame, profiles: pd.DataFrame, metric: str = "cc", k: int = 10,
                      methods: list[str] | None = None) -> pd.DataFrame:
    """The ``k`` (noise, SNR) cells where even the best of ``methods`` does worst on ``metric`` (higher is
    better for CC, lower for RRMSE), with the measured spectral reason.

    Parameters
    ----------
    cells : pandas.DataFrame
        Sweep cells with CIs.
    profiles : pandas.DataFrame
        :func:`spectral_profile` per noise.
    metric : str
        Metric ranked.
    k : int
        Cells returned.
    methods : list of str or None
        Methods considered (default: all).

    Returns
    -------
    pandas.DataFrame
        The cells, worst first, with a ``reason`` column.
    """
    sub = cells if methods is None else cells[cells["method"].isin(methods)]
    higher_better = metric in ("cc", "snr_out", "delta_snr")
    best = sub.loc[sub.groupby(["noise", "snr"])[metric].idxmax() if higher_better else
                   sub.groupby(["noise", "snr"])[metric].idxmin()]
    best = best.sort_values(metric, ascending=higher_better).head(k)
    out = best[["noise", "snr", "method", metric, f"{metric}_lo", f"{metric}_hi"]].rename(
        columns={"method": "best_method"}).merge(profiles, on="noise", how="left")
    out["reason"] = [
        f"{r.main_band_share:.0%} of the artifact's power is in {r.main_band}, where the EEG has "
        f"{r.eeg_share_in_main_band:.0%} of its own; spectral overlap {r.spectral_overlap:.2f}"
        for r in out.itertuples()]
    return out.reset_index(drop=True)

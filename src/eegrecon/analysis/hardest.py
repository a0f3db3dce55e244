"""Which scenarios are hardest, and a measured reason: how much of the artifact's spectrum overlaps the EEG's."""

from __future__ import annotations

import numpy as np
import pandas as pd

from eegrecon.data.corpus import Corpus
from eegrecon.evaluation import noise_seed
from eegrecon.metrics import psd
from eegrecon.noise import get_noise

BANDS = {"delta (<4 Hz)": (0.0, 4.0), "theta (4-8 Hz)": (4.0, 8.0), "alpha (8-13 Hz)": (8.0, 13.0),
         "beta (13-30 Hz)": (13.0, 30.0), "gamma (30-80 Hz)": (30.0, 80.0), ">80 Hz": (80.0, 1e9)}


def mean_spectrum(x: np.ndarray, sfreq: float) -> tuple[np.ndarray, np.ndarray]:
    """Mean Welch PSD of windows (n, T), normalised to sum 1."""
    f, p = psd(x, sfreq)
    m = p.mean(axis=0)
    return f, m / max(m.sum(), 1e-30)


def spectral_profile(corpus: Corpus, noise: str, n: int = 200, seed: int = 0) -> dict:
    """Overlap coefficient Σ min(P_eeg, P_artifact) of the normalised spectra (0 = disjoint bands, 1 = same
    spectrum), and the band holding most of the artifact's power."""
    clean = corpus.clean["test"].x[:n].astype(np.float64)
    gen = get_noise(noise, corpus.pools("test"))
    rng = np.random.default_rng(noise_seed(seed, noise, "profile"))
    art = gen.generate(len(clean), clean.shape[1], corpus.sfreq, rng)
    f, pe = mean_spectrum(clean, corpus.sfreq)
    _, pa = mean_spectrum(art, corpus.sfreq)
    share = {b: float(pa[(f >= lo) & (f < hi)].sum()) for b, (lo, hi) in BANDS.items()}
    top = max(share, key=share.get)
    return {"noise": noise, "spectral_overlap": float(np.minimum(pe, pa).sum()), "main_band": top,
            "main_band_share": share[top],
            "eeg_share_in_main_band": float(pe[(f >= BANDS[top][0]) & (f < BANDS[top][1])].sum())}


def hardest_scenarios(cells: pd.DataFrame, profiles: pd.DataFrame, metric: str = "cc", k: int = 10,
                      methods: list[str] | None = None) -> pd.DataFrame:
    """The ``k`` (noise, SNR) cells where even the best of ``methods`` does worst on ``metric`` (higher is
    better for CC, lower for RRMSE), with the measured spectral reason."""
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

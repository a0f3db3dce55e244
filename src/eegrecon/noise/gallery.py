"""Figures of every contamination, and a measured comparison of simulated with real artifacts."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from eegrecon.data.corpus import Corpus
from eegrecon.data.sources import SOURCES
from eegrecon.metrics import psd
from eegrecon.noise.registry import REAL_FAMILIES, get_noise, noise_names
from eegrecon.noise.sampling import contaminate

COMPARED_FAMILIES = ("eog", "emg", "motion")


def family_band(family: str) -> tuple[float, float]:
    """The pass band the real sources of a family are filtered to: spectra are compared only there, since
    outside it the real data holds only the preprocessing filter's stop band.

    Parameters
    ----------
    family : str
        Artifact family.

    Returns
    -------
    (float, float)
        Low and high edges, Hz (within 0.5–100 Hz).
    """
    spec = next(s.filters for s in SOURCES.values() if s.family == family)
    return (max(0.5, spec.l_freq or 0.0), min(100.0, spec.h_freq or 100.0))


def gallery(corpus: Corpus, out: Path, names: list[str] | None = None, snr: float = 0.0,
            seed: int = 0) -> list[Path]:
    """One PNG per contamination: clean window, artifact, mixture (µV) and their power spectra.

    Parameters
    ----------
    corpus : Corpus
        Clean test windows and real artifact pools.
    out : Path
        Folder for the PNGs.
    names : list of str or None
        Contaminations to draw (default: all registered).
    snr : float
        SNR of the mixtures, dB.
    seed : int
        Random seed.

    Returns
    -------
    list of Path
        The figures.
    """
    from eegrecon.plots import plot_examples

    out = Path(out)
    paths = []
    clean = corpus.clean["test"]
    for k, name in enumerate(names or noise_names()):
        noise = get_noise(name, corpus.pools("test"))
        rng = np.random.default_rng(seed + k)
        x = clean.x[rng.integers(len(clean))][None, :].astype(np.float64)
        pairs = contaminate(x, noise, np.array([snr]), clean.sfreq, rng, name)
        traces = pairs.traces_uv(0, noisy_name="mixture")
        title = f"{name} — {noise.origin}; SNR {pairs.snr_db[0]:.1f} dB (rms); {noise.describe()[:90]}"
        paths.append(plot_examples([(title, snr, traces)], clean.sfreq, out / f"noise_{name}.png"))
    return paths


def mean_log_psd(x: np.ndarray, sfreq: float, band: tuple[float, float] = (0.5, 100.0)
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Mean Welch PSD of unit-power windows, normalised to unit total power in ``band``, in dB.

    Parameters
    ----------
    x : ndarray, shape (n, n_times)
        Windows.
    sfreq : float
        Sampling rate, Hz.
    band : (float, float)
        Frequencies kept, Hz.

    Returns
    -------
    freqs : ndarray
        Frequencies in the band, Hz.
    power_db : ndarray
        Normalised mean spectrum, dB.
    """
    x = np.asarray(x, dtype=np.float64)
    x = x / (x.std(axis=1, keepdims=True) + 1e-12)
    f, p = psd(x, sfreq)
    sel = (f >= band[0]) & (f <= min(band[1], sfreq / 2))
    mean = p[:, sel].mean(axis=0)
    return f[sel], 10 * np.log10(mean / mean.sum() + 1e-30)


def log_spectral_distance(a: np.ndarray, b: np.ndarray, sfreq: float,
                          band: tuple[float, float] = (0.5, 100.0)) -> float:
    """RMS over frequency (within ``band``) of the dB difference between two sets' mean normalised spectra.

    Parameters
    ----------
    a, b : ndarray, shape (n, n_times)
        The two sets of windows.
    sfreq : float
        Sampling rate, Hz.
    band : (float, float)
        Frequencies compared, Hz.

    Returns
    -------
    float
        Distance, dB.
    """
    _, la = mean_log_psd(a, sfreq, band)
    _, lb = mean_log_psd(b, sfreq, band)
    return float(np.sqrt(np.mean((la - lb) ** 2)))


def compare_real_simulated(corpus: Corpus, out: Path | None = None, n: int = 2000, seed: int = 0) -> dict:
    """Log-spectral distance (dB) of simulated vs real artifacts for EOG, EMG and motion, within each family's
    pass band (:func:`family_band`), with two references: real vs real (two disjoint halves of the recordings,
    by group: the floor) and real vs another real family.

    Parameters
    ----------
    corpus : Corpus
        Real artifact windows.
    out : Path or None
        Folder for the comparison figure (none written when None).
    n : int
        Windows drawn per set.
    seed : int
        Random seed.

    Returns
    -------
    dict
        Family → distances.
    """
    rng = np.random.default_rng(seed)
    sfreq = corpus.sfreq
    pools = {f: corpus.artifacts[f]["train"] for f in COMPARED_FAMILIES if f in corpus.artifacts}
    results: dict = {}
    spectra = {}
    for fam, pool in pools.items():
        sim = get_noise(REAL_FAMILIES[fam]).generate(n, pool.n_times, sfreq, rng)
        groups = np.unique(pool.groups)
        half = np.isin(pool.groups, groups[rng.permutation(len(groups))[: max(1, len(groups) // 2)]])
        real = _draw(pool.x, np.ones(len(pool), bool), n, rng)
        other = "emg" if fam != "emg" else "eog"
        band = family_band(fam)
        results[fam] = {
            "band_hz": list(band),
            "sim_vs_real_db": log_spectral_distance(sim, real, sfreq, band),
            "real_half_vs_half_db": log_spectral_distance(_draw(pool.x, half, n, rng), _draw(pool.x, ~half, n, rng),
                                                          sfreq, band) if (~half).any() else None,
            f"real_vs_real_{other}_db": log_spectral_distance(real, pools[other].x[:n], sfreq, band)
            if other in pools else None,
            "n_real_windows": int(len(pool)), "simulator": REAL_FAMILIES[fam],
        }
        spectra[fam] = (mean_log_psd(real, sfreq, band), mean_log_psd(sim, sfreq, band))
    if out is not None and spectra:
        _plot_comparison(spectra, results, Path(out))
    return results


def _draw(x: np.ndarray, mask: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    idx = np.flatnonzero(mask)
    return x[idx[rng.permutation(len(idx))[:n]]]


def _plot_comparison(spectra: dict, results: dict, path: Path) -> None:
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(spectra), figsize=(4.2 * len(spectra), 3.2), squeeze=False)
    for ax, (fam, ((f, lr), (_, ls))) in zip(axes[0], spectra.items()):
        ax.plot(f, lr, label="real")
        ax.plot(f, ls, label="simulated")
        ax.set_xscale("log")
        lo, hi = results[fam]["band_hz"]
        ax.set_title(f"{fam} ({lo:g}–{hi:g} Hz): LSD {results[fam]['sim_vs_real_db']:.1f} dB")
        ax.set_xlabel("frequency (Hz)")
        ax.set_ylabel("normalised power (dB)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)

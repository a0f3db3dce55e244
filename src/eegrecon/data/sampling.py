"""Drawing (noisy, clean) pairs: random for training, fixed by seed for validation and test."""

from __future__ import annotations

import numpy as np

from eegrecon.data.pairs import PairSet, SnrDefinition, make_pairs, snr_db
from eegrecon.data.windowset import WindowSet
from eegrecon.noise.base import Distortion, Noise


def contaminate(clean: np.ndarray, noise: Noise | Distortion, snr: np.ndarray, sfreq: float,
                rng: np.random.Generator, label: str, definition: SnrDefinition = "rms") -> PairSet:
    """Pair each clean window (n, T) µV with a fresh draw of ``noise`` at ``snr`` (n,) dB.

    Distortions (clipping, dropout) act on the clean window itself; their SNR is the one achieved.
    """
    clean = np.asarray(clean, dtype=np.float64)
    if isinstance(noise, Distortion):
        distorted = noise.apply(clean, rng)
        artifact = distorted - clean
        achieved = snr_db(clean, np.where(np.abs(artifact).sum(1, keepdims=True) > 0, artifact, 1e-12),
                          definition)
        return make_pairs(clean, artifact, achieved, label, sfreq, definition)
    artifact = noise.generate(len(clean), clean.shape[1], sfreq, rng)
    return make_pairs(clean, artifact, snr, label, sfreq, definition)


def fixed_pairs(clean: WindowSet, noise: Noise | Distortion, snrs: np.ndarray, n_windows: int | None,
                seed: int, label: str, definition: SnrDefinition = "rms") -> PairSet:
    """The evaluation set: ``n_windows`` clean windows (chosen by ``seed``), each mixed with one artifact
    draw at every level of ``snrs`` — the same clean and artifact at every level, as in EEGdenoiseNet.
    Returns ``len(snrs) × n_windows`` pairs ordered by SNR level.
    """
    rng = np.random.default_rng(seed)
    n = len(clean) if n_windows is None else min(n_windows, len(clean))
    rows = np.sort(rng.choice(len(clean), n, replace=False))
    x = clean.x[rows].astype(np.float64)
    if isinstance(noise, Distortion):
        return contaminate(x, noise, np.zeros(n), clean.sfreq, rng, label, definition)
    artifact = noise.generate(n, clean.n_times, clean.sfreq, rng)
    levels = np.asarray(snrs, dtype=float)
    return make_pairs(np.tile(x, (len(levels), 1)), np.tile(artifact, (len(levels), 1)),
                      np.repeat(levels, n), label, clean.sfreq, definition)


def random_pairs(clean: WindowSet, noise: Noise | Distortion, n: int, snr_range: tuple[float, float],
                 rng: np.random.Generator, label: str, definition: SnrDefinition = "rms") -> PairSet:
    """``n`` training pairs: random clean window × fresh artifact × SNR uniform in ``snr_range``."""
    rows = rng.integers(0, len(clean), n)
    snr = rng.uniform(*snr_range, n)
    return contaminate(clean.x[rows], noise, snr, clean.sfreq, rng, label, definition)

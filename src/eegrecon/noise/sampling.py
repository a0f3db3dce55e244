"""Drawing (noisy, clean) pairs from clean windows and the noise library: random for training, fixed by seed
for validation and test. Every split and noise type gets its own seed (:func:`noise_seed`), so every method
sees identical mixtures.
"""

from __future__ import annotations

import zlib

import numpy as np

from eegrecon.data.pairs import PairSet, make_pairs, snr_db
from eegrecon.data.windowset import WindowSet
from eegrecon.noise.base import Distortion, Noise
from eegrecon.options import SnrDefinition


def noise_seed(base: int, name: str, split: str) -> int:
    """A fixed, distinct seed per (noise, split).

    Parameters
    ----------
    base : int
        The run's seed.
    name : str
        Noise type.
    split : str
        ``"train"``, ``"val"``, ``"test"`` or another label.

    Returns
    -------
    int
        A seed in [0, 2**32).
    """
    return (base * 1_000_003 + zlib.crc32(f"{name}/{split}".encode())) % (2**32)


def contaminate(clean: np.ndarray, noise: Noise | Distortion, snr: np.ndarray, sfreq: float,
                rng: np.random.Generator, label: str, definition: SnrDefinition = "rms") -> PairSet:
    """Pair each clean window with a fresh draw of ``noise`` at the requested SNR.

    Distortions (clipping, dropout) act on the clean window itself; their SNR is the one achieved.

    Parameters
    ----------
    clean : ndarray, shape (n, n_times)
        Clean windows, µV.
    noise : Noise or Distortion
        The contamination (see :func:`eegrecon.noise.get_noise`).
    snr : ndarray, shape (n,)
        SNR per window, dB of ``definition``.
    sfreq : float
        Sampling rate, Hz.
    rng : numpy.random.Generator
        Source of the artifact draws.
    label : str
        Noise label stored in the pairs.
    definition : {"rms", "power"}
        SNR definition.

    Returns
    -------
    PairSet
        Normalised pairs.
    """
    clean = np.asarray(clean, dtype=np.float64)
    if isinstance(noise, Distortion):
        distorted = noise.apply(clean, rng)
        artifact = distorted - clean
        achieved = snr_db(clean, np.where(np.abs(artifact).sum(1, keepdims=True) > 0, artifact, 1e-12),
                          definition)
        return make_pairs(clean, artifact, achieved, label, sfreq, definition)
    artifact, reference = noise.generate_with_reference(len(clean), clean.shape[1], sfreq, rng)
    return make_pairs(clean, artifact, snr, label, sfreq, definition, reference)


def fixed_pairs(clean: WindowSet, noise: Noise | Distortion, snrs: np.ndarray, n_windows: int | None,
                seed: int, label: str, definition: SnrDefinition = "rms") -> PairSet:
    """The evaluation set: ``n_windows`` clean windows (chosen by ``seed``), each mixed with one artifact
    draw at every level of ``snrs`` — the same clean and artifact at every level, as in EEGdenoiseNet.

    Parameters
    ----------
    clean : WindowSet
        Clean windows of one split.
    noise : Noise or Distortion
        The contamination.
    snrs : ndarray
        SNR levels, dB.
    n_windows : int or None
        Clean windows drawn (None: all).
    seed : int
        Chooses the windows and the artifact draws.
    label : str
        Noise label stored in the pairs.
    definition : {"rms", "power"}
        SNR definition.

    Returns
    -------
    PairSet
        ``len(snrs) × n_windows`` pairs ordered by SNR level.
    """
    rng = np.random.default_rng(seed)
    n = len(clean) if n_windows is None else min(n_windows, len(clean))
    rows = np.sort(rng.choice(len(clean), n, replace=False))
    x = clean.x[rows].astype(np.float64)
    if isinstance(noise, Distortion):
        return contaminate(x, noise, np.zeros(n), clean.sfreq, rng, label, definition)
    artifact, reference = noise.generate_with_reference(n, clean.n_times, clean.sfreq, rng)
    levels = np.asarray(snrs, dtype=float)
    tile = lambda a: np.tile(a, (len(levels), 1))  # noqa: E731
    return make_pairs(tile(x), tile(artifact), np.repeat(levels, n), label, clean.sfreq, definition,
                      tile(reference))


def random_pairs(clean: WindowSet, noise: Noise | Distortion, n: int, snr_range: tuple[float, float],
                 rng: np.random.Generator, label: str, definition: SnrDefinition = "rms") -> PairSet:
    """``n`` training pairs: random clean window × fresh artifact × SNR uniform in ``snr_range``.

    Parameters
    ----------
    clean : WindowSet
        Clean windows of one split.
    noise : Noise or Distortion
        The contamination.
    n : int
        Pairs to draw.
    snr_range : (float, float)
        SNR bounds, dB.
    rng : numpy.random.Generator
        Source of every draw.
    label : str
        Noise label stored in the pairs.
    definition : {"rms", "power"}
        SNR definition.

    Returns
    -------
    PairSet
        ``n`` normalised pairs.
    """
    rows = rng.integers(0, len(clean), n)
    snr = rng.uniform(*snr_range, n)
    return contaminate(clean.x[rows], noise, snr, clean.sfreq, rng, label, definition)

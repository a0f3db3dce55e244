"""Training batches mixed on the fly: each step draws fresh artifacts, noise types and SNRs."""

from __future__ import annotations

import numpy as np
import torch
from torch.utils.data import Dataset

from eegrecon.data.background import add_background_windows
from eegrecon.data.corpus import Corpus
from eegrecon.data.pairs import PairSet
from eegrecon.noise import get_noise
from eegrecon.noise.sampling import contaminate

CLEAN_SNR_DB = 60.0  # "clean" training windows: the artifact is 1000× smaller (RMS) than the EEG


class CleanWindows(Dataset):
    """Map-style dataset of clean training-window indices (what DistributedSampler shards).

    Parameters
    ----------
    n : int
        Clean training windows.
    """

    def __init__(self, n: int):
        self.n = n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> int:
        return i


class PairMixer:
    """Turns clean-window indices into a normalised (noisy, clean) batch with per-window noise type and SNR.

    Parameters
    ----------
    corpus : Corpus
        Clean windows and artifact pools.
    noises : list of str
        Noise types drawn uniformly per window.
    snr_range : (float, float)
        SNR range, dB.
    definition : {"rms", "power"}
        SNR definition.
    split : str
        Split the windows come from.
    clean_fraction : float
        Share of windows left (almost) clean (artifact at +60 dB).
    background_probability : float
        Share of clean windows first given a >30-Hz background
        (:func:`~eegrecon.data.background.add_background_windows`).
    background_ratio : (float, float)
        Its level: 30–80-Hz power over the window's 13–30-Hz power.
    """

    def __init__(self, corpus: Corpus, noises: list[str], snr_range: tuple[float, float], definition: str = "rms",
                 split: str = "train", clean_fraction: float = 0.0, background_probability: float = 0.0,
                 background_ratio: tuple[float, float] = (0.05, 1.0)):
        self.clean = corpus.clean[split]
        self.noises = list(noises)
        self.generators = {n: get_noise(n, corpus.pools(split)) for n in self.noises}
        self.snr_range, self.definition, self.clean_fraction = snr_range, definition, clean_fraction
        self.background_probability, self.background_ratio = background_probability, background_ratio

    def pairs(self, indices: np.ndarray, rng: np.random.Generator,
              snr_range: tuple[float, float] | None = None) -> PairSet:
        """Mix the clean windows at ``indices`` with fresh artifacts.

        Parameters
        ----------
        indices : ndarray of int
            Clean windows.
        rng : numpy.random.Generator
            Source of noise types, SNRs and artifacts.
        snr_range : (float, float) or None
            Overrides the mixer's range (SNR curriculum).

        Returns
        -------
        PairSet
            Normalised pairs.
        """
        x = self.clean.x[indices].astype(np.float64)
        if self.background_probability:
            x = add_background_windows(x, self.clean.sfreq, rng, self.background_probability, self.background_ratio)
        kinds = rng.integers(0, len(self.noises), len(indices))
        snr = rng.uniform(*(snr_range or self.snr_range), len(indices))
        if self.clean_fraction:
            snr[rng.random(len(indices)) < self.clean_fraction] = CLEAN_SNR_DB
        parts = []
        for k, name in enumerate(self.noises):
            sel = np.flatnonzero(kinds == k)
            if len(sel):
                parts.append((sel, contaminate(x[sel], self.generators[name], snr[sel], self.clean.sfreq, rng, name,
                                               self.definition)))
        order = np.concatenate([sel for sel, _ in parts])
        merged = PairSet.concat([p for _, p in parts])
        return merged.subset(np.argsort(order))

    def batch(self, indices: np.ndarray, rng: np.random.Generator,
              snr_range: tuple[float, float] | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """:meth:`pairs` as tensors for the network.

        Parameters
        ----------
        indices : ndarray of int
            Clean windows.
        rng : numpy.random.Generator
            Random source.
        snr_range : (float, float) or None
            Overrides the mixer's range.

        Returns
        -------
        noisy, clean : torch.Tensor, shape (batch, 1, n_times)
            float32 tensors.
        """
        p = self.pairs(indices, rng, snr_range)
        return torch.from_numpy(p.noisy[:, None, :]), torch.from_numpy(p.clean[:, None, :])

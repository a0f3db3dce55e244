"""The noise-generator interface shared by simulated and real contaminations."""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np


class Noise(ABC):
    """An additive contamination: ``generate(n, n_times, sfreq, rng)`` → (n, n_times) float64 in µV.

    Subclasses set ``name``, ``family`` (eog, emg, motion, line, …), ``origin`` ("simulated" or "real")
    and a docstring that says where the contamination comes from, its spectral range and amplitude.
    """

    name: str = ""
    family: str = ""
    origin: str = "simulated"
    additive: bool = True

    @abstractmethod
    def generate(self, n: int, n_times: int, sfreq: float, rng: np.random.Generator) -> np.ndarray:
        """Draw ``n`` artifact windows of ``n_times`` samples at ``sfreq`` Hz."""

    def describe(self) -> str:
        doc = (type(self).__doc__ or "").strip().splitlines()
        return doc[0] if doc else self.name


class Distortion(ABC):
    """A non-additive corruption of the signal itself (clipping, dropout): ``apply(x, rng)`` → distorted x."""

    name: str = ""
    family: str = "distortion"
    origin: str = "simulated"
    additive: bool = False

    @abstractmethod
    def apply(self, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Distort windows ``x`` (n, n_times) and return a new array."""

    def describe(self) -> str:
        doc = (type(self).__doc__ or "").strip().splitlines()
        return doc[0] if doc else self.name


def time_axis(n_times: int, sfreq: float) -> np.ndarray:
    return np.arange(n_times) / sfreq

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
        """Draw artifact windows.

        Parameters
        ----------
        n : int
            Windows.
        n_times : int
            Samples each.
        sfreq : float
            Sampling rate, Hz.
        rng : numpy.random.Generator
            Random source (every draw comes from it, so a seed fixes the result).

        Returns
        -------
        ndarray, shape (n, n_times)
            float64 artifact, µV (real sources: their own scale; only the shape matters once mixed at an SNR).
        """

    def generate_with_reference(self, n: int, n_times: int, sfreq: float,
                                rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Draw artifact windows and the part of them whose RMS defines the SNR (here: all of it).

        Parameters
        ----------
        n, n_times, sfreq, rng
            As in :meth:`generate`.

        Returns
        -------
        artifact : ndarray, shape (n, n_times)
            What is added to the clean window, as :meth:`generate` draws it.
        reference : ndarray, shape (n, n_times)
            The part the SNR is set on (``artifact`` itself unless a subclass says otherwise).
        """
        x = self.generate(n, n_times, sfreq, rng)
        return x, x

    def describe(self) -> str:
        """One line saying what the contamination is (the first line of its class docstring).

        Returns
        -------
        str
            The description.
        """
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
        """Distort windows.

        Parameters
        ----------
        x : ndarray, shape (n, n_times)
            Clean windows.
        rng : numpy.random.Generator
            Random source.

        Returns
        -------
        ndarray, shape (n, n_times)
            A new, distorted array.
        """

    def describe(self) -> str:
        """One line saying what the distortion is (the first line of its class docstring).

        Returns
        -------
        str
            The description.
        """
        doc = (type(self).__doc__ or "").strip().splitlines()
        return doc[0] if doc else self.name


def time_axis(n_times: int, sfreq: float) -> np.ndarray:
    """Sample times of a window.

    Parameters
    ----------
    n_times : int
        Samples.
    sfreq : float
        Sampling rate, Hz.

    Returns
    -------
    ndarray, shape (n_times,)
        Seconds from the window's start.
    """
    return np.arange(n_times) / sfreq

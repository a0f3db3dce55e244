"""Wavelet thresholding (PyWavelets), in two flavours chosen on training pairs."""

from __future__ import annotations

import itertools

import numpy as np
import pywt

from eegrecon.data.pairs import PairSet
from eegrecon.estimator import check_is_fitted
from eegrecon.method import Method
from eegrecon.options import check_option

MODES = ("denoise", "artifact")
K_GRID = (0.5, 1.0, 2.0, 3.0)


def _robust_sigma(c: np.ndarray) -> np.ndarray:
    return np.median(np.abs(c), axis=-1, keepdims=True) / 0.6745 + 1e-12


def wavelet_threshold(x: np.ndarray, wavelet: str, level: int, mode: str, k: float) -> np.ndarray:
    """Threshold the DWT of each window.

    Parameters
    ----------
    x : ndarray, shape (n, n_times)
        Windows, time last.
    wavelet : str
        PyWavelets wavelet name.
    level : int
        Decomposition levels.
    mode : {"denoise", "artifact"}
        See below.
    k : float
        Threshold multiplier.

    Returns
    -------
    ndarray, shape (n, n_times)
        Reconstructed windows.

    Notes
    -----

    ``mode="denoise"``: soft-threshold detail coefficients at k·σ·sqrt(2·ln T) (universal threshold, σ from
    the finest level) — removes small broadband noise such as EMG or white noise.
    ``mode="artifact"``: per level (approximation included), coefficients larger than k·σ_level are
    clipped to ±k·σ_level — removes large transients such as blinks and pops while keeping background EEG.
    """
    x = np.asarray(x, dtype=np.float64)
    coeffs = pywt.wavedec(x, wavelet, level=level, axis=-1, mode="symmetric")
    if mode == "denoise":
        thr = k * _robust_sigma(coeffs[-1]) * np.sqrt(2 * np.log(x.shape[-1]))
        coeffs = [coeffs[0]] + [pywt.threshold(c, thr, mode="soft") for c in coeffs[1:]]
    elif mode == "artifact":
        coeffs = [np.clip(c, -k * _robust_sigma(c), k * _robust_sigma(c)) for c in coeffs]
    else:
        check_option("mode", mode, MODES)
    return pywt.waverec(coeffs, wavelet, axis=-1, mode="symmetric")[..., : x.shape[-1]]


class WaveletThreshold(Method):
    """Wavelet thresholding; ``fit`` chooses mode and k from a small grid by MSE on training pairs.

    Parameters
    ----------
    wavelet : str
        PyWavelets wavelet name.
    level : int
        Decomposition levels (capped by the window length).
    mode : {"denoise", "artifact"}
        Starting mode (see :func:`wavelet_threshold`), used as is when ``tune`` is False.
    k : float
        Threshold multiplier.
    tune : bool
        Choose ``mode`` and ``k`` on training pairs in ``fit``.
    max_fit : int
        Training pairs used for tuning.
    """

    name = "wavelet"

    def __init__(self, wavelet: str = "db4", level: int = 5, mode: str = "denoise", k: float = 1.0,
                 tune: bool = True, max_fit: int = 2000):
        self.wavelet, self.level, self.mode, self.k, self.tune, self.max_fit = wavelet, level, mode, k, tune, max_fit

    def fit(self, train: PairSet, val: PairSet | None = None) -> WaveletThreshold:
        self.mode_, self.k_ = self.mode, self.k
        if not self.tune:
            return self
        sub = train.subset(np.arange(min(len(train), self.max_fit)))
        best = np.inf
        for mode, k in itertools.product(MODES, K_GRID):
            err = np.mean((wavelet_threshold(sub.noisy, self.wavelet, self.level, mode, k) - sub.clean) ** 2)
            if err < best:
                best, self.mode_, self.k_ = err, mode, k
        return self

    def _is_fitted(self) -> bool:
        return not self.tune or super()._is_fitted()  # fixed settings have nothing to learn

    def denoise(self, noisy, sfreq, **oracle):
        check_is_fitted(self)
        level = min(self.level, pywt.dwt_max_level(noisy.shape[-1], pywt.Wavelet(self.wavelet).dec_len))
        mode, k = (self.mode_, self.k_) if hasattr(self, "mode_") else (self.mode, self.k)
        return wavelet_threshold(noisy, self.wavelet, level, mode, k)

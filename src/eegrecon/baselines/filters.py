"""Band-pass + notch filtering, optionally with cut-offs tuned on training pairs."""

from __future__ import annotations

import itertools

import numpy as np
from scipy import signal

from eegrecon.data.pairs import PairSet
from eegrecon.estimator import check_is_fitted
from eegrecon.method import Method
from eegrecon.signal.filters import notch as notch_filter

L_GRID = (None, 0.5, 1.0, 2.0, 4.0, 8.0)
H_GRID = (None, 20.0, 30.0, 45.0, 80.0)


def bandpass_notch(x: np.ndarray, sfreq: float, l_freq: float | None, h_freq: float | None,
                   notch: float | None, order: int = 4) -> np.ndarray:
    """Zero-phase Butterworth band-pass, then the package's mains notch (:func:`eegrecon.signal.filters.notch`).

    Parameters
    ----------
    x : ndarray, shape (n, n_times)
        Signals, time last.
    sfreq : float
        Sampling rate, Hz.
    l_freq, h_freq : float or None
        High-pass and low-pass edges, Hz (None: that side open; an edge at or above Nyquist is dropped).
    notch : float or None
        Mains frequency whose harmonics are notched, Hz, or None.
    order : int
        Butterworth order (applied forwards and backwards).

    Returns
    -------
    ndarray, shape (n, n_times)
        Filtered signals, float64.
    """
    y = np.asarray(x, dtype=np.float64)
    nyq = sfreq / 2
    if h_freq is not None and h_freq >= nyq:
        h_freq = None
    padlen = min(y.shape[-1] - 1, 3 * sfreq)
    if l_freq is not None or h_freq is not None:
        if l_freq is not None and h_freq is not None:
            sos = signal.butter(order, [l_freq, h_freq], btype="band", fs=sfreq, output="sos")
        elif l_freq is not None:
            sos = signal.butter(order, l_freq, btype="high", fs=sfreq, output="sos")
        else:
            sos = signal.butter(order, h_freq, btype="low", fs=sfreq, output="sos")
        y = signal.sosfiltfilt(sos, y, axis=-1, padtype="odd", padlen=int(padlen))
    return notch_filter(y, sfreq, notch)


class BandpassNotch(Method):
    """Classical band-pass + notch. With ``tune=True``, ``fit`` picks the pass band (from a small grid of
    high-pass and low-pass edges) that minimises the MSE on up to ``max_fit`` training pairs.

    Parameters
    ----------
    l_freq, h_freq : float or None
        Pass band, Hz (the starting point, or the band used when ``tune`` is False).
    notch : float or None
        Mains frequency to notch with harmonics, Hz.
    tune : bool
        Choose the band on training pairs in ``fit``.
    max_fit : int
        Training pairs used for tuning.
    """

    name = "bandpass"

    def __init__(self, l_freq: float | None = 1.0, h_freq: float | None = 45.0, notch: float | None = 50.0,
                 tune: bool = True, max_fit: int = 2000):
        self.l_freq, self.h_freq, self.notch, self.tune, self.max_fit = l_freq, h_freq, notch, tune, max_fit

    def fit(self, train: PairSet, val: PairSet | None = None) -> BandpassNotch:
        self.l_freq_, self.h_freq_ = self.l_freq, self.h_freq
        if not self.tune:
            return self
        sub = train.subset(np.arange(min(len(train), self.max_fit)))
        best = np.inf
        for lo, hi in itertools.product(L_GRID, H_GRID):
            err = np.mean((bandpass_notch(sub.noisy, train.sfreq, lo, hi, self.notch) - sub.clean) ** 2)
            if err < best:
                best, self.l_freq_, self.h_freq_ = err, lo, hi
        return self

    def _is_fitted(self) -> bool:
        return not self.tune or super()._is_fitted()  # a fixed band has nothing to learn

    def denoise(self, noisy, sfreq, **oracle):
        check_is_fitted(self)
        lo, hi = (self.l_freq_, self.h_freq_) if hasattr(self, "l_freq_") else (self.l_freq, self.h_freq)
        return bandpass_notch(noisy, sfreq, lo, hi, self.notch)

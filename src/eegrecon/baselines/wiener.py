"""Wiener filters: one fitted on training pairs, and an oracle that knows the true spectra."""

from __future__ import annotations

import numpy as np
from scipy.ndimage import uniform_filter1d

from eegrecon.data.pairs import PairSet
from eegrecon.estimator import check_is_fitted
from eegrecon.method import Method


class WienerFilter(Method):
    """Linear time-invariant MMSE filter fitted on training pairs: per frequency bin of the window's FFT,
    H(f) = E[X(f)·Y*(f)] / E[|Y(f)|²] (real part), estimated over all training pairs in normalised units.
    The best single linear filter for the training noise mixture and SNR range.
    """

    name = "wiener"

    def fit(self, train: PairSet, val: PairSet | None = None) -> WienerFilter:
        Y = np.fft.rfft(train.noisy.astype(np.float64), axis=-1)
        X = np.fft.rfft(train.clean.astype(np.float64), axis=-1)
        self.gain_ = np.real(np.sum(X * np.conj(Y), axis=0)) / np.maximum(np.sum(np.abs(Y) ** 2, axis=0), 1e-12)
        self.n_times_ = train.noisy.shape[1]
        return self

    def denoise(self, noisy, sfreq, **oracle):
        check_is_fitted(self)
        n_times = noisy.shape[-1]
        gain = self.gain_
        if n_times != self.n_times_:  # interpolate the gain onto this window's frequency grid
            f_fit = np.fft.rfftfreq(self.n_times_)
            gain = np.interp(np.fft.rfftfreq(n_times), f_fit, self.gain_)
        return np.fft.irfft(np.fft.rfft(np.asarray(noisy, dtype=np.float64), axis=-1) * gain, n=n_times, axis=-1)


class OracleWiener(Method):
    """UPPER BOUND, NOT A USABLE METHOD: per-window Wiener gain Sx/(Sx+Sn) from the *true* clean and
    artifact periodograms (smoothed over ``smooth_bins`` FFT bins). Shows what the best spectral (linear,
    per-window) filter could reach if the clean and artifact spectra were known.

    Parameters
    ----------
    smooth_bins : int
        Width of the moving average over FFT bins applied to both periodograms.
    """

    name = "oracle_wiener"
    requires_oracle = True

    def __init__(self, smooth_bins: int = 5):
        self.smooth_bins = smooth_bins

    def denoise(self, noisy, sfreq, **oracle):
        clean, artifact = oracle["clean"], oracle["artifact"]
        sx = uniform_filter1d(np.abs(np.fft.rfft(clean, axis=-1)) ** 2, self.smooth_bins, axis=-1)
        sn = uniform_filter1d(np.abs(np.fft.rfft(artifact, axis=-1)) ** 2, self.smooth_bins, axis=-1)
        gain = sx / np.maximum(sx + sn, 1e-12)
        n_times = noisy.shape[-1]
        return np.fft.irfft(np.fft.rfft(np.asarray(noisy, dtype=np.float64), axis=-1) * gain, n=n_times, axis=-1)

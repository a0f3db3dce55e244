"""The training corpus's preprocessing: its filter chain, windows and window rejection (arrays in µV, time on the
last axis). The filters themselves are :mod:`eegrecon.signal.filters`."""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, Field

from eegrecon.signal.filters import bandpass, hop_for, notch, resample


class FilterSpec(BaseModel):
    """Band-pass and notch settings applied before resampling; ``None`` disables a stage.

    Parameters
    ----------
    l_freq : float or None
        High-pass edge, Hz.
    h_freq : float or None
        Low-pass edge, Hz (clipped below the target Nyquist).
    notch : float or None
        Mains frequency to notch with harmonics, Hz.
    """

    l_freq: float | None = Field(1.0, description="high-pass edge, Hz")
    h_freq: float | None = Field(80.0, description="low-pass edge, Hz (clipped below the target Nyquist)")
    notch: float | None = Field(50.0, description="mains frequency to notch with harmonics, Hz")


def preprocess(x: np.ndarray, sfreq: float, target_sfreq: float, spec: FilterSpec) -> np.ndarray:
    """Notch, band-pass, then resample a continuous segment.

    Parameters
    ----------
    x : ndarray, shape (..., n_times)
        Signals.
    sfreq : float
        Their rate, Hz.
    target_sfreq : float
        The rate after resampling, Hz.
    spec : FilterSpec
        Filter settings.

    Returns
    -------
    ndarray, shape (..., n_times')
        Preprocessed signals, float64.
    """
    h = spec.h_freq if spec.h_freq is None else min(spec.h_freq, 0.45 * target_sfreq, 0.45 * sfreq)
    y = notch(x, sfreq, spec.notch)
    y = bandpass(y, sfreq, spec.l_freq, h)
    return resample(y, sfreq, target_sfreq)


def make_windows(x: np.ndarray, n_times: int, overlap: float = 0.0) -> np.ndarray:
    """Cut a 1-D segment into windows.

    Parameters
    ----------
    x : ndarray, shape (n_samples,)
        The segment.
    n_times : int
        Window length, samples.
    overlap : float
        Fraction of overlap between windows, in [0, 1).

    Returns
    -------
    ndarray, shape (n, n_times)
        float32 windows (none when the segment is shorter than one window).
    """
    step = hop_for(n_times, overlap)
    if len(x) < n_times:
        return np.empty((0, n_times), dtype=np.float32)
    starts = np.arange(0, len(x) - n_times + 1, step)
    idx = starts[:, None] + np.arange(n_times)[None, :]
    return np.asarray(x, dtype=np.float32)[idx]


def reject_windows(w: np.ndarray, min_std: float = 1e-3, max_abs: float | None = None) -> np.ndarray:
    """Which windows to keep: finite, not flat (std ≥ ``min_std``), optionally |x| ≤ ``max_abs``.

    Parameters
    ----------
    w : ndarray, shape (n, n_times)
        Windows.
    min_std : float
        Smallest std kept.
    max_abs : float or None
        Largest absolute value kept.

    Returns
    -------
    ndarray of bool, shape (n,)
        True for windows to keep.
    """
    keep = np.isfinite(w).all(axis=1)
    safe = np.where(np.isfinite(w), w, 0.0)
    keep &= safe.std(axis=1) >= min_std
    if max_abs is not None:
        keep &= np.abs(safe).max(axis=1) <= max_abs
    return keep


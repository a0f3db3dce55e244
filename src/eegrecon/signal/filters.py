"""Signal helpers shared by the cleaning road and the training side: zero-phase filters, the mains notch, rate
conversion and the window hop (arrays with time on the last axis)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from scipy import signal

from eegrecon.errors import OptionError


def bandpass(x: np.ndarray, sfreq: float, l_freq: float | None, h_freq: float | None) -> np.ndarray:
    """Zero-phase FIR band-pass with MNE's defaults.

    Parameters
    ----------
    x : ndarray, shape (..., n_times)
        Signals.
    sfreq : float
        Sampling rate, Hz.
    l_freq, h_freq : float or None
        Edges, Hz (None: that side open; a low-pass at or above Nyquist is dropped).

    Returns
    -------
    ndarray, shape (..., n_times)
        Filtered signals, float64.
    """
    if l_freq is None and h_freq is None:
        return np.asarray(x, dtype=np.float64)
    if h_freq is not None and h_freq >= sfreq / 2:
        h_freq = None
    import mne  # lazy: importing mne costs ~2 s, and most commands never filter

    return mne.filter.filter_data(np.asarray(x, dtype=np.float64), sfreq, l_freq, h_freq,
                                  verbose="error", pad="reflect_limited")


def notch(x: np.ndarray, sfreq: float, mains: float | None) -> np.ndarray:
    """Remove ``mains`` Hz and its harmonics below Nyquist with zero-phase IIR notches (Q = 30): the one mains
    notch of the package (preprocessing, baselines and the Denoiser's ``line_freq``).

    Parameters
    ----------
    x : ndarray, shape (..., n_times)
        Signals.
    sfreq : float
        Sampling rate, Hz.
    mains : float or None
        Mains frequency, Hz; None returns the input as float64.

    Returns
    -------
    ndarray, shape (..., n_times)
        Filtered signals, float64.
    """
    if mains is None:
        return np.asarray(x, dtype=np.float64)
    harmonics = [f0 for f0 in np.arange(mains, sfreq / 2, mains) if f0 < sfreq / 2 - 1]
    return _notches(x, sfreq, [(f0, 30.0) for f0 in harmonics])


def _notches(x: np.ndarray, sfreq: float, notches: list[tuple[float, float]]) -> np.ndarray:
    """``x`` through zero-phase IIR notches at each (frequency, Q), in order; float64."""
    out = np.asarray(x, dtype=np.float64)
    for f0, q in notches:
        b, a = signal.iirnotch(f0, Q=q, fs=sfreq)
        out = signal.filtfilt(b, a, out, axis=-1, padlen=min(3 * max(len(a), len(b)), out.shape[-1] - 1))
    return out


#: mains frequencies whose bins a correction leaves alone (:func:`stop_mains_bins`), Hz
MAINS_FREQS = (50.0, 60.0)


#: half-width of the band stopped around each, Hz (the ±1-Hz bins of the do-no-harm check, and a margin)
MAINS_STOP_HALF_WIDTH = 2.0


def stop_mains_bins(x: np.ndarray, sfreq: float) -> np.ndarray:
    """``x`` without its content at 50 and 60 Hz (±2 Hz, zero-phase IIR band-stops), for corrections: what a
    cleaning removes leaves the mains bins to the mains notch, which acts only where hum was found.

    Parameters
    ----------
    x : ndarray, shape (..., n_times)
        Signals (corrections).
    sfreq : float
        Rate, Hz.

    Returns
    -------
    ndarray, shape (..., n_times)
        Filtered, float64 (``x`` as float64 where both lie above Nyquist or the signal is too short).
    """
    if np.shape(x)[-1] < 16:
        return np.asarray(x, dtype=np.float64)
    return _notches(x, sfreq, [(f0, f0 / (2 * MAINS_STOP_HALF_WIDTH)) for f0 in MAINS_FREQS
                               if f0 + MAINS_STOP_HALF_WIDTH < sfreq / 2])


def resample(x: np.ndarray, sfreq: float, target: float) -> np.ndarray:
    """Polyphase resampling along the last axis (anti-aliased).

    Parameters
    ----------
    x : ndarray, shape (..., n_times)
        Signals.
    sfreq : float
        Their rate, Hz.
    target : float
        The new rate, Hz.

    Returns
    -------
    ndarray, shape (..., n_times')
        Resampled signals, float64.
    """
    if abs(sfreq - target) < 1e-9:
        return np.asarray(x, dtype=np.float64)
    up, down = resample_ratio(sfreq, target)
    return signal.resample_poly(np.asarray(x, dtype=np.float64), up, down, axis=-1)


def resample_ratio(sfreq: float, target: float) -> tuple[int, int]:
    """The polyphase factors :func:`resample` uses: ``target / sfreq ≈ up / down`` (denominator ≤ 1000).

    Parameters
    ----------
    sfreq : float
        The input rate, Hz.
    target : float
        The output rate, Hz.

    Returns
    -------
    (int, int)
        ``(up, down)``, coprime; ``(1, 1)`` at the same rate.
    """
    if abs(sfreq - target) < 1e-9:
        return 1, 1
    ratio = Fraction(target / sfreq)
    frac = ratio.limit_denominator(1000)
    if frac.numerator == 0:  # a very large down-sampling factor (e.g. 1 MHz → 256 Hz): allow a finer fraction
        frac = ratio.limit_denominator(4 * int(np.ceil(sfreq / target)))
    return frac.numerator, frac.denominator


def hop_for(n_window: int, overlap: float) -> int:
    """Samples between the starts of consecutive windows (at least 1): the one hop of the package.

    Parameters
    ----------
    n_window : int
        Window length, samples.
    overlap : float
        Fraction of a window shared with the next one, in [0, 1).

    Returns
    -------
    int
        The hop, samples.
    """
    if not 0.0 <= overlap < 1.0:
        raise OptionError(f"overlap must be in [0, 1), got {overlap}")
    return max(1, int(round(n_window * (1.0 - overlap))))


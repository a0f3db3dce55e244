"""Channels that are broken but not marked bad, found in a stretch of a recording so that they spread nowhere.

Everything the multichannel road builds over channels (the average reference the network sees, the artifact
topographies, the regression on reference channels, the artifact's common mode) would carry one broken electrode
into every other channel. The criteria follow pyprep's (Bigdely-Shamlo et al. 2015, the PREP pipeline), each a
robust z-score across the stretch's channels:

- **deviation**: the channel's robust amplitude (interquartile range / 1.349, so that sparse blinks do not count)
  far above or below the others' (drift, noise, a loose electrode);
- **correlation**: its 1–40 Hz signal correlates with no other channel (a 98th-percentile absolute correlation
  over 1-s windows below :data:`MIN_CORRELATION`; scalp EEG is smooth in space, noise is not);
- **high-frequency noise**: its power above 40 Hz (mains bins left out) relative to 1–40 Hz far above the others'.

A channel is flagged only when its robust z exceeds :data:`Z_THRESHOLD` *and* it differs from the median channel
by :data:`MIN_RATIO` (a montage whose channels are all alike has a tiny spread; chance must not flag one of them),
and a criterion that would flag more than :data:`MAX_BROKEN_SHARE` of the channels flags none (it then describes
the recording, not a broken electrode).
Flat channels are the survey's business (:mod:`eegrecon.signal.validate`).
"""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, sosfiltfilt, welch

#: robust z-score above which a criterion flags a channel (pyprep's default)
Z_THRESHOLD = 5.0
#: and the ratio to the median channel it must also exceed (deviation and high-frequency noise)
MIN_RATIO = 3.0
#: high-frequency noise must also exceed the median channel's ratio this many times: muscle over the temples
#: reaches ~10× on real recordings (eegmmidb T8, T10) and is the cleaning's job, not a broken electrode's
HIGH_FREQUENCY_RATIO = 30.0
#: a channel whose 98th-percentile absolute correlation with the others over 1-s windows stays below this
MIN_CORRELATION = 0.4
#: the share of 1-s windows in which it must be below it (pyprep's "bad by correlation": 1 %). We ask far more: a
#: flagged channel is left uncleaned, and a real electrode over muscle (eegmmidb T10) sits at 11–14 % on every run
MIN_BAD_WINDOW_SHARE = 0.3
#: the correlation criterion needs at least this many 1-s windows (a chunk's short tail judges nothing by it)
MIN_CORRELATION_WINDOWS = 20
#: band of the correlation criterion and edge of the high-frequency criterion, Hz
CORRELATION_BAND = (1.0, 40.0)
#: fewer channels than this and nothing is judged (a robust spread needs a crowd)
MIN_CHANNELS = 8
#: a criterion that flags more than this share of the channels describes the recording, not a broken electrode
#: (e.g. channels that share nothing in space, as in simulated white noise): it flags none of them there
MAX_BROKEN_SHARE = 0.25


def _robust_z(values: np.ndarray) -> np.ndarray:
    median = np.median(values)
    mad = 1.4826 * np.median(np.abs(values - median))
    return (values - median) / max(mad, 1e-12 * max(abs(median), 1e-300))


def robust_amplitude(x: np.ndarray) -> np.ndarray:
    """Interquartile range / 1.349 per row: the std of a Gaussian, blind to a few large events.

    Parameters
    ----------
    x : ndarray, shape (..., n_times)
        Signals.

    Returns
    -------
    ndarray, shape (...)
        The robust amplitude, same unit.
    """
    q75, q25 = np.percentile(x, [75, 25], axis=-1)
    return (q75 - q25) / 1.349


def _windowed_max_correlation(x: np.ndarray, sfreq: float) -> np.ndarray:
    """(n_chans, n_windows): each channel's 98th-percentile absolute correlation with the others per 1-s window."""
    n = int(round(sfreq))
    n_windows = x.shape[1] // n
    out = np.ones((x.shape[0], max(n_windows, 0)))
    others = ~np.eye(x.shape[0], dtype=bool)  # each row's correlations with the other channels
    for w in range(n_windows):
        seg = x[:, w * n:(w + 1) * n]
        seg = seg - seg.mean(axis=1, keepdims=True)
        norm = np.sqrt((seg ** 2).sum(axis=1))
        live = norm > 0
        if live.sum() < 2:
            continue
        unit = np.where(live[:, None], seg / np.where(live, norm, 1.0)[:, None], 0.0)
        corr = np.abs(unit @ unit.T)[others].reshape(len(unit), -1)  # (n_chans, n_chans - 1): no diagonal
        out[:, w] = np.where(live, np.percentile(corr, 98, axis=1), 1.0)
    return out


def find_bad_channels(x: np.ndarray, sfreq: float, line_freqs: tuple[float, ...] = (50.0, 60.0)) -> dict[int, str]:
    """Rows of ``x`` that look broken, with the criterion that found each.

    Parameters
    ----------
    x : ndarray, shape (n_chans, n_times)
        EEG channels of one stretch (any reference, any unit), flat channels already left out.
    sfreq : float
        Rate, Hz.
    line_freqs : tuple of float
        Mains frequencies whose ±2 Hz are left out of the high-frequency criterion.

    Returns
    -------
    dict of int to str
        Row index → ``"deviation"``, ``"correlation"`` or ``"high-frequency noise"`` (the first that fired).
    """
    x = np.asarray(x, dtype=np.float64)
    n_chans, n_times = x.shape
    if n_chans < MIN_CHANNELS or n_times < 2 * sfreq:
        return {}
    bad: dict[int, str] = {}

    def flag(rows: np.ndarray, why: str) -> None:
        if 0 < len(rows) <= MAX_BROKEN_SHARE * n_chans:
            for i in rows:
                bad.setdefault(int(i), why)

    x = x - np.median(x, axis=1, keepdims=True)
    amplitude = robust_amplitude(x)
    ratio = amplitude / max(float(np.median(amplitude)), 1e-300)
    z = _robust_z(np.log(np.maximum(amplitude, 1e-300)))
    flag(np.flatnonzero((np.abs(z) > Z_THRESHOLD) & ((ratio > MIN_RATIO) | (ratio < 1 / MIN_RATIO))), "deviation")
    lo, hi = CORRELATION_BAND
    if hi < sfreq / 2:
        band = sosfiltfilt(butter(4, [lo, hi], "bandpass", fs=sfreq, output="sos"), x, axis=-1)
        windows = _windowed_max_correlation(band, sfreq)
        if windows.shape[1] >= MIN_CORRELATION_WINDOWS:
            flag(np.flatnonzero((windows < MIN_CORRELATION).mean(axis=1) > MIN_BAD_WINDOW_SHARE), "correlation")
        f, p = welch(x, fs=sfreq, nperseg=int(min(n_times, 2 * sfreq)), axis=-1)
        mains = np.zeros(len(f), bool)
        for line in line_freqs:
            for harmonic in np.arange(line, sfreq / 2, line):
                mains |= np.abs(f - harmonic) <= 2.0
        high = p[:, (f > hi) & ~mains].sum(axis=1)
        if high.any():
            noise = high / np.maximum(p[:, (f >= lo) & (f <= hi)].sum(axis=1), 1e-300)
            noise_ratio = noise / max(float(np.median(noise)), 1e-300)
            z_noise = _robust_z(np.log(np.maximum(noise, 1e-300)))
            flag(np.flatnonzero((z_noise > Z_THRESHOLD) & (noise_ratio > HIGH_FREQUENCY_RATIO)),
                 "high-frequency noise")
    return bad


def interpolation(pos: np.ndarray, bad: list[int]) -> np.ndarray:
    """The matrix that estimates the ``bad`` rows from the others (spherical splines where every position is
    known; the others' mean otherwise, which average reference then ignores).

    Parameters
    ----------
    pos : ndarray, shape (n_chans, 3)
        Positions, metres (NaN rows: unknown).
    bad : list of int
        Rows to estimate.

    Returns
    -------
    ndarray, shape (len(bad), n_chans)
        Zero in the ``bad`` columns.
    """
    good = np.setdiff1d(np.arange(len(pos)), bad)
    matrix = np.zeros((len(bad), len(pos)))
    if len(good) >= 4 and np.isfinite(pos).all():
        from eegrecon.signal.montage import spline_matrix

        matrix[:, good] = spline_matrix(pos[good], pos[bad])
    elif len(good):
        matrix[:, good] = 1.0 / len(good)
    return matrix

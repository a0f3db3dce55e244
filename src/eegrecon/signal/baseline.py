"""The slow baseline of a DC-coupled or unfiltered recording: offsets of millivolts and drifts, which the networks
(trained on high-passed EEG) and the spatial steps (covariances) must not see.

The cleaning road subtracts :func:`slow_baseline` from the rows that :func:`needs_baseline` flags before the notch
and the network, and adds it back after the spatial stage: the output is the input minus a correction computed on
the baseline-free signal, so the correction carries no offset or drift the input did not hold as artifact.
"""

from __future__ import annotations

import numpy as np
from scipy import signal

#: edge of the baseline's zero-phase low-pass, Hz (below every EEG band the road checks; delta starts at 1 Hz)
BASELINE_HZ = 0.2
#: shortest recording whose baseline is taken out, s
MIN_BASELINE_S = 0.25
#: length of each edge a straight line is fitted to, as the level the edge is extended about, s
EDGE_FIT_S = 4.0
#: a sample belongs to a transient (bridged before the baseline's low-pass) beyond this many robust SDs
TRANSIENT_SD = 4.0
#: and so do the samples this close to one, s
TRANSIENT_PAD_S = 0.15
#: time constants of that low-pass a chunk's context spans, so that chunked and whole-recording baselines agree
#: (exp(-20) ≈ 2e-9 of an offset)
BASELINE_SETTLE_TAUS = 20
#: a row needs the baseline removed when its slow part's RMS is at least this fraction of the rest's
SLOW_SHARE = 0.5


def _sos(sfreq: float) -> np.ndarray:
    return signal.butter(2, BASELINE_HZ, "lowpass", fs=sfreq, output="sos")


def _edge_values(x: np.ndarray, n_fit: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's level at its first and last sample, from a straight line fitted to ``n_fit`` samples there.

    A single sample is a poor anchor: it carries the EEG itself (tens of µV), which reflecting about it would turn
    into a step in the baseline.
    """
    t = np.arange(n_fit, dtype=np.float64)
    t -= t.mean()
    levels = []
    for seg, at in ((x[..., :n_fit], t[0]), (x[..., -n_fit:], t[-1])):
        mean = seg.mean(axis=-1)
        slope = (seg - mean[..., None]) @ t / (t @ t) if n_fit > 1 else np.zeros_like(mean)
        levels.append(mean + slope * at)
    return levels[0], levels[1]


def _lowpass(x: np.ndarray, sfreq: float) -> np.ndarray:
    """Zero-phase low-pass at :data:`BASELINE_HZ` with each edge extended by the signal reflected about the line
    fitted to the edge's last :data:`EDGE_FIT_S` seconds."""
    n = x.shape[-1]
    first, last = _edge_values(x, max(2, min(n, int(round(EDGE_FIT_S * sfreq)))))
    pad = min(n - 1, int(round(sfreq / BASELINE_HZ)))
    head = 2 * first[..., None] - x[..., pad:0:-1]
    tail = 2 * last[..., None] - x[..., -2:-pad - 2:-1]
    ext = np.concatenate([head, x, tail], axis=-1) - first[..., None]  # an offset of volts kept out of the state
    return signal.sosfiltfilt(_sos(sfreq), ext, axis=-1, padtype=None)[..., pad:pad + n] + first[..., None]


def _bridge_transients(x: np.ndarray, base: np.ndarray, sfreq: float) -> np.ndarray:
    """``x`` with its large transients (blinks, pops: beyond :data:`TRANSIENT_SD` robust SDs of ``x - base``,
    widened by :data:`TRANSIENT_PAD_S`) replaced by straight lines between the samples either side."""
    rest = x - base
    centre = np.median(rest, axis=-1, keepdims=True)
    sd = 1.4826 * np.median(np.abs(rest - centre), axis=-1, keepdims=True)
    wide = np.abs(rest - centre) > TRANSIENT_SD * np.maximum(sd, 1e-300)
    if not wide.any():
        return x
    pad = int(round(TRANSIENT_PAD_S * sfreq))
    if pad:
        wide = signal.convolve(wide.astype(float), np.ones((1, 2 * pad + 1)), mode="same") > 0.5
    out = x.copy()
    t = np.arange(x.shape[-1])
    for row in np.flatnonzero(wide.any(axis=-1)):
        good = ~wide[row]
        if good.sum() >= 2:
            out[row, ~good] = np.interp(t[~good], t[good], x[row, good])
    return out


def slow_baseline(x: np.ndarray, sfreq: float) -> np.ndarray:
    """The part of ``x`` below :data:`BASELINE_HZ`: offset, drift (zero-phase 2nd-order Butterworth, run both ways).

    Each edge is extended by the signal reflected about the line fitted to the edge's last
    :data:`EDGE_FIT_S` seconds (an odd extension about a level, not a sample): offsets and linear drifts are
    reproduced to the first and last sample, and the EEG at the edge becomes no step in the baseline. Large
    transients (blinks) are bridged before the final low-pass: a low-pass keeps a blink's area, which would
    stay in the output as a slow bump instead of being cleaned.

    Parameters
    ----------
    x : ndarray, shape (n_rows, n_times)
        Signals, any unit.
    sfreq : float
        Rate, Hz.

    Returns
    -------
    ndarray, shape (n_rows, n_times)
        The baseline, same unit, float64.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.shape[-1] < 2:
        return x.copy()
    shape = x.shape
    x = x.reshape(-1, shape[-1])
    base = _lowpass(x, sfreq)
    return _lowpass(_bridge_transients(x, base, sfreq), sfreq).reshape(shape)


def baseline_settle(sfreq: float) -> int:
    """Samples of context each side that make a chunk's baseline equal the whole recording's
    (:data:`BASELINE_SETTLE_TAUS` time constants of the low-pass).

    Parameters
    ----------
    sfreq : float
        Rate, Hz.

    Returns
    -------
    int
    """
    tau = 1.0 / (2 * np.pi * BASELINE_HZ * np.sqrt(0.5))  # the Butterworth poles' decay, s
    return int(np.ceil(BASELINE_SETTLE_TAUS * tau * sfreq))


def slow_and_fast_power(x: np.ndarray, sfreq: float) -> tuple[np.ndarray, np.ndarray]:
    """Summed squares of each row's slow part (:func:`slow_baseline`) and of the rest, for a survey to add up.

    Parameters
    ----------
    x : ndarray, shape (n_rows, n_times)
        A stretch of the recording.
    sfreq : float
        Rate, Hz.

    Returns
    -------
    (ndarray, ndarray), each shape (n_rows,)
    """
    base = slow_baseline(x, sfreq)
    return (base ** 2).sum(axis=-1), ((x - base) ** 2).sum(axis=-1)


def needs_baseline(slow: np.ndarray, fast: np.ndarray, seconds: float = np.inf) -> np.ndarray:
    """Rows whose slow part is large beside the rest (:data:`SLOW_SHARE` in RMS): DC-coupled, unfiltered.

    Parameters
    ----------
    slow, fast : ndarray, shape (n_rows,)
        From :func:`slow_and_fast_power`, summed over the recording.
    seconds : float
        The recording's length: shorter than :data:`MIN_BASELINE_S`, no row is flagged (what a fraction of a
        second calls slow is its noise).

    Returns
    -------
    ndarray of bool, shape (n_rows,)
    """
    flagged = np.asarray(slow) > SLOW_SHARE ** 2 * np.asarray(fast)
    return flagged & (seconds >= MIN_BASELINE_S)

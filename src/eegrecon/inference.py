"""Apply a window-level denoiser to continuous signals: sliding windows, overlap-add, rate conversion.

The core the user-facing :class:`~eegrecon.denoise.Denoiser` and :class:`~eegrecon.streaming.StreamingDenoiser`
share. Every function works on ``(n_signals, n_times)`` float64 arrays in the caller's units: each window is
divided by its own std before the network and multiplied back after, exactly as in training, so the result
does not depend on the unit (V or µV).

Stitching: windows of ``n_window`` samples every ``hop`` samples, weighted by a periodic Hann window and
normalised by the summed weights, so the output has no seams; the signal is reflect-padded by
``n_window - hop`` samples at the start (and as needed at the end) so that every sample is covered by the
same number of windows, the edges included.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.signal import get_window

from eegrecon.data.preprocess import resample

WindowFn = Callable[[np.ndarray], np.ndarray]  # (n, n_window) normalised windows → (n, n_window)

#: a window whose std is below this fraction of the signal's median window std is left untouched (flat/zeroed)
FLAT_FRACTION = 1e-6


def hop_for(n_window: int, overlap: float) -> int:
    if not 0.0 <= overlap < 1.0:
        raise ValueError(f"overlap must be in [0, 1), got {overlap}")
    return max(1, int(round(n_window * (1.0 - overlap))))


def synthesis_weights(n_window: int, hop: int) -> np.ndarray:
    """Periodic Hann weights (sum to a constant at 50 % overlap); all ones without overlap."""
    if hop >= n_window:
        return np.ones(n_window)
    return get_window("hann", n_window, fftbins=True) + 1e-3  # floor keeps the window edges from dividing by ~0


def reflect_pad(x: np.ndarray, before: int, after: int) -> np.ndarray:
    """Reflect-pad the last axis, repeating the reflection when the signal is shorter than the pad."""
    if x.shape[-1] == 1:
        return np.pad(x, [(0, 0)] * (x.ndim - 1) + [(before, after)], mode="edge")
    return np.pad(x, [(0, 0)] * (x.ndim - 1) + [(before, after)], mode="reflect")


def window_starts(n_padded: int, n_window: int, hop: int) -> np.ndarray:
    return np.arange(0, max(1, n_padded - n_window + 1), hop)


def padded_length(n_times: int, n_window: int, hop: int) -> tuple[int, int]:
    """(left pad, right pad) so that windows every ``hop`` cover [0, n_times) equally often, edges included."""
    left = n_window - hop if hop < n_window else 0
    n_win = max(1, int(np.ceil((2 * left + n_times - n_window) / hop)) + 1)
    return left, (n_win - 1) * hop + n_window - left - n_times


def denoise_windows(windows: np.ndarray, fn: WindowFn, batch: int = 1024) -> np.ndarray:
    """Normalise each window by its std, apply ``fn`` in batches, scale back. Flat windows pass through."""
    std = windows.std(axis=1)
    ref = np.median(std) if len(std) else 0.0
    live = std > max(FLAT_FRACTION * ref, np.finfo(np.float64).tiny)
    out = windows.copy()
    idx = np.flatnonzero(live)
    for i in range(0, len(idx), batch):
        sel = idx[i:i + batch]
        out[sel] = np.asarray(fn(windows[sel] / std[sel, None]), dtype=np.float64) * std[sel, None]
    return out


def overlap_add_denoise(x: np.ndarray, fn: WindowFn, n_window: int, overlap: float = 0.5,
                        batch: int = 1024) -> np.ndarray:
    """Denoise ``x`` (n_signals, n_times) at the model rate with Hann-weighted overlap-add."""
    n_sig, n = x.shape
    hop = hop_for(n_window, overlap)
    left, right = padded_length(n, n_window, hop)
    xp = reflect_pad(x, left, right)
    starts = window_starts(xp.shape[1], n_window, hop)
    idx = starts[:, None] + np.arange(n_window)[None, :]
    windows = xp[:, idx].reshape(-1, n_window)  # (n_sig * n_win, n_window)
    den = denoise_windows(windows, fn, batch).reshape(n_sig, len(starts), n_window)
    w = synthesis_weights(n_window, hop)
    num = np.zeros_like(xp)
    norm = np.zeros(xp.shape[1])
    for k, s in enumerate(starts):
        num[:, s:s + n_window] += den[:, k] * w
        norm[s:s + n_window] += w
    return (num / norm)[:, left:left + n]


def denoise_signals(x: np.ndarray, sfreq: float, fn: WindowFn, model_sfreq: float, n_window: int,
                    overlap: float = 0.5, batch: int = 1024, max_signals: int = 16) -> np.ndarray:
    """Denoise continuous signals at any rate. ``x``: (n_signals, n_times) → same shape, same units.

    Off the model rate, only the model's *correction* (input − output at the model rate) is resampled back
    and subtracted from the original, so content above the model's Nyquist frequency and the exact input
    samples are kept wherever the model changes nothing.
    """
    x = np.asarray(x, dtype=np.float64)
    out = np.empty_like(x)
    same_rate = abs(sfreq - model_sfreq) < 1e-9
    for i in range(0, x.shape[0], max_signals):  # bounds memory on long, many-channel recordings
        part = x[i:i + max_signals]
        if same_rate:
            out[i:i + max_signals] = overlap_add_denoise(part, fn, n_window, overlap, batch)
            continue
        at_model = resample(part, sfreq, model_sfreq)
        correction = at_model - overlap_add_denoise(at_model, fn, n_window, overlap, batch)
        back = resample(correction, model_sfreq, sfreq)
        n = part.shape[1]
        back = back[:, :n] if back.shape[1] >= n else np.pad(back, ((0, 0), (0, n - back.shape[1])), mode="edge")
        out[i:i + max_signals] = part - back
    return out

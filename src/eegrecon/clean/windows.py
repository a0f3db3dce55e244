"""Apply a window-level denoiser to continuous signals: sliding windows, overlap-add, rate conversion.

The core the user-facing :class:`~eegrecon.Denoiser` and :class:`~eegrecon.clean.streaming.StreamingDenoiser`
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
from typing import TYPE_CHECKING

import numpy as np
from scipy.signal import get_window

from eegrecon.signal.filters import hop_for, resample, resample_ratio

if TYPE_CHECKING:
    from eegrecon.clean.window_cache import WindowCache

WindowFn = Callable[[np.ndarray], np.ndarray]  # (n, n_window) normalised windows → (n, n_window)

#: a window whose std is below this fraction of its own peak amplitude is left untouched (constant or zeroed):
#: a per-window rule, so that a window's fate never depends on which other windows are processed with it
FLAT_FRACTION = 1e-9

#: half-length of scipy's resample_poly filter, in units of max(up, down) samples at the upsampled rate
RESAMPLE_HALF_LEN = 10


def synthesis_weights(n_window: int, hop: int) -> np.ndarray:
    """Overlap-add weights: periodic Hann (sums to a constant at 50 % overlap), all ones without overlap.

    Parameters
    ----------
    n_window : int
        Window length, samples.
    hop : int
        Hop between windows, samples.

    Returns
    -------
    ndarray, shape (n_window,)
        Weights (floored at 1e-3 so that window edges never divide by ~0).
    """
    if hop >= n_window:
        return np.ones(n_window)
    return get_window("hann", n_window, fftbins=True) + 1e-3  # floor keeps the window edges from dividing by ~0


def reflect_pad(x: np.ndarray, before: int, after: int) -> np.ndarray:
    """Reflect-pad the last axis, repeating the reflection when the signal is shorter than the pad.

    Parameters
    ----------
    x : ndarray, shape (..., n_times)
        Signals.
    before, after : int
        Samples to add at the start and the end.

    Returns
    -------
    ndarray, shape (..., before + n_times + after)
        The padded signals (edge-padded when n_times is 1).
    """
    if x.shape[-1] == 1:
        return np.pad(x, [(0, 0)] * (x.ndim - 1) + [(before, after)], mode="edge")
    return np.pad(x, [(0, 0)] * (x.ndim - 1) + [(before, after)], mode="reflect")


def window_starts(n_padded: int, n_window: int, hop: int) -> np.ndarray:
    """Start index of every window that fits in a padded signal.

    Parameters
    ----------
    n_padded : int
        Length of the padded signal, samples.
    n_window : int
        Window length, samples.
    hop : int
        Hop between windows, samples.

    Returns
    -------
    ndarray of int
        Window starts (at least one).
    """
    return np.arange(0, max(1, n_padded - n_window + 1), hop)


def lead_padding(n_window: int, hop: int) -> int:
    """Samples reflected before the signal so that its first sample is covered by as many windows as any other.

    Parameters
    ----------
    n_window : int
        Window length, samples.
    hop : int
        Hop between windows, samples.

    Returns
    -------
    int
        ``n_window - hop`` with overlap, 0 without.
    """
    return n_window - hop if hop < n_window else 0


def padded_length(n_times: int, n_window: int, hop: int) -> tuple[int, int]:
    """Padding so that windows every ``hop`` cover [0, n_times) equally often, edges included.

    Parameters
    ----------
    n_times : int
        Signal length, samples.
    n_window : int
        Window length, samples.
    hop : int
        Hop between windows, samples.

    Returns
    -------
    (int, int)
        Samples to pad before and after.
    """
    left = lead_padding(n_window, hop)
    n_win = max(1, int(np.ceil((2 * left + n_times - n_window) / hop)) + 1)
    return left, (n_win - 1) * hop + n_window - left - n_times


def _live(scale: np.ndarray, peak: np.ndarray) -> np.ndarray:
    """Windows worth giving to a model: scale above :data:`FLAT_FRACTION` of their peak (and above 0)."""
    return (scale > FLAT_FRACTION * peak) & (scale > np.finfo(np.float64).tiny)


def window_corrections(windows: np.ndarray, fn: WindowFn, batch: int = 1024) -> np.ndarray:
    """What ``fn`` removes from each window (input − output), in the caller's units.

    Each window is divided by its std, ``fn`` runs in batches, and the change it made is scaled back; computing the
    change in the normalised domain makes it exactly 0 where ``fn`` returns its input (a closed artifact gate) and
    for flat windows (std ≤ :data:`FLAT_FRACTION` × their peak), which are never given to ``fn``.

    Parameters
    ----------
    windows : ndarray, shape (n, n_window)
        Windows in the caller's units.
    fn : callable
        Normalised windows (m, n_window) → denoised (m, n_window).
    batch : int
        Windows per call of ``fn``.

    Returns
    -------
    ndarray, shape (n, n_window)
        Corrections, float64.
    """
    std = windows.std(axis=1)
    live = _live(std, np.abs(windows).max(axis=1) if windows.size else np.zeros(0))
    out = np.zeros(windows.shape)
    idx = np.flatnonzero(live)
    for i in range(0, len(idx), batch):
        sel = idx[i:i + batch]
        norm = windows[sel] / std[sel, None]
        out[sel] = (norm - np.asarray(fn(norm), dtype=np.float64)) * std[sel, None]
    return out


def joint_scale(eeg: np.ndarray) -> np.ndarray:
    """The one scale a multichannel window is divided by: the median of its channels' standard deviations.

    Parameters
    ----------
    eeg : ndarray, shape (..., n_chans, n_window)
        Average-referenced EEG windows.

    Returns
    -------
    ndarray, shape (...)
        The scale per window (0 for an empty or flat window).
    """
    if eeg.shape[-2] == 0:
        return np.zeros(eeg.shape[:-2])
    return np.median(eeg.std(axis=-1), axis=-1)


def joint_normalise(windows: np.ndarray, n_eeg: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Multichannel windows as a multichannel model sees them.

    The EEG rows (the first ``n_eeg``) are average-referenced and divided by :func:`joint_scale` (relative
    amplitudes across channels carry the artifact's topography); the other rows are reference channels (EOG, ECG),
    each divided by its own std.

    Parameters
    ----------
    windows : ndarray, shape (n, n_rows, n_window)
        Windows in the caller's units: ``n_eeg`` EEG rows, then references.
    n_eeg : int
        EEG rows.

    Returns
    -------
    normalised : ndarray, shape (n, n_rows, n_window)
        Model input (0 for windows that are not live).
    scale : ndarray, shape (n,)
        What the EEG rows were divided by.
    live : ndarray of bool, shape (n,)
        Windows that are not flat (:data:`FLAT_FRACTION`).
    """
    eeg = windows[:, :n_eeg] - windows[:, :n_eeg].mean(axis=1, keepdims=True)
    scale = joint_scale(eeg)
    live = _live(scale, np.abs(eeg).max(axis=(1, 2)) if eeg.size else np.zeros(len(windows)))
    refs = windows[:, n_eeg:]
    ref_std = refs.std(axis=-1, keepdims=True)
    safe = np.where(live, scale, 1.0)[:, None, None]
    normalised = np.concatenate([np.where(live[:, None, None], eeg / safe, 0.0),
                                 np.divide(refs, ref_std, out=np.zeros_like(refs), where=ref_std > 0)], axis=1)
    return normalised, scale, live


def joint_window_corrections(windows: np.ndarray, fn: WindowFn, n_eeg: int, batch: int = 32) -> np.ndarray:
    """What a multichannel ``fn`` removes from windows that hold every channel at once, in the caller's units.

    Windows are normalised by :func:`joint_normalise`; ``fn`` returns the cleaned EEG rows in average reference;
    the correction (input − output) is 0 where it changes nothing, and 0 for the references.

    Parameters
    ----------
    windows : ndarray, shape (n, n_rows, n_window)
        Windows in the caller's units: ``n_eeg`` EEG rows, then references.
    fn : callable
        Normalised (m, n_rows, n_window) → cleaned EEG rows (m, n_eeg, n_window).
    n_eeg : int
        EEG rows.
    batch : int
        Windows per call of ``fn``.

    Returns
    -------
    ndarray, shape (n, n_rows, n_window)
        Corrections, float64.
    """
    normalised, scale, live = joint_normalise(windows, n_eeg)
    out = np.zeros(windows.shape)
    idx = np.flatnonzero(live)
    for i in range(0, len(idx), batch):
        sel = idx[i:i + batch]
        norm = normalised[sel]
        cleaned = np.asarray(fn(norm), dtype=np.float64)
        out[sel, :n_eeg] = (norm[:, :n_eeg] - cleaned) * scale[sel, None, None]
    return out


def _overlap_add(x: np.ndarray, window_values: Callable[[np.ndarray], np.ndarray], n_window: int,
                 overlap: float, phase: int = 0, cache: dict[int, np.ndarray] | None = None,
                 reach: int = 0, cache_at_end: bool = False) -> np.ndarray:
    """Hann-weighted overlap-add of a value computed per window of ``x`` (reflect-padded so every sample is
    covered alike); ``window_values`` maps (n_rows, n_windows, n_window) → (n_out, n_windows, n_window). With a
    ``cache`` (``phase`` is then ``x[:, 0]``'s absolute model-rate index), windows whose input is final are taken
    from it or computed and stored, and the others are left out but one: only samples covered by final windows
    are valid then (a live stream's kept span; ``cache_at_end``: ``x`` ends the recording)."""
    n = x.shape[1]
    hop = hop_for(n_window, overlap)
    origin, phase = phase, phase % hop
    left, right = padded_length(n + phase, n_window, hop)
    xp = reflect_pad(x, left + phase, right)
    starts = window_starts(xp.shape[1], n_window, hop)
    weights = synthesis_weights(n_window, hop)
    if cache is None:
        values = window_values(xp[:, starts[:, None] + np.arange(n_window)[None, :]])
    else:
        # a window is final when its input is: inside x by more than the filters' reach, or padded at the
        # recording's true start (or, at its end, the stream's last push) exactly as offline. The others touch
        # only context samples, whose output is discarded: they are not run, except the first one after the last
        # final window, so that the samples just past the kept span hold nearly their final correction for the
        # mains-bin stop that follows the network (run on every push: reusing its first value costs 30× more of
        # the difference to offline)
        inside = starts - left - phase  # first sample of each window in x
        absolute = origin + inside
        final = ((inside >= reach) | (origin - phase == 0)) & ((inside + n_window <= n - reach) | cache_at_end)
        last = np.flatnonzero(final).max() if final.any() else -1
        after = np.flatnonzero(~final & (np.arange(len(starts)) > last))[:1]
        todo = np.union1d(np.flatnonzero(final & ~np.isin(absolute, list(cache))), after).astype(int)
        fresh = {}  # window index → value, for the windows run now
        if len(todo):
            computed = window_values(xp[:, starts[todo][:, None] + np.arange(n_window)[None, :]])
            fresh = {int(k): computed[:, j] for j, k in enumerate(todo)}
            cache.update({int(absolute[k]): value.copy() for k, value in fresh.items() if final[k]})
        used = {int(k): cache[int(absolute[k])] for k in np.flatnonzero(final)} | fresh
        if not used:
            return np.zeros((x.shape[0], n))
        values = np.zeros((next(iter(used.values())).shape[0], len(starts), n_window))
        for k, value in used.items():
            values[:, k] = value
    num, norm = np.zeros((values.shape[0], xp.shape[1])), np.zeros(xp.shape[1])
    for k, s in enumerate(starts):
        num[:, s:s + n_window] += values[:, k] * weights
        norm[s:s + n_window] += weights
    return (num / norm)[:, left + phase:left + phase + n]


def overlap_add_corrections(x: np.ndarray, fn: WindowFn, n_window: int, overlap: float = 0.5,
                            batch: int = 1024, phase: int = 0, joint: int | None = None,
                            cache: dict[int, np.ndarray] | None = None, reach: int = 0,
                            cache_at_end: bool = False) -> np.ndarray:
    """What a window-level denoiser removes from continuous signals at the model rate, with Hann-weighted
    overlap-add of each window's correction (input − output). Where the model changes nothing the correction is
    exactly 0, so ``x − correction`` is the input bit for bit.

    Parameters
    ----------
    x : ndarray, shape (n_signals, n_times)
        Signals at the model's rate.
    fn : callable
        Normalised windows → denoised windows.
    n_window : int
        Model window, samples.
    overlap : float
        Overlap between windows, in [0, 1).
    batch : int
        Windows per call of ``fn``.
    phase : int
        Position of ``x[:, 0]`` on the window grid (its index in the whole signal, modulo the hop): a chunk
        of a longer signal then gets the windows the whole signal would have. 0 for a whole signal.
    joint : int or None
        None: every row is a signal of its own (:func:`window_corrections`). An int: the rows are the channels of
        one recording, the first ``joint`` EEG and the rest references, cleaned together
        (:func:`joint_window_corrections`).
    cache : dict or None
        Corrections of windows computed before, by absolute start (``phase`` is then the absolute model-rate index
        of ``x[:, 0]``): a live stream's (:class:`~eegrecon.clean.window_cache.WindowCache`).
    reach : int
        Samples at each end of ``x`` whose values are not final (the resampling filters'): windows touching them
        are left out with a cache.
    cache_at_end : bool
        ``x`` ends the recording: its last windows are final.

    Returns
    -------
    ndarray, shape (n_signals, n_times)
        The overlap-added corrections.
    """
    def corrections(windows: np.ndarray) -> np.ndarray:  # (n_signals, n_windows, n_window)
        if joint is None:
            return window_corrections(windows.reshape(-1, n_window), fn, batch).reshape(windows.shape)
        return joint_window_corrections(windows.transpose(1, 0, 2), fn, joint, batch).transpose(1, 0, 2)

    return _overlap_add(x, corrections, n_window, overlap, phase, cache, reach, cache_at_end)


def overlap_add_denoise(x: np.ndarray, fn: WindowFn, n_window: int, overlap: float = 0.5,
                        batch: int = 1024) -> np.ndarray:
    """Denoise continuous signals at the model rate: ``x`` minus :func:`overlap_add_corrections`.

    Parameters
    ----------
    x : ndarray, shape (n_signals, n_times)
        Signals at the model's rate.
    fn : callable
        Normalised windows → denoised windows.
    n_window : int
        Model window, samples.
    overlap : float
        Overlap between windows, in [0, 1).
    batch : int
        Windows per call of ``fn``.

    Returns
    -------
    ndarray, shape (n_signals, n_times)
        Denoised signals.
    """
    return x - overlap_add_corrections(x, fn, n_window, overlap, batch)


def denoise_signals(x: np.ndarray, sfreq: float, fn: WindowFn, model_sfreq: float, n_window: int,
                    overlap: float = 0.5, batch: int = 1024, max_signals: int = 16, start: int = 0,
                    joint: int | None = None, cache: WindowCache | None = None) -> np.ndarray:
    """Denoise continuous signals at any rate, in the caller's units.

    The model's *correction* (input − output of each window, overlap-added) is subtracted from the original;
    off the model rate only that correction is resampled back. Content above the model's Nyquist frequency is
    kept, and wherever the model changes nothing (a closed artifact gate, flat windows) the correction is exactly
    0 and the output is the input bit for bit.

    Parameters
    ----------
    x : ndarray, shape (n_signals, n_times)
        Signals at ``sfreq``.
    sfreq : float
        Their sampling rate, Hz.
    fn : callable
        Normalised windows at ``model_sfreq`` → denoised windows.
    model_sfreq : float
        The model's rate, Hz.
    n_window : int
        The model's window, samples.
    overlap : float
        Overlap between windows, in [0, 1).
    batch : int
        Windows per call of ``fn``.
    max_signals : int
        Signals processed at once (bounds memory on long, many-channel recordings).
    start : int
        Index of ``x[:, 0]`` in the whole signal when ``x`` is a chunk of it (a multiple of
        :func:`chunk_quantum`): the chunk then gets the whole signal's windows.
    joint : int or None
        Clean the rows together, the first ``joint`` as EEG and the rest as references (a multichannel model);
        the references come back unchanged.
    cache : WindowCache or None
        A live stream's windows computed before: each window runs once, and windows that touch only the context
        are not run (only the kept span, ``keep`` of the engine, is valid then).

    Returns
    -------
    ndarray, shape (n_signals, n_times)
        Denoised signals, float64.
    """
    x = np.asarray(x, dtype=np.float64)
    out = np.empty_like(x)
    same_rate = abs(sfreq - model_sfreq) < 1e-9
    up, down = resample_ratio(sfreq, model_sfreq)
    if start % down:
        raise ValueError(f"a chunk must start at a multiple of {down} samples (got {start}): see chunk_quantum")
    phase = start // down * up
    reach = 0 if same_rate else int(np.ceil(RESAMPLE_HALF_LEN * max(up, down) / down))  # the filter, model samples
    step = max_signals if joint is None else max(x.shape[0], 1)  # a multichannel model needs every row at once
    for i in range(0, x.shape[0], step):  # bounds memory on long, many-channel recordings
        part = x[i:i + step]
        known, at_end = (None, False) if cache is None else (cache.group(i), cache.at_end)
        if same_rate:
            out[i:i + step] = part - overlap_add_corrections(part, fn, n_window, overlap, batch, phase, joint,
                                                             known, reach, at_end)
            continue
        at_model = resample(part, sfreq, model_sfreq)
        correction = overlap_add_corrections(at_model, fn, n_window, overlap, batch, phase, joint, known, reach,
                                             at_end)
        back = resample(correction, model_sfreq, sfreq)
        n = part.shape[1]
        back = back[:, :n] if back.shape[1] >= n else np.pad(back, ((0, 0), (0, n - back.shape[1])), mode="edge")
        out[i:i + step] = part - back
    return out


def overlap_add_map(x: np.ndarray, map_fn: WindowFn, n_window: int, overlap: float = 0.5,
                    joint: int | None = None, batch: int = 32) -> np.ndarray:
    """A model's artifact map (its gate, in [0, 1]) over continuous signals at the model rate, overlap-added.

    Windows are normalised exactly as for cleaning (:func:`window_corrections`, :func:`joint_window_corrections`).

    Parameters
    ----------
    x : ndarray, shape (n_rows, n_times)
        Signals at the model's rate (with ``joint``: EEG rows, then references).
    map_fn : callable
        Normalised windows → gate per sample: (m, n_window) → (m, n_window), or with ``joint``
        (m, n_rows, n_window) → (m, joint, n_window).
    n_window : int
        Model window, samples.
    overlap : float
        Overlap between windows, in [0, 1).
    joint : int or None
        EEG rows of a multichannel model (None: every row alone).
    batch : int
        Windows per call of ``map_fn``.

    Returns
    -------
    ndarray, shape (n_eeg_rows, n_times)
        The map, float64 in [0, 1] (0 over flat windows).
    """
    def gates(windows: np.ndarray) -> np.ndarray:  # (n_rows, n_windows, n_window) → (n_eeg, ...)
        w = windows.transpose(1, 0, 2)
        out = np.zeros((len(w), w.shape[1] if joint is None else joint, n_window))
        if joint is None:
            std = w.std(axis=-1)
            live = _live(std, np.abs(w).max(axis=-1))
            norm = np.divide(w, std[..., None], out=np.zeros_like(w), where=live[..., None])
        else:
            norm, _, live = joint_normalise(w, joint)
        for i in range(0, len(w), batch):
            g = np.asarray(map_fn(norm[i:i + batch].reshape(-1, n_window) if joint is None else norm[i:i + batch]))
            out[i:i + batch] = g.reshape(out[i:i + batch].shape)
        live = live if joint is None else live[:, None]
        return (out * live[..., None]).transpose(1, 0, 2)

    return np.clip(_overlap_add(x, gates, n_window, overlap), 0.0, 1.0)

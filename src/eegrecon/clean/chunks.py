"""Chunks of a long signal: where each starts, how much context it carries, so that cleaning chunk by chunk equals
cleaning the whole signal."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from eegrecon.clean.windows import RESAMPLE_HALF_LEN
from eegrecon.signal.filters import resample_ratio


def chunk_quantum(sfreq: float, model_sfreq: float) -> int:
    """Input samples that a chunk's start must be a multiple of for it to be resampled as in the whole signal.

    Polyphase resampling by ``up/down`` maps input sample ``k·down`` onto model sample ``k·up``, so a chunk that
    starts at a multiple of ``down`` sees exactly the whole signal's resampled samples; its windows are then put on
    the whole signal's grid by :func:`overlap_add_corrections`' ``phase``. 1 at the model's rate.

    Parameters
    ----------
    sfreq : float
        Input rate, Hz.
    model_sfreq : float
        The model's rate, Hz.

    Returns
    -------
    int
        The quantum, input samples.
    """
    return resample_ratio(sfreq, model_sfreq)[1]


def chunk_margin(sfreq: float, model_sfreq: float, n_window: int) -> int:
    """Input samples of context a chunk needs on each side so that its kept part equals the whole-signal result.

    Covers the windows that overlap the chunk's edges (one model window) and both resampling filters.

    Parameters
    ----------
    sfreq : float
        Input rate, Hz.
    model_sfreq : float
        The model's rate, Hz.
    n_window : int
        Model window, samples.

    Returns
    -------
    int
        Samples at the input rate.
    """
    up, down = resample_ratio(sfreq, model_sfreq)
    if up == down:
        return n_window
    half = RESAMPLE_HALF_LEN * max(up, down)
    to_model = int(np.ceil(half / up)) + 1  # input samples the forward filter reaches
    back = int(np.ceil(half / down)) + 1  # model samples the backward filter reaches
    return to_model + int(np.ceil((n_window + back) * down / up)) + 1


def chunk_spans(n_times: int, chunk: int, margin: int, quantum: int) -> Iterator[tuple[int, int, int, int]]:
    """Chunks of a signal with the context each needs: ``(read_start, read_stop, keep_start, keep_stop)``.

    Kept parts tile ``[0, n_times)``; reads add ``margin`` on each side (clipped to the signal). ``chunk`` and
    ``margin`` are rounded up to multiples of ``quantum`` so that every read starts on the windows' grid.

    Parameters
    ----------
    n_times : int
        Signal length, samples.
    chunk : int
        Kept samples per chunk (at least one quantum).
    margin : int
        Context on each side, samples.
    quantum : int
        See :func:`chunk_quantum`.

    Yields
    ------
    (int, int, int, int)
        Read and kept spans, samples.
    """
    chunk = max(quantum, -(-chunk // quantum) * quantum)
    margin = -(-margin // quantum) * quantum
    if n_times <= chunk + margin:  # one read would cover (nearly) all of it anyway
        yield 0, n_times, 0, n_times
        return
    for start in range(0, n_times, chunk):
        stop = min(start + chunk, n_times)
        yield max(0, start - margin), min(n_times, stop + margin), start, stop


def span_mask(spans: list[tuple[int, int]], start: int, stop: int) -> np.ndarray:
    """True where one of ``spans`` covers a sample of [start, stop).

    Parameters
    ----------
    spans : list of (int, int)
        Sample spans ``[a, b)``.
    start, stop : int
        The stretch asked about.

    Returns
    -------
    ndarray of bool, shape (stop - start,)
    """
    mask = np.zeros(stop - start, bool)
    for a, b in spans:
        mask[max(a - start, 0):max(min(b, stop) - start, 0)] = True
    return mask

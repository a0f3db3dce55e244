"""The survey pass: one read of the whole recording, chunk by chunk, before anything is cleaned.

It finds what must be known in advance: non-finite values (an error naming the channels), flat and clipped
channels, the units' plausibility, rows with a slow baseline (DC offsets, drift) to take out before the network, the
mains hum (from the recording's own spectrum, broken channels left out so
that one of them cannot decide the notch for the others) and the share of power above the model's band.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.signal import welch

from eegrecon.clean.recording import ReadFn
from eegrecon.clean.spatial.broken_channels import find_bad_channels
from eegrecon.signal.baseline import needs_baseline, slow_and_fast_power
from eegrecon.signal.mains import LineNoise, SpectrumAccumulator, detect_line_noise
from eegrecon.signal.validate import ChannelStats, channel_names, check_finite, check_units

#: the model's band ends at this fraction of its rate (below its Nyquist frequency, where resampling starts to cut)
MODEL_BAND_FRACTION = 0.45


@dataclass
class Survey:
    """What the survey found.

    Parameters
    ----------
    stats : ChannelStats
        Per-row statistics (std, flat, clipped).
    power_share : float
        Share of the input's power above the model's band.
    line : LineNoise or None
        The mains hum found (None: none, or not looked for).
    slow_rows : ndarray of bool, shape (n_rows,)
        Rows whose offset or drift must be taken out before the network (:mod:`eegrecon.signal.baseline`).
    """

    stats: ChannelStats
    power_share: float
    line: LineNoise | None
    slow_rows: np.ndarray


def survey(read: ReadFn, n_rows: int, n_times: int, sfreq: float, where: str, ch_names: list[str] | None,
           chunk: int, model_sfreq: float, find_mains: bool, n_eeg: int | None = None) -> Survey:
    """Read the signal once, ``chunk`` samples at a time.

    Parameters
    ----------
    read : callable
        ``(start, stop) → (n_rows, stop − start)`` samples.
    n_rows, n_times : int
        Rows and samples of the signal.
    sfreq : float
        Its rate, Hz.
    where : str
        What to call it in errors.
    ch_names : list of str or None
        Row names for errors.
    chunk : int
        Samples per read.
    model_sfreq : float
        The model's rate, Hz (its band ends at :data:`MODEL_BAND_FRACTION` of it).
    find_mains : bool
        Look for mains hum.
    n_eeg : int or None
        The first ``n_eeg`` rows are EEG (the rest references); None: every row.

    Returns
    -------
    Survey
    """
    stats = ChannelStats(n_rows)
    spectrum = SpectrumAccumulator(sfreq) if find_mains else None
    edge, above, total = MODEL_BAND_FRACTION * model_sfreq, 0.0, 0.0
    slow, fast = np.zeros(n_rows), np.zeros(n_rows)
    for start in range(0, n_times, max(chunk, 1)):
        block = np.asarray(read(start, min(start + chunk, n_times)), dtype=np.float64)
        check_finite(block, ch_names, where)
        stats.update(block)
        power = slow_and_fast_power(block, sfreq)
        slow, fast = slow + power[0], fast + power[1]
        if spectrum is not None:  # a broken channel must not decide the notch for all the others
            eeg = np.flatnonzero(block[:n_rows if n_eeg is None else n_eeg].std(axis=1) > 0)
            keep = np.ones(n_rows, bool)
            keep[eeg[list(find_bad_channels(block[eeg], sfreq))]] = False
            spectrum.update(block[keep])
        if sfreq > model_sfreq + 1e-9 and block.shape[1] > 1:
            f, p = welch(block, fs=sfreq, nperseg=min(block.shape[1], int(2 * sfreq)), axis=-1)
            above += float(p[:, f > edge].sum()) * block.shape[1]
            total += float(p.sum()) * block.shape[1]
    line = (detect_line_noise(spectrum.freqs, spectrum.psd, sfreq, spectrum.segments)
            if spectrum is not None and spectrum.psd is not None else None)
    return Survey(stats, above / max(total, 1e-300), line, needs_baseline(slow, fast, n_times / sfreq))


def report_survey(found: Survey, report: dict[str, Any], ch_names: list[str] | None, sfreq: float, where: str,
                  units: str | None, line_freq: Any, line_hz: float | None, above_band: str,
                  model_sfreq: float, precision: str | None) -> tuple[np.ndarray, float | None]:
    """Fill ``report`` from the survey and decide the notch.

    Parameters
    ----------
    found : Survey
        The survey's result.
    report : dict
        The Denoiser's ``report_`` (filled in place).
    ch_names : list of str or None
        Row names.
    sfreq : float
        The signal's rate, Hz.
    where : str
        What to call it in warnings.
    units : str or None
        The declared unit (a sanity warning only).
    line_freq : "auto", float or None
        The Denoiser's option.
    line_hz : float or None
        The frequency notched when ``line_freq`` is a number.
    above_band : str
        The policy above the model's band.
    model_sfreq : float
        The model's rate, Hz.
    precision : str or None
        The network's arithmetic (reported).

    Returns
    -------
    (ndarray of int, float or None)
        The rows to clean (not flat) and the mains frequency to notch (None: no notch).
    """
    stats = found.stats
    report["units_warning"] = check_units(None, units, where, std=stats.std)
    report["precision"] = precision
    names = channel_names(len(stats.std), ch_names)
    flat = stats.flat()
    report["flat_channels"] = [names[i] for i in np.flatnonzero(flat)]
    clipped = [names[i] for i in stats.clipped()]
    report["clipped_channels"] = clipped
    if clipped:
        warnings.warn(f"{where}: channel(s) {', '.join(clipped[:8])} look clipped (many samples at the channel's "
                      "min or max): they are denoised, but clipped peaks cannot be restored", UserWarning,
                      stacklevel=5)
    live = np.flatnonzero(~flat)
    if line_freq == "auto":
        line_hz = found.line.freq if found.line is not None else None
    report["line_noise"] = {
        "policy": line_freq if line_freq in (None, "auto") else "fixed",
        "detected_hz": found.line.freq if found.line is not None else None,
        "prominence_db": round(found.line.prominence_db, 1) if found.line is not None else None,
        "notched_hz": line_hz if len(live) else None}
    report["above_model_band"] = None
    if sfreq > model_sfreq + 1e-9 and len(live):
        report["above_model_band"] = {"policy": above_band, "edge_hz": MODEL_BAND_FRACTION * model_sfreq,
                                      "input_power_share": found.power_share}
    return live, line_hz

"""Checks on user recordings that turn silent damage into a clear error or warning (which file, which channel).

The one place for input checks: non-finite values, flat channels, clipping and units. The reader
(:mod:`eegrecon.data.user_files`), the :class:`~eegrecon.denoise.Denoiser` and the
:class:`~eegrecon.streaming.StreamingDenoiser` all call these.
"""

from __future__ import annotations

import warnings

import numpy as np

from eegrecon.errors import DataError
from eegrecon.options import UNITS, check_option

#: per-channel std (in the unit named) outside which the data does not look like scalp EEG in that unit
PLAUSIBLE_STD: dict[str, tuple[float, float]] = {"V": (1e-8, 5e-3), "uV": (0.01, 5e3)}


def channel_names(n_chans: int, ch_names: list[str] | None = None) -> list[str]:
    """``ch_names``, or ``#0``, ``#1``, ... for arrays without names.

    Parameters
    ----------
    n_chans : int
        Number of channels.
    ch_names : list of str or None
        Names, if known.

    Returns
    -------
    list of str
        One name per channel.
    """
    return list(ch_names) if ch_names else [f"#{i}" for i in range(n_chans)]


def check_finite(data: np.ndarray, ch_names: list[str] | None, where: str) -> None:
    """Raise :class:`~eegrecon.errors.DataError` naming the channels that hold NaN or Inf.

    Parameters
    ----------
    data : ndarray, shape (n_chans, n_times)
        The signals.
    ch_names : list of str or None
        Channel names (``#i`` when None).
    where : str
        The file or object, for the message.
    """
    bad = ~np.isfinite(data).all(axis=-1)
    if bad.any():
        names = channel_names(data.shape[0], ch_names)
        listed = ", ".join(names[i] for i in np.flatnonzero(bad)[:8])
        raise DataError(f"{where}: channel(s) {listed} contain NaN or Inf; interpolate them, drop them or mark "
                        "them bad (MNE: raw.info['bads']) and retry")


def check_not_flat(data: np.ndarray, ch_names: list[str], where: str, min_std: float) -> None:
    """Raise naming channels whose std is below ``min_std`` (disconnected or zeroed).

    Parameters
    ----------
    data : ndarray, shape (n_chans, n_times)
        The signals.
    ch_names : list of str
        Channel names.
    where : str
        The file, for the message.
    min_std : float
        Smallest std accepted, in the data's unit.
    """
    flat = np.nanstd(data, axis=1) < min_std
    if flat.any():
        names = [ch_names[i] for i in np.flatnonzero(flat)]
        raise DataError(f"{where}: channel(s) {', '.join(names[:5])} are flat (std < {min_std:g}); drop them or "
                        "mark them bad before use")


def check_volts(data: np.ndarray, ch_names: list[str], where: str) -> None:
    """Raise if EEG that should be in volts looks like microvolts (or raw counts) stored as volts.

    Parameters
    ----------
    data : ndarray, shape (n_chans, n_times)
        The signals, supposedly in volts.
    ch_names : list of str
        Channel names (unused in the message today; kept for symmetry with the other checks).
    where : str
        The file, for the message.
    """
    lo, hi = PLAUSIBLE_STD["V"]
    std = np.median(np.nanstd(data, axis=1))
    if std > hi:
        raise DataError(f"{where}: median channel std is {std:.3g} V, far above scalp EEG (~1e-5 V): the file "
                        "probably stores microvolts or ADC counts labelled as volts; fix the unit in the file header "
                        "or scale the data by 1e-6")
    if std < lo:
        raise DataError(f"{where}: median channel std is {std:.3g} V, far below scalp EEG (~1e-5 V): check the "
                        "file's physical unit (it may be nV or already scaled twice)")


def check_units(data: np.ndarray, units: str | None, where: str) -> str | None:
    """Warn when amplitudes do not look like scalp EEG in ``units``.

    Parameters
    ----------
    data : ndarray, shape (..., n_times)
        The signals.
    units : {"V", "uV"} or None
        The unit the caller declared; None skips the check.
    where : str
        The file or object, for the message.

    Returns
    -------
    str or None
        The warning's text, or None when the data look plausible.
    """
    if units is None or data.size == 0:
        return None
    check_option("units", units, UNITS)
    std = np.std(data, axis=-1)
    std = std[std > 0]
    if not len(std):
        return None
    med = float(np.median(std))
    lo, hi = PLAUSIBLE_STD[units]
    if lo <= med <= hi:
        return None
    other = "uV" if units == "V" else "V"
    msg = (f"{where}: median channel std {med:.3g} {units} does not look like scalp EEG in {units}"
           + (f" (it looks like {other})" if PLAUSIBLE_STD[other][0] <= med <= PLAUSIBLE_STD[other][1] else "")
           + "; the output is still in your units (denoising is scale-invariant), but check the data's unit")
    warnings.warn(msg, UserWarning, stacklevel=3)
    return msg


def clipped_channels(data: np.ndarray, min_fraction: float = 0.005) -> np.ndarray:
    """Channels whose min or max value repeats in ≥ ``min_fraction`` of samples (and ≥ 5 times): a saturated
    amplifier or ADC. Denoising cannot restore the clipped peaks.

    Parameters
    ----------
    data : ndarray, shape (n_chans, n_times)
        The signals.
    min_fraction : float
        Fraction of samples at the extreme that marks a channel as clipped.

    Returns
    -------
    ndarray of int
        Indices of the clipped channels.
    """
    n = data.shape[1]
    hits = np.maximum((data == data.max(axis=1, keepdims=True)).sum(axis=1),
                      (data == data.min(axis=1, keepdims=True)).sum(axis=1))
    return np.flatnonzero((hits >= max(5, min_fraction * n)) & (data.std(axis=1) > 0))

"""Checks on user recordings that turn silent damage into a clear error or warning (which file, which channel).

The one place for input checks: non-finite values, flat channels, clipping and units. The reader
(:mod:`eegrecon.data.user_files`), the :class:`~eegrecon.Denoiser` and the
:class:`~eegrecon.clean.streaming.StreamingDenoiser` all call these.
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


def check_units(data: np.ndarray | None, units: str | None, where: str, std: np.ndarray | None = None) -> str | None:
    """Warn when amplitudes do not look like scalp EEG in ``units``.

    Parameters
    ----------
    data : ndarray, shape (..., n_times)
        The signals.
    units : {"V", "uV"} or None
        The unit the caller declared; None skips the check.
    where : str
        The file or object, for the message.
    std : ndarray or None
        Per-channel std already computed (e.g. by :class:`ChannelStats` over a long file); then ``data`` is
        not read and may be None.

    Returns
    -------
    str or None
        The warning's text, or None when the data look plausible.
    """
    if units is None or (std is None and data.size == 0):
        return None
    check_option("units", units, UNITS)
    std = np.std(data, axis=-1) if std is None else np.asarray(std)
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
    return ChannelStats(data.shape[0]).update(np.asarray(data)).clipped(min_fraction)


class ChannelStats:
    """Per-channel statistics gathered chunk by chunk, equal to those of the whole recording (bounded memory).

    Feeds the checks the Denoiser reports: flat channels (peak-to-peak ≤ 1e-12 × the recording's peak),
    clipped channels (see :func:`clipped_channels`), the median channel std for the unit check.

    Parameters
    ----------
    n_chans : int
        Channels.
    """

    def __init__(self, n_chans: int):
        self.n = 0
        self.min = np.full(n_chans, np.inf)
        self.max = np.full(n_chans, -np.inf)
        self.at_min = np.zeros(n_chans, dtype=np.int64)
        self.at_max = np.zeros(n_chans, dtype=np.int64)
        self._sum = np.zeros(n_chans)
        self._sumsq = np.zeros(n_chans)

    def update(self, data: np.ndarray) -> ChannelStats:
        """Add the next samples.

        Parameters
        ----------
        data : ndarray, shape (n_chans, n)
            Consecutive samples of every channel.

        Returns
        -------
        ChannelStats
            ``self``.
        """
        if data.shape[1] == 0:
            return self
        for extreme, count, new, better in ((self.min, self.at_min, data.min(axis=1), np.less),
                                            (self.max, self.at_max, data.max(axis=1), np.greater)):
            hits = (data == new[:, None]).sum(axis=1)
            count[:] = np.where(better(new, extreme), hits, np.where(new == extreme, count + hits, count))
            extreme[:] = np.where(better(new, extreme), new, extreme)
        centre = data.mean(axis=1)  # shifted sums keep the variance accurate for signals with a large offset
        if self.n == 0:
            self._shift = centre
        d = data - self._shift[:, None]
        self._sum += d.sum(axis=1)
        self._sumsq += (d * d).sum(axis=1)
        self.n += data.shape[1]
        return self

    @property
    def std(self) -> np.ndarray:
        """Per-channel standard deviation."""
        if self.n == 0:
            return np.zeros_like(self._sum)
        mean = self._sum / self.n
        return np.sqrt(np.maximum(self._sumsq / self.n - mean * mean, 0.0))

    def flat(self) -> np.ndarray:
        """Boolean mask of channels that are constant up to 1e-12 of the recording's peak amplitude."""
        peak = float(np.max(np.maximum(np.abs(self.min), np.abs(self.max)))) if self.n else 0.0
        return (self.max - self.min) <= 1e-12 * max(peak, 1e-300)

    def clipped(self, min_fraction: float = 0.005) -> np.ndarray:
        """Indices of channels whose min or max repeats in ≥ ``min_fraction`` of samples (and ≥ 5 times).

        Parameters
        ----------
        min_fraction : float
            Fraction of samples at the extreme that marks a channel as clipped.

        Returns
        -------
        ndarray of int
            Channel indices.
        """
        hits = np.maximum(self.at_min, self.at_max)
        return np.flatnonzero((hits >= max(5, min_fraction * self.n)) & (self.max > self.min))

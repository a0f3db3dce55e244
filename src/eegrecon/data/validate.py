"""Checks on user recordings that turn silent damage into a clear error (which file, which channel)."""

from __future__ import annotations

import numpy as np

from eegrecon.errors import DataError

# Scalp EEG in volts has a per-channel std of roughly 1e-6..2e-4 V.
VOLT_STD_RANGE = (1e-8, 5e-3)


def check_finite(data: np.ndarray, ch_names: list[str], where: str) -> None:
    """Raise naming the first channel that holds NaN or Inf. ``data``: (n_chans, n_times)."""
    bad = ~np.isfinite(data).all(axis=1)
    if bad.any():
        names = [ch_names[i] for i in np.flatnonzero(bad)]
        raise DataError(f"{where}: channel(s) {', '.join(names[:5])} contain NaN or Inf; interpolate or drop "
                        "them (mark them bad in MNE: raw.info['bads']) and retry")


def check_not_flat(data: np.ndarray, ch_names: list[str], where: str, min_std: float) -> None:
    """Raise naming channels whose std is below ``min_std`` (disconnected or zeroed)."""
    flat = np.nanstd(data, axis=1) < min_std
    if flat.any():
        names = [ch_names[i] for i in np.flatnonzero(flat)]
        raise DataError(f"{where}: channel(s) {', '.join(names[:5])} are flat (std < {min_std:g}); drop them or "
                        "mark them bad before use")


def check_volts(data: np.ndarray, ch_names: list[str], where: str) -> None:
    """Raise if EEG that should be in volts looks like microvolts (or raw counts) stored as volts."""
    std = np.median(np.nanstd(data, axis=1))
    if std > VOLT_STD_RANGE[1]:
        raise DataError(f"{where}: median channel std is {std:.3g} V, far above scalp EEG (~1e-5 V): the file "
                        "probably stores microvolts or ADC counts labelled as volts; fix the unit in the file header "
                        "or scale the data by 1e-6")
    if std < VOLT_STD_RANGE[0]:
        raise DataError(f"{where}: median channel std is {std:.3g} V, far below scalp EEG (~1e-5 V): check the "
                        "file's physical unit (it may be nV or already scaled twice)")

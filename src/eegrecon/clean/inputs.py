"""What a user hands the Denoiser, checked and interpreted: arrays (shape, dtype, rate, layout), the mains option.

Errors say what was expected and what to do."""

from __future__ import annotations

from typing import Any

import numpy as np

from eegrecon.errors import DataError, OptionError
from eegrecon.signal.validate import check_finite

#: the most channels a recording plausibly has; a longer "time" axis than this one is what the guess looks for
MAX_PLAUSIBLE_CHANNELS = 256


def check_array(data: np.ndarray, sfreq: float, where: str, ch_names: list[str] | None = None) -> None:
    """Raise a DataError unless ``data`` is (n_chans ≥ 1, n_times ≥ 2) and finite.

    Parameters
    ----------
    data : ndarray
        The array to clean.
    sfreq : float
        Its rate, Hz.
    where : str
        What to call it in errors (a file name, "array").
    ch_names : list of str or None
        Channel names for the errors.
    """
    if data.ndim != 2:
        raise DataError(f"{where}: expected (n_chans, n_times), got an array of shape {data.shape}")
    if data.shape[0] == 0:
        raise DataError(f"{where}: no channels to denoise (array of shape {data.shape}); pass (n_chans, n_times) "
                        "with at least one channel")
    if data.shape[1] == 0:
        raise DataError(f"{where}: the recording is empty (0 samples)")
    if data.shape[1] < 2:
        raise DataError(f"{where}: a single sample per channel cannot be denoised; need at least 2")
    check_finite(data, ch_names, where)


def positive_number(value: Any, error: type[Exception], what: str) -> float:
    """``value`` as a finite positive float, or ``error(f"{what}, got ...")``.

    Parameters
    ----------
    value : Any
        What the user gave.
    error : type of Exception
        Raised when it is not a finite positive number.
    what : str
        The error's first words.

    Returns
    -------
    float
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise error(f"{what}, got {value!r}") from None
    if not np.isfinite(number) or number <= 0:
        raise error(f"{what}, got {value!r}")
    return number


def check_sfreq(sfreq: Any, where: str) -> float:
    """A sampling rate as a positive float, or a DataError naming ``where``.

    Parameters
    ----------
    sfreq : Any
        The rate given, Hz.
    where : str
        What to call the input in the error.

    Returns
    -------
    float
    """
    return positive_number(sfreq, DataError, f"{where}: sampling rate must be a positive number of Hz")


def as_float_array(X: Any, where: str) -> np.ndarray:
    """``X`` as a real numeric array, or a DataError that says what was wrong with it.

    Parameters
    ----------
    X : array_like
        What the user gave.
    where : str
        What to call it in the error.

    Returns
    -------
    ndarray
        Real-valued (integers and booleans kept as they are; other dtypes converted to float64).
    """
    try:
        arr = np.asarray(X)
    except ValueError as exc:  # ragged nested lists
        raise DataError(f"{where}: cannot make an array of the input ({exc}); pass a rectangular numeric array "
                        "of shape (n_chans, n_times)") from None
    if arr.dtype.kind == "c":
        raise DataError(f"{where}: complex values (dtype {arr.dtype}); pass the real signal")
    if arr.dtype.kind not in "fiub":
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError):
            raise DataError(f"{where}: expected numbers, got an array of dtype {arr.dtype}; convert it with "
                            "np.asarray(x, dtype=float) first") from None
    return arr


def looks_transposed(shape: tuple[int, ...], sfreq: float) -> bool:
    """Whether a 2-D array of ``shape`` looks like (n_times, n_chans) rather than (n_chans, n_times).

    Only for arrays that say nothing of their layout: more rows than columns, at least a second of rows and
    no more columns than a recording has channels (:data:`MAX_PLAUSIBLE_CHANNELS`). A batch of windows
    with more windows than samples per window is ambiguous too: pass ``time_axis=-1`` to say so.

    Parameters
    ----------
    shape : tuple of int
        The array's shape.
    sfreq : float
        Its sampling rate, Hz.

    Returns
    -------
    bool
        True when the first axis is probably time.
    """
    return (len(shape) == 2 and shape[0] > shape[1] and shape[0] >= sfreq
            and shape[1] <= MAX_PLAUSIBLE_CHANNELS)


def check_line_freq(value: Any) -> float | None:
    """``line_freq`` as the frequency to notch now (None for "auto" until detected, or for off).

    Parameters
    ----------
    value : "auto", float or None
        The Denoiser's ``line_freq``.

    Returns
    -------
    float or None
    """
    if value is None or value == "auto":
        return None
    return positive_number(value, OptionError, "line_freq must be 'auto', None or a frequency in Hz (50 or 60)")


def check_rise_limit(value) -> None:
    """Check the power guard's limit (:class:`~eegrecon.Denoiser` ``rise_limit_db``).

    Parameters
    ----------
    value : float or None
        dB ≥ 0, or None (no guard).
    """
    ok = value is None or (not isinstance(value, bool) and isinstance(value, int | float | np.floating)
                           and np.isfinite(value) and value >= 0)
    if not ok:
        raise OptionError(f"rise_limit_db must be a number of dB ≥ 0, or None (no guard), got {value!r}")

"""Low-level readers for the file formats of the bundled datasets, with actionable errors.

Every reader returns float64 arrays shaped (n_channels, n_times) or (n_times,) and raises
:class:`~eegrecon.errors.DataError` naming the file when it cannot.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import mne
import numpy as np
import pandas as pd
import scipy.io as sio

from eegrecon.errors import DataError
from eegrecon.io.edf_layout import read_edf_layout


def check_edf_complete(path: Path) -> None:
    """Raise if an EDF/BDF file is shorter than its header says (MNE would silently read fewer records).

    Parameters
    ----------
    path : Path
        The EDF or BDF file.
    """
    layout = read_edf_layout(path)
    expected = layout.header_bytes + layout.n_records * layout.record_bytes
    actual = Path(path).stat().st_size
    if actual < expected:
        raise DataError(f"{path}: truncated: the header announces {layout.n_records} records ({expected} bytes) but "
                        f"the file has {actual} bytes; re-export or re-copy the recording")


def read_raw(path: Path, preload: bool = True, **kwargs) -> mne.io.BaseRaw:
    """Read any file ``mne.io.read_raw`` understands (EDF/BDF/FIF/BrainVision/EEGLAB…).

    EDF/BDF files are first checked against their header for truncation; annotations that are not valid
    UTF-8 (older recorders write Latin-1) are read as Latin-1.

    Parameters
    ----------
    path : Path
        The recording.
    preload : bool
        Load the data now (True) or read them from disk on demand (False, bounded memory).
    **kwargs
        Passed to ``mne.io.read_raw``.

    Returns
    -------
    mne.io.BaseRaw
        The recording.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    if path.suffix.lower() in (".edf", ".bdf"):
        check_edf_complete(path)
    try:
        try:
            return mne.io.read_raw(path, preload=preload, verbose="error", **kwargs)
        except Exception as exc:  # MNE raises a bare Exception for undecodable EDF annotations
            if path.suffix.lower() not in (".edf", ".bdf") or "encoding" in kwargs or not _is_encoding_error(exc):
                raise
            return mne.io.read_raw(path, preload=preload, verbose="error", encoding="latin1", **kwargs)
    except Exception as exc:  # MNE raises many types for bad files
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else f"{type(exc).__name__} in MNE's reader"
        raise DataError(f"{path}: cannot read as an EEG recording ({detail}); eegrecon reads what mne.io.read_raw "
                        "reads (EDF, BDF, FIF, BrainVision .vhdr, EEGLAB .set, ...): check that the file is complete "
                        "and really in one of those formats") from None


def _is_encoding_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return isinstance(exc, UnicodeDecodeError) or "invalid byte" in text or "utf-8" in text or "codec" in text


def read_mat(path: Path, variable: str) -> np.ndarray:
    """One variable of a MATLAB file as a float64 array.

    Parameters
    ----------
    path : Path
        The ``.mat`` file.
    variable : str
        Variable name.

    Returns
    -------
    ndarray
        Its values.
    """
    if not Path(path).is_file():
        raise DataError(f"{path}: file not found")
    try:
        mat = sio.loadmat(path, variable_names=[variable])
    except Exception as exc:
        raise DataError(f"{path}: cannot read MATLAB file ({exc})") from None
    if variable not in mat:
        raise DataError(f"{path}: variable {variable!r} missing; expected the dataset's original file")
    return np.asarray(mat[variable], dtype=np.float64)


def read_table(path: Path, *, header: bool = True, sep: str | None = ",") -> pd.DataFrame:
    """A (possibly gzip-compressed) CSV or whitespace table.

    Parameters
    ----------
    path : Path
        The file.
    header : bool
        Whether the first line names the columns.
    sep : str or None
        Column separator (None: whitespace).

    Returns
    -------
    pandas.DataFrame
        The table.
    """
    if not Path(path).is_file():
        raise DataError(f"{path}: file not found")
    try:
        if sep is None:
            return pd.read_csv(path, sep=r"\s+", header=0 if header else None, engine="c")
        return pd.read_csv(path, sep=sep, header=0 if header else None)
    except (OSError, EOFError, gzip.BadGzipFile, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot parse table ({exc}); the file may be truncated or corrupt") from None


def read_wfdb(path_without_ext: Path) -> tuple[np.ndarray, float]:
    """A WFDB record (``.hea`` + ``.dat``) in the header's physical units.

    Parameters
    ----------
    path_without_ext : Path
        The record's path without suffix.

    Returns
    -------
    data : ndarray, shape (n_channels, n_times)
        The signals.
    sfreq : float
        Sampling rate, Hz.
    """
    import wfdb

    hea = Path(str(path_without_ext) + ".hea")
    if not hea.is_file():
        raise DataError(f"{hea}: WFDB header not found")
    try:
        rec = wfdb.rdrecord(str(path_without_ext))
    except Exception as exc:
        raise DataError(f"{path_without_ext}: cannot read WFDB record ({exc})") from None
    return np.asarray(rec.p_signal, dtype=np.float64).T, float(rec.fs)

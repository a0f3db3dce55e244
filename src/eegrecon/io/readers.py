"""Low-level readers for the file formats of the bundled datasets, with actionable errors.

Every reader returns float64 arrays shaped (n_channels, n_times) or (n_times,) and raises
:class:`~eegrecon.errors.DataError` naming the file when it cannot.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import warnings
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
    if not is_recording_path(path):
        raise DataError(f"{path}: file not found" + (" (a folder: only EGI .mff and CTF .ds recordings are folders)"
                                                     if path.is_dir() else ""))
    if path.suffix.lower() in (".edf", ".bdf"):
        check_edf_complete(path)
    reader = _cnt_reader(path) if path.suffix.lower() == ".cnt" else mne.io.read_raw
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):  # some readers' packages print (mffpy): kept off the user's console
            try:
                raw = reader(path, preload=preload, verbose="error", **kwargs)
            except Exception as exc:  # MNE raises a bare Exception for undecodable EDF annotations
                if path.suffix.lower() not in (".edf", ".bdf") or "encoding" in kwargs or not _is_encoding_error(exc):
                    raise
                raw = mne.io.read_raw(path, preload=preload, verbose="error", encoding="latin1", **kwargs)
    except Exception as exc:  # MNE raises many types for bad files
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else f"{type(exc).__name__} in MNE's reader"
        missing = next((pkg for pkg in _READER_PACKAGES if pkg in str(exc)), None)
        if missing:
            raise DataError(f"{path}: MNE's reader for this format needs the package {missing!r}: "
                            f"pip install {missing} (or pip install \"eegrecon[formats]\")") from None
        if "data_format" in str(exc):
            raise DataError(f"{path}: this Neuroscan CNT file's header gives no sample count, so its sample format "
                            "cannot be told: read it with mne.io.read_raw_cnt(path, data_format='int16' or 'int32'), "
                            "save it as FIF and clean the FIF") from None
        raise DataError(f"{path}: cannot read as an EEG recording ({detail}); eegrecon reads what mne.io.read_raw "
                        "reads (EDF, BDF, FIF, BrainVision .vhdr, EEGLAB .set, ...): check that the file is complete "
                        "and really in one of those formats") from None
    for line in dict.fromkeys(printed.getvalue().splitlines()):
        if line.strip():
            warnings.warn(f"{path}: {line.strip()}", UserWarning, stacklevel=2)
    if not raw.ch_names:
        raise DataError(f"{path}: the file holds no signals (only annotations, as a hypnogram or an events file "
                        "does): nothing to clean; give the recording the annotations belong to")
    return raw


#: packages MNE's readers import only for some formats (NEDF and EGI .mff: defusedxml; ANT .cnt: antio)
_READER_PACKAGES = ("defusedxml", "antio", "mffpy", "pyxdf", "h5py", "pymatreader", "edfio")
#: recordings that are folders
FOLDER_SUFFIXES = (".mff", ".ds")


def is_recording_path(path: Path) -> bool:
    """Whether ``path`` is a recording: a file, or a folder in a format that is one (EGI ``.mff``, CTF ``.ds``).

    Parameters
    ----------
    path : Path
        What the user named.

    Returns
    -------
    bool
    """
    path = Path(path)
    return path.is_file() or (path.is_dir() and path.suffix.lower() in FOLDER_SUFFIXES)


def _cnt_reader(path: Path):
    """ANT Neuro's CNT (a RIFF/RF64 container) or Neuroscan's: told apart by the first bytes, since MNE's generic
    reader tries them in turn and the ANT library can crash the process on a Neuroscan file."""
    with open(path, "rb") as fh:
        magic = fh.read(4)
    return mne.io.read_raw_ant if magic in (b"RIFF", b"RF64") else mne.io.read_raw_cnt


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

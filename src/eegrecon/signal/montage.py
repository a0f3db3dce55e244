"""Channel positions: standard 10-20/10-05 names matched to a standard montage, or a recording's own montage.

Positions are MNE head coordinates in metres (x right, y towards the nasion, z up). A channel without a known
position gets NaN: the multichannel model gives it a learned "unknown position" embedding instead.
"""

from __future__ import annotations

import re
import warnings
from functools import lru_cache

import numpy as np

#: old 10-20 names → their 10-05 equivalents
OLD_NAMES = {"T3": "T7", "T4": "T8", "T5": "P7", "T6": "P8"}
_PREFIX = re.compile(r"^(EEG|EOG|ECG)[\s_:-]*", re.IGNORECASE)
_SUFFIX = re.compile(r"([\s_:-]*(REF|LE|AR|AVG|CAR|A1|A2|M1|M2|-A1|-A2|-REF))+$", re.IGNORECASE)


@lru_cache(maxsize=16)
def montage_positions(name: str) -> dict[str, np.ndarray]:
    """The positions of one of MNE's standard montages (``"biosemi64"``, ``"GSN-HydroCel-129"``, …), in head
    coordinates, keyed by its channel names as it spells them.

    Parameters
    ----------
    name : str
        A name ``mne.channels.make_standard_montage`` knows.

    Returns
    -------
    dict of str to ndarray, shape (3,)
        Name → position, metres.
    """
    import mne

    with warnings.catch_warnings():  # MNE ≥ 1.13 warns of renamed templates
        warnings.simplefilter("ignore", FutureWarning)
        montage = mne.channels.make_standard_montage(name)
    info = mne.create_info(montage.ch_names, 100.0, "eeg")
    info.set_montage(montage)
    return {ch["ch_name"]: np.array(ch["loc"][:3], dtype=float) for ch in info["chs"]}


def template_montage() -> str:
    """The name of MNE's 10-05 template head (MNE ≥ 1.13 renames ``"standard_1005"`` to ``"colin27_1005"``)."""
    import mne

    return "colin27_1005" if "colin27_1005" in mne.channels.get_builtin_montages() else "standard_1005"


@lru_cache(maxsize=1)
def standard_positions() -> dict[str, np.ndarray]:
    """The 10-05 positions of MNE's template head, in head coordinates, keyed by upper-case name.

    Returns
    -------
    dict of str to ndarray, shape (3,)
        Name (upper case) → position, metres.
    """
    return {n.upper(): pos for n, pos in montage_positions(template_montage()).items()}


def standard_name(name: str) -> str:
    """A channel label reduced to its 10-05 name: ``"EEG Fp1-REF"`` → ``"FP1"``, ``"T3"`` → ``"T7"``.

    Parameters
    ----------
    name : str
        Channel label as found in a file.

    Returns
    -------
    str
        Upper-case candidate name (it may still not be a 10-05 name).
    """
    core = _SUFFIX.sub("", _PREFIX.sub("", name.strip())).strip().rstrip(".")
    return OLD_NAMES.get(core.upper(), core.upper())


def positions_from_names(names: list[str]) -> np.ndarray:
    """Positions of channels from their names via the standard 10-05 template.

    Parameters
    ----------
    names : list of str
        Channel labels.

    Returns
    -------
    ndarray, shape (n_chans, 3)
        Metres, head coordinates; NaN rows for names that are not 10-05 names.
    """
    table = standard_positions()
    out = np.full((len(names), 3), np.nan)
    for i, n in enumerate(names):
        pos = table.get(standard_name(n))
        if pos is not None:
            out[i] = pos
    return out


def positions_from_montage(info, picks: list[int] | np.ndarray) -> np.ndarray | None:
    """Positions of picked channels from the recording's own montage, when it gives at least half of them.

    Parameters
    ----------
    info : mne.Info
        The recording's info.
    picks : list of int
        Channel indices.

    Returns
    -------
    ndarray, shape (n_picks, 3), or None
        Metres, head coordinates, NaN where unknown; None when the montage places fewer than half.
    """
    locs = np.array([info["chs"][i]["loc"][:3] for i in picks], dtype=float).reshape(-1, 3)
    known = np.isfinite(locs).all(axis=1) & (np.abs(locs).sum(axis=1) > 0)
    if len(picks) and known.mean() >= 0.5:
        locs[~known] = np.nan
        return locs
    return None


def positions_from_info(info, picks: list[int] | np.ndarray) -> tuple[np.ndarray, str]:
    """Positions of picked channels: the recording's montage where it has one, else the names.

    Parameters
    ----------
    info : mne.Info
        The recording's info.
    picks : list of int
        Channel indices.

    Returns
    -------
    positions : ndarray, shape (n_picks, 3)
        Metres, head coordinates; NaN where unknown.
    origin : str
        ``"montage"`` (digitised/montage positions set on the recording) or ``"names"`` (10-05 template).
    """
    locs = positions_from_montage(info, picks)
    if locs is not None:
        return locs, "montage"
    return positions_from_names([info["ch_names"][i] for i in picks]), "names"


def spline_matrix(pos_from: np.ndarray, pos_to: np.ndarray) -> np.ndarray:
    """The spherical-spline interpolation (MNE's ``interpolate_bads``) from one set of electrodes to another.

    Parameters
    ----------
    pos_from : ndarray, shape (n_from, 3)
        Known electrodes, metres.
    pos_to : ndarray, shape (n_to, 3)
        Electrodes to estimate, metres.

    Returns
    -------
    ndarray, shape (n_to, n_from)
        ``signals_to = matrix @ signals_from``.
    """
    import mne

    n_from, n_to = len(pos_from), len(pos_to)
    names = [f"S{i}" for i in range(n_from)] + [f"T{i}" for i in range(n_to)]
    info = mne.create_info(names, 100.0, "eeg")
    montage = mne.channels.make_dig_montage(dict(zip(names, np.r_[pos_from, pos_to])), coord_frame="head")
    data = np.zeros((n_from + n_to, n_from))
    data[:n_from] = np.eye(n_from)  # one unit impulse per known electrode: the result's columns are the matrix
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        info.set_montage(montage)
        raw = mne.io.RawArray(data, info, verbose="error")
        raw.info["bads"] = names[n_from:]
        raw.interpolate_bads(reset_bads=True, verbose="error")
    return raw.get_data()[n_from:]

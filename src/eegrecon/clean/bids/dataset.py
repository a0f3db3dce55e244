"""The EEG recordings of a BIDS dataset: found with filters, read with their sidecars, fingerprinted.

Reading goes through MNE-BIDS (``read_raw_bids``): channel types and bad channels come from ``channels.tsv``,
positions from ``electrodes.tsv`` + ``coordsystem.json`` (so the multichannel model sees the real montage), the
mains frequency from ``eeg.json``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from eegrecon.errors import DataError, EegreconError

#: the data formats BIDS allows for EEG
EEG_EXTENSIONS = (".edf", ".bdf", ".vhdr", ".set")
#: sidecars that change how a recording is read (and so its cleaning): (suffix, extension)
SIDECARS = (("channels", ".tsv"), ("electrodes", ".tsv"), ("coordsystem", ".json"), ("eeg", ".json"))
#: companion files of a data file, by its extension
COMPANIONS = {".vhdr": (".vmrk", ".eeg"), ".set": (".fdt",)}


def _mne_bids():
    try:
        import mne_bids
    except ImportError:
        raise EegreconError("BIDS datasets need mne-bids: pip install 'eegrecon[bids]'") from None
    return mne_bids


def find_recordings(root: str | Path, subjects: list[str] | None = None, sessions: list[str] | None = None,
                    tasks: list[str] | None = None, runs: list[str] | None = None) -> list[Any]:
    """Every EEG recording of a BIDS dataset, filtered by entity values, sorted by path.

    Parameters
    ----------
    root : str or Path
        The dataset's root (holding ``dataset_description.json``).
    subjects, sessions, tasks, runs : list of str or None
        Keep only these labels (None: all). Runs match with or without leading zeros.

    Returns
    -------
    list of mne_bids.BIDSPath
    """
    mne_bids = _mne_bids()
    root = Path(root)
    if not (root / "dataset_description.json").is_file():
        raise DataError(f"{root}: not a BIDS dataset (no dataset_description.json); give the dataset's root folder")
    found = mne_bids.find_matching_paths(root, subjects=subjects, sessions=sessions, tasks=tasks,
                                         datatypes="eeg", suffixes="eeg", extensions=list(EEG_EXTENSIONS),
                                         ignore_nosub=True)
    found = [p for p in found if "derivatives" not in p.fpath.relative_to(root).parts]
    if runs:
        wanted = {r.lstrip("0") or "0" for r in runs}
        found = [p for p in found if p.run is not None and str(p.run).lstrip("0") in wanted]
    return sorted(found, key=lambda p: str(p.fpath))


def read_recording(bids_path) -> Any:
    """The recording as MNE-BIDS reads it (types, bads, montage, line frequency from the sidecars), not loaded.

    Parameters
    ----------
    bids_path : mne_bids.BIDSPath

    Returns
    -------
    mne.io.BaseRaw
    """
    import warnings

    mne_bids = _mne_bids()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # MNE-BIDS's notes on unknown sidecar fields are not the user's problem
        try:
            return mne_bids.read_raw_bids(bids_path, verbose="error")
        except Exception as exc:  # noqa: BLE001 — any reader failure becomes the recording's error
            raise DataError(f"{bids_path.fpath}: MNE-BIDS cannot read it ({exc})") from None


def input_files(bids_path) -> list[Path]:
    """The files a recording's cleaning depends on: its data file(s) and the sidecars it is read with.

    Parameters
    ----------
    bids_path : mne_bids.BIDSPath

    Returns
    -------
    list of Path
        Existing files, data first.
    """
    data = Path(bids_path.fpath)
    files = [data] + [data.with_suffix(ext) for ext in COMPANIONS.get(data.suffix.lower(), ())]
    for suffix, extension in SIDECARS:
        found = bids_path.find_matching_sidecar(suffix=suffix, extension=extension, on_error="ignore")
        if found:
            files.append(Path(found))
    return [f for f in dict.fromkeys(files) if f.is_file()]


def fingerprint(paths: list[Path]) -> str:
    """SHA-256 over the names (relative order kept) and bytes of ``paths``.

    Parameters
    ----------
    paths : list of Path

    Returns
    -------
    str
        Hex digest.
    """
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0")
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()

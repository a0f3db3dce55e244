"""Clean EEG and artifacts from user-supplied files: EEGdenoiseNet arrays and any MNE-readable recording."""

from __future__ import annotations

from pathlib import Path

import mne
import numpy as np

from eegrecon.data.preprocess import FilterSpec
from eegrecon.data.sources import Segment, Source
from eegrecon.errors import DataError
from eegrecon.io.readers import read_raw
from eegrecon.signal.validate import check_finite, check_not_flat, check_volts

EEGDENOISENET_FILES = {"clean": "EEG_all_epochs.npy", "eog": "EOG_all_epochs.npy", "emg": "EMG_all_epochs.npy"}
EEGDENOISENET_GROUP_SIZE = 50  # no subject ids are published; consecutive epochs are kept together


def read_eegdenoisenet(folder: Path, family: str) -> list[Segment]:
    """Epochs of one EEGdenoiseNet array as segments.

    EEG and EOG are 256 Hz (512 samples); EMG is taken at 512 Hz when its epochs hold 1024 samples (the
    paper's version) and at 256 Hz otherwise. Groups are blocks of consecutive epochs, the closest to
    recordings the arrays allow.

    Parameters
    ----------
    folder : Path
        Folder holding ``EEG_all_epochs.npy`` and the artifact arrays.
    family : {"clean", "eog", "emg"}
        Which array.

    Returns
    -------
    list of Segment
        One segment per epoch.
    """
    path = Path(folder) / EEGDENOISENET_FILES[family]
    if not path.is_file():
        raise DataError(f"{path}: not found; expected EEGdenoiseNet's {EEGDENOISENET_FILES[family]}")
    try:
        arr = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: cannot load NumPy array ({exc}); the file may be truncated") from None
    if arr.ndim != 2 or arr.shape[1] not in (512, 1024):
        raise DataError(f"{path}: expected shape (n_epochs, 512) or (n_epochs, 1024), got {arr.shape}")
    sfreq = 512.0 if arr.shape[1] == 1024 else 256.0
    return [Segment(row.astype(np.float64), sfreq, f"eegdenoisenet:{family}{i // EEGDENOISENET_GROUP_SIZE:03d}")
            for i, row in enumerate(arr)]


def eegdenoisenet_sources(folder: Path) -> list[Source]:
    """Sources for the EEGdenoiseNet arrays present in ``folder`` (already filtered: no extra filtering).

    Parameters
    ----------
    folder : Path
        Where the arrays are.

    Returns
    -------
    list of Source
        One per array found.
    """
    out = []
    for family, fname in EEGDENOISENET_FILES.items():
        if (Path(folder) / fname).is_file():
            out.append(Source(f"eegdenoisenet_{family}", family, str(folder),
                              "EEGdenoiseNet terms (user-supplied)", False, "Zhang et al., J Neural Eng 18, 2021",
                              lambda root, fam=family, f=folder: read_eegdenoisenet(f, fam),
                              FilterSpec(l_freq=None, h_freq=None, notch=None),
                              only_files=(str(Path(folder, fname).resolve()),)))
    return out


def read_recording(path: Path, min_std_uv: float = 0.1) -> list[Segment]:
    """EEG channels of any file ``mne.io.read_raw`` reads, as clean-EEG segments in µV (one group per file).

    Channels listed as bad in the file are skipped; NaN/Inf, flat channels and data that look like µV stored
    as volts raise :class:`~eegrecon.errors.DataError` naming the file and channel.

    Parameters
    ----------
    path : Path
        The recording.
    min_std_uv : float
        Channels with a smaller std (µV) are treated as flat.

    Returns
    -------
    list of Segment
        One segment per EEG channel.
    """
    path = Path(path)
    raw = read_raw(path)
    picks = [raw.ch_names[i] for i in mne.pick_types(raw.info, eeg=True, exclude="bads")]
    if not picks:
        raise DataError(f"{path}: no EEG channels (channel types: {sorted(set(raw.get_channel_types()))}); "
                        "set channel types with raw.set_channel_types()")
    data = raw.get_data(picks=picks)
    check_finite(data, picks, str(path))
    check_volts(data, picks, str(path))
    check_not_flat(data * 1e6, picks, str(path), min_std_uv)
    return [Segment(row * 1e6, raw.info["sfreq"], f"file:{path.stem}", ch) for ch, row in zip(picks, data)]


def recordings_source(paths: list[Path]) -> Source:
    """One clean-EEG source for the user's files, each file its own group (licence unknown: never shipped).

    Parameters
    ----------
    paths : list of Path
        The recordings.

    Returns
    -------
    Source
        The source.
    """
    paths = [Path(p).resolve() for p in paths]
    return Source("user_files", "clean", str(paths[0].parent), "user-supplied (unknown)", False, "",
                  lambda root: [seg for p in paths for seg in read_recording(p)],
                  FilterSpec(l_freq=1.0, h_freq=80.0, notch=50.0), max_abs_uv=250.0,
                  only_files=tuple(str(p) for p in paths))

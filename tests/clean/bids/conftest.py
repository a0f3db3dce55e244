"""BIDS test datasets: a small simulated one (always; recordings from the ``simulated_raw`` fixture) and eegmmidb S001
runs (with ../shared/data)."""

from __future__ import annotations

import warnings
from pathlib import Path

import mne
import pytest

pytest.importorskip("mne_bids", reason="BIDS support needs mne-bids (pip install 'eegrecon[bids]')")

#: (subject, session, task, run) of the simulated dataset
SIMULATED = [("01", "1", "rest", "1"), ("01", "1", "rest", "2"), ("01", "1", "blink", "1"), ("02", "2", "rest", "1")]


def write_recording(raw, root: Path, subject: str, session: str | None, task: str, run: str | None) -> Path:
    """``raw`` written into a BIDS dataset as EDF (types, bads, montage and line frequency into the sidecars)."""
    import mne_bids

    path = mne_bids.BIDSPath(subject=subject, session=session, task=task, run=run, datatype="eeg", root=root)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mne_bids.write_raw_bids(raw, path, format="EDF", allow_preload=True, overwrite=True, verbose="error")
    return Path(path.fpath)


@pytest.fixture
def simulated_bids(tmp_path, simulated_raw) -> Path:
    """Four recordings of two subjects; sub-01 rest run 2 has T7 marked bad in channels.tsv."""
    root = tmp_path / "ds"
    for i, (sub, ses, task, run) in enumerate(SIMULATED):
        raw = simulated_raw(i)
        if (sub, task, run) == ("01", "rest", "2"):
            raw.info["bads"] = ["T7"]
        write_recording(raw, root, sub, ses, task, run)
    return root


@pytest.fixture
def eegmmidb_bids(shared_data, tmp_path) -> Path:
    """eegmmidb S001 R01 and R02 as BIDS: 10-05 positions in electrodes.tsv, T10 marked bad in R02's channels.tsv."""
    root = tmp_path / "eegmmidb"
    for run in ("01", "02"):
        raw = mne.io.read_raw_edf(shared_data / "eegmmidb_S001" / f"S001R{run}.edf", preload=True, verbose="error")
        mne.datasets.eegbci.standardize(raw)
        raw.set_montage("standard_1005", on_missing="ignore")
        raw.info["line_freq"] = 60.0
        if run == "02":
            raw.info["bads"] = ["T10"]
        write_recording(raw, root, "001", None, "rest", run)
    return root

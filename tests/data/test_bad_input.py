"""Bad input gives one clear DataError naming the file / channel, never a deep traceback."""

import gzip

import mne
import numpy as np
import pytest

from eegrecon.data.corpus import DataConfig, build_corpus
from eegrecon.data.user_files import read_eegdenoisenet, read_recording
from eegrecon.errors import DataError
from eegrecon.io.readers import read_raw, read_table
from eegrecon.paths import resolve_data_dir


def _write_raw(path, data_v, names=None, sfreq=256.0):
    names = names or [f"C{i}" for i in range(len(data_v))]
    raw = mne.io.RawArray(data_v, mne.create_info(names, sfreq, "eeg"), verbose="error")
    raw.save(path, overwrite=True, verbose="error")
    return path


def test_missing_data_dir(tmp_path, monkeypatch):
    with pytest.raises(DataError, match="does not exist"):
        resolve_data_dir(tmp_path / "nope")
    monkeypatch.setenv("EEGRECON_DATA", str(tmp_path / "nope"))
    with pytest.raises(DataError, match="EEGRECON_DATA"):
        resolve_data_dir()


def test_truncated_edf_names_the_file(tmp_path):
    raw = mne.io.RawArray(np.random.default_rng(0).standard_normal((2, 2560)) * 1e-5,
                          mne.create_info(["Cz", "Pz"], 256.0, "eeg"), verbose="error")
    path = tmp_path / "rec.edf"
    mne.export.export_raw(path, raw, fmt="edf", verbose="error")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(DataError, match="rec.edf"):
        read_raw(path)
    (tmp_path / "garbage.edf").write_bytes(b"not an edf at all")
    with pytest.raises(DataError, match="garbage.edf"):
        read_raw(tmp_path / "garbage.edf")


def test_corrupt_gzip_table(tmp_path):
    path = tmp_path / "t.csv.gz"
    path.write_bytes(gzip.compress(b"a,b\n1,2\n" * 1000)[:50])
    with pytest.raises(DataError, match="t.csv.gz"):
        read_table(path)


def test_nan_and_flat_channels_named(tmp_path):
    rng = np.random.default_rng(0)
    data = rng.standard_normal((3, 2560)) * 1e-5
    data[1, 100:200] = np.nan
    with pytest.raises(DataError, match="C1"):
        read_recording(_write_raw(tmp_path / "nan_raw.fif", data))
    data = rng.standard_normal((3, 2560)) * 1e-5
    data[2] = 0.0
    with pytest.raises(DataError, match="C2.*flat"):
        read_recording(_write_raw(tmp_path / "flat_raw.fif", data))


def test_microvolts_stored_as_volts_is_refused(tmp_path):
    data = np.random.default_rng(0).standard_normal((2, 2560)) * 20.0  # µV numbers labelled volts
    with pytest.raises(DataError, match="microvolts"):
        read_recording(_write_raw(tmp_path / "uv_raw.fif", data))


def test_mne_readable_file_as_clean_source(tmp_path):
    rng = np.random.default_rng(0)
    paths = []
    for i in range(3):
        paths.append(str(_write_raw(tmp_path / f"s{i}_raw.fif", rng.standard_normal((2, 256 * 30)) * 1e-5)))
    corpus = build_corpus(None, DataConfig(clean_files=paths))
    assert corpus.manifest["clean_origin"] == "real"
    sizes = [len(corpus.clean[s]) for s in ("train", "val", "test")]
    assert all(sizes) and sum(sizes) == 3 * 2 * 15  # 3 files × 2 channels × 15 windows, split by file
    assert 5 < np.median(corpus.clean["train"].x.std(axis=1)) < 15  # back in µV
    with pytest.raises(DataError, match="not found"):
        build_corpus(None, DataConfig(clean_files=[str(tmp_path / "missing.edf")]))


def test_eegdenoisenet_arrays_loader(tmp_path):
    rng = np.random.default_rng(0)
    folder = tmp_path / "eegdenoisenet"
    folder.mkdir()
    np.save(folder / "EEG_all_epochs.npy", rng.standard_normal((120, 512)))
    np.save(folder / "EOG_all_epochs.npy", rng.standard_normal((60, 512)))
    np.save(folder / "EMG_all_epochs.npy", rng.standard_normal((60, 1024)))
    segs = read_eegdenoisenet(folder, "emg")
    assert len(segs) == 60 and segs[0].sfreq == 512.0
    corpus = build_corpus(tmp_path, DataConfig(sources=["eegdenoisenet_clean", "eegdenoisenet_eog",
                                                        "eegdenoisenet_emg"]))
    assert sum(len(corpus.clean[s]) for s in ("train", "val", "test")) == 120
    assert corpus.artifacts["emg"]["train"].n_times == 512  # 1024 @ 512 Hz → 512 @ 256 Hz
    np.save(folder / "EOG_all_epochs.npy", rng.standard_normal((10, 300)))
    with pytest.raises(DataError, match="EOG_all_epochs.npy"):
        read_eegdenoisenet(folder, "eog")

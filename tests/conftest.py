"""Shared fixtures: an isolated cache, the optional real-data folder, small simulated corpora."""

from __future__ import annotations

import warnings
from pathlib import Path

import mne
import numpy as np
import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
#: the 19 channels of the ``simulated_raw`` recordings (10-20 names), then ``VEOG``
NAMES_19 = ["Fp1", "Fp2", "F3", "F4", "F7", "F8", "T7", "T8", "C3", "C4", "P7", "P8", "P3", "P4", "O1", "O2", "Fz",
            "Cz", "Pz"]


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("EEGRECON_CACHE", str(tmp_path_factory.mktemp("cache")))
    mp.delenv("EEGRECON_DATA", raising=False)
    yield
    mp.undo()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real data folder beside the checkout; tests using it skip when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data not found at {SHARED_DATA} (CI has it; see README 'Data')")
    return SHARED_DATA


@pytest.fixture(scope="session")
def real_corpus(shared_data):
    from eegrecon.data.corpus import build_corpus

    return build_corpus(shared_data)


@pytest.fixture(scope="session")
def sim_corpus():
    from eegrecon.data.corpus import DataConfig, build_corpus

    return build_corpus(None, DataConfig(sim_subjects=6, sim_windows_per_subject=30))


@pytest.fixture
def no_shared(monkeypatch, tmp_path):
    """Behave as on a machine without ../shared: no default data folder is found."""
    import eegrecon.paths

    monkeypatch.setattr(eegrecon.paths, "_default_data_candidates", lambda: [])
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


def _simulated_raw(seed: int, seconds: float = 20.0, sfreq: float = 256.0):
    """19 EEG channels of brain-like activity (independent 1/f sources blurred over the scalp, so neighbours
    correlate as on a real head) with two blinks, an EOG channel, 10-20 positions, 50-Hz mains."""
    from eegrecon.data.simulate import simulate_clean_eeg

    n = int(seconds * sfreq)
    sources = simulate_clean_eeg(19, n, sfreq, seed).astype(np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pos = mne.channels.make_standard_montage("standard_1020").get_positions()["ch_pos"]
    xyz = np.array([pos[c] for c in NAMES_19])
    blur = np.exp(-np.sum((xyz[:, None] - xyz[None]) ** 2, axis=-1) / (2 * 0.05 ** 2))
    x = blur / np.sqrt((blur ** 2).sum(axis=1, keepdims=True)) @ sources
    t = np.arange(n) / sfreq
    blink = sum(150 * np.exp(-0.5 * ((t - c) / 0.12) ** 2) for c in (5.0, 13.0))
    front = np.array([1.0 if c.startswith("Fp") else 0.3 if c.startswith("F") else 0.0 for c in NAMES_19])
    veog = 1.5 * blink + np.random.default_rng(seed).normal(0, 5, n)
    data = np.vstack([x + np.outer(front, blink), veog[None]]) * 1e-6
    info = mne.create_info(NAMES_19 + ["VEOG"], sfreq, ["eeg"] * 19 + ["eog"])
    raw = mne.io.RawArray(data, info, verbose="error")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # MNE 1.13 renames the template montages; older MNE knows only this name
        raw.set_montage("standard_1020")
    raw.info["line_freq"] = 50.0
    return raw


@pytest.fixture
def simulated_raw():
    """``simulated_raw(seed, seconds=20.0)``: a Raw of 19 positioned EEG channels with two blinks and a VEOG."""
    return _simulated_raw

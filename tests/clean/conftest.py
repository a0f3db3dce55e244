"""Fixtures for the user-facing denoiser: an identity model and a small (untrained) network checkpoint."""

import numpy as np
import pytest
import torch

from eegrecon.method import Method
from eegrecon.models import build_model
from eegrecon.models.checkpoint import save_weights


class IdentityModel(Method):
    """Returns its input unchanged: every stitching/resampling step must then be lossless."""

    name = "identity"
    sfreq = 256.0
    n_times = 512

    def denoise(self, noisy, sfreq, **oracle):
        return np.asarray(noisy, dtype=np.float64).copy()


@pytest.fixture
def identity():
    return IdentityModel()


@pytest.fixture(scope="session")
def small_checkpoint(tmp_path_factory):
    torch.manual_seed(0)
    model = build_model("eegrecon_net", width=8, context=16).eval()
    path = tmp_path_factory.mktemp("ckpt") / "small"
    save_weights(path, model, {"model": "eegrecon_net", "model_kwargs": {"width": 8, "context": 16},
                               "sfreq": 256.0, "n_times": 512})
    return path


@pytest.fixture
def make_raw():
    return _make_raw


def _make_raw(n_eeg=4, sfreq=500.0, seconds=7.3, seed=0):
    import mne

    rng = np.random.default_rng(seed)
    n = int(seconds * sfreq)
    t = np.arange(n) / sfreq
    eeg = 20e-6 * np.sin(2 * np.pi * 10 * t) + 10e-6 * rng.standard_normal((n_eeg, n))
    eog = 100e-6 * rng.standard_normal((1, n))
    names = [f"EEG{i}" for i in range(n_eeg)] + ["EOG"]
    info = mne.create_info(names, sfreq, ["eeg"] * n_eeg + ["eog"])
    return mne.io.RawArray(np.vstack([eeg, eog]), info, verbose="error")

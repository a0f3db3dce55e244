"""Mains detection: 50 vs 60 Hz on synthetic and real signals; recordings without hum are left alone."""

import gzip

import numpy as np
import pytest

from eegrecon import Denoiser
from eegrecon.signal.filters import notch
from eegrecon.signal.mains import find_line_noise


def _eeg(sfreq, seconds, n=4, seed=0):
    """1/f noise with an alpha rhythm: no narrow peak at 50 or 60 Hz."""
    rng = np.random.default_rng(seed)
    n_t = int(sfreq * seconds)
    f = np.fft.rfftfreq(n_t, 1 / sfreq)
    spec = (rng.standard_normal((n, len(f))) + 1j * rng.standard_normal((n, len(f)))) / np.sqrt(np.maximum(f, 0.5))
    t = np.arange(n_t) / sfreq
    return 20 * np.fft.irfft(spec, n_t) / np.fft.irfft(spec, n_t).std() + 10 * np.sin(2 * np.pi * 10 * t)


@pytest.mark.parametrize("sfreq", [250.0, 500.0, 1000.0])
@pytest.mark.parametrize("mains", [50.0, 60.0])
def test_detects_50_vs_60_hz(sfreq, mains):
    x = _eeg(sfreq, 60.0)
    t = np.arange(x.shape[1]) / sfreq
    found = find_line_noise(x + 3 * np.sin(2 * np.pi * mains * t + 0.3), sfreq)
    assert found is not None and found.freq == mains


@pytest.mark.parametrize("seconds", [12.0, 30.0, 120.0])
def test_no_hum_no_detection_and_denoiser_leaves_it_unfiltered(seconds, identity):
    x = _eeg(256.0, seconds, seed=int(seconds))
    assert find_line_noise(x, 256.0) is None
    den = Denoiser(identity).fit()
    np.testing.assert_allclose(den.transform(x, sfreq=256.0), x, rtol=0, atol=1e-9 * x.std())
    assert den.report_["line_noise"]["detected_hz"] is None and den.report_["line_noise"]["notched_hz"] is None


def test_denoiser_removes_detected_hum_by_default(identity):
    sfreq = 500.0
    x = _eeg(sfreq, 40.0)
    t = np.arange(x.shape[1]) / sfreq
    hum = 15 * np.sin(2 * np.pi * 60 * t) + 5 * np.sin(2 * np.pi * 120 * t)
    den = Denoiser(identity).fit()
    y = den.transform(x + hum, sfreq=sfreq)
    assert den.report_["line_noise"]["notched_hz"] == 60.0
    # linear filter: what is left of the hum is y − notch(x); edges (filter start-up) excluded
    left = (y - notch(x, sfreq, 60.0))[:, 500:-500]
    assert np.std(left) < 0.01 * np.std(hum), "the hum is removed"
    off = Denoiser(identity, line_freq=None).fit()
    np.testing.assert_allclose(off.transform(x + hum, sfreq=sfreq), x + hum, atol=1e-9 * x.std())


def test_short_recordings_are_not_judged():
    x = _eeg(256.0, 6.0)
    t = np.arange(x.shape[1]) / 256.0
    assert find_line_noise(x + 30 * np.sin(2 * np.pi * 50 * t), 256.0) is None


def test_real_recordings(shared_data):
    """Glasgow (UK, 1 kHz, Fp1 + chin) has 50-Hz hum; eegmmidb (US, 160 Hz, 64 ch) a weaker 60-Hz one;
    eegmat is already notch-filtered."""
    mne = pytest.importorskip("mne")
    glasgow = shared_data / "glasgow_eeg_everyday_tasks" / "subj05" / "jaw" / "emgeeg.dat.gz"
    x = np.loadtxt(gzip.open(glasgow))[:, 1:3].T
    assert find_line_noise(x, 1000.0).freq == 50.0
    raw = mne.io.read_raw_edf(shared_data / "eegmmidb_S001" / "S001R01.edf", preload=True, verbose="error")
    assert find_line_noise(raw.get_data(), raw.info["sfreq"]).freq == 60.0
    raw = mne.io.read_raw_edf(sorted((shared_data / "physionet_eegmat").glob("*.edf"))[0], preload=True,
                              verbose="error")
    assert find_line_noise(raw.get_data(picks="eeg"), raw.info["sfreq"]) is None

"""Regression on reference channels: used where the network removed what the references explain, not where a
reference holds only brain activity, never where the network did not act; wired into the Denoiser."""

import mne
import numpy as np
import pytest

from eegrecon import Denoiser
from eegrecon.clean.spatial.reference_regression import reference_regression
from eegrecon.errors import OptionError

SFREQ = 256.0
NAMES = ["Fp1", "Fp2", "F3", "F4", "F7", "F8", "T7", "T8", "C3", "C4", "P7", "P8", "P3", "P4", "O1", "O2", "Fz",
         "Cz", "Pz"]


def _smooth(rng, rows, n, rms, width):
    """Gaussian noise smoothed over ``width`` samples (no random walk: those correlate with each other by chance)."""
    kernel = np.hanning(width + 2)[1:-1]
    s = np.stack([np.convolve(r, kernel, mode="same") for r in rng.normal(0, 1, (rows, n))])
    s -= s.mean(axis=1, keepdims=True)
    return s / s.std(axis=1, keepdims=True) * rms


def _avg(x):
    """Average reference: the regression (like the network) works there and leaves a common component."""
    return x - x.mean(axis=0)


def _recording(seed=0, seconds=60):
    """Brain (19 ch, 10 µV), a continuous eye course with a frontal topography, and a VEOG channel recording
    the eye (1.5× its frontal gain) plus some brain (0.2 × Fp1)."""
    rng = np.random.default_rng(seed)
    n = int(SFREQ * seconds)
    brain = _smooth(rng, len(NAMES), n, 10.0, 16)
    eye = _smooth(rng, 1, n, 1.0, 128)[0]
    topography = np.linspace(1.0, 0.05, len(NAMES)) * 40.0
    veog = 1.5 * 40.0 * eye + 0.2 * brain[0]
    return brain, topography, eye, veog


def test_the_regression_is_used_where_the_network_removed_what_the_references_explain():
    brain, topography, eye, veog = _recording()
    artifact = np.outer(topography, eye)
    x = brain + artifact
    y = x - 0.7 * artifact  # the network found the eye artifact but removed only 70 % of it
    fit = reference_regression(x, y, veog[None], ["eog"])
    assert fit.weights == {"eog": 1.0} and fit.agreement["eog"] > 0.6
    before = np.sqrt(np.mean(_avg(y - brain) ** 2))
    after = np.sqrt(np.mean(_avg(x - fit.correction - brain) ** 2))
    assert after < 0.2 * before


def test_a_reference_holding_only_brain_activity_is_not_used():
    brain, _, _, _ = _recording(seed=1)
    veog = 0.2 * brain[0] + 0.1 * np.random.default_rng(2).normal(0, 1, brain.shape[1])
    # the network removed a little (a pop on one channel), unrelated to the reference
    y = brain.copy()
    y[5, 1000:1200] -= 3.0
    fit = reference_regression(brain, y, veog[None], ["eog"])
    assert fit.weights == {"eog": 0.0} and not fit.used
    assert not fit.correction.any()


def test_nothing_is_subtracted_where_the_network_did_not_act():
    brain, topography, eye, veog = _recording(seed=3)
    x = brain + np.outer(topography, eye)
    y = x - 0.7 * np.outer(topography, eye)
    y[10:] = x[10:]  # gate closed on the back channels
    y[:, :500] = x[:, :500]  # and everywhere in the first 2 s
    fit = reference_regression(x, y, veog[None], ["eog"])
    assert fit.used
    assert not fit.correction[10:].any() and not fit.correction[:, :500].any()
    assert np.abs(fit.correction[:10, 500:]).min() >= 0 and fit.correction[:10, 500:].any()


def test_each_kind_of_reference_is_judged_on_its_own():
    brain, topography, eye, veog = _recording(seed=4)
    x = brain + np.outer(topography, eye)
    y = x - 0.8 * np.outer(topography, eye)
    ecg = 0.2 * brain[0]  # an ECG lead with no heart artifact in the EEG: brain activity only
    fit = reference_regression(x, y, np.stack([veog, ecg]), ["eog", "ecg"])
    assert fit.weights["eog"] == 1.0 and fit.weights["ecg"] == 0.0
    # ECG left out of the fit: subtracting it would take Fp1's brain activity out of every channel
    after = _avg(x - fit.correction)
    assert np.corrcoef(after[0], _avg(brain)[0])[0, 1] > 0.98


def test_a_stretch_too_short_for_a_kind_leaves_that_kind_out():
    brain, topography, eye, veog = _recording(seed=7, seconds=8)  # 2048 samples: enough for 1 reference, not 2
    x = brain + np.outer(topography, eye)
    y = x - 0.7 * np.outer(topography, eye)
    assert reference_regression(x, y, veog[None], ["eog"]).used
    two = reference_regression(x, y, np.stack([veog, veog + 1.0 * np.sin(np.arange(x.shape[1]))]), ["eog", "eog"])
    assert not two.used and np.isnan(two.agreement["eog"]) and not two.correction.any()


def test_a_closed_gate_or_no_reference_gives_no_correction():
    brain, topography, eye, veog = _recording(seed=5)
    x = brain + np.outer(topography, eye)
    for fit in (reference_regression(x, x, veog[None], ["eog"]),
                reference_regression(x, x - 1.0, np.zeros((0, x.shape[1])), [])):
        assert not fit.used and not fit.correction.any()


def _raw_with_veog(seconds=60.0, seed=6):
    brain, topography, eye, veog = _recording(seed, seconds)
    data = np.r_[brain + np.outer(topography, eye), veog[None]] * 1e-6
    info = mne.create_info(NAMES + ["VEOG"], SFREQ, ["eeg"] * len(NAMES) + ["eog"])
    return mne.io.RawArray(data, info, verbose="error"), brain


def test_the_denoiser_uses_the_regression_by_default_and_reports_it():
    raw, brain = _raw_with_veog()
    den = Denoiser(line_freq=None).fit()
    out = den.transform(raw).get_data(picks=NAMES) * 1e6
    log = den.report_["reference_regression"]
    assert den.report_["model"]["multichannel"] and log["eog"]["chunks_used"] == log["eog"]["chunks"] >= 1
    # the network removed most of what regression would (the shipped bundle: agreement ≈ 0.6, the top of the ramp)
    assert log["eog"]["mean_agreement"] > 0.55 and log["eog"]["mean_weight"] > 0.9
    only = Denoiser(line_freq=None, reference_regression=False).fit()
    network = only.transform(raw).get_data(picks=NAMES) * 1e6
    assert only.report_["reference_regression"] is None

    def err(a):
        return np.sqrt(np.mean((_avg(a) - _avg(brain)) ** 2))
    assert err(out) < 0.7 * err(network)
    np.testing.assert_array_equal(raw.get_data(picks="VEOG"), den.transform(raw).get_data(picks="VEOG"))


@pytest.mark.parametrize("bad", [1, "yes", None])
def test_reference_regression_must_be_a_boolean(bad):
    with pytest.raises(OptionError, match="reference_regression"):
        Denoiser(reference_regression=bad).fit()


def test_a_reference_channels_mains_and_noise_never_reach_the_eeg():
    """The EOG channel holds the eye signal plus its own 50-Hz hum and white noise: the correction carries the
    eye signal and neither of them."""
    from scipy.signal import welch

    sfreq, n = 256.0, int(120 * 256)
    rng = np.random.default_rng(0)
    t = np.arange(n) / sfreq
    eye = sum(150 * np.exp(-0.5 * ((t - c) / 0.1) ** 2) for c in np.arange(2, 118, 3.0))
    topography = np.linspace(1.0, -0.2, 19)
    brain = rng.normal(0, 10, (19, n))
    x = brain + np.outer(topography, eye)
    eog = eye + 30 * np.sin(2 * np.pi * 50 * t) + rng.normal(0, 20, n)
    y = x - 0.5 * np.outer(topography - topography.mean(), eye)  # a network that removed half of the blink
    fit = reference_regression(x, y, eog[None], ["eog"], sfreq)
    assert fit.used
    f, p_corr = welch(fit.correction, fs=sfreq, nperseg=512)
    _, p_brain = welch(brain, fs=sfreq, nperseg=512)
    mains, broad = np.abs(f - 50) <= 1, f > 30
    assert p_corr[:, mains].sum() < 1e-3 * p_brain[:, mains].sum()
    assert p_corr[:, broad].sum() < 1e-3 * p_brain[:, broad].sum()
    whole_band = reference_regression(x, y, eog[None], ["eog"])  # without the rate: the hum goes in (the old way)
    _, p_old = welch(whole_band.correction, fs=sfreq, nperseg=512)
    assert p_old[:, mains].sum() > 100 * p_corr[:, mains].sum()

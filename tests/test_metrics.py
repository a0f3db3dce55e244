"""Metrics against hand-computed cases."""

import numpy as np
import pytest

from eegrecon.metrics import all_metrics, band_power_errors, cc, psd, rrmse_s, rrmse_t, snr_power_db


def test_rrmse_t_by_hand():
    x = np.array([[1.0, -1.0, 1.0, -1.0]])
    y = np.array([[1.5, -0.5, 1.5, -0.5]])  # error 0.5 everywhere, RMS(x) = 1
    assert rrmse_t(y, x)[0] == pytest.approx(0.5)
    assert rrmse_t(x, x)[0] == 0.0


def test_cc_by_hand_and_scale_invariance():
    x = np.array([[1.0, 2.0, 3.0, 4.0]])
    assert cc(x, x)[0] == pytest.approx(1.0)
    assert cc(-x, x)[0] == pytest.approx(-1.0)
    assert cc(3 * x + 7, x)[0] == pytest.approx(1.0)
    assert cc(np.array([[1.0, 0.0, 1.0, 0.0]]), np.array([[0.0, 1.0, 0.0, 1.0]]))[0] == pytest.approx(-1.0)


def test_snr_out_by_hand():
    x = np.ones((1, 100))
    y = x + 0.1  # error power 0.01 per sample, signal power 1 → 20 dB
    assert snr_power_db(x, y)[0] == pytest.approx(20.0)
    m = all_metrics(y, x, x + 1.0, 256.0)
    assert m["delta_snr"][0] == pytest.approx(20.0 - 0.0)


def test_rrmse_s_uses_welch_psd_and_is_zero_for_perfect_output():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 512))
    assert np.allclose(rrmse_s(x, x, 256.0), 0.0)
    f, p = psd(x, 256.0)
    assert f[1] - f[0] == pytest.approx(1.0)  # 1-s Hann segments → 1 Hz bins
    np.testing.assert_allclose(rrmse_s(2 * x, x, 256.0), 3.0, rtol=1e-9)  # PSD scales by 4: |4P-P|/P = 3


def test_band_power_error_isolates_the_damaged_band():
    t = np.arange(512) / 256.0
    x = (np.sin(2 * np.pi * 10 * t) + np.sin(2 * np.pi * 20 * t))[None, :]
    y = (np.sin(2 * np.pi * 10 * t) + 0.5 * np.sin(2 * np.pi * 20 * t))[None, :]
    err = band_power_errors(y, x, 256.0)
    assert err["bp_err_alpha"][0] < 0.02
    assert err["bp_err_beta"][0] == pytest.approx(0.75, abs=0.05)  # power of a half-amplitude sine: 1/4


def test_metrics_are_vectorised():
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal((7, 512)), rng.standard_normal((7, 512))
    m = all_metrics(y, x, y, 256.0)
    assert all(v.shape == (7,) for v in m.values())
    assert {"rrmse_t", "rrmse_s", "cc", "snr_out", "delta_snr", "bp_err_delta", "bp_err_gamma"} <= set(m)
    assert m["cc"][3] == pytest.approx(cc(y[3:4], x[3:4])[0])

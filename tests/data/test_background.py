"""The high-frequency background added to eegmat's low-passed clean EEG: band, level, spatial structure."""

import numpy as np
import pytest
from scipy.signal import welch

from eegrecon.data.background import (
    BACKGROUND_BAND,
    REFERENCE_BAND,
    add_background,
    add_background_windows,
    high_frequency_background,
    row_band_power,
    shaped_noise,
)
from eegrecon.data.topography import TopographyBank
from eegrecon.signal.montage import positions_from_names

NAMES = ["Fp1", "Fp2", "F3", "F4", "F7", "F8", "T7", "T8", "C3", "C4", "P7", "P8", "P3", "P4", "O1", "O2",
         "Fz", "Cz", "Pz"]
SFREQ = 256.0


@pytest.fixture(scope="module")
def bank():
    return TopographyBank.build(positions_from_names(NAMES), seed=0)


def test_shaped_noise_lives_between_its_band_edges():
    x = shaped_noise(20, 4096, SFREQ, 1.0, 35.0, 70.0, np.random.default_rng(0))
    np.testing.assert_allclose(x.std(axis=1), 1.0, rtol=1e-9)
    f, p = welch(x, SFREQ, nperseg=512)
    inside = p[:, (f > 40) & (f < 65)].mean()
    assert p[:, f < 15].mean() < 1e-3 * inside
    assert p[:, f > 110].mean() < 1e-3 * inside


def band_power(x, sfreq, band):
    return float(np.mean(row_band_power(x, sfreq, band)))


def test_background_is_average_referenced_high_frequency_and_unit_level(bank):
    rng = np.random.default_rng(1)
    x = high_frequency_background(bank, 512, SFREQ, rng)
    assert x.shape == (len(NAMES), 512)
    np.testing.assert_allclose(x.mean(axis=0), 0.0, atol=1e-12)
    assert band_power(x, SFREQ, BACKGROUND_BAND) == pytest.approx(1.0)
    assert band_power(x, SFREQ, (1.0, 13.0)) < 0.01


def test_brain_sources_give_a_spatially_correlated_background(bank):
    """Without sensor noise the background is a sum of k topographies (rank ≤ k); with only sensor noise it is not."""
    rng = np.random.default_rng(2)
    brain = high_frequency_background(bank, 2048, SFREQ, rng, n_sources=(4, 4), sensor_share=(0.0, 0.0))
    sensor = high_frequency_background(bank, 2048, SFREQ, rng, sensor_share=(1.0, 1.0))
    sv_brain = np.linalg.svd(brain, compute_uv=False)
    sv_sensor = np.linalg.svd(sensor, compute_uv=False)
    assert sv_brain[4] < 1e-6 * sv_brain[0]
    assert sv_sensor[10] > 0.3 * sv_sensor[0]


def test_added_background_sets_the_high_band_against_beta_and_keeps_low_bands(bank):
    rng = np.random.default_rng(3)
    t = np.arange(512) / SFREQ
    clean = rng.normal(0, 1, (len(NAMES), 1)) * np.sin(2 * np.pi * 10 * t) + 0.3 * rng.normal(0, 1, (len(NAMES), 512))
    clean -= clean.mean(axis=0)
    out = add_background(clean, bank, SFREQ, rng, ratio=(0.5, 0.5))
    added = out - clean
    assert band_power(added, SFREQ, BACKGROUND_BAND) == pytest.approx(0.5 * band_power(clean, SFREQ, REFERENCE_BAND))
    assert band_power(added, SFREQ, (1.0, 13.0)) < 1e-3 * band_power(clean, SFREQ, (1.0, 13.0))


def test_single_channel_windows_get_the_background_at_the_asked_share_and_level():
    rng = np.random.default_rng(4)
    t = np.arange(512) / SFREQ
    x = np.sin(2 * np.pi * 20 * t) * rng.uniform(1, 5, (400, 1))
    out = add_background_windows(x, SFREQ, rng, probability=0.25, ratio=(0.3, 0.3))
    changed = np.abs(out - x).max(axis=1) > 0
    assert 0.15 < changed.mean() < 0.35
    np.testing.assert_array_equal(out[~changed], x[~changed])
    ratio = row_band_power(out[changed] - x[changed], SFREQ, BACKGROUND_BAND) / row_band_power(
        x[changed], SFREQ, REFERENCE_BAND)
    np.testing.assert_allclose(ratio, 0.3, rtol=1e-6)

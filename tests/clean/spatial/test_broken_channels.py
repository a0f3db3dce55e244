"""Broken channels are found by deviation, correlation and high-frequency noise; smooth scalp EEG is not."""

import numpy as np
import pytest

from eegrecon.clean.spatial.broken_channels import find_bad_channels, interpolation
from eegrecon.signal.montage import positions_from_names

SFREQ = 160.0
NAMES = ["Fp1", "Fp2", "F3", "F4", "F7", "F8", "T7", "T8", "C3", "C4", "P7", "P8", "P3", "P4", "O1", "O2", "Fz",
         "Cz", "Pz"]


@pytest.fixture(scope="module")
def scalp():
    """60 s of spatially smooth EEG (brain sources through a sphere model), µV, with a blink at the front."""
    from eegrecon.data.topography import TopographyBank

    rng = np.random.default_rng(0)
    bank = TopographyBank.build(positions_from_names(NAMES), seed=1)
    n = int(60 * SFREQ)
    courses = np.cumsum(rng.normal(size=(30, n)), axis=1)
    courses -= np.array([np.convolve(c, np.ones(80) / 80, "same") for c in courses])
    x = bank.brain(rng, 30).T @ courses
    x *= 20 / x.std()
    vertical, _ = bank.eye(rng)
    t = np.arange(n) / SFREQ
    x += np.outer(vertical, sum(300 * np.exp(-0.5 * ((t - c) / 0.1) ** 2) for c in range(3, 58, 4)))
    return x


def test_clean_scalp_eeg_with_blinks_has_no_broken_channel(scalp):
    assert find_bad_channels(scalp, SFREQ) == {}


@pytest.mark.parametrize(("what", "expected"), [
    ("noise", {"deviation", "correlation"}), ("drift", {"deviation"}), ("flat", {"deviation"}),
    ("hiss", {"high-frequency noise", "deviation"})])
def test_a_broken_channel_is_found_and_only_it(scalp, what, expected):
    x = scalp.copy()
    rng = np.random.default_rng(1)
    n, c3 = x.shape[1], NAMES.index("C3")
    if what == "noise":
        x[c3] += rng.normal(0, 200, n)
    elif what == "drift":
        x[c3] += 2000 * np.sin(2 * np.pi * np.arange(n) / SFREQ / 60)
    elif what == "flat":
        x[c3] = 0.01 * rng.normal(size=n)
    else:  # hiss above 45 Hz: its 1–40 Hz signal is still the scalp's
        from scipy.signal import butter, sosfiltfilt

        x[c3] += sosfiltfilt(butter(4, 45, "highpass", fs=SFREQ, output="sos"), rng.normal(0, 80, n))
    found = find_bad_channels(x, SFREQ)
    assert list(found) == [c3] and found[c3] in expected


def test_interpolation_estimates_a_channel_from_its_neighbours(scalp):
    pos = positions_from_names(NAMES)
    c3 = NAMES.index("C3")
    estimate = interpolation(pos, [c3]) @ scalp
    assert np.corrcoef(estimate[0], scalp[c3])[0, 1] > 0.5
    unknown = pos.copy()
    unknown[0] = np.nan  # without every position: the others' mean
    np.testing.assert_allclose(interpolation(unknown, [c3])[0].sum(), 1.0)

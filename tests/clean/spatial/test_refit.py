"""The recording-level refit: recovers what the network left of a fixed-topography artifact, touches nothing the
network did not act on, and is wired into the Denoiser for the multichannel model only."""

import numpy as np
import pytest

from eegrecon import Denoiser
from eegrecon.clean.spatial.refit import MIN_SAMPLES_PER_COURSE, artifact_refit
from eegrecon.errors import OptionError

SFREQ = 256.0


def _recording(seed=0, n_chans=19, seconds=120):
    rng = np.random.default_rng(seed)
    n = int(SFREQ * seconds)
    brain = np.cumsum(rng.normal(0, 1, (n_chans, n)), axis=1)  # brown noise: most power at low frequencies
    brain = brain - brain.mean(axis=1, keepdims=True)
    brain /= brain.std(axis=1, keepdims=True) / 10.0
    t = np.arange(n) / SFREQ
    course = np.zeros(n)
    for c in np.arange(1.0, seconds - 1.0, 3.0) + rng.uniform(-0.5, 0.5, len(np.arange(1.0, seconds - 1.0, 3.0))):
        course += np.exp(-0.5 * ((t - c) / 0.12) ** 2)
    course[course < 1e-3] = 0.0  # blinks are events: between them there is nothing to act on
    topography = np.linspace(1.0, 0.05, n_chans) * 150.0
    return brain, topography, course


@pytest.mark.parametrize("share_removed", [0.3, 0.6, 1.4])
def test_refit_recovers_the_artifact_the_network_got_the_amplitude_of_wrong(share_removed):
    brain, topography, course = _recording()
    artifact = np.outer(topography, course)
    x = brain + artifact
    y = x - share_removed * artifact  # the network found the blink but removed the wrong amount of it
    fixed = y - artifact_refit(x, y, 1)
    residual_before = np.sqrt(np.mean((y - brain) ** 2))
    residual_after = np.sqrt(np.mean((fixed - brain) ** 2))
    # the tails of each event (where the network's course is small against the input) are left as they were
    assert residual_after < 0.5 * residual_before
    acted = np.abs(course) > 0
    np.testing.assert_array_equal(fixed[:, ~acted], x[:, ~acted])  # where it did not act: the input, exactly


def test_refit_leaves_brain_alone_when_the_network_removed_the_artifact_exactly():
    brain, topography, course = _recording(seed=1)
    artifact = np.outer(topography, course)
    x = brain + artifact
    y = brain.copy()
    change = artifact_refit(x, y, 2)
    assert np.sqrt(np.mean(change ** 2)) < 0.05 * np.sqrt(np.mean(brain ** 2))


def test_small_removals_from_clean_eeg_are_not_amplified():
    brain, topography, _ = _recording(seed=3)
    unit = topography / np.linalg.norm(topography)
    y = brain - 0.2 * np.outer(unit, unit @ brain)  # the network took a fifth of one spatial component
    np.testing.assert_array_equal(artifact_refit(brain, y, 2), 0.0)


def test_refit_does_nothing_when_the_network_acted_on_too_few_samples():
    brain, topography, course = _recording(seed=2)
    x = brain.copy()
    np.testing.assert_array_equal(artifact_refit(x, x.copy(), 2), 0.0)  # nothing removed: nothing to fit
    y = x.copy()
    y[:, : MIN_SAMPLES_PER_COURSE - 1] -= 1.0
    np.testing.assert_array_equal(artifact_refit(x, y, 1), 0.0)


def test_denoiser_refit_option_is_checked_and_reported():
    with pytest.raises(OptionError, match="refit_components"):
        Denoiser(refit_components=-1).fit()
    with pytest.raises(OptionError, match="refit_components"):
        Denoiser(refit_components=True).fit()
    x = np.random.default_rng(0).normal(0, 10, (3, 2048))
    den = Denoiser(line_freq=None, refit_components=2).fit()
    out = den.transform(x, sfreq=SFREQ)  # an array goes to the single-channel model: no refit
    assert den.report_["artifact_refit"] == 0 and out.shape == x.shape

"""Artifact sources: the beamformer passes its topographies and nulls the others; the source-space step recovers a
blink the network got the shape of wrong, touches nothing outside the network's events, and is wired into the
Denoiser for the multichannel model only."""

import numpy as np
import pytest
from scipy.signal import butter, sosfiltfilt

from eegrecon import Denoiser
from eegrecon.clean.spatial.artifact_sources import beamformer, clean_in_source_space
from eegrecon.errors import OptionError

SFREQ = 256.0


def _brain(rng, n_chans, n):
    """Spatially correlated EEG-like noise above 4 Hz, so a 4-Hz high-pass tells it from a blink."""
    mixing = rng.normal(0, 1, (n_chans, n_chans))
    brain = mixing @ rng.normal(0, 10, (n_chans, n))
    brain = sosfiltfilt(butter(4, 4.0, "highpass", fs=SFREQ, output="sos"), brain, axis=1)
    return brain - brain.mean(axis=0)


def _blinks(rng, n, seconds):
    t = np.arange(n) / SFREQ
    course = np.zeros(n)
    centres = np.arange(2.0, seconds - 2.0, 4.0)
    for c in centres + rng.uniform(-0.5, 0.5, len(centres)):
        course += np.exp(-0.5 * ((t - c) / 0.12) ** 2)
    course[course < 1e-3] = 0.0
    return course


def _highpass_cleaner(s):
    return sosfiltfilt(butter(4, 4.0, "highpass", fs=SFREQ, output="sos"), s, axis=-1)


def test_the_beamformer_passes_its_topographies_and_nulls_the_others():
    rng = np.random.default_rng(0)
    x = _brain(rng, 19, 20 * 256)
    topographies = np.linalg.qr(rng.normal(0, 1, (19, 2)))[0]
    w = beamformer(x, topographies)
    np.testing.assert_allclose(w @ topographies, np.eye(2), atol=1e-9)


def _blink_case(seed, n_chans=19, seconds=60):
    """Brain, blink course, input and a network output that found each blink and its topography but took a
    smeared, too small copy of its waveform (and acted nowhere else)."""
    rng = np.random.default_rng(seed)
    n = int(seconds * SFREQ)
    brain = _brain(rng, n_chans, n)
    course = _blinks(rng, n, seconds)
    topography = np.linspace(1.0, -0.3, n_chans) * 150.0
    topography -= topography.mean()
    x = brain + np.outer(topography, course)
    wrong = np.convolve(course, np.ones(64) / 64, mode="same") * 0.6
    wrong[course == 0] = 0.0
    return brain, course, x, x - np.outer(topography, wrong)


def test_a_blink_the_network_got_the_shape_of_wrong_is_recovered_and_the_rest_left_alone():
    brain, _, x, y = _blink_case(1)
    out = clean_in_source_space(x, y, 1, _highpass_cleaner, SFREQ)
    err_network = np.sqrt(np.mean((y - brain) ** 2))
    err_sources = np.sqrt(np.mean((out - brain) ** 2))
    assert err_sources < 0.05 * err_network
    untouched = y == x
    assert untouched.any()
    np.testing.assert_array_equal(out[untouched], x[untouched])  # where the network did not act: the input


def test_nothing_changes_without_events():
    rng = np.random.default_rng(2)
    x = _brain(rng, 19, 30 * 256)
    np.testing.assert_array_equal(clean_in_source_space(x, x.copy(), 2, _highpass_cleaner, SFREQ), x)
    y = x - 0.01 * x  # small removals everywhere: no course is an event, so the network's output stays
    np.testing.assert_array_equal(clean_in_source_space(x, y, 2, _highpass_cleaner, SFREQ), y)


def test_denoiser_option_is_checked_and_reported():
    for bad in (-1, True, 1.5):
        with pytest.raises(OptionError, match="artifact_sources"):
            Denoiser(artifact_sources=bad).fit()
    x = np.random.default_rng(0).normal(0, 10, (3, 2048))
    den = Denoiser(line_freq=None).fit()
    out = den.transform(x, sfreq=SFREQ)  # an array goes to the single-channel model: no source step
    assert den.report_["artifact_sources"] == 0 and out.shape == x.shape


def test_sources_the_reference_channels_explain_keep_the_networks_removal():
    brain, course, x, y = _blink_case(3)
    rng = np.random.default_rng(4)
    n = len(course)
    eog = 1.5 * course + 0.05 * rng.normal(0, 1, n)  # an EOG channel: the blink itself
    np.testing.assert_array_equal(clean_in_source_space(x, y, 1, _highpass_cleaner, SFREQ, eog[None]), y)
    unrelated = rng.normal(0, 1, (2, n))  # channels that explain nothing: the sources are redone as without them
    out = clean_in_source_space(x, y, 1, _highpass_cleaner, SFREQ, unrelated)
    np.testing.assert_array_equal(out, clean_in_source_space(x, y, 1, _highpass_cleaner, SFREQ))
    # during the blinks the whole course goes, the brain activity it carries with it (as ICA removes a component)
    assert np.sqrt(np.mean((out - brain) ** 2)) < 0.35 * np.sqrt(np.mean((y - brain) ** 2))


def test_only_a_course_that_stands_far_out_of_its_own_activity_counts_as_all_artifact():
    from eegrecon.clean.spatial.artifact_sources import whole_course_weight

    rng = np.random.default_rng(0)
    sfreq = 256.0
    brain = rng.normal(0, 1, (1, 60 * 256))
    assert whole_course_weight(brain, sfreq).max() == 0.0  # EEG alone never reaches the ramp
    blink = brain.copy()
    t = np.arange(blink.shape[1]) / sfreq
    blink[0] += 20 * np.exp(-0.5 * ((t - 30.0) / 0.1) ** 2)  # ten times the EEG and more
    weight = whole_course_weight(blink, sfreq)[0]
    assert weight[int(30.0 * sfreq)] > 0.999
    assert weight[int(20.0 * sfreq)] < 1e-12 and weight[int(40.0 * sfreq)] < 1e-12

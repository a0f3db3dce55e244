"""The artifact's common mode: removed in the recording's own reference, nothing changed in average reference."""

import numpy as np

from eegrecon.clean.spatial.common_mode import artifact_common_mode, is_average_referenced, restore_common_mode

SFREQ = 256.0


def _recording(seed=0, n_chans=19, seconds=60.0):
    """Brain-like noise in a non-average reference, a blink course and a topography with a non-zero mean."""
    rng = np.random.default_rng(seed)
    n = int(seconds * SFREQ)
    brain = rng.normal(0, 10, (n_chans, n)) + rng.normal(0, 10, n)  # a common part too, as a far reference has
    t = np.arange(n) / SFREQ
    course = sum(150 * np.exp(-0.5 * ((t - c) / 0.1) ** 2) for c in np.arange(2, seconds - 1, 3.0))
    topography = np.zeros(n_chans)
    topography[:4] = [1.0, 0.9, 0.6, 0.5]  # frontal only: the other channels hold no blink in this reference
    return brain, np.outer(topography, course)


def test_a_perfect_average_reference_removal_becomes_right_in_the_own_reference():
    brain, artifact = _recording()
    x = brain + artifact
    removed_avg = artifact - artifact.mean(axis=0)  # what an ideal average-reference cleaner removes
    y = x - removed_avg
    assert np.sqrt(np.mean((y[4:] - brain[4:]) ** 2)) > 5  # the blink's mean lands on the untouched channels
    restored = restore_common_mode(x, y, SFREQ)
    err = np.sqrt(np.mean((restored - brain) ** 2, axis=1))
    assert err.max() < 0.1 * np.sqrt(np.mean(artifact[0] ** 2))
    untouched_before = np.sqrt(np.mean((y[4:] - brain[4:]) ** 2))
    assert np.sqrt(np.mean((restored[4:] - brain[4:]) ** 2)) < 0.2 * untouched_before


def test_average_referenced_input_is_returned_unchanged_bit_for_bit():
    brain, artifact = _recording(1)
    x = brain + artifact
    x = x - x.mean(axis=0)
    assert is_average_referenced(x)
    y = x - 0.8 * (artifact - artifact.mean(axis=0))
    assert restore_common_mode(x, y, SFREQ) is not None
    np.testing.assert_array_equal(restore_common_mode(x, y, SFREQ), y)


def test_nothing_changes_outside_artifact_events_or_where_nothing_was_removed():
    brain, _ = _recording(2)
    y = brain.copy()
    y[:, 1000:1100] -= 0.01 * brain[:, 1000:1100]  # a tiny removal on clean EEG: no event
    assert not artifact_common_mode(brain, y, SFREQ).any()
    np.testing.assert_array_equal(restore_common_mode(brain, y, SFREQ), y)
    brain2, artifact = _recording(3)
    x = brain2 + artifact
    y = x - (artifact - artifact.mean(axis=0))
    y[5] = x[5]  # the network left channel 5 alone: so does this step
    np.testing.assert_array_equal(restore_common_mode(x, y, SFREQ)[5], x[5])

"""The slow baseline kept out of the cleaning: offsets and drifts to the last sample, no step from the EEG at the
edges, and chunks that agree with the whole recording."""

import numpy as np

from eegrecon.signal.baseline import baseline_settle, needs_baseline, slow_and_fast_power, slow_baseline


def _eeg(n, sfreq, seed=0):
    from eegrecon.data.simulate import simulate_clean_eeg

    return simulate_clean_eeg(3, n, sfreq, seed).astype(np.float64)  # µV, high-passed brain-like activity


def test_offset_and_drift_are_the_baseline_to_the_edges_and_eeg_is_not():
    sfreq, n = 256.0, 256 * 12
    t = np.arange(n) / sfreq
    eeg = _eeg(n, sfreq)
    slow = np.array([[4000.0], [-2500.0], [100.0]]) + np.outer([30.0, -50.0, 0.0], t)  # mV offsets, µV/s drifts
    base = slow_baseline(eeg + slow, sfreq)
    err = base - slow
    assert np.abs(err).max() < 0.2 * np.abs(eeg).max(), "the baseline follows offset and drift, not the EEG"
    edges = np.r_[0:128, n - 128:n]
    rms = lambda v: np.sqrt(np.mean(v ** 2, axis=-1))  # noqa: E731
    assert (rms(err[:, edges]) < 0.2 * rms(eeg)).all(), "no step at the first and last second"


def test_a_chunk_with_its_settling_context_gives_the_whole_recordings_baseline():
    sfreq, n = 128.0, 128 * 120
    x = _eeg(n, sfreq, seed=1) + 1000.0 + np.cumsum(np.random.default_rng(2).normal(0, 0.5, (3, n)), axis=1)
    whole = slow_baseline(x, sfreq)
    ctx = baseline_settle(sfreq)
    a, b = 60 * 128, 70 * 128
    part = slow_baseline(x[:, a - ctx:b + ctx], sfreq)[:, ctx:ctx + b - a]
    # within a fifth of the EEG's SD (where a blink-like excursion is bridged can differ with the context)
    np.testing.assert_allclose(part, whole[:, a:b], atol=0.2 * x[:, a:b].std(axis=1).min())


def test_only_rows_with_a_large_slow_part_need_the_baseline():
    sfreq, n = 256.0, 256 * 20
    eeg = _eeg(n, sfreq, seed=3)
    x = eeg + np.array([[0.0], [0.0], [3000.0]])
    slow, fast = slow_and_fast_power(x, sfreq)
    assert needs_baseline(slow, fast).tolist() == [False, False, True]

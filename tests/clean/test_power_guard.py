"""Nothing injected, or nothing written: a stretch whose band power the cleaning raised is returned as read, and a
cleaned sample never leaves what the file can hold."""

import numpy as np

from eegrecon.clean.power_change import power_change
from eegrecon.clean.power_guard import FADE_S, GUARD_S, RISE_LIMIT_DB, guard_power, keep_in_range

SFREQ = 250.0


def _signals(seconds=30.0, seed=0):
    rng = np.random.default_rng(seed)
    n = int(seconds * SFREQ)
    return rng.normal(0, 10e-6, (3, n))


def test_a_stretch_with_added_power_is_returned_as_read_and_reported():
    x = _signals()
    t = np.arange(x.shape[1]) / SFREQ
    out = 0.9 * x  # a cleaning that removes 10 % everywhere ...
    added = (t >= 12) & (t < 18)
    out[1, added] += 40e-6 * np.sin(2 * np.pi * 2.0 * t[added])  # ... and adds a 2-Hz wave on row 1 there
    returned = {}
    guard_power(out, x, np.arange(3), SFREQ, ["a", "b", "c"], 100.0, returned)
    assert list(returned) == ["b"] and returned["b"]["band"] == "delta" and returned["b"]["db"] > 10
    assert returned["b"]["stretches_s"] == [(110.0, 120.0)]  # the 10-s stretch it falls in
    np.testing.assert_allclose(out[[0, 2]], 0.9 * x[[0, 2]])  # the other rows keep their cleaning
    inside = (t >= 10) & (t < 20)
    np.testing.assert_array_equal(out[1, inside], x[1, inside])  # returned as read ...
    outside = (t < 10 - FADE_S) | (t >= 20 + FADE_S)  # ... with the correction faded in around it
    np.testing.assert_allclose(out[1, outside], 0.9 * x[1, outside])
    after = power_change(x, out, SFREQ).injected_db(-30.0)
    assert after.max() <= RISE_LIMIT_DB


def test_a_rise_in_a_band_that_holds_nothing_is_not_content_added():
    x = _signals(20.0, 1)
    spectrum = np.fft.rfft(x, axis=-1)
    spectrum[:, np.fft.rfftfreq(x.shape[1], 1 / SFREQ) > 40.0] = 0
    x = np.fft.irfft(spectrum, n=x.shape[1], axis=-1)  # nothing above 40 Hz: the mains bins hold nothing
    out = x.copy()
    out[0] += 1e-9 * np.sin(2 * np.pi * 50.0 * np.arange(x.shape[1]) / SFREQ)  # +1 nV of mains: a big dB rise ...
    assert power_change(x, out, SFREQ).largest_rise()["db"] > 10
    returned = {}
    guard_power(out, x, np.arange(3), SFREQ, ["a", "b", "c"], 0.0, returned)
    assert returned == {}  # ... of next to nothing: kept


def test_a_chunk_shorter_than_a_stretch_is_checked_and_returned_whole():
    x = _signals(seconds=0.05)
    out = x + 30e-6
    out[:, ::2] -= 60e-6  # broadband power added everywhere
    returned = {}
    guard_power(out, x, np.arange(3), SFREQ, ["a", "b", "c"], 0.0, returned)
    assert sorted(returned) == ["a", "b", "c"]
    np.testing.assert_array_equal(out, x)
    assert GUARD_S * SFREQ > out.shape[1]


def test_cleaned_samples_beyond_the_range_are_returned_as_read_and_counted():
    orig = np.array([[0.0, 90.0, 95.0, -99.0], [150.0, 0.0, 10.0, 20.0]])
    out = np.array([[10.0, 101.0, 99.0, -120.0], [160.0, 0.0, 180.0, 20.0]])
    limits = np.array([[-100.0, 100.0], [-100.0, 100.0]])
    out[1, 0] = 140.0
    assert keep_in_range(out, orig, limits) == 3
    # row 1 holds 150 as read, beyond its declared range: the cleaning may go as far (140), not further (180)
    np.testing.assert_array_equal(out, [[10.0, 90.0, 99.0, -99.0], [140.0, 0.0, 10.0, 20.0]])


def test_bad_spans_are_returned_as_read_with_the_correction_faded_in_beside_them():
    from eegrecon.clean.power_guard import keep_as_read

    x = _signals(seconds=8.0)
    out = 0.5 * x
    t = np.arange(x.shape[1]) / SFREQ
    kept = (t >= 3) & (t < 4)
    keep_as_read(out, x, kept, SFREQ)
    np.testing.assert_array_equal(out[:, kept], x[:, kept])
    far = (t < 3 - FADE_S) | (t >= 4 + FADE_S)
    np.testing.assert_array_equal(out[:, far], 0.5 * x[:, far])
    share = (x[0] - out[0]) / (0.5 * x[0])  # the share of the correction kept: from 0 at the edge up to 1
    beside = (t >= 4) & (t < 4 + FADE_S)
    assert np.all(np.diff(share[beside]) > 0) and 0 < share[beside][0] < 0.05 and share[beside][-1] > 0.95

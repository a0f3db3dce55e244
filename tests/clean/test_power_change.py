"""The do-no-harm check: power change per channel and band, mains bins apart."""

import numpy as np

from eegrecon.clean.power_change import band_edges, power_change

SFREQ = 250.0


def test_identity_changes_nothing_and_added_hum_shows_in_its_mains_bin_only():
    rng = np.random.default_rng(0)
    x = rng.normal(0, 10, (4, int(60 * SFREQ)))
    same = power_change(x, x.copy(), SFREQ, ["a", "b", "c", "d"])
    np.testing.assert_allclose(same.db, 0.0, atol=1e-9)
    y = x.copy()
    y[2] += 5 * np.sin(2 * np.pi * 50 * np.arange(x.shape[1]) / SFREQ)
    change = power_change(x, y, SFREQ, ["a", "b", "c", "d"])
    rise = change.largest_rise()
    assert rise["channel"] == "c" and rise["band"] == "mains 50 ±1 Hz" and rise["db"] > 6
    bands = list(change.bands)
    assert abs(change.db[2, bands.index("above 45 Hz")]) < 0.05  # mains bins are not part of "above 45 Hz"
    assert abs(change.db[2, bands.index("alpha")]) < 1e-9


def test_bands_follow_the_rate_and_chunks_add_up():
    assert "mains 60 ±1 Hz" not in band_edges(100.0) and "above 45 Hz" in band_edges(100.0)
    rng = np.random.default_rng(1)
    x = rng.normal(0, 10, (2, int(40 * SFREQ)))
    y = 0.5 * x
    whole = power_change(x, y, SFREQ)
    from eegrecon.clean.power_change import PowerChange

    parts = PowerChange(SFREQ, ["0", "1"])
    for s in range(0, x.shape[1], int(10 * SFREQ)):
        parts.update(x[:, s:s + int(10 * SFREQ)], y[:, s:s + int(10 * SFREQ)])
    np.testing.assert_allclose(parts.db, whole.db, atol=1e-6)
    np.testing.assert_allclose(whole.db, 10 * np.log10(0.25), atol=1e-6)

import numpy as np
import pytest

from eegrecon.data.pairs import mix, snr_db
from eegrecon.metrics import psd
from eegrecon.noise import SIMULATED, get_noise, noise_names
from eegrecon.noise.base import Distortion
from eegrecon.noise.distortions import Clipping, Dropout
from eegrecon.noise.mixture import Mixture
from eegrecon.noise.registry import SNR_ON
from eegrecon.noise.sampling import contaminate

SFREQ, T = 256.0, 512
ADDITIVE = [n for n in noise_names() if not isinstance(get_noise(n), Distortion)]


def _mean_psd(name, n=200, sfreq=SFREQ, n_times=T):
    x = get_noise(name).generate(n, n_times, sfreq, np.random.default_rng(0))
    f, p = signal_psd(x, sfreq)
    return f, p


def signal_psd(x, sfreq):
    f, p = psd(x, sfreq)
    return f, p.mean(axis=0)


def _fraction(f, p, lo, hi):
    return p[(f >= lo) & (f < hi)].sum() / p.sum()


@pytest.mark.parametrize("name", noise_names())
def test_every_noise_is_seeded_shaped_and_documented(name):
    noise = get_noise(name)
    assert noise.describe() and noise.family and noise.origin
    if isinstance(noise, Distortion):
        x = np.random.default_rng(5).standard_normal((4, T))
        a, b = noise.apply(x, np.random.default_rng(1)), noise.apply(x, np.random.default_rng(1))
    else:
        a = noise.generate(4, T, SFREQ, np.random.default_rng(1))
        b = noise.generate(4, T, SFREQ, np.random.default_rng(1))
        c = noise.generate(4, T, SFREQ, np.random.default_rng(2))
        assert not np.allclose(a, c)
        assert noise.generate(3, 300, 500.0, np.random.default_rng(0)).shape == (3, 300)
    assert a.shape == (4, T) and np.isfinite(a).all()
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("definition", ["rms", "power"])
@pytest.mark.parametrize("name", [n for n in ADDITIVE if n not in SNR_ON])  # SNR_ON: tested below
def test_achieved_snr_equals_requested(name, definition):
    rng = np.random.default_rng(3)
    clean = rng.standard_normal((6, T)) * 10
    snr = np.linspace(-10, 10, 6)
    pairs = contaminate(clean, get_noise(name), snr, SFREQ, rng, name, definition)
    achieved = snr_db(pairs.clean.astype(float), pairs.artifact.astype(float), definition)
    np.testing.assert_allclose(achieved, snr, atol=0.01)


@pytest.mark.parametrize("name,mains", [("line", 50.0), ("line60", 60.0)])
def test_line_noise_peaks_at_mains_and_harmonics(name, mains):
    x = get_noise(name).generate(20, 2560, 512.0, np.random.default_rng(0))
    spec = np.abs(np.fft.rfft(x, axis=1)).mean(0)
    f = np.fft.rfftfreq(2560, 1 / 512.0)
    assert abs(f[np.argmax(spec)] - mains) <= 0.5
    harmonic = (f > 1.5 * mains) & (f < 2.5 * mains)
    assert abs(f[harmonic][np.argmax(spec[harmonic])] - 2 * mains) <= 0.5


def test_simulated_emg_is_mostly_above_20_hz_and_resampled_correctly():
    f, p = _mean_psd("emg_sim")
    assert _fraction(f, p, 20, 200) > 0.85
    f2, p2 = _mean_psd("emg_sim", sfreq=1024.0, n_times=2048)
    assert _fraction(f2, p2, 120, 200) > 0.2  # content above 128 Hz exists at high rates…
    assert p[-3:].mean() < p[(f > 40) & (f < 80)].mean()  # …and is anti-aliased away at 256 Hz


def test_simulated_eog_is_mostly_below_10_hz():
    f, p = _mean_psd("eog_sim")
    assert _fraction(f, p, 0, 10) > 0.9


@pytest.mark.parametrize("name,slope", [("pink", -1.0), ("brown", -2.0)])
def test_colored_noise_slope(name, slope):
    x = get_noise(name).generate(300, 4096, SFREQ, np.random.default_rng(0))
    f = np.fft.rfftfreq(4096, 1 / SFREQ)
    p = (np.abs(np.fft.rfft(x, axis=1)) ** 2).mean(0)
    sel = (f > 1) & (f < 100)
    fitted = np.polyfit(np.log10(f[sel]), np.log10(p[sel]), 1)[0]
    assert abs(fitted - slope) < 0.1


def test_drift_and_pops_are_low_frequency():
    for name in ("drift", "pop"):
        f, p = _mean_psd(name)
        assert _fraction(f, p, 0, 5) > 0.8, name


def test_ecg_has_heartbeat_periodicity():
    x = get_noise("ecg_sim").generate(1, 2560, SFREQ, np.random.default_rng(0))[0]
    peaks = np.flatnonzero((x[1:-1] > x[:-2]) & (x[1:-1] > x[2:]) & (x[1:-1] > 0.5 * x.max())) + 1
    rr = np.diff(peaks) / SFREQ
    assert len(peaks) >= 8 and (0.55 < np.median(rr) < 1.25)


def test_clipping_bounds_the_signal():
    x = np.random.default_rng(0).standard_normal((5, T)) * 20
    y = Clipping(level=0.4).apply(x, np.random.default_rng(0))
    bound = 0.4 * np.abs(x).max(axis=1)
    assert np.all(np.abs(y).max(axis=1) <= bound + 1e-9)
    inside = np.abs(x) < bound[:, None]
    np.testing.assert_array_equal(y[inside], x[inside])


@pytest.mark.parametrize("mode", ["zero", "hold"])
def test_dropout_flattens_the_requested_fraction(mode):
    x = np.random.default_rng(0).standard_normal((5, T)) + 3.0
    y = Dropout(fraction=0.25, mode=mode).apply(x, np.random.default_rng(0))
    changed = (y != x).sum(axis=1)
    assert np.all(changed >= 0.25 * T - 1) and np.all(changed <= 0.25 * T)
    for row in y:
        flat = np.flatnonzero(np.diff(row) == 0)
        assert len(flat) >= 0.25 * T - 2  # one contiguous constant stretch
    if mode == "zero":
        assert ((y == 0).sum(axis=1) == 128).all()


def test_mixture_is_the_weighted_sum_of_its_parts():
    mix_ = Mixture([(get_noise("white"), 2.0), (get_noise("line"), 0.5)])
    parts = mix_.generate_parts(4, T, SFREQ, np.random.default_rng(9))
    total = mix_.generate(4, T, SFREQ, np.random.default_rng(9))
    np.testing.assert_allclose(total, parts[0] + parts[1])
    rms = lambda a: np.sqrt((a ** 2).mean(axis=1))  # noqa: E731
    np.testing.assert_allclose(rms(parts[0]), 2.0)
    np.testing.assert_allclose(rms(parts[1]), 0.5)


def test_mixture_snr_set_on_one_part_leaves_the_others_on_top():
    """emg_line: λ puts the EMG part at the requested SNR; mains rides on top at its drawn weight."""
    mix_ = get_noise("emg_line")
    assert mix_.snr_on == 0 and "SNR set on the emg_sim part" in mix_.describe()
    clean = np.random.default_rng(1).standard_normal((6, T)) * 20.0
    snr = np.linspace(-7, 2, 6)
    pairs = contaminate(clean, mix_, snr, SFREQ, np.random.default_rng(5), "emg_line")
    emg, line = mix_.generate_parts(6, T, SFREQ, np.random.default_rng(5))
    lam = pairs.artifact[:, 0] / (emg + line)[:, 0]  # one λ per window, normalisation included
    np.testing.assert_allclose(pairs.artifact, lam[:, None] * (emg + line), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(snr_db(pairs.clean, lam[:, None] * emg), snr, atol=1e-3)
    assert np.all(snr_db(pairs.clean, pairs.artifact) < snr - 2)  # mains at ≥ 1× the EMG RMS: the whole is lower
    whole = Mixture(mix_.components, name="whole")  # the default: SNR of the whole mixture
    pairs = contaminate(clean, whole, snr, SFREQ, np.random.default_rng(5), "whole")
    np.testing.assert_allclose(snr_db(pairs.clean, pairs.artifact), snr, atol=1e-3)
    with pytest.raises(ValueError, match="not a component index"):
        Mixture(mix_.components, snr_on=2)


def test_real_family_falls_back_to_simulated_and_says_so():
    n = get_noise("eog")
    assert n.origin.startswith("simulated") and "no real eog" in n.origin
    with pytest.raises(KeyError, match="unknown noise"):
        get_noise("thunder")


def test_real_family_draws_real_windows(real_corpus):
    n = get_noise("eog", real_corpus.pools("train"))
    assert n.origin == "real"
    x = n.generate(10, T, SFREQ, np.random.default_rng(0))
    pool = real_corpus.pools("train")["eog"].x
    for row in x[:3]:  # every drawn window is one of the pool's real windows, unchanged
        assert np.any(np.all(pool == row.astype(np.float32), axis=1))
    assert "malta_eog" in n.describe() and "bulling_eog" in n.describe()
    # mixing real EOG at an exact SNR
    clean = real_corpus.clean["test"].x[:10].astype(float)
    _, scaled = mix(clean, x, -3.0)
    np.testing.assert_allclose(snr_db(clean, scaled), -3.0, atol=0.01)


def test_registry_lists_every_family():
    names = set(noise_names())
    assert {"white", "pink", "brown", "line", "line60", "drift", "pop", "clipping", "dropout", "eog", "emg",
            "motion", "ecg", "mixed", "mixture"} <= names
    assert set(SIMULATED) <= names


def test_line_any_draws_50_or_60_hz_per_window_and_emg_line_carries_it():
    x = get_noise("line_any").generate(40, 1024, 512.0, np.random.default_rng(0))
    f = np.fft.rfftfreq(1024, 1 / 512.0)
    peaks = f[np.argmax(np.abs(np.fft.rfft(x, axis=1)), axis=1)]
    assert set(peaks) == {50.0, 60.0}
    mix = get_noise("emg_line")
    assert [c.name for c, _ in mix.components] == ["emg_sim", "line_any"]
    emg, line = mix.generate_parts(200, 512, 256.0, np.random.default_rng(1))
    ratio = np.sqrt(np.mean(line ** 2, axis=1) / np.mean(emg ** 2, axis=1))
    assert 1.0 <= ratio.min() < 2.0 and 7.0 < ratio.max() <= 10.0  # a weight range is drawn per window

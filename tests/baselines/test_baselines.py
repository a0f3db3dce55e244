import numpy as np
import pytest

from eegrecon.baselines import BASELINES, BandpassNotch, OracleWiener, WaveletThreshold, WienerFilter
from eegrecon.data.pairs import make_pairs
from eegrecon.data.simulate import simulate_clean_eeg
from eegrecon.evaluation import evaluate
from eegrecon.noise import get_noise


def _pairs(noise, n, seed):
    rng = np.random.default_rng(seed)
    clean = simulate_clean_eeg(n, seed=seed)
    art = get_noise(noise).generate(n, 512, 256.0, rng)
    return make_pairs(clean, art, rng.uniform(-7, 2, n), noise, 256.0)


@pytest.mark.parametrize("name", list(BASELINES))
def test_every_baseline_keeps_shape_and_beats_or_matches_input_on_emg(name):
    train, test = _pairs("emg", 400, 0), _pairs("emg", 100, 1)
    method = BASELINES[name]().fit(train)
    table = evaluate(method, test)
    assert len(table) == 100 and np.isfinite(table["rrmse_t"]).all()
    noisy = evaluate(BASELINES["noisy_input"](), test)
    if name != "noisy_input":
        assert table["rrmse_t"].mean() < noisy["rrmse_t"].mean()


def test_wiener_learns_a_lowpass_for_high_frequency_noise():
    w = WienerFilter().fit(_pairs("emg", 500, 0))
    f = np.fft.rfftfreq(512, 1 / 256)
    assert w.gain_[(f > 8) & (f < 12)].mean() > 0.6
    assert w.gain_[f > 60].mean() < 0.1
    assert w.denoise(np.zeros((2, 256)), 256.0).shape == (2, 256)  # other lengths: gain interpolated


def test_oracle_wiener_is_an_upper_bound_for_the_fitted_wiener():
    train, test = _pairs("eog", 500, 0), _pairs("eog", 200, 1)
    fitted = evaluate(WienerFilter().fit(train), test)["rrmse_t"].mean()
    oracle = evaluate(OracleWiener(), test)["rrmse_t"].mean()
    assert oracle < fitted
    assert OracleWiener.requires_oracle and "UPPER BOUND" in OracleWiener.__doc__


def test_bandpass_tuning_picks_a_highpass_for_drift():
    bp = BandpassNotch().fit(_pairs("drift", 300, 0))
    assert bp.l_freq_ is not None and bp.l_freq_ >= 0.5


def test_wavelet_artifact_mode_for_blinks():
    wt = WaveletThreshold().fit(_pairs("eog_sim", 300, 0))
    assert wt.mode_ in ("denoise", "artifact")
    out = wt.denoise(_pairs("eog_sim", 5, 2).noisy.astype(float), 256.0)
    assert out.shape == (5, 512)


def test_sklearn_contract():
    m = BandpassNotch(l_freq=2.0)
    assert m.get_params()["l_freq"] == 2.0 and not hasattr(m, "l_freq_")
    assert m.fit(_pairs("emg", 50, 0)) is m

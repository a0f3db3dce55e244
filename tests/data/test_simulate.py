import numpy as np

from eegrecon.data.simulate import simulate_clean_eeg
from eegrecon.metrics import psd


def test_simulated_eeg_has_realistic_amplitude_and_alpha_peak():
    x = simulate_clean_eeg(200, seed=0, subject_params={
        "exponent": 1.5, "alpha_f": 10.0, "theta_f": 6.0, "beta_f": 20.0, "bg_uv": 8.0, "theta_uv": 3.0,
        "alpha_uv": 12.0, "beta_uv": 2.0})
    assert x.shape == (200, 512) and x.dtype == np.float32
    assert 5.0 < np.median(x.std(axis=1)) < 30.0
    f, p = psd(x, 256.0)
    band = (f > 6.5) & (f < 14)
    assert abs(f[band][np.argmax(p.mean(0)[band])] - 10.0) <= 1.0
    assert np.array_equal(x, simulate_clean_eeg(200, seed=0, subject_params={
        "exponent": 1.5, "alpha_f": 10.0, "theta_f": 6.0, "beta_f": 20.0, "bg_uv": 8.0, "theta_uv": 3.0,
        "alpha_uv": 12.0, "beta_uv": 2.0}))


def test_simulated_corpus_is_split_by_subject(sim_corpus):
    from eegrecon.data.splits import check_disjoint

    check_disjoint(sim_corpus.clean)
    assert sim_corpus.manifest["clean_origin"] == "simulated"
    assert sim_corpus.artifacts == {}

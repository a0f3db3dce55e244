import numpy as np

from eegrecon.baselines import BASELINES
from eegrecon.evaluation import EvalConfig, evaluate, make_test_pairs, run_methods, summarise


def test_test_pairs_are_fixed_and_cover_the_snr_grid(sim_corpus):
    cfg = EvalConfig(noises=["eog"], n_test_windows=20)
    a, b = make_test_pairs(sim_corpus, "eog", cfg), make_test_pairs(sim_corpus, "eog", cfg)
    np.testing.assert_array_equal(a.noisy, b.noisy)
    assert sorted(set(a.snr_db.tolist())) == list(range(-7, 3))
    assert len(a) == 10 * 20
    # the same clean window at every level
    np.testing.assert_allclose(a.clean[0] * a.scale[0], a.clean[20] * a.scale[20], rtol=1e-4, atol=1e-4)


def test_run_methods_table_and_summary(sim_corpus):
    cfg = EvalConfig(noises=["emg", "mixed"], n_test_windows=10, n_train_pairs=200)
    table, timing, kept = run_methods(sim_corpus, {k: BASELINES[k] for k in ("noisy_input", "wiener")}, cfg)
    assert len(table) == 2 * 2 * 100 and set(table["window"]) == set(range(10))
    summary = summarise(table)
    assert len(summary) == 4
    noisy = summary[(summary.method == "noisy_input") & (summary.noise == "emg")].iloc[0]
    # mean over −7..2 dB of RMS(n)/RMS(x) = 10^(−SNR/10)
    assert abs(noisy.rrmse_t - np.mean(10 ** (-np.arange(-7, 3) / 10))) < 1e-3
    assert abs(noisy.snr_out - (-5.0)) < 1e-3  # power SNR = 2 × the RMS-ratio SNR; mean of 2×(−7..2) = −5
    assert set(timing["method"]) == {"noisy_input", "wiener"}
    # clean-input preservation for every method: the identity ("noisy input") leaves clean windows untouched
    ident = kept[(kept.method == "noisy_input")]
    assert len(ident) == 2 and np.allclose(ident["cc_input"], 1.0) and np.allclose(ident["rrmse_input"], 0.0)
    bands = [c for c in kept.columns if c.endswith("_db")]
    assert {"delta_db", "alpha_db", "gamma_db"} <= set(bands)
    assert np.allclose(ident[bands].to_numpy(), 0.0, atol=1e-9)
    wiener = kept[kept.method == "wiener"]
    assert (wiener["cc_input"] < 0.999).all(), "a filter fitted to remove EMG changes clean EEG too: measured"


def test_preservation_metric_on_known_changes():
    from eegrecon.metrics import preservation

    rng = np.random.default_rng(0)
    x = rng.standard_normal((50, 512))
    same = preservation(x, x, 256.0)
    assert same["cc_input"] == 1.0 and same["rrmse_input"] == 0.0 and all(
        abs(v) < 1e-12 for k, v in same.items() if k.endswith("_db"))
    half = preservation(0.5 * x, x, 256.0)  # half the amplitude: −6.02 dB in every band, CC still 1
    assert all(abs(v + 6.0206) < 1e-3 for k, v in half.items() if k.endswith("_db"))
    assert abs(half["cc_input"] - 1.0) < 1e-12


def test_evaluate_matches_direct_metric(sim_corpus):
    from eegrecon.metrics import rrmse_t

    pairs = make_test_pairs(sim_corpus, "emg", EvalConfig(n_test_windows=5))
    table = evaluate(BASELINES["noisy_input"](), pairs)
    np.testing.assert_allclose(table["rrmse_t"], rrmse_t(pairs.noisy.astype(float), pairs.clean.astype(float)))

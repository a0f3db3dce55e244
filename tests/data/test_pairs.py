import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eegrecon.data.pairs import make_pairs, mix, rms, snr_db


@pytest.mark.parametrize("definition", ["rms", "power"])
@given(snr=st.floats(-15, 15), seed=st.integers(0, 1000))
@settings(max_examples=40, deadline=None)
def test_mix_hits_requested_snr(definition, snr, seed):
    rng = np.random.default_rng(seed)
    clean = rng.standard_normal((3, 512)) * 20
    noise = rng.standard_normal((3, 512)) * rng.uniform(0.1, 500)
    noisy, scaled = mix(clean, noise, snr, definition)
    np.testing.assert_allclose(snr_db(clean, scaled, definition), snr, atol=0.01)
    np.testing.assert_allclose(noisy, clean + scaled)


def test_rms_and_power_definitions_differ_by_factor_two():
    rng = np.random.default_rng(0)
    clean, noise = rng.standard_normal((2, 512)), rng.standard_normal((2, 512))
    _, a = mix(clean, noise, -4.0, "rms")
    np.testing.assert_allclose(snr_db(clean, a, "power"), -8.0, atol=1e-6)
    # EEGdenoiseNet: λ = RMS(x) / (RMS(n)·10^(SNR/10))
    lam = rms(clean) / (rms(noise) * 10 ** (-4.0 / 10))
    np.testing.assert_allclose(a, noise * lam[:, None])
    with pytest.raises(ValueError):
        mix(clean, noise, 0.0, "amplitude")


def test_pairs_are_normalised_by_noisy_std_and_invertible():
    rng = np.random.default_rng(1)
    clean, art = rng.standard_normal((5, 512)) * 15, rng.standard_normal((5, 512)) * 40
    p = make_pairs(clean, art, np.full(5, -3.0), "eog", 256.0)
    np.testing.assert_allclose(p.noisy.std(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(p.noisy, p.clean + p.artifact, atol=1e-5)
    np.testing.assert_allclose(p.denormalise(p.clean), clean, rtol=1e-4, atol=1e-4)
    assert p.noise.tolist() == ["eog"] * 5

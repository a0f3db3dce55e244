"""Denoiser: round trips, types, units, rates, lengths, channels, annotations and bad input."""

import warnings

import mne
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eegrecon import Denoiser, denoise
from eegrecon.clean.windows import overlap_add_denoise
from eegrecon.errors import DataError, EegreconError


@pytest.mark.parametrize("sfreq", [256.0, 500.0, 1000.0, 160.0])
@pytest.mark.parametrize("n_times", [3, 100, 511, 512, 513, 2000, 7777])
def test_identity_model_returns_input_unchanged(identity, sfreq, n_times):
    x = np.random.default_rng(n_times).standard_normal((3, n_times)) * 30
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = Denoiser(identity).fit().transform(x, sfreq=sfreq)
    assert y.shape == x.shape
    np.testing.assert_allclose(y, x, rtol=0, atol=1e-9 * np.abs(x).max())


def test_identity_round_trip_at_every_window_boundary(identity):
    # a ramp makes any seam, gap or double-count at a window boundary visible
    x = np.cumsum(np.ones((1, 4096)), axis=1)
    y = Denoiser(identity).fit().transform(x, sfreq=256.0)
    np.testing.assert_allclose(y, x, rtol=1e-12)


def test_raw_round_trip_same_type_units_and_untouched_channels(identity, make_raw):
    raw = make_raw()
    before = raw.get_data().copy()
    den = Denoiser(identity).fit()
    out = den.transform(raw)
    assert isinstance(out, mne.io.BaseRaw) and out is not raw
    np.testing.assert_allclose(out.get_data(), before, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(raw.get_data(), before)  # input never modified
    assert den.report_["channels"] == ["EEG0", "EEG1", "EEG2", "EEG3"] and den.report_["untouched"] == ["EOG"]
    assert den.report_["resampled"] and den.report_["units_warning"] is None


def test_network_changes_only_eeg_good_channels_outside_bad_annotations(small_checkpoint, make_raw):
    raw = make_raw()
    raw.info["bads"] = ["EEG1"]
    raw.set_annotations(mne.Annotations([2.0], [1.5], ["bad_blink"]))
    before = raw.get_data().copy()
    out = Denoiser(str(small_checkpoint), rise_limit_db=None).fit().transform(raw)
    after = out.get_data()
    np.testing.assert_array_equal(after[1], before[1])  # bad channel
    np.testing.assert_array_equal(after[4], before[4])  # EOG channel
    sl = slice(int(2.0 * 500), int(3.5 * 500))
    np.testing.assert_array_equal(after[0, sl], before[0, sl])  # inside bad_ annotation
    assert not np.allclose(after[0, :900], before[0, :900])  # the model did act elsewhere
    assert np.abs(after[0]).max() < 1e-2  # still volts


def test_epochs_and_3d_arrays(identity, small_checkpoint, make_raw):
    raw = make_raw(seconds=12)
    epochs = mne.make_fixed_length_epochs(raw, duration=2.0, preload=True, verbose="error")
    out = Denoiser(identity).fit().transform(epochs)
    assert isinstance(out, mne.BaseEpochs)
    np.testing.assert_allclose(out.get_data(), epochs.get_data(), atol=1e-15)
    arr = epochs.get_data(picks="eeg") * 1e6
    y = denoise(arr, 500.0, model=str(small_checkpoint))
    assert y.shape == arr.shape and y.dtype == arr.dtype


def test_output_in_callers_units_and_scale_invariant(small_checkpoint, make_raw):
    x_uv = make_raw(n_eeg=2).get_data(picks="eeg") * 1e6
    y_uv = denoise(x_uv, 500.0, model=str(small_checkpoint), units="uV")
    y_v = denoise(x_uv * 1e-6, 500.0, model=str(small_checkpoint), units="V")
    np.testing.assert_allclose(y_v * 1e6, y_uv, rtol=1e-5, atol=1e-6 * np.abs(y_uv).max())


def test_unit_mixups_warn(identity):
    x = np.random.default_rng(0).standard_normal((2, 1000)) * 20e-6  # volts
    with pytest.warns(UserWarning, match="looks like V"):
        denoise(x, 256.0, model=identity, units="uV")
    with pytest.warns(UserWarning, match="looks like uV"):
        denoise(x * 1e6, 256.0, model=identity, units="V")


def test_short_input_is_padded_and_said(identity):
    den = Denoiser(identity).fit()
    with pytest.warns(UserWarning, match="shorter than one model window"):
        y = den.transform(np.ones((1, 50)) + np.arange(50), sfreq=256.0)
    assert den.report_["padded"] and y.shape == (1, 50)


def test_bad_input_errors_name_the_problem(identity):
    den = Denoiser(identity).fit()
    x = np.random.default_rng(0).standard_normal((3, 1000))
    x_nan = x.copy()
    x_nan[1, 10] = np.nan
    with pytest.raises(DataError, match="#1 contain NaN"):
        den.transform(x_nan, sfreq=256.0)
    # an array that looks transposed is cleaned as (n_times, n_chans) with a warning, never silently
    with pytest.warns(UserWarning, match="looks like \\(n_times, n_chans\\)"):
        y = den.transform(x.T, sfreq=256.0)
    np.testing.assert_allclose(y, x.T, atol=1e-9)
    with pytest.raises(DataError, match="empty"):
        den.transform(np.zeros((2, 0)), sfreq=256.0)
    with pytest.raises(EegreconError, match="sfreq"):
        den.transform(x)
    with pytest.raises(DataError, match="positive"):
        den.transform(x, sfreq=-5)
    with pytest.raises(EegreconError, match="cannot denoise a str"):
        den.transform("file.edf")


def test_flat_channel_passes_through(small_checkpoint):
    x = np.random.default_rng(0).standard_normal((2, 2000)) * 20
    x[1] = 5.0
    den = Denoiser(str(small_checkpoint)).fit()
    y = den.transform(x, sfreq=256.0)
    np.testing.assert_array_equal(y[1], x[1])
    assert den.report_["flat_channels"] == ["#1"]


def test_line_freq_notches_before_the_model(identity):
    t = np.arange(5120) / 256.0
    x = np.random.default_rng(0).standard_normal((1, 5120)) * 10 + 40 * np.sin(2 * np.pi * 50 * t)
    den = Denoiser(identity, line_freq=50.0).fit()
    y = den.transform(x, sfreq=256.0)
    hum = lambda z: np.abs(np.fft.rfft(z[0]))[np.argmin(np.abs(np.fft.rfftfreq(5120, 1 / 256) - 50))]  # noqa: E731
    assert hum(y) < 0.01 * hum(x) and den.report_["line_noise"]["notched_hz"] == 50.0


def test_ensemble_option(identity, small_checkpoint):
    x = np.random.default_rng(0).standard_normal((2, 1500)) * 20
    np.testing.assert_allclose(Denoiser(identity, ensemble=True).fit().transform(x, sfreq=256.0), x, atol=1e-9)
    plain = Denoiser(str(small_checkpoint), rise_limit_db=None).fit().transform(x, sfreq=256.0)
    ens = Denoiser(str(small_checkpoint), ensemble=True, rise_limit_db=None).fit().transform(x, sfreq=256.0)
    assert ens.shape == x.shape and not np.allclose(ens, plain)


def test_clipped_channel_is_reported(identity):
    x = np.random.default_rng(0).standard_normal((2, 3000)) * 20
    x[0] = np.clip(x[0], -25, 25)
    den = Denoiser(identity).fit()
    with pytest.warns(UserWarning, match="#0 look clipped"):
        y = den.transform(x, sfreq=256.0)
    assert den.report_["clipped_channels"] == ["#0"] and y.shape == x.shape


def test_corrupt_and_mismatched_checkpoints(tmp_path, small_checkpoint):
    import shutil

    for suffix in (".json", ".safetensors"):
        shutil.copy(small_checkpoint.with_suffix(suffix), tmp_path / f"c{suffix}")
    (tmp_path / "c.safetensors").write_bytes(b"garbage")
    with pytest.raises(EegreconError):
        Denoiser(str(tmp_path / "c")).fit()
    for suffix in (".json", ".safetensors"):
        shutil.copy(small_checkpoint.with_suffix(suffix), tmp_path / f"m{suffix}")
    meta = (tmp_path / "m.json").read_text().replace('"width": 8', '"width": 12')
    (tmp_path / "m.json").write_text(meta)
    with pytest.raises(EegreconError):
        Denoiser(str(tmp_path / "m")).fit()


def test_sklearn_contract(identity):
    den = Denoiser(identity, overlap=0.75)
    assert den.get_params()["overlap"] == 0.75 and not hasattr(den, "method_")
    assert den.fit() is den and hasattr(den, "method_")
    assert den.set_params(overlap=0.5).overlap == 0.5


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n_chans=st.integers(1, 4), n_times=st.integers(2, 3000),
       sfreq=st.sampled_from([100.0, 128.0, 250.0, 256.0, 512.0, 1000.0]),
       scale=st.floats(1e-7, 1e4), seed=st.integers(0, 2**16))
def test_property_any_shape_rate_and_scale(identity, n_chans, n_times, sfreq, scale, seed):
    x = np.random.default_rng(seed).standard_normal((n_chans, n_times)) * scale
    original = x.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = Denoiser(identity, units=None).fit().transform(x, sfreq=sfreq)
    assert y.shape == x.shape and np.isfinite(y).all()
    np.testing.assert_array_equal(x, original)
    np.testing.assert_allclose(y, x, atol=1e-8 * scale, rtol=0)


def test_overlap_add_has_no_seams_with_a_smooth_model():
    # a model that halves its input: the stitched result must be exactly half everywhere, boundaries included
    x = np.sin(np.linspace(0, 40, 3000))[None, :]
    y = overlap_add_denoise(x, lambda w: 0.5 * w, 512)
    np.testing.assert_allclose(y, 0.5 * x, atol=1e-12)

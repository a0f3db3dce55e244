"""Real inputs a user hands over: Epochs of many short epochs, batches of windows, arrays in either layout,
odd rates, Latin-1 EDF annotations, channels named EOG/ECG/EMG, content above the model's band, and errors that
are the package's own and say what to do."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from eegrecon.clean.denoiser import Denoiser
from eegrecon.errors import DataError, EegreconError, OptionError


def _epochs(n_epochs=19, n_chans=64, sfreq=160.0, tmin=-0.2, tmax=1.0, seed=0):
    import mne

    n = int(round((tmax - tmin) * sfreq)) + 1
    rng = np.random.default_rng(seed)
    data = 10e-6 * rng.standard_normal((n_epochs, n_chans, n))
    info = mne.create_info([f"E{i}" for i in range(n_chans)], sfreq, "eeg")
    events = np.column_stack([np.arange(n_epochs) * 400 + 100, np.zeros(n_epochs, int), np.ones(n_epochs, int)])
    return mne.EpochsArray(data, info, events=events, tmin=tmin, baseline=(None, 0), verbose="error")


def test_many_short_epochs_keep_shape_events_and_baseline(identity, small_checkpoint):
    epochs = _epochs()  # 19 epochs x 64 channels x 1.2 s: 1216 rows of 193 samples, as eegmmidb S001R01 gives
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*looks like")  # no orientation guess on Epochs
        out = Denoiser(identity).fit().transform(epochs)
    np.testing.assert_allclose(out.get_data(), epochs.get_data(), atol=1e-18)
    cleaned = Denoiser(str(small_checkpoint)).fit().transform(epochs)
    assert cleaned.get_data().shape == epochs.get_data().shape
    np.testing.assert_array_equal(cleaned.events, epochs.events)
    assert cleaned.baseline == epochs.baseline and cleaned.tmin == epochs.tmin
    assert not np.allclose(cleaned.get_data(), epochs.get_data())


def test_batches_of_windows_and_explicit_time_axis(identity):
    den = Denoiser(identity, units=None).fit()
    batch = np.random.default_rng(0).standard_normal((2000, 512))  # more windows than samples per window
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*looks like")  # no orientation guess
        np.testing.assert_allclose(den.transform(batch, sfreq=256.0, time_axis=-1), batch, atol=1e-9)
        np.testing.assert_allclose(den.transform(batch, sfreq=256.0), batch, atol=1e-9)
        short = np.random.default_rng(1).standard_normal((1000, 128))  # 0.5-s windows: ambiguous without the keyword
        np.testing.assert_allclose(den.transform(short, sfreq=256.0, time_axis=-1), short, atol=1e-9)
        # (n_times, n_chans) stated explicitly: no guess, same layout back
        x = np.random.default_rng(2).standard_normal((3000, 4))
        y = den.transform(x, sfreq=500.0, time_axis=0)
    assert y.shape == x.shape
    np.testing.assert_allclose(y, x, atol=1e-9)
    with pytest.warns(UserWarning, match="time_axis"):
        den.transform(short, sfreq=256.0)
    with pytest.raises(DataError, match="time_axis=2 does not exist"):
        den.transform(x, sfreq=500.0, time_axis=2)


@pytest.mark.parametrize("sfreq", [1e6, 3.0, 173.61])
def test_any_positive_rate_works(identity, sfreq):
    x = np.random.default_rng(0).standard_normal((2, 3000))
    np.testing.assert_allclose(Denoiser(identity, units=None).fit().transform(x, sfreq=sfreq), x, atol=1e-9)


@pytest.mark.parametrize("bad,match", [
    (np.zeros((0, 100)), "at least one channel"),
    (np.array([[object()] * 10]), "dtype object"),
    (np.zeros((2, 3, 4, 5)), "got shape"),
    (np.ones((2, 10)) * 1j, "complex"),
    ([[1.0, 2.0], [3.0]], "rectangular"),
])
def test_bad_arrays_raise_the_package_error_with_the_fix(identity, bad, match):
    with pytest.raises(DataError, match=match):
        Denoiser(identity).fit().transform(bad, sfreq=256.0)


def test_bad_rates_raise_the_package_error(identity):
    den = Denoiser(identity).fit()
    for sfreq in (0, -1, float("nan"), "fast"):
        with pytest.raises(DataError, match="sampling rate"):
            den.transform(np.ones((1, 100)), sfreq=sfreq)


def test_channels_named_eog_ecg_emg_or_ref_are_not_cleaned(identity, make_raw):
    import mne

    raw = make_raw(n_eeg=3, sfreq=256.0)
    raw.rename_channels({"EEG1": "EOG left", "EEG2": "ECG"})
    raw.set_channel_types({"EOG": "eeg"})  # as an EDF file would type it
    den = Denoiser(identity).fit()
    den.transform(raw)
    assert den.report_["not_eeg_by_name"] == ["EOG left", "ECG", "EOG"]
    assert den.report_["channels"] == ["EEG0"]
    den = Denoiser(identity, picks=["EEG0", "ECG"]).fit()  # named explicitly: cleaned
    den.transform(raw)
    assert den.report_["channels"] == ["EEG0", "ECG"]
    assert isinstance(raw, mne.io.BaseRaw)


def test_content_above_the_model_band_policy(identity):
    from scipy.signal import welch

    x = np.random.default_rng(0).standard_normal((2, 20000))
    keep = Denoiser(identity, units=None).fit()
    np.testing.assert_allclose(keep.transform(x, sfreq=1000.0), x, atol=1e-9)
    report = keep.report_["above_model_band"]
    assert report["policy"] == "keep" and report["edge_hz"] == pytest.approx(0.45 * 256)
    assert report["input_power_share"] == pytest.approx(1 - 115.2 / 500, abs=0.02)  # white noise
    low = Denoiser(identity, units=None, above_band="lowpass").fit()
    y = low.transform(x, sfreq=1000.0)
    f, p = welch(y, fs=1000.0, nperseg=2000)
    assert p[:, f > 150].sum() / p.sum() < 1e-3 and low.report_["above_model_band"]["policy"] == "lowpass"
    assert keep.transform(x, sfreq=256.0) is not None and keep.report_["above_model_band"] is None
    with pytest.raises(OptionError, match="above_band must be one of 'keep', 'lowpass'"):
        Denoiser(identity, above_band="cut").fit().transform(x, sfreq=1000.0)


def _latin1_edf(path):
    import mne

    info = mne.create_info(["Fp1", "Fp2", "Cz", "O1"], 256.0, "eeg")
    raw = mne.io.RawArray(10e-6 * np.random.default_rng(0).standard_normal((4, 256 * 12)), info, verbose="error")
    raw.set_annotations(mne.Annotations([1.0, 4.0], [0.5, 0.0], ["caf#", "blink"]))
    mne.export.export_raw(path.with_suffix(".tmp.edf"), raw, fmt="edf", verbose="error")
    data = path.with_suffix(".tmp.edf").read_bytes()
    assert data.count(b"caf#") == 1
    path.write_bytes(data.replace(b"caf#", b"caf\xe9"))  # the annotation byte as an old recorder writes it
    return path


def test_latin1_edf_annotations_read_and_clean(tmp_path, small_checkpoint):
    import mne

    from eegrecon.clean.files import clean_file
    from eegrecon.io.readers import read_raw

    path = _latin1_edf(tmp_path / "latin1.edf")
    with pytest.raises(Exception, match="invalid byte"):
        mne.io.read_raw_edf(path, verbose="error")  # MNE's default UTF-8 refuses it
    raw = read_raw(path)
    assert list(raw.annotations.description) == ["café", "blink"]
    res = clean_file(path, tmp_path / "out", str(small_checkpoint))
    assert res.output.is_file() and len(res.report["channels"]) == 4


def test_cli_errors_for_unreadable_files(tmp_path):
    from typer.testing import CliRunner

    from eegrecon.cli import app

    text = tmp_path / "notes.txt"
    text.write_text("not a recording")
    res = CliRunner().invoke(app, ["denoise", str(text), "--out", str(tmp_path / "o")], standalone_mode=False)
    assert isinstance(res.exception, EegreconError)
    assert "nothing was written" in str(res.exception) and "the others" not in str(res.exception)
    assert "really in one of those formats" in res.output + res.stdout
